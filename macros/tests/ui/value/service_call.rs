use switchboard::prelude::*;

#[value]
fn messages(mailbox: Val) -> Val {
    let inbox = query("Messages")
        .key_condition("mailbox = :m")
        .value(":m", S(mailbox));
    inbox.count
}

fn main() {}
