//! The router's configuration, read once at cold start and validated there, so a bad deployment
//! fails loudly at init instead of on the first call.

use std::collections::BTreeMap;
use std::time::Duration;

use serde_json::Value;
use switchboard::pstn::{limits, E164};

/// Environment variable holding the DID → state machine ARN map (JSON).
pub const ENV_FLOWS: &str = "SWITCHBOARD_CALL_FLOWS";
/// The seed router's variable (`[{"DID": .., "ARN": ..}]`), accepted when [`ENV_FLOWS`] is unset.
pub const ENV_FLOWS_SEED: &str = "CallFlowsDIDMap";
/// How long the router may take to answer, in milliseconds (default 4000).
pub const ENV_BUDGET_MS: &str = "SWITCHBOARD_RESPONSE_BUDGET_MS";
/// Length of the keep-alive `Pause`, in milliseconds (default 1000).
pub const ENV_KEEP_ALIVE_MS: &str = "SWITCHBOARD_KEEP_ALIVE_MS";
/// How many keep-alives in a row before the router gives up on a silent workflow (default 24).
pub const ENV_MAX_KEEP_ALIVES: &str = "SWITCHBOARD_MAX_KEEP_ALIVES";
/// Prefix of the per-call queue names (default `switchboard-`): a deployed stack sets
/// `<stack name>_`, so its roles and `destroy` reach that stack's queues only.
pub const ENV_QUEUE_PREFIX: &str = "SWITCHBOARD_QUEUE_PREFIX";
/// The longest queue prefix: SQS names have at most 80 characters
/// (<https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_CreateQueue.html>),
/// and the call's own part keeps at least 40 of them.
pub const MAX_QUEUE_PREFIX: usize = 40;
/// The sentence spoken before the router hangs up on an error.
pub const ENV_APOLOGY: &str = "SWITCHBOARD_APOLOGY";

/// PSTN audio waits 5 seconds for the function before it retries the invocation, and hangs up
/// after 20: <https://docs.aws.amazon.com/chime-sdk/latest/dg/timeouts.html>. The router answers
/// well inside the first window.
pub const DEFAULT_BUDGET: Duration = Duration::from_millis(4000);

/// Validated configuration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// Dialled (inbound) or calling (outbound) number → state machine ARN. Numbers read from
    /// the environment are [`E164`].
    pub flows: BTreeMap<String, String>,
    /// Time from the start of an invocation by which the router answers.
    pub response_budget: Duration,
    /// Kept free before the Lambda deadline.
    pub lambda_margin: Duration,
    /// Length of the keep-alive `Pause` action.
    pub keep_alive: Duration,
    /// Keep-alives in a row after which the call is ended with an apology.
    pub max_keep_alives: u32,
    /// Prefix of the per-call queue names (`<prefix><TransactionId>`).
    pub queue_prefix: String,
    /// Spoken before hanging up on an error.
    pub apology: String,
    /// SIP code of the router's own hang-ups ([`limits::SIP_NO_ANSWER`], 480 Temporarily
    /// Unavailable).
    pub sip_code: i64,
}

/// A configuration problem, phrased for whoever deploys the function.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid router configuration: {0}")]
pub struct ConfigError(pub String);

impl Config {
    /// A configuration with these flows and every other setting at its default.
    pub fn with_flows(flows: BTreeMap<String, String>) -> Config {
        Config {
            flows,
            response_budget: DEFAULT_BUDGET,
            lambda_margin: Duration::from_millis(300),
            keep_alive: Duration::from_millis(1000),
            max_keep_alives: 24,
            queue_prefix: "switchboard-".to_owned(),
            apology: "Sorry, something went wrong on our side. Please call again later.".to_owned(),
            sip_code: limits::SIP_NO_ANSWER,
        }
    }

    /// Reads the process environment.
    pub fn from_env() -> Result<Config, ConfigError> {
        Config::from_lookup(|k| std::env::var(k).ok())
    }

    /// Reads settings through `get` (the environment, or a map in tests).
    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Result<Config, ConfigError> {
        let (var, text) = match (get(ENV_FLOWS), get(ENV_FLOWS_SEED)) {
            (Some(t), _) => (ENV_FLOWS, t),
            (None, Some(t)) => (ENV_FLOWS_SEED, t),
            (None, None) => {
                return Err(ConfigError(format!(
                    "set {ENV_FLOWS} to a JSON object mapping each phone number to its state \
                     machine ARN, e.g. {{\"+12065550100\": \"arn:aws:states:us-east-1:123456789012:stateMachine:front-desk\"}}"
                )))
            }
        };
        let mut config = Config::with_flows(parse_flows(var, &text)?);
        let millis = |var: &str, min: u64, max: u64| -> Result<Option<u64>, ConfigError> {
            let Some(v) = get(var) else { return Ok(None) };
            match v.trim().parse::<u64>() {
                Ok(n) if (min..=max).contains(&n) => Ok(Some(n)),
                _ => Err(ConfigError(format!(
                    "{var} must be a whole number between {min} and {max}, got {v:?}"
                ))),
            }
        };
        if let Some(ms) = millis(ENV_BUDGET_MS, 100, 19_000)? {
            config.response_budget = Duration::from_millis(ms);
        }
        if let Some(ms) = millis(ENV_KEEP_ALIVE_MS, 100, 30_000)? {
            config.keep_alive = Duration::from_millis(ms);
        }
        if let Some(n) = millis(ENV_MAX_KEEP_ALIVES, 0, 1000)? {
            config.max_keep_alives = n as u32;
        }
        if let Some(prefix) = get(ENV_QUEUE_PREFIX) {
            let ok = !prefix.is_empty()
                && prefix.len() <= MAX_QUEUE_PREFIX
                && prefix
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
            if !ok {
                return Err(ConfigError(format!(
                    "{ENV_QUEUE_PREFIX} must be 1 to {MAX_QUEUE_PREFIX} letters, digits, - or _ (SQS queue names), got {prefix:?}"
                )));
            }
            config.queue_prefix = prefix;
        }
        if let Some(text) = get(ENV_APOLOGY).filter(|t| !t.trim().is_empty()) {
            config.apology = text;
        }
        Ok(config)
    }

    /// The state machine for a number.
    pub fn flow_for(&self, number: &str) -> Option<&str> {
        self.flows.get(number).map(String::as_str)
    }
}

/// Accepts `{"+1...": "arn:..."}` or the seed's `[{"DID": "+1...", "ARN": "arn:..."}]`.
fn parse_flows(var: &str, text: &str) -> Result<BTreeMap<String, String>, ConfigError> {
    let err = |m: String| ConfigError(format!("{var}: {m}"));
    let json: Value =
        serde_json::from_str(text).map_err(|e| err(format!("not valid JSON ({e})")))?;
    let pairs: Vec<(String, Value)> = match json {
        Value::Object(map) => map.into_iter().collect(),
        Value::Array(items) => {
            let mut pairs = Vec::with_capacity(items.len());
            for (i, item) in items.into_iter().enumerate() {
                let did = item
                    .get("DID")
                    .and_then(Value::as_str)
                    .ok_or_else(|| err(format!("entry {i} has no string \"DID\"")))?;
                let arn = item
                    .get("ARN")
                    .cloned()
                    .ok_or_else(|| err(format!("entry {i} ({did}) has no \"ARN\"")))?;
                pairs.push((did.to_owned(), arn));
            }
            pairs
        }
        _ => {
            return Err(err(
                "expected a JSON object {number: ARN} or an array of {DID, ARN}".into(),
            ))
        }
    };
    if pairs.is_empty() {
        return Err(err("no call flows configured".into()));
    }
    let mut flows = BTreeMap::new();
    for (did, arn) in pairs {
        let did = E164::try_from(did)
            .map_err(|e| err(e.to_string()))?
            .into_string();
        let arn = arn
            .as_str()
            .filter(|a| is_state_machine_arn(a))
            .ok_or_else(|| {
                err(format!(
                    "the flow for {did} must be a state machine ARN \
                     (arn:<partition>:states:<region>:<account>:stateMachine:<name>), got {arn}"
                ))
            })?;
        if flows.insert(did.clone(), arn.to_owned()).is_some() {
            return Err(err(format!("{did} is listed twice")));
        }
    }
    Ok(flows)
}

fn is_state_machine_arn(s: &str) -> bool {
    let parts: Vec<&str> = s.split(':').collect();
    parts.len() == 7
        && parts[0] == "arn"
        && parts[2] == "states"
        && parts[5] == "stateMachine"
        && !parts[6].is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    const ARN: &str = "arn:aws:states:us-east-1:123456789012:stateMachine:front-desk";

    fn load(vars: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let map: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Config::from_lookup(|k| map.get(k).cloned())
    }

    #[test]
    fn the_queue_prefix_is_read_and_checked() {
        let flows = format!(r#"{{"+12065550100": "{ARN}"}}"#);
        let c = load(&[(ENV_FLOWS, &flows), (ENV_QUEUE_PREFIX, "shop_")]).unwrap();
        assert_eq!(c.queue_prefix, "shop_");
        assert_eq!(
            load(&[(ENV_FLOWS, &flows)]).unwrap().queue_prefix,
            "switchboard-"
        );
        for bad in ["", "a.b", &"x".repeat(41)] {
            let e = load(&[(ENV_FLOWS, &flows), (ENV_QUEUE_PREFIX, bad)]).unwrap_err();
            assert!(
                e.0.contains("SWITCHBOARD_QUEUE_PREFIX must be 1 to 40"),
                "{e}"
            );
        }
    }

    #[test]
    fn accepts_both_shapes() {
        let a = load(&[(ENV_FLOWS, &format!(r#"{{"+12065550100": "{ARN}"}}"#))]).unwrap();
        let b = load(&[(
            ENV_FLOWS_SEED,
            &format!(r#"[{{"DID": "+12065550100", "ARN": "{ARN}"}}]"#),
        )])
        .unwrap();
        assert_eq!(a, b);
        assert_eq!(a.flow_for("+12065550100"), Some(ARN));
        assert_eq!(a.flow_for("+12065550101"), None);
    }

    #[test]
    fn rejects_bad_entries_with_the_entry_named() {
        let cases = [
            ("", "set SWITCHBOARD_CALL_FLOWS"),
            ("{", "not valid JSON"),
            ("{}", "no call flows"),
            (r#"{"12065550100": "x"}"#, "\"12065550100\" is not an E.164"),
            (
                r#"{"+12065550100": "arn:aws:lambda:x"}"#,
                "must be a state machine ARN",
            ),
            (r#"[{"DID": "+1206"}]"#, "entry 0 (+1206) has no \"ARN\""),
            ("42", "expected a JSON object"),
        ];
        for (text, want) in cases {
            let vars: Vec<(&str, &str)> = if text.is_empty() {
                vec![]
            } else {
                vec![(ENV_FLOWS, text)]
            };
            let got = load(&vars).unwrap_err().to_string();
            assert!(got.contains(want), "{text:?}: {got}");
        }
    }

    /// The one E.164 rule (`switchboard::pstn::E164`: `+`, 7 to 15 digits, the first not 0);
    /// the router used to take 2 digits.
    #[test]
    fn numbers_follow_the_one_e164_rule() {
        let map = |n: &str| load(&[(ENV_FLOWS, &format!(r#"{{"{n}": "{ARN}"}}"#))]);
        for ok in ["+6834002", "+123456789012345"] {
            assert!(map(ok).is_ok(), "{ok}");
        }
        for bad in ["+12", "+683400", "+1234567890123456", "+0123456789"] {
            let e = map(bad).unwrap_err().to_string();
            assert!(
                e.contains("not an E.164 phone number") && e.contains("7 to 15 digits"),
                "{bad}: {e}"
            );
        }
    }

    #[test]
    fn duplicate_numbers_are_rejected() {
        let text = format!(
            r#"[{{"DID": "+12065550100", "ARN": "{ARN}"}}, {{"DID": "+12065550100", "ARN": "{ARN}"}}]"#
        );
        let got = load(&[(ENV_FLOWS, &text)]).unwrap_err().to_string();
        assert!(got.contains("listed twice"), "{got}");
    }

    #[test]
    fn timing_settings_are_bounded() {
        let flows = format!(r#"{{"+12065550100": "{ARN}"}}"#);
        let c = load(&[
            (ENV_FLOWS, &flows),
            (ENV_BUDGET_MS, "2500"),
            (ENV_KEEP_ALIVE_MS, "500"),
        ])
        .unwrap();
        assert_eq!(c.response_budget, Duration::from_millis(2500));
        assert_eq!(c.keep_alive, Duration::from_millis(500));
        let err = load(&[(ENV_FLOWS, &flows), (ENV_BUDGET_MS, "25000")]).unwrap_err();
        assert!(err.to_string().contains("between 100 and 19000"), "{err}");
    }
}
