use switchboard::prelude::*;

#[call_flow(name = "menu")]
fn menu<T>(_call: &Call) {
    speak("Hello.");
}

fn main() {}
