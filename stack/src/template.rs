//! The application stack's CloudFormation template (plain JSON, no transform): per flow a
//! Standard state machine, its role and its log group; the router Lambda; the tables and buckets
//! the flows use; the EventBridge Scheduler group and role when a flow schedules calls; the SIP
//! media application and the SIP rule through the Chime SDK Voice provider
//! (`switchboard-provider`). The number and the provider come from the number stack
//! ([`crate::number`]), as parameters.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{json, Map, Value};
use sha2::{Digest, Sha256};
use switchboard_compiler::uses::{uses, Uses};
use switchboard_compiler::Compiled;

use crate::config::{StackConfig, TableConfig};
use crate::policy::{self, allow, arn, bucket_id, document, logical, table_id, trust, Resolve};

/// CloudFormation's limit on a template passed inline (`TemplateBody`); above it the template
/// goes through S3 (`TemplateURL`)
/// (<https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html>).
pub const MAX_TEMPLATE_BODY: usize = 51_200;

/// Placeholders every stack fills whatever its flows use.
pub const SUB_SCHEDULER_ROLE: &str = "SchedulerRoleArn";
pub const SUB_SCHEDULE_GROUP: &str = "ScheduleGroup";

/// The app stack for `name`, and the definitions to upload (S3 key → contents) when they do not
/// fit in the template.
#[derive(Debug, Clone)]
pub struct AppStack {
    pub template: Value,
    pub uploads: BTreeMap<String, String>,
}

/// Builds the app stack of `name` from its configuration and its compiled flows.
/// `keep_data` gives tables and buckets `DeletionPolicy: Retain` (what `destroy --keep-data`
/// applies before deleting the stack).
pub fn app(
    name: &str,
    stack: &StackConfig,
    flows: &[&Compiled],
    keep_data: bool,
) -> Result<AppStack, Vec<String>> {
    let mut errors = Vec::new();
    let per_flow: Vec<(&Compiled, Uses)> = flows.iter().map(|c| (*c, uses(&c.machine))).collect();
    let ctx = Context { stack };
    let mut resources = Map::new();
    let mut outputs = Map::new();

    let needs_scheduler = per_flow.iter().any(|(_, u)| !u.schedules.is_empty());
    // A resource the flows name as `${Name}` gets a name from CloudFormation; one they write
    // out is created under that name.
    let deploy_time: BTreeSet<String> = flows.iter().flat_map(|c| placeholders(&c.json)).collect();
    for (table, t) in &stack.tables {
        let named = (!deploy_time.contains(table)).then_some(table.as_str());
        resources.insert(table_id(table), table_resource(named, t, keep_data));
    }
    let mut audio = BucketUse::default();
    for (_, u) in &per_flow {
        audio.add(u, stack);
    }
    for bucket in stack.buckets.keys() {
        let id = bucket_id(bucket);
        let named = (!deploy_time.contains(bucket)).then_some(bucket.as_str());
        resources.insert(id.clone(), bucket_resource(named, keep_data));
        resources.insert(format!("{id}Policy"), audio.policy(bucket, &id));
    }

    let mut definitions = Vec::new();
    for (c, u) in &per_flow {
        let subs = ctx.substitutions(c, &mut errors);
        check_uses(name, stack, c, u, &mut errors);
        definitions.push((c, u, subs));
    }
    // Definitions go inline unless the template would then pass the inline limit.
    let inline_size: usize = definitions.iter().map(|(c, _, _)| c.json.len()).sum();
    let inline = inline_size + 20_000 < MAX_TEMPLATE_BODY;
    let mut uploads = BTreeMap::new();
    for (c, u, subs) in &definitions {
        let id = logical(&c.name);
        let definition = if inline {
            let parsed: Value = serde_json::from_str(&c.json).unwrap_or(Value::Null);
            json!({"Definition": parsed})
        } else {
            let key = definition_key(&c.json);
            uploads.insert(key.clone(), c.json.clone());
            json!({"DefinitionS3Location": {"Bucket": {"Ref": "ArtifactBucket"}, "Key": key}})
        };
        let mut props = Map::new();
        props.insert("StateMachineName".into(), ctx.machine_name(&c.name));
        props.insert("StateMachineType".into(), json!("STANDARD"));
        props.insert(
            "RoleArn".into(),
            json!({"Fn::GetAtt": [format!("{id}Role"), "Arn"]}),
        );
        if let Value::Object(d) = definition {
            props.extend(d);
        }
        if !subs.is_empty() {
            props.insert(
                "DefinitionSubstitutions".into(),
                Value::Object(subs.clone()),
            );
        }
        props.insert(
            "LoggingConfiguration".into(),
            json!({"Level": "ERROR", "IncludeExecutionData": false, "Destinations": [
                {"CloudWatchLogsLogGroup": {"LogGroupArn": {"Fn::GetAtt": [format!("{id}Logs"), "Arn"]}}}
            ]}),
        );
        props.insert("Tags".into(), tags());
        resources.insert(
            format!("{id}StateMachine"),
            json!({"Type": "AWS::StepFunctions::StateMachine", "Properties": props}),
        );
        resources.insert(
            format!("{id}Logs"),
            log_group(
                &format!("/aws/vendedlogs/states/${{AWS::StackName}}-{}", c.name),
                stack,
            ),
        );
        let mut statements = policy::state_machine(u, &ctx);
        statements.push(policy::log_delivery());
        resources.insert(
            format!("{id}Role"),
            json!({"Type": "AWS::IAM::Role", "Properties": {
                "AssumeRolePolicyDocument": trust("states.amazonaws.com"),
                "Policies": [{"PolicyName": "flow", "PolicyDocument": document(statements)}],
                "Tags": tags()
            }}),
        );
        outputs.insert(
            format!("{id}StateMachineArn"),
            json!({"Description": format!("The state machine of flow {}", c.name),
                   "Value": {"Ref": format!("{id}StateMachine")}}),
        );
    }
    if needs_scheduler {
        scheduler(&per_flow, &deploy_time, &mut resources, &mut errors);
    }
    router(stack, flows, &mut resources);
    chime(&mut resources, &mut outputs);
    if !errors.is_empty() {
        errors.sort();
        errors.dedup();
        return Err(errors);
    }
    let template = json!({
        "AWSTemplateFormatVersion": "2010-09-09",
        "Description": format!("Switchboard app `{name}`: flows {}, generated by `cargo run --bin compile` from workflows/switchboard.toml [stack.{name}]", stack.flows.join(", ")),
        "Parameters": {
            "ArtifactBucket": {"Type": "String", "Description": "Bucket holding the router's code and the definitions (the artifacts stack's)"},
            "RouterCodeKey": {"Type": "String", "Description": "S3 key of the router's bootstrap.zip"},
            "ProviderArn": {"Type": "String", "Description": "The Chime SDK Voice provider Lambda (the number stack's output ProviderArn)"},
            "PhoneNumber": {"Type": "String", "AllowedPattern": "^\\+[1-9][0-9]{6,14}$",
                            "Description": "The business number, E.164 (the number stack's output PhoneNumber)"}
        },
        "Resources": resources,
        "Outputs": outputs,
    });
    Ok(AppStack { template, uploads })
}

/// `definitions/<sha256>.asl.json`: content-addressed, so an unchanged definition is never
/// uploaded again and its key never changes.
pub fn definition_key(json: &str) -> String {
    format!("definitions/{:x}.asl.json", Sha256::digest(json.as_bytes()))
}

fn tags() -> Value {
    json!([{"Key": "switchboard:stack", "Value": {"Ref": "AWS::StackName"}}])
}

fn log_group(name: &str, stack: &StackConfig) -> Value {
    json!({"Type": "AWS::Logs::LogGroup", "DeletionPolicy": "Delete", "UpdateReplacePolicy": "Delete",
           "Properties": {"LogGroupName": {"Fn::Sub": name}, "RetentionInDays": stack.log_retention_days}})
}

/// How the stack names what the flows use.
struct Context<'a> {
    stack: &'a StackConfig,
}

impl Context<'_> {
    fn machine_name(&self, flow: &str) -> Value {
        json!({"Fn::Sub": format!("${{AWS::StackName}}-{flow}")})
    }

    /// The `DefinitionSubstitutions` of a definition: every `${Name}` in it, resolved to the
    /// stack resource it names.
    fn substitutions(&self, c: &Compiled, errors: &mut Vec<String>) -> Map<String, Value> {
        let mut out = Map::new();
        for name in placeholders(&c.json) {
            let value = if self.stack.tables.contains_key(&name) {
                json!({"Ref": table_id(&name)})
            } else if self.stack.buckets.contains_key(&name) {
                json!({"Ref": bucket_id(&name)})
            } else if name == SUB_SCHEDULER_ROLE {
                json!({"Fn::GetAtt": ["SchedulerRole", "Arn"]})
            } else if name == SUB_SCHEDULE_GROUP {
                json!({"Ref": "ScheduleGroup"})
            } else {
                errors.push(format!(
                    "flow `{}`: its definition uses ${{{name}}}, which the stack does not declare: add [stack.<name>.tables.{name}] or [stack.<name>.buckets.{name}] to workflows/switchboard.toml, or write the name out",
                    c.name
                ));
                continue;
            };
            out.insert(name, value);
        }
        out
    }
}

impl Resolve for Context<'_> {
    fn table_arn(&self, name: &str) -> Value {
        let bare = bare(name);
        if self.stack.tables.contains_key(bare) {
            json!({"Fn::GetAtt": [table_id(bare), "Arn"]})
        } else {
            arn("dynamodb", &format!("table/{name}"))
        }
    }

    fn function_arn(&self, name: &str) -> Value {
        if name.starts_with("arn:") {
            json!(name)
        } else {
            arn("lambda", &format!("function:{name}"))
        }
    }

    fn role_arn(&self, written: &str) -> Value {
        if bare(written) == SUB_SCHEDULER_ROLE {
            json!({"Fn::GetAtt": ["SchedulerRole", "Arn"]})
        } else {
            json!(written)
        }
    }

    fn schedule_group(&self, written: &str) -> Value {
        if bare(written) == SUB_SCHEDULE_GROUP {
            json!({"Ref": "ScheduleGroup"})
        } else {
            json!(written)
        }
    }

    fn queue_arn(&self) -> Value {
        arn("sqs", "${AWS::StackName}_*")
    }
}

/// `Name` for `${Name}`, else the name itself.
fn bare(name: &str) -> &str {
    name.strip_prefix("${")
        .and_then(|n| n.strip_suffix('}'))
        .unwrap_or(name)
}

/// Every `${Name}` in a definition's text, in order of first use.
pub fn placeholders(json: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut rest = json;
    while let Some(i) = rest.find("${") {
        let after = &rest[i + 2..];
        match after.find('}') {
            Some(j)
                if j > 0
                    && after[..j]
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '.') =>
            {
                let name = after[..j].to_owned();
                if !out.contains(&name) {
                    out.push(name);
                }
                rest = &after[j + 1..];
            }
            _ => rest = after,
        }
    }
    out
}

/// Whatever a flow uses that the stack cannot grant: a table it does not declare, a name
/// computed at run time, a Task resource the policy generator does not know.
fn check_uses(name: &str, stack: &StackConfig, c: &Compiled, u: &Uses, errors: &mut Vec<String>) {
    for table in u.tables.keys() {
        if !stack.tables.contains_key(bare(table)) {
            errors.push(format!(
                "flow `{}` uses table `{table}`, which stack `{name}` does not declare: add [stack.{name}.tables.{}] with its keys to workflows/switchboard.toml",
                c.name, bare(table)
            ));
        }
    }
    for bucket in u.audio.keys() {
        if !stack.buckets.contains_key(bare(bucket)) {
            errors.push(format!(
                "flow `{}` plays or records audio in bucket `{bucket}`, which stack `{name}` does not declare: add [stack.{name}.buckets.{}]",
                c.name, bare(bucket)
            ));
        }
    }
    for d in &u.dynamic {
        let audio_read = d.what.starts_with("the bucket of the audio")
            || d.what.starts_with("the key of the audio")
            || d.what.starts_with("the bucket of the failure audio")
            || d.what.starts_with("the key of the failure audio");
        if audio_read && stack.buckets.values().any(|b| !b.play.is_empty()) {
            continue;
        }
        let fix = if audio_read {
            format!("declare the prefixes it may play in [stack.{name}.buckets.<bucket>] play = [\"prefix/\"]")
        } else {
            "write the name out, or as a deploy-time ${Name} the stack declares".to_owned()
        };
        errors.push(format!(
            "flow `{}`: {}: {} is computed while the call runs ({}), so no policy can name it: {fix}",
            c.name,
            d.site.describe(),
            d.what,
            d.expression
        ));
    }
    for x in &u.unknown {
        errors.push(format!(
            "flow `{}`: {}: Switchboard cannot derive the permissions of `{}`: it grants DynamoDB item and query calls, lambda:invoke, scheduler:createSchedule and the router's queues",
            c.name,
            x.site.describe(),
            x.resource
        ));
    }
}

fn table_resource(name: Option<&str>, t: &TableConfig, keep_data: bool) -> Value {
    let mut attrs = vec![
        json!({"AttributeName": t.partition_key.name, "AttributeType": t.partition_key.kind.as_str()}),
    ];
    let mut keys = vec![json!({"AttributeName": t.partition_key.name, "KeyType": "HASH"})];
    if let Some(s) = &t.sort_key {
        attrs.push(json!({"AttributeName": s.name, "AttributeType": s.kind.as_str()}));
        keys.push(json!({"AttributeName": s.name, "KeyType": "RANGE"}));
    }
    let mut props = Map::new();
    if let Some(name) = name {
        props.insert("TableName".into(), json!(name));
    }
    props.insert("BillingMode".into(), json!("PAY_PER_REQUEST"));
    props.insert("AttributeDefinitions".into(), json!(attrs));
    props.insert("KeySchema".into(), json!(keys));
    if let Some(ttl) = &t.ttl {
        props.insert(
            "TimeToLiveSpecification".into(),
            json!({"AttributeName": ttl, "Enabled": true}),
        );
    }
    props.insert("Tags".into(), tags());
    let policy = if keep_data { "Retain" } else { "Delete" };
    json!({"Type": "AWS::DynamoDB::Table", "DeletionPolicy": policy, "UpdateReplacePolicy": "Retain", "Properties": props})
}

fn bucket_resource(name: Option<&str>, keep_data: bool) -> Value {
    let mut props = Map::new();
    if let Some(name) = name {
        props.insert("BucketName".into(), json!(name));
    }
    props.insert(
        "PublicAccessBlockConfiguration".into(),
        json!({"BlockPublicAcls": true, "BlockPublicPolicy": true, "IgnorePublicAcls": true, "RestrictPublicBuckets": true}),
    );
    props.insert(
        "BucketEncryption".into(),
        json!({"ServerSideEncryptionConfiguration": [{"ServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]}),
    );
    props.insert(
        "OwnershipControls".into(),
        json!({"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]}),
    );
    props.insert("Tags".into(), tags());
    let policy = if keep_data { "Retain" } else { "Delete" };
    json!({"Type": "AWS::S3::Bucket", "DeletionPolicy": policy, "UpdateReplacePolicy": "Retain", "Properties": props})
}

/// What PSTN audio reads and writes in each bucket, over every flow of the stack.
#[derive(Default)]
struct BucketUse {
    play: BTreeMap<String, BTreeSet<String>>,
    record: BTreeMap<String, BTreeSet<String>>,
}

impl BucketUse {
    fn add(&mut self, u: &Uses, stack: &StackConfig) {
        for (bucket, a) in &u.audio {
            let b = bare(bucket).to_owned();
            self.play
                .entry(b.clone())
                .or_default()
                .extend(a.play.iter().cloned());
            self.record
                .entry(b)
                .or_default()
                .extend(a.record.iter().cloned());
        }
        for (bucket, b) in &stack.buckets {
            self.play
                .entry(bucket.clone())
                .or_default()
                .extend(b.play.iter().cloned());
        }
    }

    /// The bucket policy: PSTN audio (`voiceconnector.chime.amazonaws.com`, for this account
    /// only) may read what the flows play and write what they record, nothing else; no access
    /// without TLS. PlayAudio needs `s3:GetObject`
    /// (<https://docs.aws.amazon.com/chime-sdk/latest/dg/play-audio.html>); RecordAudio and
    /// StartCallRecording need `s3:PutObject` and `s3:PutObjectAcl`
    /// (<https://docs.aws.amazon.com/chime-sdk/latest/dg/record-audio.html>).
    fn policy(&self, bucket: &str, id: &str) -> Value {
        let objects = |keys: &BTreeSet<String>| -> Vec<Value> {
            keys.iter()
                .map(|k| {
                    let pattern = if k.is_empty() || k.ends_with('/') {
                        format!("{k}*")
                    } else {
                        k.clone()
                    };
                    json!({"Fn::Sub": format!("${{{id}.Arn}}/{pattern}")})
                })
                .collect()
        };
        // Only this stack's SIP media application, on PlayAudio's advice against the confused
        // deputy: aws:SourceAccount and aws:SourceArn.
        let from_pstn_audio = |sid: &str, actions: &[&str], resources: Vec<Value>| {
            json!({"Sid": sid, "Effect": "Allow",
            "Principal": {"Service": "voiceconnector.chime.amazonaws.com"},
            "Action": actions, "Resource": resources,
            "Condition": {
                "StringEquals": {"aws:SourceAccount": {"Ref": "AWS::AccountId"}},
                "ArnEquals": {"aws:SourceArn": {"Fn::Sub": "arn:${AWS::Partition}:chime:${AWS::Region}:${AWS::AccountId}:sma/${SipMediaApplication.SipMediaApplicationId}"}}
            }})
        };
        let mut statements = Vec::new();
        if let Some(play) = self.play.get(bucket).filter(|p| !p.is_empty()) {
            statements.push(from_pstn_audio(
                "PstnAudioPlays",
                &["s3:GetObject"],
                objects(play),
            ));
        }
        if let Some(rec) = self.record.get(bucket).filter(|p| !p.is_empty()) {
            statements.push(from_pstn_audio(
                "PstnAudioRecords",
                &["s3:PutObject", "s3:PutObjectAcl"],
                objects(rec),
            ));
        }
        statements.push(
            json!({"Sid": "TlsOnly", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
            "Resource": [{"Fn::GetAtt": [id, "Arn"]}, {"Fn::Sub": format!("${{{id}.Arn}}/*")}],
            "Condition": {"Bool": {"aws:SecureTransport": "false"}}}),
        );
        json!({"Type": "AWS::S3::BucketPolicy", "Properties": {
            "Bucket": {"Ref": id}, "PolicyDocument": document(statements)}})
    }
}

/// The schedule group and the role EventBridge Scheduler runs the flows' schedules with, each
/// when a definition names it (`${ScheduleGroup}`, `${SchedulerRoleArn}`): the role may call
/// exactly the targets of the schedules that pass it.
fn scheduler(
    flows: &[(&Compiled, Uses)],
    deploy_time: &BTreeSet<String>,
    resources: &mut Map<String, Value>,
    errors: &mut Vec<String>,
) {
    if deploy_time.contains(SUB_SCHEDULE_GROUP) {
        resources.insert(
            "ScheduleGroup".into(),
            json!({"Type": "AWS::Scheduler::ScheduleGroup", "Properties": {"Name": {"Ref": "AWS::StackName"}}}),
        );
    }
    if !deploy_time.contains(SUB_SCHEDULER_ROLE) {
        return;
    }
    let mut actions = BTreeSet::new();
    for (c, u) in flows {
        for s in u
            .schedules
            .iter()
            .filter(|s| bare(&s.role_arn) == SUB_SCHEDULER_ROLE)
        {
            match policy::universal_target_action(&s.target) {
                Some(a) => {
                    actions.insert(a);
                }
                None => errors.push(format!(
                    "flow `{}` schedules `{}`: Switchboard knows the IAM action of universal targets of Chime SDK Voice, Step Functions, Lambda, SQS, SNS, DynamoDB and S3 only",
                    c.name, s.target
                )),
            }
        }
    }
    let mut statements = Vec::new();
    for a in actions {
        // The calls a schedule places go through this stack's SIP media application.
        let resource = if a.starts_with("chime:") {
            json!({"Fn::Sub": "arn:${AWS::Partition}:chime:${AWS::Region}:${AWS::AccountId}:sma/${SipMediaApplication.SipMediaApplicationId}"})
        } else {
            errors.push(format!(
                "a flow schedules `{a}`: Switchboard grants schedules the stack's own SIP media application calls only"
            ));
            continue;
        };
        statements.push(allow("ScheduledTarget", &[a.as_str()], vec![resource]));
    }
    resources.insert(
        "SchedulerRole".into(),
        json!({"Type": "AWS::IAM::Role", "Properties": {
            "AssumeRolePolicyDocument": trust("scheduler.amazonaws.com"),
            "Policies": [{"PolicyName": "scheduled-calls", "PolicyDocument": document(statements)}],
            "Tags": tags()
        }}),
    );
}

/// The router Lambda, its role, its log group and the permission PSTN audio invokes it with.
fn router(stack: &StackConfig, flows: &[&Compiled], resources: &mut Map<String, Value>) {
    let machine_arn = |flow: &str| {
        format!("arn:${{AWS::Partition}}:states:${{AWS::Region}}:${{AWS::AccountId}}:stateMachine:${{AWS::StackName}}-{flow}")
    };
    let entry = stack.flows.first().cloned().unwrap_or_default();
    let flows_env = format!("{{\"${{PhoneNumber}}\": \"{}\"}}", machine_arn(&entry));
    let machines: Vec<Value> = flows
        .iter()
        .map(|c| json!({"Fn::Sub": machine_arn(&c.name)}))
        .collect();
    let executions: Vec<Value> = flows
        .iter()
        .map(|c| json!({"Fn::Sub": format!("arn:${{AWS::Partition}}:states:${{AWS::Region}}:${{AWS::AccountId}}:execution:${{AWS::StackName}}-{}:*", c.name)}))
        .collect();
    let statements = vec![
        allow("StartCalls", &["states:StartExecution"], machines),
        allow("WatchCalls", &["states:DescribeExecution"], executions),
        // SendTaskSuccess and SendTaskFailure take no resource type: the Service Authorization
        // Reference lists none for them, so they are granted on `*`
        // (https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsstepfunctions.html).
        allow(
            "CompleteTasks",
            &["states:SendTaskSuccess", "states:SendTaskFailure"],
            vec![json!("*")],
        ),
        allow(
            "CallQueues",
            &[
                "sqs:CreateQueue",
                "sqs:DeleteQueue",
                "sqs:ReceiveMessage",
                "sqs:DeleteMessage",
            ],
            vec![arn("sqs", "${AWS::StackName}_*")],
        ),
        allow(
            "Logs",
            &["logs:CreateLogStream", "logs:PutLogEvents"],
            vec![json!({"Fn::Sub": "${RouterLogs.Arn}:*"})],
        ),
    ];
    resources.insert(
        "RouterLogs".into(),
        log_group("/aws/lambda/${AWS::StackName}-router", stack),
    );
    resources.insert(
        "RouterRole".into(),
        json!({"Type": "AWS::IAM::Role", "Properties": {
            "AssumeRolePolicyDocument": trust("lambda.amazonaws.com"),
            "Policies": [{"PolicyName": "router", "PolicyDocument": document(statements)}],
            "Tags": tags()
        }}),
    );
    resources.insert(
        "RouterFunction".into(),
        json!({"Type": "AWS::Lambda::Function", "Properties": {
            "FunctionName": {"Fn::Sub": "${AWS::StackName}-router"},
            "Description": "Switchboard router: PSTN audio <-> Step Functions",
            "Runtime": "provided.al2023",
            "Handler": "bootstrap",
            "Architectures": ["x86_64"],
            "Code": {"S3Bucket": {"Ref": "ArtifactBucket"}, "S3Key": {"Ref": "RouterCodeKey"}},
            "MemorySize": stack.router_memory_mb,
            "Timeout": 10,
            "Role": {"Fn::GetAtt": ["RouterRole", "Arn"]},
            "LoggingConfig": {"LogGroup": {"Ref": "RouterLogs"}},
            "Environment": {"Variables": {
                "SWITCHBOARD_CALL_FLOWS": {"Fn::Sub": flows_env},
                "SWITCHBOARD_QUEUE_PREFIX": {"Fn::Sub": "${AWS::StackName}_"}
            }},
            "Tags": tags()
        }}),
    );
    resources.insert(
        "RouterInvokedByPstnAudio".into(),
        json!({"Type": "AWS::Lambda::Permission", "Properties": {
            "FunctionName": {"Fn::GetAtt": ["RouterFunction", "Arn"]},
            "Action": "lambda:InvokeFunction",
            "Principal": "voiceconnector.chime.amazonaws.com",
            "SourceAccount": {"Ref": "AWS::AccountId"}
        }}),
    );
}

/// The SIP media application (pointing at the router) and the SIP rule (the number → the
/// application), made by the provider.
fn chime(resources: &mut Map<String, Value>, outputs: &mut Map<String, Value>) {
    resources.insert(
        "SipMediaApplication".into(),
        json!({"Type": "Custom::SipMediaApplication", "DependsOn": ["RouterInvokedByPstnAudio"], "Properties": {
            "ServiceToken": {"Ref": "ProviderArn"},
            "Name": {"Ref": "AWS::StackName"},
            "AwsRegion": {"Ref": "AWS::Region"},
            "LambdaArn": {"Fn::GetAtt": ["RouterFunction", "Arn"]}
        }}),
    );
    resources.insert(
        "SipRule".into(),
        json!({"Type": "Custom::SipRule", "Properties": {
            "ServiceToken": {"Ref": "ProviderArn"},
            "Name": {"Ref": "AWS::StackName"},
            "TriggerValue": {"Ref": "PhoneNumber"},
            "SipMediaApplicationId": {"Fn::GetAtt": ["SipMediaApplication", "SipMediaApplicationId"]},
            "AwsRegion": {"Ref": "AWS::Region"}
        }}),
    );
    outputs.insert(
        "PhoneNumber".into(),
        json!({"Description": "Call this number", "Value": {"Ref": "PhoneNumber"}}),
    );
    outputs.insert(
        "SipMediaApplicationId".into(),
        json!({"Value": {"Fn::GetAtt": ["SipMediaApplication", "SipMediaApplicationId"]}}),
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{KeyAttribute, KeyType};
    use switchboard_compiler::Stats;

    fn compiled(name: &str, states: Value) -> Compiled {
        let machine: switchboard_asl::StateMachine = serde_json::from_value(
            json!({"QueryLanguage": "JSONata", "StartAt": "A", "States": states}),
        )
        .unwrap();
        let json = machine.to_canonical_json();
        Compiled {
            name: name.into(),
            machine,
            json,
            stats: Stats {
                states: 1,
                round_trips: 0,
                bytes: 0,
            },
            warnings: vec![],
            sources: Default::default(),
        }
    }

    fn stack(tables: &[&str]) -> StackConfig {
        StackConfig {
            flows: vec!["f".into()],
            number: None,
            tables: tables
                .iter()
                .map(|t| {
                    let key = KeyAttribute {
                        name: "k".into(),
                        kind: KeyType::S,
                    };
                    (
                        (*t).to_owned(),
                        TableConfig {
                            partition_key: key,
                            sort_key: None,
                            ttl: None,
                        },
                    )
                })
                .collect(),
            buckets: BTreeMap::new(),
            log_retention_days: 30,
            router_memory_mb: 256,
            secrets: Default::default(),
        }
    }

    fn put(table: &str) -> Value {
        json!({"A": {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:putItem",
                     "Comment": "workflows/src/flows/f.rs:3 — Put item",
                     "Arguments": {"TableName": table, "Item": {}}, "End": true}})
    }

    #[test]
    fn a_table_the_stack_does_not_declare_is_an_error_that_says_where_to_declare_it() {
        let c = compiled("f", put("Other"));
        let e = app("shop", &stack(&["Messages"]), &[&c], false).unwrap_err();
        assert_eq!(
            e,
            ["flow `f` uses table `Other`, which stack `shop` does not declare: add [stack.shop.tables.Other] with its keys to workflows/switchboard.toml"]
        );
        let e = app(
            "shop",
            &stack(&[]),
            &[&compiled("f", put("${Nope}"))],
            false,
        )
        .unwrap_err();
        assert!(
            e.iter()
                .any(|l| l.contains("uses ${Nope}, which the stack does not declare")),
            "{e:?}"
        );
    }

    #[test]
    fn a_deploy_time_table_is_named_by_cloudformation_and_substituted() {
        let c = compiled("f", put("${Messages}"));
        let a = app("shop", &stack(&["Messages"]), &[&c], false).unwrap();
        let r = &a.template["Resources"];
        assert!(r["TableMessages"]["Properties"].get("TableName").is_none());
        assert_eq!(
            r["FStateMachine"]["Properties"]["DefinitionSubstitutions"],
            json!({"Messages": {"Ref": "TableMessages"}})
        );
        assert_eq!(r["TableMessages"]["DeletionPolicy"], "Delete");
        let kept = app("shop", &stack(&["Messages"]), &[&c], true).unwrap();
        assert_eq!(
            kept.template["Resources"]["TableMessages"]["DeletionPolicy"],
            "Retain"
        );
        // A definition this small goes inline; nothing to upload.
        assert!(a.uploads.is_empty());
        assert!(r["FStateMachine"]["Properties"]["Definition"].is_object());
    }

    #[test]
    fn placeholders_are_the_names_in_dollar_braces() {
        assert_eq!(
            placeholders(r#"{"a": "${Table}", "b": "x ${Role_1} ${Table} $5 ${} ${a b}"}"#),
            ["Table", "Role_1"]
        );
    }
}
