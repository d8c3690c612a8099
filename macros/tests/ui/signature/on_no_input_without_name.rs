use switchboard::prelude::*;

#[call_flow(on_no_input = goodbye)]
fn menu(_call: &Call) {
    speak("Hello.");
}

fn main() {}
