//! Every event type and every error path, through the AWS SDK backends with mocked clients
//! (aws-smithy-mocks), driven by the PSTN audio documentation's own event examples
//! (`dsl/tests/fixtures/pstn/events`, sources in its SOURCES.md).

use std::time::{Duration, Instant};

use aws_sdk_sfn::operation::describe_execution::DescribeExecutionOutput;
use aws_sdk_sfn::operation::send_task_failure::{SendTaskFailureError, SendTaskFailureOutput};
use aws_sdk_sfn::operation::send_task_success::{SendTaskSuccessError, SendTaskSuccessOutput};
use aws_sdk_sfn::operation::start_execution::{StartExecutionError, StartExecutionOutput};
use aws_sdk_sfn::types::error::{ExecutionAlreadyExists, TaskTimedOut};
use aws_sdk_sfn::types::ExecutionStatus;
use aws_sdk_sqs::operation::create_queue::CreateQueueOutput;
use aws_sdk_sqs::operation::delete_message::DeleteMessageOutput;
use aws_sdk_sqs::operation::delete_queue::DeleteQueueOutput;
use aws_sdk_sqs::operation::receive_message::{ReceiveMessageError, ReceiveMessageOutput};
use aws_sdk_sqs::types::error::QueueDoesNotExist;
use aws_sdk_sqs::types::Message;
use aws_smithy_mocks::{mock, mock_client, Rule, RuleMode};
use serde_json::{json, Value};
use switchboard::wire;
use switchboard_router::aws::{AwsEngine, AwsQueue};
use switchboard_router::lambda::guard_payload;
use switchboard_router::{Config, Reply, Router};

const ARN: &str = "arn:aws:states:us-east-1:123456789012:stateMachine:front-desk";
const URL: &str = "https://sqs.us-east-1.amazonaws.com/123456789012/switchboard-transaction-id";

fn fixture(name: &str) -> Value {
    let path = format!(
        "{}/../dsl/tests/fixtures/pstn/events/{name}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The event as PSTN audio sends it mid-call: with the attributes of the previous response.
fn mid_call(name: &str, token: Option<&str>) -> Value {
    let mut ev = fixture(name);
    let mut attrs = serde_json::Map::new();
    attrs.insert(wire::ATTR_QUEUE_URL.into(), URL.into());
    if let Some(t) = token {
        attrs.insert(wire::ATTR_WAIT_TOKEN.into(), t.into());
    }
    ev["CallDetails"]["TransactionAttributes"] = Value::Object(attrs);
    ev
}

fn actions(token: &str, text: &str) -> String {
    json!({
        "SchemaVersion": "1.0",
        "Actions": [{"Type": "Speak", "Parameters": {"CallId": "call-id-1", "Text": text}}],
        "TransactionAttributes": {"WaitToken": token, "QueueUrl": URL},
    })
    .to_string()
}

fn message(body: String, receipt: &str) -> ReceiveMessageOutput {
    ReceiveMessageOutput::builder()
        .messages(
            Message::builder()
                .body(body)
                .receipt_handle(receipt)
                .build(),
        )
        .build()
}

fn config(budget_ms: u64) -> Config {
    let mut c = Config::with_flows(
        [
            ("+12065551212".to_owned(), ARN.to_owned()),
            ("+15105550101".to_owned(), ARN.to_owned()),
        ]
        .into(),
    );
    c.response_budget = Duration::from_millis(budget_ms);
    c.keep_alive = Duration::from_millis(700);
    c.max_keep_alives = 3;
    c
}

struct Mocks {
    sfn: Vec<Rule>,
    sqs: Vec<Rule>,
    budget_ms: u64,
}

impl Mocks {
    fn new() -> Self {
        Mocks {
            sfn: vec![],
            sqs: vec![],
            budget_ms: 1500,
        }
    }
    fn router(&self) -> Router<AwsEngine, AwsQueue> {
        let sfn: Vec<&Rule> = self.sfn.iter().collect();
        let sqs: Vec<&Rule> = self.sqs.iter().collect();
        let sfn = mock_client!(aws_sdk_sfn, RuleMode::MatchAny, &sfn);
        let sqs = mock_client!(aws_sdk_sqs, RuleMode::MatchAny, &sqs);
        Router::new(
            AwsEngine::new(sfn),
            AwsQueue::new(sqs),
            config(self.budget_ms),
        )
    }
}

async fn run(router: &Router<AwsEngine, AwsQueue>, ev: &Value) -> Reply {
    let budget = router.config().response_budget;
    let reply = router.handle(ev, Instant::now() + budget).await;
    assert_eq!(
        reply.response["SchemaVersion"], "1.0",
        "{:#}",
        reply.response
    );
    assert!(reply.response["Actions"].is_array(), "{:#}", reply.response);
    reply
}

fn kinds(reply: &Reply) -> Vec<&'static str> {
    reply.incidents.iter().map(|i| i.kind).collect()
}

fn receive_rule(body: String) -> Rule {
    mock!(aws_sdk_sqs::Client::receive_message)
        .sequence()
        .output(move || message(body.clone(), "r-new"))
        .repeatedly()
        .build()
}

fn success_rule(token: &'static str) -> Rule {
    mock!(aws_sdk_sfn::Client::send_task_success)
        .match_requests(move |r| r.task_token() == Some(token))
        .sequence()
        .output(|| SendTaskSuccessOutput::builder().build())
        .repeatedly()
        .build()
}

fn failure_rule(token: &'static str, error: &'static str, cause: &'static str) -> Rule {
    mock!(aws_sdk_sfn::Client::send_task_failure)
        .match_requests(move |r| {
            r.task_token() == Some(token) && r.error() == Some(error) && r.cause() == Some(cause)
        })
        .sequence()
        .output(|| SendTaskFailureOutput::builder().build())
        .repeatedly()
        .build()
}

#[tokio::test]
async fn new_inbound_call_creates_the_queue_starts_the_execution_and_returns_the_first_actions() {
    let event = fixture("new-inbound-call");
    let tx = event["CallDetails"]["TransactionId"]
        .as_str()
        .unwrap()
        .to_owned();
    let expected_input = json!({"QueueUrl": URL, "Event": event.clone()});
    let mut m = Mocks::new();
    let queue_name = format!("switchboard-{tx}");
    m.sqs.push(
        mock!(aws_sdk_sqs::Client::create_queue)
            .match_requests(move |r| r.queue_name() == Some(queue_name.as_str()))
            .then_output(|| CreateQueueOutput::builder().queue_url(URL).build()),
    );
    m.sqs.push(receive_rule(actions("tok-1", "Welcome")));
    m.sfn.push(
        mock!(aws_sdk_sfn::Client::start_execution)
            .match_requests(move |r| {
                r.state_machine_arn() == Some(ARN)
                    && r.name() == Some(tx.as_str())
                    && r.input()
                        .and_then(|i| serde_json::from_str::<Value>(i).ok())
                        == Some(expected_input.clone())
            })
            .then_output(|| {
                StartExecutionOutput::builder()
                    .execution_arn("arn:x")
                    .start_date(aws_sdk_sfn::primitives::DateTime::from_secs(0))
                    .build()
                    .unwrap()
            }),
    );
    let router = m.router();
    let reply = run(&router, &event).await;
    assert_eq!(
        reply.response,
        serde_json::from_str::<Value>(&actions("tok-1", "Welcome")).unwrap()
    );
    assert!(reply.incidents.is_empty(), "{:?}", reply.incidents);
    assert_eq!(m.sfn[0].num_calls(), 1);
    assert_eq!(m.sqs[0].num_calls(), 1);
}

fn start_rules(m: &mut Mocks, start: Rule) {
    m.sqs.push(
        mock!(aws_sdk_sqs::Client::create_queue)
            .then_output(|| CreateQueueOutput::builder().queue_url(URL).build()),
    );
    m.sqs.push(receive_rule(actions("tok-1", "Welcome")));
    m.sfn.push(start);
}

#[tokio::test]
async fn new_outbound_call_is_routed_by_the_calling_number() {
    let event = fixture("new-outbound-call");
    let from = event["CallDetails"]["Participants"][0]["From"]
        .as_str()
        .unwrap()
        .to_owned();
    let mut m = Mocks::new();
    let mut c = config(1500);
    c.flows = [(from, ARN.to_owned())].into();
    start_rules(
        &mut m,
        mock!(aws_sdk_sfn::Client::start_execution)
            .match_requests(|r| r.state_machine_arn() == Some(ARN))
            .then_output(|| {
                StartExecutionOutput::builder()
                    .execution_arn("a")
                    .start_date(aws_sdk_sfn::primitives::DateTime::from_secs(0))
                    .build()
                    .unwrap()
            }),
    );
    let sfn: Vec<&Rule> = m.sfn.iter().collect();
    let sqs: Vec<&Rule> = m.sqs.iter().collect();
    let router = Router::new(
        AwsEngine::new(mock_client!(aws_sdk_sfn, RuleMode::MatchAny, &sfn)),
        AwsQueue::new(mock_client!(aws_sdk_sqs, RuleMode::MatchAny, &sqs)),
        c,
    );
    let reply = run(&router, &event).await;
    assert_eq!(
        reply.response["Actions"][0]["Parameters"]["Text"],
        "Welcome"
    );
    assert_eq!(m.sfn[0].num_calls(), 1);
}

#[tokio::test]
async fn unknown_number_is_rejected_without_touching_aws() {
    let mut event = fixture("new-inbound-call");
    event["CallDetails"]["Participants"][0]["To"] = "+19995550000".into();
    let mut m = Mocks::new();
    start_rules(
        &mut m,
        mock!(aws_sdk_sfn::Client::start_execution)
            .then_error(|| StartExecutionError::unhandled("unused")),
    );
    let router = m.router();
    let reply = run(&router, &event).await;
    assert_eq!(kinds(&reply), ["unknown_number"]);
    assert_eq!(
        reply.incidents[0].transaction_id.as_deref(),
        Some("transaction-id")
    );
    let acts = reply.response["Actions"].as_array().unwrap();
    assert_eq!(acts.len(), 1);
    assert_eq!(acts[0]["Type"], "Hangup");
    assert_eq!(acts[0]["Parameters"]["SipResponseCode"], "480");
    assert_eq!(m.sqs[0].num_calls() + m.sfn[0].num_calls(), 0);
}

#[tokio::test]
async fn retried_new_call_with_existing_execution_still_gets_the_actions() {
    let mut m = Mocks::new();
    start_rules(
        &mut m,
        mock!(aws_sdk_sfn::Client::start_execution).then_error(|| {
            StartExecutionError::ExecutionAlreadyExists(
                ExecutionAlreadyExists::builder().message("exists").build(),
            )
        }),
    );
    let router = m.router();
    let reply = run(&router, &fixture("new-inbound-call")).await;
    assert_eq!(kinds(&reply), ["retry"]);
    assert_eq!(
        reply.response["Actions"][0]["Parameters"]["Text"],
        "Welcome"
    );
}

#[tokio::test]
async fn failed_start_rejects_the_call_and_deletes_the_queue() {
    let mut m = Mocks::new();
    start_rules(
        &mut m,
        mock!(aws_sdk_sfn::Client::start_execution)
            .then_error(|| StartExecutionError::unhandled("boom")),
    );
    m.sqs.push(
        mock!(aws_sdk_sqs::Client::delete_queue)
            .then_output(|| DeleteQueueOutput::builder().build()),
    );
    let router = m.router();
    let reply = run(&router, &fixture("new-inbound-call")).await;
    assert_eq!(kinds(&reply), ["backend"]);
    assert_eq!(reply.response["Actions"][0]["Type"], "Hangup");
    assert_eq!(m.sqs[2].num_calls(), 1);
}

/// Progress events complete the token with the event as output and return the next actions;
/// the already-delivered message (same token) is acknowledged and skipped.
#[tokio::test]
async fn progress_events_complete_the_token_with_the_event() {
    for name in [
        "action-successful-speak-and-get-digits",
        "digits-received",
        "call-answered",
        "call-update-requested",
    ] {
        let event = mid_call(name, Some("tok-1"));
        let expected_output = event.clone();
        let mut m = Mocks::new();
        m.sfn.push(
            mock!(aws_sdk_sfn::Client::send_task_success)
                .match_requests(move |r| {
                    r.task_token() == Some("tok-1")
                        && r.output()
                            .and_then(|o| serde_json::from_str::<Value>(o).ok())
                            == Some(expected_output.clone())
                })
                .then_output(|| SendTaskSuccessOutput::builder().build()),
        );
        m.sqs.push(
            mock!(aws_sdk_sqs::Client::receive_message)
                .sequence()
                .output(|| message(actions("tok-1", "old"), "r-old"))
                .output(|| message(actions("tok-2", "next"), "r-new"))
                .build(),
        );
        m.sqs.push(
            mock!(aws_sdk_sqs::Client::delete_message)
                .match_requests(|r| r.receipt_handle() == Some("r-old"))
                .then_output(|| DeleteMessageOutput::builder().build()),
        );
        let router = m.router();
        let reply = run(&router, &event).await;
        assert_eq!(
            reply.response["Actions"][0]["Parameters"]["Text"], "next",
            "{name}"
        );
        assert!(reply.incidents.is_empty(), "{name}: {:?}", reply.incidents);
        assert_eq!(m.sfn[0].num_calls(), 1, "{name}");
        assert_eq!(
            m.sqs[1].num_calls(),
            1,
            "{name}: stale message acknowledged"
        );
    }
}

#[tokio::test]
async fn action_failed_fails_the_token_with_the_service_message() {
    let mut m = Mocks::new();
    m.sfn.push(failure_rule(
        "tok-1",
        wire::ERROR_ACTION_FAILED,
        "InvalidAudioSource: Audio Source parameter value is invalid.",
    ));
    m.sqs
        .push(receive_rule(actions("tok-2", "Sorry, that failed")));
    let router = m.router();
    let reply = run(
        &router,
        &mid_call("action-failed-play-audio", Some("tok-1")),
    )
    .await;
    assert_eq!(m.sfn[0].num_calls(), 1);
    assert_eq!(
        reply.response["Actions"][0]["Parameters"]["Text"],
        "Sorry, that failed"
    );
}

#[tokio::test]
async fn invalid_lambda_response_fails_the_token() {
    let mut m = Mocks::new();
    let event = mid_call("invalid-lambda-response", Some("tok-1"));
    // The documentation's example carries ErrorType and ErrorMessage at the top level.
    let cause = format!(
        "{}: {}",
        event["ErrorType"].as_str().unwrap(),
        event["ErrorMessage"].as_str().unwrap()
    );
    let cause: &'static str = Box::leak(cause.into_boxed_str());
    m.sfn.push(failure_rule(
        "tok-1",
        wire::ERROR_INVALID_LAMBDA_RESPONSE,
        cause,
    ));
    m.sqs.push(receive_rule(actions("tok-2", "again")));
    let router = m.router();
    let reply = run(&router, &event).await;
    assert_eq!(m.sfn[0].num_calls(), 1);
    assert_eq!(reply.response["Actions"][0]["Parameters"]["Text"], "again");
}

#[tokio::test]
async fn informational_events_touch_nothing() {
    let mut failed_after_caller_left = mid_call("action-failed-play-audio", Some("tok-1"));
    failed_after_caller_left["CallDetails"]["Participants"][0]["Status"] = "Disconnected".into();
    for event in [
        mid_call("action-interrupted", Some("tok-1")),
        mid_call("ringing", Some("tok-1")),
        failed_after_caller_left,
    ] {
        let mut m = Mocks::new();
        m.sfn.push(success_rule("tok-1"));
        m.sfn.push(failure_rule("tok-1", "ACTION_FAILED", "x"));
        m.sqs.push(receive_rule(actions("tok-2", "x")));
        let router = m.router();
        let reply = run(&router, &event).await;
        assert_eq!(
            reply.response,
            json!({"SchemaVersion": "1.0", "Actions": []})
        );
        assert!(reply.incidents.is_empty());
        assert_eq!(
            m.sfn[0].num_calls() + m.sfn[1].num_calls() + m.sqs[0].num_calls(),
            0
        );
    }
}

#[tokio::test]
async fn caller_hangup_fails_the_token_and_deletes_the_queue() {
    let mut event = mid_call("hangup", Some("tok-1"));
    event["CallDetails"]["Participants"] = json!([event["CallDetails"]["Participants"][0].clone()]);
    event["CallDetails"]["Participants"][0]["Status"] = "Disconnected".into();
    let mut m = Mocks::new();
    m.sfn
        .push(failure_rule("tok-1", wire::ERROR_HANGUP, "HANGUP"));
    m.sqs.push(
        mock!(aws_sdk_sqs::Client::delete_queue)
            .match_requests(|r| r.queue_url() == Some(URL))
            .then_output(|| DeleteQueueOutput::builder().build()),
    );
    let router = m.router();
    let reply = run(&router, &event).await;
    assert_eq!(reply.response["Actions"], json!([]));
    assert_eq!((m.sfn[0].num_calls(), m.sqs[0].num_calls()), (1, 1));
}

#[tokio::test]
async fn bridged_leg_hangup_is_progress_for_the_flow() {
    let mut m = Mocks::new();
    m.sfn.push(success_rule("tok-1"));
    m.sqs
        .push(receive_rule(actions("tok-2", "The other party left")));
    let router = m.router();
    let reply = run(&router, &mid_call("hangup-leg-b", Some("tok-1"))).await;
    assert_eq!(m.sfn[0].num_calls(), 1);
    assert_eq!(
        reply.response["Actions"][0]["Parameters"]["Text"],
        "The other party left"
    );
}

/// The caller (LEG-A) left while the bridged party (LEG-B) is still connected.
fn caller_left_while_bridged(token: Option<&str>, extra_attrs: &[(&str, &str)]) -> Value {
    let mut event = mid_call("hangup-leg-b", token);
    let parts = &mut event["CallDetails"]["Participants"];
    parts[0]["Status"] = "Disconnected".into();
    parts[1]["Status"] = "Connected".into();
    event["ActionData"]["Parameters"]["ParticipantTag"] = "LEG-A".into();
    for (k, v) in extra_attrs {
        event["CallDetails"]["TransactionAttributes"][*k] = (*v).into();
    }
    event
}

/// The `HANGUP` of LEG-B that follows the router's own hang-up of it: the call is over.
fn bridged_leg_hung_up_after(caller_left: &Value, answer: &Value) -> Value {
    let mut event = caller_left.clone();
    event["Sequence"] = (event["Sequence"].as_u64().unwrap() + 1).into();
    event["CallDetails"]["Participants"][1]["Status"] = "Disconnected".into();
    event["ActionData"] =
        json!({"Type": "Hangup", "Parameters": {"CallId": "call-id-2", "ParticipantTag": "LEG-B"}});
    event["CallDetails"]["TransactionAttributes"] = answer["TransactionAttributes"].clone();
    event
}

/// The answer to a caller who left a bridge: LEG-B hung up at once with nothing spoken, and
/// attributes that keep the queue but no token.
fn assert_leg_b_hung_up_silently(reply: &Reply, attrs: Value) {
    assert_eq!(
        reply.response,
        json!({"SchemaVersion": "1.0",
            "Actions": [{"Type": "Hangup", "Parameters": {"CallId": "call-id-2"}}],
            "TransactionAttributes": attrs}),
        "{:?}",
        reply.incidents
    );
}

/// PSTN audio's CallAndBridge page: the remaining leg must be disconnected independently
/// (<https://docs.aws.amazon.com/chime-sdk/latest/dg/call-and-bridge.html>). The flow can no
/// longer talk to anyone, so the router fails its token with HANGUP and hangs LEG-B up at once,
/// without waiting for the flow or speaking; the HANGUP of LEG-B that follows completes nothing
/// more and deletes the queue.
#[tokio::test]
async fn caller_hangup_while_bridged_hangs_up_leg_b_at_once_silently() {
    let mut m = Mocks::new();
    m.sfn
        .push(failure_rule("tok-1", wire::ERROR_HANGUP, "HANGUP"));
    m.sfn.push(success_rule("tok-1"));
    m.sqs.push(
        mock!(aws_sdk_sqs::Client::receive_message)
            .sequence()
            .output(|| message(actions("tok-1", "already delivered"), "r-old"))
            .output(|| ReceiveMessageOutput::builder().build())
            .repeatedly()
            .build(),
    );
    m.sqs.push(
        mock!(aws_sdk_sqs::Client::delete_message)
            .then_output(|| DeleteMessageOutput::builder().build()),
    );
    m.sqs.push(
        mock!(aws_sdk_sqs::Client::delete_queue)
            .match_requests(|r| r.queue_url() == Some(URL))
            .then_output(|| DeleteQueueOutput::builder().build()),
    );
    let router = m.router();
    let event = caller_left_while_bridged(Some("tok-1"), &[]);
    let reply = run(&router, &event).await;
    assert_leg_b_hung_up_silently(&reply, json!({"QueueUrl": URL}));
    assert!(reply.incidents.is_empty(), "{:?}", reply.incidents);
    assert_eq!(m.sfn[0].num_calls(), 1, "the token is failed with HANGUP");
    assert_eq!(m.sqs[0].num_calls(), 0, "no waiting for the flow");

    let over = bridged_leg_hung_up_after(&event, &reply.response);
    let end = run(&router, &over).await;
    assert_eq!(end.response["Actions"], json!([]));
    assert!(end.incidents.is_empty(), "{:?}", end.incidents);
    assert_eq!(m.sfn[0].num_calls(), 1, "tok-1 is not failed a second time");
    assert_eq!(m.sfn[1].num_calls(), 0);
    assert_eq!(m.sqs[2].num_calls(), 1, "queue deleted at the end");
}

#[tokio::test]
async fn caller_hangup_during_a_keep_alive_hangs_up_leg_b_and_fails_what_the_flow_queued() {
    let mut m = Mocks::new();
    m.sfn
        .push(failure_rule("tok-2", wire::ERROR_HANGUP, "HANGUP"));
    m.sqs.push(
        mock!(aws_sdk_sqs::Client::receive_message)
            .sequence()
            .output(|| message(actions("tok-2", "queued meanwhile"), "r-2"))
            .output(|| ReceiveMessageOutput::builder().build())
            .repeatedly()
            .build(),
    );
    m.sqs.push(
        mock!(aws_sdk_sqs::Client::delete_message)
            .then_output(|| DeleteMessageOutput::builder().build()),
    );
    m.sqs.push(
        mock!(aws_sdk_sqs::Client::delete_queue)
            .then_output(|| DeleteQueueOutput::builder().build()),
    );
    let router = m.router();
    let event = caller_left_while_bridged(None, &[("SwitchboardKeepAlive", "2")]);
    let reply = run(&router, &event).await;
    assert_leg_b_hung_up_silently(&reply, json!({"QueueUrl": URL}));
    assert_eq!(
        m.sfn[0].num_calls(),
        1,
        "the queued task is failed with HANGUP"
    );

    let over = bridged_leg_hung_up_after(&event, &reply.response);
    let end = run(&router, &over).await;
    assert_eq!(end.response["Actions"], json!([]));
    assert_eq!(m.sfn[0].num_calls(), 1, "tok-2 is not failed a second time");
    assert_eq!(m.sqs[2].num_calls(), 1, "queue deleted at the end");
}

/// Wherever the router would apologise, a caller who has left hears nothing and the bridged
/// party is hung up silently.
#[tokio::test]
async fn the_router_never_apologises_once_the_caller_has_left() {
    // The token is gone and the execution has ended.
    let mut m = Mocks::new();
    m.sfn.push(
        mock!(aws_sdk_sfn::Client::send_task_failure).then_error(|| {
            SendTaskFailureError::TaskTimedOut(TaskTimedOut::builder().message("gone").build())
        }),
    );
    m.sfn.push(
        mock!(aws_sdk_sfn::Client::describe_execution).then_output(|| {
            DescribeExecutionOutput::builder()
                .execution_arn("a")
                .state_machine_arn(ARN)
                .status(ExecutionStatus::Succeeded)
                .start_date(aws_sdk_sfn::primitives::DateTime::from_secs(0))
                .build()
                .unwrap()
        }),
    );
    let router = m.router();
    let reply = run(&router, &caller_left_while_bridged(Some("tok-1"), &[])).await;
    assert_leg_b_hung_up_silently(&reply, json!({"QueueUrl": URL}));

    // Step Functions fails after the SDK's retries.
    let mut m = Mocks::new();
    m.sfn.push(
        mock!(aws_sdk_sfn::Client::send_task_failure)
            .then_error(|| SendTaskFailureError::unhandled("throttled")),
    );
    let router = m.router();
    let reply = run(&router, &caller_left_while_bridged(Some("tok-1"), &[])).await;
    assert_leg_b_hung_up_silently(&reply, json!({"QueueUrl": URL}));
    assert_eq!(kinds(&reply), ["backend"]);

    // No QueueUrl: nothing to keep; the attributes are cleared.
    let router = Mocks::new().router();
    let mut event = caller_left_while_bridged(None, &[]);
    event["CallDetails"]
        .as_object_mut()
        .unwrap()
        .remove("TransactionAttributes");
    let reply = run(&router, &event).await;
    assert_leg_b_hung_up_silently(&reply, json!({}));

    // A progress event while the caller is gone completes nothing and says nothing: the
    // caller's HANGUP does the work.
    let mut m = Mocks::new();
    m.sfn.push(success_rule("tok-1"));
    m.sqs.push(receive_rule(actions("tok-2", "to nobody")));
    let router = m.router();
    let mut event = mid_call("action-successful-call-and-bridge", Some("tok-1"));
    event["CallDetails"]["Participants"][0]["Status"] = "Disconnected".into();
    let reply = run(&router, &event).await;
    assert_eq!(reply.response["Actions"], json!([]));
    assert_eq!(m.sfn[0].num_calls() + m.sqs[0].num_calls(), 0);
}

fn token_gone(m: &mut Mocks, status: ExecutionStatus) {
    m.sfn.push(
        mock!(aws_sdk_sfn::Client::send_task_success).then_error(|| {
            SendTaskSuccessError::TaskTimedOut(TaskTimedOut::builder().message("gone").build())
        }),
    );
    m.sfn.push(
        mock!(aws_sdk_sfn::Client::describe_execution)
            .match_requests(|r| {
                r.execution_arn()
                    == Some(
                        "arn:aws:states:us-east-1:123456789012:execution:front-desk:transaction-id",
                    )
            })
            .then_output(move || {
                DescribeExecutionOutput::builder()
                    .execution_arn("a")
                    .state_machine_arn(ARN)
                    .status(status.clone())
                    .start_date(aws_sdk_sfn::primitives::DateTime::from_secs(0))
                    .build()
                    .unwrap()
            }),
    );
}

#[tokio::test]
async fn stale_token_of_a_running_execution_is_a_retry_and_still_gets_actions() {
    let mut m = Mocks::new();
    token_gone(&mut m, ExecutionStatus::Running);
    m.sqs.push(receive_rule(actions("tok-2", "next")));
    let router = m.router();
    let reply = run(&router, &mid_call("digits-received", Some("tok-1"))).await;
    assert_eq!(kinds(&reply), ["token_gone"]);
    assert_eq!(reply.response["Actions"][0]["Parameters"]["Text"], "next");
}

fn assert_apology(reply: &Reply, kind: &str) {
    assert_eq!(kinds(reply), [kind], "{:?}", reply.incidents);
    let acts = reply.response["Actions"].as_array().unwrap();
    assert_eq!(acts.len(), 2, "{:#}", reply.response);
    assert_eq!(acts[0]["Type"], "Speak");
    assert_eq!(acts[1]["Type"], "Hangup");
    assert_eq!(acts[1]["Parameters"]["SipResponseCode"], "480");
    assert!(reply.response["TransactionAttributes"]
        .get("WaitToken")
        .is_none());
    assert_eq!(
        reply.incidents[0].transaction_id.as_deref(),
        Some("transaction-id")
    );
}

#[tokio::test]
async fn stale_token_of_an_ended_execution_ends_the_call_politely() {
    let mut m = Mocks::new();
    token_gone(&mut m, ExecutionStatus::Succeeded);
    let router = m.router();
    assert_apology(
        &run(&router, &mid_call("digits-received", Some("tok-1"))).await,
        "execution_ended",
    );
}

#[tokio::test]
async fn missing_token_ends_the_call_politely() {
    let router = Mocks::new().router();
    assert_apology(
        &run(&router, &mid_call("digits-received", None)).await,
        "missing_token",
    );
    let mut no_attrs = fixture("digits-received");
    no_attrs["CallDetails"]
        .as_object_mut()
        .unwrap()
        .remove("TransactionAttributes");
    assert_apology(&run(&router, &no_attrs).await, "missing_token");
}

#[tokio::test]
async fn vanished_queue_ends_the_call_politely() {
    let mut m = Mocks::new();
    m.sfn.push(success_rule("tok-1"));
    m.sqs
        .push(mock!(aws_sdk_sqs::Client::receive_message).then_error(|| {
            ReceiveMessageError::QueueDoesNotExist(
                QueueDoesNotExist::builder().message("gone").build(),
            )
        }));
    let router = m.router();
    assert_apology(
        &run(&router, &mid_call("digits-received", Some("tok-1"))).await,
        "queue_gone",
    );
}

#[tokio::test]
async fn aws_error_after_retries_ends_the_call_politely() {
    let mut m = Mocks::new();
    m.sfn.push(
        mock!(aws_sdk_sfn::Client::send_task_failure)
            .then_error(|| SendTaskFailureError::unhandled("throttled")),
    );
    let router = m.router();
    assert_apology(
        &run(
            &router,
            &mid_call("action-failed-play-audio", Some("tok-1")),
        )
        .await,
        "backend",
    );
}

#[tokio::test]
async fn malformed_message_from_the_flow_ends_the_call_politely() {
    let mut m = Mocks::new();
    m.sfn.push(success_rule("tok-1"));
    m.sqs.push(receive_rule("{\"Actions\": 3}".to_owned()));
    m.sqs.push(
        mock!(aws_sdk_sqs::Client::delete_message)
            .then_output(|| DeleteMessageOutput::builder().build()),
    );
    let router = m.router();
    assert_apology(
        &run(&router, &mid_call("digits-received", Some("tok-1"))).await,
        "bad_message",
    );
}

#[tokio::test]
async fn slow_workflow_gets_a_keep_alive_then_resumes_without_completing_anything() {
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::Arc;
    let mut m = Mocks::new();
    m.budget_ms = 400;
    m.sfn.push(success_rule("tok-1"));
    // The flow queues its next actions only once the first answer has gone out.
    let done = Arc::new(AtomicBool::new(false));
    let d = done.clone();
    m.sqs.push(
        mock!(aws_sdk_sqs::Client::receive_message).then_compute_output(move |_| {
            if d.load(Ordering::SeqCst) {
                message(actions("tok-2", "done"), "r-new")
            } else {
                ReceiveMessageOutput::builder().build()
            }
        }),
    );
    let router = m.router();
    let first = run(&router, &mid_call("digits-received", Some("tok-1"))).await;
    assert_eq!(first.response["Actions"][0]["Type"], "Pause");
    assert_eq!(
        first.response["Actions"][0]["Parameters"]["DurationInMilliseconds"],
        "700"
    );
    let attrs = &first.response["TransactionAttributes"];
    assert!(attrs.get("WaitToken").is_none());
    assert_eq!(attrs["QueueUrl"], URL);
    done.store(true, Ordering::SeqCst);

    // PSTN audio reports the Pause with the keep-alive's attributes.
    let mut pause_done = fixture("action-successful-speak-and-get-digits");
    pause_done["ActionData"] = json!({"Type": "Pause", "Parameters": {"CallId": "call-id-1", "DurationInMilliseconds": "700"}});
    pause_done["CallDetails"]["TransactionAttributes"] = attrs.clone();
    let second = run(&router, &pause_done).await;
    assert_eq!(second.response["Actions"][0]["Parameters"]["Text"], "done");
    assert_eq!(m.sfn[0].num_calls(), 1, "the keep-alive completed no token");
}

/// SQS long polls last whole seconds (0–20). The queue rounds its wait down and covers the rest
/// with short polls, so it never waits past the time it was given (it used to round to the
/// nearest second: up to half a second late).
#[tokio::test]
async fn the_long_poll_never_asks_sqs_to_wait_past_the_time_it_was_given() {
    use std::sync::{Arc, Mutex};
    use switchboard_router::ActionQueue;
    let asked: Arc<Mutex<Vec<(tokio::time::Instant, i32)>>> = Arc::default();
    let a = asked.clone();
    let rule = mock!(aws_sdk_sqs::Client::receive_message).then_compute_output(move |r| {
        a.lock().unwrap().push((
            tokio::time::Instant::now(),
            r.wait_time_seconds().unwrap_or(-1),
        ));
        ReceiveMessageOutput::builder().build()
    });
    let queue = AwsQueue::new(mock_client!(aws_sdk_sqs, RuleMode::MatchAny, &[&rule]));
    // The mock answers at once, so a long poll ends early and is asked again: the test takes
    // the sum of these waits in real time.
    for wait_ms in [0u64, 150, 700, 1_300] {
        asked.lock().unwrap().clear();
        let wait = Duration::from_millis(wait_ms);
        let started = tokio::time::Instant::now();
        assert_eq!(queue.receive(URL, wait).await.unwrap(), None);
        let calls = asked.lock().unwrap().clone();
        assert!(!calls.is_empty(), "{wait_ms} ms: at least one look");
        for (at, secs) in &calls {
            assert!((0..=20).contains(secs), "{wait_ms} ms: {calls:?}");
            let ends = *at + Duration::from_secs(*secs as u64);
            assert!(
                ends <= started + wait || (*secs == 0 && wait.is_zero()),
                "{wait_ms} ms: asked to wait {secs} s at +{:?}",
                *at - started
            );
        }
    }
}

#[tokio::test]
async fn a_workflow_silent_past_the_keep_alive_limit_ends_the_call() {
    let mut m = Mocks::new();
    m.budget_ms = 300;
    m.sqs.push(
        mock!(aws_sdk_sqs::Client::receive_message)
            .sequence()
            .output(|| ReceiveMessageOutput::builder().build())
            .repeatedly()
            .build(),
    );
    let router = m.router();
    let mut ev = mid_call("action-successful-speak-and-get-digits", None);
    ev["ActionData"] = json!({"Type": "Pause", "Parameters": {}});
    ev["CallDetails"]["TransactionAttributes"]["SwitchboardKeepAlive"] = "3".into();
    assert_apology(&run(&router, &ev).await, "silent_workflow");
}

#[tokio::test]
async fn retried_invocation_does_not_complete_the_token_twice() {
    let mut m = Mocks::new();
    m.sfn.push(success_rule("tok-1"));
    m.sqs.push(receive_rule(actions("tok-2", "next")));
    let router = m.router();
    let event = mid_call("digits-received", Some("tok-1"));
    let first = run(&router, &event).await;
    let retry = run(&router, &event).await;
    assert_eq!(first.response, retry.response);
    assert_eq!(m.sfn[0].num_calls(), 1);
    assert_eq!(kinds(&retry), ["retry"]);
}

#[tokio::test]
async fn bad_input_gets_a_valid_empty_response_and_a_logged_error() {
    let router = Mocks::new().router();
    let mut no_details = fixture("digits-received");
    no_details.as_object_mut().unwrap().remove("CallDetails");
    let mut unknown = fixture("digits-received");
    unknown["InvocationEventType"] = "NEW_FAX".into();
    let mut three = fixture("hangup-leg-b");
    let extra = three["CallDetails"]["Participants"][1].clone();
    three["CallDetails"]["Participants"]
        .as_array_mut()
        .unwrap()
        .push(extra);
    let not_json: Value =
        serde_json::from_slice(&guard_payload(bytes::Bytes::from_static(b"<xml/>"))).unwrap();
    let cases = [
        (no_details, "$.CallDetails"),
        (unknown, "unknown event type \"NEW_FAX\""),
        (three, "got 3"),
        (
            not_json,
            "payload is not JSON the runtime can read: expected value at line 1 column 1",
        ),
        (json!([1, 2]), "expected a JSON object"),
    ];
    for (event, want) in cases {
        let reply = run(&router, &event).await;
        assert_eq!(
            reply.response,
            json!({"SchemaVersion": "1.0", "Actions": []})
        );
        assert_eq!(kinds(&reply), ["bad_event"]);
        assert!(
            reply.incidents[0].detail.contains(want),
            "{}",
            reply.incidents[0].detail
        );
    }
}

#[tokio::test]
async fn a_repeated_final_hangup_fails_the_token_once() {
    let mut event = mid_call("hangup", Some("tok-1"));
    event["CallDetails"]["Participants"][0]["Status"] = "Disconnected".into();
    let mut no_sequence = event.clone();
    no_sequence.as_object_mut().unwrap().remove("Sequence");
    let mut m = Mocks::new();
    m.sfn
        .push(failure_rule("tok-1", wire::ERROR_HANGUP, "HANGUP"));
    m.sqs.push(
        mock!(aws_sdk_sqs::Client::delete_queue)
            .then_output(|| DeleteQueueOutput::builder().build()),
    );
    let router = m.router();
    for ev in [&event, &event, &no_sequence, &no_sequence] {
        let reply = run(&router, ev).await;
        assert_eq!(reply.response["Actions"], json!([]));
    }
    assert_eq!(m.sfn[0].num_calls(), 1);
}

#[tokio::test]
async fn events_without_a_usable_sequence_complete_their_token_once() {
    for sequence in [None, Some(json!("abc")), Some(json!(-1)), Some(json!(2.5))] {
        let mut event = mid_call("digits-received", Some("tok-1"));
        match &sequence {
            None => {
                event.as_object_mut().unwrap().remove("Sequence");
            }
            Some(s) => event["Sequence"] = s.clone(),
        }
        let mut m = Mocks::new();
        m.sfn.push(success_rule("tok-1"));
        m.sqs.push(receive_rule(actions("tok-2", "next")));
        let router = m.router();
        for _ in 0..3 {
            let reply = run(&router, &event).await;
            assert_eq!(reply.response["Actions"][0]["Parameters"]["Text"], "next");
        }
        assert_eq!(m.sfn[0].num_calls(), 1, "Sequence {sequence:?}");
    }
}

/// A typed check of a response: it parses into the PSTN audio model and meets every documented
/// constraint (a `Speak` needs a `CallId`, tags are LEG-A or LEG-B, ...).
fn assert_typed_valid(response: &Value) {
    let typed: switchboard::pstn::Response =
        serde_json::from_value(response.clone()).unwrap_or_else(|e| panic!("{e}: {response:#}"));
    if let Err(errors) = typed.validate() {
        panic!("{errors:?}: {response:#}");
    }
}

/// The documentation gives `Status` two values, `Connected` and `Disconnected`
/// (<https://docs.aws.amazon.com/chime-sdk/latest/dg/pstn-invocations.html>). Anything else
/// means the event is not what the router understands: guessing whether the caller left could
/// fail a token for a caller who is there, so the event is reported and answered with nothing.
#[tokio::test]
async fn garbage_leg_fields_are_bad_events_reported_by_field() {
    let cases: [(&str, &str, Value, &str); 5] = [
        (
            "action-failed-play-audio",
            "Status",
            json!(""),
            "Participants[0].Status",
        ),
        (
            "action-failed-play-audio",
            "Status",
            json!("Ringing?"),
            "Participants[0].Status",
        ),
        (
            "digits-received",
            "Status",
            json!(7),
            "Participants[0].Status",
        ),
        (
            "digits-received",
            "CallId",
            json!(""),
            "Participants[0].CallId",
        ),
        (
            "digits-received",
            "ParticipantTag",
            json!("LEG-C"),
            "Participants[0].ParticipantTag",
        ),
    ];
    for (fixture_name, field, value, want) in cases {
        let mut event = mid_call(fixture_name, Some("tok-1"));
        event["CallDetails"]["Participants"][0][field] = value.clone();
        let mut m = Mocks::new();
        m.sfn.push(success_rule("tok-1"));
        m.sfn.push(failure_rule(
            "tok-1",
            wire::ERROR_ACTION_FAILED,
            "InvalidAudioSource: Audio Source parameter value is invalid.",
        ));
        m.sqs.push(receive_rule(actions("tok-2", "x")));
        let router = m.router();
        let reply = run(&router, &event).await;
        assert_eq!(
            reply.response,
            json!({"SchemaVersion": "1.0", "Actions": []}),
            "{field} {value}"
        );
        assert_eq!(kinds(&reply), ["bad_event"], "{field} {value}");
        assert!(
            reply.incidents[0].detail.contains(want),
            "{}",
            reply.incidents[0].detail
        );
        assert_eq!(
            m.sfn[0].num_calls() + m.sfn[1].num_calls() + m.sqs[0].num_calls(),
            0
        );
    }
}

/// The router's own answers target a leg of the event by its `CallId`, else by its tag, and
/// only say something (`Speak` needs a `CallId`) when they can.
#[tokio::test]
async fn the_routers_own_answers_target_real_legs_validly() {
    let router = Mocks::new().router();
    // An apology to a leg that has no CallId: the hang-up by tag, nothing spoken.
    let mut no_call_id = mid_call("digits-received", None);
    no_call_id["CallDetails"]["Participants"][0]
        .as_object_mut()
        .unwrap()
        .remove("CallId");
    let reply = run(&router, &no_call_id).await;
    assert_eq!(kinds(&reply), ["missing_token"]);
    assert_typed_valid(&reply.response);
    assert_eq!(
        reply.response["Actions"],
        json!([{"Type": "Hangup", "Parameters": {"ParticipantTag": "LEG-A", "SipResponseCode": "480"}}])
    );
    // Tags are written as the documentation spells them, whatever case the event used.
    let mut lower = fixture("new-inbound-call");
    lower["CallDetails"]["Participants"][0]["To"] = "+19995550000".into();
    let leg = lower["CallDetails"]["Participants"][0]
        .as_object_mut()
        .unwrap();
    leg.remove("CallId");
    leg.insert("ParticipantTag".into(), "leg-a".into());
    let reply = run(&router, &lower).await;
    assert_typed_valid(&reply.response);
    assert_eq!(
        reply.response["Actions"][0]["Parameters"]["ParticipantTag"],
        "LEG-A"
    );
    // The full apology is valid too.
    let reply = run(&router, &mid_call("digits-received", None)).await;
    assert_typed_valid(&reply.response);
    assert_eq!(reply.response["Actions"][0]["Type"], "Speak");
}

/// Execution and queue names come from the TransactionId: as it is when it is short and uses
/// only letters, digits, `-` and `_`; else a readable prefix and a SHA-256 digest of the whole id,
/// so ids that share their first 80 characters still get their own execution and queue.
#[tokio::test]
async fn distinct_transaction_ids_get_distinct_executions_and_queues() {
    use std::sync::{Arc, Mutex};
    let names: Arc<Mutex<Vec<(String, String)>>> = Arc::default();
    let queues: Arc<Mutex<Vec<String>>> = Arc::default();
    let mut m = Mocks::new();
    let q = queues.clone();
    m.sqs.push(
        mock!(aws_sdk_sqs::Client::create_queue).then_compute_output(move |r| {
            let name = r.queue_name().unwrap_or_default().to_owned();
            q.lock().unwrap().push(name.clone());
            CreateQueueOutput::builder()
                .queue_url(format!(
                    "https://sqs.us-east-1.amazonaws.com/123456789012/{name}"
                ))
                .build()
        }),
    );
    m.sqs.push(receive_rule(actions("tok-1", "Welcome")));
    let n = names.clone();
    m.sfn.push(
        mock!(aws_sdk_sfn::Client::start_execution).then_compute_output(move |r| {
            let input: Value = serde_json::from_str(r.input().unwrap()).unwrap();
            let tx = input["Event"]["CallDetails"]["TransactionId"]
                .as_str()
                .unwrap()
                .to_owned();
            n.lock().unwrap().push((tx, r.name().unwrap().to_owned()));
            StartExecutionOutput::builder()
                .execution_arn("a")
                .start_date(aws_sdk_sfn::primitives::DateTime::from_secs(0))
                .build()
                .unwrap()
        }),
    );
    let router = m.router();
    let long = "7a8b9c0d".repeat(10);
    let ids = [
        format!("{long}-first"),
        format!("{long}-second"),
        "tx with spaces/and:colons".to_owned(),
        "tx-with-spaces-and-colons".to_owned(),
        "é".repeat(100),
        "transaction-id".to_owned(),
    ];
    for id in &ids {
        let mut event = fixture("new-inbound-call");
        event["CallDetails"]["TransactionId"] = id.as_str().into();
        let reply = run(&router, &event).await;
        assert!(reply.incidents.is_empty(), "{id}: {:?}", reply.incidents);
    }
    let names = names.lock().unwrap().clone();
    let queues = queues.lock().unwrap().clone();
    assert_eq!(names.len(), ids.len());
    let allowed = |s: &str| {
        !s.is_empty()
            && s.len() <= 80
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    };
    for (tx, name) in &names {
        assert!(allowed(name), "{tx:?} → {name:?}");
    }
    for q in &queues {
        assert!(allowed(q), "{q:?}");
        assert!(q.starts_with("switchboard-"), "{q:?}");
    }
    let distinct = |v: Vec<&String>| v.iter().collect::<std::collections::HashSet<_>>().len();
    assert_eq!(
        distinct(names.iter().map(|(_, n)| n).collect()),
        ids.len(),
        "{names:?}"
    );
    assert_eq!(distinct(queues.iter().collect()), ids.len(), "{queues:?}");
    // Short, safe ids are kept as they are.
    assert!(names.contains(&("transaction-id".to_owned(), "transaction-id".to_owned())));
    assert!(queues.contains(&"switchboard-transaction-id".to_owned()));
    // Long or unsafe ids keep a readable start.
    assert!(names[0].1.starts_with("7a8b9c0d"), "{names:?}");
}
