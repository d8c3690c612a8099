//! What a definition uses on AWS, read from its ASL: the tables and the DynamoDB actions on each,
//! the Lambda functions it invokes, the schedules it creates (and the role it passes to them), the
//! S3 prefixes PSTN audio plays from and records to, and whether it waits for the caller through
//! SQS. The deploy step derives each state machine's policy and the buckets' policies from this,
//! so it reads the definition as deployed, whatever wrote it: any definition works, compiled or
//! edited in Workflow Studio.
//!
//! A name is either written out (`"Voicemails"`) or a deploy-time value, `${Name}`, which
//! CloudFormation's `DefinitionSubstitutions` fills
//! (<https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-stepfunctions-statemachine.html#cfn-stepfunctions-statemachine-definitionsubstitutions>).
//! A name computed while the call runs (a JSONata `{% … %}` or a JSONPath `.$` field) cannot be
//! granted exactly: it is recorded in [`Uses::dynamic`] with the state it comes from, for the
//! deploy step to refuse or to resolve from what the configuration declares.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};
use switchboard::pstn::Action;
use switchboard::wire;
use switchboard_asl::{State, StateMachine, States};

/// What a definition uses. Every collection is ordered, so what is derived from it is
/// deterministic.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Uses {
    /// Table name → the DynamoDB actions called on it (IAM names: `GetItem`, `Query`, …).
    pub tables: BTreeMap<String, BTreeSet<String>>,
    /// Lambda functions invoked (`FunctionName` as written: a name or an ARN).
    pub functions: BTreeSet<String>,
    /// EventBridge Scheduler schedules created.
    pub schedules: BTreeSet<ScheduleUse>,
    /// Bucket → the S3 keys and prefixes PSTN audio plays from and records to for this flow.
    pub audio: BTreeMap<String, Audio>,
    /// Whether the flow sends PSTN audio actions through the router's per-call queue
    /// (`sqs:sendMessage`, with or without `.waitForTaskToken`).
    pub queue: bool,
    /// Names computed at run time, which no policy can name exactly.
    pub dynamic: Vec<Dynamic>,
    /// Task resources this module does not know how to grant.
    pub unknown: Vec<Unknown>,
}

/// A schedule the flow creates: the group it goes in (`default` when the call names none) and
/// the role EventBridge Scheduler assumes to run its target.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct ScheduleUse {
    pub group: String,
    pub role_arn: String,
    /// The target's ARN (for a universal target, `arn:aws:scheduler:::aws-sdk:<service>:<api>`).
    pub target: String,
}

/// The parts of one bucket PSTN audio reads and writes for a flow. A key ending in `/` is a
/// prefix.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Audio {
    pub play: BTreeSet<String>,
    pub record: BTreeSet<String>,
}

/// A resource name computed while the call runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dynamic {
    pub site: Site,
    /// What the name is: `"the bucket PlayAudio plays from"`, `"TableName"`, ….
    pub what: String,
    /// The expression, as written.
    pub expression: String,
}

/// A Task whose resource the deploy step cannot grant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unknown {
    pub site: Site,
    pub resource: String,
}

/// Where a use comes from: the state, and the Rust `file:line` its `Comment` names, if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Site {
    pub state: String,
    pub comment: Option<String>,
}

impl Site {
    /// `state "X" (workflows/src/flows/a.rs:12)`, for messages.
    pub fn describe(&self) -> String {
        match self.comment.as_deref().and_then(source_location) {
            Some(loc) => format!("state \"{}\" ({loc})", self.state),
            None => format!("state \"{}\"", self.state),
        }
    }
}

/// The `file.rs:line` a compiled state's `Comment` starts with.
fn source_location(comment: &str) -> Option<&str> {
    let first = comment.split_whitespace().next()?;
    let (file, line) = first.rsplit_once(':')?;
    (file.ends_with(".rs") && !line.is_empty() && line.bytes().all(|b| b.is_ascii_digit()))
        .then_some(first)
}

/// What the definition uses, over every state of every scope.
pub fn uses(machine: &StateMachine) -> Uses {
    let mut out = Uses::default();
    scan(&machine.states, &mut out);
    out
}

fn scan(states: &States, out: &mut Uses) {
    for (name, state) in states {
        if let State::Task(task) = state {
            let site = Site {
                state: name.clone(),
                comment: task.comment.clone(),
            };
            let args = task.arguments.as_ref().or(task.parameters.as_ref());
            task_uses(&task.resource, args, site, out);
        }
        for scope in state.scopes() {
            scan(scope.states, out);
        }
    }
}

/// The optimised DynamoDB integrations and the IAM action each needs
/// (<https://docs.aws.amazon.com/step-functions/latest/dg/connect-ddb.html>).
const DYNAMODB_OPTIMISED: [(&str, &str); 4] = [
    ("getItem", "GetItem"),
    ("putItem", "PutItem"),
    ("updateItem", "UpdateItem"),
    ("deleteItem", "DeleteItem"),
];

/// The DynamoDB API actions a flow may call through the AWS SDK integration, read-only or on
/// items of one table: each is an IAM action of the same name on the table
/// (<https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazondynamodb.html>).
const DYNAMODB_SDK: [&str; 8] = [
    "getItem",
    "putItem",
    "updateItem",
    "deleteItem",
    "query",
    "scan",
    "batchGetItem",
    "batchWriteItem",
];

fn task_uses(resource: &str, args: Option<&Value>, site: Site, out: &mut Uses) {
    let empty = Map::new();
    let args_map = args.and_then(Value::as_object).unwrap_or(&empty);
    if resource == wire::RESOURCE_SEND_AND_WAIT || resource == wire::RESOURCE_SEND {
        out.queue = true;
        if let Some(actions) = args
            .and_then(|a| a.pointer("/MessageBody/Actions"))
            .and_then(Value::as_array)
        {
            for action in actions {
                audio_uses(action, &site, out);
            }
        }
        return;
    }
    if let Some(api) = resource.strip_prefix("arn:aws:states:::dynamodb:") {
        if let Some((_, iam)) = DYNAMODB_OPTIMISED.iter().find(|(a, _)| *a == api) {
            table_use(args_map, iam, &site, out);
            return;
        }
    }
    if let Some(api) = resource.strip_prefix("arn:aws:states:::aws-sdk:dynamodb:") {
        if DYNAMODB_SDK.contains(&api) {
            table_use(args_map, &pascal(api), &site, out);
            return;
        }
    }
    // `lambda:invoke` and `lambda:invoke.waitForTaskToken`
    // (<https://docs.aws.amazon.com/step-functions/latest/dg/connect-lambda.html>).
    if resource == "arn:aws:states:::lambda:invoke"
        || resource == "arn:aws:states:::lambda:invoke.waitForTaskToken"
    {
        match field(args_map, "FunctionName") {
            Field::Static(f) => {
                out.functions.insert(f);
            }
            Field::Dynamic(e) => out.dynamic.push(Dynamic {
                site,
                what: "FunctionName".into(),
                expression: e,
            }),
            Field::Missing => out.unknown.push(Unknown {
                site,
                resource: resource.into(),
            }),
        }
        return;
    }
    if resource == "arn:aws:states:::aws-sdk:scheduler:createSchedule" {
        schedule_use(args_map, site, out);
        return;
    }
    out.unknown.push(Unknown {
        site,
        resource: resource.into(),
    });
}

fn table_use(args: &Map<String, Value>, action: &str, site: &Site, out: &mut Uses) {
    match field(args, "TableName") {
        Field::Static(t) => {
            out.tables.entry(t).or_default().insert(action.into());
        }
        Field::Dynamic(e) => out.dynamic.push(Dynamic {
            site: site.clone(),
            what: "TableName".into(),
            expression: e,
        }),
        Field::Missing => out.unknown.push(Unknown {
            site: site.clone(),
            resource: format!("dynamodb {action} without a TableName"),
        }),
    }
}

fn schedule_use(args: &Map<String, Value>, site: Site, out: &mut Uses) {
    let group = match field(args, "GroupName") {
        Field::Static(g) => g,
        Field::Missing => "default".into(),
        Field::Dynamic(e) => {
            return out.dynamic.push(Dynamic {
                site,
                what: "the schedule's GroupName".into(),
                expression: e,
            })
        }
    };
    let target = args.get("Target").and_then(Value::as_object);
    let empty = Map::new();
    let target = target.unwrap_or(&empty);
    let (role_arn, arn) = (field(target, "RoleArn"), field(target, "Arn"));
    match (role_arn, arn) {
        (Field::Static(role_arn), Field::Static(target)) => {
            out.schedules.insert(ScheduleUse {
                group,
                role_arn,
                target,
            });
        }
        (Field::Dynamic(e), _) | (_, Field::Dynamic(e)) => out.dynamic.push(Dynamic {
            site,
            what: "the schedule's Target".into(),
            expression: e,
        }),
        _ => out.unknown.push(Unknown {
            site,
            resource: "scheduler createSchedule without Target.RoleArn and Target.Arn".into(),
        }),
    }
}

/// The S3 objects a PSTN audio action reads or writes, by the service principal: played audio
/// (`PlayAudio`, `PlayAudioAndGetDigits`: `AudioSource`, `FailureAudioSource`), recordings
/// (`RecordAudio`: `RecordingDestination`; `StartCallRecording`: `Destination.Location`,
/// `bucket/prefix`).
fn audio_uses(action: &Value, site: &Site, out: &mut Uses) {
    let Some(kind) = action.get("Type").and_then(Value::as_str) else {
        return;
    };
    let Some(params) = action.get("Parameters").and_then(Value::as_object) else {
        return;
    };
    let mut play = |source: &Value, what: &str| {
        let Some(source) = source.as_object() else {
            return;
        };
        let bucket = field(source, "BucketName");
        let key = field(source, "Key");
        object_use(bucket, key, false, site, what, out);
    };
    match kind {
        Action::PLAY_AUDIO | Action::PLAY_AUDIO_AND_GET_DIGITS => {
            for (k, what) in [
                ("AudioSource", "the audio PlayAudio plays"),
                ("FailureAudioSource", "the failure audio"),
            ] {
                if let Some(source) = params.get(k) {
                    play(source, what);
                }
            }
        }
        Action::RECORD_AUDIO => {
            if let Some(dest) = params
                .get("RecordingDestination")
                .and_then(Value::as_object)
            {
                let bucket = field(dest, "BucketName");
                let prefix = match field(dest, "Prefix") {
                    Field::Missing => Field::Static(String::new()),
                    p => p,
                };
                object_use(
                    bucket,
                    prefix,
                    true,
                    site,
                    "the recording's destination",
                    out,
                );
            }
        }
        Action::START_CALL_RECORDING => {
            if let Some(dest) = params.get("Destination").and_then(Value::as_object) {
                match field(dest, "Location") {
                    Field::Static(loc) => {
                        let (bucket, prefix) = match loc.split_once('/') {
                            Some((b, p)) => (b.to_owned(), p.to_owned()),
                            None => (loc.clone(), String::new()),
                        };
                        object_use(
                            Field::Static(bucket),
                            Field::Static(prefix),
                            true,
                            site,
                            "the call recording's destination",
                            out,
                        );
                    }
                    Field::Dynamic(e) => out.dynamic.push(Dynamic {
                        site: site.clone(),
                        what: "the call recording's destination".into(),
                        expression: e,
                    }),
                    Field::Missing => {}
                }
            }
        }
        _ => {}
    }
}

/// Records a read (`record: false`) or a write under `key` of `bucket`; a recording's key is a
/// prefix, so it gets a trailing `/` when it has none (S3 keys written under `voicemail` are
/// `voicemail/…`: PSTN audio adds the separator).
fn object_use(bucket: Field, key: Field, record: bool, site: &Site, what: &str, out: &mut Uses) {
    let bucket = match bucket {
        Field::Static(b) => b,
        Field::Dynamic(e) => {
            return out.dynamic.push(Dynamic {
                site: site.clone(),
                what: format!("the bucket of {what}"),
                expression: e,
            })
        }
        Field::Missing => return,
    };
    let key = match key {
        Field::Static(k) if record && !k.is_empty() && !k.ends_with('/') => format!("{k}/"),
        Field::Static(k) => k,
        Field::Dynamic(e) => {
            return out.dynamic.push(Dynamic {
                site: site.clone(),
                what: format!("the key of {what} in bucket {bucket}"),
                expression: e,
            })
        }
        Field::Missing => return,
    };
    let audio = out.audio.entry(bucket).or_default();
    if record {
        audio.record.insert(key);
    } else {
        audio.play.insert(key);
    }
}

/// A field of a Task's arguments: a string written out, a value computed at run time, or absent.
enum Field {
    Static(String),
    Dynamic(String),
    Missing,
}

/// `name` in `args`, in JSONata (`"{% … %}"`) or JSONPath (`"name.$"`) form.
fn field(args: &Map<String, Value>, name: &str) -> Field {
    if let Some(path) = args.get(&format!("{name}.$")) {
        return Field::Dynamic(path.as_str().unwrap_or_default().to_owned());
    }
    match args.get(name) {
        Some(Value::String(s)) if s.trim_start().starts_with("{%") => Field::Dynamic(s.clone()),
        Some(Value::String(s)) => Field::Static(s.clone()),
        Some(other) => Field::Dynamic(other.to_string()),
        None => Field::Missing,
    }
}

/// `getItem` → `GetItem`.
fn pascal(api: &str) -> String {
    let mut c = api.chars();
    c.next()
        .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn machine(states: Value) -> StateMachine {
        serde_json::from_value(
            json!({"QueryLanguage": "JSONata", "StartAt": "A", "States": states}),
        )
        .unwrap()
    }

    #[test]
    fn optimised_and_sdk_dynamodb_calls_are_actions_on_their_table() {
        let m = machine(json!({
            "A": {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:putItem",
                  "Arguments": {"TableName": "${Messages}", "Item": {}}, "Next": "B"},
            "B": {"Type": "Task", "Resource": "arn:aws:states:::aws-sdk:dynamodb:query",
                  "Arguments": {"TableName": "${Messages}"}, "Next": "C"},
            "C": {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:getItem",
                  "Arguments": {"TableName": "Other", "Key": {}}, "End": true}
        }));
        let u = uses(&m);
        assert_eq!(
            u.tables,
            BTreeMap::from([
                (
                    "${Messages}".to_owned(),
                    BTreeSet::from(["PutItem".to_owned(), "Query".to_owned()])
                ),
                ("Other".to_owned(), BTreeSet::from(["GetItem".to_owned()])),
            ])
        );
        assert!(u.unknown.is_empty() && u.dynamic.is_empty(), "{u:?}");
    }

    #[test]
    fn audio_played_and_recorded_by_pstn_audio_is_per_bucket_and_prefix() {
        let m = machine(json!({
            "A": {"Type": "Task", "Resource": wire::RESOURCE_SEND_AND_WAIT, "Arguments": {
                "MessageBody": {"Actions": [
                    {"Type": "PlayAudio", "Parameters": {"AudioSource": {"Type": "S3", "BucketName": "b", "Key": "prompts/beep.wav"}}},
                    {"Type": "StartCallRecording", "Parameters": {"Destination": {"Type": "S3", "Location": "b/voicemail"}}},
                    {"Type": "RecordAudio", "Parameters": {"RecordingDestination": {"Type": "S3", "BucketName": "c", "Prefix": "scratch/"}}},
                    {"Type": "PlayAudio", "Parameters": {"AudioSource": {"Type": "S3", "BucketName": "{% $m.bucket %}", "Key": "{% $m.key %}"}}}
                ]}}, "End": true}
        }));
        let u = uses(&m);
        assert!(u.queue);
        assert_eq!(
            u.audio["b"].play,
            BTreeSet::from(["prompts/beep.wav".to_owned()])
        );
        assert_eq!(
            u.audio["b"].record,
            BTreeSet::from(["voicemail/".to_owned()])
        );
        assert_eq!(u.audio["c"].record, BTreeSet::from(["scratch/".to_owned()]));
        assert!(u.audio["c"].play.is_empty());
        assert_eq!(u.dynamic.len(), 1, "{u:?}");
        assert_eq!(u.dynamic[0].what, "the bucket of the audio PlayAudio plays");
        assert_eq!(u.dynamic[0].site.state, "A");
    }

    #[test]
    fn functions_schedules_and_unknown_resources_inside_parallel_branches() {
        let m = machine(json!({
            "A": {"Type": "Parallel", "Branches": [{"StartAt": "L", "States": {
                "L": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                      "Comment": "workflows/src/flows/x.rs:7 — notify",
                      "Arguments": {"FunctionName": "arn:aws:lambda:us-east-1:1:function:f"}, "Next": "S"},
                "S": {"Type": "Task", "Resource": "arn:aws:states:::aws-sdk:scheduler:createSchedule",
                      "Arguments": {"Name": "{% $n %}", "GroupName": "${Group}",
                                    "Target": {"Arn": "arn:aws:scheduler:::aws-sdk:chimesdkvoice:createSipMediaApplicationCall",
                                               "RoleArn": "${SchedulerRole}"}}, "Next": "U"},
                "U": {"Type": "Task", "Resource": "arn:aws:states:::aws-sdk:s3:getObject",
                      "Comment": "workflows/src/flows/x.rs:9 — read", "Arguments": {}, "End": true}
            }}], "End": true}
        }));
        let u = uses(&m);
        assert_eq!(
            u.functions,
            BTreeSet::from(["arn:aws:lambda:us-east-1:1:function:f".to_owned()])
        );
        assert_eq!(
            u.schedules.iter().next().map(|s| (&*s.group, &*s.role_arn)),
            Some(("${Group}", "${SchedulerRole}"))
        );
        assert_eq!(u.unknown.len(), 1);
        assert_eq!(
            u.unknown[0].site.describe(),
            "state \"U\" (workflows/src/flows/x.rs:9)"
        );
        assert!(!u.queue);
    }

    #[test]
    fn jsonpath_fields_ending_in_dollar_are_computed_at_run_time() {
        let m: StateMachine = serde_json::from_value(json!({"StartAt": "A", "States": {
            "A": {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:getItem",
                  "Parameters": {"TableName.$": "$.table", "Key": {}}, "End": true}}}))
        .unwrap();
        let u = uses(&m);
        assert!(u.tables.is_empty());
        assert_eq!(u.dynamic[0].expression, "$.table");
    }
}
