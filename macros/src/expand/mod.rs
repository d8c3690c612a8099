//! Stage 3: the checked flow AST → tokens. Only quoting happens here: the body becomes calls of
//! `::switchboard::__private` (control flow as calls whose branches are closures, operators as
//! `ops::*` calls, `format!`/`json!` as value constructors), and an entry flow gets its
//! registration (a unit struct implementing `CallFlow`). A `#[value]` helper's values are quoted
//! the same way ([`helper`]). Generated code names nothing but
//! `::switchboard::__private::…` and `::core`/`::std`, so the user's imports cannot break it.

mod body;
mod helper;
mod value;

pub use helper::helper;

use crate::ast::{shared_ref_target, Flow};
use proc_macro2::{Span, TokenStream};
use quote::{quote, quote_spanned, ToTokens};
use syn::{FnArg, Pat, Type};

fn p() -> TokenStream {
    quote!(::switchboard::__private)
}

/// `file!()`/`line!()`/`column!()` spanned at the user's tokens give their location.
fn loc(span: Span) -> TokenStream {
    let p = p();
    quote_spanned!(span=> #p::loc(::core::file!(), ::core::line!(), ::core::column!()))
}

/// The function with its body rewritten, and an entry flow's registration.
pub fn flow(flow: &Flow) -> TokenStream {
    let mut func = flow.item.clone();
    let name = func.sig.ident.clone();
    let fn_name = name.to_string();
    let loc = loc(name.span());
    let p = p();
    let body = body::body(&flow.body);
    // Every flow takes the call first by convention; one that never reads it is not a mistake.
    let call_param = func.sig.inputs.first().and_then(|a| match a {
        FnArg::Typed(t) => match (&*t.pat, &*t.ty) {
            (Pat::Ident(i), Type::Reference(r)) if matches!(&*r.elem, Type::Path(tp) if tp.path.segments.last().is_some_and(|s| s.ident == "Call")) => {
                Some(i.ident.clone())
            }
            _ => None,
        },
        FnArg::Receiver(_) => None,
    });
    let touch = call_param.map(|c| quote!(let _ = &#c;));
    func.block = syn::parse_quote!({ #touch #p::inline(#fn_name, #loc, || { #body }) });
    let mut out = func.to_token_stream();
    if flow.is_entry() {
        out.extend(registration(flow));
    }
    out
}

/// The flow's documentation: its `///` lines joined.
fn doc(flow: &Flow) -> String {
    flow.item
        .attrs
        .iter()
        .filter(|a| a.path().is_ident("doc"))
        .filter_map(|a| match &a.meta {
            syn::Meta::NameValue(nv) => match &nv.value {
                syn::Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(s),
                    ..
                }) => Some(s.value().trim().to_owned()),
                _ => None,
            },
            _ => None,
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// `struct name {}` implementing `CallFlow`: what the `compile` command registers.
fn registration(flow: &Flow) -> TokenStream {
    let Some(args) = &flow.args else {
        return TokenStream::new();
    };
    let p = p();
    let name = &flow.item.sig.ident;
    let loc = loc(name.span());
    let flow_name = args.name.as_ref().map(|n| n.value()).unwrap_or_default();
    let section = args
        .config
        .as_ref()
        .map(|c| c.value())
        .unwrap_or_else(|| flow_name.clone());
    let doc = doc(flow);
    let vis = &flow.item.vis;
    let config_ty = flow
        .item
        .sig
        .inputs
        .iter()
        .nth(1)
        .and_then(shared_ref_target);
    let (cfg_ty, call_body) = match config_ty {
        Some(t) => (t.to_token_stream(), quote!(#name(__call, __config))),
        None => (quote!(()), quote!({ let _ = __config; #name(__call) })),
    };
    let on_error = match &args.on_error {
        Some(path) => quote!(|__call, __failure| #path(__call, __failure)),
        // Spanned at the flow's name: the handler's states point at the flow.
        None => {
            quote_spanned!(name.span()=> |__call, __failure| #p::default_error_handler(__call, __failure))
        }
    };
    let on_no_input = match &args.on_no_input {
        Some(path) => quote!(|__call, __failure| #path(__call, __failure)),
        None => {
            quote_spanned!(name.span()=> |__call, __failure| #p::default_no_input_handler(__call, __failure))
        }
    };
    quote! {
        #[allow(non_camel_case_types)]
        #[doc = concat!("The `", #flow_name, "` call flow (see the function of the same name).")]
        #vis struct #name {}

        impl #p::CallFlow for #name {
            const NAME: &'static str = #flow_name;
            const SECTION: &'static str = #section;
            type Config = #cfg_ty;
            fn build(__config: &Self::Config) -> #p::Flow {
                #p::build_flow(#flow_name, #doc, #loc, |__call| #call_body, #on_error, #on_no_input)
            }
        }
    }
}

#[cfg(test)]
mod tests;
