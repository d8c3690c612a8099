//! Builds the provider Lambda's artefact `dist/provider/bootstrap.zip`:
//!
//! ```text
//! cargo run -p switchboard-provider --bin package-provider [-- --out dist/provider/bootstrap.zip]
//! ```
//!
//! Like the router's (`switchboard_lambda::package`): the `release-lambda` profile for
//! x86_64-unknown-linux-gnu, glibc 2.34 at most (provided.al2023), 8 MB at most, a deterministic zip.

use std::process::ExitCode;

use switchboard_lambda::package::{main as package, Lambda};

fn main() -> ExitCode {
    package(Lambda {
        package: "switchboard-provider",
        bin: "provider",
        zip: "dist/provider/bootstrap.zip",
    })
}
