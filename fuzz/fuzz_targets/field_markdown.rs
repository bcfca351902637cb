//! Any text as a front-matter Markdown value (a note, an answer, a flash card): rendered
//! as data, it must never carry script. Checked on the output's parsed HTML: no
//! `<script>` (or other element that runs or embeds code), no `on*` event handler, no
//! attribute but `id` and `class` on a heading, no `javascript:`/`vbscript:`/`data:`
//! link; no panic; time linear in the input.
#![no_main]

use std::time::Instant;

use conceptlab::render::markdown::{self, LinkIndex, MarkdownJob, Origin};
use conceptlab::slug::PageIds;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(value) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(lesson) = conceptlab_fuzz::lesson(b"---\ntitle: Fuzz\n---\n") else {
        return;
    };
    let started = Instant::now();
    let job = MarkdownJob {
        text: value,
        origin: Origin::Field {
            file: &lesson.source,
            path: &["notes", "0", "text"],
        },
        page: "fuzz/001-fuzz.md",
        course: "fuzz",
        trust_html: false,
        split_sections: false,
    };
    let mut ids = PageIds::default();
    let mut rendered = markdown::render(&job, &LinkIndex::default(), &mut ids);
    let html = rendered.take_slot(markdown::Slot::Theory);
    conceptlab_fuzz::assert_time_linear(started.elapsed(), value.len());
    if let Err(problem) = conceptlab_fuzz::inert(&html) {
        panic!("front-matter Markdown made active HTML: {problem}\ninput: {value:?}\noutput: {html}");
    }
});
