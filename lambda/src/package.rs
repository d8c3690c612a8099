//! Packaging a Lambda artefact: building the binary for `provided.al2023`, checks on it (an
//! x86_64 ELF whose glibc version needs stay within what the runtime ships, and a size budget) and
//! the deterministic zip whose `bootstrap` entry the runtime runs
//! (<https://docs.aws.amazon.com/lambda/latest/dg/runtimes-provided.html>).
//!
//! Amazon Linux 2023 ships glibc 2.34:
//! <https://docs.aws.amazon.com/linux/al2023/ug/compare-with-al2.html>.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use object::read::elf::{ElfFile64, FileHeader};
use object::{Endianness, Object};

/// Newest glibc symbol version the binary may need.
pub const MAX_GLIBC: (u32, u32) = (2, 34);
/// Size budget of the `bootstrap` binary.
pub const MAX_BINARY_BYTES: u64 = 8 * 1024 * 1024;

/// The target the Lambdas are built for (`provided.al2023` on x86_64).
pub const TARGET: &str = "x86_64-unknown-linux-gnu";
/// The cargo profile of the artefacts (small, quick to cold-start; see the root Cargo.toml).
pub const PROFILE: &str = "release-lambda";

/// One Lambda function of the workspace to package.
#[derive(Debug, Clone, Copy)]
pub struct Lambda<'a> {
    /// Its cargo package, e.g. `switchboard-router`.
    pub package: &'a str,
    /// The binary target that is the function (zipped as `bootstrap` whatever its name).
    pub bin: &'a str,
    /// Where the zip goes by default, relative to the workspace root.
    pub zip: &'a str,
}

/// What [`build`] wrote.
#[derive(Debug, Clone)]
pub struct Packaged {
    pub zip: PathBuf,
    pub binary_bytes: u64,
    pub zip_bytes: u64,
    /// The newest `GLIBC_x.y` the binary needs, if any.
    pub newest_glibc: Option<(u32, u32)>,
}

/// The workspace root (the parent of this crate's folder).
pub fn workspace_root() -> PathBuf {
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    here.parent().unwrap_or(here).to_path_buf()
}

/// Where [`build`] finds the binary `bin` it built: `<target dir>/`[`TARGET`]`/`[`PROFILE`]`/<bin>`,
/// the target dir being `CARGO_TARGET_DIR` or the workspace's `target/`.
pub fn packaged_binary(bin: &str) -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_root().join("target"))
        .join(TARGET)
        .join(PROFILE)
        .join(bin)
}

/// The newest glibc version the ELF binary `elf` needs, after checking none is newer than
/// [`MAX_GLIBC`] ([`version_needs`], [`check_glibc`]).
pub fn newest_glibc(elf: &[u8]) -> Result<Option<(u32, u32)>, PackageError> {
    check_glibc(&version_needs(elf)?)
}

/// Builds `lambda` with the [`PROFILE`] profile for [`TARGET`] (with the cargo that runs this, in
/// `CARGO_TARGET_DIR` or `target/`), refuses a binary that needs glibc newer than [`MAX_GLIBC`] or
/// exceeds [`MAX_BINARY_BYTES`], and writes the zip to `out`.
pub fn build(lambda: Lambda<'_>, out: &Path) -> Result<Packaged, String> {
    let root = workspace_root();
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let status = Command::new(cargo)
        .current_dir(&root)
        .args(["build", "-p", lambda.package, "--bin", lambda.bin])
        .args(["--profile", PROFILE, "--target", TARGET])
        .status()
        .map_err(|e| format!("running cargo: {e}"))?;
    if !status.success() {
        return Err(format!("cargo build failed ({status})"));
    }
    let binary_path = packaged_binary(lambda.bin);
    let binary = std::fs::read(&binary_path)
        .map_err(|e| format!("reading {}: {e}", binary_path.display()))?;
    let newest_glibc = newest_glibc(&binary).map_err(|e| e.to_string())?;
    if binary.len() as u64 > MAX_BINARY_BYTES {
        return Err(format!(
            "{} is {} bytes, over the {} byte budget",
            lambda.bin,
            binary.len(),
            MAX_BINARY_BYTES
        ));
    }
    write_zip(&binary, out).map_err(|e| e.to_string())?;
    let zip_bytes = std::fs::metadata(out).map(|m| m.len()).unwrap_or(0);
    Ok(Packaged {
        zip: out.to_path_buf(),
        binary_bytes: binary.len() as u64,
        zip_bytes,
        newest_glibc,
    })
}

/// The whole `package` command of a Lambda: `[--out PATH]`, [`build`], a one-line summary.
pub fn main(lambda: Lambda<'_>) -> ExitCode {
    let run = || -> Result<Packaged, String> {
        let mut out = workspace_root().join(lambda.zip);
        let mut args = std::env::args().skip(1);
        while let Some(arg) = args.next() {
            match arg.as_str() {
                "--out" => out = PathBuf::from(args.next().ok_or("--out needs a path")?),
                other => return Err(format!("unknown argument {other:?} (only --out PATH)")),
            }
        }
        build(lambda, &out)
    };
    match run() {
        Ok(p) => {
            println!(
                "wrote {} (bootstrap {} bytes, zip {} bytes, newest glibc need {})",
                p.zip.display(),
                p.binary_bytes,
                p.zip_bytes,
                p.newest_glibc
                    .map_or("none".to_owned(), |(a, b)| format!("GLIBC_{a}.{b}"))
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("package: {e}");
            ExitCode::FAILURE
        }
    }
}

/// A packaging problem.
#[derive(Debug, thiserror::Error)]
pub enum PackageError {
    #[error("not an x86_64 ELF executable: {0}")]
    NotElf(String),
    #[error("bootstrap needs glibc symbols newer than GLIBC_{}.{}: {}", MAX_GLIBC.0, MAX_GLIBC.1, .0.join(", "))]
    GlibcTooNew(Vec<String>),
    #[error("writing the zip: {0}")]
    Zip(String),
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

/// One `(library, version)` the binary needs, e.g. `("libc.so.6", "GLIBC_2.34")`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct VersionNeed {
    pub library: String,
    pub version: String,
}

/// Reads the `.gnu.version_r` section of a 64-bit x86_64 ELF.
pub fn version_needs(elf: &[u8]) -> Result<Vec<VersionNeed>, PackageError> {
    let bad = |e: object::Error| PackageError::NotElf(e.to_string());
    let file = ElfFile64::<Endianness>::parse(elf).map_err(bad)?;
    if file.architecture() != object::Architecture::X86_64 {
        return Err(PackageError::NotElf(format!(
            "architecture is {:?}",
            file.architecture()
        )));
    }
    let endian = file.elf_header().endian().map_err(bad)?;
    let table = file.elf_section_table();
    let Some((mut needs, link)) = table.gnu_verneed(endian, elf).map_err(bad)? else {
        return Ok(Vec::new());
    };
    let strings = table.strings(endian, elf, link).map_err(bad)?;
    let mut out = Vec::new();
    while let Some((need, mut auxes)) = needs.next().map_err(bad)? {
        let library =
            String::from_utf8_lossy(need.file(endian, strings).map_err(bad)?).into_owned();
        while let Some(aux) = auxes.next().map_err(bad)? {
            let version =
                String::from_utf8_lossy(aux.name(endian, strings).map_err(bad)?).into_owned();
            out.push(VersionNeed {
                library: library.clone(),
                version,
            });
        }
    }
    out.sort();
    Ok(out)
}

/// `GLIBC_2.34` → `(2, 34)`; `None` for other names (`GLIBC_PRIVATE`, `GCC_3.0`).
pub fn glibc_version(name: &str) -> Option<(u32, u32)> {
    let rest = name.strip_prefix("GLIBC_")?;
    let mut parts = rest.split('.');
    let major = parts.next()?.parse().ok()?;
    let minor = parts.next().map_or(Some(0), |m| m.parse().ok())?;
    Some((major, minor))
}

/// The newest glibc version in `needs`, after checking none is newer than [`MAX_GLIBC`].
pub fn check_glibc(needs: &[VersionNeed]) -> Result<Option<(u32, u32)>, PackageError> {
    let versions: Vec<_> = needs
        .iter()
        .filter_map(|n| glibc_version(&n.version).map(|v| (v, n)))
        .collect();
    let too_new: Vec<String> = versions
        .iter()
        .filter(|(v, _)| *v > MAX_GLIBC)
        .map(|(_, n)| format!("{} ({})", n.version, n.library))
        .collect();
    if !too_new.is_empty() {
        return Err(PackageError::GlibcTooNew(too_new));
    }
    Ok(versions.iter().map(|(v, _)| *v).max())
}

/// Writes `binary` as the executable entry `bootstrap` of a zip at `out`, with a fixed timestamp
/// so the same binary gives the same zip.
pub fn write_zip(binary: &[u8], out: &Path) -> Result<(), PackageError> {
    if let Some(dir) = out.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let zerr = |e: zip::result::ZipError| PackageError::Zip(e.to_string());
    let mut zip = zip::ZipWriter::new(std::fs::File::create(out)?);
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default())
        .unix_permissions(0o755);
    zip.start_file("bootstrap", options).map_err(zerr)?;
    zip.write_all(binary)?;
    zip.finish().map_err(zerr)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn need(v: &str) -> VersionNeed {
        VersionNeed {
            library: "libc.so.6".into(),
            version: v.into(),
        }
    }

    #[test]
    fn glibc_names() {
        assert_eq!(glibc_version("GLIBC_2.34"), Some((2, 34)));
        assert_eq!(glibc_version("GLIBC_2.2.5"), Some((2, 2)));
        assert_eq!(glibc_version("GLIBC_PRIVATE"), None);
        assert_eq!(glibc_version("GCC_3.0"), None);
    }

    #[test]
    fn newer_than_2_34_is_refused() {
        assert_eq!(
            check_glibc(&[need("GLIBC_2.2.5"), need("GLIBC_2.34")]).unwrap(),
            Some((2, 34))
        );
        let err = check_glibc(&[need("GLIBC_2.17"), need("GLIBC_2.39")]).unwrap_err();
        assert!(err.to_string().contains("GLIBC_2.39 (libc.so.6)"), "{err}");
        assert!(version_needs(b"not an elf").is_err());
    }
}
