//! Control flow, as `#[call_flow]` expands it: each Rust construct of a flow body becomes one of
//! these calls, which push structured IR into the build context.

use super::ctx;
use super::message::KeepsOnHangup;
use super::results::{Call, Failure};
use super::step::Bind;
use super::val::{ops, ToVal, Val};
use crate::ir::{Arm, Expr, Flow, Handler, Loc, StmtKind};
use serde_json::Value as Json;

/// An expression statement: `speak("…");`.
pub fn stmt<S: Bind>(loc: Loc, s: S) {
    s.bind(loc, None);
}

/// `step?`: the step itself (its failures already go to the enclosing `Err` arm or the flow's
/// error handler); anything that is not a step is refused.
pub fn question<S: super::step::Fallible>(step: S) -> S {
    step
}

/// `let name = value;`.
pub fn bind<S: Bind>(loc: Loc, name: &str, s: S) -> S::Out {
    s.bind(loc, Some(name))
}

/// `let mut name = init;`: a flow variable that can be reassigned (in loops, branches).
pub fn var(loc: Loc, name: &str, init: impl ToVal) -> Val {
    let init = init.to_val();
    let var = ctx::fresh_var(name);
    ctx::push(
        loc,
        StmtKind::Assign {
            var: var.clone(),
            value: init.expr(),
        },
    );
    Val::new(Expr::var(var), init.kind())
}

/// `&mut n` (and a `&mut` parameter passed on) in a flow: the same handle to the flow variable,
/// returned as a temporary the callee's `x: &mut Val` points at, so `*x = …` assigns the
/// caller's variable while Rust's borrow of `n` ends with the call.
pub fn alias(handle: Val) -> Val {
    handle
}

/// `target = value;` (and `target += value;` as `target = target + value`).
pub fn assign(loc: Loc, target: Val, value: impl ToVal) {
    match target.expr() {
        Expr::Var(var) => ctx::push(
            loc,
            StmtKind::Assign {
                var,
                value: value.to_val().expr(),
            },
        ),
        _ => ctx::error(
            loc,
            "only a `let mut` variable can be assigned: declare it with `let mut name = …;`",
        ),
    }
}

fn const_bool(v: &Val) -> Option<bool> {
    v.expr().as_lit().and_then(Json::as_bool)
}

/// `if cond { … } else { … }`. A compile-time condition picks its branch now.
pub fn if_(loc: Loc, cond: impl ToVal, then: impl FnOnce(), els: impl FnOnce()) {
    let cond = cond.to_val();
    match const_bool(&cond) {
        Some(true) => then(),
        Some(false) => els(),
        None => {
            let (then, ()) = ctx::capture(then);
            let (els, ()) = ctx::capture(els);
            ctx::push(
                loc,
                StmtKind::If {
                    cond: cond.expr(),
                    then,
                    els,
                },
            );
        }
    }
}

/// One arm of [`match_`].
pub struct MatchArm<'a> {
    pub patterns: Vec<Val>,
    pub loc: Loc,
    pub body: Box<dyn FnOnce() + 'a>,
}

/// `match subject { "1" | "2" => …, _ => … }`. A compile-time subject picks its arm now.
pub fn match_(
    loc: Loc,
    subject: impl ToVal,
    arms: Vec<MatchArm<'_>>,
    default: Option<Box<dyn FnOnce() + '_>>,
) {
    let subject = subject.to_val();
    let mut lowered = Vec::new();
    if let Some(s) = subject.expr().as_lit().cloned() {
        for arm in arms {
            if arm.patterns.iter().any(|p| p.expr().as_lit() == Some(&s)) {
                return (arm.body)();
            }
        }
        if let Some(d) = default {
            d();
        }
        return;
    }
    for arm in arms {
        let mut patterns = Vec::new();
        for p in &arm.patterns {
            match p.expr() {
                lit @ Expr::Lit(_) => {
                    match super::val::text_if_compared_to_text(lit, subject.kind()) {
                        Expr::Lit(j) => patterns.push(j),
                        _ => {}
                    }
                }
                _ => ctx::error(
                    arm.loc,
                    "a match pattern must be a literal (\"1\", 2, true)",
                ),
            }
        }
        let (body, ()) = ctx::capture(arm.body);
        lowered.push(Arm {
            patterns,
            body,
            loc: arm.loc,
        });
    }
    let default = default.map(|d| ctx::capture(d).0).unwrap_or_default();
    ctx::push(
        loc,
        StmtKind::Match {
            subject: subject.expr(),
            arms: lowered,
            default,
        },
    );
}

/// `loop { … }`.
pub fn loop_(loc: Loc, body: impl FnOnce()) {
    let (body, ()) = ctx::capture_loop(body);
    ctx::push(loc, StmtKind::Loop { body });
}

/// `while cond { … }`: a loop that first breaks when the condition is false.
pub fn while_<C: ToVal>(loc: Loc, cond: impl FnOnce() -> C, body: impl FnOnce()) {
    let (body, ()) = ctx::capture_loop(|| {
        let c = cond().to_val();
        if const_bool(&c) == Some(false) {
            ctx::push(loc, StmtKind::Break);
            return;
        }
        if_(loc, ops::not(c), || ctx::push(loc, StmtKind::Break), || {});
        body();
    });
    ctx::push(loc, StmtKind::Loop { body });
}

/// `break;`
pub fn break_(loc: Loc) {
    if !ctx::in_loop() {
        ctx::error(loc, "`break` outside a loop");
    }
    ctx::push(loc, StmtKind::Break);
}

/// `continue;`
pub fn continue_(loc: Loc) {
    if !ctx::in_loop() {
        ctx::error(loc, "`continue` outside a loop");
    }
    ctx::push(loc, StmtKind::Continue);
}

/// `return;`: leaves the current flow function.
pub fn return_(loc: Loc) {
    ctx::push(loc, StmtKind::Return);
}

/// The body of a flow function, inlined where it is called.
pub fn inline<R>(function: &str, loc: Loc, f: impl FnOnce() -> R) -> R {
    let (body, r) = ctx::capture(f);
    ctx::push(
        loc,
        StmtKind::Inline {
            function: function.to_owned(),
            body,
        },
    );
    r
}

/// What an `Err(…)` arm binds.
pub struct ErrArm<'a> {
    pub name: Option<&'a str>,
    pub body: Box<dyn FnOnce(Failure) + 'a>,
}

/// `match step { Ok(x) => …, Err(e) => … }` and `if let Ok(x) = step { … } else { … }`: a failure
/// of the step (an action, a service call, or a whole sub-flow) goes to the `Err` arm, a caller
/// hang-up to the `Err(Hangup)` arm; otherwise the `Ok` arm runs.
pub fn try_<S: Bind>(
    loc: Loc,
    step: impl FnOnce() -> S,
    ok_name: Option<&str>,
    ok: impl FnOnce(S::Out),
    err: Option<ErrArm<'_>>,
    hangup: Option<Box<dyn FnOnce() + '_>>,
) {
    let (step, out) = ctx::capture(|| step().bind(loc, ok_name));
    push_try(loc, step, out, ok, err, || {
        hangup.map(|h| ctx::capture(h).0)
    });
}

/// The step of a `match` with an `Err(Hangup(m))` arm: only steps that keep something.
pub fn must_keep<S: KeepsOnHangup>(step: S) -> S {
    step
}

/// `match step { …, Err(Hangup(m)) => … }`: like [`try_`], and the hang-up arm receives what the
/// caller left (only [`KeepsOnHangup`] steps: `take_message`); the step places the arm itself.
pub fn try_keep<S: KeepsOnHangup>(
    loc: Loc,
    step: impl FnOnce() -> S,
    ok_name: Option<&str>,
    ok: impl FnOnce(S::Out),
    err: Option<ErrArm<'_>>,
    hangup: Box<dyn FnOnce(S::Out) + '_>,
) {
    let (step, out) = ctx::capture(|| step().bind_keeping(loc, ok_name, hangup));
    push_try(loc, step, out, ok, err, || None);
}

fn push_try<O>(
    loc: Loc,
    step: crate::ir::Block,
    out: O,
    ok: impl FnOnce(O),
    err: Option<ErrArm<'_>>,
    hangup: impl FnOnce() -> Option<crate::ir::Block>,
) {
    let (ok, ()) = ctx::capture(|| ok(out));
    let err = err.map(|arm| {
        let var = ctx::fresh_var(arm.name.unwrap_or("failure"));
        let failure = Failure::from_var(&var);
        let (body, ()) = ctx::capture(|| (arm.body)(failure));
        Handler {
            bind: Some(var),
            body,
        }
    });
    let hangup = hangup();
    ctx::push(
        loc,
        StmtKind::Try {
            step,
            ok,
            err,
            hangup,
        },
    );
}

/// Waits `seconds` on a timer (no round trip to the caller; the router keeps the call alive).
#[track_caller]
pub fn wait(seconds: impl ToVal) {
    let loc = Loc::caller();
    let s = seconds.to_val();
    if let Some(n) = s.expr().as_lit().and_then(Json::as_f64) {
        if !(1.0..=31_536_000.0).contains(&n) {
            ctx::error(
                loc,
                format!("wait({n}): wait between 1 second and one year"),
            );
        }
    }
    ctx::push(loc, StmtKind::Wait { seconds: s.expr() });
}

/// Ends the execution as failed with `error` and `cause` (after hanging up, if you want the
/// caller to hear anything: the flow does not speak for you here).
#[track_caller]
pub fn fail(error: &str, cause: impl ToVal) {
    ctx::push(
        Loc::caller(),
        StmtKind::Fail {
            error: error.to_owned(),
            cause: cause.to_val().expr(),
        },
    );
}

/// Runs service-call blocks concurrently and waits for all (`parallel!({ … }, { … })`).
pub fn parallel(loc: Loc, branches: Vec<Box<dyn FnOnce() + '_>>) {
    let branches = branches.into_iter().map(|b| ctx::capture(b).0).collect();
    ctx::push(loc, StmtKind::Parallel { branches });
}

/// The error handler used when a flow names none: apologise and hang up; the compiler then ends
/// the execution with `Fail` carrying the cause.
#[track_caller]
pub fn default_error_handler(_call: &Call, _failure: Failure) {
    let loc = Loc::caller();
    let sorry =
        super::actions::speak("Sorry, something went wrong. Please call again later. Goodbye.");
    stmt(loc, sorry.label("Apologise and hang up"));
    stmt(loc, super::actions::hangup());
}

/// The no-input handler used when a flow names none: a caller who pressed no valid key at a
/// prompt with no `Err` arm hears a polite goodbye and the call ends; the execution SUCCEEDS
/// (a silent caller is not a fault, so alarms on failed executions stay meaningful).
#[track_caller]
pub fn default_no_input_handler(_call: &Call, _failure: Failure) {
    let loc = Loc::caller();
    let bye = super::actions::speak("Sorry, I did not get an answer. Goodbye.");
    stmt(loc, bye.label("No answer: say goodbye"));
    stmt(loc, super::actions::hangup());
}

/// Builds a flow: runs its function (and its handlers) in a fresh build context. The flow
/// function wraps its own body in [`inline`].
pub fn build_flow(
    name: &str,
    doc: &str,
    loc: Loc,
    body: impl FnOnce(&Call),
    on_error: impl FnOnce(&Call, Failure),
    on_no_input: impl FnOnce(&Call, Failure),
) -> Flow {
    let var = ctx::RESERVED_VARS[2];
    let (_, (main, handler, no_input), errors) = ctx::build(|| {
        let call = Call::entry();
        let (main, ()) = ctx::capture(|| body(&call));
        let (handler, ()) = ctx::capture(|| on_error(&call, Failure::from_var(var)));
        let (no_input, ()) = ctx::capture(|| on_no_input(&call, Failure::from_var(var)));
        (main, handler, no_input)
    });
    Flow {
        name: name.to_owned(),
        loc,
        doc: doc.trim().to_owned(),
        body: main,
        on_error: Handler {
            bind: Some(var.to_owned()),
            body: handler,
        },
        on_no_input: Some(Handler {
            bind: Some(var.to_owned()),
            body: no_input,
        }),
        errors,
    }
}
