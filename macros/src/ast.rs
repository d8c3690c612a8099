//! The flow AST: what [`crate::parse`] makes of a `#[call_flow]` function (or a `#[value]`
//! helper), what [`crate::check`] validates and what [`crate::expand`] turns into builder calls.
//!
//! It holds only the constructs the flow language supports (statements, `let`, `if`/`else`,
//! `match` with its arm kinds, loops, `break`/`continue`/`return`, `parallel!`, assignments and
//! value expressions). Names are resolved while parsing: each use of a flow variable or parameter
//! knows how it was declared, which is what the `mut` rules and the expansion of `&mut`
//! parameters need. Spans are the user's, so every later error points at what they wrote.

use crate::attr::Args;
use crate::parse::format::Piece;
use proc_macro2::{Span, TokenStream};
use syn::{Ident, ItemFn};

/// A `#[call_flow]` function.
pub struct Flow {
    /// The function as written: its signature, attributes and visibility are kept.
    pub item: ItemFn,
    /// The attribute's arguments; `None` when they were wrong (already reported).
    pub args: Option<Args>,
    pub params: Vec<Param>,
    pub body: Block,
}

impl Flow {
    /// An entry flow (`#[call_flow(name = "…")]`), compiled to its own state machine.
    pub fn is_entry(&self) -> bool {
        self.args.as_ref().is_some_and(|a| a.name.is_some())
    }
}

/// A `#[value]` helper: a plain function computing one value from others. Its body is `let`
/// bindings (plain Rust ones: the value is used where the name is, no flow variable is made)
/// and the value it computes; the values are the flow language's.
pub struct Helper {
    /// The function as written: its signature, attributes and visibility are kept.
    pub item: ItemFn,
    pub params: Vec<Param>,
    pub stmts: Vec<HelperStmt>,
    /// The value it computes, its last expression (`Invalid` when missing: reported).
    pub value: Value,
}

pub enum HelperStmt {
    /// `let name = value;`
    Let {
        ident: Ident,
        value: Value,
    },
    Use(syn::ItemUse),
}

/// A parameter declared as a plain name (other patterns are refused while parsing).
pub struct Param {
    pub ident: Ident,
    /// `mut x: …`: refused, see [`BindingKind::MutParam`].
    pub mutability: Option<syn::Token![mut]>,
}

/// How a name used in a flow body was declared.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BindingKind {
    /// `let x = …;`: assigning it is refused.
    Let,
    /// `let mut x = …;`: a flow variable; it may be assigned and passed on as `&mut x`.
    LetMut,
    /// `x: T`: the caller's value, read where it is used; assigning it is refused.
    Param,
    /// `mut x: T`: refused (a `mut` parameter would look like a local copy while assigning it
    /// changes the caller's variable); uses are not reported again.
    MutParam,
    /// `x: &mut T`: the caller's variable, assigned with `*x = …`.
    RefMutParam,
    /// `Ok(r)`, `Err(e)`, `Err(Hangup(m))`: a step's result or failure.
    Result,
}

/// A resolved name: how it was declared.
#[derive(Clone)]
pub struct Binding {
    pub kind: BindingKind,
}

pub struct Block {
    pub stmts: Vec<Stmt>,
}

/// A statement, with the span its source location (`file!()`/`line!()`) is taken from.
pub struct Stmt {
    pub span: Span,
    pub kind: StmtKind,
}

pub enum StmtKind {
    /// `let [mut] name = value;`
    Let {
        ident: Ident,
        mutable: bool,
        value: Value,
    },
    /// `let _ = value;`
    LetWild(Value),
    /// `value;`: a step or a flow-function call run for its effect.
    Value(Value),
    /// The function body's last expression, its value.
    Tail(Value),
    If(If),
    Match(Match),
    StepMatch(StepMatch),
    Loop(Block),
    While {
        cond: Value,
        body: Block,
    },
    Break,
    Continue,
    Return,
    Block(Block),
    /// `target = value;` or `target op= value;` (`op` is the `ops::` function, spanned at the
    /// operator).
    Assign {
        target: Value,
        /// The target as written, for errors.
        target_tokens: TokenStream,
        op: Option<Ident>,
        value: Value,
    },
    /// `parallel!({ … }, { … })`
    Parallel(Vec<Block>),
    Use(syn::ItemUse),
    /// Refused while parsing (the error is reported).
    Invalid,
}

/// `if cond { … } else …` or `if let Ok(x)/Err(e) = step { … } else …`.
pub struct If {
    pub span: Span,
    pub cond: Cond,
    pub then: Block,
    pub els: Else,
}

pub enum Cond {
    Value(Value),
    /// `if let Ok(bind) = step` (`ok`) or `if let Err(bind) = step`.
    Let {
        ok: bool,
        bind: Option<Ident>,
        step: Value,
    },
}

pub enum Else {
    None,
    If(Box<If>),
    Block(Block),
}

/// `match value { "1" | "2" => …, _ => … }`.
pub struct Match {
    pub span: Span,
    /// The whole `match`, for errors about it.
    pub tokens: TokenStream,
    pub subject: Value,
    pub arms: Vec<MatchArm>,
}

pub struct MatchArm {
    /// The pattern's span (the arm's source location) and tokens (for errors).
    pub pat_span: Span,
    pub pat_tokens: TokenStream,
    pub pat: ArmPat,
    pub body: Block,
}

pub enum ArmPat {
    Wild,
    /// Literal patterns (alternatives of `|`), as written.
    Lits(Vec<TokenStream>),
}

/// `match step { Ok(x) => …, Err(Hangup) => …, Err(e) => … }`.
pub struct StepMatch {
    pub span: Span,
    pub tokens: TokenStream,
    pub step: Value,
    pub arms: Vec<StepArm>,
}

pub struct StepArm {
    pub pat_span: Span,
    pub pat_tokens: TokenStream,
    pub pat: StepPat,
    pub body: Block,
}

pub enum StepPat {
    Ok(Option<Ident>),
    Err(Option<Ident>),
    /// `Err(Hangup)`
    Hangup,
    /// `Err(Hangup(m))` / `Err(Hangup(_))`: receives what the caller left.
    HangupKeep(Option<Ident>),
    /// Anything else (reported by `check`).
    Other,
}

/// An expression in value position.
pub enum Value {
    /// `l op r`; `op` is the `ops::` function, spanned at the operator.
    Binary {
        op: Ident,
        left: Box<Value>,
        right: Box<Value>,
    },
    Unary {
        op: UnOp,
        /// The operator's span (the start of the expression).
        span: Span,
        operand: Box<Value>,
    },
    Paren(Box<Value>),
    If(Box<ValueIf>),
    Match(Box<ValueMatch>),
    Format {
        pieces: Vec<Piece>,
        args: Vec<Value>,
    },
    Json(Json),
    MethodCall {
        receiver: Box<Value>,
        method: Ident,
        turbofish: Option<syn::AngleBracketedGenericArguments>,
        args: Vec<Value>,
    },
    /// `func(args)`; the callee is kept as written.
    Call {
        func: syn::Expr,
        args: Vec<Value>,
    },
    Field {
        base: Box<Value>,
        member: syn::Member,
    },
    Reference {
        /// The whole `&…`, for errors.
        tokens: TokenStream,
        mutability: Option<syn::Token![mut]>,
        inner: Box<Value>,
    },
    /// `step?`, with the `?`'s span.
    Try {
        inner: Box<Value>,
        question: Span,
    },
    Cast {
        inner: Box<Value>,
        ty: Box<syn::Type>,
    },
    Index {
        base: Box<Value>,
        index: Box<Value>,
    },
    Tuple(Vec<Value>),
    Array(Vec<Value>),
    /// A single identifier; `binding` when it names a variable or parameter of the flow.
    Name {
        ident: Ident,
        binding: Option<Binding>,
    },
    /// Literals, other paths, ranges, struct literals, `[x; n]`: kept as written.
    Verbatim(syn::Expr),
    /// Refused while parsing (the error is reported).
    Invalid,
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum UnOp {
    Not,
    Neg,
    Deref,
}

/// `if c { a } else { b }` as a value.
pub struct ValueIf {
    pub cond: Value,
    pub then: Value,
    pub els: Value,
}

/// `match x { "1" => a, _ => b }` as a value.
pub struct ValueMatch {
    pub tokens: TokenStream,
    pub subject: Value,
    pub arms: Vec<ValueArm>,
}

pub struct ValueArm {
    pub pat_tokens: TokenStream,
    pub pat: ArmPat,
    pub body: Value,
}

/// `json!` content: objects with string keys, arrays, and flow values as leaves.
pub enum Json {
    Object(Vec<(syn::LitStr, Json)>),
    Array(Vec<Json>),
    Value(Box<Value>),
}

/// `T` of a parameter declared `name: &T` (shared reference), as entry flows take the call and
/// their configuration.
pub fn shared_ref_target(arg: &syn::FnArg) -> Option<&syn::Type> {
    match arg {
        syn::FnArg::Typed(t) => match &*t.ty {
            syn::Type::Reference(r) if r.mutability.is_none() => Some(&r.elem),
            _ => None,
        },
        syn::FnArg::Receiver(_) => None,
    }
}
