use switchboard::prelude::*;

#[value]
fn next(i: Val) -> Val {
    let mut j = i;
    j += 1;
    j
}

fn main() {}
