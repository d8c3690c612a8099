//! What a page costs: writing it (graph, layout, HTML) in Rust, as `compile` does for every
//! flow, and drawing it in headless Chromium. `cargo bench -p switchboard-view --bench page`
//! (`-- N` for N runs of each, default 10).
//!
//! Pages: the business app (`dist/business-phone.asl.json`) and a generated flow of 1,000
//! states shaped like the compiler's output: menus that speak and ask (each with the two
//! catches every waiting state has), their Choices on the keys with a retry loop back to the
//! menu, bridges with a busy path, lookups, voicemail (record, store, thank and hang up), spread
//! over 10 Rust files, each menu leading on to the next. The pages are kept in
//! `target/view-bench/`. The browser figure is the median, over fresh tabs, of the time from
//! navigation start to two animation frames after `load` (the drawing laid out and painted),
//! measured by `tools/node/view-bench.js`; it is skipped, saying so, without Node.js or
//! `/usr/bin/chromium`.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use serde_json::{json, Map, Value};
use switchboard_asl::StateMachine;
use switchboard_view::{page, Graph};

/// A definition of exactly `n` states (n ≥ 16).
fn generated(n: usize) -> StateMachine {
    let mut states = Map::new();
    let wait = "arn:aws:states:::sqs:sendMessage.waitForTaskToken";
    let file = |i: usize| format!("workflows/src/flows/generated/part{}.rs", i % 10);
    let catches = |after_error: &str| {
        json!([
            {"ErrorEquals": ["HANGUP"], "Next": "Call ended"},
            {"ErrorEquals": ["States.ALL"], "Assign": {"error": "{% $states.errorOutput %}"}, "Next": after_error}
        ])
    };
    let talk = |comment: String, actions: Value, next: &str, after_error: &str| {
        json!({
            "Type": "Task", "Comment": comment, "Resource": wait,
            "Arguments": {"QueueUrl": "{% $queue_url %}", "MessageBody": {
                "SchemaVersion": "1.0", "Actions": actions,
                "TransactionAttributes": {"WaitToken": "{% $states.context.Task.Token %}", "QueueUrl": "{% $queue_url %}"}}},
            "TimeoutSeconds": 60, "Catch": catches(after_error), "Next": next
        })
    };
    let speak = |text: String| json!({"Type": "Speak", "Parameters": {"CallId": "{% $call.CallId %}", "Text": text, "Engine": "neural"}});
    let handler = "Did the caller answer?";
    let blocks = (n - 4) / 12;
    for b in 0..blocks {
        let f = file(b);
        let at = |line: usize, what: &str| format!("{f}:{} — {what}", 10 + line + b);
        let next_menu = if b + 1 < blocks {
            format!("Menu {}", b + 1)
        } else {
            "Call ended".to_owned()
        };
        let s = |name: &str| format!("{name} {b}");
        states.insert(s("Menu"), talk(at(0, "Speak, SpeakAndGetDigits"), json!([
            speak(format!("Welcome to department {b}.")),
            {"Type": "SpeakAndGetDigits", "Parameters": {"CallId": "{% $call.CallId %}",
                "SpeechParameters": {"Text": "Press 1 for sales, 2 for your account, or 3 to leave a message.", "Engine": "neural"},
                "MinNumberOfDigits": 1, "MaxNumberOfDigits": 1, "Repeat": 3}}
        ]), &s("Match"), handler));
        states.insert(s("Match"), json!({"Type": "Choice", "Comment": at(1, "match"), "Choices": [
            {"Condition": "{% $choice.digits = \"1\" %}", "Next": s("Bridge")},
            {"Condition": "{% $choice.digits = \"2\" %}", "Next": s("Lookup")},
            {"Condition": "{% $choice.digits = \"3\" %}", "Next": s("Record")},
            {"Condition": "{% ($choice.digits != \"\") and ($misses < 2) %}", "Assign": {"misses": "{% $misses + 1 %}"}, "Next": s("Menu")}
        ], "Default": s("Goodbye")}));
        states.insert(s("Bridge"), talk(at(2, "CallAndBridge"), json!([
            {"Type": "CallAndBridge", "Parameters": {"CallTimeoutSeconds": 30, "CallerIdNumber": "+12125550100",
                "Endpoints": [{"BridgeEndpointType": "PSTN", "Uri": format!("+1212555{:04}", b)}]}}
        ]), &s("Wait for hang-up"), &s("Busy")));
        states.insert(
            s("Wait for hang-up"),
            talk(at(3, "WaitForHangup"), json!([]), &next_menu, handler),
        );
        states.insert(
            s("Busy"),
            talk(
                at(4, "Speak"),
                json!([speak("Sorry, nobody is free right now.".into())]),
                &s("Record"),
                handler,
            ),
        );
        states.insert(s("Lookup"), json!({"Type": "Task", "Comment": at(5, "getItem"), "Resource": "arn:aws:states:::dynamodb:getItem",
            "Arguments": {"TableName": "Accounts", "Key": {"caller": {"S": "{% $call.From %}"}}},
            "Catch": [{"ErrorEquals": ["States.ALL"], "Next": handler}], "Next": s("Found")}));
        states.insert(s("Found"), json!({"Type": "Choice", "Comment": at(6, "if"), "Choices": [
            {"Condition": "{% $exists($states.input.Item) %}", "Next": s("Read")}], "Default": s("Menu")}));
        states.insert(
            s("Read"),
            talk(
                at(7, "Speak"),
                json!([speak(
                    "{% 'Your balance is ' & $states.input.Item.balance.N & ' dollars.' %}".into()
                )]),
                &next_menu,
                handler,
            ),
        );
        states.insert(s("Record"), talk(at(8, "Speak, PlayAudio, RecordAudio"), json!([
            speak("Please leave a message after the tone.".into()),
            {"Type": "PlayAudio", "Parameters": {"CallId": "{% $call.CallId %}", "AudioSource": {"Type": "S3", "BucketName": "prompts", "Key": "beep.wav"}}},
            {"Type": "RecordAudio", "Parameters": {"CallId": "{% $call.CallId %}", "DurationInSeconds": 60,
                "RecordingDestination": {"Type": "S3", "BucketName": "messages", "Prefix": "voicemail/"}}}
        ]), &s("Store"), handler));
        states.insert(s("Store"), json!({"Type": "Task", "Comment": at(9, "putItem"), "Resource": "arn:aws:states:::dynamodb:putItem",
            "Arguments": {"TableName": "Messages", "Item": {"from": {"S": "{% $call.From %}"}}},
            "Catch": [{"ErrorEquals": ["States.ALL"], "Next": handler}], "Next": s("Thanks")}));
        states.insert(s("Thanks"), talk(at(10, "Speak, Hangup"), json!([speak("Thank you. Goodbye.".into()), {"Type": "Hangup", "Parameters": {"SipResponseCode": "0"}}]), "Call ended", handler));
        states.insert(s("Goodbye"), talk(at(11, "Speak, Hangup"), json!([speak("Goodbye.".into()), {"Type": "Hangup", "Parameters": {"SipResponseCode": "0"}}]), "Call ended", handler));
    }
    // Notes to make up exactly n states.
    let mut extra = 0;
    while states.len() + 4 < n {
        extra += 1;
        let name = format!("Note {extra}");
        states.insert(name, json!({"Type": "Pass", "Comment": format!("{}:1 — let", file(extra)), "Assign": {"x": extra}, "Next": "Menu 0"}));
    }
    states.insert("Call ended".into(), json!({"Type": "Succeed", "Comment": "workflows/src/flows/generated/part0.rs:1 — the call ended"}));
    states.insert(
        "Call failed".into(),
        json!({"Type": "Fail", "Comment": "workflows/src/flows/generated/part0.rs:1 — failed"}),
    );
    states.insert(handler.into(), json!({"Type": "Choice", "Comment": "workflows/src/flows/generated/part0.rs:2 — a failure", "Choices": [
        {"Condition": "{% $error.Error = \"ACTION_FAILED\" %}", "Next": "No answer: say goodbye"}], "Default": "Call failed"}));
    states.insert(
        "No answer: say goodbye".into(),
        talk(
            "workflows/src/flows/generated/part0.rs:3 — Speak, Hangup".into(),
            json!([speak("Sorry, I did not get an answer.".into())]),
            "Call ended",
            "Call failed",
        ),
    );
    let def = json!({"Comment": "generated", "QueryLanguage": "JSONata", "StartAt": "Menu 0", "States": states});
    let m = StateMachine::from_json(&def.to_string()).expect("the generated definition parses");
    assert_eq!(m.states.len(), n);
    m
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    v[v.len() / 2]
}

/// Writes the page of `machine` `runs` times; prints the median and keeps the page.
fn write(name: &str, machine: &StateMachine, runs: usize, dir: &Path) -> PathBuf {
    let mut times = Vec::new();
    let mut html = String::new();
    let mut lay = None;
    for _ in 0..runs {
        let t = Instant::now();
        let graph = Graph::from_machine(name, machine).unwrap();
        html = page::render(&graph, None);
        times.push(t.elapsed().as_secs_f64() * 1000.0);
        if lay.is_none() {
            let l = page::layout_of(&graph);
            lay = Some((graph.nodes.len(), l.width, l.height, l.crossings));
        }
    }
    let (states, w, h, crossings) = lay.unwrap();
    println!(
        "{name}: {states} states, page written in {:.1} ms (median of {runs}; graph + layout + HTML), {} bytes, drawing {w:.0} × {h:.0} px, {crossings} edge crossings",
        median(times),
        html.len()
    );
    let path = dir.join(format!("{name}.html"));
    std::fs::write(&path, html).unwrap();
    path
}

fn main() {
    let runs: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(10);
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let dir = root.join("target/view-bench");
    std::fs::create_dir_all(&dir).unwrap();
    let text = std::fs::read_to_string(root.join("dist/business-phone.asl.json")).unwrap();
    let business = StateMachine::from_json(&text).unwrap();
    let pages = [
        write("business-phone", &business, runs, &dir),
        write("generated-1000", &generated(1000), runs, &dir),
    ];
    let chromium = Path::new("/usr/bin/chromium");
    let script = root.join("tools/node/view-bench.js");
    let modules = root.join("tools/node/node_modules/playwright-core");
    if !chromium.exists() || !modules.exists() {
        println!(
            "SKIPPED: the browser figures need /usr/bin/chromium and `npm ci --prefix tools/node`"
        );
        return;
    }
    let status = Command::new("node")
        .arg(&script)
        .arg(runs.to_string())
        .args(&pages)
        .status();
    match status {
        Ok(s) if s.success() => {}
        Ok(s) => panic!("{} failed: {s}", script.display()),
        Err(e) => println!("SKIPPED: the browser figures need Node.js: {e}"),
    }
}
