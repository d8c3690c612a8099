use switchboard::prelude::*;

#[call_flow(name = "menu")]
fn menu(_call: &Call) {
    match speak_and_get_digits("Press 1.").digits(1..=1) {
        Ok(d) => speak(format!("You pressed {}.", d.digits)),
        Err(Hangup(d)) => put_item("Calls").item("digits", S(d.digits)),
        Err(_) => speak("Sorry."),
    }
}

fn main() {}
