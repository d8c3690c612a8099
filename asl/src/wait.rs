//! `"Type": "Wait"` — <https://states-language.net/spec.html#wait-state>,
//! <https://docs.aws.amazon.com/step-functions/latest/dg/state-wait.html>.
//!
//! Exactly one of `Seconds`, `Timestamp`, `SecondsPath`, `TimestampPath` should be set; in
//! JSONata states `Seconds`/`Timestamp` may be `"{% … %}"` expressions.

use serde::{Deserialize, Serialize};

use crate::common::{IntOrExpr, Io, QueryLanguage};

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct Wait {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub query_language: Option<QueryLanguage>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seconds: Option<IntOrExpr>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timestamp: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seconds_path: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timestamp_path: Option<String>,
    #[serde(flatten)]
    pub io: Io,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<bool>,
}
