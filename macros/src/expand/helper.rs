//! A `#[value]` helper → the same function, its body the helper's values quoted as a flow's
//! (operators as `ops::*` calls, `format!` as a value), its `let`s plain Rust bindings, every
//! call probed (see `value::helper_value`), all inside `value_begin`/`value_end`, which report a
//! step run while the value is computed. No closure wraps the body, so `#[track_caller]` on the
//! helper still reaches the calls in it.

use super::value::helper_value;
use super::{loc, p};
use crate::ast::{Helper, HelperStmt};
use proc_macro2::TokenStream;
use quote::{quote, ToTokens};

pub fn helper(helper: &Helper) -> TokenStream {
    let p = p();
    let mut func = helper.item.clone();
    let name = func.sig.ident.to_string();
    let loc = loc(func.sig.ident.span());
    let stmts = helper.stmts.iter().map(|s| match s {
        HelperStmt::Let { ident, value } => {
            let value = helper_value(value);
            quote!(let #ident = #value;)
        }
        HelperStmt::Use(u) => u.to_token_stream(),
    });
    let value = helper_value(&helper.value);
    func.block = syn::parse_quote!({
        #p::value_end(#p::value_begin(#name, #loc), {
            #[allow(unused_imports)]
            use #p::ProbeValue as _;
            #(#stmts)*
            #value
        })
    });
    func.to_token_stream()
}
