//! Local time in an IANA time zone, correct across daylight-saving changes.
//!
//! JSONata's `$fromMillis(ms, picture, timezone)` takes a fixed `±HHMM` offset, not a zone
//! (<https://docs.jsonata.org/date-time-functions>). So the offset is computed when the flow is
//! compiled: the zone's UTC-offset changes over a span of years (from the IANA database, via
//! [`Zone`]) become a chain of `$millis() < change ? offset : …` conditions. `$millis()` is the
//! same throughout one evaluation, so every part of the expression sees one instant.

use super::ctx;
use super::step::Bind;
use super::val::{ops, ToVal, Val};
use crate::ir::{Expr, Kind, Loc, StmtKind};
use crate::zone::Zone;

/// The first and last year whose offset changes are compiled in.
pub const YEARS: std::ops::RangeInclusive<i16> = 2024..=2040;

/// The current local time in a zone.
#[derive(Clone, Copy, Debug)]
pub struct LocalTime {
    /// `"HH:MM"`, 24-hour (compare with `"09:00"`-style strings: they sort as times).
    pub hhmm: Val,
    /// `"Monday"` … `"Sunday"`.
    pub weekday: Val,
    /// `"YYYY-MM-DD"`.
    pub date: Val,
    /// The UTC offset in force, `"±HHMM"`.
    pub offset: Val,
}

fn offset_text(seconds: i32) -> String {
    let sign = if seconds < 0 { '-' } else { '+' };
    let s = seconds.abs();
    format!("{sign}{:02}{:02}", s / 3600, (s % 3600) / 60)
}

/// The offset changes of `zone` within [`YEARS`]: the offset before the first change, then each
/// change as (epoch milliseconds, new offset in seconds).
pub fn offset_changes(zone: &Zone) -> (i32, Vec<(i64, i32)>) {
    let new_year = |year: i16| {
        let local = jiff::civil::date(year, 1, 1).at(0, 0, 0, 0);
        Zone::utc().instant_of(local).unwrap_or(0)
    };
    let (start, end) = (new_year(*YEARS.start()), new_year(*YEARS.end() + 1));
    let first = zone.offset_seconds_at(start);
    let from = jiff::Timestamp::from_millisecond(start).unwrap_or(jiff::Timestamp::UNIX_EPOCH);
    let mut current = first;
    let mut changes = Vec::new();
    for t in zone.time_zone().following(from) {
        let at = t.timestamp().as_millisecond();
        if at >= end {
            break;
        }
        // A change of abbreviation alone leaves the clock as it is.
        if t.offset().seconds() != current {
            current = t.offset().seconds();
            changes.push((at, current));
        }
    }
    (first, changes)
}

/// The current local time in the IANA zone `zone`: a [`Zone`] (e.g. from configuration) or its
/// name (`"America/New_York"`).
#[track_caller]
pub fn local_time(zone: impl AsRef<str>) -> LocalTime {
    let loc = Loc::caller();
    let name = zone.as_ref();
    let zone: Zone = match name.parse() {
        Ok(z) => z,
        Err(e) => {
            ctx::error(loc, format!("local_time({name:?}): {e}"));
            Zone::utc()
        }
    };
    let (first, changes) = offset_changes(&zone);
    // Build the chain from the last change backwards: millis < t1 ? o0 : (millis < t2 ? o1 : …).
    let mut offsets: Vec<String> = vec![offset_text(first)];
    offsets.extend(changes.iter().map(|(_, o)| offset_text(*o)));
    let mut expr = Expr::str(offsets.last().cloned().unwrap_or_default());
    for (i, (at, _)) in changes.iter().enumerate().rev() {
        let before = Expr::str(offsets[i].clone());
        let test = Expr::Binary(
            crate::ir::BinOp::Lt,
            Box::new(Expr::Call("millis", vec![])),
            Box::new(Expr::Lit((*at).into())),
        );
        expr = Expr::Cond(Box::new(test), Box::new(before), Box::new(expr));
    }
    // One object, the offset computed once:
    // `($utc_offset := …; {"hhmm": $fromMillis($millis(), "[H01]:[m01]", $utc_offset), …})`.
    let o = Expr::var(LOCAL);
    let fmt = |picture: &str| {
        Expr::Call(
            "fromMillis",
            vec![Expr::Call("millis", vec![]), Expr::str(picture), o.clone()],
        )
    };
    let object = Expr::Object(vec![
        ("hhmm".into(), fmt("[H01]:[m01]")),
        ("weekday".into(), fmt("[FNn]")),
        ("date".into(), fmt("[Y0001]-[M01]-[D01]")),
        ("offset".into(), o.clone()),
    ]);
    LocalTime::of(Expr::Let(LOCAL.into(), Box::new(expr), Box::new(object)))
}

/// A zone in a flow is its IANA name (`ScheduleExpressionTimezone`, …).
impl ToVal for Zone {
    fn to_val(&self) -> Val {
        self.name().to_val()
    }
}

/// The JSONata-local variable holding the offset inside the expression.
const LOCAL: &str = "utc_offset";

impl LocalTime {
    /// The fields of a local-time object expression (or a variable holding one).
    pub(crate) fn of(object: Expr) -> LocalTime {
        let f = |name: &str| Val::new(object.clone().field(name), Kind::Str);
        LocalTime {
            hhmm: f("hhmm"),
            weekday: f("weekday"),
            date: f("date"),
            offset: f("offset"),
        }
    }

    /// Whether the local time is within `[open, close)` (`"HH:MM"` strings) on one of `days`
    /// (`"Monday"`…); constants fold, runtime values compare as text.
    pub fn within(&self, open: impl ToVal, close: impl ToVal, days: &[&str]) -> Val {
        let on_day = days.iter().fold(false.to_val(), |acc, d| {
            ops::or(acc, ops::eq(self.weekday, *d))
        });
        ops::and(
            on_day,
            ops::and(ops::ge(self.hhmm, open), ops::lt(self.hhmm, close)),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_york_changes_twice_a_year() {
        let (first, changes) = offset_changes(&"America/New_York".parse().unwrap());
        assert_eq!(first, -5 * 3600);
        assert_eq!(changes.len(), 2 * YEARS.clone().count());
        // 2025-03-09 07:00 UTC: clocks go from 02:00 EST to 03:00 EDT.
        let spring = 1_741_503_600_000;
        assert!(changes.contains(&(spring, -4 * 3600)), "{changes:?}");
        assert_eq!(offset_text(-4 * 3600), "-0400");
        assert_eq!(offset_text(19800), "+0530");
    }

    #[test]
    fn a_zone_without_dst_has_no_changes() {
        let (first, changes) = offset_changes(&"Asia/Kolkata".parse().unwrap());
        assert_eq!((first, changes.len()), (19800, 0));
    }
}

/// `let now = local_time(…);` reads the clock once, into a variable: later uses see that instant
/// and the definition holds the offset table once.
impl Bind for LocalTime {
    type Out = LocalTime;
    fn bind(self, loc: Loc, name: Option<&str>) -> LocalTime {
        let Some(name) = name else { return self };
        let Expr::Field(object, _) = self.hhmm.expr() else {
            return self;
        };
        let var = ctx::fresh_var(name);
        ctx::push(
            loc,
            StmtKind::Assign {
                var: var.clone(),
                value: *object,
            },
        );
        LocalTime::of(Expr::var(var))
    }
}
