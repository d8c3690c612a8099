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

/// A piece of a string that may hold deploy-time values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Piece<'a> {
    Text(&'a str),
    /// `${Name}`: the name.
    Value(&'a str),
}

/// `s` cut into its text and its deploy-time values (`"${Bucket}/voicemail"` is the value
/// `Bucket`, then the text `/voicemail`); a `${` that does not start a placeholder is text.
pub fn pieces(s: &str) -> Vec<Piece<'_>> {
    let mut out = Vec::new();
    let (mut rest, mut text_from) = (s, 0);
    while let Some(i) = rest.find("${") {
        let start = s.len() - rest.len() + i;
        let after = &s[start..];
        let end = after.find('}').map_or(after.len(), |j| j + 1);
        if let Some(name) = placeholder(&after[..end]) {
            if text_from < start {
                out.push(Piece::Text(&s[text_from..start]));
            }
            out.push(Piece::Value(name));
            text_from = start + end;
        }
        rest = &s[(start + 2).min(s.len())..];
    }
    if text_from < s.len() {
        out.push(Piece::Text(&s[text_from..]));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{pieces, placeholder, Piece};

    #[test]
    fn a_string_is_cut_at_its_placeholders() {
        use Piece::{Text, Value};
        assert_eq!(pieces("${B}/voicemail"), [Value("B"), Text("/voicemail")]);
        assert_eq!(
            pieces("put ${T} (2)"),
            [Text("put "), Value("T"), Text(" (2)")]
        );
        assert_eq!(pieces("${A}${B}"), [Value("A"), Value("B")]);
        assert_eq!(pieces("cost ${ x} and ${"), [Text("cost ${ x} and ${")]);
        assert_eq!(pieces(""), []);
    }

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
