//! The `fake-chime` binary as the lead's end-to-end test starts it: on a port of 127.0.0.1, reached
//! by an SDK client configured only through the environment (`AWS_ENDPOINT_URL_CHIME_SDK_VOICE`,
//! the per-service endpoint override
//! <https://docs.aws.amazon.com/sdkref/latest/guide/feature-ss-endpoints.html>), as the provider
//! Lambda's `main.rs` loads it.

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Command, Stdio};

struct Kill(std::process::Child);

impl Drop for Kill {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[tokio::test]
async fn the_fake_binary_answers_an_sdk_configured_from_the_environment() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_fake-chime"))
        .args(["--port", "0", "--no-numbers", "212", "--order-polls", "0"])
        .stdout(Stdio::piped())
        .spawn()
        .expect("fake-chime starts");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let _child = Kill(child);
    let url = line
        .trim()
        .strip_prefix("listening on ")
        .unwrap_or_else(|| panic!("{line:?}"))
        .to_owned();

    // This test file is its own process: setting the environment touches no other test.
    std::env::set_var("AWS_ENDPOINT_URL_CHIME_SDK_VOICE", &url);
    std::env::set_var("AWS_REGION", "us-east-1");
    std::env::set_var("AWS_ACCESS_KEY_ID", "AKIDTEST");
    std::env::set_var("AWS_SECRET_ACCESS_KEY", "secret");
    let config = aws_config::from_env().load().await;
    let chime = aws_sdk_chimesdkvoice::Client::new(&config);
    let search = |area: &'static str| {
        chime
            .search_available_phone_numbers()
            .area_code(area)
            .country("US")
            .send()
    };
    assert!(search("212").await.unwrap().e164_phone_numbers().is_empty());
    assert_eq!(
        search("646").await.unwrap().e164_phone_numbers()[0],
        "+16465550100"
    );
    let err = chime
        .get_sip_rule()
        .sip_rule_id("nope")
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        aws_sdk_chimesdkvoice::error::ProvideErrorMetadata::code(&err),
        Some("NotFoundException")
    );

    // GET /_fake/state lists the calls.
    let addr = url.trim_start_matches("http://");
    let mut s = std::net::TcpStream::connect(addr).unwrap();
    write!(
        s,
        "GET /_fake/state HTTP/1.1\r\nhost: {addr}\r\nconnection: close\r\n\r\n"
    )
    .unwrap();
    // The fake keeps connections open: read the head, then Content-Length bytes.
    let mut reader = BufReader::new(s);
    let mut length = 0;
    loop {
        let mut header = String::new();
        reader.read_line(&mut header).unwrap();
        if header.trim().is_empty() {
            break;
        }
        if let Some(v) = header.to_ascii_lowercase().strip_prefix("content-length:") {
            length = v.trim().parse().unwrap();
        }
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body).unwrap();
    let body = String::from_utf8(body).unwrap();
    let state: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(
        state["Calls"],
        serde_json::json!([
            "SearchAvailablePhoneNumbers",
            "SearchAvailablePhoneNumbers",
            "GetSipRule"
        ])
    );
}
