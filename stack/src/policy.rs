//! Least-privilege IAM, derived from what each definition uses ([`Uses`]): exactly the actions its
//! states call, on exactly the resources they name. No statement grants `"Resource": "*"` except
//! where the service documents that the action takes no resource (each such place cites the page).

use serde_json::{json, Value};
use switchboard_compiler::uses::{ScheduleUse, Uses};

/// `arn:<partition>:<service>:<region>:<account>:<rest>` in this stack's account and region.
pub fn arn(service: &str, rest: &str) -> Value {
    json!({"Fn::Sub": format!("arn:${{AWS::Partition}}:{service}:${{AWS::Region}}:${{AWS::AccountId}}:{rest}")})
}

/// A policy document.
pub fn document(statements: Vec<Value>) -> Value {
    json!({"Version": "2012-10-17", "Statement": statements})
}

/// One `Allow` statement.
pub fn allow(sid: &str, actions: &[&str], resources: Vec<Value>) -> Value {
    json!({"Sid": sid, "Effect": "Allow", "Action": actions, "Resource": resources})
}

/// A role's trust policy for an AWS service, held to this account
/// (`aws:SourceAccount`, the confused-deputy guard:
/// <https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html>).
pub fn trust(service: &str) -> Value {
    json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Effect": "Allow",
            "Principal": {"Service": service},
            "Action": "sts:AssumeRole",
            "Condition": {"StringEquals": {"aws:SourceAccount": {"Ref": "AWS::AccountId"}}}
        }]
    })
}

/// How the stack refers to the resources a flow names.
pub trait Resolve {
    /// The table's ARN, for a name as the definition writes it.
    fn table_arn(&self, name: &str) -> Value;
    /// The function's ARN, for `FunctionName` as written (a name, or an ARN of any form).
    fn function_arn(&self, name: &str) -> Value;
    /// A role's ARN, as written in the definition (an ARN, or a deploy-time value).
    fn role_arn(&self, written: &str) -> Value;
    /// A schedule group's name, as written.
    fn schedule_group(&self, written: &str) -> Value;
    /// The ARN pattern of the router's per-call queues (`<prefix>*`).
    fn queue_arn(&self) -> Value;
}

/// The statements of a state machine's role: one per kind of use, each on exactly the
/// resources the definition names.
pub fn state_machine(uses: &Uses, r: &dyn Resolve) -> Vec<Value> {
    let mut out = Vec::new();
    if uses.queue {
        // `sqs:sendMessage(.waitForTaskToken)` needs sqs:SendMessage on the queue
        // (https://docs.aws.amazon.com/step-functions/latest/dg/sqs-iam.html); the router
        // creates one queue per call under the stack's prefix.
        out.push(allow(
            "SendToCallQueues",
            &["sqs:SendMessage"],
            vec![r.queue_arn()],
        ));
    }
    for (table, actions) in &uses.tables {
        let actions: Vec<String> = actions.iter().map(|a| format!("dynamodb:{a}")).collect();
        let actions: Vec<&str> = actions.iter().map(String::as_str).collect();
        out.push(allow(&table_id(table), &actions, vec![r.table_arn(table)]));
    }
    if !uses.functions.is_empty() {
        // `lambda:invoke` on a function and its versions and aliases
        // (https://docs.aws.amazon.com/step-functions/latest/dg/lambda-iam.html).
        let mut resources = Vec::new();
        for f in &uses.functions {
            let base = r.function_arn(f);
            resources.push(base.clone());
            resources.push(json!({"Fn::Join": ["", [base, ":*"]]}));
        }
        out.push(allow(
            "InvokeFunctions",
            &["lambda:InvokeFunction"],
            resources,
        ));
    }
    schedules(&uses.schedules, r, &mut out);
    out
}

/// `scheduler:CreateSchedule` on the schedules of each group a flow creates in, and passing
/// each target role to EventBridge Scheduler only
/// (<https://docs.aws.amazon.com/scheduler/latest/UserGuide/setting-up.html#setting-up-execution-role>,
/// `iam:PassedToService`: <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_iam-condition-keys.html#ck_PassedToService>).
fn schedules(
    schedules: &std::collections::BTreeSet<ScheduleUse>,
    r: &dyn Resolve,
    out: &mut Vec<Value>,
) {
    if schedules.is_empty() {
        return;
    }
    let mut groups = Vec::new();
    let mut roles = Vec::new();
    for s in schedules {
        let g = json!({"Fn::Sub": [
            "arn:${AWS::Partition}:scheduler:${AWS::Region}:${AWS::AccountId}:schedule/${Group}/*",
            {"Group": r.schedule_group(&s.group)}
        ]});
        if !groups.contains(&g) {
            groups.push(g);
        }
        let role = r.role_arn(&s.role_arn);
        if !roles.contains(&role) {
            roles.push(role);
        }
    }
    out.push(allow(
        "CreateSchedules",
        &["scheduler:CreateSchedule"],
        groups,
    ));
    let mut pass = allow("PassSchedulerRole", &["iam:PassRole"], roles);
    pass["Condition"] = json!({"StringEquals": {"iam:PassedToService": "scheduler.amazonaws.com"}});
    out.push(pass);
}

/// Delivering a state machine's logs to CloudWatch Logs. These actions take no resource: the
/// Step Functions guide's policy for logging grants them on `*`
/// (<https://docs.aws.amazon.com/step-functions/latest/dg/cw-logs.html#cloudwatch-iam-policy>).
pub fn log_delivery() -> Value {
    allow(
        "DeliverLogs",
        &[
            "logs:CreateLogDelivery",
            "logs:GetLogDelivery",
            "logs:UpdateLogDelivery",
            "logs:DeleteLogDelivery",
            "logs:ListLogDeliveries",
            "logs:PutResourcePolicy",
            "logs:DescribeResourcePolicies",
            "logs:DescribeLogGroups",
        ],
        vec![json!("*")],
    )
}

/// The IAM action a universal EventBridge Scheduler target calls
/// (`arn:aws:scheduler:::aws-sdk:<service>:<apiAction>`,
/// <https://docs.aws.amazon.com/scheduler/latest/UserGuide/managing-targets-universal.html>):
/// the SDK's service name is not always the IAM prefix.
pub fn universal_target_action(target: &str) -> Option<String> {
    let rest = target.strip_prefix("arn:aws:scheduler:::aws-sdk:")?;
    let (service, api) = rest.split_once(':')?;
    let prefix = match service {
        // Chime SDK Voice's actions are `chime:` in IAM
        // (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonchimesdkvoice.html).
        "chimesdkvoice" => "chime",
        "sfn" => "states",
        "lambda" | "sqs" | "sns" | "dynamodb" | "s3" => service,
        _ => return None,
    };
    let mut c = api.chars();
    let first = c.next()?.to_ascii_uppercase();
    Some(format!("{prefix}:{first}{}", c.as_str()))
}

/// The logical id of the table the flows name `table` (`BusinessPhoneMessages` →
/// `TableBusinessPhoneMessages`), in the template and wherever the stack's resources are looked
/// up (deploy, destroy, tests).
pub fn table_id(table: &str) -> String {
    format!("Table{}", logical(table))
}

/// The logical id of the bucket the flows name `bucket` (`acme-business-phone` →
/// `BucketAcmeBusinessPhone`).
pub fn bucket_id(bucket: &str) -> String {
    format!("Bucket{}", logical(bucket))
}

/// A name as a CloudFormation logical id: letters and digits, each word capitalised.
pub fn logical(name: &str) -> String {
    name.trim_start_matches("${")
        .trim_end_matches('}')
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                .unwrap_or_default()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn universal_targets_map_the_sdk_service_to_its_iam_prefix() {
        assert_eq!(
            universal_target_action(
                "arn:aws:scheduler:::aws-sdk:chimesdkvoice:createSipMediaApplicationCall"
            )
            .as_deref(),
            Some("chime:CreateSipMediaApplicationCall")
        );
        assert_eq!(
            universal_target_action("arn:aws:scheduler:::aws-sdk:sfn:startExecution").as_deref(),
            Some("states:StartExecution")
        );
        assert_eq!(
            universal_target_action("arn:aws:scheduler:::aws-sdk:ec2:runInstances"),
            None
        );
    }

    #[test]
    fn logical_ids_are_alphanumeric_words() {
        assert_eq!(logical("business-phone"), "BusinessPhone");
        assert_eq!(logical("${BusinessPhoneMessages}"), "BusinessPhoneMessages");
        assert_eq!(logical("acme-call.recordings"), "AcmeCallRecordings");
    }
}
