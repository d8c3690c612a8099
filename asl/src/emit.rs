//! Canonical JSON: 2-space indented, trailing newline, byte-identical for equal input.
//!
//! Canonical order comes from the model itself: states in `IndexMap` insertion order, fields in
//! struct declaration order, keys inside free-form values in their insertion order
//! (`serde_json` is built with `preserve_order`).

use std::io;

use crate::StateMachine;

impl StateMachine {
    /// The definition as canonical JSON: pretty-printed with 2 spaces, with a trailing newline.
    /// Equal machines give byte-identical text.
    pub fn to_canonical_json(&self) -> String {
        // Serialising the model cannot fail: every map key is a string, `Value` numbers are
        // finite, and writing to a `String` does no I/O.
        let mut text = serde_json::to_string_pretty(self)
            .expect("serialising the ASL model is infallible (string keys, in-memory writer)");
        text.push('\n');
        text
    }

    /// `self.to_canonical_json().len()`, without building the string.
    pub fn canonical_size(&self) -> usize {
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
        match serde_json::to_writer_pretty(&mut count, self) {
            Ok(()) => count.0 + 1,
            // Unreachable for the same reasons as in `to_canonical_json`; fall back to the
            // exact answer.
            Err(_) => self.to_canonical_json().len(),
        }
    }
}
