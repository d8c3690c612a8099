use switchboard::prelude::*;

#[call_flow(name = "sales")]
fn sales(call: &Call) {
    match call_and_bridge(pstn("+12065550100")).caller_id(call.to) {
        Ok(_) => wait_for_hangup(),
        Err(e) => speak(format!("Sorry: {}.", e.cause)),
        Err(Hangup) => put_item("Missed").item("from", S(call.from)),
    }
}

fn main() {}
