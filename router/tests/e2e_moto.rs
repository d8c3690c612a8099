//! End-to-end against moto 5.2.5 (see `router/emulator/`): the router's real SDK clients pointed
//! at the emulator, a flow compiled from `tests/e2e/flow.rs` deployed into it, scripted PSTN
//! events.
//! Run with `router/emulator/run-e2e.sh`; without `SWITCHBOARD_MOTO_URL` every test is SKIPPED.

use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

use aws_config::BehaviorVersion;
use aws_sdk_sfn::config::Credentials;
use aws_sdk_sfn::types::ExecutionStatus;
use serde_json::{json, Value};
use switchboard_router::aws::{execution_arn, AwsEngine, AwsQueue};
use switchboard_router::{Config, Router};

#[path = "e2e/flow.rs"]
mod flow;

const DID: &str = "+12065551212";

struct Env {
    router: Router<AwsEngine, AwsQueue>,
    sfn: aws_sdk_sfn::Client,
    sqs: aws_sdk_sqs::Client,
    arn: String,
}

fn moto_url() -> Option<String> {
    match std::env::var("SWITCHBOARD_MOTO_URL") {
        Ok(u) if !u.is_empty() => Some(u),
        _ => {
            eprintln!("SKIPPED: SWITCHBOARD_MOTO_URL is not set; run router/emulator/run-e2e.sh");
            None
        }
    }
}

async fn setup(url: &str) -> Env {
    let sdk = aws_config::defaults(BehaviorVersion::latest())
        .endpoint_url(url)
        .region("us-east-1")
        .credentials_provider(Credentials::new("test", "test", None, None, "e2e"))
        .load()
        .await;
    let sfn = aws_sdk_sfn::Client::new(&sdk);
    let sqs = aws_sdk_sqs::Client::new(&sdk);
    let definition = flow::definition();
    let name = format!("call-flow-{}", unique());
    let arn = sfn
        .create_state_machine()
        .name(&name)
        .definition(&definition)
        .role_arn("arn:aws:iam::123456789012:role/switchboard-e2e")
        .send()
        .await
        .expect("create_state_machine")
        .state_machine_arn;
    let mut config = Config::with_flows([(DID.to_owned(), arn.clone())].into());
    config.response_budget = Duration::from_millis(2000);
    config.keep_alive = Duration::from_millis(500);
    let router = Router::new(
        AwsEngine::new(sfn.clone()),
        AwsQueue::new(sqs.clone()),
        config,
    );
    Env {
        router,
        sfn,
        sqs,
        arn,
    }
}

fn unique() -> String {
    static N: AtomicU32 = AtomicU32::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos();
    format!("{nanos:x}-{}", N.fetch_add(1, Ordering::SeqCst))
}

/// One simulated call: the PSTN audio side of the conversation.
struct Call {
    tx: String,
    seq: u64,
    attrs: Value,
    legs: Vec<Value>,
}

impl Call {
    fn new() -> Self {
        Call {
            tx: format!("tx-{}", unique()),
            seq: 0,
            attrs: json!({}),
            legs: vec![
                json!({"CallId": "call-a", "ParticipantTag": "LEG-A", "To": DID,
                "From": "+15105550101", "Direction": "Inbound", "Status": "Connected"}),
            ],
        }
    }

    fn event(&mut self, kind: &str, action_data: Option<Value>) -> Value {
        self.seq += 1;
        let mut ev = json!({"SchemaVersion": "1.0", "Sequence": self.seq, "InvocationEventType": kind,
            "CallDetails": {"TransactionId": self.tx, "AwsAccountId": "123456789012",
                "AwsRegion": "us-east-1", "SipMediaApplicationId": "sma", "Participants": self.legs,
                "TransactionAttributes": self.attrs}});
        if let Some(a) = action_data {
            ev["ActionData"] = a;
        }
        ev
    }

    /// Sends an event, checks the answer is valid and remembers its attributes as PSTN audio does.
    async fn send(&mut self, env: &Env, kind: &str, action_data: Option<Value>) -> Value {
        let ev = self.event(kind, action_data);
        let started = Instant::now();
        let reply = env
            .router
            .handle(&ev, started + env.router.config().response_budget)
            .await;
        let took = started.elapsed();
        eprintln!(
            "{kind} -> {} in {took:?} {:?}",
            reply.response["Actions"], reply.incidents
        );
        assert!(
            took < Duration::from_millis(4500),
            "{kind} answered after {took:?}"
        );
        assert_eq!(reply.response["SchemaVersion"], "1.0");
        assert!(reply.response["Actions"].is_array());
        if let Some(a) = reply.response.get("TransactionAttributes") {
            self.attrs = a.clone();
        }
        reply.response
    }

    fn action_type(r: &Value, i: usize) -> &str {
        r["Actions"][i]["Type"].as_str().unwrap_or("")
    }
}

async fn status(env: &Env, call: &Call) -> ExecutionStatus {
    let arn = execution_arn(&env.arn, &call.tx);
    for _ in 0..50 {
        let s = env
            .sfn
            .describe_execution()
            .execution_arn(&arn)
            .send()
            .await
            .expect("describe")
            .status;
        if s != ExecutionStatus::Running {
            return s;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    ExecutionStatus::Running
}

async fn queue_exists(env: &Env, call: &Call) -> bool {
    let name = format!("switchboard-{}", call.tx);
    env.sqs
        .get_queue_url()
        .queue_name(name)
        .send()
        .await
        .is_ok()
}

fn digits(d: &str) -> Option<Value> {
    Some(
        json!({"Type": "SpeakAndGetDigits", "Parameters": {"CallId": "call-a"}, "ReceivedDigits": d}),
    )
}

async fn greet(env: &Env, call: &mut Call) {
    let r = call.send(env, "NEW_INBOUND_CALL", None).await;
    assert_eq!(Call::action_type(&r, 0), "SpeakAndGetDigits", "{r:#}");
    assert!(r["TransactionAttributes"]["WaitToken"].is_string());
    assert!(queue_exists(env, call).await);
}

#[tokio::test]
async fn complete_call_greeting_digits_bridge_hangup() {
    let Some(url) = moto_url() else { return };
    let env = setup(&url).await;
    let mut call = Call::new();
    greet(&env, &mut call).await;
    let r = call.send(&env, "ACTION_SUCCESSFUL", digits("1")).await;
    assert_eq!(Call::action_type(&r, 0), "CallAndBridge", "{r:#}");
    call.legs.push(
        json!({"CallId": "call-b", "ParticipantTag": "LEG-B", "To": "+17035550122",
        "From": DID, "Direction": "Outbound", "Status": "Connected"}),
    );
    let r = call
        .send(
            &env,
            "ACTION_SUCCESSFUL",
            Some(json!({"Type": "CallAndBridge"})),
        )
        .await;
    assert_eq!(r["Actions"], json!([]), "waiting for a hang-up: {r:#}");
    call.legs[1]["Status"] = "Disconnected".into();
    let r = call.send(&env, "HANGUP", Some(json!({"Type": "Hangup", "Parameters": {"CallId": "call-b", "ParticipantTag": "LEG-B"}}))).await;
    assert_eq!(
        Call::action_type(&r, 0),
        "Hangup",
        "the flow hangs up the caller: {r:#}"
    );
    call.legs[0]["Status"] = "Disconnected".into();
    let r = call.send(&env, "HANGUP", Some(json!({"Type": "Hangup", "Parameters": {"CallId": "call-a", "ParticipantTag": "LEG-A"}}))).await;
    assert_eq!(r["Actions"], json!([]));
    assert_eq!(status(&env, &call).await, ExecutionStatus::Succeeded);
    assert!(
        !queue_exists(&env, &call).await,
        "queue deleted on the final hang-up"
    );
}

#[tokio::test]
async fn caller_hangs_up_mid_flow() {
    let Some(url) = moto_url() else { return };
    let env = setup(&url).await;
    let mut call = Call::new();
    greet(&env, &mut call).await;
    call.legs[0]["Status"] = "Disconnected".into();
    let r = call.send(&env, "HANGUP", None).await;
    assert_eq!(r["Actions"], json!([]));
    assert_eq!(status(&env, &call).await, ExecutionStatus::Succeeded);
    assert!(!queue_exists(&env, &call).await);
}

#[tokio::test]
async fn action_failed_reaches_the_flow_with_its_cause() {
    let Some(url) = moto_url() else { return };
    let env = setup(&url).await;
    let mut call = Call::new();
    greet(&env, &mut call).await;
    call.send(&env, "ACTION_SUCCESSFUL", digits("1")).await;
    let failed = json!({"Type": "CallAndBridge", "ErrorType": "InvalidActionParameter",
        "ErrorMessage": "Invalid caller ID."});
    let r = call.send(&env, "ACTION_FAILED", Some(failed)).await;
    let text = r["Actions"][0]["Parameters"]["Text"].as_str().unwrap_or("");
    assert!(
        text.contains("InvalidActionParameter: Invalid caller ID."),
        "{r:#}"
    );
    assert_eq!(Call::action_type(&r, 1), "Hangup");
}

#[tokio::test]
async fn slow_workflow_gets_keep_alives_until_its_actions_arrive() {
    let Some(url) = moto_url() else { return };
    let env = setup(&url).await;
    let mut call = Call::new();
    greet(&env, &mut call).await;
    let mut r = call.send(&env, "ACTION_SUCCESSFUL", digits("2")).await;
    let mut pauses = 0;
    while Call::action_type(&r, 0) == "Pause" && pauses < 6 {
        pauses += 1;
        assert!(r["TransactionAttributes"].get("WaitToken").is_none());
        let pause = json!({"Type": "Pause", "Parameters": r["Actions"][0]["Parameters"].clone()});
        r = call.send(&env, "ACTION_SUCCESSFUL", Some(pause)).await;
    }
    assert!(pauses >= 1, "the 5 s Wait outlasts the 2 s budget");
    assert_eq!(
        r["Actions"][0]["Parameters"]["Text"], "Your balance is 42 dollars.",
        "{r:#}"
    );
}
