//! Values of a definition as words: text with its SSML and JSONata stripped, dynamic values
//! named, deploy-time placeholders shown by name.
//!
//! A field of a JSONPath state may be static (`"Text": "Hello"`) or a path (`"Text.$":
//! "$.greeting"`, <https://states-language.net/spec.html#parameters>); a field of a JSONata
//! state may be static or an expression (`"Text": "{% 'Hello ' & $name %}"`,
//! <https://docs.aws.amazon.com/step-functions/latest/dg/transforming-data.html>). What is
//! computed at run time cannot be shown; the words say where it goes instead (`…` in speech, the
//! value's last name elsewhere).

use serde_json::Value;

/// The longest text a label keeps from one value before cutting it with `…`.
pub const MAX_TEXT: usize = 120;

/// A field of `obj` by name, static or dynamic: `Key`, or `Key.$` (a JSONPath path or intrinsic).
pub fn field<'a>(obj: &'a Value, key: &str) -> Option<Field<'a>> {
    let map = obj.as_object()?;
    if let Some(v) = map.get(key) {
        return Some(match v.as_str() {
            Some(s) if is_jsonata(s) => Field::Expr(inner_expr(s)),
            _ => Field::Static(v),
        });
    }
    map.get(&format!("{key}.$"))
        .and_then(Value::as_str)
        .map(Field::Path)
}

/// One field's value.
#[derive(Debug, Clone, Copy)]
pub enum Field<'a> {
    /// A value written in the definition.
    Static(&'a Value),
    /// A JSONata expression (without its `{% %}`).
    Expr(&'a str),
    /// A JSONPath reference path or intrinsic function (`Key.$`).
    Path(&'a str),
}

impl Field<'_> {
    /// As spoken text: static parts kept, SSML stripped, dynamic parts `…`.
    pub fn speech(self) -> String {
        let raw = match self {
            Field::Static(v) => scalar(v),
            Field::Expr(e) => concat_text(e),
            Field::Path(p) => format_text(p),
        };
        cut(&strip_ssml(&raw), MAX_TEXT)
    }

    /// As a value (a number dialled, a table, a key): static as written (deploy-time
    /// placeholders by name), dynamic as `‹name›` after the value's last field name.
    pub fn value(self) -> String {
        match self {
            Field::Static(v) => placeholder(&scalar(v)),
            Field::Expr(e) => {
                let text = concat_text(e);
                if text == DYNAMIC {
                    named(e)
                } else {
                    text
                }
            }
            Field::Path(p) => named(p),
        }
    }

    /// The static number, if it is one.
    pub fn number(self) -> Option<f64> {
        match self {
            Field::Static(v) => v.as_f64().or_else(|| v.as_str()?.trim().parse().ok()),
            _ => None,
        }
    }
}

/// What stands for a part computed at run time.
pub const DYNAMIC: &str = "…";

fn is_jsonata(s: &str) -> bool {
    let t = s.trim();
    t.len() >= 4 && t.starts_with("{%") && t.ends_with("%}")
}

fn inner_expr(s: &str) -> &str {
    let t = s.trim();
    t[2..t.len() - 2].trim()
}

/// A scalar as text (a string without its quotes).
fn scalar(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// `${Name}` (a deploy-time value, filled by CloudFormation's `DefinitionSubstitutions`) as
/// `Name`.
pub fn placeholder(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(start) = rest.find("${") {
        match rest[start..].find('}') {
            Some(end) => {
                out.push_str(&rest[..start]);
                out.push_str(&rest[start + 2..start + end]);
                rest = &rest[start + end + 1..];
            }
            None => break,
        }
    }
    out.push_str(rest);
    out
}

/// The text a JSONata string concatenation gives, its literal parts kept and every other part
/// `…`: `"Hello " & $name & "."` → `Hello ….`. Anything that is not a concatenation of string
/// literals and parenthesised concatenations (a condition, a function call) is `…`.
pub fn concat_text(expr: &str) -> String {
    let mut out = String::new();
    push_concat(expr, &mut out);
    out
}

fn push_concat(expr: &str, out: &mut String) {
    for piece in split_top(expr, '&') {
        let p = piece.trim();
        if let Some(lit) = string_literal(p) {
            out.push_str(&lit);
        } else if let Some(inner) = parenthesised(p) {
            push_concat(inner, out);
        } else if !out.ends_with(DYNAMIC) {
            out.push_str(DYNAMIC);
        }
    }
}

/// `States.Format('Hello {}', $.name)` → `Hello …`; any other path → `…`.
fn format_text(path: &str) -> String {
    let p = path.trim();
    if let Some(args) = p
        .strip_prefix("States.Format(")
        .and_then(|r| r.strip_suffix(')'))
    {
        if let Some(first) = split_top(args, ',').first() {
            if let Some(lit) = string_literal(first.trim()) {
                return lit.replace("{}", DYNAMIC);
            }
        }
    }
    DYNAMIC.to_owned()
}

/// A dynamic value named after its last field: `$BusinessInfo.OwnerPhone` → `‹OwnerPhone›`.
fn named(path: &str) -> String {
    let p = path.trim();
    let simple = p
        .chars()
        .all(|c| c.is_alphanumeric() || matches!(c, '$' | '.' | '_'));
    let last = p
        .rsplit('.')
        .next()
        .unwrap_or(p)
        .trim_start_matches('$')
        .to_owned();
    if simple && !last.is_empty() {
        format!("‹{last}›")
    } else {
        DYNAMIC.to_owned()
    }
}

/// The characters of `s` outside string literals (`"…"`, `'…'`, with `\` escapes), each with
/// its byte index and the bracket depth once it is read.
fn unquoted(s: &str) -> impl Iterator<Item = (usize, char, i32)> + '_ {
    let mut depth = 0i32;
    let mut quote: Option<char> = None;
    let mut escaped = false;
    s.char_indices().filter_map(move |(i, c)| {
        if let Some(q) = quote {
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == q {
                quote = None;
            }
            return None;
        }
        match c {
            '"' | '\'' => {
                quote = Some(c);
                return None;
            }
            '(' | '[' | '{' => depth += 1,
            ')' | ']' | '}' => depth -= 1,
            _ => {}
        }
        Some((i, c, depth))
    })
}

/// Splits `s` at `sep` outside string literals and brackets.
pub fn split_top(s: &str, sep: char) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut start = 0;
    for (i, c, depth) in unquoted(s) {
        if c == sep && depth == 0 {
            parts.push(&s[start..i]);
            start = i + c.len_utf8();
        }
    }
    parts.push(&s[start..]);
    parts
}

/// The content of a whole-string literal (`"…"` or `'…'`), unescaped.
fn string_literal(s: &str) -> Option<String> {
    let q = s.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    if s.len() < 2 || !s.ends_with(q) {
        return None;
    }
    let body = &s[1..s.len() - 1];
    let mut out = String::with_capacity(body.len());
    let mut chars = body.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some('n') => out.push('\n'),
                Some('t') => out.push('\t'),
                Some(other) => out.push(other),
                None => return None,
            },
            c if c == q => return None, // two literals, e.g. `"a" "b"`
            c => out.push(c),
        }
    }
    Some(out)
}

/// The inside of `( … )` when the parentheses enclose the whole of `s`.
pub fn parenthesised(s: &str) -> Option<&str> {
    let inner = s.strip_prefix('(')?.strip_suffix(')')?;
    balanced(inner).then_some(inner)
}

fn balanced(s: &str) -> bool {
    let mut depth = 0;
    for (_, _, d) in unquoted(s) {
        if d < 0 {
            return false;
        }
        depth = d;
    }
    depth == 0
}

/// Text without SSML tags (`<speak>`, `<say-as …>`, `<break/>`), entities decoded, spaces
/// collapsed. <https://docs.aws.amazon.com/polly/latest/dg/supportedtags.html>
pub fn strip_ssml(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut in_tag = false;
    for c in s.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                out.push(' ');
            }
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    let decoded = out
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&");
    let collapsed = decoded.split_whitespace().collect::<Vec<_>>().join(" ");
    // A tag between a word and its punctuation left a space before it.
    let mut tidy = collapsed;
    for p in [" .", " ,", " ?", " !", " :", " ;"] {
        tidy = tidy.replace(p, &p[1..]);
    }
    tidy
}

/// `s` cut to `max` characters, ending in `…` when cut.
pub fn cut(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_owned();
    }
    let mut out: String = s.chars().take(max.saturating_sub(1)).collect();
    out = out.trim_end().to_owned();
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn concatenations_keep_their_literals() {
        assert_eq!(concat_text(r#""Hello " & $name & ".""#), "Hello ….");
        assert_eq!(
            concat_text(r#"((("<speak>" & $notice) & ($x ? "A" : "B")) & " of ") & $n"#),
            "<speak>… of …"
        );
        assert_eq!(concat_text("$states.input.x"), "…");
        assert_eq!(concat_text(r#""a \"quoted\" word""#), "a \"quoted\" word");
        assert_eq!(concat_text(r#""+1" & $number_1.digits"#), "+1…");
    }

    #[test]
    fn ssml_is_stripped_and_entities_decoded() {
        assert_eq!(
            strip_ssml(
                "<speak>Call <say-as interpret-as='digits'>123</say-as>. Tom &amp; Jerry</speak>"
            ),
            "Call 123. Tom & Jerry"
        );
        assert_eq!(strip_ssml("Plain text"), "Plain text");
    }

    #[test]
    fn fields_are_static_jsonata_or_jsonpath() {
        let v = json!({"Text": "Hi", "Uri.$": "$BusinessInfo.Owner", "N": "{% $x.y %}", "T": "${Table}"});
        assert_eq!(field(&v, "Text").unwrap().speech(), "Hi");
        assert_eq!(field(&v, "Uri").unwrap().value(), "‹Owner›");
        assert_eq!(field(&v, "N").unwrap().value(), "‹y›");
        assert_eq!(field(&v, "T").unwrap().value(), "Table");
        assert!(field(&v, "Missing").is_none());
        // Not an expression: too short to hold `{%` and `%}`.
        assert_eq!(field(&json!({"T": "{%}"}), "T").unwrap().value(), "{%}");
        let f = json!({"Text.$": "States.Format('Hello {}, welcome', $.name)"});
        assert_eq!(field(&f, "Text").unwrap().speech(), "Hello …, welcome");
    }

    #[test]
    fn long_text_is_cut() {
        assert_eq!(cut("abcdef", 4), "abc…");
        assert_eq!(cut("abc", 4), "abc");
    }
}
