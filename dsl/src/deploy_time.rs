//! Deploy-time values: a setting written `"${Name}"` is not known when the flow compiles. The
//! definition keeps `${Name}`, and the stack fills it at deploy time through CloudFormation's
//! `DefinitionSubstitutions`
//! (<https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-stepfunctions-statemachine.html#cfn-stepfunctions-statemachine-definitionsubstitutions>):
//! a table or bucket the stack names, the role it creates for EventBridge Scheduler. A setting
//! that must have a shape (an ARN, a table name) accepts a deploy-time value in its place.

/// `Name` when `s` is exactly `${Name}` (letters, digits, `_`, `-` and `.`), else `None`.
pub fn placeholder(s: &str) -> Option<&str> {
    let name = s.strip_prefix("${")?.strip_suffix('}')?;
    (!name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.')))
    .then_some(name)
}

#[cfg(test)]
mod tests {
    use super::placeholder;

    #[test]
    fn only_a_whole_dollar_brace_name_is_a_placeholder() {
        assert_eq!(placeholder("${SchedulerRoleArn}"), Some("SchedulerRoleArn"));
        assert_eq!(placeholder("${a.b-c_1}"), Some("a.b-c_1"));
        assert_eq!(placeholder("${}"), None);
        assert_eq!(placeholder("x${A}"), None);
        assert_eq!(placeholder("${A B}"), None);
        assert_eq!(placeholder("arn:aws:iam::1:role/r"), None);
    }
}
