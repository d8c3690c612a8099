//! The call flows, one file each.

pub mod front_desk;
