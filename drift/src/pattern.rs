//! Deploy-time values: a `${Name}` in our definition is filled in by CloudFormation's
//! `DefinitionSubstitutions` when the stack is deployed
//! (<https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-stepfunctions-statemachine.html#cfn-stepfunctions-statemachine-definitionsubstitutions>),
//! so a deployed definition has the real table or bucket name there. The placeholder matches
//! any string in theirs at that spot; nothing is reported for it. State names hold them too
//! (`DynamoDB putItem ${Messages}`), and pairing the states of the two definitions reads the
//! values the names give (the same placeholder has the same value everywhere in one stack).

use regex::Regex;
use std::collections::HashMap;
use switchboard::deploy_time::{pieces, Piece};

/// A string of our definition, as theirs may read.
#[derive(Debug, Clone)]
pub struct Pattern<'a> {
    text: &'a str,
    pieces: Vec<Piece<'a>>,
}

/// What each placeholder stands for, as far as known: `None` when two places disagree.
pub type Bindings = HashMap<String, Option<String>>;

impl<'a> Pattern<'a> {
    pub fn new(text: &'a str) -> Pattern<'a> {
        Pattern {
            text,
            pieces: pieces(text),
        }
    }

    /// Whether it has no placeholder.
    pub fn is_exact(&self) -> bool {
        !self.pieces.iter().any(|p| matches!(p, Piece::Value(_)))
    }

    fn regex(&self) -> Option<Regex> {
        let mut re = String::from("(?s)^");
        for p in &self.pieces {
            match p {
                Piece::Text(t) => re.push_str(&regex::escape(t)),
                Piece::Value(_) => re.push_str("(.*)"),
            }
        }
        re.push('$');
        Regex::new(&re).ok()
    }

    /// The values `theirs` gives the placeholders, in order, when it matches.
    pub fn bind(&self, theirs: &str) -> Option<Vec<(&'a str, String)>> {
        if self.is_exact() {
            return (self.text == theirs).then(Vec::new);
        }
        let caps = self.regex()?.captures(theirs)?;
        let names = self.pieces.iter().filter_map(|p| match p {
            Piece::Value(n) => Some(*n),
            Piece::Text(_) => None,
        });
        Some(
            names
                .zip(caps.iter().skip(1))
                .map(|(n, c)| (n, c.map_or(String::new(), |m| m.as_str().to_owned())))
                .collect(),
        )
    }

    /// Whether `theirs` reads as this string once deployed.
    pub fn matches(&self, theirs: &str) -> bool {
        self.bind(theirs).is_some()
    }

    /// The string with every placeholder filled in from `bindings`; `None` while one is not
    /// known.
    pub fn fill(&self, bindings: &Bindings) -> Option<String> {
        let mut out = String::new();
        for p in &self.pieces {
            match p {
                Piece::Text(t) => out.push_str(t),
                Piece::Value(n) => out.push_str(bindings.get(*n)?.as_deref()?),
            }
        }
        Some(out)
    }
}

/// Records what `theirs` says the placeholders of `ours` stand for; a placeholder given two
/// values is no longer known.
pub fn learn(bindings: &mut Bindings, ours: &str, theirs: &str) {
    let pattern = Pattern::new(ours);
    if pattern.is_exact() {
        return;
    }
    for (name, value) in pattern.bind(theirs).unwrap_or_default() {
        let known = bindings
            .entry(name.to_owned())
            .or_insert(Some(value.clone()));
        if known.as_deref() != Some(value.as_str()) {
            *known = None;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_placeholder_matches_any_value_at_its_spot() {
        let p = Pattern::new("${Bucket}/voicemail");
        assert!(p.matches("acme-recordings-1x2/voicemail"));
        assert!(!p.matches("acme-recordings/messages"));
        assert!(Pattern::new("plain").matches("plain"));
        assert!(!Pattern::new("plain").matches("plain "));
        assert!(Pattern::new("a.b*").matches("a.b*"), "text is not a regex");
        assert!(!Pattern::new("a.b*").matches("axbbb"));
    }

    #[test]
    fn names_give_the_values_that_fill_the_others() {
        let mut b = Bindings::new();
        learn(
            &mut b,
            "DynamoDB putItem ${T} (2)",
            "DynamoDB putItem msgs-9 (2)",
        );
        let first = Pattern::new("DynamoDB putItem ${T}");
        assert_eq!(first.fill(&b).as_deref(), Some("DynamoDB putItem msgs-9"));
        learn(&mut b, "${T}", "other");
        assert_eq!(first.fill(&b), None, "two values: not known");
    }
}
