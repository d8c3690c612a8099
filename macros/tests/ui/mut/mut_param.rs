use switchboard::prelude::*;

// `mut` reads as a local copy, but the parameter is the caller's variable.
#[call_flow]
fn count(mut tries: Val) {
    tries += 1;
}

#[call_flow(name = "menu")]
fn menu(_call: &Call) {
    let mut tries = 0;
    count(tries);
    speak(format!("{} tries.", tries));
}

fn main() {}
