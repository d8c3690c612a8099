use switchboard::prelude::*;

#[call_flow]
fn reset(tries: &mut Val) {
    tries = 0;
}

#[call_flow(name = "menu")]
fn menu(_call: &Call) {
    let mut tries = 1;
    reset(&mut tries);
    speak(format!("{} tries.", tries));
}

fn main() {}
