//! Secrets a stack's flows check but must never hold: `[stack.<name>.secrets.<id>]`. `deploy`
//! asks for the value once (or reads it from `SWITCHBOARD_SECRET_<ID>`), checks it against
//! `pattern`, and writes one item to a table the stack creates: the attributes of `item`, plus the
//! SHA-256 of `hash.of` in `hash.attribute`. The value itself is never stored, printed or put in
//! a template; only its hash reaches the table, where the flow compares it.
//!
//! ```toml
//! [stack.business.secrets.owner-pin]
//! what = "the owner's PIN"
//! pattern = "^[0-9]{4,8}$"
//! table = "BusinessPhoneMessages"
//! item = { mailbox = "{number}#owner", at = 0 }
//! hash = { attribute = "pin_hash", of = "{number}:{secret}" }
//! ```
//!
//! In `item`, `{number}` is the stack's business number; in `hash.of`, `{secret}` is the value
//! too. `item` holds the table's key, so `deploy` can tell whether the secret is set already.

use std::collections::BTreeMap;

use serde::Deserialize;
use sha2::{Digest, Sha256};

use crate::config::{KeyType, TableConfig};

/// One secret of a stack.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct SecretConfig {
    /// What the secret is, as `deploy` asks for it: "the owner's PIN".
    pub what: String,
    /// A regular expression the whole value must match (`^…$` is implied).
    pub pattern: String,
    /// The table (as the stack declares it) the item goes to.
    pub table: String,
    /// The item's attributes besides the hash, its key among them.
    pub item: BTreeMap<String, ItemValue>,
    /// Where the hash goes and what is hashed.
    pub hash: HashConfig,
}

/// An attribute value of the item: a string (S), an integer (N) or a boolean (BOOL).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(untagged)]
pub enum ItemValue {
    String(String),
    Integer(i64),
    Bool(bool),
}

/// `hash = { attribute = "pin_hash", of = "{number}:{secret}" }`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct HashConfig {
    pub attribute: String,
    pub of: String,
}

/// A DynamoDB attribute value, as the item is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Attribute {
    S(String),
    N(String),
    Bool(bool),
}

const NUMBER: &str = "{number}";
const SECRET: &str = "{secret}";

impl SecretConfig {
    /// The environment variable `deploy` reads the value from: `SWITCHBOARD_SECRET_OWNER_PIN`
    /// for `owner-pin`.
    pub fn env_var(id: &str) -> String {
        format!(
            "SWITCHBOARD_SECRET_{}",
            id.to_ascii_uppercase().replace('-', "_")
        )
    }

    /// What is wrong with this secret of a stack whose tables are `tables`: each problem as
    /// (field path under the secret, message).
    pub fn problems(&self, tables: &BTreeMap<String, TableConfig>) -> Vec<(Vec<String>, String)> {
        let mut out = Vec::new();
        let mut problem = |path: &[&str], message: String| {
            out.push((path.iter().map(|p| (*p).to_owned()).collect(), message))
        };
        if let Err(e) = regex::Regex::new(&format!("^(?:{})$", self.pattern)) {
            problem(&["pattern"], format!("not a regular expression: {e}"));
        }
        match tables.get(&self.table) {
            None => problem(
                &["table"],
                format!(
                    "the stack declares no table `{}`: declare it under [stack.<name>.tables] or name one of {:?}",
                    self.table,
                    tables.keys().collect::<Vec<_>>()
                ),
            ),
            Some(table) => {
                let keys = std::iter::once(&table.partition_key).chain(&table.sort_key);
                for key in keys {
                    let fits = match (self.item.get(&key.name), key.kind) {
                        (Some(ItemValue::String(_)), KeyType::S) => true,
                        (Some(ItemValue::Integer(_)), KeyType::N) => true,
                        _ => false,
                    };
                    if !fits {
                        problem(
                            &["item"],
                            format!(
                                "the item needs the table's key attribute `{}` as {} ({}), so deploy can tell whether the secret is set",
                                key.name,
                                key.kind.as_str(),
                                if key.kind == KeyType::S { "a string" } else { "an integer" }
                            ),
                        );
                    }
                }
            }
        }
        for (name, value) in &self.item {
            if let ItemValue::String(s) = value {
                if s.contains(SECRET) {
                    problem(
                        &["item", name],
                        "`{secret}` here would store the secret as it is: only hash.of may use it"
                            .into(),
                    );
                } else if let Some(bad) = unknown_placeholder(s, &[NUMBER]) {
                    problem(
                        &["item", name],
                        format!("`{bad}` is not a placeholder: only {{number}} is"),
                    );
                }
            }
        }
        if self.item.contains_key(&self.hash.attribute) {
            problem(
                &["hash", "attribute"],
                format!(
                    "`{}` is also an attribute of item: name the hash's attribute apart",
                    self.hash.attribute
                ),
            );
        }
        if !self.hash.of.contains(SECRET) {
            problem(
                &["hash", "of"],
                "hashes no secret: write {secret} in it, e.g. \"{number}:{secret}\"".into(),
            );
        } else if let Some(bad) = unknown_placeholder(&self.hash.of, &[NUMBER, SECRET]) {
            problem(
                &["hash", "of"],
                format!("`{bad}` is not a placeholder: only {{number}} and {{secret}} are"),
            );
        }
        out
    }

    /// Whether `value` is a value this secret accepts.
    pub fn accepts(&self, value: &str) -> bool {
        regex::Regex::new(&format!("^(?:{})$", self.pattern)).is_ok_and(|r| r.is_match(value))
    }

    /// The item's key in `table`, for the stack's `number`.
    pub fn key(&self, table: &TableConfig, number: &str) -> BTreeMap<String, Attribute> {
        std::iter::once(&table.partition_key)
            .chain(&table.sort_key)
            .filter_map(|k| {
                let v = self.item.get(&k.name)?;
                Some((k.name.clone(), attribute(v, number)))
            })
            .collect()
    }

    /// The whole item for the stack's `number` and the secret's `value`.
    pub fn item(&self, number: &str, value: &str) -> BTreeMap<String, Attribute> {
        let mut item: BTreeMap<String, Attribute> = self
            .item
            .iter()
            .map(|(k, v)| (k.clone(), attribute(v, number)))
            .collect();
        let hashed = self.hash.of.replace(NUMBER, number).replace(SECRET, value);
        item.insert(
            self.hash.attribute.clone(),
            Attribute::S(format!("{:x}", Sha256::digest(hashed.as_bytes()))),
        );
        item
    }
}

fn attribute(value: &ItemValue, number: &str) -> Attribute {
    match value {
        ItemValue::String(s) => Attribute::S(s.replace(NUMBER, number)),
        ItemValue::Integer(i) => Attribute::N(i.to_string()),
        ItemValue::Bool(b) => Attribute::Bool(*b),
    }
}

/// The first `{…}` in `text` that is none of `known`.
fn unknown_placeholder<'a>(text: &'a str, known: &[&str]) -> Option<&'a str> {
    let mut rest = text;
    while let Some(start) = rest.find('{') {
        let end = rest[start..]
            .find('}')
            .map_or(rest.len(), |e| start + e + 1);
        let candidate = &rest[start..end];
        if !known.contains(&candidate) {
            return Some(candidate);
        }
        rest = &rest[end..];
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::KeyAttribute;

    fn table() -> BTreeMap<String, TableConfig> {
        BTreeMap::from([(
            "Messages".to_owned(),
            TableConfig {
                partition_key: KeyAttribute {
                    name: "mailbox".into(),
                    kind: KeyType::S,
                },
                sort_key: Some(KeyAttribute {
                    name: "at".into(),
                    kind: KeyType::N,
                }),
                ttl: None,
            },
        )])
    }

    fn pin() -> SecretConfig {
        SecretConfig {
            what: "the owner's PIN".into(),
            pattern: "[0-9]{4,8}".into(),
            table: "Messages".into(),
            item: BTreeMap::from([
                ("mailbox".into(), ItemValue::String("{number}#owner".into())),
                ("at".into(), ItemValue::Integer(0)),
            ]),
            hash: HashConfig {
                attribute: "pin_hash".into(),
                of: "{number}:{secret}".into(),
            },
        }
    }

    #[test]
    fn the_item_holds_the_key_and_the_hash_never_the_value() {
        let s = pin();
        assert!(s.problems(&table()).is_empty());
        let item = s.item("+12125550100", "2468");
        assert_eq!(
            item,
            BTreeMap::from([
                ("mailbox".into(), Attribute::S("+12125550100#owner".into())),
                ("at".into(), Attribute::N("0".into())),
                (
                    "pin_hash".into(),
                    // printf '%s' '+12125550100:2468' | sha256sum
                    Attribute::S(
                        "50c94e8164cba9be3abb34a37e3a0a624f1eda7794c94b3712337efab392cf33".into()
                    )
                ),
            ])
        );
        assert_eq!(
            s.key(&table()["Messages"], "+1"),
            BTreeMap::from([
                ("mailbox".into(), Attribute::S("+1#owner".into())),
                ("at".into(), Attribute::N("0".into())),
            ])
        );
        assert!(s.accepts("2468") && s.accepts("12345678"));
        assert!(!s.accepts("246") && !s.accepts("2468x") && !s.accepts("x2468"));
        assert_eq!(
            SecretConfig::env_var("owner-pin"),
            "SWITCHBOARD_SECRET_OWNER_PIN"
        );
    }

    #[test]
    fn mistakes_are_named_with_the_fix() {
        let mut s = pin();
        s.pattern = "[0-9".into();
        s.item.remove("at");
        s.item
            .insert("clear".into(), ItemValue::String("{secret}".into()));
        s.item
            .insert("who".into(), ItemValue::String("{owner}".into()));
        s.hash.of = "{number}".into();
        let problems: Vec<String> = s
            .problems(&table())
            .into_iter()
            .map(|(path, m)| format!("{}: {m}", path.join(".")))
            .collect();
        assert_eq!(problems.len(), 5, "{problems:#?}");
        assert!(problems[0].starts_with("pattern: not a regular expression"));
        assert_eq!(problems[1], "item: the item needs the table's key attribute `at` as N (an integer), so deploy can tell whether the secret is set");
        assert_eq!(
            problems[2],
            "item.clear: `{secret}` here would store the secret as it is: only hash.of may use it"
        );
        assert_eq!(
            problems[3],
            "item.who: `{owner}` is not a placeholder: only {number} is"
        );
        assert_eq!(
            problems[4],
            "hash.of: hashes no secret: write {secret} in it, e.g. \"{number}:{secret}\""
        );
        let mut s = pin();
        s.table = "Nope".into();
        assert_eq!(s.problems(&table())[0].0, ["table"]);
    }
}
