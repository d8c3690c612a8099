use switchboard::prelude::*;

#[call_flow(name = "Front Desk")]
fn menu(_call: &Call) {
    speak("Hello.");
}

fn main() {}
