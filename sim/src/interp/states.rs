//! Running each state type, in either query language.
//!
//! `Assign` is evaluated against the variables as they were when the state was entered and
//! takes effect when it leaves
//! (<https://docs.aws.amazon.com/step-functions/latest/dg/workflow-variables.html>). In a
//! JSONPath state, `$` in `Assign` is the state's result: the Task/Parallel/Map result after
//! `ResultSelector`, a Pass state's `Result`/`Parameters` output (or its input), the error
//! output in a catcher, and the effective input (after `InputPath`) in Choice and Wait states.

use std::borrow::Cow;
use std::sync::Arc;

use chrono::DateTime;
use serde_json::Value;
use switchboard_asl::{
    Catcher, Choice, Fail, Io, Map, Parallel, Pass, QueryLanguage, Succeed, Task, Wait,
};

use super::context::{ExecutionInfo, StateInfo};
use super::data::{as_seconds, Eval};
use super::errors::StateError;
use super::rules::test;
use super::run::{next_or_end, AfterSleep, Children, Frame, Phase, Step};
use super::{Cost, Env, EventKind, History, HistoryEvent, Integrations, TaskRequest};
use crate::expr::{Bindings, ContextObject, Lazy, Vars};
use switchboard_asl::errors::NO_CHOICE_MATCHED;

/// Everything running one state needs.
pub(crate) struct StateCx<'a, S> {
    pub env: &'a mut Env<S>,
    pub info: &'a ExecutionInfo,
    /// Variables visible to the state (outer scopes and its own).
    pub vars: &'a Vars,
    pub frame: &'a Frame,
    pub lang: QueryLanguage,
    pub cost: &'a mut Cost,
    pub history: &'a mut History,
    pub token_seq: &'a mut u64,
}

/// The fields that shape the result of a Task, Parallel or Map.
pub(crate) struct ResultFields<'a> {
    pub result_selector: Option<&'a Value>,
    pub result_path: Option<&'a Value>,
    pub io: &'a Io,
    pub next: &'a Option<String>,
    pub end: Option<bool>,
}

macro_rules! result_fields {
    ($s:expr) => {
        ResultFields {
            result_selector: $s.result_selector.as_ref(),
            result_path: $s.result_path.as_ref(),
            io: &$s.io,
            next: &$s.next,
            end: $s.end,
        }
    };
}

pub(crate) fn task_fields(t: &Task) -> ResultFields<'_> {
    result_fields!(t)
}
pub(crate) fn parallel_fields(p: &Parallel) -> ResultFields<'_> {
    result_fields!(p)
}
pub(crate) fn map_fields(m: &Map) -> ResultFields<'_> {
    result_fields!(m)
}

/// An [`Eval`] borrowing only the fields it needs, so the rest of the state stays usable.
macro_rules! eval {
    ($cx:expr, $ctx:expr) => {
        Eval {
            engine: &$cx.env.engine,
            clock: &mut $cx.env.clock,
            context: ContextObject::from($ctx),
            vars: $cx.vars,
            state: &$cx.frame.state,
        }
    };
}

macro_rules! tri {
    ($e:expr) => {
        match $e {
            Ok(v) => v,
            Err(e) => return Step::Error(e),
        }
    };
}

impl<'a, S: Integrations> StateCx<'a, S> {
    fn name(&self) -> &'a str {
        &self.frame.state
    }

    /// The context object, built only if an expression reads it.
    fn context<'b>(
        &self,
        token: Option<&'b str>,
        map_item: Option<(usize, &'b Value)>,
    ) -> Lazy<impl Fn() -> Value + 'b>
    where
        'a: 'b,
    {
        let (info, frame) = (self.info, self.frame);
        Lazy::new(move || {
            info.context(StateInfo {
                name: &frame.state,
                entered_ms: frame.entered_ms,
                retry_count: frame.retry_count,
                token,
                map_item,
            })
        })
    }

    fn now(&self) -> i64 {
        self.env.clock.now_millis()
    }

    pub fn pass(&mut self, s: &Pass) -> Step {
        let ctx = self.context(None, None);
        let (input, name) = (&*self.frame.input, self.name());
        let mut ev = eval!(self, &ctx);
        let (output, assign) = match self.lang {
            QueryLanguage::JsonPath => {
                let eff = tri!(ev.select_input(s.io.input_path.as_ref(), input));
                let result = match (&s.result, &s.parameters) {
                    (Some(r), _) => r.clone(),
                    (None, Some(p)) => tri!(ev.template("Parameters", p, &eff)),
                    (None, None) => eff.into_owned(),
                };
                let assign = tri!(ev.assign_path(s.io.assign.as_ref(), &result));
                let out = tri!(ev.result_path(s.result_path.as_ref(), input, result));
                (
                    tri!(ev.select_output(s.io.output_path.as_ref(), out)),
                    assign,
                )
            }
            QueryLanguage::Jsonata => {
                let b = Bindings::new(input, &ctx, self.vars);
                let assign = tri!(ev.assign_jsonata(s.io.assign.as_ref(), &b));
                let out = match &s.io.output {
                    Some(o) => tri!(ev.jsonata("Output", o, &b)),
                    None => input.clone(),
                };
                (out, assign)
            }
        };
        next_or_end(name, &s.next, s.end, output, assign)
    }

    pub fn succeed(&mut self, s: &Succeed) -> Step {
        let ctx = self.context(None, None);
        let input = &*self.frame.input;
        let mut ev = eval!(self, &ctx);
        let output = match self.lang {
            QueryLanguage::JsonPath => {
                let eff = tri!(ev.select_input(s.io.input_path.as_ref(), input));
                tri!(ev.select_output(s.io.output_path.as_ref(), eff.into_owned()))
            }
            QueryLanguage::Jsonata => match &s.io.output {
                Some(o) => tri!(ev.jsonata("Output", o, &Bindings::new(input, &ctx, self.vars))),
                None => input.clone(),
            },
        };
        Step::End {
            output,
            assign: None,
        }
    }

    pub fn fail(&mut self, s: &Fail) -> Step {
        let ctx = self.context(None, None);
        let input = &*self.frame.input;
        let vars = self.vars;
        let mut ev = eval!(self, &ctx);
        let mut field = |name: &str, literal: &Option<String>, path: &Option<String>| {
            let v = match (literal, path) {
                (Some(text), _) => match self.lang {
                    QueryLanguage::Jsonata => {
                        ev.jsonata_string(name, text, &Bindings::new(input, &ctx, vars))?
                    }
                    QueryLanguage::JsonPath => Value::String(text.clone()),
                },
                (None, Some(p)) => ev.dollar(&format!("{name}Path"), p, input)?,
                (None, None) => return Ok(String::new()),
            };
            match v {
                Value::String(s) => Ok(s),
                other => Err(StateError::runtime(format!(
                    "state '{}', field '{name}': must be a string, got {other}",
                    ev.state
                ))),
            }
        };
        let error = tri!(field("Error", &s.error, &s.error_path));
        let cause = tri!(field("Cause", &s.cause, &s.cause_path));
        Step::Fail(StateError::new(error, cause))
    }

    pub fn choice(&mut self, s: &Choice) -> Step {
        let ctx = self.context(None, None);
        let (input, name, lang, vars) = (&*self.frame.input, self.name(), self.lang, self.vars);
        let mut ev = eval!(self, &ctx);
        let eff = match lang {
            QueryLanguage::JsonPath => tri!(ev.select_input(s.io.input_path.as_ref(), input)),
            QueryLanguage::Jsonata => Cow::Borrowed(input),
        };
        let b = Bindings::new(input, &ctx, vars);
        let mut chosen = None;
        for (i, rule) in s.choices.iter().enumerate() {
            let hit = tri!(test(&mut ev, lang, &rule.test, &eff, &b, i));
            if hit {
                chosen = Some((
                    rule.next.clone(),
                    rule.assign.as_ref(),
                    rule.output.as_ref(),
                ));
                break;
            }
        }
        // A matching rule's Assign/Output apply; the state-level Assign applies "regardless of
        // which choice rule matches", Default included
        // (https://docs.aws.amazon.com/step-functions/latest/dg/state-choice.html). Both are
        // evaluated against the values before the state, so they merge into one block.
        let merged;
        let (next, assign, output) = match chosen {
            Some((next, rule_assign, output)) => match (s.io.assign.as_ref(), rule_assign) {
                (Some(serde_json::Value::Object(state)), Some(serde_json::Value::Object(rule))) => {
                    let mut m = state.clone();
                    m.extend(rule.clone());
                    merged = serde_json::Value::Object(m);
                    (next, Some(&merged), output)
                }
                (state, rule) => (next, rule.or(state), output),
            },
            None => match &s.default {
                Some(d) => (d.clone(), s.io.assign.as_ref(), None),
                None => {
                    return Step::Error(StateError::new(
                        NO_CHOICE_MATCHED,
                        format!("state '{name}': no Choice rule matched and there is no Default"),
                    ))
                }
            },
        };
        let (output, assign) = match lang {
            QueryLanguage::JsonPath => (
                tri!(ev.select("OutputPath", s.io.output_path.as_ref(), &eff)),
                tri!(ev.assign_path(assign, &eff)),
            ),
            QueryLanguage::Jsonata => {
                let out = match output.or(s.io.output.as_ref()) {
                    Some(o) => tri!(ev.jsonata("Output", o, &b)),
                    None => input.clone(),
                };
                (out, tri!(ev.assign_jsonata(assign, &b)))
            }
        };
        Step::Next {
            next,
            output,
            assign,
        }
    }

    pub fn wait(&mut self, s: &Wait) -> Step {
        let ctx = self.context(None, None);
        let (input, name, vars) = (&*self.frame.input, self.name(), self.vars);
        let now = self.now();
        let mut ev = eval!(self, &ctx);
        let b = Bindings::new(input, &ctx, vars);
        let until = match self.lang {
            QueryLanguage::JsonPath => {
                let eff = tri!(ev.select_input(s.io.input_path.as_ref(), input));
                if let Some(secs) = &s.seconds {
                    now + 1000 * tri!(ev.int_field("Seconds", secs, &b)) as i64
                } else if let Some(ts) = &s.timestamp {
                    tri!(timestamp_ms(name, "Timestamp", &Value::String(ts.clone())))
                } else if let Some(p) = &s.seconds_path {
                    let v = tri!(ev.dollar("SecondsPath", p, &eff));
                    now + 1000 * tri!(as_seconds(name, "SecondsPath", &v)) as i64
                } else if let Some(p) = &s.timestamp_path {
                    tri!(timestamp_ms(
                        name,
                        "TimestampPath",
                        &tri!(ev.dollar("TimestampPath", p, &eff))
                    ))
                } else {
                    return Step::Error(no_wait_field(name));
                }
            }
            QueryLanguage::Jsonata => {
                if let Some(secs) = &s.seconds {
                    now + 1000 * tri!(ev.int_field("Seconds", secs, &b)) as i64
                } else if let Some(ts) = &s.timestamp {
                    tri!(timestamp_ms(
                        name,
                        "Timestamp",
                        &tri!(ev.jsonata_string("Timestamp", ts, &b))
                    ))
                } else {
                    return Step::Error(no_wait_field(name));
                }
            }
        };
        Step::Block(Phase::Sleeping {
            until,
            after: AfterSleep::WaitState,
        })
    }

    pub fn finish_wait(&mut self, s: &Wait) -> Step {
        let ctx = self.context(None, None);
        let (input, name, vars) = (&*self.frame.input, self.name(), self.vars);
        let mut ev = eval!(self, &ctx);
        let (output, assign) = match self.lang {
            QueryLanguage::JsonPath => {
                let eff = tri!(ev.select_input(s.io.input_path.as_ref(), input));
                let assign = tri!(ev.assign_path(s.io.assign.as_ref(), &eff));
                (
                    tri!(ev.select("OutputPath", s.io.output_path.as_ref(), &eff)),
                    assign,
                )
            }
            QueryLanguage::Jsonata => {
                let b = Bindings::new(input, &ctx, vars);
                let out = match &s.io.output {
                    Some(o) => tri!(ev.jsonata("Output", o, &b)),
                    None => input.clone(),
                };
                (out, tri!(ev.assign_jsonata(s.io.assign.as_ref(), &b)))
            }
        };
        next_or_end(name, &s.next, s.end, output, assign)
    }

    pub fn task(&mut self, s: &Task) -> Step {
        let waits = s.waits_for_task_token();
        let token = waits.then(|| {
            *self.token_seq += 1;
            format!("{}#{}", self.info.name, self.token_seq)
        });
        let ctx = self.context(token.as_deref(), None);
        let (input, name, vars, now) = (&*self.frame.input, self.name(), self.vars, self.now());
        let mut ev = eval!(self, &ctx);
        let b = Bindings::new(input, &ctx, vars);
        let (arguments, timeout, heartbeat) = match self.lang {
            QueryLanguage::JsonPath => {
                let eff = tri!(ev.select_input(s.io.input_path.as_ref(), input));
                let args = match &s.parameters {
                    Some(p) => tri!(ev.template("Parameters", p, &eff)),
                    None => eff.as_ref().clone(),
                };
                let mut secs = |field: &str, v: &Option<_>, path: &Option<String>| match (v, path) {
                    (Some(v), _) => ev.int_field(field, v, &b).map(Some),
                    (None, Some(p)) => {
                        let f = format!("{field}Path");
                        as_seconds(name, &f, &ev.dollar(&f, p, &eff)?).map(Some)
                    }
                    (None, None) => Ok(None),
                };
                let t = tri!(secs(
                    "TimeoutSeconds",
                    &s.timeout_seconds,
                    &s.timeout_seconds_path
                ));
                let h = tri!(secs(
                    "HeartbeatSeconds",
                    &s.heartbeat_seconds,
                    &s.heartbeat_seconds_path
                ));
                (args, t, h)
            }
            QueryLanguage::Jsonata => {
                let args = match &s.arguments {
                    Some(a) => tri!(ev.jsonata("Arguments", a, &b)),
                    None => input.clone(),
                };
                let mut secs = |field: &str, v: &Option<_>| match v {
                    Some(v) => ev.int_field(field, v, &b).map(Some),
                    None => Ok(None),
                };
                let t = tri!(secs("TimeoutSeconds", &s.timeout_seconds));
                let h = tri!(secs("HeartbeatSeconds", &s.heartbeat_seconds));
                (args, t, h)
            }
        };
        self.cost.task_calls += 1;
        let request = TaskRequest {
            resource: &s.resource,
            state: name,
            execution: &self.info.id,
            arguments: &arguments,
            task_token: token.as_deref(),
        };
        let env = &mut *self.env;
        let answer = env.services.invoke(request, &mut env.clock);
        self.history.push(HistoryEvent {
            at_ms: now,
            kind: EventKind::TaskScheduled {
                state: name.to_string(),
                resource: s.resource.clone(),
                parameters: arguments,
                timeout_seconds: timeout,
                heartbeat_seconds: heartbeat,
            },
        });
        if let Ok(output) = &answer {
            let output = Arc::new(output.clone());
            self.history.push(HistoryEvent {
                at_ms: self.env.clock.now_millis(),
                kind: EventKind::answered(waits, name, &s.resource, output),
            });
        }
        match answer {
            Err(f) => Step::Error(StateError::new(f.error, f.cause)),
            Ok(_) if waits => {
                self.cost.task_tokens += 1;
                Step::Block(Phase::Waiting {
                    token: token.clone().unwrap_or_default(),
                    deadline: timeout.map(|t| now + 1000 * t as i64),
                    heartbeat: heartbeat.map(|h| (1000 * h as i64, now + 1000 * h as i64)),
                })
            }
            Ok(result) => self.finish_result(task_fields(s), result, None),
        }
    }

    /// Shape a Task's, Parallel's or Map's result into the state's output.
    pub fn finish_result(
        &mut self,
        f: ResultFields<'_>,
        result: Value,
        token: Option<&str>,
    ) -> Step {
        let ctx = self.context(token, None);
        let (input, name, vars) = (&*self.frame.input, self.name(), self.vars);
        let mut ev = eval!(self, &ctx);
        let (output, assign) = match self.lang {
            QueryLanguage::JsonPath => {
                let r = match f.result_selector {
                    Some(rs) => tri!(ev.template("ResultSelector", rs, &result)),
                    None => result,
                };
                let assign = tri!(ev.assign_path(f.io.assign.as_ref(), &r));
                let out = tri!(ev.result_path(f.result_path, input, r));
                (
                    tri!(ev.select_output(f.io.output_path.as_ref(), out)),
                    assign,
                )
            }
            QueryLanguage::Jsonata => {
                let b = Bindings::new(input, &ctx, vars).with_result(&result);
                let assign = tri!(ev.assign_jsonata(f.io.assign.as_ref(), &b));
                let out = match &f.io.output {
                    Some(o) => tri!(ev.jsonata("Output", o, &b)),
                    None => result.clone(),
                };
                (out, assign)
            }
        };
        next_or_end(name, f.next, f.end, output, assign)
    }

    /// A catcher's output and variables: JSONPath places the error output at `ResultPath`
    /// (default `$`) in the state's input; JSONata's `Output` defaults to the error output.
    /// <https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html>
    pub fn catch(
        &mut self,
        c: &Catcher,
        error: &StateError,
    ) -> Result<(Value, Option<Vars>), StateError> {
        let ctx = self.context(None, None);
        let (input, vars) = (&*self.frame.input, self.vars);
        let error_output = error.output();
        let mut ev = eval!(self, &ctx);
        match self.lang {
            QueryLanguage::JsonPath => {
                let assign = ev.assign_path(c.assign.as_ref(), &error_output)?;
                Ok((
                    ev.result_path(c.result_path.as_ref(), input, error_output)?,
                    assign,
                ))
            }
            QueryLanguage::Jsonata => {
                let b = Bindings::new(input, &ctx, vars).with_error_output(&error_output);
                let assign = ev.assign_jsonata(c.assign.as_ref(), &b)?;
                let out = match &c.output {
                    Some(o) => ev.jsonata("Output", o, &b)?,
                    None => error_output.clone(),
                };
                Ok((out, assign))
            }
        }
    }

    pub fn parallel(&mut self, s: &Parallel) -> Step {
        let ctx = self.context(None, None);
        let (input, vars) = (&*self.frame.input, self.vars);
        let mut ev = eval!(self, &ctx);
        let branch_input = match self.lang {
            QueryLanguage::JsonPath => {
                let eff = tri!(ev.select_input(s.io.input_path.as_ref(), input));
                match &s.parameters {
                    Some(p) => tri!(ev.template("Parameters", p, &eff)),
                    None => eff.into_owned(),
                }
            }
            QueryLanguage::Jsonata => match &s.arguments {
                Some(a) => tri!(ev.jsonata("Arguments", a, &Bindings::new(input, &ctx, vars))),
                None => input.clone(),
            },
        };
        Step::Block(Phase::Children(Children {
            inputs: vec![branch_input; s.branches.len()],
            next: 0,
            results: Vec::with_capacity(s.branches.len()),
        }))
    }

    pub fn map(&mut self, s: &Map) -> Step {
        let name = self.name();
        if s.item_reader.is_some() {
            return Step::Error(StateError::runtime(format!(
                "state '{name}', field 'ItemReader': the simulator runs inline Map states only"
            )));
        }
        let ctx = self.context(None, None);
        let (input, vars) = (&*self.frame.input, self.vars);
        let mut ev = eval!(self, &ctx);
        let b = Bindings::new(input, &ctx, vars);
        let (eff, items) = match self.lang {
            QueryLanguage::JsonPath => {
                let eff = tri!(ev.select_input(s.io.input_path.as_ref(), input));
                let items = match &s.items_path {
                    Some(p) => tri!(ev.dollar("ItemsPath", p, &eff)),
                    None => eff.as_ref().clone(),
                };
                (eff, items)
            }
            QueryLanguage::Jsonata => {
                let items = match &s.items {
                    Some(i) => tri!(ev.jsonata("Items", i, &b)),
                    None => input.clone(),
                };
                (Cow::Borrowed(input), items)
            }
        };
        let Value::Array(items) = items else {
            return Step::Error(StateError::runtime(format!(
                "state '{name}', field '{}': the items must be an array, got {items}",
                if self.lang == QueryLanguage::JsonPath {
                    "ItemsPath"
                } else {
                    "Items"
                }
            )));
        };
        let selector = s.item_selector.as_ref().or(s.parameters.as_ref());
        let mut inputs = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            let Some(sel) = selector else {
                inputs.push(item.clone());
                continue;
            };
            let ictx = self.context(None, Some((i, item)));
            let mut ev = eval!(self, &ictx);
            inputs.push(match self.lang {
                QueryLanguage::JsonPath => tri!(ev.template("ItemSelector", sel, &eff)),
                QueryLanguage::Jsonata => {
                    tri!(ev.jsonata("ItemSelector", sel, &Bindings::new(input, &ictx, vars)))
                }
            });
        }
        let results = Vec::with_capacity(inputs.len());
        Step::Block(Phase::Children(Children {
            inputs,
            next: 0,
            results,
        }))
    }
}

fn no_wait_field(name: &str) -> StateError {
    StateError::runtime(format!(
        "state '{name}': a Wait state needs one of Seconds, Timestamp, SecondsPath, TimestampPath"
    ))
}

fn timestamp_ms(state: &str, field: &str, v: &Value) -> Result<i64, StateError> {
    let parsed = v
        .as_str()
        .and_then(|s| DateTime::parse_from_rfc3339(s).ok());
    parsed.map(|t| t.timestamp_millis()).ok_or_else(|| {
        StateError::runtime(format!(
            "state '{state}', field '{field}': expected an RFC 3339 timestamp, got {v}"
        ))
    })
}
