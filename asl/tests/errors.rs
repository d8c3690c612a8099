//! Error-name matching as documented in
//! <https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html>.

use switchboard_asl::errors::{self, any_matches, is_terminal, matches};

#[test]
fn names_are_spelled_as_step_functions_spells_them() {
    assert_eq!(errors::ALL, "States.ALL");
    assert_eq!(errors::TIMEOUT, "States.Timeout");
    assert_eq!(errors::HEARTBEAT_TIMEOUT, "States.HeartbeatTimeout");
    assert_eq!(errors::TASK_FAILED, "States.TaskFailed");
    assert_eq!(errors::RUNTIME, "States.Runtime");
}

#[test]
fn states_all_matches_everything_but_terminal_errors() {
    assert!(matches(errors::ALL, "HANGUP"));
    assert!(matches(errors::ALL, errors::TIMEOUT));
    assert!(!matches(errors::ALL, errors::RUNTIME));
    assert!(!matches(errors::ALL, errors::DATA_LIMIT_EXCEEDED));
    assert!(is_terminal(errors::RUNTIME) && !is_terminal(errors::TIMEOUT));
}

#[test]
fn task_failed_matches_all_but_timeouts() {
    assert!(matches(errors::TASK_FAILED, "Lambda.ServiceException"));
    assert!(!matches(errors::TASK_FAILED, errors::TIMEOUT));
    assert!(!matches(errors::TASK_FAILED, errors::HEARTBEAT_TIMEOUT));
}

#[test]
fn timeout_covers_a_missed_heartbeat() {
    assert!(matches(errors::TIMEOUT, errors::HEARTBEAT_TIMEOUT));
    assert!(!matches(errors::HEARTBEAT_TIMEOUT, errors::TIMEOUT));
    assert!(!matches("HANGUP", "ACTION_FAILED"));
    assert!(any_matches(&["X".into(), "HANGUP".into()], "HANGUP"));
    assert!(!any_matches(&[], "HANGUP"));
}
