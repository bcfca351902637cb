//! `conceptlab check`: the build's errors without writing anything, warnings for lessons
//! that look unfinished (each at its file, line and column), `--strict`, the exit status,
//! and `--format json` for editors and CI.

use crate::common;

use std::io::{BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpListener};
use std::process::{Command, Output};
use std::time::Duration;

use common::Site;

fn check(site: &Site, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_conceptlab"))
        .arg("check")
        .args(["--root", site.root().to_str().unwrap()])
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn assert_has(text: &str, needles: &[&str]) {
    for needle in needles {
        assert!(text.contains(needle), "missing `{needle}` in:\n{text}");
    }
}

/// The fixture with every lesson finished: flash cards and questions everywhere.
fn finished() -> Site {
    let site = Site::fixture("mini");
    let extras = "questions:\n  - { level: beginner, q: Why?, answer: A., senior: B. }\n\
                  flashcards:\n  - { front: F, back: B }\n";
    site.write(
        "content/demo/001-first.md",
        format!("---\ntitle: First Steps\n{extras}---\nText.\n"),
    );
    site.write(
        "content/demo/003-last.md",
        format!("---\ntitle: Last Words\norder: 3\n{extras}---\nThe end.\n"),
    );
    site
}

#[test]
fn a_finished_site_checks_clean_even_with_strict() {
    let site = finished();
    let out = check(&site, &["--strict"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_has(&stderr(&out), &["no errors, no warnings"]);
    assert!(!site.public().exists(), "check must not write the site");
}

#[test]
fn warnings_name_the_lesson_and_leave_the_exit_status_at_zero() {
    let site = Site::fixture("mini");
    let out = check(&site, &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let err = stderr(&out);
    assert_has(
        &err,
        &[
            "warning: the lesson has no flash cards",
            "--> content/demo/001-first.md:2:1",
            "warning: the lesson has no questions",
            "content/demo/003-last.md:2:1",
            "the site builds",
        ],
    );
    // The draft is not warned about: unfinished is what a draft is.
    assert!(!err.contains("004-draft.md"), "{err}");
}

#[test]
fn strict_turns_warnings_into_a_failure() {
    let site = Site::fixture("mini");
    let out = check(&site, &["--strict"]);
    assert_eq!(out.status.code(), Some(1));
    assert_has(&stderr(&out), &["--strict counts warnings"]);
}

#[test]
fn each_kind_of_unfinished_part_is_warned_about_where_it_is() {
    let site = finished();
    site.write(
        "content/demo/004-draft.md",
        "---\ntitle: Problems\n\
         flow:\n  - { step: Only, detail: one }\n  - { step: Two, detail: steps }\n\
         questions:\n  - level: beginner\n    q: Is this answered?\n    answer: Partly.\n\
         flashcards:\n  - { front: Same, back: one }\n  - { front: Same, back: two }\n\
         ---\n## Core Theory\n\nSee ![](diagram.svg) here.\n",
    );
    site.write(
        "content/demo/diagram.svg",
        "<svg xmlns='http://www.w3.org/2000/svg'/>",
    );
    let out = check(&site, &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let err = stderr(&out);
    assert_has(
        &err,
        &[
            "the flow has 2 steps; a diagram needs at least 3",
            "content/demo/004-draft.md:3:1",
            "the question has no senior answer",
            "content/demo/004-draft.md:8:5",
            "two flash cards have the front `Same`",
            "content/demo/004-draft.md:12:7",
            "the image has no alt text",
            "content/demo/004-draft.md:16:5",
        ],
    );
}

#[test]
fn a_gap_in_the_order_numbers_is_a_warning_at_the_lesson_after_it() {
    let site = finished();
    std::fs::remove_file(site.root().join("content/demo/004-draft.md")).unwrap();
    site.write(
        "content/demo/007-later.md",
        "---\ntitle: Later\nquestions:\n  - { level: beginner, q: Why?, answer: A., senior: B. }\n\
         flashcards:\n  - { front: F, back: B }\n---\nText.\n",
    );
    let out = check(&site, &[]);
    let err = stderr(&out);
    assert_has(
        &err,
        &[
            "lesson order jumps from 3 to 7: 4 to 6 are missing",
            "--> content/demo/007-later.md",
            "003-last.md` comes before this one",
        ],
    );
}

#[test]
fn errors_are_the_builds_and_fail_the_check() {
    let site = Site::fixture("mini");
    site.write(
        "content/demo/001-first.md",
        "---\ntitle: First\n---\nSee [nothing](404-missing.md).\n",
    );
    let out = check(&site, &[]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    let build = site.build(&[]);
    assert_eq!(build.status, 1);
    // The build may print training progress before its errors.
    let first_error = build
        .stderr
        .lines()
        .find(|l| l.starts_with("error"))
        .unwrap();
    assert!(err.contains(first_error), "{first_error}\nnot in\n{err}");
    assert_has(
        &err,
        &[
            "content/demo/001-first.md:4:5",
            "`conceptlab build` would fail",
        ],
    );
}

#[test]
fn json_lists_every_diagnostic_for_editors() {
    let site = Site::fixture("mini");
    site.write(
        "content/demo/001-first.md",
        "---\ntitle: First\ntradeofs: [a]\n---\nText.\n",
    );
    let out = check(&site, &["--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["errors"], 1);
    assert_eq!(json["warnings"], 2, "{json:#}");
    let error = &json["diagnostics"][0];
    assert_eq!(error["severity"], "error");
    assert_eq!(error["file"], "content/demo/001-first.md");
    assert_eq!(error["line"], 3);
    assert_eq!(error["column"], 1);
    assert_eq!(error["message"], "unknown key `tradeofs`");
    assert_eq!(error["hint"], "did you mean `tradeoffs`?");
    let warning = &json["diagnostics"][1];
    assert_eq!(warning["severity"], "warning");
    assert_eq!(warning["file"], "content/demo/003-last.md");
}

#[test]
fn build_prints_json_too() {
    let site = Site::fixture("mini");
    site.write(
        "content/demo/001-first.md",
        "---\ntitle: First\norder: x\n---\n",
    );
    let out = Command::new(env!("CARGO_BIN_EXE_conceptlab"))
        .args(["build", "--format", "json", "--root"])
        .arg(site.root())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["errors"], 1);
    assert_eq!(json["diagnostics"][0]["line"], 3);
}

/// A web server on 127.0.0.1 for link checks: `/ok` answers 200, `/slow` never answers,
/// anything else 404. It serves a bounded number of requests.
fn link_server() -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for stream in listener.incoming().take(20) {
            let Ok(mut stream) = stream else { continue };
            std::thread::spawn(move || {
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let mut request = String::new();
                let _ = reader.read_line(&mut request);
                loop {
                    let mut header = String::new();
                    if reader.read_line(&mut header).unwrap_or(0) == 0 || header == "\r\n" {
                        break;
                    }
                }
                let status = match request.split_whitespace().nth(1) {
                    Some("/ok") => "200 OK",
                    Some("/slow") => {
                        std::thread::sleep(Duration::from_secs(4));
                        return;
                    }
                    _ => "404 Not Found",
                };
                let _ = write!(
                    stream,
                    "HTTP/1.1 {status}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                );
            });
        }
    });
    addr
}

#[test]
fn external_links_are_requested_only_with_external() {
    let addr = link_server();
    let site = finished();
    site.write(
        "content/demo/001-first.md",
        format!(
            "---\ntitle: First Steps\n\
             notes:\n  - {{ kind: tip, text: \"Gone: [x](http://{addr}/gone#top)\" }}\n\
             questions:\n  - {{ level: beginner, q: Why?, answer: A., senior: B. }}\n\
             flashcards:\n  - {{ front: F, back: B }}\n---\n\
             [fine](http://{addr}/ok), [gone](http://{addr}/gone#top), [slow](http://{addr}/slow).\n"
        ),
    );
    let quiet = check(&site, &[]);
    assert!(!stderr(&quiet).contains("/gone"), "{}", stderr(&quiet));

    let run = |extra: &[&str]| {
        let mut args = vec!["--external", "--timeout", "1"];
        args.extend_from_slice(extra);
        Command::new(env!("CARGO_BIN_EXE_conceptlab"))
            .arg("check")
            .args(["--root", site.root().to_str().unwrap()])
            .args(&args)
            .env("NO_COLOR", "1")
            .env_remove("http_proxy")
            .env_remove("HTTP_PROXY")
            .env_remove("all_proxy")
            .env_remove("ALL_PROXY")
            .output()
            .unwrap()
    };
    let out = run(&[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let err = stderr(&out);
    let gone = format!("the link to http://{addr}/gone#top answers 404 Not Found");
    assert_eq!(err.matches(&gone).count(), 2, "{err}");
    assert_has(
        &err,
        &[
            "content/demo/001-first.md:4:",
            "content/demo/001-first.md:10:",
            &format!("the link to http://{addr}/slow did not answer in time"),
        ],
    );
    assert!(!err.contains(&format!("http://{addr}/ok ")), "{err}");

    assert_eq!(run(&["--strict"]).status.code(), Some(1));
}

#[test]
fn an_empty_lesson_is_one_warning_at_its_title() {
    let site = Site::fixture("mini");
    site.write(
        "content/demo/005-later.md",
        "---\ntitle: Later\n---\n\n  \n",
    );
    let out = check(&site, &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let err = stderr(&out);
    assert_has(
        &err,
        &[
            "warning: the lesson is empty: no text and no parts",
            "--> content/demo/005-later.md:2:1",
        ],
    );
    // Not also "no flash cards" and "no questions" for it.
    let about_it = err
        .split("warning: ")
        .filter(|w| w.contains("005-later.md"))
        .count();
    assert_eq!(about_it, 1, "{err}");
    // A lesson with text is not empty.
    site.write(
        "content/demo/005-later.md",
        "---\ntitle: Later\n---\nSoon.\n",
    );
    let err = stderr(&check(&site, &[]));
    assert!(!err.contains("the lesson is empty"), "{err}");
}
