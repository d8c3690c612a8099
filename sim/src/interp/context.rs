//! The context object (`$$` in JSONPath, `$states.context` in JSONata).
//!
//! <https://docs.aws.amazon.com/step-functions/latest/dg/input-output-contextobject.html>:
//! `Execution` (`Id`, `Input`, `Name`, `RoleArn`, `StartTime`, `RedriveCount`), `State`
//! (`EnteredTime`, `Name`, `RetryCount`), `StateMachine` (`Id`, `Name`), `Task` (`Token`, only
//! inside a Task that waits for one) and, in a Map's `ItemSelector`, `Map.Item` (`Index`,
//! `Value`).

use serde_json::{Map, Value};

use crate::expr::Clock;

/// The parts of the context object that stay the same for the whole execution.
#[derive(Debug, Clone)]
pub(crate) struct ExecutionInfo {
    pub id: String,
    pub name: String,
    pub input: Value,
    pub start_ms: i64,
    pub machine_id: String,
    pub machine_name: String,
    pub role_arn: String,
}

/// The per-state part of the context object.
#[derive(Debug, Clone, Copy)]
pub(crate) struct StateInfo<'a> {
    pub name: &'a str,
    pub entered_ms: i64,
    pub retry_count: u32,
    pub token: Option<&'a str>,
    pub map_item: Option<(usize, &'a Value)>,
}

impl ExecutionInfo {
    /// The context object as a state sees it.
    pub fn context(&self, state: StateInfo<'_>) -> Value {
        let mut execution = Map::with_capacity(6);
        execution.insert("Id".into(), Value::String(self.id.clone()));
        execution.insert("Input".into(), self.input.clone());
        execution.insert("Name".into(), Value::String(self.name.clone()));
        execution.insert("RoleArn".into(), Value::String(self.role_arn.clone()));
        execution.insert("StartTime".into(), Value::String(iso(self.start_ms)));
        execution.insert("RedriveCount".into(), Value::from(0));
        let mut st = Map::with_capacity(3);
        st.insert("EnteredTime".into(), Value::String(iso(state.entered_ms)));
        st.insert("Name".into(), Value::String(state.name.to_string()));
        st.insert("RetryCount".into(), Value::from(state.retry_count));
        let mut machine = Map::with_capacity(2);
        machine.insert("Id".into(), Value::String(self.machine_id.clone()));
        machine.insert("Name".into(), Value::String(self.machine_name.clone()));
        let mut ctx = Map::with_capacity(5);
        ctx.insert("Execution".into(), Value::Object(execution));
        ctx.insert("State".into(), Value::Object(st));
        ctx.insert("StateMachine".into(), Value::Object(machine));
        if let Some(token) = state.token {
            let mut task = Map::with_capacity(1);
            task.insert("Token".into(), Value::String(token.to_string()));
            ctx.insert("Task".into(), Value::Object(task));
        }
        if let Some((index, value)) = state.map_item {
            let mut item = Map::with_capacity(2);
            item.insert("Index".into(), Value::from(index));
            item.insert("Value".into(), value.clone());
            let mut map = Map::with_capacity(1);
            map.insert("Item".into(), Value::Object(item));
            ctx.insert("Map".into(), Value::Object(map));
        }
        Value::Object(ctx)
    }
}

fn iso(ms: i64) -> String {
    Clock::new(ms, 0).now_iso()
}
