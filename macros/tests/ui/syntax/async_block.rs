use switchboard::prelude::*;

#[call_flow(name = "menu")]
fn menu(_call: &Call) {
    let later = async { 1 };
    speak("Bye.");
}

fn main() {}
