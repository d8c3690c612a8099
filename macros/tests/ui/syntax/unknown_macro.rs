use switchboard::prelude::*;

#[call_flow(name = "menu")]
fn menu(_call: &Call) {
    println!("calling {}", 1);
    speak("Hello.");
}

fn main() {}
