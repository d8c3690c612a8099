use switchboard::prelude::*;

#[call_flow(name = "menu")]
fn menu(_call: &Call) {
    match call_and_bridge(pstn("+12065550100")) {
        Err(e) => speak("Sorry."),
    }
}

fn main() {}
