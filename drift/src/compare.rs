//! Comparing two definitions by meaning: which state of theirs is which of ours
//! (`pair`), then, state by state, what differs — a value, a transition, a state there
//! only or here only.
//!
//! What is not compared: formatting and key order (both are read as JSON); `Comment`s (ours
//! hold the Rust locations the compiler writes, and say nothing the execution does); state
//! names (the compiler derives them from what a state says, so a text changed in Workflow Studio
//! keeps its old name there while the recompiled flow names it anew: a state is known by its
//! place in the graph as much as by its name). A `${Name}` of ours matches any string of theirs
//! at its spot ([`crate::pattern`]), and numbers compare by value (`3` is `3.0`).

use crate::pair::{pair, Pairing};
use crate::pattern::Pattern;
use serde_json::{Map, Value as Json};
use switchboard_asl::pointer;

/// One difference between our definition and theirs.
#[derive(Debug, Clone, PartialEq)]
pub struct Difference {
    /// The state it is about: our name (theirs for a state only they have); empty for the
    /// machine itself.
    pub state: String,
    /// Where it is in our definition (in theirs, for what only they have), as a JSON pointer.
    pub pointer: String,
    pub kind: Kind,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Kind {
    /// A value differs, or one side has it and the other not.
    Value {
        ours: Option<Json>,
        theirs: Option<Json>,
    },
    /// A transition goes elsewhere.
    Edge {
        slot: String,
        ours: Target,
        theirs: Target,
    },
    /// A state they have and we do not: how the states we share lead to it (and where that
    /// transition goes here), and where it goes on to.
    Added {
        type_name: String,
        from: Vec<Way>,
        to: Vec<(String, Target)>,
    },
    /// A state we have and they do not: where the transitions that led to it go there.
    Removed {
        type_name: String,
        instead: Vec<Way>,
    },
}

/// A transition of a state we share with them, into a state one side only has.
#[derive(Debug, Clone, PartialEq)]
pub struct Way {
    pub state: String,
    pub slot: String,
    /// Where it goes on the other side.
    pub other: Target,
}

/// Where a transition goes.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Target {
    /// A state we have (our name).
    State(String),
    /// A state only they have (their name).
    Theirs(String),
    /// Nowhere: the state ends the machine (or its branch).
    End,
}

/// The keys of a state compared as transitions or nested scopes, not as values.
const NOT_VALUES: [&str; 9] = [
    "Type",
    "Comment",
    "Next",
    "End",
    "Default",
    "Choices",
    "Catch",
    "Branches",
    "ItemProcessor",
];

/// Every difference between `ours` and `theirs` (both whole definitions), ours in state order.
pub fn compare(ours: &Json, theirs: &Json) -> Vec<Difference> {
    let mut out = Vec::new();
    let (Some(o), Some(t)) = (ours.as_object(), theirs.as_object()) else {
        return out;
    };
    let skip = ["States", "StartAt", "Comment"];
    for key in keys(o, t).filter(|k| !skip.contains(k)) {
        let at = format!("/{}", pointer::escape(key));
        values(o.get(key), t.get(key), &at, "", &mut out);
    }
    scope(o, t, "", &mut out);
    out
}

/// The keys of both objects, ours first, in order.
fn keys<'a>(o: &'a Map<String, Json>, t: &'a Map<String, Json>) -> impl Iterator<Item = &'a str> {
    o.keys()
        .chain(t.keys().filter(|k| !o.contains_key(*k)))
        .map(String::as_str)
}

fn states(scope: &Map<String, Json>) -> Map<String, Json> {
    scope
        .get("States")
        .and_then(Json::as_object)
        .cloned()
        .unwrap_or_default()
}

/// A scope (the machine, a Parallel branch): its states paired, then compared.
fn scope(o: &Map<String, Json>, t: &Map<String, Json>, at: &str, out: &mut Vec<Difference>) {
    let (os, ts) = (states(o), states(t));
    let start = |m: &Map<String, Json>| m.get("StartAt").and_then(Json::as_str).map(str::to_owned);
    let p = pair(&os, &ts, start(o).as_deref(), start(t).as_deref());
    let mut edges = Vec::new();
    let (o_start, t_start) = (start(o), start(t));
    edge(&p, "", "StartAt", o_start, t_start, &mut edges);
    for (name, state) in &os {
        let here = state_at(at, name);
        match p.theirs(name).and_then(|t| ts.get(t)) {
            Some(theirs) => one_state(&p, name, state, theirs, &here, out, &mut edges),
            None => out.push(Difference {
                state: name.clone(),
                pointer: here,
                kind: Kind::Removed {
                    type_name: type_name(state),
                    instead: Vec::new(),
                },
            }),
        }
    }
    for (name, state) in ts.iter().filter(|(n, _)| p.ours(n).is_none()) {
        let to = transitions(state)
            .into_iter()
            .map(|(slot, target)| (slot, p.target_of_theirs(target.as_deref())))
            .collect();
        out.push(Difference {
            state: name.clone(),
            pointer: state_at(at, name),
            kind: Kind::Added {
                type_name: type_name(state),
                from: Vec::new(),
                to,
            },
        });
    }
    fold(edges, at, out);
}

/// A transition of ours and theirs: differences are kept in `edges` and folded later.
fn edge(
    p: &Pairing,
    state: &str,
    slot: &str,
    ours: Option<String>,
    theirs: Option<String>,
    edges: &mut Vec<(String, String, Target, Target)>,
) {
    let o = ours.map_or(Target::End, Target::State);
    let t = p.target_of_theirs(theirs.as_deref());
    if o != t {
        edges.push((state.to_owned(), slot.to_owned(), o, t));
    }
}

/// A transition into a state only they have joins that state's report, one out of a state
/// only we have joins its report; the others are rewired edges.
fn fold(edges: Vec<(String, String, Target, Target)>, at: &str, out: &mut Vec<Difference>) {
    for (state, slot, ours, theirs) in edges {
        if let Target::Theirs(added) = &theirs {
            let d = out
                .iter_mut()
                .find(|d| matches!(d.kind, Kind::Added { .. }) && d.pointer == state_at(at, added));
            if let Some(Difference {
                kind: Kind::Added { from, .. },
                ..
            }) = d
            {
                from.push(Way {
                    state,
                    slot,
                    other: ours,
                });
                continue;
            }
        }
        if let Target::State(removed) = &ours {
            let d = out.iter_mut().find(|d| {
                matches!(d.kind, Kind::Removed { .. }) && d.pointer == state_at(at, removed)
            });
            if let Some(Difference {
                kind: Kind::Removed { instead, .. },
                ..
            }) = d
            {
                instead.push(Way {
                    state,
                    slot,
                    other: theirs,
                });
                continue;
            }
        }
        let pointer = if state.is_empty() {
            format!("{at}/StartAt")
        } else {
            state_at(at, &state)
        };
        out.push(Difference {
            state,
            pointer,
            kind: Kind::Edge { slot, ours, theirs },
        });
    }
}

/// The pointer of the state `name` of the scope at `at`.
fn state_at(at: &str, name: &str) -> String {
    format!("{at}/States/{}", pointer::escape(name))
}

pub(crate) fn type_name(state: &Json) -> String {
    state
        .get("Type")
        .and_then(Json::as_str)
        .unwrap_or("?")
        .to_owned()
}

/// Every transition of a state, with its slot's label: `Next` (`None`: it ends), each rule,
/// `Default`, each catcher.
pub(crate) fn transitions(state: &Json) -> Vec<(String, Option<String>)> {
    let next = |v: &Json| v.get("Next").and_then(Json::as_str).map(str::to_owned);
    let mut out = Vec::new();
    for (i, rule) in list(state, "Choices").iter().enumerate() {
        out.push((rule_label(i, rule), next(rule)));
    }
    if let Some(d) = state.get("Default").and_then(Json::as_str) {
        out.push(("Default".into(), Some(d.to_owned())));
    }
    let terminal = matches!(type_name(state).as_str(), "Choice" | "Succeed" | "Fail");
    if !terminal {
        out.push(("Next".into(), next(state)));
    }
    for (i, catcher) in list(state, "Catch").iter().enumerate() {
        out.push((catch_label(i, catcher), next(catcher)));
    }
    out
}

fn list<'a>(v: &'a Json, key: &str) -> &'a [Json] {
    v.get(key)
        .and_then(Json::as_array)
        .map_or(&[], Vec::as_slice)
}

/// `rule 2 (`{% $x = 1 %}`)`, a long condition cut to its first 60 characters.
fn rule_label(i: usize, rule: &Json) -> String {
    match rule.get("Condition").or_else(|| rule.get("Variable")) {
        Some(Json::String(c)) if c.chars().count() > 60 => {
            let cut: String = c.chars().take(59).collect();
            format!("rule {} (`{cut}…`)", i + 1)
        }
        Some(Json::String(c)) => format!("rule {} (`{c}`)", i + 1),
        _ => format!("rule {}", i + 1),
    }
}

fn catch_label(i: usize, catcher: &Json) -> String {
    let errors: Vec<&str> = list(catcher, "ErrorEquals")
        .iter()
        .filter_map(Json::as_str)
        .collect();
    if errors.is_empty() {
        format!("catcher {}", i + 1)
    } else {
        format!("catcher of {}", errors.join(", "))
    }
}

/// A state we share with them: its values, its rules and catchers paired, its transitions,
/// its nested scopes.
fn one_state(
    p: &Pairing,
    name: &str,
    o: &Json,
    t: &Json,
    at: &str,
    out: &mut Vec<Difference>,
    edges: &mut Vec<(String, String, Target, Target)>,
) {
    let (Some(om), Some(tm)) = (o.as_object(), t.as_object()) else {
        return;
    };
    for key in keys(om, tm).filter(|k| !NOT_VALUES.contains(k)) {
        let key_at = format!("{at}/{}", pointer::escape(key));
        values(om.get(key), tm.get(key), &key_at, name, out);
    }
    let next = |v: &Json| v.get("Next").and_then(Json::as_str).map(str::to_owned);
    let terminal = matches!(type_name(o).as_str(), "Choice" | "Succeed" | "Fail");
    if !terminal {
        edge(p, name, "Next", next(o), next(t), edges);
    }
    if type_name(o) == "Choice" {
        let default = |v: &Json| v.get("Default").and_then(Json::as_str).map(str::to_owned);
        edge(p, name, "Default", default(o), default(t), edges);
    }
    for (key, label) in [
        ("Choices", rule_label as fn(usize, &Json) -> String),
        ("Catch", catch_label),
    ] {
        let (ol, tl) = (list(o, key), list(t, key));
        let content = |v: &Json| without(v, &["Next", "Comment"]);
        let (oc, tc): (Vec<Json>, Vec<Json>) = (
            ol.iter().map(content).collect(),
            tl.iter().map(content).collect(),
        );
        for (i, j) in align(&oc, &tc) {
            match (i, j) {
                (Some(i), Some(j)) => {
                    let item_at = format!("{at}/{key}/{i}");
                    values(Some(&oc[i]), Some(&tc[j]), &item_at, name, out);
                    edge(
                        p,
                        name,
                        &label(i, &ol[i]),
                        next(&ol[i]),
                        next(&tl[j]),
                        edges,
                    );
                }
                (i, j) => {
                    let item_at = format!("{at}/{key}/{}", i.or(j).unwrap_or(0));
                    values(i.map(|i| &ol[i]), j.map(|j| &tl[j]), &item_at, name, out);
                }
            }
        }
    }
    let (ob, tb) = (list(o, "Branches"), list(t, "Branches"));
    for i in 0..ob.len().max(tb.len()) {
        let branch_at = format!("{at}/Branches/{i}");
        match (
            ob.get(i).and_then(Json::as_object),
            tb.get(i).and_then(Json::as_object),
        ) {
            (Some(ob), Some(tb)) => scope(ob, tb, &branch_at, out),
            _ => values(ob.get(i), tb.get(i), &branch_at, name, out),
        }
    }
    for key in ["ItemProcessor"] {
        match (
            o.get(key).and_then(Json::as_object),
            t.get(key).and_then(Json::as_object),
        ) {
            (Some(oi), Some(ti)) => scope(oi, ti, &format!("{at}/{key}"), out),
            _ => values(o.get(key), t.get(key), &format!("{at}/{key}"), name, out),
        }
    }
}

fn without(v: &Json, drop: &[&str]) -> Json {
    match v {
        Json::Object(m) => Json::Object(
            m.iter()
                .filter(|(k, _)| !drop.contains(&k.as_str()))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// The differences between two values at `at`.
fn values(o: Option<&Json>, t: Option<&Json>, at: &str, state: &str, out: &mut Vec<Difference>) {
    let differ = |out: &mut Vec<Difference>| {
        out.push(Difference {
            state: state.to_owned(),
            pointer: at.to_owned(),
            kind: Kind::Value {
                ours: o.cloned(),
                theirs: t.cloned(),
            },
        })
    };
    match (o, t) {
        (None, None) => {}
        (Some(Json::Object(om)), Some(Json::Object(tm))) => {
            for key in keys(om, tm) {
                let key_at = format!("{at}/{}", pointer::escape(key));
                values(om.get(key), tm.get(key), &key_at, state, out);
            }
        }
        // A list of plain values (keys, error names) is one value; a list of objects (actions,
        // rules, catchers) is compared item by item.
        (Some(Json::Array(oa)), Some(Json::Array(ta))) if has_objects(oa) || has_objects(ta) => {
            for (i, j) in align(oa, ta) {
                if let (Some(i), Some(j)) = (i, j) {
                    values(Some(&oa[i]), Some(&ta[j]), &format!("{at}/{i}"), state, out);
                } else {
                    let item_at = format!("{at}/{}", i.or(j).unwrap_or(0));
                    values(i.map(|i| &oa[i]), j.map(|j| &ta[j]), &item_at, state, out);
                }
            }
        }
        (Some(o), Some(t)) if same(o, t) => {}
        _ => differ(out),
    }
}

fn has_objects(items: &[Json]) -> bool {
    items.iter().any(|v| v.is_object() || v.is_array())
}

/// Whether `theirs` means what `ours` does: equal, a `${Name}` of ours matching anything at its
/// spot, numbers by value.
pub(crate) fn same(ours: &Json, theirs: &Json) -> bool {
    match (ours, theirs) {
        (Json::String(o), Json::String(t)) => Pattern::new(o).matches(t),
        (Json::Number(o), Json::Number(t)) => o == t || o.as_f64() == t.as_f64(),
        (Json::Array(o), Json::Array(t)) => {
            o.len() == t.len() && o.iter().zip(t).all(|(a, b)| same(a, b))
        }
        (Json::Object(o), Json::Object(t)) => {
            o.len() == t.len() && o.iter().all(|(k, v)| t.get(k).is_some_and(|w| same(v, w)))
        }
        _ => ours == theirs,
    }
}

/// Pairs the items of two lists: the items that mean the same, in order (a longest common
/// subsequence), then, between two such pairs, what is left position by position (an item
/// changed in place); the rest is on one side only. Ours' order.
pub(crate) fn align(o: &[Json], t: &[Json]) -> Vec<(Option<usize>, Option<usize>)> {
    let (n, m) = (o.len(), t.len());
    let mut lcs = vec![vec![0usize; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lcs[i][j] = if same(&o[i], &t[j]) {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let mut out = Vec::new();
    let (mut i, mut j) = (0, 0);
    let (mut gap_o, mut gap_t) = (Vec::new(), Vec::new());
    let flush = |gap_o: &mut Vec<usize>, gap_t: &mut Vec<usize>, out: &mut Vec<_>| {
        let k = gap_o.len().max(gap_t.len());
        for x in 0..k {
            out.push((gap_o.get(x).copied(), gap_t.get(x).copied()));
        }
        gap_o.clear();
        gap_t.clear();
    };
    while i < n || j < m {
        if i < n && j < m && same(&o[i], &t[j]) && lcs[i][j] == lcs[i + 1][j + 1] + 1 {
            flush(&mut gap_o, &mut gap_t, &mut out);
            out.push((Some(i), Some(j)));
            i += 1;
            j += 1;
        } else if j >= m || (i < n && lcs[i + 1][j] >= lcs[i][j + 1]) {
            gap_o.push(i);
            i += 1;
        } else {
            gap_t.push(j);
            j += 1;
        }
    }
    flush(&mut gap_o, &mut gap_t, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn lists_pair_what_means_the_same_then_what_changed_in_place() {
        let o = [json!("a"), json!("b"), json!("c")];
        let t = [json!("a"), json!("B"), json!("c"), json!("d")];
        assert_eq!(
            align(&o, &t),
            [
                (Some(0), Some(0)),
                (Some(1), Some(1)),
                (Some(2), Some(2)),
                (None, Some(3))
            ]
        );
        let t = [json!("x"), json!("a"), json!("c")];
        assert_eq!(
            align(&o, &t),
            [
                (None, Some(0)),
                (Some(0), Some(1)),
                (Some(1), None),
                (Some(2), Some(2))
            ]
        );
    }

    #[test]
    fn a_branch_of_a_parallel_is_compared_as_a_scope_of_its_own() {
        let branch = |states: Json| json!({"StartAt": "A", "States": states});
        let machine = |states: Json| json!({"StartAt": "P", "States": {"P": {"Type": "Parallel", "Branches": [branch(states)], "End": true}}});
        let ours = machine(json!({"A": {"Type": "Pass", "Next": "B"}, "B": {"Type": "Succeed"}}));
        let theirs = machine(
            json!({"A": {"Type": "Pass", "Next": "C"}, "C": {"Type": "Pass", "Next": "B"},
            "B": {"Type": "Succeed"}}),
        );
        let diffs = compare(&ours, &theirs);
        assert_eq!(diffs.len(), 1, "{diffs:#?}");
        assert_eq!(diffs[0].pointer, "/States/P/Branches/0/States/C");
        let Kind::Added { from, to, .. } = &diffs[0].kind else {
            panic!("{diffs:#?}")
        };
        assert_eq!(
            from,
            &[Way {
                state: "A".into(),
                slot: "Next".into(),
                other: Target::State("B".into())
            }]
        );
        assert_eq!(to, &[("Next".to_owned(), Target::State("B".into()))]);
    }

    #[test]
    fn meaning_ignores_key_order_number_spelling_and_deploy_time_values() {
        let o = json!({"a": 3, "b": {"TableName": "${T}", "Key": "k"}});
        let t = serde_json::from_str(r#"{"b": {"Key": "k", "TableName": "msgs-1"}, "a": 3.0}"#)
            .unwrap();
        assert!(same(&o, &t));
        assert!(!same(
            &o,
            &json!({"a": 3, "b": {"TableName": "x", "Key": "K"}})
        ));
    }
}
