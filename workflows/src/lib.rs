//! This crate owns Switchboard's call flows (examples and the business-phone app) and the
//! `compile` / `simulate` binaries.

pub mod flows;
pub mod simulate;

use switchboard::FlowDef;

/// Every flow `cargo run --bin compile` builds, in output order.
pub fn registry() -> Vec<FlowDef> {
    vec![
        FlowDef::of::<flows::hello::hello>(),
        FlowDef::of::<flows::front_desk::front_desk>(),
        FlowDef::of::<flows::transfer::transfer>(),
        FlowDef::of::<flows::voicemail::voicemail>(),
        FlowDef::of::<flows::business::business_phone>(),
    ]
}
