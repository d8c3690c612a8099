//! What `#[value]` expands to. A value helper is a plain function whose body `#[value]` rewrote
//! like a flow's values (operators, `format!`, value `if`/`match`): it computes a [`Val`] from
//! other values and runs no step. Two guards keep it that way:
//!
//! - at compile time, every call in its body is wrapped in [`Probe`]: a call whose result is a
//!   step (an action, a service call, `take_message`) or nothing at all (`wait`, `fail`, a
//!   sub-flow run for its effect) is a rustc error on that call, saying to use `#[call_flow]`;
//! - while a flow is built, [`value_begin`]/[`value_end`] collect any statement pushed while the
//!   helper computed its value (a `#[call_flow]` function returning a value, called from the
//!   helper) and report it: it would otherwise run where the helper happens to be evaluated.
//!
//! [`Val`]: super::val::Val

use super::ctx;
use super::message::TakeMessage;
use super::results::FromVar;
use super::step::{ActionKind, Bind, ServiceStep, Step};
use crate::ir::Loc;

/// A value helper being evaluated: see [`value_begin`].
pub struct ValueScope {
    name: &'static str,
    loc: Loc,
    /// A flow is being built, and a block was opened for the helper's statements.
    open: bool,
}

/// Starts evaluating the value helper `name` (declared at `loc`): statements pushed from now on
/// are collected, not added to the flow.
pub fn value_begin(name: &'static str, loc: Loc) -> ValueScope {
    ValueScope {
        name,
        loc,
        open: ctx::open_block(),
    }
}

/// Ends the evaluation begun by `scope` and returns the helper's value; a statement pushed
/// meanwhile is a build error at the helper.
pub fn value_end<R>(scope: ValueScope, value: R) -> R {
    if scope.open {
        if let Some(first) = ctx::close_block().first() {
            ctx::error(
                scope.loc,
                format!(
                    "`{}` is a #[value] helper, yet computing its value ran a step ({}): a value helper only computes a value; call the step from a #[call_flow] function (or make `{}` one)",
                    scope.name, first.loc, scope.name
                ),
            );
        }
    }
    value
}

/// A call's result in a `#[value]` helper. `Probe(x).value()` is `x`, except for steps and `()`,
/// whose inherent `value` methods carry a bound nothing satisfies: the error is rustc's, on the
/// user's call, with the message of [`StepInValueHelper`] or [`NothingInValueHelper`]. Any other
/// type has no inherent `value` and falls back to [`ProbeValue::value`] (method resolution tries
/// inherent methods first).
pub struct Probe<T>(pub T);

/// What becomes a state when a flow binds or runs it.
pub trait Runs: Bind {}
impl<K: ActionKind> Runs for Step<K> {}
impl<R: FromVar> Runs for ServiceStep<R> {}
impl Runs for TakeMessage {}

/// Never implemented: the bound that makes a step in a value helper a compile error (its method
/// only gives the bound a way to produce the step's result type).
#[diagnostic::on_unimplemented(
    message = "a step cannot run in a #[value] helper: it only computes a value",
    label = "an action or a service call",
    note = "run the step in a #[call_flow] function (it can pass the step's result to the helper), or make this function #[call_flow]"
)]
pub trait StepInValueHelper {
    type Out;
    fn result(self) -> Self::Out;
}

/// Never implemented: the bound that makes a call run for its effect a compile error.
#[diagnostic::on_unimplemented(
    message = "this call returns nothing: a #[value] helper only computes a value",
    label = "run for its effect (`wait`, `fail`, a flow function)",
    note = "run it in a #[call_flow] function, or make this function #[call_flow]"
)]
pub trait NothingInValueHelper {}

impl<T: Runs> Probe<T> {
    /// The step's result type, so the rest of the helper type-checks and the step is the one
    /// error reported.
    pub fn value(self) -> T::Out
    where
        Self: StepInValueHelper<Out = T::Out>,
    {
        StepInValueHelper::result(self)
    }
}

impl Probe<()> {
    // Higher-ranked, so the bound is not "trivially false" where it is declared.
    pub fn value(self)
    where
        for<'a> &'a Self: NothingInValueHelper,
    {
    }
}

/// Every other call's result: passed through.
pub trait ProbeValue<T> {
    fn value(self) -> T;
}

impl<T> ProbeValue<T> for Probe<T> {
    fn value(self) -> T {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{Expr, Kind};
    use crate::lang::actions::speak;
    use crate::lang::control;
    use crate::lang::val::{ops, ToVal, Val};

    const LOC: Loc = Loc {
        file: "helper.rs",
        line: 7,
        column: 1,
    };

    /// A flow function returning a value, as `#[call_flow]` builds one: it speaks.
    fn speaks_and_returns() -> Val {
        control::stmt(Loc::caller(), speak("Hello."));
        "x".to_val()
    }

    #[test]
    fn a_step_run_while_a_helper_computes_is_an_error_at_the_helper() {
        let (block, v, errors) = ctx::build(|| {
            let scope = value_begin("greeting", LOC);
            let v = ops::add(speaks_and_returns(), "y");
            value_end(scope, v).expr()
        });
        // Not added to the flow where the helper happened to be evaluated.
        assert!(block.is_empty(), "{block:?}");
        assert_eq!(v, Expr::Lit("xy".into()));
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(errors[0].loc, LOC);
        assert!(
            errors[0].message.starts_with(
                "`greeting` is a #[value] helper, yet computing its value ran a step (dsl/src/lang/helper.rs:"
            ),
            "{}",
            errors[0].message
        );
    }

    #[test]
    fn a_helper_that_only_computes_leaves_the_flow_as_it_was() {
        let (block, (), errors) = ctx::build(|| {
            control::stmt(LOC, speak("Before."));
            let scope = value_begin("next", LOC);
            let v = ops::add(Val::new(Expr::var("name"), Kind::Str), "!");
            control::stmt(LOC, speak(value_end(scope, v)));
        });
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(block.len(), 2, "{block:?}");
    }

    #[test]
    fn outside_a_build_a_helper_is_an_ordinary_function() {
        let scope = value_begin("plain", LOC);
        assert_eq!(value_end(scope, 3), 3);
    }
}
