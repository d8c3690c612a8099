//! What `deploy` and `destroy` print while they work: each resource as CloudFormation reports it,
//! the elapsed time, and for the long waits (a number order, a stack still busy) a bar that
//! moves, redrawn in place on a terminal and printed every 30 s otherwise.

use std::collections::BTreeMap;
use std::io::{IsTerminal, Write};
use std::time::Duration;

/// The longest a custom resource may take before CloudFormation gives up on it
/// ([`switchboard_stack::number::PROVIDER_SERVICE_TIMEOUT`]): the bar's full width.
const LONG_WAIT: Duration =
    Duration::from_secs(switchboard_stack::number::PROVIDER_SERVICE_TIMEOUT as u64);

/// Progress output, to stderr; `lines` keeps what was printed (for tests and the summary).
pub struct Progress {
    tty: bool,
    quiet: bool,
    /// Resources still in progress: logical id → (type, elapsed when it started).
    busy: BTreeMap<String, (String, Duration)>,
    failures: Vec<String>,
    last_bar: Option<Duration>,
    pub lines: Vec<String>,
}

impl Progress {
    /// Progress to stderr; `quiet` keeps it in [`Progress::lines`] only.
    pub fn new(quiet: bool) -> Self {
        Progress {
            tty: !quiet && std::io::stderr().is_terminal(),
            quiet,
            busy: BTreeMap::new(),
            failures: Vec::new(),
            last_bar: None,
            lines: Vec::new(),
        }
    }

    fn print(&mut self, line: String) {
        if !self.quiet {
            let mut err = std::io::stderr();
            if self.tty && self.last_bar.is_some() {
                let _ = write!(err, "\r\x1b[2K");
            }
            let _ = writeln!(err, "{line}");
        }
        self.last_bar = None;
        self.lines.push(line);
    }

    /// A step of the command.
    pub fn note(&mut self, text: &str) {
        self.print(format!("==> {text}"));
    }

    /// One stack event.
    pub fn event(
        &mut self,
        elapsed: Duration,
        resource: &str,
        kind: &str,
        status: &str,
        reason: Option<&str>,
    ) {
        // The stack's own events frame the others; the bar follows the resources.
        let resource_event = kind != "AWS::CloudFormation::Stack";
        if resource_event && status.ends_with("_IN_PROGRESS") {
            self.busy
                .entry(resource.to_owned())
                .or_insert_with(|| (kind.to_owned(), elapsed));
        } else {
            self.busy.remove(resource);
        }
        if status.ends_with("_FAILED") {
            if let Some(r) = reason.filter(|r| !r.contains("Resource creation cancelled")) {
                self.failures.push(format!("{resource} ({kind}): {r}"));
            }
        }
        let reason = reason
            .filter(|r| !r.is_empty() && status.ends_with("_FAILED") || status.contains("ROLLBACK"))
            .map(|r| format!(": {r}"))
            .unwrap_or_default();
        self.print(format!(
            "  [{:>5}] {resource:<28} {kind:<36} {status}{reason}",
            clock(elapsed)
        ));
    }

    /// Called between polls: draws the bar of the longest wait still running.
    pub fn waiting(&mut self, elapsed: Duration) {
        let Some((resource, (kind, started))) = self
            .busy
            .iter()
            .min_by_key(|(_, (_, s))| *s)
            .map(|(r, v)| (r.clone(), v.clone()))
        else {
            return;
        };
        let waited = elapsed.saturating_sub(started);
        if waited < Duration::from_secs(10) {
            return;
        }
        let width = 30;
        let filled = ((waited.as_secs_f64() / LONG_WAIT.as_secs_f64()) * width as f64)
            .ceil()
            .min(width as f64) as usize;
        let bar = format!(
            "  [{:>5}] {resource} ({kind}) still in progress [{}{}] {} of at most {}",
            clock(elapsed),
            "#".repeat(filled),
            ".".repeat(width - filled),
            clock(waited),
            clock(LONG_WAIT)
        );
        if self.quiet {
            return;
        }
        if self.tty {
            let _ = write!(std::io::stderr(), "\r\x1b[2K{bar}");
            self.last_bar = Some(elapsed);
        } else if self
            .last_bar
            .is_none_or(|at| elapsed.saturating_sub(at) >= Duration::from_secs(30))
        {
            self.print(bar);
            self.last_bar = Some(elapsed);
        }
    }

    /// The failure reasons CloudFormation gave since the start.
    pub fn failures(&self) -> Vec<String> {
        if self.failures.is_empty() {
            vec!["no resource gave a reason: see the stack's events".into()]
        } else {
            self.failures.clone()
        }
    }
}

/// `1m05s`, `42s`.
pub fn clock(d: Duration) -> String {
    let s = d.as_secs();
    if s >= 60 {
        format!("{}m{:02}s", s / 60, s % 60)
    } else {
        format!("{s}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failures_keep_the_reasons_that_explain_them() {
        let mut p = Progress::new(true);
        p.event(
            Duration::from_secs(3),
            "Sma",
            "Custom::SipMediaApplication",
            "CREATE_IN_PROGRESS",
            None,
        );
        p.event(
            Duration::from_secs(9),
            "Sma",
            "Custom::SipMediaApplication",
            "CREATE_FAILED",
            Some("region not supported"),
        );
        p.event(
            Duration::from_secs(9),
            "Table",
            "AWS::DynamoDB::Table",
            "CREATE_FAILED",
            Some("Resource creation cancelled"),
        );
        assert_eq!(
            p.failures(),
            ["Sma (Custom::SipMediaApplication): region not supported"]
        );
        assert!(
            p.lines[1].contains("CREATE_FAILED: region not supported"),
            "{:?}",
            p.lines
        );
        assert_eq!(clock(Duration::from_secs(65)), "1m05s");
    }
}
