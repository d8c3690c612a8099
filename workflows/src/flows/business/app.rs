//! The entry flow: who is calling, and is it open? One decision sends the call down one of four
//! paths (the compiler makes the `if` chain one Choice state: `compiler/src/opt/`).

use super::config::BusinessPhone;
use super::customer::{customer_closed, customer_open};
use super::hours::open_now;
use super::owner::owner_call;
use super::scheduled::scheduled_call;
use switchboard::prelude::*;

/// The business phone number: customers reach the owner during opening hours and leave
/// messages otherwise; the owner (with a PIN) hears messages, calls customers through the
/// business number and schedules calls; scheduled calls ring the owner, then the customer.
#[call_flow(name = "business-phone")]
pub fn business_phone(call: &Call, cfg: &BusinessPhone) {
    if call.direction == "Outbound" {
        // EventBridge Scheduler placed this call.
        scheduled_call(call, cfg);
    } else if call.from == cfg.owner {
        // The owner's phone calling in; the PIN comes next.
        owner_call(call, cfg);
    } else if open_now(cfg) {
        customer_open(call, cfg);
    } else {
        customer_closed(call, cfg);
    }
}
