//! Runtime values and the operators over them.
//!
//! A [`Val`] is a handle (it is `Copy`) to an expression over call data, action results,
//! variables and constants. Constants fold: `cfg.name` is a string literal in the ASL, and an
//! `if` on a configuration flag picks its branch at compile time. Operators in a flow body are
//! rewritten by `#[call_flow]` into the functions of this module, so the same source works for
//! compile-time and runtime operands.

use super::ctx;
use crate::ir::{BinOp, Expr, Kind, Loc, UnOp};
use serde_json::Value as Json;

/// A runtime value in a call flow.
#[derive(Clone, Copy, Debug)]
pub struct Val {
    id: u32,
}

impl Val {
    pub fn new(expr: Expr, kind: Kind) -> Val {
        Val {
            id: ctx::intern(expr, kind),
        }
    }
    /// The expression behind the handle.
    pub fn expr(&self) -> Expr {
        ctx::lookup(self.id).0
    }
    pub fn kind(&self) -> Kind {
        ctx::kind_of(self.id)
    }
    fn lit(v: Json) -> Val {
        let kind = match &v {
            Json::String(_) => Kind::Str,
            Json::Number(_) => Kind::Num,
            Json::Bool(_) => Kind::Bool,
            _ => Kind::Any,
        };
        Val::new(Expr::Lit(v), kind)
    }
}

/// Anything usable as a value in a flow: runtime values, and compile-time constants (strings,
/// numbers, booleans, configuration fields).
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be used as a value in a call flow",
    note = "flow values are strings, numbers, booleans, `Val`s (call data, action results, variables) and references to them"
)]
pub trait ToVal {
    fn to_val(&self) -> Val;
}

impl ToVal for Val {
    fn to_val(&self) -> Val {
        *self
    }
}
impl ToVal for str {
    fn to_val(&self) -> Val {
        Val::lit(Json::String(self.to_owned()))
    }
}
impl ToVal for String {
    fn to_val(&self) -> Val {
        self.as_str().to_val()
    }
}
impl ToVal for bool {
    fn to_val(&self) -> Val {
        Val::lit(Json::Bool(*self))
    }
}
macro_rules! int_to_val {
    ($($t:ty),*) => {$(
        impl ToVal for $t {
            fn to_val(&self) -> Val { Val::lit(Json::from(*self)) }
        }
    )*};
}
int_to_val!(i8, i16, i32, i64, u8, u16, u32, u64, usize, isize);
impl ToVal for f64 {
    fn to_val(&self) -> Val {
        Val::lit(
            serde_json::Number::from_f64(*self)
                .map(Json::Number)
                .unwrap_or(Json::Null),
        )
    }
}
impl ToVal for f32 {
    fn to_val(&self) -> Val {
        f64::from(*self).to_val()
    }
}
impl<T: ToVal + ?Sized> ToVal for &T {
    fn to_val(&self) -> Val {
        (**self).to_val()
    }
}
/// A `&mut Val` parameter of a flow function reads like the value it points at.
impl<T: ToVal + ?Sized> ToVal for &mut T {
    fn to_val(&self) -> Val {
        (**self).to_val()
    }
}
impl ToVal for Json {
    fn to_val(&self) -> Val {
        Val::lit(self.clone())
    }
}

fn fold2(op: BinOp, a: &Json, b: &Json) -> Option<Json> {
    use BinOp::*;
    let num = |x: &Json| x.as_f64();
    let n = |f: f64| {
        if f.fract() == 0.0 && f.abs() < 9.0e15 {
            Some(Json::from(f as i64))
        } else {
            serde_json::Number::from_f64(f).map(Json::Number)
        }
    };
    Some(match op {
        Concat => Json::String(format!("{}{}", as_text(a)?, as_text(b)?)),
        Add => n(num(a)? + num(b)?)?,
        Sub => n(num(a)? - num(b)?)?,
        Mul => n(num(a)? * num(b)?)?,
        Div if num(b)? != 0.0 => n(num(a)? / num(b)?)?,
        Rem if num(b)? != 0.0 => n(num(a)? % num(b)?)?,
        Div | Rem => return None,
        Eq => Json::Bool(a == b || (num(a).is_some() && num(a) == num(b))),
        Ne => Json::Bool(!(a == b || (num(a).is_some() && num(a) == num(b)))),
        Lt | Le | Gt | Ge => {
            let ord = match (a, b) {
                (Json::String(x), Json::String(y)) => x.cmp(y),
                _ => num(a)?.partial_cmp(&num(b)?)?,
            };
            Json::Bool(match op {
                Lt => ord.is_lt(),
                Le => ord.is_le(),
                Gt => ord.is_gt(),
                _ => ord.is_ge(),
            })
        }
        And => Json::Bool(a.as_bool()? && b.as_bool()?),
        Or => Json::Bool(a.as_bool()? || b.as_bool()?),
    })
}

/// The text of a constant, as JSONata's `$string` gives it for strings and numbers.
fn as_text(v: &Json) -> Option<String> {
    match v {
        Json::String(s) => Some(s.clone()),
        Json::Number(n) => Some(n.to_string()),
        Json::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// A number literal compared with text is compared as text: digits a caller pressed are a
/// string, and `choice.digits == 1` should mean what it says (JSONata's `"1" = 1` is false).
pub(crate) fn text_if_compared_to_text(lit: Expr, other: Kind) -> Expr {
    match lit {
        Expr::Lit(Json::Number(n)) if other == Kind::Str => Expr::Lit(Json::String(n.to_string())),
        e => e,
    }
}

fn binary(op: BinOp, a: Val, b: Val, kind: Kind) -> Val {
    let (mut ea, mut eb) = (a.expr(), b.expr());
    if matches!(op, BinOp::Eq | BinOp::Ne) {
        ea = text_if_compared_to_text(ea, b.kind());
        eb = text_if_compared_to_text(eb, a.kind());
    }
    // Short-circuit folding: `true && x` is `x`, `false && x` is `false`.
    match (op, ea.as_lit(), eb.as_lit()) {
        (BinOp::And, Some(Json::Bool(true)), _) => return b,
        (BinOp::And, Some(Json::Bool(false)), _) => return a,
        (BinOp::Or, Some(Json::Bool(true)), _) => return a,
        (BinOp::Or, Some(Json::Bool(false)), _) => return b,
        _ => {}
    }
    if let (Some(x), Some(y)) = (ea.as_lit(), eb.as_lit()) {
        if let Some(v) = fold2(op, x, y) {
            return Val::lit(v);
        }
    }
    Val::new(Expr::Binary(op, Box::new(ea), Box::new(eb)), kind)
}

/// Operators, as `#[call_flow]` rewrites them.
pub mod ops {
    use super::*;

    /// `a + b`: string concatenation when either side is a string, else addition.
    pub fn add(a: impl ToVal, b: impl ToVal) -> Val {
        let (a, b) = (a.to_val(), b.to_val());
        if a.kind() == Kind::Str || b.kind() == Kind::Str {
            concat(a, b)
        } else {
            binary(BinOp::Add, a, b, Kind::Num)
        }
    }
    /// String concatenation (JSONata `&`), converting numbers and booleans with `$string`.
    pub fn concat(a: impl ToVal, b: impl ToVal) -> Val {
        let (a, b) = (a.to_val(), b.to_val());
        // `"" & text` is `text` (not for numbers: `&` is what turns them into text).
        let empty = |v: &Val| v.expr().as_lit() == Some(&Json::String(String::new()));
        match (empty(&a), empty(&b)) {
            (true, _) if b.kind() == Kind::Str => b,
            (_, true) if a.kind() == Kind::Str => a,
            _ => binary(BinOp::Concat, a, b, Kind::Str),
        }
    }
    pub fn sub(a: impl ToVal, b: impl ToVal) -> Val {
        binary(BinOp::Sub, a.to_val(), b.to_val(), Kind::Num)
    }
    pub fn mul(a: impl ToVal, b: impl ToVal) -> Val {
        binary(BinOp::Mul, a.to_val(), b.to_val(), Kind::Num)
    }
    pub fn div(a: impl ToVal, b: impl ToVal) -> Val {
        binary(BinOp::Div, a.to_val(), b.to_val(), Kind::Num)
    }
    pub fn rem(a: impl ToVal, b: impl ToVal) -> Val {
        binary(BinOp::Rem, a.to_val(), b.to_val(), Kind::Num)
    }
    pub fn eq(a: impl ToVal, b: impl ToVal) -> Val {
        binary(BinOp::Eq, a.to_val(), b.to_val(), Kind::Bool)
    }
    pub fn ne(a: impl ToVal, b: impl ToVal) -> Val {
        binary(BinOp::Ne, a.to_val(), b.to_val(), Kind::Bool)
    }
    pub fn lt(a: impl ToVal, b: impl ToVal) -> Val {
        binary(BinOp::Lt, a.to_val(), b.to_val(), Kind::Bool)
    }
    pub fn le(a: impl ToVal, b: impl ToVal) -> Val {
        binary(BinOp::Le, a.to_val(), b.to_val(), Kind::Bool)
    }
    pub fn gt(a: impl ToVal, b: impl ToVal) -> Val {
        binary(BinOp::Gt, a.to_val(), b.to_val(), Kind::Bool)
    }
    pub fn ge(a: impl ToVal, b: impl ToVal) -> Val {
        binary(BinOp::Ge, a.to_val(), b.to_val(), Kind::Bool)
    }
    pub fn and(a: impl ToVal, b: impl ToVal) -> Val {
        binary(BinOp::And, a.to_val(), b.to_val(), Kind::Bool)
    }
    pub fn or(a: impl ToVal, b: impl ToVal) -> Val {
        binary(BinOp::Or, a.to_val(), b.to_val(), Kind::Bool)
    }
    pub fn not(a: impl ToVal) -> Val {
        let a = a.to_val();
        match a.expr() {
            Expr::Lit(Json::Bool(b)) => Val::lit(Json::Bool(!b)),
            e => Val::new(Expr::Unary(UnOp::Not, Box::new(e)), Kind::Bool),
        }
    }
    pub fn neg(a: impl ToVal) -> Val {
        let a = a.to_val();
        match a.expr().as_lit().and_then(Json::as_f64) {
            Some(f) => (-f).to_val(),
            None => Val::new(Expr::Unary(UnOp::Neg, Box::new(a.expr())), Kind::Num),
        }
    }
    /// `if c { a } else { b }` as a value: JSONata's `c ? a : b`.
    pub fn cond(c: impl ToVal, a: impl ToVal, b: impl ToVal) -> Val {
        let (c, a, b) = (c.to_val(), a.to_val(), b.to_val());
        match c.expr().as_lit() {
            Some(Json::Bool(true)) => a,
            Some(Json::Bool(false)) => b,
            _ => {
                let kind = if a.kind() == b.kind() {
                    a.kind()
                } else {
                    Kind::Any
                };
                Val::new(
                    Expr::Cond(Box::new(c.expr()), Box::new(a.expr()), Box::new(b.expr())),
                    kind,
                )
            }
        }
    }
}

/// `format!("…{}…", args)`: the pieces are literal text and values, concatenated.
pub fn format(parts: &[Val]) -> Val {
    let mut acc = Val::lit(Json::String(String::new()));
    for p in parts {
        acc = ops::concat(acc, *p);
    }
    acc
}

/// A JSON object built from values (`json!({ "key": value, … })` in a flow body).
pub fn object(fields: Vec<(&str, Val)>) -> Val {
    let exprs: Vec<(String, Expr)> = fields
        .iter()
        .map(|(k, v)| (k.to_string(), v.expr()))
        .collect();
    if exprs.iter().all(|(_, e)| e.as_lit().is_some()) {
        let m = exprs
            .into_iter()
            .map(|(k, e)| (k, e.as_lit().cloned().unwrap_or(Json::Null)))
            .collect();
        return Val::lit(Json::Object(m));
    }
    Val::new(Expr::Object(exprs), Kind::Any)
}

/// A JSON array built from values (`json!([a, b])` in a flow body).
pub fn array(items: Vec<Val>) -> Val {
    let exprs: Vec<Expr> = items.iter().map(Val::expr).collect();
    if exprs.iter().all(|e| e.as_lit().is_some()) {
        return Val::lit(Json::Array(
            exprs
                .into_iter()
                .filter_map(|e| e.as_lit().cloned())
                .collect(),
        ));
    }
    Val::new(Expr::Array(exprs), Kind::Any)
}

fn call(f: &'static str, args: Vec<Expr>, kind: Kind) -> Val {
    Val::new(Expr::Call(f, args), kind)
}

/// The documented methods on values. Each lowers to one JSONata function.
impl Val {
    fn expect(&self, want: Kind, method: &str, loc: Loc) {
        let k = self.kind();
        if k != want && k != Kind::Any {
            ctx::error(
                loc,
                format!(
                    "`.{method}()` needs a {} value, found a {} value",
                    kind_name(want),
                    kind_name(k)
                ),
            );
        }
    }
    /// Length of a string (`$length`).
    #[track_caller]
    pub fn len(&self) -> Val {
        self.expect(Kind::Str, "len", Loc::caller());
        call("length", vec![self.expr()], Kind::Num)
    }
    #[track_caller]
    pub fn is_empty(&self) -> Val {
        self.expect(Kind::Str, "is_empty", Loc::caller());
        ops::eq(call("length", vec![self.expr()], Kind::Num), 0)
    }
    /// Returns the value itself: lets `match x.as_str()` read as ordinary Rust.
    pub fn as_str(&self) -> Val {
        *self
    }
    /// `$contains(s, needle)`.
    #[track_caller]
    pub fn contains(&self, needle: impl ToVal) -> Val {
        self.expect(Kind::Str, "contains", Loc::caller());
        call(
            "contains",
            vec![self.expr(), needle.to_val().expr()],
            Kind::Bool,
        )
    }
    /// `$substring(s, 0, $length(p)) = p`.
    #[track_caller]
    pub fn starts_with(&self, prefix: impl ToVal) -> Val {
        self.expect(Kind::Str, "starts_with", Loc::caller());
        let p = prefix.to_val();
        let head = call(
            "substring",
            vec![
                self.expr(),
                Expr::Lit(0.into()),
                Expr::Call("length", vec![p.expr()]),
            ],
            Kind::Str,
        );
        ops::eq(head, p)
    }
    /// `$substring(s, -$length(p)) = p`.
    #[track_caller]
    pub fn ends_with(&self, suffix: impl ToVal) -> Val {
        self.expect(Kind::Str, "ends_with", Loc::caller());
        let p = suffix.to_val();
        let neg_len = Expr::Unary(UnOp::Neg, Box::new(Expr::Call("length", vec![p.expr()])));
        ops::eq(call("substring", vec![self.expr(), neg_len], Kind::Str), p)
    }
    #[track_caller]
    pub fn to_uppercase(&self) -> Val {
        self.expect(Kind::Str, "to_uppercase", Loc::caller());
        call("uppercase", vec![self.expr()], Kind::Str)
    }
    #[track_caller]
    pub fn to_lowercase(&self) -> Val {
        self.expect(Kind::Str, "to_lowercase", Loc::caller());
        call("lowercase", vec![self.expr()], Kind::Str)
    }
    #[track_caller]
    pub fn trim(&self) -> Val {
        self.expect(Kind::Str, "trim", Loc::caller());
        call("trim", vec![self.expr()], Kind::Str)
    }
    /// `$substring(s, start, len)`.
    #[track_caller]
    pub fn substring(&self, start: impl ToVal, len: impl ToVal) -> Val {
        self.expect(Kind::Str, "substring", Loc::caller());
        call(
            "substring",
            vec![self.expr(), start.to_val().expr(), len.to_val().expr()],
            Kind::Str,
        )
    }
    /// `$replace(s, from, to)` (plain text, every occurrence).
    #[track_caller]
    pub fn replace(&self, from: impl ToVal, to: impl ToVal) -> Val {
        self.expect(Kind::Str, "replace", Loc::caller());
        call(
            "replace",
            vec![self.expr(), from.to_val().expr(), to.to_val().expr()],
            Kind::Str,
        )
    }
    /// `$string(x)`.
    pub fn to_string(&self) -> Val {
        match self.expr() {
            _ if self.kind() == Kind::Str => *self,
            Expr::Lit(v) => match as_text(&v) {
                Some(t) => Val::lit(Json::String(t)),
                None => call("string", vec![Expr::Lit(v)], Kind::Str),
            },
            e => call("string", vec![e], Kind::Str),
        }
    }
    /// `$number(x)`.
    pub fn to_number(&self) -> Val {
        if self.kind() == Kind::Num {
            return *self;
        }
        call("number", vec![self.expr()], Kind::Num)
    }
    #[track_caller]
    pub fn round(&self) -> Val {
        self.expect(Kind::Num, "round", Loc::caller());
        call("round", vec![self.expr()], Kind::Num)
    }
    #[track_caller]
    pub fn floor(&self) -> Val {
        self.expect(Kind::Num, "floor", Loc::caller());
        call("floor", vec![self.expr()], Kind::Num)
    }
    #[track_caller]
    pub fn ceil(&self) -> Val {
        self.expect(Kind::Num, "ceil", Loc::caller());
        call("ceil", vec![self.expr()], Kind::Num)
    }
    #[track_caller]
    pub fn abs(&self) -> Val {
        self.expect(Kind::Num, "abs", Loc::caller());
        call("abs", vec![self.expr()], Kind::Num)
    }
    /// Whether the text matches a regular expression (JSONata `$contains(s, /re/)`; anchor with
    /// `^…$` for a whole-string match).
    #[track_caller]
    pub fn matches(&self, regex: &str) -> Val {
        self.expect(Kind::Str, "matches", Loc::caller());
        call(
            "contains",
            vec![self.expr(), Expr::Regex(regex.to_owned())],
            Kind::Bool,
        )
    }
    /// The SHA-256 of the text, as lowercase hex (Step Functions' `$hash(s, "SHA-256")`:
    /// <https://docs.aws.amazon.com/step-functions/latest/dg/transforming-data.html>).
    #[track_caller]
    pub fn sha256(&self) -> Val {
        self.expect(Kind::Str, "sha256", Loc::caller());
        call("hash", vec![self.expr(), Expr::str("SHA-256")], Kind::Str)
    }
    /// A field of a JSON value (service results, call arguments).
    pub fn get(&self, field: &str) -> Val {
        Val::new(self.expr().field(field), Kind::Any)
    }
    /// `$exists(x)`: whether the value is present.
    pub fn exists(&self) -> Val {
        call("exists", vec![self.expr()], Kind::Bool)
    }
    /// Reads a JSON value as a string (for `match` and string methods).
    pub fn as_text(&self) -> Val {
        Val::new(self.expr(), Kind::Str)
    }
    /// Reads a JSON value as a number.
    pub fn as_number(&self) -> Val {
        Val::new(self.expr(), Kind::Num)
    }
}

pub(crate) fn kind_name(k: Kind) -> &'static str {
    match k {
        Kind::Str => "string",
        Kind::Num => "number",
        Kind::Bool => "boolean",
        Kind::Any => "JSON",
    }
}

/// The current time as an ISO-8601 UTC timestamp (`$now()`).
pub fn now() -> Val {
    call("now", vec![], Kind::Str)
}

/// Milliseconds since the Unix epoch (`$millis()`).
pub fn millis() -> Val {
    call("millis", vec![], Kind::Num)
}

/// Formats epoch milliseconds with an XPath picture (`$fromMillis(ms, picture)`), in UTC.
pub fn from_millis(ms: impl ToVal, picture: impl ToVal) -> Val {
    call(
        "fromMillis",
        vec![ms.to_val().expr(), picture.to_val().expr()],
        Kind::Str,
    )
}
