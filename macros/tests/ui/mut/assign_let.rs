use switchboard::prelude::*;

#[call_flow(name = "menu")]
fn menu(call: &Call) {
    let caller = call.from;
    if caller == "anonymous" {
        caller = "someone";
    }
    speak(format!("Hello {}.", caller));
}

fn main() {}
