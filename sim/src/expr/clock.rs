//! The simulated clock and the seeded random number generator.
//!
//! Nothing in the expression layer reads the wall clock or the OS's randomness: `$now`,
//! `$millis`, `$random`, `$uuid`, `States.MathRandom` and `States.UUID` all draw from a
//! [`Clock`] the simulator owns, so a scenario replays byte for byte.

use chrono::{DateTime, SecondsFormat, Utc};

use super::EvalError;

/// Simulated time (UTC milliseconds since the Unix epoch) and a seeded SplitMix64 generator.
///
/// SplitMix64 (Steele, Lea, Flood 2014) is written here rather than pulled in: it is ten lines,
/// passes BigCrush, and its whole state is one `u64`, so a `Clock` is cheap to copy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clock {
    now_ms: i64,
    rng: u64,
}

impl Clock {
    /// A clock reading `now_ms` whose generator starts from `seed`.
    pub fn new(now_ms: i64, seed: u64) -> Self {
        Clock { now_ms, rng: seed }
    }

    /// A clock reading an RFC 3339 timestamp such as `2024-05-01T12:00:00Z`.
    pub fn at(timestamp: &str, seed: u64) -> Result<Self, EvalError> {
        let t = DateTime::parse_from_rfc3339(timestamp).map_err(|e| {
            EvalError::runtime(format!("clock start '{timestamp}' is not RFC 3339: {e}"))
        })?;
        Ok(Self::new(t.timestamp_millis(), seed))
    }

    /// The simulated time in milliseconds since the epoch.
    pub fn now_millis(&self) -> i64 {
        self.now_ms
    }

    /// The simulated time as JSONata's `$now()` prints it: ISO 8601, milliseconds, `Z`.
    pub fn now_iso(&self) -> String {
        iso_millis(self.now_ms)
    }

    /// Set the simulated time.
    pub fn set_millis(&mut self, now_ms: i64) {
        self.now_ms = now_ms;
    }

    /// Move the simulated time forward (or back, with a negative delta).
    pub fn advance_millis(&mut self, delta_ms: i64) {
        self.now_ms = self.now_ms.saturating_add(delta_ms);
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.rng = self.rng.wrapping_add(0x9E37_79B9_7F4A_7C15);
        mix(self.rng)
    }

    /// A random number in `[0, 1)` with 53 bits of precision.
    pub fn next_f64(&mut self) -> f64 {
        unit_f64(self.next_u64())
    }

    /// A random version-4 UUID in its canonical lowercase form.
    pub fn uuid_v4(&mut self) -> String {
        let hi = self.next_u64();
        let lo = self.next_u64();
        format_uuid_v4(hi, lo)
    }

    /// The generator's state, to hand to code that cannot borrow the clock.
    pub(crate) fn rng_state(&self) -> u64 {
        self.rng
    }

    pub(crate) fn set_rng_state(&mut self, state: u64) {
        self.rng = state;
    }
}

/// The number in `[0, 1)` a given seed always yields (`$random(seed)`, `States.MathRandom`'s
/// seed): the first output of a generator started from `seed`.
pub fn seeded_f64(seed: u64) -> f64 {
    Clock::new(0, seed).next_f64()
}

pub(crate) fn iso_millis(ms: i64) -> String {
    match DateTime::<Utc>::from_timestamp_millis(ms) {
        Some(t) => t.to_rfc3339_opts(SecondsFormat::Millis, true),
        None => format!("{ms}"),
    }
}

fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

fn unit_f64(bits: u64) -> f64 {
    (bits >> 11) as f64 / (1u64 << 53) as f64
}

fn format_uuid_v4(hi: u64, lo: u64) -> String {
    let hi = (hi & 0xFFFF_FFFF_FFFF_0FFF) | 0x0000_0000_0000_4000; // version 4
    let lo = (lo & 0x3FFF_FFFF_FFFF_FFFF) | 0x8000_0000_0000_0000; // RFC 4122 variant
    format!(
        "{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
        hi >> 32,
        (hi >> 16) & 0xFFFF,
        hi & 0xFFFF,
        lo >> 48,
        lo & 0xFFFF_FFFF_FFFF
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_sequence_and_values_in_range() {
        let mut a = Clock::new(0, 7);
        let mut b = Clock::new(0, 7);
        for _ in 0..1000 {
            let x = a.next_f64();
            assert_eq!(x, b.next_f64());
            assert!((0.0..1.0).contains(&x));
        }
        assert_ne!(Clock::new(0, 8).next_u64(), Clock::new(0, 7).next_u64());
    }

    #[test]
    fn uuid_has_version_and_variant() {
        let u = Clock::new(0, 1).uuid_v4();
        assert_eq!(u.len(), 36);
        assert_eq!(&u[14..15], "4");
        assert!(matches!(&u[19..20], "8" | "9" | "a" | "b"));
    }
}
