//! The flow's Rust source, read back: the builder call the compiler recorded at a line and
//! column, and what its argument is — one literal (with its place in the file), or something
//! built from several pieces (`format!`, `+`, a variable, a configuration value).
//!
//! Files are parsed with `syn`, whose spans give each token's line and column (`proc-macro2`'s
//! `span-locations`). `#[track_caller]` locations count columns from 1 in characters, spans
//! from 0, also in characters.

use proc_macro2::LineColumn;
use serde_json::Value as Json;
use std::collections::HashMap;
use std::ops::Range;
use std::path::{Path, PathBuf};
use switchboard::ir::{Call, Loc, Sent};
use syn::spanned::Spanned;
use syn::visit::Visit;

/// What a call's argument is, as written.
#[derive(Debug, Clone, PartialEq)]
pub enum Written {
    /// One literal: its bytes in the file, its text and its value.
    Literal {
        range: Range<usize>,
        text: String,
        value: Json,
        /// An integer literal's type suffix (`30u32`), kept when it is rewritten.
        suffix: String,
    },
    /// Not one literal: what it is, in words, and for a field path (`cfg.ring_seconds`), its
    /// fields after the root (`["ring_seconds"]`), to look up in the configuration.
    Built { what: String, fields: Vec<String> },
}

/// The flow's source files, read and parsed once each.
pub struct Sources {
    root: PathBuf,
    files: HashMap<PathBuf, Result<(String, syn::File), String>>,
}

impl Sources {
    /// Files named relative to `root` (the workspace the flows were compiled in).
    pub fn new(root: &Path) -> Sources {
        Sources {
            root: root.to_owned(),
            files: HashMap::new(),
        }
    }

    /// The file `loc` names, on disk.
    pub fn path(&self, file: &str) -> PathBuf {
        self.root.join(file)
    }

    fn file(&mut self, file: &str) -> Result<&(String, syn::File), String> {
        let path = self.path(file);
        self.files
            .entry(path.clone())
            .or_insert_with(|| {
                let text = std::fs::read_to_string(&path)
                    .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
                let parsed = syn::parse_file(&text)
                    .map_err(|e| format!("{} does not parse as Rust: {e}", path.display()))?;
                Ok((text, parsed))
            })
            .as_ref()
            .map_err(Clone::clone)
    }

    /// Argument `arg` of `call` at `loc`, the part of it `sent` reads (a range's start or end).
    /// `Err`: why it cannot be read (the file is gone, the call is not there any more).
    pub fn argument(
        &mut self,
        loc: Loc,
        call: Call,
        arg: usize,
        sent: Sent,
    ) -> Result<Written, String> {
        let (text, file) = self.file(loc.file)?;
        let at = LineColumn {
            line: loc.line as usize,
            column: (loc.column as usize).saturating_sub(1),
        };
        let mut finder = Finder { at, found: None };
        finder.visit_file(file);
        let Some((name, args)) = finder.found else {
            return Err(format!(
                "no call starts at {}:{}:{} any more: the source changed since it was compiled (compile again), or the call is inside a macro",
                loc.file, loc.line, loc.column
            ));
        };
        if name != call.name() {
            return Err(format!(
                "the call at {}:{}:{} is `{name}`, not `{}`: the source changed since it was compiled; compile again",
                loc.file, loc.line, loc.column, call.name()
            ));
        }
        let Some(expr) = args.get(arg) else {
            return Err(format!("`{name}` has no argument {}", arg + 1));
        };
        let expr = match (peel(expr), sent) {
            (syn::Expr::Range(r), Sent::RangeStart) => r.start.as_deref().map(peel),
            (syn::Expr::Range(r), Sent::RangeEnd) => r.end.as_deref().map(peel),
            (e, _) => Some(e),
        };
        let Some(expr) = expr else {
            return Ok(built("an open range", Vec::new()));
        };
        Ok(written(text, expr))
    }
}

/// The call whose name starts at `at`: a method's name, a function's path.
struct Finder {
    at: LineColumn,
    found: Option<(String, Vec<syn::Expr>)>,
}

impl<'ast> Visit<'ast> for Finder {
    fn visit_expr_method_call(&mut self, c: &'ast syn::ExprMethodCall) {
        if self.found.is_none() && c.method.span().start() == self.at {
            self.found = Some((c.method.to_string(), c.args.iter().cloned().collect()));
        }
        syn::visit::visit_expr_method_call(self, c);
    }

    fn visit_expr_call(&mut self, c: &'ast syn::ExprCall) {
        if let syn::Expr::Path(p) = &*c.func {
            let name = p.path.segments.last().map(|s| s.ident.to_string());
            if self.found.is_none() && c.func.span().start() == self.at {
                if let Some(name) = name {
                    self.found = Some((name, c.args.iter().cloned().collect()));
                }
            }
        }
        syn::visit::visit_expr_call(self, c);
    }
}

/// `&x`, `(x)` and a group are `x`.
fn peel(mut e: &syn::Expr) -> &syn::Expr {
    loop {
        e = match e {
            syn::Expr::Reference(r) => &r.expr,
            syn::Expr::Paren(p) => &p.expr,
            syn::Expr::Group(g) => &g.expr,
            other => return other,
        };
    }
}

fn built(what: &str, fields: Vec<String>) -> Written {
    Written::Built {
        what: what.to_owned(),
        fields,
    }
}

/// What `e` is.
fn written(text: &str, e: &syn::Expr) -> Written {
    let literal = |value: Json, suffix: &str| {
        let range = byte_range(text, e.span().start(), e.span().end());
        Written::Literal {
            text: text.get(range.clone()).unwrap_or_default().to_owned(),
            range,
            value,
            suffix: suffix.to_owned(),
        }
    };
    match e {
        syn::Expr::Lit(l) => match &l.lit {
            syn::Lit::Str(s) => literal(Json::String(s.value()), ""),
            syn::Lit::Int(i) => match i.base10_parse::<i64>() {
                Ok(n) => literal(Json::from(n), i.suffix()),
                Err(_) => built("an integer out of range", Vec::new()),
            },
            syn::Lit::Bool(b) => literal(Json::Bool(b.value), ""),
            _ => built("a literal of another kind", Vec::new()),
        },
        syn::Expr::Unary(u) if matches!(u.op, syn::UnOp::Neg(_)) => match peel(&u.expr) {
            syn::Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Int(i),
                ..
            }) => match i.base10_parse::<i64>() {
                Ok(n) => literal(Json::from(-n), i.suffix()),
                Err(_) => built("an integer out of range", Vec::new()),
            },
            _ => built("a negated value", Vec::new()),
        },
        syn::Expr::Macro(m) => {
            let name = m
                .mac
                .path
                .segments
                .last()
                .map(|s| s.ident.to_string())
                .unwrap_or_default();
            built(
                &format!("built by `{name}!(…)` from several pieces"),
                Vec::new(),
            )
        }
        syn::Expr::Binary(_) => built("built by an operator from several pieces", Vec::new()),
        syn::Expr::Field(_) => {
            let mut fields = Vec::new();
            let mut cur = e;
            while let syn::Expr::Field(f) = cur {
                if let syn::Member::Named(n) = &f.member {
                    fields.push(n.to_string());
                }
                cur = peel(&f.base);
            }
            fields.reverse();
            let path = quote_expr(e);
            built(&format!("`{path}`, not a literal"), fields)
        }
        syn::Expr::Path(_) => built(
            &format!(
                "`{}`, a variable or parameter: change it where it gets its value",
                quote_expr(e)
            ),
            Vec::new(),
        ),
        other => built(&format!("`{}`, computed", quote_expr(other)), Vec::new()),
    }
}

fn quote_expr(e: &syn::Expr) -> String {
    use quote::ToTokens;
    e.to_token_stream()
        .to_string()
        .replace(" . ", ".")
        .replace(" (", "(")
}

/// The bytes from `start` to `end` of `text` (lines from 1, columns from 0 in characters).
fn byte_range(text: &str, start: LineColumn, end: LineColumn) -> Range<usize> {
    let offset = |at: LineColumn| -> usize {
        let line_start: usize = text
            .split_inclusive('\n')
            .take(at.line.saturating_sub(1))
            .map(str::len)
            .sum();
        let line = &text[line_start.min(text.len())..];
        line_start
            + line
                .char_indices()
                .nth(at.column)
                .map_or(line.len(), |(i, _)| i)
    };
    offset(start)..offset(end)
}

/// A value as a Rust literal: a string escaped as Rust writes it, a number (with `suffix`), a
/// boolean. `None` for what no literal writes (an object, `null`, a fraction).
pub fn rust_literal(value: &Json, suffix: &str) -> Option<String> {
    Some(match value {
        Json::String(s) => format!("{s:?}"),
        Json::Number(n) => format!("{}{suffix}", n.as_i64()?),
        Json::Bool(b) => b.to_string(),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const FLOW: &str = r#"fn flow(cfg: &Cfg) {
    speak(format!("Hi {}.", cfg.name));
    let c = speak_and_get_digits("Press 1, ça va.").digits(1..=3).retries(2);
    call_and_bridge(pstn(&cfg.owner)).ring_for(cfg.ring.seconds);
    hangup().sip_code(-486i64);
}
"#;

    /// The call at the first `needle` on `line` (1-based), its column counted as rustc counts.
    fn arg(line: u32, needle: &str, call: Call, sent: Sent) -> Result<Written, String> {
        let text = FLOW.lines().nth(line as usize - 1).unwrap_or_default();
        // A method's needle starts with its `.`, which the column does not count.
        let dot = u32::from(needle.starts_with('.'));
        let column = text
            .find(needle)
            .map_or(1, |b| text[..b].chars().count() as u32 + 1 + dot);
        // Written once: the tests run at the same time.
        static DIR: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
        let dir = DIR.get_or_init(|| {
            let dir = std::env::temp_dir().join(format!("drift-source-{}", std::process::id()));
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(dir.join("flow.rs"), FLOW).unwrap();
            dir
        });
        let loc = Loc {
            file: "flow.rs",
            line,
            column,
        };
        Sources::new(dir).argument(loc, call, 0, sent)
    }

    fn literal_text(w: Written) -> (String, Json) {
        match w {
            Written::Literal {
                text, value, range, ..
            } => {
                assert_eq!(&FLOW[range], text);
                (text, value)
            }
            other => panic!("not a literal: {other:?}"),
        }
    }

    #[test]
    fn a_literal_is_found_at_its_call_with_its_bytes() {
        let ask = arg(
            3,
            "speak_and_get_digits",
            Call::Function("speak_and_get_digits"),
            Sent::Same,
        )
        .unwrap();
        assert_eq!(
            literal_text(ask),
            ("\"Press 1, ça va.\"".into(), json!("Press 1, ça va."))
        );
        // After a non-ASCII character on the line: columns count characters.
        let retries = arg(3, ".retries", Call::Method("retries"), Sent::Plus(1)).unwrap();
        assert_eq!(literal_text(retries), ("2".into(), json!(2)));
        let max = arg(3, ".digits", Call::Method("digits"), Sent::RangeEnd).unwrap();
        assert_eq!(literal_text(max), ("3".into(), json!(3)));
        let code = arg(5, ".sip_code", Call::Method("sip_code"), Sent::Decimal).unwrap();
        assert!(matches!(code, Written::Literal { ref suffix, .. } if suffix == "i64"));
        assert_eq!(literal_text(code), ("-486i64".into(), json!(-486)));
    }

    #[test]
    fn what_is_not_one_literal_says_what_it_is() {
        let said = arg(2, "speak", Call::Function("speak"), Sent::Same).unwrap();
        assert_eq!(
            said,
            built("built by `format!(…)` from several pieces", vec![])
        );
        let ring = arg(4, ".ring_for", Call::Method("ring_for"), Sent::Same).unwrap();
        assert_eq!(
            ring,
            built(
                "`cfg.ring.seconds`, not a literal",
                vec!["ring".into(), "seconds".into()]
            )
        );
        let moved = arg(4, "call_and_bridge", Call::Function("speak"), Sent::Same).unwrap_err();
        assert!(
            moved.contains("is `call_and_bridge`, not `speak`"),
            "{moved}"
        );
        let gone = arg(9, "", Call::Function("speak"), Sent::Same).unwrap_err();
        assert!(gone.contains("no call starts at flow.rs:9:1"), "{gone}");
    }

    #[test]
    fn values_are_written_as_rust_writes_them() {
        assert_eq!(
            rust_literal(&json!("say \"hi\"\n"), "").unwrap(),
            r#""say \"hi\"\n""#
        );
        assert_eq!(rust_literal(&json!(30), "u32").unwrap(), "30u32");
        assert_eq!(rust_literal(&json!(2.5), ""), None);
    }
}
