//! `cargo run --bin simulate -- [--flow <name|path.asl.json>] --scenario <file|dir>... [--json]
//! [--html DIR] [--prices FILE] [--config FILE]`
//!
//! Runs scenario files through the PSTN audio simulator (the router's logic in front of the
//! ASL interpreter) and prints each transcript with what the call costs on AWS, and each flow's
//! coverage; `--html` writes each call as a page. Exit status 0 when every expectation of every
//! scenario held, 1 when one failed (the failures are listed) or a file could not be used, 2 on
//! a usage error. The logic is `switchboard_workflows::simulate`.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use switchboard_workflows::simulate::{self, USAGE};

fn main() -> ExitCode {
    let args = match simulate::parse_args(std::env::args().skip(1)) {
        Ok(a) => a,
        Err(e) => {
            if !e.is_empty() {
                eprintln!("simulate: {e}");
            }
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    // The repository's configuration (the router's memory per stack), used when no --config is
    // given.
    let default = Path::new(env!("CARGO_MANIFEST_DIR")).join("switchboard.toml");
    let default = default.exists().then_some(default);
    let report = simulate::run(&args, default.as_deref());
    let _ = std::io::stdout().write_all(report.text.as_bytes());
    let _ = std::io::stderr().write_all(report.errors.as_bytes());
    ExitCode::from(report.status)
}
