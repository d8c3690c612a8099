//! Flows `#[call_flow]` must accept, and the IR they build: what a trybuild case cannot show.

use switchboard::ir::{Block, Expr, Flow, StmtKind};
use switchboard::prelude::*;
use switchboard::CallFlow;

fn build<F: CallFlow<Config = ()>>() -> Flow {
    let flow = F::build(&());
    assert!(flow.errors.is_empty(), "{:?}", flow.errors);
    flow
}

/// Every statement of a block, nested ones included, in source order.
fn walk<'a>(block: &'a Block, out: &mut Vec<&'a StmtKind>) {
    for s in block {
        out.push(&s.kind);
        for b in s.kind.child_blocks() {
            walk(b, out);
        }
    }
}

fn statements(flow: &Flow) -> Vec<&StmtKind> {
    let mut out = Vec::new();
    walk(&flow.body, &mut out);
    out
}

fn assigned(flow: &Flow) -> Vec<&str> {
    statements(flow)
        .into_iter()
        .filter_map(|s| match s {
            StmtKind::Assign { var, .. } => Some(var.as_str()),
            _ => None,
        })
        .collect()
}

#[call_flow]
fn count(tries: &mut Val) {
    *tries += 1;
}

/// Passes its `&mut` parameter on, both ways Rust allows.
#[call_flow]
fn count_twice(tries: &mut Val) {
    count(tries);
    count(&mut *tries);
    speak(format!("{} so far.", *tries));
}

#[call_flow(name = "counter")]
fn counter(_call: &Call) {
    let mut tries = 0;
    loop {
        // Both branches name `tries`: one passes it as `&mut`, the other reads it.
        if tries < 3 {
            count_twice(&mut tries);
        } else {
            speak(format!("{} tries.", tries));
            break;
        }
    }
}

#[test]
fn a_mut_reference_parameter_assigns_the_callers_variable() {
    let flow = build::<counter>();
    // The `let mut` and the two `*tries += 1`, all on the caller's variable.
    assert_eq!(assigned(&flow), ["tries", "tries", "tries"]);
    let increments = statements(&flow)
        .into_iter()
        .filter(|s| {
            matches!(s, StmtKind::Assign { value: Expr::Binary(_, l, _), .. } if **l == Expr::Var("tries".into()))
        })
        .count();
    assert_eq!(increments, 2);
}

#[call_flow(name = "reassigned")]
fn reassigned(call: &Call) {
    let mut greeting = call.from;
    if greeting == "anonymous" {
        greeting = "there";
    }
    speak(format!("Hello {}.", greeting));
}

#[test]
fn a_let_mut_variable_is_assigned_in_place() {
    let flow = build::<reassigned>();
    assert_eq!(assigned(&flow), ["greeting", "greeting"]);
}

/// The text of every Speak action, in order.
fn spoken(flow: &Flow) -> Vec<String> {
    statements(flow)
        .into_iter()
        .filter_map(|s| match s {
            StmtKind::Action { action, .. } if action.kind == "Speak" => {
                match action.params.get("Text") {
                    Some(switchboard::ir::Tree::Leaf(Expr::Lit(t))) => {
                        t.as_str().map(str::to_owned)
                    }
                    _ => None,
                }
            }
            _ => None,
        })
        .collect()
}

#[call_flow(name = "dashes")]
fn dashes(_call: &Call) {
    // `repeat` of a `str`, not PlayAudio's option: it is not checked against PlayAudio's 1 to 5.
    speak("-".repeat(10));
    speak(format!("{}!", "ab".repeat(3)));
}

#[test]
fn options_are_checked_only_on_their_actions_chain() {
    assert_eq!(spoken(&build::<dashes>()), ["----------", "ababab!"]);
}

/// A flow function that speaks and returns a value: a `#[value]` helper cannot tell by its type.
#[call_flow]
fn announced_caller(call: &Call) -> Val {
    speak("Thank you for calling.");
    call.from
}

#[value]
fn greeting(call: &Call) -> Val {
    format!("Hello {}.", announced_caller(call))
}

#[call_flow(name = "greets-through-a-helper")]
fn greets_through_a_helper(call: &Call) {
    speak(greeting(call));
}

#[test]
fn a_step_run_while_a_helper_computes_is_reported_at_the_helper() {
    let flow = greets_through_a_helper::build(&());
    let messages: Vec<String> = flow.errors.iter().map(|e| e.to_string()).collect();
    assert_eq!(messages.len(), 1, "{messages:?}");
    assert!(
        messages[0].contains("`greeting` is a #[value] helper, yet computing its value ran a step (macros/tests/flows.rs:"),
        "{messages:?}"
    );
    // At the helper, and the speech is not slipped into the flow where the helper is used.
    assert_eq!(flow.errors[0].loc.line, line_of("fn greeting("));
    assert!(spoken(&flow).is_empty(), "{:?}", spoken(&flow));
}

/// The line of this file where `text` first appears.
fn line_of(text: &str) -> u32 {
    let source = include_str!("flows.rs");
    source
        .lines()
        .position(|l| l.contains(text))
        .map(|i| i as u32 + 1)
        .unwrap_or_default()
}
