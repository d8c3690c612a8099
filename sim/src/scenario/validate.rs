//! What a scenario file must say beyond its shape: one call or several, well-formed
//! expectations, action types that exist (a misspelt type in `actions_not_run` would hold
//! for ever). Every error names the file, the line and the field.

use super::{CallRun, Expect, Scenario, ScenarioError};

/// The names an expectation may use: every PSTN audio action type, as the typed model knows
/// them (`tests/scenario_format.rs` checks the model against the documentation's examples).
pub const ACTION_TYPES: [&str; 18] = switchboard::pstn::Action::TYPES;

impl Scenario {
    /// The lines of each item of `calls:` (1-based, end exclusive), found in the text.
    pub(super) fn call_lines(&self) -> Vec<(usize, usize)> {
        let lines: Vec<&str> = self.text.lines().collect();
        let Some(start) = lines.iter().position(|l| l.trim_end() == "calls:") else {
            return Vec::new();
        };
        let mut items = Vec::new();
        let mut indent = None;
        for (i, l) in lines.iter().enumerate().skip(start + 1) {
            let trimmed = l.trim_start();
            if trimmed.is_empty() || trimmed.starts_with('#') {
                continue;
            }
            let at = l.len() - trimmed.len();
            if at == 0 && !trimmed.starts_with("- ") {
                break;
            }
            if trimmed.starts_with("- ") && indent.is_none_or(|n| n == at) {
                indent = Some(at);
                items.push(i + 1);
            }
        }
        let end = lines.len() + 1;
        let mut ranges: Vec<(usize, usize)> = items.windows(2).map(|w| (w[0], w[1])).collect();
        if let Some(&last) = items.last() {
            ranges.push((last, end));
        }
        ranges
    }

    /// An error about `field` of call `index` of `calls:`, pointing at the line within that
    /// call that holds the field's key (else the call's first line).
    pub fn call_error(
        &self,
        index: usize,
        field: &str,
        message: impl Into<String>,
    ) -> ScenarioError {
        let name = format!("calls[{index}].{field}");
        let Some(&(from, to)) = self.call_lines().get(index) else {
            return self.error(&name, message);
        };
        let line = self
            .line_of(field, from)
            .filter(|l| *l < to)
            .unwrap_or(from);
        ScenarioError {
            path: self.path.clone(),
            line: Some(line),
            message: format!("{name}: {}", message.into()),
        }
    }

    /// The calls to run: `(index in calls:, the call)`; a single `call` is index `None`.
    pub fn runs(&self) -> Vec<(Option<usize>, CallRun)> {
        match &self.call {
            Some(call) => vec![(
                None,
                CallRun {
                    name: None,
                    call: call.clone(),
                    script: self.script.clone(),
                    expect: Expect::default(),
                },
            )],
            None => self
                .calls
                .iter()
                .cloned()
                .enumerate()
                .map(|(i, c)| (Some(i), c))
                .collect(),
        }
    }

    /// Check what serde cannot: one call or several, and every expectation well formed.
    pub(super) fn validate(&self) -> Result<(), ScenarioError> {
        match (&self.call, self.calls.is_empty()) {
            (None, true) => {
                return Err(self.error(
                    "call",
                    "no call: write `call:` for one call, or `calls:` for several in a row",
                ))
            }
            (Some(_), false) => {
                return Err(self.error(
                    "calls",
                    "write `call:` (one call) or `calls:` (several), not both",
                ))
            }
            (None, false) if !self.script.is_empty() => {
                return Err(self.error(
                    "script",
                    "with `calls:`, each call has its own `script`; move this one into the call it belongs to",
                ))
            }
            _ => {}
        }
        for (i, c) in self.calls.iter().enumerate() {
            if i > 0 && c.call.seed.is_some() {
                return Err(self.call_error(
                    i,
                    "call.seed",
                    "the first call's seed serves the whole scenario; remove this one",
                ));
            }
            check_expect(&c.expect)
                .map_err(|(f, m)| self.call_error(i, &format!("expect.{f}"), m))?;
        }
        check_expect(&self.expect).map_err(|(f, m)| self.error(&format!("expect.{f}"), m))
    }
}

fn check_actions(field: &str, names: &[String]) -> Result<(), (String, String)> {
    match names.iter().find(|n| !ACTION_TYPES.contains(&n.as_str())) {
        Some(n) => Err((
            field.to_string(),
            format!(
                "`{n}` is not a PSTN audio action; write one of {}",
                ACTION_TYPES.join(", ")
            ),
        )),
        None => Ok(()),
    }
}

/// The first problem of `e`: the field (under `expect.`) and what to write.
fn check_expect(e: &Expect) -> Result<(), (String, String)> {
    check_actions("actions", &e.actions)?;
    check_actions("actions_not_run", &e.actions_not_run)?;
    for (tag, leg) in e.legs.named() {
        check_actions(&format!("legs.{tag}.actions"), &leg.actions)?;
        check_actions(&format!("legs.{tag}.actions_not_run"), &leg.actions_not_run)?;
    }
    if e.absent_items.iter().any(|i| i.object.is_some()) {
        return Err((
            "absent_items.object".into(),
            "an absent item names no object; remove `object`".into(),
        ));
    }
    let lengths = e
        .items
        .iter()
        .filter_map(|i| i.object.as_ref()?.min_seconds);
    if let Some(s) = lengths.into_iter().find(|s| !(*s >= 0.0)) {
        return Err((
            "items.object.min_seconds".into(),
            format!("{s} is not a length; write a number of seconds like 1 or 2.5"),
        ));
    }
    if e.absent_items.iter().any(|i| i.count.is_some()) {
        return Err((
            "absent_items.count".into(),
            "an absent item has no count; write `items: [{table, with, count: 0}]` or drop `count`"
                .into(),
        ));
    }
    if let Some(i) = e.absent_items.iter().find(|i| i.with.is_empty()) {
        return Err((
            "absent_items.with".into(),
            format!(
                "say which items of {} must be absent with `with: {{attribute: value}}`",
                i.table
            ),
        ));
    }
    for (field, list) in [
        ("objects", &e.objects),
        ("absent_objects", &e.absent_objects),
    ] {
        for o in list.iter() {
            if o.key.is_some() == o.key_prefix.is_some() {
                return Err((
                    format!("{field}.key"),
                    format!(
                        "an object of {} needs exactly one of `key` and `key_prefix`",
                        o.bucket
                    ),
                ));
            }
            match o.min_seconds {
                Some(_) if field == "absent_objects" => {
                    return Err((
                        format!("{field}.min_seconds"),
                        "an absent object has no length; remove `min_seconds`".into(),
                    ))
                }
                Some(s) if !(s >= 0.0) => {
                    return Err((
                        format!("{field}.min_seconds"),
                        format!("{s} is not a length; write a number of seconds like 1 or 2.5"),
                    ))
                }
                _ => {}
            }
        }
    }
    Ok(())
}
