//! The build context: the blocks being filled, the arena of runtime values, variable names and
//! build errors of the flow being built on this thread.
//!
//! Flow functions are ordinary Rust functions whose bodies `#[call_flow]` rewrote into calls that
//! push IR statements here. A sub-flow call is therefore an ordinary call: its statements land in
//! the caller's current block (inlining), parameterised by ordinary Rust values.

use crate::ir::{Block, BuildError, Expr, Kind, Loc, Stmt, StmtKind};
use std::cell::RefCell;
use std::collections::HashMap;

/// Variable names the compiler itself uses; user variables never take them.
pub const RESERVED_VARS: &[&str] = &["call", "queue_url", "error", "states"];

/// JSONata's built-in functions and Step Functions' additions: a variable `$now` would hide
/// `$now()` (variables and functions share one namespace), so user variables avoid these names.
/// <https://docs.jsonata.org/overview>, <https://docs.aws.amazon.com/step-functions/latest/dg/transforming-data.html>
pub const JSONATA_FUNCTIONS: &[&str] = &[
    "abs",
    "append",
    "assert",
    "average",
    "base64decode",
    "base64encode",
    "boolean",
    "ceil",
    "clone",
    "contains",
    "count",
    "decodeUrl",
    "decodeUrlComponent",
    "distinct",
    "each",
    "encodeUrl",
    "encodeUrlComponent",
    "error",
    "eval",
    "exists",
    "filter",
    "floor",
    "formatBase",
    "formatInteger",
    "formatNumber",
    "fromMillis",
    "hash",
    "join",
    "keys",
    "length",
    "lookup",
    "lowercase",
    "map",
    "match",
    "max",
    "merge",
    "millis",
    "min",
    "not",
    "now",
    "number",
    "pad",
    "parse",
    "parseInteger",
    "partition",
    "power",
    "random",
    "range",
    "reduce",
    "replace",
    "reverse",
    "round",
    "shuffle",
    "sift",
    "single",
    "sort",
    "split",
    "spread",
    "sqrt",
    "string",
    "substring",
    "substringAfter",
    "substringBefore",
    "sum",
    "toMillis",
    "trim",
    "type",
    "uppercase",
    "uuid",
    "zip",
];

#[derive(Default)]
pub(crate) struct Ctx {
    blocks: Vec<Block>,
    vals: Vec<(Expr, Kind)>,
    names: HashMap<String, u32>,
    pub(crate) errors: Vec<BuildError>,
    loop_depth: u32,
}

thread_local! {
    static CTX: RefCell<Option<Ctx>> = const { RefCell::new(None) };
}

fn with<R>(f: impl FnOnce(&mut Ctx) -> R) -> R {
    CTX.with(|c| {
        let mut c = c.borrow_mut();
        let ctx = c.as_mut().expect(
            "a #[call_flow] function was called outside a flow build: flow functions only build \
             IR, call them through `CallFlow::build` (as the `compile` command does)",
        );
        f(ctx)
    })
}

/// Runs `f` in a fresh build context and returns its top-level block, its result and the errors.
pub(crate) fn build<R>(f: impl FnOnce() -> R) -> (Block, R, Vec<BuildError>) {
    let previous = CTX.with(|c| c.borrow_mut().replace(Ctx::default()));
    with(|c| c.blocks.push(Vec::new()));
    let out = f();
    let ctx = CTX
        .with(|c| std::mem::replace(&mut *c.borrow_mut(), previous))
        .unwrap_or_default();
    let Ctx {
        mut blocks, errors, ..
    } = ctx;
    (blocks.pop().unwrap_or_default(), out, errors)
}

pub(crate) fn push(loc: Loc, kind: StmtKind) {
    with(|c| {
        if let Some(b) = c.blocks.last_mut() {
            b.push(Stmt { loc, kind });
        }
    })
}

/// Runs `f` collecting the statements it pushes into a new block.
pub(crate) fn capture<R>(f: impl FnOnce() -> R) -> (Block, R) {
    with(|c| c.blocks.push(Vec::new()));
    let r = f();
    let b = with(|c| c.blocks.pop().unwrap_or_default());
    (b, r)
}

/// Opens a block that collects the statements pushed from now on, when a flow is being built
/// (`false`, and nothing opened, otherwise); [`close_block`] takes it.
pub(crate) fn open_block() -> bool {
    CTX.with(|c| match c.try_borrow_mut() {
        Ok(mut c) => match c.as_mut() {
            Some(ctx) => {
                ctx.blocks.push(Vec::new());
                true
            }
            None => false,
        },
        Err(_) => false,
    })
}

/// The block [`open_block`] opened, with what was pushed into it.
pub(crate) fn close_block() -> Block {
    with(|c| c.blocks.pop().unwrap_or_default())
}

/// Like [`capture`], counting the block as a loop body (for `break`/`continue` checks).
pub(crate) fn capture_loop<R>(f: impl FnOnce() -> R) -> (Block, R) {
    with(|c| c.loop_depth += 1);
    let out = capture(f);
    with(|c| c.loop_depth -= 1);
    out
}

pub(crate) fn in_loop() -> bool {
    with(|c| c.loop_depth > 0)
}

pub(crate) fn error(loc: Loc, message: impl Into<String>) {
    let message = message.into();
    with(|c| c.errors.push(BuildError { loc, message }))
}

/// Records an error when a flow is being built; does nothing otherwise (a value dropped outside
/// a build, or while the context is busy, has no flow to blame).
pub(crate) fn error_if_building(loc: Loc, message: impl Into<String>) {
    if std::thread::panicking() {
        return;
    }
    CTX.with(|c| {
        if let Ok(mut c) = c.try_borrow_mut() {
            if let Some(ctx) = c.as_mut() {
                ctx.errors.push(BuildError {
                    loc,
                    message: message.into(),
                });
            }
        }
    })
}

pub(crate) fn intern(e: Expr, k: Kind) -> u32 {
    with(|c| {
        c.vals.push((e, k));
        (c.vals.len() - 1) as u32
    })
}

pub(crate) fn lookup(id: u32) -> (Expr, Kind) {
    with(|c| c.vals[id as usize].clone())
}

pub(crate) fn kind_of(id: u32) -> Kind {
    with(|c| c.vals[id as usize].1)
}

/// A fresh variable name derived from a Rust identifier: `choice`, `choice_2`, …
///
/// Every `let` gets its own variable, so an inlined sub-flow can never clobber its caller's.
pub(crate) fn fresh_var(base: &str) -> String {
    let base = sanitize(base);
    with(|c| {
        let n = c.names.entry(base.clone()).or_insert(0);
        *n += 1;
        let taken =
            RESERVED_VARS.contains(&base.as_str()) || JSONATA_FUNCTIONS.contains(&base.as_str());
        match (*n, taken) {
            (1, false) => base,
            (n, _) => format!("{base}_{n}"),
        }
    })
}

fn sanitize(s: &str) -> String {
    let s = s.trim_start_matches("r#");
    let mut out: String = s
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    if out.is_empty() || out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, 'v');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variables_never_hide_jsonata_functions_or_compiler_variables() {
        let (_, names, _) = build(|| {
            [
                fresh_var("now"),
                fresh_var("choice"),
                fresh_var("choice"),
                fresh_var("call"),
                fresh_var("r#type"),
            ]
        });
        assert_eq!(names, ["now_1", "choice", "choice_2", "call_1", "type_1"]);
    }
}
