//! The call flow the end-to-end tests deploy, written in the flow language and compiled by the
//! real compiler when the test starts: what the emulator runs is what `compile` would emit.

use switchboard::prelude::*;

/// A menu: 1 bridges to sales (saying why when it fails), 2 looks up a balance slowly.
#[call_flow(name = "e2e-menu")]
pub fn e2e_menu(call: &Call) {
    let choice = speak_and_get_digits("Press 1 for sales or 2 for your balance.").digits(1..=1);
    match choice.digits.as_str() {
        "1" => match call_and_bridge(pstn("+17035550122"))
            .caller_id(call.to)
            .ring_for(30)
        {
            Ok(_) => wait_for_hangup(),
            Err(e) => speak(format!("Sorry, we could not connect you: {}.", e.cause)),
        },
        "2" => {
            // Stands for a slow lookup: longer than the router's answer budget.
            wait(5);
            speak("Your balance is 42 dollars.");
        }
        _ => speak("Goodbye."),
    }
}

/// The compiled definition, as JSON text.
pub fn definition() -> String {
    use switchboard::CallFlow;
    let flow = e2e_menu::build(&());
    let compiled = switchboard_compiler::compile_flow(&flow)
        .unwrap_or_else(|errors| panic!("the e2e flow does not compile: {errors:#?}"));
    compiled.json
}
