//! Readable, unique state names, made by the rules of [`switchboard_asl::names`] (printable
//! ASCII, at most 80 characters).

use std::collections::{HashMap, HashSet};

use switchboard_asl::names;

#[derive(Default)]
pub struct Names {
    taken: HashSet<String>,
    /// The readable base each generated name came from.
    bases: HashMap<String, String>,
    /// Per base, the first suffix number not known to be taken.
    tried: HashMap<String, usize>,
}

fn clean(base: &str) -> String {
    names::readable(base)
}

/// `base`, or `base (2)`, `base (3)`…, the first not in `taken` (which it joins), cut to 80
/// characters ([`names::numbered`]). `tried` remembers, per base, the numbers found taken
/// already (`taken` only grows), so a base used many times does not try them all again.
fn unique(clean: &str, taken: &mut HashSet<String>, tried: &mut HashMap<String, usize>) -> String {
    let mut n = tried.get(clean).copied().unwrap_or(1);
    loop {
        let name = names::numbered(clean, n);
        if taken.insert(name.clone()) {
            tried.insert(clean.to_owned(), n + 1);
            return name;
        }
        n += 1;
    }
}

impl Names {
    pub fn reserve(&mut self, name: &str) {
        self.taken.insert(name.to_owned());
    }

    /// A unique name from a readable base ([`names::readable`]), at most 80 characters,
    /// ` (2)`, ` (3)`… appended on collisions.
    pub fn fresh(&mut self, base: &str) -> String {
        let c = clean(base);
        let name = unique(&c, &mut self.taken, &mut self.tried);
        self.bases.insert(name.clone(), c);
        name
    }

    /// New names for `order` (top-level states in reading order) so that ` (2)` follows the
    /// unsuffixed name in the file: names not made by [`Names::fresh`] and `keep` are left
    /// alone. Returns old → new for the names that change.
    pub fn renumber<'a>(
        &self,
        order: impl Iterator<Item = &'a String> + Clone,
        keep: &HashSet<String>,
    ) -> HashMap<String, String> {
        let mut taken: HashSet<String> = keep.clone();
        taken.extend(
            order
                .clone()
                .filter(|n| !self.bases.contains_key(*n))
                .cloned(),
        );
        let mut out = HashMap::new();
        let mut tried = HashMap::new();
        for name in order {
            if let Some(base) = self.bases.get(name) {
                let new = unique(base, &mut taken, &mut tried);
                if &new != name {
                    out.insert(name.clone(), new);
                }
            }
        }
        out
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
        assert!(
            a.chars().count() <= names::MAX_CHARS
                && b.chars().count() <= names::MAX_CHARS
                && a != b
        );
    }

    #[test]
    fn numbers_skip_names_taken_otherwise() {
        let mut n = Names::default();
        n.reserve("Set x (3)");
        let got: Vec<String> = (0..4).map(|_| n.fresh("Set x")).collect();
        assert_eq!(got, ["Set x", "Set x (2)", "Set x (4)", "Set x (5)"]);
        // Renumbering in another order starts again from the unsuffixed name.
        let order: Vec<String> = got.iter().rev().cloned().collect();
        let rename = n.renumber(order.iter(), &HashSet::new());
        assert_eq!(rename["Set x (5)"], "Set x");
        assert_eq!(rename["Set x (4)"], "Set x (2)");
        assert_eq!(rename["Set x (2)"], "Set x (3)");
        assert_eq!(rename["Set x"], "Set x (4)");
    }
}
