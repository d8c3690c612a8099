//! Expressions in value position: operators, value `if`/`match`, `format!`, `json!`, calls,
//! method calls (options of a step), fields and names.

use super::{format, json, pattern, Dialect, Parser};
use crate::ast::{ArmPat, UnOp, Value, ValueArm, ValueIf, ValueMatch};
use quote::ToTokens;
use syn::spanned::Spanned;
use syn::{BinOp, Expr, Ident, Pat};

impl Parser<'_> {
    /// An expression in value position.
    pub(super) fn value(&mut self, e: &Expr) -> Value {
        let b = |v: Value| Box::new(v);
        match e {
            Expr::Binary(bin) => {
                let Some(op) = binary_op(&bin.op) else {
                    if super::compound_op(&bin.op).is_some() {
                        return self.refuse(
                            bin,
                            "compound assignment is a statement: write it on its own line",
                        );
                    }
                    let message = format!(
                        "bitwise and shift operators are not supported in {}",
                        self.place()
                    );
                    return self.refuse(bin.op, &message);
                };
                let left = b(self.value(&bin.left));
                Value::Binary {
                    op: Ident::new(op, bin.op.span()),
                    left,
                    right: b(self.value(&bin.right)),
                }
            }
            Expr::Unary(u) => Value::Unary {
                op: match u.op {
                    syn::UnOp::Not(_) => UnOp::Not,
                    syn::UnOp::Neg(_) => UnOp::Neg,
                    _ => UnOp::Deref,
                },
                span: u.span(),
                operand: b(self.value(&u.expr)),
            },
            Expr::Paren(p) => Value::Paren(b(self.value(&p.expr))),
            Expr::If(i) => self.value_if(i),
            Expr::Match(m) => self.value_match(m),
            Expr::Macro(m) => self.value_macro(m),
            Expr::MethodCall(mc) => {
                let receiver = b(self.value(&mc.receiver));
                Value::MethodCall {
                    receiver,
                    method: mc.method.clone(),
                    turbofish: mc.turbofish.clone(),
                    args: mc.args.iter().map(|a| self.value(a)).collect(),
                }
            }
            Expr::Call(c) => Value::Call {
                func: (*c.func).clone(),
                args: c.args.iter().map(|a| self.value(a)).collect(),
            },
            Expr::Field(f) => Value::Field {
                base: b(self.value(&f.base)),
                member: f.member.clone(),
            },
            Expr::Reference(r) => Value::Reference {
                tokens: r.to_token_stream(),
                mutability: r.mutability,
                inner: b(self.value(&r.expr)),
            },
            Expr::Try(t) => Value::Try {
                inner: b(self.value(&t.expr)),
                question: t.question_token.span,
            },
            Expr::Cast(c) => Value::Cast {
                inner: b(self.value(&c.expr)),
                ty: c.ty.clone(),
            },
            Expr::Index(i) => {
                let base = b(self.value(&i.expr));
                Value::Index {
                    base,
                    index: b(self.value(&i.index)),
                }
            }
            Expr::Tuple(t) => Value::Tuple(t.elems.iter().map(|x| self.value(x)).collect()),
            Expr::Array(a) => Value::Array(a.elems.iter().map(|x| self.value(x)).collect()),
            Expr::Path(p) if p.qself.is_none() && p.attrs.is_empty() => {
                match p.path.get_ident() {
                    Some(ident) => Value::Name {
                        ident: ident.clone(),
                        binding: self.resolve(ident),
                    },
                    None => Value::Verbatim(e.clone()),
                }
            }
            Expr::Lit(_) | Expr::Path(_) | Expr::Range(_) | Expr::Struct(_) | Expr::Repeat(_) => {
                Value::Verbatim(e.clone())
            }
            Expr::Closure(c) => {
                let message = match self.dialect {
                    Dialect::Flow => "closures are not supported in a call flow: call another #[call_flow] function instead",
                    Dialect::Helper => "closures are not supported in a #[value] helper: call another #[value] helper instead",
                };
                self.refuse(c, message)
            }
            Expr::Async(a) => {
                let message = format!("`async` is not supported in {}: every action already waits for the caller", self.place());
                self.refuse(a, &message)
            }
            Expr::Unsafe(u) => {
                let message = format!("`unsafe` is not allowed in {}", self.place());
                self.refuse(u, &message)
            }
            Expr::Block(bl) => {
                let message = match self.dialect {
                    Dialect::Flow => "a block used as a value is not supported in a call flow: assign a `let mut` variable inside it instead",
                    Dialect::Helper => "a block used as a value is not supported in a #[value] helper: bind its parts with `let` before the value",
                };
                self.refuse(bl, message)
            }
            Expr::Assign(a) => {
                let message = match self.dialect {
                    Dialect::Flow => "assignment is a statement in a call flow: write it on its own line",
                    Dialect::Helper => super::helper::ASSIGNMENT,
                };
                self.refuse(a, message)
            }
            Expr::Let(l) => self.refuse(l, "`let` patterns are only supported as `if let Ok(x) = step` / `if let Err(e) = step`"),
            Expr::Loop(_) | Expr::While(_) | Expr::ForLoop(_) | Expr::Break(_) | Expr::Continue(_) | Expr::Return(_) => {
                let message = match self.dialect {
                    Dialect::Flow => "control flow cannot be used as a value in a call flow: write it as a statement",
                    Dialect::Helper => super::helper::CONTROL,
                };
                self.refuse(e, message)
            }
            Expr::Await(a) => {
                let message = format!("`.await` is not supported in {}: every action already waits for the caller", self.place());
                self.refuse(a, &message)
            }
            other => {
                let message = format!("this expression is not supported in {}", self.place());
                self.refuse(other, &message)
            }
        }
    }

    fn refuse(&mut self, tokens: impl ToTokens, message: &str) -> Value {
        self.err(tokens, message);
        Value::Invalid
    }

    fn value_if(&mut self, i: &syn::ExprIf) -> Value {
        let Some((_, els)) = &i.else_branch else {
            return self.refuse(i, "an `if` used as a value needs an `else`");
        };
        if matches!(&*i.cond, Expr::Let(_)) {
            let message = match self.dialect {
                Dialect::Flow => "`if let` cannot be used as a value: assign a `let mut` variable in its branches",
                Dialect::Helper => "`if let` matches a step's result, which needs a #[call_flow] function: a #[value] helper runs no step",
            };
            return self.refuse(i, message);
        }
        let Some(then) = single_expr(&i.then_branch) else {
            let message = match self.dialect {
                Dialect::Flow => "an `if` used as a value must hold just an expression in each branch; for statements, assign a `let mut` variable inside the branches",
                Dialect::Helper => "an `if` used as a value must hold just an expression in each branch; bind the parts with `let` before the `if`",
            };
            return self.refuse(&i.then_branch, message);
        };
        let cond = self.value(&i.cond);
        let then = self.value(then);
        let els = match &**els {
            Expr::If(ei) => self.value_if(ei),
            Expr::Block(bl) => match single_expr(&bl.block) {
                Some(x) => self.value(x),
                None => {
                    return self.refuse(
                        bl,
                        "an `if` used as a value must hold just an expression in each branch",
                    )
                }
            },
            other => self.value(other),
        };
        Value::If(Box::new(ValueIf { cond, then, els }))
    }

    fn value_match(&mut self, m: &syn::ExprMatch) -> Value {
        if pattern::is_step_match(m) {
            let message = match self.dialect {
                Dialect::Flow => "a `match` on a step's `Ok`/`Err` is a statement: assign `let mut` variables in its arms",
                Dialect::Helper => "a `match` on a step's `Ok`/`Err` needs a #[call_flow] function: a #[value] helper runs no step, it only computes a value",
            };
            return self.refuse(m, message);
        }
        let subject = self.value(&m.expr);
        let mut arms = Vec::new();
        for arm in &m.arms {
            if let Some((_, g)) = &arm.guard {
                self.err(
                    g,
                    format!("match guards are not supported in {}", self.place()),
                );
            }
            let pat = match &arm.pat {
                Pat::Wild(_) => ArmPat::Wild,
                p => ArmPat::Lits(self.literal_patterns(p)),
            };
            // `{ expr }`, as rustfmt writes a multi-line arm, is the expression (as in a value
            // `if`'s branches).
            let body = match &*arm.body {
                Expr::Block(bl) if bl.label.is_none() => single_expr(&bl.block),
                _ => None,
            };
            arms.push(ValueArm {
                pat_tokens: arm.pat.to_token_stream(),
                pat,
                body: self.value(body.unwrap_or(&arm.body)),
            });
        }
        Value::Match(Box::new(ValueMatch {
            tokens: m.to_token_stream(),
            subject,
            arms,
        }))
    }

    fn value_macro(&mut self, m: &syn::ExprMacro) -> Value {
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
                    Err(e) => return self.refuse(&m.mac, &e.to_string()),
                };
                let pieces = match format::parse(&lit, args.len()) {
                    Ok(p) => p,
                    Err(e) => return self.refuse(&lit, &e.to_string()),
                };
                Value::Format {
                    pieces,
                    args: args.iter().map(|a| self.value(a)).collect(),
                }
            }
            "json" => match syn::parse2::<json::Syntax>(m.mac.tokens.clone()) {
                Ok(v) => Value::Json(self.json(&v)),
                Err(e) => self.refuse(
                    &m.mac,
                    &format!("json! takes a JSON-like value: json!({{ \"key\": value, … }}) ({e})"),
                ),
            },
            "parallel" => {
                let message = match self.dialect {
                    Dialect::Flow => "parallel! is a statement: write it on its own line",
                    Dialect::Helper => "parallel! runs steps, which a #[value] helper cannot do: it only computes a value; make the function #[call_flow]",
                };
                self.refuse(&m.mac, message)
            }
            other => {
                let message = format!("`{other}!` is not supported in {}: use format!(…) for text and json!({{…}}) for objects", self.place());
                self.refuse(&m.mac.path, &message)
            }
        }
    }

    fn json(&mut self, v: &json::Syntax) -> crate::ast::Json {
        use crate::ast::Json;
        match v {
            json::Syntax::Object(fields) => Json::Object(
                fields
                    .iter()
                    .map(|(k, v)| (k.clone(), self.json(v)))
                    .collect(),
            ),
            json::Syntax::Array(items) => Json::Array(items.iter().map(|v| self.json(v)).collect()),
            json::Syntax::Expr(e) => Json::Value(Box::new(self.value(e))),
        }
    }
}

fn single_expr(b: &syn::Block) -> Option<&Expr> {
    match b.stmts.as_slice() {
        [syn::Stmt::Expr(e, None)] => Some(e),
        _ => None,
    }
}

/// The `ops::` function of a binary operator.
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
