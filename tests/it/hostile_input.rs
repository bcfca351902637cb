//! Hostile and careless input, round two: script through front-matter heading
//! attributes, formulas nested to crash the process, two builds into one folder, values
//! that reach file names, YAML aliases, inputs with quadratic cost, course files that run
//! script, symbolic links out of the site, and the messages for common slips. Each test
//! runs the real binary on a copy of a fixture site.

use crate::common;

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{Site, tree};

const FIRST: &str = "content/demo/001-first.md";

fn assert_has(stderr: &str, needles: &[&str]) {
    for needle in needles {
        assert!(stderr.contains(needle), "missing `{needle}` in:\n{stderr}");
    }
}

/// Builds `site`, which must fail with status 1 (not a crash) and without a panic.
fn fails(site: &Site) -> String {
    let run = site.build(&[]);
    assert_eq!(run.status, 1, "expected a failed build:\n{}", run.stderr);
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    run.stderr
}

fn append(site: &Site, rel: &str, text: &str) {
    site.write(rel, format!("{}{text}", site.read(rel)));
}

/// Every file of the output, as text (lossy).
fn all_output(site: &Site) -> String {
    tree(&site.public())
        .into_values()
        .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
        .collect()
}

/// A heading attribute list written into each of the nine front-matter fields that are
/// Markdown must reach no page, deck or review data: only `id` and `class` stay, with
/// `safe_html` and without. `check` names what it dropped, at the field's line.
#[test]
fn front_matter_headings_carry_no_attribute_but_id_and_class() {
    let attack = |n: usize| {
        format!(
            "\"## Read {n} {{tabindex=0 autofocus onfocus=alert(document.domain) .kept #head-{n}}}\""
        )
    };
    let lesson = format!(
        "---\ntitle: Evil\ntradeoffs:\n  - {}\nnotes:\n  - text: {}\ncoverage:\n  - {}\n\
         examples:\n  - title: E\n    body: {}\nquestions:\n  - level: beginner\n    q: {}\n    \
         answer: {}\n    senior: {}\nflashcards:\n  - front: {}\n    back: {}\n---\n\
         ## Body {{onmouseover=alert(1) .body}}\n\nText.\n",
        attack(1),
        attack(2),
        attack(3),
        attack(4),
        attack(5),
        attack(6),
        attack(7),
        attack(8),
        attack(9)
    );
    for safe in [false, true] {
        let site = Site::fixture("mini");
        site.write(FIRST, &lesson);
        if safe {
            append(&site, "site.yaml", "safe_html: true\n");
        }
        let run = site.build(&[]);
        assert_eq!(run.status, 0, "{}", run.stderr);
        // The pipeline's own focusable regions (code blocks, tables) aside.
        // Only the exact wrappers the pipeline writes are taken out; anything else with a
        // tabindex still fails.
        let everything = all_output(&site)
            .replace(
                "><pre tabindex=\"0\" role=\"region\" aria-label=\"Code",
                "><pre",
            )
            .replace(
                "<div class=\"table-wrap\" tabindex=\"0\" role=\"region\" aria-label=\"Table",
                "<div class=\"table-wrap\"",
            );
        // As attributes, in HTML or in the decks' HTML (the words also make a question id).
        for bad in ["onfocus=", " autofocus", "tabindex=\"0\"", "tabindex=0"] {
            assert!(!everything.contains(bad), "`{bad}` reached the output");
        }
        // The headings themselves, their ids and classes stay.
        let page = site.page("demo/first/index.html");
        for n in [2, 4, 6, 7, 8] {
            assert_eq!(page.count(&format!("h2#head-{n}.kept")), 1, "heading {n}");
        }
        // The body is the author's page: its attribute stays unless `safe_html`.
        assert_eq!(everything.contains("onmouseover"), !safe);
    }

    let site = Site::fixture("mini");
    site.write(FIRST, &lesson);
    let check = common::run(&["check", "--root", site.root().to_str().unwrap()]);
    assert_has(
        &check.stderr,
        &[
            "a heading in `notes.0.text` has attributes that are dropped: `tabindex`, `autofocus`, `onfocus`",
            "content/demo/001-first.md:6:5",
            "a heading in `flashcards.0.back`",
        ],
    );
}

/// Formulas nested thousands deep, in a body and in a flash card: an error at the
/// formula's line, the process alive (it used to overflow its stack and abort).
#[test]
fn deeply_nested_math_is_an_error_not_a_crash() {
    let site = Site::fixture("mini");
    let braces = format!("${}x{}$", "{".repeat(2000), "}".repeat(2000));
    let fracs = format!("${}1{}$", r"\frac{".repeat(1000), "}{2}".repeat(1000));
    site.write(
        FIRST,
        format!("---\ntitle: First\n---\nText.\n\n{braces}\n\n{fracs}\n"),
    );
    site.write(
        "content/demo/003-last.md",
        format!(
            "---\ntitle: Last\nflashcards:\n  - front: \"{}\"\n    back: b\n---\n",
            fracs.replace('\\', "\\\\")
        ),
    );
    let err = fails(&site);
    assert_has(
        &err,
        &[
            "content/demo/001-first.md:6:1",
            "content/demo/001-first.md:8:1",
            "content/demo/003-last.md",
            "nested too deeply (more than 100 levels",
        ],
    );
    let check = common::run(&["check", "--root", site.root().to_str().unwrap()]);
    assert_eq!(check.status, 1, "{}", check.stderr);
}

/// Templates that recurse without end or nest thousands deep: Tera's own limits make
/// each an error naming the template, never a stack overflow.
#[test]
fn recursive_and_deeply_nested_templates_are_errors() {
    let cases = [
        (
            "{% component rec(n: integer) %}{{ <rec n={n} /> }}{% endcomponent rec %}\n{{ <rec n={1} /> }}\n".to_string(),
            "recursion depth",
        ),
        ("{% include \"404.html\" %}".to_string(), "Circular include"),
        (format!("{{{{ {}1{} }}}}", "(".repeat(20_000), ")".repeat(20_000)), "too complex"),
        (
            format!("{}x{}", "{% if true %}".repeat(20_000), "{% endif %}".repeat(20_000)),
            "nesting is too deep",
        ),
    ];
    for (template, needle) in cases {
        let site = Site::fixture("mini");
        site.write("templates/404.html", &template);
        let err = fails(&site);
        assert_has(&err, &["templates", needle]);
    }
}

/// A site of `lessons` lessons, each with some code and math, so a build takes a while.
fn site_of(lessons: usize) -> Site {
    let site = Site::fixture("mini");
    let body = "## Core Theory\n\nSome $x^2$ text.\n\n```rust\nfn f(x: f64) -> f64 { x }\n```\n";
    for i in 10..10 + lessons {
        site.write(
            &format!("content/demo/{i:05}-lesson-{i}.md"),
            format!("---\ntitle: Lesson {i}\n---\n{body}"),
        );
    }
    site
}

fn lesson_folders(out: &Path) -> usize {
    std::fs::read_dir(out.join("demo"))
        .unwrap()
        .filter(|e| e.as_ref().unwrap().path().join("index.html").is_file())
        .count()
}

/// Two builds with one `--output`, the second started while the first writes: the second
/// waits for the first (and says so), and the output is then the second site, whole.
/// The second used to delete the first one's temporary folder and both published parts.
#[test]
fn two_builds_into_one_output_take_turns() {
    let big = site_of(1500);
    let small = Site::fixture("mini");
    let shared = tempfile::tempdir().unwrap();
    let out = shared.path().join("site");
    let out_arg = out.to_str().unwrap();
    let first = Command::new(env!("CARGO_BIN_EXE_conceptlab"))
        .args([
            "build",
            "--quiet",
            "--root",
            big.root().to_str().unwrap(),
            "-o",
            out_arg,
        ])
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Wait until the first build writes its temporary folder, then start the second.
    let started = Instant::now();
    let writing = loop {
        let staging = std::fs::read_dir(shared.path()).unwrap().any(|e| {
            e.unwrap()
                .file_name()
                .to_string_lossy()
                .starts_with(".conceptlab-tmp-")
        });
        if staging || started.elapsed() > Duration::from_secs(120) {
            break staging;
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    assert!(writing, "the first build never started writing");
    let second = Command::new(env!("CARGO_BIN_EXE_conceptlab"))
        .args([
            "build",
            "--root",
            small.root().to_str().unwrap(),
            "-o",
            out_arg,
        ])
        .output()
        .unwrap();
    let first = first.wait_with_output().unwrap();
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    let second_err = String::from_utf8_lossy(&second.stderr);
    assert!(second.status.success(), "{second_err}");
    assert!(
        second_err.contains("Waiting for another build"),
        "{second_err}"
    );
    // The output is the small site, complete, and nothing is left next to it.
    assert_eq!(lesson_folders(&out), 3);
    let alone = small.build(&[]);
    assert_eq!(alone.status, 0);
    assert_eq!(tree(&out), tree(&small.public()));
    let leftovers: Vec<_> = std::fs::read_dir(shared.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(leftovers, ["site"]);
}

/// `language:` reaches the search index's file names: a path is refused at its line,
/// and nothing is written outside the output; a long but valid tag builds.
#[test]
fn the_language_is_a_language_tag() {
    let site = Site::fixture("mini");
    append(&site, "site.yaml", "language: \"../../../../x/p\"\n");
    let err = fails(&site);
    assert_has(
        &err,
        &[
            "`../../../../x/p` is not a language tag",
            "site.yaml:4:1",
            "BCP 47",
        ],
    );
    assert!(!site.root().join("../../x").exists());

    let site = Site::fixture("mini");
    append(
        &site,
        "site.yaml",
        "language: en-abcdefgh-abcdefgh-abcdefgh-abcd\n",
    );
    let run = site.build(&[]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert!(site.public().join("pagefind/pagefind-entry.json").is_file());
    let home = site.page("index.html");
    assert_eq!(
        home.attr("html", "lang"),
        "en-abcdefgh-abcdefgh-abcdefgh-abcd"
    );
}

/// A 1 MB anchored value copied by 1,500 aliases (a 1 MB file) would be 1.5 GB: refused
/// at the alias that crosses the limit, at once.
#[test]
fn yaml_aliases_cannot_blow_a_small_file_up() {
    let site = Site::fixture("mini");
    let big = "x".repeat(1024 * 1024);
    let aliases = vec!["*s"; 1500].join(", ");
    site.write(
        FIRST,
        format!("---\ntitle: First\nsummary: &s \"{big}\"\ntags: [{aliases}]\n---\n"),
    );
    let err = fails(&site);
    assert_has(
        &err,
        &["content/demo/001-first.md:4:", "expand to more than 16 MB"],
    );
}

/// Builds `site` and returns its stderr; the build is killed after `limit` so that a
/// regression fails instead of hanging the test run.
fn build_within(site: &Site, limit: Duration) -> (Option<i32>, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_conceptlab"))
        .args(["build", "--quiet", "--root", site.root().to_str().unwrap()])
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            return (None, String::new());
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let out = child.wait_with_output().unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Small files that used to cost time quadratic (or worse) in their size. Each is sized
/// so that quadratic work would take many minutes while linear work takes well under a
/// second; the generous limit only catches a change in how the cost grows, it is no
/// speed measurement.
#[test]
fn small_files_with_quadratic_cost_finish_in_linear_time() {
    let limit = Duration::from_secs(60);
    let cases: [(&str, String); 4] = [
        (
            "1M nested `[` in front-matter",
            format!("---\ntitle: Q\ntags: {}\n---\n", "[".repeat(1_000_000)),
        ),
        (
            "100k identical headings",
            format!("---\ntitle: Q\n---\n{}", "## h\n\n".repeat(100_000)),
        ),
        (
            "20k neuron widgets",
            format!(
                "---\ntitle: Q\nwidgets:\n{}---\n",
                "- {kind: neuron}\n".repeat(20_000)
            ),
        ),
        (
            "20k notes with one heading each",
            format!(
                "---\ntitle: Q\nnotes:\n{}---\n",
                "- text: \"## h\"\n".repeat(20_000)
            ),
        ),
    ];
    for (what, lesson) in cases {
        let site = Site::fixture("mini");
        site.write(FIRST, &lesson);
        let (status, stderr) = build_within(&site, limit);
        assert!(status.is_some(), "{what}: still running after {limit:?}");
        assert!(!stderr.contains("panicked"), "{what}: {stderr}");
    }
    // The HTML sanitizer's parser is quadratic in the nesting depth: past the depth
    // browsers keep (512), `safe_html` refuses the page instead.
    let site = Site::fixture("mini");
    append(&site, "site.yaml", "safe_html: true\n");
    let depth = 200_000;
    site.write(
        FIRST,
        format!(
            "---\ntitle: Q\n---\n{}x{}\n",
            "<div>".repeat(depth),
            "</div>".repeat(depth)
        ),
    );
    let (status, stderr) = build_within(&site, limit);
    assert_eq!(status, Some(1), "{stderr}");
    assert_has(
        &stderr,
        &["content/demo/001-first.md", "more than 512 levels deep"],
    );
}

/// With `safe_html: true`, course files that a browser runs as a page (HTML, an SVG with
/// script) are refused by name; a drawing-only SVG is published. Without it, they are the
/// author's files and are copied.
#[test]
fn safe_html_covers_the_files_of_course_folders() {
    let evil_svg = "<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>";
    let good_svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 2 2\"><rect width=\"1\" height=\"1\"/></svg>";
    for safe in [false, true] {
        let site = Site::fixture("mini");
        site.write("content/demo/img/evil.svg", evil_svg);
        site.write("content/demo/page.html", "<script>alert(1)</script>");
        site.write("content/demo/img/good.svg", good_svg);
        if safe {
            append(&site, "site.yaml", "safe_html: true\n");
            let err = fails(&site);
            assert_has(
                &err,
                &[
                    "content/demo/img/evil.svg",
                    "it has a `<script>` element",
                    "content/demo/page.html",
                    "may not hold .html files",
                ],
            );
            assert!(!err.contains("good.svg"), "{err}");
        } else {
            let run = site.build(&[]);
            assert_eq!(run.status, 0, "{}", run.stderr);
            assert!(site.public().join("demo/img/evil.svg").is_file());
        }
    }
}

/// Symbolic links that lead out of the site: the output through a link into the
/// sources, a linked `static/`, course folder or template are each an error.
#[cfg(unix)]
#[test]
fn symbolic_links_never_lead_out_of_the_site() {
    use std::os::unix::fs::symlink;
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.txt"), "secret").unwrap();
    std::fs::create_dir(outside.path().join("course")).unwrap();

    // `ln -s content/demo cl; build -o cl/out` would write into content/demo/out.
    let site = Site::fixture("mini");
    symlink(site.root().join("content/demo"), site.root().join("cl")).unwrap();
    let out = site.root().join("cl/out");
    let run = site.build(&["-o", out.to_str().unwrap()]);
    assert_eq!(run.status, 1, "{}", run.stderr);
    assert_has(&run.stderr, &["would overwrite the site's sources"]);
    assert!(!site.root().join("content/demo/out").exists());

    let linked = [
        ("static", outside.path().to_path_buf()),
        ("content/other", outside.path().join("course")),
        ("templates/base.html", outside.path().join("secret.txt")),
    ];
    for (at, target) in linked {
        let site = Site::fixture("mini");
        std::fs::create_dir_all(site.root().join(at).parent().unwrap()).unwrap();
        symlink(&target, site.root().join(at)).unwrap();
        let err = fails(&site);
        assert_has(&err, &[at, "symbolic links are not followed"]);
    }
}

/// Every text and attribute value of `xml` (which must be well-formed), unescaped.
fn xml_values(xml: &str) -> Vec<String> {
    use quick_xml::XmlVersion;
    use quick_xml::escape::resolve_predefined_entity;
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut values = Vec::new();
    // Text comes in pieces around each entity reference (`&amp;`).
    let mut text = String::new();
    loop {
        let event = reader
            .read_event()
            .unwrap_or_else(|e| panic!("not well-formed XML: {e}\n{xml}"));
        match event {
            Event::Eof => break,
            Event::Text(t) => text.push_str(&t.xml_content(XmlVersion::Implicit1_0)),
            Event::GeneralRef(r) => {
                let name: &str = &r;
                let resolved = match name.strip_prefix('#') {
                    Some(code) => {
                        let code = code.strip_prefix('x').map_or_else(
                            || code.parse::<u32>().unwrap(),
                            |hex| u32::from_str_radix(hex, 16).unwrap(),
                        );
                        char::from_u32(code).unwrap().to_string()
                    }
                    None => resolve_predefined_entity(name)
                        .expect("a known entity")
                        .to_string(),
                };
                text.push_str(&resolved);
            }
            other => {
                values.push(std::mem::take(&mut text));
                if let Event::Start(e) | Event::Empty(e) = other {
                    for attribute in e.attributes() {
                        let attribute = attribute.unwrap();
                        let value = attribute.normalized_value(XmlVersion::Implicit1_0).unwrap();
                        values.push(value.into_owned());
                    }
                }
            }
        }
    }
    values
}

/// `& < > " '` in every value that reaches the sitemap and the feed come back intact
/// from an XML parser.
#[test]
fn the_sitemap_and_feed_escape_every_value() {
    let nasty = "A & B <c> \"d\" 'e'";
    let site = Site::fixture("mini");
    site.write(
        "site.yaml",
        format!(
            "title: '{0}'\ndescription: '{0}'\nauthor: '{0}'\n",
            nasty.replace('\'', "''")
        ),
    );
    site.write(
        FIRST,
        format!(
            "---\ntitle: '{0}'\nsummary: '{0}'\ndate: 2026-03-01\n---\n",
            nasty.replace('\'', "''")
        ),
    );
    site.write(
        "content/demo/_course.md",
        format!("---\ntitle: '{}'\n---\n", nasty.replace('\'', "''")),
    );
    let run = site.build(&["--base-url", "https://example.com/a&b/"]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let feed = xml_values(&site.read("public/feed.xml"));
    // Site title, subtitle, author name, lesson title and summary, and the category.
    assert!(feed.iter().filter(|v| *v == nasty).count() >= 6, "{feed:?}");
    assert!(
        feed.contains(&"https://example.com/a&b/".to_string()),
        "{feed:?}"
    );
    let sitemap = xml_values(&site.read("public/sitemap.xml"));
    assert!(
        sitemap.contains(&"https://example.com/a&b/demo/first/".to_string()),
        "{sitemap:?}"
    );
}

/// The feed writes the base URL escaped everywhere, and stays well-formed XML.
#[test]
fn the_feed_escapes_the_base_url() {
    let site = Site::fixture("mini");
    let run = site.build(&["--base-url", "https://example.com/a&b/"]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let feed = site.read("public/feed.xml");
    assert!(
        feed.contains("<id>https://example.com/a&amp;b/</id>"),
        "{feed}"
    );
    assert!(!feed.contains("a&b"), "{feed}");
    xml_values(&feed);
    for bad in ["https://x.org/\"onload=\"x/", "/a\nDisallow: /"] {
        let run = site.build(&["--base-url", bad]);
        assert_eq!(run.status, 1, "{bad}: {}", run.stderr);
    }
}

/// The common slips of YAML get a hint in an author's words, and a block whose text is
/// not indented is reported where it is, not at the end of the front-matter.
#[test]
fn common_yaml_slips_get_a_hint() {
    let cases = [
        ("summary: Note: x", "3:14", "must be quoted"),
        ("tags: a, b", "3:7", "write a list in brackets"),
        ("draft: yes", "3:8", "write `true` or `false`"),
        ("order: 1.5", "3:8", "expected a whole number"),
        (
            "notes:\n  - text: |\n  Hello\n",
            "5:3",
            "the text of `text` is not indented under it",
        ),
    ];
    for (front_matter, at, needle) in cases {
        let site = Site::fixture("mini");
        site.write(FIRST, format!("---\ntitle: First\n{front_matter}\n---\n"));
        let err = fails(&site);
        assert_has(&err, &[&format!("content/demo/001-first.md:{at}"), needle]);
    }
}

/// An explicit heading id used twice, or one a part of the page uses, is an error: links
/// to it would land on the first one. Repeated headings without an id still number.
#[test]
fn an_explicit_heading_id_is_used_once() {
    let site = Site::fixture("mini");
    site.write(
        FIRST,
        "---\ntitle: First\n---\n## A {#core}\n\n## B {#core}\n\n## C {#questions}\n\n## D\n\n## D\n",
    );
    let err = fails(&site);
    assert_has(
        &err,
        &[
            "the heading id `core` is used twice on this page",
            "content/demo/001-first.md:6:1",
            "the heading id `questions` is the id of a part of the lesson page",
            "content/demo/001-first.md:8:1",
        ],
    );
    assert!(!err.contains(":10:1"), "{err}");
}

/// `simulations.max_gflop` must be a finite, positive number; the page budget is checked
/// before anything trains.
#[test]
fn simulation_limits_are_checked_before_training() {
    for value in [".nan", "-1", ".inf", "0"] {
        let site = Site::fixture("sims");
        let config = site
            .read("site.yaml")
            .replace("max_gflop: 5", &format!("max_gflop: {value}"));
        site.write("site.yaml", config);
        let err = fails(&site);
        assert_has(
            &err,
            &[
                "`simulations.max_gflop` must be a positive number",
                "site.yaml:3:",
            ],
        );
    }
    let site = Site::fixture("sims");
    let config = site
        .read("site.yaml")
        .replace("max_page_kb: 300", "max_page_kb: 1");
    site.write("site.yaml", config);
    let err = fails(&site);
    assert_has(&err, &["over the limit of 1 KB"]);
    assert!(!err.contains("Simulations:"), "{err}");
    assert!(
        !site.root().join(".cache/simulations").exists(),
        "it trained"
    );
}

/// One rule for URL slugs, written or taken from a file name: ASCII letters, digits and
/// dashes. Accented and full-width letters lose their accents and width.
#[test]
fn slugs_from_file_names_follow_the_slug_rule() {
    let site = Site::fixture("mini");
    std::fs::rename(
        site.root().join("content/demo/003-last.md"),
        site.root().join("content/demo/003-ünï-ω.md"),
    )
    .unwrap();
    site.write(
        "content/demo/005-ｆｕｌｌ.md",
        "---\ntitle: Full width\n---\n",
    );
    let run = site.build(&[]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert!(site.public().join("demo/uni/index.html").is_file());
    assert!(site.public().join("demo/full/index.html").is_file());

    site.write("content/demo/006-x.md", "---\ntitle: X\nslug: ünï\n---\n");
    let err = fails(&site);
    assert_has(&err, &["`ünï` is not a valid slug"]);
}
