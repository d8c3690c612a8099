//! Every state name in `dist/` is one Step Functions and Workflow Studio take
//! (`switchboard_asl::names`: printable ASCII without `"` or `\`, 1 to 80 characters, no
//! deploy-time `${…}` that CloudFormation would rewrite), read from the files as deployed.

use std::path::Path;

use serde_json::Value;
use switchboard_asl::names;

fn names_in(states: &Value, out: &mut Vec<String>) {
    for (name, state) in states.as_object().into_iter().flatten() {
        out.push(name.clone());
        for branch in state["Branches"].as_array().into_iter().flatten() {
            names_in(&branch["States"], out);
        }
        for key in ["ItemProcessor", "Iterator"] {
            names_in(&state[key]["States"], out);
        }
    }
}

#[test]
fn every_state_name_in_dist_is_ascii_within_80_characters_and_survives_deploy() {
    let dist = Path::new(env!("CARGO_MANIFEST_DIR")).join("../dist");
    let mut files: Vec<_> = std::fs::read_dir(&dist)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.to_string_lossy().ends_with(".asl.json"))
        .collect();
    files.sort();
    assert!(files.len() >= 5, "{files:?}");
    let mut problems = Vec::new();
    let mut count = 0;
    for file in &files {
        let asl: Value = serde_json::from_str(&std::fs::read_to_string(file).unwrap()).unwrap();
        let mut all = Vec::new();
        names_in(&asl["States"], &mut all);
        count += all.len();
        for name in all {
            if let Some(p) = names::problem(&name) {
                problems.push(format!("{}: {p}", file.display()));
            }
            if name.contains("${") {
                problems.push(format!(
                    "{}: {name:?} holds a deploy-time value",
                    file.display()
                ));
            }
        }
    }
    assert!(count > 100, "only {count} names read");
    assert!(problems.is_empty(), "{problems:#?}");
}
