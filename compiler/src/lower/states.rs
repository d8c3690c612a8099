//! Building the states of each unit.

use super::group::{result_expr, Assigns, Batch, ServiceUnit};
use super::jsonata::{print, print_operand, template, tree};
use super::{Ctx, Lowerer, BRANCH_END};
use serde_json::{json, Map, Value as Json};
use switchboard::ir::{Action, Arm, Expr, Loc, ResultShape, Stmt, StmtKind};
use switchboard::lang::results::Call;
use switchboard::lang::WAIT_KIND;
use switchboard::pstn;
use switchboard::wire;
use switchboard_asl::errors;
use switchboard_asl::{
    Branch, Catcher, Choice, ChoiceRule, Fail, Handlers, IntOrExpr, Io, Parallel, Pass, State,
    Task, Test, Wait,
};

/// Seconds added to a waiting Task's timeout beyond its actions' own durations: the router's
/// round trip and PSTN audio's processing.
const SLACK_SECONDS: u64 = 20;

fn comment(loc: Loc, what: &str) -> Option<String> {
    Some(format!("{loc} — {what}"))
}

fn catchers(k: &Ctx, caller: bool) -> Vec<Catcher> {
    let mut out = Vec::new();
    if caller {
        if let Some(h) = &k.hangup {
            out.push(catcher(wire::ERROR_HANGUP, h));
        }
    }
    if let Some(e) = &k.err {
        out.push(catcher(errors::ALL, e));
    }
    out
}

fn catcher(error: &str, e: &super::ErrTarget) -> Catcher {
    let mut c = Catcher::new([error], e.next.clone());
    let mut m = Map::new();
    if let Some(var) = &e.var {
        m.insert(
            var.clone(),
            Json::String("{% $states.errorOutput %}".into()),
        );
    }
    let assigns: Vec<(&str, &Expr)> = e.assigns.iter().map(|(v, x)| (v.as_str(), x)).collect();
    if let Some(Json::Object(extra)) = assign_object(None, &assigns) {
        m.extend(extra);
    }
    c.assign = (!m.is_empty()).then_some(Json::Object(m));
    c
}

pub(crate) fn assign_object<E: std::borrow::Borrow<Expr>>(
    bind: Option<(&str, &ResultShape)>,
    assigns: &[(&str, E)],
) -> Option<Json> {
    let mut m = Map::new();
    if let Some((var, shape)) = bind {
        if let Some(e) = result_expr(shape) {
            m.insert(var.to_owned(), template(&e));
        }
    }
    for (var, e) in assigns {
        let value = match template(e.borrow()) {
            // asl-validator's schema rejects an empty string as an `Assign` value, which Step
            // Functions accepts; the expression form means the same and passes both.
            Json::String(t) if t.is_empty() => Json::String("{% \"\" %}".into()),
            v => v,
        };
        m.insert((*var).to_owned(), value);
    }
    (!m.is_empty()).then_some(Json::Object(m))
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

fn message(actions: Vec<Json>) -> Json {
    let queue = format!("{{% ${} %}}", "queue_url");
    json!({
        wire::INPUT_QUEUE_URL: queue,
        "MessageBody": {
            "SchemaVersion": wire::SCHEMA_VERSION,
            "Actions": actions,
            "TransactionAttributes": {
                wire::ATTR_WAIT_TOKEN: "{% $states.context.Task.Token %}",
                wire::ATTR_QUEUE_URL: queue,
            }
        }
    })
}

pub(crate) fn batch(l: &mut Lowerer<'_>, b: &Batch<'_>, k: &Ctx) -> String {
    let (first, first_loc) = b.actions[0];
    let base = match b.actions.iter().find_map(|(a, _)| a.label.clone()) {
        Some(label) => label,
        None => b
            .actions
            .iter()
            .map(|(a, _)| a.summary.clone())
            .collect::<Vec<_>>()
            .join(" · "),
    };
    let name = l.names.fresh(&base);
    let actions: Vec<Json> = b
        .actions
        .iter()
        .filter(|(a, _)| a.kind != WAIT_KIND)
        .map(|(a, loc)| action_json(l, a, *loc))
        .collect();
    let seconds: u64 = b
        .actions
        .iter()
        .map(|(a, _)| u64::from(a.max_seconds))
        .sum::<u64>()
        + SLACK_SECONDS;
    let kinds: Vec<&str> = b.actions.iter().map(|(a, _)| a.kind).collect();
    let last = b
        .actions
        .last()
        .map(|(a, _)| &a.result)
        .unwrap_or(&first.result);
    // A response that ends by hanging up the caller is answered by their `HANGUP`: that is its
    // success, so the flow goes on to what follows (service calls, `fail`), not to the hang-up
    // arm; the assignments riding on the Task ride on that catcher too.
    let is_caller_hangup = |a: &Action| {
        a.kind == "Hangup"
            && !matches!(
                a.params.get("ParticipantTag").and_then(|t| t.as_const()),
                Some(Json::String(t)) if t.eq_ignore_ascii_case(wire::LEG_B)
            )
    };
    let hangs_up_caller = b.actions.last().is_some_and(|(a, _)| is_caller_hangup(a));
    // Actions batched after the caller's hang-up are never heard either.
    if let Some(i) = b.actions.iter().position(|(a, _)| is_caller_hangup(a)) {
        if let Some((after, _)) = b.actions.get(i + 1) {
            l.error(
                b.actions[i].1,
                format!("nothing can talk to the caller after `hangup()`: PSTN audio ends the call, so `{}` would never be heard; say it before hanging up, or after it only call services (or `fail(…)`)", after.summary),
            );
        }
    }
    if hangs_up_caller {
        if let Some(talks) = talks_after(l, &k.next) {
            let at = b.actions.last().map_or(first_loc, |(_, loc)| *loc);
            l.error(
                at,
                format!("nothing can talk to the caller after `hangup()`: PSTN audio ends the call, so `{talks}` would never be heard; say it before hanging up, or after it only call services (or `fail(…)`)"),
            );
        }
    }
    let catch_ctx;
    let k_catch = if hangs_up_caller {
        // The flow's end hangs up: already done.
        let next = if k.next == super::END_HANGUP {
            super::CALL_ENDED.to_owned()
        } else {
            k.next.clone()
        };
        catch_ctx = Ctx {
            hangup: Some(super::ErrTarget {
                next,
                var: None,
                assigns: b
                    .assigns
                    .iter()
                    .map(|(v, e)| (v.to_string(), e.as_ref().clone()))
                    .collect(),
            }),
            ..k.clone()
        };
        &catch_ctx
    } else {
        k
    };
    let task = Task {
        comment: comment(first_loc, &kinds.join(", ")),
        resource: wire::RESOURCE_SEND_AND_WAIT.into(),
        arguments: Some(message(actions)),
        io: Io {
            assign: assign_object(b.bind.map(|v| (v, last)), &b.assigns),
            ..Io::default()
        },
        timeout_seconds: Some(IntOrExpr::Int(seconds)),
        handlers: Handlers {
            catch: catchers(k_catch, true),
            ..Handlers::default()
        },
        next: Some(k.next.clone()),
        ..Default::default()
    };
    l.states.insert(name.clone(), State::Task(task));
    name
}

/// The first state that talks to the caller on a normal path (not a failure's) from `from`, if
/// any, other than the flow's own closing hang-up. The states after it are lowered already
/// (back to front); a loop head not yet known is not followed.
fn talks_after(l: &Lowerer<'_>, from: &str) -> Option<String> {
    let mut todo = vec![from.to_owned()];
    let mut seen = std::collections::HashSet::new();
    while let Some(name) = todo.pop() {
        if name == super::END_HANGUP || !seen.insert(name.clone()) {
            continue;
        }
        let Some(state) = l.states.get(&name) else {
            continue;
        };
        if matches!(state, State::Task(t) if t.resource == wire::RESOURCE_SEND_AND_WAIT) {
            return Some(name);
        }
        todo.extend(
            state
                .successors()
                .filter(|e| !e.kind.is_catch())
                .map(|e| e.target.to_owned()),
        );
    }
    None
}

pub(crate) fn service(l: &mut Lowerer<'_>, s: &ServiceUnit<'_>, k: &Ctx) -> String {
    let name = l
        .names
        .fresh(s.service.label.as_deref().unwrap_or(&s.service.summary));
    let task = Task {
        comment: comment(s.loc, &s.service.resource),
        resource: s.service.resource.clone(),
        arguments: Some(tree(&s.service.args)),
        io: Io {
            assign: assign_object(s.bind.map(|v| (v, &s.service.result)), &s.assigns),
            ..Io::default()
        },
        timeout_seconds: Some(IntOrExpr::Int(u64::from(s.service.timeout_seconds))),
        handlers: Handlers {
            catch: catchers(k, false),
            ..Handlers::default()
        },
        next: Some(k.next.clone()),
        ..Default::default()
    };
    l.states.insert(name.clone(), State::Task(task));
    name
}

pub(crate) fn assigns(l: &mut Lowerer<'_>, a: &Assigns<'_>, k: &Ctx) -> String {
    let vars: Vec<&str> = a.assigns.iter().map(|(v, _)| *v).collect();
    let name = l.names.fresh(&format!("Set {}", vars.join(", ")));
    let pass = Pass {
        comment: comment(a.loc, "assign variables"),
        io: Io {
            assign: assign_object(None, &a.assigns),
            ..Io::default()
        },
        next: Some(k.next.clone()),
        ..Default::default()
    };
    l.states.insert(name.clone(), State::Pass(pass));
    name
}

fn condition(e: &Expr) -> Test {
    Test::Condition(template(e))
}

/// The Choice that sends a failure no `match` handled to the no-input handler when the caller
/// pressed no valid key at a digit prompt (not a fault), else to the error handler.
pub(crate) fn no_input_dispatch(
    l: &mut Lowerer<'_>,
    loc: Loc,
    error_var: &str,
    (no_input, handler): (String, String),
) -> String {
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
    let name = l.names.fresh("Did the caller answer?");
    let choice = Choice {
        comment: comment(
            loc,
            "a failure no `match` handled: no valid key at a prompt is not a fault",
        ),
        choices: vec![ChoiceRule::new(
            Test::Condition(format!("{{% {test} %}}").into()),
            no_input,
        )],
        default: Some(handler),
        ..Default::default()
    };
    l.states.insert(name.clone(), State::Choice(choice));
    name
}

pub(crate) fn choice_if(
    l: &mut Lowerer<'_>,
    loc: Loc,
    cond: &Expr,
    (then, then_assign): (String, Option<Json>),
    els: String,
) -> String {
    let name = l
        .names
        .fresh(&format!("If {}", print(cond).replace('$', "")));
    let choice = Choice {
        comment: comment(loc, "if"),
        choices: vec![{
            let mut rule = ChoiceRule::new(condition(cond), then);
            rule.assign = then_assign;
            rule
        }],
        default: Some(els),
        ..Default::default()
    };
    l.states.insert(name.clone(), State::Choice(choice));
    name
}

pub(crate) fn choice_match(
    l: &mut Lowerer<'_>,
    loc: Loc,
    subject: &Expr,
    arms: Vec<(&Arm, String, Option<Json>)>,
    default: String,
) -> String {
    // An operand of `=`/`in`: a conditional subject must keep its parentheses.
    let subj = print_operand(subject);
    let name = l.names.fresh(&format!("Match {}", subj.replace('$', "")));
    let rules = arms
        .into_iter()
        .map(|(arm, next, assign)| {
            let pats: Vec<Expr> = arm.patterns.iter().cloned().map(Expr::Lit).collect();
            let test = match pats.as_slice() {
                [one] => format!("{subj} = {}", print(one)),
                many => format!("{subj} in {}", print(&Expr::Array(many.to_vec()))),
            };
            let mut rule = ChoiceRule::new(
                Test::Condition(Json::String(format!("{{% {test} %}}"))),
                next,
            );
            rule.assign = assign;
            rule.comment = Some(format!("{} — arm", arm.loc));
            rule
        })
        .collect();
    let choice = Choice {
        comment: comment(loc, "match"),
        choices: rules,
        default: Some(default),
        ..Default::default()
    };
    l.states.insert(name.clone(), State::Choice(choice));
    name
}

pub(crate) fn wait(l: &mut Lowerer<'_>, loc: Loc, seconds: &Expr, k: &Ctx) -> String {
    let (label, secs) = match seconds.as_lit().and_then(Json::as_u64) {
        Some(n) => (format!("Wait {n} s"), IntOrExpr::Int(n)),
        None => (
            format!("Wait {}", print(seconds).replace('$', "")),
            IntOrExpr::Expr(format!("{{% {} %}}", print(seconds))),
        ),
    };
    let name = l.names.fresh(&label);
    let w = Wait {
        comment: comment(loc, "timer"),
        seconds: Some(secs),
        next: Some(k.next.clone()),
        ..Default::default()
    };
    l.states.insert(name.clone(), State::Wait(w));
    name
}

pub(crate) fn fail(l: &mut Lowerer<'_>, loc: Loc, error: &str, cause: &Expr) -> String {
    let name = l.names.fresh(&format!("Fail {error}"));
    let cause = match template(cause) {
        Json::String(s) => s,
        other => other.to_string(),
    };
    let f = Fail {
        comment: comment(loc, "fail"),
        error: Some(error.to_owned()),
        cause: Some(cause),
        ..Default::default()
    };
    l.states.insert(name.clone(), State::Fail(f));
    name
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
) -> String {
    let name = l.names.fresh("Run in parallel");
    let mut out = Vec::new();
    for b in branches {
        if let Some(at) = first_action(b) {
            l.error(at, "parallel branches cannot talk to the caller (one call hears one thing at a time): keep actions outside parallel!");
        }
        let saved = std::mem::take(&mut l.states);
        let inner = Ctx {
            next: BRANCH_END.into(),
            brk: None,
            cont: None,
            ret: BRANCH_END.into(),
            err: None,
            hangup: None,
        };
        let mut entry = l.block(b, &inner);
        let mut states = std::mem::replace(&mut l.states, saved);
        if entry == BRANCH_END {
            entry = l.names.fresh("Nothing to do");
            states.insert(
                entry.clone(),
                State::Pass(Pass {
                    end: Some(true),
                    ..Default::default()
                }),
            );
        }
        for s in states.values_mut() {
            end_branch(s);
        }
        out.push(Branch {
            comment: None,
            query_language: None,
            start_at: entry,
            states,
        });
    }
    let p = Parallel {
        comment: comment(loc, "parallel"),
        branches: out,
        handlers: Handlers {
            catch: catchers(k, false),
            ..Handlers::default()
        },
        next: Some(k.next.clone()),
        ..Default::default()
    };
    l.states.insert(name.clone(), State::Parallel(p));
    name
}

fn end_branch(s: &mut State) {
    if let Some((next, end)) = s.next_end_mut() {
        if next.as_deref() == Some(BRANCH_END) {
            *next = None;
            *end = Some(true);
        }
    }
}

fn hangup_action() -> Json {
    json!({ "Type": "Hangup", "Parameters": { "CallId": format!("{{% ${}.CallId %}}", Call::VAR), "SipResponseCode": "0" } })
}

/// The shared "Hang up" Task the flow's end goes to.
pub(crate) fn final_hangup(l: &Lowerer<'_>, k: &Ctx) -> State {
    State::Task(Task {
        comment: comment(l.flow.loc, "the flow ended: hang up"),
        resource: wire::RESOURCE_SEND_AND_WAIT.into(),
        arguments: Some(message(vec![hangup_action()])),
        timeout_seconds: Some(IntOrExpr::Int(SLACK_SECONDS)),
        handlers: Handlers {
            catch: catchers(k, true),
            ..Handlers::default()
        },
        next: Some(k.next.clone()),
        ..Default::default()
    })
}

/// Appends a Hangup to a caller Task's actions (unless it already ends with one). `false` when
/// the Task cannot take it: not a caller Task, an empty wait, or already 10 actions.
pub(crate) fn append_hangup(t: &mut Task) -> bool {
    if t.resource != wire::RESOURCE_SEND_AND_WAIT {
        return false;
    }
    let Some(actions) = t
        .arguments
        .as_mut()
        .and_then(|a| a.pointer_mut("/MessageBody/Actions"))
        .and_then(Json::as_array_mut)
    else {
        return false;
    };
    if actions.is_empty() {
        return false;
    }
    if actions
        .last()
        .and_then(|a| a.get("Type"))
        .and_then(Json::as_str)
        == Some("Hangup")
    {
        return true;
    }
    if actions.len() >= pstn::limits::MAX_ACTIONS_PER_RESPONSE {
        return false;
    }
    actions.push(hangup_action());
    if let Some(IntOrExpr::Int(n)) = &mut t.timeout_seconds {
        *n += 10;
    }
    true
}
