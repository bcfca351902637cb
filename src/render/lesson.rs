//! A lesson's page data: its body and front-matter values rendered from Markdown, its
//! widgets, questions, cards and flow, and its table of contents; a course's intro.
//!
//! Owns: [`lesson_page`] and what it needs. Never does: render templates or write files.

use super::*;

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

/// A course's intro, sanitized with `safe_html`.
pub(super) fn course_intro(course: &Course, links: &LinkIndex, safe_html: bool) -> Rendered {
    let page = format!("{}/{}", course.slug, crate::load::course::COURSE_FILE);
    let job = MarkdownJob {
        text: course.source.body(),
        origin: Origin::Body {
            file: &course.source,
            offset: course.source.body_start,
        },
        page: &page,
        course: &course.slug,
        trust_html: true,
        split_sections: false,
    };
    let mut intro = markdown::render(&job, links, &mut PageIds::default());
    if safe_html {
        match sanitize::sanitize(intro.slot(Slot::Theory)) {
            Ok(clean) => intro.replace_slot(Slot::Theory, clean),
            Err(why) => {
                intro.replace_slot(Slot::Theory, String::new());
                intro
                    .errors
                    .push(Diagnostic::error(&course.source.path, why));
            }
        }
    }
    intro
}

/// Renders the Markdown of lesson `index` of `course` into its page data.
pub(super) fn lesson_page(
    course: &Course,
    index: usize,
    nav: &HashMap<String, Vec<LessonLink>>,
    links: &LinkIndex,
    base: &BaseUrl,
    sims: &SimResults,
) -> LessonRender {
    let lesson = &course.lessons[index];
    let meta = &lesson.meta;
    let file = &lesson.source;
    let page_key = format!("{}/{}", course.slug, lesson.file_name);
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
            course: &course.slug,
            trust_html: true,
            split_sections: true,
        },
        links,
        &mut ids,
    );
    // Front-matter values are Markdown too, but their raw HTML is shown as text. Their
    // headings' ids are the page's too: one id is never on a page twice.
    // `key`, the item's index and `sub` are where the value is written, for diagnostics.
    let mut field = |text: &str, key: &str, index: usize, sub: Option<&str>| -> Rendered {
        let index = index.to_string();
        let mut path = vec![key, index.as_str()];
        path.extend(sub);
        markdown::render(
            &MarkdownJob {
                text,
                origin: Origin::Field { file, path: &path },
                page: &page_key,
                course: &course.slug,
                trust_html: false,
                split_sections: false,
            },
            links,
            &mut ids,
        )
    };
    let mut extra = Rendered::default();
    let mut take = |r: Rendered, inline: bool| -> String {
        extra.errors.extend(r.errors.iter().cloned());
        extra.anchors.extend(r.anchors.iter().cloned());
        if inline {
            r.into_inline()
        } else {
            let mut r = r;
            r.take_slot(Slot::Theory)
        }
    };

    let tradeoffs = meta
        .tradeoffs
        .iter()
        .enumerate()
        .map(|(i, t)| take(field(t, "tradeoffs", i, None), true))
        .collect();
    let notes = meta
        .notes
        .iter()
        .enumerate()
        .map(|(i, n)| NoteData {
            kind: n.kind.as_str(),
            label: n.kind.label(),
            title: n.title.clone(),
            html: take(field(&n.text, "notes", i, Some("text")), false),
        })
        .collect();
    let coverage = meta
        .coverage
        .iter()
        .enumerate()
        .map(|(i, c)| CoverageItem {
            id: coverage_id(c),
            html: take(field(c, "coverage", i, None), true),
        })
        .collect();
    let examples = meta
        .examples
        .iter()
        .enumerate()
        .map(|(i, e)| ExampleData {
            title: e.title.clone(),
            kind: e.kind.as_str(),
            kind_label: e.kind.label(),
            html: take(field(&e.body, "examples", i, Some("body")), false),
        })
        .collect();
    let questions = meta
        .questions
        .iter()
        .zip(&question_ids)
        .enumerate()
        .map(|(i, (q, id))| QuestionData {
            id: id.clone(),
            level: q.level.as_str(),
            level_label: q.level.label(),
            html: take(field(&q.q, "questions", i, Some("q")), true),
            answer: take(field(&q.answer, "questions", i, Some("answer")), false),
            senior: take(field(&q.senior, "questions", i, Some("senior")), false),
        })
        .collect();
    let flashcards = meta
        .flashcards
        .iter()
        .enumerate()
        .map(|(i, c)| FlashCardData {
            id: short_hash("card", &[&course.slug, &lesson.slug, &c.front]),
            front: take(field(&c.front, "flashcards", i, Some("front")), true),
            back: take(field(&c.back, "flashcards", i, Some("back")), true),
        })
        .collect();
    let flow = (!meta.flow.is_empty()).then(|| FlowData {
        svg: flow::svg(&meta.flow, "flow-diagram"),
        steps: meta
            .flow
            .iter()
            .map(|s| FlowStepData {
                step: s.step.clone(),
                detail: s.detail.clone(),
            })
            .collect(),
        shuffled: study::shuffled_order(
            &format!("{}/{}", course.slug, lesson.slug),
            meta.flow.len(),
        )
        .into_iter()
        .map(|i| ShuffledStep {
            answer: i,
            step: meta.flow[i].step.clone(),
        })
        .collect(),
    });
    body.errors.extend(extra.errors);
    body.anchors.extend(extra.anchors);
    let widget_output = widgets::build(
        &meta.widgets,
        &widget_ids,
        &format!("{}/{}", course.slug, lesson.slug),
        sims,
        base,
    );

    let course_nav = &nav[&course.slug];
    let theory = body.take_slot(Slot::Theory);
    let walkthrough = body.take_slot(Slot::Walkthrough);
    let tradeoffs_body = body.take_slot(Slot::Tradeoffs);
    let examples_body = body.take_slot(Slot::Examples);
    let footnotes = body.take_slot(Slot::Footnotes);
    let mut page = LessonPage {
        key: format!("{}/{}", course.slug, lesson.slug),
        slug: lesson.slug.clone(),
        url: lesson_url(course, lesson, base),
        title: meta.title.clone(),
        summary: meta.summary.clone(),
        tags: meta.tags.clone(),
        date: meta.date.clone(),
        draft: meta.draft,
        position: index + 1,
        total: course.lessons.len(),
        course: CourseRef {
            slug: course.slug.clone(),
            title: course.meta.title.clone(),
            icon: course.meta.icon.clone(),
            url: base.join(&format!("{}/", course.slug)),
        },
        prev: index.checked_sub(1).map(|i| course_nav[i].clone()),
        next: course_nav.get(index + 1).cloned(),
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
    let after: [(bool, &str, &str); 3] = [
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
