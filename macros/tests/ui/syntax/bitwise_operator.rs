use switchboard::prelude::*;

#[call_flow(name = "menu")]
fn menu(_call: &Call) {
    let mut n = 6;
    n = n & 3;
    speak("Hello.");
}

fn main() {}
