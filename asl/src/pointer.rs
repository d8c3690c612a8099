//! JSON pointers into a definition ([RFC 6901](https://www.rfc-editor.org/rfc/rfc6901)): how the
//! compiler names where a value of its output comes from, and how `compile --drift` names a
//! difference. A state's pointer is `/States/<name>`, inside a nested scope
//! `…/Branches/<i>/States/<name>` ([`crate::ScopeKind::pointer`]).

/// One reference token: `~` as `~0`, `/` as `~1` (a state named `Press 1/2` is
/// `/States/Press 1~12`).
pub fn escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// The tokens of `pointer`, unescaped; `None` when it is not a pointer (it must be empty or
/// start with `/`, and `~` must be followed by `0` or `1`).
pub fn tokens(pointer: &str) -> Option<Vec<String>> {
    if pointer.is_empty() {
        return Some(Vec::new());
    }
    pointer
        .strip_prefix('/')?
        .split('/')
        .map(|t| {
            let mut out = String::new();
            let mut chars = t.chars();
            while let Some(c) = chars.next() {
                match (c, c == '~') {
                    (_, false) => out.push(c),
                    (_, true) => match chars.next()? {
                        '0' => out.push('~'),
                        '1' => out.push('/'),
                        _ => return None,
                    },
                }
            }
            Some(out)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_round_trip_through_escape() {
        let names = ["Press 1/2", "a~b", "~1", "plain"];
        let pointer: String = names.iter().map(|n| format!("/{}", escape(n))).collect();
        assert_eq!(pointer, "/Press 1~12/a~0b/~01/plain");
        assert_eq!(tokens(&pointer).unwrap(), names);
        assert_eq!(tokens(""), Some(vec![]));
        assert_eq!(tokens("States"), None);
        assert_eq!(tokens("/a~2"), None);
    }
}
