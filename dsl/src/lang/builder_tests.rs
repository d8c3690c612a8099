//! The builder reads the PSTN audio tables: what an action sends when the flow says nothing is
//! the parameter's `sends`, and an option out of range is reported with the option table's own
//! message (the one `#[call_flow]` gives for a literal).

use super::actions::*;
use super::ctx;
use super::message::take_message;
use super::step::{ActionKind, Step};
use crate::ir::{Action, Tree};
use crate::pstn::{limits, option, param};
use serde_json::{json, Value as Json};

/// The action a step builds, and the errors building it reported.
fn built<K: ActionKind>(f: impl FnOnce() -> Step<K>) -> (Action, Vec<String>) {
    let (_, action, errors) = ctx::build(|| f().into_action());
    (action, errors.into_iter().map(|e| e.message).collect())
}

fn param(a: &Action, key: &str) -> Json {
    a.params
        .get(key)
        .and_then(Tree::as_const)
        .unwrap_or_else(|| panic!("{} has no constant {key}", a.kind))
}

#[test]
fn defaults_are_what_the_parameter_table_sends() {
    let (a, _) = built(|| speak_and_get_digits("Press 1."));
    for p in [
        &param::MIN_NUMBER_OF_DIGITS,
        &param::MAX_NUMBER_OF_DIGITS,
        &param::IN_BETWEEN_DIGITS_MS,
        &param::GET_DIGITS_REPEAT,
        &param::REPEAT_DURATION_MS,
    ] {
        assert_eq!(param(&a, p.field), json!(p.sent()), "{}", p.field);
    }
    let (a, _) = built(|| record_audio("b", "p/"));
    for p in [
        &param::RECORD_DURATION_SECONDS,
        &param::RECORD_SILENCE_DURATION_SECONDS,
        &param::RECORD_SILENCE_THRESHOLD,
    ] {
        assert_eq!(param(&a, p.field), json!(p.sent()), "{}", p.field);
    }
    assert_eq!(
        param(&a, "RecordingTerminators"),
        json!([limits::DEFAULT_TERMINATORS])
    );
    let (a, _) = built(|| receive_digits("^1$"));
    for p in [
        &param::RECEIVE_IN_BETWEEN_DIGITS_MS,
        &param::RECEIVE_FLUSH_DIGITS_MS,
    ] {
        assert_eq!(param(&a, p.field), json!(p.sent()), "{}", p.field);
    }
    let (a, _) = built(|| send_digits("1"));
    let p = &param::TONE_DURATION_MS;
    assert_eq!(param(&a, p.field), json!(p.sent()));
    let (a, _) = built(|| call_and_bridge(pstn("+12065550100")));
    let p = &param::CALL_TIMEOUT_SECONDS;
    assert_eq!(param(&a, p.field), json!(p.sent()));
    let (a, _) = built(hangup);
    let code = limits::SIP_NORMAL_CLEARING.to_string();
    assert_eq!(param(&a, "SipResponseCode"), json!(code));
}

/// The option table's message for `value` on `chain`'s option `name`.
fn table_says(chain: &str, name: &str, value: i64) -> String {
    option::method(chain, name)
        .or_else(|| option::argument(chain))
        .and_then(|o| o.check_int(value).err())
        .unwrap_or_else(|| panic!("{chain}.{name}({value}) should be refused"))
}

#[test]
fn out_of_range_options_are_refused_with_the_tables_message() {
    let bad = |(_, errors): (Action, Vec<String>), want: String| {
        assert_eq!(errors, vec![want]);
    };
    let ask = || speak_and_get_digits("Press 1.");
    let play = || play_audio_and_get_digits("b", "k.wav");
    let ring = || call_and_bridge(pstn("+12065550100"));
    let rec = || record_audio("b", "p/");
    bad(
        built(|| ask().retries(10)),
        table_says("speak_and_get_digits", "retries", 10),
    );
    bad(
        built(|| play().retries(-1)),
        table_says("play_audio_and_get_digits", "retries", -1),
    );
    bad(
        built(|| ask().digit_timeout_ms(999)),
        table_says("speak_and_get_digits", "digit_timeout_ms", 999),
    );
    bad(
        built(|| play().wait_ms(30_001)),
        table_says("play_audio_and_get_digits", "wait_ms", 30_001),
    );
    bad(
        built(|| play_audio("b", "k.wav").repeat(6)),
        table_says("play_audio", "repeat", 6),
    );
    bad(
        built(|| ring().ring_for(121)),
        table_says("call_and_bridge", "ring_for", 121),
    );
    bad(
        built(|| rec().max_seconds(3_601)),
        table_says("record_audio", "max_seconds", 3_601),
    );
    bad(
        built(|| rec().silence_seconds(0)),
        table_says("record_audio", "silence_seconds", 0),
    );
    bad(
        built(|| rec().silence_threshold(1_001)),
        table_says("record_audio", "silence_threshold", 1_001),
    );
    bad(
        built(|| hangup().sip_code(404)),
        table_says("hangup", "sip_code", 404),
    );
    bad(built(|| pause(99)), table_says("pause", "", 99));
    bad(
        built(|| wait_for_hangup().max_minutes(1_441)),
        table_says("wait_for_hangup", "max_minutes", 1_441),
    );
    let digits = option::method("speak_and_get_digits", "digits").unwrap();
    bad(
        built(|| ask().digits(5..=2)),
        digits.check_range(5, 2).unwrap_err(),
    );
    let (_, (), errors) = ctx::build(|| {
        let m = take_message("b", "v/").min_seconds(61);
        std::mem::forget(m);
    });
    let errors: Vec<String> = errors.into_iter().map(|e| e.message).collect();
    assert_eq!(errors, vec![table_says("take_message", "min_seconds", 61)]);
}

#[test]
fn in_range_options_are_sent_as_given() {
    let (a, errors) = built(|| speak_and_get_digits("Press 1.").retries(9).digits(0..=128));
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(param(&a, "Repeat"), json!(10));
    assert_eq!(param(&a, "MaxNumberOfDigits"), json!(128));
    let (a, errors) = built(|| call_and_bridge(pstn("+12065550100")).ring_for(120));
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(param(&a, "CallTimeoutSeconds"), json!(120));
}

/// `pstn(…)` and `caller_id(…)` take numbers by the one E.164 rule (`E164`).
#[test]
fn numbers_follow_the_one_e164_rule() {
    for ok in ["+6834002", "+123456789012345"] {
        let (_, errors) = built(|| call_and_bridge(pstn(ok)).caller_id(ok));
        assert!(errors.is_empty(), "{ok}: {errors:?}");
    }
    for bad in ["+683400", "+1234567890123456", "+0123456789", "2065550100"] {
        let (_, errors) = built(|| call_and_bridge(pstn(bad)).caller_id(bad));
        assert_eq!(errors.len(), 2, "{bad}: {errors:?}");
        assert!(errors[0].starts_with("pstn: ") && errors[1].starts_with("caller_id: "));
        let why = crate::pstn::E164::parse(bad).unwrap_err().to_string();
        assert!(errors.iter().all(|e| e.ends_with(&why)), "{errors:?}");
    }
}
