use switchboard::prelude::*;

#[call_flow(name = "menu")]
fn menu(_call: &Call) {
    let d = speak_and_get_digits("Press 1 or 2.").digits(1..=1);
    // Rust never reaches "1" after `_`: the flow must not either.
    let choice = match d.digits.as_str() {
        _ => "other",
        "1" => "sales",
    };
    speak(choice);
}

fn main() {}
