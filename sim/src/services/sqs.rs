//! In-memory SQS queues: the per-call action queues waiting Tasks send to.
//!
//! A message body is kept as the JSON value the Task sent (Step Functions serialises a JSON
//! `MessageBody` to a string on the wire; the simulator keeps the value so the PSTN audio
//! simulator can read it without re-parsing; [`Message::body_text`] gives the wire form).

use std::collections::{BTreeMap, VecDeque};

use serde_json::{json, Value};

use crate::integration::TaskFailure;

/// Error name of SQS failures as the optimized integration reports them.
pub const SQS_ERROR: &str = "SQS.AmazonSQSException";

/// One message.
#[derive(Debug, Clone, PartialEq)]
pub struct Message {
    /// `MessageId`.
    pub id: String,
    /// The body as sent.
    pub body: Value,
    /// Identifies this receipt for [`Queues::delete_message`].
    pub receipt_handle: String,
}

impl Message {
    /// The body as SQS carries it: the string itself, or the JSON text of a non-string body.
    pub fn body_text(&self) -> String {
        match &self.body {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        }
    }
}

#[derive(Debug, Default, Clone)]
struct Queue {
    visible: VecDeque<Message>,
    in_flight: Vec<Message>,
}

/// Queues by URL.
#[derive(Debug, Default, Clone)]
pub struct Queues {
    queues: BTreeMap<String, Queue>,
    seq: u64,
}

impl Queues {
    /// No queues.
    pub fn new() -> Self {
        Self::default()
    }

    /// The URL a queue named `name` gets.
    pub fn url_for(name: &str) -> String {
        format!("https://sqs.us-east-1.amazonaws.com/123456789012/{name}")
    }

    /// Create a queue named `name` (idempotent, like `CreateQueue`) and return its URL.
    pub fn create(&mut self, name: &str) -> String {
        let url = Self::url_for(name);
        self.queues.entry(url.clone()).or_default();
        url
    }

    /// Whether a queue with this URL exists.
    pub fn exists(&self, url: &str) -> bool {
        self.queues.contains_key(url)
    }

    /// How many queues exist.
    pub fn len(&self) -> usize {
        self.queues.len()
    }

    /// Whether no queue exists.
    pub fn is_empty(&self) -> bool {
        self.queues.is_empty()
    }

    /// Delete a queue and its messages; `false` if there was none.
    pub fn delete_queue(&mut self, url: &str) -> bool {
        self.queues.remove(url).is_some()
    }

    /// Append a message; returns its id.
    pub fn send(&mut self, url: &str, body: Value) -> Result<String, TaskFailure> {
        self.seq += 1;
        let id = format!("msg-{:08}", self.seq);
        let queue = self.queues.get_mut(url).ok_or_else(|| no_queue(url))?;
        queue.visible.push_back(Message {
            id: id.clone(),
            body,
            receipt_handle: format!("rh-{id}"),
        });
        Ok(id)
    }

    /// Receive up to `max` messages, oldest first; they stay in flight until deleted.
    pub fn receive(&mut self, url: &str, max: usize) -> Result<Vec<Message>, TaskFailure> {
        let queue = self.queues.get_mut(url).ok_or_else(|| no_queue(url))?;
        let n = max.min(queue.visible.len());
        let out: Vec<Message> = queue.visible.drain(..n).collect();
        queue.in_flight.extend(out.iter().cloned());
        Ok(out)
    }

    /// Delete a received message by its receipt handle; `false` if unknown.
    pub fn delete_message(&mut self, url: &str, receipt_handle: &str) -> bool {
        let Some(queue) = self.queues.get_mut(url) else {
            return false;
        };
        let before = queue.in_flight.len();
        queue
            .in_flight
            .retain(|m| m.receipt_handle != receipt_handle);
        before != queue.in_flight.len()
    }

    /// Messages waiting to be received.
    pub fn visible(&self, url: &str) -> usize {
        self.queues.get(url).map_or(0, |q| q.visible.len())
    }

    /// `sendMessage` as a Task calls it: `{"QueueUrl", "MessageBody"}` → `{"MessageId", …}`.
    pub fn send_message(&mut self, args: &Value) -> Result<Value, TaskFailure> {
        let url = args
            .get("QueueUrl")
            .and_then(Value::as_str)
            .ok_or_else(|| TaskFailure::new(SQS_ERROR, "sendMessage needs a string 'QueueUrl'"))?;
        let body = args.get("MessageBody").cloned().ok_or_else(|| {
            TaskFailure::new(
                SQS_ERROR,
                format!("sendMessage to '{url}' has no 'MessageBody'"),
            )
        })?;
        let id = self.send(url, body)?;
        Ok(json!({"MessageId": id, "SdkHttpMetadata": {"HttpStatusCode": 200}}))
    }
}

fn no_queue(url: &str) -> TaskFailure {
    TaskFailure::new(
        SQS_ERROR,
        format!(
            "The specified queue does not exist: '{url}' (Error Code: AWS.SimpleQueueService.NonExistentQueue)"
        ),
    )
}
