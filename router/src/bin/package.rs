//! Builds the Lambda artefact `dist/router/bootstrap.zip`:
//!
//! ```text
//! cargo run -p switchboard-router --bin package [-- --out dist/router/bootstrap.zip]
//! ```
//!
//! It builds `bootstrap` with the `release-lambda` profile for x86_64-unknown-linux-gnu, refuses a
//! binary that needs glibc newer than 2.34 (provided.al2023) or exceeds 8 MB, and writes the zip.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use switchboard_router::package::{check_glibc, version_needs, write_zip, MAX_BINARY_BYTES};

const TARGET: &str = "x86_64-unknown-linux-gnu";
const PROFILE: &str = "release-lambda";

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("package: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .ok_or("router/ has no parent directory")?
        .to_path_buf();
    let mut out = root.join("dist/router/bootstrap.zip");
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--out" => out = PathBuf::from(args.next().ok_or("--out needs a path")?),
            other => return Err(format!("unknown argument {other:?} (only --out PATH)")),
        }
    }
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let status = Command::new(cargo)
        .current_dir(&root)
        .args(["build", "-p", "switchboard-router", "--bin", "bootstrap"])
        .args(["--profile", PROFILE, "--target", TARGET])
        .status()
        .map_err(|e| format!("running cargo: {e}"))?;
    if !status.success() {
        return Err(format!("cargo build failed ({status})"));
    }
    let target_dir = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target"));
    let binary_path = target_dir.join(TARGET).join(PROFILE).join("bootstrap");
    let binary = std::fs::read(&binary_path)
        .map_err(|e| format!("reading {}: {e}", binary_path.display()))?;
    let needs = version_needs(&binary).map_err(|e| e.to_string())?;
    let glibc = check_glibc(&needs).map_err(|e| e.to_string())?;
    if binary.len() as u64 > MAX_BINARY_BYTES {
        return Err(format!(
            "bootstrap is {} bytes, over the {} byte budget",
            binary.len(),
            MAX_BINARY_BYTES
        ));
    }
    write_zip(&binary, &out).map_err(|e| e.to_string())?;
    let zipped = std::fs::metadata(&out).map(|m| m.len()).unwrap_or(0);
    println!(
        "wrote {} (bootstrap {} bytes, zip {} bytes, newest glibc need {})",
        out.display(),
        binary.len(),
        zipped,
        glibc.map_or("none".to_owned(), |(a, b)| format!("GLIBC_{a}.{b}"))
    );
    Ok(())
}
