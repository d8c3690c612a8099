//! Builds the Lambda artefact `dist/router/bootstrap.zip`:
//!
//! ```text
//! cargo run -p switchboard-router --bin package [-- --out dist/router/bootstrap.zip]
//! ```
//!
//! It builds `bootstrap` with the `release-lambda` profile for x86_64-unknown-linux-gnu, refuses a
//! binary that needs glibc newer than 2.34 (provided.al2023) or exceeds 8 MB, and writes the zip
//! (`switchboard_lambda::package`, shared with the provider Lambda).

use std::process::ExitCode;

use switchboard_lambda::package::{main as package, Lambda};

fn main() -> ExitCode {
    package(Lambda {
        package: "switchboard-router",
        bin: "bootstrap",
        zip: "dist/router/bootstrap.zip",
    })
}
