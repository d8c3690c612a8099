//! Whether the business is open now: the opening hours compiled into one condition.

use super::config::{BusinessPhone, OpenHours};
use switchboard::lang::val::ops;
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
    groups.iter().fold(false.to_val(), |acc, (h, days)| {
        let list = format!("|{}|", days.join("|"));
        let today = ops::concat(ops::concat("|", local.weekday), "|");
        let on_day = list.to_val().contains(today);
        let in_hours = ops::and(
            ops::ge(local.hhmm, h.open.0.as_str()),
            ops::lt(local.hhmm, h.close.0.as_str()),
        );
        ops::or(acc, ops::and(on_day, in_hours))
    })
}

/// The local date and time for a message's announcement: "Monday 2025-03-10 at 14:30".
#[track_caller]
pub fn local_stamp(cfg: &BusinessPhone) -> Val {
    let local = local_time(&cfg.timezone);
    ops::concat(
        ops::concat(ops::concat(local.weekday, " "), local.date),
        ops::concat(" at ", local.hhmm),
    )
}
