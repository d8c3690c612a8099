use switchboard::prelude::*;

#[call_flow(name = "menu")]
fn menu(_call: &Call) {
    let text = {
        speak("Hi.");
        "Bye."
    };
    speak(text);
}

fn main() {}
