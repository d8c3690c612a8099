//! The business phone number app: a small business's dedicated number, one state machine per
//! business number (the router maps the number to it).
//!
//! The entry flow [`app::business_phone`] picks one of four paths with a single Choice:
//! a scheduled call placed by EventBridge Scheduler ([`scheduled`]), the owner calling in
//! ([`owner`]: PIN, then the menu of [`messages`], [`dial`] and [`schedule`]), or a customer
//! during or after opening hours ([`customer`], with [`voicemail`] as the fallback).

pub mod app;
pub mod config;
pub mod customer;
pub mod destination;
pub mod dial;
pub mod hours;
pub mod messages;
pub mod owner;
pub mod schedule;
pub mod scheduled;
pub mod voicemail;

pub use app::business_phone;
pub use config::BusinessPhone;
