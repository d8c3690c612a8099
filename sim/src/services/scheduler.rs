//! EventBridge Scheduler schedules that fire on the simulated clock.
//!
//! `aws-sdk:scheduler:createSchedule` stores a schedule (`Name`, `GroupName` default
//! `default`, `ScheduleExpression` `at(yyyy-mm-ddThh:mm:ss)` or `rate(n unit)`,
//! `ScheduleExpressionTimezone` default UTC, `Target`, `ActionAfterCompletion`);
//! [`Scheduler::fire_due`] returns the targets due at a time, for the PSTN audio simulator to
//! act on (e.g. place the outbound call). A one-time schedule with
//! `ActionAfterCompletion: DELETE` is removed after it fires
//! (<https://docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html>). A second
//! schedule with the same name in a group fails with `Scheduler.ConflictException`. `cron(…)`
//! expressions are refused with `Scheduler.ValidationException`: the simulator does not
//! compute cron calendars.

use std::collections::BTreeMap;

use chrono::{NaiveDateTime, TimeZone};
use chrono_tz::Tz;
use serde_json::{json, Value};

use crate::integration::TaskFailure;

/// One stored schedule.
#[derive(Debug, Clone, PartialEq)]
pub struct Schedule {
    /// `GroupName`.
    pub group: String,
    /// `Name`.
    pub name: String,
    /// `ScheduleExpression` as given.
    pub expression: String,
    /// `ScheduleExpressionTimezone`.
    pub timezone: String,
    /// `Target` as given (`Arn`, `RoleArn`, `Input`, …).
    pub target: Value,
    /// Whether to delete the schedule once a one-time schedule has fired.
    pub delete_after_completion: bool,
    /// When it next fires (epoch ms); `None` once a one-time schedule has fired.
    pub next_fire_ms: Option<i64>,
    /// `rate(…)` period in ms, for recurring schedules.
    pub period_ms: Option<i64>,
    /// The ARN returned by `createSchedule`.
    pub arn: String,
}

/// A schedule that fired: what its target should receive.
#[derive(Debug, Clone, PartialEq)]
pub struct Firing {
    /// When it was due (epoch ms).
    pub at_ms: i64,
    /// `GroupName`.
    pub group: String,
    /// `Name`.
    pub name: String,
    /// The target (`Arn`, `Input`, …).
    pub target: Value,
}

/// Schedules by (group, name).
#[derive(Debug, Default, Clone)]
pub struct Scheduler {
    schedules: BTreeMap<(String, String), Schedule>,
}

fn validation(message: String) -> TaskFailure {
    TaskFailure::new("Scheduler.ValidationException", message)
}

/// Parse `at(…)` in `tz` or `rate(n unit)`: (first firing, period).
pub fn parse_expression(
    expression: &str,
    timezone: &str,
    now_ms: i64,
) -> Result<(i64, Option<i64>), TaskFailure> {
    let e = expression.trim();
    if let Some(inner) = e.strip_prefix("at(").and_then(|r| r.strip_suffix(')')) {
        let tz: Tz = timezone.parse().map_err(|_| {
            validation(format!(
                "ScheduleExpressionTimezone '{timezone}' is not an IANA time zone"
            ))
        })?;
        let local =
            NaiveDateTime::parse_from_str(inner.trim(), "%Y-%m-%dT%H:%M:%S").map_err(|e| {
                validation(format!(
                    "ScheduleExpression '{expression}': expected at(yyyy-mm-ddThh:mm:ss): {e}"
                ))
            })?;
        let at = tz.from_local_datetime(&local).earliest().ok_or_else(|| {
            validation(format!(
                "ScheduleExpression '{expression}' does not exist in {timezone}"
            ))
        })?;
        return Ok((at.timestamp_millis(), None));
    }
    if let Some(inner) = e.strip_prefix("rate(").and_then(|r| r.strip_suffix(')')) {
        let mut parts = inner.split_whitespace();
        let n: i64 = parts
            .next()
            .and_then(|n| n.parse().ok())
            .filter(|n| *n > 0)
            .ok_or_else(|| {
                validation(format!("ScheduleExpression '{expression}': bad rate value"))
            })?;
        let unit_ms = match parts.next().unwrap_or("") {
            "minute" | "minutes" => 60_000,
            "hour" | "hours" => 3_600_000,
            "day" | "days" => 86_400_000,
            u => {
                return Err(validation(format!(
                    "ScheduleExpression '{expression}': bad unit '{u}'"
                )))
            }
        };
        return Ok((now_ms + n * unit_ms, Some(n * unit_ms)));
    }
    Err(validation(format!(
        "ScheduleExpression '{expression}': the simulator supports at(…) and rate(…) expressions"
    )))
}

impl Scheduler {
    /// No schedules.
    pub fn new() -> Self {
        Self::default()
    }

    /// A stored schedule.
    pub fn get(&self, group: &str, name: &str) -> Option<&Schedule> {
        self.schedules.get(&(group.to_string(), name.to_string()))
    }

    /// Every stored schedule, by group then name.
    pub fn schedules(&self) -> impl Iterator<Item = &Schedule> {
        self.schedules.values()
    }

    /// The earliest time a schedule fires, if any.
    pub fn next_due(&self) -> Option<i64> {
        self.schedules.values().filter_map(|s| s.next_fire_ms).min()
    }

    /// `createSchedule` with the API's fields, at simulated time `now_ms`.
    pub fn create(&mut self, args: &Value, now_ms: i64) -> Result<Value, TaskFailure> {
        let s = |k: &str| args.get(k).and_then(Value::as_str);
        let name =
            s("Name").ok_or_else(|| validation("createSchedule needs a string 'Name'".into()))?;
        let group = s("GroupName").unwrap_or("default");
        let expression = s("ScheduleExpression")
            .ok_or_else(|| validation(format!("schedule '{name}' needs a 'ScheduleExpression'")))?;
        let timezone = s("ScheduleExpressionTimezone").unwrap_or("UTC");
        let target = args
            .get("Target")
            .filter(|t| t.get("Arn").and_then(Value::as_str).is_some())
            .ok_or_else(|| {
                validation(format!("schedule '{name}' needs a 'Target' with an 'Arn'"))
            })?;
        let key = (group.to_string(), name.to_string());
        if self.schedules.contains_key(&key) {
            return Err(TaskFailure::new(
                "Scheduler.ConflictException",
                format!("Schedule {name} already exists in group {group}."),
            ));
        }
        let (first, period) = parse_expression(expression, timezone, now_ms)?;
        let arn = format!("arn:aws:scheduler:us-east-1:123456789012:schedule/{group}/{name}");
        self.schedules.insert(
            key,
            Schedule {
                group: group.to_string(),
                name: name.to_string(),
                expression: expression.to_string(),
                timezone: timezone.to_string(),
                target: target.clone(),
                delete_after_completion: s("ActionAfterCompletion") == Some("DELETE"),
                next_fire_ms: Some(first),
                period_ms: period,
                arn: arn.clone(),
            },
        );
        Ok(json!({"ScheduleArn": arn}))
    }

    /// `deleteSchedule`.
    pub fn delete(&mut self, args: &Value) -> Result<Value, TaskFailure> {
        let name = args.get("Name").and_then(Value::as_str).unwrap_or("");
        let group = args
            .get("GroupName")
            .and_then(Value::as_str)
            .unwrap_or("default");
        match self
            .schedules
            .remove(&(group.to_string(), name.to_string()))
        {
            Some(_) => Ok(json!({})),
            None => Err(TaskFailure::new(
                "Scheduler.ResourceNotFoundException",
                format!("Schedule {name} does not exist in group {group}."),
            )),
        }
    }

    /// Fire every schedule due at or before `now_ms`, in time order: one-time schedules fire
    /// once (and are deleted if `ActionAfterCompletion` is `DELETE`), recurring ones once per
    /// period that has elapsed.
    pub fn fire_due(&mut self, now_ms: i64) -> Vec<Firing> {
        let mut out = Vec::new();
        for s in self.schedules.values_mut() {
            while let Some(at) = s.next_fire_ms.filter(|t| *t <= now_ms) {
                out.push(Firing {
                    at_ms: at,
                    group: s.group.clone(),
                    name: s.name.clone(),
                    target: s.target.clone(),
                });
                s.next_fire_ms = s.period_ms.map(|p| at + p);
            }
        }
        self.schedules
            .retain(|_, s| !(s.delete_after_completion && s.next_fire_ms.is_none()));
        out.sort_by(|a, b| (a.at_ms, &a.group, &a.name).cmp(&(b.at_ms, &b.group, &b.name)));
        out
    }
}
