//! The course file format: `_course.md` in each course folder.
//!
//! Owns: the course schema and its checks. Never does: render the intro (render does).

use serde::{Deserialize, Serialize};

/// The name of the file that describes a course folder.
pub const COURSE_FILE: &str = "_course.md";

/// The front-matter of `_course.md`; its body is the course's intro text.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct CourseMeta {
    pub title: String,
    #[serde(default)]
    pub summary: String,
    #[serde(default)]
    pub icon: String,
    pub order: Option<i64>,
}
