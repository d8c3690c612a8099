//! The real `deploy` and `destroy` binaries refuse bad input before creating anything, and say
//! what to do: a Region without PSTN audio, no credentials, a stack the configuration does not
//! declare, conflicting number options, a secret that does not fit its pattern.

use std::process::{Command, Output};

fn run(bin: &str, args: &[&str]) -> Output {
    Command::new(bin)
        .args(args)
        // No credentials anywhere: not in the environment, no profile files, no instance role.
        .env_remove("AWS_ACCESS_KEY_ID")
        .env_remove("AWS_SECRET_ACCESS_KEY")
        .env_remove("AWS_SESSION_TOKEN")
        .env_remove("AWS_PROFILE")
        .env("AWS_CONFIG_FILE", "/nonexistent/switchboard/config")
        .env(
            "AWS_SHARED_CREDENTIALS_FILE",
            "/nonexistent/switchboard/credentials",
        )
        .env("AWS_EC2_METADATA_DISABLED", "true")
        // Nothing may reach a real endpoint from this test.
        .env("AWS_ENDPOINT_URL", "http://127.0.0.1:9")
        .output()
        .unwrap_or_else(|e| panic!("running {bin}: {e}"))
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn a_region_without_pstn_audio_is_refused_with_the_regions_it_runs_in() {
    for bin in [env!("CARGO_BIN_EXE_deploy"), env!("CARGO_BIN_EXE_destroy")] {
        let o = run(bin, &["--region", "eu-north-1"]);
        assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
        let e = stderr(&o);
        assert!(
            e.contains("--region eu-north-1: PSTN audio does not run there; use one of us-east-1,"),
            "{e}"
        );
    }
}

#[test]
fn without_credentials_nothing_is_created_and_the_error_says_how_to_get_some() {
    let o = run(
        env!("CARGO_BIN_EXE_deploy"),
        &[
            "--region",
            "us-east-1",
            "--stack",
            "business",
            "--area-code",
            "212",
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    let e = stderr(&o);
    assert!(
        e.starts_with("error: no usable AWS credentials for us-east-1: "),
        "{e}"
    );
    assert!(
        e.contains("pass --profile") && e.contains("aws sts get-caller-identity"),
        "{e}"
    );
    assert!(!e.contains("==> stack"), "it went on: {e}");
}

#[test]
fn a_stack_the_configuration_does_not_declare_is_named_with_the_ones_it_does() {
    let o = run(
        env!("CARGO_BIN_EXE_destroy"),
        &["--region", "us-east-1", "--stack", "shop"],
    );
    assert_eq!(o.status.code(), Some(1));
    let e = stderr(&o);
    assert!(
        e.contains("--stack shop:")
            && e.contains("declares no [stack.shop]; the stacks are: business, front-desk"),
        "{e}"
    );
    let o = run(env!("CARGO_BIN_EXE_destroy"), &["--region", "us-east-1"]);
    assert!(
        stderr(&o)
            .contains("declares several stacks: choose one with --stack (business, front-desk)"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn ordering_and_adopting_at_once_is_refused() {
    let o = run(
        env!("CARGO_BIN_EXE_deploy"),
        &[
            "--region",
            "us-east-1",
            "--area-code",
            "212",
            "--number",
            "+12125550100",
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("give --area-code (order a number) or --number (adopt one), not both")
    );
}

#[test]
fn a_secret_that_does_not_fit_or_is_not_declared_stops_deploy_before_it_asks_aws_anything() {
    // The value is checked before the credentials: the error is about the PIN, never about
    // credentials, and the value itself is not echoed.
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_deploy"));
    cmd.args(["--region", "us-east-1", "--stack", "business"])
        .env("SWITCHBOARD_SECRET_OWNER_PIN", "12ab")
        .env("AWS_ENDPOINT_URL", "http://127.0.0.1:9")
        .env("AWS_EC2_METADATA_DISABLED", "true");
    let o = cmd.output().unwrap();
    assert_eq!(o.status.code(), Some(1));
    let e = stderr(&o);
    assert_eq!(
        e,
        "error: SWITCHBOARD_SECRET_OWNER_PIN: the owner's PIN must match [0-9]{4,8} (the value is \
         not shown); nothing was written\n"
    );
    let o = run(
        env!("CARGO_BIN_EXE_deploy"),
        &[
            "--region",
            "us-east-1",
            "--stack",
            "front-desk",
            "--set-secret",
            "owner-pin",
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        stderr(&o),
        "error: --set-secret owner-pin: [stack.front-desk] declares no secret `owner-pin`\n"
    );
}
