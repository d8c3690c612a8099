//! Flows built directly as IR (as `#[call_flow]` would) whose compiled shape matters: the end of
//! a Parallel branch, names across nested branches and unreachable code, the flow's final
//! hang-up.

use serde_json::{json, Value as Json};
use switchboard::ir::{
    BinOp, Block, Expr, Flow, Handler, ResultShape, Service, Stmt, StmtKind, Tree,
};
use switchboard_compiler::asl::{State, States};
use switchboard_compiler::{compile_flow, Compiled};

mod support;
use support::ir::{action, flow, s, speak, FILE};

fn put_item(line: u32, table: &str) -> Stmt {
    s(
        line,
        StmtKind::Service {
            service: Service {
                resource: "arn:aws:states:::dynamodb:putItem".into(),
                args: Tree::Object(vec![
                    ("TableName".into(), Tree::lit(table)),
                    (
                        "Item".into(),
                        Tree::Object(vec![(
                            "from".into(),
                            Tree::Object(vec![(
                                "S".into(),
                                Tree::Leaf(Expr::var("call").field("From")),
                            )]),
                        )]),
                    ),
                ]),
                summary: format!("Put item in {table}"),
                label: None,
                result: ResultShape::None,
                timeout_seconds: 10,
                origins: Default::default(),
            },
            bind: None,
        },
    )
}

fn parallel(line: u32, branches: Vec<Block>) -> Stmt {
    s(line, StmtKind::Parallel { branches })
}

fn from_is(number: &str) -> Expr {
    Expr::Binary(
        BinOp::Eq,
        Box::new(Expr::var("call").field("From")),
        Box::new(Expr::str(number)),
    )
}

fn compiled(f: &Flow) -> Compiled {
    match compile_flow(f) {
        Ok(c) => c,
        Err(e) => panic!("expected a definition, got errors: {e:#?}"),
    }
}

/// Every state name of a scope and of the branches nested in it.
fn all_names(states: &States, out: &mut Vec<String>) {
    for (name, state) in states {
        out.push(name.clone());
        for scope in state.scopes() {
            all_names(scope.states, out);
        }
    }
}

/// An `if` with nothing after it in a branch: its `Default` (and a rule with nothing to do) must
/// end the branch. A Succeed state "ends a branch of a Parallel workflow state"
/// (<https://docs.aws.amazon.com/step-functions/latest/dg/state-succeed.html>).
#[test]
fn a_decision_ending_a_parallel_branch_ends_the_branch() {
    let f = flow(vec![
        parallel(
            2,
            vec![
                vec![s(
                    3,
                    StmtKind::If {
                        cond: from_is("+15105550101"),
                        then: vec![put_item(4, "vip")],
                        els: vec![],
                    },
                )],
                vec![put_item(6, "calls")],
            ],
        ),
        speak(8, "Noted."),
    ]);
    let c = compiled(&f);
    let Some(State::Parallel(p)) = c
        .machine
        .states
        .values()
        .find(|s| s.type_name() == "Parallel")
    else {
        panic!("a Parallel state: {}", c.json)
    };
    let branch = &p.branches[0];
    let Some(State::Choice(choice)) = branch.states.get(&branch.start_at) else {
        panic!("the branch starts with its `if`: {}", c.json)
    };
    let default = choice.default.as_deref().unwrap_or_default();
    assert!(
        matches!(branch.states.get(default), Some(State::Succeed(_))),
        "Default goes to a Succeed in the branch, not `{default:?}`: {}",
        c.json
    );
}

/// Names are unique across the whole machine, branches of branches included.
#[test]
fn names_in_nested_parallel_branches_are_unique() {
    let f = flow(vec![
        put_item(2, "calls"),
        parallel(
            3,
            vec![
                vec![parallel(
                    4,
                    vec![vec![put_item(5, "calls")], vec![put_item(6, "calls")]],
                )],
                vec![put_item(8, "calls")],
            ],
        ),
        put_item(10, "calls"),
        speak(11, "Noted."),
    ]);
    let c = compiled(&f);
    let mut names = Vec::new();
    all_names(&c.machine.states, &mut names);
    let before = names.len();
    names.sort();
    names.dedup();
    assert_eq!(names.len(), before, "{names:#?}");
}

/// Code nothing reaches is reported under its own name, not under the name of a state the
/// flow does reach.
#[test]
fn unreachable_code_is_reported_under_a_name_of_its_own() {
    // `match greet() { Ok(_) => {}, Err(e) => speak("Sorry.") }` where `greet` cannot fail:
    // the `Err` arm is never reached.
    let f = flow(vec![
        speak(2, "Sorry."),
        s(
            3,
            StmtKind::Try {
                step: vec![s(
                    3,
                    StmtKind::Inline {
                        function: "greet".into(),
                        body: vec![],
                    },
                )],
                ok: vec![],
                err: Some(Handler {
                    bind: Some("e".into()),
                    body: vec![speak(5, "Sorry.")],
                }),
                hangup: None,
            },
        ),
        speak(7, "Bye."),
    ]);
    let errors = compile_flow(&f).err().expect("the Err arm is unreachable");
    let at5 = format!("{FILE}:5");
    assert!(
        errors
            .iter()
            .any(|e| e.location.as_deref() == Some(at5.as_str())
                && e.message.contains("never reached")),
        "{errors:#?}"
    );
    assert!(
        errors
            .iter()
            .all(|e| e.location.as_deref() != Some(&format!("{FILE}:2"))),
        "the speech at line 2 is reached: {errors:#?}"
    );
}

fn actions(state: &State) -> Vec<Json> {
    match state {
        State::Task(t) => t
            .arguments
            .as_ref()
            .and_then(|a| a.pointer("/MessageBody/Actions"))
            .and_then(Json::as_array)
            .cloned()
            .unwrap_or_default(),
        _ => Vec::new(),
    }
}

/// Hanging up the other leg (`hangup().leg("LEG-B")`) last does not end the call: the flow's
/// end still hangs up the caller.
#[test]
fn a_flow_ending_by_hanging_up_the_other_leg_still_hangs_up_the_caller() {
    let other_leg = vec![
        ("ParticipantTag", Tree::lit("LEG-B")),
        ("SipResponseCode", Tree::lit("0")),
    ];
    let f = flow(vec![
        speak(2, "Goodbye."),
        action(3, "Hangup", other_leg, "Hang up LEG-B"),
    ]);
    let c = compiled(&f);
    let last = c
        .machine
        .states
        .values()
        .find(|s| {
            actions(s)
                .iter()
                .any(|a| a["Parameters"]["ParticipantTag"] == json!("LEG-B"))
        })
        .expect("the Task hanging up LEG-B");
    let hangs_up_caller = |s: &State| {
        actions(s)
            .last()
            .is_some_and(|a| a["Type"] == "Hangup" && a["Parameters"].get("CallId").is_some())
    };
    let next = match last {
        State::Task(t) => t.next.clone().unwrap_or_default(),
        _ => unreachable!(),
    };
    assert!(
        hangs_up_caller(last) || c.machine.states.get(&next).is_some_and(hangs_up_caller),
        "{}",
        c.json
    );
}
