use switchboard::prelude::*;

#[call_flow(name = "menu")]
fn menu(_call: &Call) {
    call_and_bridge(pstn("12345")).ring_for(30);
}

fn main() {}
