//! The call flows, one file each.

pub mod business;
pub mod front_desk;
pub mod hello;
pub mod transfer;
pub mod voicemail;
