//! What a lesson's Markdown says reaches the page as it meant: URLs in raw HTML resolve
//! and are checked as Markdown links are, `$$` in a sentence follows `math.dollars`, and
//! footnotes in front-matter values keep their text. Built from the `fidelity` fixture
//! through the real binary.

use crate::common;

use common::Site;

fn built(site: &Site) {
    let run = site.build(&[]);
    assert_eq!(run.status, 0, "{}", run.stderr);
}

const LESSON: &str = "book/html/index.html";

#[test]
fn a_raw_html_image_resolves_to_its_published_file() {
    let site = Site::fixture("fidelity");
    built(&site);
    let page = site.page(LESSON);
    let src = page.attr("#theory figure img", "src");
    assert_eq!(src, "/book/images/diagram.png");
    assert!(site.public().join(src.trim_start_matches('/')).is_file());
    // The rest of the tag is as written.
    assert!(
        page.source
            .contains("<img alt=\"A diagram\"\n       src=\"/book/images/diagram.png\">"),
        "{}",
        page.source
    );
}

#[test]
fn a_raw_html_link_to_a_lesson_file_becomes_its_url() {
    let site = Site::fixture("fidelity");
    built(&site);
    let page = site.page(LESSON);
    let href = page.attr("#theory a[href*='details']", "href");
    assert_eq!(href, "/book/other/#details");
    let other = site.page("book/other/index.html");
    assert_eq!(other.count("#details"), 1);
}

#[test]
fn a_missing_raw_html_image_is_an_error_at_its_value() {
    let site = Site::fixture("fidelity");
    let lesson = site.read("content/book/001-html.md");
    site.write(
        "content/book/001-html.md",
        lesson.replace("images/diagram.png", "images/gone.png"),
    );
    let run = site.build(&[]);
    assert_eq!(run.status, 1, "expected a failed build:\n{}", run.stderr);
    assert!(
        run.stderr.contains("content/book/001-html.md:14:13"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("there is no file content/book/images/gone.png"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_raw_html_link_to_a_missing_anchor_is_an_error() {
    let site = Site::fixture("fidelity");
    let lesson = site.read("content/book/001-html.md");
    site.write(
        "content/book/001-html.md",
        lesson.replace("002-other.md#details", "002-other.md#nowhere"),
    );
    let run = site.build(&[]);
    assert_eq!(run.status, 1, "expected a failed build:\n{}", run.stderr);
    assert!(
        run.stderr.contains("content/book/001-html.md:18:14"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("no heading or part with id `nowhere`"));
}

const MID_SENTENCE: &str = "---\ntitle: Math\nsummary: Dollars.\n---\n\
     ## Core Theory\n\nThe loss $$L = x^2$$ grows.\n\n$$\ny = 2\n$$\n";

#[test]
fn display_math_in_a_sentence_is_an_error_in_standard_mode() {
    let site = Site::fixture("fidelity");
    site.write("content/book/003-math.md", MID_SENTENCE);
    let run = site.build(&[]);
    assert_eq!(run.status, 1, "expected a failed build:\n{}", run.stderr);
    assert!(
        run.stderr.contains("content/book/003-math.md:7:10"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("in the middle of a sentence"));
    assert!(run.stderr.contains("dollars: gitbook"));
}

#[test]
fn display_math_in_a_sentence_is_inline_math_in_gitbook_mode() {
    let site = Site::fixture("fidelity");
    let config = site.read("site.yaml");
    site.write(
        "site.yaml",
        format!("{config}math: {{ dollars: gitbook }}\n"),
    );
    site.write("content/book/003-math.md", MID_SENTENCE);
    built(&site);
    let page = site.page("book/math/index.html");
    let formulas = page.all("#theory math");
    assert_eq!(formulas.len(), 2);
    // In the sentence: inline. Alone on its lines: display.
    assert_eq!(formulas[0].value().attr("display"), None);
    assert_eq!(formulas[1].value().attr("display"), Some("block"));
    let sentence = page
        .all("#theory p")
        .into_iter()
        .find(|p| p.text().collect::<String>().starts_with("The loss"))
        .expect("the sentence's paragraph");
    assert!(sentence.text().collect::<String>().ends_with(" grows."));
}

#[test]
fn footnotes_in_question_answers_keep_their_text_with_ids_of_their_own() {
    let site = Site::fixture("fidelity");
    built(&site);
    let page = site.page(LESSON);
    let answers = page.all("#questions details");
    assert_eq!(answers.len(), 2);
    let mut ids = Vec::new();
    for (answer, note) in answers
        .iter()
        .zip(["The first answer's note.", "The senior answer's note."])
    {
        let inner = common::Page::parse(&answer.html());
        let href = inner.attr("sup.footnote-reference a", "href");
        let id = href.strip_prefix('#').unwrap().to_string();
        // The reference points at its own value's note, which is on the page once.
        assert_eq!(page.count(&format!("[id='{id}']")), 1, "{id}");
        assert!(
            inner
                .text(&format!("section.footnotes [id='{id}']"))
                .contains(note),
            "{id}"
        );
        ids.push(id);
    }
    assert_ne!(ids[0], ids[1]);
}

#[test]
fn the_course_intro_keeps_its_footnotes_once() {
    let site = Site::fixture("fidelity");
    built(&site);
    let page = site.page("book/index.html");
    assert_eq!(page.count("section.footnotes"), 1);
    assert!(
        page.text("section.footnotes")
            .contains("The intro's source.")
    );
}

const WITH_MACROS: &str = "---
title: Macros
---
## Core Theory

For $\\vx \\in \\R^n$ the norm is

$$
\\norm{\\vx} = \\sqrt{\\vx^\\top \\vx}
$$
";

#[test]
fn the_sites_math_macros_expand_in_every_formula() {
    let site = Site::fixture("fidelity");
    let config = site.read("site.yaml");
    site.write(
        "site.yaml",
        format!(
            "{config}math:\n  macros:\n    vx: '\\mathbf{{x}}'\n    '\\norm': '\\left\\lVert #1 \\right\\rVert'\n"
        ),
    );
    site.write("content/book/003-math.md", WITH_MACROS);
    built(&site);
    let page = site.page("book/math/index.html");
    let formulas = page.all("#theory math");
    assert_eq!(formulas.len(), 2);
    // `\vx` is a bold x (MathML's bold letter); `\norm{...}` fences its argument.
    let inline = formulas[0].html();
    assert_eq!(inline.matches("<mi>𝐱</mi>").count(), 1, "{inline}");
    let display = formulas[1].html();
    assert_eq!(display.matches("<mi>𝐱</mi>").count(), 3, "{display}");
    assert_eq!(display.matches('‖').count(), 2, "{display}");
    assert!(!page.source.contains("math-error"));
}

#[test]
fn a_macro_that_uses_itself_is_an_error_at_its_key_in_site_yaml() {
    let site = Site::fixture("fidelity");
    let config = site.read("site.yaml");
    let lines = config.lines().count();
    site.write(
        "site.yaml",
        format!("{config}math:\n  macros:\n    vx: '\\mathbf{{x}}'\n    bad: 'x\\bad{{#1}}'\n"),
    );
    let run = site.build(&[]);
    assert_eq!(run.status, 1, "expected a failed build:\n{}", run.stderr);
    assert!(
        run.stderr.contains(&format!("site.yaml:{}:5", lines + 4)),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("the macro `\\bad` expands more than 2000 times: does a macro use itself?"),
        "{}",
        run.stderr
    );
}

#[test]
fn an_image_in_an_inline_svg_resolves_like_an_img() {
    let site = Site::fixture("fidelity");
    site.write(
        "content/book/003-svg.md",
        "---\ntitle: Svg\n---\n## Core Theory\n\n<svg viewBox=\"0 0 10 10\" role=\"img\" aria-label=\"A diagram\"><image href=\"images/diagram.png\" width=\"10\" height=\"10\"/></svg>\n\n<svg viewBox=\"0 0 10 10\"><image xlink:href=\"images/gone.png\"/></svg>\n",
    );
    let run = site.build(&[]);
    assert_eq!(run.status, 1, "expected a failed build:\n{}", run.stderr);
    assert!(run.stderr.contains("images/gone.png"), "{}", run.stderr);
    assert!(
        run.stderr.contains("content/book/003-svg.md:8:"),
        "{}",
        run.stderr
    );
    site.write(
        "content/book/003-svg.md",
        "---\ntitle: Svg\n---\n## Core Theory\n\n<svg viewBox=\"0 0 10 10\" role=\"img\" aria-label=\"A diagram\"><image href=\"images/diagram.png\" width=\"10\" height=\"10\"/></svg>\n",
    );
    built(&site);
    let page = site.page("book/svg/index.html");
    assert!(
        page.source
            .contains("<image href=\"/book/images/diagram.png\""),
        "{}",
        page.source
    );
}
