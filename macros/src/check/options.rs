//! Literal option values, checked against the PSTN audio table (`switchboard-pstn`) while the
//! macro runs: `call_and_bridge(pstn("+1…")).ring_for(500)` is an error on `500` that says what
//! `ring_for` accepts and where PSTN audio documents it.
//!
//! An option is checked only on a builder chain that starts at an action function it belongs to
//! (`play_audio(…).repeat(10)`, `speak_and_get_digits(…).digits(1..=3).retries(2)`), and a
//! function's own argument only for that function (`pause(50)`, `pstn("…")`): a method of the
//! same name on anything else (`"-".repeat(10)`) is not an option. Values that are not literals
//! (configuration) are checked by the builder with the same table when the flow is built.
//!
//! Checked here rather than by a `const fn` the expansion calls: the error comes with the
//! macro's other errors, all at once, and reads as the table's message on the literal, without
//! rustc's const-evaluation notes.

use crate::ast::{UnOp, Value};
use crate::ctxt::Ctxt;
use proc_macro2::TokenStream;
use quote::{quote, ToTokens};
use switchboard_pstn::{option, BuilderOption};
use syn::{Expr, Lit};

/// `func(arg)`: the function's own checked argument.
pub fn call(cx: &Ctxt, func: &Expr, args: &[Value]) {
    if let Some(o) = path_name(func).and_then(|name| option::argument(&name)) {
        check(cx, o, args);
    }
}

/// `receiver.method(arg)`: an option of the action its chain starts at.
pub fn method_call(cx: &Ctxt, receiver: &Value, method: &syn::Ident, args: &[Value]) {
    let Some(action) = chain_start(receiver) else {
        return;
    };
    if let Some(o) = option::method(&action, &method.to_string()) {
        check(cx, o, args);
    }
}

/// The function a builder chain starts at: `f` of `f(…).a(…).b(…)`.
fn chain_start(mut v: &Value) -> Option<String> {
    loop {
        match v {
            Value::MethodCall { receiver, .. } => v = receiver,
            Value::Call { func, .. } => return path_name(func),
            _ => return None,
        }
    }
}

fn path_name(func: &Expr) -> Option<String> {
    match func {
        Expr::Path(p) if p.qself.is_none() => p.path.segments.last().map(|s| s.ident.to_string()),
        _ => None,
    }
}

/// A literal argument, checked; anything else is left to the builder.
fn check(cx: &Ctxt, o: &BuilderOption, args: &[Value]) {
    let [arg] = args else { return };
    let Some((tokens, literal)) = literal(arg) else {
        return;
    };
    let result = match literal {
        Literal::Int(v) => o.check_int(v),
        Literal::Range(lo, hi) => o.check_range(lo, hi),
        Literal::Str(s) => o.check_str(&s),
    };
    if let Err(message) = result {
        cx.error_spanned_by(tokens, message);
    }
}

enum Literal {
    Int(i64),
    Range(i64, i64),
    Str(String),
}

/// The argument's tokens and value, when it is an integer (possibly negative), a closed range
/// of integers, or a string.
fn literal(arg: &Value) -> Option<(TokenStream, Literal)> {
    match arg {
        Value::Verbatim(Expr::Range(r)) if matches!(r.limits, syn::RangeLimits::Closed(_)) => {
            let lo = int(r.start.as_deref()?)?;
            let hi = int(r.end.as_deref()?)?;
            Some((r.to_token_stream(), Literal::Range(lo, hi)))
        }
        Value::Verbatim(Expr::Lit(syn::ExprLit {
            lit: Lit::Str(s), ..
        })) => Some((s.to_token_stream(), Literal::Str(s.value()))),
        Value::Verbatim(e @ Expr::Lit(_)) => Some((e.to_token_stream(), Literal::Int(int(e)?))),
        Value::Unary {
            op: UnOp::Neg,
            span,
            operand,
        } => match &**operand {
            Value::Verbatim(e @ Expr::Lit(_)) => {
                let minus = syn::Token![-](*span);
                Some((quote!(#minus #e), Literal::Int(-int(e)?)))
            }
            _ => None,
        },
        _ => None,
    }
}

/// An integer literal's value (`-` included); `None` for other literals and for values that do
/// not fit (rustc reports those).
fn int(e: &Expr) -> Option<i64> {
    match e {
        Expr::Lit(syn::ExprLit {
            lit: Lit::Int(i), ..
        }) => i.base10_parse().ok(),
        Expr::Unary(u) if matches!(u.op, syn::UnOp::Neg(_)) => int(&u.expr).map(|v| -v),
        _ => None,
    }
}
