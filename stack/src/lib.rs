//! The CloudFormation stacks of a Switchboard app, generated from its compiled flows.
//!
//! An app (`[stack.<name>]` in `switchboard.toml`, [`config`]) deploys as three stacks:
//! `<name>-artifacts` (the bucket the code and definitions are uploaded to), `<name>-number`
//! (the Chime SDK Voice provider and the business number) and `<name>` (the flows' state
//! machines, the router, tables, buckets, scheduler, SIP media application and SIP rule:
//! [`template::app`]). Every policy is derived from what the definitions use
//! ([`switchboard_compiler::uses`], [`policy`]). `cargo run --bin compile` writes the templates
//! to `dist/` ([`artefacts`]); the `deploy` command (package `switchboard-deploy`) builds the
//! same ones with the number it obtained, uploads what they reference and applies them.
//!
//! This crate builds no AWS SDK, so `compile` stays quick to build.

pub mod config;
pub mod number;
pub mod policy;
pub mod secret;
pub mod template;

use switchboard_compiler::config::Config;
use switchboard_compiler::Compiled;

/// One file `compile` writes beside the definitions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Artefact {
    /// File name, relative to the output directory.
    pub file: String,
    pub contents: String,
}

/// The templates of every stack the configuration declares, as `dist/` holds them: the app
/// stack per `[stack.<name>]` (`<name>.template.json`, definitions inline or, when too large,
/// in S3 under their content hash, which `deploy` uploads from `dist/<flow>.asl.json`), and the
/// artifacts and number stacks they stand on (`switchboard-artifacts.template.json`,
/// `switchboard-number.template.json`), when there is a stack at all.
pub fn artefacts(config: &Config, compiled: &[Compiled]) -> Result<Vec<Artefact>, Vec<String>> {
    let stacks = config::stacks(config)?;
    let mut out = Vec::new();
    let mut errors = Vec::new();
    for (name, stack) in &stacks {
        let mut flows = Vec::new();
        for f in &stack.flows {
            match compiled.iter().find(|c| &c.name == f) {
                Some(c) => flows.push(c),
                None => errors.push(format!(
                    "{}: stack `{name}`: [stack.{name}.flows]: no flow named `{f}`; the flows are: {}",
                    config.locate(&[config::SECTION.into(), name.clone(), "flows".into()]),
                    compiled.iter().map(|c| c.name.as_str()).collect::<Vec<_>>().join(", ")
                )),
            }
        }
        if flows.len() != stack.flows.len() {
            continue;
        }
        match template::app(name, stack, &flows, false) {
            Ok(app) => out.push(Artefact {
                file: format!("{name}.template.json"),
                contents: pretty(&app.template),
            }),
            Err(e) => errors.extend(e.into_iter().map(|e| format!("stack `{name}`: {e}"))),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    if !stacks.is_empty() {
        out.push(Artefact {
            file: "switchboard-artifacts.template.json".into(),
            contents: pretty(&number::artifacts()),
        });
        out.push(Artefact {
            file: "switchboard-number.template.json".into(),
            contents: pretty(&number::number()),
        });
    }
    Ok(out)
}

/// Two-space indented JSON with a final newline, like the definitions.
pub fn pretty(v: &serde_json::Value) -> String {
    let mut s = serde_json::to_string_pretty(v).unwrap_or_default();
    s.push('\n');
    s
}
