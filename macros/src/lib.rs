//! This crate owns the `#[call_flow]` attribute: it parses a restricted Rust function body,
//! checks it while spans exist, and expands it into calls to `::switchboard::__private` that
//! build the flow's IR. The work is in ordinary modules (`attr` → `rewrite` → `expand`) that
//! unit tests drive without rustc; this file only hands tokens over.

mod attr;
mod expand;
mod format;
mod rewrite;

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
///   where it is called, with any parameters.
#[proc_macro_attribute]
pub fn call_flow(args: TokenStream, item: TokenStream) -> TokenStream {
    expand::call_flow(args.into(), item.into()).into()
}
