//! What a simulated run reports: what the caller heard and pressed, what PSTN audio did, which
//! states ran, and what it cost.

use std::fmt::{self, Write as _};

use serde::Serialize;
use serde_json::Value;

use crate::cost::Usage;

/// One line of the transcript.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Entry {
    /// A call starts.
    Call {
        call: usize,
        direction: String,
        from: String,
        to: String,
        /// Local start time in the scenario's time zone.
        local_time: String,
    },
    /// PSTN audio invoked the router with this event.
    Event {
        call: usize,
        at_ms: i64,
        event: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        action: Option<String>,
        /// `ErrorType: ErrorMessage` of a failure.
        #[serde(skip_serializing_if = "Option::is_none")]
        error: Option<String>,
        /// `SipResponseCode` of a `HANGUP`.
        #[serde(skip_serializing_if = "Option::is_none")]
        sip_code: Option<i64>,
    },
    /// PSTN audio ran an action; `text` is what was heard (speech, or `s3://` audio).
    Action {
        call: usize,
        at_ms: i64,
        action: String,
        leg: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        text: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        target: Option<String>,
        result: String,
    },
    /// The caller pressed keys (empty: stayed silent).
    Pressed {
        call: usize,
        at_ms: i64,
        digits: String,
    },
    /// A leg hung up.
    HungUp {
        call: usize,
        at_ms: i64,
        leg: String,
        by: String,
    },
    /// Something worth knowing (router incidents, an invalid response, …).
    Note {
        call: usize,
        at_ms: i64,
        text: String,
    },
}

/// One execution's outcome.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExecutionReport {
    /// Execution name (the call's `TransactionId`).
    pub name: String,
    /// `running`, `succeeded` or `failed`.
    pub status: String,
    /// The error of a failed execution.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cause: Option<String>,
    /// States entered, in order.
    pub states: Vec<String>,
    /// Billed state transitions.
    pub state_transitions: u64,
    /// Task tokens issued: round trips to the caller.
    pub round_trips: u64,
    /// Top-level variables at the end.
    pub variables: Value,
}

/// What one call used, as AWS bills it: its execution's state transitions and the responses
/// it queued (`SendMessage`), and the router's invocations, billed time and queue requests for
/// the call's events.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CallUsage {
    /// The call's number (from 1).
    pub call: usize,
    /// The execution the call started, if any (a number no flow answers starts none).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub execution: Option<String>,
    pub usage: Usage,
}

/// The whole report of a run.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct Transcript {
    /// Timeline, in order.
    pub entries: Vec<Entry>,
    /// One per execution (one per call).
    pub executions: Vec<ExecutionReport>,
    /// Router invocations (events sent).
    pub invocations: u64,
    /// Billed state transitions of all executions.
    pub state_transitions: u64,
    /// Round trips to the caller (task tokens) of all executions.
    pub round_trips: u64,
    /// Simulated time the calls lasted, in milliseconds (summed over calls).
    pub call_duration_ms: i64,
    /// Recordings saved to S3 (`s3://bucket/key`).
    pub recordings: Vec<String>,
    /// What each call used (see [`crate::cost`]).
    pub usage: Vec<CallUsage>,
    /// Script steps that did not fit, steps never used, router errors.
    pub problems: Vec<String>,
}

impl Transcript {
    /// What all the calls used.
    pub fn total_usage(&self) -> Usage {
        let mut u = Usage::default();
        for c in &self.usage {
            u += c.usage;
        }
        u
    }

    /// The texts heard, in order.
    pub fn heard(&self) -> impl Iterator<Item = &str> {
        self.entries.iter().filter_map(|e| match e {
            Entry::Action { text: Some(t), .. } => Some(t.as_str()),
            _ => None,
        })
    }

    /// The actions run, as `(type, target, result)`.
    pub fn actions(&self) -> impl Iterator<Item = (&str, Option<&str>, &str)> {
        self.entries.iter().filter_map(|e| match e {
            Entry::Action {
                action,
                target,
                result,
                ..
            } => Some((action.as_str(), target.as_deref(), result.as_str())),
            _ => None,
        })
    }

    /// The timeline without times, for comparing two runs.
    pub fn lines(&self) -> Vec<String> {
        self.entries.iter().map(|e| line(e, false)).collect()
    }
}

fn clock(ms: i64) -> String {
    let s = ms.max(0) / 1000;
    format!("{:02}:{:02}.{}", s / 60, s % 60, (ms.max(0) % 1000) / 100)
}

fn line(e: &Entry, times: bool) -> String {
    let at = |ms: &i64| {
        if times {
            format!("{}  ", clock(*ms))
        } else {
            String::new()
        }
    };
    match e {
        Entry::Call {
            call,
            direction,
            from,
            to,
            local_time,
        } => format!("call {call}: {direction} {from} -> {to} at {local_time}"),
        Entry::Event {
            at_ms,
            event,
            action,
            error,
            sip_code,
            ..
        } => {
            let mut s = format!("{}  -> {event}", at(at_ms));
            if let Some(a) = action {
                let _ = write!(s, " ({a})");
            }
            if let Some(e) = error {
                let _ = write!(s, " {e}");
            }
            if let Some(c) = sip_code {
                let _ = write!(s, " SIP {c}");
            }
            s
        }
        Entry::Action {
            at_ms,
            action,
            leg,
            text,
            target,
            result,
            ..
        } => {
            let mut s = format!("{}  <- {action} [{leg}]", at(at_ms));
            if let Some(t) = text {
                let _ = write!(s, " \"{t}\"");
            }
            if let Some(t) = target {
                let _ = write!(s, " {t}");
            }
            if result != "ok" {
                let _ = write!(s, " => {result}");
            }
            s
        }
        Entry::Pressed { at_ms, digits, .. } if digits.is_empty() => {
            format!("{}     caller stays silent", at(at_ms))
        }
        Entry::Pressed { at_ms, digits, .. } => {
            format!("{}     caller presses {digits}", at(at_ms))
        }
        Entry::HungUp { at_ms, leg, by, .. } => format!("{}     {by} hangs up ({leg})", at(at_ms)),
        Entry::Note { at_ms, text, .. } => format!("{}     note: {text}", at(at_ms)),
    }
}

impl fmt::Display for Transcript {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for e in &self.entries {
            writeln!(f, "  {}", line(e, true))?;
        }
        for x in &self.executions {
            write!(f, "  execution {}: {}", x.name, x.status)?;
            if let Some(e) = &x.error {
                write!(f, " ({e}")?;
                if let Some(c) = &x.cause {
                    write!(f, ": {c}")?;
                }
                write!(f, ")")?;
            }
            writeln!(
                f,
                ", {} transitions, {} round trips",
                x.state_transitions, x.round_trips
            )?;
            writeln!(f, "    states: {}", x.states.join(" > "))?;
        }
        let u = self.total_usage();
        writeln!(
            f,
            "  cost: {} state transitions, {} round trips to the caller, {} router invocations ({} ms billed), {} SQS requests, {:.1} s of call",
            self.state_transitions,
            self.round_trips,
            self.invocations,
            u.lambda_billed_ms,
            u.sqs.total(),
            self.call_duration_ms as f64 / 1000.0
        )?;
        for p in &self.problems {
            writeln!(f, "  problem: {p}")?;
        }
        Ok(())
    }
}
