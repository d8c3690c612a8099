use switchboard::prelude::*;

#[call_flow]
fn greet(name: Val) {
    speak(format!("Hello {}.", name));
}

/// A flow function called from a value helper: its speech would run wherever the helper is used.
#[value]
fn greeting(name: Val) -> Val {
    let said = greet(name);
    format!("Hello {}.", name)
}

fn main() {}
