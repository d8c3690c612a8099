//! The whole life of a stack, offline: the real `deploy` and `destroy` binaries against ministack
//! (CloudFormation, Step Functions, Lambda, IAM, S3, DynamoDB, SQS, Scheduler, Logs on
//! 127.0.0.1), whose Lambdas are the real router and the real Chime SDK Voice provider, which
//! reaches a fake of Chime SDK Voice. `deploy/emulator/lifecycle.sh` sets it up (test.sh runs
//! it); without `SWITCHBOARD_CFN_URL` the test says it skipped.
//!
//! deploy in an area code without numbers, then with an order the service fails (both fail
//! saying why) → deploy (orders a number) → the stacks hold the compiled definitions with the substitutions
//! applied, the router its flow map and queue prefix, the roles the derived policies, the fake
//! the number, the application and the rule → a call through the deployed router → the owner's
//! PIN, missing until given, then written hashed → deploy again changes nothing (the PIN kept) →
//! `--set-secret` replaces it → destroy → nothing is left, in any service, and the number is
//! released → a deploy with a slow order, and a second deploy beside it that refuses to touch the
//! stack being created → destroy --keep-data keeps the table and the bucket, nothing else.

use std::collections::BTreeSet;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use aws_config::BehaviorVersion;
use aws_sdk_dynamodb::types::AttributeValue;
use serde_json::{json, Value};

const STACK: &str = "business";
const REGION: &str = "us-east-1";

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// `bootstrap.zip` holding `binary` as `bootstrap`, executable.
fn zip_lambda(binary: &Path, out: &Path) {
    let bytes = std::fs::read(binary).unwrap_or_else(|e| panic!("{}: {e}", binary.display()));
    let file = std::fs::File::create(out).unwrap();
    let mut zip = zip::ZipWriter::new(file);
    let options = zip::write::SimpleFileOptions::default().unix_permissions(0o755);
    zip.start_file("bootstrap", options).unwrap();
    zip.write_all(&bytes).unwrap();
    zip.finish().unwrap();
}

fn command(bin: &str, args: &[&str], url: &str) -> Output {
    command_with(bin, args, url, None)
}

/// `command`, with the owner's PIN in `SWITCHBOARD_SECRET_OWNER_PIN` when `pin` is given (and
/// never from the test's own environment otherwise). Its stdin is not a terminal, so deploy
/// never asks.
fn command_with(bin: &str, args: &[&str], url: &str, pin: Option<&str>) -> Output {
    let out = prepared(bin, args, url, pin)
        .output()
        .unwrap_or_else(|e| panic!("running {bin}: {e}"));
    eprintln!(
        "$ {} {}\n{}{}",
        Path::new(bin).file_name().unwrap().to_string_lossy(),
        args.join(" "),
        String::from_utf8_lossy(&out.stderr),
        String::from_utf8_lossy(&out.stdout)
    );
    out
}

/// `bin` with `args`, set to reach the emulator at `url` (and the owner's PIN, if given).
fn prepared(bin: &str, args: &[&str], url: &str, pin: Option<&str>) -> Command {
    let mut cmd = Command::new(bin);
    cmd.env_remove("SWITCHBOARD_SECRET_OWNER_PIN");
    if let Some(pin) = pin {
        cmd.env("SWITCHBOARD_SECRET_OWNER_PIN", pin);
    }
    cmd.args(args)
        .env("AWS_ENDPOINT_URL", url)
        .env("SWITCHBOARD_S3_PATH_STYLE", "1")
        .env("AWS_ACCESS_KEY_ID", "test")
        .env("AWS_SECRET_ACCESS_KEY", "test")
        .env_remove("AWS_PROFILE");
    cmd
}

/// GET on the fake of Chime SDK Voice: everything it holds.
fn fake_state(url: &str) -> Value {
    fake_request(url, "GET", "/_fake/state", "")
}

/// How the fake's phone number orders go from now on (`POST /_fake/orders`).
fn fake_orders(url: &str, orders: Value) -> Value {
    fake_request(url, "POST", "/_fake/orders", &orders.to_string())
}

/// One request to the fake's own endpoints. The fake keeps connections alive, so the body is
/// read by its `Content-Length`.
fn fake_request(url: &str, method: &str, path: &str, body: &str) -> Value {
    use std::io::BufRead;
    let addr = url.trim_start_matches("http://");
    let mut s = std::net::TcpStream::connect(addr).expect("connect to the fake");
    write!(
        s,
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut reader = std::io::BufReader::new(s);
    let mut length = 0usize;
    loop {
        let mut line = String::new();
        reader.read_line(&mut line).unwrap();
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some((k, v)) = line.split_once(':') {
            if k.eq_ignore_ascii_case("content-length") {
                length = v.trim().parse().unwrap();
            }
        }
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body).unwrap();
    serde_json::from_slice(&body).unwrap_or_else(|e| panic!("fake state: {e}"))
}

/// The app stack's resources: logical id → physical id.
async fn app_resources(
    cfn: &aws_sdk_cloudformation::Client,
) -> std::collections::BTreeMap<String, String> {
    cfn.list_stack_resources()
        .stack_name(STACK)
        .send()
        .await
        .unwrap()
        .stack_resource_summaries()
        .iter()
        .map(|r| {
            (
                r.logical_resource_id().unwrap().to_owned(),
                r.physical_resource_id().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

/// No state machine and no Lambda function is left.
async fn no_flows_left(sfn: &aws_sdk_sfn::Client, lambda: &aws_sdk_lambda::Client) {
    let machines = sfn.list_state_machines().send().await.unwrap();
    assert!(machines.state_machines().is_empty(), "state machines left");
    let functions = lambda.list_functions().send().await.unwrap();
    assert!(functions.functions().is_empty(), "functions left");
}

/// A PSTN audio invocation event for the deployed number.
fn event(kind: &str, number: &str, seq: u64, status: &str) -> Value {
    json!({
        "SchemaVersion": "1.0",
        "Sequence": seq,
        "InvocationEventType": kind,
        "CallDetails": {
            "TransactionId": "lifecycle-call-0001",
            "AwsAccountId": "000000000000",
            "AwsRegion": REGION,
            "SipMediaApplicationId": "sma",
            "Participants": [{
                "CallId": "lifecycle-leg-a",
                "ParticipantTag": "LEG-A",
                "To": number,
                "From": "+13125550142",
                "Direction": "Inbound",
                "StartTimeInMilliseconds": "1700000000000",
                "Status": status
            }]
        }
    })
}

#[tokio::test(flavor = "multi_thread")]
async fn deploy_call_redeploy_destroy_leaves_nothing() {
    let Ok(url) = std::env::var("SWITCHBOARD_CFN_URL") else {
        eprintln!("SKIPPED: SWITCHBOARD_CFN_URL is not set (test.sh runs this through deploy/emulator/lifecycle.sh)");
        return;
    };
    let fake = std::env::var("SWITCHBOARD_FAKE_CHIME_URL")
        .expect("lifecycle.sh sets SWITCHBOARD_FAKE_CHIME_URL");
    let bins = PathBuf::from(
        std::env::var("SWITCHBOARD_LAMBDA_BINARIES")
            .expect("lifecycle.sh sets SWITCHBOARD_LAMBDA_BINARIES"),
    );
    let work = std::env::temp_dir().join(format!("switchboard-lifecycle-{}", std::process::id()));
    std::fs::create_dir_all(&work).unwrap();
    let (router_zip, provider_zip) = (work.join("router.zip"), work.join("provider.zip"));
    zip_lambda(&bins.join("bootstrap"), &router_zip);
    zip_lambda(&bins.join("provider"), &provider_zip);
    let deploy = env!("CARGO_BIN_EXE_deploy");
    let destroy = env!("CARGO_BIN_EXE_destroy");
    let common = ["--region", REGION, "--stack", STACK];
    let zips = [
        "--router-zip",
        router_zip.to_str().unwrap(),
        "--provider-zip",
        provider_zip.to_str().unwrap(),
    ];

    // An area code with no numbers (the fake has none in 907): deploy fails saying what to do,
    // and the number stack it rolled back is recreated by the next deploy.
    let args: Vec<&str> = common
        .iter()
        .chain(&["--area-code", "907"])
        .chain(&zips)
        .copied()
        .collect();
    let out = command(deploy, &args, &url);
    assert!(!out.status.success(), "deploy succeeded without a number");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("907") && err.contains("--area-code"),
        "the error does not say what to do: {err}"
    );
    assert!(!String::from_utf8_lossy(&out.stdout).contains("Call +1"));

    // An order the service fails: deploy fails with the order's own words, tells no one to call,
    // and the number stack it rolled back is recreated by the next deploy.
    fake_orders(&fake, json!({"End": "Failed"}));
    let in_212: Vec<&str> = common
        .iter()
        .chain(&["--area-code", "212"])
        .chain(&zips)
        .copied()
        .collect();
    let out = command(deploy, &in_212, &url);
    assert!(
        !out.status.success(),
        "deploy succeeded with a failed order"
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("Failed"),
        "the order's failure is not reported: {err}"
    );
    assert!(!String::from_utf8_lossy(&out.stdout).contains("Call +1"));
    fake_orders(&fake, json!({"End": "Successful"}));

    // The first deploy orders a number in 212.
    let out = command(deploy, &in_212, &url);
    assert!(out.status.success(), "deploy failed");
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    let call_line = stdout
        .lines()
        .find(|l| l.starts_with("Call +1 212 "))
        .unwrap_or_else(|| panic!("no `Call +1 212 …` line in {stdout}"));
    let number: String = call_line
        .trim_start_matches("Call ")
        .chars()
        .filter(|c| *c != ' ')
        .collect();

    let config = aws_config::defaults(BehaviorVersion::latest())
        .region(aws_config::Region::new(REGION))
        .endpoint_url(&url)
        .credentials_provider(aws_sdk_sts::config::Credentials::new(
            "test", "test", None, None, "test",
        ))
        .load()
        .await;
    let cfn = aws_sdk_cloudformation::Client::new(&config);
    let sfn = aws_sdk_sfn::Client::new(&config);
    let lambda = aws_sdk_lambda::Client::new(&config);
    let iam = aws_sdk_iam::Client::new(&config);

    // Three stacks, complete.
    for name in [
        format!("{STACK}-artifacts"),
        format!("{STACK}-number"),
        STACK.to_owned(),
    ] {
        let s = cfn
            .describe_stacks()
            .stack_name(&name)
            .send()
            .await
            .unwrap();
        let status = s.stacks()[0].stack_status().unwrap().as_str().to_owned();
        assert_eq!(status, "CREATE_COMPLETE", "{name}");
    }
    let resources = app_resources(&cfn).await;

    // The state machine holds the definition compiled with the number, substitutions applied.
    let machine_arn =
        format!("arn:aws:states:{REGION}:000000000000:stateMachine:{STACK}-business-phone");
    let described = sfn
        .describe_state_machine()
        .state_machine_arn(&machine_arn)
        .send()
        .await
        .unwrap();
    let deployed: Value = serde_json::from_str(described.definition()).unwrap();
    let compiled = std::fs::read_to_string(
        root().join("target/switchboard-deploy/business/business-phone.asl.json"),
    )
    .unwrap();
    let role_name = &resources["SchedulerRole"];
    let expected = compiled
        .replace(
            "${SchedulerRoleArn}",
            &format!("arn:aws:iam::000000000000:role/{role_name}"),
        )
        .replace("${ScheduleGroup}", &resources["ScheduleGroup"])
        .replace(
            "${BusinessPhoneMessages}",
            &resources["TableBusinessPhoneMessages"],
        )
        .replace(
            "${acme-business-phone}",
            &resources["BucketAcmeBusinessPhone"],
        );
    assert!(
        !expected.contains("${"),
        "a substitution the test does not know"
    );
    assert_eq!(
        deployed,
        serde_json::from_str::<Value>(&expected).unwrap(),
        "the deployed definition"
    );
    assert!(
        compiled.contains(&number),
        "the flows were compiled with the ordered number"
    );

    // The router: its flow map and queue prefix.
    let router = lambda
        .get_function_configuration()
        .function_name(format!("{STACK}-router"))
        .send()
        .await
        .unwrap();
    let vars = router
        .environment()
        .and_then(|e| e.variables())
        .cloned()
        .unwrap_or_default();
    let flows: Value = serde_json::from_str(&vars["SWITCHBOARD_CALL_FLOWS"]).unwrap();
    assert_eq!(flows, json!({ &number: machine_arn }));
    assert_eq!(vars["SWITCHBOARD_QUEUE_PREFIX"], format!("{STACK}_"));

    // The role holds the policy derived from the definition.
    let template: Value = serde_json::from_str(
        &std::fs::read_to_string(
            root().join("target/switchboard-deploy/business/business.template.json"),
        )
        .unwrap(),
    )
    .unwrap();
    let want: BTreeSet<String> = template["Resources"]["BusinessPhoneRole"]["Properties"]
        ["Policies"][0]["PolicyDocument"]["Statement"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| {
            s["Action"]
                .as_array()
                .unwrap()
                .iter()
                .map(|a| a.as_str().unwrap().to_owned())
        })
        .collect();
    let policy = iam
        .get_role_policy()
        .role_name(&resources["BusinessPhoneRole"])
        .policy_name("flow")
        .send()
        .await
        .unwrap();
    let doc: Value = serde_json::from_str(&urlencoding_decode(policy.policy_document())).unwrap();
    let got: BTreeSet<String> = doc["Statement"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| match &s["Action"] {
            Value::Array(a) => a
                .iter()
                .map(|a| a.as_str().unwrap().to_owned())
                .collect::<Vec<_>>(),
            Value::String(a) => vec![a.clone()],
            _ => vec![],
        })
        .collect();
    assert_eq!(got, want, "the state machine role's policy");

    // The fake holds the number, the application pointing at the router, the rule.
    let state = fake_state(&fake);
    assert!(
        state["Numbers"].get(&number).is_some(),
        "the fake has no {number}: {state}"
    );
    let smas: Vec<&Value> = state["SipMediaApplications"]
        .as_object()
        .unwrap()
        .values()
        .collect();
    assert_eq!(smas.len(), 1, "{state}");
    assert_eq!(
        smas[0]["Endpoints"][0]["LambdaArn"],
        router.function_arn().unwrap()
    );
    let rules: Vec<&Value> = state["SipRules"].as_object().unwrap().values().collect();
    assert_eq!(rules.len(), 1, "{state}");
    assert_eq!(rules[0]["TriggerValue"], number.as_str());
    assert_eq!(
        rules[0]["TargetApplications"][0]["SipMediaApplicationId"],
        smas[0]["SipMediaApplicationId"]
    );

    // A call through the deployed router: the first answer is the flow's, not an apology.
    let invoke = |e: Value| {
        let lambda = lambda.clone();
        async move {
            let out = lambda
                .invoke()
                .function_name(format!("{STACK}-router"))
                .payload(aws_smithy_types::Blob::new(e.to_string()))
                .send()
                .await
                .unwrap();
            assert!(
                out.function_error().is_none(),
                "router error: {:?}",
                out.payload()
            );
            serde_json::from_slice::<Value>(out.payload().unwrap().as_ref()).unwrap()
        }
    };
    let first = invoke(event("NEW_INBOUND_CALL", &number, 1, "Connected")).await;
    assert_eq!(first["SchemaVersion"], "1.0", "{first}");
    let actions = first["Actions"]
        .as_array()
        .unwrap_or_else(|| panic!("{first}"));
    assert!(!actions.is_empty(), "no actions: {first}");
    assert!(
        !first.to_string().contains("Sorry, something went wrong"),
        "the router apologised: {first}"
    );
    let last = invoke(event("HANGUP", &number, 2, "Disconnected")).await;
    assert_eq!(last["Actions"], json!([]), "{last}");

    // The owner's PIN: the first deploy had none to write and said how to set it; the next one
    // writes its hash where the owner's call reads it, and never the PIN itself.
    assert!(
        stdout.contains(
            "Still to do: the owner's PIN is not set, and the flows that check it refuse until it is."
        ),
        "{stdout}"
    );
    let dynamodb = aws_sdk_dynamodb::Client::new(&config);
    let table = app_resources(&cfn).await["TableBusinessPhoneMessages"].clone();
    let pin_item = || async {
        let item = dynamodb
            .get_item()
            .table_name(&table)
            .key("mailbox", AttributeValue::S(format!("{number}#owner")))
            .key("at", AttributeValue::N("0".into()))
            .send()
            .await
            .unwrap();
        item.item().cloned()
    };
    assert_eq!(
        pin_item().await,
        None,
        "a PIN item before any PIN was given"
    );
    let args: Vec<&str> = common.iter().chain(&zips).copied().collect();
    let out = command_with(deploy, &args, &url, Some("2468"));
    assert!(out.status.success(), "deploy with the PIN failed");
    let said = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(said.contains("  the owner's PIN: set\n"), "{said}");
    assert!(
        !said.contains("2468") && !said.contains("Still to do"),
        "{said}"
    );
    let hash_of = |pin: &str| {
        use sha2::{Digest, Sha256};
        format!("{:x}", Sha256::digest(format!("{number}:{pin}").as_bytes()))
    };
    let item = pin_item().await.expect("the PIN item");
    assert_eq!(item["pin_hash"], AttributeValue::S(hash_of("2468")));
    assert_eq!(
        item.len(),
        3,
        "mailbox, at, pin_hash and nothing else: {item:?}"
    );

    // Nothing changed: nothing uploaded, no change set executed, and a PIN already set is kept
    // even when another is in the environment.
    let out = command_with(deploy, &args, &url, Some("9999"));
    assert!(out.status.success(), "second deploy failed");
    assert!(
        String::from_utf8_lossy(&out.stdout).starts_with("Nothing changed"),
        "the second deploy changed something"
    );
    assert_eq!(
        pin_item().await.unwrap()["pin_hash"],
        AttributeValue::S(hash_of("2468"))
    );
    // --set-secret replaces it.
    let replace: Vec<&str> = args
        .iter()
        .chain(&["--set-secret", "owner-pin"])
        .copied()
        .collect();
    let out = command_with(deploy, &replace, &url, Some("1357"));
    assert!(out.status.success(), "deploy --set-secret failed");
    assert_eq!(
        pin_item().await.unwrap()["pin_hash"],
        AttributeValue::S(hash_of("1357"))
    );

    // Destroy, and nothing is left.
    let out = command(destroy, &common, &url);
    assert!(out.status.success(), "destroy failed");
    assert!(String::from_utf8_lossy(&out.stdout).contains("Nothing is left of the stack."));
    let stacks = cfn.list_stacks().send().await.unwrap();
    let live: Vec<String> = stacks
        .stack_summaries()
        .iter()
        .filter(|s| s.stack_status().map(|x| x.as_str()) != Some("DELETE_COMPLETE"))
        .map(|s| s.stack_name().unwrap_or_default().to_owned())
        .collect();
    assert!(live.is_empty(), "stacks left: {live:?}");
    no_flows_left(&sfn, &lambda).await;
    let roles = iam.list_roles().send().await.unwrap();
    assert!(
        roles.roles().is_empty(),
        "roles left: {:?}",
        roles
            .roles()
            .iter()
            .map(|r| r.role_name())
            .collect::<Vec<_>>()
    );
    let tables = aws_sdk_dynamodb::Client::new(&config)
        .list_tables()
        .send()
        .await
        .unwrap();
    assert!(
        tables.table_names().is_empty(),
        "tables left: {:?}",
        tables.table_names()
    );
    let s3 = aws_sdk_s3::Client::from_conf(
        aws_sdk_s3::config::Builder::from(&config)
            .force_path_style(true)
            .build(),
    );
    let buckets = s3.list_buckets().send().await.unwrap();
    assert!(
        buckets.buckets().is_empty(),
        "buckets left: {:?}",
        buckets
            .buckets()
            .iter()
            .map(|b| b.name())
            .collect::<Vec<_>>()
    );
    let queues = aws_sdk_sqs::Client::new(&config)
        .list_queues()
        .send()
        .await
        .unwrap();
    assert!(
        queues.queue_urls().is_empty(),
        "queues left: {:?}",
        queues.queue_urls()
    );
    let logs = aws_sdk_cloudwatchlogs::Client::new(&config);
    let groups = logs.describe_log_groups().send().await.unwrap();
    let groups: Vec<&str> = groups
        .log_groups()
        .iter()
        .filter_map(|g| g.log_group_name())
        .collect();
    assert!(groups.is_empty(), "log groups left: {groups:?}");
    let scheduler = aws_sdk_scheduler::Client::new(&config);
    let sgroups = scheduler.list_schedule_groups().send().await.unwrap();
    let sgroups: Vec<&str> = sgroups
        .schedule_groups()
        .iter()
        .filter_map(|g| g.name())
        .filter(|n| *n != "default")
        .collect();
    assert!(sgroups.is_empty(), "schedule groups left: {sgroups:?}");

    // The number deploy ordered is released; the application and the rule are gone.
    let state = fake_state(&fake);
    assert!(
        state["Numbers"].get(&number).is_none(),
        "the number is still held: {state}"
    );
    assert_eq!(state["SipMediaApplications"], json!({}), "{state}");
    assert_eq!(state["SipRules"], json!({}), "{state}");
    let calls: Vec<&str> = state["Calls"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert!(calls.contains(&"DeletePhoneNumber"), "{calls:?}");

    // Once more, while a second deploy tries to run beside it: its order is slow, so the number
    // stack is still being created when the second deploy reaches it, and the second deploy
    // refuses to touch it, saying why; the first one finishes as if alone.
    fake_orders(&fake, json!({"Polls": 3}));
    let first = prepared(deploy, &in_212, &url, None)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let number_stack = format!("{STACK}-number");
    let started = std::time::Instant::now();
    loop {
        let status = cfn
            .describe_stacks()
            .stack_name(&number_stack)
            .send()
            .await
            .ok()
            .and_then(|d| d.stacks().first()?.stack_status().cloned());
        if status.as_ref().map(|s| s.as_str()) == Some("CREATE_IN_PROGRESS") {
            break;
        }
        assert!(
            started.elapsed() < std::time::Duration::from_secs(60),
            "the number stack never showed CREATE_IN_PROGRESS (last: {status:?})"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let second = command(deploy, &in_212, &url);
    let first = first.wait_with_output().unwrap();
    eprintln!(
        "$ deploy (the first of two)\n{}{}",
        String::from_utf8_lossy(&first.stderr),
        String::from_utf8_lossy(&first.stdout)
    );
    fake_orders(&fake, json!({"Polls": 1}));
    assert!(
        !second.status.success(),
        "the second deploy ran beside the first"
    );
    let err = String::from_utf8_lossy(&second.stderr);
    assert!(
        err.contains(&format!(
            "stack {number_stack} is CREATE_IN_PROGRESS: another deploy or destroy is changing it"
        )),
        "{err}"
    );
    assert!(
        first.status.success(),
        "the first deploy failed beside the second"
    );
    assert!(String::from_utf8_lossy(&first.stdout).contains("Call +1 212 "));

    // Destroyed with --keep-data: the table and the bucket stay, with what they hold; everything
    // else goes.
    let resources = app_resources(&cfn).await;
    let (table, bucket) = (
        &resources["TableBusinessPhoneMessages"],
        &resources["BucketAcmeBusinessPhone"],
    );
    let args: Vec<&str> = common.iter().chain(&["--keep-data"]).copied().collect();
    let out = command(destroy, &args, &url);
    assert!(out.status.success(), "destroy --keep-data failed");
    let report = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(
        report.contains(&format!("kept AWS::DynamoDB::Table {table}")),
        "{report}"
    );
    assert!(
        report.contains(&format!("kept AWS::S3::Bucket {bucket}")),
        "{report}"
    );
    let tables = dynamodb.list_tables().send().await.unwrap();
    assert_eq!(tables.table_names(), [table.clone()], "the kept table");
    let beep = s3
        .get_object()
        .bucket(bucket)
        .key("prompts/beep.wav")
        .send()
        .await;
    assert!(beep.is_ok(), "the kept bucket lost its objects: {beep:?}");
    no_flows_left(&sfn, &lambda).await;
    // What --keep-data kept is the user's to remove.
    dynamodb
        .delete_table()
        .table_name(table)
        .send()
        .await
        .unwrap();
    s3.delete_object()
        .bucket(bucket)
        .key("prompts/beep.wav")
        .send()
        .await
        .unwrap();
    s3.delete_bucket().bucket(bucket).send().await.unwrap();
    let _ = std::fs::remove_dir_all(&work);
}

/// IAM returns policy documents URL-encoded (RFC 3986)
/// (https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetRolePolicy.html).
fn urlencoding_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let Ok(b) = u8::from_str_radix(&s[i + 1..i + 3], 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}
