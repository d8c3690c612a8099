//! Time in the PSTN audio simulator: schedules ring at their own time on the simulated clock,
//! whatever the script's `wait` steps say, and calls happen one after the other on one clock.

mod support;

use std::sync::Arc;

use serde_json::{json, Value};
use support::{machine, speak};
use switchboard_asl::StateMachine;
use switchboard_sim::expr::Clock;
use switchboard_sim::pstn::{
    CallSpec, Entry, Seconds, Setup, SimQueue, Simulator, Step, PLACE_CALL_TARGET,
};
use switchboard_sim::services::Services;

const FLOW_NUMBER: &str = "+12125550100";
const OWNER: &str = "+12125550199";
/// 2025-06-10 16:00:00 EDT.
const FOUR_PM_NY: i64 = 1_749_585_600_000;

/// Every waiting Task here ends the flow on any failure.
fn send(actions: Value, next: &str) -> Value {
    support::send(
        actions,
        next,
        json!([{"ErrorEquals": ["States.ALL"], "Next": "Done"}]),
    )
}

fn speak_then_hang_up(text: &str) -> Value {
    json!([speak(text), {"Type": "Hangup", "Parameters": {"SipResponseCode": "0"}}])
}

/// Inbound: schedule a call to the owner for 16:30 New York time, say so and hang up.
/// Outbound (the scheduled call): once answered, say which call it is and hang up.
fn scheduling_flow() -> Arc<StateMachine> {
    let input = json!({"FromPhoneNumber": FLOW_NUMBER, "ToPhoneNumber": OWNER}).to_string();
    let states = json!({
        "Route": {"Type": "Choice", "Choices": [{
            "Condition": "{% $states.input.Event.InvocationEventType = 'NEW_OUTBOUND_CALL' %}",
            "Next": "Await answer"}], "Default": "Schedule"},
        "Schedule": {"Type": "Task", "Resource": "arn:aws:states:::aws-sdk:scheduler:createSchedule",
            "Arguments": {"Name": "call-owner", "FlexibleTimeWindow": {"Mode": "OFF"},
                "ScheduleExpression": "at(2025-06-10T16:30:00)",
                "ScheduleExpressionTimezone": "America/New_York", "ActionAfterCompletion": "DELETE",
                "Target": {"Arn": PLACE_CALL_TARGET, "RoleArn": "arn:aws:iam::1:role/r", "Input": input}},
            "Next": "Scheduled"},
        "Scheduled": send(speak_then_hang_up("Your call is scheduled for 16:30."), "Done"),
        "Await answer": send(json!([]), "Greet"),
        "Greet": send(speak_then_hang_up("This is the call you scheduled."), "Done"),
        "Done": {"Type": "Succeed"}});
    machine("Route", states)
}

fn simulator() -> Simulator {
    let setup = Setup {
        name: "scheduling".into(),
        machine: scheduling_flow(),
        numbers: vec![FLOW_NUMBER.into()],
        services: Services::new(),
        clock: Clock::new(FOUR_PM_NY, 1),
        tz: chrono_tz::America::New_York,
    };
    Simulator::new(setup, SimQueue::new()).expect("simulator starts")
}

fn call_times(entries: &[Entry]) -> Vec<String> {
    entries
        .iter()
        .filter_map(|e| match e {
            Entry::Call { local_time, .. } => Some(local_time.clone()),
            _ => None,
        })
        .collect()
}

/// The owner schedules a call at 16:00 for 16:30, then the script lets `wait` pass: the
/// scheduled call rings at 16:30:00 on the simulated clock whether the wait is 45 minutes or
/// three hours (it rang at 16:46:47 and 19:01:47: the end of the wait, not the schedule).
#[test]
fn a_scheduled_call_rings_at_its_time_not_at_the_end_of_the_wait() {
    for wait in [Seconds(45 * 60), Seconds(3 * 3600)] {
        let mut sim = simulator();
        let t = sim.run(
            CallSpec::inbound("+13125550142", FLOW_NUMBER),
            vec![Step::Wait(wait)],
        );
        assert!(t.problems.is_empty(), "{:?}", t.problems);
        assert_eq!(
            call_times(&t.entries),
            vec![
                "2025-06-10 16:00:00 EDT (Tuesday)",
                "2025-06-10 16:30:00 EDT (Tuesday)"
            ],
            "wait {} s:\n{t}",
            wait.0
        );
        let heard: Vec<&str> = t.heard().collect();
        assert_eq!(
            heard,
            vec![
                "Your call is scheduled for 16:30.",
                "This is the call you scheduled."
            ],
            "{t}"
        );
        // The wait still lasts as long as it says: the clock stands at 16:00 + call + wait.
        let first_call_ms = t.entries.iter().rev().find_map(|e| match e {
            Entry::HungUp { call: 1, at_ms, .. } => Some(*at_ms),
            _ => None,
        });
        let now = sim.world().env.clock.now_millis();
        assert_eq!(
            now,
            FOUR_PM_NY + first_call_ms.expect("the first call ended") + wait.millis(),
            "wait {} s",
            wait.0
        );
    }
}

/// A wait that ends before the schedule is due: no call yet, and none is placed late.
#[test]
fn a_wait_that_ends_before_the_schedule_places_no_call() {
    let mut sim = simulator();
    let t = sim.run(
        CallSpec::inbound("+13125550142", FLOW_NUMBER),
        vec![Step::Wait(Seconds(10 * 60))],
    );
    assert_eq!(call_times(&t.entries).len(), 1, "{t}");
}
