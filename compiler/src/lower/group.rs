//! Groups a block's statements into units: batches of actions sent in one response, service
//! calls, and assignments folded into the state before them.

use super::Lowerer;
use std::borrow::Cow;
use switchboard::ir::{Action, Expr, Loc, ResultShape, Service, Stmt, StmtKind};
use switchboard::lang::WAIT_KIND;
use switchboard::pstn::limits::MAX_ACTIONS_PER_RESPONSE;

pub struct Batch<'a> {
    pub actions: Vec<(&'a Action, Loc)>,
    /// The variable the last action's result is bound to.
    pub bind: Option<&'a str>,
    pub assigns: Vec<(&'a str, Cow<'a, Expr>)>,
}

pub struct ServiceUnit<'a> {
    pub service: &'a Service,
    pub loc: Loc,
    pub bind: Option<&'a str>,
    pub assigns: Vec<(&'a str, Cow<'a, Expr>)>,
}

pub struct Assigns<'a> {
    pub loc: Loc,
    pub assigns: Vec<(&'a str, Cow<'a, Expr>)>,
}

pub enum Unit<'a> {
    Batch(Batch<'a>),
    Service(ServiceUnit<'a>),
    Assigns(Assigns<'a>),
    Stmt(&'a Stmt),
}

impl<'a> Unit<'a> {
    /// The result the unit's state binds (variable and shape), and its assignments, if it can
    /// take more.
    #[allow(clippy::type_complexity)]
    fn assign_slot(
        &mut self,
    ) -> Option<(
        Option<(&'a str, &'a ResultShape)>,
        &mut Vec<(&'a str, Cow<'a, Expr>)>,
    )> {
        match self {
            Unit::Batch(b) => {
                let shape = b.actions.last().map(|(a, _)| &a.result);
                Some((b.bind.zip(shape), &mut b.assigns))
            }
            Unit::Service(s) => Some((s.bind.map(|v| (v, &s.service.result)), &mut s.assigns)),
            Unit::Assigns(a) => Some((None, &mut a.assigns)),
            Unit::Stmt(_) => None,
        }
    }
}

/// What a bound result holds, read from the Task's result: `{"digits": $states.result.ActionData.ReceivedDigits}`.
pub(crate) fn result_expr(shape: &ResultShape) -> Option<Expr> {
    match shape {
        ResultShape::None => None,
        ResultShape::Whole => Some(Expr::StatesResult),
        ResultShape::Fields(fields) => Some(Expr::Object(
            fields
                .iter()
                .map(|(name, path)| {
                    (
                        name.to_string(),
                        path.iter().fold(Expr::StatesResult, |e, p| e.field(*p)),
                    )
                })
                .collect(),
        )),
    }
}

fn reads(e: &Expr) -> Vec<String> {
    let mut v = Vec::new();
    e.for_each_var(&mut |n| v.push(n.to_owned()));
    v
}

fn is_jump(s: &Stmt) -> bool {
    matches!(
        s.kind,
        StmtKind::Break | StmtKind::Continue | StmtKind::Return | StmtKind::Fail { .. }
    )
}

/// Whether a `return` in `body` leaves this function (not a nested inlined one).
fn returns(body: &[Stmt]) -> bool {
    body.iter().any(|s| match &s.kind {
        StmtKind::Return => true,
        // A nested function's `return` is its own.
        StmtKind::Inline { .. } => false,
        kind => kind.child_blocks().into_iter().any(|b| returns(b)),
    })
}

/// The block with inlined sub-flows spliced in where no `return` needs their boundary, so
/// actions on both sides of a call can share one response.
fn flatten<'a>(stmts: &'a [Stmt], out: &mut Vec<&'a Stmt>) {
    for s in stmts {
        match &s.kind {
            StmtKind::Inline { body, .. } if !returns(body) => flatten(body, out),
            _ => out.push(s),
        }
    }
}

pub(crate) fn group<'a>(l: &mut Lowerer<'a>, stmts: &[&'a Stmt]) -> Vec<Unit<'a>> {
    let mut flat = Vec::new();
    for s in stmts {
        flatten(std::slice::from_ref(*s), &mut flat);
    }
    let mut units: Vec<Unit<'a>> = Vec::new();
    for (i, &s) in flat.iter().enumerate() {
        match &s.kind {
            StmtKind::Action { action, bind } => {
                let joinable = match units.last() {
                    Some(Unit::Batch(b)) => {
                        b.bind.is_none()
                            && b.assigns.is_empty()
                            && b.actions.len() < MAX_ACTIONS_PER_RESPONSE
                            && b.actions.iter().all(|(a, _)| a.kind != WAIT_KIND)
                            && action.kind != WAIT_KIND
                    }
                    _ => false,
                };
                match units.last_mut() {
                    Some(Unit::Batch(b)) if joinable => {
                        b.actions.push((action, s.loc));
                        b.bind = bind.as_deref();
                    }
                    _ => units.push(Unit::Batch(Batch {
                        actions: vec![(action, s.loc)],
                        bind: bind.as_deref(),
                        assigns: vec![],
                    })),
                }
            }
            StmtKind::Service { service, bind } => units.push(Unit::Service(ServiceUnit {
                service,
                loc: s.loc,
                bind: bind.as_deref(),
                assigns: vec![],
            })),
            StmtKind::Assign { var, value } => {
                let merged = match units.last_mut().and_then(Unit::assign_slot) {
                    Some((bind, assigns)) => {
                        let assigned: Vec<&str> = assigns.iter().map(|(v, _)| *v).collect();
                        let bound = bind.map(|(v, _)| v);
                        let read = reads(value);
                        let conflict = assigned.contains(&var.as_str())
                            || bound == Some(var.as_str())
                            || read.iter().any(|r| assigned.contains(&r.as_str()));
                        // Reading the result bound by this very state: read it from
                        // `$states.result` instead, which the state's `Assign` sees.
                        let value = match bind {
                            Some((b, shape)) if read.iter().any(|r| r == b) => {
                                result_expr(shape).map(|e| Cow::Owned(value.replace_var(b, &e)))
                            }
                            _ => Some(Cow::Borrowed(value)),
                        };
                        match value {
                            Some(value) if !conflict => {
                                assigns.push((var, value));
                                true
                            }
                            _ => false,
                        }
                    }
                    None => false,
                };
                if !merged {
                    units.push(Unit::Assigns(Assigns {
                        loc: s.loc,
                        assigns: vec![(var, Cow::Borrowed(value))],
                    }));
                }
            }
            _ => units.push(Unit::Stmt(s)),
        }
        if is_jump(s) {
            if let Some(dead) = flat.get(i + 1) {
                l.error(dead.loc, "unreachable code: nothing after `break`, `continue`, `return` or `fail` in the same block runs; remove it");
            }
            break;
        }
    }
    units
}
