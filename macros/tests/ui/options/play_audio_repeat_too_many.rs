use switchboard::prelude::*;

#[call_flow(name = "menu")]
fn menu(_call: &Call) {
    play_audio("prompts", "jingle.wav").repeat(10);
}

fn main() {}
