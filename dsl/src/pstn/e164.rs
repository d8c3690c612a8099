//! [`E164`]: a phone number in E.164 form, the one type every phone number Switchboard reads is
//! parsed into (flow configuration, the router's number map, `pstn(…)` and `caller_id(…)`,
//! action validation). It is made only by [`E164::parse`], which applies
//! [`limits::is_e164`](super::limits::is_e164): `+`, 7 to 15 digits, the first not 0.
//! PSTN audio requires "a valid phone number in the E.164 format" wherever it takes one
//! (<https://docs.aws.amazon.com/chime-sdk/latest/dg/call-and-bridge.html>).

use super::limits;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::borrow::Borrow;
use std::fmt;
use std::ops::Deref;
use std::str::FromStr;

/// A phone number in E.164 form, e.g. `+12065550100`. Deserialising refuses anything else
/// with a message naming the value and the rule.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct E164(String);

/// A value that is not an E.164 phone number; says what to write instead.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{value:?} is not an E.164 phone number; {}", limits::e164_hint())]
pub struct NotE164 {
    /// The value as given.
    pub value: String,
}

impl E164 {
    /// `s` as an E.164 number, if it is one ([`limits::is_e164`]).
    pub fn parse(s: &str) -> Result<E164, NotE164> {
        if limits::is_e164(s) {
            Ok(E164(s.to_owned()))
        } else {
            Err(NotE164 {
                value: s.to_owned(),
            })
        }
    }

    /// The number as written, `+` included.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The number as a `String`.
    pub fn into_string(self) -> String {
        self.0
    }
}

impl FromStr for E164 {
    type Err = NotE164;
    fn from_str(s: &str) -> Result<Self, NotE164> {
        E164::parse(s)
    }
}

impl TryFrom<String> for E164 {
    type Error = NotE164;
    fn try_from(s: String) -> Result<Self, NotE164> {
        if limits::is_e164(&s) {
            Ok(E164(s))
        } else {
            Err(NotE164 { value: s })
        }
    }
}

impl From<E164> for String {
    fn from(n: E164) -> String {
        n.0
    }
}

impl Deref for E164 {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for E164 {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

/// Maps keyed by [`E164`] are looked up by `&str` (the derived order and equality are the
/// string's, as `Borrow` requires).
impl Borrow<str> for E164 {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for E164 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Serialize for E164 {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for E164 {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = String::deserialize(deserializer)?;
        E164::try_from(s).map_err(serde::de::Error::custom)
    }
}

impl crate::lang::val::ToVal for E164 {
    fn to_val(&self) -> crate::lang::val::Val {
        self.0.to_val()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_only_through_the_one_rule() {
        for ok in ["+6834002", "+12065550100", "+123456789012345"] {
            assert_eq!(E164::parse(ok).map(String::from), Ok(ok.to_owned()));
        }
        for bad in [
            "+683400",
            "+1234567890123456",
            "+0123456789",
            "12065550100",
            "+1 206",
        ] {
            assert_eq!(E164::parse(bad).is_ok(), limits::is_e164(bad), "{bad}");
            assert!(E164::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn deserialising_names_the_value_and_the_rule() {
        let e = serde_json::from_str::<E164>("\"+1 206 555 0100\"").unwrap_err();
        let text = e.to_string();
        assert!(
            text.contains("\"+1 206 555 0100\" is not an E.164 phone number"),
            "{text}"
        );
        assert!(text.contains("7 to 15 digits"), "{text}");
        let n: E164 = serde_json::from_str("\"+12065550100\"").unwrap();
        assert_eq!(serde_json::to_string(&n).unwrap(), "\"+12065550100\"");
    }

    #[test]
    fn maps_keyed_by_numbers_are_looked_up_by_str() {
        let m: std::collections::BTreeMap<E164, u8> =
            [(E164::parse("+12065550100").unwrap(), 1)].into();
        assert_eq!(m.get("+12065550100"), Some(&1));
    }
}
