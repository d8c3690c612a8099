//! The production backends: Step Functions and SQS through the official AWS SDK.
//!
//! Errors are classified by their error code rather than by the modelled variants alone, so the
//! same code works against AWS and against emulators that return the code with another shape.
//! Task-token errors: <https://docs.aws.amazon.com/step-functions/latest/apireference/API_SendTaskSuccess.html#API_SendTaskSuccess_Errors>.

use std::time::Duration;

use aws_sdk_sfn::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_sfn::types::ExecutionStatus;
use aws_sdk_sqs::types::QueueAttributeName;

use crate::backend::{ActionQueue, BackendError, BackendResult, Engine, ErrorKind, QueueMessage};

/// Step Functions.
#[derive(Debug, Clone)]
pub struct AwsEngine {
    client: aws_sdk_sfn::Client,
}

/// SQS.
#[derive(Debug, Clone)]
pub struct AwsQueue {
    client: aws_sdk_sqs::Client,
}

impl AwsEngine {
    pub fn new(client: aws_sdk_sfn::Client) -> Self {
        AwsEngine { client }
    }
}

impl AwsQueue {
    pub fn new(client: aws_sdk_sqs::Client) -> Self {
        AwsQueue { client }
    }
}

/// Classifies an SDK error by its code; transport failures and unknown codes are
/// [`ErrorKind::Service`].
/// `modeled` recognises the operation's modelled errors (which carry no code when built in tests).
fn classify<E, R>(
    what: &str,
    err: SdkError<E, R>,
    modeled: impl Fn(&E) -> Option<ErrorKind>,
) -> BackendError
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
    R: std::fmt::Debug + 'static,
{
    let code = err.code().unwrap_or("").to_owned();
    let text = err.message().map(str::to_owned);
    let by_model = err.as_service_error().and_then(&modeled);
    let kind = by_model.unwrap_or(match code.as_str() {
        "InvalidToken" | "TaskDoesNotExist" | "TaskTimedOut" => ErrorKind::TokenGone,
        "ExecutionAlreadyExists" => ErrorKind::ExecutionExists,
        "ExecutionDoesNotExist" | "StateMachineDoesNotExist" | "InvalidArn" => ErrorKind::NotFound,
        "QueueDoesNotExist" | "AWS.SimpleQueueService.NonExistentQueue" | "NonExistentQueue" => {
            ErrorKind::QueueGone
        }
        _ => ErrorKind::Service,
    });
    let detail = match (code.is_empty(), text) {
        (false, Some(t)) => format!("{what}: {code}: {t}"),
        (false, None) => format!("{what}: {code}"),
        (true, Some(t)) if by_model.is_some() => format!("{what}: {t}"),
        (true, _) => format!("{what}: {}", aws_smithy_error_chain(&err)),
    };
    BackendError::new(kind, detail)
}

/// The error and its sources on one line (transport errors hide the useful part in a source).
fn aws_smithy_error_chain(err: &(dyn std::error::Error + 'static)) -> String {
    let mut out = err.to_string();
    let mut source = err.source();
    while let Some(s) = source {
        out.push_str(": ");
        out.push_str(&s.to_string());
        source = s.source();
    }
    out
}

/// The execution ARN Step Functions gives execution `name` of `state_machine_arn`.
pub fn execution_arn(state_machine_arn: &str, name: &str) -> String {
    format!(
        "{}:{name}",
        state_machine_arn.replacen(":stateMachine:", ":execution:", 1)
    )
}

impl Engine for AwsEngine {
    async fn start_execution(
        &self,
        state_machine_arn: &str,
        name: &str,
        input: &str,
    ) -> BackendResult<()> {
        self.client
            .start_execution()
            .state_machine_arn(state_machine_arn)
            .name(name)
            .input(input)
            .send()
            .await
            .map(|_| ())
            .map_err(|e| {
                classify("StartExecution", e, |s| {
                    s.is_execution_already_exists()
                        .then_some(ErrorKind::ExecutionExists)
                })
            })
    }

    async fn send_task_success(&self, token: &str, output: &str) -> BackendResult<()> {
        self.client
            .send_task_success()
            .task_token(token)
            .output(output)
            .send()
            .await
            .map(|_| ())
            .map_err(|e| {
                classify("SendTaskSuccess", e, |s| {
                    (s.is_invalid_token() || s.is_task_does_not_exist() || s.is_task_timed_out())
                        .then_some(ErrorKind::TokenGone)
                })
            })
    }

    async fn send_task_failure(&self, token: &str, error: &str, cause: &str) -> BackendResult<()> {
        self.client
            .send_task_failure()
            .task_token(token)
            .error(error)
            .cause(cause)
            .send()
            .await
            .map(|_| ())
            .map_err(|e| {
                classify("SendTaskFailure", e, |s| {
                    (s.is_invalid_token() || s.is_task_does_not_exist() || s.is_task_timed_out())
                        .then_some(ErrorKind::TokenGone)
                })
            })
    }

    async fn execution_running(&self, state_machine_arn: &str, name: &str) -> BackendResult<bool> {
        let out = self
            .client
            .describe_execution()
            .execution_arn(execution_arn(state_machine_arn, name))
            .send()
            .await
            .map_err(|e| {
                classify("DescribeExecution", e, |s| {
                    s.is_execution_does_not_exist()
                        .then_some(ErrorKind::NotFound)
                })
            })?;
        Ok(out.status() == &ExecutionStatus::Running)
    }
}

use crate::polls;
pub use crate::polls::{LAST_POLL, ROUND_TRIP, SHORT_POLL_EVERY};

impl AwsQueue {
    /// One `ReceiveMessage` waiting `secs` seconds at most.
    async fn receive_once(&self, url: &str, secs: i32) -> BackendResult<Option<QueueMessage>> {
        let out = self
            .client
            .receive_message()
            .queue_url(url)
            .max_number_of_messages(1)
            .wait_time_seconds(secs)
            // Leave the message visible: a retried invocation must find the same actions. The
            // router deletes it when the event it caused arrives.
            .visibility_timeout(0)
            .send()
            .await
            .map_err(|e| {
                classify("ReceiveMessage", e, |s| {
                    s.is_queue_does_not_exist().then_some(ErrorKind::QueueGone)
                })
            })?;
        let Some(msg) = out.messages.unwrap_or_default().into_iter().next() else {
            return Ok(None);
        };
        match (msg.body, msg.receipt_handle) {
            (Some(body), Some(receipt)) => Ok(Some(QueueMessage { body, receipt })),
            _ => Err(BackendError::new(
                ErrorKind::Service,
                "ReceiveMessage returned a message without body or receipt handle",
            )),
        }
    }
}

impl ActionQueue for AwsQueue {
    async fn create(&self, name: &str) -> BackendResult<String> {
        let out = self
            .client
            .create_queue()
            .queue_name(name)
            // A call's actions are useless after an hour; the queue itself is deleted on the
            // final HANGUP.
            .attributes(QueueAttributeName::MessageRetentionPeriod, "3600")
            .send()
            .await
            .map_err(|e| classify("CreateQueue", e, |_| None))?;
        out.queue_url().map(str::to_owned).ok_or_else(|| {
            BackendError::new(ErrorKind::Service, "CreateQueue returned no QueueUrl")
        })
    }

    /// Waits no longer than `wait`, as [`crate::polls`] says: one long poll of whole seconds
    /// (rounded down, leaving [`ROUND_TRIP`] for the answer to come back), then short polls every
    /// [`SHORT_POLL_EVERY`], the last one starting at least [`LAST_POLL`] before the end. Every
    /// request is cut at the end of `wait`
    /// (harmless: messages are received with visibility timeout 0, so a cut receive takes none).
    async fn receive(&self, url: &str, wait: Duration) -> BackendResult<Option<QueueMessage>> {
        if wait.is_zero() {
            return self.receive_once(url, 0).await;
        }
        let until = tokio::time::Instant::now() + wait;
        loop {
            let left = until.saturating_duration_since(tokio::time::Instant::now());
            let secs = polls::wait_seconds(left);
            match tokio::time::timeout_at(until, self.receive_once(url, secs as i32)).await {
                Ok(Ok(Some(msg))) => return Ok(Some(msg)),
                Ok(Ok(None)) => {}
                Ok(Err(e)) => return Err(e),
                Err(_elapsed) => return Ok(None),
            }
            let left = until.saturating_duration_since(tokio::time::Instant::now());
            match polls::pause_after(secs, left) {
                None => return Ok(None),
                Some(pause) if !pause.is_zero() => tokio::time::sleep(pause).await,
                Some(_) => {}
            }
        }
    }

    async fn ack(&self, url: &str, receipt: &str) -> BackendResult<()> {
        self.client
            .delete_message()
            .queue_url(url)
            .receipt_handle(receipt)
            .send()
            .await
            .map(|_| ())
            .map_err(|e| {
                classify("DeleteMessage", e, |s| {
                    s.is_queue_does_not_exist().then_some(ErrorKind::QueueGone)
                })
            })
    }

    async fn delete(&self, url: &str) -> BackendResult<()> {
        self.client
            .delete_queue()
            .queue_url(url)
            .send()
            .await
            .map(|_| ())
            .map_err(|e| {
                classify("DeleteQueue", e, |s| {
                    s.is_queue_does_not_exist().then_some(ErrorKind::QueueGone)
                })
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn execution_arn_follows_the_state_machine() {
        assert_eq!(
            execution_arn(
                "arn:aws:states:us-east-1:123456789012:stateMachine:front-desk",
                "tx-1"
            ),
            "arn:aws:states:us-east-1:123456789012:execution:front-desk:tx-1"
        );
    }
}
