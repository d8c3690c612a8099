//! The flow's last caller Task hangs up itself (one round trip fewer) instead of going to the
//! shared "hang up" state, which emission then leaves out if nothing else reaches it.
//!
//! A caller Task going to the flow's end gets the Hangup appended to its actions (and 10 s more
//! to its timeout) and goes on to "call ended"; unless its response is full (10 actions, the
//! PSTN audio limit), sends nothing (waiting for a hang-up), or already ends by hanging up the
//! caller (hanging up the other leg, `LEG-B`, does not count).

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
        let sent = t.acts.iter().filter(|a| a.kind != WAIT_KIND).count();
        if sent == 0 || (!t.hangs_up() && sent >= MAX_ACTIONS_PER_RESPONSE) {
            continue;
        }
        // Hanging up another leg (`LEG-B`) does not end the call: the caller's still needs it.
        t.final_hangup = !t.hangs_up();
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
    fn hanging_up_the_other_leg_last_still_hangs_up_the_caller() {
        let mut a = arena();
        let mut other_leg = hangup(2);
        other_leg.hangs_up_caller = false;
        let t = add_caller(
            &mut a,
            vec![speak(1), other_leg],
            StateId::END_HANGUP,
            false,
        );
        start_at(&mut a, t);
        run(&mut a);
        let c = caller(&a, t);
        assert!(c.final_hangup);
        assert_eq!(c.actions().len(), 3);
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
