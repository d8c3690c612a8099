use switchboard::prelude::*;

#[call_flow(nam = "menu")]
fn menu(_call: &Call) {
    speak("Hello.");
}

fn main() {}
