//! The AWS Regions where PSTN audio (SIP media applications, SIP rules, phone numbers for them)
//! runs: the only Regions `deploy` puts a stack in, the Regions the provider accepts, and the
//! Regions the templates are linted for.
//!
//! US East (N. Virginia) and US West (Oregon), and since November 2022 eight more
//! (<https://aws.amazon.com/about-aws/whats-new/2022/11/amazon-chime-sdk-expands-voice-features-additional-aws-regions/>):
//! the ten the Chime SDK Voice API lists as Voice Connector Regions
//! (<https://docs.aws.amazon.com/chime-sdk/latest/APIReference/API_voice-chime_ListAvailableVoiceConnectorRegions.html>),
//! the console Regions of "Available AWS Regions for the Amazon Chime SDK" ([`DOC`]).

/// Region codes.
pub const PSTN_AUDIO_REGIONS: [&str; 10] = [
    "us-east-1",
    "us-west-2",
    "ca-central-1",
    "eu-central-1",
    "eu-west-1",
    "eu-west-2",
    "ap-northeast-1",
    "ap-northeast-2",
    "ap-southeast-1",
    "ap-southeast-2",
];

/// The page listing the Regions of each Amazon Chime SDK feature.
pub const DOC: &str = "https://docs.aws.amazon.com/chime-sdk/latest/dg/sdk-available-regions.html";

/// Whether PSTN audio runs in `region`.
pub fn runs_in(region: &str) -> bool {
    PSTN_AUDIO_REGIONS.contains(&region)
}
