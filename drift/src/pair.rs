//! Which state of theirs is which of ours, in one scope (the machine, a Parallel branch).
//!
//! In order, until nothing more pairs: states of the same name and type; states whose name is
//! ours with its deploy-time values filled in (the values read off the names and values of the
//! states paired so far, [`crate::pattern`]), or matches only one of theirs; then, from every
//! pair, the states its same transitions lead to, when neither is paired yet and both are of
//! one type (a state renamed because its text changed is still the one after the same state).
//! What is left is a state one side only has.

use crate::compare::{align, transitions, type_name, Target};
use crate::pattern::{learn, Bindings, Pattern};
use serde_json::{Map, Value as Json};
use std::collections::HashMap;

/// The pairs of states (names) of one scope.
#[derive(Debug, Default)]
pub struct Pairing {
    o2t: HashMap<String, String>,
    t2o: HashMap<String, String>,
}

impl Pairing {
    /// Their state paired with our `name`.
    pub fn theirs(&self, name: &str) -> Option<&str> {
        self.o2t.get(name).map(String::as_str)
    }

    /// Our state paired with their `name`.
    pub fn ours(&self, name: &str) -> Option<&str> {
        self.t2o.get(name).map(String::as_str)
    }

    /// Where their transition to `name` goes, seen from ours.
    pub fn target_of_theirs(&self, name: Option<&str>) -> Target {
        match name {
            None => Target::End,
            Some(n) => match self.ours(n) {
                Some(o) => Target::State(o.to_owned()),
                None => Target::Theirs(n.to_owned()),
            },
        }
    }

    fn add(&mut self, o: &str, t: &str) {
        self.o2t.insert(o.to_owned(), t.to_owned());
        self.t2o.insert(t.to_owned(), o.to_owned());
    }

    fn free(&self, o: &str, t: &str) -> bool {
        !self.o2t.contains_key(o) && !self.t2o.contains_key(t)
    }
}

/// Pairs the states of `ours` with those of `theirs` (each scope's `States`), starting at their
/// `StartAt`s.
pub fn pair(
    ours: &Map<String, Json>,
    theirs: &Map<String, Json>,
    o_start: Option<&str>,
    t_start: Option<&str>,
) -> Pairing {
    let mut p = Pairing::default();
    let kind = |s: &Json| type_name(s);
    for (name, o) in ours {
        if let Some(t) = theirs.get(name) {
            if kind(o) == kind(t) {
                p.add(name, name);
            }
        }
    }
    loop {
        let before = p.o2t.len();
        by_pattern(ours, theirs, &mut p);
        if let (Some(o), Some(t)) = (o_start, t_start) {
            let same_kind = ours.get(o).map(kind) == theirs.get(t).map(kind);
            if p.free(o, t) && same_kind && ours.contains_key(o) {
                p.add(o, t);
            }
        }
        by_transitions(ours, theirs, &mut p);
        if p.o2t.len() == before {
            return p;
        }
    }
}

/// Names with deploy-time values: filled in from what the pairs so far say they are, or
/// matching one of their names only.
fn by_pattern(ours: &Map<String, Json>, theirs: &Map<String, Json>, p: &mut Pairing) {
    let mut bindings = Bindings::new();
    for (o, t) in &p.o2t {
        learn(&mut bindings, o, t);
        if let (Some(os), Some(ts)) = (ours.get(o), theirs.get(t)) {
            learn_values(&mut bindings, os, ts);
        }
    }
    for (name, o) in ours {
        let pattern = Pattern::new(name);
        if pattern.is_exact() || p.o2t.contains_key(name) {
            continue;
        }
        let free =
            |t: &String| p.free(name, t) && theirs.get(t).map(type_name) == Some(type_name(o));
        let filled = pattern
            .fill(&bindings)
            .filter(|n| theirs.contains_key(n) && free(n));
        let found = filled.or_else(|| {
            let mut matching = theirs.keys().filter(|t| free(t) && pattern.matches(t));
            let first = matching.next()?;
            matching.next().is_none().then(|| first.clone())
        });
        if let Some(t) = found {
            learn(&mut bindings, name, &t);
            p.add(name, &t);
        }
    }
}

/// What the strings of a paired state say the placeholders stand for.
fn learn_values(bindings: &mut Bindings, o: &Json, t: &Json) {
    match (o, t) {
        (Json::String(o), Json::String(t)) => learn(bindings, o, t),
        (Json::Object(om), Json::Object(tm)) => {
            for (k, v) in om {
                if let Some(w) = tm.get(k) {
                    learn_values(bindings, v, w);
                }
            }
        }
        (Json::Array(oa), Json::Array(ta)) if oa.len() == ta.len() => {
            for (v, w) in oa.iter().zip(ta) {
                learn_values(bindings, v, w);
            }
        }
        _ => {}
    }
}

/// From each pair, the states the same transitions lead to (rules and catchers paired as the
/// comparison pairs them), when both are free and of one type.
fn by_transitions(ours: &Map<String, Json>, theirs: &Map<String, Json>, p: &mut Pairing) {
    let pairs: Vec<(String, String)> = ours
        .keys()
        .filter_map(|o| Some((o.clone(), p.theirs(o)?.to_owned())))
        .collect();
    for (o, t) in pairs {
        let (Some(os), Some(ts)) = (ours.get(&o), theirs.get(&t)) else {
            continue;
        };
        for (a, b) in same_slots(os, ts) {
            let (Some(a), Some(b)) = (a, b) else { continue };
            let same_kind = ours.get(&a).map(type_name) == theirs.get(&b).map(type_name);
            if same_kind && ours.contains_key(&a) && p.free(&a, &b) {
                p.add(&a, &b);
            }
        }
    }
}

/// The targets of the transitions both states have: `Next`, `Default`, and each rule and
/// catcher of one paired with one of the other.
fn same_slots(o: &Json, t: &Json) -> Vec<(Option<String>, Option<String>)> {
    let (ot, tt) = (transitions(o), transitions(t));
    let fixed = |v: &[(String, Option<String>)], s: &str| {
        v.iter()
            .find(|(label, _)| label == s)
            .map(|(_, x)| x.clone())
    };
    let mut out = Vec::new();
    for slot in ["Next", "Default"] {
        if let (Some(a), Some(b)) = (fixed(&ot, slot), fixed(&tt, slot)) {
            out.push((a, b));
        }
    }
    for key in ["Choices", "Catch"] {
        let list = |v: &Json| -> Vec<Json> {
            let items = v
                .get(key)
                .and_then(Json::as_array)
                .cloned()
                .unwrap_or_default();
            items
        };
        let (ol, tl) = (list(o), list(t));
        let strip = |v: &Json| {
            let mut v = v.clone();
            if let Some(m) = v.as_object_mut() {
                m.remove("Next");
                m.remove("Comment");
            }
            v
        };
        let (oc, tc): (Vec<Json>, Vec<Json>) = (
            ol.iter().map(strip).collect(),
            tl.iter().map(strip).collect(),
        );
        let next = |v: &Json| v.get("Next").and_then(Json::as_str).map(str::to_owned);
        for (i, j) in align(&oc, &tc) {
            if let (Some(i), Some(j)) = (i, j) {
                out.push((next(&ol[i]), next(&tl[j])));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn states(v: Json) -> Map<String, Json> {
        v.as_object().unwrap().clone()
    }

    #[test]
    fn a_renamed_state_pairs_by_its_place_and_a_deploy_time_name_by_its_values() {
        let ours = states(json!({
            "Start": {"Type": "Pass", "Next": "Speak Hi"},
            "Speak Hi": {"Type": "Task", "Next": "DynamoDB putItem ${T}"},
            "DynamoDB putItem ${T}": {"Type": "Task", "Next": "DynamoDB putItem ${T} (2)"},
            "DynamoDB putItem ${T} (2)": {"Type": "Task", "End": true}}));
        let theirs = states(json!({
            "Start": {"Type": "Pass", "Next": "Speak Hello"},
            "Speak Hello": {"Type": "Task", "Next": "DynamoDB putItem m-1"},
            "DynamoDB putItem m-1 (2)": {"Type": "Task", "End": true},
            "DynamoDB putItem m-1": {"Type": "Task", "Next": "DynamoDB putItem m-1 (2)"},
            "Extra": {"Type": "Pass", "End": true}}));
        let p = pair(&ours, &theirs, Some("Start"), Some("Start"));
        assert_eq!(p.theirs("Speak Hi"), Some("Speak Hello"));
        assert_eq!(
            p.theirs("DynamoDB putItem ${T}"),
            Some("DynamoDB putItem m-1")
        );
        assert_eq!(
            p.theirs("DynamoDB putItem ${T} (2)"),
            Some("DynamoDB putItem m-1 (2)")
        );
        assert_eq!(p.ours("Extra"), None);
    }
}
