//! The in-process action queue, for the simulator, the benchmarks and tests.
//!
//! It behaves like the SQS queue the router uses: receiving leaves the message visible until it is
//! acknowledged, waiting receivers wake as soon as a message is sent, and a deleted queue answers
//! [`ErrorKind::QueueGone`]. The simulator's interpreter plays the `sqs:sendMessage` side with
//! [`MemoryQueue::send`].

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use tokio::sync::Notify;

use crate::backend::{ActionQueue, BackendError, BackendResult, ErrorKind, QueueMessage};

/// URL scheme of in-process queues: `memory://<name>`.
pub const URL_PREFIX: &str = "memory://";

#[derive(Default)]
struct Slot {
    messages: VecDeque<(u64, String)>,
    notify: Arc<Notify>,
}

#[derive(Default)]
struct Inner {
    queues: HashMap<String, Slot>,
    next_id: u64,
}

/// A set of named in-process queues. Cloning shares them.
#[derive(Clone, Default)]
pub struct MemoryQueue {
    inner: Arc<Mutex<Inner>>,
}

impl std::fmt::Debug for MemoryQueue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let inner = self.lock();
        f.debug_struct("MemoryQueue")
            .field("queues", &inner.queues.keys().collect::<Vec<_>>())
            .finish()
    }
}

fn gone(url: &str) -> BackendError {
    BackendError::new(ErrorKind::QueueGone, format!("queue {url} does not exist"))
}

impl MemoryQueue {
    pub fn new() -> Self {
        MemoryQueue::default()
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Appends `body` to the queue at `url` and wakes a waiting receiver (what a
    /// `sqs:sendMessage` Task does).
    pub fn send(&self, url: &str, body: impl Into<String>) -> BackendResult<()> {
        let mut inner = self.lock();
        inner.next_id += 1;
        let id = inner.next_id;
        let slot = inner.queues.get_mut(url).ok_or_else(|| gone(url))?;
        slot.messages.push_back((id, body.into()));
        slot.notify.notify_waiters();
        Ok(())
    }

    /// Whether the queue at `url` exists.
    pub fn exists(&self, url: &str) -> bool {
        self.lock().queues.contains_key(url)
    }

    /// The bodies waiting in the queue at `url`, oldest first.
    pub fn pending(&self, url: &str) -> Vec<String> {
        self.lock()
            .queues
            .get(url)
            .map(|s| s.messages.iter().map(|(_, b)| b.clone()).collect())
            .unwrap_or_default()
    }

    fn peek(&self, url: &str) -> BackendResult<Result<QueueMessage, Arc<Notify>>> {
        let inner = self.lock();
        let slot = inner.queues.get(url).ok_or_else(|| gone(url))?;
        Ok(match slot.messages.front() {
            Some((id, body)) => Ok(QueueMessage {
                body: body.clone(),
                receipt: id.to_string(),
            }),
            None => Err(slot.notify.clone()),
        })
    }
}

impl ActionQueue for MemoryQueue {
    async fn create(&self, name: &str) -> BackendResult<String> {
        let url = format!("{URL_PREFIX}{name}");
        self.lock().queues.entry(url.clone()).or_default();
        Ok(url)
    }

    async fn receive(&self, url: &str, wait: Duration) -> BackendResult<Option<QueueMessage>> {
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            let notify = match self.peek(url)? {
                Ok(msg) => return Ok(Some(msg)),
                Err(notify) => notify,
            };
            let notified = notify.notified();
            tokio::pin!(notified);
            // Register before the second look, so a send in between is not missed.
            notified.as_mut().enable();
            if let Ok(msg) = self.peek(url)? {
                return Ok(Some(msg));
            }
            if tokio::time::timeout_at(deadline, notified).await.is_err() {
                return Ok(None);
            }
        }
    }

    async fn ack(&self, url: &str, receipt: &str) -> BackendResult<()> {
        let mut inner = self.lock();
        let slot = inner.queues.get_mut(url).ok_or_else(|| gone(url))?;
        slot.messages.retain(|(id, _)| id.to_string() != receipt);
        Ok(())
    }

    async fn delete(&self, url: &str) -> BackendResult<()> {
        let slot = self.lock().queues.remove(url).ok_or_else(|| gone(url))?;
        slot.notify.notify_waiters();
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(flavor = "current_thread", start_paused = true)]
    async fn receive_waits_for_a_send_and_keeps_the_message_until_acked() {
        let q = MemoryQueue::new();
        let url = q.create("call-1").await.unwrap();
        assert_eq!(q.receive(&url, Duration::from_secs(1)).await.unwrap(), None);
        let sender = q.clone();
        let u = url.clone();
        tokio::spawn(async move {
            tokio::time::sleep(Duration::from_millis(300)).await;
            sender.send(&u, "hello").unwrap();
        });
        let msg = q
            .receive(&url, Duration::from_secs(5))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(msg.body, "hello");
        let again = q.receive(&url, Duration::ZERO).await.unwrap().unwrap();
        assert_eq!(again, msg);
        q.ack(&url, &msg.receipt).await.unwrap();
        assert!(q.pending(&url).is_empty());
        q.delete(&url).await.unwrap();
        let err = q.receive(&url, Duration::ZERO).await.unwrap_err();
        assert_eq!(err.kind, ErrorKind::QueueGone);
        assert_eq!(q.send(&url, "late").unwrap_err().kind, ErrorKind::QueueGone);
    }
}
