//! Property test: randomly generated flow IR (nested if/match/loop/try/sub-flows, actions,
//! service calls, assignments reading only variables bound before) compiles, passes the graph
//! checks, gives byte-identical JSON twice, and its JSON re-parses into the same machine.
//!
//! A generated loop whose body has no waiting state legitimately fails: the only error allowed
//! is then the spin-cycle finding. Cases default to 64 (`PROPTEST_CASES` raises it).
//!
//! The optimisation passes (`switchboard_compiler::opt`) keep what a flow does: each generated
//! flow, lowered, runs in the simulator's interpreter before and after the passes with the same
//! scripted caller (keys, a prompt left unanswered, a hang-up at some point), and the caller
//! hears the same actions, the DynamoDB table ends the same and the execution ends the same,
//! at no more state transitions or round trips.

use proptest::prelude::*;
use serde_json::json;
use switchboard::ir::{Arm, BinOp, Block, Expr, Flow, Handler, Loc, Stmt, StmtKind, Tree};
use switchboard_compiler::asl::graph;
use switchboard_compiler::asl::StateMachine;
use switchboard_compiler::compile_flow;
use switchboard_compiler::{emit, lower, opt};
use switchboard_sim::expr::Clock;
use switchboard_sim::interp::{Env, Execution, Status};
use switchboard_sim::services::Services;

#[path = "support/templates.rs"]
mod support;
use support::{templates_ir, Templates};

/// The shape of a generated statement; turned into IR by [`Gen`], which names variables and
/// makes every read refer to a variable bound before it.
#[derive(Debug, Clone)]
enum Shape {
    Speak,
    Ask,
    Assign(u8),
    Service,
    If(Vec<Shape>, Vec<Shape>),
    Match(Vec<Vec<Shape>>, Vec<Shape>),
    /// A loop; its body ends with `if cond { break }` (and may `continue` early).
    Loop(Vec<Shape>, bool),
    Try(bool, Vec<Shape>, Option<Vec<Shape>>, bool),
    /// A sub-flow, optionally returning early.
    Inline(Vec<Shape>, bool),
    Wait,
}

fn shape() -> impl Strategy<Value = Shape> {
    let leaf = prop_oneof![
        3 => Just(Shape::Speak),
        2 => Just(Shape::Ask),
        2 => any::<u8>().prop_map(Shape::Assign),
        1 => Just(Shape::Service),
        1 => Just(Shape::Wait),
    ];
    leaf.prop_recursive(4, 48, 4, |inner| {
        let block = prop::collection::vec(inner, 0..4);
        prop_oneof![
            (block.clone(), block.clone()).prop_map(|(a, b)| Shape::If(a, b)),
            (prop::collection::vec(block.clone(), 1..4), block.clone())
                .prop_map(|(arms, d)| Shape::Match(arms, d)),
            (block.clone(), any::<bool>()).prop_map(|(b, c)| Shape::Loop(b, c)),
            (
                any::<bool>(),
                block.clone(),
                prop::option::of(block.clone()),
                any::<bool>()
            )
                .prop_map(|(svc, ok, err, hup)| Shape::Try(svc, ok, err, hup)),
            (block, any::<bool>()).prop_map(|(b, r)| Shape::Inline(b, r)),
        ]
    })
}

struct Gen<'t> {
    t: &'t Templates,
    line: u32,
    fresh: u32,
}

/// Variables bound on every path so far: numbers and digit results.
#[derive(Clone, Default)]
struct Scope {
    nums: Vec<String>,
    digits: Vec<String>,
}

impl Gen<'_> {
    fn loc(&mut self) -> Loc {
        self.line += 1;
        Loc {
            file: "workflows/tests/prop.rs",
            line: self.line,
            column: 1,
        }
    }
    fn stmt(&mut self, kind: StmtKind) -> Stmt {
        Stmt {
            loc: self.loc(),
            kind,
        }
    }
    fn name(&mut self, base: &str) -> String {
        self.fresh += 1;
        format!("{base}{}", self.fresh)
    }

    /// A condition over bound variables (a constant when none is bound).
    fn cond(&self, scope: &Scope, pick: u32) -> Expr {
        if let Some(d) = scope.digits.get(pick as usize % scope.digits.len().max(1)) {
            if pick % 2 == 0 {
                return Expr::Binary(
                    BinOp::Eq,
                    Box::new(Expr::var(d).field("digits")),
                    Box::new(Expr::str("1")),
                );
            }
        }
        match scope.nums.get(pick as usize % scope.nums.len().max(1)) {
            Some(n) => Expr::Binary(
                BinOp::Lt,
                Box::new(Expr::var(n)),
                Box::new(Expr::Lit(json!(pick % 5))),
            ),
            None => Expr::Lit(json!(pick % 2 == 0)),
        }
    }

    fn speak(&mut self, scope: &Scope) -> StmtKind {
        let mut action = self.t.speak.clone();
        if let (Some(n), Tree::Object(kv)) = (scope.nums.last(), &mut action.params) {
            for (k, v) in kv.iter_mut() {
                if k == "Text" {
                    *v = Tree::Leaf(Expr::Binary(
                        BinOp::Concat,
                        Box::new(Expr::str("The count is ")),
                        Box::new(Expr::Call("string", vec![Expr::var(n)])),
                    ));
                }
            }
        }
        StmtKind::Action { action, bind: None }
    }

    fn block(&mut self, shapes: &[Shape], scope: &mut Scope, in_loop: bool) -> Block {
        let mut out = Vec::new();
        for s in shapes {
            let st = self.one(s, scope, in_loop);
            out.push(st);
        }
        out
    }

    fn one(&mut self, s: &Shape, scope: &mut Scope, in_loop: bool) -> Stmt {
        let kind = match s {
            Shape::Speak => self.speak(scope),
            Shape::Ask => {
                let var = self.name("d");
                scope.digits.push(var.clone());
                StmtKind::Action {
                    action: self.t.ask.clone(),
                    bind: Some(var),
                }
            }
            Shape::Service => StmtKind::Service {
                service: self.t.service.clone(),
                bind: None,
            },
            Shape::Wait => StmtKind::Wait {
                seconds: Expr::Lit(json!(1)),
            },
            Shape::Assign(k) => {
                // Either a new counter or an update of a bound one.
                let value = match scope.nums.get(*k as usize % scope.nums.len().max(1)) {
                    Some(n) if k % 2 == 0 => Expr::Binary(
                        BinOp::Add,
                        Box::new(Expr::var(n)),
                        Box::new(Expr::Lit(json!(1))),
                    ),
                    _ => Expr::Lit(json!(k % 7)),
                };
                let var = match scope.nums.get(*k as usize % scope.nums.len().max(1)) {
                    Some(n) if k % 3 == 0 => n.clone(),
                    _ => {
                        let v = self.name("n");
                        scope.nums.push(v.clone());
                        v
                    }
                };
                StmtKind::Assign { var, value }
            }
            Shape::If(a, b) => {
                let cond = self.cond(scope, self.line);
                let then = self.block(a, &mut scope.clone(), in_loop);
                let els = self.block(b, &mut scope.clone(), in_loop);
                StmtKind::If { cond, then, els }
            }
            Shape::Match(arms, default) => {
                let subject = match scope.digits.last() {
                    Some(d) => Expr::var(d).field("digits"),
                    None => Expr::str("1"),
                };
                let arms = arms
                    .iter()
                    .enumerate()
                    .map(|(i, b)| Arm {
                        patterns: vec![json!(i.to_string())],
                        body: self.block(b, &mut scope.clone(), in_loop),
                        loc: self.loc(),
                    })
                    .collect();
                let default = self.block(default, &mut scope.clone(), in_loop);
                StmtKind::Match {
                    subject,
                    arms,
                    default,
                }
            }
            Shape::Loop(body, cont) => {
                let mut inner = scope.clone();
                let mut stmts = Vec::new();
                if *cont {
                    let cond = self.cond(&inner, self.line + 1);
                    let c = self.stmt(StmtKind::Continue);
                    stmts.push(self.stmt(StmtKind::If {
                        cond,
                        then: vec![c],
                        els: vec![],
                    }));
                }
                stmts.extend(self.block(body, &mut inner, true));
                let cond = self.cond(&inner, self.line);
                let b = self.stmt(StmtKind::Break);
                stmts.push(self.stmt(StmtKind::If {
                    cond,
                    then: vec![b],
                    els: vec![],
                }));
                StmtKind::Loop { body: stmts }
            }
            Shape::Try(service, ok, err, hangup) => {
                let mut after = scope.clone();
                let step = vec![if *service {
                    self.one(&Shape::Service, &mut after, in_loop)
                } else {
                    self.one(&Shape::Ask, &mut after, in_loop)
                }];
                let ok = self.block(ok, &mut after, in_loop);
                let err = err.as_ref().map(|b| {
                    let bind = self.name("e");
                    Handler {
                        bind: Some(bind),
                        body: self.block(b, &mut scope.clone(), in_loop),
                    }
                });
                // After a hang-up only service calls can run (actions are a compile error).
                // Only a caller step can see the caller hang up (`service_hangup_arm` below).
                let hangup = (*hangup && !*service).then(|| {
                    let s = self.one(&Shape::Service, &mut scope.clone(), in_loop);
                    vec![s]
                });
                StmtKind::Try {
                    step,
                    ok,
                    err,
                    hangup,
                }
            }
            Shape::Inline(body, early) => {
                let mut inner = scope.clone();
                let mut stmts = Vec::new();
                if *early {
                    let cond = self.cond(&inner, self.line);
                    let r = self.stmt(StmtKind::Return);
                    stmts.push(self.stmt(StmtKind::If {
                        cond,
                        then: vec![r],
                        els: vec![],
                    }));
                }
                stmts.extend(self.block(body, &mut inner, in_loop));
                StmtKind::Inline {
                    function: self.name("sub"),
                    body: stmts,
                }
            }
        };
        self.stmt(kind)
    }
}

fn flow_of(t: &Templates, shapes: &[Shape]) -> Flow {
    let mut g = Gen {
        t,
        line: 0,
        fresh: 0,
    };
    // The flow starts by speaking, so its error handler is reachable (a flow where nothing can
    // fail is `flow_that_cannot_fail_compiles`, a known bug).
    let mut body = vec![g.one(&Shape::Speak, &mut Scope::default(), false)];
    body.extend(g.block(shapes, &mut Scope::default(), false));
    Flow {
        name: "generated".into(),
        loc: Loc {
            file: "workflows/tests/prop.rs",
            line: 0,
            column: 1,
        },
        doc: String::new(),
        body,
        on_error: t.on_error.clone(),
        on_no_input: t.on_no_input.clone(),
        errors: vec![],
    }
}

fn has_loop(b: &[Stmt]) -> bool {
    b.iter().any(|s| match &s.kind {
        StmtKind::Loop { .. } => true,
        StmtKind::If { then, els, .. } => has_loop(then) || has_loop(els),
        StmtKind::Match { arms, default, .. } => {
            arms.iter().any(|a| has_loop(&a.body)) || has_loop(default)
        }
        StmtKind::Inline { body, .. } => has_loop(body),
        StmtKind::Try { ok, err, .. } => {
            has_loop(ok) || err.as_ref().is_some_and(|h| has_loop(&h.body))
        }
        _ => false,
    })
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(64),
        ..ProptestConfig::default()
    })]

    #[test]
    fn generated_flows_compile_validate_and_are_deterministic(
        shapes in prop::collection::vec(shape(), 1..8)
    ) {
        let t = templates_ir();
        let flow = flow_of(&t, &shapes);
        match compile_flow(&flow) {
            Ok(c) => {
                prop_assert!(graph::check(&c.machine).is_empty());
                let again = compile_flow(&flow_of(&t, &shapes)).map_err(|e| {
                    TestCaseError::fail(format!("second compilation failed: {e:?}"))
                })?;
                prop_assert_eq!(&c.json, &again.json);
                let reparsed: StateMachine = serde_json::from_str(&c.json)
                    .map_err(|e| TestCaseError::fail(format!("{e}")))?;
                prop_assert_eq!(&reparsed, &c.machine);
                prop_assert!(c.stats.bytes == c.json.len() && c.stats.states >= 3);
            }
            Err(errors) => {
                // Only a loop with no waiting state may fail, and only as a spin cycle.
                prop_assert!(has_loop(&flow.body), "{errors:#?}");
                for e in &errors {
                    prop_assert!(
                        e.message.contains("without a waiting state"),
                        "unexpected error: {e}\n{:#?}", flow.body
                    );
                    prop_assert!(e.location.is_some(), "{e}");
                }
            }
        }
    }
}

/// What one call through a machine did.
#[derive(Debug, PartialEq)]
struct Call {
    heard: Vec<serde_json::Value>,
    outcome: String,
    items: Vec<serde_json::Value>,
    transitions: u64,
    round_trips: u64,
}

/// A call: each digit prompt takes the next of `keys` (0-2 a key, 3 no valid key: every
/// attempt failed), then the caller hangs up at the prompt after; the caller also hangs up
/// while hearing action number `hang_up_at` (counting every action heard). A response ending
/// in the flow's own `Hangup` is answered by the caller's `HANGUP`, as PSTN audio does.
fn call(machine: &StateMachine, keys: &[u8], hang_up_at: usize) -> Call {
    let mut env = Env::new(Clock::new(1_749_564_000_000, 1), Services::new());
    let queue = env.services.queues.create("call");
    env.services.dynamodb.create_table("calls", "pk", None);
    let input = json!({"QueueUrl": queue, "Event": {"CallDetails": {"TransactionId": "t",
        "Participants": [{"CallId": "leg-a", "From": "+12065550100", "To": "+12065550199",
            "Direction": "Inbound"}]}}});
    let mut exec = Execution::start(std::sync::Arc::new(machine.clone()), "t", input, &env);
    let (mut heard, mut round_trips, mut keys) = (Vec::new(), 0, keys.iter());
    let outcome = loop {
        let status = exec.run_until_blocked(&mut env);
        let token = match &status {
            Status::Waiting { token, .. } => token.clone(),
            Status::TimedWait { until_ms, .. } => {
                let wait = until_ms - env.clock.now_millis();
                exec.advance_by(&mut env, wait);
                continue;
            }
            Status::Succeeded(_) => break "succeeded".to_owned(),
            Status::Failed { error, .. } => break format!("failed {error}"),
        };
        round_trips += 1;
        let sent = env.services.queues.receive(&queue, 10).unwrap();
        let actions = sent[0].body["Actions"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        let kind = |a: &serde_json::Value| a["Type"].as_str().unwrap_or("").to_owned();
        let clock = env.clock.clone();
        if heard.len() + actions.len() >= hang_up_at {
            heard.extend(actions.into_iter().take(hang_up_at - heard.len()));
            exec.send_task_failure(&clock, &token, "HANGUP", "the caller hung up")
                .unwrap();
            continue;
        }
        let last = actions.last().map(kind).unwrap_or_default();
        heard.extend(actions);
        let result = if last == "Hangup" {
            Err("HANGUP")
        } else if last == "SpeakAndGetDigits" {
            match keys.next() {
                Some(3) => Err("ACTION_FAILED"),
                Some(k) => Ok(json!({"ActionData": {"ReceivedDigits": k.to_string()}})),
                None => Err("HANGUP"),
            }
        } else {
            Ok(json!({}))
        };
        match result {
            Ok(event) => exec.send_task_success(&clock, &token, event).unwrap(),
            Err(error) => exec
                .send_task_failure(&clock, &token, error, "InvalidDigitsReceived: none")
                .unwrap(),
        }
    };
    let items = env
        .services
        .dynamodb
        .table("calls")
        .map(|t| t.items().map(|i| json!(i)).collect())
        .unwrap_or_default();
    Call {
        heard,
        outcome,
        items,
        transitions: exec.cost().state_transitions,
        round_trips,
    }
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(64),
        ..ProptestConfig::default()
    })]

    #[test]
    fn the_passes_keep_what_a_generated_flow_does(
        shapes in prop::collection::vec(shape(), 1..8),
        keys in prop::collection::vec(0u8..4, 0..12),
        hang_up_at in 1usize..40,
    ) {
        let t = templates_ir();
        let flow = flow_of(&t, &shapes);
        let (mut arena, errors) = lower::lower(&flow);
        opt::run(&mut arena);
        let before = emit::machine(&arena, lower::machine_comment(&flow));
        if !errors.is_empty() || !graph::check(&before).is_empty() {
            // A loop that can spin (the other property): nothing to optimise.
            return Ok(());
        }
        let mut after = before.clone();
        opt::finish(&mut after);
        prop_assert!(graph::check(&after).is_empty(), "{:#?}", graph::check(&after));
        let (b, a) = (call(&before, &keys, hang_up_at), call(&after, &keys, hang_up_at));
        prop_assert_eq!(&b.heard, &a.heard);
        prop_assert_eq!(&b.outcome, &a.outcome);
        prop_assert_eq!(&b.items, &a.items);
        prop_assert!(a.transitions <= b.transitions, "{} > {}", a.transitions, b.transitions);
        prop_assert!(a.round_trips <= b.round_trips, "{} > {}", a.round_trips, b.round_trips);
    }
}

#[test]
fn the_templates_are_what_the_macro_builds() {
    let t = templates_ir();
    assert_eq!(t.speak.kind, "Speak");
    assert_eq!(t.ask.kind, "SpeakAndGetDigits");
    assert!(t.service.resource.ends_with("dynamodb:putItem"));
    // A flow of every shape at depth one compiles (the generator's baseline).
    let all = [
        Shape::Ask,
        Shape::Assign(3),
        Shape::Speak,
        Shape::Service,
        Shape::Wait,
        Shape::If(vec![Shape::Speak], vec![Shape::Assign(0)]),
        Shape::Match(vec![vec![Shape::Speak]], vec![]),
        Shape::Loop(vec![Shape::Ask], false),
        Shape::Try(false, vec![Shape::Speak], Some(vec![Shape::Speak]), true),
        Shape::Inline(vec![Shape::Speak], true),
    ];
    let flow = flow_of(&t, &all);
    if let Err(e) = compile_flow(&flow) {
        panic!("{e:#?}");
    }
}

#[test]
fn flow_that_cannot_fail_compiles() {
    let t = templates_ir();
    let flow = Flow {
        body: vec![Stmt {
            loc: Loc {
                file: "workflows/tests/prop.rs",
                line: 1,
                column: 1,
            },
            kind: StmtKind::Assign {
                var: "x".into(),
                value: Expr::Lit(json!(1)),
            },
        }],
        ..flow_of(&t, &[])
    };
    if let Err(e) = compile_flow(&flow) {
        panic!("{e:#?}");
    }
}

#[test]
fn service_hangup_arm() {
    let t = templates_ir();
    let flow = flow_of(&t, &[Shape::Try(true, vec![], None, false)]);
    let mut flow_with_arm = flow.clone();
    let Some(Stmt {
        kind: StmtKind::Try { hangup, .. },
        ..
    }) = flow_with_arm.body.last_mut()
    else {
        panic!("last statement is the Try")
    };
    *hangup = Some(vec![Stmt {
        loc: Loc {
            file: "workflows/tests/prop.rs",
            line: 99,
            column: 1,
        },
        kind: StmtKind::Service {
            service: t.service.clone(),
            bind: None,
        },
    }]);
    if let Err(errors) = compile_flow(&flow_with_arm) {
        assert!(
            errors.iter().all(|e| e.message.contains("Err(Hangup)")),
            "{errors:#?}"
        );
    }
}
