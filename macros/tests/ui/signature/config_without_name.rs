use switchboard::prelude::*;

#[call_flow(config = "biz")]
fn greet(_call: &Call) {
    speak("Hello.");
}

fn main() {}
