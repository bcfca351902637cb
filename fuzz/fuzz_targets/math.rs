//! Any text as a formula, inline and display: MathML or an error, never a panic or a
//! stack overflow (which aborts the process), and time linear in the input.
#![no_main]

use std::time::Instant;

use conceptlab::render::math;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(latex) = std::str::from_utf8(data) else {
        return;
    };
    for display in [false, true] {
        let started = Instant::now();
        if let Ok(mathml) = math::to_mathml(latex, display) {
            assert!(mathml.starts_with("<math"), "{mathml}");
        }
        conceptlab_fuzz::assert_time_linear(started.elapsed(), latex.len());
    }
});
