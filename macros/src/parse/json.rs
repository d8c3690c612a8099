//! The syntax of `json!` content: objects with string keys, arrays, and flow expressions as
//! leaves (the parser turns the leaves into values).

use syn::parse::{Parse, ParseStream};
use syn::punctuated::Punctuated;
use syn::{Expr, LitStr, Token};

pub enum Syntax {
    Object(Vec<(LitStr, Syntax)>),
    Array(Vec<Syntax>),
    Expr(Expr),
}

impl Parse for Syntax {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        if input.peek(syn::token::Brace) {
            let content;
            syn::braced!(content in input);
            let mut fields = Vec::new();
            while !content.is_empty() {
                let key: LitStr = content.parse()?;
                content.parse::<Token![:]>()?;
                fields.push((key, content.parse()?));
                if content.is_empty() {
                    break;
                }
                content.parse::<Token![,]>()?;
            }
            Ok(Syntax::Object(fields))
        } else if input.peek(syn::token::Bracket) {
            let content;
            syn::bracketed!(content in input);
            let items = Punctuated::<Syntax, Token![,]>::parse_terminated(&content)?;
            Ok(Syntax::Array(items.into_iter().collect()))
        } else {
            Ok(Syntax::Expr(input.parse()?))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::quote;

    #[test]
    fn objects_arrays_and_leaves() {
        let v: Syntax = syn::parse2(quote!({ "a": [1, x], "b": { "c": call.from } })).unwrap();
        let Syntax::Object(fields) = v else {
            panic!("not an object")
        };
        assert_eq!(fields.len(), 2);
        assert!(matches!(&fields[0].1, Syntax::Array(items) if items.len() == 2));
        assert!(matches!(&fields[1].1, Syntax::Object(inner) if inner.len() == 1));
        assert!(syn::parse2::<Syntax>(quote!({ a: 1 })).is_err());
    }
}
