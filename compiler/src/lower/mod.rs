//! Lowering: flow IR → ASL with `"QueryLanguage": "JSONata"`.
//!
//! Blocks are lowered back to front, each statement knowing the state that follows it, so
//! control flow needs no extra states: `if`/`match` are Choice states, loops are back edges,
//! `break`/`continue`/`return` are just the right `Next`. Consecutive actions with no decision
//! between them share one waiting Task (one round trip, ≤ 10 actions), and assignments ride on
//! the `Assign` of the state before them when that is equivalent (Step Functions evaluates all of
//! a state's `Assign` expressions against the values before the state:
//! <https://docs.aws.amazon.com/step-functions/latest/dg/workflow-variables.html>).

mod group;
pub mod jsonata;
mod names;
mod states;

use crate::diag::Diagnostic;
use group::Unit;
use names::Names;
use serde_json::{json, Value as Json};
use std::collections::HashMap;
use switchboard::ir::{Expr, Flow, Loc, Stmt, StmtKind};
use switchboard::lang::results::Call;
use switchboard::wire;
use switchboard_asl::{Fail, Io, Pass, QueryLanguage, State, StateMachine, Succeed};

/// Names of the states every flow ends in.
pub const END_HANGUP: &str = "End of flow: hang up";
pub const CALL_ENDED: &str = "Call ended";
pub const FAILED: &str = "Call failed";
pub const START: &str = "Start call";

/// Where a failure goes, and the variable its `{Error, Cause}` is assigned to.
#[derive(Clone)]
pub(crate) struct ErrTarget {
    pub next: String,
    pub var: Option<String>,
    /// Assignments that open the handler, done by the catcher itself (its `Assign`).
    pub assigns: Vec<(String, Expr)>,
}

impl ErrTarget {
    /// A target with nothing to assign.
    pub fn to(next: impl Into<String>) -> ErrTarget {
        ErrTarget {
            next: next.into(),
            var: None,
            assigns: Vec::new(),
        }
    }
}

/// What follows the statement being lowered.
#[derive(Clone)]
pub(crate) struct Ctx {
    pub next: String,
    pub brk: Option<String>,
    pub cont: Option<String>,
    pub ret: String,
    /// `None` inside Parallel branches: failures propagate to the Parallel state.
    pub err: Option<ErrTarget>,
    /// Where a caller hang-up goes (`var` unused: the arm has no binding).
    pub hangup: Option<ErrTarget>,
}

impl Ctx {
    fn then(&self, next: String) -> Ctx {
        Ctx {
            next,
            ..self.clone()
        }
    }
}

pub(crate) struct Lowerer<'f> {
    pub flow: &'f Flow,
    pub states: indexmap::IndexMap<String, State>,
    pub names: Names,
    /// Placeholder → state name, for loop heads known only after their body is lowered.
    pub aliases: HashMap<String, String>,
    pub errors: Vec<Diagnostic>,
    placeholders: usize,
    /// Compiler-made states (the error handler) that may go unused without it being a mistake.
    optional: std::collections::HashSet<String>,
}

/// The sentinel `Next` of a Parallel branch's last state (becomes `End: true`).
pub(crate) const BRANCH_END: &str = "\u{0}end";

/// Lowers a flow to a state machine; errors name the flow and the Rust location.
pub fn lower(flow: &Flow) -> (StateMachine, Vec<Diagnostic>) {
    let mut l = Lowerer {
        flow,
        states: Default::default(),
        names: Names::default(),
        aliases: HashMap::new(),
        errors: Vec::new(),
        placeholders: 0,
        optional: Default::default(),
    };
    for e in &flow.errors {
        l.errors
            .push(Diagnostic::at(&flow.name, e.loc, e.message.clone()));
    }
    for n in [START, END_HANGUP, CALL_ENDED, FAILED] {
        l.names.reserve(n);
    }
    let main_entry = l.lower_main();
    let mut machine = StateMachine::new(START);
    machine.comment = Some(machine_comment(flow));
    machine.query_language = Some(QueryLanguage::Jsonata);
    let start = Pass {
        comment: Some(format!(
            "{} — the call starts: keep its queue and details",
            flow.loc
        )),
        io: Io {
            assign: Some(start_assign()),
            ..Io::default()
        },
        next: Some(main_entry),
        ..Default::default()
    };
    let mut states = std::mem::take(&mut l.states);
    states.insert(START.to_owned(), State::Pass(start));
    l.states = states;
    l.resolve_aliases();
    l.merge_into_start();
    l.merge_final_hangup();
    machine.states = l.ordered_states();
    (machine, l.errors)
}

fn machine_comment(flow: &Flow) -> String {
    let mut c = format!(
        "{} — compiled by Switchboard from {}",
        flow.name, flow.loc.file
    );
    if !flow.doc.is_empty() {
        c = format!("{c}: {}", flow.doc);
    }
    c
}

/// `queue_url` and `call` from the execution input `{QueueUrl, Event}` (DESIGN.md wire contract).
fn start_assign() -> Json {
    let fields: Vec<String> = Call::FIELDS
        .iter()
        .map(|(k, path)| format!("\"{k}\": $states.input.{path}"))
        .collect();
    json!({
        "queue_url": format!("{{% $states.input.{} %}}", wire::INPUT_QUEUE_URL),
        Call::VAR: format!("{{% {{{}}} %}}", fields.join(", ")),
    })
}

impl<'f> Lowerer<'f> {
    fn lower_main(&mut self) -> String {
        let flow = self.flow;
        let fail = Fail {
            comment: Some(format!(
                "{} — the flow failed: the error and cause of what went wrong",
                flow.loc
            )),
            error: Some(format!("{{% ${}.Error %}}", handler_var(flow))),
            cause: Some(format!("{{% ${}.Cause %}}", handler_var(flow))),
            ..Default::default()
        };
        self.states.insert(FAILED.into(), State::Fail(fail));
        let ended = Succeed {
            comment: Some(format!("{} — the call ended", flow.loc)),
            ..Default::default()
        };
        self.states.insert(CALL_ENDED.into(), State::Succeed(ended));
        // The final hang-up failing (a timeout) is reported like any failure.
        let end = states::final_hangup(self, &ending(flow));
        self.states.insert(END_HANGUP.into(), end);
        // The error handler: its own failures (a hang-up while apologising) end in Fail too.
        let handler_ctx = Ctx {
            next: FAILED.into(),
            brk: None,
            cont: None,
            ret: FAILED.into(),
            err: Some(ErrTarget {
                next: FAILED.into(),
                var: None,
                assigns: Vec::new(),
            }),
            hangup: Some(ErrTarget::to(FAILED)),
        };
        let handler_entry = self.optional_block(&flow.on_error.body, &handler_ctx);
        // A caller who pressed no valid key (and no `Err` arm took it) is not a fault: the
        // no-input handler says goodbye and the execution SUCCEEDS. Only flows that ask for
        // digits get the dispatching Choice.
        let handler_entry = match &flow.on_no_input {
            Some(h) if asks_for_digits(&flow.body) => {
                // Saying goodbye failing is a fault of its own: `Call failed` reports it.
                let no_input_entry = self.optional_block(&h.body, &ending(flow));
                let dispatch = states::no_input_dispatch(
                    self,
                    flow.loc,
                    &handler_var(flow),
                    (no_input_entry, handler_entry),
                );
                self.optional.insert(dispatch.clone());
                dispatch
            }
            _ => handler_entry,
        };
        let ctx = Ctx {
            next: END_HANGUP.into(),
            brk: None,
            cont: None,
            ret: END_HANGUP.into(),
            err: Some(ErrTarget {
                next: handler_entry,
                var: Some(handler_var(flow)),
                assigns: Vec::new(),
            }),
            hangup: Some(ErrTarget::to(CALL_ENDED)),
        };
        self.block(&flow.body, &ctx)
    }

    /// Lowers compiler-made states (a handler) that a flow may never reach: they are dropped
    /// rather than reported as unreachable.
    fn optional_block(&mut self, block: &'f [Stmt], k: &Ctx) -> String {
        let before: std::collections::HashSet<String> = self.states.keys().cloned().collect();
        let entry = self.block(block, k);
        self.optional
            .extend(self.states.keys().filter(|k| !before.contains(*k)).cloned());
        entry
    }

    pub(crate) fn error(&mut self, loc: Loc, message: impl Into<String>) {
        self.errors
            .push(Diagnostic::at(&self.flow.name, loc, message));
    }

    pub(crate) fn placeholder(&mut self) -> String {
        self.placeholders += 1;
        format!("\u{0}loop{}", self.placeholders)
    }

    /// Lowers a block; returns the name of its first state (or `k.next` when it is empty).
    pub(crate) fn block(&mut self, stmts: &'f [Stmt], k: &Ctx) -> String {
        let refs: Vec<&'f Stmt> = stmts.iter().collect();
        self.block_refs(&refs, k)
    }

    fn block_refs(&mut self, stmts: &[&'f Stmt], k: &Ctx) -> String {
        let units = group::group(self, stmts);
        let mut next = k.next.clone();
        for u in units.iter().rev() {
            next = self.unit(u, &k.then(next));
        }
        next
    }

    fn unit(&mut self, u: &Unit<'f>, k: &Ctx) -> String {
        match u {
            Unit::Batch(b) => states::batch(self, b, k),
            Unit::Service(s) => states::service(self, s, k),
            Unit::Assigns(a) => states::assigns(self, a, k),
            Unit::Stmt(s) => self.stmt(s, k),
        }
    }

    fn stmt(&mut self, s: &'f Stmt, k: &Ctx) -> String {
        match &s.kind {
            StmtKind::If { cond, then, els } => {
                let (assigns, rest) = leading_assigns(then);
                let t = self.block_refs(&rest, k);
                let e = self.block(els, k);
                states::choice_if(
                    self,
                    s.loc,
                    cond,
                    (t, states::assign_object(None, &assigns)),
                    e,
                )
            }
            StmtKind::Match {
                subject,
                arms,
                default,
            } => {
                let d = self.block(default, k);
                let arms: Vec<_> = arms
                    .iter()
                    .map(|a| {
                        let (assigns, rest) = leading_assigns(&a.body);
                        (
                            a,
                            self.block_refs(&rest, k),
                            states::assign_object(None, &assigns),
                        )
                    })
                    .collect();
                states::choice_match(self, s.loc, subject, arms, d)
            }
            StmtKind::Loop { body } => {
                let head = self.placeholder();
                let inner = Ctx {
                    next: head.clone(),
                    brk: Some(k.next.clone()),
                    cont: Some(head.clone()),
                    ..k.clone()
                };
                let entry = self.block(body, &inner);
                if entry == head {
                    self.error(s.loc, "this loop has an empty body and would spin forever: add a step or a `break`");
                    return k.next.clone();
                }
                self.aliases.insert(head, entry.clone());
                entry
            }
            StmtKind::Break => k.brk.clone().unwrap_or_else(|| {
                self.error(s.loc, "`break` outside a loop");
                k.next.clone()
            }),
            StmtKind::Continue => k.cont.clone().unwrap_or_else(|| {
                self.error(s.loc, "`continue` outside a loop");
                k.next.clone()
            }),
            StmtKind::Return => k.ret.clone(),
            StmtKind::Inline { body, .. } => {
                let inner = Ctx {
                    ret: k.next.clone(),
                    ..k.clone()
                };
                self.block(body, &inner)
            }
            StmtKind::Try {
                step,
                ok,
                err,
                hangup,
            } => {
                // Assignments that open the `Ok` arm ride on the step's own `Assign`, which Step
                // Functions evaluates only when the step succeeds (a caught failure uses the
                // catcher's `Assign` instead):
                // https://docs.aws.amazon.com/step-functions/latest/dg/workflow-variables.html
                let ends_in_step = matches!(
                    step.last().map(|s| &s.kind),
                    Some(StmtKind::Action { .. } | StmtKind::Service { .. })
                );
                let lead = if ends_in_step {
                    ok.iter()
                        .take_while(|s| matches!(s.kind, StmtKind::Assign { .. }))
                        .count()
                } else {
                    0
                };
                let rest: Vec<&'f Stmt> = ok[lead..].iter().collect();
                let step: Vec<&'f Stmt> = step.iter().chain(&ok[..lead]).collect();
                let ok_entry = self.block_refs(&rest, k);
                let err_target = match err {
                    Some(h) => {
                        // Assignments that open the `Err` arm ride on the catcher's `Assign`;
                        // there the failure is `$states.errorOutput`, the arm's variable being
                        // assigned in the same block.
                        let (assigns, rest) = leading_assigns(&h.body);
                        let error = Expr::StatesError;
                        let assigns = assigns
                            .into_iter()
                            .map(|(v, e)| {
                                let e = match &h.bind {
                                    Some(b) => e.replace_var(b, &error),
                                    None => e.clone(),
                                };
                                (v.to_owned(), e)
                            })
                            .collect();
                        Some(ErrTarget {
                            next: self.block_refs(&rest, k),
                            var: h.bind.clone(),
                            assigns,
                        })
                    }
                    None => k.err.clone(),
                };
                // After a hang-up nobody is listening: the arm runs (service calls only) and the
                // flow ends instead of falling through to statements that talk to the caller.
                let hangup_target = match hangup {
                    Some(_)
                        if step
                            .iter()
                            .all(|s| states::first_action(std::slice::from_ref(*s)).is_none()) =>
                    {
                        self.error(s.loc, "this `Err(Hangup)` arm can never run: only a step that talks to the caller (an action or a sub-flow with actions) sees the caller hang up; remove the arm");
                        k.hangup.clone()
                    }
                    Some(h) => {
                        if let Some(at) = states::first_action(h) {
                            self.error(at, "the caller has hung up here: an `Err(Hangup)` arm can only run service calls (DynamoDB, Lambda…), not actions");
                        }
                        // Nobody to apologise to: a failure here (filing a message, say)
                        // ends the execution as failed.
                        let ended = ending(self.flow);
                        // Assignments that open the arm ride on the HANGUP catcher's `Assign`.
                        let (assigns, rest) = leading_assigns(h);
                        Some(ErrTarget {
                            next: self.block_refs(&rest, &ended),
                            var: None,
                            assigns: assigns
                                .into_iter()
                                .map(|(v, e)| (v.to_owned(), e.clone()))
                                .collect(),
                        })
                    }
                    None => k.hangup.clone(),
                };
                let inner = Ctx {
                    next: ok_entry,
                    err: err_target,
                    hangup: hangup_target,
                    ..k.clone()
                };
                self.block_refs(&step, &inner)
            }
            StmtKind::Wait { seconds } => states::wait(self, s.loc, seconds, k),
            StmtKind::Parallel { branches } => states::parallel(self, s.loc, branches, k),
            StmtKind::Fail { error, cause } => states::fail(self, s.loc, error, cause),
            // Grouped into units before we get here.
            StmtKind::Action { .. } | StmtKind::Service { .. } | StmtKind::Assign { .. } => {
                k.next.clone()
            }
        }
    }

    fn resolve_aliases(&mut self) {
        let aliases = std::mem::take(&mut self.aliases);
        let resolve = |name: &mut String| {
            let mut hops = 0;
            while let Some(t) = aliases.get(name.as_str()) {
                *name = t.clone();
                hops += 1;
                if hops > aliases.len() {
                    break;
                }
            }
        };
        for state in self.states.values_mut() {
            retarget_nested(state, &mut |t| resolve(t));
        }
    }

    /// A flow that opens with assignments (configuration-free ones: not reading the call) gets
    /// them on the start state instead of a Pass of their own: one transition fewer per call.
    fn merge_into_start(&mut self) {
        let Some(State::Pass(start)) = self.states.get(START) else {
            return;
        };
        let Some(first) = start.next.clone() else {
            return;
        };
        let Some(State::Pass(p)) = self.states.get(&first) else {
            return;
        };
        let plain = p.io.input_path.is_none()
            && p.parameters.is_none()
            && p.result.is_none()
            && p.io.output.is_none();
        let Some(Json::Object(assigns)) = p.io.assign.clone().filter(|_| plain) else {
            return;
        };
        let text = serde_json::to_string(&assigns).unwrap_or_default();
        let reads_start = ["$call", "$queue_url"].iter().any(|v| {
            text.match_indices(v).any(|(i, _)| {
                !text[i + v.len()..].starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_')
            })
        });
        let mut targeted = false;
        for (name, state) in &self.states {
            if name != START {
                targeted |= state.successors().any(|e| e.target == first);
            }
        }
        if reads_start || targeted {
            return;
        }
        let next = p.next.clone();
        self.states.swap_remove(&first);
        if let Some(State::Pass(start)) = self.states.get_mut(START) {
            if let Some(Json::Object(m)) = &mut start.io.assign {
                m.extend(assigns);
            }
            start.next = next;
        }
    }

    /// The flow's last caller Task hangs up itself (one round trip fewer) instead of going to
    /// the shared "Hang up" state, which is then dropped if nothing else reaches it.
    fn merge_final_hangup(&mut self) {
        let names: Vec<String> = self.states.keys().cloned().collect();
        for name in names {
            if let Some(State::Task(t)) = self.states.get_mut(&name) {
                if t.next.as_deref() == Some(END_HANGUP) && states::append_hangup(t) {
                    t.next = Some(CALL_ENDED.into());
                }
            }
        }
    }

    /// States in a readable order: depth-first from `StartAt`, `Next` before branches; states
    /// nothing reaches (the shared ends when unused) are left out.
    fn ordered_states(&mut self) -> indexmap::IndexMap<String, State> {
        let mut out: indexmap::IndexMap<String, State> = indexmap::IndexMap::new();
        let mut stack = vec![START.to_owned()];
        while let Some(name) = stack.pop() {
            if out.contains_key(&name) {
                continue;
            }
            let Some(state) = self.states.swap_remove(&name) else {
                continue;
            };
            let targets: Vec<String> = state.successors().map(|e| e.target.to_owned()).collect();
            for t in targets.into_iter().rev() {
                if !out.contains_key(&t) {
                    stack.push(t);
                }
            }
            out.insert(name, state);
        }
        // Number repeated names in reading order ("Hang up", then "Hang up (2)"). Names inside
        // Parallel branches stay as they are and are not reused.
        let mut inner = std::collections::HashSet::new();
        for state in out.values() {
            if let State::Parallel(p) = state {
                for b in &p.branches {
                    inner.extend(b.states.keys().cloned());
                }
            }
        }
        let rename = self.names.renumber(out.keys(), &inner);
        if !rename.is_empty() {
            out = out
                .into_iter()
                .map(|(name, mut state)| {
                    for (_, t) in state.successors_mut() {
                        if let Some(n) = rename.get(t.as_str()) {
                            *t = n.clone();
                        }
                    }
                    (rename.get(&name).cloned().unwrap_or(name), state)
                })
                .collect();
        }
        // Anything left is unreachable: user code (reported by the graph check) is kept so the
        // error names it; the shared end states are simply unused.
        for (name, state) in std::mem::take(&mut self.states) {
            if ![END_HANGUP, CALL_ENDED, FAILED].contains(&name.as_str())
                && !self.optional.contains(&name)
            {
                out.insert(name, state);
            }
        }
        out
    }
}

/// Calls `f` on every transition target of `s` and of the states nested in it.
fn retarget_nested(s: &mut State, f: &mut dyn FnMut(&mut String)) {
    for (_, t) in s.successors_mut() {
        f(t);
    }
    for states in s.scopes_mut() {
        for inner in states.values_mut() {
            retarget_nested(inner, f);
        }
    }
}

/// Splits the assignments that open a branch (as long as none reads another's variable) from
/// the rest: they ride on the Choice rule's own `Assign`, evaluated only when the rule matches
/// (<https://docs.aws.amazon.com/step-functions/latest/dg/state-choice.html>).
fn leading_assigns(block: &[Stmt]) -> (Vec<(&str, &Expr)>, Vec<&Stmt>) {
    let mut assigns: Vec<(&str, &Expr)> = Vec::new();
    let mut n = 0;
    for s in block {
        let StmtKind::Assign { var, value } = &s.kind else {
            break;
        };
        let mut reads_earlier = false;
        value.for_each_var(&mut |v| reads_earlier |= assigns.iter().any(|(a, _)| *a == v));
        if reads_earlier || assigns.iter().any(|(a, _)| a == var) {
            break;
        }
        assigns.push((var, value));
        n += 1;
    }
    (assigns, block[n..].iter().collect())
}

/// Where a call that is ending goes: on, and after a hang-up, to `Call ended`; a failure to
/// `Call failed`, which reads the error variable this catcher assigns.
fn ending(flow: &Flow) -> Ctx {
    Ctx {
        next: CALL_ENDED.into(),
        brk: None,
        cont: None,
        ret: CALL_ENDED.into(),
        err: Some(ErrTarget {
            next: FAILED.into(),
            var: Some(handler_var(flow)),
            assigns: Vec::new(),
        }),
        hangup: Some(ErrTarget::to(CALL_ENDED)),
    }
}

/// Whether a block (or anything nested in it) collects digits with a prompt.
fn asks_for_digits(block: &[Stmt]) -> bool {
    block.iter().any(|s| match &s.kind {
        StmtKind::Action { action, .. } => {
            matches!(action.kind, "SpeakAndGetDigits" | "PlayAudioAndGetDigits")
        }
        k => k.child_blocks().into_iter().any(|b| asks_for_digits(b)),
    })
}

fn handler_var(flow: &Flow) -> String {
    flow.on_error.bind.clone().unwrap_or_else(|| "error".into())
}
