//! Rewrites a flow function body into builder calls, collecting every error with its span.
//!
//! Statements keep their Rust shape; control flow becomes `__private::{if_, match_, loop_, …}`
//! calls whose branches are closures, operators become `__private::ops::*` calls, and `format!`
//! / `json!` become value constructors. Anything outside the subset is a `syn::Error` on the
//! offending tokens that says what to write instead.

use crate::format::{self, Piece};
use proc_macro2::{Span, TokenStream};
use quote::{quote, quote_spanned, ToTokens};
use syn::spanned::Spanned;
use syn::{BinOp, Block, Expr, ExprIf, ExprMatch, Lit, Local, Pat, Stmt, UnOp};

/// Option methods and functions whose literal arguments are checked at compile time by the
/// `const fn` of the same name in `switchboard::__private::checks` (the limits live there).
pub const CHECKED: &[&str] = &[
    "ring_for",
    "sip_code",
    "retries",
    "pause",
    "digits",
    "repeat",
    "silence_seconds",
    "silence_threshold",
    "pstn",
    "caller_id",
];

fn p() -> TokenStream {
    quote!(::switchboard::__private)
}

#[derive(Default)]
pub struct Rewriter {
    errors: Option<syn::Error>,
    loop_depth: u32,
}

impl Rewriter {
    pub fn into_errors(self) -> Option<syn::Error> {
        self.errors
    }

    fn err(&mut self, tokens: impl ToTokens, message: impl std::fmt::Display) -> TokenStream {
        let e = syn::Error::new_spanned(tokens, message);
        match &mut self.errors {
            Some(all) => all.combine(e),
            None => self.errors = Some(e),
        }
        TokenStream::new()
    }

    /// `file!()`/`line!()`/`column!()` spanned at the user's tokens give their location.
    pub fn loc(span: Span) -> TokenStream {
        let p = p();
        quote_spanned!(span=> #p::loc(::core::file!(), ::core::line!(), ::core::column!()))
    }

    /// A function body: statements, and the tail expression as the function's value.
    pub fn body(&mut self, block: &Block) -> TokenStream {
        self.stmts(&block.stmts, true)
    }

    fn block(&mut self, block: &Block) -> TokenStream {
        self.stmts(&block.stmts, false)
    }

    fn stmts(&mut self, stmts: &[Stmt], value_tail: bool) -> TokenStream {
        let mut out = TokenStream::new();
        for (i, s) in stmts.iter().enumerate() {
            let last = i + 1 == stmts.len();
            match s {
                Stmt::Expr(e, None) if last && value_tail && !is_control(e) => {
                    out.extend(self.expr(e))
                }
                _ => out.extend(self.stmt(s)),
            }
        }
        out
    }

    fn stmt(&mut self, s: &Stmt) -> TokenStream {
        match s {
            Stmt::Local(l) => self.local(l),
            Stmt::Expr(e, _) => self.stmt_expr(e),
            Stmt::Item(syn::Item::Use(u)) => u.to_token_stream(),
            Stmt::Item(item) => self.err(item, "items (fn, struct, impl…) cannot be declared inside a call flow: move them outside the function"),
            Stmt::Macro(m) => {
                let e = Expr::Macro(syn::ExprMacro { attrs: m.attrs.clone(), mac: m.mac.clone() });
                self.stmt_expr(&e)
            }
        }
    }

    fn local(&mut self, l: &Local) -> TokenStream {
        let p = p();
        let loc = Self::loc(l.span());
        let Some(init) = &l.init else {
            return self.err(
                l,
                "a flow variable needs a value: write `let name = …;` (or `let mut name = …;`)",
            );
        };
        if let Some((_, diverge)) = &init.diverge {
            return self.err(
                diverge,
                "`let … else` is not supported in a call flow: use `match` or `if let`",
            );
        }
        let (ident, mutable) = match &l.pat {
            Pat::Ident(pi) if pi.by_ref.is_none() && pi.subpat.is_none() => (pi.ident.clone(), pi.mutability.is_some()),
            Pat::Wild(_) => {
                let v = self.expr(&init.expr);
                return quote!(#p::stmt(#loc, #v););
            }
            Pat::Type(t) => return self.err(&t.ty, "type annotations are not used in a call flow: write `let name = …;`"),
            other => return self.err(other, "destructuring is not supported in a call flow: bind one name, then use its fields (`let r = …; r.digits`)"),
        };
        if let Expr::Match(m) = &*init.expr {
            if is_step_match(m) {
                return self.err(m, "a `match` on a step's `Ok`/`Err` is a statement: declare `let mut` variables before it and assign them in the arms");
            }
        }
        let v = self.expr(&init.expr);
        let name = ident.to_string();
        if mutable {
            quote!(let #ident = #p::var(#loc, #name, &(#v));)
        } else {
            quote!(let #ident = #p::bind(#loc, #name, #v);)
        }
    }

    fn stmt_expr(&mut self, e: &Expr) -> TokenStream {
        let p = p();
        let loc = Self::loc(e.span());
        match e {
            Expr::If(i) => self.if_stmt(i),
            Expr::Match(m) => self.match_stmt(m),
            Expr::Loop(l) => {
                if let Some(label) = &l.label {
                    return self.err(label, "loop labels are not supported in a call flow: `break`/`continue` apply to the innermost loop");
                }
                self.loop_depth += 1;
                let body = self.block(&l.body);
                self.loop_depth -= 1;
                quote!(#p::loop_(#loc, || { #body });)
            }
            Expr::While(w) => {
                if let Some(label) = &w.label {
                    return self.err(label, "loop labels are not supported in a call flow");
                }
                if let Expr::Let(l) = &*w.cond {
                    return self.err(l, "`while let` is not supported in a call flow: use `loop` with `match` and `break`");
                }
                let cond = self.expr(&w.cond);
                self.loop_depth += 1;
                let body = self.block(&w.body);
                self.loop_depth -= 1;
                quote!(#p::while_(#loc, || #cond, || { #body });)
            }
            Expr::ForLoop(f) => self.err(
                &f.for_token,
                "`for` loops are not supported in a call flow: use `loop` or `while` with a `let mut` counter",
            ),
            Expr::Break(b) => {
                if let Some(l) = &b.label {
                    return self.err(l, "labelled `break` is not supported in a call flow");
                }
                if let Some(v) = &b.expr {
                    return self.err(v, "`break` with a value is not supported in a call flow: assign a `let mut` variable, then `break`");
                }
                if self.loop_depth == 0 {
                    return self.err(b, "`break` outside a loop: `break` leaves the innermost `loop`/`while`");
                }
                quote!(#p::break_(#loc);)
            }
            Expr::Continue(c) => {
                if let Some(l) = &c.label {
                    return self.err(l, "labelled `continue` is not supported in a call flow");
                }
                if self.loop_depth == 0 {
                    return self.err(c, "`continue` outside a loop: `continue` restarts the innermost `loop`/`while`");
                }
                quote!(#p::continue_(#loc);)
            }
            Expr::Return(r) => {
                if let Some(v) = &r.expr {
                    return self.err(v, "`return` with a value is not supported in a call flow: return a value as the function's last expression");
                }
                quote!(#p::return_(#loc);)
            }
            Expr::Block(b) if b.label.is_none() => {
                let inner = self.block(&b.block);
                quote!({ #inner })
            }
            Expr::Assign(a) => {
                let (l, r) = (self.expr(&a.left), self.expr(&a.right));
                quote!(#p::assign(#loc, #l, &(#r));)
            }
            Expr::Binary(b) if compound_op(&b.op).is_some() => {
                let op = compound_op(&b.op).unwrap_or("add");
                let op = syn::Ident::new(op, b.op.span());
                let (l, r) = (self.expr(&b.left), self.expr(&b.right));
                quote!(#p::assign(#loc, #l, &(#p::ops::#op(&(#l), &(#r))));)
            }
            Expr::Macro(m) if m.mac.path.is_ident("parallel") => self.parallel(m),
            _ => {
                let v = self.expr(e);
                if v.is_empty() {
                    return v;
                }
                quote!(#p::stmt(#loc, #v);)
            }
        }
    }

    fn parallel(&mut self, m: &syn::ExprMacro) -> TokenStream {
        use syn::parse::Parser;
        let p = p();
        let loc = Self::loc(m.span());
        let parser = syn::punctuated::Punctuated::<Block, syn::Token![,]>::parse_terminated;
        let branches = match parser.parse2(m.mac.tokens.clone()) {
            Ok(b) => b,
            Err(e) => {
                return self.err(
                    &m.mac,
                    format!("parallel! takes blocks: parallel!({{ … }}, {{ … }}) ({e})"),
                )
            }
        };
        if branches.len() < 2 {
            return self.err(
                &m.mac,
                "parallel! needs at least two blocks: parallel!({ … }, { … })",
            );
        }
        let saved = std::mem::take(&mut self.loop_depth);
        let bodies: Vec<TokenStream> = branches.iter().map(|b| self.block(b)).collect();
        self.loop_depth = saved;
        quote!(#p::parallel(#loc, ::std::vec![#(::std::boxed::Box::new(|| { #bodies })),*]);)
    }

    fn if_stmt(&mut self, i: &ExprIf) -> TokenStream {
        let p = p();
        let loc = Self::loc(i.span());
        let els = match &i.else_branch {
            None => TokenStream::new(),
            Some((_, e)) => match &**e {
                Expr::If(ei) => self.if_stmt(ei),
                Expr::Block(b) => self.block(&b.block),
                other => self.stmt_expr(other),
            },
        };
        if let Expr::Let(l) = &*i.cond {
            let Some((is_ok, bind)) = step_pattern(&l.pat) else {
                return self.err(&l.pat, "`if let` in a call flow takes `Ok(x)` or `Err(e)` of a step: `if let Ok(r) = speak_and_get_digits(…) { … }`");
            };
            let step = self.expr(&l.expr);
            let then = self.block(&i.then_branch);
            let name = bind.as_ref().map(|b| b.to_string());
            let param = bind_param(&bind);
            return if is_ok {
                let ok_name = opt_str(&name);
                quote!(#p::try_(#loc, || #step, #ok_name, |#param| { #then },
                    ::core::option::Option::Some(#p::ErrArm { name: ::core::option::Option::None, body: ::std::boxed::Box::new(|_| { #els }) }),
                    ::core::option::Option::None);)
            } else {
                let err_name = opt_str(&name);
                quote!(#p::try_(#loc, || #step, ::core::option::Option::None, |_| { #els },
                    ::core::option::Option::Some(#p::ErrArm { name: #err_name, body: ::std::boxed::Box::new(|#param| { #then }) }),
                    ::core::option::Option::None);)
            };
        }
        let cond = self.expr(&i.cond);
        let then = self.block(&i.then_branch);
        quote!(#p::if_(#loc, &(#cond), || { #then }, || { #els });)
    }

    fn arm_body(&mut self, body: &Expr) -> TokenStream {
        match body {
            Expr::Block(b) if b.label.is_none() => self.block(&b.block),
            other => self.stmt_expr(other),
        }
    }

    fn match_stmt(&mut self, m: &ExprMatch) -> TokenStream {
        let p = p();
        let loc = Self::loc(m.span());
        for arm in &m.arms {
            if let Some((_, g)) = &arm.guard {
                self.err(
                    g,
                    "match guards are not supported in a call flow: put an `if` inside the arm",
                );
            }
        }
        if is_step_match(m) {
            let step = self.expr(&m.expr);
            let (mut ok, mut err, mut hangup) = (None, None, None);
            for arm in &m.arms {
                if let Some(keep) = hangup_pattern(&arm.pat) {
                    if hangup.is_some() {
                        self.err(&arm.pat, "this arm repeats the `Err(Hangup)` arm");
                        continue;
                    }
                    // Rust tries arms in order: after `Err(_)`/`Err(e)` this arm could never
                    // match, so accepting it would give it a meaning Rust does not.
                    if err.is_some() {
                        self.err(&arm.pat, "this `Err(Hangup)` arm comes after the `Err(…)` arm, which already takes every failure: put it before the `Err(…)` arm");
                    }
                    hangup = Some((keep, arm.pat.span(), self.arm_body(&arm.body)));
                    continue;
                }
                match step_pattern(&arm.pat) {
                    Some((true, bind)) if ok.is_none() => {
                        ok = Some((bind, self.arm_body(&arm.body)))
                    }
                    Some((false, bind)) if err.is_none() => {
                        err = Some((bind, self.arm_body(&arm.body)))
                    }
                    Some(_) => {
                        self.err(&arm.pat, "this arm repeats an `Ok`/`Err` arm: a step has one `Ok(…)`, one `Err(…)` and optionally `Err(Hangup)`");
                    }
                    None => {
                        self.err(
                            &arm.pat,
                            "a match on a step takes `Ok(x)`, `Err(e)` and `Err(Hangup)` arms",
                        );
                    }
                }
            }
            let (ok_bind, ok_body) = match ok {
                Some(x) => x,
                None => {
                    return self.err(m, "this match on a step has no `Ok(…)` arm: add `Ok(_) => {}` to continue when the step succeeds")
                }
            };
            let ok_name = opt_str(&ok_bind.as_ref().map(|b| b.to_string()));
            let ok_param = bind_param(&ok_bind);
            let err = match err {
                Some((bind, body)) => {
                    let name = opt_str(&bind.as_ref().map(|b| b.to_string()));
                    let param = bind_param(&bind);
                    quote!(::core::option::Option::Some(#p::ErrArm { name: #name, body: ::std::boxed::Box::new(|#param| { #body }) }))
                }
                None => quote!(::core::option::Option::None),
            };
            let hangup = match hangup {
                // `Err(Hangup(m))`: the arm receives what the caller left (`take_message`); a
                // step that keeps nothing is a rustc error at the pattern.
                Some((HangupPat::Keep(bind), span, body)) => {
                    let param = bind_param(&bind);
                    let arm = quote!(::std::boxed::Box::new(|#param| { #body }));
                    // Spanned at the pattern, so a step that keeps nothing is reported there.
                    let keep = quote_spanned!(span=> ::switchboard::__private::must_keep);
                    return quote!(#p::try_keep(#loc, || #keep(#step), #ok_name, |#ok_param| { #ok_body }, #err, #arm););
                }
                Some((HangupPat::Plain, _, body)) => {
                    quote!(::core::option::Option::Some(::std::boxed::Box::new(|| { #body })))
                }
                None => quote!(::core::option::Option::None),
            };
            return quote!(#p::try_(#loc, || #step, #ok_name, |#ok_param| { #ok_body }, #err, #hangup););
        }
        let subject = self.expr(&m.expr);
        let mut arms = Vec::new();
        let mut default = None;
        for (i, arm) in m.arms.iter().enumerate() {
            let arm_loc = Self::loc(arm.pat.span());
            if let Pat::Wild(_) = &arm.pat {
                if i + 1 != m.arms.len() {
                    self.err(&arm.pat, "the `_` arm must be the last arm");
                }
                default = Some(self.arm_body(&arm.body));
                continue;
            }
            let pats = self.literal_patterns(&arm.pat);
            let body = self.arm_body(&arm.body);
            arms.push(quote!(#p::MatchArm { patterns: ::std::vec![#(#p::ToVal::to_val(&#pats)),*], loc: #arm_loc, body: ::std::boxed::Box::new(|| { #body }) }));
        }
        let default = match default {
            Some(d) => quote!(::core::option::Option::Some(::std::boxed::Box::new(|| { #d }))),
            None => {
                self.err(m, "this match has no `_ =>` arm: a runtime value can be anything, add `_ => { … }`");
                TokenStream::new()
            }
        };
        quote!(#p::match_(#loc, &(#subject), ::std::vec![#(#arms),*], #default);)
    }

    fn literal_patterns(&mut self, pat: &Pat) -> Vec<TokenStream> {
        match pat {
            Pat::Lit(l) => vec![l.to_token_stream()],
            Pat::Or(o) => o
                .cases
                .iter()
                .flat_map(|c| self.literal_patterns(c))
                .collect(),
            Pat::Ident(i) => {
                self.err(i, format!("`{}` would bind the value: match patterns in a call flow are literals (\"1\", 2, true) or `_`", i.ident));
                vec![]
            }
            other => {
                self.err(other, "match patterns in a call flow are literals (\"1\", 2, true), alternatives with `|`, or `_`");
                vec![]
            }
        }
    }

    /// An expression in value position.
    pub fn expr(&mut self, e: &Expr) -> TokenStream {
        let p = p();
        match e {
            Expr::Binary(b) => {
                let Some(op) = binary_op(&b.op) else {
                    if compound_op(&b.op).is_some() {
                        return self.err(b, "compound assignment is a statement: write it on its own line");
                    }
                    return self.err(&b.op, "bitwise and shift operators are not supported in a call flow");
                };
                let op = syn::Ident::new(op, b.op.span());
                let (l, r) = (self.expr(&b.left), self.expr(&b.right));
                quote!(#p::ops::#op(&(#l), &(#r)))
            }
            Expr::Unary(u) => {
                let x = self.expr(&u.expr);
                match u.op {
                    UnOp::Not(_) => quote!(#p::ops::not(&(#x))),
                    UnOp::Neg(_) => quote!(#p::ops::neg(&(#x))),
                    _ => quote!(*#x),
                }
            }
            Expr::Paren(x) => {
                let inner = self.expr(&x.expr);
                quote!((#inner))
            }
            Expr::If(i) => self.value_if(i),
            Expr::Match(m) => self.value_match(m),
            Expr::Macro(m) => self.value_macro(m),
            Expr::MethodCall(mc) => {
                let recv = self.expr(&mc.receiver);
                let args: Vec<TokenStream> = mc.args.iter().map(|a| self.expr(a)).collect();
                let method = &mc.method;
                let turbofish = &mc.turbofish;
                let check = self.literal_check(&method.to_string(), &mc.args);
                // Spanned at the method name so `#[track_caller]` options report the user's line.
                let call = quote_spanned!(method.span()=> #recv.#method #turbofish(#(#args),*));
                if check.is_empty() {
                    call
                } else {
                    quote!({ #check #call })
                }
            }
            Expr::Call(c) => {
                let func = &c.func;
                let args: Vec<TokenStream> = c.args.iter().map(|a| self.expr(a)).collect();
                let check = match &*c.func {
                    Expr::Path(path) => {
                        let name = path.path.segments.last().map(|s| s.ident.to_string()).unwrap_or_default();
                        self.literal_check(&name, &c.args)
                    }
                    _ => TokenStream::new(),
                };
                // Spanned at the callee so `#[track_caller]` actions report the user's line.
                let call = quote_spanned!(c.func.span()=> #func(#(#args),*));
                if check.is_empty() {
                    call
                } else {
                    quote!({ #check #call })
                }
            }
            Expr::Field(f) => {
                let base = self.expr(&f.base);
                let member = &f.member;
                quote!(#base.#member)
            }
            Expr::Reference(r) => {
                let inner = self.expr(&r.expr);
                let m = &r.mutability;
                quote!(&#m #inner)
            }
            Expr::Try(t) => {
                // Only a step may carry `?`; the check is spanned at the `?`.
                let inner = self.expr(&t.expr);
                let q = quote_spanned!(t.question_token.span=> ::switchboard::__private::question);
                quote!(#q(#inner))
            }
            Expr::Cast(c) => {
                let inner = self.expr(&c.expr);
                let ty = &c.ty;
                quote!((#inner as #ty))
            }
            Expr::Index(i) => {
                let (b, x) = (self.expr(&i.expr), self.expr(&i.index));
                quote!(#b[#x])
            }
            Expr::Tuple(t) => {
                let items: Vec<TokenStream> = t.elems.iter().map(|x| self.expr(x)).collect();
                quote!((#(#items,)*))
            }
            Expr::Array(a) => {
                let items: Vec<TokenStream> = a.elems.iter().map(|x| self.expr(x)).collect();
                quote!([#(#items),*])
            }
            Expr::Lit(_) | Expr::Path(_) | Expr::Range(_) | Expr::Struct(_) | Expr::Repeat(_) => e.to_token_stream(),
            Expr::Closure(c) => self.err(c, "closures are not supported in a call flow: call another #[call_flow] function instead"),
            Expr::Async(a) => self.err(a, "`async` is not supported in a call flow: every action already waits for the caller"),
            Expr::Unsafe(u) => self.err(u, "`unsafe` is not allowed in a call flow"),
            Expr::Block(b) => self.err(b, "a block used as a value is not supported in a call flow: assign a `let mut` variable inside it instead"),
            Expr::Assign(a) => self.err(a, "assignment is a statement in a call flow: write it on its own line"),
            Expr::Let(l) => self.err(l, "`let` patterns are only supported as `if let Ok(x) = step` / `if let Err(e) = step`"),
            Expr::Loop(_) | Expr::While(_) | Expr::ForLoop(_) | Expr::Break(_) | Expr::Continue(_) | Expr::Return(_) => {
                self.err(e, "control flow cannot be used as a value in a call flow: write it as a statement")
            }
            Expr::Await(a) => self.err(a, "`.await` is not supported in a call flow: every action already waits for the caller"),
            other => self.err(other, "this expression is not supported in a call flow"),
        }
    }

    /// `const _: () = checks::name(literal);` spanned at the literal, when the arguments are
    /// literals: an out-of-range option is a rustc error at the user's tokens.
    fn literal_check(
        &mut self,
        name: &str,
        args: &syn::punctuated::Punctuated<Expr, syn::Token![,]>,
    ) -> TokenStream {
        if !CHECKED.contains(&name) || args.len() != 1 {
            return TokenStream::new();
        }

        let arg = &args[0];
        let span = arg.span();
        let lits: Option<Vec<TokenStream>> = match arg {
            Expr::Range(r) if matches!(r.limits, syn::RangeLimits::Closed(_)) => {
                match (
                    r.start.as_deref().and_then(int_lit),
                    r.end.as_deref().and_then(int_lit),
                ) {
                    (Some(a), Some(b)) => Some(vec![a, b]),
                    _ => None,
                }
            }
            Expr::Lit(syn::ExprLit {
                lit: Lit::Str(s), ..
            }) => Some(vec![s.to_token_stream()]),
            other => int_lit(other).map(|l| vec![l]),
        };
        match lits {
            // Every token spanned at the literal, so rustc's const-evaluation error lands on it.
            Some(l) => {
                let f = syn::Ident::new(name, span);
                quote_spanned!(span=> const _: () = ::switchboard::__private::checks::#f(#(#l),*);)
            }
            None => TokenStream::new(),
        }
    }

    fn value_if(&mut self, i: &ExprIf) -> TokenStream {
        let p = p();
        let Some((_, els)) = &i.else_branch else {
            return self.err(i, "an `if` used as a value needs an `else`");
        };
        if matches!(&*i.cond, Expr::Let(_)) {
            return self.err(
                i,
                "`if let` cannot be used as a value: assign a `let mut` variable in its branches",
            );
        }
        let Some(then) = single_expr(&i.then_branch) else {
            return self.err(&i.then_branch, "an `if` used as a value must hold just an expression in each branch; for statements, assign a `let mut` variable inside the branches");
        };
        let cond = self.expr(&i.cond);
        let then = self.expr(then);
        let els = match &**els {
            Expr::If(ei) => self.value_if(ei),
            Expr::Block(b) => match single_expr(&b.block) {
                Some(x) => self.expr(x),
                None => {
                    return self.err(
                        b,
                        "an `if` used as a value must hold just an expression in each branch",
                    )
                }
            },
            other => self.expr(other),
        };
        quote!(#p::ops::cond(&(#cond), &(#then), &(#els)))
    }

    fn value_match(&mut self, m: &ExprMatch) -> TokenStream {
        let p = p();
        if is_step_match(m) {
            return self.err(m, "a `match` on a step's `Ok`/`Err` is a statement: assign `let mut` variables in its arms");
        }
        let subject = self.expr(&m.expr);
        let mut default = None;
        let mut arms = Vec::new();
        for arm in &m.arms {
            if let Some((_, g)) = &arm.guard {
                self.err(g, "match guards are not supported in a call flow");
            }
            if matches!(arm.pat, Pat::Wild(_)) {
                default = Some(self.expr(&arm.body));
            } else {
                let pats = self.literal_patterns(&arm.pat);
                let body = self.expr(&arm.body);
                arms.push((pats, body));
            }
        }
        let Some(mut acc) = default else {
            return self.err(m, "a `match` used as a value needs a `_ =>` arm");
        };
        for (pats, body) in arms.into_iter().rev() {
            let mut test = quote!(false);
            for pat in pats {
                test = quote!(#p::ops::or(&(#test), &#p::ops::eq(&(#subject), &#pat)));
            }
            acc = quote!(#p::ops::cond(&(#test), &(#body), &(#acc)));
        }
        acc
    }

    fn value_macro(&mut self, m: &syn::ExprMacro) -> TokenStream {
        let p = p();
        let name = m
            .mac
            .path
            .segments
            .last()
            .map(|s| s.ident.to_string())
            .unwrap_or_default();
        match name.as_str() {
            "format" => {
                let (lit, args) = match format::split_args(m.mac.tokens.clone()) {
                    Ok(x) => x,
                    Err(e) => return self.err(&m.mac, e.to_string()),
                };
                let pieces = match format::parse(&lit, args.len()) {
                    Ok(p) => p,
                    Err(e) => {
                        self.err(&lit, e.to_string());
                        return TokenStream::new();
                    }
                };
                let args: Vec<TokenStream> = args.iter().map(|a| self.expr(a)).collect();
                let parts: Vec<TokenStream> = pieces
                    .into_iter()
                    .map(|piece| match piece {
                        Piece::Text(t) => quote!(#p::ToVal::to_val(#t)),
                        Piece::Arg(i) => {
                            let a = &args[i];
                            quote!(#p::ToVal::to_val(&(#a)))
                        }
                        Piece::Named(id) => quote!(#p::ToVal::to_val(&(#id))),
                    })
                    .collect();
                quote!(#p::format(&[#(#parts),*]))
            }
            "json" => match syn::parse2::<JsonValue>(m.mac.tokens.clone()) {
                Ok(v) => self.json(&v),
                Err(e) => self.err(&m.mac, format!("json! takes a JSON-like value: json!({{ \"key\": value, … }}) ({e})")),
            },
            "parallel" => self.err(&m.mac, "parallel! is a statement: write it on its own line"),
            other => self.err(
                &m.mac.path,
                format!("`{other}!` is not supported in a call flow: use format!(…) for text and json!({{…}}) for objects"),
            ),
        }
    }

    fn json(&mut self, v: &JsonValue) -> TokenStream {
        let p = p();
        match v {
            JsonValue::Object(fields) => {
                let items: Vec<TokenStream> = fields
                    .iter()
                    .map(|(k, v)| {
                        let v = self.json(v);
                        quote!((#k, #p::ToVal::to_val(&(#v))))
                    })
                    .collect();
                quote!(#p::object(::std::vec![#(#items),*]))
            }
            JsonValue::Array(items) => {
                let items: Vec<TokenStream> = items.iter().map(|v| self.json(v)).collect();
                quote!(#p::array(::std::vec![#(#p::ToVal::to_val(&(#items))),*]))
            }
            JsonValue::Expr(e) => self.expr(e),
        }
    }
}

/// `json!` content: objects with string keys, arrays, and flow expressions as leaves.
pub enum JsonValue {
    Object(Vec<(syn::LitStr, JsonValue)>),
    Array(Vec<JsonValue>),
    Expr(Expr),
}

impl syn::parse::Parse for JsonValue {
    fn parse(input: syn::parse::ParseStream) -> syn::Result<Self> {
        if input.peek(syn::token::Brace) {
            let content;
            syn::braced!(content in input);
            let mut fields = Vec::new();
            while !content.is_empty() {
                let key: syn::LitStr = content.parse()?;
                content.parse::<syn::Token![:]>()?;
                fields.push((key, content.parse()?));
                if content.is_empty() {
                    break;
                }
                content.parse::<syn::Token![,]>()?;
            }
            Ok(JsonValue::Object(fields))
        } else if input.peek(syn::token::Bracket) {
            let content;
            syn::bracketed!(content in input);
            let items = syn::punctuated::Punctuated::<JsonValue, syn::Token![,]>::parse_terminated(
                &content,
            )?;
            Ok(JsonValue::Array(items.into_iter().collect()))
        } else {
            Ok(JsonValue::Expr(input.parse()?))
        }
    }
}

fn is_control(e: &Expr) -> bool {
    matches!(
        e,
        Expr::If(_)
            | Expr::Match(_)
            | Expr::Loop(_)
            | Expr::While(_)
            | Expr::ForLoop(_)
            | Expr::Block(_)
            | Expr::Break(_)
            | Expr::Continue(_)
            | Expr::Return(_)
            | Expr::Assign(_)
    ) || matches!(e, Expr::Macro(m) if m.mac.path.is_ident("parallel"))
        || matches!(e, Expr::Binary(b) if compound_op(&b.op).is_some())
}

fn single_expr(b: &Block) -> Option<&Expr> {
    match b.stmts.as_slice() {
        [Stmt::Expr(e, None)] => Some(e),
        _ => None,
    }
}

fn int_lit(e: &Expr) -> Option<TokenStream> {
    match e {
        Expr::Lit(syn::ExprLit {
            lit: Lit::Int(i), ..
        }) => Some(i.to_token_stream()),
        Expr::Unary(u) if matches!(u.op, UnOp::Neg(_)) => int_lit(&u.expr).map(|t| quote!(-#t)),
        _ => None,
    }
}

fn binary_op(op: &BinOp) -> Option<&'static str> {
    Some(match op {
        BinOp::Add(_) => "add",
        BinOp::Sub(_) => "sub",
        BinOp::Mul(_) => "mul",
        BinOp::Div(_) => "div",
        BinOp::Rem(_) => "rem",
        BinOp::And(_) => "and",
        BinOp::Or(_) => "or",
        BinOp::Eq(_) => "eq",
        BinOp::Ne(_) => "ne",
        BinOp::Lt(_) => "lt",
        BinOp::Le(_) => "le",
        BinOp::Gt(_) => "gt",
        BinOp::Ge(_) => "ge",
        _ => return None,
    })
}

fn compound_op(op: &BinOp) -> Option<&'static str> {
    Some(match op {
        BinOp::AddAssign(_) => "add",
        BinOp::SubAssign(_) => "sub",
        BinOp::MulAssign(_) => "mul",
        BinOp::DivAssign(_) => "div",
        BinOp::RemAssign(_) => "rem",
        _ => return None,
    })
}

/// `Ok(x)` / `Ok(_)` / `Err(e)` / `Err(_)`: (is_ok, binding).
fn step_pattern(pat: &Pat) -> Option<(bool, Option<syn::Ident>)> {
    let Pat::TupleStruct(ts) = pat else {
        return None;
    };
    let name = ts.path.segments.last()?.ident.to_string();
    let is_ok = match name.as_str() {
        "Ok" => true,
        "Err" => false,
        _ => return None,
    };
    if ts.elems.len() != 1 {
        return None;
    }
    match &ts.elems[0] {
        Pat::Ident(i) if i.subpat.is_none() && i.ident != "Hangup" => {
            Some((is_ok, Some(i.ident.clone())))
        }
        Pat::Wild(_) => Some((is_ok, None)),
        _ => None,
    }
}

/// The hang-up arm of a step match: `Err(Hangup)`, or `Err(Hangup(m))` / `Err(Hangup(_))`
/// receiving what the caller left.
enum HangupPat {
    Plain,
    Keep(Option<syn::Ident>),
}

fn hangup_pattern(pat: &Pat) -> Option<HangupPat> {
    let Pat::TupleStruct(ts) = pat else {
        return None;
    };
    if !ts.path.is_ident("Err") || ts.elems.len() != 1 {
        return None;
    }
    match ts.elems.first()? {
        Pat::Ident(i) if i.ident == "Hangup" && i.subpat.is_none() => Some(HangupPat::Plain),
        Pat::TupleStruct(inner) if inner.path.is_ident("Hangup") && inner.elems.len() == 1 => {
            match inner.elems.first()? {
                Pat::Ident(b) if b.subpat.is_none() => Some(HangupPat::Keep(Some(b.ident.clone()))),
                Pat::Wild(_) => Some(HangupPat::Keep(None)),
                _ => None,
            }
        }
        _ => None,
    }
}

fn is_hangup_pattern(pat: &Pat) -> bool {
    hangup_pattern(pat).is_some()
}

fn is_step_match(m: &ExprMatch) -> bool {
    m.arms
        .iter()
        .any(|a| step_pattern(&a.pat).is_some() || is_hangup_pattern(&a.pat))
}

fn opt_str(name: &Option<String>) -> TokenStream {
    match name {
        Some(n) => quote!(::core::option::Option::Some(#n)),
        None => quote!(::core::option::Option::None),
    }
}

fn bind_param(bind: &Option<syn::Ident>) -> TokenStream {
    match bind {
        Some(i) => i.to_token_stream(),
        None => quote!(_),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rewrite(body: TokenStream) -> Result<String, String> {
        let block: Block = syn::parse2(quote!({ #body })).unwrap();
        let mut r = Rewriter::default();
        let out = r.body(&block);
        match r.into_errors() {
            Some(e) => Err(e
                .into_iter()
                .map(|e| e.to_string())
                .collect::<Vec<_>>()
                .join("\n")),
            None => Ok(out.to_string()),
        }
    }

    #[test]
    fn operators_become_ops_calls() {
        let out = rewrite(quote!(let ok = a == "1" && !b;)).unwrap();
        assert!(out.contains("ops :: and"), "{out}");
        assert!(out.contains("ops :: eq"), "{out}");
        assert!(out.contains("ops :: not"), "{out}");
    }

    #[test]
    fn control_flow_becomes_builder_calls() {
        let out = rewrite(quote!(loop {
            if x {
                break;
            } else {
                continue;
            }
        }))
        .unwrap();
        assert!(
            out.contains("loop_")
                && out.contains("if_")
                && out.contains("break_")
                && out.contains("continue_"),
            "{out}"
        );
    }

    #[test]
    fn collects_every_error() {
        let e = rewrite(quote!(break; for x in y {} let (a, b) = c;)).unwrap_err();
        assert!(e.contains("`break` outside a loop"), "{e}");
        let block: Block = syn::parse2(quote!({
            break;
            for x in y {}
            let (a, b) = c;
        }))
        .unwrap();
        let mut r = Rewriter::default();
        r.body(&block);
        assert_eq!(r.into_errors().unwrap().into_iter().count(), 3);
    }

    #[test]
    fn literal_options_get_const_checks() {
        let out = rewrite(quote!(call_and_bridge(pstn("+12065550100")).ring_for(30);)).unwrap();
        assert!(out.contains("checks :: ring_for (30)"), "{out}");
        assert!(out.contains("checks :: pstn (\"+12065550100\")"), "{out}");
        let out = rewrite(quote!(x.digits(1..=3);)).unwrap();
        assert!(out.contains("checks :: digits (1 , 3)"), "{out}");
    }

    #[test]
    fn step_matches_become_try() {
        let out = rewrite(quote!(match call_and_bridge(x) {
            Ok(_) => wait_for_hangup(),
            Err(Hangup) => {}
            Err(e) => speak(e.cause),
        }))
        .unwrap();
        assert!(out.contains("try_") && out.contains("ErrArm"), "{out}");
        // Rust's arm order: `Err(Hangup)` after `Err(e)` could never match.
        let e = rewrite(quote!(match call_and_bridge(x) {
            Ok(_) => wait_for_hangup(),
            Err(e) => speak(e.cause),
            Err(Hangup) => {}
        }))
        .unwrap_err();
        assert!(e.contains("put it before the `Err(…)` arm"), "{e}");
        let e = rewrite(quote!(match x {
            Err(e) => {}
        }))
        .unwrap_err();
        assert!(e.contains("no `Ok(…)` arm"), "{e}");
    }

    #[test]
    fn match_needs_wildcard_and_literals() {
        let e = rewrite(quote!(match d {
            "1" => a(),
            y => b(),
        }))
        .unwrap_err();
        assert!(e.contains("would bind the value"), "{e}");
        assert!(e.contains("no `_ =>` arm"), "{e}");
    }
}
