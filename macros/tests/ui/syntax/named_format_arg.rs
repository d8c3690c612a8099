use switchboard::prelude::*;

#[call_flow(name = "menu")]
fn menu(_call: &Call) {
    speak(format!("Your number is {n}.", n = _call.from));
}

fn main() {}
