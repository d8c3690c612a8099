//! This crate owns the `#[call_flow]` and `#[value]` attributes. The work is in ordinary modules that unit tests
//! drive without rustc, one per stage, each taking and returning its own types:
//! [`parse`] (syn → the flow [`ast`]) → [`check`] (every rule, errors collected in one
//! [`ctxt::Ctxt`]) → [`expand`] (quoting calls of `::switchboard::__private`); on error,
//! [`fallback`] emits every error and a harmless stand-in. This file only hands tokens over.

mod ast;
mod attr;
mod check;
mod ctxt;
mod expand;
mod fallback;
mod parse;

use proc_macro::TokenStream;

/// Marks a call flow.
///
/// - `#[call_flow(name = "front-desk")]` on `fn f(call: &Call)` or `fn f(call: &Call, cfg: &Cfg)`
///   makes an entry flow compiled to `dist/front-desk.asl.json`. Options: `config = "section"`
///   (the configuration section, default the name), `on_error = path::to::handler` (a
///   `#[call_flow]` function taking `(&Call, Failure)`: real faults, the execution then FAILS),
///   `on_no_input = path::to::handler` (same signature: a caller who pressed no valid key at a
///   prompt with no `Err` arm; the execution then SUCCEEDS).
/// - `#[call_flow]` without arguments makes a sub-flow: a function other flows call, inlined
///   where it is called, with any parameters; it assigns a caller's variable only through a
///   `x: &mut Val` parameter (`*x = …`).
#[proc_macro_attribute]
pub fn call_flow(args: TokenStream, item: TokenStream) -> TokenStream {
    call_flow2(args.into(), item.into()).into()
}

fn call_flow2(
    args: proc_macro2::TokenStream,
    item: proc_macro2::TokenStream,
) -> proc_macro2::TokenStream {
    let cx = ctxt::Ctxt::new();
    let flow = parse::flow(&cx, args, item);
    if let Some(flow) = &flow {
        check::flow(&cx, flow);
    }
    match (cx.check(), &flow) {
        (Ok(()), Some(flow)) => expand::flow(flow),
        (Ok(()), None) => proc_macro2::TokenStream::new(),
        (Err(errors), flow) => fallback::expand(flow.as_ref(), errors),
    }
}

/// Marks a value helper: a plain function computing a value from other values, with the
/// flow language's operators, comparisons, `format!`, `json!`, value `if`/`match` and methods.
///
/// `#[value] fn dialable(digits: Val) -> Val { digits.matches(NANP) && !digits.matches(N11) }`.
/// The body is `let` bindings, then the value (its last expression). A step (an action, a
/// service call), a loop, an assignment or a statement run for its effect is a compile error:
/// those need a `#[call_flow]` function.
#[proc_macro_attribute]
pub fn value(args: TokenStream, item: TokenStream) -> TokenStream {
    value2(args.into(), item.into()).into()
}

fn value2(
    args: proc_macro2::TokenStream,
    item: proc_macro2::TokenStream,
) -> proc_macro2::TokenStream {
    let cx = ctxt::Ctxt::new();
    let helper = parse::helper(&cx, args, item);
    if let Some(helper) = &helper {
        check::helper(&cx, helper);
    }
    match (cx.check(), &helper) {
        (Ok(()), Some(helper)) => expand::helper(helper),
        (Ok(()), None) => proc_macro2::TokenStream::new(),
        (Err(errors), helper) => fallback::helper(helper.as_ref().map(|h| &h.item), errors),
    }
}

#[cfg(test)]
mod testing;
