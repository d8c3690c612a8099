//! Execution and queue names for a call, from its `TransactionId`.
//!
//! Step Functions execution names and SQS queue names are at most 80 characters; queue names
//! allow only letters, digits, `-` and `_`
//! (<https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_CreateQueue.html>,
//! <https://docs.aws.amazon.com/step-functions/latest/apireference/API_StartExecution.html>), so
//! both names keep to that. A `TransactionId` that already fits is used as it is (the documented
//! ones are UUIDs), so an execution is easy to find from a log line. Any other id becomes a
//! readable start and a SHA-256 digest of the whole id: two ids that differ anywhere get
//! different names, however long they are.

use sha2::{Digest, Sha256};

/// Longest execution or queue name.
pub const MAX_NAME: usize = 80;
/// Hex digits of the digest kept in a name (128 bits).
const DIGEST_HEX: usize = 32;

/// The call's execution name and queue name (`queue_prefix` + the execution name), both at most
/// 80 characters of `[A-Za-z0-9_-]` when the prefix is.
pub fn call_names(transaction_id: &str, queue_prefix: &str) -> (String, String) {
    let room = MAX_NAME
        .saturating_sub(queue_prefix.len())
        .max(DIGEST_HEX + 2);
    let name = call_name(transaction_id, room);
    let queue = format!("{queue_prefix}{name}");
    (name, queue)
}

fn safe(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'-' || b == b'_'
}

/// Whether `s` ends the way a digested name does: `-` and [`DIGEST_HEX`] lowercase hex digits.
/// Such an id is digested too, so an id used as it is never equals another id's digested name.
fn looks_digested(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() > DIGEST_HEX
        && b[b.len() - DIGEST_HEX - 1] == b'-'
        && b[b.len() - DIGEST_HEX..]
            .iter()
            .all(|c| c.is_ascii_digit() || (b'a'..=b'f').contains(c))
}

/// A name of at most `max` characters for `transaction_id` (see the module docs).
pub fn call_name(transaction_id: &str, max: usize) -> String {
    let id = transaction_id.as_bytes();
    if !id.is_empty()
        && id.len() <= max
        && id.iter().copied().all(safe)
        && !looks_digested(transaction_id)
    {
        return transaction_id.to_owned();
    }
    let readable: String = transaction_id
        .chars()
        .map(|c| {
            if c.is_ascii() && safe(c as u8) {
                c
            } else {
                '-'
            }
        })
        .take(max.saturating_sub(DIGEST_HEX + 1))
        .collect();
    let digest = Sha256::digest(transaction_id.as_bytes());
    let hex: String = digest[..DIGEST_HEX / 2]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    format!("{readable}-{hex}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn valid(s: &str) -> bool {
        !s.is_empty() && s.len() <= MAX_NAME && s.bytes().all(safe)
    }

    #[test]
    fn short_safe_ids_are_kept_and_others_digested() {
        let uuid = "2b1a4e5c-9d7f-4c1e-8a3b-0f6d2e9c7a15";
        assert_eq!(
            call_names(uuid, "switchboard-"),
            (uuid.to_owned(), format!("switchboard-{uuid}"))
        );
        let long = "a".repeat(100);
        let (a, qa) = call_names(&format!("{long}1"), "switchboard-");
        let (b, qb) = call_names(&format!("{long}2"), "switchboard-");
        assert_ne!(a, b);
        assert_ne!(qa, qb);
        for n in [&a, &b, &qa, &qb] {
            assert!(valid(n), "{n}");
        }
        assert!(a.starts_with("aaaa"), "{a}");
        let (spaced, _) = call_names("tx with/colons:", "switchboard-");
        let (dashed, _) = call_names("tx-with-colons-", "switchboard-");
        assert_ne!(spaced, dashed);
        assert!(spaced.starts_with("tx-with-colons--"), "{spaced}");
        assert!(valid(&call_names("", "switchboard-").0));
        assert!(valid(&call_names(&"☎".repeat(500), "switchboard-").1));
    }

    #[test]
    fn an_id_shaped_like_a_digested_name_is_digested_too() {
        let (digested, _) = call_names("tx with spaces", "switchboard-");
        assert!(looks_digested(&digested));
        let (again, _) = call_names(&digested, "switchboard-");
        assert_ne!(again, digested);
        assert!(valid(&again));
    }
}
