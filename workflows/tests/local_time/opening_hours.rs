use serde::Deserialize;
use switchboard::prelude::*;

#[derive(Deserialize)]
pub struct Desk {
    /// An IANA time zone, e.g. "America/New_York" (checked when the configuration is read).
    pub time_zone: Zone,
}

/// Tells the caller whether the desk is open: 09:00 to 17:00, Monday to Friday, local time.
#[call_flow(name = "opening-hours")]
pub fn opening_hours(call: &Call, cfg: &Desk) {
    let now = local_time(&cfg.time_zone);
    let weekdays = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"];
    if now.within("09:00", "17:00", &weekdays) {
        speak(format!(
            "We are open. It is {} on {}.",
            now.hhmm, now.weekday
        ));
    } else {
        speak(format!(
            "We are closed. It is {} on {} {}, UTC {}.",
            now.hhmm, now.weekday, now.date, now.offset
        ));
    }
}
