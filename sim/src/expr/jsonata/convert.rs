//! Conversions between `serde_json::Value` and jsonata-core's `JValue`.

use jsonata_core::value::JValue;
use serde_json::Value;

use crate::expr::sfn;

/// The JSON a JSONata value stands for; `Ok(None)` for undefined.
///
/// Integral numbers become JSON integers (`3`, not `3.0`), undefined members of objects and
/// arrays are dropped (JSONata never puts them in its own values), and a function, a regex,
/// NaN or an infinity is an error: JSON cannot hold them.
pub(crate) fn to_json(v: &JValue) -> Result<Option<Value>, String> {
    Ok(Some(match v {
        JValue::Undefined => return Ok(None),
        JValue::Null => Value::Null,
        JValue::Bool(b) => Value::Bool(*b),
        JValue::Number(n) => match sfn::number(*n) {
            Some(v) => v,
            None => return Err(format!("the number {n} cannot be represented in JSON")),
        },
        JValue::String(s) => Value::String(s.to_string()),
        JValue::Array(items) => {
            let mut out = Vec::with_capacity(items.len());
            for item in items.iter() {
                if let Some(j) = to_json(item)? {
                    out.push(j);
                }
            }
            Value::Array(out)
        }
        JValue::Object(map) => {
            let mut out = serde_json::Map::with_capacity(map.len());
            for (k, item) in map.iter() {
                if let Some(j) = to_json(item)? {
                    out.insert(k.clone(), j);
                }
            }
            Value::Object(out)
        }
        _ => return Err("a function or regex value cannot be represented in JSON".into()),
    }))
}

/// The JSONata value for a JSON value.
pub(crate) fn from_json(v: &Value) -> JValue {
    JValue::from(v.clone())
}
