//! The functions Step Functions adds to JSONata, and the clock-driven built-ins it replaces.
//!
//! <https://docs.aws.amazon.com/step-functions/latest/dg/transforming-data.html#jsonata-functions-provided-by-sfn>
//! lists `$partition`, `$range`, `$hash`, `$random`, `$uuid` and `$parse`. `$now` and `$millis`
//! are JSONata's own, read here from the simulated clock; `$now(picture, timezone)` formats
//! that instant like `$fromMillis` does. Both read a timezone as JSONata 2.0.6 does (see
//! [`datetime`]): a `±HHMM` offset works, an IANA zone name gives `NaN` fields.

use std::cell::Cell;
use std::rc::Rc;

use jsonata_core::evaluator::{Evaluator, EvaluatorError};
use jsonata_core::value::JValue;
use jsonata_core::Expression;
use serde_json::Value;

use super::convert::{from_json, to_json};
use super::datetime;
use crate::expr::clock::{seeded_f64, Clock};
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

/// `$fromMillis(millis, picture, timezone)` as Step Functions' JSONata gives it: a timezone
/// that is not a number formats every field as `NaN` (see [`datetime`]); anything else is
/// jsonata-core's own `$fromMillis`, evaluated through `builtin`.
fn from_millis(
    builtin: &Expression,
    function: &str,
    millis: &JValue,
    picture: Option<&JValue>,
    timezone: Option<&JValue>,
) -> Result<JValue, EvaluatorError> {
    let picture = match picture {
        None => None,
        Some(p) => Some(
            p.as_str()
                .ok_or_else(|| fail(function, "argument 2 (picture) must be a string"))?,
        ),
    };
    let timezone = match timezone {
        None => None,
        Some(t) => Some(
            t.as_str()
                .ok_or_else(|| fail(function, "argument 3 (timezone) must be a string"))?,
        ),
    };
    let zone = match millis.as_f64() {
        Some(ms) => datetime::zone(ms, timezone),
        // Undefined gives undefined and anything else an error: jsonata-core says which.
        None => datetime::Zone::Offset(timezone.map(str::to_owned)),
    };
    let timezone = match zone {
        datetime::Zone::NaN => {
            return datetime::nan_picture(picture)
                .map(JValue::string)
                .map_err(|m| fail(function, m))
        }
        datetime::Zone::Offset(tz) => tz,
    };
    let mut data = serde_json::Map::new();
    if let Some(ms) = to_json(millis).map_err(|m| fail(function, m))? {
        data.insert("millis".into(), ms);
    }
    if let Some(p) = picture {
        data.insert("picture".into(), Value::from(p));
    }
    if let Some(tz) = timezone {
        data.insert("timezone".into(), Value::from(tz));
    }
    builtin
        .evaluate(&from_json(&Value::Object(data)))
        .map_err(|e| fail(function, e.message()))
}

/// Register every function on a fresh evaluator.
pub(crate) fn register(
    ev: &mut Evaluator,
    state: &Shared,
    from_millis_builtin: &Rc<Expression>,
) -> Result<(), EvaluatorError> {
    let s = state.clone();
    let fmt = from_millis_builtin.clone();
    ev.register_fn_override("now", move |args: &[JValue]| {
        let now = JValue::Number(s.get().now_ms as f64);
        from_millis(&fmt, "now", &now, arg(args, 0), arg(args, 1))
    })?;

    let fmt = from_millis_builtin.clone();
    ev.register_fn_override("fromMillis", move |args: &[JValue]| match arg(args, 0) {
        Some(millis) => from_millis(&fmt, "fromMillis", millis, arg(args, 1), arg(args, 2)),
        None => Ok(JValue::Undefined),
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
