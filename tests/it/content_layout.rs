//! How a site's files become courses and lessons beyond the basic layout: book-style
//! dotted file names (`1.2-roles.md`), lessons and courses of plain Markdown (no
//! front-matter), lessons in part folders (errors about orders and slugs, Markdown in a
//! folder that is not a part), and `check`'s warnings switched off by kind.

use crate::common;

use std::process::{Command, Output};

use common::Site;

fn site(files: &[(&str, &str)]) -> Site {
    let dir = tempfile::tempdir().unwrap();
    let site = Site { dir };
    site.write("site.yaml", "title: Layout\n");
    for (path, text) in files {
        site.write(path, text);
    }
    site
}

fn check(site: &Site) -> Output {
    Command::new(env!("CARGO_BIN_EXE_conceptlab"))
        .args(["check", "--root", site.root().to_str().unwrap()])
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// The lesson titles of a course page, in the order listed.
fn listed(site: &Site, course: &str) -> Vec<String> {
    let page = site.page(&format!("{course}/index.html"));
    page.all("main li a[href]")
        .iter()
        .map(|a| a.text().collect::<String>().trim().to_string())
        .filter(|t| !t.is_empty())
        .collect()
}

#[test]
fn dotted_file_names_order_pages_number_by_number() {
    let lesson = |title: &str| format!("---\ntitle: {title}\n---\nText of {title}.\n");
    let site = site(&[
        ("content/book/_course.md", "---\ntitle: Book\n---\n"),
        ("content/book/1.10-tenth.md", &lesson("One ten")),
        ("content/book/1.2-second.md", &lesson("One two")),
        ("content/book/1.1-first.md", &lesson("One one")),
        ("content/book/2.1-other.md", &lesson("Two one")),
        ("content/book/1-chapter.md", &lesson("One")),
    ]);
    let run = site.build(&[]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let titles = listed(&site, "book");
    let at = |t: &str| titles.iter().position(|x| x == t).unwrap_or(usize::MAX);
    let expected = ["One", "One one", "One two", "One ten", "Two one"];
    let positions: Vec<usize> = expected.iter().map(|t| at(t)).collect();
    assert!(
        positions.windows(2).all(|w| w[0] < w[1]) && positions[4] != usize::MAX,
        "{titles:?}"
    );
    // The slug is the name after the dotted number.
    assert!(site.public().join("book/second/index.html").is_file());
}

#[test]
fn a_folder_of_plain_markdown_is_a_course_titled_by_its_headings() {
    let site = site(&[
        (
            "content/field-notes/01-start.md",
            "# Getting started\n\nThe first page.\n",
        ),
        (
            "content/field-notes/02-next.md",
            "Some text before.\n\n# A later heading\n\nMore.\n",
        ),
        ("content/field-notes/03-bare.md", "Only text, no heading.\n"),
    ]);
    let run = site.build(&[]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let course = site.page("field-notes/index.html");
    assert_eq!(course.text("h1"), "Field notes");
    let start = site.page("field-notes/start/index.html");
    assert_eq!(start.text(".lesson-header h1"), "Getting started");
    // The heading that became the title is not repeated in the body.
    assert_eq!(start.count("h1"), 1, "{}", start.source);
    assert!(start.text("#theory").contains("The first page."));
    // A first heading after other text titles the lesson and stays where it is.
    let next = site.page("field-notes/next/index.html");
    assert_eq!(next.text(".lesson-header h1"), "A later heading");
    assert!(next.text("#theory").contains("A later heading"));
    // No heading: the file name.
    let bare = site.page("field-notes/bare/index.html");
    assert_eq!(bare.text(".lesson-header h1"), "Bare");

    let out = check(&site);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(
        err.contains("the lesson has no front-matter; its title, \"Getting started\", comes from its first heading"),
        "{err}"
    );
    assert!(err.contains("comes from its file name"), "{err}");
}

#[test]
fn part_folders_hold_lessons_with_orders_of_their_own_and_slugs_shared_by_the_course() {
    let lesson = |title: &str| format!("---\ntitle: {title}\n---\nText.\n");
    let part = |title: &str| format!("---\ntitle: {title}\n---\nIntro of {title}.\n");
    // The same order in two parts is fine; the same slug in two parts is not.
    let site = site(&[
        ("content/c/_course.md", "---\ntitle: C\n---\n"),
        ("content/c/010-basics/_part.md", &part("Basics")),
        ("content/c/010-basics/001-intro.md", &lesson("Intro")),
        ("content/c/020-more/_part.md", &part("More")),
        ("content/c/020-more/001-deeper.md", &lesson("Deeper")),
        ("content/c/020-more/002-intro.md", &lesson("Intro again")),
    ]);
    let run = site.build(&[]);
    assert_eq!(run.status, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("two lessons have the URL slug `intro`"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("used twice"), "{}", run.stderr);

    // Two lessons of one part may not share an order.
    site.write(
        "content/c/020-more/002-intro.md",
        "---\ntitle: Other\nslug: other\norder: 1\n---\nx\n",
    );
    let run = site.build(&[]);
    assert_eq!(run.status, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("lesson order 1 is used twice"),
        "{}",
        run.stderr
    );

    // Markdown in a folder that is not a part is an error that says how to make it one.
    site.write(
        "content/c/020-more/002-intro.md",
        "---\ntitle: Other\nslug: other\n---\nx\n",
    );
    site.write("content/c/notes/draft.md", lesson("Stray"));
    let run = site.build(&[]);
    assert_eq!(run.status, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("lessons must sit directly in a course folder or in a part folder"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("_part.md"), "{}", run.stderr);
    std::fs::remove_dir_all(site.root().join("content/c/notes")).unwrap();
    let run = site.build(&[]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    // Parts are not in lesson URLs.
    assert!(site.public().join("c/deeper/index.html").is_file());

    // A part's front-matter is checked like any other.
    site.write(
        "content/c/020-more/_part.md",
        "---\ntitle: More\ncolour: red\n---\n",
    );
    let run = site.build(&[]);
    assert_eq!(run.status, 1, "{}", run.stderr);
    assert!(run.stderr.contains("_part.md:3:1"), "{}", run.stderr);
}

#[test]
fn warnings_can_be_switched_off_by_kind_for_the_site_or_one_lesson() {
    let bare = "---\ntitle: Bare\n---\nSome text.\n";
    let site = site(&[
        ("content/c/_course.md", "---\ntitle: C\n---\n"),
        ("content/c/001-a.md", bare),
        (
            "content/c/002-b.md",
            "---\ntitle: B\nwarnings: { no_questions: false }\n---\nText ![](x.svg).\n",
        ),
        (
            "content/c/x.svg",
            "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
        ),
        ("content/c/005-e.md", bare),
    ]);
    let err = stderr(&check(&site));
    assert_eq!(err.matches("has no flash cards").count(), 3, "{err}");
    assert_eq!(err.matches("has no questions").count(), 2, "{err}");
    assert!(err.contains("the image has no alt text"), "{err}");
    assert!(err.contains("lesson order jumps from 2 to 5"), "{err}");

    site.write(
        "site.yaml",
        "title: Layout\nwarnings:\n  no_flashcards: false\n  order_gap: false\n",
    );
    let err = stderr(&check(&site));
    assert!(!err.contains("has no flash cards"), "{err}");
    assert!(!err.contains("order jumps"), "{err}");
    assert_eq!(err.matches("has no questions").count(), 2, "{err}");
    assert!(err.contains("the image has no alt text"), "{err}");

    // An unknown kind is an error at its line, naming the kinds there are.
    site.write(
        "site.yaml",
        "title: Layout\nwarnings:\n  no_flashcard: false\n",
    );
    let out = check(&site);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("site.yaml:3:3"), "{err}");
    assert!(err.contains("no_flashcards"), "{err}");
}
