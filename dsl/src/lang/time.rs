//! Local time in an IANA time zone, correct across daylight-saving changes.
//!
//! JSONata's `$fromMillis(ms, picture, timezone)` takes a fixed `±HHMM` offset, not a zone
//! (<https://docs.jsonata.org/date-time-functions>). So the offset is computed when the flow is
//! compiled: the zone's UTC-offset changes over a span of years (from the IANA database, via
//! chrono-tz) become a chain of `$millis() < change ? offset : …` conditions. `$millis()` is the
//! same throughout one evaluation, so every part of the expression sees one instant.

use super::ctx;
use super::val::{ops, ToVal, Val};
use crate::ir::{Expr, Kind, Loc};
use chrono::{Offset, TimeZone, Utc};

/// The first and last year whose offset changes are compiled in.
pub const YEARS: std::ops::RangeInclusive<i32> = 2024..=2040;

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

/// The offset changes of `tz` within [`YEARS`]: the offset before the first change, then each
/// change as (epoch milliseconds, new offset in seconds).
pub fn offset_changes(tz: chrono_tz::Tz) -> (i32, Vec<(i64, i32)>) {
    let offset_at = |ms: i64| {
        tz.offset_from_utc_datetime(
            &Utc.timestamp_millis_opt(ms)
                .single()
                .unwrap_or_default()
                .naive_utc(),
        )
        .fix()
        .local_minus_utc()
    };
    let start = Utc
        .with_ymd_and_hms(*YEARS.start(), 1, 1, 0, 0, 0)
        .single()
        .map(|t| t.timestamp_millis())
        .unwrap_or(0);
    let end = Utc
        .with_ymd_and_hms(*YEARS.end() + 1, 1, 1, 0, 0, 0)
        .single()
        .map(|t| t.timestamp_millis())
        .unwrap_or(0);
    let first = offset_at(start);
    let mut changes = Vec::new();
    let (mut t, mut cur) = (start, first);
    const HOUR: i64 = 3_600_000;
    while t < end {
        let next = t + 24 * HOUR;
        if offset_at(next) != cur {
            // Narrow the change down to the exact millisecond within the day.
            let (mut lo, mut hi) = (t, next);
            while hi - lo > 1 {
                let mid = lo + (hi - lo) / 2;
                if offset_at(mid) == cur {
                    lo = mid;
                } else {
                    hi = mid;
                }
            }
            cur = offset_at(hi);
            changes.push((hi, cur));
        }
        t = next;
    }
    (first, changes)
}

/// The current local time in the IANA zone `tz` (e.g. `"America/New_York"`).
#[track_caller]
pub fn local_time(tz: &str) -> LocalTime {
    let loc = Loc::caller();
    let zone: chrono_tz::Tz = match tz.parse() {
        Ok(z) => z,
        Err(_) => {
            ctx::error(loc, format!("local_time(\"{tz}\"): not an IANA time zone; write one like \"America/New_York\" or \"Europe/Paris\""));
            chrono_tz::UTC
        }
    };
    let (first, changes) = offset_changes(zone);
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
    let offset = Val::new(expr, Kind::Str);
    let fmt = |picture: &str| {
        Val::new(
            Expr::Call(
                "fromMillis",
                vec![
                    Expr::Call("millis", vec![]),
                    Expr::str(picture),
                    offset.expr(),
                ],
            ),
            Kind::Str,
        )
    };
    LocalTime {
        hhmm: fmt("[H01]:[m01]"),
        weekday: fmt("[FNn]"),
        date: fmt("[Y0001]-[M01]-[D01]"),
        offset,
    }
}

impl LocalTime {
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
        let (first, changes) = offset_changes(chrono_tz::America::New_York);
        assert_eq!(first, -5 * 3600);
        assert_eq!(changes.len(), 2 * YEARS.clone().count());
        // 2025-03-09 07:00 UTC: clocks go from 02:00 EST to 03:00 EDT.
        let spring = Utc
            .with_ymd_and_hms(2025, 3, 9, 7, 0, 0)
            .unwrap()
            .timestamp_millis();
        assert!(changes.contains(&(spring, -4 * 3600)), "{changes:?}");
        assert_eq!(offset_text(-4 * 3600), "-0400");
        assert_eq!(offset_text(19800), "+0530");
    }

    #[test]
    fn a_zone_without_dst_has_no_changes() {
        let (first, changes) = offset_changes(chrono_tz::Asia::Kolkata);
        assert_eq!((first, changes.len()), (19800, 0));
    }
}
