//! Recognising the arm patterns of a flow: a step's `Ok(x)`, `Err(e)`, `Err(Hangup)` and
//! `Err(Hangup(m))`.

use crate::ast::StepPat;
use syn::{ExprMatch, Ident, Pat};

/// `Ok(x)` / `Ok(_)` / `Err(e)` / `Err(_)`: (is_ok, binding).
pub fn step_pattern(pat: &Pat) -> Option<(bool, Option<Ident>)> {
    let Pat::TupleStruct(ts) = pat else {
        return None;
    };
    let name = ts.path.segments.last()?.ident.to_string();
    let is_ok = match name.as_str() {
        "Ok" => true,
        "Err" => false,
        _ => return None,
    };
    if ts.elems.len() != 1 {
        return None;
    }
    match &ts.elems[0] {
        Pat::Ident(i) if i.subpat.is_none() && i.ident != "Hangup" => {
            Some((is_ok, Some(i.ident.clone())))
        }
        Pat::Wild(_) => Some((is_ok, None)),
        _ => None,
    }
}

/// The hang-up arm of a step match: `Err(Hangup)` ([`StepPat::Hangup`]), or `Err(Hangup(m))` /
/// `Err(Hangup(_))` receiving what the caller left ([`StepPat::HangupKeep`]).
pub fn hangup_pattern(pat: &Pat) -> Option<StepPat> {
    let Pat::TupleStruct(ts) = pat else {
        return None;
    };
    if !ts.path.is_ident("Err") || ts.elems.len() != 1 {
        return None;
    }
    match ts.elems.first()? {
        Pat::Ident(i) if i.ident == "Hangup" && i.subpat.is_none() => Some(StepPat::Hangup),
        Pat::TupleStruct(inner) if inner.path.is_ident("Hangup") && inner.elems.len() == 1 => {
            match inner.elems.first()? {
                Pat::Ident(b) if b.subpat.is_none() => {
                    Some(StepPat::HangupKeep(Some(b.ident.clone())))
                }
                Pat::Wild(_) => Some(StepPat::HangupKeep(None)),
                _ => None,
            }
        }
        _ => None,
    }
}

/// The arm kind of a pattern in a step match.
pub fn step_arm(pat: &Pat) -> StepPat {
    if let Some(h) = hangup_pattern(pat) {
        return h;
    }
    match step_pattern(pat) {
        Some((true, bind)) => StepPat::Ok(bind),
        Some((false, bind)) => StepPat::Err(bind),
        None => StepPat::Other,
    }
}

/// A `match` whose arms take a step's `Ok`/`Err` (any arm does).
pub fn is_step_match(m: &ExprMatch) -> bool {
    m.arms
        .iter()
        .any(|a| step_pattern(&a.pat).is_some() || hangup_pattern(&a.pat).is_some())
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::quote;

    fn pat(tokens: proc_macro2::TokenStream) -> Pat {
        syn::parse::Parser::parse2(Pat::parse_single, tokens).unwrap()
    }

    #[test]
    fn arm_kinds() {
        assert!(matches!(step_arm(&pat(quote!(Ok(r)))), StepPat::Ok(Some(i)) if i == "r"));
        assert!(matches!(step_arm(&pat(quote!(Err(_)))), StepPat::Err(None)));
        assert!(matches!(
            step_arm(&pat(quote!(Err(Hangup)))),
            StepPat::Hangup
        ));
        assert!(matches!(
            step_arm(&pat(quote!(Err(Hangup(m))))),
            StepPat::HangupKeep(Some(i)) if i == "m"
        ));
        assert!(matches!(step_arm(&pat(quote!(Some(x)))), StepPat::Other));
        assert!(matches!(step_arm(&pat(quote!(Ok(a, b)))), StepPat::Other));
    }
}
