//! Small hand-built arenas for the passes' unit tests.

use crate::arena::{Act, Arena, Assign, Caller, Catch, Meta, Name, Node, Pass, StateId, TOP};
use serde_json::json;
use switchboard::ir::{Expr, Loc};
use switchboard::lang::WAIT_KIND;

pub fn loc(line: u32) -> Loc {
    Loc {
        file: "flows/test.rs",
        line,
        column: 5,
    }
}

pub fn num(n: i64) -> Expr {
    Expr::Lit(json!(n))
}

/// An arena with the shared states filled (their content does not matter to the passes).
pub fn arena() -> Arena {
    let mut a = Arena::new();
    a.fill(StateId::FAILED, Node::Succeed);
    a.fill(StateId::CALL_ENDED, Node::Succeed);
    let end = Caller {
        acts: vec![hangup(0)],
        final_hangup: false,
        assign: Assign::default(),
        catch: Vec::new(),
        next: StateId::CALL_ENDED,
    };
    a.fill(StateId::END_HANGUP, Node::Caller(end));
    a
}

/// Fills the start state, assigning `queue_url` and `call`, going to `first`.
pub fn start_at(a: &mut Arena, first: StateId) {
    let assign = Assign {
        bind: None,
        vars: vec![
            ("queue_url".into(), Expr::StatesInput.field("QueueUrl")),
            ("call".into(), Expr::StatesInput.field("Event")),
        ],
    };
    a.fill(
        StateId::START,
        Node::Pass(Pass {
            assign,
            next: first,
        }),
    );
}

fn act(kind: &'static str, summary: String, line: u32) -> Act {
    Act {
        json: json!({ "Type": kind }),
        kind,
        summary,
        label: None,
        max_seconds: 7,
        loc: loc(line),
        hangs_up_caller: kind == "Hangup",
        origins: Default::default(),
    }
}

pub fn speak(line: u32) -> Act {
    act("Speak", format!("Speak {line}"), line)
}

pub fn ask(line: u32) -> Act {
    act("SpeakAndGetDigits", format!("Ask {line}"), line)
}

pub fn hangup(line: u32) -> Act {
    act("Hangup", "Hang up".into(), line)
}

pub fn wait_for_hangup(line: u32) -> Act {
    act(WAIT_KIND, "Wait for hang-up".into(), line)
}

pub fn catch_to(next: StateId) -> Catch {
    Catch {
        error: "States.ALL",
        assign: Assign::default(),
        next,
    }
}

fn meta(name: Name, follows: bool) -> Meta {
    Meta {
        origin: Some((loc(0), "test".into())),
        name,
        scope: TOP,
        follows,
        ..Meta::default()
    }
}

pub fn add_caller(a: &mut Arena, acts: Vec<Act>, next: StateId, follows: bool) -> StateId {
    let (origin, name) = Caller::describe(&acts);
    let c = Caller {
        acts,
        final_hangup: false,
        assign: Assign::default(),
        catch: Vec::new(),
        next,
    };
    let mut m = meta(name, follows);
    m.origin = origin;
    a.add(Node::Caller(c), m)
}

/// A Pass assigning `var := value`.
pub fn add_pass(a: &mut Arena, var: &str, value: Expr, next: StateId, follows: bool) -> StateId {
    let assign = Assign {
        bind: None,
        vars: vec![(var.into(), value)],
    };
    let name = crate::arena::pass_name(&assign);
    a.add(Node::Pass(Pass { assign, next }), meta(name, follows))
}

pub fn caller(a: &Arena, id: StateId) -> &Caller {
    match a.get(id) {
        Some(Node::Caller(c)) => c,
        other => panic!("{id:?} is not a caller Task: {other:?}"),
    }
}

pub fn summaries(c: &Caller) -> Vec<&str> {
    c.acts.iter().map(|a| a.summary.as_str()).collect()
}

/// The variables an `Assign` sets, in order (the bound one first).
pub fn assigned(a: &Assign) -> Vec<&str> {
    a.bind
        .iter()
        .map(|b| b.var.as_str())
        .chain(a.vars.iter().map(|(v, _)| v.as_str()))
        .collect()
}
