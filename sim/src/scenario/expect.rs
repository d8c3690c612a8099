//! Checking a scenario's expectations against what the simulator saw.

use serde_json::Value;

use super::Scenario;
use crate::interp::EventKind;
use crate::pstn::{Outbox, Simulator};

/// A DynamoDB attribute value (`{"S": "x"}`, `{"N": "5"}`, `{"M": {…}}`, …) as plain JSON.
pub fn plain(av: &Value) -> Value {
    let Some(obj) = av.as_object().filter(|o| o.len() == 1) else {
        return av.clone();
    };
    let Some((tag, v)) = obj.iter().next() else {
        return av.clone();
    };
    match (tag.as_str(), v) {
        ("S", _) | ("BOOL", _) | ("B", _) => v.clone(),
        ("N", Value::String(n)) => n
            .parse::<i64>()
            .map(Value::from)
            .or_else(|_| n.parse::<f64>().map(Value::from))
            .unwrap_or_else(|_| v.clone()),
        ("NULL", _) => Value::Null,
        ("M", Value::Object(m)) => {
            Value::Object(m.iter().map(|(k, x)| (k.clone(), plain(x))).collect())
        }
        ("L", Value::Array(l)) => Value::Array(l.iter().map(plain).collect()),
        ("SS" | "NS", Value::Array(_)) => v.clone(),
        _ => av.clone(),
    }
}

/// `expected` (from YAML) equals `actual`, numbers compared by value.
fn same(expected: &Value, actual: &Value) -> bool {
    match (expected, actual) {
        (Value::Number(a), Value::Number(b)) => a.as_f64() == b.as_f64(),
        _ => expected == actual,
    }
}

/// Whether `wanted` appear in `seen` in order, each contained in a later element.
fn in_order<'a>(wanted: &'a [String], seen: &[&str], contains: bool) -> Option<&'a str> {
    let mut i = 0;
    for w in wanted {
        let found = seen[i..].iter().position(|s| {
            if contains {
                s.contains(w.as_str())
            } else {
                *s == w.as_str()
            }
        });
        match found {
            Some(p) => i += p + 1,
            None => return Some(w),
        }
    }
    None
}

/// Every failed expectation, and every script problem, as a sentence.
pub fn check<Q: Outbox>(s: &Scenario, sim: &Simulator<Q>) -> Vec<String> {
    let t = sim.transcript();
    let e = &s.expect;
    let mut fail: Vec<String> = t.problems.clone();
    let heard: Vec<&str> = t.heard().collect();
    if let Some(w) = in_order(&e.heard, &heard, true) {
        fail.push(format!(
            "expected to hear {w:?} (in this order); heard: {heard:?}"
        ));
    }
    for w in &e.not_heard {
        if heard.iter().any(|h| h.contains(w.as_str())) {
            fail.push(format!("expected never to hear {w:?}, but it was said"));
        }
    }
    let actions: Vec<&str> = t.actions().map(|a| a.0).collect();
    if let Some(w) = in_order(&e.actions, &actions, false) {
        fail.push(format!(
            "expected the actions {:?} in this order; missing {w:?} in {actions:?}",
            e.actions
        ));
    }
    if let Some(b) = &e.bridged_to {
        let targets: Vec<&str> = t
            .actions()
            .filter(|a| a.0 == "CallAndBridge")
            .filter_map(|a| a.1)
            .collect();
        if !targets.contains(&b.as_str()) {
            fail.push(format!(
                "expected a CallAndBridge to {b}; bridged to {targets:?}"
            ));
        }
    }
    if let Some(want) = e.recording_saved {
        if want != !t.recordings.is_empty() {
            fail.push(format!(
                "expected recording_saved: {want}; recordings: {:?}",
                t.recordings
            ));
        }
    }
    let services = sim.world().services();
    for item in &e.items {
        let Some(table) = services.dynamodb.table(&item.table) else {
            fail.push(format!(
                "expected an item in table {}, which does not exist (declare it under tables)",
                item.table
            ));
            continue;
        };
        let found = table.items().any(|it| {
            item.with
                .iter()
                .all(|(k, v)| it.get(k).is_some_and(|a| same(v, &plain(a))))
        });
        if !found {
            let items: Vec<Value> = table
                .items()
                .map(|i| Value::Object(i.iter().map(|(k, v)| (k.clone(), plain(v))).collect()))
                .collect();
            fail.push(format!(
                "expected an item with {} in {}; it holds {}",
                Value::Object(item.with.clone()),
                item.table,
                Value::Array(items)
            ));
        }
    }
    let runs = &sim.world().runs;
    if let Some(n) = e.schedules_created {
        let created = runs
            .iter()
            .flat_map(|r| {
                let h = r.execution.history();
                h.iter().enumerate().filter(move |(i, ev)| match &ev.kind {
                    EventKind::TaskScheduled { state, resource } if resource.ends_with("scheduler:createSchedule") => {
                        !matches!(h.get(i + 1).map(|x| &x.kind), Some(EventKind::TaskFailed { state: s, .. }) if s == state)
                    }
                    _ => false,
                })
            })
            .count();
        if created != n {
            fail.push(format!(
                "expected {n} schedule(s) created; the flow created {created}"
            ));
        }
    }
    if let Some(n) = e.calls {
        if t.executions.len() != n {
            fail.push(format!(
                "expected {n} call(s); {} took place",
                t.executions.len()
            ));
        }
    }
    let last = t.executions.last();
    if let Some(want) = &e.status {
        let got = last.map_or("none", |x| x.status.as_str());
        if got != want {
            let why = last
                .and_then(|x| {
                    x.error
                        .clone()
                        .map(|e| format!(" ({e}: {})", x.cause.clone().unwrap_or_default()))
                })
                .unwrap_or_default();
            fail.push(format!(
                "expected the execution to be {want}; it is {got}{why}"
            ));
        }
    }
    if let Some(want) = &e.error {
        let got = last.and_then(|x| x.error.as_deref());
        if got != Some(want.as_str()) {
            fail.push(format!(
                "expected the execution to fail with {want}; error: {got:?}"
            ));
        }
    }
    for (k, v) in &e.variables {
        let got = last.and_then(|x| x.variables.get(k));
        if !got.is_some_and(|g| same(v, g)) {
            fail.push(format!(
                "expected variable {k} = {v}; it is {}",
                got.map_or("unset".into(), Value::to_string)
            ));
        }
    }
    if let Some(max) = e.max_transitions {
        if t.state_transitions > max {
            fail.push(format!(
                "expected at most {max} state transitions; the run made {}",
                t.state_transitions
            ));
        }
    }
    if let Some(max) = e.max_round_trips {
        if t.round_trips > max {
            fail.push(format!(
                "expected at most {max} round trips; the run made {}",
                t.round_trips
            ));
        }
    }
    fail
}
