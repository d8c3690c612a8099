//! The error context every stage reports into (serde_derive's `Ctxt`): errors are collected with
//! their spans while the stages run, then emitted all at once.

use quote::ToTokens;
use std::cell::RefCell;
use std::fmt::Display;

/// Errors found so far. Stages take `&Ctxt` and keep going after an error, so the author sees
/// every mistake in one compilation.
#[derive(Default)]
pub struct Ctxt {
    errors: RefCell<Vec<syn::Error>>,
}

impl Ctxt {
    pub fn new() -> Ctxt {
        Ctxt::default()
    }

    /// An error on the user's tokens: a lowercase message naming the construct and the fix.
    pub fn error_spanned_by<T: ToTokens, M: Display>(&self, tokens: T, message: M) {
        self.errors
            .borrow_mut()
            .push(syn::Error::new_spanned(tokens, message));
    }

    /// An error at one span (a single token such as `break`).
    pub fn error_at<M: Display>(&self, span: proc_macro2::Span, message: M) {
        self.errors
            .borrow_mut()
            .push(syn::Error::new(span, message));
    }

    /// An error syn already placed (e.g. from parsing the tokens of a macro call).
    pub fn syn_error(&self, error: syn::Error) {
        self.errors.borrow_mut().push(error);
    }

    /// Every error, combined in the order found, or `Ok` when there were none.
    pub fn check(self) -> syn::Result<()> {
        let mut all = self.errors.into_inner().into_iter();
        let Some(mut first) = all.next() else {
            return Ok(());
        };
        for e in all {
            first.combine(e);
        }
        Err(first)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::quote;

    #[test]
    fn combines_every_error_in_order() {
        let cx = Ctxt::new();
        cx.error_spanned_by(quote!(a), "first");
        cx.syn_error(syn::Error::new(proc_macro2::Span::call_site(), "second"));
        let messages: Vec<String> = cx
            .check()
            .unwrap_err()
            .into_iter()
            .map(|e| e.to_string())
            .collect();
        assert_eq!(messages, ["first", "second"]);
    }

    #[test]
    fn no_errors_is_ok() {
        assert!(Ctxt::new().check().is_ok());
    }
}
