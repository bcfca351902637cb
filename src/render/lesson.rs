//! A lesson's page data: its body and front-matter values rendered from Markdown, its
//! widgets, questions, cards and flow, and its table of contents; a course's intro.
//!
//! Owns: [`lesson_page`] and what it needs. Never does: render templates or write files.

use super::math::MathSettings;
use super::*;
use crate::load::Part;
use crate::load::source::SourceFile;

/// `safe_html: true`: the HTML that comes from a lesson's Markdown body goes through the
/// sanitizer. Front-matter values never keep raw HTML, so they need no second pass.
pub(super) fn sanitize_body(page: &mut LessonPage) -> Result<(), String> {
    for html in [
        &mut page.theory,
        &mut page.tradeoffs_body,
        &mut page.examples_body,
        &mut page.walkthrough,
        &mut page.footnotes,
    ] {
        if !html.is_empty() {
            *html = sanitize::sanitize(html)?;
        }
    }
    Ok(())
}

/// A course page's texts: the course's intro (`_course.md`) and each part's (`_part.md`),
/// one page's worth of Markdown, so they share one set of ids.
pub(super) struct CourseText {
    /// `course/_course.md`: what links to the course page name it by.
    pub(super) content_path: String,
    pub(super) intro: Rendered,
    /// The parts' intros, in the course's order of parts.
    pub(super) parts: Vec<Rendered>,
    /// Every id these texts and the parts' sections take on the course page, for
    /// checking links to `#anchors` there.
    pub(super) ids: HashSet<String>,
}

impl CourseText {
    /// The intro, then the parts' intros.
    pub(super) fn texts(&self) -> impl Iterator<Item = &Rendered> {
        std::iter::once(&self.intro).chain(&self.parts)
    }
}

/// Renders a course's intro and its parts' intros, sanitized with `safe_html`. Each
/// part's section takes its id (`part-<slug>`) first, so no heading can take it.
pub(super) fn course_text(
    course: &Course,
    links: &LinkIndex,
    safe_html: bool,
    math: MathSettings,
) -> CourseText {
    let page = course_intro_path(course);
    let mut ids = PageIds::default();
    for part in &course.parts {
        ids.claim(&part_id(part));
    }
    let intro = intro_text(
        Intro {
            source: &course.source,
            folder: &course.slug,
            heading_offset: 0,
        },
        &page,
        links,
        &mut ids,
        safe_html,
        math,
    );
    let parts = course
        .parts
        .iter()
        .map(|part| {
            // Relative links in `_part.md` start from the part's folder.
            let folder = format!("{}/{}", course.slug, part.folder);
            intro_text(
                Intro {
                    source: &part.source,
                    folder: &folder,
                    heading_offset: PART_INTRO_HEADINGS,
                },
                &page,
                links,
                &mut ids,
                safe_html,
                math,
            )
        })
        .collect();
    CourseText {
        content_path: page,
        intro,
        parts,
        ids: ids.into_set(),
    }
}

/// The text of `_course.md` or `_part.md`.
struct Intro<'a> {
    source: &'a SourceFile,
    /// Where its relative links start: the course's folder, or the part's.
    folder: &'a str,
    heading_offset: u8,
}

/// Levels a part intro's headings go down: it sits in its part's `<h3>` section, so its
/// `##`, the first level of a lesson's own sections, is an `<h4>`.
const PART_INTRO_HEADINGS: u8 = 2;

/// An intro's body, on the course page `page`; sanitized with `safe_html`.
fn intro_text(
    Intro {
        source,
        folder,
        heading_offset,
    }: Intro<'_>,
    page: &str,
    links: &LinkIndex,
    ids: &mut PageIds,
    safe_html: bool,
    math: MathSettings,
) -> Rendered {
    let job = MarkdownJob {
        text: source.body(),
        origin: Origin::Body {
            file: source,
            offset: source.body_start,
        },
        page,
        course: folder,
        trust_html: true,
        split_sections: false,
        math,
        heading_offset,
    };
    // Its footnotes close it (as those of every text rendered without sections do).
    let mut intro = markdown::render(&job, links, ids);
    if safe_html {
        match sanitize::sanitize(intro.slot(Slot::Theory)) {
            Ok(clean) => intro.replace_slot(Slot::Theory, clean),
            Err(why) => {
                intro.replace_slot(Slot::Theory, String::new());
                intro.errors.push(Diagnostic::error(&source.path, why));
            }
        }
    }
    intro
}

/// A part of `course` as pages refer to it.
pub(super) fn part_ref(course: &Course, part: &Part, base: &BaseUrl) -> PartRef {
    let id = part_id(part);
    PartRef {
        slug: part.slug.clone(),
        url: format!("{}#{id}", base.join(&course_folder(course))),
        id,
        title: part.meta.title.clone(),
        summary: part.meta.summary.clone(),
    }
}

/// `lessons` (a run of `course`'s, from lesson `first` on) in runs of one part each.
pub(super) fn group_by_part(
    course: &Course,
    first: usize,
    lessons: &[LessonLink],
    base: &BaseUrl,
) -> Vec<LessonGroup> {
    let mut groups: Vec<(Option<usize>, Vec<LessonLink>)> = Vec::new();
    for (i, link) in lessons.iter().enumerate() {
        let part = course.lessons[first + i].part;
        match groups.last_mut() {
            Some((last, run)) if *last == part => run.push(link.clone()),
            _ => groups.push((part, vec![link.clone()])),
        }
    }
    groups
        .into_iter()
        .map(|(part, lessons)| LessonGroup {
            part: part.map(|p| part_ref(course, &course.parts[p], base)),
            lessons,
        })
        .collect()
}

/// A course as a lesson page refers to it.
pub(super) fn course_ref(course: &Course, base: &BaseUrl) -> CourseRef {
    let (icon, icon_url) = course_icon(course, base);
    CourseRef {
        slug: course.slug.clone(),
        title: course.meta.title.clone(),
        icon,
        icon_url,
        url: base.join(&course_folder(course)),
    }
}

/// Renders the Markdown of lesson `index` of `course` into its page data.
pub(super) fn lesson_page(
    course: &Course,
    index: usize,
    nav: &HashMap<String, Vec<LessonLink>>,
    links: &LinkIndex,
    base: &BaseUrl,
    sims: &SimResults,
    math: MathSettings,
) -> LessonRender {
    let lesson = &course.lessons[index];
    let meta = &lesson.meta;
    let file = &lesson.source;
    let page_key = content_path(course, lesson);
    // Relative links start from the folder the lesson's file is in (its part's, if any).
    let folder = page_key.rsplit_once('/').map_or("", |(folder, _)| folder);
    let key = course.key(lesson);
    let mut ids = PageIds::with_reserved(RESERVED_IDS.iter().copied());
    let question_ids: Vec<String> = meta
        .questions
        .iter()
        .enumerate()
        .map(|(i, q)| question_id(q, i))
        .collect();
    for id in &question_ids {
        ids.claim(id);
        ids.claim(&format!("{id}-senior"));
    }
    let widget_ids = widgets::widget_ids(&meta.widgets);
    for id in &widget_ids {
        ids.claim(id);
    }

    let mut body = markdown::render(
        &MarkdownJob {
            text: file.body(),
            origin: Origin::Body {
                file,
                offset: file.body_start,
            },
            page: &page_key,
            course: folder,
            trust_html: true,
            split_sections: true,
            math,
            heading_offset: 0,
        },
        links,
        &mut ids,
    );
    let mut values = Values {
        file,
        page: &page_key,
        course: folder,
        links,
        ids: &mut ids,
        problems: &mut body,
        math,
    };
    let tradeoffs = meta
        .tradeoffs
        .iter()
        .enumerate()
        .map(|(i, t)| values.inline(t, ["tradeoffs", &i.to_string()], None))
        .collect();
    let notes = meta
        .notes
        .iter()
        .enumerate()
        .map(|(i, n)| NoteView {
            kind: n.kind.as_str(),
            label: n.kind.label(),
            title: n.title.clone(),
            html: values.block(&n.text, ["notes", &i.to_string()], Some("text")),
        })
        .collect();
    let coverage = meta
        .coverage
        .iter()
        .enumerate()
        .map(|(i, c)| CoverageItem {
            id: coverage_id(c),
            html: values.inline(c, ["coverage", &i.to_string()], None),
        })
        .collect();
    let examples = meta
        .examples
        .iter()
        .enumerate()
        .map(|(i, e)| ExampleView {
            title: e.title.clone(),
            kind: e.kind.as_str(),
            kind_label: e.kind.label(),
            html: values.block(&e.body, ["examples", &i.to_string()], Some("body")),
        })
        .collect();
    let questions = meta
        .questions
        .iter()
        .zip(&question_ids)
        .enumerate()
        .map(|(i, (q, id))| QuestionView {
            id: id.clone(),
            level: q.level.as_str(),
            level_label: q.level.label(),
            html: values.inline(&q.q, ["questions", &i.to_string()], Some("q")),
            answer: values.block(&q.answer, ["questions", &i.to_string()], Some("answer")),
            senior: values.block(&q.senior, ["questions", &i.to_string()], Some("senior")),
        })
        .collect();
    let flashcards = meta
        .flashcards
        .iter()
        .enumerate()
        .map(|(i, c)| FlashCardView {
            id: short_hash("card", &[&course.slug, &lesson.slug, &c.front]),
            front: values.inline(&c.front, ["flashcards", &i.to_string()], Some("front")),
            back: values.inline(&c.back, ["flashcards", &i.to_string()], Some("back")),
        })
        .collect();
    let flow = flow_view(course, lesson);
    let widget_output = widgets::build(&meta.widgets, &widget_ids, &key, sims, base);

    let course_nav = &nav[&course.slug];
    let nearby = super::page::nearby_range(index, course_nav.len());
    let theory = body.take_slot(Slot::Theory);
    let walkthrough = body.take_slot(Slot::Walkthrough);
    let tradeoffs_body = body.take_slot(Slot::Tradeoffs);
    let examples_body = body.take_slot(Slot::Examples);
    let footnotes = body.take_slot(Slot::Footnotes);
    let mut page = LessonPage {
        url: lesson_url(&key, base),
        key,
        slug: lesson.slug.clone(),
        title: meta.title.clone(),
        summary: meta.summary.clone(),
        tags: meta.tags.clone(),
        date: meta.date.clone(),
        draft: meta.draft,
        position: index + 1,
        total: course.lessons.len(),
        course: course_ref(course, base),
        part: lesson
            .part
            .map(|p| part_ref(course, &course.parts[p], base)),
        prev: index.checked_sub(1).map(|i| course_nav[i].clone()),
        next: course_nav.get(index + 1).cloned(),
        next_course: None,
        nearby: course_nav[nearby.clone()].to_vec(),
        nearby_groups: group_by_part(course, nearby.start, &course_nav[nearby], base),
        toc: Vec::new(),
        theory,
        tradeoffs_body,
        tradeoffs,
        notes,
        coverage,
        examples_body,
        examples,
        flow,
        widgets: widget_output.widgets,
        walkthrough,
        questions,
        flashcards,
        footnotes,
    };
    page.toc = table_of_contents(&page, std::mem::take(&mut body.toc));
    LessonRender {
        page,
        content_path: page_key,
        ids: ids.into_set(),
        errors: body.errors,
        anchors: body.anchors,
        files: widget_output.files,
    }
}

/// Renders a lesson's front-matter values: Markdown too, but their raw HTML is shown as
/// text (front-matter is data). Their headings take ids from the page's own set, so one
/// id is never on a page twice; their problems join the body's.
struct Values<'a> {
    file: &'a SourceFile,
    page: &'a str,
    course: &'a str,
    links: &'a LinkIndex,
    ids: &'a mut PageIds,
    problems: &'a mut Rendered,
    math: MathSettings,
}

impl Values<'_> {
    /// A short value (a card's side, a question): a single paragraph loses its `<p>`.
    /// `item` (a key and an index) and `key` say where it is written, for diagnostics.
    fn inline(&mut self, text: &str, item: [&str; 2], key: Option<&str>) -> String {
        self.render(text, item, key).into_inline()
    }

    /// A value of several paragraphs (a note, an answer).
    fn block(&mut self, text: &str, item: [&str; 2], key: Option<&str>) -> String {
        self.render(text, item, key).take_slot(Slot::Theory)
    }

    fn render(&mut self, text: &str, item: [&str; 2], key: Option<&str>) -> Rendered {
        let mut path = item.to_vec();
        path.extend(key);
        let rendered = markdown::render(
            &MarkdownJob {
                text,
                origin: Origin::Field {
                    file: self.file,
                    path: &path,
                },
                page: self.page,
                course: self.course,
                trust_html: false,
                split_sections: false,
                math: self.math,
                heading_offset: 0,
            },
            self.links,
            self.ids,
        );
        self.problems.errors.extend(rendered.errors.iter().cloned());
        self.problems
            .anchors
            .extend(rendered.anchors.iter().cloned());
        rendered
    }
}

/// The architecture flow of a lesson, if it has one: the diagram, the steps, and the
/// steps in the reorder exercise's shuffled order.
fn flow_view(course: &Course, lesson: &Lesson) -> Option<FlowView> {
    let steps = &lesson.meta.flow;
    (!steps.is_empty()).then(|| FlowView {
        svg: flow::svg(steps, "flow-diagram"),
        steps: steps
            .iter()
            .map(|s| FlowStepView {
                step: s.step.clone(),
                detail: s.detail.clone(),
            })
            .collect(),
        shuffled: study::shuffled_order(course.key(lesson).as_str(), steps.len())
            .into_iter()
            .map(|i| ShuffledStep {
                answer: i,
                step: steps[i].step.clone(),
            })
            .collect(),
    })
}

/// A lesson after its Markdown is rendered, before its template is.
pub(super) struct LessonRender {
    pub(super) page: LessonPage,
    /// `course/file.md`: what links and anchors name the lesson by.
    pub(super) content_path: String,
    /// Every id on the page, for checking links to `#anchor`s.
    pub(super) ids: HashSet<String>,
    pub(super) errors: Vec<Diagnostic>,
    pub(super) anchors: Vec<markdown::AnchorRef>,
    /// The artifacts of the lesson's widgets, written next to its page.
    pub(super) files: Vec<OutputFile>,
}

/// The table of contents: the body's headings, then the parts the page shows.
pub(super) fn table_of_contents(
    page: &LessonPage,
    body: Vec<markdown::TocEntry>,
) -> Vec<markdown::TocEntry> {
    let mut toc = body;
    let parts: [(bool, &str, &str); 4] = [
        (
            !page.tradeoffs.is_empty() || !page.tradeoffs_body.is_empty(),
            "tradeoffs",
            "Tradeoffs",
        ),
        (
            !page.coverage.is_empty(),
            "coverage",
            "What this lesson covers",
        ),
        (
            !page.examples.is_empty() || !page.examples_body.is_empty(),
            "examples",
            "Examples",
        ),
        (page.flow.is_some(), "flow", "Architecture flow"),
    ];
    let reorder = page.flow.as_ref().is_some_and(|f| f.shuffled.len() > 1);
    let after: [(bool, &str, &str); 4] = [
        (
            !page.walkthrough.is_empty(),
            "walkthrough",
            "Code walkthrough",
        ),
        (
            !page.questions.is_empty(),
            "questions",
            "Interview questions",
        ),
        (reorder, "reorder", "Put the steps in order"),
        (!page.flashcards.is_empty(), "flashcards", "Flash cards"),
    ];
    let widgets = page
        .widgets
        .iter()
        .map(|w| (true, w.id.as_str(), w.title.as_str()));
    for (present, id, title) in parts.into_iter().chain(widgets).chain(after) {
        if present {
            toc.push(markdown::TocEntry {
                id: id.to_string(),
                title: title.to_string(),
                level: 2,
            });
        }
    }
    toc
}

/// A short, stable id: `prefix-` and 10 hex digits of a hash of `parts`. Stable across
/// builds and unaffected by edits to other items, so browser state keyed by it survives.
pub(super) fn short_hash(prefix: &str, parts: &[&str]) -> String {
    let mut hasher = blake3::Hasher::new();
    for part in parts {
        hasher.update(part.as_bytes());
        hasher.update(&[0]);
    }
    format!("{prefix}-{}", &hasher.finalize().to_hex()[..10])
}

/// The id of a coverage point, as the lesson page and the course page name it.
pub(super) fn coverage_id(point: &impl ToString) -> String {
    short_hash("cov", &[&point.to_string()])
}
