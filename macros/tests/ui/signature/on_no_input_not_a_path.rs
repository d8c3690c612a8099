use switchboard::prelude::*;

#[call_flow(name = "menu", on_no_input = "goodbye")]
fn menu(_call: &Call) {
    let choice = speak_and_get_digits("Press 1.").digits(1..=1);
    if choice.digits == "1" {
        speak("One.");
    }
}

fn main() {}
