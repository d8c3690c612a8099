//! `CallAndBridge` and its endpoints: a phone number ([`pstn`], E.164) or a Voice Connector.
//! <https://docs.aws.amazon.com/chime-sdk/latest/dg/call-and-bridge.html>

use super::*;
use crate::pstn::E164;

/// Checks a phone-number option whose value is known now is [`E164`].
fn check_number(loc: Loc, o: &BuilderOption, v: &Val) {
    if let Some(n) = const_str(v) {
        if let Err(e) = E164::parse(&n) {
            ctx::error(loc, format!("{}: {e}", o.name()));
        }
    }
}

/// A `CallAndBridge` endpoint.
pub struct Endpoint(Tree, String);

/// A phone number to bridge to (E.164). <https://docs.aws.amazon.com/chime-sdk/latest/dg/call-and-bridge.html>
#[track_caller]
pub fn pstn(number: impl ToVal) -> Endpoint {
    let v = number.to_val();
    check_number(Loc::caller(), argument("pstn"), &v);
    Endpoint(
        Tree::Object(vec![
            ("BridgeEndpointType".into(), Tree::lit("PSTN")),
            ("Uri".into(), Tree::Leaf(v.expr())),
        ]),
        short(&v),
    )
}

/// An Amazon Chime Voice Connector endpoint (`BridgeEndpointType: AWS`).
pub fn voice_connector(arn: impl ToVal, uri: impl ToVal) -> Endpoint {
    let (arn, uri) = (arn.to_val(), uri.to_val());
    Endpoint(
        Tree::Object(vec![
            ("BridgeEndpointType".into(), Tree::lit("AWS")),
            ("Arn".into(), Tree::Leaf(arn.expr())),
            ("Uri".into(), Tree::Leaf(uri.expr())),
        ]),
        short(&uri),
    )
}

/// Calls `endpoint` and bridges it to the caller; fails (`Err`) when it is not answered, busy,
/// or rings longer than `ring_for`. <https://docs.aws.amazon.com/chime-sdk/latest/dg/call-and-bridge.html>
#[track_caller]
pub fn call_and_bridge(endpoint: Endpoint) -> Step<kinds::CallAndBridge> {
    let Endpoint(tree, label) = endpoint;
    let ring = param::CALL_TIMEOUT_SECONDS.sent();
    let s = Step::new(
        Action::CALL_AND_BRIDGE,
        format!("Bridge {label}"),
        secs(ring) + 10,
        Loc::caller(),
    );
    s.set(&["CallTimeoutSeconds"], Tree::lit(ring))
        .set(&["Endpoints"], Tree::Array(vec![tree]))
}

impl Step<kinds::CallAndBridge> {
    /// The number the callee sees (`CallerIdNumber`, E.164).
    #[track_caller]
    pub fn caller_id(self, number: impl ToVal) -> Self {
        let v = number.to_val();
        check_number(Loc::caller(), option("call_and_bridge", "caller_id"), &v);
        // Keep the documented order: CallTimeoutSeconds, CallerIdNumber, Endpoints.
        let mut s = self;
        if let Tree::Object(kv) = &mut s.action.params {
            kv.retain(|(k, _)| k != "CallerIdNumber");
            kv.insert(
                1.min(kv.len()),
                ("CallerIdNumber".into(), Tree::Leaf(v.expr())),
            );
        }
        s
    }
    /// Seconds to let it ring before giving up (`CallTimeoutSeconds`).
    #[track_caller]
    pub fn ring_for(mut self, seconds: i64) -> Self {
        let o = option("call_and_bridge", "ring_for");
        self.action.max_seconds = secs(check_int(Loc::caller(), o, seconds)) + 10;
        self.set(&["CallTimeoutSeconds"], Tree::lit(seconds))
    }
    /// Plays an S3 audio file to the caller while the callee rings (`RingbackTone`).
    pub fn ringback(self, bucket: impl ToVal, key: impl ToVal) -> Self {
        self.set(&["RingbackTone"], s3_source(bucket.to_val(), key.to_val()))
    }
    /// Sends a SIP header to the callee (`SipHeaders`, `X-` headers and `User-to-User`).
    #[track_caller]
    pub fn sip_header(self, name: &str, value: impl ToVal) -> Self {
        if !(name.starts_with("X-") || name == "User-to-User") {
            ctx::error(
                Loc::caller(),
                format!(
                    "sip_header(\"{name}\"): only `X-…` headers and `User-to-User` can be sent"
                ),
            );
        }
        self.set(&["SipHeaders", name], Tree::Leaf(value.to_val().expr()))
    }
}
