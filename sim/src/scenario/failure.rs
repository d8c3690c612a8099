//! A failed expectation: what was expected and what happened, and what it concerns, so a
//! picture of the call can show it where it happened.

use std::borrow::Borrow;
use std::fmt;
use std::ops::Deref;

use serde::{Serialize, Serializer};

/// What a failed expectation concerns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Site {
    /// A call as a whole: call `n` (numbered from 1 as the transcript numbers them), or every
    /// call of the scenario (`None`).
    Call(Option<usize>),
    /// Transcript entry number `n` (`Transcript::entries`): an action that ran or was heard.
    /// It belongs to the step whose response it was.
    Entry(usize),
    /// How the execution named here ended: its last step.
    End(String),
}

/// A failed expectation, or a script problem. It reads as its message (`Deref<Target = str>`,
/// `Display`, serialised as the string).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    pub message: String,
    pub site: Site,
}

impl Failure {
    /// A failure about call `call` (or every call) as a whole.
    pub fn call(call: Option<usize>, message: impl Into<String>) -> Self {
        Failure {
            message: message.into(),
            site: Site::Call(call),
        }
    }

    /// A failure at `site`.
    pub fn at(site: Site, message: impl Into<String>) -> Self {
        Failure {
            message: message.into(),
            site,
        }
    }

    /// The same failure, its message after `prefix`.
    pub fn prefixed(self, prefix: &str) -> Self {
        Failure {
            message: format!("{prefix}{}", self.message),
            ..self
        }
    }
}

impl Deref for Failure {
    type Target = str;
    fn deref(&self) -> &str {
        &self.message
    }
}

impl Borrow<str> for Failure {
    fn borrow(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl Serialize for Failure {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.message)
    }
}
