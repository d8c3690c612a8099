//! The entry flow: one Choice sends the call down one of four paths.

use super::config::BusinessPhone;
use super::customer::{customer_closed, customer_open};
use super::hours::open_now;
use super::owner::owner_call;
use super::scheduled::scheduled_call;
use switchboard::prelude::*;

/// Which path a call takes: `"scheduled"` (an outbound call EventBridge Scheduler placed),
/// `"owner"` (the owner's phone calling in; the PIN comes next), `"open"` or `"closed"` (a
/// customer, by the opening hours). One expression, so the entry is a single Choice state.
#[track_caller]
#[value]
pub fn route(call: &Call, cfg: &BusinessPhone) -> Val {
    if call.direction == "Outbound" {
        "scheduled"
    } else if call.from == cfg.owner {
        "owner"
    } else if open_now(cfg) {
        "open"
    } else {
        "closed"
    }
}

/// The business phone number: customers reach the owner during opening hours and leave
/// messages otherwise; the owner (with a PIN) hears messages, calls customers through the
/// business number and schedules calls; scheduled calls ring the owner, then the customer.
#[call_flow(name = "business-phone")]
pub fn business_phone(call: &Call, cfg: &BusinessPhone) {
    match route(call, cfg).as_str() {
        "scheduled" => scheduled_call(call, cfg),
        "owner" => owner_call(call, cfg),
        "open" => customer_open(call, cfg),
        _ => customer_closed(call, cfg),
    }
}
