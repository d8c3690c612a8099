use switchboard::prelude::*;

#[call_flow(name = "menu")]
fn menu(_call: &Call) {
    let Ok(d) = speak_and_get_digits("Press a key.") else {
        return;
    };
    speak("Thanks.");
}

fn main() {}
