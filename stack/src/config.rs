//! The `[stack.<name>]` sections of `switchboard.toml`: which flows a stack deploys, which setting
//! holds the business number, and the tables and buckets the stack creates for them.
//!
//! ```toml
//! [stack.business]
//! flows = ["business-phone"]        # the first answers the number
//! number = "business-phone.number"  # the setting `deploy` fills with the number it obtains
//!
//! [stack.business.tables.BusinessPhoneMessages]
//! partition_key = { name = "mailbox", type = "S" }
//! sort_key = { name = "at", type = "N" }
//! ttl = "expires_at"
//!
//! [stack.business.buckets.acme-business-phone]
//! play = ["voicemail/"]   # what PSTN audio may play where the flow computes the key at run time
//!
//! [stack.business.secrets.owner-pin]  # asked for by deploy, stored hashed (crate::secret)
//! what = "the owner's PIN"
//! pattern = "[0-9]{4,8}"
//! table = "BusinessPhoneMessages"
//! item = { mailbox = "{number}#owner", at = 0 }
//! hash = { attribute = "pin_hash", of = "{number}:{secret}" }
//! ```
//!
//! A flow names a declared table or bucket either as written (`"BusinessPhoneMessages"`: the
//! stack creates it under that name) or as a deploy-time value (`"${BusinessPhoneMessages}"`:
//! CloudFormation names it, and `DefinitionSubstitutions` puts the name in the definition).

use std::collections::BTreeMap;

use serde::Deserialize;
use switchboard::ConfigProblem;
use switchboard_compiler::config::Config;

use crate::secret::SecretConfig;

/// The top-level section holding the stacks.
pub const SECTION: &str = "stack";

/// One stack: `[stack.<name>]`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct StackConfig {
    /// The flows deployed, by name; the first is the one the business number reaches.
    pub flows: Vec<String>,
    /// The setting (`section.key`) holding the business number, which `deploy` fills with the
    /// number it orders or adopts before compiling.
    #[serde(default)]
    pub number: Option<String>,
    /// Tables the stack creates, by the name the flows use.
    #[serde(default)]
    pub tables: BTreeMap<String, TableConfig>,
    /// Buckets the stack creates, by the name the flows use.
    #[serde(default)]
    pub buckets: BTreeMap<String, BucketConfig>,
    /// Days the flows' and the router's log groups keep events (a value CloudWatch Logs accepts).
    #[serde(default = "default_retention")]
    pub log_retention_days: u32,
    /// Memory of the router Lambda, in MB.
    #[serde(default = "default_router_memory")]
    pub router_memory_mb: u32,
    /// Secrets `deploy` asks for and stores hashed in a table ([`crate::secret`]), by id.
    #[serde(default)]
    pub secrets: BTreeMap<String, SecretConfig>,
}

fn default_retention() -> u32 {
    30
}

fn default_router_memory() -> u32 {
    256
}

/// The retention periods CloudWatch Logs accepts
/// (<https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutRetentionPolicy.html>).
pub const RETENTION_DAYS: [u32; 22] = [
    1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922,
    3288, 3653,
];

/// A DynamoDB table: its key schema, and the attribute holding each item's expiry, if any.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct TableConfig {
    pub partition_key: KeyAttribute,
    #[serde(default)]
    pub sort_key: Option<KeyAttribute>,
    /// Attribute DynamoDB's time to live reads (epoch seconds).
    #[serde(default)]
    pub ttl: Option<String>,
}

/// A key attribute: its name and DynamoDB scalar type.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct KeyAttribute {
    pub name: String,
    #[serde(rename = "type")]
    pub kind: KeyType,
}

/// The scalar types a key attribute may have.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub enum KeyType {
    S,
    N,
    B,
}

impl KeyType {
    pub fn as_str(self) -> &'static str {
        match self {
            KeyType::S => "S",
            KeyType::N => "N",
            KeyType::B => "B",
        }
    }
}

/// An S3 bucket for PSTN audio: besides what the flows play and record with keys written out
/// (read from the definitions), the prefixes of keys computed at run time.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct BucketConfig {
    /// Prefixes PSTN audio may read where a flow computes the key while the call runs.
    #[serde(default)]
    pub play: Vec<String>,
    /// Files `deploy` uploads: key → path of the file, relative to the configuration file.
    #[serde(default)]
    pub upload: BTreeMap<String, String>,
}

/// Every `[stack.*]` section, read and checked; each problem is a line naming the file, the
/// line and the field.
pub fn stacks(config: &Config) -> Result<BTreeMap<String, StackConfig>, Vec<String>> {
    let section = config.section(SECTION);
    let Some(table) = section.as_object() else {
        return if section.is_null() {
            Ok(BTreeMap::new())
        } else {
            Err(vec![format!(
                "{}: [stack] must be a table of stacks, e.g. [stack.business]",
                config.locate(&[SECTION.to_owned()])
            )])
        };
    };
    let mut out = BTreeMap::new();
    let mut errors = Vec::new();
    for (name, value) in table {
        let path = vec![SECTION.to_owned(), name.clone()];
        let owner = format!("stack `{name}`");
        match switchboard::read_config::<StackConfig>(value, "a stack") {
            Ok(stack) => {
                let problems = check(name, &stack);
                if problems.is_empty() {
                    out.insert(name.clone(), stack);
                } else {
                    errors.extend(config.explain_problems(&owner, &path, &problems));
                }
            }
            Err(problems) => errors.extend(config.explain_problems(&owner, &path, &problems)),
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

/// What serde cannot check: names CloudFormation and the router accept, values in range.
fn check(name: &str, stack: &StackConfig) -> Vec<ConfigProblem> {
    let mut problems = Vec::new();
    let mut problem = |path: &[&str], message: String| {
        problems.push(ConfigProblem {
            path: path.iter().map(|p| (*p).to_owned()).collect(),
            kind: switchboard::ConfigProblemKind::Invalid,
            message,
        })
    };
    if !is_stack_name(name) || name.len() > MAX_STACK_NAME {
        problem(
            &[],
            format!(
                "`{name}` cannot name a stack: use letters, digits and hyphens, starting with a letter, at most {MAX_STACK_NAME} characters"
            ),
        );
    }
    if stack.flows.is_empty() {
        problem(
            &["flows"],
            "no flow to deploy: list at least one, e.g. flows = [\"business-phone\"]".into(),
        );
    }
    if let Some(number) = &stack.number {
        if number.split('.').count() != 2 || number.split('.').any(str::is_empty) {
            problem(
                &["number"],
                format!("`{number}` is not a setting: write section.key, e.g. \"business-phone.number\""),
            );
        }
    }
    if !RETENTION_DAYS.contains(&stack.log_retention_days) {
        problem(
            &["log_retention_days"],
            format!(
                "{} days is not a retention CloudWatch Logs accepts: use one of {:?}",
                stack.log_retention_days, RETENTION_DAYS
            ),
        );
    }
    // Lambda memory: 128 MB to 10,240 MB
    // (https://docs.aws.amazon.com/lambda/latest/dg/configuration-memory.html).
    if !(128..=10240).contains(&stack.router_memory_mb) {
        problem(
            &["router_memory_mb"],
            format!(
                "{} MB: a Lambda function has 128 to 10240 MB",
                stack.router_memory_mb
            ),
        );
    }
    for (bucket, b) in &stack.buckets {
        for key in b.upload.keys().chain(&b.play) {
            if key.starts_with('/') || key.is_empty() {
                problem(
                    &["buckets", bucket],
                    format!("`{key}` is not an S3 key or prefix: write it without a leading /"),
                );
            }
        }
    }
    for (id, secret) in &stack.secrets {
        for (path, message) in secret.problems(&stack.tables) {
            let mut full = vec!["secrets", id.as_str()];
            full.extend(path.iter().map(String::as_str));
            problem(&full, message);
        }
    }
    problems
}

/// The longest stack name: the per-call queue names are `<stack>_<execution name>` (`_`, which
/// no stack name holds, so one stack's prefix never matches another's queues), and the router
/// keeps at least 40 characters of the 80 SQS allows for the execution's part
/// (<https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_CreateQueue.html>).
pub const MAX_STACK_NAME: usize = 32;

/// A CloudFormation stack name: a letter, then letters, digits and hyphens
/// (<https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_CreateStack.html>).
fn is_stack_name(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_alphabetic())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(text: &str) -> Result<BTreeMap<String, StackConfig>, Vec<String>> {
        let dir = std::env::temp_dir().join(format!("stack-config-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(format!("t{}.toml", text.len()));
        std::fs::write(&path, text).unwrap();
        let config = Config::load(&path).unwrap();
        let out = stacks(&config);
        let _ = std::fs::remove_file(&path);
        out.map_err(|e| {
            e.into_iter()
                .map(|l| l.replace(&path.display().to_string(), "F"))
                .collect()
        })
    }

    #[test]
    fn a_stack_reads_with_its_tables_and_buckets() {
        let s = load(
            "[stack.business]\nflows = [\"business-phone\"]\nnumber = \"business-phone.number\"\n\
             [stack.business.tables.Messages]\npartition_key = { name = \"mailbox\", type = \"S\" }\n\
             sort_key = { name = \"at\", type = \"N\" }\n\
             [stack.business.buckets.b]\nplay = [\"voicemail/\"]\n",
        )
        .unwrap();
        let b = &s["business"];
        assert_eq!(b.flows, ["business-phone"]);
        assert_eq!(
            b.tables["Messages"].sort_key.as_ref().unwrap().kind,
            KeyType::N
        );
        assert_eq!(b.buckets["b"].play, ["voicemail/"]);
        assert_eq!(b.log_retention_days, 30);
    }

    #[test]
    fn errors_name_the_line_the_field_and_the_fix() {
        let e = load(
            "[stack.business]\nflows = []\nlog_retention_days = 31\n\
             [stack.business.tables.M]\npartition_key = { name = \"k\", type = \"X\" }\n",
        )
        .unwrap_err();
        assert!(
            e.iter().any(|l| l.starts_with("F:5:31: stack `business`: [stack.business.tables.M.partition_key.type]: unknown variant `X`")),
            "{e:#?}"
        );
        let e = load("[stack.business]\nflows = []\nlog_retention_days = 31\n").unwrap_err();
        assert_eq!(
            e,
            [
                "F:2:1: stack `business`: [stack.business.flows]: no flow to deploy: list at least one, e.g. flows = [\"business-phone\"]; correct it in the config file or pass --set stack.business.flows=<value>",
                "F:3:1: stack `business`: [stack.business.log_retention_days]: 31 days is not a retention CloudWatch Logs accepts: use one of [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653]; correct it in the config file or pass --set stack.business.log_retention_days=<value>",
            ],
        );
        let e = load("[stack.business]\nflows = [\"x\"]\nfolws = 1\n").unwrap_err();
        assert_eq!(
            e,
            ["F:3:1: stack `business`: [stack.business.folws]: `folws` is not a setting of a stack: remove it or correct its spelling"]
        );
    }
}
