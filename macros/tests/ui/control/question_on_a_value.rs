use switchboard::prelude::*;

#[call_flow(name = "greet")]
fn greet(call: &Call) {
    let caller = call.from?;
    speak(format!("Hello {}.", caller));
}

fn main() {}
