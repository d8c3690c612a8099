//! A state's `Comment` as the compiler writes it: where the state comes from in the Rust source,
//! then what it does there, `workflows/src/flows/hello.rs:15 — Speak`. A state the optimisation
//! passes merged names each part, joined by ` · `, its first part first. The one owner of this
//! form: the compiler writes it with [`write`]; the pages, `compile --drift` and the checks read
//! it with [`location`].

/// Between a state's Rust location and what it does there.
pub const SEPARATOR: &str = " — ";

/// The `Comment` of a state made at `file:line` that does `what`.
pub fn write(file: &str, line: u32, what: &str) -> String {
    format!("{file}:{line}{SEPARATOR}{what}")
}

/// The Rust file and line a `Comment` names first, if it is in the form [`write`] gives (a file
/// name may hold spaces; a bare `file:line` counts too). Anything else names none.
pub fn location(comment: &str) -> Option<(&str, u32)> {
    let loc = comment
        .split_once(SEPARATOR)
        .map_or(comment, |(loc, _)| loc)
        .trim();
    let (file, line) = loc.rsplit_once(':')?;
    let line: u32 = line.parse().ok()?;
    (!file.is_empty() && line > 0).then_some((file, line))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_location_of_a_comment_is_read_back() {
        let c = write("workflows/src/flows/a b.rs", 12, "Speak");
        assert_eq!(c, "workflows/src/flows/a b.rs:12 — Speak");
        let merged = format!("{c} · {}", write("workflows/src/flows/a b.rs", 14, "if"));
        assert_eq!(location(&merged), Some(("workflows/src/flows/a b.rs", 12)));
        assert_eq!(location("a.rs:9"), Some(("a.rs", 9)));
        assert_eq!(location("edited in Workflow Studio"), None);
        assert_eq!(location("Check the caller: Customer, Owner"), None);
        assert_eq!(location("x.rs:0 — nothing"), None);
        assert_eq!(location(":3 — x"), None);
    }
}
