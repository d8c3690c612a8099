//! Prints IR expressions as single-line JSONata (asl-validator rejects multi-line expressions in
//! `Assign`, and Step Functions accepts single-line ones everywhere).
//! Operators: <https://docs.jsonata.org/expressions>.

use serde_json::Value as Json;
use switchboard::ir::{BinOp, Expr, Tree, UnOp};

/// The expression's JSONata text (without `{% %}`).
pub fn print(e: &Expr) -> String {
    let mut s = String::new();
    write(e, &mut s);
    s
}

/// The expression's JSONata text, parenthesised unless it is atomic: safe as an operand.
pub fn print_operand(e: &Expr) -> String {
    let mut s = String::new();
    write_operand(e, &mut s);
    s
}

/// A JSON value for an ASL field: constants stay JSON, runtime expressions become `{% … %}`.
pub fn template(e: &Expr) -> Json {
    match e {
        Expr::Lit(v) => escape_lit(v),
        other => Json::String(format!("{{% {} %}}", print(other))),
    }
}

/// A literal string that happens to look like a template must not be evaluated: wrap it as an
/// expression producing the string.
fn escape_lit(v: &Json) -> Json {
    match v {
        Json::String(s) if s.trim_start().starts_with("{%") => {
            Json::String(format!("{{% {} %}}", quote(s)))
        }
        Json::Object(m) => {
            Json::Object(m.iter().map(|(k, v)| (k.clone(), escape_lit(v))).collect())
        }
        Json::Array(a) => Json::Array(a.iter().map(escape_lit).collect()),
        other => other.clone(),
    }
}

/// An argument tree as ASL JSON.
pub fn tree(t: &Tree) -> Json {
    match t {
        Tree::Leaf(e) => template(e),
        Tree::Object(kv) => Json::Object(kv.iter().map(|(k, v)| (k.clone(), tree(v))).collect()),
        Tree::Array(items) => Json::Array(items.iter().map(tree).collect()),
    }
}

fn quote(s: &str) -> String {
    // JSON string syntax is valid JSONata string syntax.
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into())
}

fn is_ident(s: &str) -> bool {
    let mut c = s.chars();
    matches!(c.next(), Some(ch) if ch.is_ascii_alphabetic() || ch == '_')
        && c.all(|ch| ch.is_ascii_alphanumeric() || ch == '_')
}

fn atomic(e: &Expr) -> bool {
    !matches!(
        e,
        Expr::Binary(..) | Expr::Cond(..) | Expr::Unary(UnOp::Neg, _)
    )
}

fn write_operand(e: &Expr, s: &mut String) {
    if atomic(e) {
        write(e, s);
    } else {
        s.push('(');
        write(e, s);
        s.push(')');
    }
}

fn write(e: &Expr, s: &mut String) {
    match e {
        Expr::Lit(Json::String(v)) => s.push_str(&quote(v)),
        Expr::Lit(v) => s.push_str(&v.to_string()),
        Expr::Var(v) => {
            s.push('$');
            s.push_str(v);
        }
        Expr::Field(base, name) => {
            write_operand(base, s);
            s.push('.');
            if is_ident(name) {
                s.push_str(name);
            } else {
                s.push('`');
                s.push_str(name);
                s.push('`');
            }
        }
        Expr::Index(base, index) => {
            write_operand(base, s);
            s.push('[');
            write(index, s);
            s.push(']');
        }
        Expr::Let(name, value, body) => {
            s.push_str("($");
            s.push_str(name);
            s.push_str(" := ");
            write(value, s);
            s.push_str("; ");
            write(body, s);
            s.push(')');
        }
        Expr::Regex(r) => {
            s.push('/');
            s.push_str(&r.replace('/', "\\/"));
            s.push('/');
        }
        Expr::StatesResult => s.push_str("$states.result"),
        Expr::StatesError => s.push_str("$states.errorOutput"),
        Expr::StatesInput => s.push_str("$states.input"),
        Expr::Unary(UnOp::Not, x) => {
            s.push_str("$not(");
            write(x, s);
            s.push(')');
        }
        Expr::Unary(UnOp::Neg, x) => {
            s.push('-');
            write_operand(x, s);
        }
        Expr::Binary(op, a, b) => {
            write_operand(a, s);
            s.push_str(match op {
                BinOp::Add => " + ",
                BinOp::Sub => " - ",
                BinOp::Mul => " * ",
                BinOp::Div => " / ",
                BinOp::Rem => " % ",
                BinOp::Concat => " & ",
                BinOp::Eq => " = ",
                BinOp::Ne => " != ",
                BinOp::Lt => " < ",
                BinOp::Le => " <= ",
                BinOp::Gt => " > ",
                BinOp::Ge => " >= ",
                BinOp::And => " and ",
                BinOp::Or => " or ",
            });
            write_operand(b, s);
        }
        Expr::Call(f, args) => {
            s.push('$');
            s.push_str(f);
            s.push('(');
            for (i, a) in args.iter().enumerate() {
                if i > 0 {
                    s.push_str(", ");
                }
                write(a, s);
            }
            s.push(')');
        }
        Expr::Cond(c, a, b) => {
            write_operand(c, s);
            s.push_str(" ? ");
            write_operand(a, s);
            s.push_str(" : ");
            write_operand(b, s);
        }
        Expr::Object(kv) => {
            s.push('{');
            for (i, (k, v)) in kv.iter().enumerate() {
                if i > 0 {
                    s.push_str(", ");
                }
                s.push_str(&quote(k));
                s.push_str(": ");
                write(v, s);
            }
            s.push('}');
        }
        Expr::Array(items) => {
            s.push('[');
            for (i, v) in items.iter().enumerate() {
                if i > 0 {
                    s.push_str(", ");
                }
                write(v, s);
            }
            s.push(']');
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prints_with_parentheses_only_where_needed() {
        let e = Expr::Binary(
            BinOp::And,
            Box::new(Expr::Binary(
                BinOp::Eq,
                Box::new(Expr::var("c").field("digits")),
                Box::new(Expr::str("1")),
            )),
            Box::new(Expr::Unary(UnOp::Not, Box::new(Expr::var("done")))),
        );
        assert_eq!(print(&e), r#"($c.digits = "1") and $not($done)"#);
        assert_eq!(print(&Expr::var("x").field("odd key")), "$x.`odd key`");
    }

    #[test]
    fn a_conditional_operand_keeps_its_parentheses() {
        let cond = Expr::Cond(
            Box::new(Expr::var("a")),
            Box::new(Expr::str("x")),
            Box::new(Expr::str("y")),
        );
        assert_eq!(print_operand(&cond), r#"($a ? "x" : "y")"#);
        assert_eq!(print_operand(&Expr::var("a")), "$a");
    }

    #[test]
    fn literal_that_looks_like_a_template_is_escaped() {
        assert_eq!(
            template(&Expr::str("{% no %}")),
            Json::String(r#"{% "{% no %}" %}"#.into())
        );
        assert_eq!(template(&Expr::str("hi")), Json::String("hi".into()));
    }
}
