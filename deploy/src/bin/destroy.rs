//! `cargo run --bin destroy -- --region us-east-1 [--keep-data]`: removes everything `deploy`
//! created and checks nothing is left; exits 1 if anything is.

use switchboard_deploy::{args, destroy, Error};

fn main() -> std::process::ExitCode {
    switchboard_deploy::main(
        args::destroy(std::env::args().skip(1)),
        |args, mut progress| async move {
            destroy::run(&args, &mut progress).await.map_err(|e| {
                Error(format!(
                    "{e}\nNothing after the failed step was removed: run destroy again once it is fixed."
                ))
            })
        },
        |summary| (summary.report(), summary.left.is_empty()),
    )
}
