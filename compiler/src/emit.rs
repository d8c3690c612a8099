//! Canonical JSON emission: 2-space indented, trailing newline, byte-identical for equal input.
//!
//! Canonical order comes from the model itself: states in `IndexMap` insertion order, fields in
//! struct declaration order, keys inside free-form values in their insertion order
//! (`serde_json` is built with `preserve_order`).

use std::io;

use crate::asl::StateMachine;

/// The definition as pretty JSON with a trailing newline.
pub fn to_json(machine: &StateMachine) -> String {
    // Serialising the model cannot fail: every map key is a string, `Value` numbers are finite,
    // and writing to a `String` does no I/O.
    let mut text = serde_json::to_string_pretty(machine)
        .expect("serialising the ASL model is infallible (string keys, in-memory writer)");
    text.push('\n');
    text
}

/// `to_json(machine).len()`, without building the string.
pub fn size_bytes(machine: &StateMachine) -> usize {
    struct Count(usize);
    impl io::Write for Count {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            self.0 += buf.len();
            Ok(buf.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }
    let mut count = Count(0);
    match serde_json::to_writer_pretty(&mut count, machine) {
        Ok(()) => count.0 + 1,
        // Unreachable for the same reasons as in `to_json`; fall back to the exact answer.
        Err(_) => to_json(machine).len(),
    }
}
