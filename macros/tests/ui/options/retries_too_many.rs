use switchboard::prelude::*;

#[call_flow(name = "menu")]
fn menu(_call: &Call) {
    speak_and_get_digits("Press a key.").retries(50);
}

fn main() {}
