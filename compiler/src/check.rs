//! Checks on the IR that need its structure: variables used before they are assigned.

use crate::diag::Diagnostic;
use std::collections::BTreeSet;
use switchboard::ir::{Expr, Flow, Stmt, StmtKind, Tree};
use switchboard::lang::results::Call;

type Set = BTreeSet<String>;

/// Every variable read must be assigned on every path before it (Step Functions fails the
/// execution with `States.QueryEvaluationError` otherwise).
pub fn variables(flow: &Flow) -> Vec<Diagnostic> {
    let mut c = Checker {
        flow: &flow.name,
        errors: Vec::new(),
    };
    let mut defined: Set = [Call::VAR, "queue_url"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    c.block(&flow.body, &mut defined);
    let mut in_handler: Set = [Call::VAR, "queue_url"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    in_handler.extend(flow.on_error.bind.clone());
    let mut in_no_input = in_handler.clone();
    c.block(&flow.on_error.body, &mut in_handler);
    if let Some(h) = &flow.on_no_input {
        in_no_input.extend(h.bind.clone());
        c.block(&h.body, &mut in_no_input);
    }
    c.errors
}

struct Checker<'a> {
    flow: &'a str,
    errors: Vec<Diagnostic>,
}

impl Checker<'_> {
    fn read(&mut self, stmt: &Stmt, e: &Expr, defined: &Set) {
        let mut missing = Vec::new();
        e.for_each_var(&mut |v| {
            if !defined.contains(v) {
                missing.push(v.to_owned());
            }
        });
        self.report(stmt, missing);
    }

    fn read_tree(&mut self, stmt: &Stmt, t: &Tree, defined: &Set) {
        let mut missing = Vec::new();
        t.for_each_var(&mut |v| {
            if !defined.contains(v) {
                missing.push(v.to_owned());
            }
        });
        self.report(stmt, missing);
    }

    fn report(&mut self, stmt: &Stmt, mut missing: Vec<String>) {
        missing.sort();
        missing.dedup();
        for v in missing {
            self.errors.push(Diagnostic::at(
                self.flow,
                stmt.loc,
                format!("variable `{v}` is used before it is assigned on every path: assign it before this point (e.g. `let mut {v} = …;` before the branch)"),
            ));
        }
    }

    /// Walks a block; `defined` becomes what is defined after it (on every path that falls
    /// through). Returns whether the block always jumps away.
    fn block(&mut self, stmts: &[Stmt], defined: &mut Set) -> bool {
        for s in stmts {
            if self.stmt(s, defined) {
                return true;
            }
        }
        false
    }

    fn stmt(&mut self, s: &Stmt, defined: &mut Set) -> bool {
        match &s.kind {
            StmtKind::Action { action, bind } => {
                self.read_tree(s, &action.params, defined);
                defined.extend(bind.clone());
            }
            StmtKind::Service { service, bind } => {
                self.read_tree(s, &service.args, defined);
                defined.extend(bind.clone());
            }
            StmtKind::Assign { var, value } => {
                self.read(s, value, defined);
                defined.insert(var.clone());
            }
            StmtKind::If { cond, then, els } => {
                self.read(s, cond, defined);
                let (mut a, mut b) = (defined.clone(), defined.clone());
                let (ja, jb) = (self.block(then, &mut a), self.block(els, &mut b));
                *defined = join(&[(ja, a), (jb, b)], defined);
                return ja && jb;
            }
            StmtKind::Match {
                subject,
                arms,
                default,
            } => {
                self.read(s, subject, defined);
                let mut outs = Vec::new();
                for arm in arms {
                    let mut d = defined.clone();
                    let j = self.block(&arm.body, &mut d);
                    outs.push((j, d));
                }
                let mut d = defined.clone();
                let j = self.block(default, &mut d);
                outs.push((j, d));
                let all_jump = outs.iter().all(|(j, _)| *j);
                *defined = join(&outs, defined);
                return all_jump;
            }
            StmtKind::Loop { body } | StmtKind::Inline { body, .. } => {
                let mut d = defined.clone();
                self.block(body, &mut d);
                if matches!(s.kind, StmtKind::Inline { .. }) {
                    // A `return` may skip part of the body: only what the whole body assigned
                    // before any jump counts, which `block` already stops at.
                    *defined = d;
                }
            }
            StmtKind::Try {
                step,
                ok,
                err,
                hangup,
            } => {
                let mut after_step = defined.clone();
                self.block(step, &mut after_step);
                let mut a = after_step.clone();
                let ja = self.block(ok, &mut a);
                let mut outs = vec![(ja, a)];
                if let Some(h) = err {
                    let mut b = defined.clone();
                    b.extend(h.bind.clone());
                    let jb = self.block(&h.body, &mut b);
                    outs.push((jb, b));
                }
                if let Some(h) = hangup {
                    let mut c = defined.clone();
                    let jc = self.block(h, &mut c);
                    outs.push((jc, c));
                }
                *defined = join(&outs, defined);
            }
            StmtKind::Wait { seconds } => self.read(s, seconds, defined),
            StmtKind::Parallel { branches } => {
                for b in branches {
                    let mut d = defined.clone();
                    self.block(b, &mut d);
                }
            }
            StmtKind::Fail { cause, .. } => {
                self.read(s, cause, defined);
                return true;
            }
            StmtKind::Break | StmtKind::Continue | StmtKind::Return => return true,
        }
        false
    }
}

/// What is defined after branches: the intersection over branches that fall through.
fn join(outs: &[(bool, Set)], before: &Set) -> Set {
    let mut live = outs.iter().filter(|(jumps, _)| !jumps).map(|(_, d)| d);
    match live.next() {
        None => before.clone(),
        Some(first) => live.fold(first.clone(), |acc, d| {
            acc.intersection(d).cloned().collect()
        }),
    }
}
