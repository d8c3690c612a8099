//! State names: what a readable name made from a flow's text may hold, and how it is cut and
//! numbered. The one owner of these rules; the compiler and its passes make every name here.
//!
//! What the documentation says, and what we do:
//! - Length: "State names MUST have length of less than or equal to 80 Unicode characters"
//!   (<https://states-language.net/spec.html#states-fields>), and the execution history's
//!   `name` of a state is 1 to 80 long
//!   (<https://docs.aws.amazon.com/step-functions/latest/apireference/API_StateEnteredEventDetails.html>).
//!   Whether the API counts characters or UTF-8 bytes is not said; a name of ASCII characters
//!   only is the same length both ways, so the question never arises.
//! - Characters: the list of forbidden characters (whitespace, brackets, `? * " # % \ ^ | ~ `
//!   `` ` `` `$ & , ; : /`, control characters) is given for state machine, execution and activity
//!   names; state names built in Workflow Studio, the reference workflow's included, hold spaces,
//!   `:`, `&` and `,`. For non-ASCII the documentation is silent about state names and, for the
//!   other names, recommends ASCII because "such characters won't work with Amazon CloudWatch"
//!   (<https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html#service-limits-state-machine-executions>).
//!   The conservative reading: printable ASCII only. Non-ASCII letters are transliterated
//!   (`deunicode`: "Café" → "Cafe"), our own separators become ASCII (`·` → `-`, `…` → `...`),
//!   and `"` and `\`, which need escaping wherever a name is quoted (console, CLI, JSONPath
//!   errors), become `'` and `/`. SSML tags, which say nothing a reader needs, are dropped.

/// The longest state name, in characters (all ASCII, so bytes too).
pub const MAX_CHARS: usize = 80;

/// What joins the parts of a name made of several (e.g. two states merged into one).
pub const JOIN: &str = " - ";

/// What ends a name cut to [`MAX_CHARS`].
pub const CUT: &str = "...";

/// Whether `c` may appear in a state name we make: printable ASCII but `"` and `\`.
pub fn allowed(c: char) -> bool {
    (' '..='~').contains(&c) && c != '"' && c != '\\'
}

/// A readable name from `text`: SSML tags dropped, ASCII only (see the module documentation),
/// whitespace collapsed; `Step` if nothing is left. Not yet cut to [`MAX_CHARS`].
pub fn readable(text: &str) -> String {
    // In SSML (text holding `<speak>`) a `<` opens markup, never a comparison.
    let ssml = text.contains("<speak");
    let mut ascii = String::with_capacity(text.len());
    let mut in_tag = false;
    let mut in_placeholder = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            // A deploy-time value `${Name}` reads as `Name`: CloudFormation's
            // DefinitionSubstitutions replaces `${…}` anywhere in the definition, so a name that
            // kept it would change at deploy time, and could outgrow 80 characters there.
            '$' if chars.peek() == Some(&'{') => {
                chars.next();
                in_placeholder = true;
            }
            '}' if in_placeholder => in_placeholder = false,
            '<' if ssml => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                ascii.push(' ');
            }
            _ if in_tag => {}
            '·' | '—' | '–' => ascii.push('-'),
            '…' => ascii.push_str(CUT),
            '"' | '“' | '”' | '‘' | '’' => ascii.push('\''),
            '\\' => ascii.push('/'),
            c if c.is_ascii() => ascii.push(c),
            c => ascii.push_str(deunicode::deunicode_char(c).unwrap_or(" ")),
        }
    }
    let clean: String = ascii
        .split(|c: char| c.is_whitespace() || c.is_ascii_control())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    let clean: String = clean
        .chars()
        .map(|c| if allowed(c) { c } else { ' ' })
        .collect();
    let clean = clean
        .split(' ')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    // A space a dropped tag left before punctuation goes: `hello </say-as>.` → `hello.`.
    let bytes = clean.as_bytes();
    let clean: String = clean
        .char_indices()
        .filter(|&(i, c)| {
            !(c == ' '
                && i > 0
                && bytes[i - 1].is_ascii_alphanumeric()
                && bytes.get(i + 1).is_some_and(|b| b",.;:!?".contains(b))
                && bytes.get(i + 2).is_none_or(|b| !b".".contains(b)))
        })
        .map(|(_, c)| c)
        .collect();
    if clean.is_empty() {
        "Step".to_owned()
    } else {
        clean
    }
}

/// `base` (made by [`readable`]) as the `n`th of its name: `base` for 1, `base (n)` after, cut
/// with [`CUT`] so the whole stays within [`MAX_CHARS`].
pub fn numbered(base: &str, n: usize) -> String {
    let suffix = if n <= 1 {
        String::new()
    } else {
        format!(" ({n})")
    };
    let room = MAX_CHARS - suffix.len();
    if base.chars().count() <= room {
        format!("{base}{suffix}")
    } else {
        let stem: String = base.chars().take(room - CUT.len()).collect();
        format!("{}{CUT}{suffix}", stem.trim_end())
    }
}

/// What is wrong with `name` as a name we make, if anything.
pub fn problem(name: &str) -> Option<String> {
    let len = name.chars().count();
    if name.is_empty() {
        return Some("a state name cannot be empty".into());
    }
    if len > MAX_CHARS {
        return Some(format!(
            "state name `{name}` is {len} characters, over the limit of {MAX_CHARS}"
        ));
    }
    name.chars().find(|&c| !allowed(c)).map(|c| {
        format!(
            "state name {name:?} holds {c:?} (U+{:04X}): names are printable ASCII without `\"` or `\\`",
            u32::from(c)
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn our_separators_quotes_and_ssml_become_plain_ascii() {
        assert_eq!(
            readable("Speak <speak>This is the call you scheduled with <say-as interpret-as='digits'>…</say-as>. Connecting you now.</speak> · Hang up"),
            "Speak This is the call you scheduled with ... . Connecting you now. - Hang up"
        );
        assert_eq!(readable("Say “hi” — ‘now’"), "Say 'hi' - 'now'");
        assert_eq!(readable("Café Münster"), "Cafe Munster");
        assert_eq!(readable("If x < 3 and a\\b"), "If x < 3 and a/b");
        assert_eq!(
            readable("DynamoDB query ${BusinessPhoneMessages}"),
            "DynamoDB query BusinessPhoneMessages"
        );
        assert_eq!(
            readable("<speak>Hi <say-as interpret-as='digits'>42</say-as>, bye</speak>"),
            "Hi 42, bye"
        );
        assert_eq!(readable("  \n\t "), "Step");
        assert_eq!(readable("日本"), "Ri Ben");
        assert!(problem(&readable("emoji 🎉 and \u{7} bell")).is_none());
    }

    #[test]
    fn numbered_names_fit_in_80_characters() {
        let long = "x".repeat(200);
        for n in [1, 2, 10, 1000] {
            let name = numbered(&long, n);
            assert!(name.len() <= MAX_CHARS, "{name}");
            assert!(problem(&name).is_none());
        }
        assert_eq!(numbered("Speak hello", 1), "Speak hello");
        assert_eq!(numbered("Speak hello", 3), "Speak hello (3)");
        let cut = numbered(&format!("{} tail", "a".repeat(76)), 2);
        assert_eq!(cut, format!("{}... (2)", "a".repeat(73)));
        assert_eq!(cut.len(), MAX_CHARS);
    }

    #[test]
    fn problems_name_the_character() {
        assert!(problem("ok name: a, b & c").is_none());
        assert_eq!(
            problem("caf\u{e9}").unwrap(),
            "state name \"café\" holds 'é' (U+00E9): names are printable ASCII without `\"` or `\\`"
        );
        assert!(problem(&"y".repeat(81)).unwrap().contains("81 characters"));
        assert!(problem("").is_some());
    }
}

#[cfg(test)]
mod prop {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Whatever text a flow holds (any Unicode, SSML, `${…}`, control characters), the name
        /// made from it, numbered or not, is one Step Functions and Workflow Studio take.
        #[test]
        fn every_name_made_from_any_text_is_allowed(text in any::<String>(), n in 1usize..10_000) {
            let name = numbered(&readable(&text), n);
            prop_assert_eq!(problem(&name), None);
        }
    }
}
