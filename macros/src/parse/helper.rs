//! A `#[value]` helper's body: `let` bindings, then the value it computes. The values are read
//! by the flow's own [`Parser::value`]; what would be a statement of a flow (a step run for its
//! effect, control flow, an assignment) needs states, so it is refused here with the advice to
//! use `#[call_flow]`.

use super::{Dialect, Parser};
use crate::ast::{Helper, HelperStmt, StmtKind, Value};
use crate::ctxt::Ctxt;
use proc_macro2::TokenStream;
use quote::quote;
use syn::{Expr, ItemFn, Pat};

/// An assignment in a value helper.
pub const ASSIGNMENT: &str = "assignment changes a flow variable, which needs a #[call_flow] function: a #[value] helper only computes a value (bind each part with `let`)";

/// A loop, `break`, `continue` or `return` in a value helper.
pub const CONTROL: &str = "loops, `break`, `continue` and `return` need a flow's states: a #[value] helper computes one value, its last expression; make the function #[call_flow] (or keep a Rust loop over configuration in a plain `fn` that calls the helper)";

/// A statement run for its effect in a value helper.
const EFFECT: &str = "this runs for its effect, which needs a #[call_flow] function: a #[value] helper only computes a value; bind values with `let` and end with the value (no `;`)";

/// An `if`/`match` statement in a value helper.
const BRANCHES: &str = "this is a statement whose branches run for their effect, which needs a #[call_flow] function: in a #[value] helper `if` and `match` are values, `if c { a } else { b }` as the last expression or as a `let`'s value";

/// Parses the attribute's arguments (none) and the function. `None` when the item is not a
/// function (reported).
pub fn helper(cx: &Ctxt, args: TokenStream, item: TokenStream) -> Option<Helper> {
    if !args.is_empty() {
        cx.error_spanned_by(
            args,
            "#[value] takes no arguments: `#[value] fn f(x: Val) -> Val { … }`",
        );
    }
    let item: ItemFn = match syn::parse2(item.clone()) {
        Ok(f) => f,
        Err(_) => {
            cx.error_spanned_by(
                item,
                "#[value] goes on a function: `#[value] fn dialable(digits: Val) -> Val { … }`",
            );
            return None;
        }
    };
    let mut parser = Parser::new(cx, Dialect::Helper);
    parser.scopes.push();
    let params = parser.params(&item);
    parser.scopes.push();
    let (stmts, value) = parser.helper_body(&item.block);
    Some(Helper {
        item,
        params,
        stmts,
        value,
    })
}

impl Parser<'_> {
    fn helper_body(&mut self, block: &syn::Block) -> (Vec<HelperStmt>, Value) {
        let mut stmts = Vec::new();
        let mut value = None;
        let count = block.stmts.len();
        for (i, s) in block.stmts.iter().enumerate() {
            let last = i + 1 == count;
            match s {
                syn::Stmt::Local(l) => {
                    if let Some(s) = self.helper_let(l) {
                        stmts.push(s);
                    }
                }
                syn::Stmt::Item(syn::Item::Use(u)) => stmts.push(HelperStmt::Use(u.clone())),
                syn::Stmt::Item(item) => self.err(item, "items (fn, struct, impl…) cannot be declared inside a #[value] helper: move them outside the function"),
                syn::Stmt::Expr(e, None) if last => value = self.helper_value(e),
                syn::Stmt::Expr(e, _) => self.refuse_statement(e),
                syn::Stmt::Macro(m) => self.refuse_statement(&Expr::Macro(syn::ExprMacro {
                    attrs: m.attrs.clone(),
                    mac: m.mac.clone(),
                })),
            }
        }
        let value = value.unwrap_or_else(|| {
            // A last statement with a `;` was refused above, with the same advice.
            if !matches!(
                block.stmts.last(),
                Some(syn::Stmt::Expr(..) | syn::Stmt::Macro(_))
            ) {
                let close = block.brace_token.span.close();
                self.cx.error_at(
                    close,
                    "a #[value] helper ends with the value it computes: write it last, without `;`",
                );
            }
            Value::Invalid
        });
        (stmts, value)
    }

    /// `let name = value;`: a plain Rust binding of a value.
    fn helper_let(&mut self, l: &syn::Local) -> Option<HelperStmt> {
        match self.local(l) {
            StmtKind::Let {
                ident,
                mutable: false,
                value,
            } => Some(HelperStmt::Let { ident, value }),
            StmtKind::Let { mutable: true, .. } => {
                let mutability = match &l.pat {
                    Pat::Ident(p) => p.mutability.map(|m| quote!(#m)),
                    _ => None,
                };
                self.err(
                    mutability.unwrap_or_else(|| quote!(#l)),
                    "`let mut` makes a flow variable, which changes in a flow's states: a #[value] helper only computes a value; bind each part with `let`, or make the function #[call_flow]",
                );
                None
            }
            StmtKind::LetWild(_) => {
                self.err(l, "`let _ = …` runs something for its effect, which needs a #[call_flow] function: a #[value] helper only computes a value");
                None
            }
            // Refused by `local` (reported).
            _ => None,
        }
    }

    /// The helper's last expression: `if`/`match` are values here, as in a flow's `let`.
    fn helper_value(&mut self, e: &Expr) -> Option<Value> {
        if statement_only(e) {
            self.refuse_statement(e);
            return None;
        }
        Some(self.value(e))
    }

    fn refuse_statement(&mut self, e: &Expr) {
        let message = match e {
            Expr::If(_) | Expr::Match(_) => BRANCHES,
            Expr::Loop(_)
            | Expr::While(_)
            | Expr::ForLoop(_)
            | Expr::Break(_)
            | Expr::Continue(_)
            | Expr::Return(_) => CONTROL,
            Expr::Assign(_) => ASSIGNMENT,
            Expr::Binary(b) if super::compound_op(&b.op).is_some() => ASSIGNMENT,
            Expr::Macro(m) if m.mac.path.is_ident("parallel") => "parallel! runs steps, which a #[value] helper cannot do: it only computes a value; make the function #[call_flow]",
            _ => EFFECT,
        };
        self.err(e, message);
    }
}

/// Expressions that can only be statements: in a helper's last place they are refused as such.
fn statement_only(e: &Expr) -> bool {
    matches!(
        e,
        Expr::Loop(_)
            | Expr::While(_)
            | Expr::ForLoop(_)
            | Expr::Break(_)
            | Expr::Continue(_)
            | Expr::Return(_)
            | Expr::Assign(_)
    ) || matches!(e, Expr::Binary(b) if super::compound_op(&b.op).is_some())
        || matches!(e, Expr::Macro(m) if m.mac.path.is_ident("parallel"))
}
