use switchboard::prelude::*;

#[value(name = "spelled")]
fn spelled(digits: Val) -> Val {
    format!("<say-as interpret-as=\"digits\">{}</say-as>", digits)
}

fn main() {}
