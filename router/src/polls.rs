//! How the router waits for a call's next actions with SQS `ReceiveMessage`: long polls last
//! whole seconds, 0 to 20
//! (<https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_ReceiveMessage.html>),
//! so a wait is one long poll rounded **down** (keeping [`ROUND_TRIP`] for the answer to come
//! back), then short polls every [`SHORT_POLL_EVERY`] for what is left, the last one starting at
//! least [`LAST_POLL`] before the end.
//!
//! The AWS queue (`crate::aws`) follows these rules in real time; the simulator counts the
//! requests they make ([`requests`]) to bill them, since SQS bills every request, an empty
//! receive included (<https://aws.amazon.com/sqs/pricing/>).

use std::time::Duration;

/// Time allowed for a long poll's answer to come back after SQS's wait ends.
pub const ROUND_TRIP: Duration = Duration::from_millis(100);
/// Interval of the short polls that cover the last second of a wait.
pub const SHORT_POLL_EVERY: Duration = Duration::from_millis(200);
/// A short poll starts at least this long before the wait ends.
pub const LAST_POLL: Duration = Duration::from_millis(40);
/// SQS's longest long poll, in seconds.
pub const MAX_WAIT_SECONDS: u64 = 20;

/// The `WaitTimeSeconds` of the request sent when `left` of the wait remains.
pub fn wait_seconds(left: Duration) -> u64 {
    left.saturating_sub(ROUND_TRIP)
        .as_secs()
        .min(MAX_WAIT_SECONDS)
}

/// After a request that waited `secs` and found nothing, with `left` of the wait remaining: the
/// pause before the next request, or `None` when the wait is over.
pub fn pause_after(secs: u64, left: Duration) -> Option<Duration> {
    if left < LAST_POLL {
        return None;
    }
    Some(match secs {
        0 => SHORT_POLL_EVERY.min(left - LAST_POLL),
        _ => Duration::ZERO,
    })
}

/// How many `ReceiveMessage` requests a wait of `wait` makes when the message arrives `arrival`
/// into it (`None`: it never does), counting requests as taking no time. A zero wait is one
/// request.
pub fn requests(wait: Duration, arrival: Option<Duration>) -> u64 {
    if wait.is_zero() {
        return 1;
    }
    let mut t = Duration::ZERO;
    let mut n = 0;
    loop {
        n += 1;
        let secs = wait_seconds(wait.saturating_sub(t));
        // A long poll answers when the message arrives; a short poll answers at once.
        let end = (t + Duration::from_secs(secs)).min(wait);
        if arrival.is_some_and(|a| a <= end) {
            return n;
        }
        t = end;
        match pause_after(secs, wait.saturating_sub(t)) {
            None => return n,
            // Exactly LAST_POLL left after a short poll: on AWS that request took some of it,
            // so the wait is over.
            Some(p) if p.is_zero() && secs == 0 => return n,
            Some(p) => t += p,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    #[test]
    fn a_message_already_there_or_arriving_during_the_long_poll_takes_one_request() {
        assert_eq!(requests(ms(4000), Some(ms(0))), 1);
        assert_eq!(requests(ms(4000), Some(ms(2999))), 1);
        assert_eq!(requests(Duration::ZERO, None), 1);
    }

    #[test]
    fn the_last_second_is_short_polls_every_200_ms() {
        // 4 s: a 3 s long poll, then polls at 3.0, 3.2, 3.4, 3.6, 3.8 and 3.96 s.
        assert_eq!(requests(ms(4000), None), 7);
        assert_eq!(requests(ms(4000), Some(ms(3001))), 3);
        assert_eq!(requests(ms(4000), Some(ms(3960))), 7);
        // Under 1.1 s there is no long poll at all.
        assert_eq!(requests(ms(1000), None), 6);
        // A long wait: 20 s polls.
        assert_eq!(requests(ms(45_000), Some(ms(41_000))), 3);
    }

    #[test]
    fn the_request_sent_is_whole_seconds_rounded_down() {
        assert_eq!(wait_seconds(ms(4000)), 3);
        assert_eq!(wait_seconds(ms(1099)), 0);
        assert_eq!(wait_seconds(ms(60_000)), 20);
        assert_eq!(pause_after(0, ms(39)), None);
        assert_eq!(pause_after(0, ms(1000)), Some(ms(200)));
        assert_eq!(pause_after(0, ms(100)), Some(ms(60)));
        assert_eq!(pause_after(3, ms(1000)), Some(Duration::ZERO));
    }
}
