//! A fake Lambda Runtime API (<https://docs.aws.amazon.com/lambda/latest/dg/runtimes-api.html>):
//! hands the binary one invocation at a time with the deadline the test chose, and records what
//! it posts back and when.

use std::collections::HashMap;
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use switchboard_lambda::http::{self, Reply, Request};

/// What the function posted for one invocation.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// `true` for `/response`, `false` for `/error`.
    pub answered: bool,
    pub body: Vec<u8>,
    /// When the fake handed the event to the function (epoch ms, fractional).
    pub sent_ms: f64,
    /// When the answer had arrived in full.
    pub at_ms: f64,
}

#[derive(Debug)]
struct Pending {
    id: String,
    body: Vec<u8>,
    deadline_ms: u64,
}

#[derive(Debug, Default)]
struct State {
    next: Option<Pending>,
    sent: HashMap<String, f64>,
    done: HashMap<String, Outcome>,
    init_error: Option<String>,
}

#[derive(Debug, Default)]
pub struct FakeRuntime {
    state: Mutex<State>,
    changed: Condvar,
}

pub fn now_ms() -> f64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
        .as_secs_f64()
        * 1000.0
}

impl FakeRuntime {
    /// Starts serving; returns the fake and `host:port` for `AWS_LAMBDA_RUNTIME_API`.
    pub fn start() -> (Arc<FakeRuntime>, String) {
        let fake = Arc::new(FakeRuntime::default());
        let f = fake.clone();
        let addr = http::serve(Arc::new(move |req| f.handle(req)));
        (fake, addr)
    }

    fn handle(&self, req: Request) -> Reply {
        const PREFIX: &str = "/2018-06-01/runtime/";
        let path = req
            .path
            .strip_prefix(PREFIX)
            .unwrap_or(&req.path)
            .to_owned();
        if req.method == "GET" && path == "invocation/next" {
            let mut st = self.state.lock().unwrap();
            loop {
                if let Some(p) = st.next.take() {
                    st.sent.insert(p.id.clone(), now_ms());
                    self.changed.notify_all();
                    return Reply::new(200, p.body)
                        .header("content-type", "application/json")
                        .header("lambda-runtime-aws-request-id", p.id)
                        .header("lambda-runtime-deadline-ms", p.deadline_ms.to_string())
                        .header(
                            "lambda-runtime-invoked-function-arn",
                            "arn:aws:lambda:us-east-1:123456789012:function:router",
                        )
                        .header(
                            "lambda-runtime-trace-id",
                            "Root=1-00000000-000000000000000000000000",
                        );
                }
                st = self.changed.wait(st).unwrap();
            }
        }
        if path == "init/error" {
            self.state.lock().unwrap().init_error =
                Some(String::from_utf8_lossy(&req.body).into_owned());
            self.changed.notify_all();
            return Reply::new(202, "{}");
        }
        let at_ms = now_ms();
        if let Some(rest) = path.strip_prefix("invocation/") {
            if let Some((id, kind)) = rest.split_once('/') {
                let mut st = self.state.lock().unwrap();
                let sent_ms = st.sent.get(id).copied().unwrap_or(at_ms);
                st.done.insert(
                    id.to_owned(),
                    Outcome {
                        answered: kind == "response",
                        body: req.body,
                        sent_ms,
                        at_ms,
                    },
                );
                self.changed.notify_all();
                return Reply::new(202, "{}");
            }
        }
        Reply::new(404, "{}")
    }

    /// Invokes the function with `body` and a deadline `deadline_in` from now; waits for its
    /// answer (`None` when none came within the deadline plus `grace`, or the init failed).
    pub fn invoke(
        &self,
        id: &str,
        body: Vec<u8>,
        deadline_in: Duration,
        grace: Duration,
    ) -> (u64, Option<Outcome>) {
        let deadline_ms = (now_ms() + deadline_in.as_secs_f64() * 1000.0) as u64;
        let mut st = self.state.lock().unwrap();
        st.next = Some(Pending {
            id: id.to_owned(),
            body,
            deadline_ms,
        });
        self.changed.notify_all();
        let give_up = std::time::Instant::now() + deadline_in + grace;
        loop {
            if let Some(o) = st.done.get(id) {
                return (deadline_ms, Some(o.clone()));
            }
            if st.init_error.is_some() {
                return (deadline_ms, None);
            }
            let left = give_up.saturating_duration_since(std::time::Instant::now());
            if left.is_zero() {
                st.next = None;
                return (deadline_ms, None);
            }
            st = self.changed.wait_timeout(st, left).unwrap().0;
        }
    }

    pub fn init_error(&self) -> Option<String> {
        self.state.lock().unwrap().init_error.clone()
    }
}
