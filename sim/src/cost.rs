//! What a call costs on AWS: the usage the simulator counts ([`Usage`]), the one price table
//! ([`Prices`], us-east-1 by default, each price with its unit and the pricing page it comes
//! from, overridable from a TOML file), and the bill ([`Bill`]).
//!
//! The model, per call:
//! - **Step Functions (Standard)**: every state transition, retries included
//!   (<https://aws.amazon.com/step-functions/pricing/>: "Step Functions counts a state
//!   transition each time a step of your workflow is executed").
//! - **The router Lambda**: one request per PSTN audio event delivered to it, and its duration:
//!   the simulated time from the event to the router's answer (the wait for the flow's next
//!   actions), rounded up to the millisecond, at least 1 ms
//!   (<https://aws.amazon.com/lambda/pricing/>: "Duration is calculated from the time your code
//!   begins executing until it returns or otherwise terminates, rounded up to the nearest 1
//!   ms"), billed at the router's memory size (`router_memory_mb`, default 256) in GB-seconds,
//!   x86_64 (the architecture the router is packaged for). The simulator runs the AWS API calls
//!   themselves in no time, so a real invocation lasts longer by their latency (tens of
//!   milliseconds): the duration here is a lower bound.
//! - **SQS**: the per-call queue's requests, each 64 KB chunk of a payload one request
//!   (<https://aws.amazon.com/sqs/pricing/>): `CreateQueue` and `DeleteQueue` by the router,
//!   `SendMessage` by each waiting Task (the response it queues), `ReceiveMessage` by the
//!   router's waits (one long poll and its short polls, as `switchboard_router::polls` says;
//!   empty receives are billed too) and `DeleteMessage` for each message delivered.
//!
//! Not counted: free tiers, PSTN audio and the phone number (Amazon Chime SDK pricing), the
//! other services a flow calls (DynamoDB, S3, EventBridge Scheduler, Lambda functions of its
//! own), CloudWatch Logs and data transfer.

use std::fmt;
use std::ops::AddAssign;
use std::path::Path;

use serde::{Deserialize, Serialize};

/// SQS bills each 64 KB chunk of a request's payload as one request.
pub const SQS_CHUNK_BYTES: usize = 64 * 1024;

/// Billed SQS requests of a call's queue, by API action.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct SqsRequests {
    pub create_queue: u64,
    pub send_message: u64,
    pub receive_message: u64,
    pub delete_message: u64,
    pub delete_queue: u64,
}

impl SqsRequests {
    /// All of them.
    pub fn total(&self) -> u64 {
        self.create_queue
            + self.send_message
            + self.receive_message
            + self.delete_message
            + self.delete_queue
    }
}

impl AddAssign for SqsRequests {
    fn add_assign(&mut self, o: Self) {
        self.create_queue += o.create_queue;
        self.send_message += o.send_message;
        self.receive_message += o.receive_message;
        self.delete_message += o.delete_message;
        self.delete_queue += o.delete_queue;
    }
}

/// The billed requests of a payload of `bytes`: one per 64 KB chunk, at least one.
pub fn sqs_chunks(bytes: usize) -> u64 {
    bytes.div_ceil(SQS_CHUNK_BYTES).max(1) as u64
}

/// What one call (or several) used, in the units AWS bills.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Usage {
    /// Step Functions Standard state transitions.
    pub state_transitions: u64,
    /// Router Lambda invocations (PSTN audio events).
    pub lambda_invocations: u64,
    /// Their billed duration, summed (each rounded up to the millisecond, at least 1 ms).
    pub lambda_billed_ms: u64,
    /// SQS requests of the calls' queues.
    pub sqs: SqsRequests,
}

impl AddAssign for Usage {
    fn add_assign(&mut self, o: Self) {
        self.state_transitions += o.state_transitions;
        self.lambda_invocations += o.lambda_invocations;
        self.lambda_billed_ms += o.lambda_billed_ms;
        self.sqs += o.sqs;
    }
}

impl fmt::Display for Usage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} state transitions, {} router invocations ({} ms billed), {} SQS requests",
            self.state_transitions,
            self.lambda_invocations,
            self.lambda_billed_ms,
            self.sqs.total()
        )
    }
}

/// One price: dollars per `per` units of `unit`, from `source`.
#[derive(Debug, Clone, PartialEq)]
pub struct Price {
    pub dollars: f64,
    pub per: f64,
    pub unit: &'static str,
    pub source: &'static str,
}

impl Price {
    /// Dollars for `units`.
    pub fn of(&self, units: f64) -> f64 {
        self.dollars * units / self.per
    }
}

/// The price table: one entry per billed unit, for one Region.
#[derive(Debug, Clone, PartialEq)]
pub struct Prices {
    /// The Region the prices are for.
    pub region: String,
    /// Where they come from: the built-in table, or a file.
    pub from: String,
    pub state_transitions: Price,
    pub lambda_requests: Price,
    pub lambda_duration: Price,
    pub sqs_requests: Price,
}

impl Default for Prices {
    /// US East (N. Virginia), as the pricing pages list them.
    fn default() -> Self {
        Prices {
            region: "us-east-1".into(),
            from: "the built-in table".into(),
            state_transitions: Price {
                dollars: 0.025,
                per: 1_000.0,
                unit: "state transitions (Standard)",
                source: "https://aws.amazon.com/step-functions/pricing/",
            },
            lambda_requests: Price {
                dollars: 0.20,
                per: 1_000_000.0,
                unit: "requests",
                source: "https://aws.amazon.com/lambda/pricing/",
            },
            lambda_duration: Price {
                dollars: 0.000_016_666_7,
                per: 1.0,
                unit: "GB-seconds (x86, first tier)",
                source: "https://aws.amazon.com/lambda/pricing/",
            },
            sqs_requests: Price {
                dollars: 0.40,
                per: 1_000_000.0,
                unit: "requests (Standard queue, first tier)",
                source: "https://aws.amazon.com/sqs/pricing/",
            },
        }
    }
}

/// A prices file: every field optional, in the units of the pricing pages.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct PricesFile {
    region: Option<String>,
    #[serde(default)]
    step_functions: StepFunctionsFile,
    #[serde(default)]
    lambda: LambdaFile,
    #[serde(default)]
    sqs: SqsFile,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct StepFunctionsFile {
    per_1000_state_transitions: Option<f64>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct LambdaFile {
    per_million_requests: Option<f64>,
    per_gb_second: Option<f64>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct SqsFile {
    per_million_requests: Option<f64>,
}

impl Prices {
    /// The built-in table with what the TOML `text` (from `file`) sets:
    ///
    /// ```toml
    /// region = "eu-west-2"
    /// [step_functions]
    /// per_1000_state_transitions = 0.025
    /// [lambda]
    /// per_million_requests = 0.20
    /// per_gb_second = 0.0000166667
    /// [sqs]
    /// per_million_requests = 0.40
    /// ```
    ///
    /// Errors name the file, the line and the field, and say what to write.
    pub fn from_toml(text: &str, file: &str) -> Result<Prices, String> {
        let de = toml::Deserializer::parse(text).map_err(|e| located(file, text, &e))?;
        let f: PricesFile = serde_path_to_error::deserialize(de).map_err(|e| {
            let field = e.path().to_string();
            let inner = e.into_inner();
            let at = located(file, text, &inner);
            format!("{at} (field `{field}`); the fields are region, [step_functions] per_1000_state_transitions, [lambda] per_million_requests and per_gb_second, [sqs] per_million_requests")
        })?;
        let mut p = Prices {
            from: file.to_owned(),
            ..Prices::default()
        };
        let set = |price: &mut Price, value: Option<f64>, field: &str| match value {
            Some(v) if !(v.is_finite() && v >= 0.0) => Err(format!(
                "{file}: {field} = {v}: a price is a number of dollars, 0 or more"
            )),
            Some(v) => {
                price.dollars = v;
                Ok(())
            }
            None => Ok(()),
        };
        set(
            &mut p.state_transitions,
            f.step_functions.per_1000_state_transitions,
            "step_functions.per_1000_state_transitions",
        )?;
        set(
            &mut p.lambda_requests,
            f.lambda.per_million_requests,
            "lambda.per_million_requests",
        )?;
        set(
            &mut p.lambda_duration,
            f.lambda.per_gb_second,
            "lambda.per_gb_second",
        )?;
        set(
            &mut p.sqs_requests,
            f.sqs.per_million_requests,
            "sqs.per_million_requests",
        )?;
        if let Some(r) = f.region {
            p.region = r;
        }
        Ok(p)
    }

    /// [`Prices::from_toml`] of the file at `path`.
    pub fn load(path: &Path) -> Result<Prices, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read the prices file {}: {e}", path.display()))?;
        Self::from_toml(&text, &path.display().to_string())
    }

    /// What `usage` costs with the router at `router_memory_mb`.
    pub fn bill(&self, usage: &Usage, router_memory_mb: u32) -> Bill {
        let gb_seconds =
            f64::from(router_memory_mb) / 1024.0 * usage.lambda_billed_ms as f64 / 1000.0;
        Bill {
            step_functions: self.state_transitions.of(usage.state_transitions as f64),
            lambda_requests: self.lambda_requests.of(usage.lambda_invocations as f64),
            lambda_duration: self.lambda_duration.of(gb_seconds),
            sqs: self.sqs_requests.of(usage.sqs.total() as f64),
        }
    }

    /// The table, one line per price with its source.
    pub fn describe(&self) -> String {
        let line = |what: &str, p: &Price| {
            format!(
                "  {what}: ${} per {} {} ({})",
                p.dollars, p.per, p.unit, p.source
            )
        };
        [
            format!("prices for {} ({}):", self.region, self.from),
            line("Step Functions", &self.state_transitions),
            line("Lambda", &self.lambda_requests),
            line("Lambda", &self.lambda_duration),
            line("SQS", &self.sqs_requests),
        ]
        .join("\n")
    }
}

/// `file:line:column: message` of a TOML error.
fn located(file: &str, text: &str, e: &toml::de::Error) -> String {
    let message = e.message();
    match e.span() {
        Some(span) => {
            let before = &text[..span.start.min(text.len())];
            let line = before.matches('\n').count() + 1;
            let column = before.len() - before.rfind('\n').map_or(0, |i| i + 1) + 1;
            format!("{file}:{line}:{column}: {message}")
        }
        None => format!("{file}: {message}"),
    }
}

/// Dollars, by service.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Bill {
    pub step_functions: f64,
    pub lambda_requests: f64,
    pub lambda_duration: f64,
    pub sqs: f64,
}

impl Bill {
    /// The whole bill.
    pub fn total(&self) -> f64 {
        self.step_functions + self.lambda_requests + self.lambda_duration + self.sqs
    }
}

/// Dollars to the millionth of a cent (a call costs a few hundredths of a cent).
pub fn dollars(d: f64) -> String {
    format!("${d:.8}")
}

impl fmt::Display for Bill {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} (Step Functions {}, Lambda {}, SQS {})",
            dollars(self.total()),
            dollars(self.step_functions),
            dollars(self.lambda_requests + self.lambda_duration),
            dollars(self.sqs)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn usage() -> Usage {
        Usage {
            state_transitions: 6,
            lambda_invocations: 5,
            lambda_billed_ms: 4_005,
            sqs: SqsRequests {
                create_queue: 1,
                send_message: 3,
                receive_message: 9,
                delete_message: 3,
                delete_queue: 1,
            },
        }
    }

    #[test]
    fn a_call_is_billed_per_unit_at_the_table_s_prices() {
        let b = Prices::default().bill(&usage(), 256);
        assert!((b.step_functions - 6.0 * 0.000_025).abs() < 1e-15);
        assert!((b.lambda_requests - 5.0 * 0.000_000_2).abs() < 1e-15);
        // 4.005 s at a quarter GB.
        assert!((b.lambda_duration - 4.005 * 0.25 * 0.000_016_666_7).abs() < 1e-15);
        assert!((b.sqs - 17.0 * 0.000_000_4).abs() < 1e-15);
        assert!(
            (b.total() - (b.step_functions + b.lambda_requests + b.lambda_duration + b.sqs)).abs()
                < 1e-18
        );
        // Twice the memory, twice the duration's cost, nothing else.
        let b2 = Prices::default().bill(&usage(), 512);
        assert!((b2.lambda_duration - 2.0 * b.lambda_duration).abs() < 1e-15);
        assert_eq!(b2.step_functions, b.step_functions);
    }

    #[test]
    fn payloads_are_billed_per_64_kb_chunk() {
        assert_eq!(sqs_chunks(0), 1);
        assert_eq!(sqs_chunks(65_536), 1);
        assert_eq!(sqs_chunks(65_537), 2);
        assert_eq!(sqs_chunks(256 * 1024), 4);
    }

    #[test]
    fn a_prices_file_overrides_what_it_names() {
        let p = Prices::from_toml(
            "region = \"sa-east-1\"\n[step_functions]\nper_1000_state_transitions = 0.0375\n",
            "prices.toml",
        )
        .unwrap();
        assert_eq!(p.region, "sa-east-1");
        assert_eq!(p.state_transitions.dollars, 0.0375);
        assert_eq!(p.sqs_requests, Prices::default().sqs_requests);
    }

    #[test]
    fn a_bad_prices_file_names_the_line_and_the_field() {
        let e = Prices::from_toml("[lambda]\nper_gb_secnd = 1\n", "p.toml").unwrap_err();
        assert!(
            e.starts_with("p.toml:2:1: unknown field `per_gb_secnd`"),
            "{e}"
        );
        assert!(e.contains("per_gb_second"), "{e}");
        let e =
            Prices::from_toml("[sqs]\nper_million_requests = \"cheap\"\n", "p.toml").unwrap_err();
        assert!(e.starts_with("p.toml:2:24: "), "{e}");
        assert!(e.contains("sqs.per_million_requests"), "{e}");
        let e = Prices::from_toml("[sqs]\nper_million_requests = -1\n", "p.toml").unwrap_err();
        assert!(e.contains("0 or more"), "{e}");
    }
}
