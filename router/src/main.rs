//! The `bootstrap` binary: configuration, logging, AWS clients, and the Lambda runtime loop.

use lambda_runtime::{service_fn, Runtime};
use switchboard_router::aws::{AwsEngine, AwsQueue};
use switchboard_router::lambda::{handle_invocation, init_logging, JsonGuardLayer};
use switchboard_router::{Config, Router};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), lambda_runtime::Error> {
    init_logging();
    let config = Config::from_env().inspect_err(|e| tracing::error!("{e}"))?;
    let sdk = aws_config::load_from_env().await;
    let router = Router::new(
        AwsEngine::new(aws_sdk_sfn::Client::new(&sdk)),
        AwsQueue::new(aws_sdk_sqs::Client::new(&sdk)),
        config,
    );
    let router: &'static _ = Box::leak(Box::new(router));
    Runtime::new(service_fn(move |event| handle_invocation(router, event)))
        .layer(JsonGuardLayer)
        .run()
        .await
}
