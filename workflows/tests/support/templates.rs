//! Real IR nodes to copy when generating flows: what `#[call_flow]` builds for a speak, a
//! digits prompt and a service call. Shared by `workflows/tests/prop.rs` and
//! `compiler/benches/compile.rs` (included with `#[path]`), so both generate from the same nodes.

use switchboard::ir::{Action, Handler, Service, StmtKind};
use switchboard::prelude::*;

#[call_flow(name = "templates")]
fn templates(call: &Call) {
    speak("Hello.");
    let _d = speak_and_get_digits("Press a key.");
    put_item("calls").item("pk", S(call.from));
}

pub struct Templates {
    pub speak: Action,
    pub ask: Action,
    pub service: Service,
    pub on_error: Handler,
    pub on_no_input: Option<Handler>,
}

pub fn templates_ir() -> Templates {
    let flow = FlowDef::of::<templates>()
        .build(&serde_json::Value::Null)
        .unwrap();
    let StmtKind::Inline { body, .. } = &flow.body[0].kind else {
        panic!("flow body is its function inlined: {:#?}", flow.body)
    };
    let mut actions = body.iter().filter_map(|s| match &s.kind {
        StmtKind::Action { action, .. } => Some(action.clone()),
        _ => None,
    });
    let service = body
        .iter()
        .find_map(|s| match &s.kind {
            StmtKind::Service { service, .. } => Some(service.clone()),
            _ => None,
        })
        .unwrap();
    Templates {
        speak: actions.next().unwrap(),
        ask: actions.next().unwrap(),
        service,
        on_error: flow.on_error,
        on_no_input: flow.on_no_input,
    }
}
