//! `conceptlab new lesson`, `new part` and `new course`: the file lands where the build
//! expects it, numbered after the last lesson (or part), with every front-matter key
//! present, and builds as it is; duplicates and unknown courses and parts are refused with
//! an error that says what to do.

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

#[test]
fn in_a_course_with_parts_a_new_lesson_goes_last_into_the_last_part_or_the_named_one() {
    let site = Site::fixture("parts");
    // Without --part: the last part, after its last lesson, so last in the course.
    let out = conceptlab(&site, &["new", "lesson", "Review", "--course", "book"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let made = site.root().join("content/book/020-practice/003-review.md");
    assert_eq!(stdout(&out), made.display().to_string());
    // --part by the folder's name without its number; `1.10-ahead.md` counts as 1.
    let out = conceptlab(
        &site,
        &[
            "new", "lesson", "Units", "--course", "book", "--part", "theory",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        site.root()
            .join("content/book/010-theory/002-units.md")
            .is_file()
    );

    let run = site.build(&[]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let review = site.page("book/review/index.html");
    assert_eq!(
        review.attr(".crumbs .position", "aria-label"),
        "Lesson 8 of 8"
    );
    assert_eq!(review.text(".crumb-part a"), "Part: Practice");
    let units = site.page("book/units/index.html");
    assert_eq!(units.text(".crumb-part a"), "Part: Theory & Basics");
    assert_eq!(units.attr(".lesson-nav .next", "href"), "/book/drill/");
}

#[test]
fn a_lesson_slug_taken_in_another_part_and_an_unknown_part_are_refused() {
    let site = Site::fixture("parts");
    let out = conceptlab(
        &site,
        &[
            "new",
            "lesson",
            "Drill",
            "--course",
            "book",
            "--part",
            "010-theory",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("course `book` already has a lesson with the slug `drill`"),
        "{err}"
    );
    assert!(
        err.contains("content/book/020-practice/001-drill.md"),
        "{err}"
    );

    let out = conceptlab(
        &site,
        &[
            "new", "lesson", "X", "--course", "book", "--part", "practise",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("course `book` has no part `practise`"),
        "{err}"
    );
    assert!(err.contains("did you mean `--part practice`?"), "{err}");

    let out = conceptlab(
        &site,
        &["new", "lesson", "X", "--course", "plain", "--part", "one"],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("conceptlab new part"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_new_part_comes_after_the_last_part_and_builds_as_its_own_section() {
    let site = Site::fixture("parts");
    let out = conceptlab(
        &site,
        &["new", "part", "Further Reading", "--course", "book"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let made = site
        .root()
        .join("content/book/021-further-reading/_part.md");
    assert_eq!(stdout(&out), made.display().to_string());
    let text = site.read("content/book/021-further-reading/_part.md");
    assert!(text.contains("title: \"Further Reading\"\n"), "{text}");
    assert!(text.contains("order: 21\n"), "{text}");
    let out = conceptlab(
        &site,
        &[
            "new",
            "lesson",
            "Papers",
            "--course",
            "book",
            "--part",
            "further-reading",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        site.root()
            .join("content/book/021-further-reading/001-papers.md")
            .is_file()
    );

    let run = site.build(&[]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let course = site.page("book/index.html");
    // The heading ends with its anchor link, `#`.
    assert_eq!(
        course.text("#part-further-reading > h3"),
        "Further Reading#"
    );

    let again = conceptlab(
        &site,
        &["new", "part", "further reading", "--course", "book"],
    );
    assert_eq!(again.status.code(), Some(1));
    assert!(
        stderr(&again).contains("course `book` already has a part `further-reading`"),
        "{}",
        stderr(&again)
    );
}

#[test]
fn no_part_comes_after_the_highest_order_and_that_is_said() {
    let site = Site::fixture("parts");
    site.write(
        "content/book/zz/_part.md",
        "---\ntitle: Last\norder: 4294967295\n---\n",
    );
    let out = conceptlab(&site, &["new", "part", "Later", "--course", "book"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("the last order here is 4294967295; no number comes after it"),
        "{err}"
    );
    assert!(!site.root().join("content/book/000-later").exists());
}
