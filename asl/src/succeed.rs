//! `"Type": "Succeed"` — <https://states-language.net/spec.html#succeed-state>,
//! <https://docs.aws.amazon.com/step-functions/latest/dg/state-succeed.html>.

use serde::{Deserialize, Serialize};

use crate::common::{Io, QueryLanguage};

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct Succeed {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub query_language: Option<QueryLanguage>,
    #[serde(flatten)]
    pub io: Io,
}
