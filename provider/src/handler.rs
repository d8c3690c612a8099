//! One custom-resource request, from the Lambda event to the one response: parse, validate,
//! dispatch to the resource's Create/Update/Delete, then either respond to CloudFormation or hand
//! the wait over to a new invocation of this function, and log one JSON line.
//!
//! Long waits: a phone number order may stay "Processing" for minutes and one invocation lasts at
//! most 15 minutes. The order is polled until the invocation's remaining time (its deadline from
//! the Lambda context) is short of the next poll plus [`Settings::reserve`]; then the function
//! invokes itself asynchronously (`InvocationType=Event`) with the same event plus the order id
//! (a [`Continuation`]) and does not respond: the last invocation does. The whole wait is bounded
//! by [`Settings::give_up_after`], below the `ServiceTimeout` the template sets
//! ([`crate::SERVICE_TIMEOUT_SECONDS`]).

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use aws_sdk_lambda::primitives::Blob;
use aws_sdk_lambda::types::InvocationType;
use serde_json::{json, Map, Value};

use crate::cfn::{Continuation, Request, RequestType, Response, Status};
use crate::props::{self, PhysicalId, Resource};
use crate::respond::Responder;
use crate::retry::{self, Backoff, Failure, Idempotent};
use crate::{PSTN_AUDIO_REGIONS, PSTN_AUDIO_REGIONS_DOC};

/// The timing of retries and waits.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Between attempts of a throttled or failed call.
    pub retry: Backoff,
    /// Attempts of one call before giving up.
    pub attempts: u32,
    /// Between polls of a phone number order.
    pub order_poll: Backoff,
    /// Between attempts to release a number still associated with a SIP rule.
    pub in_use_poll: Backoff,
    /// How long to keep trying to release a number still associated with a SIP rule.
    pub in_use_for: Duration,
    /// Time kept before the invocation's deadline to hand over or respond.
    pub reserve: Duration,
    /// The longest wait for a phone number order, across invocations.
    pub give_up_after: Duration,
    /// Between attempts of the PUT to the `ResponseURL`.
    pub respond_retry: Backoff,
    pub respond_attempts: u32,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            retry: Backoff {
                first: Duration::from_secs(1),
                cap: Duration::from_secs(20),
            },
            attempts: 8,
            order_poll: Backoff {
                first: Duration::from_secs(2),
                cap: Duration::from_secs(30),
            },
            in_use_poll: Backoff {
                first: Duration::from_secs(2),
                cap: Duration::from_secs(20),
            },
            in_use_for: Duration::from_secs(300),
            reserve: Duration::from_secs(60),
            give_up_after: Duration::from_secs(55 * 60),
            respond_retry: Backoff {
                first: Duration::from_secs(1),
                cap: Duration::from_secs(8),
            },
            respond_attempts: 5,
        }
    }
}

/// What the Lambda context says about this invocation.
#[derive(Debug, Clone)]
pub struct Invocation {
    /// The invocation's deadline, milliseconds since the Unix epoch.
    pub deadline_ms: u64,
    /// This function's ARN, to invoke it again.
    pub function_arn: String,
}

impl Invocation {
    pub fn remaining(&self) -> Duration {
        Duration::from_millis(self.deadline_ms.saturating_sub(now_ms()))
    }
}

pub(crate) fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}

/// How a request ended.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// Answered CloudFormation with this response.
    Responded(Response),
    /// Handed over to a new invocation, which got this continuation.
    HandedOver(Continuation),
}

/// The end of one operation: done, or stopped.
pub(crate) type Step = Result<Done, Stop>;

/// A successful operation: the physical id and `Data`.
#[derive(Debug)]
pub(crate) struct Done {
    pub physical_id: String,
    pub data: Map<String, Value>,
}

/// An operation that did not finish in this invocation.
#[derive(Debug)]
pub(crate) enum Stop {
    /// FAILED with this reason (and the physical id the request type implies).
    Fail(String),
    /// FAILED with this physical id (e.g. a Create that placed an order it could not see end).
    FailAs(String, String),
    /// Continue in a new invocation.
    HandOver(Continuation),
}

impl From<Failure> for Stop {
    fn from(f: Failure) -> Self {
        Stop::Fail(f.message().to_owned())
    }
}

/// The provider: its clients and settings.
pub struct Provider {
    pub(crate) chime: aws_sdk_chimesdkvoice::Client,
    lambda: aws_sdk_lambda::Client,
    /// The Region the clients call (the stack's).
    region: Option<String>,
    pub(crate) settings: Settings,
    responder: Responder,
}

/// What one request did, for its log line.
#[derive(Debug, Default)]
pub(crate) struct Trail {
    pub retries: u32,
}

pub(crate) struct Ctx<'a> {
    pub req: &'a Request,
    pub inv: &'a Invocation,
    pub trail: Trail,
}

impl Provider {
    pub fn new(
        chime: aws_sdk_chimesdkvoice::Client,
        lambda: aws_sdk_lambda::Client,
        region: Option<String>,
        settings: Settings,
    ) -> Result<Provider, String> {
        let responder = Responder::new(settings.respond_attempts, settings.respond_retry)?;
        Ok(Provider {
            chime,
            lambda,
            region,
            settings,
            responder,
        })
    }

    /// Handles one Lambda event: exactly one response to CloudFormation, or a hand-over. `Err`
    /// only when no response could be sent (no `ResponseURL`, or the PUT failed every attempt).
    pub async fn handle(&self, event: &Value, inv: &Invocation) -> Result<Outcome, String> {
        let req = match Request::parse(event) {
            Ok(r) => r,
            Err(e) => {
                log(json!({"Error": e}));
                return Err(e);
            }
        };
        let mut cx = Ctx {
            req: &req,
            inv,
            trail: Trail::default(),
        };
        let step = self.run(&mut cx).await;
        let retries = cx.trail.retries;
        let mut line = json!({
            "RequestType": req.request_type,
            "ResourceType": req.resource_type,
            "LogicalResourceId": req.logical_resource_id,
            "RequestId": req.request_id,
            "Retries": retries,
        });
        let response = match step {
            Ok(done) => Response::to(
                &req,
                Status::Success,
                done.physical_id,
                None,
                Some(done.data),
            ),
            Err(Stop::HandOver(c)) => match self.hand_over(event, inv, &c, &mut cx.trail).await {
                Ok(()) => {
                    line["HandedOver"] = json!(c);
                    log(line);
                    return Ok(Outcome::HandedOver(c));
                }
                Err(e) => {
                    let id = PhysicalId::pending(&c.order_id, &c.number);
                    Response::to(&req, Status::Failed, id, Some(e), None)
                }
            },
            Err(Stop::Fail(reason)) => {
                let id = self.failed_id(&req);
                Response::to(&req, Status::Failed, id, Some(reason), None)
            }
            Err(Stop::FailAs(id, reason)) => {
                Response::to(&req, Status::Failed, id, Some(reason), None)
            }
        };
        line["Status"] = json!(response.status);
        line["PhysicalResourceId"] = json!(response.physical_resource_id);
        if let Some(r) = &response.reason {
            line["Reason"] = json!(r);
        }
        let sent = self.responder.put(&req.response_url, response.body()).await;
        if let Err(e) = &sent {
            line["ResponseError"] = json!(e);
        }
        log(line);
        sent.map(|()| Outcome::Responded(response))
    }

    /// The physical id of a FAILED answer: a failed Create gets a recognisable id of its own (its
    /// Delete then calls nothing); an Update or a Delete keeps the one it was sent.
    fn failed_id(&self, req: &Request) -> String {
        match (&req.request_type, &req.physical_resource_id) {
            (RequestType::Create, _) | (_, None) => PhysicalId::failed(&req.request_id),
            (_, Some(id)) => id.clone(),
        }
    }

    async fn run(&self, cx: &mut Ctx<'_>) -> Step {
        let req = cx.req;
        let old_id = req.physical_resource_id.as_deref().map(PhysicalId::parse);
        if req.request_type == RequestType::Delete {
            if let Some(PhysicalId::Failed(_)) = old_id {
                return Ok(Done {
                    physical_id: req.physical_resource_id.clone().unwrap_or_default(),
                    data: Map::new(),
                });
            }
        }
        match self.region.as_deref() {
            Some(r) if PSTN_AUDIO_REGIONS.contains(&r) => {}
            other => {
                return Err(Stop::Fail(format!(
                "the stack is in {}, where the Amazon Chime SDK PSTN audio service does not run: \
                     deploy it in one of {} (see {PSTN_AUDIO_REGIONS_DOC})",
                other.unwrap_or("no Region"),
                PSTN_AUDIO_REGIONS.join(", ")
            )))
            }
        }
        if req.request_type == RequestType::Delete {
            let old_id = old_id.unwrap_or(PhysicalId::Other(String::new()));
            return match req.resource_type.as_str() {
                props::PHONE_NUMBER => self.delete_number(cx, &old_id).await,
                props::SIP_MEDIA_APPLICATION => self.delete_sma(cx, &old_id).await,
                props::SIP_RULE => self.delete_rule(cx, &old_id).await,
                other => Err(Stop::Fail(format!(
                    "unknown resource type {other:?}: this provider handles {}, {} and {}",
                    props::PHONE_NUMBER,
                    props::SIP_MEDIA_APPLICATION,
                    props::SIP_RULE
                ))),
            };
        }
        let resource =
            props::parse(&req.resource_type, &req.resource_properties).map_err(Stop::Fail)?;
        // The properties before an Update; unreadable ones count as changed (a replacement).
        let old = match (&req.old_resource_properties, req.request_type) {
            (Some(p), RequestType::Update) => props::parse(&req.resource_type, p).ok(),
            _ => None,
        };
        let update = match (req.request_type, old_id) {
            (RequestType::Update, Some(id)) => Some(id),
            _ => None,
        };
        match resource {
            Resource::PhoneNumber(p) => {
                let old = match old {
                    Some(Resource::PhoneNumber(o)) => Some(o),
                    _ => None,
                };
                self.put_number(cx, &p, update.as_ref().zip(old.as_ref()))
                    .await
            }
            Resource::SipMediaApplication(p) => {
                let old = match old {
                    Some(Resource::SipMediaApplication(o)) => Some(o),
                    _ => None,
                };
                self.put_sma(cx, &p, update.as_ref().zip(old.as_ref()))
                    .await
            }
            Resource::SipRule(p) => {
                let old = match old {
                    Some(Resource::SipRule(o)) => Some(o),
                    _ => None,
                };
                self.put_rule(cx, &p, update.as_ref().zip(old.as_ref()))
                    .await
            }
        }
    }

    /// Invokes this function again, asynchronously, with `event` plus `c`.
    async fn hand_over(
        &self,
        event: &Value,
        inv: &Invocation,
        c: &Continuation,
        trail: &mut Trail,
    ) -> Result<(), String> {
        let payload = serde_json::to_vec(&Request::continued(event, c)).unwrap_or_default();
        let s = &self.settings;
        retry::call(
            "Invoke",
            Idempotent::No,
            s.retry,
            s.attempts,
            &mut trail.retries,
            || {
                self.lambda
                    .invoke()
                    .function_name(&inv.function_arn)
                    .invocation_type(InvocationType::Event)
                    .payload(Blob::new(payload.clone()))
                    .send()
            },
        )
        .await
        .map(|_| ())
        .map_err(|f| {
            format!(
                "phone number order {} for {} is still in progress and the provider could not \
                 continue waiting in a new invocation: {}; the order may still complete: see it \
                 with `aws chime-sdk-voice get-phone-number-order --phone-number-order-id {}`",
                c.order_id,
                c.number,
                f.message(),
                c.order_id
            )
        })
    }

    /// Calls a Chime SDK Voice operation with this provider's retries.
    pub(crate) async fn call<T, E, F, Fut>(
        &self,
        cx: &mut Ctx<'_>,
        op: &str,
        idempotent: Idempotent,
        f: F,
    ) -> Result<T, Failure>
    where
        E: aws_sdk_chimesdkvoice::error::ProvideErrorMetadata + std::error::Error + 'static,
        F: FnMut() -> Fut,
        Fut: std::future::Future<
            Output = Result<
                T,
                aws_sdk_chimesdkvoice::error::SdkError<
                    E,
                    aws_sdk_chimesdkvoice::config::http::HttpResponse,
                >,
            >,
        >,
    {
        let s = &self.settings;
        retry::call(
            op,
            idempotent,
            s.retry,
            s.attempts,
            &mut cx.trail.retries,
            f,
        )
        .await
    }
}

/// One JSON line on standard output (CloudWatch Logs on Lambda).
fn log(line: Value) {
    println!("{line}");
}
