//! Local time in an IANA time zone, correct across daylight-saving changes.
//!
//! JSONata's `$fromMillis(ms, picture, timezone)` takes a fixed `±HHMM` offset, not a zone
//! (<https://docs.jsonata.org/date-time-functions>). So the offset is computed when the flow is
//! compiled: the zone's UTC-offset changes over a span of years (from the IANA database, via
//! chrono-tz) become a chain of `$millis() < change ? offset : …` conditions. `$millis()` is the
//! same throughout one evaluation, so every part of the expression sees one instant.

use super::ctx;
use super::step::Bind;
use super::val::{ops, ToVal, Val};
use crate::ir::{Expr, Kind, Loc, StmtKind};
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
