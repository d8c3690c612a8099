use switchboard::prelude::*;

#[call_flow(name = "menu")]
fn menu(_call: &Call) {
    let d = speak_and_get_digits("Press a key.");
    match d.digits.as_str() {
        _ => speak("Other."),
        "1" => speak("One."),
    }
}

fn main() {}
