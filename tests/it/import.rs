//! `conceptlab import`: the fixture books (`tests/fixtures/books/`) imported, built and
//! read back as DOM; and the errors for a broken book or a destination in use.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use crate::common::{Page, run};

fn book(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/books")
        .join(name)
}

/// A book imported and built in a temporary folder.
struct Imported {
    dir: tempfile::TempDir,
    summary: String,
}

impl Imported {
    fn new(format: &str, source: &Path) -> Imported {
        let dir = tempfile::tempdir().unwrap();
        let site = dir.path().join("site");
        let imported = import(format, source, &site);
        assert_eq!(imported.status, 0, "{}", imported.stderr);
        let built = run(&["build", "--root", site.to_str().unwrap()]);
        assert_eq!(
            built.status, 0,
            "the import does not build:\n{}",
            built.stderr
        );
        Imported {
            dir,
            summary: imported.stderr,
        }
    }

    fn site(&self) -> PathBuf {
        self.dir.path().join("site")
    }

    fn public(&self) -> PathBuf {
        self.site().join("public")
    }

    fn page(&self, rel: &str) -> Page {
        let path = self.public().join(rel);
        Page::parse(&std::fs::read_to_string(&path).unwrap_or_else(|_| panic!("no page {rel}")))
    }

    /// Every built HTML page, by its path under `public/`.
    fn pages(&self) -> Vec<(String, Page)> {
        walkdir::WalkDir::new(self.public())
            .into_iter()
            .flatten()
            .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
            .map(|e| {
                let rel = e
                    .path()
                    .strip_prefix(self.public())
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                (
                    rel,
                    Page::parse(&std::fs::read_to_string(e.path()).unwrap()),
                )
            })
            .collect()
    }

    /// Asserts that every `<img>` of every page names a file of the output.
    fn assert_images_resolve(&self) -> usize {
        let mut seen = 0;
        for (rel, page) in self.pages() {
            for img in page.all("img") {
                let src = img.value().attr("src").unwrap_or_default();
                assert!(
                    src.starts_with('/'),
                    "{rel}: image {src} is not a site path"
                );
                let decoded = percent_encoding::percent_decode_str(&src[1..])
                    .decode_utf8()
                    .unwrap();
                assert!(
                    self.public().join(decoded.as_ref()).is_file(),
                    "{rel}: image {src} is missing"
                );
                seen += 1;
            }
        }
        seen
    }

    /// Asserts that every footnote reference leads to a definition with text, and that
    /// every id of every page is unique.
    fn assert_footnotes(&self) -> usize {
        let mut seen = 0;
        for (rel, page) in self.pages() {
            let ids: Vec<String> = page
                .all("[id]")
                .iter()
                .map(|e| e.value().attr("id").unwrap().to_string())
                .collect();
            let unique: HashSet<&String> = ids.iter().collect();
            assert_eq!(unique.len(), ids.len(), "{rel}: repeated ids in {ids:?}");
            for reference in page.all("sup.footnote-reference a") {
                let target = reference
                    .value()
                    .attr("href")
                    .unwrap()
                    .trim_start_matches('#');
                let definition = page.all(&format!("[id=\"{target}\"]"));
                assert_eq!(
                    definition.len(),
                    1,
                    "{rel}: footnote {target} has no definition"
                );
                let text: String = definition[0].text().collect();
                assert!(
                    text.trim().len() > 3,
                    "{rel}: footnote {target} has no text"
                );
                seen += 1;
            }
        }
        seen
    }

    /// The `href`s of the links of a page's text.
    fn links(&self, rel: &str) -> Vec<String> {
        self.page(rel)
            .all("main a[href]")
            .iter()
            .map(|a| a.value().attr("href").unwrap().to_string())
            .collect()
    }
}

/// The rows of the display formulas of a page that have line breaks.
fn display_rows(page: &Page) -> Vec<usize> {
    page.all("math[display=\"block\"]")
        .iter()
        .map(|m| m.select(&scraper::Selector::parse("mtr").unwrap()).count())
        .collect()
}

#[test]
fn an_mdbook_becomes_courses_parts_and_lessons_that_build() {
    let site = Imported::new("mdbook", &book("mdbook"));
    // Every page of the summary is a lesson or a part's introduction.
    for lesson in [
        "signals-briefly/welcome",
        "foundations/sampling",
        "foundations/aliasing",
        "foundations/filters",
        "foundations/notation",
        "practice/exercises",
        "practice/code",
        "practice/thanks",
    ] {
        assert!(
            site.public().join(lesson).join("index.html").is_file(),
            "no lesson {lesson}"
        );
    }
    let course = site.page("foundations/index.html");
    assert!(
        course.source.contains("A signal is a quantity"),
        "the part's introduction is its chapter's text"
    );
    // The summary counts what was done and lists what was kept.
    for line in [
        "9 pages: 3 courses, 2 parts, 8 lessons",
        "11 formulas (10 with new delimiters), 1 dollar signs escaped",
        "3 includes resolved, 2 callouts, 1 draft chapters left out",
        "notation.md:8: `{{#title}}` is kept as text",
        "SUMMARY.md:12: the draft chapter \"Transforms\"",
    ] {
        assert!(
            site.summary.contains(line),
            "no `{line}` in:\n{}",
            site.summary
        );
    }
    // Math: \\( \\) inline, \\[ \\] display with its `\\\\` rows, a dollar stays a dollar.
    let sampling = site.page("foundations/sampling/index.html");
    assert_eq!(display_rows(&sampling), [2, 3]);
    assert!(sampling.count("math:not([display])") >= 3);
    let welcome = site.page("signals-briefly/welcome/index.html");
    assert!(welcome.text("main").contains("costs $3 here"));
    assert_eq!(welcome.count("math"), 0);
    // Callouts: admonish blocks and native alerts.
    assert_eq!(sampling.count("aside.callout-warning"), 1);
    assert!(sampling.text("aside.callout-warning").contains("Too slow"));
    assert_eq!(
        site.page("foundations/filters/index.html")
            .count("aside.callout-tip"),
        1
    );
    assert_eq!(welcome.count("aside.callout-note"), 1);
    // Links between pages go to the lessons, with the anchors conceptlab gives.
    assert!(
        welcome
            .source
            .contains("href=\"/foundations/sampling/#the-sampling-rate\"")
    );
    let aliasing = site.links("foundations/aliasing/index.html");
    assert!(
        aliasing.contains(&"/foundations/sampling/#the-sampling-rate".to_string()),
        "{aliasing:?}"
    );
    assert!(
        aliasing.contains(&"/signals-briefly/welcome/".to_string()),
        "{aliasing:?}"
    );
    let filters = site.links("foundations/filters/index.html");
    assert!(
        filters.contains(&"/foundations/aliasing/#folding".to_string()),
        "{filters:?}"
    );
    let thanks = site.links("practice/thanks/index.html");
    assert!(
        thanks.contains(&"/foundations/#part-signals".to_string()),
        "a link to a part's chapter: {thanks:?}"
    );
    // Includes: whole files, anchors and line ranges; an escaped one is text.
    let code = site.page("practice/code/index.html");
    assert_eq!(code.count("pre"), 3);
    assert!(!code.source.contains("ANCHOR"));
    assert!(code.text("main").contains("{{#include file.rs}}"));
    assert_eq!(site.assert_images_resolve(), 2);
    assert_eq!(site.assert_footnotes(), 3);
}

#[test]
fn a_gitbook_becomes_courses_parts_and_lessons_that_build() {
    let site = Imported::new("gitbook", &book("gitbook"));
    for lesson in [
        "linear-algebra-gently/linear-algebra-gently",
        "basics/the-dot-product",
        "basics/matrices",
        "going-further/eigenvalues",
        "going-further/odds-and-ends",
    ] {
        assert!(
            site.public().join(lesson).join("index.html").is_file(),
            "no lesson {lesson}"
        );
    }
    for line in [
        "6 pages: 3 courses, 2 parts, 5 lessons",
        "9 formulas (6 with new delimiters), 1 dollar signs escaped",
        "1 includes resolved, 4 callouts, 0 draft chapters left out",
        "odds-and-ends.md:3: `{% tabs %}` is kept as text",
        "odds-and-ends.md:11: an embed is a plain link now",
    ] {
        assert!(
            site.summary.contains(line),
            "no `{line}` in:\n{}",
            site.summary
        );
    }
    // `$$x$$` in a sentence is inline; alone on its lines it is a display formula whose
    // `\\` rows (top level, pmatrix, cases) are kept.
    let basics = site.page("basics/index.html");
    assert!(basics.count("math:not([display])") >= 2);
    assert!(basics.text("main").contains("A price of $5"));
    let dot = site.page("basics/the-dot-product/index.html");
    assert_eq!(display_rows(&dot), [2]);
    assert_eq!(
        dot.count("math:not([display])"),
        2,
        "one in the text, one included"
    );
    let matrices = site.page("basics/matrices/index.html");
    assert_eq!(display_rows(&matrices), [2]);
    // Hints of each style became callouts.
    assert_eq!(
        site.page("linear-algebra-gently/linear-algebra-gently/index.html")
            .count("aside.callout-note"),
        1
    );
    assert_eq!(basics.count("aside.callout-tip"), 1);
    assert_eq!(dot.count("aside.callout-warning"), 1);
    assert_eq!(matrices.count("aside.callout-caution"), 1);
    // The front-matter's description is the lesson's summary.
    let welcome = site.page("linear-algebra-gently/linear-algebra-gently/index.html");
    assert!(
        welcome
            .source
            .contains("A short tour of vectors and matrices.")
    );
    // Links between pages, to a part's chapter, with anchors.
    let eigen = site.links("going-further/eigenvalues/index.html");
    assert!(
        eigen.contains(&"/basics/the-dot-product/#the-formula".to_string()),
        "{eigen:?}"
    );
    assert!(
        eigen.contains(&"/linear-algebra-gently/linear-algebra-gently/".to_string()),
        "{eigen:?}"
    );
    assert!(
        site.links("basics/matrices/index.html")
            .contains(&"/basics/#part-vectors".to_string())
    );
    // `[^toc]` and `[^4]` next to a table of contents and a heading `## 4`.
    assert_eq!(site.assert_footnotes(), 3);
    assert_eq!(site.assert_images_resolve(), 2);
}

/// `conceptlab import FORMAT SOURCE DEST`.
fn import(format: &str, source: &Path, dest: &Path) -> crate::common::Run {
    run(&[
        "import",
        format,
        source.to_str().unwrap(),
        dest.to_str().unwrap(),
    ])
}

fn write(dir: &Path, rel: &str, text: &str) {
    let path = dir.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

#[test]
fn a_missing_page_is_an_error_at_its_summary_line() {
    let dir = tempfile::tempdir().unwrap();
    let source = dir.path().join("book");
    write(
        &source,
        "src/SUMMARY.md",
        "# Summary\n\n- [One](one.md)\n- [Two](two.md)\n- [One again](one.md)\n",
    );
    write(&source, "src/one.md", "# One\n");
    let dest = dir.path().join("site");
    let out = import("mdbook", &source, &dest);
    assert_eq!(out.status, 1);
    assert!(
        out.stderr.contains("the page `two.md` does not exist"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("src/SUMMARY.md:4:3"), "{}", out.stderr);
    assert!(
        out.stderr.contains("the page `one.md` is listed twice"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("src/SUMMARY.md:5:3"), "{}", out.stderr);
    assert!(!dest.exists(), "nothing is written");
}

#[test]
fn a_book_without_a_summary_is_an_error_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "book/README.md", "# Hi\n");
    let out = import(
        "gitbook",
        &dir.path().join("book"),
        &dir.path().join("site"),
    );
    assert_eq!(out.status, 1);
    assert!(out.stderr.contains("book/SUMMARY.md"), "{}", out.stderr);
    assert!(
        out.stderr.contains("cannot read: no such file"),
        "{}",
        out.stderr
    );
}

#[test]
fn an_include_cycle_is_an_error_at_the_include() {
    let dir = tempfile::tempdir().unwrap();
    let source = dir.path().join("book");
    write(&source, "src/SUMMARY.md", "- [A](a.md)\n");
    write(&source, "src/a.md", "# A\n\n{{#include b.md}}\n");
    write(&source, "src/b.md", "text\n{{#include a.md}}\n");
    let out = import("mdbook", &source, &dir.path().join("site"));
    assert_eq!(out.status, 1);
    assert!(out.stderr.contains("an include cycle"), "{}", out.stderr);
    assert!(out.stderr.contains("src/b.md:2:1"), "{}", out.stderr);
}

#[test]
fn a_folder_in_use_is_refused_without_force() {
    let dir = tempfile::tempdir().unwrap();
    let dest = dir.path().join("site");
    write(&dest, "notes.txt", "mine\n");
    write(&dest, "content/old/_course.md", "---\ntitle: Old\n---\n");
    let source = book("mdbook");
    let args = [
        "import",
        "mdbook",
        source.to_str().unwrap(),
        dest.to_str().unwrap(),
    ];
    let refused = run(&args);
    assert_eq!(refused.status, 1);
    assert!(
        refused
            .stderr
            .contains("the destination folder is not empty"),
        "{}",
        refused.stderr
    );
    assert!(refused.stderr.contains("--force"), "{}", refused.stderr);
    let forced = run(&[&args[..], &["--force"]].concat());
    assert_eq!(forced.status, 0, "{}", forced.stderr);
    assert!(
        dest.join("notes.txt").is_file(),
        "other files are left alone"
    );
    assert!(!dest.join("content/old").exists(), "content/ is replaced");
    assert!(dest.join("site.yaml").is_file());
}

#[test]
fn a_katex_books_macros_go_into_site_yaml_and_its_formulas_use_them() {
    let dir = tempfile::tempdir().unwrap();
    let source = dir.path().join("book");
    write(
        &source,
        "book.toml",
        "[book]\ntitle = \"Macros\"\n\n[preprocessor.katex]\nmacros = \"macros.txt\"\n",
    );
    write(
        &source,
        "macros.txt",
        "\\vx:\\mathbf{x}\n% a comment\n\\norm:\\left\\lVert #1 \\right\\rVert\n\\bad:x\\bad\n",
    );
    write(&source, "src/SUMMARY.md", "- [A](a.md)\n");
    write(
        &source,
        "src/a.md",
        "# A\n\nThe length $\\norm{\\vx}$ of $\\vx$.\n",
    );
    let dest = dir.path().join("site");
    let out = import("mdbook", &source, &dest);
    assert_eq!(out.status, 0, "{}", out.stderr);
    assert!(out.stderr.contains("2 math macros"), "{}", out.stderr);
    assert!(
        out.stderr
            .contains("macros.txt:4: the macro `\\bad` expands more than 2000 times"),
        "{}",
        out.stderr
    );
    let config = std::fs::read_to_string(dest.join("site.yaml")).unwrap();
    assert!(
        config.contains("math:\n  macros:\n    \"norm\": \"\\\\left\\\\lVert #1 \\\\right\\\\rVert\"\n    \"vx\": \"\\\\mathbf{x}\"\n"),
        "{config}"
    );
    let built = run(&["build", "--root", dest.to_str().unwrap()]);
    assert_eq!(built.status, 0, "{}", built.stderr);
    let page =
        Page::parse(&std::fs::read_to_string(dest.join("public/macros/a/index.html")).unwrap());
    let formulas = page.all("math");
    assert_eq!(formulas.len(), 2);
    assert!(
        formulas[0].html().contains("<mi>𝐱</mi>"),
        "{}",
        formulas[0].html()
    );
    assert!(formulas[0].html().contains('‖'), "{}", formulas[0].html());
}

#[test]
fn includes_outside_the_book_are_listed_and_never_read_outside_its_repository() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "secret.txt", "do not publish\n");
    let repo = dir.path().join("repo");
    std::fs::create_dir_all(repo.join(".git")).unwrap();
    write(&repo, "examples/x.rs", "fn main() {}\n");
    let source = repo.join("book");
    write(&source, "src/SUMMARY.md", "- [A](a.md)\n");
    let secret = dir.path().join("secret.txt");
    write(
        &source,
        "src/a.md",
        &format!(
            "# A\n\n{{{{#include {}}}}}\n\n```rust\n{{{{#include ../../examples/x.rs}}}}\n```\n\n{{{{#include ../../../secret.txt}}}}\n",
            secret.display()
        ),
    );
    let dest = dir.path().join("site");
    let out = import("mdbook", &source, &dest);
    assert_eq!(out.status, 0, "{}", out.stderr);
    for line in [3, 9] {
        assert!(
            out.stderr.contains(&format!(
                "src/a.md:{line}: the included file `{}` is outside the book's repository",
                if line == 3 {
                    secret.display().to_string()
                } else {
                    "../../../secret.txt".into()
                }
            )),
            "{}",
            out.stderr
        );
    }
    assert!(
        out.stderr.contains(
            "src/a.md:6: the included file `../../examples/x.rs` is outside the book's folder; it is included"
        ),
        "{}",
        out.stderr
    );
    let lesson = std::fs::read_dir(dest.join("content"))
        .unwrap()
        .flatten()
        .flat_map(|course| std::fs::read_dir(course.path()).unwrap().flatten())
        .map(|f| std::fs::read_to_string(f.path()).unwrap())
        .find(|text| text.contains("{{#include"))
        .expect("the lesson with the include");
    assert!(!lesson.contains("do not publish"), "{lesson}");
    assert!(lesson.contains("fn main() {}"), "{lesson}");
}

#[test]
fn a_gitbook_include_from_the_books_root_is_resolved() {
    let dir = tempfile::tempdir().unwrap();
    let source = dir.path().join("book");
    write(&source, "SUMMARY.md", "- [A](docs/a.md)\n");
    write(&source, ".gitbook/includes/note.md", "Shared words.\n");
    write(
        &source,
        "docs/a.md",
        "# A\n\n{% include \"/.gitbook/includes/note.md\" %}\n",
    );
    let dest = dir.path().join("site");
    let out = import("gitbook", &source, &dest);
    assert_eq!(out.status, 0, "{}", out.stderr);
    assert!(out.stderr.contains("1 includes resolved"), "{}", out.stderr);
}

#[test]
fn a_book_toml_that_does_not_read_is_an_error_at_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let source = dir.path().join("book");
    write(
        &source,
        "book.toml",
        "[book]\ntitle = \"Open\n\n[output.html]\n",
    );
    write(&source, "src/SUMMARY.md", "- [A](a.md)\n");
    write(&source, "src/a.md", "# A\n");
    let dest = dir.path().join("site");
    let out = import("mdbook", &source, &dest);
    assert_eq!(out.status, 1);
    assert!(out.stderr.contains("book.toml:2:"), "{}", out.stderr);
    assert!(out.stderr.contains("cannot be read"), "{}", out.stderr);
    assert!(!dest.exists(), "nothing is written");
}
