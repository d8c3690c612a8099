//! Consecutive actions with no decision between them go out in one response: PSTN audio runs a
//! list of up to 10 actions and reports once, so the caller hears no gap and the execution makes
//! one round trip instead of several
//! (<https://docs.aws.amazon.com/chime-sdk/latest/dg/invoke-on-call-leg.html>).
//!
//! A caller Task is merged into the caller Task before it when it follows it in the flow's
//! sequence ([`Meta::follows`](crate::arena::Meta::follows)) and nothing else leads to it, the
//! earlier one binds no result and assigns nothing (its result would be lost: the response
//! reports only the last action's), both have the same catchers, neither waits for a hang-up,
//! and the response stays within 10 actions. The merged Task binds what the later one bound and
//! goes where it went; a response that now ends with a hang-up gets its catchers from that.

use super::{flow_order, repoint};
use crate::arena::{Arena, Caller, Node, Slot, StateId};
use switchboard::lang::WAIT_KIND;
use switchboard::pstn::limits::MAX_ACTIONS_PER_RESPONSE;

pub fn run(arena: &mut Arena) {
    let mut preds = arena.preds();
    for id in flow_order(arena) {
        let Some(before) = joins(arena, &preds, id) else {
            continue;
        };
        let Some(Node::Caller(later)) = arena.remove(id) else {
            continue;
        };
        let Some(Node::Caller(t)) = arena.get_mut(before) else {
            continue;
        };
        t.acts.extend(later.acts);
        t.assign = later.assign;
        t.catch = later.catch;
        t.next = later.next;
        let (origin, name) = Caller::describe(&t.acts);
        let targets: Vec<StateId> = arena
            .get(before)
            .map_or(Vec::new(), Node::edges)
            .into_iter()
            .map(|(_, s)| s)
            .collect();
        let meta = arena.meta_mut(before);
        meta.origin = origin;
        meta.name = name;
        for s in targets {
            repoint(&mut preds, id, s, &[before]);
        }
    }
}

/// The caller Task that `id` (a caller Task) can be merged into, if any.
fn joins(arena: &Arena, preds: &[Vec<StateId>], id: StateId) -> Option<StateId> {
    if !arena.meta(id).follows {
        return None;
    }
    let Some(Node::Caller(later)) = arena.get(id) else {
        return None;
    };
    let [before] = preds[id.index()][..] else {
        return None;
    };
    let node = arena.get(before)?;
    let Node::Caller(t) = node else {
        return None;
    };
    let only_next = node
        .edges()
        .iter()
        .all(|&(slot, s)| s != id || matches!(slot, Slot::Next | Slot::Mirror));
    let waits = |c: &Caller| c.acts.iter().any(|a| a.kind == WAIT_KIND);
    (t.next == id
        && only_next
        && t.assign.bind.is_none()
        && t.assign.vars.is_empty()
        && t.catch == later.catch
        && !t.final_hangup
        && !later.final_hangup
        && !waits(t)
        && !waits(later)
        && t.acts.len() + later.acts.len() <= MAX_ACTIONS_PER_RESPONSE)
        .then_some(before)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::opt::test_support::*;

    #[test]
    fn a_sequence_of_actions_becomes_one_response() {
        let mut a = arena();
        let third = add_caller(&mut a, vec![speak(3)], StateId::END_HANGUP, true);
        let second = add_caller(&mut a, vec![speak(2)], third, true);
        let first = add_caller(&mut a, vec![speak(1)], second, false);
        start_at(&mut a, first);
        run(&mut a);
        let t = caller(&a, first);
        assert_eq!(summaries(t), ["Speak 1", "Speak 2", "Speak 3"]);
        assert_eq!(t.next, StateId::END_HANGUP);
        assert!(a.get(second).is_none() && a.get(third).is_none());
        assert_eq!(
            a.meta(first).name,
            crate::arena::Name::Readable("Speak 1 - Speak 2 - Speak 3".into())
        );
        assert_eq!(a.meta(first).origin.as_ref().unwrap().0.line, 1);
    }

    #[test]
    fn a_response_holds_at_most_ten_actions_the_first_ten_together() {
        let mut a = arena();
        let mut next = StateId::END_HANGUP;
        let mut ids = Vec::new();
        for line in (1..=12).rev() {
            next = add_caller(&mut a, vec![speak(line)], next, line > 1);
            ids.push(next);
        }
        start_at(&mut a, next);
        run(&mut a);
        let first = caller(&a, next);
        assert_eq!(first.acts.len(), 10);
        assert_eq!(caller(&a, first.next).acts.len(), 2);
    }

    #[test]
    fn what_must_not_be_batched() {
        // Not following in the sequence (a join after a decision, a new block).
        let mut a = arena();
        let second = add_caller(&mut a, vec![speak(2)], StateId::END_HANGUP, false);
        let first = add_caller(&mut a, vec![speak(1)], second, false);
        start_at(&mut a, first);
        run(&mut a);
        assert!(a.get(second).is_some(), "not marked as following");

        // The earlier action binds a result: the response reports only the last one's.
        let mut a = arena();
        let second = add_caller(&mut a, vec![speak(2)], StateId::END_HANGUP, true);
        let first = add_caller(&mut a, vec![ask(1)], second, false);
        if let Some(Node::Caller(t)) = a.get_mut(first) {
            t.assign.bind = crate::arena::Assign::binding(Some("d"), None).bind;
        }
        start_at(&mut a, first);
        run(&mut a);
        assert!(a.get(second).is_some(), "the earlier action binds a result");

        // The earlier Task already carries assignments.
        let mut a = arena();
        let second = add_caller(&mut a, vec![speak(2)], StateId::END_HANGUP, true);
        let first = add_caller(&mut a, vec![speak(1)], second, false);
        if let Some(Node::Caller(t)) = a.get_mut(first) {
            t.assign.vars.push(("x".into(), num(1)));
        }
        start_at(&mut a, first);
        run(&mut a);
        assert!(a.get(second).is_some(), "the earlier Task assigns");

        // Waiting for a hang-up is a response of its own.
        let mut a = arena();
        let second = add_caller(&mut a, vec![speak(2)], StateId::END_HANGUP, true);
        let first = add_caller(&mut a, vec![wait_for_hangup(1)], second, false);
        start_at(&mut a, first);
        run(&mut a);
        assert!(a.get(second).is_some(), "wait for hang-up");

        // Something else leads to the later action too (a loop back edge).
        let mut a = arena();
        let second = add_caller(&mut a, vec![speak(2)], StateId::END_HANGUP, true);
        let first = add_caller(&mut a, vec![speak(1)], second, false);
        let other = add_caller(&mut a, vec![speak(3)], second, false);
        start_at(&mut a, first);
        run(&mut a);
        assert!(a.get(second).is_some(), "two predecessors");
        assert_eq!(caller(&a, other).acts.len(), 1);

        // Different catchers: failures would go elsewhere.
        let mut a = arena();
        let second = add_caller(&mut a, vec![speak(2)], StateId::END_HANGUP, true);
        let first = add_caller(&mut a, vec![speak(1)], second, false);
        if let Some(Node::Caller(t)) = a.get_mut(second) {
            t.catch.push(catch_to(StateId::FAILED));
        }
        start_at(&mut a, first);
        run(&mut a);
        assert!(a.get(second).is_some(), "different catchers");
    }

    #[test]
    fn the_merged_task_binds_and_goes_where_the_later_one_did() {
        let mut a = arena();
        let second = add_caller(&mut a, vec![ask(2)], StateId::END_HANGUP, true);
        if let Some(Node::Caller(t)) = a.get_mut(second) {
            t.assign.bind = crate::arena::Assign::binding(Some("d"), Some(num(7))).bind;
        }
        let first = add_caller(&mut a, vec![speak(1)], second, false);
        start_at(&mut a, first);
        run(&mut a);
        let t = caller(&a, first);
        assert_eq!(t.assign.bind.as_ref().map(|b| b.var.as_str()), Some("d"));
        assert_eq!(t.next, StateId::END_HANGUP);
    }
}
