//! Literal option values checked at rustc time: `.ring_for(500)` becomes a `const` evaluation of
//! `__private::checks::ring_for(500)` spanned at the literal, so a value out of range is a rustc
//! error at the user's tokens.

use crate::ast::{UnOp, Value};
use proc_macro2::TokenStream;
use quote::{quote, quote_spanned, ToTokens};
use syn::spanned::Spanned;
use syn::{Expr, Lit};

/// Option methods and functions whose literal arguments are checked at compile time by the
/// `const fn` of the same name in `switchboard::__private::checks` (the limits live there).
pub const CHECKED: &[&str] = &[
    "ring_for",
    "sip_code",
    "retries",
    "pause",
    "digits",
    "repeat",
    "silence_seconds",
    "silence_threshold",
    "pstn",
    "caller_id",
];

/// `const _: () = checks::name(literal);` spanned at the literal, when the only argument is a
/// literal (or a closed range of literals).
pub fn literal_check(name: &str, args: &[Value]) -> TokenStream {
    let [arg] = args else {
        return TokenStream::new();
    };
    if !CHECKED.contains(&name) {
        return TokenStream::new();
    }
    let Some((span, lits)) = literals(arg) else {
        return TokenStream::new();
    };
    // Every token spanned at the literal, so rustc's const-evaluation error lands on it.
    let f = syn::Ident::new(name, span);
    quote_spanned!(span=> const _: () = ::switchboard::__private::checks::#f(#(#lits),*);)
}

/// The literal tokens of an argument: a string, an integer, or `a..=b` of integers.
fn literals(arg: &Value) -> Option<(proc_macro2::Span, Vec<TokenStream>)> {
    match arg {
        Value::Verbatim(Expr::Range(r)) if matches!(r.limits, syn::RangeLimits::Closed(_)) => {
            let a = r.start.as_deref().and_then(int_lit)?;
            let b = r.end.as_deref().and_then(int_lit)?;
            Some((r.span(), vec![a, b]))
        }
        Value::Verbatim(Expr::Lit(syn::ExprLit {
            lit: Lit::Str(s), ..
        })) => Some((s.span(), vec![s.to_token_stream()])),
        Value::Verbatim(e @ Expr::Lit(_)) => Some((e.span(), vec![int_lit(e)?])),
        Value::Unary {
            op: UnOp::Neg,
            span,
            operand,
        } => match &**operand {
            Value::Verbatim(e) => {
                let t = int_lit(e)?;
                Some((*span, vec![quote!(-#t)]))
            }
            _ => None,
        },
        _ => None,
    }
}

fn int_lit(e: &Expr) -> Option<TokenStream> {
    match e {
        Expr::Lit(syn::ExprLit {
            lit: Lit::Int(i), ..
        }) => Some(i.to_token_stream()),
        Expr::Unary(u) if matches!(u.op, syn::UnOp::Neg(_)) => {
            int_lit(&u.expr).map(|t| quote!(-#t))
        }
        _ => None,
    }
}
