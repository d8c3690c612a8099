//! Fake Step Functions and SQS (AWS JSON 1.0 protocol, as the SDK speaks it) with a fake flow
//! behind them: every execution queues its next actions the moment its token is completed, so
//! the router never has to wait unless a test wants it to (executions of calls whose
//! `TransactionId` starts with `slow` never queue anything).
//!
//! It records what the router must never do: complete a token twice, name an execution or a
//! queue outside SQS's rules, or give two calls the same execution.

use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use switchboard_lambda::http::{self, Reply, Request};

#[derive(Debug)]
struct Exec {
    tx: String,
    queue_url: String,
    /// The token of the task that waits now is `<name>.<n>`.
    n: u64,
    running: bool,
    silent: bool,
}

#[derive(Debug, Default)]
struct State {
    queues: HashMap<String, VecDeque<(String, String)>>,
    executions: HashMap<String, Exec>,
    /// Tokens whose completion succeeded.
    completed: HashSet<String>,
    next_receipt: u64,
    /// (kind, detail).
    violations: Vec<(&'static str, String)>,
    completions: usize,
    receives: usize,
}

/// The fake services; clone the `Arc` to share.
#[derive(Debug, Default)]
pub struct FakeAws {
    state: Mutex<State>,
    arrived: Condvar,
    base: Mutex<String>,
}

/// SQS: queue names are 1–80 letters, digits, `-` and `_`
/// (<https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_CreateQueue.html>);
/// the router names executions the same way.
fn valid_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 80
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

fn error(code: &str, message: impl Into<String>) -> Reply {
    Reply::new(
        400,
        json!({"__type": code, "message": message.into()}).to_string(),
    )
    .header("content-type", "application/x-amz-json-1.0")
    .header("x-amzn-errortype", code)
}

fn ok(body: Value) -> Reply {
    Reply::new(200, body.to_string()).header("content-type", "application/x-amz-json-1.0")
}

/// What the fake flow queues for step `n`: a `Pause`, every seventh time a `Hangup` of LEG-A.
fn flow_message(name: &str, n: u64, queue_url: &str) -> String {
    let action = if n % 7 == 0 {
        json!({"Type": "Hangup", "Parameters": {"ParticipantTag": "LEG-A", "SipResponseCode": "0"}})
    } else {
        json!({"Type": "Pause", "Parameters": {"ParticipantTag": "LEG-A", "DurationInMilliseconds": "100"}})
    };
    json!({"SchemaVersion": "1.0", "Actions": [action],
        "TransactionAttributes": {"WaitToken": format!("{name}.{n}"), "QueueUrl": queue_url}})
    .to_string()
}

impl FakeAws {
    /// Starts serving; returns the fake and its endpoint URL.
    pub fn start() -> (Arc<FakeAws>, String) {
        let fake = Arc::new(FakeAws::default());
        let f = fake.clone();
        let addr = http::serve(Arc::new(move |req| f.handle(req)));
        let base = format!("http://{addr}");
        *fake.base.lock().unwrap() = base.clone();
        (fake, base)
    }

    /// Everything the router did that it must not.
    pub fn violations(&self) -> Vec<(&'static str, String)> {
        self.state.lock().unwrap().violations.clone()
    }

    /// (successful token completions, ReceiveMessage calls).
    pub fn counts(&self) -> (usize, usize) {
        let s = self.state.lock().unwrap();
        (s.completions, s.receives)
    }

    fn handle(&self, req: Request) -> Reply {
        let target = req.header("x-amz-target").unwrap_or_default().to_owned();
        let body: Value = serde_json::from_slice(&req.body).unwrap_or(Value::Null);
        let s = |k: &str| {
            body.get(k)
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned()
        };
        match target.as_str() {
            "AmazonSQS.CreateQueue" => self.create_queue(&s("QueueName")),
            "AmazonSQS.ReceiveMessage" => {
                let wait = body
                    .get("WaitTimeSeconds")
                    .and_then(Value::as_i64)
                    .unwrap_or(0);
                self.receive(&s("QueueUrl"), wait)
            }
            "AmazonSQS.DeleteMessage" => {
                let mut st = self.state.lock().unwrap();
                match st.queues.get_mut(&s("QueueUrl")) {
                    Some(q) => {
                        let receipt = s("ReceiptHandle");
                        q.retain(|(r, _)| *r != receipt);
                        ok(json!({}))
                    }
                    None => error("QueueDoesNotExist", "The specified queue does not exist."),
                }
            }
            "AmazonSQS.DeleteQueue" => {
                let mut st = self.state.lock().unwrap();
                match st.queues.remove(&s("QueueUrl")) {
                    Some(_) => {
                        self.arrived.notify_all();
                        ok(json!({}))
                    }
                    None => error("QueueDoesNotExist", "The specified queue does not exist."),
                }
            }
            "AWSStepFunctions.StartExecution" => self.start_execution(&s("name"), &s("input")),
            "AWSStepFunctions.SendTaskSuccess" => self.complete(&s("taskToken"), None),
            "AWSStepFunctions.SendTaskFailure" => self.complete(&s("taskToken"), Some(s("error"))),
            "AWSStepFunctions.DescribeExecution" => {
                let arn = s("executionArn");
                let name = arn.rsplit(':').next().unwrap_or_default();
                let st = self.state.lock().unwrap();
                match st.executions.get(name) {
                    Some(e) => ok(json!({"executionArn": arn, "stateMachineArn": super::ARN,
                        "status": if e.running { "RUNNING" } else { "SUCCEEDED" },
                        "startDate": 1_700_000_000.0})),
                    None => error(
                        "ExecutionDoesNotExist",
                        format!("Execution does not exist: '{arn}'"),
                    ),
                }
            }
            other => {
                self.state
                    .lock()
                    .unwrap()
                    .violations
                    .push(("unexpected AWS call", format!("{other:?} {}", req.path)));
                error("UnknownOperationException", "not faked")
            }
        }
    }

    fn create_queue(&self, name: &str) -> Reply {
        let mut st = self.state.lock().unwrap();
        if !valid_name(name) {
            st.violations
                .push(("invalid queue name", format!("{name:?}")));
            return error("InvalidParameterValue", "Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length");
        }
        let url = format!("{}/123456789012/{name}", self.base.lock().unwrap());
        st.queues.entry(url.clone()).or_default();
        ok(json!({"QueueUrl": url}))
    }

    fn receive(&self, url: &str, wait: i64) -> Reply {
        let until = Instant::now() + Duration::from_secs(wait.clamp(0, 20) as u64);
        let mut st = self.state.lock().unwrap();
        st.receives += 1;
        if !(0..=20).contains(&wait) {
            st.violations
                .push(("WaitTimeSeconds out of 0-20", format!("{wait}")));
        }
        loop {
            let Some(q) = st.queues.get(url) else {
                return error("QueueDoesNotExist", "The specified queue does not exist.");
            };
            if let Some((receipt, body)) = q.front() {
                return ok(
                    json!({"Messages": [{"MessageId": receipt, "ReceiptHandle": receipt, "Body": body}]}),
                );
            }
            let left = until.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return ok(json!({}));
            }
            st = self.arrived.wait_timeout(st, left).unwrap().0;
        }
    }

    fn push(&self, st: &mut State, url: &str, body: String) {
        st.next_receipt += 1;
        let receipt = format!("r-{}", st.next_receipt);
        if let Some(q) = st.queues.get_mut(url) {
            q.push_back((receipt, body));
            self.arrived.notify_all();
        }
    }

    fn start_execution(&self, name: &str, input: &str) -> Reply {
        let input: Value = serde_json::from_str(input).unwrap_or(Value::Null);
        let tx = input
            .pointer("/Event/CallDetails/TransactionId")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
        let url = input["QueueUrl"].as_str().unwrap_or_default().to_owned();
        let mut st = self.state.lock().unwrap();
        if !valid_name(name) {
            st.violations
                .push(("invalid execution name", format!("{name:?}")));
            return error("InvalidName", format!("Invalid Name: '{name}'"));
        }
        if let Some(other) = st.executions.get(name).map(|e| e.tx.clone()) {
            if other != tx {
                st.violations.push((
                    "two calls share an execution",
                    format!("{name:?}: {other:.100} and {tx:.100}"),
                ));
            }
            return error(
                "ExecutionAlreadyExists",
                format!("Execution Already Exists: '{name}'"),
            );
        }
        let silent = tx.starts_with("slow");
        st.executions.insert(
            name.to_owned(),
            Exec {
                tx,
                queue_url: url.clone(),
                n: 1,
                running: true,
                silent,
            },
        );
        if !silent {
            self.push(&mut st, &url, flow_message(name, 1, &url));
        }
        ok(
            json!({"executionArn": format!("{}:{name}", super::ARN.replace(":stateMachine:", ":execution:")),
            "startDate": 1_700_000_000.0}),
        )
    }

    fn complete(&self, token: &str, error_name: Option<String>) -> Reply {
        let mut st = self.state.lock().unwrap();
        if st.completed.contains(token) {
            st.violations
                .push(("token completed twice", format!("{token:.100}")));
            return error(
                "TaskTimedOut",
                "Task Timed Out: 'Provided task does not exist anymore'",
            );
        }
        let Some((name, n)) = token
            .rsplit_once('.')
            .and_then(|(name, n)| Some((name.to_owned(), n.parse::<u64>().ok()?)))
        else {
            return error("InvalidToken", "Invalid Token");
        };
        let Some(exec) = st.executions.get_mut(&name) else {
            return error("InvalidToken", "Invalid Token");
        };
        if !exec.running || exec.n != n {
            return error(
                "TaskTimedOut",
                "Task Timed Out: 'Provided task does not exist anymore'",
            );
        }
        let url = exec.queue_url.clone();
        let silent = exec.silent;
        if error_name.as_deref() == Some("HANGUP") {
            exec.running = false;
        } else {
            exec.n += 1;
        }
        let next = exec.running.then_some(exec.n);
        st.completed.insert(token.to_owned());
        st.completions += 1;
        if let (Some(n), false) = (next, silent) {
            self.push(&mut st, &url, flow_message(&name, n, &url));
        }
        ok(json!({}))
    }
}
