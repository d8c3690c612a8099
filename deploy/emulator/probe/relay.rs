//! The probe's `provided.al2023` Lambda: a `bootstrap` built from this one file with plain `rustc`
//! (standard library only, so no Cargo package and nothing to download).
//!
//! It speaks the Lambda Runtime API
//! (https://docs.aws.amazon.com/lambda/latest/dg/runtimes-api.html) and relays every event it is
//! given to the probe's HTTP server at `$PROBE_ENDPOINT` (an address on 127.0.0.1, set in the
//! function's `Environment`), which decides what the function does. The server's answer is one
//! instruction line and a body:
//! - `RETURN` — the body is the invocation's result;
//! - `PUT <url>` — PUT the body to `<url>` (a custom resource's ResponseURL), as a provider does;
//! - `HANG` — return without answering the ResponseURL (a provider that never responds);
//! - `ERROR` — report the invocation as failed through `/runtime/invocation/<id>/error`.
//!
//! The request to the server carries the function's name and `$PROBE_GREETING` as headers, so the
//! probe sees what environment the function ran with.
use std::env;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Reply {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// One HTTP/1.1 exchange over a fresh connection (`Connection: close`), `http://` only.
fn http(
    method: &str,
    url: &str,
    headers: &[(&str, &str)],
    body: &[u8],
    timeout: Option<Duration>,
) -> Result<Reply, String> {
    let rest = url
        .strip_prefix("http://")
        .ok_or_else(|| format!("{url}: only http:// URLs are supported"))?;
    let (authority, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    };
    let mut stream =
        TcpStream::connect(authority).map_err(|e| format!("connect {authority}: {e}"))?;
    stream
        .set_read_timeout(timeout)
        .map_err(|e| e.to_string())?;
    let mut request = format!(
        "{method} {path} HTTP/1.1\r\nHost: {authority}\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (k, v) in headers {
        request.push_str(&format!("{k}: {v}\r\n"));
    }
    request.push_str("\r\n");
    stream
        .write_all(request.as_bytes())
        .and_then(|_| stream.write_all(body))
        .map_err(|e| format!("send to {url}: {e}"))?;
    let mut raw = Vec::new();
    stream
        .read_to_end(&mut raw)
        .map_err(|e| format!("read from {url}: {e}"))?;
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or_else(|| format!("{url}: reply without a header end"))?;
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| format!("{url}: bad status line"))?;
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect();
    let mut body = raw[split + 4..].to_vec();
    let reply = Reply {
        status,
        headers,
        body: Vec::new(),
    };
    if let Some(n) = reply
        .header("Content-Length")
        .and_then(|v| v.parse::<usize>().ok())
    {
        body.truncate(n);
    }
    Ok(Reply { body, ..reply })
}

fn handle(event: &[u8]) -> Result<Vec<u8>, String> {
    let endpoint =
        env::var("PROBE_ENDPOINT").map_err(|_| "PROBE_ENDPOINT is not set".to_string())?;
    let function = env::var("AWS_LAMBDA_FUNCTION_NAME").unwrap_or_default();
    let greeting = env::var("PROBE_GREETING").unwrap_or_default();
    let wait = Some(Duration::from_secs(60));
    let answer = http(
        "POST",
        &format!("{endpoint}/event"),
        &[
            ("X-Probe-Function", &function),
            ("X-Probe-Greeting", &greeting),
        ],
        event,
        wait,
    )?;
    let text = String::from_utf8_lossy(&answer.body).into_owned();
    let (instruction, body) = text.split_once('\n').unwrap_or((text.as_str(), ""));
    match instruction.split_once(' ').unwrap_or((instruction, "")) {
        ("RETURN", _) => Ok(body.as_bytes().to_vec()),
        ("HANG", _) => Ok(b"{}".to_vec()),
        // A presigned ResponseURL is signed without a Content-Type: send none (AWS custom
        // resource docs, "Custom resource response objects").
        ("PUT", url) => {
            let put = http("PUT", url, &[], body.as_bytes(), wait)?;
            Ok(format!("{{\"put_status\":{}}}", put.status).into_bytes())
        }
        ("ERROR", _) => Err(format!("asked to fail: {body}")),
        _ => Err(format!(
            "unknown instruction from the probe server: {instruction:?}"
        )),
    }
}

fn main() {
    let api = match env::var("AWS_LAMBDA_RUNTIME_API") {
        Ok(api) => format!("http://{api}/2018-06-01/runtime"),
        Err(_) => {
            eprintln!("AWS_LAMBDA_RUNTIME_API is not set: run me as a Lambda bootstrap");
            std::process::exit(2);
        }
    };
    loop {
        let next = match http("GET", &format!("{api}/invocation/next"), &[], b"", None) {
            Ok(next) if next.status == 200 => next,
            Ok(next) => {
                eprintln!("runtime API answered {} to /next; stopping", next.status);
                return;
            }
            Err(e) => {
                eprintln!("runtime API: {e}; stopping");
                return;
            }
        };
        let id = next
            .header("Lambda-Runtime-Aws-Request-Id")
            .unwrap_or("")
            .to_string();
        let (path, body) = match handle(&next.body) {
            Ok(result) => (format!("{api}/invocation/{id}/response"), result),
            Err(message) => {
                eprintln!("{message}");
                let escaped = message.replace('\\', "\\\\").replace('"', "\\\"");
                let error =
                    format!("{{\"errorMessage\":\"{escaped}\",\"errorType\":\"ProbeError\"}}");
                (format!("{api}/invocation/{id}/error"), error.into_bytes())
            }
        };
        if let Err(e) = http("POST", &path, &[], &body, Some(Duration::from_secs(10))) {
            eprintln!("runtime API: {e}");
        }
    }
}
