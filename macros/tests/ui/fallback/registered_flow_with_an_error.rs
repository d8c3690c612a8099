use switchboard::prelude::*;

// A flow with a mistake keeps its signature and its registration, so the code naming it reports
// nothing more: only the mistake.
#[call_flow(name = "menu")]
fn menu(call: &Call) {
    for _ in 0..3 {
        speak("Hello.");
    }
    speak(call.from);
}

#[call_flow]
fn again(call: &Call) {
    menu(call);
}

fn main() {
    let _ = FlowDef::of::<menu>();
}
