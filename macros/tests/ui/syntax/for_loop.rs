use switchboard::prelude::*;

#[call_flow(name = "menu")]
fn menu(_call: &Call) {
    for i in 0..3 {
        speak("Hello.");
    }
}

fn main() {}
