//! This crate is the CloudFormation custom-resource provider for the Amazon Chime SDK Voice
//! resources CloudFormation has no native type for in every PSTN audio Region: a Lambda function
//! (`provided.al2023`) that handles `Custom::PhoneNumber`, `Custom::SipMediaApplication` and
//! `Custom::SipRule` ([`props`] holds the contract), with retries of throttled calls, the phone
//! number order's long "Processing" wait handed over from one invocation to the next ([`handler`]),
//! and exactly one response per request PUT to CloudFormation ([`respond`]).
//!
//! With the `fake` feature it also holds [`fake`], a fake of the Chime SDK Voice operations it
//! calls (and of Lambda's `Invoke`), for offline tests and as the `fake-chime` binary.
//!
//! `main.rs` is setup only; the logic is here, driven by the tests through the real Lambda event
//! JSON, the real SDK clients pointed at the fake, and a local stand-in for the `ResponseURL`.

pub mod cfn;
#[cfg(feature = "fake")]
pub mod fake;
pub mod handler;
mod number;
pub mod props;
pub mod respond;
pub mod retry;
mod sip;

pub use handler::{Invocation, Outcome, Provider, Settings};

/// The Regions where PSTN audio runs, and the page listing them: one list for the whole
/// project, kept with the other PSTN audio facts (`switchboard_pstn::regions`, with its sources).
pub use switchboard_pstn::regions::{DOC as PSTN_AUDIO_REGIONS_DOC, PSTN_AUDIO_REGIONS};

/// The custom resource's `ServiceTimeout` (seconds) the template should set: the documented
/// maximum, one hour
/// (<https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-cloudformation-customresource.html>).
/// A number order may stay "Processing" for minutes; the provider keeps waiting across
/// invocations for at most [`Settings::give_up_after`] (55 minutes), then answers FAILED itself,
/// so CloudFormation always gets an answer with a reason before its own timeout.
pub const SERVICE_TIMEOUT_SECONDS: u32 = 3600;
