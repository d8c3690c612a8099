use switchboard::prelude::*;

#[value]
fn bump(count: &mut Val) -> Val {
    *count + 1
}

fn main() {}
