use switchboard::prelude::*;

#[value]
fn greeting(name: Val) -> Val {
    speak("Hello.");
    format!("Hello {}.", name)
}

fn main() {}
