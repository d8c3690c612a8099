//! Stage 2: every rule the flow AST must satisfy, reported into the one [`Ctxt`] on the user's
//! tokens: the function's signature, `break`/`continue` inside loops, the arms of `match`es,
//! what may be assigned ([`assign`]) and literal option values ([`options`]).

mod assign;
mod helper;
mod options;

pub use helper::helper;

use crate::ast::{
    shared_ref_target, ArmPat, Block, Cond, Else, Flow, If, Json, Match, StepMatch, StepPat, Stmt,
    StmtKind, Value,
};
use crate::ctxt::Ctxt;
use syn::{FnArg, ReturnType};

/// Checks a parsed flow.
pub fn flow(cx: &Ctxt, flow: &Flow) {
    signature(cx, flow);
    assign::params(cx, &flow.params);
    Checker {
        cx,
        loop_depth: 0,
        helper: false,
    }
    .block(&flow.body);
}

fn signature(cx: &Ctxt, flow: &Flow) {
    let sig = &flow.item.sig;
    if let Some(a) = &sig.asyncness {
        cx.error_spanned_by(
            a,
            "a call flow cannot be `async`: every action already waits for the caller",
        );
    }
    if let Some(u) = &sig.unsafety {
        cx.error_spanned_by(u, "a call flow cannot be `unsafe`");
    }
    if !sig.generics.params.is_empty() {
        cx.error_spanned_by(&sig.generics, "a call flow cannot be generic: take configuration as an ordinary parameter (`cfg: &MyConfig`)");
    }
    if !flow.is_entry() {
        return;
    }
    let inputs: Vec<&FnArg> = sig.inputs.iter().collect();
    match inputs.as_slice() {
        [call] | [call, _] if shared_ref_target(call).is_none() => cx.error_spanned_by(
            call,
            "an entry flow's first parameter is the call: `call: &Call`",
        ),
        [_] => {}
        [_, cfg] => {
            if shared_ref_target(cfg).is_none() {
                cx.error_spanned_by(cfg, "an entry flow's second parameter is its configuration, by reference: `cfg: &MyConfig`");
            }
        }
        _ => cx.error_spanned_by(
            &sig.inputs,
            "an entry flow takes `(call: &Call)` or `(call: &Call, cfg: &MyConfig)`; pass other values to sub-flows it calls",
        ),
    }
    if let ReturnType::Type(_, ty) = &sig.output {
        cx.error_spanned_by(ty, "an entry flow returns nothing: remove the return type");
    }
}

/// Walks the body in source order, so errors come in the order they are written.
struct Checker<'a> {
    cx: &'a Ctxt,
    loop_depth: u32,
    /// In a `#[value]` helper, which runs no step and changes nothing.
    helper: bool,
}

impl Checker<'_> {
    fn block(&mut self, block: &Block) {
        for s in &block.stmts {
            self.stmt(s);
        }
    }

    fn stmt(&mut self, s: &Stmt) {
        match &s.kind {
            StmtKind::Let { value, .. }
            | StmtKind::LetWild(value)
            | StmtKind::Value(value)
            | StmtKind::Tail(value) => self.value(value),
            StmtKind::If(i) => self.if_(i),
            StmtKind::Match(m) => self.match_(m),
            StmtKind::StepMatch(m) => self.step_match(m),
            StmtKind::Loop(body) => self.in_loop(body),
            StmtKind::While { cond, body } => {
                self.value(cond);
                self.in_loop(body);
            }
            StmtKind::Break if self.loop_depth == 0 => self.cx.error_at(
                s.span,
                "`break` outside a loop: `break` leaves the innermost `loop`/`while`",
            ),
            StmtKind::Continue if self.loop_depth == 0 => self.cx.error_at(
                s.span,
                "`continue` outside a loop: `continue` restarts the innermost `loop`/`while`",
            ),
            StmtKind::Block(b) => self.block(b),
            StmtKind::Assign {
                target,
                target_tokens,
                value,
                ..
            } => {
                assign::target(self.cx, target, target_tokens);
                self.value(target);
                self.value(value);
            }
            StmtKind::Parallel(branches) => {
                // A branch is its own state machine: `break` cannot leave it.
                let saved = std::mem::take(&mut self.loop_depth);
                for b in branches {
                    self.block(b);
                }
                self.loop_depth = saved;
            }
            StmtKind::Break
            | StmtKind::Continue
            | StmtKind::Return
            | StmtKind::Use(_)
            | StmtKind::Invalid => {}
        }
    }

    fn in_loop(&mut self, body: &Block) {
        self.loop_depth += 1;
        self.block(body);
        self.loop_depth -= 1;
    }

    fn if_(&mut self, i: &If) {
        match &i.cond {
            Cond::Value(v) => self.value(v),
            Cond::Let { step, .. } => self.value(step),
        }
        self.block(&i.then);
        match &i.els {
            Else::None => {}
            Else::If(ei) => self.if_(ei),
            Else::Block(b) => self.block(b),
        }
    }

    fn match_(&mut self, m: &Match) {
        self.value(&m.subject);
        for (i, arm) in m.arms.iter().enumerate() {
            if matches!(arm.pat, ArmPat::Wild) && i + 1 != m.arms.len() {
                self.cx
                    .error_spanned_by(&arm.pat_tokens, "the `_` arm must be the last arm");
            }
            self.block(&arm.body);
        }
        if !m.arms.iter().any(|a| matches!(a.pat, ArmPat::Wild)) {
            self.cx.error_spanned_by(
                &m.tokens,
                "this match has no `_ =>` arm: a runtime value can be anything, add `_ => { … }`",
            );
        }
    }

    /// One `Ok(…)`, one `Err(…)` and optionally `Err(Hangup)` before the `Err(…)` arm, as Rust's
    /// arm order would make it unreachable after it.
    fn step_match(&mut self, m: &StepMatch) {
        self.value(&m.step);
        let (mut ok, mut err, mut hangup) = (false, false, false);
        for arm in &m.arms {
            let message = match &arm.pat {
                StepPat::Hangup | StepPat::HangupKeep(_) if hangup => {
                    Some("this arm repeats the `Err(Hangup)` arm")
                }
                StepPat::Hangup | StepPat::HangupKeep(_) => {
                    hangup = true;
                    err.then_some("this `Err(Hangup)` arm comes after the `Err(…)` arm, which already takes every failure: put it before the `Err(…)` arm")
                }
                StepPat::Ok(_) if !ok => {
                    ok = true;
                    None
                }
                StepPat::Err(_) if !err => {
                    err = true;
                    None
                }
                StepPat::Ok(_) | StepPat::Err(_) => Some("this arm repeats an `Ok`/`Err` arm: a step has one `Ok(…)`, one `Err(…)` and optionally `Err(Hangup)`"),
                StepPat::Other => {
                    Some("a match on a step takes `Ok(x)`, `Err(e)` and `Err(Hangup)` arms")
                }
            };
            if let Some(message) = message {
                self.cx.error_spanned_by(&arm.pat_tokens, message);
            }
            self.block(&arm.body);
        }
        if !ok {
            self.cx.error_spanned_by(&m.tokens, "this match on a step has no `Ok(…)` arm: add `Ok(_) => {}` to continue when the step succeeds");
        }
    }

    fn value(&mut self, v: &Value) {
        match v {
            Value::Binary { left, right, .. } => {
                self.value(left);
                self.value(right);
            }
            Value::Unary { operand, .. } => self.value(operand),
            Value::Paren(x) => self.value(x),
            Value::If(i) => {
                self.value(&i.cond);
                self.value(&i.then);
                self.value(&i.els);
            }
            Value::Match(m) => {
                self.value(&m.subject);
                for (i, arm) in m.arms.iter().enumerate() {
                    if matches!(arm.pat, ArmPat::Wild) && i + 1 != m.arms.len() {
                        self.cx
                            .error_spanned_by(&arm.pat_tokens, "the `_` arm must be the last arm");
                    }
                    self.value(&arm.body);
                }
                if !m.arms.iter().any(|a| matches!(a.pat, ArmPat::Wild)) {
                    self.cx.error_spanned_by(
                        &m.tokens,
                        "a `match` used as a value needs a `_ =>` arm",
                    );
                }
            }
            Value::Format { args, .. } => args.iter().for_each(|a| self.value(a)),
            Value::Json(j) => self.json(j),
            Value::MethodCall {
                receiver,
                method,
                args,
                ..
            } => {
                self.value(receiver);
                options::method_call(self.cx, receiver, method, args);
                args.iter().for_each(|a| self.value(a));
            }
            Value::Call { func, args } => {
                options::call(self.cx, func, args);
                args.iter().for_each(|a| self.value(a));
            }
            Value::Field { base, .. } => self.value(base),
            Value::Reference {
                tokens,
                mutability,
                inner,
            } => {
                match (mutability, self.helper) {
                    (Some(_), false) => assign::by_reference(self.cx, inner, tokens),
                    (Some(_), true) => self.cx.error_spanned_by(tokens, "`&mut` lends a variable to a flow function that assigns it: a #[value] helper changes nothing; pass the value"),
                    (None, _) => {}
                }
                self.value(inner);
            }
            Value::Try { inner, question } => {
                if self.helper {
                    self.cx.error_at(*question, "`?` applies to a step, which a #[value] helper cannot run: it only computes a value; remove the `?`, or make the function #[call_flow]");
                }
                self.value(inner);
            }
            Value::Cast { inner, .. } => self.value(inner),
            Value::Index { base, index } => {
                self.value(base);
                self.value(index);
            }
            Value::Tuple(items) | Value::Array(items) => items.iter().for_each(|x| self.value(x)),
            Value::Name { .. } | Value::Verbatim(_) | Value::Invalid => {}
        }
    }

    fn json(&mut self, j: &Json) {
        match j {
            Json::Object(fields) => fields.iter().for_each(|(_, v)| self.json(v)),
            Json::Array(items) => items.iter().for_each(|v| self.json(v)),
            Json::Value(v) => self.value(v),
        }
    }
}

#[cfg(test)]
mod tests;
