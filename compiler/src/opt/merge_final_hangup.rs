//! The flow's last caller Task hangs up itself (one round trip fewer) instead of going to the
//! shared "hang up" state, which emission then leaves out if nothing else reaches it.
//!
//! A caller Task going to the flow's end gets the Hangup appended to its actions (and 10 s more
//! to its timeout) and goes on to "call ended"; unless its response is full (10 actions, the
//! PSTN audio limit), sends nothing (waiting for a hang-up), or already ends with a Hangup.

use crate::arena::{Arena, Node, StateId};
use switchboard::lang::WAIT_KIND;
use switchboard::pstn::limits::MAX_ACTIONS_PER_RESPONSE;

pub fn run(arena: &mut Arena) {
    let ids: Vec<StateId> = arena.ids().collect();
    for id in ids {
        let Some(Node::Caller(t)) = arena.get_mut(id) else {
            continue;
        };
        if t.next != StateId::END_HANGUP {
            continue;
        }
        let sent: Vec<&str> = t
            .acts
            .iter()
            .map(|a| a.kind)
            .filter(|k| *k != WAIT_KIND)
            .collect();
        match sent.last() {
            None => continue,
            Some(&"Hangup") => {}
            Some(_) if sent.len() >= MAX_ACTIONS_PER_RESPONSE => continue,
            Some(_) => t.final_hangup = true,
        }
        t.next = StateId::CALL_ENDED;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::opt::test_support::*;

    #[test]
    fn the_last_response_hangs_up_itself() {
        let mut a = arena();
        let t = add_caller(&mut a, vec![speak(1)], StateId::END_HANGUP, false);
        start_at(&mut a, t);
        let before = caller(&a, t).timeout_seconds();
        run(&mut a);
        let c = caller(&a, t);
        assert!(c.final_hangup);
        assert_eq!(c.next, StateId::CALL_ENDED);
        assert_eq!(c.timeout_seconds(), before + 10);
        assert_eq!(c.actions().len(), 2);
        assert_eq!(c.actions()[1]["Type"], "Hangup");
    }

    #[test]
    fn what_keeps_the_shared_hang_up() {
        // A full response.
        let mut a = arena();
        let acts = (1..=10).map(speak).collect();
        let full = add_caller(&mut a, acts, StateId::END_HANGUP, false);
        // Waiting for the caller to hang up sends nothing to append to.
        let waits = add_caller(
            &mut a,
            vec![wait_for_hangup(11)],
            StateId::END_HANGUP,
            false,
        );
        // Not the end of the flow.
        let mid = add_caller(&mut a, vec![speak(12)], full, false);
        start_at(&mut a, mid);
        run(&mut a);
        for id in [full, waits] {
            assert_eq!(caller(&a, id).next, StateId::END_HANGUP, "{id:?}");
            assert!(!caller(&a, id).final_hangup);
        }
        assert_eq!(caller(&a, mid).next, full);
        assert!(!caller(&a, mid).final_hangup);
    }

    #[test]
    fn a_response_ending_with_a_hangup_is_not_given_another() {
        let mut a = arena();
        let t = add_caller(
            &mut a,
            vec![speak(1), hangup(2)],
            StateId::END_HANGUP,
            false,
        );
        start_at(&mut a, t);
        run(&mut a);
        let c = caller(&a, t);
        assert_eq!(c.next, StateId::CALL_ENDED);
        assert!(!c.final_hangup);
        assert_eq!(c.actions().len(), 2);
    }
}
