//! A fake of the Chime SDK Voice operations the provider calls, and of Lambda's `Invoke`, on
//! 127.0.0.1 (the `switchboard_lambda::http` server), for offline tests: point the SDK at it
//! with `AWS_ENDPOINT_URL_CHIME_SDK_VOICE` / `AWS_ENDPOINT_URL_LAMBDA` or the config builders'
//! `endpoint_url`.
//!
//! REST-JSON as the SDK speaks it (the paths, bodies and error shapes of
//! `aws-sdk-chimesdkvoice`'s serializers; errors carry `X-Amzn-ErrorType` and a `Message`):
//!
//! | operation | request |
//! |---|---|
//! | SearchAvailablePhoneNumbers | `GET /search?type=phone-numbers&area-code=…` |
//! | CreatePhoneNumberOrder | `POST /phone-number-orders` |
//! | GetPhoneNumberOrder | `GET /phone-number-orders/{id}` |
//! | GetPhoneNumber / UpdatePhoneNumber / DeletePhoneNumber | `GET` / `POST` / `DELETE /phone-numbers/{id}` |
//! | CreateSipMediaApplication | `POST /sip-media-applications` |
//! | UpdateSipMediaApplication / DeleteSipMediaApplication | `PUT` / `DELETE /sip-media-applications/{id}` |
//! | CreateSipRule | `POST /sip-rules` |
//! | GetSipRule / UpdateSipRule / DeleteSipRule | `GET` / `PUT` / `DELETE /sip-rules/{id}` |
//! | Lambda Invoke | `POST /2015-03-31/functions/{name}/invocations` |
//!
//! Behaviour kept from the service: an order stays `Processing` for a set number of polls, then
//! ends as the scenario says; a number in an enabled or disabled SIP rule cannot be deleted; a SIP
//! rule must be disabled before it is deleted
//! (<https://docs.aws.amazon.com/chime-sdk/latest/ag/delete-sip-rule.html>); unknown ids are
//! `NotFoundException`. `GET /_fake/state` returns everything as JSON for assertions;
//! `POST /_fake/orders` (`{"Polls": n, "End": "Failed"}`) changes how orders go.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};

use serde_json::{json, Value};
use switchboard_lambda::http::{self, Reply, Request};

/// How orders end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrderEnd {
    Successful,
    Failed,
}

/// A phone number of the account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Number {
    pub product_type: String,
    pub name: Option<String>,
}

/// A SIP rule.
#[derive(Debug, Clone, PartialEq)]
pub struct Rule {
    pub name: String,
    pub trigger_value: String,
    pub disabled: bool,
    pub targets: Value,
}

#[derive(Debug, Default)]
struct Order {
    numbers: Vec<String>,
    product_type: String,
    polls: u32,
}

/// The fake's state.
#[derive(Debug, Default)]
pub struct State {
    /// Numbers searchable by area code; an area code absent here finds `+1{area}5550100` to
    /// `…0102` unless it is listed in `empty_areas`.
    pub available: HashMap<String, Vec<String>>,
    pub empty_areas: Vec<String>,
    /// Polls an order stays `Processing` before it ends.
    pub order_polls: u32,
    pub order_end: Option<OrderEnd>,
    /// The account's numbers.
    pub numbers: BTreeMap<String, Number>,
    /// SIP media applications: id → (name, region, lambda ARN).
    pub smas: BTreeMap<String, (String, String, String)>,
    pub rules: BTreeMap<String, Rule>,
    orders: BTreeMap<String, Order>,
    /// Operation name → how many of its next calls answer `ThrottledClientException`.
    pub throttle: HashMap<String, u32>,
    /// Every call, by operation name, in order (throttled ones too).
    pub calls: Vec<String>,
    /// Payloads of Lambda `Invoke` calls.
    pub invocations: Vec<Value>,
    next_id: u32,
}

/// A running fake: its URL and state.
#[derive(Clone)]
pub struct FakeChime {
    pub url: String,
    pub state: Arc<Mutex<State>>,
}

impl FakeChime {
    /// Starts the fake on an ephemeral port of 127.0.0.1.
    pub fn start() -> FakeChime {
        Self::start_on("127.0.0.1:0").expect("bind 127.0.0.1")
    }

    /// Starts the fake on `addr` (e.g. `127.0.0.1:4599`).
    pub fn start_on(addr: &str) -> std::io::Result<FakeChime> {
        let state = Arc::new(Mutex::new(State {
            order_polls: 1,
            order_end: Some(OrderEnd::Successful),
            ..State::default()
        }));
        let s = state.clone();
        let addr = http::serve_on(addr, Arc::new(move |req| handle(&s, req)))?;
        Ok(FakeChime {
            url: format!("http://{addr}"),
            state,
        })
    }

    /// Runs `f` on the state.
    pub fn with<T>(&self, f: impl FnOnce(&mut State) -> T) -> T {
        f(&mut self.state.lock().unwrap_or_else(|e| e.into_inner()))
    }

    /// The operations called so far.
    pub fn calls(&self) -> Vec<String> {
        self.with(|s| s.calls.clone())
    }
}

fn error(status: u16, code: &str, message: &str) -> Reply {
    Reply::new(
        status,
        json!({"Code": code, "Message": message}).to_string(),
    )
    .header("content-type", "application/json")
    .header("x-amzn-errortype", code)
}

fn ok(status: u16, body: Value) -> Reply {
    Reply::new(status, body.to_string()).header("content-type", "application/json")
}

fn not_found(what: &str, id: &str) -> Reply {
    error(404, "NotFoundException", &format!("{what} {id} not found"))
}

fn query(path: &str, key: &str) -> Option<String> {
    let (_, q) = path.split_once('?')?;
    q.split('&')
        .filter_map(|kv| kv.split_once('='))
        .find(|(k, _)| *k == key)
        .map(|(_, v)| v.to_owned())
}

/// `%2B12125550100` → `+12125550100` (the SDK percent-encodes path labels).
fn decode(s: &str) -> String {
    let mut out = Vec::new();
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            if let Some(n) = s
                .get(i + 1..i + 3)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
            {
                out.push(n);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn op_name(method: &str, segments: &[&str]) -> Option<&'static str> {
    Some(match (method, segments) {
        ("GET", ["search"]) => "SearchAvailablePhoneNumbers",
        ("POST", ["phone-number-orders"]) => "CreatePhoneNumberOrder",
        ("GET", ["phone-number-orders", _]) => "GetPhoneNumberOrder",
        ("GET", ["phone-numbers", _]) => "GetPhoneNumber",
        ("POST", ["phone-numbers", _]) => "UpdatePhoneNumber",
        ("DELETE", ["phone-numbers", _]) => "DeletePhoneNumber",
        ("POST", ["sip-media-applications"]) => "CreateSipMediaApplication",
        ("PUT", ["sip-media-applications", _]) => "UpdateSipMediaApplication",
        ("DELETE", ["sip-media-applications", _]) => "DeleteSipMediaApplication",
        ("POST", ["sip-rules"]) => "CreateSipRule",
        ("GET", ["sip-rules", _]) => "GetSipRule",
        ("PUT", ["sip-rules", _]) => "UpdateSipRule",
        ("DELETE", ["sip-rules", _]) => "DeleteSipRule",
        ("POST", ["2015-03-31", "functions", _, "invocations"]) => "Invoke",
        ("GET", ["_fake", "state"]) => "State",
        ("POST", ["_fake", "orders"]) => "Orders",
        _ => return None,
    })
}

fn handle(state: &Mutex<State>, req: Request) -> Reply {
    let mut s = state.lock().unwrap_or_else(|e| e.into_inner());
    let path = req.path.split('?').next().unwrap_or("").to_owned();
    let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
    let Some(op) = op_name(&req.method, &segments) else {
        return error(
            400,
            "BadRequestException",
            &format!("the fake has no {} {}", req.method, req.path),
        );
    };
    if op == "State" {
        return ok(200, s.snapshot());
    }
    if op == "Orders" {
        return s.set_orders(&req.body);
    }
    s.calls.push(op.to_owned());
    if let Some(n) = s.throttle.get_mut(op).filter(|n| **n > 0) {
        *n -= 1;
        return error(429, "ThrottledClientException", "Rate exceeded");
    }
    let body: Value = serde_json::from_slice(&req.body).unwrap_or(Value::Null);
    let id = segments.get(1).map(|id| decode(id)).unwrap_or_default();
    let str_of = |k: &str| body[k].as_str().unwrap_or_default().to_owned();
    match op {
        "SearchAvailablePhoneNumbers" => {
            let area = query(&req.path, "area-code").unwrap_or_default();
            let found = if s.empty_areas.contains(&area) {
                Vec::new()
            } else {
                s.available
                    .get(&area)
                    .cloned()
                    .unwrap_or_else(|| (0..3).map(|i| format!("+1{area}555010{i}")).collect())
            };
            let found: Vec<String> = found
                .into_iter()
                .filter(|n| !s.numbers.contains_key(n))
                .collect();
            ok(200, json!({"E164PhoneNumbers": found}))
        }
        "CreatePhoneNumberOrder" => {
            let id = s.id("order");
            let numbers: Vec<String> = body["E164PhoneNumbers"]
                .as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(|n| n.as_str().map(str::to_owned))
                        .collect()
                })
                .unwrap_or_default();
            let order = Order {
                numbers,
                product_type: str_of("ProductType"),
                polls: 0,
            };
            let out = order_json(&id, &order, "Processing", "Processing");
            s.orders.insert(id, order);
            ok(201, json!({"PhoneNumberOrder": out}))
        }
        "GetPhoneNumberOrder" => s.poll_order(&id),
        "GetPhoneNumber" => match s.numbers.get(&id) {
            None => not_found("phone number", &id),
            Some(n) => ok(200, json!({"PhoneNumber": s.number_json(&id, n)})),
        },
        "UpdatePhoneNumber" => {
            let Some(mut n) = s.numbers.get(&id).cloned() else {
                return not_found("phone number", &id);
            };
            if let Some(p) = body["ProductType"].as_str() {
                n.product_type = p.to_owned();
            }
            if let Some(name) = body["Name"].as_str() {
                n.name = Some(name.to_owned());
            }
            s.numbers.insert(id.clone(), n.clone());
            ok(200, json!({"PhoneNumber": s.number_json(&id, &n)}))
        }
        "DeletePhoneNumber" => {
            if !s.numbers.contains_key(&id) {
                return not_found("phone number", &id);
            }
            if let Some(rule) = s.rules_of(&id).first() {
                return error(
                    400,
                    "BadRequestException",
                    &format!("phone number {id} is associated with SIP rule {rule}"),
                );
            }
            s.numbers.remove(&id);
            Reply::new(204, Vec::new())
        }
        "CreateSipMediaApplication" => {
            let id = s.id("sma");
            let arn = body["Endpoints"][0]["LambdaArn"]
                .as_str()
                .unwrap_or_default()
                .to_owned();
            let sma = (str_of("Name"), str_of("AwsRegion"), arn);
            let out = sma_json(&id, &sma);
            s.smas.insert(id, sma);
            ok(201, json!({"SipMediaApplication": out}))
        }
        "UpdateSipMediaApplication" => {
            let Some(sma) = s.smas.get_mut(&id) else {
                return not_found("SIP media application", &id);
            };
            if let Some(name) = body["Name"].as_str() {
                sma.0 = name.to_owned();
            }
            if let Some(arn) = body["Endpoints"][0]["LambdaArn"].as_str() {
                sma.2 = arn.to_owned();
            }
            let out = sma_json(&id, sma);
            ok(200, json!({"SipMediaApplication": out}))
        }
        "DeleteSipMediaApplication" => {
            if s.smas.remove(&id).is_none() {
                return not_found("SIP media application", &id);
            }
            Reply::new(204, Vec::new())
        }
        "CreateSipRule" => {
            let trigger = str_of("TriggerValue");
            if !s.numbers.contains_key(&trigger) {
                return error(
                    400,
                    "BadRequestException",
                    &format!("phone number {trigger} is not in the account"),
                );
            }
            let id = s.id("rule");
            let rule = Rule {
                name: str_of("Name"),
                trigger_value: trigger,
                disabled: body["Disabled"].as_bool().unwrap_or(false),
                targets: body["TargetApplications"].clone(),
            };
            let out = rule_json(&id, &rule);
            s.rules.insert(id, rule);
            ok(201, json!({"SipRule": out}))
        }
        "GetSipRule" => match s.rules.get(&id) {
            None => not_found("SIP rule", &id),
            Some(r) => ok(200, json!({"SipRule": rule_json(&id, r)})),
        },
        "UpdateSipRule" => {
            let Some(rule) = s.rules.get_mut(&id) else {
                return not_found("SIP rule", &id);
            };
            if body["Name"].as_str().is_none() {
                return error(400, "BadRequestException", "Name is required");
            }
            rule.name = str_of("Name");
            if let Some(d) = body["Disabled"].as_bool() {
                rule.disabled = d;
            }
            if !body["TargetApplications"].is_null() {
                rule.targets = body["TargetApplications"].clone();
            }
            let out = rule_json(&id, rule);
            ok(200, json!({"SipRule": out}))
        }
        "DeleteSipRule" => match s.rules.get(&id) {
            None => not_found("SIP rule", &id),
            Some(r) if !r.disabled => error(
                409,
                "ConflictException",
                &format!("SIP rule {id} must be disabled before it is deleted"),
            ),
            Some(_) => {
                s.rules.remove(&id);
                Reply::new(204, Vec::new())
            }
        },
        "Invoke" => {
            s.invocations.push(body);
            Reply::new(202, Vec::new())
        }
        _ => error(500, "ServiceFailureException", "unreachable"),
    }
}

impl State {
    fn id(&mut self, kind: &str) -> String {
        self.next_id += 1;
        format!("{kind}-{:04}", self.next_id)
    }

    fn rules_of(&self, number: &str) -> Vec<String> {
        self.rules
            .iter()
            .filter(|(_, r)| r.trigger_value == number)
            .map(|(id, _)| id.clone())
            .collect()
    }

    fn number_json(&self, id: &str, n: &Number) -> Value {
        let associations: Vec<Value> = self
            .rules_of(id)
            .into_iter()
            .map(|r| json!({"Name": "SipRuleId", "Value": r}))
            .collect();
        json!({"PhoneNumberId": id, "E164PhoneNumber": id, "ProductType": n.product_type,
               "Name": n.name, "Status": "Assigned", "Associations": associations})
    }

    fn poll_order(&mut self, id: &str) -> Reply {
        let (polls, end) = (self.order_polls, self.order_end);
        let Some(order) = self.orders.get_mut(id) else {
            return not_found("phone number order", id);
        };
        order.polls += 1;
        let (status, each) = match end {
            _ if order.polls <= polls => ("Processing", "Processing"),
            Some(OrderEnd::Failed) => ("Failed", "Failed"),
            _ => ("Successful", "Acquired"),
        };
        let out = order_json(id, order, status, each);
        if each == "Acquired" {
            let (numbers, product_type) = (order.numbers.clone(), order.product_type.clone());
            for n in numbers {
                self.numbers.entry(n).or_insert(Number {
                    product_type: product_type.clone(),
                    name: None,
                });
            }
        }
        ok(200, json!({"PhoneNumberOrder": out}))
    }

    /// `POST /_fake/orders` with `{"Polls": 3, "End": "Failed"}`: how orders answer their polls
    /// from now on (each field optional), so one test can make an order slow, or fail.
    fn set_orders(&mut self, body: &[u8]) -> Reply {
        let body: Value = serde_json::from_slice(body).unwrap_or(Value::Null);
        let polls = match &body["Polls"] {
            Value::Null => None,
            v => match v.as_u64().and_then(|n| u32::try_from(n).ok()) {
                Some(n) => Some(n),
                None => return error(400, "BadRequestException", "Polls must be a count"),
            },
        };
        let end = match body["End"].as_str() {
            None if body["End"].is_null() => None,
            Some("Successful") => Some(OrderEnd::Successful),
            Some("Failed") => Some(OrderEnd::Failed),
            _ => {
                return error(
                    400,
                    "BadRequestException",
                    "End must be \"Successful\" or \"Failed\"",
                )
            }
        };
        if let Some(n) = polls {
            self.order_polls = n;
        }
        if let Some(e) = end {
            self.order_end = Some(e);
        }
        ok(200, self.snapshot())
    }

    /// Everything, as JSON (`GET /_fake/state`).
    pub fn snapshot(&self) -> Value {
        json!({
            "Numbers": self.numbers.iter().map(|(k, n)| (k.clone(), self.number_json(k, n))).collect::<serde_json::Map<_, _>>(),
            "SipMediaApplications": self.smas.iter().map(|(k, s)| (k.clone(), sma_json(k, s))).collect::<serde_json::Map<_, _>>(),
            "SipRules": self.rules.iter().map(|(k, r)| (k.clone(), rule_json(k, r))).collect::<serde_json::Map<_, _>>(),
            "Calls": self.calls,
            "Invocations": self.invocations,
        })
    }
}

fn order_json(id: &str, o: &Order, status: &str, each: &str) -> Value {
    let numbers: Vec<Value> = o
        .numbers
        .iter()
        .map(|n| json!({"E164PhoneNumber": n, "Status": each}))
        .collect();
    json!({"PhoneNumberOrderId": id, "ProductType": o.product_type, "Status": status,
           "OrderType": "New", "OrderedPhoneNumbers": numbers})
}

fn sma_json(id: &str, (name, region, arn): &(String, String, String)) -> Value {
    json!({"SipMediaApplicationId": id, "Name": name, "AwsRegion": region,
           "Endpoints": [{"LambdaArn": arn}]})
}

fn rule_json(id: &str, r: &Rule) -> Value {
    json!({"SipRuleId": id, "Name": r.name, "Disabled": r.disabled, "TriggerType": "ToPhoneNumber",
           "TriggerValue": r.trigger_value, "TargetApplications": r.targets})
}
