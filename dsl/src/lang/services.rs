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
use crate::origin::{Flag, Opt, Sent};
use serde_json::Value as Json;

/// A DynamoDB attribute value, and the call that made it (`S("…")`) and where.
pub struct Attr(Tree, Opt, Loc);

/// A string attribute (`{"S": …}`).
#[allow(non_snake_case)]
#[track_caller]
pub fn S(v: impl ToVal) -> Attr {
    attr("S", Tree::Leaf(v.to_val().to_string().expr()), Sent::Same)
}
/// A number attribute (`{"N": "…"}`: DynamoDB numbers travel as strings).
#[allow(non_snake_case)]
#[track_caller]
pub fn N(v: impl ToVal) -> Attr {
    attr(
        "N",
        Tree::Leaf(v.to_val().to_string().expr()),
        Sent::Decimal,
    )
}
/// A boolean attribute (`{"BOOL": …}`).
#[allow(non_snake_case)]
#[track_caller]
pub fn BOOL(v: impl ToVal) -> Attr {
    attr("BOOL", Tree::Leaf(v.to_val().expr()), Sent::Same)
}

#[track_caller]
fn attr(kind: &'static str, value: Tree, sent: Sent) -> Attr {
    // The attribute's one field, e.g. `S`.
    let field: &'static [&'static str] = match kind {
        "S" => &["S"],
        "N" => &["N"],
        _ => &["BOOL"],
    };
    let opt = Opt {
        sent,
        ..Opt::argument(kind, 0, field)
    };
    Attr(Tree::Object(vec![(kind.into(), value)]), opt, Loc::caller())
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
    (function, api): (&'static str, &str),
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
    let table_opt = Opt::argument(function, 0, &["TableName"]);
    s.set_by(table_opt, &[], Tree::Leaf(table.expr()), loc)
}

/// Writes an item. <https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_PutItem.html>
#[track_caller]
pub fn put_item(table: impl ToVal) -> ServiceStep<Val> {
    let api = ("put_item", "putItem");
    table_step(api, table.to_val(), ResultShape::None, Loc::caller())
}
/// Reads an item by key; `found()` tells whether it exists.
#[track_caller]
pub fn get_item(table: impl ToVal) -> ServiceStep<Item> {
    table_step(
        ("get_item", "getItem"),
        table.to_val(),
        ResultShape::Fields(vec![("Item", vec!["Item"])]),
        Loc::caller(),
    )
}
/// Updates an item with an update expression.
#[track_caller]
pub fn update_item(table: impl ToVal) -> ServiceStep<Val> {
    table_step(
        ("update_item", "updateItem"),
        table.to_val(),
        ResultShape::None,
        Loc::caller(),
    )
}
/// Deletes an item by key.
#[track_caller]
pub fn delete_item(table: impl ToVal) -> ServiceStep<Val> {
    table_step(
        ("delete_item", "deleteItem"),
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
    let loc = Loc::caller();
    let s = ServiceStep::new(
        "arn:aws:states:::aws-sdk:dynamodb:query".into(),
        format!("DynamoDB query {name}"),
        shape,
        loc,
    );
    let table_opt = Opt::argument("query", 0, &["TableName"]);
    s.set_by(table_opt, &[], Tree::Leaf(table.expr()), loc)
}

/// Options of the DynamoDB calls.
macro_rules! ddb_options {
    ($($r:ty),*) => {$(
        impl ServiceStep<$r> {
            /// An attribute of the item (`Item`, for `put_item`).
            pub fn item(self, name: &str, value: Attr) -> Self {
                self.set_attr(&["Item", name], value)
            }
            /// A key attribute (`Key`, for get/update/delete).
            pub fn key(self, name: &str, value: Attr) -> Self {
                self.set_attr(&["Key", name], value)
            }
            /// A condition the item must meet (`ConditionExpression`), else the call fails with
            /// `DynamoDB.ConditionalCheckFailedException`.
            #[track_caller]
            pub fn condition(self, expression: &str) -> Self {
                let opt = Opt::method("condition", &["ConditionExpression"], Sent::Same);
                self.set_by(opt, &[], Tree::lit(expression), Loc::caller())
            }
            /// An update expression (`UpdateExpression`, for `update_item`).
            #[track_caller]
            pub fn update(self, expression: &str) -> Self {
                let opt = Opt::method("update", &["UpdateExpression"], Sent::Same);
                self.set_by(opt, &[], Tree::lit(expression), Loc::caller())
            }
            /// A key condition (`KeyConditionExpression`, for `query`).
            #[track_caller]
            pub fn key_condition(self, expression: &str) -> Self {
                let opt = Opt::method("key_condition", &["KeyConditionExpression"], Sent::Same);
                self.set_by(opt, &[], Tree::lit(expression), Loc::caller())
            }
            /// A value placeholder (`ExpressionAttributeValues`, e.g. `":pk"`).
            #[track_caller]
            pub fn value(self, placeholder: &str, value: Attr) -> Self {
                if !placeholder.starts_with(':') {
                    ctx::error(Loc::caller(), format!("value(\"{placeholder}\"): placeholders start with `:`"));
                }
                self.set_attr(&["ExpressionAttributeValues", placeholder], value)
            }
            /// A name placeholder (`ExpressionAttributeNames`, e.g. `"#k"`).
            #[track_caller]
            pub fn name(self, placeholder: &str, attribute: &str) -> Self {
                let opt = Opt::method("name", &[], Sent::Same).arg(1);
                let at = ["ExpressionAttributeNames", placeholder];
                self.set_by(opt, &at, Tree::lit(attribute), Loc::caller())
            }
        }
    )*};
}
ddb_options!(Val, Item, Items);

impl<R: super::results::FromVar> ServiceStep<R> {
    /// An attribute value at `path`, from the `S(…)`, `N(…)` or `BOOL(…)` call that made it.
    fn set_attr(self, path: &[&str], Attr(tree, opt, loc): Attr) -> Self {
        let value = match tree {
            Tree::Object(mut kv) if kv.len() == 1 => kv.remove(0).1,
            other => return self.set(path, other),
        };
        self.set(path, Tree::Object(Vec::new()))
            .set_by(opt, path, value, loc)
    }
}

impl ServiceStep<Items> {
    /// Newest first: `ScanIndexForward: false`.
    #[track_caller]
    pub fn descending(self) -> Self {
        let flag = Sent::Flag(Flag::Bool(false));
        let opt = Opt::method("descending", &["ScanIndexForward"], flag);
        self.set_by(opt, &[], Tree::lit(false), Loc::caller())
    }
    /// At most `n` items (`Limit`).
    #[track_caller]
    pub fn limit(self, n: i64) -> Self {
        let opt = Opt::method("limit", &["Limit"], Sent::Same);
        self.set_by(opt, &[], Tree::lit(n), Loc::caller())
    }
}

/// Creates an EventBridge Scheduler schedule.
/// <https://docs.aws.amazon.com/scheduler/latest/APIReference/API_CreateSchedule.html>
#[track_caller]
pub fn create_schedule(name: impl ToVal) -> ServiceStep<Val> {
    let name = name.to_val();
    let loc = Loc::caller();
    let s = ServiceStep::new(
        "arn:aws:states:::aws-sdk:scheduler:createSchedule".into(),
        "Create schedule".into(),
        ResultShape::Fields(vec![("ScheduleArn", vec!["ScheduleArn"])]),
        loc,
    );
    let name_opt = Opt::argument("create_schedule", 0, &["Name"]);
    s.set_by(name_opt, &[], Tree::Leaf(name.expr()), loc)
        .set(&["FlexibleTimeWindow", "Mode"], Tree::lit("OFF"))
}

impl ServiceStep<Val> {
    /// Runs once at a local date-time (`at(yyyy-mm-ddThh:mm:ss)`), in `ScheduleExpressionTimezone`.
    pub fn at(self, local_datetime: impl ToVal) -> Self {
        let expr = super::val::format(&["at(".to_val(), local_datetime.to_val(), ")".to_val()]);
        self.set(&["ScheduleExpression"], Tree::Leaf(expr.expr()))
    }
    /// The IANA time zone of `at` (`ScheduleExpressionTimezone`, default UTC).
    #[track_caller]
    pub fn timezone(self, tz: impl ToVal) -> Self {
        let opt = Opt::method("timezone", &["ScheduleExpressionTimezone"], Sent::Same);
        self.set_by(opt, &[], Tree::Leaf(tz.to_val().expr()), Loc::caller())
    }
    /// The target API or function and the role EventBridge Scheduler assumes to call it.
    /// A universal target ARN looks like `arn:aws:scheduler:::aws-sdk:<service>:<apiAction>`.
    #[track_caller]
    pub fn target(self, arn: impl ToVal, role_arn: impl ToVal) -> Self {
        let loc = Loc::caller();
        let opt = Opt::method("target", &["Arn"], Sent::Same);
        let role = Opt {
            field: &["RoleArn"],
            ..opt.arg(1)
        };
        self.set_by(opt, &["Target"], Tree::Leaf(arn.to_val().expr()), loc)
            .set_by(role, &["Target"], Tree::Leaf(role_arn.to_val().expr()), loc)
    }
    /// The schedule group (`GroupName`; without it, the account's `default` group).
    #[track_caller]
    pub fn group(self, name: impl ToVal) -> Self {
        let opt = Opt::method("group", &["GroupName"], Sent::Same);
        self.set_by(opt, &[], Tree::Leaf(name.to_val().expr()), Loc::caller())
    }
    /// The target's input: a JSON value, sent as a JSON string.
    pub fn input(self, input: impl ToVal) -> Self {
        let v = input.to_val();
        let s = Val::new(Expr::Call("string", vec![v.expr()]), crate::ir::Kind::Str);
        self.set(&["Target", "Input"], Tree::Leaf(s.expr()))
    }
    /// Delete the schedule after it runs (`ActionAfterCompletion: DELETE`).
    #[track_caller]
    pub fn delete_after_completion(self) -> Self {
        let flag = Sent::Flag(Flag::Str("DELETE"));
        let opt = Opt::method("delete_after_completion", &["ActionAfterCompletion"], flag);
        self.set_by(opt, &[], Tree::lit("DELETE"), Loc::caller())
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
    let loc = Loc::caller();
    let s = ServiceStep::new(
        "arn:aws:states:::lambda:invoke".into(),
        format!("Invoke {name}"),
        ResultShape::Fields(vec![("Payload", vec!["Payload"])]),
        loc,
    );
    let function = Opt::argument("invoke_lambda", 0, &["FunctionName"]);
    s.set_by(function, &[], Tree::Leaf(f.expr()), loc)
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
