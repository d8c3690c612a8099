use switchboard::prelude::*;

#[call_flow(name = "menu")]
fn menu(_call: &Call, _a: &(), _b: &()) {
    speak("Hello.");
}

fn main() {}
