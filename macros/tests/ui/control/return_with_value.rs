use switchboard::prelude::*;

#[call_flow(name = "menu")]
fn menu(_call: &Call) {
    speak("Hello.");
    return 5;
}

fn main() {}
