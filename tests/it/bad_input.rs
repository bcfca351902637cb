//! Bad input: each class of mistake an author can make gives a precise error (file, line,
//! column, what was expected), the build exits with status 1, and the site built before
//! stays exactly as it was.

use crate::common;

use common::{Site, tree};

/// Builds the good fixture, applies `break_it`, builds again and checks the failure.
/// Returns the second build's error output.
fn fails(break_it: impl FnOnce(&Site)) -> String {
    let site = Site::fixture("mini");
    let good = site.build(&[]);
    assert_eq!(good.status, 0, "{}", good.stderr);
    let before = tree(&site.public());
    break_it(&site);
    let bad = site.build(&[]);
    assert_eq!(bad.status, 1, "expected a failed build:\n{}", bad.stderr);
    assert!(!bad.stderr.contains("panicked"), "{}", bad.stderr);
    assert!(
        bad.stderr.contains("the output folder was left as it was"),
        "{}",
        bad.stderr
    );
    assert_eq!(tree(&site.public()), before, "the previous output changed");
    bad.stderr
}

fn assert_has(stderr: &str, needles: &[&str]) {
    for needle in needles {
        assert!(stderr.contains(needle), "missing `{needle}` in:\n{stderr}");
    }
}

const FIRST: &str = "content/demo/001-first.md";

#[test]
fn malformed_yaml_points_at_the_line_in_the_lesson_file() {
    let err = fails(|s| {
        s.write(
            FIRST,
            "---\ntitle: First\nsummary: A\n\ttags: [x]\n---\nBody\n",
        )
    });
    // Line 4 of the file (line 3 of the YAML): counted from the top of the lesson file.
    assert_has(
        &err,
        &[
            "content/demo/001-first.md:4:1",
            "tab character",
            "tags: [x]",
        ],
    );
}

#[test]
fn an_unknown_key_suggests_the_nearest_known_one() {
    let err = fails(|s| s.write(FIRST, "---\ntitle: First\ntradeofs: [a]\n---\n"));
    assert_has(
        &err,
        &[
            "unknown key `tradeofs`",
            "content/demo/001-first.md:3:1",
            "did you mean `tradeoffs`?",
        ],
    );
}

#[test]
fn a_wrong_type_says_what_was_expected() {
    let err = fails(|s| s.write(FIRST, "---\ntitle: First\norder: first\n---\n"));
    assert_has(
        &err,
        &["content/demo/001-first.md:3:", "expected a whole number"],
    );
}

#[test]
fn a_question_level_outside_the_three_is_refused_with_a_hint() {
    let err = fails(|s| {
        s.write(
            FIRST,
            "---\ntitle: First\nquestions:\n  - level: begginer\n    q: Why?\n---\n",
        )
    });
    assert_has(
        &err,
        &[
            "unknown value `begginer`",
            "content/demo/001-first.md:4:",
            "did you mean `beginner`?",
        ],
    );
}

#[test]
fn a_missing_title_is_named() {
    let err = fails(|s| s.write(FIRST, "---\nsummary: No title here\n---\nBody\n"));
    assert_has(
        &err,
        &[
            "missing required key `title`",
            "content/demo/001-first.md:2:",
        ],
    );
}

#[test]
fn a_duplicate_order_names_both_lessons() {
    let err = fails(|s| {
        s.write(
            "content/demo/010-again.md",
            "---\ntitle: Again\norder: 3\n---\n",
        )
    });
    assert_has(
        &err,
        &[
            "lesson order 3 is used twice",
            "content/demo/003-last.md:3:1",
            "content/demo/010-again.md has the same order",
        ],
    );
}

#[test]
fn a_duplicate_slug_is_refused() {
    let err = fails(|s| s.write("content/demo/009-first.md", "---\ntitle: Twin\n---\n"));
    assert_has(&err, &["two lessons have the URL slug `first`"]);
}

#[test]
fn a_broken_link_points_at_the_link() {
    let err = fails(|s| {
        s.write(
            FIRST,
            "---\ntitle: First\n---\nIntro.\n\nSee [gone](009-gone.md) now.\n",
        )
    });
    assert_has(
        &err,
        &["broken link `009-gone.md`", "content/demo/001-first.md:6:5"],
    );
}

#[test]
fn a_broken_anchor_in_another_lesson_is_an_error() {
    let err = fails(|s| {
        s.write(
            FIRST,
            "---\ntitle: First\n---\nSee [x](002-everything.md#no-such-heading).\n",
        )
    });
    assert_has(
        &err,
        &[
            "broken anchor in link `002-everything.md#no-such-heading`",
            "content/demo/001-first.md:4:5",
        ],
    );
}

#[test]
fn an_unclosed_front_matter_is_reported_on_line_one() {
    let err = fails(|s| s.write(FIRST, "---\ntitle: First\n\nBody without a fence.\n"));
    assert_has(&err, &["never closed", "content/demo/001-first.md:1:1"]);
}

#[test]
fn invalid_utf8_names_the_line() {
    let err = fails(|s| s.write(FIRST, b"---\ntitle: First\n---\nBad byte: \xff here\n"));
    assert_has(&err, &["not valid UTF-8", "content/demo/001-first.md:4:11"]);
}

#[test]
fn a_widget_pointing_to_a_missing_simulation_is_an_error() {
    let err = fails(|s| {
        s.write(
            FIRST,
            "---\ntitle: First\nsimulations:\n  - { id: drill, kind: sweep }\n\
             widgets:\n  - { kind: sweep-explorer, simulation: dril }\n---\n",
        )
    });
    assert_has(
        &err,
        &[
            "missing simulation `dril`",
            "content/demo/001-first.md:6:",
            "did you mean `drill`?",
        ],
    );
}

#[test]
fn bad_math_is_an_error_at_the_formula() {
    let err = fails(|s| {
        s.write(
            FIRST,
            "---\ntitle: First\n---\nA formula: $\\notacommand{x}$.\n",
        )
    });
    assert_has(
        &err,
        &["cannot read this math", "content/demo/001-first.md:4:12"],
    );
}

#[test]
fn a_template_syntax_error_names_the_template_file() {
    let err = fails(|s| {
        s.write(
            "templates/404.html",
            "{% extends \"base.html\" %}\n{% block content %}\n{% if %}\n{% endblock content %}\n",
        )
    });
    assert_has(&err, &["templates/404.html:3:"]);
}

#[test]
fn a_template_using_an_undefined_variable_names_the_template_file() {
    let err = fails(|s| {
        s.write(
            "templates/404.html",
            "{% extends \"base.html\" %}\n{% block content %}\n{{ no_such_thing }}\n{% endblock content %}\n",
        )
    });
    assert_has(&err, &["templates/404.html:3:"]);
}

#[test]
fn every_error_is_reported_not_just_the_first() {
    let err = fails(|s| {
        s.write(FIRST, "---\ntitel: First\n---\n");
        s.write(
            "content/demo/003-last.md",
            "---\ntitle: Last\n---\n[x](nowhere.md)\n",
        );
    });
    assert_has(
        &err,
        &[
            "content/demo/001-first.md:2:1",
            "content/demo/003-last.md:4:1",
            "failed with 2 errors",
        ],
    );
}

#[test]
fn a_lesson_outside_a_course_folder_is_refused() {
    let err = fails(|s| s.write("content/stray.md", "---\ntitle: Stray\n---\n"));
    assert_has(
        &err,
        &["content/stray.md", "must be inside a course folder"],
    );
}

#[test]
fn crlf_line_endings_and_a_byte_order_mark_build_fine() {
    let site = Site::fixture("mini");
    let text = site.read(FIRST).replace('\n', "\r\n");
    site.write(FIRST, format!("\u{feff}{text}"));
    let run = site.build(&[]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert_eq!(
        site.page("demo/first/index.html").text(".lesson-header h1"),
        "First Steps"
    );
}

#[test]
fn an_output_folder_not_written_by_conceptlab_is_never_replaced() {
    let site = Site::fixture("mini");
    site.write("public/precious.txt", "hand-written");
    let run = site.build(&[]);
    assert_eq!(run.status, 1, "{}", run.stderr);
    assert_has(&run.stderr, &["refusing to replace"]);
    assert_eq!(site.read("public/precious.txt"), "hand-written");
}

#[test]
fn hostile_files_are_reported_together_without_a_panic() {
    let err = fails(|s| {
        s.write(
            "content/demo/023-alias-bomb.md",
            "---\ntitle: Bomb\na: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n\
             c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n---\n",
        );
        s.write(
            "content/demo/024-slug.md",
            "---\ntitle: Trav\nslug: ../../etc\n---\n",
        );
        s.write("content/demo/026-unclosed.md", "---\ntitle: Open\n");
        s.write(
            "content/demo/027-dupkey.md",
            "---\ntitle: A\ntitle: B\n---\n",
        );
        s.write(
            "content/demo/028-deep-yaml.md",
            format!(
                "---\ntitle: Y\nwidgets: {}{}\n---\n",
                "[".repeat(5000),
                "]".repeat(5000)
            ),
        );
        std::fs::create_dir_all(s.root().join("content/loop")).unwrap();
        s.write("content/loop/_course.md", "---\ntitle: Loop\n---\n");
        std::os::unix::fs::symlink("..", s.root().join("content/loop/self")).unwrap();
    });
    assert_has(
        &err,
        &[
            "content/demo/023-alias-bomb.md:3:1",
            "`../../etc` is not a valid slug",
            "content/demo/026-unclosed.md:1:1",
            "duplicate field `title`",
            "content/demo/028-deep-yaml.md:3:",
            "symbolic links are not followed",
            "failed with 6 errors",
        ],
    );
}

#[test]
fn deep_nesting_and_very_long_lines_build() {
    let site = Site::fixture("mini");
    site.write(
        "content/demo/020-deep-quote.md",
        format!("---\ntitle: Deep\n---\n{} hi\n", ">".repeat(20_000)),
    );
    let list: String = (0..3000)
        .map(|i| format!("{}- x\n", "  ".repeat(i)))
        .collect();
    site.write(
        "content/demo/021-deep-list.md",
        format!("---\ntitle: Deep list\n---\n{list}"),
    );
    site.write(
        "content/demo/022-long-line.md",
        format!("---\ntitle: Long\n---\n{}\n", "word ".repeat(400_000)),
    );
    let run = site.build(&[]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert!(
        site.read("public/demo/long-line/index.html")
            .contains("word word")
    );
}

#[test]
fn a_lesson_outside_content_through_a_symlink_is_refused() {
    let outside = tempfile::tempdir().unwrap();
    let secret = outside.path().join("secret.md");
    std::fs::write(&secret, "---\ntitle: Secret\n---\nTOP-SECRET-TEXT\n").unwrap();
    let err = fails(|s| {
        std::os::unix::fs::symlink(&secret, s.root().join("content/demo/030-outside.md")).unwrap();
    });
    assert_has(
        &err,
        &[
            "content/demo/030-outside.md",
            "symbolic links are not followed in a site's sources",
        ],
    );
    assert!(!err.contains("TOP-SECRET-TEXT"));
}

#[test]
fn a_50_mb_lesson_is_refused_with_its_size_and_the_limit() {
    let err = fails(|s| {
        let mut text = b"---\ntitle: Huge\n---\n".to_vec();
        text.resize(50 * 1024 * 1024, b'a');
        s.write("content/demo/031-huge.md", text);
    });
    assert_has(
        &err,
        &[
            "content/demo/031-huge.md",
            "the lesson is 50.0 MB",
            "the limit is 16 MB",
        ],
    );
}

/// Every front-matter key of a lesson, given a value of the wrong type, is reported at
/// its own line with what was expected; all of them in one build.
#[test]
fn a_wrong_type_for_every_key_is_reported_at_that_key() {
    // (key line, what the key holds): each goes in a lesson of its own, on line 3.
    let cases: &[(&str, &str)] = &[
        ("title: [a, b]", "expected a string"),
        ("summary: {a: 1}", "expected a string"),
        ("order: first", "expected a whole number"),
        ("slug: [x]", "expected a string"),
        ("draft: maybe", "expected a boolean"),
        ("date: [2026]", "expected a string"),
        ("tags: {a: 1}", "expected a sequence"),
        ("tradeoffs: 3", "expected a sequence"),
        ("notes: [7]", "expected struct Note"),
        ("coverage: [[1]]", "expected a string"),
        ("examples: [true]", "expected struct Example"),
        ("flow: [1]", "expected struct FlowStep"),
        ("questions: [x]", "expected struct Question"),
        ("flashcards: [[a]]", "expected struct FlashCard"),
        ("simulations: [3]", "expected"),
        ("widgets: [x]", "expected"),
        ("questions:\n  - { q: Why?, level: 3 }", "level"),
        (
            "flashcards:\n  - { front: [a], back: b }",
            "expected a string",
        ),
        ("flow:\n  - { step: 5, detail: [x] }", "expected a string"),
        ("notes:\n  - { kind: 1, text: t }", "kind"),
    ];
    let err = fails(|s| {
        for (i, (line, _)) in cases.iter().enumerate() {
            let title = if line.starts_with("title:") {
                ""
            } else {
                "title: T\n"
            };
            s.write(
                &format!("content/demo/{:03}-wrong.md", 40 + i),
                format!("---\n{title}{line}\n---\n"),
            );
        }
    });
    for (i, (line, expected)) in cases.iter().enumerate() {
        let file = format!("content/demo/{:03}-wrong.md", 40 + i);
        // The key is on line 3, or 2 for `title`; nested values on the line below.
        let at = match (line.starts_with("title:"), line.contains('\n')) {
            (true, _) => 2,
            (false, true) => 4,
            (false, false) => 3,
        };
        let located = format!("{file}:{at}:");
        let block = err
            .split("error: ")
            .find(|b| b.contains(&located))
            .unwrap_or_else(|| panic!("`{line}` not reported at {located}:\n{err}"));
        assert!(
            block.contains(expected),
            "`{line}`: no `{expected}` in:\n{block}"
        );
    }
}

/// A body without front-matter is a lesson of plain Markdown (titled by its first
/// heading), but a front-matter that cannot be read is not mistaken for one: an opening
/// `---` with keys that are not YAML is refused where it is written.
#[test]
fn a_body_without_front_matter_is_plain_markdown_but_broken_front_matter_is_refused() {
    let site = Site::fixture("mini");
    site.write(FIRST, "# First\n\nJust a body, no front-matter.\n");
    let run = site.build(&[]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert_eq!(
        site.page("demo/first/index.html").text(".lesson-header h1"),
        "First"
    );
    let err = fails(|s| s.write(FIRST, "---\ntitle: [First\n---\nBody.\n"));
    assert_has(&err, &["content/demo/001-first.md:2:"]);
}

/// Front-matter and no body is a lesson whose parts all come from its keys: it builds.
#[test]
fn front_matter_without_a_body_builds() {
    let site = Site::fixture("mini");
    site.write(
        FIRST,
        "---\ntitle: First Steps\nsummary: Only keys.\nflashcards:\n  - { front: A, back: B }\n---",
    );
    let run = site.build(&[]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let page = site.page("demo/first/index.html");
    assert_eq!(page.text(".lesson-header h1"), "First Steps");
    assert_eq!(page.count("button.flashcard"), 1);
    assert_eq!(page.count("#theory"), 0);
}

/// More malformed YAML shapes, each in a lesson of its own and all reported in one build,
/// at their own line.
#[test]
fn malformed_yaml_of_many_shapes_is_reported_at_its_line() {
    let cases: &[(&str, &str)] = &[
        (
            "title: \"Unclosed quote\nsummary: x",
            "content/demo/060-yaml.md:2:8",
        ),
        ("title: 'single\nsummary: x", "content/demo/061-yaml.md:2:8"),
        (
            "title: [unclosed, list\nsummary: x",
            "content/demo/062-yaml.md:",
        ),
        (
            "title: {unclosed: map\nsummary: x",
            "content/demo/063-yaml.md:",
        ),
        (
            "title: T\n  summary: bad indent",
            "content/demo/064-yaml.md:3:",
        ),
        (
            "title: T\nsummary: *undefined_alias",
            "content/demo/065-yaml.md:3:",
        ),
        ("- a list\n- not a mapping", "content/demo/066-yaml.md:2:"),
        ("title: T\n%directive: x", "content/demo/067-yaml.md:3:"),
    ];
    let err = fails(|s| {
        for (i, (yaml, _)) in cases.iter().enumerate() {
            s.write(
                &format!("content/demo/{:03}-yaml.md", 60 + i),
                format!("---\n{yaml}\n---\nBody.\n"),
            );
        }
    });
    for (yaml, located) in cases {
        assert!(
            err.contains(located),
            "`{yaml}` not reported at {located}:\n{err}"
        );
    }
    assert!(err.contains("this quoted string is never closed"), "{err}");
    assert!(
        err.contains(&format!("failed with {} errors", cases.len())),
        "{err}"
    );
}

/// For every list-valued key, a problem in the third of three items is reported at the
/// third item's line, even when the items are written alike (a search for the text
/// would find the first).
#[test]
fn a_problem_in_the_third_item_of_a_list_is_reported_at_the_third_item() {
    let sweep = |id: &str, epochs: u32| {
        format!(
            "{{id: {id}, kind: sweep, dataset: {{kind: circle, n: 40}}, hidden: [2], epochs: {epochs}, resolution: 4, grid: {{lr: [0.1]}}}}"
        )
    };
    // (file, front-matter after the title, lines of the items with a problem)
    let cases: Vec<(&str, String, Vec<usize>)> = vec![
        ("content/demo/011-tradeoffs.md", "tradeoffs:\n  - \"[a](gone.md)\"\n  - \"[a](gone.md)\"\n  - \"[a](gone.md)\"\n".into(), vec![4, 5, 6]),
        ("content/demo/012-notes.md", "notes:\n  - text: \"[a](gone.md)\"\n  - text: \"[a](gone.md)\"\n  - text: \"[a](gone.md)\"\n".into(), vec![4, 5, 6]),
        ("content/demo/013-coverage.md", "coverage:\n  - \"[a](gone.md)\"\n  - \"[a](gone.md)\"\n  - \"[a](gone.md)\"\n".into(), vec![4, 5, 6]),
        ("content/demo/014-examples.md", "examples:\n  - {title: E, body: \"[a](gone.md)\"}\n  - {title: E, body: \"[a](gone.md)\"}\n  - {title: E, body: \"[a](gone.md)\"}\n".into(), vec![4, 5, 6]),
        ("content/demo/015-flow.md", "flow:\n  - {step: A}\n  - {step: A}\n  - {step: \"\"}\n".into(), vec![6]),
        ("content/demo/016-questions.md", "questions:\n  - {level: beginner, q: Why?}\n  - {level: beginner, q: Why?}\n  - {level: beginner, q: Why?}\n".into(), vec![5, 6]),
        ("content/demo/017-cards.md", "flashcards:\n  - {front: F, back: B}\n  - {front: F, back: B}\n  - {front: F, back: \"\"}\n".into(), vec![6]),
        ("content/demo/018-sims.md", format!("simulations:\n  - {}\n  - {}\n  - {}\n", sweep("a", 5), sweep("b", 5), sweep("c", 0)), vec![6]),
        ("content/demo/019-widgets.md", "widgets:\n  - {kind: sweep-explorer, simulation: gone}\n  - {kind: sweep-explorer, simulation: gone}\n  - {kind: sweep-explorer, simulation: gone}\n".into(), vec![4, 5, 6]),
    ];
    let err = fails(|s| {
        for (file, front_matter, _) in &cases {
            s.write(file, format!("---\ntitle: T\n{front_matter}---\n"));
        }
    });
    for (file, _, lines) in &cases {
        let found: Vec<usize> = err
            .lines()
            .filter_map(|l| l.trim_start().strip_prefix(&format!("--> {file}:")))
            .filter_map(|at| at.split(':').next()?.parse().ok())
            .collect();
        assert_eq!(&found, lines, "{file}:\n{err}");
    }
}

#[test]
fn a_date_that_is_not_in_the_calendar_is_an_error_at_its_line() {
    let err = fails(|s| s.write(FIRST, "---\ntitle: First\ndate: 2026-02-31\n---\n"));
    assert_has(
        &err,
        &[
            "`2026-02-31` is not a date",
            "content/demo/001-first.md:3:1",
        ],
    );
}

/// An unknown kernel in `CONCEPTLAB_SIM_KERNEL` stops the command before any work, with
/// the values it takes.
#[test]
fn an_unknown_simulation_kernel_is_a_command_line_error() {
    let site = Site::fixture("mini");
    let r = site.build_with_env(&[], &[("CONCEPTLAB_SIM_KERNEL", "avx9")]);
    assert_eq!(r.status, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains(
            "CONCEPTLAB_SIM_KERNEL=\"avx9\" is not a kernel: expected `auto` or `portable`"
        ),
        "{}",
        r.stderr
    );
    assert!(!site.public().exists(), "it built anyway");
}

/// `simulations.shard_seconds` must be a positive number of seconds: anything else is an
/// error at its line, with the default in the hint.
#[test]
fn a_shard_target_that_is_not_a_positive_number_is_an_error_at_its_line() {
    for bad in ["-1", "0", ".nan", "lots"] {
        let site = Site::fixture("mini");
        let config = site.read("site.yaml");
        site.write(
            "site.yaml",
            format!("{config}\nsimulations:\n  shard_seconds: {bad}\n"),
        );
        let r = site.build(&[]);
        assert_eq!(r.status, 1, "{bad}: {}", r.stderr);
        let line = config.lines().count() + 3;
        assert!(
            r.stderr.contains(&format!("site.yaml:{line}:")),
            "{bad}: {}",
            r.stderr
        );
        assert!(r.stderr.contains("shard_seconds"), "{bad}: {}", r.stderr);
    }
}
