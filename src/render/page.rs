//! The data templates see: one serialisable struct per page kind, built once per page.
//! Field names here are the template API of themes; `docs/architecture.md` lists them.
//!
//! Owns: the view types templates see. Never does: render or escape anything (templates
//! do).

use serde::Serialize;

use super::markdown::TocEntry;
use crate::load::LessonKey;

#[derive(Clone, Debug, Serialize)]
pub struct SiteView {
    pub title: String,
    pub description: String,
    pub language: String,
    pub author: String,
    /// The URL of the home page (the base path).
    pub home_url: String,
    pub base_path: String,
    /// `https://host` when the base URL is absolute; canonical URLs need it.
    pub origin: Option<String>,
    /// The Atom feed, written only when the origin is known.
    pub feed_url: Option<String>,
    /// The search index's script, loaded by the theme on first use of the search box;
    /// none when `search: false` is set in `site.yaml`.
    pub search_url: Option<String>,
}

/// What the `<head>` of any page needs: title, description, canonical URL (absolute, or
/// none when the base URL has no origin) and the Open Graph type.
#[derive(Clone, Debug, Serialize)]
pub struct PageMeta {
    pub title: String,
    pub description: String,
    pub canonical: Option<String>,
    pub og_type: &'static str,
}

/// A course as the home page lists it.
#[derive(Clone, Debug, Serialize)]
pub struct CourseCard {
    pub slug: String,
    pub title: String,
    pub summary: String,
    /// A short text or an emoji; empty when the icon is an image.
    pub icon: String,
    /// The icon image's URL, when `icon:` names an image of the course folder.
    pub icon_url: Option<String>,
    pub url: String,
    pub lesson_count: usize,
    /// How many parts the course's lessons are grouped in (0: no parts).
    pub part_count: usize,
    /// The first lesson's URL, where a new reader starts.
    pub first_url: Option<String>,
    /// What the course's lessons hold, summed: for the catalogue's facts and progress.
    pub cards: usize,
    pub questions: usize,
    pub explorables: usize,
    pub coverage_points: usize,
}

/// A course page.
#[derive(Clone, Debug, Serialize)]
pub struct CoursePage {
    #[serde(flatten)]
    pub card: CourseCard,
    pub intro: String,
    /// Every lesson, in reading order (numbered by `position` across the whole course).
    pub lessons: Vec<LessonLink>,
    /// The lessons that are in no part: they come before the parts. Without parts, these
    /// are all the lessons.
    pub lessons_outside_parts: Vec<LessonLink>,
    /// The course's parts, in order, each with its lessons.
    pub parts: Vec<PartSection>,
}

/// A part of a course as pages refer to it: its section on the course page.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PartRef {
    pub slug: String,
    /// The id of its section on the course page: `part-<slug>`.
    pub id: String,
    pub title: String,
    pub summary: String,
    /// Its section on the course page: `/course/#part-<slug>`.
    pub url: String,
}

/// A part's section on its course page.
#[derive(Clone, Debug, Serialize)]
pub struct PartSection {
    #[serde(flatten)]
    pub part: PartRef,
    /// Its `_part.md` body, rendered (safe to print unescaped).
    pub intro: String,
    pub lessons: Vec<LessonLink>,
}

/// A run of lessons of one part (or of none), for lists that show where parts begin.
#[derive(Clone, Debug, Serialize)]
pub struct LessonGroup {
    pub part: Option<PartRef>,
    pub lessons: Vec<LessonLink>,
}

/// A lesson as lists and prev/next links show it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LessonLink {
    /// A stable key: `course/slug`.
    pub key: LessonKey,
    pub title: String,
    pub summary: String,
    pub url: String,
    pub position: usize,
    pub draft: bool,
    /// The ids of the lesson's coverage points, for progress shown on the course page.
    pub coverage: Vec<String>,
    /// How many flash cards, interview questions and explorables (widgets) it has.
    pub cards: usize,
    pub questions: usize,
    pub explorables: usize,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CourseRef {
    pub slug: String,
    pub title: String,
    pub icon: String,
    pub icon_url: Option<String>,
    pub url: String,
}

/// The most lessons a lesson page lists of its course: the lessons around it. The course
/// page lists them all.
pub const NEARBY_LESSONS: usize = 15;

/// The range of the lessons listed around lesson `index` of `count`: [`NEARBY_LESSONS`]
/// of them, this one in the middle where the course allows.
pub fn nearby_range(index: usize, count: usize) -> std::ops::Range<usize> {
    let start = index
        .saturating_sub(NEARBY_LESSONS / 2)
        .min(count.saturating_sub(NEARBY_LESSONS));
    start..(start + NEARBY_LESSONS).min(count)
}

/// Everything a lesson page shows, in the anatomy's order. HTML fields are rendered
/// Markdown (safe to print unescaped); plain fields are escaped by the templates.
#[derive(Clone, Debug, Serialize)]
pub struct LessonPage {
    pub key: LessonKey,
    pub slug: String,
    pub url: String,
    pub title: String,
    pub summary: String,
    pub tags: Vec<String>,
    pub date: Option<String>,
    pub draft: bool,
    pub position: usize,
    pub total: usize,
    pub course: CourseRef,
    /// The part of the course the lesson is in, if any.
    pub part: Option<PartRef>,
    pub prev: Option<LessonLink>,
    pub next: Option<LessonLink>,
    /// On a course's last lesson, the course after it that has lessons.
    pub next_course: Option<CourseRef>,
    /// The lessons around this one in its course (this one included), for the side list:
    /// at most [`NEARBY_LESSONS`], so a page's size does not grow with its course.
    pub nearby: Vec<LessonLink>,
    /// `nearby` in runs of one part each, so a list can show where a part begins (one
    /// run with no part in a course without parts).
    pub nearby_groups: Vec<LessonGroup>,
    pub toc: Vec<TocEntry>,
    pub theory: String,
    pub tradeoffs_body: String,
    pub tradeoffs: Vec<String>,
    pub notes: Vec<NoteView>,
    pub coverage: Vec<CoverageItem>,
    pub examples_body: String,
    pub examples: Vec<ExampleView>,
    pub flow: Option<FlowView>,
    /// The widgets, in front-matter order (see `render/widgets.rs`).
    pub widgets: Vec<super::widgets::WidgetView>,
    pub walkthrough: String,
    pub questions: Vec<QuestionView>,
    pub flashcards: Vec<FlashCardView>,
    pub footnotes: String,
}

/// What the site-wide files (sitemap, feed, review page, Anki decks) need of a lesson.
/// A build keeps this much of each lesson once its page is written, not the page's HTML,
/// so memory does not grow with the size of every page of the site.
#[derive(Clone, Debug, PartialEq)]
pub struct LessonSummary {
    pub key: LessonKey,
    pub slug: String,
    pub url: String,
    pub title: String,
    pub summary: String,
    pub date: Option<String>,
    pub course: CourseRef,
    pub part: Option<PartRef>,
    pub flashcards: Vec<FlashCardView>,
}

impl LessonPage {
    pub fn into_summary(self) -> LessonSummary {
        LessonSummary {
            key: self.key,
            slug: self.slug,
            url: self.url,
            title: self.title,
            summary: self.summary,
            date: self.date,
            course: self.course,
            part: self.part,
            flashcards: self.flashcards,
        }
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct NoteView {
    pub kind: &'static str,
    pub label: &'static str,
    pub title: Option<String>,
    pub html: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct CoverageItem {
    pub id: String,
    pub html: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct ExampleView {
    pub title: String,
    pub kind: &'static str,
    pub kind_label: &'static str,
    pub html: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct FlowView {
    pub svg: String,
    pub steps: Vec<FlowStepView>,
    /// The steps in the reorder exercise's shuffled order (the same on every build).
    pub shuffled: Vec<ShuffledStep>,
}

/// A step of the reorder exercise: its label and its place in the right order (from 0).
#[derive(Clone, Debug, Serialize)]
pub struct ShuffledStep {
    pub answer: usize,
    pub step: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct FlowStepView {
    pub step: String,
    pub detail: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct QuestionView {
    pub id: String,
    pub level: &'static str,
    pub level_label: &'static str,
    pub html: String,
    pub answer: String,
    pub senior: String,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FlashCardView {
    pub id: String,
    pub front: String,
    pub back: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_side_list_holds_the_lessons_around_this_one() {
        assert_eq!(nearby_range(0, 3), 0..3);
        assert_eq!(nearby_range(0, 114), 0..15);
        assert_eq!(nearby_range(50, 114), 43..58);
        assert!(nearby_range(50, 114).contains(&50));
        assert_eq!(nearby_range(113, 114), 99..114);
        assert_eq!(nearby_range(5, 15), 0..15);
    }
}
