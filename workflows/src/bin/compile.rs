//! `cargo run --bin compile`: compiles every registered call flow to `dist/<name>.asl.json`, and
//! writes the CloudFormation templates of the stacks `switchboard.toml` declares. With
//! `--drift FILE [--apply]`, compares a definition edited in Workflow Studio (or deployed) with
//! what its flow compiles to (`switchboard_drift`).

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
    if opts.drift.is_some() {
        // Source files are named relative to the workspace the flows are compiled in.
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let flows = switchboard_workflows::registry();
        let (report, status) =
            switchboard_drift::run::run(&flows, &opts, default.as_deref(), &root);
        if status == switchboard_drift::run::BAD_INPUT {
            eprint!("{report}");
        } else {
            print!("{report}");
        }
        return ExitCode::from(status);
    }
    // Beside the definitions: the CloudFormation templates of the `[stack.*]` sections.
    let extras = compile::Extras {
        sections: &[switchboard_stack::config::SECTION],
        files: &|config, compiled| {
            switchboard_stack::artefacts(config, compiled)
                .map(|files| files.into_iter().map(|a| (a.file, a.contents)).collect())
        },
    };
    let (report, ok) = compile::run_with(
        &switchboard_workflows::registry(),
        &opts,
        default.as_deref(),
        &extras,
    );
    if ok {
        print!("{report}");
        ExitCode::SUCCESS
    } else {
        eprint!("{report}");
        ExitCode::FAILURE
    }
}
