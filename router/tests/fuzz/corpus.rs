//! Payloads that are not events, or not quite, and calls written out by hand.

use serde_json::{json, Value};

use super::calls::{Kind, Mutation, Plan, Step};

/// A 1 MB string.
fn huge() -> String {
    "H".repeat(1 << 20)
}

fn fixture(name: &str) -> Value {
    let path = format!(
        "{}/../dsl/tests/fixtures/pstn/events/{name}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    serde_json::from_str(&std::fs::read_to_string(&path).expect("fixture")).expect("fixture json")
}

pub fn corpus() -> Vec<(String, Vec<u8>)> {
    let mut c: Vec<(String, Vec<u8>)> = Vec::new();
    let mut add = |name: &str, body: Vec<u8>| c.push((name.to_owned(), body));
    // Valid JSON text beyond serde_json's limits (recursion depth 128, f64 range, UTF-16).
    add(
        "array nested 100,000 deep",
        format!("{}{}", "[".repeat(100_000), "]".repeat(100_000)).into_bytes(),
    );
    add(
        "objects nested 200 deep",
        format!("{}1{}", r#"{"a":"#.repeat(200), "}".repeat(200)).into_bytes(),
    );
    add("number 1e400", b"1e400".to_vec());
    add("lone surrogate", br#""\ud800""#.to_vec());
    let ev = fixture("digits-received").to_string();
    add(
        "event with Sequence 1e400",
        ev.replacen(r#""Sequence":5"#, r#""Sequence":1e400"#, 1)
            .into_bytes(),
    );
    add(
        "event with a lone surrogate",
        ev.replacen("transaction-id", r"transaction-\ud800", 1)
            .into_bytes(),
    );
    add(
        "event nested 200 deep",
        ev.replacen(
            r#""ReceivedDigits":"11#""#,
            &format!(
                r#""ReceivedDigits":{}1{}"#,
                "[".repeat(200),
                "]".repeat(200)
            ),
            1,
        )
        .into_bytes(),
    );
    // Not JSON at all.
    for (name, bytes) in [
        ("empty", &b""[..]),
        ("open brace", b"{"),
        ("invalid UTF-8", b"\xff\xfe{}"),
        ("xml", b"<xml/>"),
        ("trailing garbage", b"{} x"),
        ("byte order mark", b"\xef\xbb\xbf{}"),
        ("NUL", b"{\"a\":\"\0\"}"),
    ] {
        add(name, bytes.to_vec());
    }
    // JSON, but not an event.
    for (name, v) in [
        ("array", json!([])),
        ("number", json!(1)),
        ("string", json!("NEW_INBOUND_CALL")),
        ("null", json!(null)),
        ("bool", json!(true)),
        ("empty object", json!({})),
        ("type not a string", json!({"InvocationEventType": 5})),
        (
            "no CallDetails",
            json!({"InvocationEventType": "NEW_INBOUND_CALL"}),
        ),
        (
            "CallDetails an array",
            json!({"InvocationEventType": "HANGUP", "CallDetails": []}),
        ),
        (
            "participants not objects",
            json!({"InvocationEventType": "HANGUP",
            "CallDetails": {"TransactionId": "t", "Participants": [1, "a"]}}),
        ),
        (
            "unknown event type",
            json!({"InvocationEventType": "NEW_FAX",
            "CallDetails": {"TransactionId": "t", "Participants": [{"CallId": "c"}]}}),
        ),
    ] {
        add(name, v.to_string().into_bytes());
    }
    // Every documented event as the documentation writes it (no attributes: mid-call ones have
    // no token to complete).
    for name in [
        "new-inbound-call",
        "new-outbound-call",
        "new-outbound-call-arguments",
        "ringing",
        "call-answered",
        "action-successful-speak-and-get-digits",
        "action-successful-call-and-bridge",
        "action-successful-record-audio",
        "action-successful-start-call-recording",
        "action-failed-play-audio",
        "action-failed-call-and-bridge",
        "action-interrupted",
        "digits-received",
        "call-update-requested",
        "invalid-lambda-response",
        "hangup",
        "hangup-leg-b",
        "hangup-sip-response-code",
    ] {
        add(name, fixture(name).to_string().into_bytes());
    }
    // 1 MB fields.
    for field in [
        "TransactionId",
        "InvocationEventType",
        "CallId",
        "ErrorMessage",
        "WaitToken",
    ] {
        let mid_call = matches!(field, "ErrorMessage" | "WaitToken");
        let mut ev = fixture(if mid_call {
            "action-failed-play-audio"
        } else {
            "new-inbound-call"
        });
        match field {
            "TransactionId" => ev["CallDetails"]["TransactionId"] = huge().into(),
            "InvocationEventType" => ev["InvocationEventType"] = huge().into(),
            "CallId" => ev["CallDetails"]["Participants"][0]["CallId"] = huge().into(),
            "WaitToken" => {
                ev["CallDetails"]["TransactionAttributes"] =
                    json!({"WaitToken": huge(), "QueueUrl": "q"})
            }
            _ => ev["ActionData"]["ErrorMessage"] = huge().into(),
        }
        add(&format!("1 MB {field}"), ev.to_string().into_bytes());
    }
    c
}

/// Calls written out: the repeats issue 8 names, and ids that share their first 80 characters.
pub fn scripted() -> Vec<Plan> {
    let shared = "0123456789".repeat(9);
    let plan = |tx: String, steps: Vec<Step>| Plan {
        tx,
        outbound: false,
        known: true,
        steps,
    };
    vec![
        plan(
            format!("{shared}-one"),
            vec![Step::Event(Kind::ActionSuccessful)],
        ),
        plan(
            format!("{shared}-two"),
            vec![Step::Event(Kind::ActionSuccessful)],
        ),
        plan(
            "final-hangup-repeated".into(),
            vec![Step::CallerHangsUp, Step::Repeat, Step::Repeat],
        ),
        plan(
            "no-sequence-repeated".into(),
            vec![
                Step::Mutated(Kind::DigitsReceived, Mutation::NoSequence),
                Step::Repeat,
                Step::Repeat,
                Step::Mutated(Kind::ActionSuccessful, Mutation::Sequence(json!("x"))),
                Step::Repeat,
            ],
        ),
        plan(
            "caller-leaves-a-bridge".into(),
            vec![
                Step::Bridge,
                Step::Event(Kind::ActionSuccessful),
                Step::CallerHangsUp,
                Step::Repeat,
            ],
        ),
        plan(
            "bridged-party-leaves".into(),
            vec![
                Step::Bridge,
                Step::BridgedLegHangsUp,
                Step::Event(Kind::ActionSuccessful),
                Step::CallerHangsUp,
            ],
        ),
        plan(
            "garbage-status".into(),
            vec![
                Step::Mutated(Kind::ActionFailed, Mutation::Status(json!(""))),
                Step::Mutated(Kind::ActionFailed, Mutation::Status(json!("garbage"))),
                Step::Mutated(Kind::ActionSuccessful, Mutation::CallId(json!(""))),
                Step::Mutated(Kind::ActionSuccessful, Mutation::Tag(json!("LEG-Z"))),
            ],
        ),
    ]
}
