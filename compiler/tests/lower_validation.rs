//! Validation of flows whose IR is wrong in ways only the compiler sees: each test builds the IR
//! directly (as `#[call_flow]` would) and checks the diagnostics name the flow, the Rust
//! `file.rs:line` of the offending statement, and say what to do.

use serde_json::json;
use switchboard::ir::{BinOp, Expr, Flow, Stmt, StmtKind};
use switchboard_compiler::{compile_flow, Diagnostic};

mod support;
use support::ir::{flow, s, speak, FILE, FLOW};

fn assign(line: u32, var: &str, value: Expr) -> Stmt {
    s(
        line,
        StmtKind::Assign {
            var: var.into(),
            value,
        },
    )
}

fn errors(f: &Flow) -> Vec<Diagnostic> {
    match compile_flow(f) {
        Ok(c) => panic!("expected errors, got a definition:\n{}", c.json),
        Err(e) => e,
    }
}

/// The one diagnostic whose message contains `needle`; checks it names the flow and `line`.
fn find(errs: &[Diagnostic], needle: &str, line: u32) -> Diagnostic {
    let hit = errs
        .iter()
        .find(|e| e.message.contains(needle))
        .unwrap_or_else(|| panic!("no diagnostic containing {needle:?} in {errs:#?}"))
        .clone();
    assert_eq!(hit.flow, FLOW, "{hit:?}");
    assert_eq!(
        hit.location.as_deref(),
        Some(format!("{FILE}:{line}").as_str()),
        "{hit:?}"
    );
    let shown = hit.to_string();
    eprintln!("{shown}");
    assert!(
        shown.starts_with(&format!("error: flow `{FLOW}`: {FILE}:{line}: ")),
        "{shown}"
    );
    hit
}

fn num(n: i64) -> Expr {
    Expr::Lit(json!(n))
}

#[test]
fn a_correct_flow_compiles() {
    // The baseline the broken variants below differ from.
    let ok = flow(vec![
        assign(2, "x", num(1)),
        speak(3, "Hello."),
        assign(
            4,
            "y",
            Expr::Binary(BinOp::Add, Box::new(Expr::var("x")), Box::new(num(1))),
        ),
    ]);
    compile_flow(&ok).unwrap_or_else(|e| panic!("{e:#?}"));
}

#[test]
fn variable_used_before_assignment() {
    let f = flow(vec![
        speak(2, "Hello."),
        assign(
            3,
            "total",
            Expr::Binary(BinOp::Add, Box::new(Expr::var("count")), Box::new(num(1))),
        ),
        assign(4, "count", num(0)),
    ]);
    let e = find(&errors(&f), "`count` is used before it is assigned", 3);
    assert!(e.message.contains("let mut count"), "{}", e.message);
}

#[test]
fn variable_assigned_on_one_branch_only() {
    let f = flow(vec![
        speak(2, "Hello."),
        s(
            3,
            StmtKind::If {
                cond: Expr::Lit(json!(true)).clone(),
                then: vec![assign(4, "greeting", Expr::str("hi"))],
                els: vec![speak(6, "No greeting.")],
            },
        ),
        assign(8, "out", Expr::var("greeting")),
    ]);
    find(
        &errors(&f),
        "`greeting` is used before it is assigned on every path",
        8,
    );
}

#[test]
fn unreachable_code_after_break() {
    let f = flow(vec![s(
        2,
        StmtKind::Loop {
            body: vec![
                speak(3, "Once."),
                s(4, StmtKind::Break),
                speak(5, "Never heard."),
            ],
        },
    )]);
    let e = find(&errors(&f), "unreachable code", 5);
    assert!(e.message.contains("remove it"), "{}", e.message);
}

#[test]
fn empty_loop() {
    let f = flow(vec![
        speak(2, "Hello."),
        s(3, StmtKind::Loop { body: vec![] }),
    ]);
    let e = find(&errors(&f), "empty body", 3);
    assert!(
        e.message.contains("add a step or a `break`"),
        "{}",
        e.message
    );
}

#[test]
fn loop_of_assignments_spins() {
    // loop { n = n + 1; if n > 3 { break; } } — no waiting state in the cycle.
    let f = flow(vec![
        assign(2, "n", num(0)),
        s(
            3,
            StmtKind::Loop {
                body: vec![
                    assign(
                        4,
                        "n",
                        Expr::Binary(BinOp::Add, Box::new(Expr::var("n")), Box::new(num(1))),
                    ),
                    s(
                        5,
                        StmtKind::If {
                            cond: Expr::Binary(
                                BinOp::Gt,
                                Box::new(Expr::var("n")),
                                Box::new(num(3)),
                            ),
                            then: vec![s(6, StmtKind::Break)],
                            els: vec![],
                        },
                    ),
                ],
            },
        ),
        speak(9, "Done."),
    ]);
    let errs = errors(&f);
    let spin: Vec<&Diagnostic> = errs
        .iter()
        .filter(|e| e.message.contains("cycle") || e.message.contains("spin"))
        .collect();
    assert_eq!(spin.len(), 1, "{errs:#?}");
    let e = spin[0];
    eprintln!("{e}");
    assert_eq!(e.flow, FLOW);
    // The cycle is the loop body: the finding points at one of its Rust lines.
    let line: u32 = e
        .location
        .as_deref()
        .and_then(|l| l.strip_prefix(&format!("{FILE}:")))
        .and_then(|l| l.parse().ok())
        .unwrap_or_else(|| panic!("no location: {e:?}"));
    assert!((4..=6).contains(&line), "{e:?}");
    assert!(
        e.message.contains("Wait") || e.message.contains("wait"),
        "says how to fix it: {}",
        e.message
    );
}

#[test]
fn speak_text_over_1000_characters() {
    let long = "a".repeat(1001);
    let f = flow(vec![speak(2, "Hello."), speak(3, &long)]);
    let errs = errors(&f);
    let e = find(&errs, "Text", 3);
    assert!(
        e.message.contains("1000") || e.message.contains("1,000"),
        "{e:?}"
    );
    // Exactly at the limit is fine.
    let ok = flow(vec![speak(2, &"a".repeat(1000))]);
    compile_flow(&ok).unwrap_or_else(|e| panic!("{e:#?}"));
}

#[test]
fn break_outside_a_loop_in_ir() {
    // `#[call_flow]` rejects this at rustc time; IR built by hand still gets a located error.
    let f = flow(vec![speak(2, "Hello."), s(3, StmtKind::Break)]);
    find(&errors(&f), "`break` outside a loop", 3);
}

#[test]
fn every_error_is_reported_at_once() {
    let f = flow(vec![
        assign(2, "a", Expr::var("missing")),
        s(3, StmtKind::Loop { body: vec![] }),
        speak(4, &"b".repeat(1200)),
    ]);
    let errs = errors(&f);
    find(&errs, "`missing` is used before", 2);
    find(&errs, "empty body", 3);
    find(&errs, "Text", 4);
}
