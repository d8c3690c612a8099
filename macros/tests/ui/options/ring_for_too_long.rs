use switchboard::prelude::*;

#[call_flow(name = "menu")]
fn menu(_call: &Call) {
    call_and_bridge(pstn("+12065550100")).ring_for(500);
}

fn main() {}
