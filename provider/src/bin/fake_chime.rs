//! The fake of Chime SDK Voice (and of Lambda's `Invoke`) as a standalone server, for end-to-end
//! tests where a CloudFormation emulator runs the real provider Lambda:
//!
//! ```text
//! cargo run -p switchboard-provider --features fake --bin fake-chime -- --port 4599 \
//!     [--order-polls N] [--order-fails] [--no-numbers AREA]...
//! ```
//!
//! Point the provider at it with `AWS_ENDPOINT_URL_CHIME_SDK_VOICE=http://127.0.0.1:4599`. It
//! prints `listening on http://127.0.0.1:PORT` once ready, serves until killed, and answers
//! `GET /_fake/state` with everything it holds.

use std::process::ExitCode;

use switchboard_provider::fake::{FakeChime, OrderEnd};

fn main() -> ExitCode {
    let mut port = 0u16;
    let mut polls = 1;
    let mut fails = false;
    let mut empty = Vec::new();
    let mut args = std::env::args().skip(1);
    let usage =
        "usage: fake-chime --port PORT [--order-polls N] [--order-fails] [--no-numbers AREA]...";
    while let Some(arg) = args.next() {
        let mut value = |name: &str| args.next().ok_or(format!("{name} needs a value; {usage}"));
        let parsed = match arg.as_str() {
            "--port" => value("--port").and_then(|v| {
                v.parse()
                    .map(|p| port = p)
                    .map_err(|_| format!("--port {v:?} is not a port number"))
            }),
            "--order-polls" => value("--order-polls").and_then(|v| {
                v.parse()
                    .map(|n| polls = n)
                    .map_err(|_| format!("--order-polls {v:?} is not a count"))
            }),
            "--order-fails" => {
                fails = true;
                Ok(())
            }
            "--no-numbers" => value("--no-numbers").map(|a| empty.push(a)),
            other => Err(format!("unknown argument {other:?}; {usage}")),
        };
        if let Err(e) = parsed {
            eprintln!("fake-chime: {e}");
            return ExitCode::FAILURE;
        }
    }
    let fake = match FakeChime::start_on(&format!("127.0.0.1:{port}")) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("fake-chime: cannot listen on 127.0.0.1:{port}: {e}");
            return ExitCode::FAILURE;
        }
    };
    fake.with(|s| {
        s.order_polls = polls;
        s.order_end = Some(if fails {
            OrderEnd::Failed
        } else {
            OrderEnd::Successful
        });
        s.empty_areas = empty;
    });
    println!("listening on {}", fake.url);
    loop {
        std::thread::park();
    }
}
