//! `cargo run --bin view -- --flow dist/x.asl.json [--history history.json] [--out page.html]`:
//! the page of one definition, with a call from an execution history on it.

use std::process::ExitCode;

fn main() -> ExitCode {
    match switchboard_view::cli::run(std::env::args().skip(1)) {
        Ok(report) => {
            println!("{report}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{e}");
            ExitCode::from(if e.starts_with("usage:") { 2 } else { 1 })
        }
    }
}
