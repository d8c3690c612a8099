//! `cargo run --bin compile`: compiles every registered call flow to `dist/<name>.asl.json`
//! with its page, `dist/<name>.html`, and writes the CloudFormation templates of the stacks
//! `switchboard.toml` declares. With `--drift FILE [--apply]`, compares a definition edited in
//! Workflow Studio (or deployed) with what its flow compiles to (`switchboard_drift`).

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
    // The page of each flow links its states' Rust lines, which the compiler names from the
    // workspace root: from `--out`, that root is here.
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let source_root = std::path::absolute(&opts.out)
        .ok()
        .zip(std::path::absolute(&root).ok())
        .map(|(out, root)| switchboard_view::cli::relative(&out, &root));
    // Beside the definitions: each flow's page, and the CloudFormation templates of the
    // `[stack.*]` sections.
    let extras = compile::Extras {
        sections: &[switchboard_stack::config::SECTION],
        files: &|config, compiled| {
            switchboard_stack::artefacts(config, compiled)
                .map(|files| files.into_iter().map(|a| (a.file, a.contents)).collect())
        },
        per_flow: &|c| {
            vec![switchboard_view::page::for_definition(
                &c.name,
                &c.machine,
                source_root.clone(),
            )]
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
