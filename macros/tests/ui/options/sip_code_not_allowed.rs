use switchboard::prelude::*;

#[call_flow(name = "menu")]
fn menu(_call: &Call) {
    hangup().sip_code(404);
}

fn main() {}
