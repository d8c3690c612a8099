//! Scenario files: a call, the flow's world, a script of what the caller and the network do,
//! and what must be heard and done. The format is documented with a complete example in
//! the README ("Testing flows offline: scenarios").
//!
//! [`Scenario::load`] reads a YAML file strictly (unknown fields are errors) and every error
//! names the file, the line and the field; [`Scenario::run`] runs it through the
//! [`crate::pstn::Simulator`] and checks the expectations.

mod expect;
mod failure;
mod run;
mod validate;
mod yaml;

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde_json::{Map, Value};
use switchboard::Zone;

use crate::pstn::{Direction, Seconds, Step};

pub use failure::{Failure, Site};
pub use run::{deploy_time_offline, resolve_flow, Outcome};
pub use validate::ACTION_TYPES;

/// A scenario file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// What the scenario shows (defaults to the file name).
    #[serde(default)]
    pub name: Option<String>,
    /// The flow: a name (`dist/<name>.asl.json`) or a path to an `.asl.json` file, relative to
    /// the scenario file.
    #[serde(default)]
    pub flow: Option<String>,
    /// Text replaced in the definition before it is parsed (what a deploy step fills in).
    #[serde(default)]
    pub substitute: BTreeMap<String, String>,
    /// Values set in the definition before it runs, by JSON Pointer
    /// (`/States/Init/Assign/BusinessInfo/OwnerPersonalPhoneNumber`): what a deploy step fills
    /// in where one placeholder stands for several values.
    #[serde(default)]
    pub set: BTreeMap<String, Value>,
    /// The call (or use `calls` for several).
    #[serde(default)]
    pub call: Option<CallDef>,
    /// DynamoDB tables.
    #[serde(default)]
    pub tables: Vec<TableDef>,
    /// S3 buckets (buckets of `objects` are created too).
    #[serde(default)]
    pub buckets: Vec<String>,
    /// S3 objects (prompts, earlier recordings).
    #[serde(default)]
    pub objects: Vec<ObjectDef>,
    /// Lambda functions, by name.
    #[serde(default)]
    pub lambdas: BTreeMap<String, LambdaDef>,
    /// What the caller and the network do, in order.
    #[serde(default)]
    pub script: Vec<Step>,
    /// What must hold afterwards (after every call, with `calls`).
    #[serde(default)]
    pub expect: Expect,
    /// Several calls, in order, on one world and one clock (instead of `call` and `script`).
    #[serde(default)]
    pub calls: Vec<CallRun>,
    /// The file it came from (set by [`Scenario::load`]).
    #[serde(skip)]
    pub path: PathBuf,
    /// Its text, for pointing at lines.
    #[serde(skip)]
    pub text: String,
}

/// The call of a scenario.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CallDef {
    /// `inbound` (default) or `outbound`.
    #[serde(default = "inbound")]
    pub direction: Direction,
    /// Caller's number (E.164).
    pub from: String,
    /// Called number (E.164).
    pub to: String,
    /// `ArgumentsMap` of an outbound call.
    #[serde(default)]
    pub arguments: Map<String, Value>,
    /// Local start time, `YYYY-MM-DD HH:MM[:SS]`, in `time_zone` (first call: default
    /// 2025-01-06 10:00; later calls: when the one before ended).
    #[serde(default)]
    pub at: Option<String>,
    /// IANA time zone of `at` (default `UTC`).
    #[serde(default = "Zone::utc")]
    pub time_zone: Zone,
    /// The caller hangs up this long after the call starts, whatever happens.
    #[serde(default)]
    pub hang_up_after: Option<Seconds>,
    /// How long the caller waits when nothing happens before hanging up (default 30 s).
    #[serde(default = "default_patience")]
    pub patience: Seconds,
    /// Seed of the simulated random generator (`$random`, `$uuid`, retry jitter); default 1.
    /// The first call's seed serves the whole scenario.
    #[serde(default)]
    pub seed: Option<u64>,
}

/// One of several calls of a scenario: what it is, what the people on the phone do, and what
/// must hold once it (and the calls it placed) is over.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CallRun {
    /// What this call shows, for messages.
    #[serde(default)]
    pub name: Option<String>,
    pub call: CallDef,
    #[serde(default)]
    pub script: Vec<Step>,
    #[serde(default)]
    pub expect: Expect,
}

fn inbound() -> Direction {
    Direction::Inbound
}
/// Where the simulated clock starts when the first call has no `at`.
pub const DEFAULT_AT: &str = "2025-01-06 10:00";
fn default_patience() -> Seconds {
    Seconds(30)
}

/// A DynamoDB table and its first items.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TableDef {
    pub name: String,
    pub partition_key: String,
    #[serde(default)]
    pub sort_key: Option<String>,
    /// Items in DynamoDB JSON (`{"Tag": {"S": "+1…"}}`).
    #[serde(default)]
    pub items: Vec<Map<String, Value>>,
}

/// An S3 object.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ObjectDef {
    pub bucket: String,
    pub key: String,
    /// How long it plays (audio), default 1 s.
    #[serde(default)]
    pub seconds: Option<Seconds>,
    /// Its content (text), default empty.
    #[serde(default)]
    pub body: String,
}

/// A Lambda function stub: exactly one of its fields.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "snake_case")]
pub enum LambdaDef {
    /// Returns this value.
    Returns(Value),
    /// Fails with this error type and message.
    Fails { error: String, message: String },
    /// Places an outbound call (`CreateSipMediaApplicationCall`) from and to the numbers in
    /// these fields of its event; the event's other string fields become the call's arguments.
    PlacesCall { from: String, to: String },
}

/// Expectations. Every field is optional; absent ones are not checked.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Expect {
    /// Texts heard on any leg, in this order (each contained in something spoken or played).
    #[serde(default)]
    pub heard: Vec<String>,
    /// Texts never heard on any leg.
    #[serde(default)]
    pub not_heard: Vec<String>,
    /// What each leg heard and what ran on it.
    #[serde(default)]
    pub legs: Legs,
    /// Action types run, in this order (others may come between).
    #[serde(default)]
    pub actions: Vec<String>,
    /// Action types that must not run, on any leg.
    #[serde(default)]
    pub actions_not_run: Vec<String>,
    /// A `CallAndBridge` called this number.
    #[serde(default)]
    pub bridged_to: Option<String>,
    /// Whether a recording was saved to S3.
    #[serde(default)]
    pub recording_saved: Option<bool>,
    /// Items that must be in tables.
    #[serde(default)]
    pub items: Vec<ItemExpect>,
    /// Items that must not be in tables.
    #[serde(default)]
    pub absent_items: Vec<ItemExpect>,
    /// S3 objects that must exist, at least this long.
    #[serde(default)]
    pub objects: Vec<ObjectExpect>,
    /// S3 objects that must not exist.
    #[serde(default)]
    pub absent_objects: Vec<ObjectExpect>,
    /// How many schedules the flow created.
    #[serde(default)]
    pub schedules_created: Option<usize>,
    /// How many calls took place (scheduled calls included).
    #[serde(default)]
    pub calls: Option<usize>,
    /// Status of the last call's execution: `succeeded`, `failed` or `running`.
    #[serde(default)]
    pub status: Option<String>,
    /// Error of the last call's execution.
    #[serde(default)]
    pub error: Option<String>,
    /// Top-level variables of the last call's execution.
    #[serde(default)]
    pub variables: Map<String, Value>,
    /// At most this many billed state transitions (all executions).
    #[serde(default)]
    pub max_transitions: Option<u64>,
    /// At most this many round trips to the caller (all executions).
    #[serde(default)]
    pub max_round_trips: Option<u64>,
}

/// Expectations about one leg: `LEG-A` is the caller of an inbound call and the called party
/// of an outbound call; `LEG-B` is whoever a `CallAndBridge` reached.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LegExpect {
    /// Texts this leg heard, in this order.
    #[serde(default)]
    pub heard: Vec<String>,
    /// Texts this leg never heard.
    #[serde(default)]
    pub not_heard: Vec<String>,
    /// Action types run on this leg, in this order (others may come between).
    #[serde(default)]
    pub actions: Vec<String>,
    /// Action types that must not run on this leg.
    #[serde(default)]
    pub actions_not_run: Vec<String>,
}

/// `legs:` of an expectation.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Legs {
    #[serde(rename = "LEG-A", default)]
    pub a: Option<LegExpect>,
    #[serde(rename = "LEG-B", default)]
    pub b: Option<LegExpect>,
}

impl Legs {
    /// `(tag, expectation)` of each leg named.
    pub fn named(&self) -> Vec<(&'static str, &LegExpect)> {
        [
            (switchboard::wire::LEG_A, self.a.as_ref()),
            (switchboard::wire::LEG_B, self.b.as_ref()),
        ]
        .into_iter()
        .filter_map(|(t, e)| e.map(|e| (t, e)))
        .collect()
    }
}

/// Items of a table whose attributes of `with` have these plain values: at least one
/// (`items`), none (`absent_items`), or exactly `count`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ItemExpect {
    pub table: String,
    #[serde(default)]
    pub with: Map<String, Value>,
    /// Exactly this many such items (`items` only).
    #[serde(default)]
    pub count: Option<usize>,
    /// Only items whose attribute names an S3 object that plays this long count (`items`
    /// only): a message someone can listen to.
    #[serde(default)]
    pub object: Option<ItemObject>,
}

/// The S3 object an item names: `key_attribute` holds its key (or `s3://bucket/key`, or
/// `bucket/key`) in `bucket`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ItemObject {
    pub bucket: String,
    #[serde(default = "key_attribute")]
    pub key_attribute: String,
    #[serde(default)]
    pub min_seconds: Option<f64>,
}

fn key_attribute() -> String {
    "key".into()
}

/// S3 objects: the one at `key`, or any under `key_prefix`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ObjectExpect {
    pub bucket: String,
    #[serde(default)]
    pub key: Option<String>,
    #[serde(default)]
    pub key_prefix: Option<String>,
    /// It plays at least this long (`objects` only): a recording someone can listen to.
    #[serde(default)]
    pub min_seconds: Option<f64>,
}

/// A scenario that cannot be read or set up: the file, the line and what to write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScenarioError {
    pub path: PathBuf,
    pub line: Option<usize>,
    pub message: String,
}

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(l) => write!(f, "{}:{l}: {}", self.path.display(), self.message),
            None => write!(f, "{}: {}", self.path.display(), self.message),
        }
    }
}

impl std::error::Error for ScenarioError {}

impl Scenario {
    /// Read and check a scenario file.
    pub fn load(path: &Path) -> Result<Scenario, ScenarioError> {
        let text = std::fs::read_to_string(path).map_err(|e| ScenarioError {
            path: path.into(),
            line: None,
            message: format!("cannot read the scenario: {e}"),
        })?;
        Scenario::parse(path, &text)
    }

    /// Parse scenario `text` (named `path` in errors).
    pub fn parse(path: &Path, text: &str) -> Result<Scenario, ScenarioError> {
        let mut s = yaml::from_yaml(text).map_err(|(line, message)| ScenarioError {
            path: path.into(),
            line,
            message: format!(
                "{message} (the format is in the README, \"Testing flows offline: scenarios\")"
            ),
        })?;
        s.path = path.into();
        s.text = text.into();
        s.validate()?;
        Ok(s)
    }

    /// The scenario's name: its `name`, else the file stem.
    pub fn title(&self) -> String {
        self.name.clone().unwrap_or_else(|| {
            self.path
                .file_stem()
                .map_or_else(|| "scenario".into(), |s| s.to_string_lossy().into_owned())
        })
    }

    /// An error about `field` (`call.time_zone`, `expect.objects.key`), pointing at the line
    /// that holds its key (or its closest parent's).
    pub fn error(&self, field: &str, message: impl Into<String>) -> ScenarioError {
        ScenarioError {
            path: self.path.clone(),
            line: self.line_of(field, 1),
            message: format!("{field}: {}", message.into()),
        }
    }

    /// The line (1-based) of `field`'s key at or after line `from`: each dotted part is looked
    /// for after the line of the one before (block or flow style); the last part found wins.
    pub(crate) fn line_of(&self, field: &str, from: usize) -> Option<usize> {
        let lines: Vec<&str> = self.text.lines().collect();
        let mut at: Option<usize> = None;
        let mut next = from.max(1) - 1;
        for part in field.split('.') {
            let part = part.split('[').next().unwrap_or(part);
            let found = lines.iter().enumerate().skip(next).find(|(_, l)| {
                let t = l.trim_start().trim_start_matches("- ");
                t.starts_with(&format!("{part}:"))
                    || [" ", "{", ","]
                        .iter()
                        .any(|p| t.contains(&format!("{p}{part}:")))
            });
            match found {
                Some((i, _)) => {
                    at = Some(i + 1);
                    next = i;
                }
                None => break,
            }
        }
        at
    }
}
