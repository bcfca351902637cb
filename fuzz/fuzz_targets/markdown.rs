//! Any text as a lesson body: the Markdown pipeline (sections, callouts, math, code
//! highlighting, heading ids, link checks) must not panic.
#![no_main]

use conceptlab::render::markdown::{self, LinkIndex, MarkdownJob, Origin};
use conceptlab::slug::PageIds;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(body) = std::str::from_utf8(data) else {
        return;
    };
    let mut text = String::from("---\ntitle: Fuzz\n---\n");
    let offset = text.len();
    text.push_str(body);
    let Ok(lesson) = conceptlab_fuzz::lesson(text.as_bytes()) else {
        return;
    };
    let job = MarkdownJob {
        text: lesson.source.body(),
        origin: Origin::Body { file: &lesson.source, offset },
        page: "fuzz/001-fuzz.md",
        course: "fuzz",
        trust_html: data.first().is_some_and(|b| b % 2 == 0),
        split_sections: true,
    };
    let mut ids = PageIds::default();
    let _ = markdown::render(&job, &LinkIndex::default(), &mut ids);
});
