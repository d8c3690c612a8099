//! The task tokens this instance has completed, so that no repeat of an event completes one
//! twice: a retried invocation, a final `HANGUP` delivered again, an event with no usable
//! `Sequence`, or a queued message whose task is already done. A token is unique to one task,
//! so a token completed once is never completed again, whatever event carries it.
//!
//! The memory is bounded: the oldest tokens are forgotten first, long after any retry of their
//! events (PSTN audio retries within seconds, <https://docs.aws.amazon.com/chime-sdk/latest/dg/timeouts.html>).
//! Tokens are kept as 128-bit SHA-256 digests (a token is up to 1 KB), about 50 bytes each.

use std::collections::{HashSet, VecDeque};
use std::sync::Mutex;

use sha2::{Digest, Sha256};

/// Tokens remembered before the oldest are forgotten.
pub const CAPACITY: usize = 50_000;

#[derive(Debug, Default)]
struct Inner {
    set: HashSet<u128>,
    order: VecDeque<u128>,
}

/// See the module docs.
#[derive(Debug)]
pub struct Completed {
    inner: Mutex<Inner>,
    capacity: usize,
}

impl Default for Completed {
    fn default() -> Self {
        Completed::with_capacity(CAPACITY)
    }
}

fn digest(token: &str) -> u128 {
    let d = Sha256::digest(token.as_bytes());
    let mut first = [0u8; 16];
    first.copy_from_slice(&d[..16]);
    u128::from_le_bytes(first)
}

impl Completed {
    /// A memory of at most `capacity` tokens.
    pub fn with_capacity(capacity: usize) -> Self {
        Completed {
            inner: Mutex::default(),
            capacity: capacity.max(1),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Whether this instance completed `token`.
    pub fn contains(&self, token: &str) -> bool {
        self.lock().set.contains(&digest(token))
    }

    /// Remembers that `token` was completed.
    pub fn insert(&self, token: &str) {
        let d = digest(token);
        let mut inner = self.lock();
        if !inner.set.insert(d) {
            return;
        }
        inner.order.push_back(d);
        while inner.order.len() > self.capacity {
            if let Some(old) = inner.order.pop_front() {
                inner.set.remove(&old);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remembers_tokens_and_forgets_the_oldest_first() {
        let c = Completed::with_capacity(2);
        c.insert("a");
        c.insert("b");
        c.insert("a");
        assert!(c.contains("a") && c.contains("b") && !c.contains("c"));
        c.insert("c");
        assert!(!c.contains("a"), "the oldest is forgotten");
        assert!(c.contains("b") && c.contains("c"));
    }
}
