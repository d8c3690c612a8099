use switchboard::prelude::*;

#[value]
fn total(n: Val) -> Val {
    let t = 0;
    while n > 0 {
        speak("Counting.");
    }
    t
}

fn main() {}
