use switchboard::prelude::*;

#[call_flow(name = "menu")]
fn menu(_call: &Call) {
    'outer: loop {
        speak("Hello.");
        break;
    }
}

fn main() {}
