//! The response the Lambda function returns to PSTN audio.
//! <https://docs.aws.amazon.com/chime-sdk/latest/dg/invoke-on-call-leg.html>

use super::{limits, Action, ConstraintError, ConstraintKind};
use crate::wire::SCHEMA_VERSION;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// `{ "SchemaVersion": "1.0", "Actions": [...], "TransactionAttributes": {...} }`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Response {
    pub schema_version: String,
    pub actions: Vec<Action>,
    /// Echoed back in `CallDetails.TransactionAttributes` of later events.
    /// <https://docs.aws.amazon.com/chime-sdk/latest/dg/transaction-attributes.html>
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transaction_attributes: Option<Map<String, Value>>,
}

impl Response {
    /// A schema-1.0 response running `actions`.
    pub fn new(actions: Vec<Action>) -> Self {
        Response {
            schema_version: SCHEMA_VERSION.to_owned(),
            actions,
            transaction_attributes: None,
        }
    }

    /// Checks the schema version, the action count, the attribute limits and every action.
    pub fn validate(&self) -> Result<(), Vec<ConstraintError>> {
        let mut errors = Vec::new();
        let mut fail = |field: &str, kind: ConstraintKind, message: String| {
            errors.push(ConstraintError {
                action: "Response",
                field: field.to_owned(),
                kind,
                message,
            });
        };
        if self.schema_version != SCHEMA_VERSION {
            fail(
                "SchemaVersion",
                ConstraintKind::Malformed,
                format!(
                    "{:?} is not supported; use {SCHEMA_VERSION:?}",
                    self.schema_version
                ),
            );
        }
        let n = self.actions.len();
        let max = limits::MAX_ACTIONS_PER_RESPONSE;
        if n > max {
            fail(
                "Actions",
                ConstraintKind::Size,
                format!("has {n} actions; a response runs at most {max}, split it"),
            );
        }
        if let Some(attrs) = &self.transaction_attributes {
            let max = limits::MAX_TRANSACTION_ATTRIBUTES;
            if attrs.len() > max {
                fail(
                    "TransactionAttributes",
                    ConstraintKind::Size,
                    format!("has {} pairs; the limit is {max}", attrs.len()),
                );
            }
            let bytes = serde_json::to_string(attrs).map_or(0, |s| s.len());
            let max = limits::MAX_TRANSACTION_ATTRIBUTES_BYTES;
            if bytes > max {
                fail(
                    "TransactionAttributes",
                    ConstraintKind::Size,
                    format!("is {bytes} bytes of JSON; the limit is {} KB", max / 1024),
                );
            }
        }
        for (i, action) in self.actions.iter().enumerate() {
            if let Err(errs) = action.validate() {
                errors.extend(errs.into_iter().map(|mut e| {
                    e.field = format!("Actions[{i}].{}", e.field);
                    e
                }));
            }
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }
}
