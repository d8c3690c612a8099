//! Where the values of a compiled definition come from in the Rust source: for each value a
//! builder call set (or would set, where the flow leaves it at what Switchboard sends), its JSON
//! pointer in the definition and the [`Origin`] the builder recorded.
//!
//! The passes over the finished state machine ([`crate::opt::finish`]) copy Tasks, put one
//! Task's actions in front of another's and name the copies anew, so a pointer known at
//! emission would not survive them, and keeping a side table up to date in every pass would
//! make each pass know about it. Instead emission tags each action object, and each service
//! Task's `Arguments`, with a marker key holding the index of its origins ([`Marks`]): the tag
//! rides along with the object through every copy and move, and [`collect`] takes the tags out
//! of the finished machine, recording where each tagged object ended up. The key starts with a
//! control character, which no ASL the compiler emits contains, and no pass reads or compares
//! it (the passes compare `Catch`, queues and attributes, never whole action lists); `collect`
//! leaves none behind, so the definition is exactly what it is without them (`compile --check`
//! holds byte for byte).

use serde_json::Value as Json;
use std::cell::RefCell;
use std::collections::BTreeMap;
use switchboard::ir::{Origin, Origins};
use switchboard_asl::{pointer, State, StateMachine, States};

/// The marker key of a tagged object.
const MARK: &str = "\u{1}switchboard-origins";

/// Where the paths of a tagged object's origins start.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Base {
    /// At the tagged object (an action: `Parameters/…`).
    Object,
    /// At the state holding it (a service Task's `Arguments`: `Arguments/…`, `TimeoutSeconds`).
    State,
}

/// The origins of the objects emission tagged, by tag.
#[derive(Debug, Default)]
pub struct Marks(RefCell<Vec<(Origins, Base)>>);

impl Marks {
    /// Tags `object` (a JSON object; anything else stays untagged) with `origins`.
    pub fn tag(&self, object: &mut Json, origins: &Origins, base: Base) {
        let Json::Object(map) = object else { return };
        if origins.is_empty() {
            return;
        }
        let mut marks = self.0.borrow_mut();
        map.insert(MARK.to_owned(), Json::from(marks.len()));
        marks.push((origins.clone(), base));
    }
}

/// The origins of a definition's values, by JSON pointer
/// ([RFC 6901](https://www.rfc-editor.org/rfc/rfc6901)). A pointer may name a value the
/// definition leaves out: the option that would send it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Sources {
    by_pointer: BTreeMap<String, Origin>,
}

impl Sources {
    /// The origin of the value at `pointer`.
    pub fn get(&self, pointer: &str) -> Option<&Origin> {
        self.by_pointer.get(pointer)
    }

    /// The origin of the value at `pointer`, or of the nearest value containing it, with that
    /// value's pointer.
    pub fn covering<'a>(&'a self, pointer: &str) -> Option<(&'a str, &'a Origin)> {
        let mut p = pointer;
        loop {
            if let Some((k, o)) = self.by_pointer.get_key_value(p) {
                return Some((k.as_str(), o));
            }
            p = &p[..p.rfind('/')?];
        }
    }

    /// Every value sent by the same argument (the same part of it: a range's start or end) of
    /// the same call as `origin` (a prompt copied into two Tasks, a sub-flow's literal inlined
    /// twice), in pointer order.
    pub fn sent_with<'a>(
        &'a self,
        origin: &'a Origin,
    ) -> impl Iterator<Item = (&'a str, &'a Origin)> {
        self.iter().filter(move |(_, o)| {
            let key = |o: &Origin| (o.loc, o.call, o.arg, o.sent, o.called);
            key(o) == key(origin)
        })
    }

    /// Every value's pointer and origin, in pointer order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Origin)> {
        self.by_pointer.iter().map(|(k, v)| (k.as_str(), v))
    }

    pub fn len(&self) -> usize {
        self.by_pointer.len()
    }

    pub fn is_empty(&self) -> bool {
        self.by_pointer.is_empty()
    }
}

/// Takes every tag out of `machine` and records, for each origin of each tagged object, the
/// pointer of the value it names.
pub fn collect(machine: &mut StateMachine, marks: Marks) -> Sources {
    let marks = marks.0.into_inner();
    let mut sources = Sources::default();
    untag_states(&mut machine.states, "", &marks, &mut sources);
    sources
}

fn untag_states(states: &mut States, at: &str, marks: &[(Origins, Base)], out: &mut Sources) {
    for (name, state) in states.iter_mut() {
        let state_at = format!("{at}/States/{}", pointer::escape(name));
        if let State::Task(t) = state {
            if let Some(args) = &mut t.arguments {
                untag(
                    args,
                    &format!("{state_at}/Arguments"),
                    &state_at,
                    marks,
                    out,
                );
            }
        }
        let kinds: Vec<_> = state.scopes().map(|s| s.kind).collect();
        for (kind, inner) in kinds.into_iter().zip(state.scopes_mut()) {
            untag_states(inner, &format!("{state_at}{}", kind.pointer()), marks, out);
        }
    }
}

/// Untags `v` (at `at`, in the state at `state_at`) and everything in it.
fn untag(v: &mut Json, at: &str, state_at: &str, marks: &[(Origins, Base)], out: &mut Sources) {
    match v {
        Json::Object(map) => {
            if let Some(tag) = map.remove(MARK) {
                let entry = tag.as_u64().and_then(|i| marks.get(i as usize));
                if let Some((origins, base)) = entry {
                    let base = match base {
                        Base::Object => at,
                        Base::State => state_at,
                    };
                    for o in origins.iter() {
                        let rest: String = o
                            .path
                            .iter()
                            .map(|p| format!("/{}", pointer::escape(p)))
                            .collect();
                        out.by_pointer.insert(format!("{base}{rest}"), o.clone());
                    }
                }
            }
            for (k, x) in map.iter_mut() {
                untag(
                    x,
                    &format!("{at}/{}", pointer::escape(k)),
                    state_at,
                    marks,
                    out,
                );
            }
        }
        Json::Array(items) => {
            for (i, x) in items.iter_mut().enumerate() {
                untag(x, &format!("{at}/{i}"), state_at, marks, out);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use switchboard::ir::{Call, Loc, Sent};

    fn origin(path: &[&str], call: Call) -> Origin {
        Origin {
            path: path.iter().map(|p| p.to_string()).collect(),
            call,
            arg: 0,
            sent: Sent::Same,
            loc: Loc {
                file: "f.rs",
                line: 3,
                column: 5,
            },
            called: true,
        }
    }

    #[test]
    fn a_tag_follows_its_object_into_every_copy_and_leaves_nothing_behind() {
        let marks = Marks::default();
        let mut speak = json!({"Type": "Speak", "Parameters": {"Text": "Hi"}});
        let mut said = Origins::default();
        said.record(origin(&["Parameters", "Text"], Call::Function("speak")));
        marks.tag(&mut speak, &said, Base::Object);
        let mut args = json!({"TableName": "T"});
        let mut put = Origins::default();
        put.record(origin(
            &["Arguments", "TableName"],
            Call::Function("put_item"),
        ));
        put.record(origin(&["TimeoutSeconds"], Call::Method("timeout")));
        marks.tag(&mut args, &put, Base::State);
        let task = |actions: Vec<Json>, next: &str| {
            json!({"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
                "Arguments": {"MessageBody": {"Actions": actions}}, "Next": next})
        };
        let def = json!({"StartAt": "A", "States": {
            "A": task(vec![speak.clone()], "A/B"),
            // A copy of A's action after another action, as batching makes it.
            "A/B": task(vec![json!({"Type": "Pause"}), speak], "Put"),
            "Put": {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:putItem",
                "Arguments": args, "End": true}}});
        let mut machine: StateMachine = serde_json::from_value(def).unwrap();
        let sources = collect(&mut machine, marks);
        let pointers: Vec<&str> = sources.iter().map(|(p, _)| p).collect();
        assert_eq!(
            pointers,
            [
                "/States/A/Arguments/MessageBody/Actions/0/Parameters/Text",
                "/States/A~1B/Arguments/MessageBody/Actions/1/Parameters/Text",
                "/States/Put/Arguments/TableName",
                "/States/Put/TimeoutSeconds",
            ]
        );
        assert!(!machine.to_canonical_json().contains(MARK));
        let text = sources.get(pointers[0]).unwrap();
        assert_eq!(
            sources.sent_with(text).count(),
            2,
            "one literal, two values"
        );
        let (at, o) = sources
            .covering("/States/Put/Arguments/TableName/x")
            .unwrap();
        assert_eq!(
            (at, o.call),
            (
                "/States/Put/Arguments/TableName",
                Call::Function("put_item")
            )
        );
        assert!(sources.covering("/States/Put/Arguments/Key").is_none());
    }
}
