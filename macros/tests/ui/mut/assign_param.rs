use switchboard::prelude::*;

// A flow function's body is inlined where it is called: assigning `tries` would change the
// caller's variable behind a signature that takes it by value.
#[call_flow]
fn count(tries: Val) {
    tries += 1;
}

#[call_flow(name = "menu")]
fn menu(_call: &Call) {
    let mut tries = 0;
    count(tries);
    speak(format!("{} tries.", tries));
}

fn main() {}
