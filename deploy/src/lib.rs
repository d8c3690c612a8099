//! `cargo run --bin deploy` and `cargo run --bin destroy`: a Switchboard app (`[stack.<name>]` of
//! `switchboard.toml`) on a live phone number, and removed again.
//!
//! `deploy` applies three stacks in order, each through a change set
//! ([`cfn::apply`]): `<name>-artifacts` (the bucket the code and definitions go to),
//! `<name>-number` (the Chime SDK Voice provider Lambda and the business number, ordered by area
//! code or adopted), then — the flows compiled with that number by `cargo run --bin compile` —
//! `<name>` itself ([`switchboard_stack::template::app`]). Uploads are content-addressed, so an
//! unchanged project uploads nothing and changes no stack. `destroy` removes the three in reverse
//! order with what they leave behind (per-call queues, objects in buckets), releases a number it
//! ordered (never an adopted one) and checks nothing is left.

pub mod args;
pub mod artifacts;
pub mod cfn;
pub mod deploy;
pub mod destroy;
pub mod progress;
pub mod secrets;

use std::fmt;
use std::path::{Path, PathBuf};

use aws_config::BehaviorVersion;
use switchboard_compiler::config::Config;
use switchboard_stack::config::StackConfig;

/// A failure, phrased for whoever runs the command: what went wrong and what to do.
#[derive(Debug)]
pub struct Error(pub String);

impl Error {
    pub fn user(text: String) -> Self {
        Error(text)
    }

    /// An AWS call that failed after the SDK's retries: what was being done, and the service's
    /// own error (code and message).
    pub fn aws<E: std::error::Error + 'static>(what: String, e: E) -> Self {
        Error(format!(
            "{what}: {}",
            aws_smithy_types::error::display::DisplayErrorContext(&e)
        ))
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The `main` of `deploy` and `destroy`: parses the arguments (exit 2 on a bad one), runs the
/// command on a Tokio runtime with progress on stderr, prints its report; `ok` says whether the
/// result means success.
pub fn main<A, S, F>(
    parsed: Result<A, String>,
    command: impl FnOnce(A, progress::Progress) -> F,
    report: impl FnOnce(&S) -> (String, bool),
) -> std::process::ExitCode
where
    F: std::future::Future<Output = Result<S, Error>>,
{
    use std::process::ExitCode;
    let args = match parsed {
        Ok(a) => a,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: starting the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(command(args, progress::Progress::new(false))) {
        Ok(summary) => {
            let (text, ok) = report(&summary);
            print!("{text}");
            if ok {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            }
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

/// The repository root (the workspace the commands were built from).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

/// The configuration and the stack the command works on.
pub struct Target {
    pub config_path: PathBuf,
    pub name: String,
    pub stack: StackConfig,
}

/// Reads the configuration and picks the stack: the one named, or the only one declared.
pub fn target(common: &args::Common) -> Result<Target, Error> {
    let config_path = common
        .config
        .clone()
        .unwrap_or_else(|| root().join("workflows/switchboard.toml"));
    let config = Config::load(&config_path).map_err(Error)?;
    let stacks = switchboard_stack::config::stacks(&config).map_err(|e| Error(e.join("\n")))?;
    let names: Vec<&String> = stacks.keys().collect();
    let name = match (&common.stack, names.as_slice()) {
        (Some(n), _) if stacks.contains_key(n) => n.clone(),
        (Some(n), _) => {
            return Err(Error(format!(
                "--stack {n}: {} declares no [stack.{n}]; the stacks are: {}",
                config_path.display(),
                names
                    .iter()
                    .map(|s| s.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )))
        }
        (None, [one]) => (*one).clone(),
        (None, []) => {
            return Err(Error(format!(
            "{} declares no stack: add a [stack.<name>] section (README, \"Deploy and destroy\")",
            config_path.display()
        )))
        }
        (None, many) => {
            return Err(Error(format!(
                "{} declares several stacks: choose one with --stack ({})",
                config_path.display(),
                many.iter()
                    .map(|s| s.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )))
        }
    };
    let stack = stacks[&name].clone();
    Ok(Target {
        config_path,
        name,
        stack,
    })
}

/// The AWS clients of a command, for one Region and profile.
pub struct Aws {
    pub config: aws_config::SdkConfig,
    pub region: String,
    pub account: String,
}

impl Aws {
    /// Loads credentials the usual way (environment, profile, SSO, instance role) and checks
    /// them with STS `GetCallerIdentity`, so that a missing or expired credential is reported
    /// before anything is created.
    pub async fn connect(common: &args::Common) -> Result<Aws, Error> {
        let mut loader = aws_config::defaults(BehaviorVersion::latest())
            .region(aws_config::Region::new(common.region.clone()));
        if let Some(p) = &common.profile {
            loader = loader.profile_name(p);
        }
        let config = loader.load().await;
        let sts = aws_sdk_sts::Client::new(&config);
        let who = sts.get_caller_identity().send().await.map_err(|e| {
            Error(format!(
                "no usable AWS credentials for {}{}: {}. Set AWS_PROFILE or pass --profile, run `aws configure` or `aws sso login`, and check with `aws sts get-caller-identity`",
                common.region,
                common.profile.as_deref().map(|p| format!(" (profile {p})")).unwrap_or_default(),
                aws_smithy_types::error::display::DisplayErrorContext(&e)
            ))
        })?;
        Ok(Aws {
            region: common.region.clone(),
            account: who.account().unwrap_or_default().to_owned(),
            config,
        })
    }

    pub fn cfn(&self) -> aws_sdk_cloudformation::Client {
        aws_sdk_cloudformation::Client::new(&self.config)
    }

    pub fn s3(&self) -> aws_sdk_s3::Client {
        // Virtual-hosted addressing unless an emulator's endpoint asks for paths.
        let conf = aws_sdk_s3::config::Builder::from(&self.config)
            .force_path_style(std::env::var_os("SWITCHBOARD_S3_PATH_STYLE").is_some())
            .build();
        aws_sdk_s3::Client::from_conf(conf)
    }

    pub fn sqs(&self) -> aws_sdk_sqs::Client {
        aws_sdk_sqs::Client::new(&self.config)
    }

    pub fn dynamodb(&self) -> aws_sdk_dynamodb::Client {
        aws_sdk_dynamodb::Client::new(&self.config)
    }
}

/// The three stack names of an app.
pub fn stack_names(name: &str) -> [String; 3] {
    [
        format!("{name}-artifacts"),
        format!("{name}-number"),
        name.to_owned(),
    ]
}

/// `+1 212 555 0100` for a North American number, the number as it is otherwise.
pub fn spoken(number: &str) -> String {
    match number.strip_prefix("+1") {
        Some(d) if d.len() == 10 && d.bytes().all(|b| b.is_ascii_digit()) => {
            format!("+1 {} {} {}", &d[..3], &d[3..6], &d[6..])
        }
        _ => number.to_owned(),
    }
}
