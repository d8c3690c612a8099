//! The stack's secrets (`[stack.<name>.secrets.<id>]`, [`switchboard_stack::secret`]): after the
//! app stack is up, each one's item is written to its table unless it is there already. The value
//! comes from `SWITCHBOARD_SECRET_<ID>` or, at a terminal, from a prompt that does not echo; it is
//! checked against the secret's pattern, hashed, and never printed. `--set-secret <id>` replaces
//! one that is set.

use std::collections::{BTreeMap, HashMap};
use std::io::IsTerminal;

use aws_sdk_dynamodb::types::AttributeValue;
use switchboard_stack::secret::{Attribute, SecretConfig};

use crate::{Error, Target};

/// What became of one secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Written (for the first time, or replaced with `--set-secret`).
    Set,
    /// Already in its table, left as it was.
    Kept,
    /// Not in its table and no value to write: no variable, and no terminal to ask at.
    Missing,
}

/// The values known before anything is deployed: each secret's variable, if set, checked against
/// its pattern; `--set-secret` ids checked against the stack's secrets. A wrong value stops the
/// deploy before it creates anything.
pub fn values_from_env(
    t: &Target,
    replace: &[String],
    env: impl Fn(&str) -> Option<String>,
) -> Result<BTreeMap<String, String>, Error> {
    for id in replace {
        if !t.stack.secrets.contains_key(id) {
            return Err(Error(format!(
                "--set-secret {id}: [stack.{}] declares no secret `{id}`{}",
                t.name,
                list(t.stack.secrets.keys())
            )));
        }
    }
    let mut out = BTreeMap::new();
    for (id, secret) in &t.stack.secrets {
        let var = SecretConfig::env_var(id);
        if let Some(value) = env(&var) {
            check(secret, &value, &var)?;
            out.insert(id.clone(), value);
        }
    }
    Ok(out)
}

fn list<'a>(ids: impl Iterator<Item = &'a String>) -> String {
    let ids: Vec<&str> = ids.map(String::as_str).collect();
    if ids.is_empty() {
        String::new()
    } else {
        format!("; its secrets are: {}", ids.join(", "))
    }
}

fn check(secret: &SecretConfig, value: &str, source: &str) -> Result<(), Error> {
    if secret.accepts(value) {
        Ok(())
    } else {
        Err(Error(format!(
            "{source}: {} must match {} (the value is not shown); nothing was written",
            secret.what, secret.pattern
        )))
    }
}

/// Writes each secret that is not in its table yet, or that `replace` names, with the stack's
/// business `number`. `tables` maps each declared table to its physical name.
pub async fn apply(
    ddb: &aws_sdk_dynamodb::Client,
    t: &Target,
    tables: &BTreeMap<String, String>,
    number: &str,
    replace: &[String],
    mut known: BTreeMap<String, String>,
) -> Result<Vec<Report>, Error> {
    let mut out = Vec::new();
    for (id, secret) in &t.stack.secrets {
        let mut done = |outcome| {
            out.push(Report {
                id: id.clone(),
                what: secret.what.clone(),
                outcome,
            })
        };
        let declared = &t.stack.tables[&secret.table];
        let table = tables.get(&secret.table).ok_or_else(|| {
            Error(format!(
                "stack {} has no table {} for the secret {id}",
                t.name, secret.table
            ))
        })?;
        let forced = replace.contains(id);
        if !forced && is_set(ddb, table, &secret.key(declared, number), secret).await? {
            done(Outcome::Kept);
            continue;
        }
        let value = match known.remove(id) {
            Some(v) => Some(v),
            None => ask(secret, &t.name)?,
        };
        let Some(value) = value else {
            done(Outcome::Missing);
            continue;
        };
        let item: HashMap<String, AttributeValue> = secret
            .item(number, &value)
            .into_iter()
            .map(|(k, v)| (k, dynamo(v)))
            .collect();
        ddb.put_item()
            .table_name(table)
            .set_item(Some(item))
            .send()
            .await
            .map_err(|e| Error::aws(format!("writing {} to table {table}", secret.what), e))?;
        done(Outcome::Set);
    }
    Ok(out)
}

async fn is_set(
    ddb: &aws_sdk_dynamodb::Client,
    table: &str,
    key: &BTreeMap<String, Attribute>,
    secret: &SecretConfig,
) -> Result<bool, Error> {
    let key: HashMap<String, AttributeValue> = key
        .iter()
        .map(|(k, v)| (k.clone(), dynamo(v.clone())))
        .collect();
    let got = ddb
        .get_item()
        .table_name(table)
        .set_key(Some(key))
        .consistent_read(true)
        .send()
        .await
        .map_err(|e| Error::aws(format!("reading {} from table {table}", secret.what), e))?;
    Ok(got
        .item()
        .is_some_and(|i| i.contains_key(&secret.hash.attribute)))
}

/// Asks at the terminal, without echo, until the value fits (three tries); `None` without a
/// terminal.
fn ask(secret: &SecretConfig, stack: &str) -> Result<Option<String>, Error> {
    if !std::io::stdin().is_terminal() {
        return Ok(None);
    }
    for _ in 0..3 {
        let value = rpassword::prompt_password(format!(
            "{} for stack {stack} ({}; not shown): ",
            secret.what, secret.pattern
        ))
        .map_err(|e| Error(format!("reading {}: {e}", secret.what)))?;
        if secret.accepts(&value) {
            return Ok(Some(value));
        }
        eprintln!("{} must match {}", secret.what, secret.pattern);
    }
    Err(Error(format!(
        "{} was not given: deploy again to set it",
        secret.what
    )))
}

fn dynamo(a: Attribute) -> AttributeValue {
    match a {
        Attribute::S(s) => AttributeValue::S(s),
        Attribute::N(n) => AttributeValue::N(n),
        Attribute::Bool(b) => AttributeValue::Bool(b),
    }
}

/// One secret's line in the closing report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    pub id: String,
    pub what: String,
    pub outcome: Outcome,
}

impl Report {
    /// The line for it, if any: a set secret is named, a kept one says nothing, a missing one
    /// says how to set it.
    pub fn line(&self, stack: &str, region: &str) -> Option<String> {
        match self.outcome {
            Outcome::Set => Some(format!("  {}: set\n", self.what)),
            Outcome::Kept => None,
            Outcome::Missing => Some(format!(
                "Still to do: {} is not set, and the flows that check it refuse until it is. Set it with\n  \
                 {}=… cargo run --bin deploy -- --region {region} --stack {stack}\n",
                self.what,
                SecretConfig::env_var(&self.id)
            )),
        }
    }
}
