//! The flow IR: what `#[call_flow]` functions build and the compiler lowers to ASL.
//!
//! A [`Flow`] is a tree of [`Stmt`]s. Control flow is structured (if, match, loop, try), so the
//! compiler decides where the round trips to the caller are; every node carries the Rust source
//! [`Loc`] it came from so that errors and state comments can point at it.

pub use crate::origin::{Call, Origin, Origins, Sent};
use serde_json::Value as Json;
use std::fmt;

/// A Rust source location (`file!()`, `line!()`, `column!()` of the user's tokens).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Loc {
    pub file: &'static str,
    pub line: u32,
    pub column: u32,
}

impl Loc {
    /// The location of the caller of a `#[track_caller]` function.
    #[track_caller]
    pub fn caller() -> Loc {
        let l = std::panic::Location::caller();
        Loc {
            file: l.file(),
            line: l.line(),
            column: l.column(),
        }
    }
}

impl fmt::Display for Loc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.file, self.line)
    }
}

/// The static type of a runtime value, tracked while building so that operators pick the right
/// JSONata operator (`&` for strings, `+` for numbers) and misuse is reported with its location.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    Str,
    Num,
    Bool,
    /// Any JSON value (service results, call arguments).
    Any,
}

/// An expression over call data, action results, variables and constants. Lowered to JSONata.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    /// A constant (configuration, literals, folded expressions).
    Lit(Json),
    /// A flow variable: `$name`.
    Var(String),
    /// A field of a value: `base.Field`.
    Field(Box<Expr>, String),
    /// An array element: `base[index]` (0-based, negative counts from the end).
    Index(Box<Expr>, Box<Expr>),
    /// The result of the Task that is being assigned from (`$states.result`).
    StatesResult,
    /// The error output in a Catch (`$states.errorOutput`).
    StatesError,
    /// The execution input (`$states.input`).
    StatesInput,
    Unary(UnOp, Box<Expr>),
    Binary(BinOp, Box<Expr>, Box<Expr>),
    /// A local binding: `($name := value; body)`; `body` reads it as `Var(name)`.
    Let(String, Box<Expr>, Box<Expr>),
    /// A JSONata regular expression literal: `/pattern/`.
    Regex(String),
    /// A JSONata function call: `$name(args…)` (name without the `$`).
    Call(&'static str, Vec<Expr>),
    /// `cond ? then : else`.
    Cond(Box<Expr>, Box<Expr>, Box<Expr>),
    /// An object constructor with keys in source order.
    Object(Vec<(String, Expr)>),
    Array(Vec<Expr>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum UnOp {
    Not,
    Neg,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BinOp {
    Add,
    Sub,
    Mul,
    Div,
    Rem,
    Concat,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    And,
    Or,
}

impl Expr {
    pub fn str(s: impl Into<String>) -> Expr {
        Expr::Lit(Json::String(s.into()))
    }
    pub fn var(name: impl Into<String>) -> Expr {
        Expr::Var(name.into())
    }
    pub fn field(self, name: impl Into<String>) -> Expr {
        Expr::Field(Box::new(self), name.into())
    }
    pub fn as_lit(&self) -> Option<&Json> {
        match self {
            Expr::Lit(v) => Some(v),
            _ => None,
        }
    }
    /// The expression with every read of variable `name` replaced by `with`.
    pub fn replace_var(&self, name: &str, with: &Expr) -> Expr {
        let r = |e: &Expr| Box::new(e.replace_var(name, with));
        match self {
            Expr::Var(v) if v == name => with.clone(),
            Expr::Var(_)
            | Expr::Lit(_)
            | Expr::Regex(_)
            | Expr::StatesResult
            | Expr::StatesError
            | Expr::StatesInput => self.clone(),
            // `{"digits": x}.digits` is `x`.
            Expr::Field(e, f) => match e.replace_var(name, with) {
                Expr::Object(kv) if kv.iter().any(|(k, _)| k == f) => kv
                    .into_iter()
                    .find(|(k, _)| k == f)
                    .map(|(_, v)| v)
                    .unwrap_or(Expr::Lit(serde_json::Value::Null)),
                base => Expr::Field(Box::new(base), f.clone()),
            },
            Expr::Index(a, b) => Expr::Index(r(a), r(b)),
            Expr::Unary(op, e) => Expr::Unary(*op, r(e)),
            Expr::Binary(op, a, b) => Expr::Binary(*op, r(a), r(b)),
            Expr::Call(f, args) => {
                Expr::Call(f, args.iter().map(|a| a.replace_var(name, with)).collect())
            }
            Expr::Cond(c, a, b) => Expr::Cond(r(c), r(a), r(b)),
            Expr::Object(kv) => Expr::Object(
                kv.iter()
                    .map(|(k, v)| (k.clone(), v.replace_var(name, with)))
                    .collect(),
            ),
            Expr::Array(items) => {
                Expr::Array(items.iter().map(|a| a.replace_var(name, with)).collect())
            }
            // The binding shadows `name` inside its body.
            Expr::Let(n, v, body) if n == name => Expr::Let(n.clone(), r(v), body.clone()),
            Expr::Let(n, v, body) => Expr::Let(n.clone(), r(v), r(body)),
        }
    }

    /// Calls `f` on every variable the expression reads.
    pub fn for_each_var(&self, f: &mut dyn FnMut(&str)) {
        match self {
            Expr::Var(v) => f(v),
            Expr::Lit(_)
            | Expr::Regex(_)
            | Expr::StatesResult
            | Expr::StatesError
            | Expr::StatesInput => {}
            Expr::Field(e, _) | Expr::Unary(_, e) => e.for_each_var(f),
            Expr::Binary(_, a, b) | Expr::Index(a, b) => {
                a.for_each_var(f);
                b.for_each_var(f);
            }
            Expr::Call(_, args) | Expr::Array(args) => args.iter().for_each(|a| a.for_each_var(f)),
            Expr::Cond(c, a, b) => {
                c.for_each_var(f);
                a.for_each_var(f);
                b.for_each_var(f);
            }
            Expr::Let(name, value, body) => {
                value.for_each_var(f);
                body.for_each_var(&mut |v| {
                    if v != name {
                        f(v)
                    }
                });
            }
            Expr::Object(kv) => kv.iter().for_each(|(_, e)| e.for_each_var(f)),
        }
    }
}

/// A JSON document whose leaves may be runtime expressions: action parameters and service
/// arguments. Constant leaves stay JSON; runtime leaves become `{% … %}` strings.
#[derive(Debug, Clone, PartialEq)]
pub enum Tree {
    Leaf(Expr),
    Object(Vec<(String, Tree)>),
    Array(Vec<Tree>),
}

impl Tree {
    pub fn lit(v: impl Into<Json>) -> Tree {
        Tree::Leaf(Expr::Lit(v.into()))
    }
    /// Looks up a key of an object tree.
    pub fn get(&self, key: &str) -> Option<&Tree> {
        match self {
            Tree::Object(kv) => kv.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }
    /// The tree as constant JSON, if no leaf is a runtime expression.
    pub fn as_const(&self) -> Option<Json> {
        Some(match self {
            Tree::Leaf(Expr::Lit(v)) => v.clone(),
            Tree::Leaf(_) => return None,
            Tree::Object(kv) => {
                let mut m = serde_json::Map::new();
                for (k, v) in kv {
                    m.insert(k.clone(), v.as_const()?);
                }
                Json::Object(m)
            }
            Tree::Array(items) => {
                Json::Array(items.iter().map(Tree::as_const).collect::<Option<_>>()?)
            }
        })
    }
    pub fn for_each_var(&self, f: &mut dyn FnMut(&str)) {
        match self {
            Tree::Leaf(e) => e.for_each_var(f),
            Tree::Object(kv) => kv.iter().for_each(|(_, t)| t.for_each_var(f)),
            Tree::Array(items) => items.iter().for_each(|t| t.for_each_var(f)),
        }
    }
}

/// One PSTN audio action sent to the caller.
#[derive(Debug, Clone, PartialEq)]
pub struct Action {
    /// The action `Type`, e.g. `"Speak"`.
    pub kind: &'static str,
    /// The action's `Parameters`.
    pub params: Tree,
    /// A short readable summary used in state names, e.g. `Speak "Thanks for calling"`.
    pub summary: String,
    /// An explicit state label given with `.label("…")`.
    pub label: Option<String>,
    /// Upper bound of the seconds PSTN audio may take to run the action and report; the waiting
    /// Task's `TimeoutSeconds` is derived from the sum over a batch.
    pub max_seconds: u32,
    /// What the action's result exposes (how `$states.result` is normalised).
    pub result: ResultShape,
    /// The builder calls its parameters come from (paths from the action object).
    pub origins: Origins,
}

/// How an action's or service call's result is normalised into a variable.
#[derive(Debug, Clone, PartialEq)]
pub enum ResultShape {
    /// Nothing worth keeping.
    None,
    /// An object whose fields are read from the result by path, e.g.
    /// `digits ← ActionData.ReceivedDigits`.
    Fields(Vec<(&'static str, Vec<&'static str>)>),
    /// The whole result.
    Whole,
}

/// A Step Functions service integration Task (DynamoDB, Scheduler, Lambda, any AWS SDK call).
#[derive(Debug, Clone, PartialEq)]
pub struct Service {
    /// `arn:aws:states:::dynamodb:putItem`, `arn:aws:states:::aws-sdk:scheduler:createSchedule`, …
    pub resource: String,
    /// The Task's `Arguments`.
    pub args: Tree,
    pub summary: String,
    pub label: Option<String>,
    pub result: ResultShape,
    /// Seconds before Step Functions times the call out.
    pub timeout_seconds: u32,
    /// The builder calls its arguments and timeout come from (paths from the Task state).
    pub origins: Origins,
}

/// One arm of a `match`: constant patterns and the block they select.
#[derive(Debug, Clone, PartialEq)]
pub struct Arm {
    pub patterns: Vec<Json>,
    pub body: Block,
    pub loc: Loc,
}

/// A handler of a failure caught by `match`/`if let` on an action result.
#[derive(Debug, Clone, PartialEq)]
pub struct Handler {
    /// The variable the failure `{ Error, Cause }` is bound to, if the pattern names one.
    pub bind: Option<String>,
    pub body: Block,
}

pub type Block = Vec<Stmt>;

#[derive(Debug, Clone, PartialEq)]
pub struct Stmt {
    pub loc: Loc,
    pub kind: StmtKind,
}

#[derive(Debug, Clone, PartialEq)]
pub enum StmtKind {
    /// Send an action to the caller; bind its normalised result to a variable.
    Action {
        action: Action,
        bind: Option<String>,
    },
    /// Call an AWS service; bind its normalised result to a variable.
    Service {
        service: Service,
        bind: Option<String>,
    },
    /// Assign a variable.
    Assign {
        var: String,
        value: Expr,
    },
    If {
        cond: Expr,
        then: Block,
        els: Block,
    },
    Match {
        subject: Expr,
        arms: Vec<Arm>,
        default: Block,
    },
    Loop {
        body: Block,
    },
    Break,
    Continue,
    /// Leave the innermost [`StmtKind::Inline`] (the current flow function).
    Return,
    /// The body of a flow function, inlined where it is called.
    Inline {
        function: String,
        body: Block,
    },
    /// Run `step` (an action, a service call or an inlined flow); a failure inside it goes to
    /// `err`, a caller hang-up to `hangup`, else continue with `ok`.
    Try {
        step: Block,
        ok: Block,
        err: Option<Handler>,
        hangup: Option<Block>,
    },
    /// Pause the execution on a timer (no round trip to the caller).
    Wait {
        seconds: Expr,
    },
    /// Run blocks concurrently (service calls only) and wait for all.
    Parallel {
        branches: Vec<Block>,
    },
    /// End the execution as failed.
    Fail {
        error: String,
        cause: Expr,
    },
}

impl StmtKind {
    /// The blocks nested in this statement, in source order (branches, arms, loop and function
    /// bodies, a try's step and handlers, parallel branches).
    pub fn child_blocks(&self) -> Vec<&Block> {
        match self {
            StmtKind::If { then, els, .. } => vec![then, els],
            StmtKind::Match { arms, default, .. } => {
                arms.iter().map(|a| &a.body).chain([default]).collect()
            }
            StmtKind::Loop { body } | StmtKind::Inline { body, .. } => vec![body],
            StmtKind::Try {
                step,
                ok,
                err,
                hangup,
            } => [step, ok]
                .into_iter()
                .chain(err.as_ref().map(|h| &h.body))
                .chain(hangup.as_ref())
                .collect(),
            StmtKind::Parallel { branches } => branches.iter().collect(),
            _ => Vec::new(),
        }
    }
}

/// A build error found while running a flow function (a bad option value, a misuse of a value).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuildError {
    pub loc: Loc,
    pub message: String,
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.loc, self.message)
    }
}

/// A complete call flow, ready for the compiler.
#[derive(Debug, Clone, PartialEq)]
pub struct Flow {
    /// The flow's name (`#[call_flow(name = "…")]`), used for `dist/<name>.asl.json`.
    pub name: String,
    /// Where the flow function is defined.
    pub loc: Loc,
    /// One-line description (the function's doc comment).
    pub doc: String,
    pub body: Block,
    /// The error handler: runs with the failure bound to `error_var` for failures no `match`
    /// handled; the compiler ends it with a `Fail` state carrying the cause.
    pub on_error: Handler,
    /// The no-input handler: runs instead of `on_error` when the failure no `match` handled is
    /// the caller not pressing valid keys at a digit prompt (PSTN audio's `ACTION_FAILED` with
    /// `ErrorType` one of [`crate::wire::ERROR_TYPES_NO_INPUT`]). A silent caller is not a fault: the
    /// compiler ends this handler with `Succeed`. `None`: such failures go to `on_error`.
    pub on_no_input: Option<Handler>,
    /// Errors found while building; the compiler reports them with its own.
    pub errors: Vec<BuildError>,
}
