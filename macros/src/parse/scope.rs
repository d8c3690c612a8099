//! Name resolution while parsing: which `let`, `let mut`, parameter or arm binding a name in a
//! flow body refers to, with Rust's block scoping and shadowing.

use crate::ast::{Binding, BindingKind};
use std::collections::HashMap;
use syn::Ident;

#[derive(Default)]
pub struct Scopes {
    frames: Vec<HashMap<String, Binding>>,
}

impl Scopes {
    pub fn push(&mut self) {
        self.frames.push(HashMap::new());
    }

    pub fn pop(&mut self) {
        self.frames.pop();
    }

    /// Declares `ident` in the innermost scope; it shadows any earlier declaration.
    pub fn declare(&mut self, ident: &Ident, kind: BindingKind) {
        if self.frames.is_empty() {
            self.push();
        }
        if let Some(frame) = self.frames.last_mut() {
            frame.insert(ident.to_string(), Binding { kind });
        }
    }

    /// The declaration `ident` refers to here, if it is one of the flow's.
    pub fn resolve(&self, ident: &Ident) -> Option<Binding> {
        let name = ident.to_string();
        self.frames
            .iter()
            .rev()
            .find_map(|frame| frame.get(&name))
            .cloned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proc_macro2::Span;

    fn id(s: &str) -> Ident {
        Ident::new(s, Span::call_site())
    }

    #[test]
    fn inner_scopes_shadow_and_end() {
        let mut s = Scopes::default();
        s.push();
        s.declare(&id("x"), BindingKind::Let);
        s.push();
        s.declare(&id("x"), BindingKind::LetMut);
        assert_eq!(s.resolve(&id("x")).unwrap().kind, BindingKind::LetMut);
        s.pop();
        assert_eq!(s.resolve(&id("x")).unwrap().kind, BindingKind::Let);
        assert!(s.resolve(&id("y")).is_none());
        s.declare(&id("x"), BindingKind::LetMut);
        assert_eq!(s.resolve(&id("x")).unwrap().kind, BindingKind::LetMut);
    }
}
