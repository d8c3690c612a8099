use switchboard::prelude::*;

#[call_flow(name = "menu")]
fn menu(_call: &Call) {
    let greet = || speak("Hello.");
    speak("Bye.");
}

fn main() {}
