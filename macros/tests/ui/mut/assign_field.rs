use switchboard::prelude::*;

#[call_flow(name = "menu")]
fn menu(_call: &Call) {
    let choice = speak_and_get_digits("Press 1 or 2.").digits(1..=1);
    choice.digits = "1";
    speak(choice.digits);
}

fn main() {}
