//! Registering flows: what `#[call_flow(name = "…")]` generates and the `compile` command reads.

use crate::ir::Flow;
use serde::de::DeserializeOwned;
use serde_json::Value as Json;

/// A flow entry point, implemented by `#[call_flow(name = "…")]` on a unit-like type that has the
/// flow function's name.
pub trait CallFlow {
    /// The flow's name: `dist/<NAME>.asl.json`.
    const NAME: &'static str;
    /// The configuration section the flow reads (default: its name).
    const SECTION: &'static str;
    /// The flow's configuration, filled at compile time (`()` when it takes none).
    type Config: DeserializeOwned;
    fn build(config: &Self::Config) -> Flow;
}

/// A registered flow, independent of its configuration type.
#[derive(Clone, Copy)]
pub struct FlowDef {
    pub name: &'static str,
    pub section: &'static str,
    build: fn(&Json) -> Result<Flow, ConfigError>,
}

impl std::fmt::Debug for FlowDef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FlowDef")
            .field("name", &self.name)
            .field("section", &self.section)
            .finish()
    }
}

impl FlowDef {
    pub fn of<F: CallFlow>() -> FlowDef {
        FlowDef {
            name: F::NAME,
            section: F::SECTION,
            build: build_with::<F>,
        }
    }
    /// Builds the flow's IR from its configuration section (`Json::Null` when absent).
    ///
    /// A section the configuration type cannot read, or one with keys it does not know, is an
    /// error naming each field ([`ConfigError`]).
    pub fn build(&self, section: &Json) -> Result<Flow, ConfigError> {
        (self.build)(section)
    }
}

/// What is wrong with a flow's configuration section: every problem, each at the path of the
/// field inside the section.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    /// The flow.
    pub flow: &'static str,
    /// Its configuration section.
    pub section: &'static str,
    pub problems: Vec<ConfigProblem>,
}

/// One problem of a configuration section.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigProblem {
    /// Keys from the section down to the field (empty for the section itself); array items are
    /// their index.
    pub path: Vec<String>,
    pub kind: ConfigProblemKind,
    /// What is wrong, in serde's words for [`ConfigProblemKind::Invalid`].
    pub message: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConfigProblemKind {
    /// The value cannot be read (wrong type, missing field, bad value).
    Invalid,
    /// The key is not a field of the configuration type: a typing mistake, or a setting that
    /// would be silently ignored.
    Unknown,
}

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (i, p) in self.problems.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            let mut key = vec![self.section.to_owned()];
            key.extend(p.path.iter().cloned());
            write!(f, "[{}]: {}", key.join("."), p.message)?;
        }
        Ok(())
    }
}

impl std::error::Error for ConfigError {}

fn build_with<F: CallFlow>(section: &Json) -> Result<Flow, ConfigError> {
    // An absent or empty section reads as an empty table (a configuration of optional fields,
    // and the error names the first missing field), else as nothing at all (a flow without
    // configuration, `()`); any other section reads as itself.
    let absent = section.is_null() || section.as_object().is_some_and(|m| m.is_empty());
    let empty = Json::Object(Default::default());
    let first = if absent { &empty } else { section };
    let mut result = read::<F::Config>(first, "this flow");
    if absent && result.is_err() {
        if let Ok(unit) = read::<F::Config>(&Json::Null, "this flow") {
            result = Ok(unit);
        }
    }
    match result {
        Ok(config) => Ok(F::build(&config)),
        Err(problems) => Err(ConfigError {
            flow: F::NAME,
            section: F::SECTION,
            problems,
        }),
    }
}

/// Reads a configuration, refusing keys the type does not read (`serde_ignored`) and naming
/// the field that fails (`serde_path_to_error`); `whose` words the unknown-key error ("this
/// flow"). The deploy step reads its `[stack]` sections
/// with it too, so both report problems the same way.
pub fn read<T: DeserializeOwned>(value: &Json, whose: &str) -> Result<T, Vec<ConfigProblem>> {
    let mut unknown = Vec::new();
    let mut note = |path: serde_ignored::Path| {
        unknown.push(ConfigProblem {
            path: ignored_path(&path),
            kind: ConfigProblemKind::Unknown,
            message: String::new(),
        });
    };
    let de = serde_ignored::Deserializer::new(value, &mut note);
    let result: Result<T, _> = serde_path_to_error::deserialize(de);
    let mut problems = Vec::new();
    let config = match result {
        Ok(c) => Some(c),
        Err(e) => {
            let path = e
                .path()
                .iter()
                .filter_map(|s| match s {
                    serde_path_to_error::Segment::Map { key } => Some(key.clone()),
                    serde_path_to_error::Segment::Seq { index } => Some(index.to_string()),
                    serde_path_to_error::Segment::Enum { variant } => Some(variant.clone()),
                    serde_path_to_error::Segment::Unknown => None,
                })
                .collect();
            problems.push(ConfigProblem {
                path,
                kind: ConfigProblemKind::Invalid,
                message: e.into_inner().to_string(),
            });
            None
        }
    };
    for mut p in unknown {
        p.message = format!(
            "`{}` is not a setting of {whose}: remove it or correct its spelling",
            p.path.last().map_or("", String::as_str)
        );
        problems.push(p);
    }
    match config {
        Some(c) if problems.is_empty() => Ok(c),
        _ => Err(problems),
    }
}

fn ignored_path(path: &serde_ignored::Path<'_>) -> Vec<String> {
    use serde_ignored::Path;
    let mut out = match path {
        Path::Root => return Vec::new(),
        Path::Seq { parent, .. }
        | Path::Map { parent, .. }
        | Path::Some { parent }
        | Path::NewtypeStruct { parent }
        | Path::NewtypeVariant { parent } => ignored_path(parent),
    };
    match path {
        Path::Seq { index, .. } => out.push(index.to_string()),
        Path::Map { key, .. } => out.push(key.clone()),
        _ => {}
    }
    out
}
