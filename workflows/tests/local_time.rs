//! `local_time` in the compiled definition gives the zone's local time in any year: its JSONata,
//! evaluated by the simulator's engine (jsonata-core with Step Functions' functions), agrees
//! with jiff on the bundled time zone database
//! - at every clock change from 2024 of every zone of the database, and just before: those the
//!   database lists, then 28 years of its rule;
//! - at random instants, and every clock change, from 1970 (or the zone's last rule change, if
//!   later: the expression holds the current rule only) to 2100 for a few zones of each kind;
//! - for random daylight-saving rules (every month, week, weekday and time a POSIX TZ rule
//!   can name).
//!
//! The README's `local_time` example is `local_time/opening_hours.rs`, and it runs through the
//! simulator on both sides of daylight-saving changes.

use std::sync::Arc;

use jiff::Timestamp;
use proptest::prelude::*;
use serde_json::{json, Value};
use switchboard::lang::time::{local_time_expr, offset_expr};
use switchboard::zone::{self, Change, Offsets, Rule, OFFSETS_FROM_MS};
use switchboard::{FlowDef, Zone};
use switchboard_compiler::lower::jsonata::print;
use switchboard_sim::expr::{Bindings, Clock, JsonataEngine, Vars};
use switchboard_sim::pstn::{CallSpec, Entry, SimQueue, Simulator};
use switchboard_sim::services::Services;

#[path = "local_time/opening_hours.rs"]
mod opening_hours;

/// 2101-01-01T00:00:00Z.
const END_2100: i64 = 4_133_980_800_000;

const YEAR_MS: i64 = 365 * 86_400_000;

/// Zones of each kind: northern and southern daylight-saving time, a half-hour offset without
/// it, one that abolished it (Brazil, 2019), 45-minute offsets, UTC.
const NAMED: [&str; 7] = [
    "America/New_York",
    "Europe/London",
    "Australia/Sydney",
    "Asia/Kolkata",
    "America/Sao_Paulo",
    "Pacific/Chatham",
    "UTC",
];

fn zone(name: &str) -> Zone {
    name.parse().unwrap()
}

/// The value of `text` at `ms`.
fn eval(engine: &JsonataEngine, text: &str, ms: i64) -> Value {
    let (input, context, vars) = (json!({}), json!({}), Vars::new());
    let bindings = Bindings::new(&input, &context, &vars);
    match engine.eval_optional(text, &bindings, &mut Clock::new(ms, 1)) {
        Ok(Some(v)) => v,
        other => panic!("{text} at {ms}: {other:?}"),
    }
}

fn offset_text(seconds: i32) -> String {
    let sign = if seconds < 0 { '-' } else { '+' };
    let s = seconds.abs();
    format!("{sign}{:02}{:02}", s / 3600, s % 3600 / 60)
}

/// What `local_time` must give at `ms`, from jiff.
fn expected(zone: &Zone, ms: i64) -> Value {
    let t = zone.at(ms).unwrap();
    let f = |picture: &str| t.strftime(picture).to_string();
    json!({"hhmm": f("%H:%M"), "weekday": f("%A"), "date": f("%Y-%m-%d"), "offset": f("%z")})
}

/// The clock changes of `zone` in `[from, to)` (epoch ms), from jiff.
fn changes(zone: &Zone, from: i64, to: i64) -> Vec<i64> {
    let start = Timestamp::from_millisecond(from).unwrap();
    zone.time_zone()
        .following(start)
        .map(|t| t.timestamp().as_millisecond())
        .take_while(|t| *t < to)
        .collect()
}

/// Since when `local_time` is exact for `zone`: 1970, or its last rule change if later.
fn exact_from(zone: &Zone) -> i64 {
    let offsets = zone.offsets().unwrap();
    let from = offsets.exact_from_ms.unwrap_or(0).max(0);
    assert!(from <= OFFSETS_FROM_MS, "{zone}: exact only from {from}");
    from
}

fn local_time_text(zone: &Zone) -> String {
    print(&local_time_expr(zone).unwrap())
}

#[test]
fn every_clock_change_of_every_zone_from_2024_to_2100() {
    let engine = JsonataEngine::new();
    let (mut zones, mut checked) = (0, 0);
    for name in zone::names() {
        let zone = zone(name);
        let offsets = zone.offsets().unwrap_or_else(|e| panic!("{name}: {e}"));
        let text = print(&offset_expr(&offsets).unwrap_or_else(|e| panic!("{name}: {e}")));
        // The listed changes, then 28 years of the rule: weekdays and leap years fall alike
        // every 28 years from 1901 to 2099 (the named zones are checked to 2100 below).
        let listed = offsets.changes.last().map_or(OFFSETS_FROM_MS, |c| c.0);
        let until = listed.max(OFFSETS_FROM_MS) + 29 * YEAR_MS;
        let mut instants = vec![OFFSETS_FROM_MS, until];
        for t in changes(&zone, OFFSETS_FROM_MS, until) {
            // The change and the last millisecond before it.
            instants.extend([t - 1, t]);
        }
        for ms in instants {
            let want = offset_text(zone.offset_seconds_at(ms));
            assert_eq!(eval(&engine, &text, ms), json!(want), "{name} at {ms}");
            checked += 1;
        }
        zones += 1;
    }
    assert!(zones > 500, "{zones} zones");
    println!("{zones} zones, {checked} instants");
}

#[test]
fn every_clock_change_of_zones_of_each_kind_since_their_rule_began() {
    let engine = JsonataEngine::new();
    for name in NAMED {
        let zone = zone(name);
        let text = local_time_text(&zone);
        let from = exact_from(&zone);
        let mut instants = vec![from, END_2100 - 1];
        for t in changes(&zone, from, END_2100) {
            instants.extend([t - 1, t]);
        }
        for ms in instants {
            assert_eq!(
                eval(&engine, &text, ms),
                expected(&zone, ms),
                "{name} at {ms}"
            );
        }
        let since = zone.at(from).unwrap().year();
        println!("{name}: exact since {since}, {} bytes", text.len());
    }
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(512),
        ..ProptestConfig::default()
    })]

    #[test]
    fn local_time_agrees_with_jiff_at_any_instant(which in 0..NAMED.len(), at in 0.0..1.0f64) {
        let zone = zone(NAMED[which]);
        let from = exact_from(&zone);
        let ms = from + ((END_2100 - from) as f64 * at) as i64;
        let engine = JsonataEngine::new();
        prop_assert_eq!(eval(&engine, &local_time_text(&zone), ms), expected(&zone, ms));
    }

    #[test]
    fn any_daylight_saving_rule_agrees_with_jiff(
        standard in -12 * 4..=14 * 4i32,
        shift in prop_oneof![Just(-4), Just(2), Just(4), Just(8)],
        start in change(),
        end in change(),
        year in 1970..=2100i16,
        at in 0.0..1.0f64,
    ) {
        // Offsets and times in quarter hours; POSIX writes offsets west of UTC.
        let (standard, daylight) = (standard * 900, (standard + shift) * 900);
        let posix = format!(
            "AAA{}BBB{},{},{}",
            hms(-standard),
            hms(-daylight),
            posix_change(&start),
            posix_change(&end)
        );
        let reference = jiff::tz::TimeZone::posix(&posix).unwrap();
        let rule = Rule::Seasonal { standard, daylight, start, end };
        let offsets = Offsets { first: standard, changes: Vec::new(), rule, exact_from_ms: None };
        let text = match offset_expr(&offsets) {
            Ok(e) => print(&e),
            Err(e) => {
                // Refused only where daylight-saving time can start at New Year.
                prop_assert!(e.contains("New Year"), "{}: {}", posix, e);
                prop_assert_eq!(start.month, 1, "{}", posix);
                return Ok(());
            }
        };
        let engine = JsonataEngine::new();
        let new_year = zone("UTC").instant_of(jiff::civil::date(year, 1, 1).at(0, 0, 0, 0)).unwrap();
        let year_start = Timestamp::from_millisecond(new_year).unwrap();
        let mut instants = vec![new_year + (365.0 * 86_400_000.0 * at) as i64];
        for t in reference.following(year_start).take(2) {
            let t = t.timestamp().as_millisecond();
            instants.extend([t - 1, t]);
        }
        for ms in instants {
            let want = offset_text(reference.to_offset(Timestamp::from_millisecond(ms).unwrap()).seconds());
            prop_assert_eq!(eval(&engine, &text, ms), json!(want), "{} at {}", posix, ms);
        }
    }
}

/// Daylight-saving time that starts at New Year (UTC) lasts all year for the time zone database
/// (RFC 9636 §3.3.1), even when its end comes before the year's: compiling the rule as written
/// would give standard time from 22:00 UTC on 31 December 2023 here. Refused instead.
#[test]
fn daylight_saving_time_from_new_year_is_refused() {
    let posix = "AAA-2BBB-1,M1.1.0/-167,M12.5.0/23";
    let reference = jiff::tz::TimeZone::posix(posix).unwrap();
    let late_2023 = Timestamp::from_millisecond(1_704_063_600_000).unwrap(); // 2023-12-31T23:00Z
    assert_eq!(
        reference.to_offset(late_2023).seconds(),
        3600,
        "all year: +01"
    );
    let change = |month, week, time| Change {
        month,
        week,
        weekday: 0,
        time,
    };
    let rule = Rule::Seasonal {
        standard: 7200,
        daylight: 3600,
        start: change(1, 1, -167 * 3600),
        end: change(12, 5, 23 * 3600),
    };
    let offsets = Offsets {
        first: 7200,
        changes: Vec::new(),
        rule,
        exact_from_ms: None,
    };
    let e = offset_expr(&offsets).unwrap_err();
    assert!(e.contains("New Year"), "{e}");
}

fn change() -> impl Strategy<Value = Change> {
    let time = prop_oneof![
        8 => (-25 * 4..=50 * 4i32).prop_map(|q| q * 900),
        1 => prop_oneof![Just(-167 * 3600), Just(167 * 3600)],
    ];
    (1..=12i8, 1..=5i8, 0..=6i8, time).prop_map(|(month, week, weekday, time)| Change {
        month,
        week,
        weekday,
        time,
    })
}

/// `[-]h:mm`.
fn hms(seconds: i32) -> String {
    let sign = if seconds < 0 { "-" } else { "" };
    let s = seconds.abs();
    format!("{sign}{}:{:02}", s / 3600, s % 3600 / 60)
}

fn posix_change(c: &Change) -> String {
    format!("M{}.{}.{}/{}", c.month, c.week, c.weekday, hms(c.time))
}

#[test]
fn the_readme_example_is_this_flow() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../README.md"))
        .expect("README.md");
    let flow = include_str!("local_time/opening_hours.rs");
    assert!(
        readme.contains(&format!("```rust\n{flow}```\n")),
        "the README's local_time example differs from workflows/tests/local_time/opening_hours.rs"
    );
}

/// The README's example compiled for New York, a call at `ms`: what the caller heard.
fn heard_at(ms: i64) -> String {
    let flow = FlowDef::of::<opening_hours::opening_hours>()
        .build(&json!({"time_zone": "America/New_York"}))
        .unwrap();
    let compiled = switchboard_compiler::compile_flow(&flow).unwrap();
    let setup = switchboard_sim::pstn::Setup {
        name: "opening-hours".into(),
        machine: Arc::new(compiled.machine),
        numbers: vec!["+12125550100".into()],
        services: Services::new(),
        clock: Clock::new(ms, 1),
        tz: zone("America/New_York"),
    };
    let mut sim = Simulator::new(setup, SimQueue::new()).unwrap();
    let t = sim.run(CallSpec::inbound("+13125550142", "+12125550100"), vec![]);
    assert!(t.problems.is_empty(), "{t}");
    assert!(
        t.entries.iter().any(|e| matches!(e, Entry::Call { .. })),
        "{t}"
    );
    t.heard().collect::<Vec<_>>().join(" ")
}

#[test]
fn the_readme_example_across_daylight_saving_changes() {
    // 13:30 UTC is 08:30 in New York in winter (closed), 09:30 in summer (open).
    let cases = [
        // Friday 2025-03-07, before clocks go forward on Sunday the 9th; Monday the 10th after.
        (
            1_741_354_200_000,
            "We are closed. It is 08:30 on Friday 2025-03-07, UTC -0500.",
        ),
        (1_741_613_400_000, "We are open. It is 09:30 on Monday."),
        // Friday 2025-10-31, before clocks go back on Sunday 2 November; Monday the 3rd after.
        (1_761_917_400_000, "We are open. It is 09:30 on Friday."),
        (
            1_762_176_600_000,
            "We are closed. It is 08:30 on Monday 2025-11-03, UTC -0500.",
        ),
        // The same in 2099: Friday 6 March (EST), Monday 9 March (EDT, from Sunday the 8th).
        (
            4_076_487_000_000,
            "We are closed. It is 08:30 on Friday 2099-03-06, UTC -0500.",
        ),
        (4_076_746_200_000, "We are open. It is 09:30 on Monday."),
    ];
    for (ms, want) in cases {
        assert_eq!(heard_at(ms), want, "at {ms}");
    }
}
