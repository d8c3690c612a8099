//! `Custom::PhoneNumber`: order a number by area code (search → order → poll the order), or adopt
//! one the account has; release on Delete only a number this provider ordered.
//!
//! APIs: SearchAvailablePhoneNumbers, CreatePhoneNumberOrder, GetPhoneNumberOrder, GetPhoneNumber,
//! UpdatePhoneNumber, DeletePhoneNumber
//! (<https://docs.aws.amazon.com/chime-sdk/latest/APIReference/API_Operations_Amazon_Chime_SDK_Voice.html>).

use std::time::Duration;

use aws_sdk_chimesdkvoice::types::{
    OrderedPhoneNumberStatus, PhoneNumberAssociationName, PhoneNumberOrder, PhoneNumberOrderStatus,
    PhoneNumberProductType, PhoneNumberType,
};
use serde_json::{Map, Value};

use crate::cfn::Continuation;
use crate::handler::{now_ms, Ctx, Done, Provider, Step, Stop};
use crate::props::{PhoneNumber, PhysicalId, Source};
use crate::retry::{Failure, Idempotent};

fn data(number: &str, adopted: bool) -> Map<String, Value> {
    let mut m = Map::new();
    m.insert("Number".into(), Value::from(number));
    m.insert("Adopted".into(), Value::from(adopted.to_string()));
    m
}

fn done(number: &str, adopted: bool) -> Done {
    Done {
        physical_id: if adopted {
            number.to_owned()
        } else {
            PhysicalId::ordered(number)
        },
        data: data(number, adopted),
    }
}

/// The number of a physical id this provider returned for a phone number, and whether it ordered it.
fn number_of(id: &PhysicalId) -> Option<(&str, bool)> {
    match id {
        PhysicalId::Ordered(n) => Some((n, false)),
        PhysicalId::Other(n) => Some((n, true)),
        _ => None,
    }
}

impl Provider {
    /// Create, or Update (`update` = the physical id and properties before).
    pub(crate) async fn put_number(
        &self,
        cx: &mut Ctx<'_>,
        p: &PhoneNumber,
        update: Option<(&PhysicalId, &PhoneNumber)>,
    ) -> Step {
        if let Some(c) = cx.req.continuation.clone() {
            return self.wait_for_order(cx, c).await;
        }
        if let Some((id, old)) = update {
            if let (Some((number, adopted)), true) = (number_of(id), old.source == p.source) {
                // Same number: only ProductType or Name may have changed.
                if adopted {
                    return self.adopt(cx, number, p).await;
                }
                if old.product_type != p.product_type || old.name != p.name {
                    let product = PhoneNumberProductType::from(p.product_type.as_str());
                    self.call(cx, "UpdatePhoneNumber", Idempotent::Yes, || {
                        self.chime
                            .update_phone_number()
                            .phone_number_id(number)
                            .product_type(product.clone())
                            .set_name(p.name.clone())
                            .send()
                    })
                    .await?;
                }
                return Ok(done(number, false));
            }
            // A different number: a replacement. CloudFormation deletes the old one only after
            // the whole stack update succeeded, so a failed update never releases it.
        }
        match &p.source {
            Source::Number(n) => self.adopt(cx, n, p).await,
            Source::AreaCode(a) => self.order(cx, a, p).await,
        }
    }

    /// Adopts `number`: it must be in the account with the product type asked for.
    async fn adopt(&self, cx: &mut Ctx<'_>, number: &str, p: &PhoneNumber) -> Step {
        let got = self
            .call(cx, "GetPhoneNumber", Idempotent::Yes, || {
                self.chime.get_phone_number().phone_number_id(number).send()
            })
            .await;
        let got = match got {
            Err(Failure::NotFound(_)) => {
                return Err(Stop::Fail(format!(
                    "the number {number} is not in this AWS account's Chime SDK phone numbers \
                     (Region {}): order a new one with --area-code, or write a number the account \
                     has (`aws chime-sdk-voice list-phone-numbers`)",
                    self.chime.config().region().map_or("?", |r| r.as_ref())
                )))
            }
            other => other?,
        };
        let product = got
            .phone_number()
            .and_then(|n| n.product_type())
            .map_or("none", |t| t.as_str());
        if product != p.product_type {
            return Err(Stop::Fail(format!(
                "the number {number} has ProductType {product}, not {}: change it with `aws \
                 chime-sdk-voice update-phone-number --phone-number-id {number} --product-type {}`, \
                 or adopt another number",
                p.product_type, p.product_type
            )));
        }
        Ok(done(number, true))
    }

    /// Searches `area` and orders the first number found, then waits for the order.
    async fn order(&self, cx: &mut Ctx<'_>, area: &str, p: &PhoneNumber) -> Step {
        let found = self
            .call(cx, "SearchAvailablePhoneNumbers", Idempotent::Yes, || {
                self.chime
                    .search_available_phone_numbers()
                    .area_code(area)
                    .country("US")
                    .phone_number_type(PhoneNumberType::Local)
                    .max_results(1)
                    .send()
            })
            .await?;
        let Some(number) = found.e164_phone_numbers().first().cloned() else {
            return Err(Stop::Fail(format!(
                "no numbers available in area code {area}: try another --area-code or adopt one \
                 with --number"
            )));
        };
        let product = PhoneNumberProductType::from(p.product_type.as_str());
        let order = self
            .call(cx, "CreatePhoneNumberOrder", Idempotent::No, || {
                self.chime
                    .create_phone_number_order()
                    .product_type(product.clone())
                    .e164_phone_numbers(&number)
                    .set_name(p.name.clone())
                    .send()
            })
            .await?;
        let Some(order_id) = order
            .phone_number_order()
            .and_then(|o| o.phone_number_order_id())
        else {
            return Err(Stop::Fail(format!(
                "CreatePhoneNumberOrder for {number} answered without an order id: see the orders \
                 with `aws chime-sdk-voice list-phone-number-orders` and release {number} if it \
                 was ordered"
            )));
        };
        let c = Continuation {
            order_id: order_id.to_owned(),
            number,
            started_ms: now_ms(),
            handovers: 0,
        };
        self.wait_for_order(cx, c).await
    }

    /// Polls the order with backoff until it ends, handing over when this invocation runs short.
    async fn wait_for_order(&self, cx: &mut Ctx<'_>, c: Continuation) -> Step {
        let s = self.settings.clone();
        let pending = PhysicalId::pending(&c.order_id, &c.number);
        for attempt in 0.. {
            let order = self.get_order(cx, &c.order_id).await.map_err(|f| {
                Stop::FailAs(
                    pending.clone(),
                    format!(
                        "{} (phone number order {} for {})",
                        f.message(),
                        c.order_id,
                        c.number
                    ),
                )
            })?;
            let status = order.status().map_or("unknown", |s| s.as_str());
            match order.status() {
                Some(PhoneNumberOrderStatus::Successful | PhoneNumberOrderStatus::Partial) => {
                    if acquired(&order, &c.number) {
                        return Ok(done(&c.number, false));
                    }
                    return Err(Stop::Fail(format!(
                        "phone number order {} ended {status} without {}: {}; try another \
                         --area-code or adopt a number with --number",
                        c.order_id,
                        c.number,
                        ordered_numbers(&order)
                    )));
                }
                Some(
                    PhoneNumberOrderStatus::Failed
                    | PhoneNumberOrderStatus::Cancelled
                    | PhoneNumberOrderStatus::Exception,
                ) => {
                    return Err(Stop::Fail(format!(
                        "phone number order {} for {} ended {status}: {}; try another --area-code \
                         or adopt a number with --number",
                        c.order_id,
                        c.number,
                        ordered_numbers(&order)
                    )));
                }
                _ => {}
            }
            let waited = Duration::from_millis(now_ms().saturating_sub(c.started_ms));
            if waited >= s.give_up_after {
                return Err(Stop::FailAs(
                    pending,
                    format!(
                        "phone number order {} for {} is still {status} after {} minutes; it may \
                         still complete: the stack's rollback releases the number if it has, else \
                         see the order with `aws chime-sdk-voice get-phone-number-order \
                         --phone-number-order-id {}`",
                        c.order_id,
                        c.number,
                        waited.as_secs() / 60,
                        c.order_id
                    ),
                ));
            }
            let delay = s.order_poll.delay(attempt);
            if cx.inv.remaining() < delay + s.reserve {
                return Err(Stop::HandOver(Continuation {
                    handovers: c.handovers + 1,
                    ..c
                }));
            }
            tokio::time::sleep(delay).await;
        }
        unreachable!("the poll loop only ends by returning")
    }

    async fn get_order(
        &self,
        cx: &mut Ctx<'_>,
        order_id: &str,
    ) -> Result<PhoneNumberOrder, Failure> {
        let got = self
            .call(cx, "GetPhoneNumberOrder", Idempotent::Yes, || {
                self.chime
                    .get_phone_number_order()
                    .phone_number_order_id(order_id)
                    .send()
            })
            .await?;
        got.phone_number_order().cloned().ok_or_else(|| {
            Failure::Failed(format!(
                "GetPhoneNumberOrder {order_id} answered without the order"
            ))
        })
    }

    /// Delete: releases a number this provider ordered; leaves an adopted one alone.
    pub(crate) async fn delete_number(&self, cx: &mut Ctx<'_>, id: &PhysicalId) -> Step {
        let unchanged = Done {
            physical_id: cx.req.physical_resource_id.clone().unwrap_or_default(),
            data: Map::new(),
        };
        match id {
            PhysicalId::Ordered(number) => {
                self.release(cx, number).await?;
                Ok(unchanged)
            }
            PhysicalId::Pending { order_id, number } => {
                let order = match self.get_order(cx, order_id).await {
                    Err(Failure::NotFound(_)) => return Ok(unchanged),
                    other => other?,
                };
                match order.status() {
                    Some(PhoneNumberOrderStatus::Successful | PhoneNumberOrderStatus::Partial)
                        if acquired(&order, number) =>
                    {
                        self.release(cx, number).await?;
                        Ok(unchanged)
                    }
                    Some(
                        PhoneNumberOrderStatus::Successful
                        | PhoneNumberOrderStatus::Partial
                        | PhoneNumberOrderStatus::Failed
                        | PhoneNumberOrderStatus::Cancelled
                        | PhoneNumberOrderStatus::Exception,
                    ) => Ok(unchanged),
                    other => Err(Stop::Fail(format!(
                        "phone number order {order_id} for {number} is still {}: the number may \
                         still be ordered, so it cannot be released yet; retry the delete later",
                        other.map_or("unknown", |s| s.as_str())
                    ))),
                }
            }
            // Adopted (never released), or a failed Create (handled before any call).
            PhysicalId::Other(_) | PhysicalId::Failed(_) => Ok(unchanged),
        }
    }

    /// DeletePhoneNumber, retried while the number is still associated with a SIP rule (the rule
    /// is deleted first when both go in one stack operation, but its deletion may still be in
    /// progress), for at most `in_use_for`.
    async fn release(&self, cx: &mut Ctx<'_>, number: &str) -> Result<(), Stop> {
        let s = self.settings.clone();
        let started = now_ms();
        // A rule whose deletion ends between the failed delete and the question below leaves
        // no association: the delete is tried once more before the failure is final.
        let mut unexplained = 0;
        for attempt in 0.. {
            let e = match self
                .call(cx, "DeletePhoneNumber", Idempotent::Yes, || {
                    self.chime
                        .delete_phone_number()
                        .phone_number_id(number)
                        .send()
                })
                .await
            {
                Ok(_) | Err(Failure::NotFound(_)) => return Ok(()),
                Err(Failure::Failed(e)) => e,
            };
            // Which SIP rules still hold the number? (Asked, rather than read from the error's
            // text, which the API does not document.)
            let rules = match self
                .call(cx, "GetPhoneNumber", Idempotent::Yes, || {
                    self.chime.get_phone_number().phone_number_id(number).send()
                })
                .await
            {
                Ok(got) => got
                    .phone_number()
                    .map(|n| n.associations())
                    .unwrap_or_default()
                    .iter()
                    .filter(|a| a.name() == Some(&PhoneNumberAssociationName::SipRuleId))
                    .filter_map(|a| a.value().map(str::to_owned))
                    .collect::<Vec<_>>(),
                Err(Failure::NotFound(_)) => return Ok(()),
                Err(Failure::Failed(_)) => Vec::new(),
            };
            if rules.is_empty() && unexplained == 0 {
                unexplained += 1;
                continue;
            }
            if rules.is_empty() {
                return Err(Stop::Fail(format!(
                    "{e}: the number {number} stays in the account (and is billed) until it is \
                     released: release it with `aws chime-sdk-voice delete-phone-number \
                     --phone-number-id {number}`"
                )));
            }
            let delay = s.in_use_poll.delay(attempt);
            let waited = Duration::from_millis(now_ms().saturating_sub(started));
            if waited + delay > s.in_use_for || cx.inv.remaining() < delay + s.reserve {
                return Err(Stop::Fail(format!(
                    "the number {number} is still associated with SIP rule {} after {} s, so it \
                     cannot be released: delete that SIP rule first (`aws chime-sdk-voice \
                     update-sip-rule --disabled` then `delete-sip-rule --sip-rule-id {}`), then \
                     delete again",
                    rules.join(", "),
                    waited.as_secs(),
                    rules[0]
                )));
            }
            tokio::time::sleep(delay).await;
        }
        unreachable!("the release loop only ends by returning")
    }
}

/// Whether `order` acquired `number`.
fn acquired(order: &PhoneNumberOrder, number: &str) -> bool {
    order.ordered_phone_numbers().iter().any(|n| {
        n.e164_phone_number() == Some(number)
            && n.status() == Some(&OrderedPhoneNumberStatus::Acquired)
    })
}

/// "ordered numbers: +1… Failed, …" for messages.
fn ordered_numbers(order: &PhoneNumberOrder) -> String {
    let list: Vec<String> = order
        .ordered_phone_numbers()
        .iter()
        .map(|n| {
            format!(
                "{} {}",
                n.e164_phone_number().unwrap_or("?"),
                n.status().map_or("unknown", |s| s.as_str())
            )
        })
        .collect();
    if list.is_empty() {
        "no ordered numbers reported".to_owned()
    } else {
        format!("ordered numbers: {}", list.join(", "))
    }
}
