//! Readable, unique state names (≤ 80 characters, as Step Functions requires).

use std::collections::HashSet;

pub const MAX: usize = 80;

#[derive(Default)]
pub struct Names {
    taken: HashSet<String>,
}

impl Names {
    pub fn reserve(&mut self, name: &str) {
        self.taken.insert(name.to_owned());
    }

    /// A unique name from a readable base: whitespace collapsed, at most 80 characters,
    /// ` (2)`, ` (3)`… appended on collisions.
    pub fn fresh(&mut self, base: &str) -> String {
        let clean: String = base.split_whitespace().collect::<Vec<_>>().join(" ");
        // Double quotes would need escaping wherever the name is quoted (console, CLI, JSONPath
        // error messages): single quotes read the same.
        let clean: String = clean
            .chars()
            .filter(|c| !c.is_control())
            .map(|c| if c == '"' { '\'' } else { c })
            .collect();
        let clean = if clean.is_empty() {
            "Step".to_owned()
        } else {
            clean
        };
        let mut n = 1;
        loop {
            let suffix = if n == 1 {
                String::new()
            } else {
                format!(" ({n})")
            };
            let room = MAX - suffix.chars().count();
            let stem: String = if clean.chars().count() > room {
                let mut s: String = clean.chars().take(room - 1).collect();
                s.push('…');
                s
            } else {
                clean.clone()
            };
            let name = format!("{stem}{suffix}");
            if self.taken.insert(name.clone()) {
                return name;
            }
            n += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_short() {
        let mut n = Names::default();
        assert_eq!(n.fresh("Speak  hello\n"), "Speak hello");
        assert_eq!(n.fresh("Speak hello"), "Speak hello (2)");
        let long = "x".repeat(200);
        let a = n.fresh(&long);
        let b = n.fresh(&long);
        assert!(a.chars().count() <= MAX && b.chars().count() <= MAX && a != b);
    }
}
