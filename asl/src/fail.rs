//! `"Type": "Fail"` — <https://states-language.net/spec.html#fail-state>,
//! <https://docs.aws.amazon.com/step-functions/latest/dg/state-fail.html>.
//!
//! `Error`/`Cause` are strings (in JSONata states they may be `"{% … %}"` expressions);
//! `ErrorPath`/`CausePath` are JSONPath-only reference paths or intrinsic functions.

use serde::{Deserialize, Serialize};

use crate::common::QueryLanguage;

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct Fail {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub query_language: Option<QueryLanguage>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_path: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cause: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cause_path: Option<String>,
}
