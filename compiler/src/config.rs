//! The configuration compiled into the flows: `switchboard.toml` (or a JSON file), `--set`
//! overrides, and where each setting was written, so that an error names the file, the line and
//! the field.

use serde_json::Value as Json;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use switchboard::{ConfigError, ConfigProblem, ConfigProblemKind, FlowDef};

/// Loaded configuration: one table per flow section.
#[derive(Debug, Clone, Default)]
pub struct Config {
    /// The settings, as JSON.
    pub json: Json,
    file: Option<PathBuf>,
    /// Where each key was written: its dotted path → line and column in `file`, or the
    /// `--set` that wrote it.
    origins: BTreeMap<Vec<String>, Origin>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Origin {
    Line(usize, usize),
    Set(String),
}

impl Config {
    /// No file: every section absent.
    pub fn empty() -> Config {
        Config {
            json: Json::Object(Default::default()),
            ..Config::default()
        }
    }

    /// Loads a configuration file: TOML, or JSON when its extension is `.json`.
    pub fn load(path: &Path) -> Result<Config, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read config file {}: {e}", path.display()))?;
        let mut config = Config {
            file: Some(path.to_owned()),
            ..Config::default()
        };
        if path.extension().and_then(|e| e.to_str()) == Some("json") {
            config.json = serde_json::from_str(&text)
                .map_err(|e| format!("{}:{}:{}: {e}", path.display(), e.line(), e.column()))?;
            return Ok(config);
        }
        let at = |offset: usize| {
            let (l, c) = line_col(&text, offset);
            format!("{}:{l}:{c}", path.display())
        };
        let value: toml::Value = toml::from_str(&text).map_err(|e| {
            let place = e.span().map_or(path.display().to_string(), |s| at(s.start));
            format!("{place}: {}", e.message())
        })?;
        // The same text parses again with spans: the side table of where each key is.
        if let Ok(table) = toml::de::DeTable::parse(&text) {
            let mut walk = Vec::new();
            spans(table.get_ref(), &mut walk, &text, &mut config.origins);
        }
        config.json =
            serde_json::to_value(value).map_err(|e| format!("{}: {e}", path.display()))?;
        Ok(config)
    }

    /// Applies `--set section.field=value` (value parsed as JSON when it is valid JSON, else
    /// kept as a string; dots make nested tables).
    pub fn set(&mut self, assignment: &str) -> Result<(), String> {
        let (key, value) = assignment
            .split_once('=')
            .ok_or_else(|| format!("--set {assignment}: write --set section.field=value"))?;
        let path: Vec<&str> = key.trim().split('.').collect();
        if path.iter().any(|p| p.is_empty()) {
            return Err(format!(
                "--set {assignment}: `{key}` is not a dotted key like section.field"
            ));
        }
        let value = serde_json::from_str(value).unwrap_or_else(|_| Json::String(value.to_owned()));
        let mut cur = &mut self.json;
        for (i, p) in path.iter().enumerate() {
            if !cur.is_object() {
                *cur = Json::Object(Default::default());
            }
            let obj = cur
                .as_object_mut()
                .ok_or_else(|| format!("--set {assignment}: cannot set inside a non-table"))?;
            if i + 1 == path.len() {
                obj.insert((*p).to_owned(), value);
                break;
            }
            cur = obj
                .entry((*p).to_owned())
                .or_insert_with(|| Json::Object(Default::default()));
        }
        let owned: Vec<String> = path.iter().map(|p| (*p).to_owned()).collect();
        self.origins
            .insert(owned, Origin::Set(format!("--set {assignment}")));
        Ok(())
    }

    /// A flow's section (`Json::Null` when absent).
    pub fn section(&self, name: &str) -> Json {
        self.json.get(name).cloned().unwrap_or(Json::Null)
    }

    /// Where the setting at `path` was written, as precisely as known: `file:line:col` of the
    /// key (or of its nearest enclosing table), the `--set` that wrote it, or the file alone.
    pub fn locate(&self, path: &[String]) -> String {
        for n in (1..=path.len()).rev() {
            match self.origins.get(&path[..n]) {
                Some(Origin::Set(s)) => return s.clone(),
                Some(Origin::Line(l, c)) => {
                    let file = self.file.as_deref().unwrap_or(Path::new("<config>"));
                    return format!("{}:{l}:{c}", file.display());
                }
                None => {}
            }
        }
        match &self.file {
            Some(f) => f.display().to_string(),
            None => "(no config file)".to_owned(),
        }
    }

    /// One line per problem of a flow's section: where, which field, what is wrong, what to do.
    pub fn explain(&self, e: &ConfigError) -> Vec<String> {
        self.explain_problems(
            &format!("flow `{}`", e.flow),
            &[e.section.to_owned()],
            &e.problems,
        )
    }

    /// One line per problem of the table at `section`, read for `owner` (`flow `x``,
    /// `stack `y``): where, which field, what is wrong, what to do.
    pub fn explain_problems(
        &self,
        owner: &str,
        section: &[String],
        problems: &[ConfigProblem],
    ) -> Vec<String> {
        problems
            .iter()
            .map(|p| {
                let mut path = section.to_vec();
                path.extend(p.path.iter().cloned());
                let key = path.join(".");
                let hint = match p.kind {
                    ConfigProblemKind::Unknown => String::new(),
                    ConfigProblemKind::Invalid => match missing_field(&p.message) {
                        Some(field) => format!(
                            "; add `{field} = …` to [{key}] or pass --set {key}.{field}=<value>"
                        ),
                        None => {
                            format!("; correct it in the config file or pass --set {key}=<value>")
                        }
                    },
                };
                format!(
                    "{}: {owner}: [{key}]: {}{hint}",
                    self.locate(&path),
                    p.message
                )
            })
            .collect()
    }

    /// Top-level keys that are no flow's section: each is an error, or it would be silently
    /// ignored.
    pub fn unknown_sections(&self, flows: &[FlowDef], others: &[&str]) -> Vec<String> {
        let Some(top) = self.json.as_object() else {
            return vec![format!(
                "{}: the configuration must be a table of sections, one per flow",
                self.locate(&[])
            )];
        };
        let mut known: Vec<&str> = flows
            .iter()
            .map(|f| f.section)
            .chain(others.iter().copied())
            .collect();
        known.sort_unstable();
        known.dedup();
        top.keys()
            .filter(|k| !known.contains(&k.as_str()))
            .map(|k| {
                format!(
                    "{}: [{k}] is not the configuration of any flow: remove it or correct its name (the sections are {})",
                    self.locate(std::slice::from_ref(k)),
                    known.join(", ")
                )
            })
            .collect()
    }
}

/// The field serde's `Error::missing_field` names. Its message is fixed by serde
/// (`missing field `name``, serde::de::Error::missing_field's default), the only place the
/// field's name is given.
fn missing_field(message: &str) -> Option<&str> {
    message
        .strip_prefix("missing field `")
        .and_then(|rest| rest.split('`').next())
}

fn spans(
    table: &toml::de::DeTable<'_>,
    path: &mut Vec<String>,
    text: &str,
    out: &mut BTreeMap<Vec<String>, Origin>,
) {
    for (key, value) in table {
        path.push(key.get_ref().to_string());
        let (l, c) = line_col(text, key.span().start);
        out.insert(path.clone(), Origin::Line(l, c));
        value_spans(value.get_ref(), path, text, out);
        path.pop();
    }
}

fn value_spans(
    value: &toml::de::DeValue<'_>,
    path: &mut Vec<String>,
    text: &str,
    out: &mut BTreeMap<Vec<String>, Origin>,
) {
    match value {
        toml::de::DeValue::Table(t) => spans(t, path, text, out),
        toml::de::DeValue::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                path.push(i.to_string());
                let (l, c) = line_col(text, item.span().start);
                out.insert(path.clone(), Origin::Line(l, c));
                value_spans(item.get_ref(), path, text, out);
                path.pop();
            }
        }
        _ => {}
    }
}

fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let col = before
        .rsplit('\n')
        .next()
        .map(|l| l.chars().count())
        .unwrap_or(0)
        + 1;
    (line, col)
}
