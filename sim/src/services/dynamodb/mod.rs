//! In-memory DynamoDB tables: `putItem`, `getItem`, `updateItem`, `deleteItem`, `query`, with
//! items in DynamoDB's attribute-value format and a key schema per table.
//!
//! Error names follow Step Functions: "When standard DynamoDB connections experience an error,
//! the exception prefix will be `DynamoDb` (mixed case). For optimized integrations, the
//! exception prefix will be `DynamoDB` (uppercase DB)."
//! (<https://docs.aws.amazon.com/step-functions/latest/dg/connect-ddb.html>). So
//! `arn:aws:states:::dynamodb:putItem` fails with `DynamoDB.ConditionalCheckFailedException`
//! and `arn:aws:states:::aws-sdk:dynamodb:putItem` with
//! `DynamoDb.ConditionalCheckFailedException`.

pub mod expr;
mod parse;

use std::cmp::Ordering;
use std::collections::BTreeMap;

use serde_json::{json, Map, Value};

use self::expr::{Cond, Item, Parser};
use crate::integration::TaskFailure;

/// Which error-name prefix a call reports with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flavor {
    /// `arn:aws:states:::dynamodb:…` → `DynamoDB.`
    Optimized,
    /// `arn:aws:states:::aws-sdk:dynamodb:…` → `DynamoDb.`
    Sdk,
}

impl Flavor {
    fn error(self, exception: &str, message: impl Into<String>) -> TaskFailure {
        let prefix = match self {
            Flavor::Optimized => "DynamoDB",
            Flavor::Sdk => "DynamoDb",
        };
        TaskFailure::new(format!("{prefix}.{exception}"), message)
    }

    fn validation(self, message: impl Into<String>) -> TaskFailure {
        self.error("ValidationException", message)
    }
}

/// One table: its key schema and items by encoded key.
#[derive(Debug, Clone)]
pub struct Table {
    /// Partition key attribute name.
    pub partition_key: String,
    /// Sort key attribute name, if any.
    pub sort_key: Option<String>,
    items: BTreeMap<String, Item>,
}

impl Table {
    /// Every item, in key order.
    pub fn items(&self) -> impl Iterator<Item = &Item> {
        self.items.values()
    }

    /// How many items the table holds.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Whether the table is empty.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
}

/// Tables by name.
#[derive(Debug, Default, Clone)]
pub struct DynamoDb {
    tables: BTreeMap<String, Table>,
}

fn key_scalar(v: &Value) -> Option<String> {
    for t in ["S", "N", "B"] {
        if let Some(s) = v.get(t).and_then(Value::as_str) {
            let s = if t == "N" {
                expr::number(v).map_or(s.to_string(), expr::format_number)
            } else {
                s.to_string()
            };
            return Some(format!("{t}:{s}"));
        }
    }
    None
}

fn obj<'a>(args: &'a Value, field: &str) -> Option<&'a Map<String, Value>> {
    args.get(field).and_then(Value::as_object)
}

impl DynamoDb {
    /// No tables.
    pub fn new() -> Self {
        Self::default()
    }

    /// Create (or replace) a table with a partition key and an optional sort key.
    pub fn create_table(&mut self, name: &str, partition_key: &str, sort_key: Option<&str>) {
        self.tables.insert(
            name.to_string(),
            Table {
                partition_key: partition_key.to_string(),
                sort_key: sort_key.map(str::to_string),
                items: BTreeMap::new(),
            },
        );
    }

    /// A table by name.
    pub fn table(&self, name: &str) -> Option<&Table> {
        self.tables.get(name)
    }

    fn table_mut(&mut self, args: &Value, f: Flavor) -> Result<(&mut Table, String), TaskFailure> {
        let name = args
            .get("TableName")
            .and_then(Value::as_str)
            .ok_or_else(|| f.validation("The request needs a string 'TableName'"))?;
        let table = self.tables.get_mut(name).ok_or_else(|| {
            f.error(
                "ResourceNotFoundException",
                format!("Requested resource not found: Table: {name} not found"),
            )
        })?;
        Ok((table, name.to_string()))
    }

    /// Run `action` (`putItem`, `getItem`, `updateItem`, `deleteItem`, `query`) with the
    /// API's request fields.
    pub fn call(&mut self, action: &str, args: &Value, f: Flavor) -> Result<Value, TaskFailure> {
        match action {
            "putItem" => self.put_item(args, f),
            "getItem" => self.get_item(args, f),
            "updateItem" => self.update_item(args, f),
            "deleteItem" => self.delete_item(args, f),
            "query" if f == Flavor::Sdk => self.query(args, f),
            other => Err(TaskFailure::new(
                switchboard_asl::errors::RUNTIME,
                format!(
                    "the simulator has no DynamoDB integration '{other}' ({}); the optimized integration offers getItem, putItem, updateItem and deleteItem, the aws-sdk one also query",
                    if f == Flavor::Sdk { "aws-sdk" } else { "optimized" }
                ),
            )),
        }
    }

    fn put_item(&mut self, args: &Value, f: Flavor) -> Result<Value, TaskFailure> {
        let (table, _) = self.table_mut(args, f)?;
        let item = obj(args, "Item")
            .ok_or_else(|| f.validation("putItem needs an 'Item' object"))?
            .clone();
        let key = encode_key(table, &item, f, "Item")?;
        check_condition(args, table.items.get(&key), f)?;
        let old = table.items.insert(key, item);
        Ok(returned(args, old, None))
    }

    fn get_item(&mut self, args: &Value, f: Flavor) -> Result<Value, TaskFailure> {
        let (table, _) = self.table_mut(args, f)?;
        let key = key_of(table, args, f)?;
        Ok(match table.items.get(&key) {
            Some(item) => json!({ "Item": item }),
            None => json!({}),
        })
    }

    fn delete_item(&mut self, args: &Value, f: Flavor) -> Result<Value, TaskFailure> {
        let (table, _) = self.table_mut(args, f)?;
        let key = key_of(table, args, f)?;
        check_condition(args, table.items.get(&key), f)?;
        let old = table.items.remove(&key);
        Ok(returned(args, old, None))
    }

    fn update_item(&mut self, args: &Value, f: Flavor) -> Result<Value, TaskFailure> {
        let (table, _) = self.table_mut(args, f)?;
        let key = key_of(table, args, f)?;
        check_condition(args, table.items.get(&key), f)?;
        let old = table.items.get(&key).cloned();
        let mut item = old
            .clone()
            .unwrap_or_else(|| obj(args, "Key").cloned().unwrap_or_default());
        if let Some(text) = args.get("UpdateExpression").and_then(Value::as_str) {
            let (names, values) = (
                obj(args, "ExpressionAttributeNames"),
                obj(args, "ExpressionAttributeValues"),
            );
            let actions = Parser::new(text, names, values)
                .and_then(|mut p| {
                    let a = p.update()?;
                    p.finish().map(|()| a)
                })
                .map_err(|e| f.validation(format!("Invalid UpdateExpression '{text}': {e}")))?;
            for action in &actions {
                apply(&mut item, action, table)
                    .map_err(|e| f.validation(format!("UpdateExpression '{text}': {e}")))?;
            }
        }
        table.items.insert(key, item.clone());
        Ok(returned(args, old, Some(item)))
    }

    fn query(&mut self, args: &Value, f: Flavor) -> Result<Value, TaskFailure> {
        let (table, _) = self.table_mut(args, f)?;
        let (names, values) = (
            obj(args, "ExpressionAttributeNames"),
            obj(args, "ExpressionAttributeValues"),
        );
        let text = args
            .get("KeyConditionExpression")
            .and_then(Value::as_str)
            .ok_or_else(|| f.validation("query needs a 'KeyConditionExpression'"))?;
        let parse = |text: &str| {
            Parser::new(text, names, values).and_then(|mut p| {
                let c = p.condition()?;
                p.finish().map(|()| c)
            })
        };
        let key_cond = parse(text)
            .map_err(|e| f.validation(format!("Invalid KeyConditionExpression '{text}': {e}")))?;
        check_key_condition(&key_cond, table)
            .map_err(|e| f.validation(format!("Invalid KeyConditionExpression '{text}': {e}")))?;
        let filter = match args.get("FilterExpression").and_then(Value::as_str) {
            Some(t) => Some(
                parse(t)
                    .map_err(|e| f.validation(format!("Invalid FilterExpression '{t}': {e}")))?,
            ),
            None => None,
        };
        let mut hits: Vec<&Item> = Vec::new();
        for item in table.items.values() {
            if expr::eval(item, &key_cond).map_err(|e| f.validation(e))? {
                hits.push(item);
            }
        }
        if let Some(sk) = &table.sort_key {
            hits.sort_by(|a, b| match (a.get(sk), b.get(sk)) {
                (Some(x), Some(y)) => expr::compare(x, y).unwrap_or(Ordering::Equal),
                _ => Ordering::Equal,
            });
        }
        if args.get("ScanIndexForward") == Some(&Value::Bool(false)) {
            hits.reverse();
        }
        if let Some(start) = obj(args, "ExclusiveStartKey") {
            let start_key = encode_key(table, start, f, "ExclusiveStartKey")?;
            if let Some(pos) = hits
                .iter()
                .position(|i| encode_key(table, i, f, "Item").ok().as_ref() == Some(&start_key))
            {
                hits.drain(..=pos);
            }
        }
        let limit = args
            .get("Limit")
            .and_then(Value::as_u64)
            .map(|l| l as usize);
        if limit == Some(0) {
            return Err(f.validation("1 validation error detected: Value at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1"));
        }
        let cut = limit.is_some_and(|l| hits.len() > l);
        let scanned: Vec<&Item> = hits.into_iter().take(limit.unwrap_or(usize::MAX)).collect();
        let mut items = Vec::new();
        for item in &scanned {
            let keep = match &filter {
                Some(c) => expr::eval(item, c).map_err(|e| f.validation(e))?,
                None => true,
            };
            if keep {
                items.push(Value::Object((*item).clone()));
            }
        }
        let mut out = json!({"Count": items.len(), "ScannedCount": scanned.len(), "Items": items});
        if let (true, Some(last)) = (cut, scanned.last()) {
            let mut key = Map::new();
            for k in std::iter::once(&table.partition_key).chain(table.sort_key.iter()) {
                if let Some(v) = last.get(k) {
                    key.insert(k.clone(), v.clone());
                }
            }
            out["LastEvaluatedKey"] = Value::Object(key);
        }
        Ok(out)
    }
}

fn encode_key(
    table: &Table,
    item: &Map<String, Value>,
    f: Flavor,
    field: &str,
) -> Result<String, TaskFailure> {
    let mismatch = || {
        f.validation(format!("One or more parameter values were invalid: the provided key element in '{field}' does not match the schema"))
    };
    let pk = item
        .get(&table.partition_key)
        .and_then(key_scalar)
        .ok_or_else(mismatch)?;
    match &table.sort_key {
        Some(sk) => {
            let s = item.get(sk).and_then(key_scalar).ok_or_else(mismatch)?;
            Ok(format!("{pk}\u{0}{s}"))
        }
        None => Ok(pk),
    }
}

fn key_of(table: &Table, args: &Value, f: Flavor) -> Result<String, TaskFailure> {
    let key = obj(args, "Key").ok_or_else(|| f.validation("The request needs a 'Key' object"))?;
    let expected = 1 + usize::from(table.sort_key.is_some());
    if key.len() != expected {
        return Err(f.validation("The provided key element does not match the schema"));
    }
    encode_key(table, key, f, "Key")
}

fn check_condition(args: &Value, existing: Option<&Item>, f: Flavor) -> Result<(), TaskFailure> {
    let Some(text) = args.get("ConditionExpression").and_then(Value::as_str) else {
        return Ok(());
    };
    let (names, values) = (
        obj(args, "ExpressionAttributeNames"),
        obj(args, "ExpressionAttributeValues"),
    );
    let cond = Parser::new(text, names, values)
        .and_then(|mut p| {
            let c = p.condition()?;
            p.finish().map(|()| c)
        })
        .map_err(|e| f.validation(format!("Invalid ConditionExpression '{text}': {e}")))?;
    let empty = Item::new();
    let ok = expr::eval(existing.unwrap_or(&empty), &cond).map_err(|e| f.validation(e))?;
    if ok {
        Ok(())
    } else {
        Err(f.error(
            "ConditionalCheckFailedException",
            "The conditional request failed",
        ))
    }
}

fn key_condition_parts<'c>(c: &'c Cond, out: &mut Vec<&'c Cond>) {
    match c {
        Cond::And(a, b) => {
            key_condition_parts(a, out);
            key_condition_parts(b, out);
        }
        other => out.push(other),
    }
}

/// A key condition is `pk = :v`, optionally `AND` one condition on the sort key.
fn check_key_condition(c: &Cond, table: &Table) -> Result<(), String> {
    use self::expr::{Operand, Step};
    let mut parts = Vec::new();
    key_condition_parts(c, &mut parts);
    let is_attr = |o: &Operand, name: &str| matches!(o, Operand::Path(p) if p.as_slice() == [Step::Key(name.to_string())]);
    let mut has_pk = false;
    for p in &parts {
        match p {
            Cond::Cmp(op, a, _) if op == "=" && is_attr(a, &table.partition_key) => has_pk = true,
            Cond::Cmp(op, a, _) if op != "<>" && table.sort_key.as_deref().is_some_and(|sk| is_attr(a, sk)) => {}
            Cond::Between(a, ..) | Cond::BeginsWith(a, _)
                if table.sort_key.as_deref().is_some_and(|sk| is_attr(a, sk)) => {}
            _ => return Err("only `partitionKey = :v`, optionally AND one sort-key condition (=, <, <=, >, >=, BETWEEN, begins_with), is allowed".into()),
        }
    }
    if !has_pk || parts.len() > 2 {
        return Err(format!(
            "Query condition missed key schema element: {}",
            table.partition_key
        ));
    }
    Ok(())
}

fn apply(item: &mut Item, action: &expr::Action, table: &Table) -> Result<(), String> {
    use self::expr::{get, operand, remove, set, Action, Step};
    let path_str = |p: &[Step]| match p.first() {
        Some(Step::Key(k)) => k.clone(),
        _ => String::new(),
    };
    let touches_key = |p: &[Step]| {
        p.len() == 1 && (path_str(p) == table.partition_key || Some(path_str(p)) == table.sort_key)
    };
    match action {
        Action::Set(p, o) | Action::Add(p, o) | Action::Delete(p, o) if touches_key(p) => {
            let _ = o;
            Err(format!(
                "Cannot update attribute {}. This attribute is part of the key",
                path_str(p)
            ))
        }
        Action::Remove(p) if touches_key(p) => Err(format!(
            "Cannot update attribute {}. This attribute is part of the key",
            path_str(p)
        )),
        Action::Set(p, o) => {
            let v = operand(item, o)?.ok_or(
                "The provided expression refers to an attribute that does not exist in the item",
            )?;
            set(item, p, v)
        }
        Action::Remove(p) => {
            remove(item, p);
            Ok(())
        }
        Action::Add(p, o) => {
            let v = operand(item, o)?.ok_or("ADD needs a value")?;
            let new = match (get(item, p), &v) {
                (None, _) => v.clone(),
                (Some(cur), _) if expr::number(cur).is_some() && expr::number(&v).is_some() => {
                    let n = expr::number(cur).unwrap_or(0.0) + expr::number(&v).unwrap_or(0.0);
                    json!({"N": expr::format_number(n)})
                }
                (Some(cur), _) => set_union(cur, &v, true)?,
            };
            set(item, p, new)
        }
        Action::Delete(p, o) => {
            let v = operand(item, o)?.ok_or("DELETE needs a value")?;
            match get(item, p) {
                Some(cur) => {
                    let new = set_union(cur, &v, false)?;
                    set(item, p, new)
                }
                None => Ok(()),
            }
        }
    }
}

fn set_union(cur: &Value, v: &Value, add: bool) -> Result<Value, String> {
    for t in ["SS", "NS", "BS"] {
        if let (Some(Value::Array(a)), Some(Value::Array(b))) = (cur.get(t), v.get(t)) {
            let mut out: Vec<Value> = if add {
                a.clone()
            } else {
                a.iter().filter(|x| !b.contains(x)).cloned().collect()
            };
            if add {
                for x in b {
                    if !out.contains(x) {
                        out.push(x.clone());
                    }
                }
            }
            return Ok(json!({ t: out }));
        }
    }
    Err("An operand in the update expression has an incorrect data type".into())
}

/// The response of a write: `Attributes` per `ReturnValues` (`NONE`, `ALL_OLD`, `ALL_NEW`).
fn returned(args: &Value, old: Option<Item>, new: Option<Item>) -> Value {
    let attrs = match args.get("ReturnValues").and_then(Value::as_str) {
        Some("ALL_OLD") => old,
        Some("ALL_NEW") => new,
        _ => None,
    };
    match attrs {
        Some(a) => json!({ "Attributes": a }),
        None => json!({}),
    }
}
