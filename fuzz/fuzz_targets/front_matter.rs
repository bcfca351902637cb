//! Any bytes as a lesson file: decoding, the front-matter fences, the YAML parser and the
//! lesson checks must return a value or diagnostics, never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Err(errors) = conceptlab_fuzz::lesson(data) {
        // Showing the diagnostics (source line, caret; JSON) must not panic either.
        let _ = conceptlab::diagnostics::render(&errors, false);
        let _ = conceptlab::diagnostics::to_json(&errors);
    }
});
