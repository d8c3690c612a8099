//! One call from its first event to its last, and what placed calls come from.

use serde::Deserialize;
use serde_json::{json, Value};
use switchboard::pstn::{Action, ActionData, ConstraintKind, Response};
use switchboard::wire::{event as ev, LEG_A};

use super::actions::Done;
use super::call::{sip, Call, Leg};
use super::script::{Answer, Moment, Step};
use super::{CallSpec, Direction, Entry, Outbox, Simulator, PLACE_CALL_TARGET};
use crate::cost::{SqsRequests, Usage};

/// A call that goes on longer than this many events is stopped and reported.
const MAX_EVENTS: u64 = 1000;

/// The next event to send.
struct Next {
    kind: &'static str,
    data: Option<ActionData>,
    /// Top-level `ErrorType`/`ErrorMessage` (`INVALID_LAMBDA_RESPONSE`).
    error: Option<(String, String)>,
}

impl Next {
    fn plain(kind: &'static str, data: Option<ActionData>) -> Self {
        Next {
            kind,
            data,
            error: None,
        }
    }
}

impl<Q: Outbox> Simulator<Q> {
    /// Send one event through the router; returns its response.
    fn send(&mut self, call: &mut Call, next: Next) -> Value {
        let mut event = call.event(next.kind, next.data);
        if let Some((t, m)) = next.error {
            event.error_type = Some(t);
            event.error_message = Some(m);
        }
        let data = event.action_data.as_ref();
        let action = data.and_then(|d| d.kind.clone());
        let error = event
            .error_type()
            .map(|t| format!("{t}: {}", event.error_message().unwrap_or_default()));
        let sip_code = data
            .and_then(|d| d.parameters.as_ref()?.get("SipResponseCode")?.as_i64())
            .filter(|_| next.kind == ev::HANGUP);
        let at_ms = self.world.env.clock.now_millis() - call.start_ms;
        self.transcript.entries.push(Entry::Event {
            call: call.number,
            at_ms,
            event: next.kind.into(),
            action,
            error,
            sip_code,
        });
        let event = serde_json::to_value(&event).expect("an invocation event serialises to JSON");
        let (before_ms, before_sqs) = (
            self.world.env.clock.now_millis(),
            self.world.env.services.outbox.requests(),
        );
        let reply = self.dispatch(&event);
        self.bill_invocation(call, before_ms, before_sqs);
        for i in reply.incidents {
            let text = format!("router {:?} {}: {}", i.severity, i.kind, i.detail).to_lowercase();
            self.note(call.number, text);
        }
        reply.response
    }

    /// What the router's invocation for one of `call`'s events used: one Lambda request, its
    /// simulated time rounded up to the millisecond (at least 1 ms), and the queue requests it
    /// made.
    fn bill_invocation(&mut self, call: &Call, before_ms: i64, before: SqsRequests) {
        let ms = (self.world.env.clock.now_millis() - before_ms).max(1) as u64;
        let after = self.world.env.services.outbox.requests();
        let u = match self
            .calls_usage
            .iter_mut()
            .find(|(n, ..)| *n == call.number)
        {
            Some((_, _, u)) => u,
            None => {
                self.calls_usage
                    .push((call.number, call.transaction_id.clone(), Usage::default()));
                &mut self.calls_usage.last_mut().expect("just pushed").2
            }
        };
        u.lambda_invocations += 1;
        u.lambda_billed_ms += ms;
        u.sqs.create_queue += after.create_queue - before.create_queue;
        u.sqs.receive_message += after.receive_message - before.receive_message;
        u.sqs.delete_message += after.delete_message - before.delete_message;
        u.sqs.delete_queue += after.delete_queue - before.delete_queue;
    }

    /// Check a response as PSTN audio does: schema 1.0, at most 10 actions, every action's
    /// documented constraints. A valid response's `TransactionAttributes` replace the call's.
    fn accept(&mut self, call: &mut Call, raw: &Value) -> Result<(Response, Vec<Value>), String> {
        // PSTN audio echoes the attributes of the response it rejects, so the
        // INVALID_LAMBDA_RESPONSE event names the task that sent it (and the router fails that
        // task, as DESIGN.md's wire contract says).
        if let Some(attrs) = raw.get("TransactionAttributes").and_then(Value::as_object) {
            call.attributes = Some(attrs.clone());
        }
        let response =
            Response::deserialize(raw).map_err(|e| format!("the response does not parse: {e}"))?;
        if let Err(errors) = response.validate() {
            // A value the documentation does not allow but the service accepts (the reference
            // workflow's `Repeat: 0`) is played, as PSTN audio plays it.
            let errors: Vec<String> = errors
                .iter()
                .filter(|e| e.kind != ConstraintKind::Tolerated)
                .map(|e| format!("{}.{}: {}", e.action, e.field, e.message))
                .collect();
            if !errors.is_empty() {
                return Err(errors.join("; "));
            }
        }
        let params = raw["Actions"]
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|x| x.get("Parameters").cloned().unwrap_or(json!({})))
                    .collect()
            })
            .unwrap_or_default();
        Ok((response, params))
    }

    /// Run a response's actions; say what to send next.
    fn perform(&mut self, call: &mut Call, raw: &Value, patience_ms: i64) -> Next {
        let (response, params) = match self.accept(call, raw) {
            Ok(r) => r,
            Err(why) => {
                self.note(call.number, format!("invalid response: {why}"));
                return Next {
                    kind: ev::INVALID_LAMBDA_RESPONSE,
                    data: None,
                    error: Some(("InvalidLambdaResponse".into(), why)),
                };
            }
        };
        call.responses += 1;
        if response.actions.is_empty() {
            return self.hangup_next(call, |s, c| s.idle(c, patience_ms));
        }
        let mut last = None;
        let mut digits = None;
        for (action, p) in response.actions.iter().zip(&params) {
            // The action as sent, with what it reports.
            let data = |results: ActionData| ActionData {
                kind: Some(action.type_name().to_owned()),
                parameters: p.as_object().cloned(),
                ..results
            };
            if self.leaves_before(call, action) {
                return self.hangup_next(call, |s, c| s.hung_up(c, LEG_A, "caller"));
            }
            match self.perform_one(call, action, p) {
                Done::Ok(results) => last = Some(data(results)),
                Done::Digits(d) => {
                    digits = Some(d);
                    last = Some(data(ActionData::default()));
                }
                Done::Failed(t, m) => {
                    let failure = ActionData {
                        error_type: Some(t.to_owned()),
                        error_message: Some(m),
                        ..ActionData::default()
                    };
                    return Next::plain(ev::ACTION_FAILED, Some(data(failure)));
                }
                Done::HungUp(tag) => return Next::plain(ev::HANGUP, Some(call.hangup_data(tag))),
            }
        }
        let listening = response
            .actions
            .iter()
            .position(|a| matches!(a, Action::ReceiveDigits(_)));
        if let (Some(d), Some(i)) = (digits, listening) {
            let p = params[i].as_object().cloned().unwrap_or_default();
            let data = ActionData {
                received_digits: Some(d),
                ..ActionData::of(response.actions[i].type_name(), p)
            };
            return Next::plain(ev::DIGITS_RECEIVED, Some(data));
        }
        Next::plain(ev::ACTION_SUCCESSFUL, last)
    }

    fn hangup_next(
        &mut self,
        call: &mut Call,
        f: impl FnOnce(&mut Self, &mut Call) -> Done,
    ) -> Next {
        match f(self, call) {
            Done::HungUp(tag) => Next::plain(ev::HANGUP, Some(call.hangup_data(tag))),
            _ => Next::plain(ev::HANGUP, Some(call.hangup_data(LEG_A))),
        }
    }

    /// Simulate one call to its end.
    pub(super) fn run_call(&mut self, spec: CallSpec) {
        self.calls += 1;
        let n = self.calls;
        let now = self.world.env.clock.now_millis();
        self.call_start = now;
        let transaction_id = format!("sim-{n:04}-{:x}", now.rem_euclid(1 << 40));
        let outbound = spec.direction == Direction::Outbound;
        let mut call = Call {
            number: n,
            leg_a: Leg {
                call_id: format!("{transaction_id}-leg-a"),
                tag: LEG_A,
                from: spec.from.clone(),
                to: spec.to.clone(),
                direction: if outbound { "Outbound" } else { "Inbound" },
                start_ms: now,
                connected: true,
            },
            transaction_id,
            sma_id: "sim-sip-media-application".into(),
            leg_b: None,
            attributes: None,
            sequence: 0,
            start_ms: now,
            deadline_ms: spec.hang_up_after.map(|s| now + s.millis()),
            talk: None,
            arguments: outbound.then(|| spec.arguments.clone()),
            hangup_code: sip::NORMAL_CLEARING,
            responses: 0,
            hang_up_seen: None,
            recordings: Vec::new(),
            recording_stopped: Vec::new(),
        };
        let local_time = self.local_time(now);
        self.transcript.entries.push(Entry::Call {
            call: n,
            direction: if outbound { "outbound" } else { "inbound" }.into(),
            from: spec.from.clone(),
            to: spec.to.clone(),
            local_time,
        });
        let patience = spec.patience.millis();
        let mut response = if outbound {
            match self.start_outbound(&mut call) {
                Some(r) => r,
                None => return self.end_call(&mut call),
            }
        } else {
            self.send(&mut call, Next::plain(ev::NEW_INBOUND_CALL, None))
        };
        while !call.over() {
            if call.sequence >= MAX_EVENTS {
                self.transcript
                    .problems
                    .push(format!("call {n} did not end after {MAX_EVENTS} events"));
                break;
            }
            let next = self.perform(&mut call, &response, patience);
            response = self.send(&mut call, next);
        }
        self.end_call(&mut call);
    }

    fn end_call(&mut self, call: &mut Call) {
        // A recording still running stops with the call and is delivered.
        self.deliver_recordings(call, |_| true);
        self.call_ms += self.world.env.clock.now_millis() - call.start_ms;
    }

    /// `NEW_OUTBOUND_CALL`, `RINGING`, then `CALL_ANSWERED` or a `HANGUP`, as
    /// `CreateSipMediaApplicationCall` does
    /// (<https://docs.aws.amazon.com/chime-sdk/latest/dg/use-create-call-api.html>). The
    /// actions of the responses before the answer are not run (nobody is on the line yet); their
    /// `TransactionAttributes` are kept.
    fn start_outbound(&mut self, call: &mut Call) -> Option<Value> {
        let args = call.arguments.clone().unwrap_or_default();
        let data = ActionData::call_create_request(args);
        let first = self.send(call, Next::plain(ev::NEW_OUTBOUND_CALL, Some(data)));
        if let Err(why) = self.accept(call, &first) {
            self.note(
                call.number,
                format!("invalid response to NEW_OUTBOUND_CALL: {why}"),
            );
        }
        let answer = match self.script.peek() {
            Some(Step::Answer(_) | Step::HangUp) => {
                self.script.take(Moment::Answer, "an outbound call rings")
            }
            _ => None,
        };
        // A busy line answers the INVITE with 486 at once: no RINGING. Otherwise the phone
        // rings: 5 s before an answer, 30 s before the network gives up (480), 5 s before the
        // called party declines (reported as 486, busy).
        let (rings, ring_ms, code, by) = match answer {
            None | Some(Step::Answer(Answer::Answered)) => (true, 5000, None, ""),
            Some(Step::Answer(Answer::Busy)) => {
                (false, 1000, Some(sip::USER_BUSY), "callee (busy)")
            }
            Some(Step::HangUp) => (true, 5000, Some(sip::USER_BUSY), "callee (declined)"),
            Some(_) => (true, 30_000, Some(sip::NO_ANSWER), "callee (no answer)"),
        };
        if rings {
            let ringing = self.send(call, Next::plain(ev::RINGING, None));
            let _ = self.accept(call, &ringing);
        }
        let on_time = self.spend(call, ring_ms);
        let ended = match (code, on_time) {
            (Some(code), true) => Some((code, by)),
            (None, true) => None,
            // `hang_up_after` comes while it still rings: nobody answered.
            (_, false) => Some((sip::NO_ANSWER, "callee (no answer)")),
        };
        if let Some((code, by)) = ended {
            self.hung_up_with(call, LEG_A, by, code);
            self.send(call, Next::plain(ev::HANGUP, Some(call.hangup_data(LEG_A))));
            return None;
        }
        let at_ms = self.world.env.clock.now_millis() - call.start_ms;
        self.transcript.entries.push(Entry::Note {
            call: call.number,
            at_ms,
            text: format!("{} answers", call.leg_a.to),
        });
        Some(self.send(call, Next::plain(ev::CALL_ANSWERED, None)))
    }

    /// Calls that fired schedules and Lambda stubs asked for, in order.
    pub(super) fn placed_calls(&mut self) -> Vec<CallSpec> {
        let firings = std::mem::take(&mut self.world.firings);
        for f in firings {
            let arn = f
                .target
                .get("Arn")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned();
            let input = match f.target.get("Input") {
                Some(Value::String(s)) => {
                    serde_json::from_str(s).unwrap_or(Value::String(s.clone()))
                }
                Some(v) => v.clone(),
                None => json!({}),
            };
            let at = self.local_time(f.at_ms);
            self.note(
                self.calls,
                format!("schedule {}/{} fires at {at}: {arn}", f.group, f.name),
            );
            if arn == PLACE_CALL_TARGET {
                let s = |k: &str| {
                    input
                        .get(k)
                        .and_then(Value::as_str)
                        .unwrap_or_default()
                        .to_owned()
                };
                let args = input
                    .get("ArgumentsMap")
                    .and_then(Value::as_object)
                    .cloned()
                    .unwrap_or_default();
                self.placer.place(CallSpec::outbound(
                    &s("FromPhoneNumber"),
                    &s("ToPhoneNumber"),
                    args,
                ));
            } else if arn.starts_with("arn:aws:lambda:") {
                if let Err(e) = self.world.env.services.services.lambdas.invoke(&arn, input) {
                    let text = format!("the schedule's function failed: {}: {}", e.error, e.cause);
                    self.note(self.calls, text);
                }
            } else {
                self.note(
                    self.calls,
                    format!("the simulator does not run schedule targets like {arn}"),
                );
            }
        }
        self.placer.take()
    }
}
