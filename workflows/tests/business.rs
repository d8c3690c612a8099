//! The business-phone app: a snapshot of its compiled definition with the repository's
//! configuration, what the definition must contain (and must not), and the configuration errors
//! a newcomer gets for each kind of mistake, before any ASL is written.
//!
//! Regenerate the snapshot with `INSTA_UPDATE=always cargo test -p switchboard-workflows --test
//! business`, read the diff, commit.

use serde_json::Value as Json;
use std::path::Path;
use switchboard::FlowDef;
use switchboard_compiler::config::Config;
use switchboard_compiler::{compile_flow, Compiled};
use switchboard_workflows::flows::business::business_phone;

fn repo_config() -> Json {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("switchboard.toml");
    Config::load(&path)
        .expect("switchboard.toml loads")
        .section("business-phone")
}

fn compile(section: &Json) -> Result<Compiled, String> {
    let flow = FlowDef::of::<business_phone>()
        .build(section)
        .map_err(|e| e.to_string())?;
    if !flow.errors.is_empty() {
        return Err(format!("{:?}", flow.errors));
    }
    compile_flow(&flow).map_err(|e| {
        e.iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("\n")
    })
}

fn with(field: &str, value: Json) -> Json {
    let mut c = repo_config();
    let mut cur = &mut c;
    let path: Vec<&str> = field.split('.').collect();
    for p in &path[..path.len() - 1] {
        cur = &mut cur[*p];
    }
    match value {
        Json::Null => {
            cur.as_object_mut().unwrap().remove(path[path.len() - 1]);
        }
        v => cur[path[path.len() - 1]] = v,
    }
    c
}

fn error_for(field: &str, value: Json) -> String {
    match compile(&with(field, value.clone())) {
        Ok(_) => panic!("{field} = {value} was accepted"),
        Err(e) => e,
    }
}

#[test]
fn definition_snapshot() {
    let c = compile(&repo_config()).unwrap();
    let again = compile(&repo_config()).unwrap();
    assert_eq!(c.json, again.json, "compiling twice gives the same bytes");
    insta::assert_snapshot!("business-phone", c.json);
}

#[test]
fn the_pin_hash_stays_out_of_the_definition_and_schedules_need_no_lambda() {
    let cfg = repo_config();
    let c = compile(&cfg).unwrap();
    let json: Json = serde_json::from_str(&c.json).unwrap();
    let text = c.json.as_str();
    // The hash of the scenarios' PIN (2468) lives in the table, read at run time.
    assert!(!text.contains("50c94e8164cba9be3abb34a37e3a0a624f1eda7794c94b3712337efab392cf33"));
    assert!(text.contains("$hash("), "the PIN is compared by hash");
    assert!(
        text.contains("+12125550100#owner"),
        "the PIN item is read from the owner's partition"
    );
    assert!(
        !text.contains("lambda:invoke"),
        "no Lambda function places calls"
    );
    let states = json["States"].as_object().unwrap();
    let schedule = states
        .values()
        .find(|s| s["Resource"] == "arn:aws:states:::aws-sdk:scheduler:createSchedule")
        .expect("a createSchedule task");
    let args = &schedule["Arguments"];
    assert_eq!(
        args["Target"]["Arn"],
        "arn:aws:scheduler:::aws-sdk:chimesdkvoice:createSipMediaApplicationCall"
    );
    assert_eq!(args["ActionAfterCompletion"], "DELETE");
    assert_eq!(args["ScheduleExpressionTimezone"], cfg["timezone"]);
    // Every message is its own item (a sort key), retrieval is newest first.
    assert!(states.values().any(
        |s| s["Resource"] == "arn:aws:states:::aws-sdk:dynamodb:query"
            && s["Arguments"]["ScanIndexForward"] == false
    ));
    // The owner's phone is rung with the business number as caller ID.
    let bridges: Vec<&Json> = states
        .values()
        .flat_map(|s| {
            s["Arguments"]["MessageBody"]["Actions"]
                .as_array()
                .into_iter()
                .flatten()
        })
        .filter(|a| a["Type"] == "CallAndBridge")
        .collect();
    assert_eq!(bridges.len(), 3, "owner, customer now, scheduled customer");
    assert!(bridges
        .iter()
        .all(|b| b["Parameters"]["CallerIdNumber"] == cfg["number"]));
}

#[test]
fn missing_values_are_named() {
    for field in [
        "name",
        "number",
        "owner",
        "timezone",
        "hours",
        "table",
        "bucket",
        "scheduler_role_arn",
    ] {
        let e = error_for(field, Json::Null);
        assert!(
            e.contains(&format!("missing field `{field}`")),
            "{field}: {e}"
        );
    }
}

#[test]
fn invalid_values_say_what_to_write() {
    let cases: &[(&str, Json, &str)] = &[
        ("number", "2125550100".into(), "not an E.164 phone number"),
        (
            "owner",
            "+1 212 555 0199".into(),
            "not an E.164 phone number",
        ),
        (
            "owner",
            "+12125550100".into(),
            "must differ from the business number",
        ),
        ("pin_attempts", 0.into(), "allow 1 to 9 attempts"),
        ("pin_lockout_after", 0.into(), "1 to 20 wrong PINs"),
        ("pin_lockout_minutes", 5000.into(), "1 to 1440 minutes"),
        // The PIN is not configuration any more: its hash must not be left in a config file.
        ("pin_hash", "2468".into(), "unknown field `pin_hash`"),
        ("timezone", "-0500".into(), "wrong half the year"),
        (
            "timezone",
            "Mars/Olympus_Mons".into(),
            "unknown time zone \"Mars/Olympus_Mons\": use an IANA name",
        ),
        (
            "hours.monday",
            serde_json::json!(["9:00", "17:00"]),
            "\"HH:MM\"",
        ),
        (
            "hours.monday",
            serde_json::json!(["17:00", "09:00"]),
            "before the closing time",
        ),
        (
            "hours.monday",
            serde_json::json!(["09:00"]),
            "write two times",
        ),
        (
            "hours.someday",
            serde_json::json!(["09:00", "17:00"]),
            "unknown field `someday`",
        ),
        ("bucket", "Acme_Bucket".into(), "not an S3 bucket name"),
        ("table", "x".into(), "not a DynamoDB table name"),
        (
            "scheduler_role_arn",
            "BusinessPhoneScheduler".into(),
            "not an IAM role ARN",
        ),
        ("ring_seconds", 500.into(), "ring_for"),
        ("name", "".into(), "empty text"),
    ];
    for (field, value, expected) in cases {
        let e = error_for(field, value.clone());
        assert!(e.contains(expected), "{field} = {value}: {e}");
    }
}

/// Phone numbers follow the one E.164 rule (`switchboard::pstn::E164`: `+`, 7 to 15 digits,
/// the first not 0); this configuration used to demand 8 digits at least.
#[test]
fn phone_numbers_follow_the_one_e164_rule() {
    assert!(
        compile(&with("owner", "+6834002".into())).is_ok(),
        "7 digits"
    );
    assert!(
        compile(&with("owner", "+123456789012345".into())).is_ok(),
        "15 digits"
    );
    for bad in ["+683400", "+1234567890123456", "+0123456789"] {
        let e = error_for("owner", bad.into());
        assert!(
            e.contains("not an E.164 phone number") && e.contains("7 to 15 digits"),
            "{bad}: {e}"
        );
    }
}

#[test]
fn a_closed_week_is_refused() {
    let mut c = repo_config();
    c["hours"] = serde_json::json!({});
    let e = compile(&c).err().expect("refused");
    assert!(e.contains("no day is open"), "{e}");
}

#[test]
fn opening_hours_are_spoken_grouped() {
    let flow = FlowDef::of::<business_phone>()
        .build(&repo_config())
        .unwrap();
    let c = compile_flow(&flow).unwrap();
    assert!(
        c.json
            .contains("Our hours are Monday to Friday, 9 AM to 5 PM; Saturday, 10 AM to 2 PM."),
        "the closed greeting lists the hours"
    );
}

/// A caller who hangs up at any step ends the execution cleanly: every state that waits for the
/// caller catches `HANGUP`, and from there nothing talks to the caller again (only service calls
/// and decisions, e.g. filing a message left by hanging up) and every path ends in a `Succeed`
/// state — except from the error handler's apology (the flow has already failed there).
#[test]
fn a_hang_up_at_any_step_ends_in_succeed() {
    let c = compile(&repo_config()).unwrap();
    let json: Json = serde_json::from_str(&c.json).unwrap();
    let states = json["States"].as_object().unwrap();
    let waits = |s: &Json| s["Resource"] == "arn:aws:states:::sqs:sendMessage.waitForTaskToken";
    let mut waiting = 0;
    // A response that ends by hanging up the caller is answered by their HANGUP: the flow goes
    // on from there (e.g. to `fail` after telling the owner the line is not set up).
    let hangs_up = |s: &Json| {
        s["Arguments"]["MessageBody"]["Actions"]
            .as_array()
            .and_then(|a| a.last())
            .is_some_and(|a| a["Type"] == "Hangup")
    };
    for (name, s) in states {
        if !waits(s) || hangs_up(s) || name == "Apologise and hang up" {
            continue;
        }
        waiting += 1;
        let target = s["Catch"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|c| {
                c["ErrorEquals"]
                    .as_array()
                    .unwrap()
                    .contains(&"HANGUP".into())
            })
            .and_then(|c| c["Next"].as_str())
            .unwrap_or_else(|| panic!("`{name}` does not catch HANGUP"));
        // Every normal path from the target (Next, Default, Choice rules; not failures).
        let mut todo = vec![target];
        let mut seen = std::collections::BTreeSet::new();
        while let Some(t) = todo.pop() {
            if !seen.insert(t) {
                continue;
            }
            let st = &states[t];
            assert!(
                !waits(st),
                "`{name}`: after a hang-up `{t}` talks to the caller"
            );
            let mut next: Vec<&str> = st["Choices"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|r| r["Next"].as_str())
                .collect();
            next.extend(st["Next"].as_str());
            next.extend(st["Default"].as_str());
            if next.is_empty() {
                assert_eq!(st["Type"], "Succeed", "`{name}`: a hang-up ends in `{t}`");
            }
            todo.extend(next);
        }
    }
    assert!(waiting >= 20, "only {waiting} waiting states");
}

/// The item `deploy` writes for the owner's PIN (`[stack.business.secrets.owner-pin]`) is the one
/// the owner's call reads: the same item the scenarios seed for PIN 2468, which they prove the
/// flow accepts (owner-wrong-then-right-pin) — so a change to the flow's key or hash that the
/// configuration does not follow fails here, not on the owner's first call.
#[test]
fn deploy_writes_the_pin_item_the_owner_scenarios_prove_the_flow_accepts() {
    use switchboard_stack::secret::Attribute;
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("switchboard.toml");
    let config = Config::load(&path).unwrap();
    let stacks = switchboard_stack::config::stacks(&config).unwrap();
    let secret = &stacks["business"].secrets["owner-pin"];
    let written: serde_json::Map<String, Json> = secret
        .item("+12125550100", "2468")
        .into_iter()
        .map(|(name, value)| {
            let v = match value {
                Attribute::S(s) => serde_json::json!({ "S": s }),
                Attribute::N(n) => serde_json::json!({ "N": n }),
                Attribute::Bool(b) => serde_json::json!({ "BOOL": b }),
            };
            (name, v)
        })
        .collect();
    let scenario = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("scenarios/business-phone/owner-wrong-then-right-pin.yaml"),
    )
    .unwrap();
    let line = scenario
        .lines()
        .find(|l| l.contains("#owner\"") && l.contains("pin_hash"))
        .expect("the scenario seeds the PIN item");
    let seeded = line.trim_start().trim_start_matches("- ");
    let seeded = seeded.split("   #").next().unwrap();
    let seeded: serde_json::Map<String, Json> = serde_json::from_str(seeded).unwrap();
    assert_eq!(written, seeded);
    assert!(secret.accepts("2468") && !secret.accepts("123") && !secret.accepts("123456789"));
}
