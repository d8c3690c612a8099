use switchboard::prelude::*;

#[call_flow]
fn count(tries: &mut Val) {
    *tries += 1;
}

#[call_flow(name = "menu")]
fn menu(_call: &Call) {
    let tries = 0;
    count(&mut tries);
    speak(format!("{} tries.", tries));
}

fn main() {}
