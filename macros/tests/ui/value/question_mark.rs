use switchboard::prelude::*;

#[value]
fn digits() -> Val {
    let r = speak_and_get_digits("Press a key.")?;
    r.digits
}

fn main() {}
