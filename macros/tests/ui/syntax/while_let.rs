use switchboard::prelude::*;

#[call_flow(name = "menu")]
fn menu(_call: &Call) {
    while let Ok(d) = speak_and_get_digits("Press a key.") {
        speak("Again.");
    }
}

fn main() {}
