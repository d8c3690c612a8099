//! The provider Lambda's entry point (zipped as `bootstrap` for provided.al2023): setup only.
//! The SDK's own retries are off; `switchboard_provider::retry` decides.

use aws_config::retry::RetryConfig;
use lambda_runtime::{service_fn, Error, LambdaEvent};
use serde_json::Value;
use switchboard_provider::{Invocation, Outcome, Provider, Settings};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Error> {
    let config = aws_config::from_env()
        .retry_config(RetryConfig::disabled())
        .load()
        .await;
    let provider = Provider::new(
        aws_sdk_chimesdkvoice::Client::new(&config),
        aws_sdk_lambda::Client::new(&config),
        config.region().map(|r| r.to_string()),
        Settings::default(),
    )?;
    let provider = &provider;
    lambda_runtime::run(service_fn(move |event: LambdaEvent<Value>| async move {
        let inv = Invocation {
            deadline_ms: event.context.deadline,
            function_arn: event.context.invoked_function_arn.clone(),
        };
        // Boxed: the handler's future is deep enough to overflow the layout query limit inline.
        // Never an error: CloudFormation invokes asynchronously, and Lambda retries a failed
        // asynchronous invocation, which would run a Create (a number order) again. A request
        // that could not be answered is in the log line `handle` wrote.
        let summary = match Box::pin(provider.handle(&event.payload, &inv)).await {
            Ok(Outcome::Responded(r)) => serde_json::json!({"Status": r.status}),
            Ok(Outcome::HandedOver(c)) => serde_json::json!({"HandedOver": c}),
            Err(e) => serde_json::json!({"Error": e}),
        };
        Ok::<Value, Error>(summary)
    }))
    .await
}
