use switchboard::prelude::*;

#[call_flow(name = "menu")]
async fn menu(_call: &Call) {
    speak("Hello.");
}

fn main() {}
