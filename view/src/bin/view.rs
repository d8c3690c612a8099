//! `cargo run --bin view -- --flow dist/x.asl.json [--history history.json] [--out page.html]`:
//! the page of one definition, with a call from an execution history on it.

use std::process::ExitCode;

fn main() -> ExitCode {
    match switchboard_view::cli::run(std::env::args().skip(1)) {
        Ok(report) => {
            println!("{report}");
            ExitCode::SUCCESS
        }
        Err(f) => {
            eprintln!("{}", f.message());
            ExitCode::from(match f {
                switchboard_view::cli::Failure::Usage(_) => 2,
                switchboard_view::cli::Failure::Error(_) => 1,
            })
        }
    }
}
