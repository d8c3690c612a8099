//! The three resource types and their properties, validated: every property CloudFormation sends
//! (each scalar as a string) is checked here, and a bad one is refused with a message that names
//! it and says what to write. Also the physical ids the provider returns, in one place.

use serde_json::{Map, Value};
use switchboard_pstn::limits::{e164_hint, is_e164};

use crate::PSTN_AUDIO_REGIONS;

/// `Custom::PhoneNumber`.
pub const PHONE_NUMBER: &str = "Custom::PhoneNumber";
/// `Custom::SipMediaApplication`.
pub const SIP_MEDIA_APPLICATION: &str = "Custom::SipMediaApplication";
/// `Custom::SipRule`.
pub const SIP_RULE: &str = "Custom::SipRule";

/// The product type a number is ordered or adopted for when `ProductType` is absent: what a SIP
/// rule needs to route the number to a SIP media application.
pub const DEFAULT_PRODUCT_TYPE: &str = "SipMediaApplicationDialIn";
/// The product types of `CreatePhoneNumberOrder`
/// (<https://docs.aws.amazon.com/chime-sdk/latest/APIReference/API_voice-chime_CreatePhoneNumberOrder.html>).
pub const PRODUCT_TYPES: &[&str] = &["VoiceConnector", "SipMediaApplicationDialIn"];

/// The SIP rule's `Priority` when absent.
pub const DEFAULT_PRIORITY: i32 = 1;
/// `Priority` of a target application: 1 to 25
/// (<https://docs.aws.amazon.com/chime-sdk/latest/APIReference/API_voice-chime_SipRuleTargetApplication.html>).
pub const PRIORITIES: std::ops::RangeInclusive<i32> = 1..=25;

/// Where the number comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// Search this US area code and order the first number found.
    AreaCode(String),
    /// Adopt this number of the account (never released).
    Number(String),
}

/// `Custom::PhoneNumber` properties.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PhoneNumber {
    pub source: Source,
    pub product_type: String,
    pub name: Option<String>,
}

/// `Custom::SipMediaApplication` properties.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SipMediaApplication {
    pub name: String,
    pub aws_region: String,
    pub lambda_arn: String,
}

/// `Custom::SipRule` properties.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SipRule {
    pub name: String,
    pub trigger_value: String,
    pub sip_media_application_id: String,
    pub aws_region: String,
    pub priority: i32,
}

/// One resource's validated properties.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resource {
    PhoneNumber(PhoneNumber),
    SipMediaApplication(SipMediaApplication),
    SipRule(SipRule),
}

/// Validates `props` for `resource_type`; `Err` lists every problem found, one per line.
pub fn parse(resource_type: &str, props: &Map<String, Value>) -> Result<Resource, String> {
    let mut p = Props {
        resource_type,
        props,
        errors: Vec::new(),
    };
    let known: &[&str] = match resource_type {
        PHONE_NUMBER => &["AreaCode", "Number", "ProductType", "Name"],
        SIP_MEDIA_APPLICATION => &["Name", "AwsRegion", "LambdaArn"],
        SIP_RULE => &[
            "Name",
            "TriggerValue",
            "SipMediaApplicationId",
            "AwsRegion",
            "Priority",
        ],
        other => {
            return Err(format!(
                "unknown resource type {other:?}: this provider handles {PHONE_NUMBER}, \
                 {SIP_MEDIA_APPLICATION} and {SIP_RULE}"
            ))
        }
    };
    for key in props.keys() {
        if key != "ServiceToken" && key != "ServiceTimeout" && !known.contains(&key.as_str()) {
            p.error(format!(
                "unknown property {key:?}: {resource_type} takes {}",
                known.join(", ")
            ));
        }
    }
    let resource = match resource_type {
        PHONE_NUMBER => p.phone_number().map(Resource::PhoneNumber),
        SIP_MEDIA_APPLICATION => p.sip_media_application().map(Resource::SipMediaApplication),
        _ => p.sip_rule().map(Resource::SipRule),
    };
    match resource {
        Some(r) if p.errors.is_empty() => Ok(r),
        _ => Err(p.errors.join("\n")),
    }
}

struct Props<'a> {
    resource_type: &'a str,
    props: &'a Map<String, Value>,
    errors: Vec<String>,
}

impl Props<'_> {
    fn error(&mut self, e: String) {
        self.errors.push(format!("{}: {e}", self.resource_type));
    }

    /// A string property; `None` (and an error if `required`) when absent, empty or not a string.
    fn string(&mut self, key: &str, required: bool, what: &str) -> Option<String> {
        match self.props.get(key) {
            None | Some(Value::Null) if !required => None,
            None | Some(Value::Null) => {
                self.error(format!("property {key} is missing: write {what}"));
                None
            }
            Some(Value::String(s)) if s.trim().is_empty() => {
                self.error(format!("property {key} is empty: write {what}"));
                None
            }
            Some(Value::String(s)) => Some(s.clone()),
            Some(other) => {
                self.error(format!(
                    "property {key} is {other}, not a string: write {what}"
                ));
                None
            }
        }
    }

    fn name(&mut self, required: bool) -> Option<String> {
        let name = self.string("Name", required, "a name of 1 to 256 characters")?;
        if name.chars().count() > 256 {
            self.error(format!(
                "property Name is {} characters long: write at most 256",
                name.chars().count()
            ));
        }
        Some(name)
    }

    fn region(&mut self) -> Option<String> {
        let what = format!(
            "one of the Regions where PSTN audio runs: {}",
            PSTN_AUDIO_REGIONS.join(", ")
        );
        let region = self.string("AwsRegion", true, &what)?;
        if !PSTN_AUDIO_REGIONS.contains(&region.as_str()) {
            self.error(format!(
                "property AwsRegion {region:?} is not a Region where PSTN audio runs: write {what} \
                 (see {})",
                crate::PSTN_AUDIO_REGIONS_DOC
            ));
        }
        Some(region)
    }

    fn phone_number(&mut self) -> Option<PhoneNumber> {
        let area = self.string("AreaCode", false, "three digits, e.g. \"212\"");
        let number = self.string("Number", false, "an E.164 number");
        let product_type = self
            .string("ProductType", false, "SipMediaApplicationDialIn")
            .unwrap_or_else(|| DEFAULT_PRODUCT_TYPE.to_owned());
        if !PRODUCT_TYPES.contains(&product_type.as_str()) {
            self.error(format!(
                "property ProductType {product_type:?} is not a product type: write one of {}",
                PRODUCT_TYPES.join(", ")
            ));
        }
        let name = self.name(false);
        let source = match (area, number) {
            (Some(a), None) => {
                if !is_area_code(&a) {
                    self.error(format!(
                        "property AreaCode {a:?} is not a US area code: write three digits, the \
                         first 2 to 9, e.g. \"212\""
                    ));
                }
                Source::AreaCode(a)
            }
            (None, Some(n)) => {
                if !is_e164(&n) {
                    self.error(format!(
                        "property Number {n:?} is not an E.164 number: {}",
                        e164_hint()
                    ));
                }
                Source::Number(n)
            }
            (Some(_), Some(_)) => {
                self.error(
                    "both AreaCode and Number are set: write AreaCode to order a new number, or \
                     Number to adopt one the account has, not both"
                        .into(),
                );
                return None;
            }
            (None, None) => {
                if !self.props.contains_key("AreaCode") && !self.props.contains_key("Number") {
                    self.error(
                        "neither AreaCode nor Number is set: write AreaCode (e.g. \"212\") to \
                         order a new number, or Number (e.g. \"+12125550100\") to adopt one the \
                         account has"
                            .into(),
                    );
                }
                return None;
            }
        };
        Some(PhoneNumber {
            source,
            product_type,
            name,
        })
    }

    fn sip_media_application(&mut self) -> Option<SipMediaApplication> {
        let name = self.name(true);
        let aws_region = self.region();
        let lambda_arn = self.string(
            "LambdaArn",
            true,
            "the ARN of the Lambda function PSTN audio invokes",
        );
        if let Some(arn) = &lambda_arn {
            if !arn.starts_with("arn:") || !arn.contains(":lambda:") {
                self.error(format!(
                    "property LambdaArn {arn:?} is not a Lambda function ARN: write \
                     arn:aws:lambda:REGION:ACCOUNT:function:NAME"
                ));
            }
        }
        Some(SipMediaApplication {
            name: name?,
            aws_region: aws_region?,
            lambda_arn: lambda_arn?,
        })
    }

    fn sip_rule(&mut self) -> Option<SipRule> {
        let name = self.name(true);
        let trigger_value = self.string("TriggerValue", true, "the E.164 number that triggers it");
        if let Some(t) = &trigger_value {
            if !is_e164(t) {
                self.error(format!(
                    "property TriggerValue {t:?} is not an E.164 number: {}",
                    e164_hint()
                ));
            }
        }
        let sma = self.string(
            "SipMediaApplicationId",
            true,
            "the id of the SIP media application (Ref of its Custom::SipMediaApplication)",
        );
        let aws_region = self.region();
        let priority = match self.string("Priority", false, "a number from 1 to 25") {
            None => Some(DEFAULT_PRIORITY),
            Some(p) => match p.parse::<i32>() {
                Ok(n) if PRIORITIES.contains(&n) => Some(n),
                _ => {
                    self.error(format!(
                        "property Priority {p:?} is not a number from {} to {}: write e.g. \"1\"",
                        PRIORITIES.start(),
                        PRIORITIES.end()
                    ));
                    None
                }
            },
        };
        Some(SipRule {
            name: name?,
            trigger_value: trigger_value?,
            sip_media_application_id: sma?,
            aws_region: aws_region?,
            priority: priority?,
        })
    }
}

/// A North American area code: three digits, the first 2 to 9.
fn is_area_code(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 3 && b.iter().all(u8::is_ascii_digit) && b[0] >= b'2'
}

/// What a physical id says. One place knows the forms the provider returns:
/// - a number it ordered: `ordered:+12125550100` (released on Delete);
/// - a number it adopted: `+12125550100` (never released: anything not marked as ordered is
///   left alone, the conservative reading when in doubt);
/// - a Create that failed while its order was still in progress:
///   `pending:<OrderId>:+12125550100` (Delete releases the number if the order completed, and
///   fails, naming the order, while it is still in progress);
/// - a failed Create: `failed:<RequestId>` (Delete succeeds without calling Chime);
/// - anything else: the id Chime gave (SIP media application, SIP rule).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PhysicalId {
    Ordered(String),
    Pending { order_id: String, number: String },
    Failed(String),
    Other(String),
}

const ORDERED: &str = "ordered:";
const PENDING: &str = "pending:";
const FAILED: &str = "failed:";

impl PhysicalId {
    pub fn parse(id: &str) -> PhysicalId {
        if let Some(n) = id.strip_prefix(ORDERED) {
            PhysicalId::Ordered(n.to_owned())
        } else if let Some((order_id, number)) = id
            .strip_prefix(PENDING)
            .and_then(|rest| rest.rsplit_once(':'))
        {
            PhysicalId::Pending {
                order_id: order_id.to_owned(),
                number: number.to_owned(),
            }
        } else if let Some(r) = id.strip_prefix(FAILED) {
            PhysicalId::Failed(r.to_owned())
        } else {
            PhysicalId::Other(id.to_owned())
        }
    }

    pub fn ordered(number: &str) -> String {
        format!("{ORDERED}{number}")
    }

    pub fn pending(order_id: &str, number: &str) -> String {
        format!("{PENDING}{order_id}:{number}")
    }

    /// The physical id of a Create that failed: unique per request (CloudFormation sends the
    /// Delete of a failed Create with it) and recognisable.
    pub fn failed(request_id: &str) -> String {
        format!("{FAILED}{request_id}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn props(v: Value) -> Map<String, Value> {
        v.as_object().cloned().unwrap()
    }

    #[test]
    fn phone_number_by_area_code_or_number() {
        assert_eq!(
            parse(
                PHONE_NUMBER,
                &props(json!({"ServiceToken": "x", "AreaCode": "212"}))
            ),
            Ok(Resource::PhoneNumber(PhoneNumber {
                source: Source::AreaCode("212".into()),
                product_type: DEFAULT_PRODUCT_TYPE.into(),
                name: None
            }))
        );
        assert_eq!(
            parse(
                PHONE_NUMBER,
                &props(
                    json!({"Number": "+12125550100", "ProductType": "VoiceConnector", "Name": "n"})
                )
            ),
            Ok(Resource::PhoneNumber(PhoneNumber {
                source: Source::Number("+12125550100".into()),
                product_type: "VoiceConnector".into(),
                name: Some("n".into())
            }))
        );
    }

    #[test]
    fn malformed_phone_numbers_name_the_property() {
        let err = |v| parse(PHONE_NUMBER, &props(v)).unwrap_err();
        assert!(err(json!({})).contains("neither AreaCode nor Number"));
        assert!(err(json!({"AreaCode": "212", "Number": "+12125550100"})).contains("not both"));
        assert!(err(json!({"AreaCode": "21"})).contains("AreaCode \"21\" is not a US area code"));
        assert!(err(json!({"AreaCode": "112"})).contains("first 2 to 9"));
        assert!(err(json!({"AreaCode": 212})).contains("AreaCode is 212, not a string"));
        assert!(
            err(json!({"Number": "2125550100"})).contains("Number \"2125550100\" is not an E.164")
        );
        assert!(
            err(json!({"AreaCode": "212", "ProductType": "Fax"})).contains("ProductType \"Fax\"")
        );
        assert!(err(json!({"AreaCode": "212", "Areacode": "1"}))
            .contains("unknown property \"Areacode\""));
    }

    #[test]
    fn sip_media_application_and_rule() {
        let sma = parse(
            SIP_MEDIA_APPLICATION,
            &props(json!({"Name": "a", "AwsRegion": "us-east-1",
                          "LambdaArn": "arn:aws:lambda:us-east-1:1:function:f"})),
        );
        assert!(
            matches!(sma, Ok(Resource::SipMediaApplication(_))),
            "{sma:?}"
        );
        let rule = parse(
            SIP_RULE,
            &props(json!({"Name": "r", "TriggerValue": "+12125550100",
                          "SipMediaApplicationId": "sma", "AwsRegion": "us-west-2", "Priority": "2"})),
        );
        assert_eq!(
            rule,
            Ok(Resource::SipRule(SipRule {
                name: "r".into(),
                trigger_value: "+12125550100".into(),
                sip_media_application_id: "sma".into(),
                aws_region: "us-west-2".into(),
                priority: 2
            }))
        );
    }

    #[test]
    fn malformed_sip_properties_name_each_property() {
        let err = parse(
            SIP_MEDIA_APPLICATION,
            &props(json!({"AwsRegion": "eu-north-1", "LambdaArn": "f"})),
        )
        .unwrap_err();
        assert!(err.contains("property Name is missing"), "{err}");
        assert!(err.contains("AwsRegion \"eu-north-1\" is not a Region where PSTN audio runs: write one of the Regions where PSTN audio runs: us-east-1"), "{err}");
        assert!(
            err.contains("LambdaArn \"f\" is not a Lambda function ARN"),
            "{err}"
        );
        let err = parse(
            SIP_RULE,
            &props(json!({"Name": "r", "TriggerValue": "555", "AwsRegion": "us-east-1", "Priority": "30"})),
        )
        .unwrap_err();
        assert!(
            err.contains("TriggerValue \"555\" is not an E.164"),
            "{err}"
        );
        assert!(
            err.contains("property SipMediaApplicationId is missing"),
            "{err}"
        );
        assert!(
            err.contains("Priority \"30\" is not a number from 1 to 25"),
            "{err}"
        );
        assert!(parse("Custom::Other", &Map::new())
            .unwrap_err()
            .contains("unknown resource type"));
    }

    #[test]
    fn physical_ids() {
        assert_eq!(
            PhysicalId::parse(&PhysicalId::ordered("+12125550100")),
            PhysicalId::Ordered("+12125550100".into())
        );
        assert_eq!(
            PhysicalId::parse(&PhysicalId::failed("r-1")),
            PhysicalId::Failed("r-1".into())
        );
        assert_eq!(
            PhysicalId::parse(&PhysicalId::pending("o-1", "+12125550100")),
            PhysicalId::Pending {
                order_id: "o-1".into(),
                number: "+12125550100".into()
            }
        );
        assert_eq!(
            PhysicalId::parse("+12125550100"),
            PhysicalId::Other("+12125550100".into())
        );
    }
}
