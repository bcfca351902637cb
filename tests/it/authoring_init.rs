//! `conceptlab init`: a new site that builds at once, whose two sample lessons show every
//! part of a lesson page, and that never overwrites a folder by accident.

use crate::common;

use std::path::Path;
use std::process::{Command, Output};

use common::Page;

fn conceptlab(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_conceptlab"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn init(dir: &Path) {
    let out = conceptlab(&["init", dir.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
}

#[test]
fn a_new_site_has_config_a_course_two_lessons_gitignore_and_the_pages_workflow() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("my-notes");
    init(&dir);
    for file in [
        "site.yaml",
        ".gitignore",
        "content/caching/_course.md",
        "content/caching/001-what-a-cache-is.md",
        "content/caching/002-eviction-policies.md",
        ".github/workflows/pages.yml",
        ".github/actions/install-conceptlab/action.yml",
    ] {
        assert!(dir.join(file).is_file(), "missing {file}");
    }
    assert!(dir.join("templates").is_dir());
    let config = std::fs::read_to_string(dir.join("site.yaml")).unwrap();
    assert!(config.contains("title: \"My Notes\""), "{config}");
    let ignored = std::fs::read_to_string(dir.join(".gitignore")).unwrap();
    assert!(ignored.contains("/public/") && ignored.contains("/.cache/"));
    // The repository's workflow, with this release pinned (tests/it/workflows.rs).
    let workflow = std::fs::read_to_string(dir.join(".github/workflows/pages.yml")).unwrap();
    let ours = include_str!("../../.github/workflows/pages.yml");
    assert_eq!(workflow, conceptlab::scaffold::pinned_workflow(ours));
}

#[test]
fn the_new_site_builds_and_passes_a_strict_check() {
    let tmp = tempfile::tempdir().unwrap();
    init(tmp.path());
    let root = tmp.path().to_str().unwrap();
    let check = conceptlab(&["check", "--strict", "--root", root]);
    assert!(check.status.success(), "{}", stderr(&check));
    assert!(stderr(&check).contains("no errors, no warnings"));
    let build = conceptlab(&["build", "--root", root]);
    assert!(build.status.success(), "{}", stderr(&build));
    assert!(stderr(&build).contains("Built 2 lessons in 1 course"));
}

#[test]
fn each_sample_lesson_shows_every_part_of_the_page() {
    let tmp = tempfile::tempdir().unwrap();
    init(tmp.path());
    let build = conceptlab(&["build", "--root", tmp.path().to_str().unwrap()]);
    assert!(build.status.success(), "{}", stderr(&build));
    for (slug, other) in [
        ("what-a-cache-is", "/caching/eviction-policies/"),
        ("eviction-policies", "/caching/what-a-cache-is/"),
    ] {
        let html =
            std::fs::read_to_string(tmp.path().join(format!("public/caching/{slug}/index.html")))
                .unwrap();
        let page = Page::parse(&html);
        page.assert_every_part(slug);
        assert!(page.count("#theory math") >= 1, "{slug}: no math");
        assert!(
            page.count("#theory aside.callout") >= 1,
            "{slug}: no callout"
        );
        assert!(page.count("#walkthrough pre code") >= 1, "{slug}: no code");
        assert!(page.count("#walkthrough ol.steps > li") >= 1);
        assert!(page.count("#flow svg.flow-diagram") == 1);
        let questions = page.count("article.question");
        assert!(questions >= 3, "{slug}: {questions} questions");
        assert_eq!(page.count("article.question details.senior"), questions);
        assert!(page.count("button.flashcard") >= 3);
        assert!(
            page.count(&format!("a[href^='{other}']")) >= 1,
            "{slug}: no link to {other}"
        );
    }
}

#[test]
fn a_folder_with_files_is_refused_and_left_alone() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("notes.txt"), "mine").unwrap();
    let out = conceptlab(&["init", tmp.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("the folder is not empty"), "{err}");
    assert!(err.contains("--force"), "{err}");
    assert!(!tmp.path().join("site.yaml").exists());
}

#[test]
fn force_writes_the_site_and_keeps_other_files() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("notes.txt"), "mine").unwrap();
    let out = conceptlab(&["init", "--force", tmp.path().to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(tmp.path().join("site.yaml").is_file());
    assert_eq!(
        std::fs::read_to_string(tmp.path().join("notes.txt")).unwrap(),
        "mine"
    );
}
