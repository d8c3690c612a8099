//! What a flow with errors expands to, besides the errors: a harmless stand-in (thiserror's
//! `fallback.rs`), so one mistake does not cascade into unrelated errors where the flow is used.
//! The function keeps its signature, so its callers still type-check; an entry flow keeps its
//! registration, so the list of flows that names it still compiles.

use crate::ast::{shared_ref_target, Flow};
use crate::attr::Args;
use proc_macro2::TokenStream;
use quote::{quote, ToTokens};
use syn::ItemFn;

/// `errors` followed by the stand-in of `flow` (none when the item was not a function).
pub fn expand(flow: Option<&Flow>, errors: syn::Error) -> TokenStream {
    let mut out = errors.to_compile_error();
    if let Some(flow) = flow {
        out.extend(function(&flow.item));
        if let Some(args) = flow.args.as_ref().filter(|a| a.name.is_some()) {
            out.extend(registration(&flow.item, args));
        }
    }
    out
}

/// `errors` followed by the stand-in of a `#[value]` helper: its signature, so its callers still
/// type-check.
pub fn helper(item: Option<&ItemFn>, errors: syn::Error) -> TokenStream {
    let mut out = errors.to_compile_error();
    if let Some(item) = item {
        out.extend(function(item));
    }
    out
}

fn function(item: &ItemFn) -> TokenStream {
    let mut f = item.clone();
    // The body never runs: the crate does not compile.
    f.block = syn::parse_quote!({ ::core::unreachable!("this call flow did not compile") });
    // Its parameters go unused (and a refused `mut` one unassigned): only the real errors
    // should be reported.
    f.attrs
        .push(syn::parse_quote!(#[allow(unused_variables, unused_mut)]));
    f.into_token_stream()
}

fn registration(item: &ItemFn, args: &Args) -> TokenStream {
    let name = &item.sig.ident;
    let vis = &item.vis;
    let flow_name = args.name.as_ref().map(|n| n.value()).unwrap_or_default();
    let config = match item.sig.inputs.iter().collect::<Vec<_>>().as_slice() {
        [_, cfg] => shared_ref_target(cfg).map(ToTokens::to_token_stream),
        _ => None,
    }
    .unwrap_or_else(|| quote!(()));
    quote! {
        #[allow(non_camel_case_types)]
        #vis struct #name {}

        impl ::switchboard::__private::CallFlow for #name {
            const NAME: &'static str = #flow_name;
            const SECTION: &'static str = #flow_name;
            type Config = #config;
            fn build(_: &Self::Config) -> ::switchboard::__private::Flow {
                ::core::unreachable!("this call flow did not compile")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ctxt::Ctxt;

    #[test]
    fn keeps_the_signature_and_the_registration() {
        let cx = Ctxt::new();
        let flow = crate::parse::flow(
            &cx,
            quote!(name = "menu"),
            quote!(
                fn menu(call: &Call, cfg: &Cfg) {
                    for x in y {}
                }
            ),
        );
        let errors = cx.check().unwrap_err();
        let out = expand(flow.as_ref(), errors).to_string();
        assert!(out.contains("compile_error"), "{out}");
        assert!(
            out.contains("fn menu (call : & Call , cfg : & Cfg)"),
            "{out}"
        );
        assert!(out.contains("type Config = Cfg"), "{out}");
        assert!(!out.contains("for x in y"), "{out}");
    }
}
