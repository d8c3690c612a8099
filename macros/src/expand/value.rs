//! Values → tokens: operators become `__private::ops::*` calls, `format!`/`json!` value
//! constructors; calls and method calls stay calls, spanned at the user's tokens so
//! `#[track_caller]` actions and options report the user's line. A `#[value]` helper's values
//! are quoted by the same code, with each call's result probed ([`helper_value`]).

use super::p;
use crate::ast::{ArmPat, Binding, BindingKind, Json, UnOp, Value};
use crate::parse::format::Piece;
use proc_macro2::TokenStream;
use quote::{quote, quote_spanned, ToTokens};
use syn::spanned::Spanned;

/// A value of a flow body.
pub fn value(v: &Value) -> TokenStream {
    Quote { probe: false }.value(v)
}

/// A value of a `#[value]` helper: as in a flow, and every call's result goes through
/// `__private::Probe`, which makes a step (or a call returning nothing) a rustc error on the
/// user's call.
pub fn helper_value(v: &Value) -> TokenStream {
    Quote { probe: true }.value(v)
}

struct Quote {
    probe: bool,
}

impl Quote {
    fn value(&self, v: &Value) -> TokenStream {
        let raw = self.raw(v);
        if !self.probe || !matches!(v, Value::Call { .. } | Value::MethodCall { .. }) {
            return raw;
        }
        // Spanned where the call (or its builder chain) starts: `speak` of `speak(…).ssml()`.
        let span = chain_span(v);
        quote_spanned!(span=> ::switchboard::__private::Probe(#raw).value())
    }

    /// `v` without the probe of its own call: a method's receiver is part of the chain the
    /// whole call is probed as.
    fn raw(&self, v: &Value) -> TokenStream {
        let value = |x: &Value| self.value(x);
        let json = |j: &Json| self.json(j);
        let p = p();
        match v {
            Value::Binary { op, left, right } => {
                let (l, r) = (value(left), value(right));
                quote!(#p::ops::#op(&(#l), &(#r)))
            }
            Value::Unary { op, operand, .. } => match (op, &**operand) {
                // `*x` of a `&mut` parameter reads the caller's variable through the reference.
                (UnOp::Deref, Value::Name { ident, .. }) => quote!(*#ident),
                (UnOp::Not, x) => {
                    let x = value(x);
                    quote!(#p::ops::not(&(#x)))
                }
                (UnOp::Neg, x) => {
                    let x = value(x);
                    quote!(#p::ops::neg(&(#x)))
                }
                (UnOp::Deref, x) => {
                    let x = value(x);
                    quote!(*#x)
                }
            },
            Value::Paren(x) => {
                let inner = value(x);
                quote!((#inner))
            }
            Value::If(i) => {
                let (cond, then, els) = (value(&i.cond), value(&i.then), value(&i.els));
                quote!(#p::ops::cond(&(#cond), &(#then), &(#els)))
            }
            Value::Match(m) => {
                let subject = value(&m.subject);
                // `check` requires the `_` arm, last: the other arms are tested in order before it.
                let mut acc = m
                    .arms
                    .iter()
                    .find(|a| matches!(a.pat, ArmPat::Wild))
                    .map(|a| value(&a.body))
                    .unwrap_or_default();
                for arm in m.arms.iter().rev() {
                    let ArmPat::Lits(pats) = &arm.pat else {
                        continue;
                    };
                    let body = value(&arm.body);
                    let mut test = quote!(false);
                    for pat in pats {
                        test = quote!(#p::ops::or(&(#test), &#p::ops::eq(&(#subject), &#pat)));
                    }
                    acc = quote!(#p::ops::cond(&(#test), &(#body), &(#acc)));
                }
                acc
            }
            Value::Format { pieces, args } => {
                let args: Vec<TokenStream> = args.iter().map(&value).collect();
                // `parse::format` numbers only arguments that exist.
                let parts = pieces.iter().filter_map(|piece| match piece {
                    Piece::Text(t) => Some(quote!(#p::ToVal::to_val(#t))),
                    Piece::Arg(i) => args.get(*i).map(|a| quote!(#p::ToVal::to_val(&(#a)))),
                    Piece::Named(id) => Some(quote!(#p::ToVal::to_val(&(#id)))),
                });
                quote!(#p::format(&[#(#parts),*]))
            }
            Value::Json(j) => json(j),
            Value::MethodCall {
                receiver,
                method,
                turbofish,
                args,
            } => {
                let recv = self.raw(receiver);
                let args = args.iter().map(&value);
                // Spanned at the method name so `#[track_caller]` options report the user's line.
                quote_spanned!(method.span()=> #recv.#method #turbofish(#(#args),*))
            }
            Value::Call { func, args } => {
                let args = args.iter().map(&value);
                // Spanned at the callee so `#[track_caller]` actions report the user's line.
                let span = func.span();
                quote_spanned!(span=> #func(#(#args),*))
            }
            Value::Field { base, member } => {
                let base = value(base);
                quote!(#base.#member)
            }
            Value::Reference {
                tokens,
                mutability: Some(_),
                inner,
            } => match &**inner {
                Value::Name { ident, binding }
                    if binding.as_ref().map(|b| b.kind) == Some(BindingKind::LetMut) =>
                {
                    by_ref(tokens.span(), ident.to_token_stream())
                }
                Value::Unary {
                    op: UnOp::Deref,
                    operand,
                    ..
                } if matches!(&**operand, Value::Name { .. }) => {
                    let handle = value(inner);
                    by_ref(tokens.span(), handle)
                }
                _ => {
                    let inner = value(inner);
                    quote!(&mut #inner)
                }
            },
            Value::Reference { inner, .. } => {
                let inner = value(inner);
                quote!(&#inner)
            }
            Value::Try { inner, question } => {
                // Only a step may carry `?`; the check is spanned at the `?`.
                let inner = value(inner);
                let q = quote_spanned!(*question=> ::switchboard::__private::question);
                quote!(#q(#inner))
            }
            Value::Cast { inner, ty } => {
                let inner = value(inner);
                quote!((#inner as #ty))
            }
            Value::Index { base, index } => {
                let (b, x) = (value(base), value(index));
                quote!(#b[#x])
            }
            Value::Tuple(items) => {
                let items = items.iter().map(&value);
                quote!((#(#items,)*))
            }
            Value::Array(items) => {
                let items = items.iter().map(&value);
                quote!([#(#items),*])
            }
            // A `&mut` parameter named on its own (passed on, read): a fresh `&mut` to a copy of the
            // handle, so closures of sibling branches may all name it (see `by_ref`).
            Value::Name {
                ident,
                binding:
                    Some(Binding {
                        kind: BindingKind::RefMutParam,
                    }),
            } => by_ref(ident.span(), quote!(*#ident)),
            Value::Name { ident, .. } => ident.to_token_stream(),
            Value::Verbatim(e) => e.to_token_stream(),
            Value::Invalid => TokenStream::new(),
        }
    }

    fn json(&self, j: &Json) -> TokenStream {
        let p = p();
        match j {
            Json::Object(fields) => {
                let items = fields.iter().map(|(k, v)| {
                    let v = self.json(v);
                    quote!((#k, #p::ToVal::to_val(&(#v))))
                });
                quote!(#p::object(::std::vec![#(#items),*]))
            }
            Json::Array(items) => {
                let items = items.iter().map(|j| self.json(j));
                quote!(#p::array(::std::vec![#(#p::ToVal::to_val(&(#items))),*]))
            }
            Json::Value(v) => self.value(v),
        }
    }
}

/// Where a call, or the builder chain a method call ends, starts: its function's name.
fn chain_span(mut v: &Value) -> proc_macro2::Span {
    let outer = match v {
        Value::MethodCall { method, .. } => method.span(),
        _ => proc_macro2::Span::call_site(),
    };
    loop {
        match v {
            Value::MethodCall { receiver, .. } => v = receiver,
            Value::Call { func, .. } => return func.span(),
            _ => return outer,
        }
    }
}

/// `&mut n` of a `let mut n`, `&mut *x` and `x` of a `&mut` parameter: `&mut alias(handle)`.
/// A flow variable is a `Val`, a `Copy` handle, so the callee's `*x = …` assigns the caller's
/// variable through the copy, while Rust's borrow of the binding ends with the call: the
/// closures of an `if`'s two branches may both name it (a real `&mut n` in one and `n` in the
/// other would be refused by the borrow checker).
fn by_ref(span: proc_macro2::Span, handle: TokenStream) -> TokenStream {
    let p = p();
    // The parentheses (generated, so never an `unused_parens` warning in the user's code) keep
    // it one operand as a method receiver or a field's base.
    let reference = quote_spanned!(span=> &mut #p::alias(#handle));
    quote!((#reference))
}
