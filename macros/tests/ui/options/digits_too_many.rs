use switchboard::prelude::*;

#[call_flow(name = "menu")]
fn menu(_call: &Call) {
    speak_and_get_digits("Enter your PIN.").digits(0..=300);
}

fn main() {}
