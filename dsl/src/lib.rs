//! This crate owns what flow authors import: the flow IR and its builder, the typed PSTN audio
//! model, and the prelude. `#[call_flow]` (from `switchboard-macros`) rewrites a flow function's
//! body into calls of [`__private`], which build [`ir::Flow`]s that `switchboard-compiler` lowers
//! to Amazon States Language; `#[value]` rewrites a value helper's the same way.
//!
//! The rest of these docs is the project README (its example is compiled as a doctest).
#![doc = include_str!("../../README.md")]

pub mod deploy_time;
pub mod flowdef;
pub mod ir;
pub mod lang;
pub mod origin;
pub mod pstn;
pub mod wire;
pub mod zone;

pub use flowdef::{
    read as read_config, CallFlow, ConfigError, ConfigProblem, ConfigProblemKind, FlowDef,
};
pub use switchboard_macros::{call_flow, value};
pub use zone::{Zone, ZoneError};

/// Everything a flow file needs: `use switchboard::prelude::*;`.
pub mod prelude {
    /// The builder a step function returns, for helpers that build one:
    /// `fn menu() -> Step<kinds::SpeakAndGetDigits>`.
    pub use crate::lang::actions::kinds;
    pub use crate::lang::actions::{
        call_and_bridge, hangup, join_chime_meeting, modify_chime_meeting_attendees, pause,
        pause_call_recording, play_audio, play_audio_and_get_digits, pstn, receive_digits,
        record_audio, resume_call_recording, send_digits, speak, speak_and_get_digits,
        start_bot_conversation, start_call_recording, stop_call_recording, voice_connector,
        voice_focus, wait_for_hangup,
    };
    pub use crate::lang::control::{fail, wait};
    pub use crate::lang::message::take_message;
    pub use crate::lang::results::{
        Call, CallRecording, Digits, Done, Failure, Item, Items, Message, Recording,
    };
    pub use crate::lang::services::{
        aws_sdk, create_schedule, delete_item, get_item, invoke_lambda, put_item, query,
        update_item, BOOL, N, S,
    };
    pub use crate::lang::step::Step;
    pub use crate::lang::time::{local_time, LocalTime};
    pub use crate::lang::val::{from_millis, millis, now, ToVal, Val};
    pub use crate::wire::{LEG_A, LEG_B};
    pub use crate::{call_flow, value};
    pub use crate::{CallFlow, FlowDef, Zone};
}

/// What `#[call_flow]` expands to. Not a stable API: flow code never names it.
#[doc(hidden)]
pub mod __private {
    pub use crate::flowdef::CallFlow;
    pub use crate::ir::{Flow, Loc};
    pub use crate::lang::control::*;
    pub use crate::lang::helper::{value_begin, value_end, Probe, ProbeValue};
    pub use crate::lang::results::{Call, Failure};
    pub use crate::lang::val::{array, format, object, ops, ToVal, Val};
    pub use serde;

    /// A location, as `#[call_flow]` spells it at the user's tokens.
    pub const fn loc(file: &'static str, line: u32, column: u32) -> Loc {
        Loc { file, line, column }
    }
}
