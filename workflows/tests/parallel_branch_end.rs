//! A `parallel!` branch that ends in a decision runs to its end in the simulator, whichever way
//! the decision goes: the compiler ends such a branch with a Succeed state
//! (`compiler/tests/shapes.rs` checks the shape; before, the flow did not compile).

use serde_json::json;
use std::sync::Arc;
use switchboard::prelude::*;
use switchboard::FlowDef;
use switchboard_sim::expr::Clock;
use switchboard_sim::pstn::{CallSpec, SimQueue, Simulator, Transcript};
use switchboard_sim::services::Services;

const VIP: &str = "+15105550101";
const OURS: &str = "+12065550100";

/// Notes every call, and VIP callers in a table of their own, at the same time.
#[call_flow(name = "vip-note")]
fn vip_note(call: &Call) {
    parallel!(
        {
            if call.from == VIP {
                put_item("vip").item("from", S(call.from));
            }
        },
        {
            put_item("calls").item("from", S(call.from));
        }
    );
    speak("Noted.");
}

/// A call from `from`; the transcript and the items in `vip` and `calls`.
fn call_from(from: &str) -> (Transcript, usize, usize) {
    let flow = FlowDef::of::<vip_note>().build(&json!(null)).unwrap();
    let compiled = switchboard_compiler::compile_flow(&flow).unwrap_or_else(|e| panic!("{e:#?}"));
    let mut services = Services::new();
    services.dynamodb.create_table("vip", "from", None);
    services.dynamodb.create_table("calls", "from", None);
    let setup = switchboard_sim::pstn::Setup {
        name: "vip-note".into(),
        machine: Arc::new(compiled.machine),
        numbers: vec![OURS.into()],
        services,
        clock: Clock::new(1_736_150_400_000, 1),
        tz: "UTC".parse().unwrap(),
    };
    let mut sim = Simulator::new(setup, SimQueue::new()).unwrap();
    let t = sim.run(CallSpec::inbound(from, OURS), vec![]).clone();
    let count = |table: &str| {
        let db = &sim.world().env.services.services.dynamodb;
        db.table(table).map_or(0, |t| t.items().count())
    };
    let (vip, calls) = (count("vip"), count("calls"));
    (t, vip, calls)
}

#[test]
fn both_ways_out_of_the_decision_end_the_branch() {
    for (from, vips) in [(VIP, 1), ("+15105550199", 0)] {
        let (t, vip, calls) = call_from(from);
        assert!(t.problems.is_empty(), "{t}");
        assert_eq!(t.heard().collect::<Vec<_>>(), ["Noted."], "{t}");
        assert_eq!(t.executions[0].status, "succeeded", "{t}");
        assert_eq!((vip, calls), (vips, 1), "{from}: {t}");
    }
}
