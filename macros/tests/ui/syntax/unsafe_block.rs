use switchboard::prelude::*;

#[call_flow(name = "menu")]
fn menu(_call: &Call) {
    let n = unsafe { 1 };
    speak("Bye.");
}

fn main() {}
