//! Where things are: every lesson's URL, output path and content path, and the index
//! of everything a relative link may point at.
//!
//! Owns: the paths and URLs of lessons and course files. Never does: render a page.

use super::*;

/// The output path of a lesson's page: `course/slug/index.html`.
pub fn lesson_output_path(course: &Course, lesson: &Lesson) -> String {
    format!("{}/{}/index.html", course.slug, lesson.slug)
}

pub(super) fn lesson_output_path_of(page: &LessonPage) -> String {
    format!("{}/{}/index.html", page.course.slug, page.slug)
}

pub(super) fn content_path(course: &Course, lesson: &Lesson) -> String {
    format!("{}/{}", course.slug, lesson.file_name)
}

/// Everything a relative link may point at, by content path.
pub(super) fn link_index(site: &Site, base: &BaseUrl) -> LinkIndex {
    let mut index = LinkIndex::default();
    for path in &site.failed {
        // Reported where it failed to load; links to it are not errors of their own.
        let target = LinkTarget {
            url: "#".into(),
            is_page: false,
        };
        index.targets.insert(path.clone(), target);
    }
    for course in &site.courses {
        let course_url = base.join(&format!("{}/", course.slug));
        index.targets.insert(
            format!("{}/{}", course.slug, crate::load::course::COURSE_FILE),
            LinkTarget {
                url: course_url.clone(),
                is_page: false,
            },
        );
        for lesson in &course.lessons {
            index.targets.insert(
                format!("{}/{}", course.slug, lesson.file_name),
                LinkTarget {
                    url: lesson_url(course, lesson, base),
                    is_page: true,
                },
            );
        }
        for asset in &course.assets {
            let rel = asset.to_string_lossy().replace('\\', "/");
            index.targets.insert(
                format!("{}/{rel}", course.slug),
                LinkTarget {
                    url: base.join(&format!("{}/{rel}", course.slug)),
                    is_page: false,
                },
            );
        }
    }
    index
}

pub(super) fn lesson_url(course: &Course, lesson: &Lesson, base: &BaseUrl) -> String {
    base.join(&format!("{}/{}/", course.slug, lesson.slug))
}
