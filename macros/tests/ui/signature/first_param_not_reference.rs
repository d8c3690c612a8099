use switchboard::prelude::*;

#[call_flow(name = "menu")]
fn menu(_call: Call) {
    speak("Hello.");
}

fn main() {}
