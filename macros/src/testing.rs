//! Helpers for the stages' unit tests: run a stage on a body written with `quote!`.

use crate::ast::Flow;
use crate::ctxt::Ctxt;
use proc_macro2::TokenStream;
use quote::quote;

/// The error messages of a context, in order.
pub fn messages(cx: Ctxt) -> Vec<String> {
    match cx.check() {
        Ok(()) => Vec::new(),
        Err(e) => e.into_iter().map(|e| e.to_string()).collect(),
    }
}

/// Parses `fn f(params) { body }` as a sub-flow; the parse errors.
pub fn parse(params: TokenStream, body: TokenStream) -> (Flow, Vec<String>) {
    let cx = Ctxt::new();
    let flow = crate::parse::flow(&cx, quote!(), quote!(fn f(#params) { #body }));
    (flow.expect("a function"), messages(cx))
}

/// Parses and checks a sub-flow `fn f(params) { body }`: the errors of both stages.
pub fn errors(params: TokenStream, body: TokenStream) -> Vec<String> {
    let cx = Ctxt::new();
    if let Some(flow) = crate::parse::flow(&cx, quote!(), quote!(fn f(#params) { #body })) {
        crate::check::flow(&cx, &flow);
    }
    messages(cx)
}

/// The whole pipeline on a body: the expansion, or the errors joined by newlines.
pub fn expand(params: TokenStream, body: TokenStream) -> Result<String, String> {
    let cx = Ctxt::new();
    let flow =
        crate::parse::flow(&cx, quote!(), quote!(fn f(#params) { #body })).expect("a function");
    crate::check::flow(&cx, &flow);
    let errors = messages(cx);
    if errors.is_empty() {
        Ok(crate::expand::flow(&flow).to_string())
    } else {
        Err(errors.join("\n"))
    }
}

/// The whole pipeline on a `#[value]` helper `fn f(params) -> Val { body }`: the expansion, or
/// the errors of both stages joined by newlines.
pub fn helper(params: TokenStream, body: TokenStream) -> Result<String, String> {
    let cx = Ctxt::new();
    let helper = crate::parse::helper(&cx, quote!(), quote!(fn f(#params) -> Val { #body }))
        .expect("a function");
    crate::check::helper(&cx, &helper);
    let errors = messages(cx);
    if errors.is_empty() {
        Ok(crate::expand::helper(&helper).to_string())
    } else {
        Err(errors.join("\n"))
    }
}
