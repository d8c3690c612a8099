//! Where the values an action or a service call sends come from in the flow's source: the
//! builder call that set each one, which of its arguments, and how that argument becomes the
//! value sent.
//!
//! The builder records an [`Origin`] wherever it sets a parameter from a call of the flow
//! (`.retries(2)` sets `Repeat` to 3) and, where the flow leaves a parameter at what Switchboard
//! sends, the call that would change it (`Repeat` is set by `.retries(…)`, not called). Each
//! builder method states its parameter and its [`Sent`] rule once, in an [`Opt`] it both sets the
//! value with and records, so the mapping from a field of the definition back to the method to
//! write cannot drift from the code that emits the field. The compiler carries these records to
//! the definition it emits (a JSON pointer for each), and `compile --drift` reads them to name
//! the call behind each edited value, and to rewrite a changed literal in place.

use crate::ir::Loc;
use serde_json::Value as Json;
use std::fmt;
use std::sync::Arc;

/// A builder call: a function of the flow language (`speak(…)`) or a method of a builder chain
/// (`.retries(…)`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Call {
    Function(&'static str),
    Method(&'static str),
}

impl Call {
    /// The function's or method's name.
    pub fn name(self) -> &'static str {
        match self {
            Call::Function(n) | Call::Method(n) => n,
        }
    }
}

impl fmt::Display for Call {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Call::Function(n) => write!(f, "`{n}(…)`"),
            Call::Method(n) => write!(f, "`.{n}(…)`"),
        }
    }
}

/// A constant a flag method sends (`.ssml()` sends `"ssml"`, `.descending()` sends `false`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Flag {
    Str(&'static str),
    Bool(bool),
}

impl Flag {
    pub fn json(self) -> Json {
        match self {
            Flag::Str(s) => Json::String(s.to_owned()),
            Flag::Bool(b) => Json::Bool(b),
        }
    }
}

/// How a call's argument becomes the value sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Sent {
    /// The argument as written (a text, a number).
    Same,
    /// The argument plus `k`: `retries(n)` sends `Repeat: n + 1`.
    Plus(i64),
    /// An integer sent as its decimal text: `sip_code(486)` sends `"486"`.
    Decimal,
    /// A string of keys sent as a list of one-key strings: `terminators("#*")` sends `["#", "*"]`.
    Keys,
    /// The start of a range argument, as written: `digits(1..=4)` sends `MinNumberOfDigits: 1`.
    RangeStart,
    /// The end of a range argument, as written: `digits(1..=4)` sends `MaxNumberOfDigits: 4`.
    RangeEnd,
    /// A method without arguments that sends this constant when it is called.
    Flag(Flag),
}

impl Sent {
    /// The value sent for the argument `arg` (for [`Sent::Flag`], the constant, whatever `arg`).
    /// `None` when the argument does not fit the rule (a text for [`Sent::Plus`]).
    pub fn send(self, arg: &Json) -> Option<Json> {
        Some(match self {
            Sent::Same | Sent::RangeStart | Sent::RangeEnd => arg.clone(),
            Sent::Plus(k) => Json::from(arg.as_i64()?.checked_add(k)?),
            Sent::Decimal => Json::String(arg.as_i64()?.to_string()),
            Sent::Keys => Json::Array(
                arg.as_str()?
                    .chars()
                    .map(|c| Json::String(c.to_string()))
                    .collect(),
            ),
            Sent::Flag(f) => f.json(),
        })
    }

    /// The argument to write so that `sent` is sent: the inverse of [`Sent::send`]. `None` when
    /// no argument sends it (a text where a number is sent, a flag's other value). A flag's
    /// argument is `null`: the call without arguments.
    pub fn argument(self, sent: &Json) -> Option<Json> {
        let arg = match self {
            Sent::Same | Sent::RangeStart | Sent::RangeEnd => sent.clone(),
            Sent::Plus(k) => Json::from(sent.as_i64()?.checked_sub(k)?),
            Sent::Decimal => {
                let s = sent.as_str()?;
                let n: i64 = s.parse().ok()?;
                // "007" or "+7" is not what any integer argument sends.
                if n.to_string() != s {
                    return None;
                }
                Json::from(n)
            }
            Sent::Keys => {
                let mut keys = String::new();
                for k in sent.as_array()? {
                    let k = k.as_str()?;
                    if k.chars().count() != 1 {
                        return None;
                    }
                    keys.push_str(k);
                }
                Json::String(keys)
            }
            Sent::Flag(f) => {
                return (f.json() == *sent).then_some(Json::Null);
            }
        };
        // The rule's own inverse must send `sent` again.
        (self.send(&arg).as_ref() == Some(sent)).then_some(arg)
    }
}

/// A builder option: the call that sets a parameter, which argument, and how it is sent. The
/// builder sets the parameter through it and records it where the flow leaves the parameter at
/// its default, so each method's field is stated here once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Opt {
    pub call: Call,
    pub arg: usize,
    /// The field, under the action's `Parameters` (or the service Task's `Arguments`), after
    /// the prefix the option's chain adds (`SpeechParameters` for a prompt's voice).
    pub field: &'static [&'static str],
    pub sent: Sent,
}

impl Opt {
    /// Argument 0 of method `name`, setting `field` as `sent` says.
    pub const fn method(name: &'static str, field: &'static [&'static str], sent: Sent) -> Opt {
        Opt {
            call: Call::Method(name),
            arg: 0,
            field,
            sent,
        }
    }

    /// Argument `arg` of function `name`, setting `field` as written.
    pub const fn argument(name: &'static str, arg: usize, field: &'static [&'static str]) -> Opt {
        Opt {
            call: Call::Function(name),
            arg,
            field,
            sent: Sent::Same,
        }
    }

    /// The same option, argument `arg` of its call.
    pub const fn arg(self, arg: usize) -> Opt {
        Opt { arg, ..self }
    }
}

/// Where one value of the definition comes from: the call that set it (or, `called: false`, the
/// call that would set it), at `loc`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Origin {
    /// The value's path from the action object (`["Parameters", "Repeat"]`) or from the service
    /// Task (`["Arguments", "TableName"]`, `["TimeoutSeconds"]`).
    pub path: Vec<String>,
    pub call: Call,
    /// Which argument of the call (0-based).
    pub arg: usize,
    pub sent: Sent,
    /// Where the call is written (its name's first character); for a call the flow does not
    /// make, the call of the action or service it would be added to.
    pub loc: Loc,
    /// `false`: the flow does not make this call; the value is what Switchboard sends without
    /// it (or the field is absent).
    pub called: bool,
}

/// The origins of one action or service call, as the builder records them. Shared once built:
/// the compiler copies actions from the IR into its states and its passes copy states, and a
/// copy of the origins is a reference count, not a copy of every path.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Origins(Arc<Vec<Origin>>);

impl Origins {
    /// Records that `call` set (or, `called: false`, would set) the value at `path`: what was
    /// recorded at `path` or under it goes, since the value there is new.
    pub fn record(&mut self, origin: Origin) {
        self.forget(&origin.path);
        Arc::make_mut(&mut self.0).push(origin);
    }

    /// Forgets what was recorded at `path` or under it: the value there was set some other way.
    pub fn forget(&mut self, path: &[String]) {
        Arc::make_mut(&mut self.0).retain(|o| !o.path.starts_with(path));
    }

    /// Forgets the calls the flow does not make (`called: false`).
    pub fn forget_uncalled(&mut self) {
        Arc::make_mut(&mut self.0).retain(|o| o.called);
    }

    /// Renames the calls recorded at `loc`: a helper that builds an action with another
    /// function of the flow language (`take_message(…).prompt(text)` speaks with `speak(text)`)
    /// records its own call.
    pub fn rename_at(&mut self, loc: Loc, from: Call, to: Call) {
        for o in Arc::make_mut(&mut self.0) {
            if o.loc == loc && o.call == from {
                o.call = to;
            }
        }
    }

    pub fn iter(&self) -> impl Iterator<Item = &Origin> {
        self.0.iter()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn each_rule_sends_and_inverts() {
        let cases = [
            (Sent::Same, json!("Hi"), json!("Hi")),
            (Sent::Plus(1), json!(2), json!(3)),
            (Sent::Decimal, json!(486), json!("486")),
            (Sent::Keys, json!("#*"), json!(["#", "*"])),
            (Sent::RangeEnd, json!(4), json!(4)),
            (Sent::Flag(Flag::Str("ssml")), json!(null), json!("ssml")),
            (Sent::Flag(Flag::Bool(false)), json!(null), json!(false)),
        ];
        for (rule, arg, sent) in cases {
            assert_eq!(rule.send(&arg), Some(sent.clone()), "{rule:?}");
            assert_eq!(rule.argument(&sent), Some(arg), "{rule:?}");
        }
    }

    #[test]
    fn values_no_argument_sends_have_no_inverse() {
        assert_eq!(Sent::Plus(1).argument(&json!("4")), None);
        assert_eq!(Sent::Plus(1).argument(&json!(2.5)), None);
        assert_eq!(Sent::Decimal.argument(&json!("048")), None);
        assert_eq!(Sent::Decimal.argument(&json!("busy")), None);
        assert_eq!(Sent::Keys.argument(&json!(["##"])), None);
        assert_eq!(Sent::Flag(Flag::Str("ssml")).argument(&json!("text")), None);
    }

    #[test]
    fn a_new_value_replaces_what_was_recorded_under_it() {
        let loc = Loc {
            file: "f.rs",
            line: 1,
            column: 1,
        };
        let at = |path: &[&str], call| Origin {
            path: path.iter().map(|p| p.to_string()).collect(),
            call,
            arg: 0,
            sent: Sent::Same,
            loc,
            called: true,
        };
        let mut o = Origins::default();
        o.record(at(&["Parameters", "A", "Text"], Call::Function("speak")));
        o.record(at(&["Parameters", "B"], Call::Method("b")));
        o.record(at(&["Parameters", "A"], Call::Method("a")));
        let calls: Vec<Call> = o.iter().map(|o| o.call).collect();
        assert_eq!(calls, [Call::Method("b"), Call::Method("a")]);
        o.rename_at(loc, Call::Method("a"), Call::Method("prompt"));
        assert_eq!(o.iter().last().unwrap().call, Call::Method("prompt"));
    }
}
