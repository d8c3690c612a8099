//! Operations shared by the `States.*` intrinsics and Step Functions' JSONata functions
//! (`$partition` is `States.ArrayPartition`, `$range` is `States.ArrayRange`, `$hash` is
//! `States.Hash`), so both query languages compute them the same way.
//!
//! Each returns `Err(message)`; the caller wraps it in the error its language raises.

use md5::Md5;
use serde_json::{Number, Value};
use sha1::Sha1;
use sha2::{Digest, Sha256, Sha384, Sha512};

/// The most items `States.ArrayRange` may produce.
/// <https://docs.aws.amazon.com/step-functions/latest/dg/intrinsic-functions.html#asl-intrsc-func-arrays>
pub(crate) const MAX_RANGE_ITEMS: usize = 1000;
/// The longest string `States.Hash`, `States.Base64Encode` and `States.Base64Decode` accept.
pub(crate) const MAX_STRING_CHARS: usize = 10_000;

/// The algorithms `States.Hash` and `$hash` accept.
pub(crate) const HASH_ALGORITHMS: [&str; 5] = ["MD5", "SHA-1", "SHA-256", "SHA-384", "SHA-512"];

/// Lowercase hex digest of `data` with one of [`HASH_ALGORITHMS`].
pub(crate) fn hash(data: &str, algorithm: &str) -> Result<String, String> {
    if data.chars().count() > MAX_STRING_CHARS {
        return Err(format!(
            "the data to hash is longer than {MAX_STRING_CHARS} characters"
        ));
    }
    let bytes = data.as_bytes();
    let digest: Vec<u8> = match algorithm {
        "MD5" => Md5::digest(bytes).to_vec(),
        "SHA-1" => Sha1::digest(bytes).to_vec(),
        "SHA-256" => Sha256::digest(bytes).to_vec(),
        "SHA-384" => Sha384::digest(bytes).to_vec(),
        "SHA-512" => Sha512::digest(bytes).to_vec(),
        other => {
            return Err(format!(
                "unsupported hash algorithm '{other}'; expected one of {}",
                HASH_ALGORITHMS.join(", ")
            ))
        }
    };
    Ok(digest.iter().map(|b| format!("{b:02x}")).collect())
}

/// Split `items` into chunks of `size`; the last chunk may be shorter.
pub(crate) fn partition(items: &[Value], size: i64) -> Result<Value, String> {
    if size <= 0 {
        return Err(format!(
            "the chunk size must be a positive integer, got {size}"
        ));
    }
    Ok(Value::Array(
        items
            .chunks(size as usize)
            .map(|c| Value::Array(c.to_vec()))
            .collect(),
    ))
}

/// The integers from `start` to `end` inclusive, `step` apart (negative steps count down).
pub(crate) fn range(start: i64, end: i64, step: i64) -> Result<Value, String> {
    if step == 0 {
        return Err("the step must not be 0".into());
    }
    let mut out = Vec::new();
    let mut i = start;
    while (step > 0 && i <= end) || (step < 0 && i >= end) {
        if out.len() == MAX_RANGE_ITEMS {
            return Err(format!(
                "the range from {start} to {end} by {step} has more than {MAX_RANGE_ITEMS} items"
            ));
        }
        out.push(Value::from(i));
        i = match i.checked_add(step) {
            Some(n) => n,
            None => break,
        };
    }
    Ok(Value::Array(out))
}

/// The integer a JSON number holds exactly (`3` and `3.0`), or `None`.
pub(crate) fn as_integer(v: &Value) -> Option<i64> {
    let n = v.as_number()?;
    if let Some(i) = n.as_i64() {
        return Some(i);
    }
    let f = n.as_f64()?;
    (f.fract() == 0.0 && f.abs() < 9.007_199_254_740_992e15).then_some(f as i64)
}

/// A JSON number for `f`: an integer when it holds one, so `3` prints as `3`, not `3.0`.
pub(crate) fn number(f: f64) -> Option<Value> {
    if !f.is_finite() {
        return None;
    }
    if f.fract() == 0.0 && f.abs() < 9.007_199_254_740_992e15 {
        Some(Value::from(f as i64))
    } else {
        Number::from_f64(f).map(Value::Number)
    }
}

/// JSON equality where numbers compare by value (`1` equals `1.0`), as Step Functions compares.
pub(crate) fn json_eq(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => match (x.as_i64(), y.as_i64()) {
            (Some(x), Some(y)) => x == y,
            _ => x.as_f64() == y.as_f64(),
        },
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| json_eq(a, b))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| json_eq(v, w)))
        }
        _ => a == b,
    }
}

/// The JSON type name used in error messages.
pub(crate) fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// A value abbreviated for an error message.
pub(crate) fn preview(v: &Value) -> String {
    let s = v.to_string();
    if s.chars().count() > 200 {
        let cut: String = s.chars().take(200).collect();
        format!("{cut}…")
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn known_digests() {
        // RFC 1321 / FIPS 180 test vectors for "abc".
        assert_eq!(
            hash("abc", "MD5").unwrap(),
            "900150983cd24fb0d6963f7d28e17f72"
        );
        assert_eq!(
            hash("abc", "SHA-1").unwrap(),
            "a9993e364706816aba3e25717850c26c9cd0d89d"
        );
        assert!(hash("abc", "SHA-3").unwrap_err().contains("SHA-3"));
    }

    #[test]
    fn range_counts_both_ways_and_caps() {
        assert_eq!(range(1, 9, 2).unwrap(), json!([1, 3, 5, 7, 9]));
        assert_eq!(range(5, 1, -2).unwrap(), json!([5, 3, 1]));
        assert_eq!(range(1, 0, 1).unwrap(), json!([]));
        assert!(range(1, 1000, 1).is_ok());
        assert!(range(0, 1000, 1).is_err());
        assert!(range(0, 1, 0).is_err());
    }

    #[test]
    fn numbers_compare_by_value() {
        assert!(json_eq(&json!({"a": [1]}), &json!({"a": [1.0]})));
        assert!(!json_eq(&json!("1"), &json!(1)));
        assert_eq!(number(3.0), Some(json!(3)));
        assert_eq!(number(f64::NAN), None);
    }
}
