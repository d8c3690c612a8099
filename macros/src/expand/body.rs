//! Statements → builder calls: `let` binds or declares a variable, control flow becomes
//! `__private::{if_, match_, loop_, while_, try_, …}` whose branches are closures.

use super::value::value;
use super::{loc, p};
use crate::ast::{ArmPat, Block, Cond, Else, If, Match, StepMatch, StepPat, Stmt, StmtKind};
use proc_macro2::TokenStream;
use quote::{quote, quote_spanned, ToTokens};
use syn::Ident;

/// A function body: its statements, and its tail as the function's value.
pub fn body(b: &Block) -> TokenStream {
    block(b)
}

pub fn block(b: &Block) -> TokenStream {
    b.stmts.iter().map(stmt).collect()
}

fn stmt(s: &Stmt) -> TokenStream {
    let p = p();
    let loc = loc(s.span);
    match &s.kind {
        StmtKind::Let {
            ident,
            mutable,
            value: v,
        } => {
            let v = value(v);
            let name = ident.to_string();
            if *mutable {
                quote!(let #ident = #p::var(#loc, #name, &(#v));)
            } else {
                quote!(let #ident = #p::bind(#loc, #name, #v);)
            }
        }
        StmtKind::LetWild(v) | StmtKind::Value(v) => {
            let v = value(v);
            quote!(#p::stmt(#loc, #v);)
        }
        StmtKind::Tail(v) => value(v),
        StmtKind::If(i) => if_(i),
        StmtKind::Match(m) => match_(m),
        StmtKind::StepMatch(m) => step_match(m),
        StmtKind::Loop(body) => {
            let body = block(body);
            quote!(#p::loop_(#loc, || { #body });)
        }
        StmtKind::While { cond, body } => {
            let cond = value(cond);
            let body = block(body);
            quote!(#p::while_(#loc, || #cond, || { #body });)
        }
        StmtKind::Break => quote!(#p::break_(#loc);),
        StmtKind::Continue => quote!(#p::continue_(#loc);),
        StmtKind::Return => quote!(#p::return_(#loc);),
        StmtKind::Block(b) => {
            let inner = block(b);
            quote!({ #inner })
        }
        StmtKind::Assign {
            target,
            op,
            value: v,
            ..
        } => {
            let (l, r) = (value(target), value(v));
            match op {
                None => quote!(#p::assign(#loc, #l, &(#r));),
                Some(op) => {
                    quote!(#p::assign(#loc, #l, &(#p::ops::#op(&(#l), &(#r))));)
                }
            }
        }
        StmtKind::Parallel(branches) => {
            let bodies = branches.iter().map(block);
            quote!(#p::parallel(#loc, ::std::vec![#(::std::boxed::Box::new(|| { #bodies })),*]);)
        }
        StmtKind::Use(u) => u.to_token_stream(),
        StmtKind::Invalid => TokenStream::new(),
    }
}

fn if_(i: &If) -> TokenStream {
    let p = p();
    let loc = loc(i.span);
    let els = match &i.els {
        Else::None => TokenStream::new(),
        Else::If(ei) => if_(ei),
        Else::Block(b) => block(b),
    };
    let then = block(&i.then);
    match &i.cond {
        Cond::Value(cond) => {
            let cond = value(cond);
            quote!(#p::if_(#loc, &(#cond), || { #then }, || { #els });)
        }
        Cond::Let { ok, bind, step } => {
            let step = value(step);
            let name = opt_str(bind);
            let param = bind_param(bind);
            if *ok {
                quote!(#p::try_(#loc, || #step, #name, |#param| { #then },
                    ::core::option::Option::Some(#p::ErrArm { name: ::core::option::Option::None, body: ::std::boxed::Box::new(|_| { #els }) }),
                    ::core::option::Option::None);)
            } else {
                quote!(#p::try_(#loc, || #step, ::core::option::Option::None, |_| { #els },
                    ::core::option::Option::Some(#p::ErrArm { name: #name, body: ::std::boxed::Box::new(|#param| { #then }) }),
                    ::core::option::Option::None);)
            }
        }
    }
}

fn match_(m: &Match) -> TokenStream {
    let p = p();
    let loc = loc(m.span);
    let subject = value(&m.subject);
    let mut arms = Vec::new();
    let mut default = None;
    for arm in &m.arms {
        let body = block(&arm.body);
        match &arm.pat {
            ArmPat::Wild => default = Some(body),
            ArmPat::Lits(pats) => {
                let arm_loc = super::loc(arm.pat_span);
                arms.push(quote!(#p::MatchArm { patterns: ::std::vec![#(#p::ToVal::to_val(&#pats)),*], loc: #arm_loc, body: ::std::boxed::Box::new(|| { #body }) }));
            }
        }
    }
    // `check` requires the `_` arm.
    let default = match default {
        Some(d) => quote!(::core::option::Option::Some(::std::boxed::Box::new(|| { #d }))),
        None => quote!(::core::option::Option::None),
    };
    quote!(#p::match_(#loc, &(#subject), ::std::vec![#(#arms),*], #default);)
}

fn step_match(m: &StepMatch) -> TokenStream {
    let p = p();
    let loc = loc(m.span);
    let step = value(&m.step);
    // `check` allows one arm of each kind; the first is taken.
    let find = |want: fn(&StepPat) -> bool| m.arms.iter().find(|a| want(&a.pat));
    let none = quote!(::core::option::Option::None);
    let (ok_bind, ok_body) = match find(|p| matches!(p, StepPat::Ok(_))) {
        Some(a) => (bound(&a.pat), block(&a.body)),
        None => (None, TokenStream::new()),
    };
    let ok_name = opt_str(&ok_bind);
    let ok_param = bind_param(&ok_bind);
    let err = match find(|p| matches!(p, StepPat::Err(_))) {
        Some(a) => {
            let bind = bound(&a.pat);
            let (name, param, body) = (opt_str(&bind), bind_param(&bind), block(&a.body));
            quote!(::core::option::Option::Some(#p::ErrArm { name: #name, body: ::std::boxed::Box::new(|#param| { #body }) }))
        }
        None => none.clone(),
    };
    let hangup = find(|p| matches!(p, StepPat::Hangup | StepPat::HangupKeep(_)));
    let hangup = match hangup {
        // `Err(Hangup(m))`: the arm receives what the caller left (`take_message`); a step that
        // keeps nothing is a rustc error at the pattern.
        Some(a) if matches!(a.pat, StepPat::HangupKeep(_)) => {
            let param = bind_param(&bound(&a.pat));
            let body = block(&a.body);
            let arm = quote!(::std::boxed::Box::new(|#param| { #body }));
            // Spanned at the pattern, so a step that keeps nothing is reported there; the step
            // in a block, so rustc reports it once (as the block's tail), not again at
            // `try_keep`'s own bound.
            let keep = quote_spanned!(a.pat_span=> ::switchboard::__private::must_keep);
            return quote!(#p::try_keep(#loc, || #keep({ #step }), #ok_name, |#ok_param| { #ok_body }, #err, #arm););
        }
        Some(a) => {
            let body = block(&a.body);
            quote!(::core::option::Option::Some(::std::boxed::Box::new(|| { #body })))
        }
        None => none,
    };
    quote!(#p::try_(#loc, || #step, #ok_name, |#ok_param| { #ok_body }, #err, #hangup);)
}

/// The name an `Ok(x)`, `Err(e)` or `Err(Hangup(m))` pattern binds.
fn bound(pat: &StepPat) -> Option<Ident> {
    match pat {
        StepPat::Ok(b) | StepPat::Err(b) | StepPat::HangupKeep(b) => b.clone(),
        StepPat::Hangup | StepPat::Other => None,
    }
}

fn opt_str(bind: &Option<Ident>) -> TokenStream {
    match bind {
        Some(n) => {
            let n = n.to_string();
            quote!(::core::option::Option::Some(#n))
        }
        None => quote!(::core::option::Option::None),
    }
}

fn bind_param(bind: &Option<Ident>) -> TokenStream {
    match bind {
        Some(i) => i.to_token_stream(),
        None => quote!(_),
    }
}
