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

/// A `CallAndBridge` endpoint: its fields, each with the argument that set it (if one did),
/// where that call is, and its label.
pub struct Endpoint {
    fields: Vec<(&'static str, Tree, Option<Opt>)>,
    loc: Loc,
    label: String,
}

/// A phone number to bridge to (E.164). <https://docs.aws.amazon.com/chime-sdk/latest/dg/call-and-bridge.html>
#[track_caller]
pub fn pstn(number: impl ToVal) -> Endpoint {
    let loc = Loc::caller();
    let v = number.to_val();
    check_number(loc, argument("pstn"), &v);
    Endpoint {
        fields: vec![
            ("BridgeEndpointType", Tree::lit("PSTN"), None),
            (
                "Uri",
                Tree::Leaf(v.expr()),
                Some(Opt::argument("pstn", 0, &[])),
            ),
        ],
        loc,
        label: short(&v),
    }
}

/// An Amazon Chime Voice Connector endpoint (`BridgeEndpointType: AWS`).
#[track_caller]
pub fn voice_connector(arn: impl ToVal, uri: impl ToVal) -> Endpoint {
    let (arn, uri) = (arn.to_val(), uri.to_val());
    let this = Opt::argument("voice_connector", 0, &[]);
    Endpoint {
        fields: vec![
            ("BridgeEndpointType", Tree::lit("AWS"), None),
            ("Arn", Tree::Leaf(arn.expr()), Some(this)),
            ("Uri", Tree::Leaf(uri.expr()), Some(this.arg(1))),
        ],
        loc: Loc::caller(),
        label: short(&uri),
    }
}

/// Calls `endpoint` and bridges it to the caller; fails (`Err`) when it is not answered, busy,
/// or rings longer than `ring_for`. <https://docs.aws.amazon.com/chime-sdk/latest/dg/call-and-bridge.html>
#[track_caller]
pub fn call_and_bridge(endpoint: Endpoint) -> Step<kinds::CallAndBridge> {
    let ring = param::CALL_TIMEOUT_SECONDS.sent();
    let s = Step::new(
        Action::CALL_AND_BRIDGE,
        format!("Bridge {}", endpoint.label),
        secs(ring) + 10,
        Loc::caller(),
    );
    let Endpoint { fields, loc, .. } = endpoint;
    let tree = fields.iter().map(|(k, v, _)| ((*k).to_owned(), v.clone()));
    let mut s = s.default_by(RING_FOR, &[], Some(Tree::lit(ring))).set(
        &["Endpoints"],
        Tree::Array(vec![Tree::Object(tree.collect())]),
    );
    for (field, _, opt) in fields {
        if let Some(opt) = opt {
            s = s.mark(opt, &["Endpoints", "0", field], loc);
        }
    }
    s
}

const RING_FOR: Opt = Opt::method("ring_for", &[param::CALL_TIMEOUT_SECONDS.field], Sent::Same);
const CALLER_ID: Opt = Opt::method("caller_id", &["CallerIdNumber"], Sent::Same);
const RINGBACK: Opt = Opt::method("ringback", &[], Sent::Same);

impl Step<kinds::CallAndBridge> {
    /// The number the callee sees (`CallerIdNumber`, E.164).
    #[track_caller]
    pub fn caller_id(self, number: impl ToVal) -> Self {
        let loc = Loc::caller();
        let v = number.to_val();
        check_number(loc, option("call_and_bridge", "caller_id"), &v);
        // Keep the documented order: CallTimeoutSeconds, CallerIdNumber, Endpoints.
        let mut s = self.set_by_val(CALLER_ID, &[], &v, loc);
        if let Tree::Object(kv) = &mut s.action.params {
            if let Some(at) = kv.iter().position(|(k, _)| k == "CallerIdNumber") {
                let entry = kv.remove(at);
                kv.insert(1.min(kv.len()), entry);
            }
        }
        s
    }
    /// Seconds to let it ring before giving up (`CallTimeoutSeconds`).
    #[track_caller]
    pub fn ring_for(mut self, seconds: i64) -> Self {
        let loc = Loc::caller();
        let o = option("call_and_bridge", "ring_for");
        self.action.max_seconds = secs(check_int(loc, o, seconds)) + 10;
        self.set_by(RING_FOR, &[], json!(seconds), loc)
    }
    /// Plays an S3 audio file to the caller while the callee rings (`RingbackTone`).
    #[track_caller]
    pub fn ringback(self, bucket: impl ToVal, key: impl ToVal) -> Self {
        let (bucket, key) = (bucket.to_val(), key.to_val());
        s3_source(
            self,
            &["RingbackTone"],
            RINGBACK,
            (&bucket, &key),
            Some(Loc::caller()),
        )
    }
    /// Sends a SIP header to the callee (`SipHeaders`, `X-` headers and `User-to-User`).
    #[track_caller]
    pub fn sip_header(self, name: &str, value: impl ToVal) -> Self {
        let loc = Loc::caller();
        if !(name.starts_with("X-") || name == "User-to-User") {
            ctx::error(
                loc,
                format!(
                    "sip_header(\"{name}\"): only `X-…` headers and `User-to-User` can be sent"
                ),
            );
        }
        let header = Opt::method("sip_header", &[], Sent::Same).arg(1);
        self.set_by_val(header, &["SipHeaders", name], &value.to_val(), loc)
    }
}
