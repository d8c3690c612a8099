//! Documented limits of the PSTN audio service. The facts live in the `switchboard-pstn` crate
//! (re-exported here and as [`super::param`] / [`super::option`]); this module adds the two
//! checks that depend on the rest of this crate.

pub use switchboard_pstn::limits::*;

/// A participant tag an action may target: `LEG-A` or `LEG-B`.
/// <https://docs.aws.amazon.com/chime-sdk/latest/dg/hangup.html>
pub fn is_participant_tag(s: &str) -> bool {
    s == crate::wire::LEG_A || s == crate::wire::LEG_B
}

/// `true` for a JSONata template string (`{% ... %}`), whose value is only known when the state
/// machine runs: value checks skip it.
/// <https://docs.aws.amazon.com/step-functions/latest/dg/transforming-data.html>
pub fn is_jsonata_template(s: &str) -> bool {
    let t = s.trim();
    t.len() >= 4 && t.starts_with("{%") && t.ends_with("%}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates() {
        assert!(is_jsonata_template("{% $call.id %}"));
        assert!(!is_jsonata_template("{%"));
        assert!(is_participant_tag("LEG-B") && !is_participant_tag("LEG-C"));
    }
}
