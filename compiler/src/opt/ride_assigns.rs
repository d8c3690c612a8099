//! Assignments ride on the `Assign` of what leads to them instead of taking a Pass state (a
//! transition) of their own:
//! - an assignment that follows an action, a service call or other assignments in the flow's
//!   sequence rides on that state's `Assign`, which Step Functions evaluates only when the
//!   state succeeds;
//! - the assignments that open an `if`'s branch or a `match` arm ride on the Choice rule's
//!   `Assign`, evaluated only when the rule matches
//!   (<https://docs.aws.amazon.com/step-functions/latest/dg/state-choice.html>);
//! - those that open an `Err` or `Err(Hangup)` arm ride on the `Assign` of every catcher leading
//!   to the arm (where the arm's error variable is `$states.errorOutput`).
//!
//! Step Functions evaluates all the assignments of one `Assign` against the values from before
//! it (<https://docs.aws.amazon.com/step-functions/latest/dg/workflow-variables.html>), so an
//! assignment rides only where that means the same: see [`Assign::absorb`], which asks which
//! variables each expression reads. Assignments ride in flow order, each one as far as the
//! ones before it got.

use super::{flow_order, repoint};
use crate::arena::{pass_name, Arena, Assign, Node, Slot, StateId};

pub fn run(arena: &mut Arena) {
    let mut preds = arena.preds();
    for id in flow_order(arena) {
        let Some(plan) = plan(arena, &preds, id) else {
            continue;
        };
        let Some(Node::Pass(pass)) = arena.remove(id) else {
            continue;
        };
        let mut into: Vec<StateId> = Vec::new();
        for (q, slot, assign) in plan {
            let mut renamed = None;
            if let Some(node) = arena.get_mut(q) {
                if let Some(a) = node.assign_mut(slot) {
                    *a = assign;
                }
                node.retarget(id, pass.next);
                if let (Node::Pass(p), Slot::Next) = (&*node, slot) {
                    renamed = Some(pass_name(&p.assign));
                }
            }
            if let Some(name) = renamed {
                arena.meta_mut(q).name = name;
            }
            if !into.contains(&q) {
                into.push(q);
            }
        }
        repoint(&mut preds, id, pass.next, &into);
    }
}

/// For each transition into the Pass `id`, the `Assign` it gets when the Pass rides on it; or
/// `None` when the Pass cannot ride on all of them.
fn plan(
    arena: &Arena,
    preds: &[Vec<StateId>],
    id: StateId,
) -> Option<Vec<(StateId, Slot, Assign)>> {
    let meta = arena.meta(id);
    if !meta.follows && !meta.opens {
        return None;
    }
    let Some(Node::Pass(pass)) = arena.get(id) else {
        return None;
    };
    let mut plan = Vec::new();
    for &q in &preds[id.index()] {
        let node = arena.get(q)?;
        for (slot, t) in node.edges() {
            if t != id {
                continue;
            }
            let rides = match slot {
                // A Task hanging up the caller: its `HANGUP` catcher copies its assignments.
                Slot::Mirror => continue,
                // Onto a Pass's or a Task's own `Assign` (a Wait, a Parallel have none here).
                Slot::Next => meta.follows && q != StateId::START,
                Slot::Rule(_) | Slot::Catch(_) => meta.opens,
                // ASL has no `Assign` on `Default`.
                Slot::Default => false,
            };
            if !rides {
                return None;
            }
            let mut assign = node.assign(slot)?.clone();
            for (var, value) in &pass.assign.vars {
                let value = assign.absorb(var, value)?;
                assign.vars.push((var.clone(), value));
            }
            plan.push((q, slot, assign));
        }
    }
    (!plan.is_empty()).then_some(plan)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::arena::{Bind, Catch, Choice, Rule};
    use crate::opt::test_support::*;
    use switchboard::ir::{BinOp, Expr};
    use switchboard_asl::Test;

    fn plus_one(var: &str) -> Expr {
        Expr::Binary(BinOp::Add, Box::new(Expr::var(var)), Box::new(num(1)))
    }

    fn choice(a: &mut Arena, then: StateId, els: StateId) -> StateId {
        let c = Choice {
            rules: vec![Rule {
                test: Test::Condition(serde_json::json!(true)),
                comment: None,
                assign: Assign::default(),
                next: then,
            }],
            default: els,
        };
        a.add(Node::Choice(c), crate::arena::Meta::default())
    }

    #[test]
    fn assignments_after_an_action_ride_on_its_task() {
        let mut a = arena();
        let y = add_pass(&mut a, "y", plus_one("x"), StateId::END_HANGUP, true);
        let x = add_pass(&mut a, "x", num(1), y, true);
        let t = add_caller(&mut a, vec![speak(1)], x, false);
        start_at(&mut a, t);
        run(&mut a);
        // `x` rides on the Task; `y` reads `x`, assigned in that same `Assign`, so it cannot
        // (it would read the old value) and stays a Pass.
        assert_eq!(assigned(&caller(&a, t).assign), ["x"]);
        assert_eq!(caller(&a, t).next, y);
        assert!(a.get(x).is_none() && a.get(y).is_some());
    }

    #[test]
    fn a_read_of_the_bound_result_reads_the_task_result() {
        let mut a = arena();
        let x = add_pass(
            &mut a,
            "x",
            Expr::var("d").field("digits"),
            StateId::END_HANGUP,
            true,
        );
        let t = add_caller(&mut a, vec![ask(1)], x, false);
        let result = Expr::Object(vec![("digits".into(), Expr::StatesResult.field("Digits"))]);
        if let Some(Node::Caller(c)) = a.get_mut(t) {
            c.assign.bind = Some(Bind {
                var: "d".into(),
                value: Some(result),
            });
        }
        start_at(&mut a, t);
        run(&mut a);
        let c = caller(&a, t);
        assert_eq!(assigned(&c.assign), ["d", "x"]);
        assert_eq!(c.assign.vars[0].1, Expr::StatesResult.field("Digits"));

        // A bound result that holds nothing cannot be read on the same `Assign`.
        let mut a = arena();
        let x = add_pass(&mut a, "x", Expr::var("d"), StateId::END_HANGUP, true);
        let t = add_caller(&mut a, vec![ask(1)], x, false);
        if let Some(Node::Caller(c)) = a.get_mut(t) {
            c.assign.bind = Some(Bind {
                var: "d".into(),
                value: None,
            });
        }
        start_at(&mut a, t);
        run(&mut a);
        assert!(a.get(x).is_some());
    }

    #[test]
    fn consecutive_assignments_share_one_pass_named_after_both() {
        let mut a = arena();
        let y = add_pass(&mut a, "y", num(2), StateId::END_HANGUP, true);
        let x = add_pass(&mut a, "x", num(1), y, false);
        start_at(&mut a, x);
        run(&mut a);
        let Some(Node::Pass(p)) = a.get(x) else {
            panic!("x stays a Pass")
        };
        assert_eq!(assigned(&p.assign), ["x", "y"]);
        assert_eq!(
            a.meta(x).name,
            crate::arena::Name::Readable("Set x, y".into())
        );
        assert!(a.get(y).is_none());
    }

    #[test]
    fn an_assignment_that_does_not_follow_stays() {
        // A join after a decision: not marked as following.
        let mut a = arena();
        let x = add_pass(&mut a, "x", num(1), StateId::END_HANGUP, false);
        let t = add_caller(&mut a, vec![speak(1)], x, false);
        start_at(&mut a, t);
        run(&mut a);
        assert!(a.get(x).is_some());
        assert!(caller(&a, t).assign.vars.is_empty());

        // Never onto the start state (that is `merge_into_start`'s, all or nothing).
        let mut a = arena();
        let x = add_pass(&mut a, "x", num(1), StateId::END_HANGUP, true);
        start_at(&mut a, x);
        run(&mut a);
        assert!(a.get(x).is_some());

        // Assigning a variable twice in one `Assign`.
        let mut a = arena();
        let x2 = add_pass(&mut a, "x", num(2), StateId::END_HANGUP, true);
        let x1 = add_pass(&mut a, "x", num(1), x2, true);
        let t = add_caller(&mut a, vec![speak(1)], x1, false);
        start_at(&mut a, t);
        run(&mut a);
        assert_eq!(assigned(&caller(&a, t).assign), ["x"]);
        assert!(a.get(x2).is_some());
    }

    #[test]
    fn branch_openers_ride_on_the_rule_but_not_on_default() {
        let mut a = arena();
        let then_y = add_pass(&mut a, "y", num(2), StateId::END_HANGUP, true);
        let then_x = add_pass(&mut a, "x", num(1), then_y, false);
        let els = add_pass(&mut a, "z", num(3), StateId::END_HANGUP, false);
        a.meta_mut(then_x).opens = true;
        a.meta_mut(then_y).opens = true;
        // The else branch's opener: `Default` has no `Assign`.
        a.meta_mut(els).opens = true;
        let c = choice(&mut a, then_x, els);
        start_at(&mut a, c);
        run(&mut a);
        let Some(Node::Choice(ch)) = a.get(c) else {
            panic!()
        };
        assert_eq!(assigned(&ch.rules[0].assign), ["x", "y"]);
        assert_eq!(ch.rules[0].next, StateId::END_HANGUP);
        assert_eq!(ch.default, els);
        assert!(a.get(els).is_some());
    }

    #[test]
    fn a_follower_of_an_opener_does_not_ride_on_the_rule() {
        // `if c { x = 1; f() }` where `f` (inlined) starts with `y = 2`: `y` follows `x` but does
        // not open the branch, so once `x` is on the rule, `y` stays a Pass.
        let mut a = arena();
        let y = add_pass(&mut a, "y", num(2), StateId::END_HANGUP, true);
        let x = add_pass(&mut a, "x", num(1), y, false);
        a.meta_mut(x).opens = true;
        let c = choice(&mut a, x, StateId::END_HANGUP);
        start_at(&mut a, c);
        run(&mut a);
        assert!(a.get(x).is_none());
        assert!(a.get(y).is_some());
    }

    #[test]
    fn arm_openers_ride_on_every_catcher_reading_the_error() {
        let mut a = arena();
        let arm = add_pass(
            &mut a,
            "why",
            Expr::var("e").field("Cause"),
            StateId::END_HANGUP,
            false,
        );
        a.meta_mut(arm).opens = true;
        let to_arm = || Catch {
            error: "States.ALL",
            assign: Assign {
                bind: Some(Bind {
                    var: "e".into(),
                    value: Some(Expr::StatesError),
                }),
                vars: vec![],
            },
            next: arm,
        };
        let second = add_caller(&mut a, vec![speak(2)], StateId::END_HANGUP, false);
        let first = add_caller(&mut a, vec![speak(1)], second, false);
        for t in [first, second] {
            if let Some(Node::Caller(c)) = a.get_mut(t) {
                c.catch.push(to_arm());
            }
        }
        start_at(&mut a, first);
        run(&mut a);
        assert!(a.get(arm).is_none());
        for t in [first, second] {
            let k = &caller(&a, t).catch[0];
            assert_eq!(k.next, StateId::END_HANGUP);
            assert_eq!(assigned(&k.assign), ["e", "why"]);
            assert_eq!(k.assign.vars[0].1, Expr::StatesError.field("Cause"));
        }
    }

    #[test]
    fn an_opener_also_reached_by_next_stays() {
        let mut a = arena();
        let arm = add_pass(&mut a, "x", num(1), StateId::END_HANGUP, false);
        a.meta_mut(arm).opens = true;
        let t = add_caller(&mut a, vec![speak(1)], arm, false);
        if let Some(Node::Caller(c)) = a.get_mut(t) {
            c.catch.push(catch_to(arm));
        }
        start_at(&mut a, t);
        run(&mut a);
        assert!(a.get(arm).is_some());
    }

    #[test]
    fn after_a_hang_up_the_assignments_also_ride_on_its_hangup_catcher() {
        let mut a = arena();
        let x = add_pass(&mut a, "x", num(1), StateId::CALL_ENDED, true);
        let t = add_caller(&mut a, vec![hangup(1)], x, false);
        start_at(&mut a, t);
        run(&mut a);
        let c = caller(&a, t);
        assert_eq!(assigned(&c.assign), ["x"]);
        assert_eq!(c.next, StateId::CALL_ENDED);
        let node = a.get(t).unwrap();
        assert!(node.edges().contains(&(Slot::Mirror, StateId::CALL_ENDED)));
    }
}
