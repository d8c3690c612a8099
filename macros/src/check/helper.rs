//! The rules of a `#[value]` helper: a function that returns a value, takes values (nothing it
//! could change), and whose values follow the flow's rules (`match` arms, literal options),
//! checked by the same [`Checker`].

use super::Checker;
use crate::ast::{Helper, HelperStmt};
use crate::ctxt::Ctxt;
use syn::{FnArg, ReturnType, Type};

/// Checks a parsed value helper.
pub fn helper(cx: &Ctxt, helper: &Helper) {
    signature(cx, helper);
    let mut checker = Checker {
        cx,
        loop_depth: 0,
        helper: true,
    };
    for s in &helper.stmts {
        if let HelperStmt::Let { value, .. } = s {
            checker.value(value);
        }
    }
    checker.value(&helper.value);
}

fn signature(cx: &Ctxt, helper: &Helper) {
    let sig = &helper.item.sig;
    if let Some(a) = &sig.asyncness {
        cx.error_spanned_by(
            a,
            "a #[value] helper cannot be `async`: it computes a value as the flow is built",
        );
    }
    if let Some(u) = &sig.unsafety {
        cx.error_spanned_by(u, "a #[value] helper cannot be `unsafe`");
    }
    if let ReturnType::Default = sig.output {
        cx.error_spanned_by(
            &sig.ident,
            "a #[value] helper returns the value it computes: add the return type, e.g. `-> Val`",
        );
    }
    for m in helper.params.iter().filter_map(|p| p.mutability.as_ref()) {
        cx.error_spanned_by(
            m,
            "a #[value] helper's parameter cannot be `mut`: it changes nothing; bind a new value with `let`",
        );
    }
    for input in &sig.inputs {
        let FnArg::Typed(t) = input else { continue };
        if let Type::Reference(r) = &*t.ty {
            if let Some(m) = &r.mutability {
                cx.error_spanned_by(
                    m,
                    "a #[value] helper changes nothing: take the value (`x: Val`), not `&mut`; a function that assigns a caller's variable is #[call_flow]",
                );
            }
        }
    }
}
