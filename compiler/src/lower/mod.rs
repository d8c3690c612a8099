//! Lowering: flow IR → the compiler's state [`Arena`].
//!
//! Blocks are lowered back to front, each statement knowing the state that follows it, so
//! control flow needs no extra states: `if`/`match` are Choice states, loops are back edges
//! (a loop's head is a reserved id bound to its first state once the body is lowered),
//! `break`/`continue`/`return` are just the right `Next`. Every action, service call and
//! assignment becomes a state of its own; the side tables record which of them continue a
//! sequence (and which open a branch), and the optimisation passes ([`crate::opt`]) merge them:
//! actions into one response, assignments onto the `Assign` before them.

pub mod jsonata;
mod states;

use crate::arena::{Arena, Meta, Name, Node, Pass, StateId, TOP};
use crate::diag::Diagnostic;
use switchboard::ir::{Expr, Flow, Loc, Stmt, StmtKind};
use switchboard::lang::results::Call;
use switchboard::pstn::Action;
use switchboard::wire;

/// Where a failure goes, and the variable its `{Error, Cause}` is assigned to.
#[derive(Clone)]
pub(crate) struct ErrTarget {
    pub next: StateId,
    pub var: Option<String>,
}

impl ErrTarget {
    /// A target with nothing to assign.
    pub fn to(next: StateId) -> ErrTarget {
        ErrTarget { next, var: None }
    }
}

/// What follows the statement being lowered.
#[derive(Clone)]
pub(crate) struct Ctx {
    pub next: StateId,
    pub brk: Option<StateId>,
    pub cont: Option<StateId>,
    pub ret: StateId,
    /// `None` inside Parallel branches: failures propagate to the Parallel state.
    pub err: Option<ErrTarget>,
    /// Where a caller hang-up goes (`var` unused: the arm has no binding).
    pub hangup: Option<ErrTarget>,
}

impl Ctx {
    fn then(&self, next: StateId) -> Ctx {
        Ctx {
            next,
            ..self.clone()
        }
    }
}

pub(crate) struct Lowerer<'f> {
    pub flow: &'f Flow,
    pub arena: Arena,
    pub errors: Vec<Diagnostic>,
    /// The scope new states belong to: the top level or the Parallel branch being lowered.
    pub scope: u32,
    scopes: u32,
}

/// Lowers a flow to its states; errors name the flow and the Rust location.
pub fn lower(flow: &Flow) -> (Arena, Vec<Diagnostic>) {
    let mut l = Lowerer {
        flow,
        arena: Arena::new(),
        errors: Vec::new(),
        scope: TOP,
        scopes: TOP,
    };
    for e in &flow.errors {
        l.errors
            .push(Diagnostic::at(&flow.name, e.loc, e.message.clone()));
    }
    let main_entry = l.lower_main();
    let start = Pass {
        assign: start_assign(),
        next: main_entry,
    };
    l.arena.fill(StateId::START, Node::Pass(start));
    l.arena.meta_mut(StateId::START).origin = Some((
        flow.loc,
        "the call starts: keep its queue and details".into(),
    ));
    (l.arena, l.errors)
}

/// The machine's `Comment`: the flow, its file, its doc comment.
pub fn machine_comment(flow: &Flow) -> String {
    let mut c = format!("{}{COMPILED_FROM}{}", flow.name, flow.loc.file);
    if !flow.doc.is_empty() {
        c = format!("{c}: {}", flow.doc);
    }
    c
}

/// Between the flow's name and its file in the machine's `Comment`.
const COMPILED_FROM: &str = " — compiled by Switchboard from ";

/// The flow a definition's `Comment` says it was compiled from ([`machine_comment`]).
pub fn flow_of_comment(comment: &str) -> Option<&str> {
    comment.split_once(COMPILED_FROM).map(|(name, _)| name)
}

/// `queue_url` and `call` from the execution input `{QueueUrl, Event}` (DESIGN.md wire contract).
fn start_assign() -> crate::arena::Assign {
    let input = |path: &str| path_expr(Expr::StatesInput, path);
    let call = Call::FIELDS
        .iter()
        .map(|(k, path)| ((*k).to_owned(), input(path)))
        .collect();
    crate::arena::Assign {
        bind: None,
        vars: vec![
            ("queue_url".into(), input(wire::INPUT_QUEUE_URL)),
            (Call::VAR.into(), Expr::Object(call)),
        ],
    }
}

/// `root.a.b[0].c` as an expression.
fn path_expr(root: Expr, path: &str) -> Expr {
    path.split('.')
        .fold(root, |e, step| match step.split_once('[') {
            Some((field, index)) => {
                let n: u64 = index.trim_end_matches(']').parse().unwrap_or(0);
                Expr::Index(
                    Box::new(e.field(field)),
                    Box::new(Expr::Lit(serde_json::json!(n))),
                )
            }
            None => e.field(step),
        })
}

impl<'f> Lowerer<'f> {
    fn lower_main(&mut self) -> StateId {
        let flow = self.flow;
        let fail = crate::arena::Fail {
            error: format!("{{% ${}.Error %}}", handler_var(flow)),
            cause: format!("{{% ${}.Cause %}}", handler_var(flow)),
        };
        self.fill_fixed(
            StateId::FAILED,
            Node::Fail(fail),
            "the flow failed: the error and cause of what went wrong",
        );
        self.fill_fixed(StateId::CALL_ENDED, Node::Succeed, "the call ended");
        // The final hang-up failing (a timeout) is reported like any failure.
        let end = states::final_hangup(self, &ending(flow));
        self.fill_fixed(StateId::END_HANGUP, end, "the flow ended: hang up");
        // The error handler: its own failures (a hang-up while apologising) end in Fail too.
        let handler_ctx = Ctx {
            next: StateId::FAILED,
            brk: None,
            cont: None,
            ret: StateId::FAILED,
            err: Some(ErrTarget::to(StateId::FAILED)),
            hangup: Some(ErrTarget::to(StateId::FAILED)),
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
                self.arena.meta_mut(dispatch).optional = true;
                dispatch
            }
            _ => handler_entry,
        };
        let ctx = Ctx {
            next: StateId::END_HANGUP,
            brk: None,
            cont: None,
            ret: StateId::END_HANGUP,
            err: Some(ErrTarget {
                next: handler_entry,
                var: Some(handler_var(flow)),
            }),
            hangup: Some(ErrTarget::to(StateId::CALL_ENDED)),
        };
        self.block(&flow.body, &ctx)
    }

    fn fill_fixed(&mut self, id: StateId, node: Node, what: &str) {
        self.arena.fill(id, node);
        self.arena.meta_mut(id).origin = Some((self.flow.loc, what.to_owned()));
    }

    /// Lowers compiler-made states (a handler) that a flow may never reach: they are dropped
    /// rather than reported as unreachable.
    fn optional_block(&mut self, block: &'f [Stmt], k: &Ctx) -> StateId {
        let before = self.arena.len();
        let entry = self.block(block, k);
        for i in before..self.arena.len() {
            self.arena.meta_mut(StateId::from_index(i)).optional = true;
        }
        entry
    }

    pub(crate) fn error(&mut self, loc: Loc, message: impl Into<String>) {
        self.errors
            .push(Diagnostic::at(&self.flow.name, loc, message));
    }

    /// Adds a state of the current scope.
    pub(crate) fn add(&mut self, node: Node, origin: Option<(Loc, String)>, name: Name) -> StateId {
        let meta = Meta {
            origin,
            name,
            scope: self.scope,
            ..Meta::default()
        };
        self.arena.add(node, meta)
    }

    /// Reserves an id of the current scope, filled later (or bound, for a label).
    pub(crate) fn reserve(&mut self, origin: Option<(Loc, String)>, name: Name) -> StateId {
        let meta = Meta {
            origin,
            name,
            scope: self.scope,
            ..Meta::default()
        };
        self.arena.reserve(meta)
    }

    /// A new scope for a Parallel branch.
    pub(crate) fn new_scope(&mut self) -> u32 {
        self.scopes += 1;
        self.scopes
    }

    /// Lowers a block; returns its first state (or `k.next` when it is empty).
    pub(crate) fn block(&mut self, stmts: &'f [Stmt], k: &Ctx) -> StateId {
        let refs: Vec<&'f Stmt> = stmts.iter().collect();
        self.seq(&refs, k)
    }

    /// Lowers statements in sequence, inlined sub-flows with no `return` spliced in (so actions
    /// on both sides of a call can share one response). Each action, service call or assignment
    /// directly after another one is marked as following it.
    fn seq(&mut self, stmts: &[&'f Stmt], k: &Ctx) -> StateId {
        let mut flat = Vec::new();
        for s in stmts {
            flatten(std::slice::from_ref(*s), &mut flat);
        }
        if let Some(i) = flat.iter().position(|s| is_jump(s)) {
            if let Some(dead) = flat.get(i + 1) {
                self.error(dead.loc, "unreachable code: nothing after `break`, `continue`, `return` or `fail` in the same block runs; remove it");
            }
            flat.truncate(i + 1);
        }
        let mut next = k.next;
        for (i, s) in flat.iter().enumerate().rev() {
            next = self.stmt(s, &k.then(next));
            if i > 0 && is_simple(s) && is_simple(flat[i - 1]) {
                self.arena.meta_mut(next).follows = true;
            }
        }
        next
    }

    /// Marks the assignments that open `block` (lowered, starting at `entry`) as opening it.
    fn mark_opens(&mut self, block: &[Stmt], entry: StateId) {
        let n = block
            .iter()
            .take_while(|s| matches!(s.kind, StmtKind::Assign { .. }))
            .count();
        let mut id = entry;
        for _ in 0..n {
            self.arena.meta_mut(id).opens = true;
            match self.arena.get(id) {
                Some(Node::Pass(p)) => id = p.next,
                _ => break,
            }
        }
    }

    fn stmt(&mut self, s: &'f Stmt, k: &Ctx) -> StateId {
        match &s.kind {
            StmtKind::Action { action, bind } => {
                states::action(self, s.loc, action, bind.as_deref(), k)
            }
            StmtKind::Service { service, bind } => {
                states::service(self, s.loc, service, bind.as_deref(), k)
            }
            StmtKind::Assign { var, value } => states::assign(self, s.loc, var, value, k),
            StmtKind::If { cond, then, els } => {
                let t = self.block(then, k);
                self.mark_opens(then, t);
                let e = self.block(els, k);
                states::choice_if(self, s.loc, cond, t, e)
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
                        let entry = self.block(&a.body, k);
                        self.mark_opens(&a.body, entry);
                        (a, entry)
                    })
                    .collect();
                states::choice_match(self, s.loc, subject, arms, d)
            }
            StmtKind::Loop { body } => {
                let head = self.reserve(None, Name::None);
                let inner = Ctx {
                    next: head,
                    brk: Some(k.next),
                    cont: Some(head),
                    ..k.clone()
                };
                let entry = self.block(body, &inner);
                if entry == head {
                    self.error(s.loc, "this loop has an empty body and would spin forever: add a step or a `break`");
                    return k.next;
                }
                self.arena.bind_label(head, entry);
                entry
            }
            StmtKind::Break => k.brk.unwrap_or_else(|| {
                self.error(s.loc, "`break` outside a loop");
                k.next
            }),
            StmtKind::Continue => k.cont.unwrap_or_else(|| {
                self.error(s.loc, "`continue` outside a loop");
                k.next
            }),
            StmtKind::Return => k.ret,
            StmtKind::Inline { body, .. } => {
                let inner = Ctx {
                    ret: k.next,
                    ..k.clone()
                };
                self.block(body, &inner)
            }
            StmtKind::Try {
                step,
                ok,
                err,
                hangup,
            } => self.try_step(s, (step, ok), err.as_ref(), hangup.as_deref(), k),
            StmtKind::Wait { seconds } => states::wait(self, s.loc, seconds, k),
            StmtKind::Parallel { branches } => states::parallel(self, s.loc, branches, k),
            StmtKind::Fail { error, cause } => states::fail(self, s.loc, error, cause),
        }
    }

    fn try_step(
        &mut self,
        s: &'f Stmt,
        (step, ok): (&'f [Stmt], &'f [Stmt]),
        err: Option<&'f switchboard::ir::Handler>,
        hangup: Option<&'f [Stmt]>,
        k: &Ctx,
    ) -> StateId {
        // Assignments that open the `Ok` arm continue the step's sequence: they may ride on
        // the step's own `Assign`, which Step Functions evaluates only when the step succeeds
        // (a caught failure uses the catcher's `Assign` instead):
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
        let ok_entry = self.seq(&rest, k);
        // Assignments that open the `Err` arm may ride on the catchers' `Assign`; there the
        // failure is `$states.errorOutput`, the arm's variable being assigned in the same block.
        let err_target = match err {
            Some(h) => {
                let next = self.block(&h.body, k);
                self.mark_opens(&h.body, next);
                Some(ErrTarget {
                    next,
                    var: h.bind.clone(),
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
                // Nobody to apologise to: a failure here (filing a message, say) ends the
                // execution as failed. Assignments that open the arm may ride on the HANGUP
                // catchers' `Assign`.
                let ended = ending(self.flow);
                let next = self.block(h, &ended);
                self.mark_opens(h, next);
                Some(ErrTarget::to(next))
            }
            None => k.hangup.clone(),
        };
        let inner = Ctx {
            next: ok_entry,
            err: err_target,
            hangup: hangup_target,
            ..k.clone()
        };
        self.seq(&step, &inner)
    }
}

/// An action, a service call or an assignment: one state that can merge with its neighbours.
fn is_simple(s: &Stmt) -> bool {
    matches!(
        s.kind,
        StmtKind::Action { .. } | StmtKind::Service { .. } | StmtKind::Assign { .. }
    )
}

fn is_jump(s: &Stmt) -> bool {
    matches!(
        s.kind,
        StmtKind::Break | StmtKind::Continue | StmtKind::Return | StmtKind::Fail { .. }
    )
}

/// Whether a `return` in `body` leaves this function (not a nested inlined one).
fn returns(body: &[Stmt]) -> bool {
    body.iter().any(|s| match &s.kind {
        StmtKind::Return => true,
        // A nested function's `return` is its own.
        StmtKind::Inline { .. } => false,
        kind => kind.child_blocks().into_iter().any(|b| returns(b)),
    })
}

/// The block with inlined sub-flows spliced in where no `return` needs their boundary.
fn flatten<'a>(stmts: &'a [Stmt], out: &mut Vec<&'a Stmt>) {
    for s in stmts {
        match &s.kind {
            StmtKind::Inline { body, .. } if !returns(body) => flatten(body, out),
            _ => out.push(s),
        }
    }
}

/// Where a call that is ending goes: on, and after a hang-up, to `Call ended`; a failure to
/// `Call failed`, which reads the error variable this catcher assigns.
fn ending(flow: &Flow) -> Ctx {
    Ctx {
        next: StateId::CALL_ENDED,
        brk: None,
        cont: None,
        ret: StateId::CALL_ENDED,
        err: Some(ErrTarget {
            next: StateId::FAILED,
            var: Some(handler_var(flow)),
        }),
        hangup: Some(ErrTarget::to(StateId::CALL_ENDED)),
    }
}

/// Whether a block (or anything nested in it) collects digits with a prompt.
fn asks_for_digits(block: &[Stmt]) -> bool {
    block.iter().any(|s| match &s.kind {
        StmtKind::Action { action, .. } => [
            Action::SPEAK_AND_GET_DIGITS,
            Action::PLAY_AUDIO_AND_GET_DIGITS,
        ]
        .contains(&action.kind),
        k => k.child_blocks().into_iter().any(|b| asks_for_digits(b)),
    })
}

fn handler_var(flow: &Flow) -> String {
    flow.on_error.bind.clone().unwrap_or_else(|| "error".into())
}
