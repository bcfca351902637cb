//! Helpers the fuzz targets share: a lesson file turned into a one-lesson site in memory.

use std::path::{Path, PathBuf};
use std::time::Duration;

use conceptlab::config::SiteConfig;
use conceptlab::load::source::{self, FrontMatter};
use conceptlab::load::{self, Course, Lesson, Site};

/// The lesson's path as the loader would see it: a course folder inside `content/`.
pub const LESSON_PATH: &str = "/fuzz-site/content/fuzz/001-fuzz.md";

/// Parses `bytes` as a lesson file, as the build does.
pub fn lesson(bytes: &[u8]) -> Result<Lesson, Vec<conceptlab::diagnostics::Diagnostic>> {
    load::lesson_from_bytes(
        Path::new(LESSON_PATH),
        Path::new("content/fuzz/001-fuzz.md"),
        bytes.to_vec(),
    )
}

/// A site holding one course with `lesson` in it. The root does not exist, so the theme
/// is the embedded one and nothing is read from disk.
pub fn site_with(lesson: Lesson) -> Site {
    let config: SiteConfig =
        serde_json::from_str(r#"{"title": "Fuzz", "search": false}"#).expect("valid config");
    let course_file = source::from_bytes(
        b"---\ntitle: Fuzz course\n---\nThe course.\n".to_vec(),
        Path::new("content/fuzz/_course.md"),
        FrontMatter::Required,
    )
    .expect("valid course file");
    let meta = serde_json::from_str(r#"{"title": "Fuzz course"}"#).expect("valid course meta");
    Site {
        root: PathBuf::from("/fuzz-site"),
        config,
        courses: vec![Course {
            slug: "fuzz".into(),
            dir: PathBuf::from("/fuzz-site/content/fuzz"),
            source: course_file,
            meta,
            lessons: vec![lesson],
            assets: Vec::new(),
        }],
        static_files: Vec::new(),
        failed: Vec::new(),
    }
}

/// Fails when handling `len` bytes took longer than a linear bound: one second plus a
/// millisecond per byte, far above the real cost (microseconds per byte), so that only
/// work that grows faster than the input trips it, even under a sanitizer.
pub fn assert_time_linear(elapsed: Duration, len: usize) {
    let bound = Duration::from_secs(1) + Duration::from_millis(len as u64);
    assert!(
        elapsed <= bound,
        "{len} bytes took {elapsed:?}, more than the linear bound {bound:?}"
    );
}

/// Checks that `html` (rendered from data) is inert: no element that runs or embeds code,
/// no event handler, no script URL, and headings with no attribute but `id` and `class`.
pub fn inert(html: &str) -> Result<(), String> {
    let fragment = scraper::Html::parse_fragment(html);
    for node in fragment.tree.nodes() {
        let Some(element) = node.value().as_element() else {
            continue;
        };
        let name = element.name();
        if matches!(
            name,
            "script" | "iframe" | "object" | "embed" | "style" | "link" | "meta" | "base" | "form"
                | "textarea" | "svg"
        ) {
            return Err(format!("a <{name}> element"));
        }
        let heading = matches!(name, "h1" | "h2" | "h3" | "h4" | "h5" | "h6");
        for (attribute, value) in element.attrs() {
            let attribute = attribute.to_ascii_lowercase();
            if attribute.starts_with("on") {
                return Err(format!("an event handler `{attribute}` on <{name}>"));
            }
            if heading && !matches!(attribute.as_str(), "id" | "class") {
                return Err(format!("an attribute `{attribute}` on <{name}>"));
            }
            let scheme: String = value
                .chars()
                .filter(|c| !c.is_ascii_whitespace() && !c.is_ascii_control())
                .collect::<String>()
                .to_ascii_lowercase();
            if matches!(attribute.as_str(), "href" | "src" | "action" | "formaction")
                && ["javascript:", "vbscript:", "data:"].iter().any(|s| scheme.starts_with(s))
            {
                return Err(format!("a script URL in `{attribute}` on <{name}>"));
            }
        }
    }
    Ok(())
}
