//! Benchmarks (not tests): `cargo bench -p switchboard-router --bench overhead`.
//!
//! 1. Router overhead per event with in-process backends: a `MemoryQueue` and an engine that
//!    queues the next actions the moment a token is completed, so the time measured is the
//!    router's own (parse, classify, complete, poll, answer). Target ≤ 50 µs p50.
//! 2. Cold start of the packaged `bootstrap` (built by `--bin package`) until it asks a fake Lambda
//!    Runtime API on 127.0.0.1 for its first event. Target ≤ 30 ms. Also prints the binary size.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use switchboard_router::memory::MemoryQueue;
use switchboard_router::{BackendResult, Config, Engine, Router};

const ARN: &str = "arn:aws:states:us-east-1:123456789012:stateMachine:bench";
const URL: &str = "memory://switchboard-bench";

/// Plays an instant workflow: every completed token is answered by the next message at once.
struct InstantFlow {
    queue: MemoryQueue,
    next: AtomicU64,
}

impl InstantFlow {
    fn queue_next(&self) {
        let n = self.next.fetch_add(1, Ordering::Relaxed) + 1;
        let body = json!({"SchemaVersion": "1.0",
            "Actions": [{"Type": "Speak", "Parameters": {"CallId": "call-id-1", "Text": "Hello"}}],
            "TransactionAttributes": {"WaitToken": format!("tok-{n}"), "QueueUrl": URL}});
        self.queue
            .send(URL, body.to_string())
            .expect("queue exists");
    }
}

impl Engine for InstantFlow {
    async fn start_execution(&self, _: &str, _: &str, _: &str) -> BackendResult<()> {
        self.queue_next();
        Ok(())
    }
    async fn send_task_success(&self, _: &str, _: &str) -> BackendResult<()> {
        self.queue_next();
        Ok(())
    }
    async fn send_task_failure(&self, _: &str, _: &str, _: &str) -> BackendResult<()> {
        self.queue_next();
        Ok(())
    }
    async fn execution_running(&self, _: &str, _: &str) -> BackendResult<bool> {
        Ok(true)
    }
}

fn event(seq: u64, token: &str) -> Value {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../dsl/tests/fixtures/pstn/events/digits-received.json"
    );
    let mut ev: Value =
        serde_json::from_str(&std::fs::read_to_string(path).expect("fixture")).expect("json");
    ev["Sequence"] = seq.into();
    ev["CallDetails"]["TransactionAttributes"] = json!({"WaitToken": token, "QueueUrl": URL});
    ev
}

fn overhead() {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .expect("runtime");
    let queue = MemoryQueue::new();
    let flow = InstantFlow {
        queue: queue.clone(),
        next: AtomicU64::new(0),
    };
    let config = Config::with_flows([("+12065551212".to_owned(), ARN.to_owned())].into());
    let router = Router::new(flow, queue.clone(), config);
    rt.block_on(async {
        use switchboard_router::ActionQueue;
        queue.create("switchboard-bench").await.expect("create");
        router.engine().queue_next(); // tok-1 waits
    });
    let n = 20_000u64;
    let mut samples = Vec::with_capacity(n as usize);
    for seq in 1..=n {
        let ev = event(seq, &format!("tok-{seq}"));
        let started = Instant::now();
        let reply = rt.block_on(router.handle(&ev, started + Duration::from_secs(4)));
        samples.push(started.elapsed());
        assert!(reply.incidents.is_empty(), "{:?}", reply.incidents);
        assert_eq!(
            reply.response["TransactionAttributes"]["WaitToken"],
            format!("tok-{}", seq + 1)
        );
    }
    samples.sort();
    let pct = |p: f64| samples[((samples.len() as f64 - 1.0) * p) as usize];
    println!(
        "router overhead per event (in-process backends, {n} events): p50 {:?}, p90 {:?}, p99 {:?}",
        pct(0.5),
        pct(0.9),
        pct(0.99)
    );
}

fn cold_start() {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/..");
    let target = std::env::var("CARGO_TARGET_DIR").unwrap_or_else(|_| format!("{root}/target"));
    let bin = format!("{target}/x86_64-unknown-linux-gnu/release-lambda/bootstrap");
    let Ok(meta) = std::fs::metadata(&bin) else {
        println!("cold start: SKIPPED, build {bin} first (cargo run -p switchboard-router --bin package)");
        return;
    };
    println!(
        "bootstrap binary size: {} bytes ({:.2} MB)",
        meta.len(),
        meta.len() as f64 / 1048576.0
    );
    let flows = format!(r#"{{"+12065551212": "{ARN}"}}"#);
    let mut times = Vec::new();
    for _ in 0..20 {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let addr = listener.local_addr().expect("addr");
        let started = Instant::now();
        let mut child = Command::new(&bin)
            .env_clear()
            .env("AWS_LAMBDA_RUNTIME_API", addr.to_string())
            .env("AWS_LAMBDA_FUNCTION_NAME", "router")
            .env("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "128")
            .env("AWS_LAMBDA_FUNCTION_VERSION", "1")
            .env("AWS_REGION", "us-east-1")
            .env("AWS_ACCESS_KEY_ID", "x")
            .env("AWS_SECRET_ACCESS_KEY", "x")
            .env("SWITCHBOARD_CALL_FLOWS", &flows)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn bootstrap");
        let (mut conn, _) = listener.accept().expect("bootstrap connects");
        let mut buf = [0u8; 512];
        let read = conn.read(&mut buf).unwrap_or(0);
        let elapsed = started.elapsed();
        assert!(String::from_utf8_lossy(&buf[..read]).contains("/runtime/invocation/next"));
        let _ = conn.write_all(b"HTTP/1.1 500 Internal Server Error\r\ncontent-length: 0\r\n\r\n");
        let _ = child.kill();
        let _ = child.wait();
        times.push(elapsed);
    }
    times.sort();
    println!(
        "cold start to first /invocation/next (20 runs): min {:?}, p50 {:?}, max {:?}",
        times[0], times[10], times[19]
    );
}

fn main() {
    overhead();
    cold_start();
}
