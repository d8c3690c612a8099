//! Reading a scenario file: serde-saphyr (a maintained YAML deserializer in safe Rust, which
//! streams straight into the scenario types and knows the line of every event), with
//! serde_path_to_error naming the field that was being read when it failed.

use super::Scenario;

/// Deserialize a scenario from YAML; on error, the line and a message that starts with the
/// field's path (`script[1].bridge.outcome: ...`).
///
/// Plain scalars read as serde_yaml 0.9 read them: YAML 1.2 booleans (`true`/`false` only: `yes`
/// stays text in values and is refused as a boolean), and `0042` or `1_000` stay text. No tags:
/// a step is written `- press: "1"`, never `- !press "1"`.
pub(super) fn from_yaml(text: &str) -> Result<Scenario, (Option<usize>, String)> {
    use serde_path_to_error::Segment;
    use serde_saphyr::{Error, MessageFormatter, UserMessageFormatter};
    let options = serde_saphyr::options! {
        strict_booleans: true,
        leading_zero_numbers_as_strings: true,
        underscored_numbers_as_strings: true,
        reject_unsupported_tags: true,
        with_snippet: false,
    };
    let mut path = String::new();
    serde_saphyr::with_deserializer_from_str_with_options(text, options, |de| {
        serde_path_to_error::deserialize(de).map_err(|e| {
            // Segments the parser could not name (a syntax error) are left out.
            for segment in e.path().iter() {
                match segment {
                    Segment::Seq { index } => path.push_str(&format!("[{index}]")),
                    Segment::Map { key } | Segment::Enum { variant: key } => {
                        if !path.is_empty() {
                            path.push('.');
                        }
                        path.push_str(key);
                    }
                    Segment::Unknown => break,
                }
            }
            e.into_inner()
        })
    })
    .map_err(|e| {
        let line = e.location().map(|l| l.line() as usize);
        let mut message = UserMessageFormatter.format_message(&e).into_owned();
        match e.without_snippet() {
            Error::UnsupportedTag { .. } => message.push_str(
                "; scenarios use no YAML tags: write `key: value` (a step `- press: \"1\"`)",
            ),
            Error::ExpectedMappingEndAfterEnumVariantValue { .. } => {
                message.push_str("; this entry takes exactly one key")
            }
            _ => {}
        }
        if path.is_empty() {
            (line, message)
        } else {
            (line, format!("{path}: {message}"))
        }
    })
}
