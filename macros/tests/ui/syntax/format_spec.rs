use switchboard::prelude::*;

#[call_flow(name = "menu")]
fn menu(_call: &Call) {
    speak(format!("Your number is {:>5}.", _call.from));
}

fn main() {}
