//! Sends the response to CloudFormation: an HTTP PUT of the JSON body to the pre-signed S3
//! `ResponseURL`
//! (<https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/crpg-ref-responses.html>),
//! with an empty `Content-Type` as AWS's own `cfn-response` module sends it (the URL is signed
//! without one), retried a few times on network errors and 5xx answers. A PUT repeated after a
//! lost answer writes the same object again, so a retry never makes a second, different response.

use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper_rustls::HttpsConnector;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;

use crate::retry::Backoff;

/// The HTTP(S) client for `ResponseURL`s (plain HTTP too, for local tests).
#[derive(Clone)]
pub struct Responder {
    client: Client<HttpsConnector<HttpConnector>, Full<Bytes>>,
    attempts: u32,
    backoff: Backoff,
}

impl Responder {
    /// A client trusting the system's root certificates (Amazon Linux's CA bundle on Lambda).
    pub fn new(attempts: u32, backoff: Backoff) -> Result<Responder, String> {
        let https = hyper_rustls::HttpsConnectorBuilder::new()
            .with_provider_and_native_roots(rustls::crypto::aws_lc_rs::default_provider())
            .map_err(|e| format!("loading the system's root certificates: {e}"))?
            .https_or_http()
            .enable_http1()
            .build();
        Ok(Responder {
            client: Client::builder(TokioExecutor::new()).build(https),
            attempts: attempts.max(1),
            backoff,
        })
    }

    /// PUTs `body` to `url`; `Ok` once the URL answered 2xx, else the last problem.
    pub async fn put(&self, url: &str, body: Vec<u8>) -> Result<(), String> {
        let body = Bytes::from(body);
        let mut last = String::new();
        for attempt in 0..self.attempts {
            if attempt > 0 {
                tokio::time::sleep(self.backoff.delay(attempt - 1)).await;
            }
            let request = http::Request::put(url)
                .header(http::header::CONTENT_TYPE, "")
                .header(http::header::CONTENT_LENGTH, body.len())
                .body(Full::new(body.clone()))
                .map_err(|e| format!("ResponseURL {url:?} is not a URL: {e}"))?;
            match tokio::time::timeout(Duration::from_secs(30), self.client.request(request)).await
            {
                Ok(Ok(resp)) if resp.status().is_success() => return Ok(()),
                Ok(Ok(resp)) => {
                    let status = resp.status();
                    let text = resp
                        .into_body()
                        .collect()
                        .await
                        .map(|b| String::from_utf8_lossy(&b.to_bytes()).into_owned())
                        .unwrap_or_default();
                    last = format!("ResponseURL answered {status}: {text}");
                    if status.is_client_error() {
                        // Expired or refused: sending the same again cannot help.
                        return Err(last);
                    }
                }
                Ok(Err(e)) => last = format!("PUT to ResponseURL failed: {e}"),
                Err(_) => last = "PUT to ResponseURL timed out after 30 s".to_owned(),
            }
        }
        Err(format!("{last} (after {} attempts)", self.attempts))
    }
}
