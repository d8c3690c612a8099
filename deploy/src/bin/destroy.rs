//! `cargo run --bin destroy -- --region us-east-1 [--keep-data]`: removes everything `deploy`
//! created and checks nothing is left; exits non-zero if anything is.

use std::process::ExitCode;

use switchboard_deploy::{args, destroy, progress::Progress};

fn main() -> ExitCode {
    let args = match args::destroy(std::env::args().skip(1)) {
        Ok(a) => a,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: starting the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let mut progress = Progress::new(false);
    match runtime.block_on(destroy::run(&args, &mut progress)) {
        Ok(summary) => {
            print!("{}", summary.report());
            if summary.left.is_empty() {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            }
        }
        Err(e) => {
            eprintln!("error: {e}");
            eprintln!("Nothing after that step was removed: run destroy again once it is fixed.");
            ExitCode::FAILURE
        }
    }
}
