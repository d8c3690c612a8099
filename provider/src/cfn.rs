//! The CloudFormation custom-resource protocol: the request the provider receives
//! (<https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/crpg-ref-requests.html>) and
//! the response it PUTs to the pre-signed `ResponseURL`
//! (<https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/crpg-ref-responses.html>).

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// The key under which a re-invocation carries what the previous invocation got to (see
/// [`Continuation`]). CloudFormation never sends it.
pub const CONTINUATION_KEY: &str = "SwitchboardContinuation";

/// "The total size of the response body can't exceed 4096 bytes" (crpg-ref-responses.html).
pub const MAX_RESPONSE_BYTES: usize = 4096;

/// `RequestType`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
pub enum RequestType {
    Create,
    Update,
    Delete,
}

/// One custom-resource request, as CloudFormation sends it to the Lambda (the fields the provider
/// reads; the raw event is kept to re-invoke with).
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Request {
    pub request_type: RequestType,
    #[serde(rename = "ResponseURL")]
    pub response_url: String,
    pub stack_id: String,
    pub request_id: String,
    pub resource_type: String,
    pub logical_resource_id: String,
    /// Absent on Create.
    #[serde(default)]
    pub physical_resource_id: Option<String>,
    #[serde(default)]
    pub resource_properties: Map<String, Value>,
    /// Update only: the properties before the update.
    #[serde(default)]
    pub old_resource_properties: Option<Map<String, Value>>,
    /// Set by the provider itself when it hands a long wait over to a new invocation.
    #[serde(default, rename = "SwitchboardContinuation")]
    pub continuation: Option<Continuation>,
}

/// What an invocation that ran short of time passes to the next one (the same event plus this):
/// the order it placed, so the next one polls it instead of ordering again.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Continuation {
    /// The phone number order being waited for.
    pub order_id: String,
    /// The number ordered (E.164).
    pub number: String,
    /// When the first invocation began (milliseconds since the Unix epoch), so the whole wait is
    /// bounded whatever the number of invocations.
    pub started_ms: u64,
    /// How many invocations came before this one.
    pub handovers: u32,
}

impl Request {
    /// Reads a request from the Lambda event. The message names what is missing, for the log (a
    /// request without a `ResponseURL` cannot be answered at all).
    pub fn parse(event: &Value) -> Result<Request, String> {
        serde_json::from_value(event.clone())
            .map_err(|e| format!("not a CloudFormation custom-resource request: {e}"))
    }

    /// The event to re-invoke with: `event` with [`CONTINUATION_KEY`] set to `c`.
    pub fn continued(event: &Value, c: &Continuation) -> Value {
        let mut event = event.clone();
        if let Value::Object(map) = &mut event {
            map.insert(
                CONTINUATION_KEY.to_owned(),
                serde_json::to_value(c).unwrap_or(Value::Null),
            );
        }
        event
    }
}

/// `Status`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Status {
    Success,
    Failed,
}

/// The response body, exactly the documented fields.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Response {
    pub status: Status,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    pub physical_resource_id: String,
    pub stack_id: String,
    pub request_id: String,
    pub logical_resource_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data: Option<Map<String, Value>>,
}

impl Response {
    /// The answer to `req`: the identifiers copied verbatim, as the documentation requires.
    pub fn to(
        req: &Request,
        status: Status,
        physical_resource_id: String,
        reason: Option<String>,
        data: Option<Map<String, Value>>,
    ) -> Response {
        Response {
            status,
            reason,
            physical_resource_id,
            stack_id: req.stack_id.clone(),
            request_id: req.request_id.clone(),
            logical_resource_id: req.logical_resource_id.clone(),
            data,
        }
    }

    /// The JSON body, within [`MAX_RESPONSE_BYTES`]: a `Reason` too long for it is cut to the
    /// longest prefix (on a character boundary, ending in "…") with which the whole body fits.
    pub fn body(&self) -> Vec<u8> {
        let full = serde_json::to_vec(self).unwrap_or_default();
        let Some(reason) = self
            .reason
            .as_deref()
            .filter(|_| full.len() > MAX_RESPONSE_BYTES)
        else {
            return full;
        };
        let with = |chars: usize| {
            let mut this = self.clone();
            this.reason = Some(reason.chars().take(chars).chain(Some('…')).collect());
            serde_json::to_vec(&this).unwrap_or_default()
        };
        // The body grows with the prefix: binary search for the longest that fits.
        let (mut fits, mut over) = (0, reason.chars().count());
        while over - fits > 1 {
            let mid = (fits + over) / 2;
            if with(mid).len() <= MAX_RESPONSE_BYTES {
                fits = mid;
            } else {
                over = mid;
            }
        }
        with(fits)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn request() -> Request {
        Request::parse(&json!({
            "RequestType": "Create",
            "ResponseURL": "http://127.0.0.1/r",
            "StackId": "arn:aws:cloudformation:us-east-1:123456789012:stack/s/1",
            "RequestId": "r-1",
            "ResourceType": "Custom::SipRule",
            "LogicalResourceId": "Rule",
            "ResourceProperties": {"ServiceToken": "arn"}
        }))
        .unwrap()
    }

    #[test]
    fn a_long_reason_is_cut_to_fit_4096_bytes() {
        let long = "é\"".repeat(5000);
        let r = Response::to(
            &request(),
            Status::Failed,
            "p".into(),
            Some(long.clone()),
            None,
        );
        let body = r.body();
        assert!(body.len() <= MAX_RESPONSE_BYTES, "{}", body.len());
        assert!(body.len() > MAX_RESPONSE_BYTES - 16, "{}", body.len());
        let v: Value = serde_json::from_slice(&body).unwrap();
        let reason = v["Reason"].as_str().unwrap();
        assert!(reason.ends_with('…') && long.starts_with(reason.trim_end_matches('…')));
    }

    #[test]
    fn a_short_response_is_unchanged_and_has_only_documented_fields() {
        let r = Response::to(&request(), Status::Success, "p".into(), None, None);
        let v: Value = serde_json::from_slice(&r.body()).unwrap();
        assert_eq!(
            v,
            json!({"Status": "SUCCESS", "PhysicalResourceId": "p",
                   "StackId": "arn:aws:cloudformation:us-east-1:123456789012:stack/s/1",
                   "RequestId": "r-1", "LogicalResourceId": "Rule"})
        );
    }

    #[test]
    fn a_continuation_round_trips_through_the_event() {
        let event = json!({
            "RequestType": "Create", "ResponseURL": "u", "StackId": "s", "RequestId": "r",
            "ResourceType": "Custom::PhoneNumber", "LogicalResourceId": "N",
            "ResourceProperties": {"AreaCode": "212"}
        });
        let c = Continuation {
            order_id: "o-1".into(),
            number: "+12125550100".into(),
            started_ms: 7,
            handovers: 1,
        };
        let again = Request::parse(&Request::continued(&event, &c)).unwrap();
        assert_eq!(again.continuation, Some(c));
        assert_eq!(again.resource_properties["AreaCode"], "212");
        assert!(Request::parse(&json!({"RequestType": "Create"})).is_err());
    }
}
