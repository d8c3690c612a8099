//! Each state machine's policy in the templates of `dist/` grants what its definition uses, no
//! more: the actions are worked out here again, independently of `switchboard_compiler::uses`,
//! from the Task resources of `dist/<flow>.asl.json`, and compared with the role's statements.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde_json::Value;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn read(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Every Task of a definition, in branches too: (resource, arguments).
fn tasks(states: &Value, out: &mut Vec<(String, Value)>) {
    for state in states.as_object().into_iter().flat_map(|m| m.values()) {
        if state["Type"] == "Task" {
            out.push((
                state["Resource"].as_str().unwrap_or_default().to_owned(),
                state["Arguments"].clone(),
            ));
        }
        for b in state["Branches"].as_array().into_iter().flatten() {
            tasks(&b["States"], out);
        }
    }
}

/// `putItem` → `PutItem`.
fn pascal(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
        .unwrap_or_default()
}

/// The IAM actions a definition's Tasks need, by the Step Functions integration pages.
fn needed(definition: &Value) -> BTreeSet<String> {
    let mut ts = Vec::new();
    tasks(&definition["States"], &mut ts);
    let mut out = BTreeSet::new();
    for (resource, _) in ts {
        let r = resource.as_str();
        if r.starts_with("arn:aws:states:::sqs:sendMessage") {
            out.insert("sqs:SendMessage".to_owned());
        } else if let Some(api) = r
            .strip_prefix("arn:aws:states:::dynamodb:")
            .or_else(|| r.strip_prefix("arn:aws:states:::aws-sdk:dynamodb:"))
        {
            out.insert(format!("dynamodb:{}", pascal(api)));
        } else if r == "arn:aws:states:::lambda:invoke" {
            out.insert("lambda:InvokeFunction".to_owned());
        } else if r == "arn:aws:states:::aws-sdk:scheduler:createSchedule" {
            out.insert("scheduler:CreateSchedule".to_owned());
            out.insert("iam:PassRole".to_owned());
        } else {
            panic!("this test does not know the permissions of {r}: add it");
        }
    }
    out
}

/// The actions a role's inline policies allow, and the statements granting `*`.
fn granted(role: &Value) -> (BTreeSet<String>, Vec<String>) {
    let mut actions = BTreeSet::new();
    let mut star = Vec::new();
    for p in role["Properties"]["Policies"].as_array().unwrap() {
        for s in p["PolicyDocument"]["Statement"].as_array().unwrap() {
            assert_eq!(s["Effect"], "Allow", "{s}");
            for a in s["Action"].as_array().unwrap() {
                actions.insert(a.as_str().unwrap().to_owned());
            }
            if s["Resource"].as_array().unwrap().iter().any(|r| r == "*") {
                star.push(s["Sid"].as_str().unwrap().to_owned());
            }
        }
    }
    (actions, star)
}

/// The logging actions Step Functions documents on `*` (cw-logs.html).
const LOG_DELIVERY: [&str; 8] = [
    "logs:CreateLogDelivery",
    "logs:GetLogDelivery",
    "logs:UpdateLogDelivery",
    "logs:DeleteLogDelivery",
    "logs:ListLogDeliveries",
    "logs:PutResourcePolicy",
    "logs:DescribeResourcePolicies",
    "logs:DescribeLogGroups",
];

#[test]
fn every_state_machine_role_grants_exactly_what_its_definition_uses() {
    let dist = root().join("dist");
    let mut checked = 0;
    for entry in std::fs::read_dir(&dist).unwrap() {
        let path = entry.unwrap().path();
        let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
            continue;
        };
        if !name.ends_with(".template.json") || name.starts_with("switchboard-") {
            continue;
        }
        let template = read(&path);
        let resources = template["Resources"].as_object().unwrap();
        for (id, r) in resources {
            if r["Type"] != "AWS::StepFunctions::StateMachine" {
                continue;
            }
            let flow = r["Properties"]["StateMachineName"]["Fn::Sub"]
                .as_str()
                .unwrap()
                .trim_start_matches("${AWS::StackName}-")
                .to_owned();
            let definition = read(&dist.join(format!("{flow}.asl.json")));
            let role_id = r["Properties"]["RoleArn"]["Fn::GetAtt"][0]
                .as_str()
                .unwrap();
            let (actions, star) = granted(&resources[role_id]);
            let mut want = needed(&definition);
            want.extend(LOG_DELIVERY.iter().map(|s| (*s).to_owned()));
            assert_eq!(actions, want, "{name}: {id}'s role");
            assert_eq!(
                star,
                ["DeliverLogs"],
                "{name}: {id}: only log delivery may be on *"
            );
            checked += 1;
        }
    }
    assert!(
        checked >= 2,
        "no state machine found in dist/*.template.json"
    );
}

#[test]
fn table_statements_name_their_table_and_nothing_else() {
    let template = read(&root().join("dist/business.template.json"));
    let role = &template["Resources"]["BusinessPhoneRole"];
    let statements = role["Properties"]["Policies"][0]["PolicyDocument"]["Statement"]
        .as_array()
        .unwrap();
    let table: Vec<&Value> = statements
        .iter()
        .filter(|s| s["Action"][0].as_str().unwrap().starts_with("dynamodb:"))
        .collect();
    assert_eq!(table.len(), 1);
    assert_eq!(
        table[0]["Resource"],
        serde_json::json!([{"Fn::GetAtt": ["TableBusinessPhoneMessages", "Arn"]}])
    );
}
