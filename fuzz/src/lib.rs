//! Helpers the fuzz targets share: a lesson file turned into a one-lesson site in memory.

use std::path::{Path, PathBuf};

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
        failed: Vec::new(),
    }
}
