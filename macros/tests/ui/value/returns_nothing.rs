use switchboard::prelude::*;

#[value]
fn later(seconds: Val) -> Val {
    let pause = wait(seconds);
    seconds
}

fn main() {}
