//! This crate holds what Switchboard's Lambda functions (the router, the Chime SDK Voice
//! custom-resource provider) share and nothing else:
//! - [`package`]: building a `provided.al2023` artefact — the glibc and size checks on the binary
//!   and the deterministic `bootstrap.zip`;
//! - [`http`]: a tiny blocking HTTP/1.1 server the fakes of AWS services in their tests answer on
//!   (the router's fuzz test, the provider's fake of Chime SDK Voice).
//!
//! It depends on no AWS SDK crate, so a Lambda's packaging code builds without one.

pub mod http;
pub mod package;
