//! Local time in an IANA time zone, correct across daylight-saving changes, in any year.
//!
//! Step Functions' JSONata has no time-zone database: `$fromMillis(ms, picture, timezone)` takes
//! a fixed `±HHMM` offset (<https://docs.jsonata.org/date-time-functions>). So the expression
//! computes the offset itself from what [`Zone::offsets`] gives: the changes the database lists
//! one by one (`$millis() < change ? offset : …`), then the zone's yearly rule, evaluated for the
//! UTC year of `$millis()`. The rule's change days ("the second Sunday of March") are computed
//! with calendar arithmetic, so nothing in the definition expires. `$millis()` is the same
//! throughout one evaluation, so every part of the expression sees one instant.

use super::ctx;
use super::step::Bind;
use super::val::{ops, ToVal, Val};
use crate::ir::{BinOp, Expr, Kind, Loc, StmtKind};
use crate::zone::{Change, Offsets, Rule, Zone};

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

/// The current local time in the IANA zone `zone`: a [`Zone`] (e.g. from configuration) or its
/// name (`"America/New_York"`).
#[track_caller]
pub fn local_time(zone: impl AsRef<str>) -> LocalTime {
    let loc = Loc::caller();
    let name = zone.as_ref();
    let object = name
        .parse::<Zone>()
        .map_err(|e| e.to_string())
        .and_then(|z| local_time_expr(&z));
    match object {
        Ok(object) => LocalTime::of(object),
        Err(e) => {
            ctx::error(loc, format!("local_time({name:?}): {e}"));
            LocalTime::of(Expr::Object(Vec::new()))
        }
    }
}

/// The object expression behind [`local_time`]:
/// `($utc_offset := …; {"hhmm": …, "weekday": …, "date": …, "offset": $utc_offset})`.
pub fn local_time_expr(zone: &Zone) -> Result<Expr, String> {
    let offset = offset_expr(&zone.offsets()?)?;
    // The offset is computed once; a constant one is written in place.
    let (o, wrap): (Expr, Option<Expr>) = match offset {
        Expr::Lit(_) => (offset, None),
        other => (Expr::var(LOCAL), Some(other)),
    };
    let fmt =
        |picture: &str| Expr::Call("fromMillis", vec![millis(), Expr::str(picture), o.clone()]);
    let object = Expr::Object(vec![
        ("hhmm".into(), fmt("[H01]:[m01]")),
        ("weekday".into(), fmt("[FNn]")),
        ("date".into(), fmt("[Y0001]-[M01]-[D01]")),
        ("offset".into(), o.clone()),
    ]);
    Ok(match wrap {
        Some(offset) => Expr::Let(LOCAL.into(), Box::new(offset), Box::new(object)),
        None => object,
    })
}

/// The JSONata-local variable holding the offset inside the expression.
const LOCAL: &str = "utc_offset";

const DAY_MS: i64 = 86_400_000;

/// `±HHMM`, the only offset form `$fromMillis` takes.
fn offset_text(seconds: i32) -> Result<String, String> {
    if seconds % 60 != 0 {
        return Err(format!(
            "a UTC offset of {seconds} seconds is not whole minutes, which $fromMillis cannot show"
        ));
    }
    let sign = if seconds < 0 { '-' } else { '+' };
    let s = seconds.abs();
    Ok(format!("{sign}{:02}{:02}", s / 3600, (s % 3600) / 60))
}

fn millis() -> Expr {
    Expr::Call("millis", vec![])
}

fn num(n: i64) -> Expr {
    Expr::Lit(n.into())
}

fn bin(op: BinOp, a: Expr, b: Expr) -> Expr {
    Expr::Binary(op, Box::new(a), Box::new(b))
}

fn cond(test: Expr, then: Expr, otherwise: Expr) -> Expr {
    Expr::Cond(Box::new(test), Box::new(then), Box::new(otherwise))
}

fn bind(name: &str, value: Expr, body: Expr) -> Expr {
    Expr::Let(name.into(), Box::new(value), Box::new(body))
}

/// The offset in force at `$millis()`, `"±HHMM"`: a string literal when it never changes.
pub fn offset_expr(offsets: &Offsets) -> Result<Expr, String> {
    let mut expr = rule_expr(&offsets.rule)?;
    // From the last listed change backwards: millis < t1 ? o0 : (millis < t2 ? o1 : … rule).
    for (i, (at, _)) in offsets.changes.iter().enumerate().rev() {
        let before = match i {
            0 => offsets.first,
            _ => offsets.changes[i - 1].1,
        };
        let test = bin(BinOp::Lt, millis(), num(*at));
        expr = cond(test, Expr::str(offset_text(before)?), expr);
    }
    Ok(expr)
}

/// Days from 0000-03-01 to 1970-01-01 (proleptic Gregorian), as in H. Hinnant's
/// `days_from_civil` (<https://howardhinnant.github.io/date_algorithms.html>).
const MARCH_0000_TO_EPOCH: i64 = 719_468;

/// Days before the first of each month in a common year, `[month]` (13: January of the next).
const DAYS_BEFORE: [i64; 14] = [
    0, 0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334, 365,
];

/// The JSONata variables of the rule's expression: the UTC year of `$millis()`, and the days
/// from 0000-03-01 to March 1 of that year (`$march`) and of the year before (`$march_before`).
const YEAR: &str = "year";
const MARCH: &str = "march";
const MARCH_BEFORE: &str = "march_before";

/// Days from 0000-03-01 to March 1 of `year`: `365 y + ⌊y/4⌋ − ⌊y/100⌋ + ⌊y/400⌋` (the leap
/// days of years 1 to y, each counted in the March-to-February year that ends with it).
fn march_days(year: Expr) -> Expr {
    let floor_div = |d: i64| Expr::Call("floor", vec![bin(BinOp::Div, year.clone(), num(d))]);
    let sum = bin(BinOp::Mul, num(365), year.clone());
    let sum = bin(BinOp::Add, sum, floor_div(4));
    let sum = bin(BinOp::Sub, sum, floor_div(100));
    bin(BinOp::Add, sum, floor_div(400))
}

/// The day number (days since 1970-01-01) of the first of `month` (1 to 13) of the year, as
/// `$var + k`: March onwards count from `$march`, January and February from `$march_before`.
fn first_of(month: i8) -> (&'static str, i64) {
    let m = month as usize;
    if month >= 3 {
        (MARCH, DAYS_BEFORE[m] - DAYS_BEFORE[3] - MARCH_0000_TO_EPOCH)
    } else {
        // March to December of the year before has 306 days.
        (MARCH_BEFORE, 306 + DAYS_BEFORE[m] - MARCH_0000_TO_EPOCH)
    }
}

/// Whether a daylight-saving `start` in force from `standard` can fall at or before New Year
/// (UTC) of the year it is computed for. Each year's changes are computed for the UTC year of
/// the instant, as jiff does; jiff then moves a change outside that year to its edge, which
/// gives the same offsets to the millisecond, except that a start at New Year exactly means
/// daylight-saving time all year (RFC 9636 §3.3.1; jiff's `dst_info_utc`), the "rearguard"
/// spelling of permanent daylight-saving time: refused rather than computed differently.
fn may_start_at_new_year(start: &Change, standard: i32) -> bool {
    let earliest_day = match start.week {
        5 => 25,
        week => 1 + 7 * (i64::from(week) - 1),
    };
    let from_new_year = (earliest_day - 1) * 86_400 + i64::from(start.time) - i64::from(standard);
    start.month == 1 && from_new_year <= 0
}

/// The instant (epoch ms) of `change` in the year of `$year`, `offset` being in force before it:
/// `($v - ($v + c) % 7) * 86400000 + k`. Its day is the first of the month, plus the days to
/// the weekday, plus the weeks; or, for week 5, the last of the month, minus the days back to
/// the weekday (`(n + 4) % 7` is the weekday of day number `n`, 0 = Sunday; `$v + c` is
/// positive, so JSONata's `%` is a modulo there).
fn change_at(change: &Change, offset: i32) -> Expr {
    let weekday = i64::from(change.weekday);
    // day = $v + days - ($v + c) % 7
    let (var, days, c) = if change.week == 5 {
        let (var, k) = first_of(change.month + 1);
        let last = k - 1;
        (var, last, last + 4 - weekday)
    } else {
        let (var, first) = first_of(change.month);
        // The first such weekday is within six days of the first of the month.
        let weeks = 7 * (i64::from(change.week) - 1);
        (var, first + 6 + weeks, first + 6 + 4 - weekday)
    };
    let v = Expr::var(var);
    let shifted = match c.rem_euclid(7) {
        0 => v.clone(),
        c => bin(BinOp::Add, v.clone(), num(c)),
    };
    let day = bin(BinOp::Sub, v, bin(BinOp::Rem, shifted, num(7)));
    let k = days * DAY_MS + (i64::from(change.time) - i64::from(offset)) * 1000;
    let ms = bin(BinOp::Mul, day, num(DAY_MS));
    match k {
        k if k < 0 => bin(BinOp::Sub, ms, num(-k)),
        k => bin(BinOp::Add, ms, num(k)),
    }
}

/// The offset in force at `$millis()` under `rule`, when no listed change comes later.
fn rule_expr(rule: &Rule) -> Result<Expr, String> {
    let (standard, daylight, start, end) = match *rule {
        Rule::Fixed(offset) => return Ok(Expr::str(offset_text(offset)?)),
        Rule::Seasonal {
            standard,
            daylight,
            start,
            end,
        } => (standard, daylight, start, end),
    };
    if may_start_at_new_year(&start, standard) {
        return Err(format!(
            "its daylight-saving time can start at New Year, which the time zone database reads as daylight-saving time all year and local_time does not compile (week {} of January, {} s); please report it",
            start.week, start.time
        ));
    }
    let (s, e) = (change_at(&start, standard), change_at(&end, daylight));
    let after_start = |s: Expr| bin(BinOp::Ge, millis(), s);
    let before_end = |e: Expr| bin(BinOp::Lt, millis(), e);
    let (daylight, standard) = (offset_text(daylight)?, offset_text(standard)?);
    let choose = |dst: Expr| cond(dst, Expr::str(&daylight), Expr::str(&standard));
    // In daylight-saving time from start (inclusive) to end (exclusive); across New Year when
    // the start comes later in the year than the end. Months at least two apart fix the order
    // (a change moves at most about nine days from its month); closer ones are compared.
    let (start_month, end_month) = (i32::from(start.month), i32::from(end.month));
    let mut body = if end_month - start_month >= 2 {
        choose(bin(BinOp::And, after_start(s), before_end(e)))
    } else if start_month - end_month >= 2 {
        choose(bin(BinOp::Or, before_end(e), after_start(s)))
    } else {
        let (vs, ve) = (Expr::var("start"), Expr::var("end"));
        let dst = cond(
            bin(BinOp::Le, vs.clone(), ve.clone()),
            bin(BinOp::And, after_start(vs.clone()), before_end(ve.clone())),
            bin(BinOp::Or, before_end(ve), after_start(vs)),
        );
        bind("start", s, bind("end", e, choose(dst)))
    };
    let uses = |name: &str| {
        let mut used = false;
        body.for_each_var(&mut |v| used |= v == name);
        used
    };
    let (before, march) = (uses(MARCH_BEFORE), uses(MARCH));
    let year = Expr::var(YEAR);
    if before {
        let last_year = bin(BinOp::Sub, year.clone(), num(1));
        body = bind(MARCH_BEFORE, march_days(last_year), body);
    }
    if march {
        body = bind(MARCH, march_days(year), body);
    }
    let utc_year = Expr::Call(
        "number",
        vec![Expr::Call(
            "fromMillis",
            vec![millis(), Expr::str("[Y0001]")],
        )],
    );
    Ok(bind(YEAR, utc_year, body))
}

/// A zone in a flow is its IANA name (`ScheduleExpressionTimezone`, …).
impl ToVal for Zone {
    fn to_val(&self) -> Val {
        self.name().to_val()
    }
}

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

/// `let now = local_time(…);` reads the clock once, into a variable: later uses see that instant
/// and the definition holds the offset computation once.
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_are_written_as_frommillis_takes_them() {
        assert_eq!(offset_text(-4 * 3600).unwrap(), "-0400");
        assert_eq!(offset_text(19800).unwrap(), "+0530");
        assert_eq!(offset_text(12 * 3600 + 45 * 60).unwrap(), "+1245");
        assert_eq!(offset_text(0).unwrap(), "+0000");
        assert!(offset_text(-17762).is_err());
    }

    #[test]
    fn a_fixed_zone_is_a_constant() {
        let kolkata: Zone = "Asia/Kolkata".parse().unwrap();
        let e = offset_expr(&kolkata.offsets().unwrap()).unwrap();
        assert_eq!(e, Expr::str("+0530"));
    }

    /// Evaluates [`change_at`]'s arithmetic in Rust for one year: what the JSONata computes.
    fn change_ms(change: &Change, offset: i32, year: i64) -> i64 {
        fn eval(e: &Expr, vars: &[(&str, i64)]) -> i64 {
            match e {
                Expr::Lit(n) => n.as_i64().unwrap(),
                Expr::Var(v) => vars.iter().find(|(n, _)| n == v).unwrap().1,
                Expr::Binary(op, a, b) => {
                    let (a, b) = (eval(a, vars), eval(b, vars));
                    match op {
                        BinOp::Add => a + b,
                        BinOp::Sub => a - b,
                        BinOp::Mul => a * b,
                        BinOp::Rem => a % b,
                        _ => unreachable!(),
                    }
                }
                _ => unreachable!("{e:?}"),
            }
        }
        let march = |y: i64| 365 * y + y / 4 - y / 100 + y / 400;
        eval(
            &change_at(change, offset),
            &[(MARCH, march(year)), (MARCH_BEFORE, march(year - 1))],
        )
    }

    #[test]
    fn change_days_follow_the_calendar() {
        let sunday = |month, week, time| Change {
            month,
            week,
            weekday: 0,
            time,
        };
        // New York 2025: 2025-03-09T07:00Z and 2025-11-02T06:00Z.
        assert_eq!(
            change_ms(&sunday(3, 2, 7200), -18000, 2025),
            1_741_503_600_000
        );
        assert_eq!(
            change_ms(&sunday(11, 1, 7200), -14400, 2025),
            1_762_063_200_000
        );
        // London 2024 (last Sundays): 2024-03-31T01:00Z, 2024-10-27T01:00Z.
        assert_eq!(change_ms(&sunday(3, 5, 3600), 0, 2024), 1_711_846_800_000);
        assert_eq!(
            change_ms(&sunday(10, 5, 7200), 3600, 2024),
            1_729_990_800_000
        );
        // January and February count from the March before: the last Sunday of February 2024
        // (a leap year) is the 25th, of January 2100 the 31st.
        assert_eq!(change_ms(&sunday(2, 5, 0), 0, 2024), 1_708_819_200_000);
        assert_eq!(change_ms(&sunday(1, 5, 0), 0, 2100), 4_105_036_800_000);
        assert_eq!(change_ms(&sunday(1, 1, 0), 0, 2100), 4_102_617_600_000);
    }

    #[test]
    fn a_start_that_can_fall_at_new_year_is_refused() {
        let change = |month, week, time| Change {
            month,
            week,
            weekday: 0,
            time,
        };
        let rule = |start, end| Rule::Seasonal {
            standard: 3600,
            daylight: 7200,
            start,
            end,
        };
        // 01:00 (+01) on the first Sunday of January is New Year in UTC when that is a Sunday.
        let e = rule_expr(&rule(change(1, 1, 3600), change(6, 1, 0))).unwrap_err();
        assert!(e.contains("New Year"), "{e}");
        // A day later at the earliest, or an end at New Year: computed.
        assert!(rule_expr(&rule(change(1, 1, 3601), change(6, 1, 0))).is_ok());
        assert!(rule_expr(&rule(change(6, 1, 0), change(1, 1, 0))).is_ok());
        assert!(rule_expr(&rule(change(6, 1, 0), change(12, 5, 167 * 3600))).is_ok());
    }
}
