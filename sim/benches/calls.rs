//! Complete calls of the reference workflow, end to end: PSTN audio events, the router's logic,
//! the ASL interpreter and the in-memory integrations. Prints calls per second on one core and
//! the resident set size after 1,000 and after 100,000 consecutive calls (`/proc/self/statm`),
//! to show memory stays flat. `cargo bench -p switchboard-sim --bench calls` (append `-- N` to
//! run N calls instead of 100,000).
//!
//! Needs `../shared/reference/` beside the repository; says so and exits when it is absent.

use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

use serde_json::{json, Value};
use switchboard_asl::StateMachine;
use switchboard_sim::expr::Clock;
use switchboard_sim::pstn::{
    Bridge, BridgeOutcome, CallSpec, Ender, Record, Seconds, Setup, SimQueue, Simulator, Step,
};
use switchboard_sim::services::dynamodb::Flavor;
use switchboard_sim::services::Services;

const BUSINESS: &str = "+12065550100";
const OWNER: &str = "+12065550199";

fn reference() -> Option<Arc<StateMachine>> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/reference/business-phone-number-proxy.asl.json");
    let text = std::fs::read_to_string(&path).ok()?;
    let mut def: Value = serde_json::from_str(&text).ok()?;
    let info = def.pointer_mut("/States/Init/Assign/BusinessInfo")?;
    info["BusinessPhoneNumber"] = json!(BUSINESS);
    info["OwnerPersonalPhoneNumber"] = json!(OWNER);
    serde_json::from_value(def).ok().map(Arc::new)
}

fn services() -> Services {
    let mut s = Services::new();
    s.dynamodb
        .create_table("BusinessProxyVoicemails", "Tag", None);
    s.s3.create_bucket("pstn-media-apps");
    let _ = s.s3.put("pstn-media-apps", "beep.wav", vec![0; 16_000]);
    let _ = s.dynamodb.call(
        "putItem",
        &json!({"TableName": "BusinessProxyVoicemails", "Item": {"Tag": {"S": BUSINESS}}}),
        Flavor::Optimized,
    );
    s
}

/// One complete call; alternates the flows: business hours bridged to the owner, after hours
/// voicemail, and the owner's menu; the simulator is reset between calls (fresh tables,
/// buckets and clock) and keeps the router and the parsed flow. Returns the state transitions it cost.
fn call(sim: &mut Simulator, i: u64) -> u64 {
    // 2024-05-01 16:00Z is 12:00 at the reference's -0400 (open); 00:00Z is 20:00 (closed).
    let (at, from, steps) = match i % 3 {
        0 => (
            1_714_579_200_000,
            "+15551230001",
            vec![Step::Bridge(Bridge {
                outcome: BridgeOutcome::Answered,
                talk: Seconds(60),
                ends: Ender::Callee,
            })],
        ),
        1 => (
            1_714_608_000_000,
            "+15551230001",
            vec![Step::Record(Record {
                seconds: Seconds(10),
                terminator: Some("#".into()),
                hang_up: false,
            })],
        ),
        _ => (1_714_579_200_000, OWNER, vec![Step::Press("9".into())]),
    };
    sim.reset(services(), at);
    let t = sim.run(CallSpec::inbound(from, BUSINESS), steps);
    assert!(t.problems.is_empty(), "{t}");
    t.state_transitions
}

fn rss_kib() -> u64 {
    let statm = std::fs::read_to_string("/proc/self/statm").unwrap_or_default();
    let pages: u64 = statm
        .split_whitespace()
        .nth(1)
        .and_then(|p| p.parse().ok())
        .unwrap_or(0);
    pages * 4
}

fn main() {
    let Some(machine) = reference() else {
        eprintln!("SKIPPED: the reference workflow is absent beside the repository (../shared/reference/)");
        return;
    };
    let setup = Setup {
        name: "business-phone-number-proxy".into(),
        machine,
        numbers: vec![BUSINESS.into()],
        services: services(),
        clock: Clock::new(0, 1),
        tz: chrono_tz::America::New_York,
    };
    let Ok(mut sim) = Simulator::new(setup, SimQueue::new()) else {
        eprintln!("cannot start the simulator");
        return;
    };
    let mut transitions = 0;
    for i in 0..1_000 {
        transitions += call(&mut sim, i);
    }
    let rss_1k = rss_kib();
    // `cargo bench -p switchboard-sim --bench calls -- 10000` runs fewer calls for a quick look.
    let n = std::env::args()
        .skip(1)
        .find_map(|a| a.parse::<u64>().ok())
        .unwrap_or(100_000);
    let start = Instant::now();
    for i in 1_000..1_000 + n {
        transitions += call(&mut sim, i);
    }
    let secs = start.elapsed().as_secs_f64();
    let rss_100k = rss_kib();
    println!("reference workflow, complete calls end to end (router logic + interpreter + integrations):");
    println!(
        "  {n} calls in {secs:.2} s: {:.0} calls/s on one core, {:.1} µs per call",
        n as f64 / secs,
        secs * 1e6 / n as f64
    );
    println!("  {} state transitions in all", transitions);
    println!(
        "  RSS after 1,000 calls: {rss_1k} KiB; after {} calls: {rss_100k} KiB",
        1_000 + n
    );
}
