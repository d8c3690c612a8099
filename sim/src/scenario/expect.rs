//! Checking a scenario's expectations against what the simulator saw.

use serde_json::{Map, Value};
use switchboard::pstn::Action;

use super::failure::{Failure, Site};
use super::Expect;
use crate::interp::EventKind;
use crate::pstn::backend::Run;
use crate::pstn::{Entry, ExecutionReport, Mark, Outbox, Simulator};

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

/// What happened from `mark` on: transcript entries, executions, recordings.
struct View<'a> {
    /// The number of the first entry in `entries`.
    first: usize,
    entries: &'a [Entry],
    executions: &'a [ExecutionReport],
    runs: &'a [Run],
    recordings: &'a [String],
    problems: &'a [String],
}

/// Entry numbers with what they say.
type Numbered<'a> = Vec<(usize, &'a str)>;

fn texts<'a>(n: &'a Numbered<'a>) -> Vec<&'a str> {
    n.iter().map(|(_, t)| *t).collect()
}

impl View<'_> {
    /// Texts heard, in order, on `leg` (any leg when `None`), with their entry numbers.
    fn heard(&self, leg: Option<&str>) -> Numbered<'_> {
        self.entries
            .iter()
            .enumerate()
            .filter_map(|(i, e)| match e {
                Entry::Action {
                    text: Some(t),
                    leg: l,
                    ..
                } if leg.is_none_or(|x| x == l) => Some((self.first + i, t.as_str())),
                _ => None,
            })
            .collect()
    }

    /// Action types run, in order, on `leg` (any leg when `None`), with their entry numbers.
    fn actions(&self, leg: Option<&str>) -> Numbered<'_> {
        self.entries
            .iter()
            .enumerate()
            .filter_map(|(i, e)| match e {
                Entry::Action { action, leg: l, .. } if leg.is_none_or(|x| x == l) => {
                    Some((self.first + i, action.as_str()))
                }
                _ => None,
            })
            .collect()
    }

    /// The call these expectations are about: the first to start since the mark.
    fn call(&self) -> Option<usize> {
        self.entries.iter().find_map(|e| match e {
            Entry::Call { call, .. } => Some(*call),
            _ => None,
        })
    }
}

fn check_heard(
    fail: &mut Vec<Failure>,
    whole: &Site,
    on: &str,
    heard: &Numbered<'_>,
    wanted: &[String],
    unwanted: &[String],
) {
    let said = texts(heard);
    if let Some(w) = in_order(wanted, &said, true) {
        fail.push(Failure::at(
            whole.clone(),
            format!("expected {on}to hear {w:?} (in this order); heard: {said:?}"),
        ));
    }
    for w in unwanted {
        if let Some((i, h)) = heard.iter().find(|(_, h)| h.contains(w.as_str())) {
            fail.push(Failure::at(
                Site::Entry(*i),
                format!("expected {on}never to hear {w:?}, but it was said: {h:?}"),
            ));
        }
    }
}

fn check_not_run(fail: &mut Vec<Failure>, on: &str, ran: &Numbered<'_>, unwanted: &[String]) {
    let names = texts(ran);
    for a in unwanted {
        let runs: Vec<usize> = ran
            .iter()
            .filter(|(_, r)| *r == a.as_str())
            .map(|(i, _)| *i)
            .collect();
        if let Some(first) = runs.first() {
            fail.push(Failure::at(
                Site::Entry(*first),
                format!(
                    "expected no {a} {on}; it ran {} time(s) (actions: {names:?})",
                    runs.len()
                ),
            ));
        }
    }
}

/// The items of `table` whose attributes of `with` have these values, as plain JSON.
fn matching(table: &crate::services::dynamodb::Table, with: &Map<String, Value>) -> Vec<Value> {
    table
        .items()
        .filter(|it| {
            with.iter()
                .all(|(k, v)| it.get(k).is_some_and(|a| same(v, &plain(a))))
        })
        .map(|i| Value::Object(i.iter().map(|(k, v)| (k.clone(), plain(v))).collect()))
        .collect()
}

fn all_items(table: &crate::services::dynamodb::Table) -> Value {
    Value::Array(matching(table, &Map::new()))
}

/// Every failed expectation of `e` about what happened from `mark` on (tables and objects as
/// they are now), and, with `problems`, every script problem since, as a sentence with what it
/// concerns. `every_call` says that `e` is about every call of the scenario rather than the
/// one that started at `mark`.
pub fn check<Q: Outbox>(
    e: &Expect,
    sim: &Simulator<Q>,
    mark: Mark,
    problems: bool,
    every_call: bool,
) -> Vec<Failure> {
    let t = sim.transcript();
    let runs = &sim.world().runs;
    let v = View {
        first: mark.entries,
        entries: t.entries.get(mark.entries..).unwrap_or_default(),
        executions: t.executions.get(mark.runs..).unwrap_or_default(),
        runs: runs.get(mark.runs..).unwrap_or_default(),
        recordings: t.recordings.get(mark.recordings..).unwrap_or_default(),
        problems: t.problems.get(mark.problems..).unwrap_or_default(),
    };
    let whole = Site::Call(if every_call { None } else { v.call() });
    let mut fail: Vec<Failure> = Vec::new();
    if problems {
        fail.extend(
            v.problems
                .iter()
                .map(|p| Failure::at(whole.clone(), p.clone())),
        );
    }
    check_heard(
        &mut fail,
        &whole,
        "",
        &v.heard(None),
        &e.heard,
        &e.not_heard,
    );
    for (tag, leg) in e.legs.named() {
        let on = format!("{tag} ");
        let heard = v.heard(Some(tag));
        check_heard(&mut fail, &whole, &on, &heard, &leg.heard, &leg.not_heard);
        let ran = v.actions(Some(tag));
        let names = texts(&ran);
        if let Some(w) = in_order(&leg.actions, &names, false) {
            fail.push(Failure::at(
                whole.clone(),
                format!(
                    "expected the actions {:?} on {tag} in this order; missing {w:?} in {names:?}",
                    leg.actions
                ),
            ));
        }
        check_not_run(&mut fail, &format!("on {tag}"), &ran, &leg.actions_not_run);
    }
    let actions = v.actions(None);
    let names = texts(&actions);
    if let Some(w) = in_order(&e.actions, &names, false) {
        fail.push(Failure::at(
            whole.clone(),
            format!(
                "expected the actions {:?} in this order; missing {w:?} in {names:?}",
                e.actions
            ),
        ));
    }
    check_not_run(&mut fail, "on any leg", &actions, &e.actions_not_run);
    // What follows reads as sentences about the call as a whole, up to how it ended.
    let mut out = fail;
    let mut fail: Vec<String> = Vec::new();
    if let Some(b) = &e.bridged_to {
        let targets: Vec<&str> = v
            .entries
            .iter()
            .filter_map(|x| match x {
                Entry::Action { action, target, .. } if action == Action::CALL_AND_BRIDGE => {
                    target.as_deref()
                }
                _ => None,
            })
            .collect();
        if !targets.contains(&b.as_str()) {
            fail.push(format!(
                "expected a CallAndBridge to {b}; bridged to {targets:?}"
            ));
        }
    }
    if let Some(want) = e.recording_saved {
        if want == v.recordings.is_empty() {
            fail.push(format!(
                "expected recording_saved: {want}; recordings: {:?}",
                v.recordings
            ));
        }
    }
    check_tables(&mut fail, e, sim);
    check_objects(&mut fail, e, sim);
    if let Some(n) = e.schedules_created {
        let created = v
            .runs
            .iter()
            .flat_map(|r| r.execution.history())
            .filter(|ev| matches!(&ev.kind, EventKind::TaskSucceeded { resource, .. } if resource.ends_with("scheduler:createSchedule")))
            .count();
        if created != n {
            fail.push(format!(
                "expected {n} schedule(s) created; the flow created {created}"
            ));
        }
    }
    if let Some(n) = e.calls {
        if v.executions.len() != n {
            fail.push(format!(
                "expected {n} call(s); {} took place",
                v.executions.len()
            ));
        }
    }
    out.extend(fail.drain(..).map(|m| Failure::at(whole.clone(), m)));
    let last = v.executions.last();
    // How the last execution ended: its last step, or the call when there is none.
    let end = last.map_or(whole.clone(), |x| Site::End(x.name.clone()));
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
            out.push(Failure::at(
                end.clone(),
                format!("expected the execution to be {want}; it is {got}{why}"),
            ));
        }
    }
    if let Some(want) = &e.error {
        let got = last.and_then(|x| x.error.as_deref());
        if got != Some(want.as_str()) {
            out.push(Failure::at(
                end.clone(),
                format!("expected the execution to fail with {want}; error: {got:?}"),
            ));
        }
    }
    for (k, want) in &e.variables {
        let got = last.and_then(|x| x.variables.get(k));
        if !got.is_some_and(|g| same(want, g)) {
            out.push(Failure::at(
                end.clone(),
                format!(
                    "expected variable {k} = {want}; it is {}",
                    got.map_or("unset".into(), Value::to_string)
                ),
            ));
        }
    }
    let transitions: u64 = v.executions.iter().map(|x| x.state_transitions).sum();
    let mut fail = Vec::new();
    if let Some(max) = e.max_transitions.filter(|m| transitions > *m) {
        fail.push(format!(
            "expected at most {max} state transitions; the run made {transitions}"
        ));
    }
    let round_trips: u64 = v.executions.iter().map(|x| x.round_trips).sum();
    if let Some(max) = e.max_round_trips.filter(|m| round_trips > *m) {
        fail.push(format!(
            "expected at most {max} round trips; the run made {round_trips}"
        ));
    }
    out.extend(fail.into_iter().map(|m| Failure::at(whole.clone(), m)));
    out
}

fn check_tables<Q: Outbox>(fail: &mut Vec<String>, e: &Expect, sim: &Simulator<Q>) {
    let services = sim.world().services();
    for (item, present) in e
        .items
        .iter()
        .map(|i| (i, true))
        .chain(e.absent_items.iter().map(|i| (i, false)))
    {
        let Some(table) = services.dynamodb.table(&item.table) else {
            fail.push(format!(
                "expected items in table {}, which does not exist (declare it under tables)",
                item.table
            ));
            continue;
        };
        let with = Value::Object(item.with.clone());
        let mut found = matching(table, &item.with);
        if let Some(o) = &item.object {
            let named = |it: &Value| -> Option<(String, f64)> {
                let raw = it.get(&o.key_attribute)?.as_str()?;
                let key = raw
                    .strip_prefix("s3://")
                    .unwrap_or(raw)
                    .strip_prefix(&format!("{}/", o.bucket))
                    .unwrap_or(raw);
                let ms = sim.object_ms(&o.bucket, key)?;
                Some((key.to_string(), ms as f64 / 1000.0))
            };
            let (good, bad): (Vec<Value>, Vec<Value>) = found.into_iter().partition(|it| {
                named(it).is_some_and(|(_, s)| o.min_seconds.is_none_or(|m| s >= m))
            });
            if good.is_empty() && bad.is_empty() && item.count.is_none_or(|n| n > 0) {
                fail.push(format!(
                    "expected an item with {with} in {} naming an object in {}; there is no item with {with}: it holds {}",
                    item.table,
                    o.bucket,
                    all_items(table)
                ));
                continue;
            }
            if good.is_empty() && item.count.is_none_or(|n| n > 0) {
                let lengths: Vec<String> = bad
                    .iter()
                    .map(|it| match named(it) {
                        Some((k, s)) => format!("{k}: {s} s"),
                        None => format!(
                            "{}: no such object",
                            it.get(&o.key_attribute).unwrap_or(&Value::Null)
                        ),
                    })
                    .collect();
                fail.push(format!(
                    "expected an item with {with} in {} whose {:?} names an object in {}{}; the items with {with} name: [{}]",
                    item.table,
                    o.key_attribute,
                    o.bucket,
                    o.min_seconds.map(|m| format!(" of at least {m} s")).unwrap_or_default(),
                    lengths.join("; ")
                ));
                continue;
            }
            found = good;
        }
        match (present, item.count) {
            (true, Some(n)) if found.len() != n => fail.push(format!(
                "expected {n} item(s) with {with} in {}; there are {}: {}",
                item.table,
                found.len(),
                Value::Array(found)
            )),
            (true, None) if found.is_empty() => fail.push(format!(
                "expected an item with {with} in {}; it holds {}",
                item.table,
                all_items(table)
            )),
            (false, _) if !found.is_empty() => fail.push(format!(
                "expected no item with {with} in {}; found {}",
                item.table,
                Value::Array(found)
            )),
            _ => {}
        }
    }
}

fn check_objects<Q: Outbox>(fail: &mut Vec<String>, e: &Expect, sim: &Simulator<Q>) {
    let s3 = &sim.world().services().s3;
    for (o, present) in e
        .objects
        .iter()
        .map(|o| (o, true))
        .chain(e.absent_objects.iter().map(|o| (o, false)))
    {
        if !s3.bucket_exists(&o.bucket) {
            fail.push(format!(
                "expected objects in bucket {}, which does not exist (declare it under buckets)",
                o.bucket
            ));
            continue;
        }
        let (what, keys): (String, Vec<String>) = match (&o.key, &o.key_prefix) {
            (Some(k), _) => (
                format!("s3://{}/{k}", o.bucket),
                s3.list(&o.bucket, k)
                    .into_iter()
                    .filter(|x| x == k)
                    .collect(),
            ),
            (None, Some(p)) => (format!("s3://{}/{p}*", o.bucket), s3.list(&o.bucket, p)),
            (None, None) => continue,
        };
        let everything = s3.list(&o.bucket, "");
        if !present {
            if !keys.is_empty() {
                fail.push(format!("expected no object {what}; found {keys:?}"));
            }
            continue;
        }
        if keys.is_empty() {
            fail.push(format!(
                "expected an object {what}; the bucket holds {everything:?}"
            ));
            continue;
        }
        if let Some(min) = o.min_seconds {
            let lengths: Vec<(String, f64)> = keys
                .iter()
                .map(|k| {
                    let ms = sim.object_ms(&o.bucket, k).unwrap_or(0);
                    (k.clone(), ms as f64 / 1000.0)
                })
                .collect();
            if !lengths.iter().any(|(_, s)| *s >= min) {
                fail.push(format!(
                    "expected an object {what} of at least {min} s; found {lengths:?} (key, seconds)"
                ));
            }
        }
    }
}
