//! The business-phone configuration: one `[business-phone]` section of `switchboard.toml`.
//!
//! Every value the types cannot check is validated while the section is read, so a wrong value
//! stops `cargo run --bin compile` with a message naming the value and what to write, before any
//! ASL is written.

use serde::de::{Deserializer, Error};
use serde::Deserialize;
/// Phone numbers are `switchboard`'s [`E164`]: one rule for every number Switchboard reads.
pub use switchboard::pstn::E164;
use switchboard::Zone;

/// The business-phone app's configuration, checked as a whole (the owner's phone is not the
/// business number, at least one day is open); its fields are those of [`Settings`].
#[derive(Debug, Deserialize)]
#[serde(try_from = "Settings")]
pub struct BusinessPhone(Settings);

impl std::ops::Deref for BusinessPhone {
    type Target = Settings;
    fn deref(&self) -> &Settings {
        &self.0
    }
}

impl TryFrom<Settings> for BusinessPhone {
    type Error = String;
    fn try_from(s: Settings) -> Result<Self, String> {
        if s.owner == s.number {
            return Err(format!(
                "owner and number are both {}: the owner's personal phone must differ from the business number",
                s.number
            ));
        }
        if !(1..=20).contains(&s.pin_lockout_after) {
            return Err(format!(
                "pin_lockout_after = {}: lock the owner menu after 1 to 20 wrong PINs",
                s.pin_lockout_after
            ));
        }
        if !(1..=1440).contains(&s.pin_lockout_minutes) {
            return Err(format!(
                "pin_lockout_minutes = {}: lock for 1 to 1440 minutes (a day)",
                s.pin_lockout_minutes
            ));
        }
        if s.hours.days().iter().all(|(_, h)| h.is_none()) {
            return Err("hours: no day is open; give at least one, e.g. [business-phone.hours] monday = [\"09:00\", \"17:00\"]".into());
        }
        Ok(BusinessPhone(s))
    }
}

/// The fields of the business-phone configuration.
///
/// ```toml
/// [business-phone]
/// name = "Acme Plumbing"
/// number = "+12065550100"          # the business number (E.164)
/// owner = "+12065550123"           # the owner's personal phone (E.164)
/// timezone = "America/New_York"
/// table = "BusinessPhoneMessages"
/// bucket = "acme-business-phone"
/// scheduler_role_arn = "${SchedulerRoleArn}"   # or an IAM role ARN
/// schedule_group = "${ScheduleGroup}"         # or a group's name
///
/// [business-phone.hours]
/// monday = ["09:00", "17:00"]
/// ```
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// The business name, spoken in greetings.
    pub name: Text,
    /// The business number callers dial (E.164, e.g. `+12065550100`). The owner's calls to
    /// customers, scheduled or not, show this number.
    pub number: E164,
    /// The owner's personal phone (E.164): customer calls ring here, the owner menu answers
    /// calls from here (after the PIN), scheduled calls ring here first.
    pub owner: E164,
    /// Wrong PINs allowed in one call before it ends (default 3). The PIN itself is not
    /// configuration: its hash is an item of `table`, read at run time (docs/business-phone.md),
    /// so it never appears in the definition.
    #[serde(default = "defaults::pin_attempts")]
    pub pin_attempts: Count,
    /// Wrong PINs, across calls, each within `pin_lockout_minutes` of the previous one, that lock
    /// the owner menu (default 5, 1 to 20).
    #[serde(default = "defaults::pin_lockout_after")]
    pub pin_lockout_after: i64,
    /// How long the owner menu stays locked, and how long a wrong PIN is remembered (default 60,
    /// 1 to 1440 minutes).
    #[serde(default = "defaults::pin_lockout_minutes")]
    pub pin_lockout_minutes: i64,
    /// The IANA time zone of the opening hours and of scheduled calls (e.g. `America/New_York`):
    /// its daylight-saving rule is compiled in, right in every year.
    pub timezone: Zone,
    /// Opening hours per weekday, `["HH:MM", "HH:MM"]` (24-hour, local time); a day left out is
    /// closed. Open from the first time inclusive to the second exclusive.
    pub hours: Hours,
    /// Seconds the owner's phone rings before the caller is offered voicemail (default 25).
    #[serde(default = "defaults::ring_seconds")]
    pub ring_seconds: i64,
    /// DynamoDB table for messages: partition key `mailbox` (S, the business number), sort key
    /// `at` (N, epoch milliseconds). One item per message.
    pub table: TableName,
    /// S3 bucket for recordings and prompts.
    pub bucket: BucketName,
    /// Key prefix of recorded messages (default `voicemail/`).
    #[serde(default = "defaults::voicemail_prefix")]
    pub voicemail_prefix: Text,
    /// Key of the beep played before recording (default `prompts/beep.wav`).
    #[serde(default = "defaults::beep_key")]
    pub beep_key: Text,
    /// Longest message in seconds (default 120).
    #[serde(default = "defaults::max_message_seconds")]
    pub max_message_seconds: i64,
    /// The IAM role EventBridge Scheduler assumes to place scheduled calls; it needs
    /// `chime:CreateSipMediaApplicationCall`. `"${SchedulerRoleArn}"`: the role the stack creates
    /// with exactly that permission.
    pub scheduler_role_arn: RoleArn,
    /// The EventBridge Scheduler group the calls are scheduled in (default: the account's
    /// `default` group). `"${ScheduleGroup}"`: the stack's own group, which `destroy` removes
    /// with the calls still pending in it.
    #[serde(default = "defaults::schedule_group")]
    pub schedule_group: Text,
    /// The SIP media application that places scheduled calls. Default: the one that received
    /// the owner's call (it routes the business number, so it is the right one).
    #[serde(default)]
    pub sip_media_application_id: Option<Text>,
}

mod defaults {
    use super::{Count, Text};
    pub fn schedule_group() -> Text {
        Text("default".into())
    }
    pub fn pin_attempts() -> Count {
        Count(3)
    }
    pub fn pin_lockout_after() -> i64 {
        5
    }
    pub fn pin_lockout_minutes() -> i64 {
        60
    }
    pub fn ring_seconds() -> i64 {
        25
    }
    pub fn voicemail_prefix() -> Text {
        Text("voicemail/".into())
    }
    pub fn beep_key() -> Text {
        Text("prompts/beep.wav".into())
    }
    pub fn max_message_seconds() -> i64 {
        120
    }
}

/// Implements `Deserialize` for a newtype over `String` through a checking function.
macro_rules! checked_string {
    ($(#[$m:meta])* $name:ident, $check:expr) => {
        $(#[$m])*
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub struct $name(pub String);
        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = String::deserialize(d)?;
                let check: fn(&str) -> Result<(), String> = $check;
                check(&s).map_err(D::Error::custom)?;
                Ok($name(s))
            }
        }
        impl std::ops::Deref for $name {
            type Target = str;
            fn deref(&self) -> &str {
                &self.0
            }
        }
        impl switchboard::prelude::ToVal for $name {
            fn to_val(&self) -> switchboard::prelude::Val {
                self.0.to_val()
            }
        }
    };
}

checked_string!(
    /// Non-empty text.
    Text,
    |s| {
        if s.trim().is_empty() {
            Err("an empty text value: write something, e.g. name = \"Acme Plumbing\"".into())
        } else {
            Ok(())
        }
    }
);

checked_string!(
    /// An IAM role ARN, or a deploy-time value (`"${SchedulerRoleArn}"`: the role the stack
    /// creates).
    RoleArn,
    |s| {
        if switchboard::deploy_time::placeholder(s).is_some() {
            return Ok(());
        }
        let parts: Vec<&str> = s.splitn(6, ':').collect();
        let ok = parts.len() == 6
            && parts[0] == "arn"
            && parts[1].starts_with("aws")
            && parts[2] == "iam"
            && parts[4].len() == 12
            && parts[4].chars().all(|c| c.is_ascii_digit())
            && parts[5].strip_prefix("role/").is_some_and(|r| !r.is_empty());
        if ok {
            Ok(())
        } else {
            Err(format!("scheduler_role_arn \"{s}\" is not an IAM role ARN: write arn:aws:iam::<12-digit account>:role/<name>, or \"${{SchedulerRoleArn}}\" for the role the stack creates"))
        }
    }
);

checked_string!(
    /// A DynamoDB table name, or a deploy-time value naming the stack's table
    /// (`"${BusinessPhoneMessages}"`: offline, the table of that name).
    TableName,
    |s| {
        let s = switchboard::deploy_time::placeholder(s).unwrap_or(s);
        let ok = (3..=255).contains(&s.len())
            && s.chars().all(|c| c.is_ascii_alphanumeric() || "_.-".contains(c));
        if ok {
            Ok(())
        } else {
            Err(format!("table \"{s}\" is not a DynamoDB table name: 3-255 letters, digits, _ . or -"))
        }
    }
);

checked_string!(
    /// An S3 bucket name, or a deploy-time value naming the stack's bucket
    /// (`"${acme-business-phone}"`: offline, the bucket of that name).
    BucketName,
    |s| {
        let s = switchboard::deploy_time::placeholder(s).unwrap_or(s);
        let ok = (3..=63).contains(&s.len())
            && s.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || ".-".contains(c))
            && s.starts_with(|c: char| c.is_ascii_alphanumeric())
            && s.ends_with(|c: char| c.is_ascii_alphanumeric());
        if ok {
            Ok(())
        } else {
            Err(format!("bucket \"{s}\" is not an S3 bucket name: 3-63 lowercase letters, digits, . or -, starting and ending with a letter or digit"))
        }
    }
);

/// A small positive count (1–9).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Count(pub i64);

impl<'de> Deserialize<'de> for Count {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let n = i64::deserialize(d)?;
        if (1..=9).contains(&n) {
            Ok(Count(n))
        } else {
            Err(D::Error::custom(format!(
                "pin_attempts = {n}: allow 1 to 9 attempts"
            )))
        }
    }
}

/// A local time of day, `"HH:MM"` (24-hour).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Hhmm(pub String);

impl Hhmm {
    fn parse(s: &str) -> Result<Hhmm, String> {
        let b = s.as_bytes();
        let ok = b.len() == 5
            && b[2] == b':'
            && [0, 1, 3, 4].iter().all(|&i| b[i].is_ascii_digit())
            && &s[..2] <= "23"
            && &s[3..] <= "59";
        if ok {
            Ok(Hhmm(s.to_owned()))
        } else {
            Err(format!(
                "\"{s}\" is not a time of day: write \"HH:MM\" on the 24-hour clock, e.g. \"09:00\" or \"17:30\""
            ))
        }
    }

    /// The time as it is spoken: `09:00` → "9 AM", `17:30` → "5:30 PM".
    pub fn spoken(&self) -> String {
        let h: u32 = self.0[..2].parse().unwrap_or(0);
        let m = &self.0[3..];
        let (h12, half) = match h {
            0 => (12, "AM"),
            1..=11 => (h, "AM"),
            12 => (12, "PM"),
            _ => (h - 12, "PM"),
        };
        if m == "00" {
            format!("{h12} {half}")
        } else {
            format!("{h12}:{m} {half}")
        }
    }
}

/// One day's opening hours: `["09:00", "17:00"]`, open from the first (inclusive) to the
/// second (exclusive).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenHours {
    pub open: Hhmm,
    pub close: Hhmm,
}

impl<'de> Deserialize<'de> for OpenHours {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = Vec::<String>::deserialize(d)?;
        let [open, close] = v.as_slice() else {
            return Err(D::Error::custom(format!(
                "opening hours {v:?}: write two times, [\"09:00\", \"17:00\"]"
            )));
        };
        let open = Hhmm::parse(open).map_err(D::Error::custom)?;
        let close = Hhmm::parse(close).map_err(D::Error::custom)?;
        if open >= close {
            return Err(D::Error::custom(format!(
                "opening hours [\"{}\", \"{}\"]: the opening time must be before the closing time",
                open.0, close.0
            )));
        }
        Ok(OpenHours { open, close })
    }
}

/// Opening hours per weekday; a day left out is closed.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Hours {
    pub monday: Option<OpenHours>,
    pub tuesday: Option<OpenHours>,
    pub wednesday: Option<OpenHours>,
    pub thursday: Option<OpenHours>,
    pub friday: Option<OpenHours>,
    pub saturday: Option<OpenHours>,
    pub sunday: Option<OpenHours>,
}

impl Hours {
    /// Each day as JSONata's `[FNn]` names it, with its hours.
    pub fn days(&self) -> [(&'static str, Option<&OpenHours>); 7] {
        [
            ("Monday", self.monday.as_ref()),
            ("Tuesday", self.tuesday.as_ref()),
            ("Wednesday", self.wednesday.as_ref()),
            ("Thursday", self.thursday.as_ref()),
            ("Friday", self.friday.as_ref()),
            ("Saturday", self.saturday.as_ref()),
            ("Sunday", self.sunday.as_ref()),
        ]
    }

    /// The hours as a sentence: "Monday to Friday, 9 AM to 5 PM; Saturday, 10 AM to 2 PM."
    /// Consecutive days with the same hours are grouped.
    pub fn spoken(&self) -> String {
        let days = self.days();
        let mut groups: Vec<(usize, usize, &OpenHours)> = Vec::new();
        for (i, (_, h)) in days.iter().enumerate() {
            let Some(h) = h else { continue };
            match groups.last_mut() {
                Some((_, end, g)) if *end + 1 == i && *g == *h => *end = i,
                _ => groups.push((i, i, h)),
            }
        }
        if groups.is_empty() {
            return "We are closed every day.".into();
        }
        let parts: Vec<String> = groups
            .iter()
            .map(|(a, b, h)| {
                let span = match b - a {
                    0 => days[*a].0.to_owned(),
                    1 => format!("{} and {}", days[*a].0, days[*b].0),
                    _ => format!("{} to {}", days[*a].0, days[*b].0),
                };
                format!("{span}, {} to {}", h.open.spoken(), h.close.spoken())
            })
            .collect();
        format!("Our hours are {}.", parts.join("; "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_spoken_on_the_twelve_hour_clock() {
        let t = |s: &str| Hhmm::parse(s).unwrap().spoken();
        assert_eq!(
            [t("00:00"), t("09:00"), t("12:15"), t("17:30")],
            ["12 AM", "9 AM", "12:15 PM", "5:30 PM"]
        );
    }

    #[test]
    fn bad_times_are_refused() {
        for bad in ["9:00", "24:00", "12:60", "1200", "ab:cd"] {
            assert!(Hhmm::parse(bad).is_err(), "{bad}");
        }
    }
}
