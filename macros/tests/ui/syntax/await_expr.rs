use switchboard::prelude::*;

#[call_flow(name = "menu")]
fn menu(_call: &Call) {
    let d = speak_and_get_digits("Press a key.").await;
    speak("Thanks.");
}

fn main() {}
