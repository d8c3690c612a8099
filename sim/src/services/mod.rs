//! Service integrations in process: what `Task` states call.
//!
//! [`Services`] routes a `Resource` to an in-memory service:
//! - `arn:aws:states:::sqs:sendMessage` and `….waitForTaskToken` → [`sqs::Queues`];
//! - `arn:aws:states:::dynamodb:{getItem,putItem,updateItem,deleteItem}` and
//!   `arn:aws:states:::aws-sdk:dynamodb:{…,query}` → [`dynamodb::DynamoDb`];
//! - `arn:aws:states:::aws-sdk:scheduler:{createSchedule,deleteSchedule}` →
//!   [`scheduler::Scheduler`];
//! - `arn:aws:states:::aws-sdk:s3:{putObject,getObject,deleteObject}` → [`s3::S3`];
//! - `arn:aws:states:::lambda:invoke` and Lambda ARNs → [`lambda::Lambdas`].
//!
//! Any other resource fails with `States.Runtime` naming it: the execution cannot go on
//! against a service the simulator does not have.

pub mod dynamodb;
pub mod lambda;
pub mod s3;
pub mod scheduler;
pub mod sqs;

use serde_json::Value;

use self::dynamodb::{DynamoDb, Flavor};
use self::lambda::Lambdas;
use self::s3::S3;
use self::scheduler::Scheduler;
use self::sqs::Queues;
use crate::expr::Clock;
use crate::integration::{Integrations, TaskFailure, TaskRequest};
use switchboard_asl::errors;

/// The prefix of Step Functions' own integration ARNs.
pub const STATES_PREFIX: &str = "arn:aws:states:::";

/// Every in-memory service.
#[derive(Debug, Default, Clone)]
pub struct Services {
    /// SQS queues.
    pub queues: Queues,
    /// DynamoDB tables.
    pub dynamodb: DynamoDb,
    /// EventBridge Scheduler schedules.
    pub scheduler: Scheduler,
    /// S3 buckets.
    pub s3: S3,
    /// Lambda functions.
    pub lambdas: Lambdas,
}

impl Services {
    /// No queues, tables, schedules, buckets or functions.
    pub fn new() -> Self {
        Self::default()
    }
}

/// How a resource splits: `(service, action, is aws-sdk)`, with the integration pattern suffix
/// (`.waitForTaskToken`, `.sync`) removed from the action.
pub fn parse_resource(resource: &str) -> Option<(&str, &str, bool)> {
    let rest = resource.strip_prefix(STATES_PREFIX)?;
    let (sdk, rest) = match rest.strip_prefix("aws-sdk:") {
        Some(r) => (true, r),
        None => (false, rest),
    };
    let (service, action) = rest.split_once(':')?;
    let action = action.split('.').next().unwrap_or(action);
    Some((service, action, sdk))
}

fn unknown(resource: &str) -> TaskFailure {
    TaskFailure::new(
        errors::RUNTIME,
        format!("the simulator has no integration for the resource '{resource}'"),
    )
}

impl Integrations for Services {
    fn invoke(
        &mut self,
        request: TaskRequest<'_>,
        clock: &mut Clock,
    ) -> Result<Value, TaskFailure> {
        let resource = request.resource;
        let args = request.arguments;
        if resource.starts_with("arn:aws:lambda:") {
            return self.lambdas.invoke(resource, request.arguments.clone());
        }
        let Some((service, action, sdk)) = parse_resource(resource) else {
            return Err(unknown(resource));
        };
        match (service, action, sdk) {
            ("sqs", "sendMessage", _) => self.queues.send_message(args),
            ("dynamodb", a, sdk) => {
                let flavor = if sdk { Flavor::Sdk } else { Flavor::Optimized };
                self.dynamodb.call(a, args, flavor)
            }
            ("scheduler", "createSchedule", true) => {
                self.scheduler.create(args, clock.now_millis())
            }
            ("scheduler", "deleteSchedule", true) => self.scheduler.delete(args),
            ("s3", a, true) => self.s3.call(a, args),
            ("lambda", "invoke", false) => self.lambdas.invoke_task(args),
            _ => Err(unknown(resource)),
        }
    }
}
