use switchboard::prelude::*;

/// An action in a value helper: it would never be sent.
#[value]
fn greeting(name: Val) -> Val {
    let said = speak(format!("Hello {}.", name)).voice("Joanna");
    format!("Hello {}.", name)
}

fn main() {}
