//! The provider end to end, offline: the documented CloudFormation custom-resource request JSON
//! (<https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/crpg-ref-requests.html>) goes
//! to `Provider::handle` as the Lambda runtime hands it over; the real SDK clients call the fake of
//! Chime SDK Voice (and of Lambda's Invoke); a local HTTP server stands in for the pre-signed
//! `ResponseURL` and the tests check the exact body PUT there
//! (<https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/crpg-ref-responses.html>).

use std::sync::{Arc, Mutex};
use std::time::Duration;

use aws_config::retry::RetryConfig;
use aws_sdk_chimesdkvoice::config::{BehaviorVersion, Credentials, Region};
use serde_json::{json, Value};
use switchboard_lambda::http::{self, Reply};
use switchboard_provider::fake::{FakeChime, Number, OrderEnd, Rule};
use switchboard_provider::retry::Backoff;
use switchboard_provider::{Invocation, Outcome, Provider, Settings};

const STACK: &str =
    "arn:aws:cloudformation:us-east-1:123456789012:stack/switchboard/5b918d10-cd98-11ea-90d5-0a9cd3354c10";
const FUNCTION: &str = "arn:aws:lambda:us-east-1:123456789012:function:switchboard-provider";
const ROUTER: &str = "arn:aws:lambda:us-east-1:123456789012:function:switchboard-router";

/// What the stand-in `ResponseURL` received: (path, Content-Type, body).
type Received = Arc<Mutex<Vec<(String, Option<String>, Value)>>>;

struct Harness {
    fake: FakeChime,
    received: Received,
    responses: String,
    provider: Provider,
    requests: u32,
}

fn fast() -> Settings {
    let ms = |a, b| Backoff {
        first: Duration::from_millis(a),
        cap: Duration::from_millis(b),
    };
    Settings {
        retry: ms(1, 4),
        attempts: 5,
        order_poll: ms(1, 4),
        in_use_poll: ms(5, 20),
        in_use_for: Duration::from_secs(20),
        reserve: Duration::from_millis(50),
        give_up_after: Duration::from_secs(60),
        respond_retry: ms(1, 4),
        respond_attempts: 3,
    }
}

impl Harness {
    fn new() -> Harness {
        Self::with(fast(), "us-east-1")
    }

    fn with(settings: Settings, region: &str) -> Harness {
        let fake = FakeChime::start();
        let received: Received = Arc::default();
        let r = received.clone();
        let addr = http::serve(Arc::new(move |req| {
            let body = serde_json::from_slice(&req.body).unwrap_or(Value::Null);
            let ct = req.header("content-type").map(str::to_owned);
            r.lock().unwrap().push((req.path.clone(), ct, body));
            Reply::new(200, Vec::new())
        }));
        let creds = Credentials::new("AKIDTEST", "secret", None, None, "test");
        let chime = aws_sdk_chimesdkvoice::Config::builder()
            .behavior_version(BehaviorVersion::latest())
            .region(Region::new(region.to_owned()))
            .credentials_provider(creds.clone())
            .endpoint_url(&fake.url)
            .retry_config(RetryConfig::disabled())
            .build();
        let lambda = aws_sdk_lambda::Config::builder()
            .behavior_version(BehaviorVersion::latest())
            .region(Region::new(region.to_owned()))
            .credentials_provider(creds)
            .endpoint_url(&fake.url)
            .retry_config(RetryConfig::disabled())
            .build();
        let provider = Provider::new(
            aws_sdk_chimesdkvoice::Client::from_conf(chime),
            aws_sdk_lambda::Client::from_conf(lambda),
            Some(region.to_owned()),
            settings,
        )
        .unwrap();
        Harness {
            fake,
            received,
            responses: format!("http://{addr}"),
            provider,
            requests: 0,
        }
    }

    /// A request as CloudFormation sends it.
    fn event(
        &mut self,
        request_type: &str,
        resource_type: &str,
        props: Value,
        physical_id: Option<&str>,
        old: Option<Value>,
    ) -> Value {
        self.requests += 1;
        let id = format!("req-{}", self.requests);
        let mut props = props;
        props["ServiceToken"] = json!(FUNCTION);
        let mut e = json!({
            "RequestType": request_type,
            "RequestId": id,
            "ResponseURL": format!("{}/cfn/{id}?X-Amz-Signature=abc", self.responses),
            "ResourceType": resource_type,
            "LogicalResourceId": "Resource",
            "StackId": STACK,
            "ResourceProperties": props,
        });
        if let Some(p) = physical_id {
            e["PhysicalResourceId"] = json!(p);
        }
        if let Some(o) = old {
            e["OldResourceProperties"] = o;
        }
        e
    }

    async fn send(&self, event: &Value, deadline_in: Duration) -> Outcome {
        let inv = Invocation {
            deadline_ms: now_ms() + deadline_in.as_millis() as u64,
            function_arn: FUNCTION.to_owned(),
        };
        self.provider.handle(event, &inv).await.unwrap()
    }

    /// Sends `event` with plenty of time; returns the one body PUT for it.
    async fn run(&self, event: &Value) -> Value {
        let before = self.received.lock().unwrap().len();
        let outcome = self.send(event, Duration::from_secs(600)).await;
        assert!(matches!(outcome, Outcome::Responded(_)), "{outcome:?}");
        let got = self.received.lock().unwrap();
        assert_eq!(got.len(), before + 1, "exactly one response per request");
        let (path, content_type, body) = got[before].clone();
        let id = event["RequestId"].as_str().unwrap();
        assert_eq!(path, format!("/cfn/{id}?X-Amz-Signature=abc"));
        assert_eq!(
            content_type.as_deref(),
            Some(""),
            "cfn-response sends no content type"
        );
        body
    }

    fn calls(&self) -> Vec<String> {
        self.fake.calls()
    }
}

fn now_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as u64
}

fn success(req: &Value, physical_id: &str, data: Value) -> Value {
    json!({"Status": "SUCCESS", "PhysicalResourceId": physical_id, "StackId": STACK,
           "RequestId": req["RequestId"], "LogicalResourceId": "Resource", "Data": data})
}

fn failed(req: &Value, physical_id: &str, reason: &str) -> Value {
    json!({"Status": "FAILED", "Reason": reason, "PhysicalResourceId": physical_id,
           "StackId": STACK, "RequestId": req["RequestId"], "LogicalResourceId": "Resource"})
}

fn calls(names: &[&str]) -> Vec<String> {
    names.iter().map(|s| s.to_string()).collect()
}

const PN: &str = "Custom::PhoneNumber";
const SMA: &str = "Custom::SipMediaApplication";
const RULE: &str = "Custom::SipRule";

#[tokio::test]
async fn an_order_processing_then_successful_gives_the_number() {
    let mut h = Harness::new();
    h.fake.with(|s| s.order_polls = 3);
    let req = h.event("Create", PN, json!({"AreaCode": "212"}), None, None);
    let body = h.run(&req).await;
    assert_eq!(
        body,
        success(
            &req,
            "ordered:+12125550100",
            json!({"Number": "+12125550100", "Adopted": "false"})
        )
    );
    assert_eq!(
        h.calls(),
        calls(&[
            "SearchAvailablePhoneNumbers",
            "CreatePhoneNumberOrder",
            "GetPhoneNumberOrder",
            "GetPhoneNumberOrder",
            "GetPhoneNumberOrder",
            "GetPhoneNumberOrder"
        ])
    );
    assert!(h.fake.with(|s| s.numbers.contains_key("+12125550100")));
}

#[tokio::test]
async fn an_order_that_fails_is_failed_to_cloudformation_with_its_reason() {
    let mut h = Harness::new();
    h.fake.with(|s| s.order_end = Some(OrderEnd::Failed));
    let req = h.event("Create", PN, json!({"AreaCode": "212"}), None, None);
    let body = h.run(&req).await;
    assert_eq!(
        body,
        failed(
            &req,
            "failed:req-1",
            "phone number order order-0001 for +12125550100 ended Failed: ordered numbers: \
             +12125550100 Failed; try another --area-code or adopt a number with --number"
        )
    );
    // Its Delete (the rollback) calls nothing.
    let del = h.event(
        "Delete",
        PN,
        json!({"AreaCode": "212"}),
        Some("failed:req-1"),
        None,
    );
    let before = h.calls().len();
    assert_eq!(h.run(&del).await, success(&del, "failed:req-1", json!({})));
    assert_eq!(
        h.calls().len(),
        before,
        "a Delete after a failed Create calls Chime"
    );
}

#[tokio::test]
async fn an_empty_search_says_what_to_do() {
    let mut h = Harness::new();
    h.fake.with(|s| s.empty_areas.push("212".into()));
    let req = h.event("Create", PN, json!({"AreaCode": "212"}), None, None);
    assert_eq!(
        h.run(&req).await,
        failed(
            &req,
            "failed:req-1",
            "no numbers available in area code 212: try another --area-code or adopt one with \
             --number"
        )
    );
    assert_eq!(h.calls(), calls(&["SearchAvailablePhoneNumbers"]));
}

#[tokio::test]
async fn throttled_calls_are_retried_until_they_succeed() {
    let mut h = Harness::new();
    h.fake.with(|s| {
        s.throttle.insert("SearchAvailablePhoneNumbers".into(), 2);
        s.throttle.insert("CreatePhoneNumberOrder".into(), 1);
        s.throttle.insert("GetPhoneNumberOrder".into(), 1);
        s.order_polls = 0;
    });
    let req = h.event("Create", PN, json!({"AreaCode": "646"}), None, None);
    let body = h.run(&req).await;
    assert_eq!(body["Status"], "SUCCESS", "{body}");
    assert_eq!(
        h.calls(),
        calls(&[
            "SearchAvailablePhoneNumbers",
            "SearchAvailablePhoneNumbers",
            "SearchAvailablePhoneNumbers",
            "CreatePhoneNumberOrder",
            "CreatePhoneNumberOrder",
            "GetPhoneNumberOrder",
            "GetPhoneNumberOrder"
        ])
    );
    // Only one order was placed although its first attempt was refused.
    assert_eq!(h.fake.with(|s| s.numbers.len()), 1);
}

#[tokio::test]
async fn throttling_that_never_ends_fails_with_the_apis_message() {
    let mut h = Harness::new();
    h.fake
        .with(|s| s.throttle.insert("CreateSipMediaApplication".into(), 99));
    let props = json!({"Name": "app", "AwsRegion": "us-east-1", "LambdaArn": ROUTER});
    let req = h.event("Create", SMA, props, None, None);
    let body = h.run(&req).await;
    assert_eq!(
        body["Reason"],
        "CreateSipMediaApplication failed: ThrottledClientException: Rate exceeded (still \
         failing after 5 attempts: try again later)"
    );
    assert_eq!(h.calls().len(), 5);
}

fn own(h: &Harness, number: &str, product_type: &str) {
    h.fake.with(|s| {
        s.numbers.insert(
            number.into(),
            Number {
                product_type: product_type.into(),
                name: None,
            },
        )
    });
}

fn rule_on(h: &Harness, id: &str, number: &str) {
    h.fake.with(|s| {
        s.rules.insert(
            id.into(),
            Rule {
                name: "r".into(),
                trigger_value: number.into(),
                disabled: false,
                targets: json!([]),
            },
        )
    });
}

#[tokio::test]
async fn a_number_still_in_a_sip_rule_is_released_once_the_rule_goes() {
    let mut h = Harness::new();
    own(&h, "+12125550100", "SipMediaApplicationDialIn");
    rule_on(&h, "rule-7", "+12125550100");
    let fake = h.fake.clone();
    // The rule goes while the provider waits (its own deletion still in progress).
    let remover = std::thread::spawn(move || loop {
        let deletes = fake
            .calls()
            .iter()
            .filter(|c| *c == "DeletePhoneNumber")
            .count();
        if deletes >= 2 {
            fake.with(|s| s.rules.clear());
            return;
        }
        std::thread::sleep(Duration::from_millis(1));
    });
    let req = h.event(
        "Delete",
        PN,
        json!({"AreaCode": "212"}),
        Some("ordered:+12125550100"),
        None,
    );
    assert_eq!(
        h.run(&req).await,
        success(&req, "ordered:+12125550100", json!({}))
    );
    remover.join().unwrap();
    let deletes = h
        .calls()
        .iter()
        .filter(|c| *c == "DeletePhoneNumber")
        .count();
    assert!(deletes >= 3, "{:?}", h.calls());
    assert!(h.fake.with(|s| s.numbers.is_empty()));
}

#[tokio::test]
async fn a_number_whose_sip_rule_stays_fails_naming_the_rule() {
    let mut settings = fast();
    settings.in_use_for = Duration::from_millis(60);
    let mut h = Harness::with(settings, "us-east-1");
    own(&h, "+12125550100", "SipMediaApplicationDialIn");
    rule_on(&h, "rule-7", "+12125550100");
    let req = h.event(
        "Delete",
        PN,
        json!({"AreaCode": "212"}),
        Some("ordered:+12125550100"),
        None,
    );
    let body = h.run(&req).await;
    assert_eq!(body["Status"], "FAILED");
    assert_eq!(body["PhysicalResourceId"], "ordered:+12125550100");
    let reason = body["Reason"].as_str().unwrap();
    assert!(
        reason
            .starts_with("the number +12125550100 is still associated with SIP rule rule-7 after")
            && reason.contains("delete-sip-rule --sip-rule-id rule-7"),
        "{reason}"
    );
    assert!(h.fake.with(|s| s.numbers.contains_key("+12125550100")));
}

#[tokio::test]
async fn an_adopted_number_is_never_released() {
    let mut h = Harness::new();
    own(&h, "+12065550100", "SipMediaApplicationDialIn");
    let props = json!({"Number": "+12065550100"});
    let req = h.event("Create", PN, props.clone(), None, None);
    assert_eq!(
        h.run(&req).await,
        success(
            &req,
            "+12065550100",
            json!({"Number": "+12065550100", "Adopted": "true"})
        )
    );
    let del = h.event("Delete", PN, props, Some("+12065550100"), None);
    assert_eq!(h.run(&del).await, success(&del, "+12065550100", json!({})));
    assert_eq!(h.calls(), calls(&["GetPhoneNumber"]));
    assert!(h.fake.with(|s| s.numbers.contains_key("+12065550100")));
}

#[tokio::test]
async fn adopting_a_number_the_account_lacks_or_of_another_product_type_fails() {
    let mut h = Harness::new();
    own(&h, "+12065550100", "VoiceConnector");
    let req = h.event("Create", PN, json!({"Number": "+12065550199"}), None, None);
    let reason = h.run(&req).await["Reason"].as_str().unwrap().to_owned();
    assert!(
        reason.starts_with(
            "the number +12065550199 is not in this AWS account's Chime SDK phone numbers"
        ),
        "{reason}"
    );
    let req = h.event("Create", PN, json!({"Number": "+12065550100"}), None, None);
    let reason = h.run(&req).await["Reason"].as_str().unwrap().to_owned();
    assert!(
        reason.starts_with(
            "the number +12065550100 has ProductType VoiceConnector, not SipMediaApplicationDialIn"
        ),
        "{reason}"
    );
}

#[tokio::test]
async fn an_update_to_another_area_code_is_a_replacement_that_releases_nothing() {
    let mut h = Harness::new();
    h.fake.with(|s| s.order_polls = 0);
    let req = h.event(
        "Update",
        PN,
        json!({"AreaCode": "646"}),
        Some("ordered:+12125550100"),
        Some(json!({"AreaCode": "212", "ServiceToken": FUNCTION})),
    );
    own(&h, "+12125550100", "SipMediaApplicationDialIn");
    let body = h.run(&req).await;
    assert_eq!(body["PhysicalResourceId"], "ordered:+16465550100");
    assert!(!h.calls().contains(&"DeletePhoneNumber".to_owned()));
    // A Name change keeps the number.
    let req = h.event(
        "Update",
        PN,
        json!({"AreaCode": "646", "Name": "front desk"}),
        Some("ordered:+16465550100"),
        Some(json!({"AreaCode": "646"})),
    );
    assert_eq!(
        h.run(&req).await["PhysicalResourceId"],
        "ordered:+16465550100"
    );
    let name = h.fake.with(|s| s.numbers["+16465550100"].name.clone());
    assert_eq!(name.as_deref(), Some("front desk"));
}

#[tokio::test]
async fn a_long_order_is_handed_over_to_a_new_invocation_which_responds() {
    let mut h = Harness::new();
    h.fake.with(|s| s.order_polls = 4);
    let req = h.event("Create", PN, json!({"AreaCode": "212"}), None, None);
    // An invocation already at its deadline: one poll, then hand over.
    let outcome = h.send(&req, Duration::ZERO).await;
    let Outcome::HandedOver(c) = outcome else {
        panic!("{outcome:?}")
    };
    assert_eq!(
        (c.order_id.as_str(), c.number.as_str()),
        ("order-0001", "+12125550100")
    );
    assert!(
        h.received.lock().unwrap().is_empty(),
        "no response before the end"
    );
    let invocations = h.fake.with(|s| s.invocations.clone());
    assert_eq!(invocations.len(), 1);
    let next = invocations[0].clone();
    assert_eq!(next["SwitchboardContinuation"]["OrderId"], "order-0001");
    assert_eq!(next["RequestId"], req["RequestId"]);
    // The next invocation, again short of time, hands over once more; the third has time.
    assert!(matches!(
        h.send(&next, Duration::ZERO).await,
        Outcome::HandedOver(_)
    ));
    let third = h.fake.with(|s| s.invocations[1].clone());
    assert_eq!(third["SwitchboardContinuation"]["Handovers"], 2);
    let body = h.run(&third).await;
    assert_eq!(
        body,
        success(
            &req,
            "ordered:+12125550100",
            json!({"Number": "+12125550100", "Adopted": "false"})
        )
    );
    assert_eq!(h.received.lock().unwrap().len(), 1, "exactly one response");
    let orders = h
        .calls()
        .iter()
        .filter(|c| *c == "CreatePhoneNumberOrder")
        .count();
    assert_eq!(orders, 1, "the order is placed once: {:?}", h.calls());
    assert_eq!(h.calls().iter().filter(|c| *c == "Invoke").count(), 2);
}

#[tokio::test]
async fn an_order_still_pending_when_the_wait_ends_is_failed_and_its_delete_waits_for_it() {
    let mut settings = fast();
    settings.give_up_after = Duration::ZERO;
    let mut h = Harness::with(settings, "us-east-1");
    h.fake.with(|s| s.order_polls = 2);
    let req = h.event("Create", PN, json!({"AreaCode": "212"}), None, None);
    let body = h.run(&req).await;
    assert_eq!(
        body["PhysicalResourceId"],
        "pending:order-0001:+12125550100"
    );
    assert!(body["Reason"].as_str().unwrap().starts_with(
        "phone number order order-0001 for +12125550100 is still Processing after 0 minutes"
    ));
    // The rollback's Delete: still processing (poll 2) → FAILED, nothing released.
    let del = h.event(
        "Delete",
        PN,
        json!({"AreaCode": "212"}),
        Some("pending:order-0001:+12125550100"),
        None,
    );
    let body = h.run(&del).await;
    assert_eq!(body["Status"], "FAILED", "{body}");
    // Retried later: the order completed (poll 3), so the number is released.
    let del = h.event(
        "Delete",
        PN,
        json!({"AreaCode": "212"}),
        Some("pending:order-0001:+12125550100"),
        None,
    );
    assert_eq!(h.run(&del).await["Status"], "SUCCESS");
    assert!(h.calls().contains(&"DeletePhoneNumber".to_owned()));
    assert!(h.fake.with(|s| s.numbers.is_empty()));
}

#[tokio::test]
async fn sip_media_application_create_update_replace_delete() {
    let mut h = Harness::new();
    let props = json!({"Name": "app", "AwsRegion": "us-east-1", "LambdaArn": ROUTER});
    let req = h.event("Create", SMA, props.clone(), None, None);
    assert_eq!(
        h.run(&req).await,
        success(
            &req,
            "sma-0001",
            json!({"SipMediaApplicationId": "sma-0001"})
        )
    );
    let renamed = json!({"Name": "app2", "AwsRegion": "us-east-1", "LambdaArn": ROUTER});
    let req = h.event(
        "Update",
        SMA,
        renamed.clone(),
        Some("sma-0001"),
        Some(props),
    );
    assert_eq!(h.run(&req).await["PhysicalResourceId"], "sma-0001");
    assert_eq!(h.fake.with(|s| s.smas["sma-0001"].0.clone()), "app2");
    let moved = json!({"Name": "app2", "AwsRegion": "us-west-2", "LambdaArn": ROUTER});
    let req = h.event(
        "Update",
        SMA,
        moved,
        Some("sma-0001"),
        Some(renamed.clone()),
    );
    assert_eq!(h.run(&req).await["PhysicalResourceId"], "sma-0002");
    let del = h.event("Delete", SMA, renamed.clone(), Some("sma-0001"), None);
    assert_eq!(h.run(&del).await, success(&del, "sma-0001", json!({})));
    // Already gone: NotFound is success.
    let del = h.event("Delete", SMA, renamed, Some("sma-0001"), None);
    assert_eq!(h.run(&del).await["Status"], "SUCCESS");
    assert_eq!(
        h.fake.with(|s| s.smas.keys().cloned().collect::<Vec<_>>()),
        ["sma-0002"]
    );
}

#[tokio::test]
async fn sip_rule_create_update_and_delete_disabling_it_first() {
    let mut h = Harness::new();
    own(&h, "+12125550100", "SipMediaApplicationDialIn");
    let props = json!({"Name": "rule", "TriggerValue": "+12125550100",
                       "SipMediaApplicationId": "sma-1", "AwsRegion": "us-east-1"});
    let req = h.event("Create", RULE, props.clone(), None, None);
    assert_eq!(
        h.run(&req).await,
        success(&req, "rule-0001", json!({"SipRuleId": "rule-0001"}))
    );
    let targets = h.fake.with(|s| s.rules["rule-0001"].targets.clone());
    assert_eq!(
        targets,
        json!([{"SipMediaApplicationId": "sma-1", "Priority": 1, "AwsRegion": "us-east-1"}])
    );
    let moved = json!({"Name": "rule", "TriggerValue": "+12125550100",
                       "SipMediaApplicationId": "sma-2", "AwsRegion": "us-east-1", "Priority": "3"});
    let req = h.event(
        "Update",
        RULE,
        moved.clone(),
        Some("rule-0001"),
        Some(props),
    );
    assert_eq!(h.run(&req).await["PhysicalResourceId"], "rule-0001");
    let targets = h.fake.with(|s| s.rules["rule-0001"].targets.clone());
    assert_eq!(targets[0]["SipMediaApplicationId"], "sma-2");
    assert_eq!(targets[0]["Priority"], 3);
    let before = h.calls().len();
    let del = h.event("Delete", RULE, moved.clone(), Some("rule-0001"), None);
    assert_eq!(h.run(&del).await, success(&del, "rule-0001", json!({})));
    assert_eq!(
        h.calls()[before..],
        calls(&["GetSipRule", "UpdateSipRule", "DeleteSipRule"])
    );
    assert!(h.fake.with(|s| s.rules.is_empty()));
    let del = h.event("Delete", RULE, moved, Some("rule-0001"), None);
    assert_eq!(h.run(&del).await["Status"], "SUCCESS");
}

#[tokio::test]
async fn malformed_properties_fail_naming_them_without_calling_chime() {
    let mut h = Harness::new();
    let req = h.event(
        "Create",
        PN,
        json!({"AreaCode": "21", "Colour": "red"}),
        None,
        None,
    );
    assert_eq!(
        h.run(&req).await,
        failed(
            &req,
            "failed:req-1",
            "Custom::PhoneNumber: unknown property \"Colour\": Custom::PhoneNumber takes \
             AreaCode, Number, ProductType, Name\nCustom::PhoneNumber: property AreaCode \"21\" \
             is not a US area code: write three digits, the first 2 to 9, e.g. \"212\""
        )
    );
    let req = h.event(
        "Create",
        RULE,
        json!({"Name": "r", "Priority": "high"}),
        None,
        None,
    );
    let reason = h.run(&req).await["Reason"].as_str().unwrap().to_owned();
    for part in [
        "TriggerValue is missing",
        "SipMediaApplicationId is missing",
        "AwsRegion is missing",
        "Priority \"high\"",
    ] {
        assert!(reason.contains(part), "{part}: {reason}");
    }
    assert!(h.calls().is_empty());
    // Not a CloudFormation request at all: an error, and no response can be sent.
    let inv = Invocation {
        deadline_ms: now_ms() + 1000,
        function_arn: FUNCTION.into(),
    };
    assert!(h.provider.handle(&json!({"hello": 1}), &inv).await.is_err());
}

#[tokio::test]
async fn a_region_without_pstn_audio_fails_listing_the_regions() {
    let mut h = Harness::with(fast(), "eu-north-1");
    let props = json!({"Name": "app", "AwsRegion": "us-east-1", "LambdaArn": ROUTER});
    let req = h.event("Create", SMA, props, None, None);
    assert_eq!(
        h.run(&req).await["Reason"],
        "the stack is in eu-north-1, where the Amazon Chime SDK PSTN audio service does not run: \
         deploy it in one of us-east-1, us-west-2, ca-central-1, eu-central-1, eu-west-1, \
         eu-west-2, ap-northeast-1, ap-northeast-2, ap-southeast-1, ap-southeast-2 (see \
         https://docs.aws.amazon.com/chime-sdk/latest/dg/sdk-available-regions.html)"
    );
    // The rollback's Delete of that failed Create succeeds there too, calling nothing.
    let del = h.event("Delete", SMA, json!({}), Some("failed:req-1"), None);
    assert_eq!(h.run(&del).await, success(&del, "failed:req-1", json!({})));
    assert!(h.calls().is_empty());
}

/// The provider's role in the number stack (`switchboard_stack::number`) grants exactly the Chime
/// SDK Voice actions a whole life of its three resource types calls: no action it needs is
/// missing (the stack would fail in a real account, where the fake enforces nothing), and none is
/// granted that it never calls. Each API operation is authorised by the `chime:` action of the
/// same name (<https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonchime.html>).
#[tokio::test]
async fn the_provider_role_grants_exactly_the_chime_actions_a_whole_life_calls() {
    let mut h = Harness::new();
    let number = json!({"AreaCode": "212"});
    let req = h.event("Create", PN, number.clone(), None, None);
    assert_eq!(h.run(&req).await["Status"], "SUCCESS");
    let named = json!({"AreaCode": "212", "Name": "Acme"});
    let req = h.event(
        "Update",
        PN,
        named.clone(),
        Some("ordered:+12125550100"),
        Some(number),
    );
    assert_eq!(h.run(&req).await["Status"], "SUCCESS");
    let app = json!({"Name": "app", "AwsRegion": "us-east-1", "LambdaArn": ROUTER});
    let req = h.event("Create", SMA, app.clone(), None, None);
    let sma = h.run(&req).await["PhysicalResourceId"]
        .as_str()
        .unwrap()
        .to_owned();
    let renamed = json!({"Name": "app2", "AwsRegion": "us-east-1", "LambdaArn": ROUTER});
    let req = h.event("Update", SMA, renamed.clone(), Some(&sma), Some(app));
    assert_eq!(h.run(&req).await["Status"], "SUCCESS");
    let rule = json!({"Name": "rule", "TriggerValue": "+12125550100",
                      "SipMediaApplicationId": sma, "AwsRegion": "us-east-1"});
    let req = h.event("Create", RULE, rule.clone(), None, None);
    let rule_id = h.run(&req).await["PhysicalResourceId"]
        .as_str()
        .unwrap()
        .to_owned();
    let reprioritised = json!({"Name": "rule", "TriggerValue": "+12125550100",
                               "SipMediaApplicationId": sma, "AwsRegion": "us-east-1",
                               "Priority": "2"});
    let req = h.event(
        "Update",
        RULE,
        reprioritised.clone(),
        Some(&rule_id),
        Some(rule),
    );
    assert_eq!(h.run(&req).await["Status"], "SUCCESS");
    for (kind, props, id) in [
        (RULE, reprioritised, rule_id.as_str()),
        (SMA, renamed, sma.as_str()),
        (PN, named, "ordered:+12125550100"),
    ] {
        let req = h.event("Delete", kind, props, Some(id), None);
        assert_eq!(h.run(&req).await["Status"], "SUCCESS", "{kind}");
    }
    own(&h, "+12125550111", "SipMediaApplicationDialIn");
    let req = h.event("Create", PN, json!({"Number": "+12125550111"}), None, None);
    assert_eq!(h.run(&req).await["Status"], "SUCCESS");

    let called: std::collections::BTreeSet<String> =
        h.calls().iter().map(|op| format!("chime:{op}")).collect();
    let template = switchboard_stack::number::number();
    let statements = template["Resources"]["ProviderRole"]["Properties"]["Policies"][0]
        ["PolicyDocument"]["Statement"]
        .as_array()
        .unwrap();
    let granted: std::collections::BTreeSet<String> = statements
        .iter()
        .flat_map(|s| s["Action"].as_array().unwrap())
        .map(|a| a.as_str().unwrap().to_owned())
        .filter(|a| a.starts_with("chime:"))
        .collect();
    assert_eq!(granted, called);
}
