//! The course file format: `_course.md` in each course folder.
//!
//! Owns: the course schema and its checks. Never does: render the intro (render does).

use serde::{Deserialize, Serialize};

/// The name of the file that describes a course folder.
pub const COURSE_FILE: &str = "_course.md";

/// The name of the file that makes a folder in a course folder one of its parts.
pub const PART_FILE: &str = "_part.md";

/// The front-matter of `_part.md`; its body is the part's intro text, shown above its
/// lessons on the course page.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PartMeta {
    pub title: String,
    #[serde(default)]
    pub summary: String,
    pub order: Option<u32>,
}

/// The front-matter of `_course.md`; its body is the course's intro text.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct CourseMeta {
    pub title: String,
    #[serde(default)]
    pub summary: String,
    #[serde(default)]
    pub icon: String,
    pub order: Option<i64>,
}

/// Extensions of an `icon:` that names an image file of the course folder.
const ICON_IMAGES: &[&str] = &["svg", "png", "webp", "avif", "jpg", "jpeg", "gif"];

impl CourseMeta {
    /// The image file `icon:` names (`brain.svg`, relative to the course folder), if it
    /// names one rather than being a short text or an emoji.
    pub fn icon_file(&self) -> Option<&str> {
        let icon = self.icon.trim();
        let (_, ext) = icon.rsplit_once('.')?;
        (ICON_IMAGES.contains(&ext.to_ascii_lowercase().as_str())
            && !icon.contains(char::is_whitespace))
        .then_some(icon)
    }
}
