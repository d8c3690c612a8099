//! `#[value]` helpers compile to exactly the JSONata of the same expressions written inline in a
//! flow: the same flow is written twice, once calling helpers and once with every helper's
//! expression spelled out where it is used, and the two compiled definitions must be equal but
//! for the `Comment`s (they name different source lines).

use serde_json::Value as Json;
use switchboard::prelude::*;
use switchboard_compiler::compile_flow;

/// Text: `format!`, methods, arithmetic on a number, a value `if`, a `let`.
#[value]
fn announcement(call: &Call, digits: Val) -> Val {
    let area = call.from.substring(2, 3);
    format!(
        "You pressed {} from area {}; that makes {}.{}",
        digits,
        area,
        digits.to_number() * 2 + 1,
        if area == "206" { " Welcome home." } else { "" }
    )
}

/// A value `match`, with `|` patterns, and a helper calling a helper.
#[value]
fn department(call: &Call, digits: Val) -> Val {
    match digits.as_str() {
        "1" => "sales",
        "2" | "3" => {
            if local(call) {
                "local-support"
            } else {
                "support"
            }
        }
        _ => "other",
    }
}

/// Comparisons, boolean logic, negation, `%`.
#[value]
fn local(call: &Call) -> Val {
    call.from.starts_with("+1206") && !(call.from == "+12065550100") && call.from.len() % 2 != 1
}

/// `json!` with computed fields.
#[value]
fn record(call: &Call, digits: Val) -> Val {
    json!({ "from": call.from, "pressed": digits, "twice": format!("{}{}", digits, digits) })
}

#[call_flow(name = "with-helpers")]
fn with_helpers(call: &Call) {
    let choice = speak_and_get_digits("Press 1 for sales, 2 or 3 for support.")
        .digits(1..=1)
        .retries(2);
    speak(announcement(call, choice.digits));
    let kind = department(call, choice.digits);
    invoke_lambda("notify", record(call, choice.digits));
    if local(call) {
        speak("You are calling from Seattle.");
    }
    match kind.as_str() {
        "sales" => speak("Sales."),
        "local-support" | "support" => speak("Support."),
        _ => speak("Goodbye."),
    }
}

#[call_flow(name = "inline")]
fn inline(call: &Call) {
    let choice = speak_and_get_digits("Press 1 for sales, 2 or 3 for support.")
        .digits(1..=1)
        .retries(2);
    speak(format!(
        "You pressed {} from area {}; that makes {}.{}",
        choice.digits,
        call.from.substring(2, 3),
        choice.digits.to_number() * 2 + 1,
        if call.from.substring(2, 3) == "206" {
            " Welcome home."
        } else {
            ""
        }
    ));
    let kind = match choice.digits.as_str() {
        "1" => "sales",
        "2" | "3" => {
            if call.from.starts_with("+1206")
                && !(call.from == "+12065550100")
                && call.from.len() % 2 != 1
            {
                "local-support"
            } else {
                "support"
            }
        }
        _ => "other",
    };
    invoke_lambda(
        "notify",
        json!({ "from": call.from, "pressed": choice.digits, "twice": format!("{}{}", choice.digits, choice.digits) }),
    );
    if call.from.starts_with("+1206") && !(call.from == "+12065550100") && call.from.len() % 2 != 1
    {
        speak("You are calling from Seattle.");
    }
    match kind.as_str() {
        "sales" => speak("Sales."),
        "local-support" | "support" => speak("Support."),
        _ => speak("Goodbye."),
    }
}

/// The definition as JSON, without the `Comment`s.
fn compiled<F: CallFlow<Config = ()>>() -> Json {
    let flow = F::build(&());
    assert!(flow.errors.is_empty(), "{}: {:?}", flow.name, flow.errors);
    let compiled = compile_flow(&flow).unwrap_or_else(|e| panic!("{}: {e:?}", flow.name));
    let mut json: Json = serde_json::from_str(&compiled.json).expect("JSON");
    strip_comments(&mut json);
    json
}

fn strip_comments(v: &mut Json) {
    match v {
        Json::Object(map) => {
            map.remove("Comment");
            map.values_mut().for_each(strip_comments);
        }
        Json::Array(items) => items.iter_mut().for_each(strip_comments),
        _ => {}
    }
}

#[test]
fn a_helpers_value_compiles_to_the_inline_expressions_jsonata() {
    let helpers = compiled::<with_helpers>();
    let inline = compiled::<inline>();
    // Not vacuous: every construct the helpers use reached the definition.
    let text = helpers.to_string();
    for fragment in [
        "$substring($call.From, 2, 3)",
        "($number($choice.digits) * 2) + 1",
        "\\\" Welcome home.\\\" : \\\"\\\"",
        "$substring($call.From, 0, $length(\\\"+1206\\\")) = \\\"+1206\\\"",
        "$length($call.From) % 2",
        "\\\"local-support\\\" : \\\"support\\\"",
        "\"twice\":\"{% $choice.digits & $choice.digits %}\"",
    ] {
        assert!(text.contains(fragment), "{fragment} not in {text}");
    }
    assert_eq!(
        serde_json::to_string_pretty(&helpers).unwrap(),
        serde_json::to_string_pretty(&inline).unwrap()
    );
}
