//! The digit prompts: `SpeakAndGetDigits` and `PlayAudioAndGetDigits`, their options, and what
//! they send when the flow says nothing.

use super::*;

/// The options of the digit-collecting actions, each on its parameter.
const DIGITS_MIN: Opt = Opt::method(
    "digits",
    &[param::MIN_NUMBER_OF_DIGITS.field],
    Sent::RangeStart,
);
const DIGITS_MAX: Opt = Opt::method(
    "digits",
    &[param::MAX_NUMBER_OF_DIGITS.field],
    Sent::RangeEnd,
);
const RETRIES: Opt = Opt::method("retries", &[param::GET_DIGITS_REPEAT.field], Sent::Plus(1));
const DIGIT_TIMEOUT: Opt = Opt::method(
    "digit_timeout_ms",
    &[param::IN_BETWEEN_DIGITS_MS.field],
    Sent::Same,
);
const WAIT_MS: Opt = Opt::method("wait_ms", &[param::REPEAT_DURATION_MS.field], Sent::Same);
const PATTERN: Opt = Opt::method("pattern", &["InputDigitsRegex"], Sent::Same);
const TERMINATOR_DIGITS: Opt = Opt::method("terminators", &["TerminatorDigits"], Sent::Keys);

/// Options shared by the digit-collecting actions.
macro_rules! digit_options {
    ($kind:ty, $chain:literal) => {
        impl Step<$kind> {
            /// How many digits to collect (`MinNumberOfDigits..=MaxNumberOfDigits`).
            #[track_caller]
            pub fn digits(self, range: RangeInclusive<i64>) -> Self {
                let loc = Loc::caller();
                let (min, max) = (*range.start(), *range.end());
                if let Err(e) = option($chain, "digits").check_range(min, max) {
                    ctx::error(loc, e);
                }
                self.set_by(DIGITS_MIN, &[], json!(min), loc).set_by(
                    DIGITS_MAX,
                    &[],
                    json!(max),
                    loc,
                )
            }
            /// How many more times to prompt when the caller enters nothing valid: `Repeat`, the
            /// number of attempts in all, is `n + 1`
            /// (<https://docs.aws.amazon.com/chime-sdk/latest/dg/speak-and-get-digits.html>).
            #[track_caller]
            pub fn retries(mut self, n: i64) -> Self {
                let loc = Loc::caller();
                let asked = check_int(loc, option($chain, "retries"), n) + 1;
                let per_attempt = self.action.max_seconds / secs(param::GET_DIGITS_REPEAT.sent());
                self.action.max_seconds = per_attempt * secs(asked);
                self.set_by(RETRIES, &[], json!(n), loc)
            }
            /// A regular expression the digits must match (`InputDigitsRegex`).
            #[track_caller]
            pub fn pattern(self, regex: &str) -> Self {
                self.set_by(PATTERN, &[], json!(regex), Loc::caller())
            }
            /// Keys that end the input early (`TerminatorDigits`, e.g. `"#"`).
            #[track_caller]
            pub fn terminators(self, keys: &str) -> Self {
                let loc = Loc::caller();
                check_terminators(loc, "terminators", keys);
                self.set_by(TERMINATOR_DIGITS, &[], json!(keys), loc)
            }
            /// Milliseconds to wait between digits (`InBetweenDigitsDurationInMilliseconds`).
            #[track_caller]
            pub fn digit_timeout_ms(self, ms: i64) -> Self {
                let loc = Loc::caller();
                check_int(loc, option($chain, "digit_timeout_ms"), ms);
                self.set_by(DIGIT_TIMEOUT, &[], json!(ms), loc)
            }
            /// Milliseconds to wait for the first digit before repeating (`RepeatDurationInMilliseconds`).
            #[track_caller]
            pub fn wait_ms(self, ms: i64) -> Self {
                let loc = Loc::caller();
                check_int(loc, option($chain, "wait_ms"), ms);
                self.set_by(WAIT_MS, &[], json!(ms), loc)
            }
        }
    };
}
digit_options!(kinds::SpeakAndGetDigits, "speak_and_get_digits");
digit_options!(kinds::PlayAudioAndGetDigits, "play_audio_and_get_digits");

/// What the digit prompts send when the flow says nothing ([`param`]'s `sends`).
fn get_digits_defaults<K: ActionKind>(mut s: Step<K>) -> Step<K> {
    let p = |p: &param::Param| Some(Tree::lit(p.sent()));
    // The prompt is heard up to `Repeat` times.
    s.action.max_seconds *= secs(param::GET_DIGITS_REPEAT.sent());
    s.default_by(DIGITS_MIN, &[], p(&param::MIN_NUMBER_OF_DIGITS))
        .default_by(DIGITS_MAX, &[], p(&param::MAX_NUMBER_OF_DIGITS))
        .default_by(DIGIT_TIMEOUT, &[], p(&param::IN_BETWEEN_DIGITS_MS))
        .default_by(RETRIES, &[], p(&param::GET_DIGITS_REPEAT))
        .default_by(WAIT_MS, &[], p(&param::REPEAT_DURATION_MS))
        .default_by(PATTERN, &[], None)
        .default_by(TERMINATOR_DIGITS, &[], None)
}

/// Speaks a prompt and collects digits; on no valid input, speaks the failure text and asks
/// again (`retries`, default 2). <https://docs.aws.amazon.com/chime-sdk/latest/dg/speak-and-get-digits.html>
#[track_caller]
pub fn speak_and_get_digits(prompt: impl ToVal) -> Step<kinds::SpeakAndGetDigits> {
    let loc = Loc::caller();
    let text = prompt.to_val();
    check_text(&text, "speak_and_get_digits prompt", loc);
    let secs = speech_seconds(&text) + 10;
    let s = Step::new(
        Action::SPEAK_AND_GET_DIGITS,
        format!("Ask {}", short(&text)),
        secs,
        loc,
    );
    let s = speech(with_call_id(s), &["SpeechParameters"], PROMPT, &text, loc);
    // Failure speech: the text only; the rest "defaults to the value in SpeechParameters"
    // (<https://docs.aws.amazon.com/chime-sdk/latest/dg/speak-and-get-digits.html>).
    let failure = Tree::lit(DEFAULT_FAILURE_TEXT);
    get_digits_defaults(s.default_by(FAILURE_TEXT, &[], Some(failure)))
}

/// `speak_and_get_digits`' prompt.
const PROMPT: Opt = Opt::argument("speak_and_get_digits", 0, &["Text"]);
const FAILURE_TEXT: Opt = Opt::method(
    "failure_text",
    &["FailureSpeechParameters", "Text"],
    Sent::Same,
);
/// What a prompt says when the caller's input is missing or invalid, unless `failure_text` says.
pub const DEFAULT_FAILURE_TEXT: &str = "Sorry, I did not get that.";

impl Step<kinds::SpeakAndGetDigits> {
    /// What to say when the input is missing or invalid (`FailureSpeechParameters.Text`).
    #[track_caller]
    pub fn failure_text(self, text: impl ToVal) -> Self {
        let loc = Loc::caller();
        let text = text.to_val();
        check_text(&text, "failure_text", loc);
        self.set_by_val(FAILURE_TEXT, &[], &text, loc)
    }
}

/// Plays an audio file from S3 and collects digits. <https://docs.aws.amazon.com/chime-sdk/latest/dg/play-audio-get-digits.html>
#[track_caller]
pub fn play_audio_and_get_digits(
    bucket: impl ToVal,
    key: impl ToVal,
) -> Step<kinds::PlayAudioAndGetDigits> {
    let loc = Loc::caller();
    let (bucket, key) = (bucket.to_val(), key.to_val());
    let s = Step::new(
        Action::PLAY_AUDIO_AND_GET_DIGITS,
        format!("Play {} and get digits", short(&key)),
        40,
        loc,
    );
    let audio = Opt::argument("play_audio_and_get_digits", 0, &[]);
    let s = s3_source(
        with_call_id(s),
        &["AudioSource"],
        audio,
        (&bucket, &key),
        Some(loc),
    );
    let s = s3_source(
        s,
        &["FailureAudioSource"],
        FAILURE_AUDIO,
        (&bucket, &key),
        None,
    );
    get_digits_defaults(s)
}

/// `failure_audio(bucket, key)`, on `FailureAudioSource`.
const FAILURE_AUDIO: Opt = Opt::method("failure_audio", &[], Sent::Same);

impl Step<kinds::PlayAudioAndGetDigits> {
    /// The audio played when the input is missing or invalid (`FailureAudioSource`).
    #[track_caller]
    pub fn failure_audio(self, bucket: impl ToVal, key: impl ToVal) -> Self {
        let (bucket, key) = (bucket.to_val(), key.to_val());
        let at = ["FailureAudioSource"];
        s3_source(
            self,
            &at,
            FAILURE_AUDIO,
            (&bucket, &key),
            Some(Loc::caller()),
        )
    }
}
