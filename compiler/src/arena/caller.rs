//! A caller Task: the actions it sends, and how it goes on the wire.

use super::{Assign, Catch, Name, StateId};
use serde_json::{json, Value as Json};
use switchboard::ir::{Loc, Origins};
use switchboard::lang::results::Call;
use switchboard::lang::WAIT_KIND;
use switchboard::pstn::{limits, Action};
use switchboard::wire;

/// One PSTN audio action of a caller Task.
#[derive(Debug, Clone, PartialEq)]
pub struct Act {
    /// The action as sent (`{"Type", "Parameters"}`).
    pub json: Json,
    pub kind: &'static str,
    pub summary: String,
    pub label: Option<String>,
    pub max_seconds: u32,
    pub loc: Loc,
    /// It hangs up the caller's leg (a `Hangup` not of `LEG-B`).
    pub hangs_up_caller: bool,
    /// The builder calls its parameters come from (paths from the action object).
    pub origins: Origins,
}

/// Seconds added to a waiting Task's timeout beyond its actions' own durations: the router's
/// round trip and PSTN audio's processing.
pub const SLACK_SECONDS: u64 = 20;
/// Seconds a Hangup appended to a Task's actions adds to its timeout.
const HANGUP_SECONDS: u64 = 10;

/// A Task that sends actions to the caller and waits for the next event (one round trip).
#[derive(Debug, Clone, PartialEq)]
pub struct Caller {
    pub acts: Vec<Act>,
    /// The flow's closing Hangup is appended to the actions (after `acts`).
    pub final_hangup: bool,
    pub assign: Assign,
    /// The catchers of the statement's context; see [`Caller::hangs_up`] for the `HANGUP` one.
    pub catch: Vec<Catch>,
    pub next: StateId,
}

impl Caller {
    /// Whether the response ends by hanging up the caller. The caller's `HANGUP` then answers
    /// it: that is its success, so its `HANGUP` catcher mirrors `Next` (and the assignments
    /// riding on the Task) instead of going to the context's hang-up arm.
    pub fn hangs_up(&self) -> bool {
        self.acts.last().is_some_and(|a| a.hangs_up_caller)
    }

    /// Where the mirrored `HANGUP` catcher goes: on with `Next`, except that the flow's end
    /// hangs up, which is done already.
    pub fn mirror_target(&self) -> StateId {
        if self.next == StateId::END_HANGUP {
            StateId::CALL_ENDED
        } else {
            self.next
        }
    }

    /// The action JSON sent: the acts but the pseudo-action waiting for a hang-up, then the
    /// appended Hangup.
    pub fn actions(&self) -> Vec<Json> {
        let mut out: Vec<Json> = self
            .acts
            .iter()
            .filter(|a| a.kind != WAIT_KIND)
            .map(|a| a.json.clone())
            .collect();
        if self.final_hangup {
            out.push(hangup_action());
        }
        out
    }

    /// The actions' own durations plus the slack.
    pub fn timeout_seconds(&self) -> u64 {
        let acts: u64 = self.acts.iter().map(|a| u64::from(a.max_seconds)).sum();
        acts + SLACK_SECONDS + if self.final_hangup { HANGUP_SECONDS } else { 0 }
    }

    /// The Task's `Comment` text and name base: the first action's location, the action types;
    /// the first label given, else the summaries.
    pub fn describe(acts: &[Act]) -> (Option<(Loc, String)>, Name) {
        let Some(first) = acts.first() else {
            return (None, Name::None);
        };
        let kinds: Vec<&str> = acts.iter().map(|a| a.kind).collect();
        let base = match acts.iter().find_map(|a| a.label.clone()) {
            Some(label) => label,
            None => acts
                .iter()
                .map(|a| a.summary.as_str())
                .collect::<Vec<_>>()
                .join(switchboard_asl::names::JOIN),
        };
        (Some((first.loc, kinds.join(", "))), Name::Readable(base))
    }
}

/// The Hangup action of the caller's leg.
pub fn hangup_action() -> Json {
    json!({
        "Type": Action::HANGUP,
        "Parameters": {
            "CallId": format!("{{% ${}.CallId %}}", Call::VAR),
            "SipResponseCode": limits::SIP_NORMAL_CLEARING.to_string(),
        }
    })
}

/// The message a caller Task puts on the call's queue (DESIGN.md wire contract).
pub fn message(actions: Vec<Json>) -> Json {
    let queue = "{% $queue_url %}";
    json!({
        wire::INPUT_QUEUE_URL: queue,
        "MessageBody": {
            "SchemaVersion": wire::SCHEMA_VERSION,
            "Actions": actions,
            "TransactionAttributes": {
                wire::ATTR_WAIT_TOKEN: "{% $states.context.Task.Token %}",
                wire::ATTR_QUEUE_URL: queue,
            }
        }
    })
}
