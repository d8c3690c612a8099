//! JSONata expressions as Step Functions evaluates them:
//! https://docs.aws.amazon.com/step-functions/latest/dg/transforming-data.html

use serde_json::{json, Value};
use switchboard_asl::errors;
use switchboard_sim::expr::{Bindings, Clock, JsonataEngine, Vars};

/// 2024-05-01T12:00:00Z
const NOON_UTC: i64 = 1_714_564_800_000;

fn vars(v: Value) -> Vars {
    match v {
        Value::Object(m) => m,
        _ => unreachable!("test variables are an object"),
    }
}

fn eval_with(
    text: &str,
    vars: &Vars,
    clock: &mut Clock,
) -> Result<Value, switchboard_sim::expr::EvalError> {
    let (input, context) = (json!({"n": 2}), json!({"Execution": {"Id": "exec-1"}}));
    JsonataEngine::new().eval(text, &Bindings::new(&input, &context, vars), clock)
}

fn eval(text: &str) -> Value {
    eval_with(text, &Vars::new(), &mut Clock::new(NOON_UTC, 1)).unwrap()
}

fn eval_err(text: &str) -> switchboard_sim::expr::EvalError {
    eval_with(text, &Vars::new(), &mut Clock::new(NOON_UTC, 1)).unwrap_err()
}

#[test]
fn partition_splits_into_chunks_last_shorter() {
    assert_eq!(
        eval("$partition([1,2,3,4,5,6,7,8,9], 3)"),
        json!([[1, 2, 3], [4, 5, 6], [7, 8, 9]])
    );
    assert_eq!(
        eval("$partition([1,2,3,4,5], 2)"),
        json!([[1, 2], [3, 4], [5]])
    );
    let e = eval_err("$partition([1,2], 0)");
    assert_eq!(e.error, errors::QUERY_EVALUATION_ERROR);
    assert!(e.cause.contains("$partition"), "{}", e.cause);
}

#[test]
fn range_is_inclusive_and_steps_both_ways() {
    assert_eq!(eval("$range(0, 10, 2)"), json!([0, 2, 4, 6, 8, 10]));
    assert_eq!(eval("$range(10, 0, -5)"), json!([10, 5, 0]));
    assert!(eval_err("$range(0, 10, 0)").cause.contains("step"));
}

#[test]
fn hash_matches_standard_vectors() {
    // FIPS 180-2 test vector for "abc".
    assert_eq!(
        eval("$hash('abc', 'SHA-256')"),
        json!("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    );
    assert_eq!(
        eval("$hash('abc', 'MD5')"),
        json!("900150983cd24fb0d6963f7d28e17f72")
    );
    assert_eq!(eval("$length($hash('abc', 'SHA-384'))"), json!(96));
    assert_eq!(eval("$length($hash('abc', 'SHA-512'))"), json!(128));
    assert!(eval_err("$hash('abc', 'CRC32')").cause.contains("CRC32"));
}

#[test]
fn random_is_seeded_by_the_clock_or_by_its_argument() {
    let v = Vars::new();
    let a = eval_with("[$random(), $random()]", &v, &mut Clock::new(0, 9)).unwrap();
    let b = eval_with("[$random(), $random()]", &v, &mut Clock::new(0, 9)).unwrap();
    assert_eq!(a, b, "same seed, same numbers");
    assert_ne!(a[0], a[1], "successive draws differ");
    for x in a.as_array().unwrap() {
        let x = x.as_f64().unwrap();
        assert!((0.0..1.0).contains(&x));
    }
    // A seeded call ignores the clock's generator.
    let s1 = eval_with("$random(42)", &v, &mut Clock::new(0, 1)).unwrap();
    let s2 = eval_with("$random(42)", &v, &mut Clock::new(0, 2)).unwrap();
    assert_eq!(s1, s2);
    // The clock's generator advances across evaluations.
    let mut clock = Clock::new(0, 5);
    let first = eval_with("$random()", &v, &mut clock).unwrap();
    let second = eval_with("$random()", &v, &mut clock).unwrap();
    assert_ne!(first, second);
}

#[test]
fn uuid_is_v4_and_reproducible() {
    let v = Vars::new();
    let a = eval_with("$uuid()", &v, &mut Clock::new(0, 3)).unwrap();
    let b = eval_with("$uuid()", &v, &mut Clock::new(0, 3)).unwrap();
    assert_eq!(a, b);
    let s = a.as_str().unwrap();
    assert_eq!(s.len(), 36);
    assert_eq!(&s[14..15], "4");
    let two = eval_with("[$uuid(), $uuid()]", &v, &mut Clock::new(0, 3)).unwrap();
    assert_ne!(two[0], two[1]);
}

#[test]
fn parse_reads_json_text_and_eval_is_unavailable() {
    assert_eq!(eval("$parse('{\"a\": [1, 2]}').a[1]"), json!(2));
    assert!(eval_err("$parse('{nope')").cause.contains("$parse"));
    assert!(eval_err("$eval('1 + 1')").cause.contains("$parse"));
}

#[test]
fn now_and_millis_read_the_simulated_clock() {
    assert_eq!(eval("$now()"), json!("2024-05-01T12:00:00.000Z"));
    assert_eq!(eval("$millis()"), json!(NOON_UTC));
    assert_eq!(eval("$toMillis($now()) = $millis()"), json!(true));
    assert_eq!(
        eval("$fromMillis($millis())"),
        json!("2024-05-01T12:00:00.000Z")
    );
    let mut clock = Clock::new(NOON_UTC, 0);
    clock.advance_millis(90_000);
    assert_eq!(
        eval_with("$now()", &Vars::new(), &mut clock).unwrap(),
        json!("2024-05-01T12:01:30.000Z")
    );
}

#[test]
fn now_with_picture_and_offset() {
    assert_eq!(
        eval("$now('[Y0001]-[M01]-[D01]T[H01]:[m01]:[s01]', '-0400')"),
        json!("2024-05-01T08:00:00")
    );
    assert_eq!(eval("$now('[H01]:[m01]')"), json!("12:00"));
    assert_eq!(eval("$now('[H01]:[m01]', '+0530')"), json!("17:30"));
    assert_eq!(eval("$string($number($now('[Y0001]')) + 1)"), json!("2025"));
    // A timezone without a picture applies to the ISO 8601 default.
    assert_eq!(
        eval("$now(undefined, '-0400')"),
        json!("2024-05-01T08:00:00.000-04:00")
    );
}

/// JSONata 2.0.6, which Step Functions runs, reads the timezone with JavaScript's `parseInt`:
/// an IANA zone name is NaN and every field of the result is "NaN" (jsonata-js
/// `src/datetime.js`, `formatDateTime`; checked against the npm package by
/// `jsonata_differential.rs`). Not a plausible local time, and not an error either.
#[test]
fn an_iana_zone_name_gives_nan_fields_as_in_step_functions() {
    assert_eq!(
        eval("$now('[H01]:[m01]', 'America/New_York')"),
        json!("NaN:NaN")
    );
    assert_eq!(
        eval("$fromMillis($millis(), '[H01]:[m01]', 'Asia/Kolkata')"),
        json!("NaN:NaN")
    );
    assert_eq!(
        eval("$now(undefined, 'Europe/Paris')"),
        json!("0NaN-NaN-NaNTNaN:NaN:NaN.NaN0N:aN")
    );
    assert_eq!(
        eval("$fromMillis($millis(), '[FNn] [D1o] [MNn]', 'Nowhere/Land')"),
        json!("undefined NaNth undefined")
    );
    // A lower-case day name of undefined throws in JavaScript.
    let e = eval_err("$now('[F]', 'Europe/Paris')");
    assert_eq!(e.error, errors::QUERY_EVALUATION_ERROR);
    assert!(e.cause.contains("TypeError"), "{}", e.cause);
}

/// The `InBusiness` expression of the reference workflow's "Compute In Business" state,
/// copied verbatim from shared/reference/business-phone-number-proxy.asl.json.
const IN_BUSINESS: &str = "(\n( $toMillis($now(\"[Y0001]-[M01]-[D01]T[H01]:[m01]:[s01]\",$BusinessInfo.WorkingHours.UTCOffset)) > $toMillis($now(\"[Y0001]-[M01]-[D01]\",$BusinessInfo.WorkingHours.UTCOffset) & \"T\" & $BusinessInfo.WorkingHours.StartTimeUTC) ) \nand \n( $toMillis($now(\"[Y0001]-[M01]-[D01]T[H01]:[m01]:[s01]\",$BusinessInfo.WorkingHours.UTCOffset)) < $toMillis($now(\"[Y0001]-[M01]-[D01]\",$BusinessInfo.WorkingHours.UTCOffset) & \"T\" & $BusinessInfo.WorkingHours.EndTimeUTC) ) \n) ? true : false";

#[test]
fn reference_in_business_expression_at_the_edges_of_the_day() {
    let v = vars(json!({"BusinessInfo": {"WorkingHours": {
        "StartTimeUTC": "08:00:00", "EndTimeUTC": "18:00:00", "UTCOffset": "-0400"}}}));
    let engine = JsonataEngine::new();
    let (input, context) = (json!({}), json!({}));
    let b = Bindings::new(&input, &context, &v);
    // Local times at -04:00 on 2024-05-01, as UTC instants.
    for (utc, expected) in [
        ("2024-05-01T11:59:00Z", false), // 07:59 local
        ("2024-05-01T12:00:01Z", true),  // 08:00:01
        ("2024-05-01T21:59:00Z", true),  // 17:59
        ("2024-05-01T22:00:01Z", false), // 18:00:01
    ] {
        let mut clock = Clock::at(utc, 0).unwrap();
        let text = format!("{{% {IN_BUSINESS} %}}");
        let got = engine
            .eval_template(&json!({"InBusiness": text}), &b, &mut clock)
            .unwrap();
        assert_eq!(got, json!({"InBusiness": expected}), "at {utc}");
    }
    assert_eq!(engine.cached(), 1, "one expression, parsed once");
}

#[test]
fn states_binding_and_variables() {
    let engine = JsonataEngine::new();
    let (input, context, result, err) = (
        json!({"digits": "5551234"}),
        json!({"Task": {"Token": "tok"}}),
        json!({"ok": true}),
        json!({"Error": "HANGUP"}),
    );
    let v = vars(json!({"prefix": "+1"}));
    let b = Bindings::new(&input, &context, &v)
        .with_result(&result)
        .with_error_output(&err);
    let mut clock = Clock::new(0, 0);
    let got = engine
        .eval(
            "[$prefix & $states.input.digits, $states.context.Task.Token, $states.result.ok, $states.errorOutput.Error]",
            &b,
            &mut clock,
        )
        .unwrap();
    assert_eq!(got, json!(["+15551234", "tok", true, "HANGUP"]));
}

#[test]
fn template_replaces_only_whole_expression_strings_at_any_depth() {
    let engine = JsonataEngine::new();
    let (input, context) = (json!({"name": "Ana", "n": 3}), json!({}));
    let v = Vars::new();
    let b = Bindings::new(&input, &context, &v);
    let template = json!({
        "Greeting": "{% 'Hi ' & $states.input.name %}",
        "Literal": "$states.input.name",
        "NotQuite": " {% 1 %}",
        "Nested": {"Twice": "{% $states.input.n * 2 %}", "List": ["{% [1, 2] %}", 7, null, "{%true%}"]},
        "Number": 4
    });
    let got = engine
        .eval_template(&template, &b, &mut Clock::new(0, 0))
        .unwrap();
    assert_eq!(
        got,
        json!({
            "Greeting": "Hi Ana",
            "Literal": "$states.input.name",
            "NotQuite": " {% 1 %}",
            "Nested": {"Twice": 6, "List": [[1, 2], 7, null, true]},
            "Number": 4
        })
    );
}

#[test]
fn undefined_result_is_a_query_evaluation_error_naming_the_field() {
    // Real Step Functions fails the state rather than dropping the field:
    // https://github.com/floci-io/floci/issues/2665
    let engine = JsonataEngine::new();
    let (input, context) = (json!({}), json!({}));
    let v = Vars::new();
    let b = Bindings::new(&input, &context, &v);
    let mut clock = Clock::new(0, 0);
    let e = engine
        .eval_template_in(
            "Output",
            &json!({"v": "{% $states.input.missing %}"}),
            &b,
            &mut clock,
        )
        .unwrap_err();
    assert_eq!(e.error, errors::QUERY_EVALUATION_ERROR);
    assert!(
        e.cause.contains("'Output/v'") && e.cause.contains("$states.input.missing"),
        "{}",
        e.cause
    );
    let e = engine
        .eval_template_in(
            "Arguments",
            &json!({"a": [1, "{% $nope %}"]}),
            &b,
            &mut clock,
        )
        .unwrap_err();
    assert!(e.cause.contains("'Arguments/a[1]'"), "{}", e.cause);
    assert_eq!(
        engine
            .eval_optional("$states.input.missing", &b, &mut clock)
            .unwrap(),
        None
    );
}

#[test]
fn conditions_must_be_boolean() {
    let engine = JsonataEngine::new();
    let (input, context) = (json!({"n": 5}), json!({}));
    let v = Vars::new();
    let b = Bindings::new(&input, &context, &v);
    let mut clock = Clock::new(0, 0);
    assert!(engine
        .eval_condition("{% $states.input.n > 3 %}", &b, &mut clock)
        .unwrap());
    assert!(!engine
        .eval_condition("$states.input.n > 9", &b, &mut clock)
        .unwrap());
    let e = engine
        .eval_condition("{% $states.input.n %}", &b, &mut clock)
        .unwrap_err();
    assert_eq!(e.error, errors::QUERY_EVALUATION_ERROR);
}

#[test]
fn syntax_and_type_errors_are_query_evaluation_errors() {
    let e = eval_err("1 +");
    assert_eq!(e.error, errors::QUERY_EVALUATION_ERROR);
    assert!(e.cause.contains("1 +"));
    let e = eval_err("'a' + 1");
    assert_eq!(e.error, errors::QUERY_EVALUATION_ERROR);
    let e = eval_err("function($x) { $x }");
    assert!(e.cause.contains("function"), "{}", e.cause);
}

#[test]
fn numbers_come_back_as_integers_when_integral() {
    assert_eq!(eval("6 / 2").to_string(), "3");
    assert_eq!(eval("7 / 2").to_string(), "3.5");
    assert_eq!(eval("'+1' & $string(5551234)"), json!("+15551234"));
}
