use switchboard::prelude::*;

#[value]
fn shout(text: Val) {
    text.to_uppercase()
}

fn main() {}
