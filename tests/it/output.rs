//! Output as a whole: byte-identical across builds and thread counts, the example site of
//! the repository builds, and a snapshot of a lesson page's HTML.

use crate::common;

use common::{Page, Site, run, tree};

#[test]
fn builds_are_byte_identical_whatever_the_thread_count_and_folder() {
    let site = Site::fixture("mini");
    let one = site.root().join("out-1");
    let two = site.root().join("out-2");
    let again = site.root().join("out-2-again");
    for (dir, jobs) in [(&one, "1"), (&two, "2"), (&again, "2")] {
        let r = site.build(&["--output", dir.to_str().unwrap(), "--jobs", jobs]);
        assert_eq!(r.status, 0, "{}", r.stderr);
    }
    let first = tree(&one);
    assert!(first.len() > 8);
    assert_eq!(first, tree(&two));
    assert_eq!(first, tree(&again));
    // The same sources in another folder (another absolute path) give the same bytes.
    let elsewhere = Site::fixture("mini");
    assert_ne!(elsewhere.root(), site.root());
    let r = elsewhere.build(&["--jobs", "2"]);
    assert_eq!(r.status, 0, "{}", r.stderr);
    assert_eq!(first, tree(&elsewhere.public()));
}

#[test]
fn rebuilding_replaces_the_output_and_leaves_no_temporary_folders() {
    let site = Site::fixture("mini");
    assert_eq!(site.build(&[]).status, 0);
    site.write(
        "content/demo/001-first.md",
        "---\ntitle: Renamed\n---\nNew text.\n",
    );
    assert_eq!(site.build(&[]).status, 0);
    assert_eq!(
        site.page("demo/first/index.html").text(".lesson-header h1"),
        "Renamed"
    );
    let leftovers: Vec<_> = std::fs::read_dir(site.root())
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with(".conceptlab-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn the_example_course_builds_and_lesson_five_has_every_part() {
    let root = env!("CARGO_MANIFEST_DIR");
    let out = tempfile::tempdir().unwrap();
    let output = out.path().join("public");
    let r = run(&[
        "build",
        "--root",
        root,
        "--output",
        output.to_str().unwrap(),
    ]);
    assert_eq!(r.status, 0, "{}", r.stderr);
    let html =
        std::fs::read_to_string(output.join("machine-learning/neurons-and-the-brain/index.html"))
            .unwrap();
    let page = Page::parse(&html);
    assert_eq!(page.text(".lesson-header h1"), "Neurons and the Brain");
    let position = page.text(".lesson-header .position");
    assert!(position.starts_with("5 / "), "{position}");
    page.assert_every_part("lesson 5");
    assert!(page.count("article.question details.senior") >= 4);
    assert!(page.count("button.flashcard") >= 8);
    assert_eq!(page.count("#flow rect.flow-box"), 5);
    let levels: std::collections::BTreeSet<String> = page
        .all("article.question")
        .iter()
        .map(|q| q.value().attr("data-level").unwrap().to_string())
        .collect();
    assert_eq!(levels.len(), 3, "{levels:?}");
}

/// The example course, simulations included, built from scratch in two folders with one
/// and with two threads: every byte of every file is the same.
#[test]
fn the_example_site_is_byte_identical_with_one_or_two_threads_in_two_folders() {
    let one = Site::example();
    let two = Site::example();
    for (site, jobs) in [(&one, "1"), (&two, "2")] {
        let r = site.build(&["--jobs", jobs]);
        assert_eq!(r.status, 0, "{}", r.stderr);
        assert!(
            r.stderr.contains("trained"),
            "no simulation trained:\n{}",
            r.stderr
        );
    }
    let first = tree(&one.public());
    assert!(
        first.keys().any(|path| path.ends_with(".bin")),
        "no simulation data"
    );
    assert_eq!(first, tree(&two.public()));
}

/// The rendered HTML of a fixture lesson, reviewed and kept in `tests/snapshots/`. A change
/// to the theme or the Markdown pipeline shows up here as a diff to review. The page names
/// its simulation artifact by a hash of the trained numbers, and those are the same on
/// every machine: the page is built once with the fastest kernel this CPU has and once with
/// the portable one (what a CPU without AVX2 runs), and both must match the snapshot.
#[test]
fn snapshot_of_a_lesson_page() {
    for kernel in ["auto", "portable"] {
        let site = Site::fixture("mini");
        let r = site.build_with_env(&[], &[("CONCEPTLAB_SIM_KERNEL", kernel)]);
        assert_eq!(r.status, 0, "{}", r.stderr);
        // On x86 the portable kernel emulates each fused multiply-add, and says so.
        let slow = kernel == "portable" || !conceptlab::engine::Isa::Avx2.is_available();
        assert_eq!(
            r.stderr.contains("train with the portable kernel"),
            slow && cfg!(target_arch = "x86_64"),
            "{kernel}: {}",
            r.stderr
        );
        let html =
            std::fs::read_to_string(site.public().join("demo/everything/index.html")).unwrap();
        assert!(
            html.contains(".bin\""),
            "no simulation artifact on the page"
        );
        insta::assert_snapshot!("lesson_everything", html);
    }
}

/// A site large enough for a search index in several parts cut where the lessons' paths
/// say, whose pages and index parts are made while other lessons still render: one and
/// two threads give the same bytes.
#[test]
fn a_site_with_several_search_parts_is_byte_identical_with_one_or_two_threads() {
    let sites = [Site::fixture("mini"), Site::fixture("mini")];
    for site in &sites {
        std::fs::create_dir_all(site.root().join("content/big")).unwrap();
        site.write("content/big/_course.md", "---\ntitle: Big Course\n---\n");
        for i in 1..=450 {
            site.write(
                &format!("content/big/{i:03}-lesson-{i}.md"),
                format!(
                    "---\ntitle: Lesson {i}\nsummary: Part of a large course.\n\
                     questions:\n  - q: What is step {i}?\n    level: beginner\n    answer: The {i}th.\n    senior: It depends.\n\
                     flashcards:\n  - front: Card {i}\n    back: Back {i}\n---\n\
                     ## Idea {i}\n\nWords about lesson {i}, see [the next](./{next:03}-lesson-{next}.md).\n\n\
                     ```python\ndef step_{i}(x):\n    return x + {i}\n```\n",
                    next = i % 450 + 1
                ),
            );
        }
    }
    for (site, jobs) in sites.iter().zip(["1", "2"]) {
        let r = site.build(&["--jobs", jobs, "--base-url", "https://example.org/"]);
        assert_eq!(r.status, 0, "{}", r.stderr);
    }
    let first = tree(&sites[0].public());
    // 453 lessons: parts of 62 to 187 lessons (see `search::parts`), each listed once.
    let listed: Vec<String> = serde_json::from_slice(&first["pagefind/parts.json"]).unwrap();
    assert!((2..=6).contains(&listed.len()), "{listed:?}");
    for (i, folder) in listed.iter().enumerate() {
        assert_eq!(folder, &format!("part-{}/", i + 1));
        assert!(first.contains_key(&format!("pagefind/{folder}pagefind-entry.json")));
    }
    let after_last = format!("pagefind/part-{}/", listed.len() + 1);
    assert!(!first.keys().any(|path| path.starts_with(&after_last)));
    let second = tree(&sites[1].public());
    assert_eq!(
        first.keys().collect::<Vec<_>>(),
        second.keys().collect::<Vec<_>>()
    );
    for (path, bytes) in &first {
        assert!(
            bytes == &second[path],
            "{path} differs between 1 and 2 threads"
        );
    }
}
