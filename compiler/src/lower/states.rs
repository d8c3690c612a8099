//! Building the state of each statement.

use super::jsonata::{print, print_operand, template, tree};
use super::{Ctx, ErrTarget, Lowerer};
use crate::arena::{
    self, Act, Assign, Branch, Caller, Catch, Choice, Name, Node, Parallel, Pass, Rule, Service,
    StateId, Wait,
};
use serde_json::{json, Value as Json};
use std::collections::HashSet;
use switchboard::ir::{Action, Arm, Expr, Loc, ResultShape, Stmt, StmtKind};
use switchboard::lang::WAIT_KIND;
use switchboard::pstn;
use switchboard::wire;
use switchboard_asl::errors;
use switchboard_asl::{IntOrExpr, Test};

fn origin(loc: Loc, what: &str) -> Option<(Loc, String)> {
    Some((loc, what.to_owned()))
}

fn catchers(k: &Ctx, caller: bool) -> Vec<Catch> {
    let mut out = Vec::new();
    if caller {
        if let Some(h) = &k.hangup {
            out.push(catch(wire::ERROR_HANGUP, h));
        }
    }
    if let Some(e) = &k.err {
        out.push(catch(errors::ALL, e));
    }
    out
}

fn catch(error: &'static str, e: &ErrTarget) -> Catch {
    Catch {
        error,
        assign: Assign::binding(e.var.as_deref(), Some(Expr::StatesError)),
        next: e.next,
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

/// The JSON of one action, checked against the PSTN audio model.
fn action_json(l: &mut Lowerer<'_>, a: &Action, loc: Loc) -> Json {
    let params = tree(&a.params);
    let j = json!({ "Type": a.kind, "Parameters": params });
    // The builder already checked the options it sets; when it found mistakes, the same values
    // would be reported a second time here, at the action's line instead of the option's.
    if !l.flow.errors.is_empty() {
        return j;
    }
    match serde_json::from_value::<pstn::Action>(j.clone()) {
        Ok(typed) => {
            if let Err(errs) = typed.validate() {
                for e in errs {
                    l.error(loc, format!("{}: {} — {}", e.action, e.field, e.message));
                }
            }
        }
        Err(e) => l.error(
            loc,
            format!(
                "{}: the parameters do not match PSTN audio's action: {e}",
                a.kind
            ),
        ),
    }
    j
}

/// One action sent to the caller: a waiting Task of its own, which the passes batch with its
/// neighbours.
pub(crate) fn action(
    l: &mut Lowerer<'_>,
    loc: Loc,
    a: &Action,
    var: Option<&str>,
    k: &Ctx,
) -> StateId {
    // The pseudo-action waiting for a hang-up is not sent.
    let json = if a.kind == WAIT_KIND {
        Json::Null
    } else {
        action_json(l, a, loc)
    };
    let hangs_up_caller = a.kind == pstn::Action::HANGUP
        && !matches!(
            a.params.get("ParticipantTag").and_then(|t| t.as_const()),
            Some(Json::String(t)) if t.eq_ignore_ascii_case(wire::LEG_B)
        );
    let act = Act {
        json,
        kind: a.kind,
        summary: a.summary.clone(),
        label: a.label.clone(),
        max_seconds: a.max_seconds,
        loc,
        hangs_up_caller,
        origins: a.origins.clone(),
    };
    // A response that ends by hanging up the caller is answered by their `HANGUP`: the flow
    // goes on to what follows, which must not talk to the caller.
    if hangs_up_caller {
        if let Some(talks) = talks_after(l, k.next) {
            l.error(
                loc,
                format!("nothing can talk to the caller after `hangup()`: PSTN audio ends the call, so `{talks}` would never be heard; say it before hanging up, or after it only call services (or `fail(…)`)"),
            );
        }
    }
    let (origin, name) = Caller::describe(std::slice::from_ref(&act));
    let task = Caller {
        acts: vec![act],
        final_hangup: false,
        assign: Assign::binding(var, result_expr(&a.result)),
        catch: catchers(k, true),
        next: k.next,
    };
    l.add(Node::Caller(task), origin, name)
}

/// What the first state that talks to the caller on a normal path (not a failure's) from
/// `from` says, if any, other than the flow's own closing hang-up. The states after it are
/// lowered already (back to front); a loop head not yet known is not followed.
fn talks_after(l: &Lowerer<'_>, from: StateId) -> Option<String> {
    let mut todo = vec![from];
    let mut seen = HashSet::new();
    while let Some(id) = todo.pop() {
        if id == StateId::END_HANGUP || !seen.insert(id) {
            continue;
        }
        let Some(node) = l.arena.get(id) else {
            continue;
        };
        if let Node::Caller(c) = node {
            return c
                .acts
                .first()
                .map(|a| a.label.clone().unwrap_or(a.summary.clone()));
        }
        todo.extend(
            node.edges()
                .into_iter()
                .filter(|(slot, _)| !slot.is_catch())
                .map(|(_, t)| t),
        );
    }
    None
}

pub(crate) fn service(
    l: &mut Lowerer<'_>,
    loc: Loc,
    s: &switchboard::ir::Service,
    var: Option<&str>,
    k: &Ctx,
) -> StateId {
    let task = Service {
        resource: s.resource.clone(),
        args: tree(&s.args),
        timeout_seconds: s.timeout_seconds,
        origins: s.origins.clone(),
        assign: Assign::binding(var, result_expr(&s.result)),
        catch: catchers(k, false),
        next: k.next,
    };
    let name = Name::Readable(s.label.clone().unwrap_or_else(|| s.summary.clone()));
    l.add(Node::Service(task), origin(loc, &s.resource), name)
}

pub(crate) fn assign(l: &mut Lowerer<'_>, loc: Loc, var: &str, value: &Expr, k: &Ctx) -> StateId {
    let assign = Assign {
        bind: None,
        vars: vec![(var.to_owned(), value.clone())],
    };
    let name = arena::pass_name(&assign);
    let pass = Pass {
        assign,
        next: k.next,
    };
    l.add(Node::Pass(pass), origin(loc, "assign variables"), name)
}

/// The Choice that sends a failure no `match` handled to the no-input handler when the caller
/// pressed no valid key at a digit prompt (not a fault), else to the error handler.
pub(crate) fn no_input_dispatch(
    l: &mut Lowerer<'_>,
    loc: Loc,
    error_var: &str,
    (no_input, handler): (StateId, StateId),
) -> StateId {
    use switchboard::ir::BinOp;
    let err = || Expr::var(error_var);
    let action_failed = Expr::Binary(
        BinOp::Eq,
        Box::new(err().field("Error")),
        Box::new(Expr::str(wire::ERROR_ACTION_FAILED)),
    );
    // The router's cause is "<ErrorType>: <ErrorMessage>".
    let error_type = Expr::Call(
        "substringBefore",
        vec![err().field("Cause"), Expr::str(":")],
    );
    let no_input_types = Expr::Array(
        wire::ERROR_TYPES_NO_INPUT
            .iter()
            .map(|t| Expr::str(*t))
            .collect(),
    );
    let test = format!(
        "{} and {} in {}",
        print(&action_failed),
        print(&error_type),
        print(&no_input_types)
    );
    let choice = Choice {
        rules: vec![rule(
            Test::Condition(format!("{{% {test} %}}").into()),
            no_input,
        )],
        default: handler,
    };
    l.add(
        Node::Choice(choice),
        origin(
            loc,
            "a failure no `match` handled: no valid key at a prompt is not a fault",
        ),
        Name::Readable("Did the caller answer?".into()),
    )
}

fn rule(test: Test, next: StateId) -> Rule {
    Rule {
        test,
        comment: None,
        assign: Assign::default(),
        next,
    }
}

pub(crate) fn choice_if(
    l: &mut Lowerer<'_>,
    loc: Loc,
    cond: &Expr,
    then: StateId,
    els: StateId,
) -> StateId {
    let choice = Choice {
        rules: vec![rule(Test::Condition(template(cond)), then)],
        default: els,
    };
    let name = Name::Readable(format!("If {}", print(cond).replace('$', "")));
    l.add(Node::Choice(choice), origin(loc, "if"), name)
}

pub(crate) fn choice_match(
    l: &mut Lowerer<'_>,
    loc: Loc,
    subject: &Expr,
    arms: Vec<(&Arm, StateId)>,
    default: StateId,
) -> StateId {
    // An operand of `=`/`in`: a conditional subject must keep its parentheses.
    let subj = print_operand(subject);
    let rules = arms
        .into_iter()
        .map(|(arm, next)| {
            let pats: Vec<Expr> = arm.patterns.iter().cloned().map(Expr::Lit).collect();
            let test = match pats.as_slice() {
                [one] => format!("{subj} = {}", print(one)),
                many => format!("{subj} in {}", print(&Expr::Array(many.to_vec()))),
            };
            Rule {
                comment: Some(format!("{} — arm", arm.loc)),
                ..rule(
                    Test::Condition(Json::String(format!("{{% {test} %}}"))),
                    next,
                )
            }
        })
        .collect();
    let choice = Choice { rules, default };
    let name = Name::Readable(format!("Match {}", subj.replace('$', "")));
    l.add(Node::Choice(choice), origin(loc, "match"), name)
}

pub(crate) fn wait(l: &mut Lowerer<'_>, loc: Loc, seconds: &Expr, k: &Ctx) -> StateId {
    let (label, secs) = match seconds.as_lit().and_then(Json::as_u64) {
        Some(n) => (format!("Wait {n} s"), IntOrExpr::Int(n)),
        None => (
            format!("Wait {}", print(seconds).replace('$', "")),
            IntOrExpr::Expr(format!("{{% {} %}}", print(seconds))),
        ),
    };
    let w = Wait {
        seconds: secs,
        next: k.next,
    };
    l.add(Node::Wait(w), origin(loc, "timer"), Name::Readable(label))
}

pub(crate) fn fail(l: &mut Lowerer<'_>, loc: Loc, error: &str, cause: &Expr) -> StateId {
    let cause = match template(cause) {
        Json::String(s) => s,
        other => other.to_string(),
    };
    let f = arena::Fail {
        error: error.to_owned(),
        cause,
    };
    let name = Name::Readable(format!("Fail {error}"));
    l.add(Node::Fail(f), origin(loc, "fail"), name)
}

/// The location of the first caller action in a block, if any.
pub(crate) fn first_action(stmts: &[Stmt]) -> Option<Loc> {
    stmts.iter().find_map(|s| match &s.kind {
        StmtKind::Action { .. } => Some(s.loc),
        kind => kind
            .child_blocks()
            .into_iter()
            .find_map(|b| first_action(b)),
    })
}

pub(crate) fn parallel<'f>(
    l: &mut Lowerer<'f>,
    loc: Loc,
    branches: &'f [Vec<Stmt>],
    k: &Ctx,
) -> StateId {
    let id = l.reserve(
        origin(loc, "parallel"),
        Name::Readable("Run in parallel".into()),
    );
    let mut out = Vec::new();
    for b in branches {
        if let Some(at) = first_action(b) {
            l.error(at, "parallel branches cannot talk to the caller (one call hears one thing at a time): keep actions outside parallel!");
        }
        let outer = l.scope;
        l.scope = l.new_scope();
        let inner = Ctx {
            next: StateId::BRANCH_END,
            brk: None,
            cont: None,
            ret: StateId::BRANCH_END,
            err: None,
            hangup: None,
        };
        let mut start = l.block(b, &inner);
        if start == StateId::BRANCH_END {
            let pass = Pass {
                assign: Assign::default(),
                next: StateId::BRANCH_END,
            };
            start = l.add(
                Node::Pass(pass),
                None,
                Name::Readable("Nothing to do".into()),
            );
        }
        out.push(Branch {
            scope: l.scope,
            start,
        });
        l.scope = outer;
    }
    let p = Parallel {
        branches: out,
        catch: catchers(k, false),
        next: k.next,
    };
    l.arena.fill(id, Node::Parallel(p));
    id
}

/// The shared "Hang up" Task the flow's end goes to.
pub(crate) fn final_hangup(l: &Lowerer<'_>, k: &Ctx) -> Node {
    let act = Act {
        json: arena::hangup_action(),
        kind: pstn::Action::HANGUP,
        summary: "Hang up".into(),
        label: None,
        max_seconds: 0,
        loc: l.flow.loc,
        hangs_up_caller: true,
        origins: Default::default(),
    };
    Node::Caller(Caller {
        acts: vec![act],
        final_hangup: false,
        assign: Assign::default(),
        catch: catchers(k, true),
        next: k.next,
    })
}
