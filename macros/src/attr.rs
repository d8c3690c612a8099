//! The attribute's arguments: `name = "…"`, `config = "…"`, `on_error = path`,
//! `on_no_input = path`.

use crate::ctxt::Ctxt;
use proc_macro2::TokenStream;
use syn::parse::{Parse, ParseStream};
use syn::punctuated::Punctuated;
use syn::{Expr, ExprLit, ExprPath, Lit, LitStr, MetaNameValue, Token};

pub struct Args {
    pub name: Option<LitStr>,
    pub config: Option<LitStr>,
    pub on_error: Option<ExprPath>,
    pub on_no_input: Option<ExprPath>,
}

struct Raw(Punctuated<MetaNameValue, Token![,]>);

impl Parse for Raw {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        Ok(Raw(Punctuated::parse_terminated(input)?))
    }
}

/// A flow name: lowercase letters, digits and `-`, starting with a letter, at most 64 characters
/// (it names a file and an ASL `Comment`).
pub fn valid_name(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some('a'..='z'))
        && s.len() <= 64
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !s.ends_with('-')
}

/// The arguments, or `None` (the errors reported to `cx`) when any is wrong: a flow whose
/// attribute is wrong is not checked as an entry flow, so one mistake gives one error.
pub fn parse(cx: &Ctxt, tokens: TokenStream) -> Option<Args> {
    let raw: Raw = match syn::parse2(tokens) {
        Ok(r) => r,
        Err(e) => {
            cx.syn_error(e);
            return None;
        }
    };
    let mut args = Args {
        name: None,
        config: None,
        on_error: None,
        on_no_input: None,
    };
    let errors = std::cell::Cell::new(false);
    let push = |e: syn::Error| {
        errors.set(true);
        cx.syn_error(e);
    };
    for nv in raw.0 {
        let key = nv
            .path
            .get_ident()
            .map(|i| i.to_string())
            .unwrap_or_default();
        match (key.as_str(), &nv.value) {
            (
                "name",
                Expr::Lit(ExprLit {
                    lit: Lit::Str(s), ..
                }),
            ) => {
                if !valid_name(&s.value()) {
                    push(syn::Error::new_spanned(s, "flow names are lowercase words joined by `-`, e.g. \"front-desk\" (they name dist/<name>.asl.json)"));
                }
                args.name = Some(s.clone());
            }
            (
                "config",
                Expr::Lit(ExprLit {
                    lit: Lit::Str(s), ..
                }),
            ) => args.config = Some(s.clone()),
            ("on_error", Expr::Path(p)) => args.on_error = Some(p.clone()),
            ("on_no_input", Expr::Path(p)) => args.on_no_input = Some(p.clone()),
            ("name" | "config", v) => push(syn::Error::new_spanned(
                v,
                format!("`{key}` takes a string literal: {key} = \"…\""),
            )),
            ("on_error" | "on_no_input", v) => push(syn::Error::new_spanned(
                v,
                format!("`{key}` takes the path of a #[call_flow] function: {key} = my_handler"),
            )),
            _ => push(syn::Error::new_spanned(
                &nv.path,
                format!(
                    "unknown call_flow option `{key}`; expected `name`, `config`, `on_error` or `on_no_input`"
                ),
            )),
        }
    }
    if args.name.is_none() {
        if let Some(c) = &args.config {
            push(syn::Error::new_spanned(
                c,
                "`config` is only for entry flows: add name = \"…\"",
            ));
        }
        for (key, p) in [
            ("on_error", &args.on_error),
            ("on_no_input", &args.on_no_input),
        ] {
            if let Some(p) = p {
                push(syn::Error::new_spanned(
                    p,
                    format!("`{key}` is only for entry flows: add name = \"…\""),
                ));
            }
        }
    }
    (!errors.get()).then_some(args)
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::quote;

    fn parse(tokens: TokenStream) -> Result<Args, String> {
        let cx = Ctxt::new();
        let args = super::parse(&cx, tokens);
        match cx.check() {
            Ok(()) => args.ok_or_else(|| "no args and no error".to_owned()),
            Err(e) => Err(e.to_string()),
        }
    }

    #[test]
    fn parses_all_options() {
        let a = parse(quote!(
            name = "front-desk",
            config = "biz",
            on_error = handler,
            on_no_input = silent
        ))
        .unwrap();
        assert_eq!(a.name.unwrap().value(), "front-desk");
        assert_eq!(a.config.unwrap().value(), "biz");
        assert!(a.on_error.is_some());
        assert!(a.on_no_input.is_some());
    }

    #[test]
    fn rejects_unknown_and_bad_names() {
        let e = parse(quote!(nam = "x")).err().unwrap();
        assert!(e.contains("unknown call_flow option `nam`"), "{e}");
        let e = parse(quote!(name = "Front Desk")).err().unwrap();
        assert!(e.contains("lowercase words"), "{e}");
        assert!(valid_name("ivr-2") && !valid_name("2ivr") && !valid_name("a-"));
    }
}
