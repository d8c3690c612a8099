//! A flow that opens with assignments gets them on the start state instead of a Pass of its
//! own: one transition fewer per call.
//!
//! The first state's assignments move onto the start state's `Assign` all together, when
//! nothing else leads to that state and none of them reads what the start state assigns (`call`,
//! `queue_url`): Step Functions evaluates one `Assign` against the values from before it
//! (<https://docs.aws.amazon.com/step-functions/latest/dg/workflow-variables.html>), and those
//! are not assigned yet. See [`Assign::absorb`](crate::arena::Assign::absorb).

use crate::arena::{Arena, Node, StateId};

pub fn run(arena: &mut Arena) {
    let Some(Node::Pass(start)) = arena.get(StateId::START) else {
        return;
    };
    let first = start.next;
    let Some(Node::Pass(p)) = arena.get(first) else {
        return;
    };
    if first == StateId::START || p.assign.vars.is_empty() || p.assign.bind.is_some() {
        return;
    }
    let targeted = arena.ids().any(|id| {
        id != StateId::START
            && arena
                .get(id)
                .is_some_and(|n| n.edges().iter().any(|&(_, t)| t == first))
    });
    if targeted {
        return;
    }
    let mut assign = start.assign.clone();
    for (var, value) in &p.assign.vars {
        let Some(value) = assign.absorb(var, value) else {
            return;
        };
        assign.vars.push((var.clone(), value));
    }
    let next = p.next;
    arena.remove(first);
    if let Some(Node::Pass(start)) = arena.get_mut(StateId::START) {
        start.assign = assign;
        start.next = next;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::opt::test_support::*;
    use switchboard::ir::Expr;

    fn start(a: &Arena) -> &crate::arena::Pass {
        match a.get(StateId::START) {
            Some(Node::Pass(p)) => p,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn opening_assignments_move_onto_the_start_state() {
        let mut a = arena();
        let t = add_caller(&mut a, vec![speak(2)], StateId::END_HANGUP, false);
        let x = add_pass(&mut a, "x", num(1), t, false);
        start_at(&mut a, x);
        run(&mut a);
        assert_eq!(assigned(&start(&a).assign), ["queue_url", "call", "x"]);
        assert_eq!(start(&a).next, t);
        assert!(a.get(x).is_none());
    }

    #[test]
    fn what_stays_off_the_start_state() {
        // Reads `call`, which the start state is assigning.
        let mut a = arena();
        let x = add_pass(
            &mut a,
            "x",
            Expr::var("call").field("From"),
            StateId::END_HANGUP,
            false,
        );
        start_at(&mut a, x);
        run(&mut a);
        assert!(a.get(x).is_some(), "reads call");
        assert_eq!(assigned(&start(&a).assign), ["queue_url", "call"]);

        // A variable whose name starts like one the start state assigns is another variable.
        let mut a = arena();
        let x = add_pass(&mut a, "x", Expr::var("caller"), StateId::END_HANGUP, false);
        start_at(&mut a, x);
        run(&mut a);
        assert!(a.get(x).is_none(), "`caller` is not `call`");

        // A literal mentioning `$call` reads nothing.
        let mut a = arena();
        let x = add_pass(&mut a, "x", Expr::str("$call"), StateId::END_HANGUP, false);
        start_at(&mut a, x);
        run(&mut a);
        assert!(a.get(x).is_none(), "a string is not a read");

        // Another state leads to it too (a loop back to the start of the flow).
        let mut a = arena();
        let x = add_pass(&mut a, "x", num(1), StateId::END_HANGUP, false);
        let t = add_caller(&mut a, vec![speak(2)], x, false);
        if let Some(Node::Pass(p)) = a.get_mut(x) {
            p.next = t;
        }
        start_at(&mut a, x);
        run(&mut a);
        assert!(a.get(x).is_some(), "targeted by a loop");

        // The first state is not a Pass.
        let mut a = arena();
        let t = add_caller(&mut a, vec![speak(2)], StateId::END_HANGUP, false);
        start_at(&mut a, t);
        run(&mut a);
        assert_eq!(start(&a).next, t);
    }

    #[test]
    fn all_or_nothing() {
        // `y` reads `call`: `x` does not move alone.
        let mut a = arena();
        let p = add_pass(&mut a, "x", num(1), StateId::END_HANGUP, false);
        if let Some(Node::Pass(pass)) = a.get_mut(p) {
            pass.assign.vars.push(("y".into(), Expr::var("call")));
        }
        start_at(&mut a, p);
        run(&mut a);
        assert!(a.get(p).is_some());
        assert_eq!(assigned(&start(&a).assign), ["queue_url", "call"]);
    }
}
