//! `cargo run --bin deploy -- --region us-east-1 [--area-code 212 | --number +1…]`: puts a
//! Switchboard app on a live phone number (see the crate's documentation and the README's
//! "Deploy and destroy").

use switchboard_deploy::{args, deploy};

fn main() -> std::process::ExitCode {
    switchboard_deploy::main(
        args::deploy(std::env::args().skip(1)),
        |args, mut progress| async move { deploy::run(&args, &mut progress).await },
        |summary| (summary.report(), true),
    )
}
