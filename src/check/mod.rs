//! `conceptlab check`: everything a build validates, without writing anything, plus
//! warnings about lessons that are valid but look unfinished.
//!
//! The errors come from the build's own stages (load, then render with every link and
//! anchor check), so `check` passes exactly when `build` would. The warnings are this
//! module's: each names a lesson file, and a line and column where one makes sense.
//! This module never writes to disk and never decides the exit status; the CLI does
//! (`--strict` counts warnings as errors). Links to other websites are checked only when
//! asked ([`external`]).

pub mod external;

use std::collections::HashSet;
use std::path::PathBuf;
use std::time::Duration;

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

use crate::config::WarningKind;
use crate::diagnostics::Diagnostic;
use crate::load::source::SourceFile;
use crate::load::{Lesson, Order, Site};
use crate::pipeline::{self, Prepare, Prepared};
use crate::render::{self, RenderPlan};
use crate::sim::{SimOptions, SimResults, Training};

/// What to check, from the command line.
#[derive(Clone, Debug)]
pub struct CheckOptions {
    pub root: PathBuf,
    /// Check the site as built with `--drafts`.
    pub drafts: bool,
    /// Request every external link, waiting at most this long for each.
    pub external: Option<Duration>,
}

/// The Markdown extensions the renderer enables, so that the same text is a link or an
/// image here and on the page.
pub(crate) const MARKDOWN: Options = Options::ENABLE_TABLES
    .union(Options::ENABLE_FOOTNOTES)
    .union(Options::ENABLE_STRIKETHROUGH)
    .union(Options::ENABLE_TASKLISTS)
    .union(Options::ENABLE_HEADING_ATTRIBUTES)
    .union(Options::ENABLE_MATH)
    .union(Options::ENABLE_GFM);

/// The fewest flow steps that make a diagram worth drawing.
pub const MIN_FLOW_STEPS: usize = 3;

/// Checks the site: its errors (what `build` would refuse), then its warnings.
pub fn check(options: &CheckOptions) -> Vec<Diagnostic> {
    // Loaded once, with the drafts: an order gap that a draft fills is no gap, so the
    // order warnings see them; the errors are those of the site as built.
    let what = Prepare {
        root: &options.root,
        base_url: None,
        drafts: true,
    };
    let Prepared {
        mut site,
        base,
        inputs,
        errors: mut diagnostics,
    } = match pipeline::prepare(what, None) {
        Ok(prepared) => prepared,
        Err(e) => return e,
    };
    let warnings = lint(&site, options.drafts);
    if !options.drafts {
        site.drop_drafts();
    }
    // Simulation specs, kinds, cost and page budget, without training.
    let sim_options = SimOptions {
        training: Training::CheckOnly,
        ..Default::default()
    };
    diagnostics.extend(crate::sim::simulate_site(&site, &sim_options).2);
    let nothing = SimResults::default();
    let rendered = inputs
        .and_then(|inputs| render::render(&site, &base, &nothing, &inputs, RenderPlan::check()));
    if let Err(more) = rendered {
        diagnostics.extend(more);
    }
    diagnostics.extend(warnings);
    if let Some(timeout) = options.external {
        diagnostics.extend(external::check_external(&site, timeout));
    }
    diagnostics
}

/// The warnings about `site`: empty lessons, lessons without flash cards or questions, questions
/// without a senior answer, flows of fewer than three steps, repeated flash-card fronts,
/// images without alt text, and gaps in a course's order numbers. Drafts count for the
/// gaps, but their own content is warned about only with `drafts`: unfinished is what a
/// draft is.
pub fn lint(site: &Site, drafts: bool) -> Vec<Diagnostic> {
    let wanted = |lesson: &Lesson, kind: WarningKind| {
        site.config.warnings.on(kind) && lesson.meta.warnings.on(kind)
    };
    let mut warnings = Vec::new();
    for course in &site.courses {
        for pair in course.lessons.windows(2) {
            let (before, after) = (&pair[0], &pair[1]);
            if before.part == after.part
                && wanted(after, WarningKind::OrderGap)
                && let Some(missing) = before.order.gap_before(&after.order)
            {
                warnings.push(order_gap(before, after, missing));
            }
        }
        for lesson in course.lessons.iter().filter(|l| drafts || !l.meta.draft) {
            warnings.extend(
                lint_lesson(lesson)
                    .into_iter()
                    .filter(|(kind, _)| wanted(lesson, *kind))
                    .map(|(_, warning)| warning),
            );
        }
    }
    warnings
}

fn lint_lesson(lesson: &Lesson) -> Vec<(WarningKind, Diagnostic)> {
    let meta = &lesson.meta;
    let file = &lesson.source;
    let mut warnings = Vec::new();
    if !file.has_front_matter() {
        warnings.push((
            WarningKind::NoFrontMatter,
            Diagnostic::warning(
                &file.path,
                format!(
                    "the lesson has no front-matter; its title, \"{}\", comes from its {}",
                    meta.title,
                    if file.body_start > 0 {
                        "first heading"
                    } else {
                        "file name"
                    }
                ),
            )
            .with_hint(
                "start the file with `---`, `title: ...` and `---` to set its title and add parts",
            ),
        ));
    }
    let no_parts = meta.tradeoffs.is_empty()
        && meta.notes.is_empty()
        && meta.coverage.is_empty()
        && meta.examples.is_empty()
        && meta.flow.is_empty()
        && meta.questions.is_empty()
        && meta.flashcards.is_empty()
        && meta.widgets.is_empty();
    if no_parts && file.body().trim().is_empty() {
        // Its page would be a title alone: the other warnings would only repeat this.
        warnings.push((
            WarningKind::EmptyLesson,
            warning_at(
                file,
                &["title"],
                "the lesson is empty: no text and no parts",
            )
            .with_hint(
                "write its text after the front-matter, or mark it `draft: true` until it has some",
            ),
        ));
        return warnings;
    }
    if meta.flashcards.is_empty() {
        warnings.push((
            WarningKind::NoFlashcards,
            warning_at(file, &["title"], "the lesson has no flash cards")
                .with_hint("add `flashcards:` with a `front:` and `back:` for each key idea"),
        ));
    }
    if meta.questions.is_empty() {
        warnings.push((
            WarningKind::NoQuestions,
            warning_at(file, &["title"], "the lesson has no questions")
                .with_hint("add `questions:` with a `level:`, `q:`, `answer:` and `senior:`"),
        ));
    }
    for (i, question) in meta.questions.iter().enumerate() {
        if question.senior.trim().is_empty() {
            warnings.push((
                WarningKind::NoSeniorAnswer,
                warning_at(
                    file,
                    &["questions", &i.to_string(), "q"],
                    "the question has no senior answer",
                )
                .with_hint("add `senior:` with the answer a senior practitioner would give"),
            ));
        }
    }
    if !meta.flow.is_empty() && meta.flow.len() < MIN_FLOW_STEPS {
        let steps = meta.flow.len();
        warnings.push((
            WarningKind::ShortFlow,
            warning_at(
                file,
                &["flow"],
                format!(
                    "the flow has {steps} step{}; a diagram needs at least {MIN_FLOW_STEPS}",
                    if steps == 1 { "" } else { "s" }
                ),
            )
            .with_hint("add the steps before and after, or describe the process in the text"),
        ));
    }
    let mut fronts: HashSet<&str> = HashSet::new();
    for (index, card) in meta.flashcards.iter().enumerate() {
        let front = card.front.trim();
        if !fronts.insert(front) {
            warnings.push((
                WarningKind::RepeatedFront,
                warning_at(
                    file,
                    &["flashcards", &index.to_string(), "front"],
                    format!("two flash cards have the front `{front}`"),
                )
                .with_hint("merge the two cards, or ask two different questions"),
            ));
        }
    }
    let kind = |kind| move |warning| (kind, warning);
    warnings.extend(
        images_without_alt(file)
            .into_iter()
            .map(kind(WarningKind::NoAltText)),
    );
    warnings.extend(
        dropped_heading_attributes(lesson)
            .into_iter()
            .map(kind(WarningKind::DroppedAttributes)),
    );
    warnings
}

/// Front-matter headings keep only their id and classes (front-matter is data, and an
/// attribute such as `onfocus` would be script): each heading that loses attributes is
/// a warning at its value, naming them.
fn dropped_heading_attributes(lesson: &Lesson) -> Vec<Diagnostic> {
    let meta = &lesson.meta;
    let file = &lesson.source;
    let mut fields: Vec<(Vec<String>, &str)> = Vec::new();
    let at = |key: &str, i: usize, sub: Option<&str>| {
        let mut path = vec![key.to_string(), i.to_string()];
        path.extend(sub.map(str::to_string));
        path
    };
    for (i, text) in meta.tradeoffs.iter().enumerate() {
        fields.push((at("tradeoffs", i, None), text));
    }
    for (i, note) in meta.notes.iter().enumerate() {
        fields.push((at("notes", i, Some("text")), &note.text));
    }
    for (i, text) in meta.coverage.iter().enumerate() {
        fields.push((at("coverage", i, None), text));
    }
    for (i, example) in meta.examples.iter().enumerate() {
        fields.push((at("examples", i, Some("body")), &example.body));
    }
    for (i, q) in meta.questions.iter().enumerate() {
        fields.push((at("questions", i, Some("q")), &q.q));
        fields.push((at("questions", i, Some("answer")), &q.answer));
        fields.push((at("questions", i, Some("senior")), &q.senior));
    }
    for (i, card) in meta.flashcards.iter().enumerate() {
        fields.push((at("flashcards", i, Some("front")), &card.front));
        fields.push((at("flashcards", i, Some("back")), &card.back));
    }
    let mut warnings = Vec::new();
    for (path, text) in fields {
        // Cheap first: heading attributes need a `{`.
        if !text.contains('{') {
            continue;
        }
        for event in Parser::new_ext(text, MARKDOWN) {
            let Event::Start(Tag::Heading { attrs, .. }) = event else {
                continue;
            };
            if attrs.is_empty() {
                continue;
            }
            let names: Vec<String> = attrs.iter().map(|(name, _)| format!("`{name}`")).collect();
            let path: Vec<&str> = path.iter().map(String::as_str).collect();
            let location = file.locate_path(&path);
            warnings.push(
                Diagnostic::warning(
                    &file.path,
                    format!(
                        "a heading in `{}` has attributes that are dropped: {}",
                        path.join("."),
                        names.join(", ")
                    ),
                )
                .at(&file.text, location)
                .with_hint("headings in front-matter keep only `{#id}` and `{.class}`; write the rest in the lesson body"),
            );
        }
    }
    warnings
}

fn order_gap(before: &Lesson, after: &Lesson, (first, last): (Order, Order)) -> Diagnostic {
    let missing = if first == last {
        format!("{first} is")
    } else {
        format!("{first} to {last} are")
    };
    let message = format!(
        "lesson order jumps from {} to {}: {missing} missing",
        before.order, after.order
    );
    let hint = format!(
        "renumber the lessons, or add the missing one (`{}` comes before this one)",
        before.file_name
    );
    let file = &after.source;
    let diagnostic = if after.meta.order.is_some() {
        warning_at(file, &["order"], message)
    } else {
        Diagnostic::warning(&file.path, message)
    };
    diagnostic.with_hint(hint)
}

/// A warning at the front-matter node at `path` (keys and list indices).
fn warning_at(file: &SourceFile, path: &[&str], message: impl Into<String>) -> Diagnostic {
    Diagnostic::warning(&file.path, message).at(&file.text, file.locate_path(path))
}

/// Images in the body whose alt text is empty: `![](x.png)` or `<img src="x.png">`.
fn images_without_alt(file: &SourceFile) -> Vec<Diagnostic> {
    let body = file.body();
    let mut warnings = Vec::new();
    let mut open: Option<(usize, String)> = None;
    let warn = |offset: usize| {
        Diagnostic::warning(&file.path, "the image has no alt text")
            .at_offset(&file.text, file.body_start + offset)
            .with_hint("describe the image for readers who cannot see it: ![a neuron](x.svg)")
    };
    for (event, range) in Parser::new_ext(body, MARKDOWN).into_offset_iter() {
        match event {
            Event::Start(Tag::Image { .. }) => open = Some((range.start, String::new())),
            Event::End(TagEnd::Image) => {
                if let Some((start, alt)) = open.take()
                    && alt.trim().is_empty()
                {
                    warnings.push(warn(start));
                }
            }
            Event::Text(text) | Event::Code(text) => {
                if let Some((_, alt)) = open.as_mut() {
                    alt.push_str(&text);
                }
            }
            Event::Html(html) | Event::InlineHtml(html) => {
                let lower = html.to_ascii_lowercase();
                for (i, _) in lower.match_indices("<img") {
                    let tag_end = lower[i..].find('>').map_or(lower.len(), |e| i + e);
                    let tag = &lower[i..tag_end];
                    if !tag.contains(" alt=") || tag.contains("alt=\"\"") {
                        warnings.push(warn(range.start + i));
                    }
                }
            }
            _ => {}
        }
    }
    warnings
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::Location;
    use crate::load::source::{FrontMatter, split};
    use std::path::Path;

    fn file(text: &str) -> SourceFile {
        split(text.to_owned(), Path::new("a.md"), FrontMatter::Required).unwrap()
    }

    #[test]
    fn an_image_without_alt_text_is_found_at_its_line_and_column() {
        let f = file("---\ntitle: A\n---\nText.\n\nSee ![](n.svg) and ![a neuron](n.svg).\n");
        let found = images_without_alt(&f);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].location, Some(Location { line: 6, column: 5 }));
    }

    #[test]
    fn an_html_image_needs_an_alt_attribute() {
        let f = file("---\ntitle: A\n---\n<img src=\"a.png\">\n\n<img alt=\"A\" src=\"b.png\">\n");
        assert_eq!(images_without_alt(&f).len(), 1);
    }

    #[test]
    fn a_warning_points_at_its_item_not_the_first_like_it() {
        let f = file(
            "---\ntitle: A\nflashcards:\n  - { front: W, back: x }\n  - { front: W, back: y }\n---\n",
        );
        let d = warning_at(&f, &["flashcards", "1", "front"], "twice");
        assert_eq!(d.location, Some(Location { line: 5, column: 7 }));
    }
}
