//! Steps: actions and service calls as values a flow body binds (`let x = …;`) or runs (`…;`).

use super::ctx;
use super::results::FromVar;
use super::val::Val;
use crate::ir::{Action, Expr, Kind, Loc, ResultShape, Service, StmtKind, Tree};
use crate::origin::{Call, Opt, Origin, Origins, Sent};
use serde_json::Value as Json;
use std::marker::PhantomData;

/// What a `let` or an expression statement does with a value in a flow body.
///
/// Actions and service calls become states (their result bound to a flow variable); runtime
/// values bound with `let` become variables; compile-time values stay Rust values.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be bound or run in a call flow",
    note = "a flow statement is an action (`speak(…)`), a service call, a runtime value, a constant, or a call of another flow function"
)]
pub trait Bind {
    type Out;
    fn bind(self, loc: Loc, name: Option<&str>) -> Self::Out;
}

impl Bind for () {
    type Out = ();
    fn bind(self, _: Loc, _: Option<&str>) {}
}

impl Bind for Val {
    type Out = Val;
    fn bind(self, loc: Loc, name: Option<&str>) -> Val {
        let Some(name) = name else { return self };
        // Constants need no variable: they fold into every use.
        if self.expr().as_lit().is_some() {
            return self;
        }
        let var = ctx::fresh_var(name);
        ctx::push(
            loc,
            StmtKind::Assign {
                var: var.clone(),
                value: self.expr(),
            },
        );
        Val::new(Expr::var(var), self.kind())
    }
}

impl<T: ?Sized> Bind for &T {
    type Out = Self;
    fn bind(self, _: Loc, _: Option<&str>) -> Self {
        self
    }
}

macro_rules! const_bind {
    ($($t:ty),*) => {$(
        impl Bind for $t {
            type Out = $t;
            fn bind(self, _: Loc, _: Option<&str>) -> $t { self }
        }
    )*};
}
const_bind!(String, bool, i8, i16, i32, i64, u8, u16, u32, u64, usize, isize, f32, f64);

// Handles whose fields are already expressions over variables (or `$millis()`), so binding them
// again needs no state: they pass through.
const_bind!(
    super::results::Call,
    super::results::Digits,
    super::results::Recording,
    super::results::CallRecording,
    super::results::Message,
    super::results::Failure,
    super::results::Item,
    super::results::Items,
    super::results::Done
);

/// Compile-time collections stay Rust values.
impl<T, const N: usize> Bind for [T; N] {
    type Out = Self;
    fn bind(self, _: Loc, _: Option<&str>) -> Self {
        self
    }
}
impl<T> Bind for Vec<T> {
    type Out = Self;
    fn bind(self, _: Loc, _: Option<&str>) -> Self {
        self
    }
}
impl<T> Bind for Option<T> {
    type Out = Self;
    fn bind(self, _: Loc, _: Option<&str>) -> Self {
        self
    }
}

/// The kind of an action: its result type and how the result is read from the event.
pub trait ActionKind {
    type Out: FromVar;
    fn shape() -> ResultShape;
}

/// An action being configured; options are methods, it becomes a state when bound or run.
#[must_use = "an action does nothing until it is a statement of a flow body"]
pub struct Step<K: ActionKind> {
    pub(crate) action: Action,
    pub(crate) loc: Loc,
    /// Bound into the flow (or deliberately taken apart): dropping it unsent is a mistake.
    sent: bool,
    _k: PhantomData<K>,
}

impl<K: ActionKind> Step<K> {
    pub(crate) fn new(kind: &'static str, summary: String, max_seconds: u32, loc: Loc) -> Self {
        Step {
            action: Action {
                kind,
                params: Tree::Object(Vec::new()),
                summary,
                label: None,
                max_seconds,
                result: K::shape(),
                origins: Origins::default(),
            },
            loc,
            sent: false,
            _k: PhantomData,
        }
    }
    /// The action, taken out of the step (which then counts as sent).
    pub(crate) fn into_action(mut self) -> Action {
        self.sent = true;
        std::mem::replace(
            &mut self.action,
            Action {
                kind: "",
                params: Tree::Object(Vec::new()),
                summary: String::new(),
                label: None,
                max_seconds: 0,
                result: ResultShape::None,
                origins: Origins::default(),
            },
        )
    }
    /// Sets (or replaces, keeping its place) a parameter at a nested path, set by no call of
    /// the flow (what was recorded there goes).
    pub(crate) fn set(mut self, path: &[&str], value: Tree) -> Self {
        self.action.origins.forget(&origin_path(PARAMETERS, path));
        set_path(&mut self.action.params, path, value);
        self
    }
    /// Sets the parameter of option `opt` (under `prefix`) from its argument `arg`, a constant,
    /// sent as the option's rule says, and records that the call at `loc` set it.
    pub(crate) fn set_by(self, opt: Opt, prefix: &[&str], arg: Json, loc: Loc) -> Self {
        let value = opt.sent.send(&arg).unwrap_or(arg);
        self.set_by_tree(opt, prefix, Tree::lit(value), loc)
    }
    /// Sets the parameter of option `opt` (under `prefix`) to `value`, its argument as written
    /// (a text, possibly known only at run time), and records that the call at `loc` set it.
    pub(crate) fn set_by_val(self, opt: Opt, prefix: &[&str], value: &Val, loc: Loc) -> Self {
        self.set_by_tree(opt, prefix, Tree::Leaf(value.expr()), loc)
    }
    fn set_by_tree(self, opt: Opt, prefix: &[&str], value: Tree, loc: Loc) -> Self {
        let path = [prefix, opt.field].concat();
        self.set(&path, value).mark(opt, prefix, loc)
    }
    /// Records that the call of option `opt` at `loc` set the parameter under `prefix` (set
    /// already, in a tree built whole: `Endpoints` is a list).
    pub(crate) fn mark(mut self, opt: Opt, prefix: &[&str], loc: Loc) -> Self {
        let path = [prefix, opt.field].concat();
        self.action
            .origins
            .record(origin(PARAMETERS, &path, opt, loc, true));
        self
    }
    /// Sets a parameter the flow did not set to what Switchboard sends (`value`), recording
    /// that option `opt` would change it. `None`: the parameter stays absent.
    pub(crate) fn default_by(mut self, opt: Opt, prefix: &[&str], value: Option<Tree>) -> Self {
        let path = [prefix, opt.field].concat();
        if let Some(v) = value {
            self = self.set(&path, v);
        }
        let loc = self.loc;
        self.action
            .origins
            .record(origin(PARAMETERS, &path, opt, loc, false));
        self
    }
    /// The options recorded at `loc` are `to`'s, not `from`'s: a helper built this action with
    /// another function of the flow language.
    pub(crate) fn called_as(mut self, loc: Loc, from: Call, to: Call) -> Self {
        self.action.origins.rename_at(loc, from, to);
        self
    }
    /// Names the state in Workflow Studio (≤ 80 characters).
    pub fn label(mut self, label: &str) -> Self {
        self.action.label = Some(label.to_owned());
        self
    }
    /// Addresses the action to a leg by participant tag (`"LEG-A"`, `"LEG-B"`) instead of the
    /// caller's `CallId`.
    #[track_caller]
    pub fn leg(self, tag: &str) -> Self {
        let mut s = self;
        if let Tree::Object(kv) = &mut s.action.params {
            kv.retain(|(k, _)| k != "CallId");
            kv.insert(0, ("ParticipantTag".into(), Tree::lit(tag)));
        }
        s.mark(LEG, &[], Loc::caller())
    }
}

pub(crate) fn set_path(tree: &mut Tree, path: &[&str], value: Tree) {
    let Some((first, rest)) = path.split_first() else {
        *tree = value;
        return;
    };
    if !matches!(tree, Tree::Object(_)) {
        *tree = Tree::Object(Vec::new());
    }
    let Tree::Object(kv) = tree else { return };
    match kv.iter_mut().find(|(k, _)| k == first) {
        Some((_, t)) => set_path(t, rest, value),
        None => {
            let mut t = Tree::Object(Vec::new());
            set_path(&mut t, rest, value);
            kv.push((first.to_string(), t));
        }
    }
}

impl<K: ActionKind> Bind for Step<K> {
    type Out = K::Out;
    fn bind(self, _: Loc, name: Option<&str>) -> K::Out {
        if self.action.kind == crate::pstn::Action::CALL_AND_BRIDGE
            && self.action.params.get("CallerIdNumber").is_none()
        {
            ctx::error(
                self.loc,
                "call_and_bridge needs `.caller_id(number)`: the number the callee sees, one of yours (e.g. `call.to`, the number the caller dialled)",
            );
        }
        let var = name.map(ctx::fresh_var);
        let out = K::Out::from_var(var.as_deref().unwrap_or("_"));
        let loc = self.loc;
        ctx::push(
            loc,
            StmtKind::Action {
                action: self.into_action(),
                bind: var,
            },
        );
        out
    }
}

/// A Step Functions service integration being configured.
#[must_use = "a service call does nothing until it is a statement of a flow body"]
pub struct ServiceStep<R: FromVar> {
    pub(crate) service: Service,
    pub(crate) loc: Loc,
    /// Bound into the flow: dropping it unsent is a mistake.
    sent: bool,
    _r: PhantomData<R>,
}

impl<R: FromVar> ServiceStep<R> {
    pub(crate) fn new(resource: String, summary: String, shape: ResultShape, loc: Loc) -> Self {
        let mut origins = Origins::default();
        origins.record(origin(&[], TIMEOUT.field, TIMEOUT, loc, false));
        ServiceStep {
            service: Service {
                resource,
                args: Tree::Object(Vec::new()),
                summary,
                label: None,
                result: shape,
                timeout_seconds: 10,
                origins,
            },
            loc,
            sent: false,
            _r: PhantomData,
        }
    }
    pub(crate) fn set(mut self, path: &[&str], value: Tree) -> Self {
        self.service.origins.forget(&origin_path(ARGUMENTS, path));
        set_path(&mut self.service.args, path, value);
        self
    }
    /// Sets the argument of option `opt` (under `prefix`) to `value` (a tree built from the
    /// option's argument as written) and records that the call at `loc` set it.
    pub(crate) fn set_by(mut self, opt: Opt, prefix: &[&str], value: Tree, loc: Loc) -> Self {
        let path = [prefix, opt.field].concat();
        self = self.set(&path, value);
        self.service
            .origins
            .record(origin(ARGUMENTS, &path, opt, loc, true));
        self
    }
    /// Names the state in Workflow Studio (≤ 80 characters).
    pub fn label(mut self, label: &str) -> Self {
        self.service.label = Some(label.to_owned());
        self
    }
    /// Seconds before Step Functions gives up on the call (`TimeoutSeconds`, default 10).
    #[track_caller]
    pub fn timeout(mut self, seconds: u32) -> Self {
        let loc = Loc::caller();
        if seconds == 0 {
            ctx::error(loc, "timeout(0): a service call needs at least 1 second");
        }
        self.service.timeout_seconds = seconds.max(1);
        self.service
            .origins
            .record(origin(&[], TIMEOUT.field, TIMEOUT, loc, true));
        self
    }
}

impl<R: FromVar> Bind for ServiceStep<R> {
    type Out = R;
    fn bind(mut self, _: Loc, name: Option<&str>) -> R {
        let var = name.map(ctx::fresh_var);
        let out = R::from_var(var.as_deref().unwrap_or("_"));
        self.sent = true;
        let service = std::mem::replace(
            &mut self.service,
            Service {
                resource: String::new(),
                args: Tree::Object(Vec::new()),
                summary: String::new(),
                label: None,
                result: ResultShape::None,
                timeout_seconds: 0,
                origins: Origins::default(),
            },
        );
        ctx::push(self.loc, StmtKind::Service { service, bind: var });
        out
    }
}

/// Where an action's parameters are, from the action object.
const PARAMETERS: &[&str] = &["Parameters"];
/// Where a service call's arguments are, from the Task state.
const ARGUMENTS: &[&str] = &["Arguments"];
/// The leg an action is addressed to.
const LEG: Opt = Opt::method("leg", &["ParticipantTag"], Sent::Same);
/// A service call's timeout: the Task's own `TimeoutSeconds`.
pub(crate) const TIMEOUT: Opt = Opt::method("timeout", &["TimeoutSeconds"], Sent::Same);

fn origin_path(root: &[&str], path: &[&str]) -> Vec<String> {
    root.iter().chain(path).map(|p| (*p).to_owned()).collect()
}

fn origin(root: &[&str], path: &[&str], opt: Opt, loc: Loc, called: bool) -> Origin {
    Origin {
        path: origin_path(root, path),
        call: opt.call,
        arg: opt.arg,
        sent: opt.sent,
        loc,
        called,
    }
}

/// A step built in a plain `fn` (not `#[call_flow]`) is dropped, not sent: the flow would
/// silently lack it.
const NEVER_SENT: &str = "this step is never sent: it was built where #[call_flow] does not run it (a plain `fn`, or a value left unused); mark that function #[call_flow], or make the step a statement of a flow body";

impl<K: ActionKind> Drop for Step<K> {
    fn drop(&mut self) {
        if !self.sent {
            ctx::error_if_building(
                self.loc,
                format!("{} ({})", NEVER_SENT, self.action.summary),
            );
        }
    }
}

impl<R: FromVar> Drop for ServiceStep<R> {
    fn drop(&mut self) {
        if !self.sent {
            ctx::error_if_building(
                self.loc,
                format!("{} ({})", NEVER_SENT, self.service.summary),
            );
        }
    }
}

/// A value's text if it is a compile-time string.
pub(crate) fn const_str(v: &Val) -> Option<String> {
    v.expr()
        .as_lit()
        .and_then(|j| j.as_str().map(str::to_owned))
}

/// A short readable form of a value for state names: the text of a constant, `…` for the
/// runtime parts.
pub(crate) fn summary_of(v: &Val) -> String {
    fn go(e: &Expr, out: &mut String) {
        match e {
            Expr::Lit(serde_json::Value::String(s)) => out.push_str(s),
            Expr::Lit(j) => out.push_str(&j.to_string()),
            Expr::Binary(crate::ir::BinOp::Concat, a, b) => {
                go(a, out);
                go(b, out);
            }
            _ => {
                if !out.ends_with('…') {
                    out.push('…')
                }
            }
        }
    }
    let mut s = String::new();
    go(&v.expr(), &mut s);
    s
}

pub(crate) fn expect_kind(v: &Val, kinds: &[Kind], what: &str, loc: Loc) {
    let k = v.kind();
    if k != Kind::Any && !kinds.contains(&k) {
        ctx::error(
            loc,
            format!(
                "{what} must be a {}, found a {}",
                super::val::kind_name(kinds[0]),
                super::val::kind_name(k)
            ),
        );
    }
}

/// What `?` applies to in a flow body: a step, whose failure `?` sends to the enclosing `Err` arm
/// or the flow's error handler.
#[diagnostic::on_unimplemented(
    message = "`?` applies to a step (an action or a service call); `{Self}` cannot fail",
    label = "this is not a step",
    note = "remove the `?`: in a call flow it only makes a step's default failure handling explicit"
)]
pub trait Fallible {}

impl<K: ActionKind> Fallible for Step<K> {}
impl<R: FromVar> Fallible for ServiceStep<R> {}
