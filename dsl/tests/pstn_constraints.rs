//! Each documented constraint: a failing example (field and message checked) and a boundary
//! example that passes. Pages are cited in `switchboard::pstn::limits`.

use serde_json::{json, Value};
use switchboard::pstn::{Action, ConstraintError, Response};

fn action(v: Value) -> Action {
    serde_json::from_value(v.clone()).unwrap_or_else(|e| panic!("{v}: {e}"))
}

fn errors(v: Value) -> Vec<ConstraintError> {
    action(v.clone())
        .validate()
        .expect_err(&format!("{v} should be rejected"))
}

/// Asserts `v` is rejected with an error at `field` whose message contains `says`.
fn rejects(v: Value, field: &str, says: &str) {
    let errs = errors(v);
    assert!(
        errs.iter()
            .any(|e| e.field == field && e.message.contains(says)),
        "expected {field}: ...{says}..., got {errs:#?}"
    );
}

fn accepts(v: Value) {
    if let Err(errs) = action(v.clone()).validate() {
        panic!("{v} should pass: {errs:#?}");
    }
}

fn bridge(timeout: Value, caller: &str, uri: &str) -> Value {
    json!({"Type": "CallAndBridge", "Parameters": {"CallTimeoutSeconds": timeout,
        "CallerIdNumber": caller, "Endpoints": [{"BridgeEndpointType": "PSTN", "Uri": uri}]}})
}

#[test]
fn call_and_bridge_timeout_is_1_to_120() {
    rejects(
        bridge(json!(121), "+12065550100", "+15105550101"),
        "Parameters.CallTimeoutSeconds",
        "use 1 to 120",
    );
    rejects(
        bridge(json!("0"), "+12065550100", "+15105550101"),
        "Parameters.CallTimeoutSeconds",
        "use 1 to 120",
    );
    accepts(bridge(json!(120), "+12065550100", "+15105550101"));
    accepts(bridge(json!("1"), "+12065550100", "+15105550101"));
    accepts(bridge(
        json!("{% $timeout %}"),
        "+12065550100",
        "+15105550101",
    ));
}

#[test]
fn call_and_bridge_numbers_are_e164() {
    rejects(
        bridge(json!(30), "2065550100", "+15105550101"),
        "Parameters.CallerIdNumber",
        "E.164",
    );
    rejects(
        bridge(json!(30), "+12065550100", "+1NPAXXXXXXX"),
        "Parameters.Endpoints[0].Uri",
        "E.164",
    );
    rejects(
        bridge(json!(30), "+1234567890123456", "+15105550101"),
        "Parameters.CallerIdNumber",
        "7 to 15 digits",
    );
    rejects(
        bridge(json!(30), "+12065550100", "+683400"),
        "Parameters.Endpoints[0].Uri",
        "7 to 15 digits",
    );
    accepts(bridge(json!(30), "+123456789012345", "+6834002"));
}

#[test]
fn call_and_bridge_takes_exactly_one_endpoint() {
    let two = json!({"Type": "CallAndBridge", "Parameters": {"CallerIdNumber": "+12065550100", "Endpoints": [
        {"BridgeEndpointType": "PSTN", "Uri": "+15105550101"}, {"BridgeEndpointType": "PSTN", "Uri": "+15105550102"}]}});
    rejects(two, "Parameters.Endpoints", "exactly one");
    let none = json!({"Type": "CallAndBridge", "Parameters": {"CallerIdNumber": "+12065550100", "Endpoints": []}});
    rejects(none, "Parameters.Endpoints", "exactly one");
}

#[test]
fn call_and_bridge_aws_endpoints_need_an_arn_and_a_short_uri() {
    let aws = |arn: Value, uri: &str| {
        json!({"Type": "CallAndBridge", "Parameters": {"CallerIdNumber": "+12065550100",
        "Endpoints": [{"BridgeEndpointType": "AWS", "Arn": arn, "Uri": uri}], "SipHeaders": {"x-Floor": "3"}}})
    };
    let arn = json!("arn:aws:chime:us-east-1:123456789012:vc/abc");
    rejects(
        aws(json!(""), "5550"),
        "Parameters.Endpoints[0].Arn",
        "required for BridgeEndpointType AWS",
    );
    rejects(
        aws(arn.clone(), &"1".repeat(37)),
        "Parameters.Endpoints[0].Uri",
        "1 to 36 characters",
    );
    rejects(
        aws(arn.clone(), "55 50"),
        "Parameters.Endpoints[0].Uri",
        "1 to 36 characters",
    );
    accepts(aws(arn, &"a".repeat(36)));
    let pstn_headers = json!({"Type": "CallAndBridge", "Parameters": {"CallerIdNumber": "+12065550100",
        "Endpoints": [{"BridgeEndpointType": "PSTN", "Uri": "+15105550101"}], "SipHeaders": {"x-Floor": "3"}}});
    rejects(
        pstn_headers,
        "Parameters.SipHeaders",
        "only used with BridgeEndpointType AWS",
    );
}

#[test]
fn hangup_sip_response_code_is_0_480_or_486() {
    let hangup = |code: Value| json!({"Type": "Hangup", "Parameters": {"ParticipantTag": "LEG-B", "SipResponseCode": code}});
    rejects(
        hangup(json!("404")),
        "Parameters.SipResponseCode",
        "use 0 (normal), 480 (unavailable) or 486 (busy)",
    );
    for ok in [json!("0"), json!(480), json!(486)] {
        accepts(hangup(ok));
    }
}

#[test]
fn participant_tags_are_leg_a_or_leg_b() {
    rejects(
        json!({"Type": "Hangup", "Parameters": {"ParticipantTag": "LEG-C"}}),
        "Parameters.ParticipantTag",
        "use LEG-A or LEG-B",
    );
    rejects(
        json!({"Type": "JoinChimeMeeting", "Parameters": {"JoinToken": "t", "ParticipantTag": "LEG-B"}}),
        "Parameters.ParticipantTag",
        "use LEG-A",
    );
    accepts(
        json!({"Type": "JoinChimeMeeting", "Parameters": {"JoinToken": "t", "ParticipantTag": "LEG-A"}}),
    );
}

#[test]
fn record_audio_limits() {
    let rec = |extra: Value| {
        let mut p = json!({"CallId": "c", "RecordingTerminators": ["#"],
            "RecordingDestination": {"Type": "S3", "BucketName": "b"}});
        p.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        json!({"Type": "RecordAudio", "Parameters": p})
    };
    rejects(
        rec(json!({"DurationInSeconds": "0"})),
        "Parameters.DurationInSeconds",
        "greater than 0",
    );
    rejects(
        rec(json!({"SilenceDurationInSeconds": 1001})),
        "Parameters.SilenceDurationInSeconds",
        "use 1 to 1000",
    );
    rejects(
        rec(json!({"SilenceThreshold": 0})),
        "Parameters.SilenceThreshold",
        "use 1 to 1000",
    );
    rejects(
        rec(json!({"RecordingTerminators": ["A"]})),
        "Parameters.RecordingTerminators[0]",
        "one DTMF key",
    );
    rejects(
        rec(json!({"RecordingTerminators": []})),
        "Parameters.RecordingTerminators",
        "at least one",
    );
    rejects(
        rec(json!({"ParticipantTag": "LEG-A"})),
        "Parameters.ParticipantTag",
        "cannot be used together with CallId",
    );
    rejects(
        rec(
            json!({"RecordingDestination": {"Type": "S3", "BucketName": "b", "Prefix": "p".repeat(980)}}),
        ),
        "Parameters.RecordingDestination.Prefix",
        "limit is 979",
    );
    accepts(rec(
        json!({"DurationInSeconds": 1, "SilenceDurationInSeconds": 1000, "SilenceThreshold": 1,
        "RecordingTerminators": ["0", "*", "#"],
        "RecordingDestination": {"Type": "S3", "BucketName": "b", "Prefix": "p".repeat(979)}}),
    ));
}

#[test]
fn pause_duration_bounds() {
    let pause = |ms: Value| json!({"Type": "Pause", "Parameters": {"DurationInMilliseconds": ms}});
    rejects(
        pause(json!(99)),
        "Parameters.DurationInMilliseconds",
        "use 100 to 30000",
    );
    rejects(
        pause(json!("30001")),
        "Parameters.DurationInMilliseconds",
        "use 100 to 30000",
    );
    accepts(pause(json!(100)));
    accepts(pause(json!("30000")));
}

#[test]
fn play_audio_repeat_and_terminators() {
    let play = |repeat: Value, term: Value| {
        json!({"Type": "PlayAudio", "Parameters": {"Repeat": repeat,
        "PlaybackTerminators": term, "AudioSource": {"Type": "S3", "BucketName": "b", "Key": "k.wav"}}})
    };
    rejects(
        play(json!("0"), json!(["#"])),
        "Parameters.Repeat",
        "greater than 0",
    );
    rejects(
        play(json!(1), json!(["##"])),
        "Parameters.PlaybackTerminators[0]",
        "one DTMF key",
    );
    accepts(play(json!("1"), json!(["1", "8", "#", "*"])));
    let no_key = json!({"Type": "PlayAudio", "Parameters": {"AudioSource": {"Type": "S3", "BucketName": "b", "Key": ""}}});
    rejects(no_key, "Parameters.AudioSource.Key", "required");
}

fn get_digits(digits: Value) -> Value {
    let mut p = json!({"CallId": "c", "SpeechParameters": {"Text": "Press a key"},
        "FailureSpeechParameters": {"Text": "Try again"}, "RepeatDurationInMilliseconds": 3000});
    p.as_object_mut()
        .unwrap()
        .extend(digits.as_object().unwrap().clone());
    json!({"Type": "SpeakAndGetDigits", "Parameters": p})
}

#[test]
fn digit_counts_are_0_to_128_with_min_at_most_max() {
    rejects(
        get_digits(json!({"MaxNumberOfDigits": 129})),
        "Parameters.MaxNumberOfDigits",
        "use 0 to 128",
    );
    rejects(
        get_digits(json!({"MinNumberOfDigits": -1})),
        "Parameters.MinNumberOfDigits",
        "use 0 to 128",
    );
    rejects(
        get_digits(json!({"MinNumberOfDigits": 4, "MaxNumberOfDigits": 3})),
        "Parameters.MaxNumberOfDigits",
        "less than MinNumberOfDigits 4",
    );
    // The maximum defaults to 128, so a minimum above it fails even without a maximum.
    rejects(
        get_digits(json!({"MinNumberOfDigits": 129})),
        "Parameters.MaxNumberOfDigits",
        "less than MinNumberOfDigits",
    );
    accepts(get_digits(
        json!({"MinNumberOfDigits": 10, "MaxNumberOfDigits": 10}),
    ));
    accepts(get_digits(
        json!({"MinNumberOfDigits": 0, "MaxNumberOfDigits": 128}),
    ));
}

#[test]
fn digit_timing_and_repeat_are_positive() {
    rejects(
        get_digits(json!({"Repeat": 0})),
        "Parameters.Repeat",
        "greater than 0",
    );
    rejects(
        get_digits(json!({"InBetweenDigitsDurationInMilliseconds": 0})),
        "Parameters.InBetweenDigitsDurationInMilliseconds",
        "greater than 0",
    );
    rejects(
        get_digits(json!({"RepeatDurationInMilliseconds": "0"})),
        "Parameters.RepeatDurationInMilliseconds",
        "greater than 0",
    );
    rejects(
        get_digits(json!({"TerminatorDigits": ["D"]})),
        "Parameters.TerminatorDigits[0]",
        "one DTMF key",
    );
    accepts(get_digits(
        json!({"Repeat": 1, "InBetweenDigitsDurationInMilliseconds": 1,
        "RepeatDurationInMilliseconds": 1, "TerminatorDigits": ["*"]}),
    ));
}

#[test]
fn receive_digits_flush_exceeds_in_between() {
    let rd = |between: i64, flush: i64| {
        json!({"Type": "ReceiveDigits", "Parameters": {"InputDigitsRegex": "^\\d#$",
        "InBetweenDigitsDurationInMilliseconds": between, "FlushDigitsDurationInMilliseconds": flush}})
    };
    rejects(
        rd(1000, 1000),
        "Parameters.FlushDigitsDurationInMilliseconds",
        "greater than InBetweenDigitsDurationInMilliseconds",
    );
    rejects(
        rd(0, 10),
        "Parameters.InBetweenDigitsDurationInMilliseconds",
        "greater than 0",
    );
    accepts(rd(1000, 1001));
}

#[test]
fn speak_text_limit_and_text_type() {
    let speak = |text: &str, ty: Option<&str>| {
        let mut p = json!({"CallId": "c", "Text": text});
        if let Some(t) = ty {
            p["TextType"] = json!(t);
        }
        json!({"Type": "Speak", "Parameters": p})
    };
    rejects(
        speak(&"é".repeat(1001), None),
        "Parameters.Text",
        "limit is 1000",
    );
    rejects(speak("", None), "Parameters.Text", "required");
    rejects(speak("Hello", Some("ssml")), "Parameters.Text", "<speak>");
    rejects(
        speak("<speak>Hi</speak>", None),
        "Parameters.Text",
        "TextType",
    );
    accepts(speak(&"é".repeat(1000), Some("text")));
    accepts(speak(
        "<speak>Hi <break time=\"1s\"/></speak>",
        Some("ssml"),
    ));
    rejects(
        get_digits(json!({"FailureSpeechParameters": {"Text": "x".repeat(1001)}})),
        "Parameters.FailureSpeechParameters.Text",
        "limit is 1000",
    );
}

#[test]
fn send_digits_set_count_and_tone() {
    let send = |digits: &str, tone: i64| {
        json!({"Type": "SendDigits", "Parameters": {"CallId": "c",
        "Digits": digits, "ToneDurationInMilliseconds": tone}})
    };
    rejects(send("12E", 250), "Parameters.Digits", "cannot be sent");
    rejects(
        send(&"1".repeat(51), 250),
        "Parameters.Digits",
        "send 1 to 50",
    );
    rejects(
        send("1", 49),
        "Parameters.ToneDurationInMilliseconds",
        "use 50 to 24000",
    );
    accepts(send(&"1234567890*#ABCD,".repeat(2), 50));
    accepts(send(&"9".repeat(50), 24000));
}

#[test]
fn attendee_list_is_1_to_100() {
    let modify = |n: usize| {
        json!({"Type": "ModifyChimeMeetingAttendees", "Parameters": {"Operation": "Unmute",
        "MeetingId": "m", "AttendeeList": (0..n).map(|i| format!("a{i}")).collect::<Vec<_>>()}})
    };
    rejects(modify(0), "Parameters.AttendeeList", "provide 1 to 100");
    rejects(modify(101), "Parameters.AttendeeList", "provide 1 to 100");
    accepts(modify(1));
    accepts(modify(100));
}

#[test]
fn bot_conversation_arn_and_welcome_messages() {
    let bot = |arn: &str, dialog: &str| {
        json!({"Type": "StartBotConversation", "Parameters": {"BotAliasArn": arn,
        "Configuration": {"SessionState": {"DialogAction": {"Type": dialog}},
        "WelcomeMessages": [{"Content": "Hi", "ContentType": "PlainText"}]}}})
    };
    let arn = "arn:aws:lex:us-east-1:123456789012:bot-alias/ABCDEFGHIH/MNOPQRSTUV";
    rejects(
        bot("arn:aws:lex:us-east-1:123:bot/x", "ElicitIntent"),
        "Parameters.BotAliasArn",
        "bot alias ARN",
    );
    rejects(
        bot(arn, "Delegate"),
        "Parameters.Configuration.WelcomeMessages",
        "ElicitIntent",
    );
    accepts(bot(arn, "ElicitIntent"));
}

#[test]
fn undocumented_parameters_are_reported() {
    let typo = json!({"Type": "Hangup", "Parameters": {"SipResponseCod": "0"}});
    rejects(
        typo,
        "Parameters.SipResponseCod",
        "not a documented parameter",
    );
}

#[test]
fn required_call_ids_are_not_empty() {
    rejects(
        json!({"Type": "VoiceFocus", "Parameters": {"Enable": true, "CallId": " "}}),
        "Parameters.CallId",
        "required",
    );
    rejects(
        json!({"Type": "StopCallRecording", "Parameters": {"CallId": ""}}),
        "Parameters.CallId",
        "required",
    );
    accepts(json!({"Type": "VoiceFocus", "Parameters": {"Enable": false, "CallId": "c"}}));
}

#[test]
fn all_errors_are_reported_at_once() {
    let errs = errors(bridge(json!(0), "nope", "nope"));
    assert_eq!(errs.len(), 3, "{errs:#?}");
    assert!(errs.iter().all(|e| e.action == "CallAndBridge"));
}

fn hangups(n: usize) -> Response {
    let a: Action = action(json!({"Type": "Hangup", "Parameters": {"SipResponseCode": "0"}}));
    Response::new(vec![a; n])
}

#[test]
fn response_limits() {
    assert!(hangups(10).validate().is_ok());
    let errs = hangups(11).validate().unwrap_err();
    assert!(
        errs.iter()
            .any(|e| e.field == "Actions" && e.message.contains("at most 10")),
        "{errs:#?}"
    );

    let mut r = hangups(1);
    r.schema_version = "2.0".into();
    let errs = r.validate().unwrap_err();
    assert!(
        errs.iter()
            .any(|e| e.field == "SchemaVersion" && e.message.contains("\"1.0\"")),
        "{errs:#?}"
    );

    let mut r = hangups(1);
    r.transaction_attributes = Some((0..101).map(|i| (format!("k{i}"), json!("v"))).collect());
    let errs = r.validate().unwrap_err();
    assert!(
        errs.iter()
            .any(|e| e.field == "TransactionAttributes" && e.message.contains("limit is 100")),
        "{errs:#?}"
    );

    let mut r = hangups(1);
    r.actions[0] = action(json!({"Type": "Hangup", "Parameters": {"SipResponseCode": 1}}));
    let errs = r.validate().unwrap_err();
    assert_eq!(errs[0].field, "Actions[0].Parameters.SipResponseCode");
}

#[test]
fn emitted_json_is_pascal_case_without_absent_options() {
    let r = hangups(1);
    let v = serde_json::to_value(&r).unwrap();
    assert_eq!(
        v,
        json!({"SchemaVersion": "1.0", "Actions": [{"Type": "Hangup", "Parameters": {"SipResponseCode": "0"}}]})
    );
}
