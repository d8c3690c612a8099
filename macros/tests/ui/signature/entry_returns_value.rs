use switchboard::prelude::*;

#[call_flow(name = "menu")]
fn menu(_call: &Call) -> i64 {
    speak("Hello.");
    1
}

fn main() {}
