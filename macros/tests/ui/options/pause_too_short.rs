use switchboard::prelude::*;

#[call_flow(name = "menu")]
fn menu(_call: &Call) {
    pause(10);
}

fn main() {}
