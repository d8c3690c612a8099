use switchboard::prelude::*;

#[call_flow(name = "menu")]
fn menu(_call: &Call) {
    let n: i64 = 3;
    speak("Hello.");
}

fn main() {}
