//! Reading the edited definition: the three forms it comes in, and what is wrong with a file
//! that is none of them.
//!
//! - a definition exported from Workflow Studio, or copied from its Code view: the ASL object
//!   itself (`{"StartAt": …, "States": …}`);
//! - `aws stepfunctions describe-state-machine --output json`: an object whose `definition`
//!   field is the ASL as a string
//!   (<https://docs.aws.amazon.com/step-functions/latest/apireference/API_DescribeStateMachine.html>).
//!
//! The definition must read as Amazon States Language ([`StateMachine::from_json`], which names
//! the state and the field at fault), so the comparison never guesses at a half-read file.

use serde_json::Value as Json;
use std::fmt;
use std::path::{Path, PathBuf};
use switchboard_asl::StateMachine;

/// The edited definition, as JSON.
#[derive(Debug, Clone, PartialEq)]
pub struct Edited {
    pub definition: Json,
    pub form: Form,
}

/// Which of the forms the file was.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Form {
    /// The ASL object (a Workflow Studio export, a copy of its Code view).
    Definition,
    /// `describe-state-machine` output; the state machine's `name`, when given.
    Described { name: Option<String> },
}

/// A file that is not an edited definition: which file, and what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputError {
    pub file: PathBuf,
    pub message: String,
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.file.display(), self.message)
    }
}

impl std::error::Error for InputError {}

/// What to give instead, at the end of every error.
const GIVE: &str = "give a definition exported from Workflow Studio or copied from its Code view, \
                    or the output of `aws stepfunctions describe-state-machine --output json`";

/// Reads `path`.
pub fn read(path: &Path) -> Result<Edited, InputError> {
    let text = std::fs::read_to_string(path).map_err(|e| InputError {
        file: path.to_owned(),
        message: format!("cannot read it: {e}"),
    })?;
    parse(path, &text)
}

/// Reads the text of `path`.
pub fn parse(path: &Path, text: &str) -> Result<Edited, InputError> {
    let fail = |message: String| InputError {
        file: path.to_owned(),
        message,
    };
    let json: Json = serde_json::from_str(text).map_err(|e| {
        fail(format!(
            "line {}, column {}: not JSON ({e}); {GIVE}",
            e.line(),
            e.column()
        ))
    })?;
    let Json::Object(top) = &json else {
        return Err(fail(format!("the file is JSON but not an object; {GIVE}")));
    };
    let (definition, form) = match top.get("definition") {
        Some(Json::String(asl)) => {
            let definition = serde_json::from_str(asl).map_err(|e| {
                fail(format!(
                    "`definition` (describe-state-machine output): line {}, column {} of the definition: not JSON ({e})",
                    e.line(),
                    e.column()
                ))
            })?;
            let name = top.get("name").and_then(Json::as_str).map(str::to_owned);
            (definition, Form::Described { name })
        }
        Some(_) => {
            return Err(fail(
                "`definition` is not a string: describe-state-machine gives the definition as a JSON string"
                    .into(),
            ))
        }
        None => (json.clone(), Form::Definition),
    };
    let Json::Object(asl) = &definition else {
        return Err(fail(format!("the definition is not a JSON object; {GIVE}")));
    };
    if !asl.contains_key("States") || !asl.contains_key("StartAt") {
        let mut keys: Vec<&str> = asl.keys().map(String::as_str).collect();
        keys.truncate(8);
        return Err(fail(format!(
            "not a state machine definition: it has no `StartAt` and `States` (its keys: {}); {GIVE}",
            keys.join(", ")
        )));
    }
    StateMachine::from_json(&definition.to_string()).map_err(|e| {
        fail(format!(
            "not a definition Step Functions accepts: {e}; fix it in Workflow Studio and export it again"
        ))
    })?;
    Ok(Edited { definition, form })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn parsed(text: &str) -> Result<Edited, String> {
        parse(Path::new("edited.json"), text).map_err(|e| e.to_string())
    }

    const ASL: &str = r#"{"StartAt": "A", "States": {"A": {"Type": "Succeed"}}}"#;

    #[test]
    fn a_definition_and_describe_output_read_alike() {
        let plain = parsed(ASL).unwrap();
        assert_eq!(plain.form, Form::Definition);
        let described = json!({"stateMachineArn": "arn:aws:states:us-east-1:1:stateMachine:x",
            "name": "x", "definition": ASL, "roleArn": "r", "type": "STANDARD"});
        let described = parsed(&described.to_string()).unwrap();
        assert_eq!(described.definition, plain.definition);
        assert_eq!(
            described.form,
            Form::Described {
                name: Some("x".into())
            }
        );
    }

    #[test]
    fn what_is_wrong_names_the_file_and_what_to_give() {
        let e = parsed("{\"StartAt\": ").unwrap_err();
        assert!(
            e.starts_with("edited.json: line 1, column 12: not JSON ("),
            "{e}"
        );
        assert!(e.ends_with(GIVE), "{e}");
        let e = parsed(r#"{"Resources": {}}"#).unwrap_err();
        assert!(
            e.contains("no `StartAt` and `States` (its keys: Resources)"),
            "{e}"
        );
        let e = parsed(r#"{"definition": {"StartAt": "A"}}"#).unwrap_err();
        assert!(e.contains("`definition` is not a string"), "{e}");
        let e = parsed(&json!({"definition": "{\"StartAt\""}).to_string()).unwrap_err();
        assert!(
            e.contains("`definition` (describe-state-machine output): line 1"),
            "{e}"
        );
        let e = parsed(r#"{"StartAt": "A", "States": {"A": {"Type": "Sucede"}}}"#).unwrap_err();
        assert!(e.contains("not a definition Step Functions accepts"), "{e}");
        assert!(e.contains("Sucede"), "{e}");
    }
}
