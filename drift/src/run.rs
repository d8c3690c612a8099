//! The command: `compile --drift FILE [--apply]`.

use crate::apply::{self, Settings};
use crate::compare::compare;
use crate::input;
use crate::report::{explain, Ours};
use crate::source::Sources as Files;
use std::path::Path;
use switchboard::FlowDef;
use switchboard_compiler::compile::{load_config, Options};
use switchboard_compiler::{compile_flow, lower};

/// Exit status: the definitions mean the same.
pub const SAME: u8 = 0;
/// Exit status: they differ.
pub const DRIFT: u8 = 1;
/// Exit status: the input (or the flows) could not be read.
pub const BAD_INPUT: u8 = 2;

/// Runs `--drift` with `opts` over the registered `flows`; source files are named relative to
/// `root` (the workspace the flows are compiled in). Returns what to print and the exit status.
pub fn run(
    flows: &[FlowDef],
    opts: &Options,
    default_config: Option<&Path>,
    root: &Path,
) -> (String, u8) {
    match drift(flows, opts, default_config, root) {
        Ok(done) => done,
        Err(e) => (format!("error: {e}\n"), BAD_INPUT),
    }
}

fn drift(
    flows: &[FlowDef],
    opts: &Options,
    default_config: Option<&Path>,
    root: &Path,
) -> Result<(String, u8), String> {
    let file = opts.drift.as_deref().ok_or("--drift needs a FILE")?;
    let edited = input::read(file).map_err(|e| e.to_string())?;
    let config = load_config(opts, default_config)?;
    let names = || flows.iter().map(|f| f.name).collect::<Vec<_>>().join(", ");
    let said = edited
        .definition
        .get("Comment")
        .and_then(|c| c.as_str())
        .and_then(lower::flow_of_comment);
    let name = match (opts.only.as_deref(), said) {
        (Some(n), _) | (None, Some(n)) => n,
        (None, None) => {
            return Err(format!(
                "{}: cannot tell which flow it is (its `Comment` does not name one): give --flow NAME; the flows are: {}",
                file.display(),
                names()
            ))
        }
    };
    let def = flows.iter().find(|f| f.name == name).ok_or_else(|| {
        format!(
            "{}: flow `{name}` is not one of the flows: {}; give --flow NAME",
            file.display(),
            names()
        )
    })?;
    let flow = def.build(&config.section(def.section)).map_err(|e| {
        let lines: Vec<String> = config.explain(&e);
        lines.join("\nerror: ")
    })?;
    let compiled = compile_flow(&flow).map_err(|errors| {
        let lines: Vec<String> = errors.iter().map(ToString::to_string).collect();
        format!("flow `{name}` does not compile:\n{}", lines.join("\n"))
    })?;
    let ours: serde_json::Value =
        serde_json::from_str(&compiled.json).map_err(|e| format!("flow `{name}`: {e}"))?;
    let diffs = compare(&ours, &edited.definition);
    let context = Ours {
        definition: &ours,
        sources: &compiled.sources,
        flow: flow.loc,
    };
    let mut findings = explain(&diffs, &context);
    let settings = Settings {
        config: &config,
        section: def.section,
    };
    let mut files = Files::new(root);
    let edits = apply::plan(
        &mut findings,
        &compiled.sources,
        &mut files,
        &settings,
        opts.apply,
    );
    if opts.apply {
        apply::write(&edits)?;
    }
    let mut out = String::new();
    for f in &findings {
        out.push_str(&format!("{f}\n"));
    }
    let file = file.display();
    if findings.is_empty() {
        out.push_str(&format!(
            "no drift: {file} means what flow `{name}` compiles to\n"
        ));
        return Ok((out, SAME));
    }
    let n = findings.len();
    out.push_str(&format!(
        "{n} difference{} between {file} and flow `{name}` as it compiles now",
        if n == 1 { "" } else { "s" }
    ));
    match (opts.apply, edits.len()) {
        (true, 0) => out.push_str("; no literal to rewrite\n"),
        (true, k) => out.push_str(&format!(
            "; {k} literal{} rewritten: compile again and run --drift again to see what is left\n",
            if k == 1 { "" } else { "s" }
        )),
        (false, 0) => out.push('\n'),
        (false, k) => out.push_str(&format!(
            "; --apply rewrites {k} literal{}\n",
            if k == 1 { "" } else { "s" }
        )),
    }
    Ok((out, DRIFT))
}
