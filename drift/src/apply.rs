//! `--apply`: the literals an edit changed, rewritten in the flow's source — only where that is
//! exactly the edit.
//!
//! A changed value is applied when the builder call that set it was given one literal, and:
//! - the literal still reads what was compiled (else the source changed since: compile again);
//! - every value that argument sends changed alike there (a prompt batched into two Tasks, a
//!   sub-flow's literal inlined twice: changing one copy in Workflow Studio is not a change of
//!   the literal, which would change both);
//! - a Rust literal writes the new value (a number for a number, a text for a text).
//!
//! Everything else stays a report, saying why: a value built from several pieces (`format!`,
//! `+`), a variable, a configuration value (named with its `switchboard.toml` line when the
//! setting holds it), a call the flow does not make (the option to add), a rewired transition,
//! a state added or removed.

use crate::report::{Change, Finding};
use crate::source::{rust_literal, Sources as Files, Written};
use serde_json::Value as Json;
use std::collections::BTreeMap;
use std::ops::Range;
use std::path::PathBuf;
use switchboard::ir::{Call, Loc, Sent};
use switchboard_compiler::config::Config;
use switchboard_compiler::sources::Sources;

/// One literal to rewrite.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    pub path: PathBuf,
    /// The file as the compiler names it.
    pub file: String,
    pub range: Range<usize>,
    pub old: String,
    pub new: String,
}

/// Where configuration values come from: the configuration and the flow's section.
pub struct Settings<'a> {
    pub config: &'a Config,
    pub section: &'a str,
}

/// Decides, for each finding, whether `--apply` rewrites it, and says so in its `outcome`
/// (`applying`: the rewrite happens now). Returns the rewrites.
pub fn plan(
    findings: &mut [Finding],
    sources: &Sources,
    files: &mut Files,
    settings: &Settings,
    applying: bool,
) -> Vec<Edit> {
    // The findings of each argument of each call.
    let mut groups: BTreeMap<(Loc, Call, usize, Sent), Vec<usize>> = BTreeMap::new();
    for (i, f) in findings.iter_mut().enumerate() {
        match &f.change {
            Some(c) if c.origin.called => {
                let o = &c.origin;
                groups
                    .entry((o.loc, o.call, o.arg, o.sent))
                    .or_default()
                    .push(i);
            }
            Some(c) if c.argument.is_some() => {
                f.outcome = applying
                    .then(|| "not applied: a call to add is not a literal to change".into());
            }
            _ => {
                f.outcome = applying.then(|| {
                    match f.category {
                        "text" | "option" | "value" => "not applied: no one literal sets it",
                        _ => "not applied: --apply rewrites literals only",
                    }
                    .into()
                });
            }
        }
    }
    let mut edits = Vec::new();
    for members in groups.values() {
        let outcome = match group_edit(findings, members, sources, files, settings) {
            Ok(edit) => {
                let said = if applying {
                    format!("applied: `{}` is now `{}`", edit.old, edit.new)
                } else {
                    format!("--apply rewrites `{}` as `{}`", edit.old, edit.new)
                };
                edits.push(edit);
                said
            }
            Err(why) => format!("not applied: {why}"),
        };
        for &i in members {
            findings[i].outcome = Some(outcome.clone());
        }
    }
    edits
}

/// The rewrite of one call's argument, if it is exactly the edit of `members`.
fn group_edit(
    findings: &[Finding],
    members: &[usize],
    sources: &Sources,
    files: &mut Files,
    settings: &Settings,
) -> Result<Edit, String> {
    let changes: Vec<&Change> = members
        .iter()
        .filter_map(|&i| findings[i].change.as_ref())
        .collect();
    let first = changes.first().ok_or("nothing changed")?;
    let origin = &first.origin;
    let Some(new) = &first.argument else {
        return Err(format!(
            "no argument of `{}` sends their value",
            origin.call.name()
        ));
    };
    if changes.iter().any(|c| c.argument.as_ref() != Some(new)) {
        return Err(format!(
            "the values `{}`'s argument sends were changed to different values",
            origin.call.name()
        ));
    }
    let changed: Vec<&str> = members
        .iter()
        .map(|&i| findings[i].pointer.as_str())
        .collect();
    let unchanged: Vec<String> = sources
        .sent_with(origin)
        .map(|(p, _)| p)
        .filter(|p| !changed.contains(&p.as_str()))
        .collect();
    if let Some(other) = unchanged.first() {
        let more = match unchanged.len() {
            1 => String::new(),
            n => format!(" and {} more", n - 1),
        };
        return Err(format!(
            "the same literal is also sent by {}{more}, unchanged there; rewriting it would change {} values",
            state_of(other),
            changed.len() + unchanged.len()
        ));
    }
    let was = first
        .ours
        .as_ref()
        .and_then(|v| origin.sent.argument(v))
        .ok_or("the compiled value is not what an argument sends")?;
    match files.argument(origin.loc, origin.call, origin.arg, origin.sent)? {
        Written::Literal {
            range,
            text,
            value,
            suffix,
        } => {
            if value != was {
                return Err(format!(
                    "the source has `{text}` there, not what was compiled ({was}): compile again"
                ));
            }
            let literal = rust_literal(new, &suffix)
                .ok_or_else(|| format!("no Rust literal writes {new}"))?;
            Ok(Edit {
                path: files.path(origin.loc.file),
                file: format!(
                    "{}:{}:{}",
                    origin.loc.file, origin.loc.line, origin.loc.column
                ),
                range,
                old: text,
                new: literal,
            })
        }
        Written::Built { what, fields } => Err(match setting(settings, &fields, &was) {
            Some(key) => format!("the value is the configuration setting {key}: change it there"),
            None => format!("the argument is {what}"),
        }),
    }
}

/// `state `Name`` of the state a pointer is in.
fn state_of(at: &str) -> String {
    let name = at
        .rsplit_once("/States/")
        .map_or(at, |(_, rest)| rest.split('/').next().unwrap_or(rest));
    let name = switchboard_asl::pointer::tokens(&format!("/{name}"))
        .and_then(|t| t.into_iter().next())
        .unwrap_or_else(|| name.to_owned());
    format!("state `{name}`")
}

/// `section.a.b (file:line:column)` when the configuration holds `value` at the flow's section
/// and `fields`.
fn setting(s: &Settings, fields: &[String], value: &Json) -> Option<String> {
    if fields.is_empty() {
        return None;
    }
    let mut path = vec![s.section.to_owned()];
    path.extend(fields.iter().cloned());
    let mut cur = &s.config.json;
    for p in &path {
        cur = cur.get(p)?;
    }
    (cur == value).then(|| format!("`{}` ({})", path.join("."), s.config.locate(&path)))
}

/// Rewrites the files: each literal once, later ones first. Every file is read and checked
/// before any is written; an edit whose literal overlaps another's is refused.
pub fn write(edits: &[Edit]) -> Result<(), String> {
    let mut by_file: BTreeMap<&PathBuf, Vec<&Edit>> = BTreeMap::new();
    for e in edits {
        by_file.entry(&e.path).or_default().push(e);
    }
    let mut rewritten = Vec::new();
    for (path, mut list) in by_file {
        list.sort_by_key(|e| std::cmp::Reverse(e.range.start));
        list.dedup_by(|a, b| a.range == b.range && a.new == b.new);
        if list.windows(2).any(|w| w[1].range.end > w[0].range.start) {
            return Err(format!(
                "{}: two rewrites overlap; nothing written",
                path.display()
            ));
        }
        let mut text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        for e in list {
            if text.get(e.range.clone()) != Some(e.old.as_str()) {
                return Err(format!(
                    "{}: the file changed since it was read; nothing written",
                    path.display()
                ));
            }
            text.replace_range(e.range.clone(), &e.new);
        }
        rewritten.push((path, text));
    }
    for (path, text) in rewritten {
        std::fs::write(path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    }
    Ok(())
}
