//! `format!("…", args)` in a flow body: split the format string into literal pieces and values.

use syn::{Expr, Ident, LitStr};

pub enum Piece {
    Text(String),
    /// The index of a positional argument.
    Arg(usize),
    /// A captured identifier: `{name}`.
    Named(Ident),
}

/// Parses a format string. Supports `{}`, `{0}`, `{name}`, `{{` and `}}`; a format spec
/// (`{:>5}`) is an error because JSONata has no such formatting.
pub fn parse(lit: &LitStr, nargs: usize) -> syn::Result<Vec<Piece>> {
    let s = lit.value();
    let mut pieces = Vec::new();
    let mut text = String::new();
    let mut next = 0;
    let mut used = vec![false; nargs];
    let mut chars = s.chars().peekable();
    let err = |m: String| syn::Error::new_spanned(lit, m);
    while let Some(c) = chars.next() {
        match c {
            '{' if chars.peek() == Some(&'{') => {
                chars.next();
                text.push('{');
            }
            '}' if chars.peek() == Some(&'}') => {
                chars.next();
                text.push('}');
            }
            '{' => {
                let mut inner = String::new();
                loop {
                    match chars.next() {
                        Some('}') => break,
                        Some(ch) => inner.push(ch),
                        None => {
                            return Err(err(
                                "unclosed `{` in format string; write `{{` for a literal brace"
                                    .into(),
                            ))
                        }
                    }
                }
                if inner.contains(':') {
                    return Err(err(format!("format spec `{{{inner}}}` is not supported in a call flow: use `{{}}` and the value's methods (e.g. `.round()`)")));
                }
                if !text.is_empty() {
                    pieces.push(Piece::Text(std::mem::take(&mut text)));
                }
                let inner = inner.trim();
                if inner.is_empty() {
                    if next >= nargs {
                        return Err(err(format!(
                            "format string has more `{{}}` than the {nargs} argument(s) given"
                        )));
                    }
                    used[next] = true;
                    pieces.push(Piece::Arg(next));
                    next += 1;
                } else if let Ok(i) = inner.parse::<usize>() {
                    if i >= nargs {
                        return Err(err(format!(
                            "`{{{i}}}` names argument {i}, but only {nargs} are given"
                        )));
                    }
                    used[i] = true;
                    pieces.push(Piece::Arg(i));
                } else {
                    let ident: Ident = syn::parse_str(inner)
                        .map_err(|_| err(format!("`{{{inner}}}` is not an argument name")))?;
                    pieces.push(Piece::Named(Ident::new(&ident.to_string(), lit.span())));
                }
            }
            '}' => {
                return Err(err(
                    "unmatched `}` in format string; write `}}` for a literal brace".into(),
                ))
            }
            c => text.push(c),
        }
    }
    if !text.is_empty() {
        pieces.push(Piece::Text(text));
    }
    if let Some(i) = used.iter().position(|u| !u) {
        return Err(err(format!(
            "argument {i} is never used in the format string"
        )));
    }
    Ok(pieces)
}

/// Splits `format!` tokens into the format string and its argument expressions.
pub fn split_args(tokens: proc_macro2::TokenStream) -> syn::Result<(LitStr, Vec<Expr>)> {
    use syn::parse::Parser;
    let parser = |input: syn::parse::ParseStream| {
        let lit: LitStr = input.parse()?;
        let mut args = Vec::new();
        while !input.is_empty() {
            input.parse::<syn::Token![,]>()?;
            if input.is_empty() {
                break;
            }
            if input.peek(syn::Ident)
                && input.peek2(syn::Token![=])
                && !input.peek2(syn::Token![==])
            {
                let name: Ident = input.parse()?;
                return Err(syn::Error::new_spanned(name, "named format arguments are not supported in a call flow: use `{}` with a positional argument"));
            }
            args.push(input.parse()?);
        }
        Ok((lit, args))
    };
    parser.parse2(tokens)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lit(s: &str) -> LitStr {
        LitStr::new(s, proc_macro2::Span::call_site())
    }

    #[test]
    fn splits_text_and_arguments() {
        let p = parse(&lit("Hi {}, you are {0}{{ok}} {name}"), 1).unwrap();
        assert_eq!(p.len(), 6);
        assert!(matches!(&p[0], Piece::Text(t) if t == "Hi "));
        assert!(matches!(&p[3], Piece::Arg(0)));
        assert!(matches!(&p[4], Piece::Text(t) if t == "{ok} "));
        assert!(matches!(&p[5], Piece::Named(i) if i == "name"));
    }

    #[test]
    fn rejects_specs_and_miscounts() {
        assert!(parse(&lit("{:>5}"), 1)
            .err()
            .unwrap()
            .to_string()
            .contains("format spec"));
        assert!(parse(&lit("{} {}"), 1)
            .err()
            .unwrap()
            .to_string()
            .contains("more `{}`"));
        assert!(parse(&lit("x"), 1)
            .err()
            .unwrap()
            .to_string()
            .contains("never used"));
        assert!(parse(&lit("a } b"), 0).is_err());
    }
}
