use switchboard::prelude::*;

#[call_flow(name = "menu")]
fn menu(_call: &Call) {
    call_and_bridge(pstn("+12065550100")).caller_id("555-0100");
}

fn main() {}
