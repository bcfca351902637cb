//! What `conceptlab serve` serves equals what `conceptlab build` writes for the same
//! files, after every kind of edit: a script of 40 edits (lesson bodies, front-matter,
//! renames, deletions, new lessons, course and part files, templates, `site.yaml`, static
//! files, images, simulation specs, broken saves and their fixes) is applied to a
//! generated site of two courses and 106 lessons (a search index of two parts); after each
//! one, once the background work (training, index parts) is done, every served path and
//! its bytes are compared with a cold build into a fresh folder.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Duration;

use conceptlab::build::{BuildOptions, build};
use conceptlab::serve::live::{LiveOptions, LiveSite, Served};
use conceptlab::write::MARKER;

use crate::common::{self, Site};

const BASE: &str = "https://example.org/lab/";
const ALPHA_LESSONS: usize = 100;

/// A site of two courses: `alpha`, 100 lessons (the first nine link to the next one's
/// heading), and `beta`, with a part, a course image and a simulation.
fn generated_site() -> Site {
    let site = Site {
        dir: tempfile::tempdir().unwrap(),
    };
    site.write(
        "site.yaml",
        "title: Generated Lab\ndescription: A generated site.\nauthor: Tests\nlanguage: en\n",
    );
    site.write(
        "content/alpha/_course.md",
        "---\ntitle: Alpha\nsummary: The long course.\norder: 1\n---\nThe intro links to [the first lesson](0010-alpha-1.md).\n",
    );
    for n in 1..=ALPHA_LESSONS {
        site.write(&alpha_path(n), alpha_lesson(n));
    }
    site.write(
        "content/beta/_course.md",
        "---\ntitle: Beta\nsummary: The short course.\norder: 2\n---\nThe second course.\n",
    );
    site.write(
        "content/beta/001-intro.md",
        "---\ntitle: Beta intro\nsummary: Where beta starts.\nflashcards: [{ front: Beta, back: The second letter. }]\n---\n## Core Theory\n\nA picture:\n\n![A dot](images/dot.png)\n",
    );
    site.write(
        "content/beta/002-sim.md",
        "---\ntitle: Beta simulation\nsummary: A network trained at build time.\nsimulations:\n  - id: sweep\n    kind: sweep\n    dataset: { kind: circle, n: 80 }\n    hidden: [3]\n    epochs: 20\n    resolution: 6\n    grid: { lr: [0.03, 0.3] }\nwidgets:\n  - { kind: sweep-explorer, simulation: sweep }\n---\n## Core Theory\n\nMove the slider.\n",
    );
    site.write(
        "content/beta/003-loose.md",
        "---\ntitle: Beta loose\nsummary: Outside the part.\n---\n## Core Theory\n\nLoose text.\n\n![A plot](loose/plot.png)\n",
    );
    site.write(
        "content/beta/010-basics/_part.md",
        "---\ntitle: Basics\nsummary: The part.\n---\nThe part's intro.\n",
    );
    for (i, name) in ["one", "two", "three"].iter().enumerate() {
        site.write(
            &format!("content/beta/010-basics/00{}-{name}.md", i + 1),
            format!(
                "---\ntitle: Basics {name}\nsummary: Part lesson {name}.\nquestions:\n  - {{ level: beginner, q: \"What is {name}?\", answer: A number. }}\n---\n## Core Theory\n\nPart text {name}.\n"
            ),
        );
    }
    site.write("content/beta/images/dot.png", tiny_png(1));
    // An image kept in the folder a lesson's page is written to (`beta/loose/`).
    site.write("content/beta/loose/plot.png", tiny_png(2));
    site.write("static/robots.txt", "User-agent: *\n");
    site
}

fn alpha_path(n: usize) -> String {
    format!("content/alpha/{:04}-alpha-{n}.md", n * 10)
}

fn alpha_lesson(n: usize) -> String {
    let cards = match n % 3 {
        0 => String::new(),
        _ => format!(
            "flashcards: [{{ front: \"Front {n}\", back: \"Back {n}\" }}, {{ front: \"Other {n}\", back: \"More {n}\" }}]\n"
        ),
    };
    let question = match n % 2 {
        0 => format!("questions:\n  - {{ level: beginner, q: \"Why {n}?\", answer: Because. }}\n"),
        _ => String::new(),
    };
    let link = match n < 10 {
        true => format!(
            "\nOn to [the next lesson](0{:03}-alpha-{}.md#core-theory).\n",
            (n + 1) * 10,
            n + 1
        ),
        false => String::new(),
    };
    format!(
        "---\ntitle: Alpha {n}\nsummary: Lesson {n} of alpha.\ntags: [alpha]\n{cards}{question}---\n## Core Theory\n\nLesson {n} says $x^{n}$ matters.{link}\n\n```python\nprint({n})\n```\n\n## Examples\n\nAn example of {n}.\n"
    )
}

/// The bytes of an image file whose content is `shade` (only copied, never decoded).
fn tiny_png(shade: u8) -> Vec<u8> {
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    png.extend([shade; 16]);
    png
}

/// One edit: what it is, what it does to the site (returning the paths it changed,
/// relative to the site), and whether the site has errors after it.
type Apply = Box<dyn Fn(&Site) -> Vec<&'static str>>;

struct Edit {
    what: &'static str,
    apply: Apply,
    breaks: bool,
    /// Whether serve takes the quick way: a render of the lessons concerned and of the
    /// pages that are not lessons', not a rebuild.
    partial: bool,
}

fn edit(what: &'static str, apply: impl Fn(&Site) -> Vec<&'static str> + 'static) -> Edit {
    Edit {
        what,
        apply: Box::new(apply),
        breaks: false,
        partial: false,
    }
}

/// An edit to lessons that serve re-renders without a rebuild.
fn quick(what: &'static str, apply: impl Fn(&Site) -> Vec<&'static str> + 'static) -> Edit {
    Edit {
        partial: true,
        ..edit(what, apply)
    }
}

fn breaking(what: &'static str, apply: impl Fn(&Site) -> Vec<&'static str> + 'static) -> Edit {
    Edit {
        breaks: true,
        ..edit(what, apply)
    }
}

/// Replaces `from` with `to` in the file at `rel`, which must hold `from`.
fn replace(site: &Site, rel: &str, from: &str, to: &str) {
    let text = site.read(rel);
    assert!(text.contains(from), "{rel} has no {from:?}");
    site.write(rel, text.replacen(from, to, 1));
}

/// An edit that replaces `from` with `to` in the file at `rel`.
fn swap(
    rel: &'static str,
    from: &'static str,
    to: &'static str,
) -> impl Fn(&Site) -> Vec<&'static str> + 'static {
    move |s| {
        replace(s, rel, from, to);
        vec![rel]
    }
}

fn leak(path: String) -> &'static str {
    Box::leak(path.into_boxed_str())
}

fn alpha(n: usize) -> &'static str {
    leak(alpha_path(n))
}

fn script() -> Vec<Edit> {
    vec![
        quick(
            "a lesson's body",
            swap(alpha(10), "An example of 10.", "An example of ten, longer."),
        ),
        quick(
            "a lesson's title (the lessons near it list it)",
            swap(alpha(20), "title: Alpha 20", "title: The twentieth"),
        ),
        quick(
            "a lesson's summary",
            swap(
                alpha(3),
                "summary: Lesson 3 of alpha.",
                "summary: Third, renamed.",
            ),
        ),
        quick(
            "a flash card added (review page, decks, counts)",
            swap(
                alpha(5),
                "flashcards: [",
                "flashcards: [{ front: Added, back: Card }, ",
            ),
        ),
        quick("every flash card removed", |s| {
            let text = s.read(alpha(7));
            let kept: Vec<&str> = text
                .lines()
                .filter(|l| !l.starts_with("flashcards:"))
                .collect();
            s.write(alpha(7), kept.join("\n") + "\n");
            vec![alpha(7)]
        }),
        quick(
            "a question added to a lesson in a part",
            swap(
                "content/beta/010-basics/002-two.md",
                "questions:\n",
                "questions:\n  - { level: expert, q: Deeper?, answer: Yes. }\n",
            ),
        ),
        breaking(
            "a heading another lesson links to, renamed",
            swap(alpha(4), "## Core Theory", "## Theory first"),
        ),
        edit(
            "the link fixed",
            swap(alpha(3), "#core-theory", "#theory-first"),
        ),
        quick(
            "coverage points added",
            swap(
                alpha(12),
                "tags: [alpha]",
                "tags: [alpha]\ncoverage: [The first point, The second point]",
            ),
        ),
        quick(
            "a widget added",
            swap(
                alpha(13),
                "tags: [alpha]",
                "tags: [alpha]\nwidgets: [{ kind: neuron }]",
            ),
        ),
        quick(
            "tags changed",
            swap(alpha(14), "tags: [alpha]", "tags: [alpha, fourteen]"),
        ),
        quick(
            "a date added (the feed)",
            swap(
                alpha(15),
                "tags: [alpha]",
                "tags: [alpha]\ndate: 2026-01-15",
            ),
        ),
        quick("two lessons saved together", |s| {
            replace(s, alpha(16), "An example of 16.", "Sixteen.");
            replace(s, alpha(17), "title: Alpha 17", "title: Seventeen");
            vec![alpha(16), alpha(17)]
        }),
        edit("a new lesson at the end of a course", |s| {
            let rel = "content/alpha/0999-appendix.md";
            s.write(
                rel,
                "---\ntitle: Appendix\nsummary: The end.\n---\n## Core Theory\n\nLast words.\n",
            );
            vec![rel]
        }),
        edit("a new lesson in the middle", |s| {
            let rel = "content/alpha/0255-between.md";
            s.write(rel, "---\ntitle: Between\nsummary: In between.\nflashcards: [{ front: Mid, back: Dle }]\n---\n## Core Theory\n\nMiddle.\n");
            vec![rel]
        }),
        edit("a lesson renamed", |s| {
            let (from, to) = (alpha(40), "content/alpha/0400-forty.md");
            std::fs::rename(s.root().join(from), s.root().join(to)).unwrap();
            vec![from, to]
        }),
        edit("a lesson deleted", |s| {
            std::fs::remove_file(s.root().join(alpha(45))).unwrap();
            vec![alpha(45)]
        }),
        edit(
            "a lesson marked as a draft",
            swap(alpha(50), "tags: [alpha]", "tags: [alpha]\ndraft: true"),
        ),
        edit(
            "a lesson moved by its order",
            swap(alpha(30), "tags: [alpha]", "tags: [alpha]\norder: 5"),
        ),
        edit(
            "a course's title",
            swap(
                "content/alpha/_course.md",
                "title: Alpha",
                "title: Alpha course",
            ),
        ),
        edit(
            "a course's summary",
            swap(
                "content/beta/_course.md",
                "summary: The short course.",
                "summary: Short, and has a part.",
            ),
        ),
        edit(
            "a part's title",
            swap(
                "content/beta/010-basics/_part.md",
                "title: Basics",
                "title: Foundations",
            ),
        ),
        quick(
            "a lesson beside an image in its own output folder",
            swap(
                "content/beta/003-loose.md",
                "Loose text.",
                "Loose text, edited.",
            ),
        ),
        quick(
            "a lesson in a part",
            swap(
                "content/beta/010-basics/001-one.md",
                "Part text one.",
                "Part text one, edited.",
            ),
        ),
        edit("a lesson moved into the part", |s| {
            let (from, to) = (
                "content/beta/003-loose.md",
                "content/beta/010-basics/004-loose.md",
            );
            std::fs::rename(s.root().join(from), s.root().join(to)).unwrap();
            // Its image, seen from the part's folder.
            replace(s, to, "](loose/plot.png)", "](../loose/plot.png)");
            vec![from, to]
        }),
        edit("an image changed", |s| {
            s.write("content/beta/images/dot.png", tiny_png(200));
            vec!["content/beta/images/dot.png"]
        }),
        edit("an image added", |s| {
            s.write("content/beta/images/new.png", tiny_png(90));
            vec!["content/beta/images/new.png"]
        }),
        edit("an image deleted", |s| {
            std::fs::remove_file(s.root().join("content/beta/images/new.png")).unwrap();
            vec!["content/beta/images/new.png"]
        }),
        edit("a template added", |s| {
            let theme = std::fs::read_to_string(
                PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("themes/lab/templates/404.html"),
            )
            .unwrap();
            s.write(
                "templates/404.html",
                theme.replace("Page not found</h1>", "Lost?</h1>"),
            );
            vec!["templates/404.html"]
        }),
        edit(
            "the template edited",
            swap("templates/404.html", "Lost?", "Nothing here"),
        ),
        edit("the template removed", |s| {
            std::fs::remove_file(s.root().join("templates/404.html")).unwrap();
            vec!["templates/404.html"]
        }),
        edit(
            "site.yaml: the title",
            swap("site.yaml", "title: Generated Lab", "title: The Lab"),
        ),
        edit(
            "site.yaml: search off",
            swap(
                "site.yaml",
                "language: en\n",
                "language: en\nsearch: false\n",
            ),
        ),
        edit(
            "site.yaml: search on again",
            swap("site.yaml", "search: false\n", ""),
        ),
        edit("a static file added", |s| {
            s.write("static/notes.txt", "notes\n");
            vec!["static/notes.txt"]
        }),
        edit("a static file changed", |s| {
            s.write("static/notes.txt", "other notes\n");
            vec!["static/notes.txt"]
        }),
        edit("a static file deleted", |s| {
            std::fs::remove_file(s.root().join("static/notes.txt")).unwrap();
            vec!["static/notes.txt"]
        }),
        quick(
            "a simulation's spec (trained in the background)",
            swap(
                "content/beta/002-sim.md",
                "lr: [0.03, 0.3]",
                "lr: [0.1, 0.3]",
            ),
        ),
        quick(
            "the last lesson of the first course (its link to the next course)",
            |s| {
                let rel = "content/alpha/0999-appendix.md";
                replace(s, rel, "Last words.", "Last words, and on to beta.");
                vec![rel]
            },
        ),
        breaking(
            "front-matter that does not parse",
            swap(alpha(22), "title: Alpha 22", "title: [Alpha 22"),
        ),
        edit(
            "the front-matter fixed",
            swap(alpha(22), "title: [Alpha 22", "title: Alpha 22 again"),
        ),
    ]
}

/// Every file `live` serves, with its bytes.
fn served(live: &LiveSite) -> BTreeMap<String, Vec<u8>> {
    live.files()
        .iter()
        .map(|(path, file)| {
            let bytes = match file {
                Served::Bytes(bytes) => bytes.to_vec(),
                Served::File(from) => std::fs::read(from).unwrap(),
            };
            (path.clone(), bytes)
        })
        .collect()
}

/// A cold build of `site` into a fresh folder: every file but the build's marker, or the
/// build's errors.
fn cold_build(site: &Site) -> Result<BTreeMap<String, Vec<u8>>, String> {
    let out = tempfile::tempdir().unwrap();
    let built = build(&BuildOptions {
        root: site.root().to_path_buf(),
        output: Some(out.path().join("public")),
        base_url: Some(BASE.to_string()),
        drafts: false,
        no_cache: false,
        quiet: true,
    });
    match built {
        Ok(_) => {
            let mut files = common::tree(&out.path().join("public"));
            files.remove(MARKER);
            Ok(files)
        }
        Err(errors) => Err(format!("{} errors", errors.len())),
    }
}

/// Where `served` and `built` differ, in a few lines.
fn differences(served: &BTreeMap<String, Vec<u8>>, built: &BTreeMap<String, Vec<u8>>) -> String {
    let mut out = Vec::new();
    for path in built.keys().filter(|p| !served.contains_key(*p)) {
        out.push(format!("  only in the build: {path}"));
    }
    for path in served.keys().filter(|p| !built.contains_key(*p)) {
        out.push(format!("  only served: {path}"));
    }
    for (path, bytes) in served {
        if let Some(other) = built.get(path).filter(|b| *b != bytes) {
            let at = bytes.iter().zip(other).take_while(|(a, b)| a == b).count();
            let around = |b: &[u8]| {
                String::from_utf8_lossy(&b[at.saturating_sub(60)..(at + 60).min(b.len())])
                    .into_owned()
            };
            out.push(format!(
                "  differs: {path}\n    served: {:?}\n    built:  {:?}",
                around(bytes),
                around(other)
            ));
        }
    }
    out.truncate(12);
    out.join("\n")
}

#[test]
fn after_every_kind_of_edit_serve_serves_what_a_cold_build_writes() {
    let site = generated_site();
    let (mut live, outcome) = LiveSite::open(LiveOptions {
        root: site.root().to_path_buf(),
        base_url: Some(BASE.to_string()),
        drafts: false,
    });
    assert!(outcome.errors.is_empty(), "{:?}", outcome.errors);
    live.settle(Duration::from_secs(120));
    let first = cold_build(&site).expect("the generated site builds");
    assert!(
        first.keys().any(|p| p.starts_with("pagefind/part-1/")),
        "two index parts"
    );
    assert!(first.contains_key("sitemap.xml") && first.contains_key("feed.xml"));
    let served_first = served(&live);
    assert!(
        served_first == first,
        "on opening:\n{}",
        differences(&served_first, &first)
    );

    let edits = script();
    assert!(edits.len() >= 30);
    for (i, edit) in edits.iter().enumerate() {
        let changed: Vec<PathBuf> = (edit.apply)(&site)
            .into_iter()
            .map(|rel| site.root().join(rel))
            .collect();
        let outcome = live.apply(&changed);
        let what = format!("edit {} ({})", i + 1, edit.what);
        if edit.breaks {
            assert!(!outcome.errors.is_empty(), "{what}: no error");
            assert!(cold_build(&site).is_err(), "{what}: the build has no error");
            continue;
        }
        assert!(outcome.errors.is_empty(), "{what}: {:?}", outcome.errors);
        assert_eq!(outcome.full, !edit.partial, "{what}: a rebuild or not");
        let settled = live.settle(Duration::from_secs(120));
        assert!(settled.errors.is_empty(), "{what}: {:?}", settled.errors);
        assert!(!live.busy(), "{what}: still busy after two minutes");
        let built = cold_build(&site).unwrap_or_else(|e| panic!("{what}: {e}"));
        let now = served(&live);
        assert!(now == built, "after {what}:\n{}", differences(&now, &built));
    }
}
