//! Micro-benchmarks of the expression layer: `cargo bench -p switchboard-sim --bench expr`.
//! A plain `Instant` loop (no harness): figures are indicative, on a warm cache.

use std::hint::black_box;
use std::time::Instant;

use serde_json::json;
use switchboard_sim::expr::jsonpath::apply_template;
use switchboard_sim::expr::{Bindings, Clock, JsonataEngine, Scope, Vars};

fn time(label: &str, iterations: u32, mut f: impl FnMut()) {
    for _ in 0..iterations / 10 {
        f(); // warm up
    }
    let start = Instant::now();
    for _ in 0..iterations {
        f();
    }
    let per = start.elapsed() / iterations;
    println!("{label:<48} {per:>10.2?} per evaluation");
}

fn main() {
    let engine = JsonataEngine::new();
    let (input, context) = (
        json!({"Event": {"CallDetails": {}}}),
        json!({"Task": {"Token": "t"}}),
    );
    let mut vars = Vars::new();
    vars.insert("digits".into(), json!("5551234"));
    vars.insert(
        "BusinessInfo".into(),
        json!({"WorkingHours": {"StartTimeUTC": "08:00:00", "EndTimeUTC": "18:00:00", "UTCOffset": "-0400"}}),
    );
    let b = Bindings::new(&input, &context, &vars);
    let mut clock = Clock::new(1_714_564_800_000, 1);

    time("jsonata  '+1' & $digits", 20_000, || {
        black_box(engine.eval("'+1' & $digits", &b, &mut clock).ok());
    });
    time("jsonata  $now(picture, '-0400')", 20_000, || {
        black_box(
            engine
                .eval(
                    "$now('[H01]:[m01]', $BusinessInfo.WorkingHours.UTCOffset)",
                    &b,
                    &mut clock,
                )
                .ok(),
        );
    });
    let params = json!({"QueueUrl.$": "$digits", "MessageBody": {"Actions": [{"Parameters": {
        "Uri.$": "States.Format('+1{}', $digits)"}}], "TransactionAttributes": {"WaitToken.$": "$$.Task.Token"}}});
    let scope = Scope::new(&input, &context, &vars);
    time("jsonpath Parameters with an intrinsic", 20_000, || {
        black_box(apply_template(&params, &scope, &mut clock).ok());
    });
}
