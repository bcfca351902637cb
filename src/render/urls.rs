//! Where things are: every page's URL and output path, a lesson's content path, and the
//! index of everything a relative link may point at. A lesson's are all made from its
//! [`LessonKey`] (`course/slug`), which the load stage hands out, since the simulate
//! stage keys its results by it too.
//!
//! Owns: the paths and URLs of pages and course files. Never does: render a page.

use super::*;

/// The file name of every page in its folder.
/// The file name of every page: a page is its folder (`course/lesson/`).
pub const PAGE_FILE: &str = "index.html";

/// The output path of a lesson's page: `course/slug/index.html`.
pub fn lesson_output_path(course: &Course, lesson: &Lesson) -> String {
    page_path(&course.key(lesson))
}

/// The output path of the page of the lesson `key`.
pub fn page_path(key: &LessonKey) -> String {
    key.file(PAGE_FILE)
}

/// A course page's path under the base URL: `course/`.
pub(super) fn course_folder(course: &Course) -> String {
    format!("{}/", course.slug)
}

/// The output path of a course page: `course/index.html`.
pub fn course_output_path(course: &Course) -> String {
    format!("{}{PAGE_FILE}", course_folder(course))
}

/// A lesson's content path, as relative links name it: `course/005-file.md`.
pub fn content_path(course: &Course, lesson: &Lesson) -> String {
    course_file(course, &lesson.file_name)
}

/// The content path of a course's intro: `course/_course.md`.
pub(super) fn course_intro_path(course: &Course) -> String {
    course_file(course, crate::load::course::COURSE_FILE)
}

/// A course file besides its lessons (an image, a data file), where it is copied and
/// how links name it: `course/images/x.png`.
pub(super) fn course_asset_path(course: &Course, asset: &std::path::Path) -> String {
    course_file(course, &asset.to_string_lossy().replace('\\', "/"))
}

/// A course's icon: the text to show, and the URL of its image when `icon:` names one.
pub(super) fn course_icon(course: &Course, base: &BaseUrl) -> (String, Option<String>) {
    match course.meta.icon_file() {
        Some(file) => {
            // A file name may hold characters with a meaning in URLs (`#`, `?`, `%`).
            let path = course_file(course, file.trim_start_matches("./"))
                .replace('%', "%25")
                .replace('#', "%23")
                .replace('?', "%3F");
            (String::new(), Some(base.join(&path)))
        }
        None => (course.meta.icon.clone(), None),
    }
}

/// A file of a course folder by its path there: `course/images/x.png`.
fn course_file(course: &Course, rel: &str) -> String {
    format!("{}/{rel}", course.slug)
}

/// Everything a relative link may point at, by content path.
pub(super) fn link_index(site: &Site, base: &BaseUrl) -> LinkIndex {
    let mut index = LinkIndex::default();
    for path in &site.failed {
        // Reported where it failed to load; links to it are not errors of their own.
        let target = LinkTarget {
            url: "#".into(),
            page: None,
        };
        index.targets.insert(path.clone(), target);
    }
    for course in &site.courses {
        let course_url = base.join(&course_folder(course));
        // The course page: its `#anchors` (its parts' sections, its intros' headings) are
        // checked like a lesson's.
        index.targets.insert(
            course_intro_path(course),
            LinkTarget {
                url: course_url.clone(),
                page: Some(course_intro_path(course)),
            },
        );
        for part in &course.parts {
            // A part is a section of its course's page.
            index.targets.insert(
                course_file(
                    course,
                    &format!("{}/{}", part.folder, crate::load::course::PART_FILE),
                ),
                LinkTarget {
                    url: format!("{course_url}#{}", part_id(part)),
                    page: Some(course_intro_path(course)),
                },
            );
        }
        for lesson in &course.lessons {
            index.targets.insert(
                content_path(course, lesson),
                LinkTarget {
                    url: lesson_url(&course.key(lesson), base),
                    page: Some(content_path(course, lesson)),
                },
            );
        }
        for asset in &course.assets {
            let path = course_asset_path(course, asset);
            index.targets.insert(
                path.clone(),
                LinkTarget {
                    url: base.join(&path),
                    page: None,
                },
            );
        }
    }
    index
}

/// The id of a part's section on its course page: `part-<slug>`.
pub(super) fn part_id(part: &crate::load::Part) -> String {
    format!("part-{}", part.slug)
}

pub(super) fn lesson_url(key: &LessonKey, base: &BaseUrl) -> String {
    base.join(&key.folder())
}
