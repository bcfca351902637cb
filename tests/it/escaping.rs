//! Front-matter is data: whatever an author (or a pull request) puts in a front-matter
//! value, the page gets no executable markup from it. Raw HTML in the Markdown body is
//! the author's own and is kept.

use crate::common;

use common::Site;

const NASTY: &str = r#"<script>alert(1)</script> \" onmouseover=alert(2) x=\" </textarea><img src=x onerror=alert(3)> [link](javascript:alert(4))"#;

fn lesson_with_nasty_values() -> String {
    let v = format!("\"{NASTY}\"");
    format!(
        "---\ntitle: {v}\nsummary: {v}\ntags: [{v}]\ntradeoffs: [{v}]\n\
         notes:\n  - {{ kind: tip, title: {v}, text: {v} }}\ncoverage: [{v}]\n\
         examples:\n  - {{ title: {v}, body: {v} }}\n\
         flow:\n  - {{ step: {v}, detail: {v} }}\n  - {{ step: Two, detail: {v} }}\n\
         questions:\n  - {{ level: beginner, q: {v}, answer: {v}, senior: {v} }}\n\
         flashcards:\n  - {{ front: {v}, back: {v} }}\n---\n\
         ## Core Theory\n\n<b class=\"author-html\">kept</b>\n"
    )
}

#[test]
fn no_front_matter_value_becomes_executable_markup() {
    let site = Site::fixture("mini");
    site.write("content/demo/001-first.md", lesson_with_nasty_values());
    let run = site.build(&[]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    for rel in [
        "demo/first/index.html",
        "demo/index.html",
        "review/index.html",
    ] {
        let page = site.page(rel);
        // The theme's own scripts are external files or the one inline theme bootstrap.
        for script in page.all("script") {
            let v = script.value();
            let text: String = script.text().collect();
            assert!(
                v.attr("src").is_some() || !text.contains("alert"),
                "{rel}: an injected script: {text}"
            );
        }
        assert_eq!(page.count("img[onerror]"), 0, "{rel}");
        assert_eq!(page.count("[onmouseover]"), 0, "{rel}");
        assert_eq!(page.count("a[href^='javascript:']"), 0, "{rel}");
        assert_eq!(page.count("textarea"), 0, "{rel}");
    }
    let page = site.page("demo/first/index.html");
    // The values are still shown, as text.
    assert!(
        page.text(".lesson-header h1")
            .contains("<script>alert(1)</script>")
    );
    assert!(
        page.text("#flashcards .card-front")
            .contains("<img src=x onerror=alert(3)>")
    );
    // The body's raw HTML is the author's and stays HTML.
    assert_eq!(page.count("#theory b.author-html"), 1);
}

/// Raw HTML in a lesson body and a course intro: the author's own by default, and with
/// `safe_html: true` in site.yaml sanitized down to harmless formatting, while the
/// pipeline's own markup (math, highlighted code, callouts, heading anchors) survives.
#[test]
fn raw_html_is_kept_by_default_and_sanitized_with_safe_html() {
    let body = "## Core Theory\n\n\
        <script>alert(1)</script>\n\n\
        <p onclick=\"alert(2)\">Click <kbd>Ctrl</kbd> <a href=\"javascript:alert(3)\">here</a></p>\n\n\
        <img src=\"x.png\" alt=\"pic\" onerror=\"alert(4)\">\n\n\
        <iframe src=\"https://evil.example/\"></iframe>\n\n\
        <details><summary>More</summary>Hidden text.</details>\n\n\
        Math $y = x^2$ stays.\n\n\
        > [!TIP]\n> A callout.\n\n\
        ```rust\nfn main() {}\n```\n";
    for safe in [false, true] {
        let site = Site::fixture("mini");
        site.write(
            "content/demo/001-first.md",
            format!("---\ntitle: First\n---\n{body}"),
        );
        site.write(
            "content/demo/_course.md",
            "---\ntitle: Demo Course\n---\nIntro <script>alert(5)</script> <em>kept</em>.\n",
        );
        site.write("content/demo/x.png", "not really a picture");
        if safe {
            site.write(
                "site.yaml",
                format!("{}safe_html: true\n", site.read("site.yaml")),
            );
        }
        let run = site.build(&[]);
        assert_eq!(run.status, 0, "{}", run.stderr);
        let page = site.page("demo/first/index.html");
        let theory = page.all("#theory")[0].html();
        let intro = site.page("demo/index.html").source;
        let dangerous = [
            theory.contains("<script>alert(1)"),
            theory.contains("onclick"),
            theory.contains("javascript:"),
            theory.contains("onerror"),
            theory.contains("<iframe"),
            intro.contains("<script>alert(5)"),
        ];
        if safe {
            assert_eq!(dangerous, [false; 6], "{theory}");
        } else {
            assert_eq!(
                dangerous, [true; 6],
                "the author's HTML was changed: {theory}"
            );
        }
        // Harmless formatting and the pipeline's own markup stay in both cases.
        for kept in [
            "<kbd>Ctrl</kbd>",
            "<details>",
            "alt=\"pic\"",
            "<math",
            "callout-tip",
            "hl-code",
            "class=\"anchor\"",
        ] {
            assert!(
                theory.contains(kept),
                "safe_html: {safe}: `{kept}` missing in {theory}"
            );
        }
        assert!(intro.contains("<em>kept</em>"));
    }
}
