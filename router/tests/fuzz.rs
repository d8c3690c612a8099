//! Fuzz of the router Lambda as deployed: the real `bootstrap` binary, run against a fake Lambda
//! Runtime API and fake Step Functions and SQS endpoints (`AWS_ENDPOINT_URL`), fed a corpus of
//! hostile payloads and calls generated with proptest (a fixed seed, so CI runs the same events).
//!
//! Every event must get, in this order of importance:
//! (a) a valid PSTN audio response (the typed model's checks, legs of the event only, nothing
//!     spoken to a caller who has left) before `min(budget, deadline − 300 ms)`;
//! (b) exactly one log line, at most 8 KiB;
//! (c) no task token completed twice (the fake Step Functions refuses and records it).
//!
//! It prints how many events it sent and how close to their deadline the waiting ones answered.

use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config as RunnerConfig, RngAlgorithm, TestRng, TestRunner};
use serde_json::{json, Value};

#[path = "fuzz/aws.rs"]
mod aws;
#[path = "fuzz/calls.rs"]
mod calls;
#[path = "fuzz/corpus.rs"]
mod corpus;
#[path = "fuzz/runtime.rs"]
mod runtime;

use aws::FakeAws;
use calls::{action_data, mutate, plan, Call, Leg, Plan, Step};
use corpus::{corpus, scripted};
use runtime::FakeRuntime;

const DID: &str = "+12065551212";
const ARN: &str = "arn:aws:states:us-east-1:123456789012:stateMachine:fuzz";
/// `SWITCHBOARD_RESPONSE_BUDGET_MS` of the binary under test.
const BUDGET_MS: f64 = 1200.0;
/// The router's margin before the Lambda deadline (`Config::lambda_margin`).
const MARGIN_MS: f64 = 300.0;
/// Allowance for a loaded CI machine between the router's answer and its arrival here. Far less
/// than the margin, so an answer within it still lands well before the Lambda deadline; far less
/// than the half-second the old whole-second rounding overshot by.
const SLACK_MS: f64 = 100.0;
/// How long after `answer_by` generated calls get: enough for the fake flow, small enough that
/// an event that waits costs little.
const WINDOW_MS: u64 = 150;
/// CloudWatch takes 256 KiB an event; the router keeps each line far below.
const MAX_LINE: usize = 8 * 1024;
/// Generated calls (each is a new call and up to 10 more events, plus the hang-ups answers
/// cause). `SWITCHBOARD_FUZZ_CALLS` changes it.
const CALLS: usize = 220;

// ---------------------------------------------------------------------------------------------
// The harness.

struct Harness {
    rt: Arc<FakeRuntime>,
    aws: Arc<FakeAws>,
    child: Child,
    lines: Arc<Mutex<Vec<String>>>,
    stderr: Arc<Mutex<Vec<String>>>,
    sent: usize,
    /// (kind, detail).
    violations: Vec<(&'static str, String)>,
    /// (name, ms between the answer and the Lambda deadline, ms past answer_by) of waiting events.
    timings: Vec<(String, f64, f64)>,
    /// The latest answer relative to `min(budget, deadline − margin)`, and its event.
    latest_past_answer_by: (f64, String),
    answers: HashMap<&'static str, usize>,
}

fn collect(stream: impl std::io::Read + Send + 'static) -> Arc<Mutex<Vec<String>>> {
    let lines = Arc::new(Mutex::new(Vec::new()));
    let l = lines.clone();
    std::thread::spawn(move || {
        let mut reader = BufReader::new(stream);
        let mut buf = Vec::new();
        while reader.read_until(b'\n', &mut buf).unwrap_or(0) > 0 {
            l.lock().unwrap().push(
                String::from_utf8_lossy(&buf)
                    .trim_end_matches('\n')
                    .to_owned(),
            );
            buf.clear();
        }
    });
    lines
}

impl Harness {
    fn start() -> Harness {
        let (rt, rt_addr) = FakeRuntime::start();
        let (aws, aws_url) = FakeAws::start();
        let home = std::env::temp_dir().join("switchboard-fuzz-home");
        let _ = std::fs::create_dir_all(&home);
        let mut child = Command::new(env!("CARGO_BIN_EXE_bootstrap"))
            .env_clear()
            .env("AWS_LAMBDA_RUNTIME_API", &rt_addr)
            .env("AWS_LAMBDA_FUNCTION_NAME", "router")
            .env("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "128")
            .env("AWS_LAMBDA_FUNCTION_VERSION", "1")
            .env("AWS_REGION", "us-east-1")
            .env("AWS_ACCESS_KEY_ID", "fuzz")
            .env("AWS_SECRET_ACCESS_KEY", "fuzz")
            .env("AWS_ENDPOINT_URL", &aws_url)
            .env("AWS_EC2_METADATA_DISABLED", "true")
            .env("HOME", &home)
            .env("SWITCHBOARD_CALL_FLOWS", format!(r#"{{"{DID}": "{ARN}"}}"#))
            .env(
                "SWITCHBOARD_RESPONSE_BUDGET_MS",
                (BUDGET_MS as u64).to_string(),
            )
            .env("SWITCHBOARD_KEEP_ALIVE_MS", "100")
            .env("SWITCHBOARD_MAX_KEEP_ALIVES", "2")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn bootstrap");
        let lines = collect(child.stdout.take().expect("stdout"));
        let stderr = collect(child.stderr.take().expect("stderr"));
        Harness {
            rt,
            aws,
            child,
            lines,
            stderr,
            sent: 0,
            violations: Vec::new(),
            timings: Vec::new(),
            latest_past_answer_by: (f64::MIN, String::new()),
            answers: HashMap::new(),
        }
    }

    fn violation(&mut self, kind: &'static str, detail: String) {
        if self.violations.len() < 10_000 {
            self.violations.push((kind, detail));
        }
    }

    /// Sends one payload; checks (a) and returns the answer when there is a valid one.
    fn send(&mut self, name: &str, body: Vec<u8>, deadline_in: Duration) -> Option<Value> {
        self.sent += 1;
        let id = format!("req-{:05}", self.sent);
        let event: Option<Value> = serde_json::from_slice(&body).ok();
        let (deadline_ms, outcome) = self
            .rt
            .invoke(&id, body, deadline_in, Duration::from_secs(3));
        let Some(o) = outcome else {
            let why = self
                .rt
                .init_error()
                .unwrap_or_else(|| "no answer at all".into());
            self.violation("no answer", format!("{id} {name}: {why}"));
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!(
                    "bootstrap exited ({status}); stderr: {:?}",
                    self.stderr.lock().unwrap()
                );
            }
            return None;
        };
        let text = String::from_utf8_lossy(&o.body).into_owned();
        if !o.answered {
            self.violation("function error", format!("{id} {name}: {text:.300}"));
            return None;
        }
        let answer_by = (o.sent_ms + BUDGET_MS).min(deadline_ms as f64 - MARGIN_MS);
        let past = o.at_ms - answer_by;
        if past > self.latest_past_answer_by.0 {
            self.latest_past_answer_by = (past, format!("{id} {name:.80}"));
        }
        if past > SLACK_MS {
            self.violation(
                "answered late",
                format!("{id} {name}: {past:.0} ms after min(budget, deadline - margin)"),
            );
        }
        if o.at_ms - o.sent_ms > (answer_by - o.sent_ms) / 2.0 {
            self.timings
                .push((name.to_owned(), deadline_ms as f64 - o.at_ms, past));
        }
        let answer: Value = match serde_json::from_str(&text) {
            Ok(v) => v,
            Err(e) => {
                self.violation("answer not JSON", format!("{id} {name}: {e}: {text:.300}"));
                return None;
            }
        };
        if let Err((kind, why)) = check_answer(event.as_ref(), &answer) {
            self.violation(kind, format!("{id} {name}: {why}: {text:.400}"));
        }
        let shape = match answer["Actions"].as_array().map(Vec::as_slice) {
            Some([]) => "no actions",
            Some([a, ..]) if a["Type"] == "Speak" => "apology",
            Some([a])
                if a["Type"] == "Hangup"
                    && a["Parameters"].get("SipResponseCode") == Some(&json!("480")) =>
            {
                "hang-up 480"
            }
            Some([a])
                if a["Type"] == "Hangup" && a["Parameters"].get("SipResponseCode").is_none() =>
            {
                "silent hang-up"
            }
            Some([a])
                if a["Type"] == "Pause"
                    && answer["TransactionAttributes"]
                        .get("SwitchboardKeepAlive")
                        .is_some() =>
            {
                "keep-alive"
            }
            _ => "the flow's actions",
        };
        *self.answers.entry(shape).or_default() += 1;
        Some(answer)
    }

    fn play(&mut self, plan: &Plan) {
        let deadline = Duration::from_millis(MARGIN_MS as u64 + WINDOW_MS);
        let mut call = Call::new(plan.tx.clone(), plan.outbound, plan.known);
        let kind = if plan.outbound {
            "NEW_OUTBOUND_CALL"
        } else {
            "NEW_INBOUND_CALL"
        };
        let first = call.event(kind, None);
        let mut queue = vec![first];
        let mut steps = plan.steps.iter();
        loop {
            while let Some(ev) = queue.pop() {
                let body = serde_json::to_vec(&ev).expect("serialise");
                call.last = Some(body.clone());
                let name = format!(
                    "{} of {:.40}",
                    ev["InvocationEventType"]
                        .as_str()
                        .unwrap_or("?")
                        .chars()
                        .take(40)
                        .collect::<String>(),
                    plan.tx
                );
                if let Some(answer) = self.send(&name, body, deadline) {
                    queue.extend(call.apply(&answer));
                }
            }
            let Some(step) = steps.next() else { break };
            let ev = match step {
                Step::Event(k) => {
                    let (name, data) = action_data(*k, &call);
                    call.event(name, data)
                }
                Step::Bridge => {
                    if call.legs.len() == 1 && !call.over() {
                        let a = call.legs[0].clone();
                        call.legs.push(Leg {
                            call_id: format!("{}-b", a.call_id),
                            tag: "LEG-B",
                            to: "+17035550122".into(),
                            from: a.to.clone(),
                            direction: "Outbound",
                            connected: true,
                        });
                    }
                    call.event(
                        "ACTION_SUCCESSFUL",
                        Some(json!({"Type": "CallAndBridge",
                        "Parameters": {"CallTimeoutSeconds": 30, "CallerIdNumber": DID,
                        "Endpoints": [{"BridgeEndpointType": "PSTN", "Uri": "+17035550122"}]}})),
                    )
                }
                Step::BridgedLegHangsUp => match call.legs.len() {
                    2 => call.hangup_of(1),
                    _ => call.hangup_of(0),
                },
                Step::CallerHangsUp => call.hangup_of(0),
                Step::Repeat => match &call.last {
                    Some(last) => serde_json::from_slice(last).expect("last event"),
                    None => continue,
                },
                Step::Mutated(k, m) => {
                    let (name, data) = action_data(*k, &call);
                    let mut ev = call.event(name, data);
                    mutate(&mut ev, m);
                    ev
                }
            };
            queue.push(ev);
        }
    }

    /// Lines of the log, by request id; each event's must be exactly one, ≤ 8 KiB.
    fn check_logs(&mut self) {
        // The log line is written before the answer is posted; give the reader a moment.
        std::thread::sleep(Duration::from_millis(300));
        let lines = self.lines.lock().unwrap().clone();
        let mut per_request: HashMap<String, usize> = HashMap::new();
        for line in &lines {
            if line.len() > MAX_LINE {
                self.violation(
                    "log line over 8 KiB",
                    format!("{} bytes: {line:.200}", line.len()),
                );
            }
            let v: Value = match serde_json::from_str(line) {
                Ok(v) => v,
                Err(_) => {
                    self.violation("log line not JSON", format!("{line:.200}"));
                    continue;
                }
            };
            match v.get("request_id").and_then(Value::as_str) {
                Some(id) => *per_request.entry(id.to_owned()).or_default() += 1,
                None => self.violation("log line of no event", format!("{line:.300}")),
            }
        }
        for n in 1..=self.sent {
            let id = format!("req-{n:05}");
            match per_request.get(&id).copied().unwrap_or(0) {
                1 => {}
                0 => self.violation("no log line", id),
                k => self.violation("several log lines", format!("{id}: {k}")),
            }
        }
        let stderr = self.stderr.lock().unwrap().clone();
        for line in stderr {
            self.violation("output on stderr", format!("{line:.300}"));
        }
    }
}

impl Drop for Harness {
    /// The binary would otherwise outlive a failed test, polling a runtime API that is gone.
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// (a): the answer is a PSTN audio response the typed model accepts, targets only the event's
/// legs by their documented tags or their ids, and says nothing to a caller who has left.
fn check_answer(event: Option<&Value>, answer: &Value) -> Result<(), (&'static str, String)> {
    let typed: switchboard::pstn::Response = serde_json::from_value(answer.clone())
        .map_err(|e| ("not a PSTN audio response", e.to_string()))?;
    typed
        .validate()
        .map_err(|e| ("invalid PSTN audio response", format!("{e:?}")))?;
    let legs: Vec<&Value> = event
        .and_then(|e| e.pointer("/CallDetails/Participants"))
        .and_then(Value::as_array)
        .map(|a| a.iter().collect())
        .unwrap_or_default();
    let ids: Vec<&str> = legs.iter().filter_map(|l| l["CallId"].as_str()).collect();
    let caller_left = legs.iter().any(|l| {
        l["ParticipantTag"]
            .as_str()
            .is_some_and(|t| t.eq_ignore_ascii_case("LEG-A"))
            && l["Status"] == "Disconnected"
    });
    for action in answer["Actions"].as_array().into_iter().flatten() {
        let p = &action["Parameters"];
        if let Some(id) = p.get("CallId") {
            if !id.as_str().is_some_and(|id| ids.contains(&id)) {
                return Err(("targets a CallId not in the event", id.to_string()));
            }
        }
        if let Some(tag) = p.get("ParticipantTag") {
            if tag != "LEG-A" && tag != "LEG-B" {
                return Err(("targets a ParticipantTag not LEG-A/LEG-B", tag.to_string()));
            }
        }
        if caller_left && action["Type"] == "Speak" {
            return Err(("speaks although the caller has left", String::new()));
        }
    }
    Ok(())
}

#[test]
fn the_bootstrap_binary_answers_every_event_validly_on_time_once() {
    let mut h = Harness::start();
    let generated = std::env::var("SWITCHBOARD_FUZZ_CALLS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(CALLS);

    let window = Duration::from_millis(MARGIN_MS as u64 + WINDOW_MS);
    for (name, body) in corpus() {
        h.send(&name, body.clone(), window);
        // The same bytes again: a retried invocation.
        h.send(&format!("{name} (again)"), body, window);
    }
    for plan in scripted() {
        h.play(&plan);
    }

    // Deadlines: a flow that stays silent makes the router wait until min(budget, deadline −
    // margin); the answer must come before, whatever the deadline's fraction of a second.
    for (i, deadline_ms) in [1_000u64, 2_100].into_iter().enumerate() {
        let mut call = Call::new(format!("slow-call-{i}"), false, true);
        let ev = call.event("NEW_INBOUND_CALL", None);
        let name = format!("silent flow, deadline {deadline_ms} ms");
        let Some(answer) = h.send(
            &name,
            serde_json::to_vec(&ev).unwrap(),
            Duration::from_millis(deadline_ms),
        ) else {
            continue;
        };
        call.apply(&answer);
        if i > 0 {
            continue;
        }
        // The keep-alive's Pause is reported; the router checks the execution and waits again.
        let ev = call.event(
            "ACTION_SUCCESSFUL",
            Some(json!({"Type": "Pause",
            "Parameters": {"ParticipantTag": "LEG-A", "DurationInMilliseconds": "100"}})),
        );
        h.send(
            &format!("{name}, after a keep-alive"),
            serde_json::to_vec(&ev).unwrap(),
            Duration::from_millis(deadline_ms),
        );
    }

    let mut runner = TestRunner::new_with_rng(
        RunnerConfig {
            failure_persistence: None,
            ..RunnerConfig::default()
        },
        TestRng::deterministic_rng(RngAlgorithm::ChaCha),
    );
    let strategy = plan();
    for _ in 0..generated {
        let plan = strategy.new_tree(&mut runner).expect("generate").current();
        h.play(&plan);
    }

    h.check_logs();
    let aws_violations = h.aws.violations();
    h.violations.extend(aws_violations);
    let (completions, receives) = h.aws.counts();

    let mut timings = h.timings.clone();
    timings.sort_by(|a, b| a.1.total_cmp(&b.1));
    eprintln!(
        "fuzz: {} events ({} corpus payloads twice, {} generated calls); {} tokens completed, {} ReceiveMessage calls",
        h.sent,
        corpus().len(),
        generated,
        completions,
        receives
    );
    eprintln!("fuzz: answers {:?}", h.answers);
    eprintln!(
        "fuzz: latest answer {:.1} ms after min(budget, deadline − margin) (negative: before): {}",
        h.latest_past_answer_by.0, h.latest_past_answer_by.1
    );
    for (name, margin, past) in &timings {
        eprintln!("fuzz: {name}: answered {margin:.1} ms before the Lambda deadline ({past:+.1} ms vs answer_by)");
    }
    if let (Some(first), Some(last)) = (timings.first(), timings.last()) {
        eprintln!(
            "fuzz: {} events waited; margin before the Lambda deadline {:.1}–{:.1} ms",
            timings.len(),
            first.1,
            last.1
        );
    }
    if !h.violations.is_empty() {
        let mut kinds: HashMap<&str, usize> = HashMap::new();
        for (kind, _) in &h.violations {
            *kinds.entry(kind).or_default() += 1;
        }
        panic!(
            "{} violations; by kind {kinds:#?}\nfirst ones:\n{}",
            h.violations.len(),
            h.violations
                .iter()
                .take(40)
                .map(|(k, d)| format!("{k}: {d}"))
                .collect::<Vec<_>>()
                .join("\n")
        );
    }
}
