use switchboard::prelude::*;

#[call_flow(name = "menu")]
fn menu(_call: &Call) {
    let tries = now();
    loop {
        tries += 1;
        if tries > 3 {
            break;
        }
    }
}

fn main() {}
