use switchboard::prelude::*;

#[call_flow(name = "menu")]
fn menu(_call: &Call) {
    fn helper() {}
    speak("Hello.");
}

fn main() {}
