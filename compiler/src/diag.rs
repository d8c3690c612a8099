//! Compile errors: each names the flow, the Rust source location and what to do.

use std::fmt;
use switchboard::ir::Loc;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The flow's name.
    pub flow: String,
    /// `file.rs:line`, when the error comes from a place in the flow's source.
    pub location: Option<String>,
    /// What is wrong and what to write instead.
    pub message: String,
}

impl Diagnostic {
    pub fn at(flow: &str, loc: Loc, message: impl Into<String>) -> Self {
        Diagnostic {
            flow: flow.to_owned(),
            location: Some(loc.to_string()),
            message: message.into(),
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.location {
            Some(l) => write!(f, "error: flow `{}`: {l}: {}", self.flow, self.message),
            None => write!(f, "error: flow `{}`: {}", self.flow, self.message),
        }
    }
}
