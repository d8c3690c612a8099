//! `States.*` intrinsics, each with the example of
//! https://docs.aws.amazon.com/step-functions/latest/dg/intrinsic-functions.html
//! and an error case.

use serde_json::{json, Value};
use switchboard_asl::errors;
use switchboard_sim::expr::intrinsics::{eval_str, parse};
use switchboard_sim::expr::{Clock, EvalError, Scope, Vars};

fn run_with(text: &str, input: Value, clock: &mut Clock) -> Result<Value, EvalError> {
    let context = json!({"Execution": {"Id": "arn:exec"}});
    let mut vars = Vars::new();
    vars.insert("greeting".into(), json!({"word": "Hello"}));
    eval_str(text, &Scope::new(&input, &context, &vars), clock)
}

fn run(text: &str, input: Value) -> Value {
    run_with(text, input, &mut Clock::new(0, 1)).unwrap_or_else(|e| panic!("{text}: {e}"))
}

fn fails(text: &str, input: Value) -> EvalError {
    match run_with(text, input, &mut Clock::new(0, 1)) {
        Ok(v) => panic!("{text} should fail, gave {v}"),
        Err(e) => e,
    }
}

fn intrinsic_failure(text: &str, input: Value, mentions: &str) {
    let e = fails(text, input);
    assert_eq!(e.error, errors::INTRINSIC_FAILURE, "{text}: {e}");
    assert!(
        e.cause.contains(mentions),
        "{text}: '{}' should mention '{mentions}'",
        e.cause
    );
}

#[test]
fn format_from_literal_or_path_template() {
    let input = json!({"name": "Arnav", "template": "Hello, my name is {}."});
    assert_eq!(
        run(
            "States.Format('Hello, my name is {}.', $.name)",
            input.clone()
        ),
        json!("Hello, my name is Arnav.")
    );
    assert_eq!(
        run("States.Format($.template, $.name)", input),
        json!("Hello, my name is Arnav.")
    );
    assert_eq!(
        run(
            "States.Format('{} {} {} {}', 1, true, null, $greeting.word)",
            json!({})
        ),
        json!("1 true null Hello")
    );
    intrinsic_failure("States.Format('{} {}', 1)", json!({}), "States.Format");
    intrinsic_failure(
        "States.Format('{}', $.o)",
        json!({"o": {"a": 1}}),
        "argument 2",
    );
}

#[test]
fn escapes_of_reserved_characters() {
    // JSON "States.Format('a \\{\\} {} \\'q\\' \\\\', $.x)" is this text:
    let text = r"States.Format('a \{\} {} \'q\' \\', $.x)";
    assert_eq!(run(text, json!({"x": "X"})), json!(r"a {} X 'q' \"));
    intrinsic_failure(r"States.Format('bad \n', $.x)", json!({"x": 1}), "escape");
    intrinsic_failure("States.Format('lone { brace')", json!({}), "'{'");
}

#[test]
fn string_to_json_and_back() {
    let input = json!({"escapedJsonString": "{\"foo\": \"bar\"}", "unescapedJson": {"foo": "bar"}});
    assert_eq!(
        run("States.StringToJson($.escapedJsonString)", input.clone()),
        json!({"foo": "bar"})
    );
    assert_eq!(
        run("States.JsonToString($.unescapedJson)", input),
        json!("{\"foo\":\"bar\"}")
    );
    intrinsic_failure(r"States.StringToJson('\{nope')", json!({}), "not JSON");
}

#[test]
fn array_functions() {
    let nine = json!({"inputArray": [1, 2, 3, 4, 5, 6, 7, 8, 9], "lookingFor": 5, "index": 5});
    assert_eq!(
        run("States.Array($.inputArray[0])", nine.clone()),
        json!([1])
    );
    assert_eq!(run("States.Array()", json!({})), json!([]));
    assert_eq!(
        run("States.ArrayPartition($.inputArray, 4)", nine.clone()),
        json!([[1, 2, 3, 4], [5, 6, 7, 8], [9]])
    );
    assert_eq!(
        run(
            "States.ArrayContains($.inputArray, $.lookingFor)",
            nine.clone()
        ),
        json!(true)
    );
    assert_eq!(
        run("States.ArrayContains($.inputArray, 10)", nine.clone()),
        json!(false)
    );
    assert_eq!(
        run("States.ArrayRange(1, 9, 2)", json!({})),
        json!([1, 3, 5, 7, 9])
    );
    assert_eq!(
        run("States.ArrayGetItem($.inputArray, $.index)", nine.clone()),
        json!(6)
    );
    assert_eq!(
        run("States.ArrayLength($.inputArray)", nine.clone()),
        json!(9)
    );
    assert_eq!(
        run(
            "States.ArrayUnique($.a)",
            json!({"a": [1, 2, 3, 3, 3, 3, 3, 3, 4]})
        ),
        json!([1, 2, 3, 4])
    );
    intrinsic_failure(
        "States.ArrayPartition($.inputArray, 0)",
        nine.clone(),
        "chunk size",
    );
    intrinsic_failure("States.ArrayRange(0, 1000, 1)", json!({}), "1000");
    intrinsic_failure("States.ArrayRange(1, 2, 0)", json!({}), "step");
    intrinsic_failure(
        "States.ArrayGetItem($.inputArray, 9)",
        nine.clone(),
        "out of bounds",
    );
    intrinsic_failure("States.ArrayLength($.lookingFor)", nine, "an array");
}

#[test]
fn base64_round_trip() {
    assert_eq!(
        run("States.Base64Encode($.d)", json!({"d": "Data to encode"})),
        json!("RGF0YSB0byBlbmNvZGU=")
    );
    assert_eq!(
        run(
            "States.Base64Decode($.d)",
            json!({"d": "RGF0YSB0byBlbmNvZGU="})
        ),
        json!("Data to encode")
    );
    intrinsic_failure("States.Base64Decode('***')", json!({}), "Base64");
    let long = "x".repeat(10_001);
    intrinsic_failure("States.Base64Encode($.d)", json!({"d": long}), "10000");
}

#[test]
fn hash_with_every_algorithm() {
    let input = json!({"Data": "input data", "Algorithm": "SHA-1"});
    // Expected digest computed independently (Python hashlib.sha1(b"input data")).
    assert_eq!(
        run("States.Hash($.Data, $.Algorithm)", input),
        json!("aaff4a450a104cd177d28d18d74485e8cae074b7")
    );
    for (alg, hex_len) in [
        ("MD5", 32),
        ("SHA-1", 40),
        ("SHA-256", 64),
        ("SHA-384", 96),
        ("SHA-512", 128),
    ] {
        let h = run(&format!("States.Hash('x', '{alg}')"), json!({}));
        assert_eq!(h.as_str().unwrap().len(), hex_len, "{alg}");
    }
    intrinsic_failure("States.Hash('x', 'SHA-3')", json!({}), "SHA-3");
}

#[test]
fn json_merge_is_shallow() {
    let input = json!({"json1": {"a": {"a1": 1, "a2": 2}, "b": 2}, "json2": {"a": {"a3": 1, "a4": 2}, "c": 3}});
    assert_eq!(
        run("States.JsonMerge($.json1, $.json2, false)", input.clone()),
        json!({"a": {"a3": 1, "a4": 2}, "b": 2, "c": 3})
    );
    intrinsic_failure(
        "States.JsonMerge($.json1, $.json2, true)",
        input,
        "deep merge",
    );
}

#[test]
fn math_random_is_in_range_and_seedable() {
    let input = json!({"start": 1, "end": 999});
    for seed in 0..50 {
        let n = run_with(
            "States.MathRandom($.start, $.end)",
            input.clone(),
            &mut Clock::new(0, seed),
        )
        .unwrap();
        let n = n.as_i64().unwrap();
        assert!((1..999).contains(&n), "{n}");
    }
    let a = run_with(
        "States.MathRandom(1, 999, 7)",
        json!({}),
        &mut Clock::new(0, 1),
    )
    .unwrap();
    let b = run_with(
        "States.MathRandom(1, 999, 7)",
        json!({}),
        &mut Clock::new(0, 2),
    )
    .unwrap();
    assert_eq!(a, b, "an explicit seed ignores the clock");
    intrinsic_failure("States.MathRandom(5, 5)", json!({}), "greater");
    intrinsic_failure("States.MathRandom(1.5, 5)", json!({}), "integer");
}

#[test]
fn math_add() {
    assert_eq!(
        run(
            "States.MathAdd($.value1, $.step)",
            json!({"value1": 111, "step": -1})
        ),
        json!(110)
    );
    intrinsic_failure("States.MathAdd(2147483648, 1)", json!({}), "32-bit");
    intrinsic_failure("States.MathAdd('1', 1)", json!({}), "integer");
}

#[test]
fn string_split_on_any_delimiter_character() {
    assert_eq!(
        run(
            "States.StringSplit($.inputString, $.splitter)",
            json!({"inputString": "1,2,3,4,5", "splitter": ","})
        ),
        json!(["1", "2", "3", "4", "5"])
    );
    assert_eq!(
        run(
            "States.StringSplit($.s, '.+,=')",
            json!({"s": "This.is+a,test=string"})
        ),
        json!(["This", "is", "a", "test", "string"])
    );
    intrinsic_failure("States.StringSplit(1, ',')", json!({}), "a string");
}

#[test]
fn uuid_is_v4_and_seeded() {
    let a = run_with("States.UUID()", json!({}), &mut Clock::new(0, 4)).unwrap();
    let b = run_with("States.UUID()", json!({}), &mut Clock::new(0, 4)).unwrap();
    assert_eq!(a, b);
    assert_eq!(&a.as_str().unwrap()[14..15], "4");
    intrinsic_failure("States.UUID(1)", json!({}), "takes 0");
}

#[test]
fn nested_calls_context_and_variables() {
    let input = json!({"ImageRecipe": {"Arn": "arn:aws:imagebuilder:us-east-1:123456789012:image-recipe/recipe/1.0.2"}});
    let text = "States.Format('{}.{}.{}', \
        States.ArrayGetItem(States.StringSplit(States.ArrayGetItem(States.StringSplit($.ImageRecipe.Arn, '/'), 2), '.'), 0), \
        States.ArrayGetItem(States.StringSplit(States.ArrayGetItem(States.StringSplit($.ImageRecipe.Arn, '/'), 2), '.'), 1), \
        States.ArrayGetItem(States.StringSplit(States.ArrayGetItem(States.StringSplit($.ImageRecipe.Arn, '/'), 2), '.'), 2))";
    assert_eq!(run(text, input), json!("1.0.2"));
    assert_eq!(
        run(
            "States.Format('{}/{}', $$.Execution.Id, $greeting.word)",
            json!({})
        ),
        json!("arn:exec/Hello")
    );
    assert_eq!(
        run(
            "States.Array($['odd key, here'])",
            json!({"odd key, here": 1})
        ),
        json!([1])
    );
}

#[test]
fn nesting_is_limited_to_ten() {
    let nest = |n: usize| format!("{}1{}", "States.Array(".repeat(n), ")".repeat(n));
    assert!(parse(&nest(10)).is_ok());
    intrinsic_failure(&nest(11), json!({}), "nested");
}

#[test]
fn parse_and_lookup_errors() {
    intrinsic_failure("States.Nope(1)", json!({}), "States.Nope");
    intrinsic_failure("States.Format('x'", json!({}), "expected");
    intrinsic_failure("States.Array(1) trailing", json!({}), "unexpected");
    let e = fails("States.Array($.missing)", json!({}));
    assert_eq!(e.error, errors::RUNTIME);
    assert!(e.cause.contains("$.missing"));
}
