use switchboard::prelude::*;

#[call_flow(name = "menu")]
fn menu(_call: &Call) {
    let (a, b) = ("x", "y");
    speak(a);
}

fn main() {}
