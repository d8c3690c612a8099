//! Differential test: our JSONata layer (`JsonataEngine`, on jsonata-core, with Step Functions'
//! functions) agrees with the reference implementation, the `jsonata` npm package, driven by
//! `tools/node/jsonata-eval.js`.
//!
//! The corpus is every `{% … %}` expression anywhere in `dist/*.asl.json` (what the compiler
//! emits for the example flows) plus the hand-written cases of
//! `tests/fixtures/jsonata-corpus.json`. Each expression is evaluated under several binding
//! sets (`$states` and the compiler's variables, see [`Heuristics`]) and, when it reads the
//! clock, at several instants. Both sides must give equal JSON (numbers compared as f64), both
//! nothing, or both an error (the wording of errors differs between implementations).
//!
//! Needs `node` and `tools/node/node_modules/jsonata` (`npm ci --prefix tools/node`, which
//! `test.sh` runs); without them the test says SKIPPED loudly and passes.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde_json::{json, Map, Value};
use switchboard_sim::expr::jsonata::expression_text;
use switchboard_sim::expr::{Bindings, Clock, JsonataEngine, Vars};

/// How many binding sets each expression is evaluated under.
const BINDING_SETS: usize = 8;

/// Instants for expressions that read the clock (`$millis()`, `$now(…)`): winter and summer,
/// both sides of US Eastern daylight-saving changes in 2024, 2025 and 2099 (`local_time`
/// computes them from the zone's rule, for any year), a Saturday, a late Saturday night that is
/// already Sunday in UTC, 2041, and both sides of Sydney's April 2025 change (the fixture's
/// Australia/Sydney expression).
const INSTANTS: [i64; 13] = [
    1_705_329_000_000, // 2024-01-15T14:30:00Z, Monday 09:30 EST
    1_720_040_370_000, // 2024-07-03T20:59:30Z, Wednesday 16:59:30 EDT
    1_710_053_999_999, // 2024-03-10T06:59:59.999Z, the last EST millisecond
    1_710_054_000_000, // 2024-03-10T07:00:00Z, the first EDT millisecond
    1_762_063_200_000, // 2025-11-02T06:00:00Z, back to EST
    1_718_463_600_000, // 2024-06-15T15:00:00Z, Saturday 11:00 EDT
    1_735_446_600_000, // 2024-12-29T04:30:00Z, Saturday 23:30 EST
    1_730_613_599_000, // 2024-11-03T05:59:59Z, Sunday 01:59:59 EDT
    2_256_134_400_000, // 2041-06-29T16:00:00Z, Saturday noon EDT
    4_076_636_399_999, // 2099-03-08T06:59:59.999Z, the last EST millisecond of winter 2099
    4_076_636_400_000, // 2099-03-08T07:00:00Z, the first EDT millisecond
    1_743_868_799_999, // 2025-04-05T15:59:59.999Z, Sunday 02:59:59.999 AEDT in Sydney
    1_743_868_800_000, // 2025-04-05T16:00:00Z, Sunday 02:00 AEST
];

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// One expression of the corpus and where it was first found.
struct Case {
    text: String,
    source: String,
}

fn collect(v: &Value, source: &str, seen: &mut BTreeSet<String>, out: &mut Vec<Case>) {
    match v {
        Value::String(s) => {
            if let Some(text) = expression_text(s) {
                if seen.insert(text.to_string()) {
                    out.push(Case {
                        text: text.to_string(),
                        source: source.to_string(),
                    });
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|x| collect(x, source, seen, out)),
        Value::Object(m) => m.values().for_each(|x| collect(x, source, seen, out)),
        _ => {}
    }
}

/// The corpus: the compiler's expressions first (returned count), then the fixture's; and
/// the fixture (its `samples` of variable values and `states` templates).
fn corpus() -> (Vec<Case>, usize, Value) {
    let mut files: Vec<PathBuf> = std::fs::read_dir(root().join("dist"))
        .expect("dist/ is readable")
        .map(|e| e.expect("dist/ entry").path())
        .filter(|p| p.to_string_lossy().ends_with(".asl.json"))
        .collect();
    files.sort();
    let (mut seen, mut out) = (BTreeSet::new(), Vec::new());
    for f in &files {
        let text = std::fs::read_to_string(f).expect("readable definition");
        let v: Value = serde_json::from_str(&text).expect("definition is JSON");
        let name = format!("dist/{}", f.file_name().unwrap().to_string_lossy());
        collect(&v, &name, &mut seen, &mut out);
    }
    let from_dist = out.len();
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/jsonata-corpus.json");
    let fixture: Value =
        serde_json::from_str(&std::fs::read_to_string(path).expect("fixture")).expect("JSON");
    for e in fixture["expressions"]
        .as_array()
        .expect("an expressions array")
    {
        let text = e.as_str().expect("each expression is a string").trim();
        if seen.insert(text.to_string()) {
            out.push(Case {
                text: text.to_string(),
                source: "tests/fixtures/jsonata-corpus.json".into(),
            });
        }
    }
    (out, from_dist, fixture)
}

/// The `$name` references of `text`, with what follows each: `(name, rest of the text)`.
fn references(text: &str) -> Vec<(String, &str)> {
    let mut out = Vec::new();
    for (i, _) in text.match_indices('$') {
        let rest = &text[i + 1..];
        let end = rest
            .find(|c: char| !(c.is_alphanumeric() || c == '_'))
            .unwrap_or(rest.len());
        if end > 0 {
            out.push((rest[..end].to_string(), &rest[end..]));
        }
    }
    out
}

/// What a variable holds, guessed from how the whole corpus uses it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Call,
    QueueUrl,
    /// A PlayAudioAndGetDigits result record `{digits}`, with digits fit for the name.
    Digits,
    /// A RecordAudio result record `{bucket, key}`.
    Recording,
    /// A caught error `{Error, Cause}`.
    Error,
    /// A DynamoDB Query result `{Items, Count}`.
    Inbox,
    /// A clock record `{hhmm, weekday, date, offset}`.
    LocalTime,
    Counter,
    Flag,
    Text,
}

/// Variable heuristics. The compiler names a variable after the flow's `let` binding and adds
/// `_2`, `_3`, … for a reused name, so usage is pooled over the stem (`number`, `number_2`).
/// Over the whole corpus, for each stem:
/// - `call` is the call record the compiler builds from `$states.input` (From, To, Direction,
///   CallId, TransactionId, SipMediaApplicationId, Arguments); `queue_url` is the input's
///   `QueueUrl`;
/// - a `.digits` field makes a digits record; `.bucket`/`.key` a recording; `.Error`/`.Cause` a
///   caught error; `.Items`/`.Count` a DynamoDB query result; `.hhmm`/`.weekday` a clock record;
/// - `$x < `, `$x >= `, `$x + ` or an index `[$x]` make a counter (a number);
/// - `$not($x)` or `$x ?` make a flag (a boolean); `$x & ` or `& $x` a string;
/// - a name assigned with `:=` is a local and `states` is `$states`: neither is bound. A call
///   `$name(…)` says nothing about a variable, and an expression binds only the names it uses
///   as variables, so `$number("12")` calls the built-in unless the same expression also reads
///   a variable `$number` (then, as in Step Functions, the variable shadows the function).
///   Names matching no rule stay unbound (undefined), and the summary lists them.
struct Heuristics {
    kinds: BTreeMap<String, Kind>,
    unbound: BTreeSet<String>,
}

/// The fields that tell a result record's kind.
const FIELDS: [(&str, Kind); 9] = [
    ("digits", Kind::Digits),
    ("bucket", Kind::Recording),
    ("key", Kind::Recording),
    ("Error", Kind::Error),
    ("Cause", Kind::Error),
    ("Items", Kind::Inbox),
    ("Count", Kind::Inbox),
    ("hhmm", Kind::LocalTime),
    ("weekday", Kind::LocalTime),
];

fn stem(name: &str) -> &str {
    match name.rsplit_once('_') {
        Some((s, n)) if !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()) => s,
        _ => name,
    }
}

impl Heuristics {
    fn new(cases: &[Case]) -> Self {
        let mut uses: BTreeMap<String, Vec<String>> = BTreeMap::new();
        let mut names = BTreeSet::new();
        let mut not_vars = BTreeSet::new();
        for case in cases {
            let t = &case.text;
            for (name, rest) in references(t) {
                let r = rest.trim_start();
                if r.starts_with(":=") || name == "states" {
                    not_vars.insert(name);
                    continue;
                }
                if r.starts_with('(') || name.starts_with(|c: char| c.is_ascii_digit()) {
                    continue; // a function call, or `$1` in a replacement string
                }
                let s = stem(&name).to_string();
                let u = uses.entry(s).or_default();
                u.push(rest.chars().take(12).collect());
                if t.contains(&format!("$not(${name})")) {
                    u.push("?".into());
                }
                if t.contains(&format!("& ${name}")) {
                    u.push(" &".into());
                }
                if t.contains(&format!("[${name}]")) {
                    u.push(" +".into());
                }
                names.insert(name);
            }
        }
        let (mut kinds, mut unbound) = (BTreeMap::new(), BTreeSet::new());
        for name in names.difference(&not_vars) {
            let s = stem(name);
            let u = &uses[s];
            let has = |p: &str| u.iter().any(|x| x.starts_with(p));
            let field = |f: &str| u.iter().any(|x| x.starts_with(&format!(".{f}")));
            let kind = match s {
                "call" => Some(Kind::Call),
                "queue_url" => Some(Kind::QueueUrl),
                _ => FIELDS.iter().find(|(f, _)| field(f)).map(|&(_, k)| k),
            };
            let kind = kind
                .or_else(|| {
                    [" <", " >", " +", " -"]
                        .iter()
                        .any(|p| has(p))
                        .then_some(Kind::Counter)
                })
                .or_else(|| has("?").then_some(Kind::Flag))
                .or_else(|| has(" &").then_some(Kind::Text));
            if let Some(k) = kind {
                kinds.insert(name.clone(), k);
            } else {
                unbound.insert(name.clone());
            }
        }
        Heuristics { kinds, unbound }
    }
}

fn pick<T: Clone>(options: &[T], k: usize) -> T {
    options[k % options.len()].clone()
}

/// `$states.input` for binding set `k`: the router's wrapper `{QueueUrl, Event}` around a PSTN
/// audio event (the fixture's template). Odd sets are outbound calls (placed by the flow, with
/// `Arguments`; set 1 to the owner, the others to customers); set 2 is the owner calling in.
fn input(fx: &Value, k: usize) -> Value {
    let outbound = k % 2 == 1;
    let customer = pick(&["+13105550188", "+12125550123", "+16465550142"], k);
    let (from, to) = match k {
        1 => ("+12125550100", "+12125550199"),
        2 => ("+12125550199", "+12125550100"),
        _ if outbound => ("+12125550100", customer),
        _ => (customer, "+12125550100"),
    };
    let mut input = fx["states"]["input"].clone();
    let event = &mut input["Event"];
    let details = &mut event["CallDetails"];
    details["TransactionId"] = json!(format!("7b4c6f2e-0d8a-4a51-9c3e-{:012x}", 0x5eed + k));
    let leg = &mut details["Participants"][0];
    leg["CallId"] = json!(format!("c0ffee00-1234-4abc-8def-{:012x}", 0xca11 + k));
    (leg["From"], leg["To"]) = (json!(from), json!(to));
    if outbound {
        leg["Direction"] = json!("Outbound");
        event["InvocationEventType"] = json!("NEW_OUTBOUND_CALL");
        let mut data = fx["states"]["outbound_action_data"].clone();
        data["Parameters"]["Arguments"]["CustomerPhoneNumber"] =
            json!(pick(&["+13105550188", "+12129115555"], k / 2));
        event["ActionData"] = data;
    }
    input
}

/// `$states.result` for binding set `k`, cycling through what the flows' tasks return: a
/// PlayAudioAndGetDigits and a RecordAudio ACTION_SUCCESSFUL event, a DynamoDB Query result.
fn result(fx: &Value, k: usize) -> Value {
    let details = input(fx, k)["Event"]["CallDetails"].clone();
    let call_id = details["Participants"][0]["CallId"].clone();
    let mut r = match k % 3 {
        0 => fx["states"]["digits_result"].clone(),
        1 => fx["states"]["recording_result"].clone(),
        _ => {
            return json!({"Items": inbox(fx, k)["Items"], "Count": inbox(fx, k)["Count"], "ScannedCount": 6})
        }
    };
    r["ActionData"]["Parameters"]["CallId"] = call_id;
    if k % 3 == 0 {
        r["ActionData"]["ReceivedDigits"] = json!(pick(&["1", "2125550123", "9", ""], k / 3));
    } else {
        let key = format!(
            "voicemail/{}.wav",
            details["TransactionId"].as_str().unwrap()
        );
        r["ActionData"]["RecordingDestination"]["Key"] = json!(key);
    }
    r["CallDetails"] = details;
    r
}

/// A DynamoDB Query result `{Items, Count}` of 3, 1, 0 or 2 voicemail items.
fn inbox(fx: &Value, k: usize) -> Value {
    let all = fx["states"]["inbox_items"].as_array().expect("inbox items");
    let items = match k % 4 {
        0 => &all[0..3],
        1 => &all[3..4],
        2 => &all[0..0],
        _ => &all[4..6],
    };
    json!({"Items": items, "Count": items.len()})
}

/// The value of variable `name` (of kind `kind`) in binding set `k`; the sample values live in
/// the fixture's `samples` (phone numbers that pass and fail each of the flows' checks, times,
/// PINs, menu keys, caught errors, clock records, counters, prompts).
fn value(fx: &Value, name: &str, kind: Kind, k: usize, input: &Value) -> Value {
    let s = stem(name);
    // Offset by the name so that two variables of one kind do not always move together.
    let sample = |key: &str, k: usize| {
        let options = fx["samples"][key].as_array().expect("a samples array");
        options[k % options.len()].clone()
    };
    match kind {
        Kind::Call => {
            let d = &input["Event"]["CallDetails"];
            let p = &d["Participants"][0];
            let mut call = json!({"From": p["From"], "To": p["To"], "Direction": p["Direction"],
                "CallId": p["CallId"], "TransactionId": d["TransactionId"],
                "SipMediaApplicationId": d["SipMediaApplicationId"]});
            if let Some(a) = input["Event"]["ActionData"]["Parameters"].get("Arguments") {
                call["Arguments"] = a.clone();
            }
            call
        }
        Kind::QueueUrl => input["QueueUrl"].clone(),
        Kind::Digits => {
            let key = match s {
                "number" => "phone_digits",
                "time" => "time_digits",
                "first" | "again" | "pin" => "pin_digits",
                _ => "menu_digits",
            };
            json!({"digits": sample(key, k + s.len())})
        }
        Kind::Recording => json!({"bucket": "switchboard-voicemail",
            "key": format!("voicemail/{s}-{k}.wav")}),
        Kind::Error => sample("errors", k),
        Kind::Inbox => inbox(fx, k),
        Kind::LocalTime => sample("local_times", k),
        Kind::Counter => sample("counters", k + s.len()),
        Kind::Flag => json!(k % 2 == 0),
        Kind::Text => match s {
            "team" | "notice" => sample(s, k),
            _ => json!(format!("{s} text {k}")),
        },
    }
}

/// `$states` of one binding set.
struct States {
    input: Value,
    result: Option<Value>,
    error_output: Option<Value>,
    context: Value,
}

fn states(fx: &Value, k: usize) -> States {
    let input = input(fx, k);
    let mut context = fx["states"]["context"].clone();
    context["Task"]["Token"] = json!(format!("AQCEAAAAKgAAAAMAAAAAAAAAAd{k}"));
    States {
        error_output: (k != 3).then(|| value(fx, "error", Kind::Error, k, &input)),
        input,
        // Set 3 has neither a result nor an error output, as in a Pass state's Output.
        result: (k != 3).then(|| result(fx, k)),
        context,
    }
}

/// One evaluation: the expression, the binding set, the variables it reads, the instant.
struct Eval {
    case: usize,
    set: usize,
    now_ms: i64,
    vars: Vars,
}

fn evaluations(cases: &[Case], h: &Heuristics, fx: &Value) -> Vec<Eval> {
    let mut out = Vec::new();
    for (ci, case) in cases.iter().enumerate() {
        let reads_clock = case.text.contains("$millis(") || case.text.contains("$now(");
        let instants = if reads_clock {
            &INSTANTS[..]
        } else {
            &INSTANTS[..1]
        };
        // The names this expression reads as variables (not only calls).
        let names: BTreeSet<String> = references(&case.text)
            .into_iter()
            .filter(|(_, rest)| !rest.trim_start().starts_with('('))
            .map(|r| r.0)
            .collect();
        for set in 0..BINDING_SETS {
            let input = input(fx, set);
            let mut vars = Vars::new();
            for name in &names {
                if let Some(&kind) = h.kinds.get(name) {
                    vars.insert(name.clone(), value(fx, name, kind, set, &input));
                }
            }
            for &now_ms in instants {
                let vars = vars.clone();
                out.push(Eval {
                    case: ci,
                    set,
                    now_ms,
                    vars,
                });
            }
        }
    }
    out
}

/// What one implementation made of one evaluation.
#[derive(Debug, Clone, PartialEq)]
enum Outcome {
    Value(Value),
    Undefined,
    Error(String),
}

fn ours(engine: &JsonataEngine, text: &str, e: &Eval, st: &States) -> Outcome {
    let mut b = Bindings::new(&st.input, &st.context, &e.vars);
    if let Some(r) = &st.result {
        b = b.with_result(r);
    }
    if let Some(x) = &st.error_output {
        b = b.with_error_output(x);
    }
    match engine.eval_optional(text, &b, &mut Clock::new(e.now_ms, 1)) {
        Ok(Some(v)) => Outcome::Value(v),
        Ok(None) => Outcome::Undefined,
        Err(err) => Outcome::Error(format!("{}: {}", err.error, err.cause)),
    }
}

fn theirs_line(text: &str, e: &Eval, st: &States) -> String {
    let mut states = Map::new();
    states.insert("input".into(), st.input.clone());
    states.insert("context".into(), st.context.clone());
    if let Some(r) = &st.result {
        states.insert("result".into(), r.clone());
    }
    if let Some(x) = &st.error_output {
        states.insert("errorOutput".into(), x.clone());
    }
    let mut bindings = e.vars.clone();
    bindings.insert("states".into(), Value::Object(states));
    json!({"expr": text, "bindings": bindings, "now_ms": e.now_ms}).to_string()
}

/// Run the reference on every line at once; one outcome per line, in order.
fn theirs(lines: &[String]) -> Vec<Outcome> {
    let script = root().join("tools/node/jsonata-eval.js");
    let mut child = Command::new("node")
        .arg(&script)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("node starts");
    let mut stdin = child.stdin.take().expect("stdin");
    let input = lines.join("\n") + "\n";
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let out = child.wait_with_output().expect("node runs");
    writer.join().expect("writer").expect("stdin written");
    assert!(
        out.status.success(),
        "jsonata-eval.js failed: {}",
        out.status
    );
    let text = String::from_utf8(out.stdout).expect("UTF-8 output");
    let outcomes: Vec<Outcome> = text
        .lines()
        .map(|l| {
            let v: Value = serde_json::from_str(l).expect("each output line is JSON");
            if let Some(x) = v.get("ok") {
                Outcome::Value(x.clone())
            } else if v.get("undefined").is_some() {
                Outcome::Undefined
            } else {
                Outcome::Error(v["error"].as_str().unwrap_or("?").to_string())
            }
        })
        .collect();
    assert_eq!(
        outcomes.len(),
        lines.len(),
        "one output line per input line"
    );
    outcomes
}

/// JSON equality with numbers compared as f64 (`3` equals `3.0`).
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same(a, b))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
        }
        _ => a == b,
    }
}

/// A random value's shape: numbers become 0, strings their length.
fn shape(v: &Value) -> Value {
    match v {
        Value::Number(_) => json!(0),
        Value::String(s) => json!(format!("string of {}", s.chars().count())),
        Value::Array(items) => Value::Array(items.iter().map(shape).collect()),
        Value::Object(m) => Value::Object(m.iter().map(|(k, v)| (k.clone(), shape(v))).collect()),
        other => other.clone(),
    }
}

fn agree(random: bool, a: &Outcome, b: &Outcome) -> bool {
    match (a, b) {
        (Outcome::Value(x), Outcome::Value(y)) if random => same(&shape(x), &shape(y)),
        (Outcome::Value(x), Outcome::Value(y)) => same(x, y),
        (Outcome::Undefined, Outcome::Undefined) | (Outcome::Error(_), Outcome::Error(_)) => true,
        _ => false,
    }
}

fn abbreviate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let head: String = s.chars().take(max).collect();
    format!("{head}… ({} chars)", s.chars().count())
}

fn reference_available() -> bool {
    let node = Command::new("node").arg("--version").output();
    node.is_ok_and(|o| o.status.success())
        && root()
            .join("tools/node/node_modules/jsonata/package.json")
            .is_file()
}

#[test]
fn our_jsonata_agrees_with_the_reference_implementation() {
    let (cases, from_dist, fx) = corpus();
    assert!(
        from_dist > 0,
        "no {{% … %}} expression found in dist/*.asl.json: the corpus must cover the compiler's output"
    );
    if !reference_available() {
        let bang = "!".repeat(78);
        eprintln!("\n{bang}\nSKIPPED: run npm ci --prefix tools/node (test.sh does)");
        eprintln!("(the JSONata differential test needs `node` and tools/node/node_modules/jsonata)\n{bang}\n");
        return;
    }
    let h = Heuristics::new(&cases);
    let evals = evaluations(&cases, &h, &fx);
    let sets: Vec<States> = (0..BINDING_SETS).map(|k| states(&fx, k)).collect();
    let engine = JsonataEngine::new();
    let our: Vec<Outcome> = evals
        .iter()
        .map(|e| ours(&engine, &cases[e.case].text, e, &sets[e.set]))
        .collect();
    let lines: Vec<String> = evals
        .iter()
        .map(|e| theirs_line(&cases[e.case].text, e, &sets[e.set]))
        .collect();
    let their = theirs(&lines);

    let mut disagreements = Vec::new();
    let mut kinds = [0usize; 3];
    for ((e, a), b) in evals.iter().zip(&our).zip(&their) {
        kinds[match b {
            Outcome::Value(_) => 0,
            Outcome::Undefined => 1,
            Outcome::Error(_) => 2,
        }] += 1;
        let text = &cases[e.case].text;
        let random = text.contains("$random(") || text.contains("$uuid(");
        if !agree(random, a, b) {
            disagreements.push((e, a, b));
        }
    }
    println!(
        "JSONata differential: {} expressions ({from_dist} from dist/, {} from the fixture), {} evaluations \
         ({} values, {} undefined, {} errors on the reference side)",
        cases.len(),
        cases.len() - from_dist,
        evals.len(),
        kinds[0],
        kinds[1],
        kinds[2]
    );
    println!("variables bound by heuristic: {:?}", h.kinds);
    println!("names left unbound: {:?}", h.unbound);
    // A corpus whose expressions always give one answer would test little: count the
    // compiler's expressions that gave more than one distinct outcome over the binding sets.
    let mut outcomes: BTreeMap<usize, BTreeSet<String>> = BTreeMap::new();
    for (e, b) in evals.iter().zip(&their) {
        outcomes.entry(e.case).or_default().insert(format!("{b:?}"));
    }
    let varied = (0..from_dist).filter(|c| outcomes[c].len() > 1).count();
    println!("{varied} of the {from_dist} expressions from dist/ gave more than one outcome");
    if disagreements.is_empty() {
        println!("all {} evaluations agree", evals.len());
        return;
    }
    let mut by_case: BTreeMap<usize, usize> = BTreeMap::new();
    for (e, a, b) in &disagreements {
        let n = by_case.entry(e.case).or_default();
        *n += 1;
        if *n > 3 {
            continue; // three examples per expression are enough to read
        }
        let case = &cases[e.case];
        println!(
            "\n--- DISAGREEMENT ({}) binding set {}, now_ms {}",
            case.source, e.set, e.now_ms
        );
        println!("expression: {}", abbreviate(&case.text, 600));
        println!("variables:  {}", Value::Object(e.vars.clone()));
        println!("ours:       {a:?}");
        println!("reference:  {b:?}");
    }
    panic!(
        "{} of {} evaluations disagree, over {} expressions (see above)",
        disagreements.len(),
        evals.len(),
        by_case.len()
    );
}
