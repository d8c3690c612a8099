//! Whether the business is open now: the opening hours compiled into one condition.

use super::config::{BusinessPhone, OpenHours};
use switchboard::prelude::*;

/// True when the local time in the business's zone is within one day's hours: from the opening
/// time inclusive to the closing time exclusive, so a call at exactly 09:00 finds the business
/// open and one at exactly 17:00 finds it closed.
///
/// Days with the same hours share one test (`"|Monday|Tuesday|" contains "|" & weekday & "|"`),
/// so the local time, whose expression carries the zone's daylight-saving changes, appears three
/// times per distinct set of hours rather than once per day.
#[track_caller]
pub fn open_now(cfg: &BusinessPhone) -> Val {
    let local = local_time(&cfg.timezone);
    let mut groups: Vec<(&OpenHours, Vec<&str>)> = Vec::new();
    for (day, hours) in cfg.hours.days() {
        let Some(h) = hours else { continue };
        match groups.iter_mut().find(|(g, _)| *g == h) {
            Some((_, days)) => days.push(day),
            None => groups.push((h, vec![day])),
        }
    }
    groups.iter().fold(false.to_val(), |open, (hours, days)| {
        or_open_on(open, local, days, hours)
    })
}

/// `open`, or open now if today is one of `days` with these `hours`.
#[value]
fn or_open_on(open: Val, local: LocalTime, days: &[&str], hours: &OpenHours) -> Val {
    // A constant: `"|Monday|Tuesday|"`.
    let listed = format!("|{}|", days.join("|"));
    let on_day = listed.contains(format!("|{}|", local.weekday));
    let in_hours = local.hhmm >= hours.open.0.as_str() && local.hhmm < hours.close.0.as_str();
    open || on_day && in_hours
}

/// The local date and time for a message's announcement: "Monday 2025-03-10 at 14:30".
#[track_caller]
#[value]
pub fn local_stamp(cfg: &BusinessPhone) -> Val {
    let local = local_time(&cfg.timezone);
    format!("{} {} at {}", local.weekday, local.date, local.hhmm)
}
