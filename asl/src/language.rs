//! Which fields belong to which query language.
//!
//! JSONPath states use `InputPath`, `Parameters`, `ResultSelector`, `ResultPath`, `OutputPath`
//! and the `…Path` variants; JSONata states use `Arguments` and `Output` (and `Items`,
//! `Condition`, expression strings for integer fields); `Assign` works in both.
//! <https://docs.aws.amazon.com/step-functions/latest/dg/transforming-data.html>

use crate::choice::Test;
use crate::common::{IntOrExpr, QueryLanguage};
use crate::State;

impl State {
    /// The state's own `QueryLanguage`, if it sets one.
    pub fn query_language(&self) -> Option<QueryLanguage> {
        match self {
            State::Pass(s) => s.query_language,
            State::Task(s) => s.query_language,
            State::Choice(s) => s.query_language,
            State::Wait(s) => s.query_language,
            State::Succeed(s) => s.query_language,
            State::Fail(s) => s.query_language,
            State::Parallel(s) => s.query_language,
            State::Map(s) => s.query_language,
        }
    }

    /// The fields present on this state that exist only in the other query language than
    /// `lang`, e.g. `["Parameters"]` for a JSONata state.
    pub fn foreign_fields(&self, lang: QueryLanguage) -> Vec<&'static str> {
        let mut jsonpath: Vec<&'static str> = Vec::new();
        let mut jsonata: Vec<&'static str> = Vec::new();
        let mut path = |present: bool, name: &'static str| {
            if present {
                jsonpath.push(name);
            }
        };
        let mut ata = |present: bool, name: &'static str| {
            if present {
                jsonata.push(name);
            }
        };
        if let Some(io) = self.io() {
            path(io.input_path.is_some(), "InputPath");
            path(io.output_path.is_some(), "OutputPath");
            ata(io.output.is_some(), "Output");
        }
        match self {
            State::Pass(s) => {
                path(s.parameters.is_some(), "Parameters");
                path(s.result.is_some(), "Result");
                path(s.result_path.is_some(), "ResultPath");
            }
            State::Task(s) => {
                path(s.parameters.is_some(), "Parameters");
                path(s.result_selector.is_some(), "ResultSelector");
                path(s.result_path.is_some(), "ResultPath");
                path(s.timeout_seconds_path.is_some(), "TimeoutSecondsPath");
                path(s.heartbeat_seconds_path.is_some(), "HeartbeatSecondsPath");
                ata(s.arguments.is_some(), "Arguments");
                ata(
                    is_expr(&s.timeout_seconds),
                    "TimeoutSeconds (as an expression)",
                );
                ata(
                    is_expr(&s.heartbeat_seconds),
                    "HeartbeatSeconds (as an expression)",
                );
            }
            State::Choice(s) => {
                for rule in &s.choices {
                    let (p, a) = test_languages(&rule.test);
                    path(p, "Variable (in Choices)");
                    ata(a, "Condition (in Choices)");
                    ata(rule.output.is_some(), "Output (in Choices)");
                }
            }
            State::Wait(s) => {
                path(s.seconds_path.is_some(), "SecondsPath");
                path(s.timestamp_path.is_some(), "TimestampPath");
                ata(is_expr(&s.seconds), "Seconds (as an expression)");
            }
            State::Succeed(_) => {}
            State::Fail(s) => {
                path(s.error_path.is_some(), "ErrorPath");
                path(s.cause_path.is_some(), "CausePath");
            }
            State::Parallel(s) => {
                path(s.parameters.is_some(), "Parameters");
                path(s.result_selector.is_some(), "ResultSelector");
                path(s.result_path.is_some(), "ResultPath");
                ata(s.arguments.is_some(), "Arguments");
            }
            State::Map(s) => {
                path(s.items_path.is_some(), "ItemsPath");
                path(s.parameters.is_some(), "Parameters");
                path(s.result_selector.is_some(), "ResultSelector");
                path(s.result_path.is_some(), "ResultPath");
                path(s.max_concurrency_path.is_some(), "MaxConcurrencyPath");
                path(
                    s.tolerated_failure_count_path.is_some(),
                    "ToleratedFailureCountPath",
                );
                path(
                    s.tolerated_failure_percentage_path.is_some(),
                    "ToleratedFailurePercentagePath",
                );
                ata(s.items.is_some(), "Items");
                ata(
                    is_expr(&s.max_concurrency),
                    "MaxConcurrency (as an expression)",
                );
            }
        }
        if let Some(h) = self.handlers() {
            for c in &h.catch {
                path(c.result_path.is_some(), "ResultPath (in Catch)");
                ata(c.output.is_some(), "Output (in Catch)");
            }
        }
        match lang {
            QueryLanguage::JsonPath => jsonata,
            QueryLanguage::Jsonata => jsonpath,
        }
    }
}

fn is_expr(v: &Option<IntOrExpr>) -> bool {
    matches!(v, Some(IntOrExpr::Expr(_)))
}

/// (uses a JSONPath comparison, uses a JSONata condition)
fn test_languages(test: &Test) -> (bool, bool) {
    match test {
        Test::Condition(_) => (false, true),
        Test::Compare(_) => (true, false),
        Test::Not(t) => test_languages(t),
        Test::And(ts) | Test::Or(ts) => ts
            .iter()
            .map(test_languages)
            .fold((false, false), |a, b| (a.0 || b.0, a.1 || b.1)),
    }
}
