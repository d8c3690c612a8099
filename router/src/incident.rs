//! What the router reports about one event: its answer, the incidents met on the way, and the
//! event's identity for the log line. Strings taken from the event are clipped here, so a 1 MB
//! field never reaches a log line or a transcript.

use serde::Serialize;
use serde_json::Value;

/// Longest `TransactionId` kept in incidents and log lines, in bytes of JSON text.
pub const MAX_ID: usize = 256;
/// Longest `InvocationEventType` kept.
pub const MAX_EVENT_TYPE: usize = 64;
/// Longest incident detail kept.
pub const MAX_DETAIL: usize = 1024;

/// How bad an incident is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Handled, but worth knowing (a retried invocation, a stale message).
    Warn,
    /// The call was ended or an event was dropped.
    Error,
}

/// Something that went wrong while handling one event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Incident {
    pub severity: Severity,
    /// Stable name: `bad_event`, `unknown_number`, `missing_token`, `token_gone`,
    /// `execution_ended`, `queue_gone`, `bad_message`, `backend`, `silent_workflow`, `retry`.
    pub kind: &'static str,
    pub transaction_id: Option<String>,
    pub event_type: Option<String>,
    pub sequence: Option<u64>,
    /// At most [`MAX_DETAIL`] bytes of JSON text.
    pub detail: String,
}

/// Which event a reply answers, as far as it could be read (clipped like every logged field).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EventId {
    pub transaction_id: Option<String>,
    pub event_type: Option<String>,
    pub sequence: Option<u64>,
}

impl EventId {
    /// Clips the strings to [`MAX_ID`] and [`MAX_EVENT_TYPE`].
    pub fn new(
        transaction_id: Option<&str>,
        event_type: Option<&str>,
        sequence: Option<u64>,
    ) -> Self {
        EventId {
            transaction_id: transaction_id.map(|t| clip(t, MAX_ID)),
            event_type: event_type.map(|t| clip(t, MAX_EVENT_TYPE)),
            sequence,
        }
    }
}

/// The router's answer to one event.
#[derive(Debug, Clone, PartialEq)]
pub struct Reply {
    /// A valid PSTN audio response, always.
    pub response: Value,
    /// In the order they were met; the log line leads with the most severe.
    pub incidents: Vec<Incident>,
    pub event: EventId,
}

impl Reply {
    /// The incident the log line is about: the last of the most severe (the one that decided
    /// the answer; the others led to it).
    pub fn main_incident(&self) -> Option<&Incident> {
        let worst = self.incidents.iter().map(|i| i.severity).max()?;
        self.incidents.iter().rev().find(|i| i.severity == worst)
    }
}

/// The length `s` takes as JSON string content (quotes, backslashes and control characters are
/// escaped, so they count double or sixfold).
fn json_len(c: char) -> usize {
    match c {
        '"' | '\\' | '\n' | '\r' | '\t' | '\u{8}' | '\u{c}' => 2,
        c if (c as u32) < 0x20 => 6,
        c => c.len_utf8(),
    }
}

/// `s` cut to at most `max` bytes of JSON text, with a marker saying how much was left out.
pub fn clip(s: &str, max: usize) -> String {
    let total: usize = s.chars().map(json_len).sum();
    if total <= max {
        return s.to_owned();
    }
    let marker = format!("…[{} more bytes]", s.len());
    let room = max.saturating_sub(marker.len() + 8);
    let mut used = 0;
    let mut end = 0;
    for (i, c) in s.char_indices() {
        used += json_len(c);
        if used > room {
            break;
        }
        end = i + c.len_utf8();
    }
    format!("{}…[{} more bytes]", &s[..end], s.len() - end)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clip_bounds_the_json_text_and_says_what_it_cut() {
        assert_eq!(clip("short", 10), "short");
        let long = "x".repeat(1 << 20);
        let c = clip(&long, 100);
        assert!(serde_json::to_string(&c).unwrap().len() <= 102, "{c}");
        assert!(
            c.ends_with(&format!(
                "…[{} more bytes]",
                (1 << 20) - c.find('…').unwrap()
            )),
            "{c}"
        );
        // Control characters take six bytes in JSON; multi-byte characters are not split.
        let nasty = "\u{1}é".repeat(10_000);
        let c = clip(&nasty, 200);
        assert!(serde_json::to_string(&c).unwrap().len() <= 202, "{c}");
    }

    #[test]
    fn the_main_incident_is_the_last_of_the_most_severe() {
        let i = |severity, kind| Incident {
            severity,
            kind,
            transaction_id: None,
            event_type: None,
            sequence: None,
            detail: String::new(),
        };
        let reply = Reply {
            response: Value::Null,
            incidents: vec![
                i(Severity::Warn, "unknown_number"),
                i(Severity::Error, "missing_token"),
                i(Severity::Error, "queue_gone"),
                i(Severity::Warn, "backend"),
            ],
            event: EventId::default(),
        };
        assert_eq!(reply.main_incident().map(|i| i.kind), Some("queue_gone"));
    }
}
