use switchboard::prelude::*;

#[call_flow(name = "menu")]
struct Menu;

fn main() {}
