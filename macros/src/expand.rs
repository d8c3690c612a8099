//! `#[call_flow]`: checks the function's shape, rewrites its body, and generates the flow's
//! registration. On error, emits every error and a harmless stand-in so one mistake does not
//! cascade into unrelated ones.

use crate::attr;
use crate::rewrite::Rewriter;
use proc_macro2::TokenStream;
use quote::{quote, quote_spanned, ToTokens};
use syn::{FnArg, ItemFn, Pat, ReturnType, Type};

pub fn call_flow(args: TokenStream, item: TokenStream) -> TokenStream {
    let mut func: ItemFn = match syn::parse2(item.clone()) {
        Ok(f) => f,
        Err(_) => {
            return syn::Error::new_spanned(item, "#[call_flow] goes on a function: `#[call_flow(name = \"…\")] fn my_flow(call: &Call) { … }`")
                .to_compile_error()
        }
    };
    let mut errors: Option<syn::Error> = None;
    let mut push = |e: syn::Error| match &mut errors {
        Some(all) => all.combine(e),
        None => errors = Some(e),
    };
    let args = match attr::parse(args) {
        Ok(a) => Some(a),
        Err(e) => {
            push(e);
            None
        }
    };
    let sig = &func.sig;
    if let Some(a) = &sig.asyncness {
        push(syn::Error::new_spanned(
            a,
            "a call flow cannot be `async`: every action already waits for the caller",
        ));
    }
    if let Some(u) = &sig.unsafety {
        push(syn::Error::new_spanned(u, "a call flow cannot be `unsafe`"));
    }
    if !sig.generics.params.is_empty() {
        push(syn::Error::new_spanned(&sig.generics, "a call flow cannot be generic: take configuration as an ordinary parameter (`cfg: &MyConfig`)"));
    }
    let entry = args.as_ref().and_then(|a| a.name.as_ref()).is_some();
    let mut config_ty: Option<Type> = None;
    if entry {
        let inputs: Vec<&FnArg> = sig.inputs.iter().collect();
        let ref_ty = |a: &FnArg| match a {
            FnArg::Typed(t) => match &*t.ty {
                Type::Reference(r) if r.mutability.is_none() => Some((*r.elem).clone()),
                _ => None,
            },
            FnArg::Receiver(_) => None,
        };
        match inputs.as_slice() {
            [call] | [call, _] if ref_ty(call).is_none() => {
                push(syn::Error::new_spanned(call, "an entry flow's first parameter is the call: `call: &Call`"))
            }
            [_] => {}
            [_, cfg] => match ref_ty(cfg) {
                Some(t) => config_ty = Some(t),
                None => push(syn::Error::new_spanned(cfg, "an entry flow's second parameter is its configuration, by reference: `cfg: &MyConfig`")),
            },
            _ => push(syn::Error::new_spanned(
                &sig.inputs,
                "an entry flow takes `(call: &Call)` or `(call: &Call, cfg: &MyConfig)`; pass other values to sub-flows it calls",
            )),
        }
        if let ReturnType::Type(_, ty) = &sig.output {
            push(syn::Error::new_spanned(
                ty,
                "an entry flow returns nothing: remove the return type",
            ));
        }
    }
    for input in &sig.inputs {
        if let FnArg::Typed(t) = input {
            if !matches!(&*t.pat, Pat::Ident(_) | Pat::Wild(_)) {
                push(syn::Error::new_spanned(
                    &t.pat,
                    "flow parameters are plain names",
                ));
            }
        }
    }

    let mut rw = Rewriter::default();
    let body = rw.body(&func.block);
    if let Some(e) = rw.into_errors() {
        push(e);
    }
    if let Some(e) = errors {
        // Keep the signature so callers still type-check; the body never runs.
        let mut fallback = func.clone();
        fallback.block =
            syn::parse_quote!({ ::core::unreachable!("this call flow did not compile") });
        // Its parameters go unused: only the real errors should be reported.
        fallback
            .attrs
            .push(syn::parse_quote!(#[allow(unused_variables)]));
        let mut out = e.to_compile_error();
        out.extend(fallback.into_token_stream());
        return out;
    }

    let name = func.sig.ident.clone();
    let fn_name = name.to_string();
    let loc = Rewriter::loc(func.sig.ident.span());
    let p = quote!(::switchboard::__private);
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

    if let Some(args) = args.filter(|a| a.name.is_some()) {
        let flow_name = args.name.map(|n| n.value()).unwrap_or_default();
        let section = args
            .config
            .map(|c| c.value())
            .unwrap_or_else(|| flow_name.clone());
        let doc: String = func
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
            .join(" ");
        let vis = &func.vis;
        let (cfg_ty, call_body) = match &config_ty {
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
        out.extend(quote! {
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
        });
    }
    out
}
