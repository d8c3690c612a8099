//! The functions Step Functions adds to JSONata, and the clock-driven built-ins it replaces.
//!
//! <https://docs.aws.amazon.com/step-functions/latest/dg/transforming-data.html#jsonata-functions-provided-by-sfn>
//! lists `$partition`, `$range`, `$hash`, `$random`, `$uuid` and `$parse`. `$now` and `$millis`
//! are JSONata's own, read here from the simulated clock; `$now(picture, timezone)` formats
//! that instant like `$fromMillis` does, and also accepts an IANA zone name.

use std::cell::Cell;
use std::rc::Rc;

use chrono::{DateTime, Offset, TimeZone};
use jsonata_core::evaluator::{Evaluator, EvaluatorError};
use jsonata_core::value::JValue;
use jsonata_core::Expression;
use serde_json::Value;

use super::convert::{from_json, to_json};
use crate::expr::clock::{iso_millis, seeded_f64, Clock};
use crate::expr::sfn;

/// What the functions read from the simulator during one evaluation: the instant (fixed for
/// the whole evaluation, as JSONata specifies for `$now`) and the generator's state.
#[derive(Debug, Clone, Copy)]
pub(crate) struct FnState {
    pub(crate) now_ms: i64,
    pub(crate) rng: u64,
}

impl FnState {
    fn next_u64(&mut self) -> u64 {
        let mut c = Clock::new(self.now_ms, self.rng);
        let v = c.next_u64();
        self.rng = c.rng_state();
        v
    }
}

type Shared = Rc<Cell<FnState>>;

fn fail(function: &str, message: impl std::fmt::Display) -> EvaluatorError {
    EvaluatorError::EvaluationError(format!("${function}: {message}"))
}

/// The `i`th argument, `None` when absent or undefined.
fn arg(args: &[JValue], i: usize) -> Option<&JValue> {
    args.get(i).filter(|v| !v.is_undefined())
}

fn string_arg<'a>(
    f: &str,
    args: &'a [JValue],
    i: usize,
    name: &str,
) -> Result<&'a str, EvaluatorError> {
    arg(args, i)
        .and_then(|v| v.as_str())
        .ok_or_else(|| fail(f, format!("argument {} ({name}) must be a string", i + 1)))
}

fn int_arg(f: &str, args: &[JValue], i: usize, name: &str) -> Result<i64, EvaluatorError> {
    arg(args, i)
        .and_then(|v| v.as_f64())
        .filter(|n| n.fract() == 0.0 && n.abs() < 9.007_199_254_740_992e15)
        .map(|n| n as i64)
        .ok_or_else(|| fail(f, format!("argument {} ({name}) must be an integer", i + 1)))
}

/// Validate a `±HHMM` offset or turn an IANA zone name into the offset it has at `at_ms`.
pub(crate) fn offset_for(timezone: &str, at_ms: i64) -> Result<String, String> {
    let b = timezone.as_bytes();
    if b.len() == 5 && (b[0] == b'+' || b[0] == b'-') && b[1..].iter().all(u8::is_ascii_digit) {
        let hours: u32 = timezone[1..3].parse().unwrap_or(99);
        let minutes: u32 = timezone[3..5].parse().unwrap_or(99);
        if hours <= 14 && minutes < 60 {
            return Ok(timezone.to_string());
        }
        return Err(format!("timezone offset '{timezone}' is out of range"));
    }
    let tz: chrono_tz::Tz = timezone.parse().map_err(|_| {
        format!("timezone '{timezone}' is neither a ±HHMM offset nor an IANA zone name")
    })?;
    let utc = DateTime::from_timestamp_millis(at_ms)
        .ok_or_else(|| format!("instant {at_ms} is out of range"))?;
    let secs = tz
        .offset_from_utc_datetime(&utc.naive_utc())
        .fix()
        .local_minus_utc();
    let sign = if secs < 0 { '-' } else { '+' };
    let m = secs.unsigned_abs() / 60;
    Ok(format!("{sign}{:02}{:02}", m / 60, m % 60))
}

/// Register every function on a fresh evaluator.
pub(crate) fn register(
    ev: &mut Evaluator,
    state: &Shared,
    from_millis: &Rc<Expression>,
) -> Result<(), EvaluatorError> {
    let s = state.clone();
    let fmt = from_millis.clone();
    ev.register_fn_override("now", move |args: &[JValue]| {
        let now = s.get().now_ms;
        let Some(picture) = arg(args, 0) else {
            return Ok(JValue::string(iso_millis(now)));
        };
        let picture = picture
            .as_str()
            .ok_or_else(|| fail("now", "argument 1 (picture) must be a string"))?;
        let mut data = serde_json::Map::new();
        data.insert("millis".into(), Value::from(now));
        data.insert("picture".into(), Value::from(picture));
        if let Some(tz) = arg(args, 1) {
            let tz = tz
                .as_str()
                .ok_or_else(|| fail("now", "argument 2 (timezone) must be a string"))?;
            let offset = offset_for(tz, now).map_err(|m| fail("now", m))?;
            data.insert("timezone".into(), Value::from(offset));
        }
        fmt.evaluate(&from_json(&Value::Object(data)))
            .map_err(|e| fail("now", e.message()))
    })?;

    let s = state.clone();
    ev.register_fn_override("millis", move |_: &[JValue]| {
        Ok(JValue::Number(s.get().now_ms as f64))
    })?;

    let s = state.clone();
    ev.register_fn_override("random", move |args: &[JValue]| {
        let x = match arg(args, 0) {
            None => {
                let mut st = s.get();
                let bits = st.next_u64();
                s.set(st);
                (bits >> 11) as f64 / (1u64 << 53) as f64
            }
            Some(seed) => {
                let seed = seed
                    .as_f64()
                    .ok_or_else(|| fail("random", "argument 1 (seed) must be a number"))?;
                let bits = if seed.fract() == 0.0 {
                    seed as i64 as u64
                } else {
                    seed.to_bits()
                };
                seeded_f64(bits)
            }
        };
        Ok(JValue::Number(x))
    })?;

    let s = state.clone();
    ev.register_fn("uuid", move |_: &[JValue]| {
        let mut st = s.get();
        let mut c = Clock::new(st.now_ms, st.rng);
        let u = c.uuid_v4();
        st.rng = c.rng_state();
        s.set(st);
        Ok(JValue::string(u))
    })?;

    ev.register_fn("partition", |args: &[JValue]| {
        let items = match arg(args, 0).map(to_json) {
            Some(Ok(Some(Value::Array(items)))) => items,
            Some(Err(m)) => return Err(fail("partition", m)),
            _ => return Err(fail("partition", "argument 1 (array) must be an array")),
        };
        let size = int_arg("partition", args, 1, "chunk size")?;
        let chunks = sfn::partition(&items, size).map_err(|m| fail("partition", m))?;
        Ok(from_json(&chunks))
    })?;

    ev.register_fn("range", |args: &[JValue]| {
        let start = int_arg("range", args, 0, "start")?;
        let end = int_arg("range", args, 1, "end")?;
        let step = int_arg("range", args, 2, "step")?;
        let items = sfn::range(start, end, step).map_err(|m| fail("range", m))?;
        Ok(from_json(&items))
    })?;

    ev.register_fn("hash", |args: &[JValue]| {
        let data = string_arg("hash", args, 0, "data")?;
        let algorithm = string_arg("hash", args, 1, "algorithm")?;
        let digest = sfn::hash(data, algorithm).map_err(|m| fail("hash", m))?;
        Ok(JValue::string(digest))
    })?;

    ev.register_fn("parse", |args: &[JValue]| {
        let text = string_arg("parse", args, 0, "JSON string")?;
        let v: Value = serde_json::from_str(text)
            .map_err(|e| fail("parse", format!("argument 1 is not JSON: {e}")))?;
        Ok(from_json(&v))
    })?;

    // Step Functions does not offer $eval; $parse replaces it.
    ev.register_fn_override("eval", |_: &[JValue]| {
        Err(fail(
            "eval",
            "is not available in Step Functions; use $parse",
        ))
    })?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::offset_for;

    #[test]
    fn offsets_and_zones() {
        assert_eq!(offset_for("-0400", 0).unwrap(), "-0400");
        assert!(offset_for("+2500", 0).is_err());
        // 2024-07-01T12:00:00Z: New York is on daylight time, -04:00.
        assert_eq!(
            offset_for("America/New_York", 1_719_835_200_000).unwrap(),
            "-0400"
        );
        // 2024-01-15T12:00:00Z: standard time, -05:00.
        assert_eq!(
            offset_for("America/New_York", 1_705_320_000_000).unwrap(),
            "-0500"
        );
        assert_eq!(offset_for("Asia/Kolkata", 0).unwrap(), "+0530");
        assert!(offset_for("Mars/Olympus", 0).is_err());
    }
}
