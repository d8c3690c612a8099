//! What a flow may assign, with Rust's rules made to hold.
//!
//! A flow function's body is inlined where it is called, so its parameters are the caller's
//! values themselves: assigning a parameter would change the caller's variable, behind a
//! signature that says it takes a copy. The rules:
//! - `x = …` / `x += …` needs `let mut x`;
//! - a flow function that changes a caller's variable says so: it takes `x: &mut Val` and
//!   assigns `*x = …`; the caller passes `&mut n` of a `let mut n` (or passes its own `&mut`
//!   parameter on);
//! - parameters cannot be `mut` (that would read as a local copy, which they are not).

use crate::ast::{BindingKind, Param, UnOp, Value};
use crate::ctxt::Ctxt;
use proc_macro2::TokenStream;
use quote::quote;

/// `mut` on a parameter is refused.
pub fn params(cx: &Ctxt, params: &[Param]) {
    for p in params {
        if let Some(m) = &p.mutability {
            let x = &p.ident;
            cx.error_spanned_by(
                quote!(#m #x),
                format!("a flow parameter cannot be `mut`: it is the caller's value, not a copy. To change the caller's variable take `{x}: &mut Val` and assign `*{x} = …`; for a variable of this flow write `let mut {x} = {x};`"),
            );
        }
    }
}

/// The target of `target = …` / `target op= …`.
pub fn target(cx: &Ctxt, target: &Value, tokens: &TokenStream) {
    match target {
        Value::Name {
            ident,
            binding: Some(b),
        } => {
            let x = ident;
            let message = match b.kind {
                BindingKind::LetMut | BindingKind::MutParam => return,
                BindingKind::Let => format!(
                    "`{x}` is not declared `mut`: declare it `let mut {x} = …;` to assign it"
                ),
                BindingKind::Param => format!("`{x}` is a parameter, the caller's value: a flow function cannot assign it. To change the caller's variable take `{x}: &mut Val` and assign `*{x} = …` (the caller passes `&mut` its `let mut` variable); for a variable of this flow write `let mut {x} = {x};` first"),
                BindingKind::RefMutParam => format!(
                    "`{x}` is a `&mut` parameter, the caller's variable: assign through it, `*{x} = …`"
                ),
                BindingKind::Result => format!(
                    "`{x}` is a step's result: copy it into a variable to change it, `let mut {x}2 = {x};`"
                ),
            };
            cx.error_spanned_by(ident, message);
        }
        Value::Unary {
            op: UnOp::Deref,
            operand,
            ..
        } => match &**operand {
            Value::Name {
                binding: Some(b), ..
            } if matches!(b.kind, BindingKind::RefMutParam | BindingKind::MutParam) => {}
            // Not a name of the flow: rustc reports it.
            Value::Name { binding: None, .. } | Value::Invalid => {}
            _ => cx.error_spanned_by(
                tokens,
                "`*x = …` assigns through a `&mut` parameter of this flow function (`x: &mut Val`)",
            ),
        },
        // Not a name of the flow (rustc reports an unknown name), or already refused.
        Value::Name { binding: None, .. } | Value::Invalid => {}
        _ => cx.error_spanned_by(
            tokens,
            "only a variable can be assigned in a call flow: a `let mut` variable (`x = …`) or, through a `&mut` parameter, the caller's (`*x = …`)",
        ),
    }
}

/// `&mut inner`: passing a variable to a flow function that assigns it.
pub fn by_reference(cx: &Ctxt, inner: &Value, tokens: &TokenStream) {
    let Value::Name { ident: x, binding } = inner else {
        match inner {
            Value::Unary {
                op: UnOp::Deref,
                operand,
                ..
            } if matches!(&**operand, Value::Name { binding: Some(b), .. } if b.kind == BindingKind::RefMutParam) => {}
            Value::Invalid => {}
            _ => cx.error_spanned_by(
                tokens,
                "`&mut` in a call flow passes a `let mut` variable to a flow function that assigns it: `f(&mut count)`",
            ),
        }
        return;
    };
    let Some(b) = binding else { return };
    let message = match b.kind {
        BindingKind::LetMut | BindingKind::MutParam => return,
        BindingKind::Let => {
            format!("`{x}` is not declared `mut`: declare it `let mut {x} = …;` to pass it as `&mut {x}`")
        }
        BindingKind::Param => format!("`{x}` is a parameter taken by value: take it as `{x}: &mut Val` to let a flow function you call change the caller's variable, then pass `{x}` on"),
        BindingKind::RefMutParam => {
            format!("`{x}` is already a `&mut` parameter: pass it on as `{x}`")
        }
        BindingKind::Result => format!(
            "`{x}` is a step's result: copy it into a `let mut` variable to pass it as `&mut`"
        ),
    };
    cx.error_spanned_by(tokens, message);
}
