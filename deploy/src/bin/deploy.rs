//! `cargo run --bin deploy -- --region us-east-1 [--area-code 212 | --number +1…]`: puts a
//! Switchboard app on a live phone number (see the crate's documentation and the README's
//! "Deploy and destroy").

use std::process::ExitCode;

use switchboard_deploy::{args, deploy, progress::Progress};

fn main() -> ExitCode {
    let args = match args::deploy(std::env::args().skip(1)) {
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
    match runtime.block_on(deploy::run(&args, &mut progress)) {
        Ok(summary) => {
            print!("{}", summary.report());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
