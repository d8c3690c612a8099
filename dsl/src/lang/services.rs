//! Service calls call flows need: DynamoDB, EventBridge Scheduler, Lambda, and any AWS SDK API.
//!
//! Each becomes a Task state. DynamoDB items use DynamoDB's attribute-value format (`S`, `N`,
//! `BOOL`); the optimised integration covers GetItem, PutItem, UpdateItem and DeleteItem, and
//! Query goes through the AWS SDK integration:
//! <https://docs.aws.amazon.com/step-functions/latest/dg/connect-ddb.html>

use super::ctx;
use super::results::{Item, Items};
use super::step::{const_str, ServiceStep};
use super::val::{ToVal, Val};
use crate::ir::{Expr, Loc, ResultShape, Tree};
use serde_json::Value as Json;

/// A DynamoDB attribute value.
pub struct Attr(Tree);

/// A string attribute (`{"S": …}`).
#[allow(non_snake_case)]
pub fn S(v: impl ToVal) -> Attr {
    Attr(Tree::Object(vec![(
        "S".into(),
        Tree::Leaf(v.to_val().to_string().expr()),
    )]))
}
/// A number attribute (`{"N": "…"}`: DynamoDB numbers travel as strings).
#[allow(non_snake_case)]
pub fn N(v: impl ToVal) -> Attr {
    Attr(Tree::Object(vec![(
        "N".into(),
        Tree::Leaf(v.to_val().to_string().expr()),
    )]))
}
/// A boolean attribute (`{"BOOL": …}`).
#[allow(non_snake_case)]
pub fn BOOL(v: impl ToVal) -> Attr {
    Attr(Tree::Object(vec![(
        "BOOL".into(),
        Tree::Leaf(v.to_val().expr()),
    )]))
}

/// Turns a value into an argument tree: objects and arrays built in the flow stay structured,
/// so constant parts are plain JSON in the ASL.
pub(crate) fn tree_of(v: Val) -> Tree {
    fn go(e: Expr) -> Tree {
        match e {
            Expr::Object(kv) => Tree::Object(kv.into_iter().map(|(k, e)| (k, go(e))).collect()),
            Expr::Array(items) => Tree::Array(items.into_iter().map(go).collect()),
            Expr::Lit(Json::Object(m)) => {
                Tree::Object(m.into_iter().map(|(k, v)| (k, go(Expr::Lit(v)))).collect())
            }
            Expr::Lit(Json::Array(a)) => {
                Tree::Array(a.into_iter().map(|v| go(Expr::Lit(v))).collect())
            }
            e => Tree::Leaf(e),
        }
    }
    go(v.expr())
}

const DDB: &str = "arn:aws:states:::dynamodb:";

fn table_step<R: super::results::FromVar>(
    api: &str,
    table: Val,
    shape: ResultShape,
    loc: Loc,
) -> ServiceStep<R> {
    let name = const_str(&table).unwrap_or_else(|| "table".into());
    let s = ServiceStep::new(
        format!("{DDB}{api}"),
        format!("DynamoDB {api} {name}"),
        shape,
        loc,
    );
    s.set(&["TableName"], Tree::Leaf(table.expr()))
}

/// Writes an item. <https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_PutItem.html>
#[track_caller]
pub fn put_item(table: impl ToVal) -> ServiceStep<Val> {
    table_step("putItem", table.to_val(), ResultShape::None, Loc::caller())
}
/// Reads an item by key; `found()` tells whether it exists.
#[track_caller]
pub fn get_item(table: impl ToVal) -> ServiceStep<Item> {
    table_step(
        "getItem",
        table.to_val(),
        ResultShape::Fields(vec![("Item", vec!["Item"])]),
        Loc::caller(),
    )
}
/// Updates an item with an update expression.
#[track_caller]
pub fn update_item(table: impl ToVal) -> ServiceStep<Val> {
    table_step(
        "updateItem",
        table.to_val(),
        ResultShape::None,
        Loc::caller(),
    )
}
/// Deletes an item by key.
#[track_caller]
pub fn delete_item(table: impl ToVal) -> ServiceStep<Val> {
    table_step(
        "deleteItem",
        table.to_val(),
        ResultShape::None,
        Loc::caller(),
    )
}
/// Queries items by key condition (AWS SDK integration).
#[track_caller]
pub fn query(table: impl ToVal) -> ServiceStep<Items> {
    let table = table.to_val();
    let name = const_str(&table).unwrap_or_else(|| "table".into());
    let shape = ResultShape::Fields(vec![("Items", vec!["Items"]), ("Count", vec!["Count"])]);
    let s = ServiceStep::new(
        "arn:aws:states:::aws-sdk:dynamodb:query".into(),
        format!("DynamoDB query {name}"),
        shape,
        Loc::caller(),
    );
    s.set(&["TableName"], Tree::Leaf(table.expr()))
}

/// Options of the DynamoDB calls.
macro_rules! ddb_options {
    ($($r:ty),*) => {$(
        impl ServiceStep<$r> {
            /// An attribute of the item (`Item`, for `put_item`).
            pub fn item(self, name: &str, value: Attr) -> Self {
                self.set(&["Item", name], value.0)
            }
            /// A key attribute (`Key`, for get/update/delete).
            pub fn key(self, name: &str, value: Attr) -> Self {
                self.set(&["Key", name], value.0)
            }
            /// A condition the item must meet (`ConditionExpression`), else the call fails with
            /// `DynamoDB.ConditionalCheckFailedException`.
            pub fn condition(self, expression: &str) -> Self {
                self.set(&["ConditionExpression"], Tree::lit(expression))
            }
            /// An update expression (`UpdateExpression`, for `update_item`).
            pub fn update(self, expression: &str) -> Self {
                self.set(&["UpdateExpression"], Tree::lit(expression))
            }
            /// A key condition (`KeyConditionExpression`, for `query`).
            pub fn key_condition(self, expression: &str) -> Self {
                self.set(&["KeyConditionExpression"], Tree::lit(expression))
            }
            /// A value placeholder (`ExpressionAttributeValues`, e.g. `":pk"`).
            #[track_caller]
            pub fn value(self, placeholder: &str, value: Attr) -> Self {
                if !placeholder.starts_with(':') {
                    ctx::error(Loc::caller(), format!("value(\"{placeholder}\"): placeholders start with `:`"));
                }
                self.set(&["ExpressionAttributeValues", placeholder], value.0)
            }
            /// A name placeholder (`ExpressionAttributeNames`, e.g. `"#k"`).
            pub fn name(self, placeholder: &str, attribute: &str) -> Self {
                self.set(&["ExpressionAttributeNames", placeholder], Tree::lit(attribute))
            }
        }
    )*};
}
ddb_options!(Val, Item, Items);

impl ServiceStep<Items> {
    /// Newest first: `ScanIndexForward: false`.
    pub fn descending(self) -> Self {
        self.set(&["ScanIndexForward"], Tree::lit(false))
    }
    /// At most `n` items (`Limit`).
    pub fn limit(self, n: i64) -> Self {
        self.set(&["Limit"], Tree::lit(n))
    }
}

/// Creates an EventBridge Scheduler schedule.
/// <https://docs.aws.amazon.com/scheduler/latest/APIReference/API_CreateSchedule.html>
#[track_caller]
pub fn create_schedule(name: impl ToVal) -> ServiceStep<Val> {
    let name = name.to_val();
    let s = ServiceStep::new(
        "arn:aws:states:::aws-sdk:scheduler:createSchedule".into(),
        "Create schedule".into(),
        ResultShape::Fields(vec![("ScheduleArn", vec!["ScheduleArn"])]),
        Loc::caller(),
    );
    s.set(&["Name"], Tree::Leaf(name.expr()))
        .set(&["FlexibleTimeWindow", "Mode"], Tree::lit("OFF"))
}

impl ServiceStep<Val> {
    /// Runs once at a local date-time (`at(yyyy-mm-ddThh:mm:ss)`), in `ScheduleExpressionTimezone`.
    pub fn at(self, local_datetime: impl ToVal) -> Self {
        let expr = super::val::format(&["at(".to_val(), local_datetime.to_val(), ")".to_val()]);
        self.set(&["ScheduleExpression"], Tree::Leaf(expr.expr()))
    }
    /// The IANA time zone of `at` (`ScheduleExpressionTimezone`, default UTC).
    pub fn timezone(self, tz: impl ToVal) -> Self {
        self.set_val(&["ScheduleExpressionTimezone"], tz)
    }
    /// The target API or function and the role EventBridge Scheduler assumes to call it.
    /// A universal target ARN looks like `arn:aws:scheduler:::aws-sdk:<service>:<apiAction>`.
    pub fn target(self, arn: impl ToVal, role_arn: impl ToVal) -> Self {
        self.set_val(&["Target", "Arn"], arn)
            .set_val(&["Target", "RoleArn"], role_arn)
    }
    /// The schedule group (`GroupName`; without it, the account's `default` group).
    pub fn group(self, name: impl ToVal) -> Self {
        self.set_val(&["GroupName"], name)
    }
    /// The target's input: a JSON value, sent as a JSON string.
    pub fn input(self, input: impl ToVal) -> Self {
        let v = input.to_val();
        let s = Val::new(Expr::Call("string", vec![v.expr()]), crate::ir::Kind::Str);
        self.set(&["Target", "Input"], Tree::Leaf(s.expr()))
    }
    /// Delete the schedule after it runs (`ActionAfterCompletion: DELETE`).
    pub fn delete_after_completion(self) -> Self {
        self.set(&["ActionAfterCompletion"], Tree::lit("DELETE"))
    }
}

/// Invokes a Lambda function with a JSON payload; the result holds `Payload`.
/// <https://docs.aws.amazon.com/step-functions/latest/dg/connect-lambda.html>
#[track_caller]
pub fn invoke_lambda(function: impl ToVal, payload: impl ToVal) -> ServiceStep<Val> {
    let f = function.to_val();
    let name = const_str(&f)
        .map(|a| a.rsplit(':').next().unwrap_or_default().to_owned())
        .unwrap_or_else(|| "function".into());
    let s = ServiceStep::new(
        "arn:aws:states:::lambda:invoke".into(),
        format!("Invoke {name}"),
        ResultShape::Fields(vec![("Payload", vec!["Payload"])]),
        Loc::caller(),
    );
    s.set(&["FunctionName"], Tree::Leaf(f.expr()))
        .set(&["Payload"], tree_of(payload.to_val()))
}

/// Calls any AWS API through Step Functions' AWS SDK integration
/// (`arn:aws:states:::aws-sdk:<service>:<action>`); the result is the API's response.
/// <https://docs.aws.amazon.com/step-functions/latest/dg/supported-services-awssdk.html>
#[track_caller]
pub fn aws_sdk(service: &str, action: &str, arguments: impl ToVal) -> ServiceStep<Val> {
    let loc = Loc::caller();
    let camel = action
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_lowercase());
    if service.is_empty() || !camel {
        ctx::error(loc, format!("aws_sdk(\"{service}\", \"{action}\"): give the service (e.g. \"s3\") and the API action in camelCase (e.g. \"getObject\")"));
    }
    let s = ServiceStep::new(
        format!("arn:aws:states:::aws-sdk:{service}:{action}"),
        format!("{service} {action}"),
        ResultShape::Whole,
        loc,
    );
    let args = tree_of(arguments.to_val());
    s.set(&[], args)
}
