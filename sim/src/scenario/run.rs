//! Setting a scenario's world up, running it, and reporting.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use jiff::civil::DateTime;
use serde::Serialize;
use serde_json::{json, Value};
use switchboard::Zone;
use switchboard_asl::StateMachine;

use super::{expect, Failure, LambdaDef, Scenario, ScenarioError, DEFAULT_AT};
use crate::expr::Clock;
use crate::pstn::{
    CallPlacer, CallSpec, Direction, Mark, Outbox, Setup, SimQueue, Simulator, Transcript,
};
use crate::services::dynamodb::Flavor;
use crate::services::Services;
use switchboard_asl::history::History as ExecutionHistory;

/// What running a scenario gave.
#[derive(Debug, Clone, Serialize)]
pub struct Outcome {
    /// The scenario file.
    pub scenario: PathBuf,
    /// Its name.
    pub name: String,
    /// The flow file it ran.
    pub flow: PathBuf,
    /// What happened.
    pub transcript: Transcript,
    /// Expectations that did not hold (and script problems), each with what it concerns.
    /// Empty: the scenario passed.
    pub failures: Vec<Failure>,
    /// Each execution as `GetExecutionHistory` reports it, in the order of
    /// `transcript.executions`.
    #[serde(skip)]
    pub histories: Vec<ExecutionHistory>,
}

impl Outcome {
    /// Whether every expectation held.
    pub fn passed(&self) -> bool {
        self.failures.is_empty()
    }
}

/// Where flow `flow` is: an existing path (relative to `base`, the scenario's folder), or
/// `dist/<flow>.asl.json` in `base` or one of its parents, or in the current directory.
pub fn resolve_flow(flow: &str, base: &Path) -> Option<PathBuf> {
    let direct = base.join(flow);
    if flow.ends_with(".json") {
        return direct
            .is_file()
            .then_some(direct)
            .or_else(|| Path::new(flow).is_file().then(|| flow.into()));
    }
    let file = format!("{flow}.asl.json");
    let mut dir = Some(base);
    while let Some(d) = dir {
        let candidate = d.join("dist").join(&file);
        if candidate.is_file() {
            return Some(candidate);
        }
        dir = d.parent();
    }
    let here = Path::new("dist").join(&file);
    here.is_file().then_some(here)
}

/// `at` (`YYYY-MM-DD HH:MM[:SS]`) in `zone`, as epoch ms; `Err` says what to write.
fn local_millis(at: &str, zone: &Zone) -> Result<i64, String> {
    let at = at.trim();
    let local = [
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%dT%H:%M",
    ]
    .iter()
    .find_map(|f| DateTime::strptime(f, at).ok())
    .ok_or_else(|| format!("{at:?} is not a local time; write \"2025-01-06 10:00\""))?;
    zone.instant_of(local)
        .ok_or_else(|| format!("{at} does not exist in {zone} (a daylight-saving gap)"))
}

/// A definition as the simulator runs it: every deploy-time value `${Name}` left after the
/// scenario's own `substitute` is the name `Name`, as if the stack had named the table, bucket or
/// role after its logical name (`switchboard::deploy_time`). CloudFormation fills the same
/// places with the stack's names through `DefinitionSubstitutions`.
pub fn deploy_time_offline(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find("${") {
        out.push_str(&rest[..i]);
        let after = &rest[i..];
        let end = after.find('}').map(|j| j + 1).unwrap_or(after.len());
        match switchboard::deploy_time::placeholder(&after[..end]) {
            Some(name) => out.push_str(name),
            None => out.push_str(&after[..end]),
        }
        rest = &after[end..];
    }
    out.push_str(rest);
    out
}

impl Scenario {
    /// The flow's definition: `flow_override` (the command line's `--flow`) or the file's
    /// `flow`, with `substitute` applied.
    pub fn machine(
        &self,
        flow_override: Option<&str>,
    ) -> Result<(PathBuf, Arc<StateMachine>), ScenarioError> {
        let base = self.path.parent().unwrap_or(Path::new("."));
        let flow = flow_override
            .map(str::to_owned)
            .or_else(|| self.flow.clone())
            .ok_or_else(|| self.error("flow", "no flow: write `flow: <name>` (dist/<name>.asl.json) or a path, or pass --flow"))?;
        let path = resolve_flow(&flow, base).ok_or_else(|| {
            self.error("flow", format!("cannot find {flow:?}: no {flow}.asl.json under a dist/ folder above the scenario, nor that path; run `cargo run --bin compile` or write a path"))
        })?;
        let mut text = std::fs::read_to_string(&path)
            .map_err(|e| self.error("flow", format!("cannot read {}: {e}", path.display())))?;
        for (from, to) in &self.substitute {
            text = text.replace(from, to);
        }
        let text = deploy_time_offline(&text);
        let mut json: Value = serde_json::from_str(&text)
            .map_err(|e| self.error("flow", format!("{} is not JSON: {e}", path.display())))?;
        for (pointer, value) in &self.set {
            let slot = json.pointer_mut(pointer).ok_or_else(|| {
                self.error("set", format!("{pointer:?} names nothing in {}; write a JSON Pointer to an existing value, like /States/Init/Assign/Name", path.display()))
            })?;
            *slot = value.clone();
        }
        let machine: StateMachine = serde_json::from_value(json).map_err(|e| {
            self.error(
                "flow",
                format!("{} is not a state machine: {e}", path.display()),
            )
        })?;
        Ok((path, Arc::new(machine)))
    }

    fn services(&self, placer: &CallPlacer) -> Result<Services, ScenarioError> {
        let mut services = Services::new();
        for t in &self.tables {
            services
                .dynamodb
                .create_table(&t.name, &t.partition_key, t.sort_key.as_deref());
            for item in &t.items {
                let args = json!({"TableName": t.name, "Item": item});
                services
                    .dynamodb
                    .call("putItem", &args, Flavor::Sdk)
                    .map_err(|e| {
                        self.error(
                            "tables.items",
                            format!("an item of {} is refused: {}: {}", t.name, e.error, e.cause),
                        )
                    })?;
            }
        }
        for b in &self.buckets {
            services.s3.create_bucket(b);
        }
        for o in &self.objects {
            services.s3.create_bucket(&o.bucket);
            services
                .s3
                .put(&o.bucket, &o.key, o.body.clone().into_bytes())
                .map_err(|e| self.error("objects", e.cause))?;
        }
        for (name, def) in &self.lambdas {
            match def.clone() {
                LambdaDef::Returns(v) => services.lambdas.register(name, move |_| Ok(v.clone())),
                LambdaDef::Fails { error, message } => services
                    .lambdas
                    .register(name, move |_| Err((error.clone(), message.clone()))),
                LambdaDef::PlacesCall { from, to } => {
                    let placer = placer.clone();
                    services.lambdas.register(name, move |event: Value| {
                        let field =
                            |k: &str| event.get(k).and_then(Value::as_str).map(str::to_owned);
                        let (Some(f), Some(t)) = (field(&from), field(&to)) else {
                            return Err((
                                "Error".into(),
                                format!(
                                    "the event has no string fields {from:?} and {to:?}: {event}"
                                ),
                            ));
                        };
                        let mut args = event.as_object().cloned().unwrap_or_default();
                        args.retain(|_, v| v.is_string());
                        placer.place(CallSpec::outbound(&f, &t, args));
                        Ok(json!({"SipMediaApplicationCall": {"TransactionId": "placed"}}))
                    })
                }
            }
        }
        Ok(services)
    }

    /// Run the scenario with the simulator's own queue.
    pub fn run(&self, flow_override: Option<&str>) -> Result<Outcome, ScenarioError> {
        self.run_with(flow_override, SimQueue::new())
    }

    /// Run the scenario with `queue` behind the router (e.g. the router crate's
    /// `MemoryQueue`, for parity tests).
    pub fn run_with<Q: Outbox>(
        &self,
        flow_override: Option<&str>,
        queue: Q,
    ) -> Result<Outcome, ScenarioError> {
        let (flow, machine) = self.machine(flow_override)?;
        let runs = self.runs();
        let err = |i: Option<usize>, field: &str, m: String| match i {
            Some(i) => self.call_error(i, field, m),
            None => self.error(field, m),
        };
        // Each call's time zone, its start (None: when the one before ended), its spec.
        let mut plan = Vec::new();
        for (i, run) in &runs {
            let c = &run.call;
            let tz = &c.time_zone;
            let at = match (&c.at, plan.is_empty()) {
                (Some(at), _) => Some(local_millis(at, tz).map_err(|m| err(*i, "call.at", m))?),
                (None, true) => {
                    Some(local_millis(DEFAULT_AT, tz).map_err(|m| err(*i, "call.at", m))?)
                }
                (None, false) => None,
            };
            let spec = match c.direction {
                Direction::Inbound => CallSpec::inbound(&c.from, &c.to),
                Direction::Outbound => CallSpec::outbound(&c.from, &c.to, c.arguments.clone()),
            };
            let spec = CallSpec {
                hang_up_after: c.hang_up_after,
                patience: c.patience,
                ..spec
            };
            plan.push((*i, tz, at, spec, run));
        }
        let Some(&(first_index, tz, Some(start), _, first)) = plan.first() else {
            return Err(self.error("calls", "no call to run: `calls:` is empty"));
        };
        // The flow's numbers: inbound calls are to it, outbound calls from it.
        let mut numbers: Vec<String> = Vec::new();
        for (_, _, _, spec, _) in &plan {
            let n = match spec.direction {
                Direction::Inbound => spec.to.clone(),
                Direction::Outbound => spec.from.clone(),
            };
            if !numbers.contains(&n) {
                numbers.push(n);
            }
        }
        let placer = CallPlacer::default();
        let setup = Setup {
            name: flow
                .file_name()
                .and_then(|f| f.to_str())
                .map_or("flow", |f| {
                    f.trim_end_matches(".json").trim_end_matches(".asl")
                })
                .to_owned(),
            machine,
            numbers,
            services: self.services(&placer)?,
            clock: Clock::new(start, first.call.seed.unwrap_or(1)),
            tz: tz.clone(),
        };
        let mut sim = Simulator::with_placer(setup, queue, placer)
            .map_err(|e| err(first_index, "call", e))?;
        for o in &self.objects {
            sim.set_audio_length(&o.bucket, &o.key, o.seconds.map_or(1000, |s| s.millis()));
        }
        let mut failures = Vec::new();
        let several = plan.len() > 1 || first_index.is_some();
        for (n, (i, tz, at, spec, run)) in plan.iter().enumerate() {
            let now = sim.world().env.clock.now_millis();
            if at.is_some_and(|at| at < now) {
                let ended = tz.at(now).map_or_else(
                    || now.to_string(),
                    |t| t.strftime("%Y-%m-%d %H:%M:%S").to_string(),
                );
                return Err(err(
                    *i,
                    "call.at",
                    format!(
                        "this call would start before the calls before it are over (at {ended} {tz}); give a later `at`, or none to start right after them"
                    ),
                ));
            }
            let mark = sim.mark();
            sim.run_at(*at, spec.clone(), run.script.clone());
            let prefix = match (&run.name, several) {
                (Some(name), _) => format!("call {} ({name}): ", n + 1),
                (None, true) => format!("call {}: ", n + 1),
                (None, false) => String::new(),
            };
            failures.extend(
                expect::check(&run.expect, &sim, mark, several, false)
                    .into_iter()
                    .map(|f| f.prefixed(&prefix)),
            );
        }
        // The scenario's own expectations cover every call (its script problems are already
        // reported, call by call).
        failures.extend(expect::check(
            &self.expect,
            &sim,
            Mark::default(),
            !several,
            several,
        ));
        Ok(Outcome {
            scenario: self.path.clone(),
            name: self.title(),
            flow,
            transcript: sim.transcript().clone(),
            failures,
            histories: sim
                .world()
                .runs
                .iter()
                .map(|r| r.execution.aws_history())
                .collect(),
        })
    }
}

#[cfg(test)]
mod deploy_time_tests {
    use super::deploy_time_offline;

    #[test]
    fn deploy_time_values_are_their_names_offline_and_nothing_else_changes() {
        assert_eq!(
            deploy_time_offline(
                r#"{"TableName": "${Messages}", "B": "${acme-phone}", "x": "$5 ${} ${a b} {% $v %}"}"#
            ),
            r#"{"TableName": "Messages", "B": "acme-phone", "x": "$5 ${} ${a b} {% $v %}"}"#
        );
    }
}
