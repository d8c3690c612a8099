//! The builder records, for each value it sends, the call that set it (or would): the field of
//! the definition back to the method to write, stated once with the code that emits it.

use super::actions::*;
use super::ctx;
use super::services::{put_item, query, S};
use super::step::{ActionKind, Step};
use crate::ir::{Action, Expr, Loc, Tree};
use crate::origin::{Call, Origin};
use serde_json::{json, Value as Json};

pub(super) fn built<K: ActionKind>(f: impl FnOnce() -> Step<K>) -> Action {
    let (_, action, errors) = ctx::build(|| f().into_action());
    assert!(errors.is_empty(), "{errors:?}");
    action
}

/// The action object as sent: `{"Type", "Parameters"}`, a runtime value (`$call.CallId`) as
/// `"<runtime>"`.
fn sent(a: &Action) -> Json {
    fn go(t: &Tree) -> Json {
        match t {
            Tree::Leaf(Expr::Lit(v)) => v.clone(),
            Tree::Leaf(_) => json!("<runtime>"),
            Tree::Object(kv) => Json::Object(kv.iter().map(|(k, v)| (k.clone(), go(v))).collect()),
            Tree::Array(items) => Json::Array(items.iter().map(go).collect()),
        }
    }
    json!({"Type": a.kind, "Parameters": go(&a.params)})
}

pub(super) fn at<'a>(a: &'a Action, path: &[&str]) -> &'a Origin {
    a.origins
        .iter()
        .find(|o| o.path == path)
        .unwrap_or_else(|| panic!("nothing recorded at {path:?}: {:#?}", a.origins))
}

/// The source text at `loc` (the workspace's file, as `file!()` names it), from its column on.
pub(super) fn text_at(loc: Loc) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(loc.file);
    let source = std::fs::read_to_string(&path).expect("the test's own source");
    let line = source
        .lines()
        .nth(loc.line as usize - 1)
        .unwrap_or_default();
    line.chars().skip(loc.column as usize - 1).collect()
}

#[test]
fn an_option_records_its_call_and_a_default_the_call_that_would_change_it() {
    let a = built(|| speak_and_get_digits("Press 1.").retries(4));
    let prompt = at(&a, &["Parameters", "SpeechParameters", "Text"]);
    assert_eq!(prompt.call, Call::Function("speak_and_get_digits"));
    assert!(prompt.called && text_at(prompt.loc).starts_with("speak_and_get_digits(\"Press 1.\")"));
    let retries = at(&a, &["Parameters", "Repeat"]);
    assert_eq!(retries.call, Call::Method("retries"));
    assert!(retries.called && text_at(retries.loc).starts_with("retries(4)"));
    assert_eq!(sent(&a)["Parameters"]["Repeat"], json!(5));
    assert_eq!(retries.sent.argument(&json!(5)), Some(json!(4)));
    // Left at what Switchboard sends: the call to add, at the action's own call.
    let wait = at(&a, &["Parameters", "RepeatDurationInMilliseconds"]);
    assert_eq!(wait.call, Call::Method("wait_ms"));
    assert_eq!((wait.loc, wait.called), (prompt.loc, false));
    // Absent, and an option would send it.
    let voice = at(&a, &["Parameters", "SpeechParameters", "VoiceId"]);
    assert_eq!((voice.call, voice.called), (Call::Method("voice"), false));
    assert!(sent(&a)["Parameters"]["SpeechParameters"]
        .get("VoiceId")
        .is_none());
}

/// Every value an option sets names its call, and the argument that sends it is the one the
/// flow gave.
#[test]
fn every_recorded_value_is_what_its_argument_sends() {
    let actions = [
        built(|| {
            speak("Hi.")
                .voice("Matthew")
                .language("en-GB")
                .ssml()
                .standard_engine()
        }),
        built(|| {
            speak_and_get_digits("Press 1.")
                .digits(1..=3)
                .retries(1)
                .pattern("^1$")
                .terminators("#*")
                .digit_timeout_ms(2000)
                .wait_ms(4000)
                .failure_text("Sorry.")
        }),
        built(|| play_audio_and_get_digits("b", "k.wav").failure_audio("b", "f.wav")),
        built(|| play_audio("b", "k.wav").repeat(2).terminators("#")),
        built(|| {
            record_audio("b", "p/")
                .max_seconds(30)
                .silence_seconds(3)
                .silence_threshold(200)
                .terminators("#")
        }),
        built(|| hangup().sip_code(486)),
        built(|| pause(500)),
        built(|| send_digits("12#")),
        built(|| {
            call_and_bridge(pstn("+12065550100"))
                .caller_id("+12065550101")
                .ring_for(20)
                .sip_header("X-Id", "7")
                .leg("LEG-B")
        }),
        built(|| {
            start_bot_conversation("arn:aws:lex:us-east-1:123456789012:bot-alias/BOT/ALIAS")
                .welcome("Hi")
        }),
        built(|| start_call_recording("b/p").track("INCOMING")),
        built(|| voice_focus(true)),
        built(|| join_chime_meeting("t", "m")),
    ];
    // Each value sent, the call that set it and the argument that call is given back from the
    // value: the arguments above, written as the flow wrote them.
    let mut lines = Vec::new();
    for a in &actions {
        let json = sent(a);
        for o in a.origins.iter() {
            let pointer: String = o.path.iter().map(|p| format!("/{p}")).collect();
            let Some(value) = json.pointer(&pointer) else {
                assert!(!o.called, "{}: {pointer} recorded but not sent", a.kind);
                continue;
            };
            if !o.called {
                continue;
            }
            let arg = o.sent.argument(value);
            assert!(
                arg.as_ref()
                    .is_some_and(|arg| o.sent.send(arg).as_ref() == Some(value)),
                "{}: {pointer} = {value} is not what {} sends",
                a.kind,
                o.call
            );
            let arg = arg.map_or(String::new(), |a| {
                if a.is_null() {
                    String::new()
                } else {
                    a.to_string()
                }
            });
            let call = match o.call {
                Call::Function(f) => format!("{f}(arg {}: {arg})", o.arg),
                Call::Method(m) => format!(".{m}(arg {}: {arg})", o.arg),
            };
            lines.push(format!("{} {pointer} = {value} <- {call}", a.kind));
        }
    }
    insta::assert_snapshot!(lines.join("\n"));
}

#[test]
fn service_calls_record_their_arguments_and_timeout() {
    let (_, (), errors) = ctx::build(|| {
        let s = put_item("Messages").item("pk", S("owner")).timeout(30);
        let table = s
            .service
            .origins
            .iter()
            .find(|o| o.path == ["Arguments", "TableName"]);
        assert_eq!(table.map(|o| o.call), Some(Call::Function("put_item")));
        let attr = s
            .service
            .origins
            .iter()
            .find(|o| o.path == ["Arguments", "Item", "pk", "S"]);
        assert_eq!(attr.map(|o| o.call), Some(Call::Function("S")));
        let timeout = s
            .service
            .origins
            .iter()
            .find(|o| o.path == ["TimeoutSeconds"]);
        assert_eq!(
            timeout.map(|o| (o.call, o.called)),
            Some((Call::Method("timeout"), true))
        );
        std::mem::forget(s);
        let q = query("Messages").descending();
        let timeout = q
            .service
            .origins
            .iter()
            .find(|o| o.path == ["TimeoutSeconds"]);
        assert_eq!(
            timeout.map(|o| o.called),
            Some(false),
            "not called: the default"
        );
        std::mem::forget(q);
    });
    assert!(errors.is_empty(), "{errors:?}");
}
