//! [`Int`]: an integer parameter as PSTN audio accepts it on the wire.
//!
//! The service accepts integers both as JSON numbers and as numeric strings: its own examples
//! write `"Repeat": "5"`, `"DurationInSeconds": "10"` and `"SipResponseCode": "0"` next to
//! `"CallTimeoutSeconds": 30` (<https://docs.aws.amazon.com/chime-sdk/latest/dg/play-audio.html>,
//! <https://docs.aws.amazon.com/chime-sdk/latest/dg/record-audio.html>). [`Int`] keeps the form it
//! was read in, so a round trip is exact. Values built in Rust ([`Int::new`], `From<i64>`) are
//! emitted as JSON numbers. A JSONata template string (`"{% ... %}"`) is kept as
//! [`Int::Template`] and skipped by value checks.

use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// An integer parameter: a JSON number, a numeric string, or a JSONata template.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Int {
    /// Written as a JSON number (what Rust-built values emit).
    Number(i64),
    /// Written as a numeric string, e.g. `"30"`.
    Text(i64),
    /// A JSONata template (`{% ... %}`) evaluated by Step Functions.
    Template(String),
}

impl Int {
    /// A value emitted as a JSON number.
    pub fn new(value: i64) -> Self {
        Int::Number(value)
    }

    /// A value emitted as a numeric string, as the documentation's examples do.
    pub fn quoted(value: i64) -> Self {
        Int::Text(value)
    }

    /// The value, unless it is only known at run time.
    pub fn value(&self) -> Option<i64> {
        match self {
            Int::Number(v) | Int::Text(v) => Some(*v),
            Int::Template(_) => None,
        }
    }
}

impl From<i64> for Int {
    fn from(value: i64) -> Self {
        Int::Number(value)
    }
}

impl fmt::Display for Int {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Int::Number(v) | Int::Text(v) => write!(f, "{v}"),
            Int::Template(t) => f.write_str(t),
        }
    }
}

impl Serialize for Int {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Int::Number(v) => serializer.serialize_i64(*v),
            Int::Text(v) => serializer.collect_str(v),
            Int::Template(t) => serializer.serialize_str(t),
        }
    }
}

struct IntVisitor;

impl Visitor<'_> for IntVisitor {
    type Value = Int;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an integer, a numeric string such as \"30\", or a JSONata template")
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Int, E> {
        Ok(Int::Number(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Int, E> {
        i64::try_from(v)
            .map(Int::Number)
            .map_err(|_| E::custom(format!("integer {v} is too large; use a value below 2^63")))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Int, E> {
        Err(E::custom(format!(
            "expected a whole number, got {v}; write it without a fractional part"
        )))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Int, E> {
        if let Ok(n) = v.parse::<i64>() {
            Ok(Int::Text(n))
        } else if crate::pstn::limits::is_jsonata_template(v) {
            Ok(Int::Template(v.to_owned()))
        } else {
            Err(E::custom(format!(
                "expected an integer or a numeric string, got {v:?}; write digits only, e.g. \"30\""
            )))
        }
    }
}

impl<'de> Deserialize<'de> for Int {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(IntVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn keeps_wire_form() {
        for v in [json!(30), json!("30"), json!("{% $x %}")] {
            let i: Int = serde_json::from_value(v.clone()).unwrap();
            assert_eq!(serde_json::to_value(&i).unwrap(), v);
        }
        assert_eq!(
            serde_json::from_value::<Int>(json!("7")).unwrap().value(),
            Some(7)
        );
    }

    #[test]
    fn rejects_non_integers_with_a_hint() {
        let e = serde_json::from_value::<Int>(json!("thirty"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("numeric string"), "{e}");
        assert!(serde_json::from_value::<Int>(json!(1.5)).is_err());
    }
}
