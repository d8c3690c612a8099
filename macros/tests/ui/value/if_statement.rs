use switchboard::prelude::*;

#[value]
fn label(digits: Val) -> Val {
    if digits == "1" {
        speak("Sales.");
    }
    digits
}

fn main() {}
