use switchboard::prelude::*;

#[call_flow(name = "menu")]
fn menu(_call: &Call) {
    loop {
        parallel!({ break; }, { put_item("t").item("pk", S("a")); });
    }
}

fn main() {}
