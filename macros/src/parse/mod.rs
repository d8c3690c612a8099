//! Stage 1: syn → the flow AST ([`crate::ast`]). Anything outside the flow language is reported
//! here, on the user's tokens, with what to write instead; the refused node becomes `Invalid` and
//! parsing goes on, so every such mistake is reported at once. Names are resolved as they are
//! read (see [`scope`]).

pub mod format;
mod helper;
mod json;
mod pattern;
mod scope;
mod value;

use crate::ast::{
    ArmPat, Binding, BindingKind, Block, Cond, Else, Flow, If, Match, MatchArm, Param, StepArm,
    StepMatch, StepPat, Stmt, StmtKind, Value,
};
use crate::attr;
use crate::ctxt::Ctxt;
use proc_macro2::TokenStream;
use quote::ToTokens;
use scope::Scopes;
use syn::spanned::Spanned;
use syn::{BinOp, Expr, FnArg, Ident, ItemFn, Pat, Type};

/// Parses the attribute's arguments and the function. `None` when the item is not a function
/// (reported).
pub fn flow(cx: &Ctxt, args: TokenStream, item: TokenStream) -> Option<Flow> {
    let item: ItemFn = match syn::parse2(item.clone()) {
        Ok(f) => f,
        Err(_) => {
            cx.error_spanned_by(item, "#[call_flow] goes on a function: `#[call_flow(name = \"…\")] fn my_flow(call: &Call) { … }`");
            return None;
        }
    };
    let args = attr::parse(cx, args);
    let mut parser = Parser::new(cx, Dialect::Flow);
    parser.scopes.push();
    let params = parser.params(&item);
    let body = parser.body(&item.block);
    Some(Flow {
        item,
        args,
        params,
        body,
    })
}

pub use helper::helper;

/// Which function the body belongs to: the values are the same language in both, the statements
/// are not (a value helper has only `let`s and its value), and messages name the place.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    /// `#[call_flow]`
    Flow,
    /// `#[value]`
    Helper,
}

/// Walks a flow body, reporting into the context and resolving names.
pub struct Parser<'a> {
    cx: &'a Ctxt,
    scopes: Scopes,
    dialect: Dialect,
}

impl<'a> Parser<'a> {
    pub fn new(cx: &'a Ctxt, dialect: Dialect) -> Parser<'a> {
        Parser {
            cx,
            scopes: Scopes::default(),
            dialect,
        }
    }

    /// "a call flow" or "a #[value] helper", for messages.
    fn place(&self) -> &'static str {
        match self.dialect {
            Dialect::Flow => "a call flow",
            Dialect::Helper => "a #[value] helper",
        }
    }

    fn err(&self, tokens: impl ToTokens, message: impl std::fmt::Display) {
        self.cx.error_spanned_by(tokens, message);
    }

    fn resolve(&self, ident: &Ident) -> Option<Binding> {
        self.scopes.resolve(ident)
    }

    /// The parameters, declared in the current scope; `_` declares nothing.
    fn params(&mut self, item: &ItemFn) -> Vec<Param> {
        let mut params = Vec::new();
        for input in &item.sig.inputs {
            let FnArg::Typed(t) = input else { continue };
            match &*t.pat {
                Pat::Ident(p) if p.by_ref.is_none() && p.subpat.is_none() => {
                    let by_ref_mut = matches!(&*t.ty, Type::Reference(r) if r.mutability.is_some());
                    let kind = match (p.mutability.is_some(), by_ref_mut) {
                        (true, _) => BindingKind::MutParam,
                        (false, true) => BindingKind::RefMutParam,
                        (false, false) => BindingKind::Param,
                    };
                    self.scopes.declare(&p.ident, kind);
                    params.push(Param {
                        ident: p.ident.clone(),
                        mutability: p.mutability,
                    });
                }
                Pat::Wild(_) => {}
                other => self.err(other, "flow parameters are plain names"),
            }
        }
        params
    }

    /// A function body: statements, and the tail expression as the function's value.
    pub fn body(&mut self, block: &syn::Block) -> Block {
        self.stmts(&block.stmts, true)
    }

    fn block(&mut self, block: &syn::Block) -> Block {
        self.stmts(&block.stmts, false)
    }

    fn stmts(&mut self, stmts: &[syn::Stmt], value_tail: bool) -> Block {
        self.scopes.push();
        let mut out = Vec::new();
        for (i, s) in stmts.iter().enumerate() {
            let last = i + 1 == stmts.len();
            out.push(match s {
                syn::Stmt::Expr(e, None) if last && value_tail && !is_control(e) => Stmt {
                    span: e.span(),
                    kind: StmtKind::Tail(self.value(e)),
                },
                _ => self.stmt(s),
            });
        }
        self.scopes.pop();
        Block { stmts: out }
    }

    fn stmt(&mut self, s: &syn::Stmt) -> Stmt {
        match s {
            syn::Stmt::Local(l) => Stmt {
                span: l.span(),
                kind: self.local(l),
            },
            syn::Stmt::Expr(e, _) => self.stmt_expr(e),
            syn::Stmt::Item(syn::Item::Use(u)) => Stmt {
                span: u.span(),
                kind: StmtKind::Use(u.clone()),
            },
            syn::Stmt::Item(item) => {
                self.err(item, format!("items (fn, struct, impl…) cannot be declared inside {}: move them outside the function", self.place()));
                invalid(item.span())
            }
            syn::Stmt::Macro(m) => self.stmt_expr(&Expr::Macro(syn::ExprMacro {
                attrs: m.attrs.clone(),
                mac: m.mac.clone(),
            })),
        }
    }

    fn local(&mut self, l: &syn::Local) -> StmtKind {
        let Some(init) = &l.init else {
            self.err(
                l,
                "a flow variable needs a value: write `let name = …;` (or `let mut name = …;`)",
            );
            return StmtKind::Invalid;
        };
        if let Some((_, diverge)) = &init.diverge {
            let message = match self.dialect {
                Dialect::Flow => "`let … else` is not supported in a call flow: use `match` or `if let`",
                Dialect::Helper => "`let … else` is not supported in a #[value] helper: use `if`/`match` as a value",
            };
            self.err(diverge, message);
            return StmtKind::Invalid;
        }
        let (ident, mutable) = match &l.pat {
            Pat::Ident(pi) if pi.by_ref.is_none() && pi.subpat.is_none() => {
                (pi.ident.clone(), pi.mutability.is_some())
            }
            Pat::Wild(_) => return StmtKind::LetWild(self.value(&init.expr)),
            Pat::Type(t) => {
                self.err(
                    &t.ty,
                    format!(
                        "type annotations are not used in {}: write `let name = …;`",
                        self.place()
                    ),
                );
                return StmtKind::Invalid;
            }
            other => {
                self.err(other, format!("destructuring is not supported in {}: bind one name, then use its fields (`let r = …; r.digits`)", self.place()));
                return StmtKind::Invalid;
            }
        };
        if let Expr::Match(m) = &*init.expr {
            if pattern::is_step_match(m) && self.dialect == Dialect::Flow {
                self.err(m, "a `match` on a step's `Ok`/`Err` is a statement: declare `let mut` variables before it and assign them in the arms");
                return StmtKind::Invalid;
            }
        }
        let value = self.value(&init.expr);
        let kind = if mutable {
            BindingKind::LetMut
        } else {
            BindingKind::Let
        };
        self.scopes.declare(&ident, kind);
        StmtKind::Let {
            ident,
            mutable,
            value,
        }
    }

    fn stmt_expr(&mut self, e: &Expr) -> Stmt {
        let span = e.span();
        let kind = match e {
            Expr::If(i) => match self.if_(i) {
                Some(i) => StmtKind::If(i),
                None => StmtKind::Invalid,
            },
            Expr::Match(m) => self.match_stmt(m),
            Expr::Loop(l) => {
                if let Some(label) = &l.label {
                    self.err(label, "loop labels are not supported in a call flow: `break`/`continue` apply to the innermost loop");
                    return invalid(span);
                }
                StmtKind::Loop(self.block(&l.body))
            }
            Expr::While(w) => {
                if let Some(label) = &w.label {
                    self.err(label, "loop labels are not supported in a call flow");
                    return invalid(span);
                }
                if let Expr::Let(l) = &*w.cond {
                    self.err(l, "`while let` is not supported in a call flow: use `loop` with `match` and `break`");
                    return invalid(span);
                }
                let cond = self.value(&w.cond);
                StmtKind::While {
                    cond,
                    body: self.block(&w.body),
                }
            }
            Expr::ForLoop(f) => {
                self.err(
                    f.for_token,
                    "`for` loops are not supported in a call flow: use `loop` or `while` with a `let mut` counter",
                );
                StmtKind::Invalid
            }
            Expr::Break(b) => {
                if let Some(l) = &b.label {
                    self.err(l, "labelled `break` is not supported in a call flow");
                    return invalid(span);
                }
                if let Some(v) = &b.expr {
                    self.err(v, "`break` with a value is not supported in a call flow: assign a `let mut` variable, then `break`");
                    return invalid(span);
                }
                StmtKind::Break
            }
            Expr::Continue(c) => {
                if let Some(l) = &c.label {
                    self.err(l, "labelled `continue` is not supported in a call flow");
                    return invalid(span);
                }
                StmtKind::Continue
            }
            Expr::Return(r) => {
                if let Some(v) = &r.expr {
                    self.err(v, "`return` with a value is not supported in a call flow: return a value as the function's last expression");
                    return invalid(span);
                }
                StmtKind::Return
            }
            Expr::Block(b) if b.label.is_none() => StmtKind::Block(self.block(&b.block)),
            Expr::Assign(a) => {
                let target = self.value(&a.left);
                StmtKind::Assign {
                    target,
                    target_tokens: a.left.to_token_stream(),
                    op: None,
                    value: self.value(&a.right),
                }
            }
            Expr::Binary(b) if compound_op(&b.op).is_some() => {
                let op = compound_op(&b.op).map(|op| Ident::new(op, b.op.span()));
                let target = self.value(&b.left);
                StmtKind::Assign {
                    target,
                    target_tokens: b.left.to_token_stream(),
                    op,
                    value: self.value(&b.right),
                }
            }
            Expr::Macro(m) if m.mac.path.is_ident("parallel") => self.parallel(m),
            _ => match self.value(e) {
                Value::Invalid => StmtKind::Invalid,
                v => StmtKind::Value(v),
            },
        };
        Stmt { span, kind }
    }

    fn parallel(&mut self, m: &syn::ExprMacro) -> StmtKind {
        use syn::parse::Parser as _;
        let parser = syn::punctuated::Punctuated::<syn::Block, syn::Token![,]>::parse_terminated;
        let branches = match parser.parse2(m.mac.tokens.clone()) {
            Ok(b) => b,
            Err(e) => {
                self.err(
                    &m.mac,
                    format!("parallel! takes blocks: parallel!({{ … }}, {{ … }}) ({e})"),
                );
                return StmtKind::Invalid;
            }
        };
        if branches.len() < 2 {
            self.err(
                &m.mac,
                "parallel! needs at least two blocks: parallel!({ … }, { … })",
            );
            return StmtKind::Invalid;
        }
        StmtKind::Parallel(branches.iter().map(|b| self.block(b)).collect())
    }

    /// `if` as a statement; `None` when its `if let` pattern is refused (the branches are still
    /// read, so their mistakes are reported too).
    fn if_(&mut self, i: &syn::ExprIf) -> Option<If> {
        let (cond, then) = match &*i.cond {
            Expr::Let(l) => {
                let pattern = pattern::step_pattern(&l.pat);
                if pattern.is_none() {
                    self.err(&l.pat, "`if let` in a call flow takes `Ok(x)` or `Err(e)` of a step: `if let Ok(r) = speak_and_get_digits(…) { … }`");
                }
                let step = self.value(&l.expr);
                let bind = pattern.as_ref().and_then(|(_, b)| b.clone());
                let then = self.with_result(bind.as_ref(), |p| p.block(&i.then_branch));
                let cond = pattern.map(|(ok, bind)| Cond::Let { ok, bind, step });
                (cond, then)
            }
            c => {
                let cond = Some(Cond::Value(self.value(c)));
                (cond, self.block(&i.then_branch))
            }
        };
        let els = match &i.else_branch {
            None => Some(Else::None),
            Some((_, e)) => match &**e {
                Expr::If(ei) => self.if_(ei).map(|ei| Else::If(Box::new(ei))),
                Expr::Block(b) => Some(Else::Block(self.block(&b.block))),
                // syn parses only `else if` and `else { … }`.
                other => Some(Else::Block(Block {
                    stmts: vec![self.stmt_expr(other)],
                })),
            },
        };
        Some(If {
            span: i.span(),
            cond: cond?,
            then,
            els: els?,
        })
    }

    /// Runs `f` in a scope where `bind` (a step's result or failure) is declared.
    fn with_result<T>(&mut self, bind: Option<&Ident>, f: impl FnOnce(&mut Self) -> T) -> T {
        self.scopes.push();
        if let Some(b) = bind {
            self.scopes.declare(b, BindingKind::Result);
        }
        let out = f(self);
        self.scopes.pop();
        out
    }

    fn arm_body(&mut self, body: &Expr) -> Block {
        match body {
            Expr::Block(b) if b.label.is_none() => self.block(&b.block),
            other => Block {
                stmts: vec![self.stmt_expr(other)],
            },
        }
    }

    fn match_stmt(&mut self, m: &syn::ExprMatch) -> StmtKind {
        for arm in &m.arms {
            if let Some((_, g)) = &arm.guard {
                self.err(
                    g,
                    "match guards are not supported in a call flow: put an `if` inside the arm",
                );
            }
        }
        if pattern::is_step_match(m) {
            let step = self.value(&m.expr);
            let arms = m
                .arms
                .iter()
                .map(|arm| {
                    let pat = pattern::step_arm(&arm.pat);
                    let bind = match &pat {
                        StepPat::Ok(b) | StepPat::Err(b) | StepPat::HangupKeep(b) => b.clone(),
                        StepPat::Hangup | StepPat::Other => None,
                    };
                    let body = self.with_result(bind.as_ref(), |p| p.arm_body(&arm.body));
                    StepArm {
                        pat_span: arm.pat.span(),
                        pat_tokens: arm.pat.to_token_stream(),
                        pat,
                        body,
                    }
                })
                .collect();
            return StmtKind::StepMatch(StepMatch {
                span: m.span(),
                tokens: m.to_token_stream(),
                step,
                arms,
            });
        }
        let subject = self.value(&m.expr);
        let arms = m
            .arms
            .iter()
            .map(|arm| {
                let pat = match &arm.pat {
                    Pat::Wild(_) => ArmPat::Wild,
                    p => ArmPat::Lits(self.literal_patterns(p)),
                };
                MatchArm {
                    pat_span: arm.pat.span(),
                    pat_tokens: arm.pat.to_token_stream(),
                    pat,
                    body: self.arm_body(&arm.body),
                }
            })
            .collect();
        StmtKind::Match(Match {
            span: m.span(),
            tokens: m.to_token_stream(),
            subject,
            arms,
        })
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
                self.err(i, format!("`{}` would bind the value: match patterns in {} are literals (\"1\", 2, true) or `_`", i.ident, self.place()));
                vec![]
            }
            other => {
                self.err(other, format!("match patterns in {} are literals (\"1\", 2, true), alternatives with `|`, or `_`", self.place()));
                vec![]
            }
        }
    }
}

fn invalid(span: proc_macro2::Span) -> Stmt {
    Stmt {
        span,
        kind: StmtKind::Invalid,
    }
}

/// Expressions that are statements even in tail position.
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

/// The `ops::` function of a compound assignment (`+=` → `add`).
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

#[cfg(test)]
mod helper_tests;
#[cfg(test)]
mod tests;
