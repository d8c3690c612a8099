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
///
/// Kept as each tagged object's pointer with its origins; a value's pointer is worked out when
/// asked (only `compile --drift` asks, and few times), so compiling pays for one pointer per
/// action and service call, not one per value.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Sources {
    tagged: Vec<(String, Origins)>,
}

impl Sources {
    /// Every value's pointer and origin, in the definition's order.
    pub fn iter(&self) -> impl Iterator<Item = (String, &Origin)> {
        self.tagged.iter().flat_map(|(base, origins)| {
            origins.iter().map(move |o| {
                let rest: String = o
                    .path
                    .iter()
                    .map(|p| format!("/{}", pointer::escape(p)))
                    .collect();
                (format!("{base}{rest}"), o)
            })
        })
    }

    /// The origin of the value at `pointer`.
    pub fn get(&self, pointer: &str) -> Option<&Origin> {
        let tokens = pointer::tokens(pointer)?;
        self.tagged.iter().find_map(|(base, origins)| {
            let base = pointer::tokens(base)?;
            let rest = tokens.strip_prefix(base.as_slice())?;
            origins.iter().find(|o| o.path == rest)
        })
    }

    /// The origin of the value at `pointer`, or of the nearest value containing it, with that
    /// value's pointer.
    pub fn covering(&self, pointer: &str) -> Option<(String, &Origin)> {
        let mut p = pointer;
        loop {
            if let Some(o) = self.get(p) {
                return Some((p.to_owned(), o));
            }
            p = &p[..p.rfind('/')?];
        }
    }

    /// Every value sent by the same argument (the same part of it: a range's start or end) of
    /// the same call as `origin` (a prompt copied into two Tasks, a sub-flow's literal inlined
    /// twice), in the definition's order.
    pub fn sent_with<'a>(
        &'a self,
        origin: &'a Origin,
    ) -> impl Iterator<Item = (String, &'a Origin)> {
        let key = |o: &Origin| (o.loc, o.call, o.arg, o.sent, o.called);
        self.iter().filter(move |(_, o)| key(o) == key(origin))
    }

    pub fn is_empty(&self) -> bool {
        self.tagged.iter().all(|(_, o)| o.is_empty())
    }
}

/// Takes every tag out of `machine` and records where each tagged object ended up.
pub fn collect(machine: &mut StateMachine, marks: Marks) -> Sources {
    let marks = marks.0.into_inner();
    let mut sources = Sources::default();
    untag_states(&mut machine.states, "", &marks, &mut sources);
    sources
}

/// Whether the definition's JSON still holds a tag (a pass moved a tagged object where
/// [`collect`] does not look). The key's control character is escaped in JSON text, so its name
/// is looked for; a string that happens to hold the name only costs [`strip`]'s walk.
pub fn tagged(json: &str) -> bool {
    json.contains(&MARK[1..])
}

/// Takes out every tag wherever it is, forgetting its origins: the definition must never carry
/// one, whatever a pass did.
pub fn strip(machine: &mut StateMachine) {
    fn go(v: &mut Json) {
        match v {
            Json::Object(m) => {
                m.remove(MARK);
                m.values_mut().for_each(go);
            }
            Json::Array(a) => a.iter_mut().for_each(go),
            _ => {}
        }
    }
    fn states(s: &mut States) {
        for state in s.values_mut() {
            if let State::Task(t) = state {
                t.arguments.iter_mut().for_each(go);
            }
            for inner in state.scopes_mut() {
                states(inner);
            }
        }
    }
    states(&mut machine.states);
}

/// Where emission puts tags: on a service Task's `Arguments`, on each action of a waiting
/// Task's response.
fn untag_states(states: &mut States, at: &str, marks: &[(Origins, Base)], out: &mut Sources) {
    for (name, state) in states.iter_mut() {
        let state_at = format!("{at}/States/{}", pointer::escape(name));
        if let State::Task(t) = state {
            if let Some(args) = &mut t.arguments {
                untag(
                    args,
                    &state_at,
                    || format!("{state_at}/Arguments"),
                    marks,
                    out,
                );
                let actions = args
                    .pointer_mut("/MessageBody/Actions")
                    .and_then(Json::as_array_mut);
                for (i, action) in actions.into_iter().flatten().enumerate() {
                    let action_at = || format!("{state_at}/Arguments/MessageBody/Actions/{i}");
                    untag(action, &state_at, action_at, marks, out);
                }
            }
        }
        let kinds: Vec<_> = state.scopes().map(|s| s.kind).collect();
        for (kind, inner) in kinds.into_iter().zip(state.scopes_mut()) {
            untag_states(inner, &format!("{state_at}{}", kind.pointer()), marks, out);
        }
    }
}

/// Takes the tag out of `object` (at `at()`, in the state at `state_at`), if it has one.
fn untag(
    object: &mut Json,
    state_at: &str,
    at: impl Fn() -> String,
    marks: &[(Origins, Base)],
    out: &mut Sources,
) {
    let Some(tag) = object.as_object_mut().and_then(|m| m.remove(MARK)) else {
        return;
    };
    if let Some((origins, base)) = tag.as_u64().and_then(|i| marks.get(i as usize)) {
        let base = match base {
            Base::Object => at(),
            Base::State => state_at.to_owned(),
        };
        out.tagged.push((base, origins.clone()));
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
    fn a_tag_left_anywhere_is_seen_in_the_json_and_stripped() {
        let mut machine: StateMachine = serde_json::from_value(json!({"StartAt": "A", "States": {
            "A": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                "Arguments": {"Payload": {"deep": [{MARK: 3}]}}, "End": true}}}))
        .unwrap();
        assert!(tagged(&machine.to_canonical_json()));
        strip(&mut machine);
        assert!(!tagged(&machine.to_canonical_json()));
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
        let pointers: Vec<String> = sources.iter().map(|(p, _)| p).collect();
        assert_eq!(
            pointers,
            [
                "/States/A/Arguments/MessageBody/Actions/0/Parameters/Text",
                "/States/A~1B/Arguments/MessageBody/Actions/1/Parameters/Text",
                "/States/Put/Arguments/TableName",
                "/States/Put/TimeoutSeconds",
            ]
        );
        assert!(!tagged(&machine.to_canonical_json()));
        let text = sources.get(&pointers[0]).unwrap();
        assert_eq!(
            sources.sent_with(text).count(),
            2,
            "one literal, two values"
        );
        let (at, o) = sources
            .covering("/States/Put/Arguments/TableName/x")
            .unwrap();
        assert_eq!(
            (at.as_str(), o.call),
            (
                "/States/Put/Arguments/TableName",
                Call::Function("put_item")
            )
        );
        assert!(sources.covering("/States/Put/Arguments/Key").is_none());
    }
}
