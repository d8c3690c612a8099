//! Flows built directly as IR, as `#[call_flow]` would build them, for the compiler's tests:
//! every statement at a line of [`FILE`], in a flow named [`FLOW`].

use switchboard::ir::{Action, Block, Expr, Flow, Handler, Loc, ResultShape, Stmt, StmtKind, Tree};

/// The Rust file every statement claims to come from.
pub const FILE: &str = "workflows/src/flows/probe.rs";
/// The flow's name, as diagnostics show it.
pub const FLOW: &str = "probe";

pub fn at(line: u32) -> Loc {
    Loc {
        file: FILE,
        line,
        column: 5,
    }
}

pub fn s(line: u32, kind: StmtKind) -> Stmt {
    Stmt {
        loc: at(line),
        kind,
    }
}

/// A PSTN audio action with `params`, named `summary`, that waits at most 10 s.
pub fn action(line: u32, kind: &'static str, params: Vec<(&str, Tree)>, summary: &str) -> Stmt {
    s(
        line,
        StmtKind::Action {
            action: Action {
                kind,
                params: Tree::Object(params.into_iter().map(|(k, v)| (k.into(), v)).collect()),
                summary: summary.into(),
                label: None,
                max_seconds: 10,
                result: ResultShape::None,
                origins: Default::default(),
            },
            bind: None,
        },
    )
}

/// `$call.CallId`, the caller's leg.
pub fn call_id() -> Tree {
    Tree::Leaf(Expr::var("call").field("CallId"))
}

/// `speak(text)` to the caller.
pub fn speak(line: u32, text: &str) -> Stmt {
    let params = vec![("CallId", call_id()), ("Text", Tree::lit(text))];
    action(line, "Speak", params, &format!("Speak {text}"))
}

/// The flow [`FLOW`] with `body`, whose error handler binds `error` and does nothing more.
pub fn flow(body: Block) -> Flow {
    Flow {
        name: FLOW.into(),
        loc: at(1),
        doc: String::new(),
        body,
        on_error: Handler {
            bind: Some("error".into()),
            body: vec![],
        },
        on_no_input: None,
        errors: vec![],
    }
}
