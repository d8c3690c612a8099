//! The emulator side of the end-to-end tests: SDK clients pointed at moto (started by
//! `router/emulator/run-e2e.sh`), the resources deployed flows use, and what the tests read
//! back (execution status, queues, table items).
//!
//! Setup and read-back calls other than Step Functions and SQS go through
//! `router/emulator/aws_call.py` (boto3, installed with moto): a handful of calls do not justify
//! compiling an SDK crate per service.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::OnceLock;
use std::time::Duration;

use aws_config::BehaviorVersion;
use aws_sdk_sfn::config::Credentials;
use aws_sdk_sfn::types::ExecutionStatus;
use base64::Engine as _;
use serde_json::{json, Value};
use switchboard::wire;
use switchboard_router::aws::{AwsEngine, AwsQueue};
use switchboard_router::{Config, Router};

/// The emulator's account (moto's default).
pub const ACCOUNT: &str = "123456789012";
/// The role every state machine and function is created with (moto checks that a function's
/// role exists, not what it allows).
pub const ROLE: &str = "switchboard-e2e";
/// The table the notify function writes each notification to (partition key `from`), so a test
/// can see that the function ran and with what.
pub const NOTIFICATIONS: &str = "switchboard-e2e-notifications";

/// Tables flows use: name, partition key, sort key (strings are `S`, sort keys `N`). From the
/// flows' configuration (`workflows/switchboard.toml`): voicemail's `Mailbox` and the
/// business-phone app keep messages by `mailbox` and `at` (epoch ms).
const TABLES: [(&str, &str, Option<&str>); 3] = [
    ("Voicemails", "mailbox", Some("at")),
    ("BusinessPhoneMessages", "mailbox", Some("at")),
    (NOTIFICATIONS, "from", None),
];

/// Lambda functions flows invoke: name, handler file beside this one, handler. The notify
/// function of voicemail, front-desk and transfer (`notify_function` in switchboard.toml).
const FUNCTIONS: [(&str, &str, &str); 1] = [("notify-owner", "notify.py", "notify.handler")];

/// Where the tests reach the emulator; `None` (and a SKIPPED line) when it is not running.
pub fn moto_url() -> Option<String> {
    match std::env::var("SWITCHBOARD_MOTO_URL") {
        Ok(u) if !u.is_empty() => Some(u),
        _ => {
            eprintln!("SKIPPED: SWITCHBOARD_MOTO_URL is not set; run router/emulator/run-e2e.sh");
            None
        }
    }
}

/// The workspace root (dist/ and router/emulator/ are found from here).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("router/ has a parent")
        .to_path_buf()
}

/// Strictly increasing within the process, and across runs: the time in microseconds plus a
/// counter.
fn stamp() -> u64 {
    static N: AtomicU32 = AtomicU32::new(0);
    let micros = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_micros() as u64;
    micros + u64::from(N.fetch_add(1, Ordering::SeqCst))
}

/// A name no other test or earlier run against the same emulator uses.
pub fn unique() -> String {
    format!("{:x}", stamp())
}

/// A phone number no other call of this process uses (`+1555` and 7 digits); an earlier run's
/// would have to fall on the same microsecond modulo 10 s.
pub fn unique_number() -> String {
    format!("+1555{:07}", stamp() % 10_000_000)
}

/// One deployed flow and the router in front of it.
pub struct Env {
    pub router: Router<AwsEngine, AwsQueue>,
    pub sfn: aws_sdk_sfn::Client,
    pub sqs: aws_sdk_sqs::Client,
    /// The state machine's ARN.
    pub arn: String,
}

async fn clients(url: &str) -> (aws_sdk_sfn::Client, aws_sdk_sqs::Client) {
    let sdk = aws_config::defaults(BehaviorVersion::latest())
        .endpoint_url(url)
        .region("us-east-1")
        .credentials_provider(Credentials::new("test", "test", None, None, "e2e"))
        .load()
        .await;
    (
        aws_sdk_sfn::Client::new(&sdk),
        aws_sdk_sqs::Client::new(&sdk),
    )
}

/// Creates a state machine from `definition` and a router that sends calls to `number` to it.
pub async fn deploy(url: &str, definition: &str, number: &str) -> Env {
    let (sfn, sqs) = clients(url).await;
    let arn = create_state_machine(&sfn, definition).await;
    let mut config = Config::with_flows([(number.to_owned(), arn.clone())].into());
    config.response_budget = Duration::from_millis(2000);
    config.keep_alive = Duration::from_millis(500);
    let router = Router::new(
        AwsEngine::new(sfn.clone()),
        AwsQueue::new(sqs.clone()),
        config,
    );
    Env {
        router,
        sfn,
        sqs,
        arn,
    }
}

/// Creates a state machine named uniquely; returns its ARN.
pub async fn create_state_machine(sfn: &aws_sdk_sfn::Client, definition: &str) -> String {
    sfn.create_state_machine()
        .name(format!("e2e-{}", unique()))
        .definition(definition)
        .role_arn(format!("arn:aws:iam::{ACCOUNT}:role/{ROLE}"))
        .send()
        .await
        .expect("create_state_machine")
        .state_machine_arn
}

/// Runs `definition` once with `input` (no router, no call); returns the finished execution's
/// status and output, or `{"Error", "Cause"}` when it failed. Make the output an object: moto
/// 5.2.5 returns a string output as bare text, not as the JSON string AWS returns.
pub async fn run_once(url: &str, definition: &str, input: &Value) -> (ExecutionStatus, Value) {
    let (sfn, _) = clients(url).await;
    let arn = create_state_machine(&sfn, definition).await;
    let exec = sfn
        .start_execution()
        .state_machine_arn(&arn)
        .name(unique())
        .input(input.to_string())
        .send()
        .await
        .expect("start_execution")
        .execution_arn;
    let out = finished(&sfn, &exec).await;
    let output = match (out.output(), out.cause(), out.error()) {
        (Some(o), _, _) => serde_json::from_str(o).expect("execution output is JSON"),
        (None, cause, error) => json!({"Error": error, "Cause": cause}),
    };
    (out.status, output)
}

/// Polls an execution until it stops running (5 s at most).
pub async fn finished(
    sfn: &aws_sdk_sfn::Client,
    exec: &str,
) -> aws_sdk_sfn::operation::describe_execution::DescribeExecutionOutput {
    for _ in 0..50 {
        let out = sfn
            .describe_execution()
            .execution_arn(exec)
            .send()
            .await
            .expect("describe_execution");
        if out.status != ExecutionStatus::Running {
            return out;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("execution {exec} still running after 5 s")
}

/// The status of the execution the router started for the call `transaction_id`, found by its
/// input (so the test does not depend on how the router names executions), once it stops.
pub async fn call_status(env: &Env, transaction_id: &str) -> ExecutionStatus {
    let list = env
        .sfn
        .list_executions()
        .state_machine_arn(&env.arn)
        .send()
        .await
        .expect("list_executions");
    for e in list.executions() {
        let out = env
            .sfn
            .describe_execution()
            .execution_arn(e.execution_arn())
            .send()
            .await
            .expect("describe_execution");
        let input: Value = serde_json::from_str(out.input().unwrap_or("{}")).unwrap_or_default();
        if input[wire::INPUT_EVENT]["CallDetails"]["TransactionId"] == transaction_id {
            return finished(&env.sfn, e.execution_arn()).await.status;
        }
    }
    panic!(
        "no execution of {} was started for call {transaction_id}",
        env.arn
    )
}

/// Whether the queue at `url` still exists.
pub async fn queue_exists(sqs: &aws_sdk_sqs::Client, url: &str) -> bool {
    sqs.get_queue_attributes()
        .queue_url(url)
        .send()
        .await
        .is_ok()
}

/// One AWS API call for `aws_call.py`.
pub fn call(service: &str, operation: &str, params: Value) -> Value {
    json!({"service": service, "operation": operation, "params": params})
}

/// Makes `calls` through boto3 against the emulator; returns their responses.
pub fn aws(calls: &[Value]) -> Vec<Value> {
    let python = std::env::var("SWITCHBOARD_MOTO_PYTHON").expect(
        "SWITCHBOARD_MOTO_PYTHON names the Python that has boto3 (run-e2e.sh sets it to target/moto-venv/bin/python)",
    );
    let script = root().join("router/emulator/aws_call.py");
    let mut child = Command::new(&python)
        .arg(&script)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run {python} {}: {e}", script.display()));
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(Value::from(calls.to_vec()).to_string().as_bytes())
        .expect("write the calls");
    let out = child.wait_with_output().expect("aws_call.py runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("aws_call.py prints JSON")
}

/// The items of `table` whose attribute `attr` is the string `value`, each flattened to
/// `{name: "text"}` (`S` and `N` as they are, `BOOL` as `true`/`false`).
pub fn items_where(table: &str, attr: &str, value: &str) -> Vec<Value> {
    let scan = call(
        "dynamodb",
        "scan",
        json!({"TableName": table, "FilterExpression": "#a = :v",
            "ExpressionAttributeNames": {"#a": attr},
            "ExpressionAttributeValues": {":v": {"S": value}}}),
    );
    let out = aws(&[scan]).remove(0);
    out["Items"]
        .as_array()
        .map(|items| items.iter().map(flatten_item).collect())
        .unwrap_or_default()
}

fn flatten_item(item: &Value) -> Value {
    let fields = item.as_object().into_iter().flatten().map(|(k, v)| {
        let text = match (v.get("S"), v.get("N"), v.get("BOOL")) {
            (Some(s), _, _) | (_, Some(s), _) => s.as_str().unwrap_or_default().to_owned(),
            (_, _, Some(b)) => b.to_string(),
            _ => v.to_string(),
        };
        (k.clone(), Value::String(text))
    });
    Value::Object(fields.collect())
}

/// Creates, once per test process, what the dist/ flows use: the role, the tables and the
/// notify function (a tiny Python function, created through CreateFunction with a zip). Safe to
/// run against an emulator an earlier run already set up.
pub fn deploy_shared_resources() {
    static DONE: OnceLock<()> = OnceLock::new();
    DONE.get_or_init(|| {
        let mut calls = vec![json!({
            "service": "iam", "operation": "create_role",
            "params": {"RoleName": ROLE, "AssumeRolePolicyDocument": json!({
                "Version": "2012-10-17",
                "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Principal":
                    {"Service": ["states.amazonaws.com", "lambda.amazonaws.com"]}}]}).to_string()},
            "ignore": ["EntityAlreadyExists"]})];
        for (name, partition, sort) in TABLES {
            let mut keys = vec![json!({"AttributeName": partition, "KeyType": "HASH"})];
            let mut attrs = vec![json!({"AttributeName": partition, "AttributeType": "S"})];
            if let Some(sort) = sort {
                keys.push(json!({"AttributeName": sort, "KeyType": "RANGE"}));
                attrs.push(json!({"AttributeName": sort, "AttributeType": "N"}));
            }
            let mut c = call(
                "dynamodb",
                "create_table",
                json!({"TableName": name, "KeySchema": keys, "AttributeDefinitions": attrs,
                    "BillingMode": "PAY_PER_REQUEST"}),
            );
            c["ignore"] = json!(["ResourceInUseException"]);
            calls.push(c);
        }
        for (name, file, handler) in FUNCTIONS {
            let zip = zip_one(file);
            let mut c = call(
                "lambda",
                "create_function",
                json!({"FunctionName": name, "Runtime": "python3.11", "Handler": handler,
                    "Role": format!("arn:aws:iam::{ACCOUNT}:role/{ROLE}"), "Timeout": 15,
                    "Environment": {"Variables": {"NOTIFICATIONS_TABLE": NOTIFICATIONS}},
                    "Code": {"ZipFile": base64::engine::general_purpose::STANDARD.encode(zip)}}),
            );
            c["ignore"] = json!(["ResourceConflictException"]);
            calls.push(c);
        }
        aws(&calls);
    });
}

/// A zip holding `tests/e2e/<file>` at its top level, as CreateFunction takes code.
fn zip_one(file: &str) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/e2e")
        .join(file);
    let source = std::fs::read(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    zip.start_file(file, zip::write::SimpleFileOptions::default())
        .expect("zip entry");
    zip.write_all(&source).expect("zip write");
    zip.finish().expect("zip finish").into_inner()
}

/// The deploy-time values of the definitions in dist/ (`${Name}`), as the stack's
/// `DefinitionSubstitutions` would fill them: here the schedules go to moto's `default` group,
/// passing a role of moto's account, and the tables and buckets are the ones created below under
/// their logical names.
pub const SUBSTITUTIONS: [(&str, &str); 4] = [
    ("ScheduleGroup", "default"),
    (
        "SchedulerRoleArn",
        "arn:aws:iam::123456789012:role/switchboard-scheduler",
    ),
    ("BusinessPhoneMessages", "BusinessPhoneMessages"),
    ("acme-business-phone", "acme-business-phone"),
];

/// `definition` with every `${Name}` of [`SUBSTITUTIONS`] replaced, as CloudFormation replaces
/// them; panics on one it does not know, which the e2e setup must then provide.
pub fn substitute(definition: &str) -> String {
    let mut out = definition.to_owned();
    for (name, value) in SUBSTITUTIONS {
        out = out.replace(&format!("${{{name}}}"), value);
    }
    if let Some(i) = out.find("${") {
        let rest: String = out[i..].chars().take(40).collect();
        panic!("the definition has a deploy-time value the e2e setup does not fill: {rest}… (add it to SUBSTITUTIONS in router/tests/e2e/moto.rs)");
    }
    out
}

/// The tables and functions `definition` names that the shared setup does not create: a flow
/// that starts using a new one makes the tests say what to add here.
pub fn missing_resources(definition: &Value) -> Vec<String> {
    let mut missing = Vec::new();
    let mut visit = |args: &Value| {
        if let Some(t) = args.get("TableName").and_then(Value::as_str) {
            if !TABLES.iter().any(|(name, _, _)| *name == t) {
                missing.push(format!("table {t}"));
            }
        }
        if let Some(f) = args.get("FunctionName").and_then(Value::as_str) {
            let name = f.rsplit(':').next().unwrap_or(f);
            if !FUNCTIONS.iter().any(|(n, _, _)| *n == name) {
                missing.push(format!("function {f}"));
            }
        }
    };
    walk_states(definition, &mut visit);
    missing
}

/// Calls `visit` with the `Arguments` of every state, in branches too.
fn walk_states(machine: &Value, visit: &mut impl FnMut(&Value)) {
    for state in machine["States"]
        .as_object()
        .into_iter()
        .flatten()
        .map(|(_, s)| s)
    {
        if let Some(args) = state.get("Arguments") {
            visit(args);
        }
        for branch in state["Branches"].as_array().into_iter().flatten() {
            walk_states(branch, visit);
        }
        if let Some(inner) = state.get("ItemProcessor").or(state.get("Iterator")) {
            walk_states(inner, visit);
        }
    }
}
