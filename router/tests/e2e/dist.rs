//! Whole calls through every compiled flow in `dist/`, one script per flow, all in this file.
//!
//! The emulator's clock starts at Tuesday 3 March 2026, 12:00 in New York (09:00 in Los Angeles):
//! `run-e2e.sh` passes `--clock` to the launcher and [`check_clock`] makes sure, so the flows
//! that look at opening hours (front-desk, business-phone) take their "open" paths.
//!
//! Lines a call must hear quote the flows' text as compiled from `workflows/` today (greetings,
//! prompts, menus): when a flow's wording changes, change its lines here.

use aws_sdk_sfn::types::ExecutionStatus;
use serde_json::{json, Value};

use super::call::{matches, render, resolve, Caller, Phone, Turn, Vars};
use super::moto::{self, NOTIFICATIONS};

use Caller::*;

/// A flow and the calls to make to it, in order, on one deployment.
pub struct Flow {
    /// `dist/<name>.asl.json`.
    pub name: &'static str,
    /// The number the router sends to the flow (the flows that care read it from their
    /// configuration: business-phone's `number`).
    pub number: &'static str,
    pub calls: &'static [Call],
    /// Runs before the calls; e.g. what the owner's PIN needs.
    pub setup: fn(&Value),
}

/// One call: who makes it, what is said, and what it leaves behind.
pub struct Call {
    /// The caller's number; `{customer}` for one unique to the test.
    pub from: &'static str,
    /// The turns, in parts that calls share.
    pub turns: &'static [&'static [Turn]],
    /// Items the call leaves: the table, and attributes with their values; the item is the one
    /// whose `from` is this call's caller.
    pub items: &'static [(&'static str, &'static [(&'static str, &'static str)])],
}

const fn turn(caller: Caller, hears: &'static [&'static str]) -> Turn {
    Turn { caller, hears }
}

/// The end of every call in these scripts: the flow hangs up, PSTN audio reports the hang-up,
/// the router answers with nothing.
const HANG_UP: Turn = turn(Listens, &[]);

/// What voicemail, front-desk and transfer file for a message left by `{caller}`, and what their
/// notify function was told.
const VOICEMAIL_ITEMS: &[(&str, &[(&str, &str)])] = &[
    (
        "Voicemails",
        &[
            ("mailbox", "Acme Plumbing"),
            ("bucket", "acme-call-recordings"),
            ("key", "{recording}"),
            ("heard", "false"),
        ],
    ),
    (
        NOTIFICATIONS,
        &[
            ("mailbox", "Acme Plumbing"),
            ("key", "{recording}"),
            ("function", "notify-owner"),
        ],
    ),
];

/// voicemail's `leave_voicemail` (`take_message`): the prompt, the beep and the call
/// recording's start in one response, then the rest of the call (the caller talks and presses
/// pound, the goodbye, the hang-up), which is the same in every flow that uses it.
const ASK_FOR_MESSAGE: [&str; 3] = [
    "Speak: Please leave your message after the tone",
    "PlayAudio: s3://acme-call-recordings/prompts/beep.wav",
    "StartCallRecording: s3://acme-call-recordings/voicemail",
];
const SAVED: &[&str] = &[
    "Speak: Thank you, your message has been saved. Goodbye.",
    "Hangup",
];
/// `RecordAudio` only notices the end of the message; `StopCallRecording` delivers it.
const LISTEN_FOR_MESSAGE: [&str; 2] = [
    "RecordAudio: s3://acme-call-recordings/switchboard-scratch/",
    "StopCallRecording",
];
const LEAVE_MESSAGE: &[Turn] = &[
    turn(Listens, &LISTEN_FOR_MESSAGE),
    turn(Records, SAVED),
    HANG_UP,
];

fn no_setup(_: &Value) {}

pub const HELLO: Flow = Flow {
    name: "hello",
    number: "+12065550199",
    setup: no_setup,
    calls: &[Call {
        from: "{customer}",
        turns: &[&[
            turn(
                Dials,
                &[
                    "Speak: Thanks for calling Acme Plumbing.",
                    "SpeakAndGetDigits: Press 1 for sales.",
                ],
            ),
            turn(Presses("2"), &["Speak: Goodbye.", "Hangup"]),
            HANG_UP,
        ]],
        items: &[],
    }],
};

pub const VOICEMAIL: Flow = Flow {
    name: "voicemail",
    number: "+12065550198",
    setup: no_setup,
    calls: &[Call {
        from: "{customer}",
        turns: &[
            &[turn(
                Dials,
                &[
                    "Speak: You have reached Acme Plumbing. We cannot take your call right now. Please leave your message after the tone",
                    ASK_FOR_MESSAGE[1],
                    ASK_FOR_MESSAGE[2],
                ],
            )],
            LEAVE_MESSAGE,
        ],
        items: VOICEMAIL_ITEMS,
    }],
};

const FRONT_DESK_MENU: &str =
    "SpeakAndGetDigits: Press 1 for sales, 2 for support, or 9 to leave a message.";

pub const FRONT_DESK: Flow = Flow {
    name: "front-desk",
    number: "+12065550197",
    setup: no_setup,
    calls: &[Call {
        from: "{customer}",
        turns: &[
            &[
                // The greeting and the menu after it, in one response
                // (compiler/src/opt/batch_into_prompt.rs).
                turn(
                    Dials,
                    &["Speak: Thanks for calling Acme Plumbing.", FRONT_DESK_MENU],
                ),
                turn(Presses("9"), &ASK_FOR_MESSAGE),
            ],
            LEAVE_MESSAGE,
        ],
        items: VOICEMAIL_ITEMS,
    }],
};

pub const TRANSFER: Flow = Flow {
    name: "transfer",
    number: "+12065550196",
    setup: no_setup,
    calls: &[Call {
        from: "{customer}",
        turns: &[
            &[
                turn(Dials, &["Speak: Please hold while we connect you."]),
                turn(Listens, &["CallAndBridge: +12065550101"]),
                turn(NobodyAnswers, &["Speak: Still trying. Please hold."]),
                turn(Listens, &["CallAndBridge: +12065550102"]),
                turn(NobodyAnswers, &ASK_FOR_MESSAGE),
            ],
            LEAVE_MESSAGE,
        ],
        items: VOICEMAIL_ITEMS,
    }],
};

/// The business number and the owner's phone (`[business-phone]` in switchboard.toml).
const BUSINESS_NUMBER: &str = "+12125550100";
const OWNER: &str = "+12125550199";
/// The owner's PIN: [`owner_pin_setup`] stores its hash (SHA-256 of `"<number>:<PIN>"`).
pub const OWNER_PIN: &str = "2468";

const MENU: &str =
    "SpeakAndGetDigits: Press 1 to hear your messages, 2 to call a customer, or 3 to schedule a call.";

/// A customer leaves a message during opening hours (the owner does not answer), then the
/// owner calls in, gets the PIN wrong once, then right, and hears that message first.
pub const BUSINESS_PHONE: Flow = Flow {
    name: "business-phone",
    number: BUSINESS_NUMBER,
    setup: owner_pin_setup,
    calls: &[
        Call {
            from: "{customer}",
            turns: &[&[
                turn(
                    Dials,
                    &[
                        "Speak: Thank you for calling Acme Plumbing. Please hold while I connect you.",
                        "CallAndBridge: +12125550199",
                    ],
                ),
                turn(
                    NobodyAnswers,
                    &[
                        "Speak: Sorry, nobody can take your call right now.",
                        "PlayAudio: s3://acme-business-phone/prompts/beep.wav",
                        "StartCallRecording: s3://acme-business-phone/voicemail",
                    ],
                ),
                turn(
                    Listens,
                    &[
                        "RecordAudio: s3://acme-business-phone/switchboard-scratch/",
                        "StopCallRecording",
                    ],
                ),
                turn(Records, SAVED),
                HANG_UP,
            ]],
            items: &[(
                "BusinessPhoneMessages",
                &[
                    ("mailbox", BUSINESS_NUMBER),
                    ("bucket", "acme-business-phone"),
                    ("key", "{recording}"),
                    ("heard", "false"),
                    ("received", "Tuesday 2026-03-03 at 12:…"),
                ],
            )],
        },
        Call {
            from: OWNER,
            turns: &[&[
                turn(
                    Dials,
                    &["SpeakAndGetDigits: Welcome back. Please enter your PIN, then press pound."],
                ),
                turn(
                    Presses("1357"),
                    &["SpeakAndGetDigits: That PIN is not correct. Please try again"],
                ),
                turn(Presses(OWNER_PIN), &[MENU]),
                turn(
                    Presses("1"),
                    &[
                        "Speak: New message 1 of…{customer}…received Tuesday 2026-03-03 at 12:",
                        "PlayAudio: s3://acme-business-phone/{recording}",
                        "SpeakAndGetDigits: Press 1 to replay, 2 for the next message, 3 to delete it",
                    ],
                ),
                turn(HangsUp, &[]),
            ]],
            items: &[],
        },
    ],
};

/// What the owner's PIN needs before the owner calls: its item in the messages table (the hash
/// is read at run time, never compiled in; docs/business-phone.md, "The owner's PIN"). The
/// definition must not hold the hash.
fn owner_pin_setup(definition: &Value) {
    use sha2::Digest;
    let hash = sha2::Sha256::digest(format!("{BUSINESS_NUMBER}:{OWNER_PIN}"));
    let hex: String = hash.iter().map(|b| format!("{b:02x}")).collect();
    assert!(
        !definition.to_string().contains(&hex),
        "dist/business-phone.asl.json holds the PIN's hash: it must read it from the table"
    );
    moto::aws(&[moto::call(
        "dynamodb",
        "put_item",
        json!({"TableName": "BusinessPhoneMessages", "Item": {
            "mailbox": {"S": format!("{BUSINESS_NUMBER}#owner")},
            "at": {"N": "0"},
            "pin_hash": {"S": hex},
        }}),
    )]);
}

/// Deploys `flow` from dist/ and makes its calls, checking each answer, the execution's end,
/// the queue's deletion and the items each call leaves.
pub async fn play(url: &str, flow: &Flow) {
    moto::deploy_shared_resources();
    check_clock(url).await;
    let path = moto::root()
        .join("dist")
        .join(format!("{}.asl.json", flow.name));
    let text =
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
    let text = moto::substitute(&text);
    let definition: Value = serde_json::from_str(&text).expect("dist/ holds JSON");
    let missing = moto::missing_resources(&definition);
    assert!(
        missing.is_empty(),
        "{} uses {missing:?}, which the e2e setup does not create: add them to TABLES or FUNCTIONS in router/tests/e2e/moto.rs",
        path.display()
    );
    (flow.setup)(&definition);
    let env = moto::deploy(url, &text, flow.number).await;
    let mut vars = Vars::new();
    vars.insert("customer", moto::unique_number());
    for (n, call) in flow.calls.iter().enumerate() {
        let from = resolve(call.from, &vars);
        vars.insert("caller", from.clone());
        let mut phone = Phone::new(&env, &from, flow.number);
        for (t, turn) in call.turns.iter().copied().flatten().enumerate() {
            let actions = phone.act(turn.caller, &mut vars).await;
            let heard: Vec<String> = actions.iter().map(render).collect();
            let wanted: Vec<String> = turn.hears.iter().map(|l| resolve(l, &vars)).collect();
            let ok = heard.len() == wanted.len()
                && wanted.iter().zip(&heard).all(|(w, h)| matches(w, h));
            assert!(
                ok,
                "{} call {n} turn {t} ({:?}): expected {wanted:#?}\nheard {heard:#?}",
                flow.name, turn.caller
            );
        }
        let status = moto::call_status(&env, &phone.tx).await;
        assert_eq!(status, ExecutionStatus::Succeeded, "{} call {n}", flow.name);
        let queue = phone.queue_url.clone().expect("the call had a queue");
        assert!(
            !moto::queue_exists(&env.sqs, &queue).await,
            "{} call {n}: the queue is deleted at the end",
            flow.name
        );
        assert!(
            phone.errors.is_empty(),
            "{} call {n}: router errors {:?}",
            flow.name,
            phone.errors
        );
        for (table, fields) in call.items {
            let found = moto::items_where(table, "from", &from);
            assert_eq!(
                found.len(),
                1,
                "{} call {n}: one {table} item from {from}: {found:#?}",
                flow.name
            );
            for (attr, value) in *fields {
                let got = found[0][attr].as_str().unwrap_or_default();
                let want = resolve(value, &vars);
                // A value ending in `…` is a prefix (times carry minutes and seconds).
                let ok = match want.strip_suffix('…') {
                    Some(prefix) => got.starts_with(prefix),
                    None => got == want,
                };
                assert!(
                    ok,
                    "{} call {n}: {table}.{attr} is {got:?}, expected {want:?}",
                    flow.name
                );
            }
        }
    }
}

/// Checks the emulator's clock reads what the scripts assume (see the module docs).
async fn check_clock(url: &str) {
    let clock = json!({"QueryLanguage": "JSONata", "StartAt": "Now", "States": {"Now": {
        "Type": "Pass", "End": true,
        "Output": {"now": "{% $fromMillis($millis(), '[FNn] [Y0001]-[M01]-[D01] [H01]', '-0500') %}"}}}});
    let (status, out) = moto::run_once(url, &clock.to_string(), &json!({})).await;
    assert_eq!(status, ExecutionStatus::Succeeded, "{out}");
    let now = out["now"].as_str().unwrap_or_default();
    assert!(
        now == "Tuesday 2026-03-03 12",
        "the emulator's clock reads {now} in New York; the scripts in router/tests/e2e/dist.rs assume Tuesday 2026-03-03 12:xx, as run-e2e.sh's --clock sets it"
    );
}
