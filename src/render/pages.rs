//! The pages besides the lessons': home, one per course, 404 and the review page, with
//! the `<head>` data of every page and the lesson lists they show.
//!
//! Owns: those pages' template contexts. Never does: render Markdown or write files.

use super::*;

/// What the `<head>` of the page at `path` (relative to the base) needs.
pub(super) fn page_meta(
    base: &BaseUrl,
    path: &str,
    title: &str,
    description: &str,
    kind: &'static str,
) -> PageMeta {
    PageMeta {
        title: title.to_string(),
        description: description.to_string(),
        canonical: base
            .origin
            .as_ref()
            .map(|o| format!("{o}{}", base.join(path))),
        og_type: kind,
    }
}

/// The pages besides the lessons' (home, 404, one per course and, when the theme has its
/// template, the review page): output path, template and context of each.
pub(super) fn other_pages(
    site: &Site,
    base: &BaseUrl,
    site_view: &SiteView,
    nav: &HashMap<String, Vec<LessonLink>>,
    intros: Vec<CourseText>,
    summaries: &[LessonSummary],
    review: bool,
) -> Vec<(String, &'static str, Context)> {
    let meta = |path: &str, title: &str, description: &str, kind: &'static str| {
        page_meta(base, path, title, description, kind)
    };
    let cards: Vec<CourseCard> = site.courses.iter().map(|c| course_card(c, base)).collect();
    let mut pages = Vec::new();
    let mut home = Context::new();
    home.insert("site", site_view);
    home.insert("courses", &cards);
    // The review page's link, only where there is something to review.
    home.insert("has_cards", &(review && cards.iter().any(|c| c.cards > 0)));
    let home_meta = meta("", &site_view.title, &site_view.description, "website");
    home.insert("page", &home_meta);
    pages.push(("index.html".into(), "index.html", home));
    let mut not_found = Context::new();
    not_found.insert("site", site_view);
    let mut not_found_meta = meta(
        "404.html",
        "Page not found",
        &site_view.description,
        "website",
    );
    not_found_meta.canonical = None;
    not_found.insert("page", &not_found_meta);
    pages.push(("404.html".into(), "404.html", not_found));
    // A context is the page's data serialized into template values: at 10,000 lessons the
    // course and review pages' contexts kept one core busy for the best part of a second
    // while the other waited, so they are made in parallel, in order.
    let courses = site.courses.par_iter().zip(&cards).zip(intros);
    pages.par_extend(courses.map(|((course, card), intro)| {
        let mut ctx = Context::new();
        ctx.insert("site", site_view);
        let course_meta = meta(
            &course_folder(course),
            &card.title,
            &card.summary,
            "website",
        );
        ctx.insert("page", &course_meta);
        ctx.insert(
            "course",
            &course_page(course, card, intro, &nav[&course.slug], base),
        );
        (course_output_path(course), "course.html", ctx)
    }));
    if review {
        let review = study::review_pages(summaries, base);
        pages.par_extend(review.into_par_iter().map(|(path, data)| {
            let mut ctx = Context::new();
            ctx.insert("site", site_view);
            let title = match &data.course {
                Some(course) => format!("Review flash cards: {}", course.title),
                None => "Review flash cards".to_string(),
            };
            let folder = path.strip_suffix(PAGE_FILE).unwrap_or(&path);
            let mut review_meta = meta(folder, &title, &site_view.description, "website");
            review_meta.canonical = None;
            ctx.insert("page", &review_meta);
            ctx.insert("review", &data);
            (path, study::REVIEW_TEMPLATE, ctx)
        }));
    }
    pages
}

/// The list entry of every lesson, per course slug, in order.
pub(super) fn lesson_links(site: &Site, base: &BaseUrl) -> HashMap<String, Vec<LessonLink>> {
    site.courses
        .iter()
        .map(|course| {
            let links = course
                .lessons
                .iter()
                .enumerate()
                .map(|(i, lesson)| lesson_link(course, i, lesson, base))
                .collect();
            (course.slug.clone(), links)
        })
        .collect()
}

/// How lists and prev/next links show `lesson`, lesson `index` of `course`: what the
/// pages around it show of it ([`super::page::nearby_range`]).
pub fn lesson_link(course: &Course, index: usize, lesson: &Lesson, base: &BaseUrl) -> LessonLink {
    LessonLink {
        url: lesson_url(&course.key(lesson), base),
        key: course.key(lesson),
        title: lesson.meta.title.clone(),
        summary: lesson.meta.summary.clone(),
        position: index + 1,
        draft: lesson.meta.draft,
        coverage: lesson.meta.coverage.iter().map(coverage_id).collect(),
        cards: lesson.meta.flashcards.len(),
        questions: lesson.meta.questions.len(),
        explorables: lesson.meta.widgets.len(),
    }
}

/// A course page's data: its lessons in its parts, with the parts' intros.
fn course_page(
    course: &Course,
    card: &CourseCard,
    text: CourseText,
    lessons: &[LessonLink],
    base: &BaseUrl,
) -> CoursePage {
    let mut groups = group_by_part(course, 0, lessons, base)
        .into_iter()
        .peekable();
    let lessons_outside_parts = groups
        .next_if(|g| g.part.is_none())
        .map(|g| g.lessons)
        .unwrap_or_default();
    // Lessons come part by part, so each part is one run (or none, when it is empty).
    let mut runs: HashMap<String, Vec<LessonLink>> = groups
        .filter_map(|g| Some((g.part?.slug, g.lessons)))
        .collect();
    let parts = course
        .parts
        .iter()
        .zip(text.parts)
        .map(|(part, mut intro)| PartSection {
            part: part_ref(course, part, base),
            intro: intro.take_slot(Slot::Theory),
            lessons: runs.remove(&part.slug).unwrap_or_default(),
        })
        .collect();
    CoursePage {
        card: card.clone(),
        intro: text.intro.slot(Slot::Theory).to_string(),
        lessons: lessons.to_vec(),
        lessons_outside_parts,
        parts,
    }
}

pub(super) fn course_card(course: &Course, base: &BaseUrl) -> CourseCard {
    let sum = |count: fn(&crate::load::lesson::LessonMeta) -> usize| -> usize {
        course.lessons.iter().map(|l| count(&l.meta)).sum()
    };
    let (icon, icon_url) = course_icon(course, base);
    CourseCard {
        slug: course.slug.clone(),
        title: course.meta.title.clone(),
        summary: course.meta.summary.clone(),
        icon,
        icon_url,
        url: base.join(&course_folder(course)),
        lesson_count: course.lessons.len(),
        part_count: course.parts.len(),
        first_url: course
            .lessons
            .first()
            .map(|lesson| lesson_url(&course.key(lesson), base)),
        cards: sum(|m| m.flashcards.len()),
        questions: sum(|m| m.questions.len()),
        explorables: sum(|m| m.widgets.len()),
        coverage_points: sum(|m| m.coverage.len()),
    }
}
