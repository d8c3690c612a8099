use switchboard::prelude::*;

#[call_flow(name = "menu")]
fn menu(_call: &Call) {
    speak_and_get_digits("Enter your PIN.").digits(5..=2);
}

fn main() {}
