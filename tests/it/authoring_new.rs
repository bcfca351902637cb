//! `conceptlab new lesson` and `new course`: the file lands where the build expects it,
//! numbered after the last lesson, with every front-matter key present, and builds as it
//! is; duplicates and unknown courses are refused with an error that says what to do.

use crate::common;

use std::process::{Command, Output};

use common::Site;

fn conceptlab(site: &Site, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_conceptlab"))
        .args(args)
        .args(["--root", site.root().to_str().unwrap()])
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn a_new_lesson_takes_the_next_order_and_a_slug_from_its_title() {
    let site = Site::fixture("mini");
    // The fixture's lessons are 001 to 003, plus the draft 004.
    let out = conceptlab(
        &site,
        &["new", "lesson", "Gradient Descent!", "--course", "demo"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let expected = site.root().join("content/demo/005-gradient-descent.md");
    assert_eq!(stdout(&out), expected.display().to_string());
    let text = site.read("content/demo/005-gradient-descent.md");
    assert!(text.contains("title: \"Gradient Descent!\"\n"), "{text}");
    assert!(text.contains("order: 5\n"), "{text}");
    assert!(text.contains("slug: gradient-descent\n"), "{text}");
}

#[test]
fn every_front_matter_key_is_present_with_a_comment() {
    let site = Site::fixture("mini");
    let out = conceptlab(&site, &["new", "lesson", "Momentum", "--course", "demo"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = site.read("content/demo/005-momentum.md");
    let lines: Vec<&str> = text.lines().collect();
    for key in [
        "title",
        "summary",
        "order",
        "slug",
        "draft",
        "date",
        "tags",
        "tradeoffs",
        "notes",
        "coverage",
        "examples",
        "flow",
        "questions",
        "flashcards",
        "simulations",
        "widgets",
    ] {
        let at = lines
            .iter()
            .position(|l| l.starts_with(&format!("{key}:")))
            .unwrap_or_else(|| panic!("no `{key}:` in\n{text}"));
        assert!(
            lines[at - 1].starts_with('#'),
            "`{key}:` has no comment above it"
        );
    }
}

#[test]
fn the_new_lesson_builds_and_appears_last_in_its_course() {
    let site = Site::fixture("mini");
    let out = conceptlab(&site, &["new", "lesson", "Momentum", "--course", "demo"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let run = site.build(&[]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let page = site.page("demo/momentum/index.html");
    assert_eq!(page.text(".lesson-header h1"), "Momentum");
    assert_eq!(page.text(".lesson-header .position"), "4 / 4");
}

#[test]
fn a_lesson_with_a_slug_already_in_the_course_is_refused() {
    let site = Site::fixture("mini");
    let out = conceptlab(&site, &["new", "lesson", "First", "--course", "demo"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("course `demo` already has a lesson with the slug `first`"),
        "{err}"
    );
    assert!(err.contains("content/demo/001-first.md"), "{err}");
    assert!(!site.root().join("content/demo/005-first.md").exists());
}

#[test]
fn a_slug_set_in_front_matter_counts_as_taken() {
    let site = Site::fixture("mini");
    site.write(
        "content/demo/010-x.md",
        "---\ntitle: X\nslug: backprop\n---\nText.\n",
    );
    let out = conceptlab(&site, &["new", "lesson", "Backprop", "--course", "demo"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("content/demo/010-x.md"));
}

#[test]
fn an_unknown_course_suggests_the_nearest_one() {
    let site = Site::fixture("mini");
    let out = conceptlab(&site, &["new", "lesson", "Momentum", "--course", "dmeo"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("there is no course `dmeo`"), "{err}");
    assert!(err.contains("did you mean `--course demo`?"), "{err}");
}

#[test]
fn a_new_course_gets_a_folder_from_its_title_and_the_next_order() {
    let site = Site::fixture("mini");
    let out = conceptlab(&site, &["new", "course", "Linear Algebra"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let made = site.root().join("content/linear-algebra/_course.md");
    assert_eq!(stdout(&out), made.display().to_string());
    let text = site.read("content/linear-algebra/_course.md");
    assert!(text.contains("title: \"Linear Algebra\"\n"), "{text}");
    // The fixture's one course has `order: 1`.
    assert!(text.contains("order: 2\n"), "{text}");
    let run = site.build(&[]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert_eq!(
        site.page("linear-algebra/index.html").text("h1"),
        "Linear Algebra"
    );

    let again = conceptlab(&site, &["new", "course", "linear algebra"]);
    assert_eq!(again.status.code(), Some(1));
    assert!(stderr(&again).contains("a course `linear-algebra` exists already"));
}
