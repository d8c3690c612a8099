//! End-to-end against moto 5.2.5 (see `router/emulator/`): the router's real SDK clients pointed
//! at the emulator, flows deployed into it — a small flow compiled from `tests/e2e/flow.rs` for
//! the router's own behaviour, and every definition in `dist/` for whole calls — and scripted
//! PSTN events.
//! Run with `router/emulator/run-e2e.sh`; without `SWITCHBOARD_MOTO_URL` every test is SKIPPED.

use aws_sdk_sfn::types::ExecutionStatus;
use serde_json::{json, Value};
use switchboard::wire::event as ev;

#[path = "e2e/call.rs"]
mod call;
#[path = "e2e/dist.rs"]
mod dist;
#[path = "e2e/flow.rs"]
mod flow;
#[path = "e2e/moto.rs"]
mod moto;

use call::{is_keep_alive, Phone};
use moto::{moto_url, Env};

const DID: &str = "+12065551212";

async fn setup(url: &str) -> Env {
    moto::deploy(url, &flow::definition(), DID).await
}

fn action_type(r: &Value, i: usize) -> &str {
    r["Actions"][i]["Type"].as_str().unwrap_or("")
}

fn digits(d: &str) -> Option<Value> {
    Some(
        json!({"Type": "SpeakAndGetDigits", "Parameters": {"CallId": "call-a"}, "ReceivedDigits": d}),
    )
}

async fn greet(env: &Env, call: &mut Phone<'_>) {
    let r = call.send(ev::NEW_INBOUND_CALL, None).await;
    assert_eq!(action_type(&r, 0), "SpeakAndGetDigits", "{r:#}");
    assert!(r["TransactionAttributes"]["WaitToken"].is_string());
    let queue = call.queue_url.clone().expect("the answer names the queue");
    assert!(moto::queue_exists(&env.sqs, &queue).await);
}

async fn ended(env: &Env, call: &Phone<'_>) {
    assert_eq!(
        moto::call_status(env, &call.tx).await,
        ExecutionStatus::Succeeded
    );
    let queue = call.queue_url.as_deref().expect("the call had a queue");
    assert!(
        !moto::queue_exists(&env.sqs, queue).await,
        "queue deleted on the final hang-up"
    );
}

fn new_call(env: &Env) -> Phone<'_> {
    Phone::new(env, "+15105550101", DID)
}

#[tokio::test]
async fn complete_call_greeting_digits_bridge_hangup() {
    let Some(url) = moto_url() else { return };
    let env = setup(&url).await;
    let mut call = new_call(&env);
    greet(&env, &mut call).await;
    let r = call.send(ev::ACTION_SUCCESSFUL, digits("1")).await;
    assert_eq!(action_type(&r, 0), "CallAndBridge", "{r:#}");
    call.legs.push(
        json!({"CallId": "call-b", "ParticipantTag": "LEG-B", "To": "+17035550122",
        "From": DID, "Direction": "Outbound", "Status": "Connected"}),
    );
    let r = call
        .send(
            ev::ACTION_SUCCESSFUL,
            Some(json!({"Type": "CallAndBridge"})),
        )
        .await;
    assert_eq!(r["Actions"], json!([]), "waiting for a hang-up: {r:#}");
    call.legs[1]["Status"] = "Disconnected".into();
    let r = call.send(ev::HANGUP, Some(json!({"Type": "Hangup", "Parameters": {"CallId": "call-b", "ParticipantTag": "LEG-B"}}))).await;
    assert_eq!(
        action_type(&r, 0),
        "Hangup",
        "the flow hangs up the caller: {r:#}"
    );
    call.legs[0]["Status"] = "Disconnected".into();
    let r = call.send(ev::HANGUP, Some(json!({"Type": "Hangup", "Parameters": {"CallId": "call-a", "ParticipantTag": "LEG-A"}}))).await;
    assert_eq!(r["Actions"], json!([]));
    ended(&env, &call).await;
}

#[tokio::test]
async fn caller_hangs_up_mid_flow() {
    let Some(url) = moto_url() else { return };
    let env = setup(&url).await;
    let mut call = new_call(&env);
    greet(&env, &mut call).await;
    call.legs[0]["Status"] = "Disconnected".into();
    let r = call.send(ev::HANGUP, None).await;
    assert_eq!(r["Actions"], json!([]));
    ended(&env, &call).await;
}

#[tokio::test]
async fn action_failed_reaches_the_flow_with_its_cause() {
    let Some(url) = moto_url() else { return };
    let env = setup(&url).await;
    let mut call = new_call(&env);
    greet(&env, &mut call).await;
    call.send(ev::ACTION_SUCCESSFUL, digits("1")).await;
    let failed = json!({"Type": "CallAndBridge", "ErrorType": "InvalidActionParameter",
        "ErrorMessage": "Invalid caller ID."});
    let r = call.send(ev::ACTION_FAILED, Some(failed)).await;
    let text = r["Actions"][0]["Parameters"]["Text"].as_str().unwrap_or("");
    assert!(
        text.contains("InvalidActionParameter: Invalid caller ID."),
        "{r:#}"
    );
    assert_eq!(action_type(&r, 1), "Hangup");
}

#[tokio::test]
async fn slow_workflow_gets_keep_alives_until_its_actions_arrive() {
    let Some(url) = moto_url() else { return };
    let env = setup(&url).await;
    let mut call = new_call(&env);
    greet(&env, &mut call).await;
    let mut r = call.send(ev::ACTION_SUCCESSFUL, digits("2")).await;
    let mut pauses = 0;
    while is_keep_alive(&r) && pauses < 6 {
        pauses += 1;
        let pause = json!({"Type": "Pause", "Parameters": r["Actions"][0]["Parameters"].clone()});
        r = call.send(ev::ACTION_SUCCESSFUL, Some(pause)).await;
    }
    assert!(pauses >= 1, "the 5 s Wait outlasts the 2 s budget");
    assert_eq!(
        r["Actions"][0]["Parameters"]["Text"], "Your balance is 42 dollars.",
        "{r:#}"
    );
}

/// Step Functions' `$hash` (moto's own is a stub): each documented algorithm gives the digest
/// Rust computes, as lowercase hex; the sample's PIN hash comes out as configured.
/// <https://docs.aws.amazon.com/step-functions/latest/dg/transforming-data.html>
#[tokio::test]
async fn jsonata_hash_gives_the_documented_digests() {
    use sha2::Digest;
    let Some(url) = moto_url() else { return };
    let machine = json!({"QueryLanguage": "JSONata", "StartAt": "Hash", "States": {"Hash": {
        "Type": "Pass", "End": true,
        "Output": {"digest": "{% $hash($states.input.value, $states.input.algorithm) %}"}}}})
    .to_string();
    fn hex(bytes: &[u8]) -> String {
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }
    let value = "+12125550100:2468";
    let cases = [
        ("MD5", hex(&md5::Md5::digest(value))),
        ("SHA-1", hex(&sha1::Sha1::digest(value))),
        ("SHA-256", hex(&sha2::Sha256::digest(value))),
        ("SHA-384", hex(&sha2::Sha384::digest(value))),
        ("SHA-512", hex(&sha2::Sha512::digest(value))),
    ];
    // `pin_hash` in workflows/switchboard.toml: the business-phone owner's PIN 2468.
    assert_eq!(
        cases[2].1,
        "50c94e8164cba9be3abb34a37e3a0a624f1eda7794c94b3712337efab392cf33"
    );
    for (algorithm, digest) in cases {
        let input = json!({"value": value, "algorithm": algorithm});
        let (status, out) = moto::run_once(&url, &machine, &input).await;
        assert_eq!(status, ExecutionStatus::Succeeded, "{algorithm}: {out}");
        assert_eq!(out["digest"], json!(digest), "{algorithm}");
    }
    // An algorithm outside the documented five fails the execution instead of hashing, with
    // the error of a failed JSONata expression.
    let input = json!({"value": value, "algorithm": "SHA256"});
    let (status, out) = moto::run_once(&url, &machine, &input).await;
    assert_eq!(status, ExecutionStatus::Failed, "{out}");
    assert_eq!(out["Error"], "States.QueryEvaluationError", "{out}");
    assert!(
        out["Cause"].as_str().unwrap_or("").contains("SHA256"),
        "{out}"
    );
}

/// One test per flow in dist/: a whole call (or several) scripted in `e2e/dist.rs`.
macro_rules! dist_tests {
    ($($test:ident: $flow:ident,)*) => {$(
        #[tokio::test]
        async fn $test() {
            let Some(url) = moto_url() else { return };
            dist::play(&url, &dist::$flow).await;
        }
    )*};
}

dist_tests! {
    dist_hello_whole_call: HELLO,
    dist_voicemail_whole_call_files_the_message_and_notifies: VOICEMAIL,
    dist_front_desk_whole_call_open_hours_message: FRONT_DESK,
    dist_transfer_whole_call_nobody_answers_message: TRANSFER,
    dist_business_phone_customer_message_then_owner_hears_it: BUSINESS_PHONE,
}
