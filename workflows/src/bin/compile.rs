//! `cargo run --bin compile`: compiles every registered call flow to `dist/<name>.asl.json`.

use std::path::Path;
use std::process::ExitCode;
use switchboard_compiler::compile;

fn main() -> ExitCode {
    let opts = match compile::parse_args(std::env::args().skip(1)) {
        Ok(o) => o,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    // The repository's configuration, used when no --config is given.
    let default = Path::new(env!("CARGO_MANIFEST_DIR")).join("switchboard.toml");
    let default = default.exists().then_some(default);
    let (report, ok) = compile::run(
        &switchboard_workflows::registry(),
        &opts,
        default.as_deref(),
    );
    if ok {
        print!("{report}");
        ExitCode::SUCCESS
    } else {
        eprint!("{report}");
        ExitCode::FAILURE
    }
}
