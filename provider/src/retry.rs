//! Retries of Chime SDK Voice and Lambda calls: which errors are worth another attempt, the
//! exponential backoff with jitter between attempts, and the messages of those that are not.
//!
//! The SDK's own retries are turned off (`RetryConfig::disabled()` in `main.rs` and the tests), so
//! this module is the one place that decides, and every attempt is visible to the fake.

use std::future::Future;
use std::time::Duration;

use aws_sdk_chimesdkvoice::config::http::HttpResponse;
use aws_sdk_chimesdkvoice::error::{ProvideErrorMetadata, SdkError};

/// Exponential backoff, capped, with "equal jitter": attempt `n` waits between half and all of
/// `min(cap, first × 2ⁿ)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Backoff {
    pub first: Duration,
    pub cap: Duration,
}

impl Backoff {
    /// The wait before attempt `attempt + 1`.
    pub fn delay(&self, attempt: u32) -> Duration {
        let full = self
            .first
            .saturating_mul(2u32.saturating_pow(attempt.min(30)))
            .min(self.cap);
        let half = full / 2;
        let nanos = u64::try_from(half.as_nanos()).unwrap_or(u64::MAX);
        half + Duration::from_nanos(fastrand::u64(0..=nanos))
    }
}

/// Whether a call may be sent again after an answer that leaves its effect unknown (a 500, a
/// timeout): reads, updates and deletes may; creates may not, since a second order or a second
/// SIP media application would be a duplicate left behind. Throttling and "service unavailable"
/// mean the request was refused, so those are retried for every call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Idempotent {
    Yes,
    No,
}

/// A call that did not succeed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// The resource does not exist (`NotFoundException`, HTTP 404).
    NotFound(String),
    /// Anything else, after the retries: the message says what the API said and what to do.
    Failed(String),
}

impl Failure {
    pub fn message(&self) -> &str {
        match self {
            Failure::NotFound(m) | Failure::Failed(m) => m,
        }
    }
}

/// How one error is handled.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Kind {
    /// Refused before doing anything: always worth another attempt.
    Refused,
    /// Effect unknown: another attempt only for idempotent calls.
    Unknown,
    NotFound,
    Final,
}

fn kind<E: ProvideErrorMetadata>(e: &SdkError<E, HttpResponse>) -> Kind {
    match e {
        SdkError::ServiceError(se) => {
            let status = se.raw().status().as_u16();
            match se.err().code() {
                Some("ThrottledClientException" | "ServiceUnavailableException")
                | Some("TooManyRequestsException") => Kind::Refused,
                _ if status == 429 || status == 503 => Kind::Refused,
                Some("NotFoundException" | "ResourceNotFoundException") => Kind::NotFound,
                _ if status == 404 => Kind::NotFound,
                Some("ServiceFailureException") => Kind::Unknown,
                _ if status >= 500 => Kind::Unknown,
                _ => Kind::Final,
            }
        }
        SdkError::TimeoutError(_) | SdkError::DispatchFailure(_) | SdkError::ResponseError(_) => {
            Kind::Unknown
        }
        _ => Kind::Final,
    }
}

/// What to tell the stack's owner about a final error of `op` (the API's name, e.g.
/// `CreateSipRule`, which is also the IAM action `chime:CreateSipRule`).
fn explain<E: ProvideErrorMetadata + std::error::Error + 'static>(
    op: &str,
    e: &SdkError<E, HttpResponse>,
) -> String {
    let (code, message) = match e {
        SdkError::ServiceError(se) => (
            se.err().code().unwrap_or("error").to_owned(),
            se.err()
                .message()
                .map(str::to_owned)
                .unwrap_or_else(|| se.err().to_string()),
        ),
        other => (
            "error".to_owned(),
            aws_sdk_chimesdkvoice::error::DisplayErrorContext(other).to_string(),
        ),
    };
    let todo = match code.as_str() {
        "AccessDeniedException" | "ForbiddenException" | "UnauthorizedClientException" => {
            let service = if op == "Invoke" { "lambda" } else { "chime" };
            format!(": the provider's role must allow {service}:{op}")
        }
        "ResourceLimitExceededException" => {
            ": a Chime SDK Voice quota is reached: release what is unused or ask for more in Service Quotas".to_owned()
        }
        _ => String::new(),
    };
    format!("{op} failed: {code}: {message}{todo}")
}

/// Calls `f` until it succeeds, a final error, or `attempts` attempts; waits `backoff` between.
pub async fn call<T, E, F, Fut>(
    op: &str,
    idempotent: Idempotent,
    backoff: Backoff,
    attempts: u32,
    retries: &mut u32,
    mut f: F,
) -> Result<T, Failure>
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, SdkError<E, HttpResponse>>>,
{
    let mut attempt = 0;
    loop {
        let e = match f().await {
            Ok(t) => return Ok(t),
            Err(e) => e,
        };
        let again = match kind(&e) {
            Kind::NotFound => return Err(Failure::NotFound(explain(op, &e))),
            Kind::Final => false,
            Kind::Refused => true,
            Kind::Unknown => idempotent == Idempotent::Yes,
        };
        attempt += 1;
        if !again {
            return Err(Failure::Failed(explain(op, &e)));
        }
        if attempt >= attempts {
            return Err(Failure::Failed(format!(
                "{} (still failing after {attempts} attempts: try again later)",
                explain(op, &e)
            )));
        }
        *retries += 1;
        tokio::time::sleep(backoff.delay(attempt - 1)).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_is_capped_and_jittered() {
        let b = Backoff {
            first: Duration::from_secs(1),
            cap: Duration::from_secs(20),
        };
        for _ in 0..100 {
            let d0 = b.delay(0);
            assert!(d0 >= Duration::from_millis(500) && d0 <= Duration::from_secs(1));
            let d3 = b.delay(3);
            assert!(d3 >= Duration::from_secs(4) && d3 <= Duration::from_secs(8));
            let d9 = b.delay(40);
            assert!(d9 >= Duration::from_secs(10) && d9 <= Duration::from_secs(20));
        }
        let spread: std::collections::BTreeSet<_> = (0..50).map(|_| b.delay(5)).collect();
        assert!(spread.len() > 1, "no jitter");
    }
}
