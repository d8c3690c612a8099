//! The AWS Regions where PSTN audio (SIP media applications, SIP rules, phone numbers for them)
//! runs: the only Regions `deploy` puts a stack in, and the Regions its templates are linted for.
//!
//! Source: "Available AWS Regions for the Amazon Chime SDK", PSTN audio table
//! (<https://docs.aws.amazon.com/chime-sdk/latest/dg/sdk-available-regions.html>). Europe
//! (Ireland) and Asia Pacific (Seoul) appear in that page's console table, but no text we could
//! check lists PSTN audio there: the conservative reading leaves them out, so `deploy` refuses
//! them with this list rather than fail halfway through a stack.

/// Region codes, in the order the page lists them.
pub const PSTN_AUDIO_REGIONS: [&str; 8] = [
    "us-east-1",
    "us-west-2",
    "ca-central-1",
    "eu-central-1",
    "eu-west-2",
    "ap-northeast-1",
    "ap-southeast-1",
    "ap-southeast-2",
];

/// Whether PSTN audio runs in `region`.
pub fn runs_in(region: &str) -> bool {
    PSTN_AUDIO_REGIONS.contains(&region)
}
