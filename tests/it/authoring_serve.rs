//! `conceptlab serve`: a change to one lesson re-renders only the pages that show it, a
//! template change re-renders everything, and the running server (on 127.0.0.1, a free
//! port) shows each save, serves the errors of a broken save in an overlay and over its
//! event stream, and recovers on the next good save. Every wait is a bounded poll.

use crate::common;

use std::io::{BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use common::Site;
use conceptlab::config::{BaseUrl, SiteConfig};
use conceptlab::load::{self, LoadOptions};
use conceptlab::render::{self, Selection};
use conceptlab::serve::live::{LiveOptions, LiveSite, Served};
use conceptlab::serve::{ServeOptions, start};

fn open(site: &Site) -> LiveSite {
    let (live, outcome) = LiveSite::open(LiveOptions {
        root: site.root().to_path_buf(),
        base_url: None,
        drafts: false,
    });
    assert!(outcome.errors.is_empty(), "{:?}", outcome.errors);
    live
}

fn changed(site: &Site, rel: &str) -> Vec<PathBuf> {
    vec![site.root().join(rel)]
}

const SECOND: &str = "content/demo/002-everything.md";

fn page_text(live: &LiveSite, path: &str) -> String {
    match &live.files()[path] {
        Served::Bytes(bytes) => String::from_utf8_lossy(bytes).into_owned(),
        Served::File(path) => std::fs::read_to_string(path).unwrap(),
    }
}

#[test]
fn a_body_edit_re_renders_only_that_lesson() {
    let site = Site::fixture("mini");
    let mut live = open(&site);
    let text = site
        .read(SECOND)
        .replace("Body text of the examples.", "New examples.");
    site.write(SECOND, text);
    let outcome = live.apply(&changed(&site, SECOND));
    assert!(outcome.errors.is_empty(), "{:?}", outcome.errors);
    assert!(!outcome.full);
    assert_eq!(outcome.rendered, ["demo/everything/index.html"]);
    assert!(page_text(&live, "demo/everything/index.html").contains("New examples."));
}

#[test]
fn a_new_title_re_renders_the_lesson_the_lessons_near_it_and_the_pages_that_list_it() {
    let site = Site::fixture("mini");
    let mut live = open(&site);
    let text = site
        .read(SECOND)
        .replace("title: Everything <Escaped>", "title: All Parts");
    site.write(SECOND, text);
    let outcome = live.apply(&changed(&site, SECOND));
    assert!(outcome.errors.is_empty(), "{:?}", outcome.errors);
    assert_eq!(
        outcome.rendered,
        [
            "demo/everything/index.html",
            "demo/first/index.html",
            "demo/index.html",
            "demo/last/index.html",
            "review/index.html",
        ]
    );
    // The neighbour's "next" link shows the new title.
    assert!(page_text(&live, "demo/first/index.html").contains("All Parts"));
}

#[test]
fn an_edit_to_a_lesson_in_a_part_re_renders_it_alone_and_a_part_file_renders_all() {
    let site = Site::fixture("parts");
    let mut live = open(&site);
    let drill = "content/book/020-practice/001-drill.md";
    let text = site
        .read(drill)
        .replace("until they stick.", "every morning.");
    site.write(drill, text);
    let outcome = live.apply(&changed(&site, drill));
    assert!(outcome.errors.is_empty(), "{:?}", outcome.errors);
    assert!(!outcome.full);
    assert_eq!(outcome.rendered, ["book/drill/index.html"]);
    let page = page_text(&live, "book/drill/index.html");
    assert!(page.contains("every morning."), "{page}");
    // Still in its part: the breadcrumb and the numbering are the full build's.
    assert!(
        page.contains(r#"<a href="/book/#part-practice"><span class="visually-hidden">Part: </span>Practice</a>"#),
        "{page}"
    );
    assert!(page.contains("Lesson 5 of 6"), "{page}");

    let part = "content/book/020-practice/_part.md";
    let text = site
        .read(part)
        .replace("title: Practice", "title: Exercises");
    site.write(part, text);
    let outcome = live.apply(&changed(&site, part));
    assert!(outcome.errors.is_empty(), "{:?}", outcome.errors);
    assert!(outcome.full);
    assert!(page_text(&live, "book/index.html").contains("Exercises"));
    assert!(
        page_text(&live, "book/drill/index.html")
            .contains(r#"<span class="visually-hidden">Part: </span>Exercises</a>"#)
    );
}

#[test]
fn a_template_change_re_renders_every_page() {
    let site = Site::fixture("mini");
    let mut live = open(&site);
    let all_pages: Vec<String> = live
        .files()
        .keys()
        .filter(|p| p.ends_with(".html"))
        .cloned()
        .collect();
    let base = String::from_utf8(
        conceptlab::theme::LAB
            .iter()
            .find(|(p, _)| *p == "templates/base.html")
            .unwrap()
            .1
            .to_vec(),
    )
    .unwrap();
    site.write(
        "templates/base.html",
        base.replace("<body>", "<body data-override=\"yes\">"),
    );
    let outcome = live.apply(&changed(&site, "templates/base.html"));
    assert!(outcome.errors.is_empty(), "{:?}", outcome.errors);
    assert!(outcome.full);
    assert_eq!(outcome.rendered, all_pages);
    assert!(page_text(&live, "index.html").contains("data-override"));
}

/// The theme's `base.html` with a mark on its `<body>`, as a site override.
fn marked_base_template(mark: &str) -> String {
    let base = conceptlab::theme::LAB
        .iter()
        .find(|(p, _)| *p == "templates/base.html")
        .unwrap()
        .1;
    String::from_utf8(base.to_vec())
        .unwrap()
        .replace("<body>", &format!("<body data-mark=\"{mark}\">"))
}

#[test]
fn saves_keep_the_compiled_templates_until_a_template_changes() {
    let site = Site::fixture("mini");
    site.write("templates/base.html", marked_base_template("one"));
    let mut live = open(&site);
    // The template changes on disk, but the watcher reports only a lesson and then
    // site.yaml: the pages are rendered with the templates compiled at the start.
    site.write("templates/base.html", marked_base_template("two"));
    let text = site
        .read(SECOND)
        .replace("Body text of the examples.", "New.");
    site.write(SECOND, text);
    let outcome = live.apply(&changed(&site, SECOND));
    assert!(outcome.errors.is_empty(), "{:?}", outcome.errors);
    assert!(page_text(&live, "demo/everything/index.html").contains("data-mark=\"one\""));
    let outcome = live.apply(&changed(&site, "site.yaml"));
    assert!(outcome.errors.is_empty(), "{:?}", outcome.errors);
    assert!(outcome.full);
    assert!(page_text(&live, "index.html").contains("data-mark=\"one\""));
    // A template change compiles them again, also when it comes in one batch after a
    // change that would keep them.
    let batch = [
        site.root().join("site.yaml"),
        site.root().join("templates/base.html"),
    ];
    let outcome = live.apply(&batch);
    assert!(outcome.errors.is_empty(), "{:?}", outcome.errors);
    assert!(page_text(&live, "index.html").contains("data-mark=\"two\""));
    assert!(page_text(&live, "demo/everything/index.html").contains("data-mark=\"two\""));
}

#[test]
fn a_broken_save_keeps_the_last_good_pages_and_the_next_good_save_clears_the_error() {
    let site = Site::fixture("mini");
    let mut live = open(&site);
    let good = site.read(SECOND);
    site.write(
        SECOND,
        good.replace("tags: [fixture, parts]", "tags: [fixture, parts"),
    );
    let outcome = live.apply(&changed(&site, SECOND));
    assert_eq!(outcome.errors.len(), 1);
    assert_eq!(
        outcome.errors[0].file,
        PathBuf::from("content/demo/002-everything.md")
    );
    assert!(page_text(&live, "demo/everything/index.html").contains("Everything"));

    site.write(SECOND, good);
    let outcome = live.apply(&changed(&site, SECOND));
    assert!(outcome.errors.is_empty(), "{:?}", outcome.errors);
    assert!(live.errors().is_empty());
}

#[test]
fn a_heading_removed_is_reported_in_the_lessons_that_link_to_it() {
    let site = Site::fixture("mini");
    let mut live = open(&site);
    // 003-last.md links to 002-everything.md#custom-detail.
    let text = site.read(SECOND).replace(" {#custom-detail}", "");
    site.write(SECOND, text);
    let outcome = live.apply(&changed(&site, SECOND));
    let messages: Vec<String> = outcome.errors.iter().map(|e| e.to_string()).collect();
    assert!(
        messages
            .iter()
            .any(|m| m.contains("content/demo/003-last.md") && m.contains("custom-detail")),
        "{messages:#?}"
    );
}

#[test]
fn a_broken_anchor_in_the_changed_lesson_is_found_in_the_lesson_it_points_to() {
    let site = Site::fixture("mini");
    let mut live = open(&site);
    let last = "content/demo/003-last.md";
    let text = site
        .read(last)
        .replace("#custom-detail", "#no-such-heading");
    site.write(last, text);
    let outcome = live.apply(&changed(&site, last));
    assert_eq!(outcome.errors.len(), 1, "{:?}", outcome.errors);
    assert_eq!(outcome.errors[0].file, PathBuf::from(last));
    assert!(outcome.errors[0].message.contains("no-such-heading"));
}

#[test]
fn a_selected_render_renders_the_chosen_lessons_and_every_page_that_is_not_a_lesson() {
    let site = Site::fixture("mini");
    let config = SiteConfig::load(site.root()).unwrap();
    let (loaded, errors) = load::load_site(site.root(), config, &LoadOptions::default());
    assert!(errors.is_empty(), "{errors:?}");
    let mut selection = Selection::default();
    selection.pages.insert("demo/first/index.html".to_string());
    selection.pages.insert("demo/index.html".to_string());
    let base = BaseUrl::parse("/").unwrap();
    let inputs = render::Inputs::for_site(&loaded, &base).unwrap();
    let known = std::collections::HashMap::new();
    let files = render::render(
        &loaded,
        &base,
        &conceptlab::sim::SimResults::default(),
        &inputs,
        render::RenderPlan::selected(&selection, &known),
    )
    .unwrap()
    .files;
    let mut pages: Vec<&str> = files
        .iter()
        .map(|f| f.path.as_str())
        .filter(|p| p.ends_with(".html"))
        .collect();
    pages.sort();
    // The other lessons' pages are not rendered; their summaries, missing from `known`,
    // were taken from a render of their Markdown.
    assert_eq!(
        pages,
        [
            "404.html",
            "demo/first/index.html",
            "demo/index.html",
            "index.html",
            "review/index.html"
        ]
    );
    let review = files
        .iter()
        .find(|f| f.path == "review/index.html")
        .unwrap();
    let conceptlab::output::Contents::Bytes(review) = &review.contents else {
        panic!("the review page is rendered");
    };
    assert!(String::from_utf8_lossy(review).contains("Everything &lt;Escaped&gt;"));
}

#[test]
fn output_files_and_editor_files_are_not_changes() {
    let site = Site::fixture("mini");
    let mut live = open(&site);
    site.write("public/index.html", "x");
    site.write("content/demo/.002-everything.md.swp", "x");
    let outcome = live.apply(&[
        site.root().join("public/index.html"),
        site.root().join("content/demo/.002-everything.md.swp"),
    ]);
    assert!(outcome.is_nothing());
}

/// The server on 127.0.0.1 and a free port, for `site`.
fn serve_on_a_free_port(site: &Site) -> conceptlab::serve::Server {
    start(
        ServeOptions {
            root: site.root().to_path_buf(),
            bind: "127.0.0.1".parse().unwrap(),
            port: 0,
            base_url: None,
            drafts: false,
        },
        Box::new(|_, _| {}),
    )
    .unwrap()
}

/// A GET over loopback: the status, the head and the body as text.
fn get(addr: SocketAddr, path: &str) -> (u16, String, String) {
    let (status, head, body) = common::http_get(addr, path);
    (status, head, String::from_utf8_lossy(&body).into_owned())
}

/// Polls `condition` every 50 ms for at most 15 s.
fn eventually(what: &str, mut condition: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(15);
    while Instant::now() < deadline {
        if condition() {
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("timed out waiting for {what}");
}

#[test]
fn the_server_shows_each_save_and_the_errors_of_a_broken_one() {
    let site = Site::fixture("mini");
    let server = serve_on_a_free_port(&site);
    let addr = server.addr();
    assert!(addr.ip().is_loopback());

    let (status, head, body) = get(addr, "/demo/first/");
    assert_eq!(status, 200);
    assert!(
        head.to_ascii_lowercase()
            .contains("content-type: text/html; charset=utf-8")
    );
    assert!(body.contains("First Steps"));
    assert!(
        body.contains("/__conceptlab/events"),
        "no live-reload script"
    );
    assert!(
        !site.public().exists(),
        "serve must not write the output folder"
    );

    // A save shows up on the next request.
    let first = "content/demo/001-first.md";
    site.write(
        first,
        site.read(first)
            .replace("A short lesson.", "A changed lesson."),
    );
    eventually("the saved text", || {
        get(addr, "/demo/first/").2.contains("A changed lesson.")
    });

    // Listen for events, then break the lesson.
    // Subscribed before the break below.
    let mut events = common::subscribe(addr);
    let mut line = String::new();
    let good = site.read(first);
    site.write(first, good.replace("title: First Steps", "title: [First"));
    // Read `problems` events until one names the broken line (an editor's save may be
    // seen half-written first); the stream's read timeout bounds the wait.
    let mut problems = String::new();
    while !problems.contains("content/demo/001-first.md:2:") {
        line.clear();
        assert!(events.read_line(&mut line).unwrap() > 0, "stream closed");
        if line.starts_with("event: problems") {
            problems.clear();
            loop {
                line.clear();
                events.read_line(&mut line).unwrap();
                if line.trim().is_empty() {
                    break;
                }
                problems.push_str(line.trim_start_matches("data: "));
            }
        }
    }
    assert!(
        problems.contains("content/demo/001-first.md:2:"),
        "{problems}"
    );

    // The page still serves the last good version, with the errors over it, escaped.
    let (status, _, body) = get(addr, "/demo/first/");
    assert_eq!(status, 200);
    assert!(body.contains("A changed lesson."));
    assert!(body.contains("id=\"conceptlab-overlay\""));
    assert!(body.contains("content/demo/001-first.md:2:"));

    // The next good save clears it.
    site.write(first, good);
    eventually("the overlay to go", || {
        !get(addr, "/demo/first/")
            .2
            .contains("id=\"conceptlab-overlay\"")
    });
}

#[test]
fn the_server_maps_paths_like_a_static_host_and_refuses_traversal() {
    let site = Site::fixture("mini");
    let server = serve_on_a_free_port(&site);
    let addr = server.addr();
    let (status, head, _) = get(addr, "/demo");
    assert_eq!(status, 308);
    assert!(head.contains("location: /demo/"), "{head}");
    let (status, _, body) = get(addr, "/no/such/page/");
    assert_eq!(status, 404);
    assert!(body.contains("/__conceptlab/events"));
    let (status, _, _) = get(addr, "/../site.yaml");
    assert_ne!(status, 200);
    let (status, _, body) = get(addr, "/%2e%2e/site.yaml");
    assert_eq!(status, 400);
    assert!(!body.contains("title:"));
    let css = server_asset(addr, "/");
    let (status, head, _) = get(addr, &css);
    assert_eq!(status, 200);
    assert!(head.contains("content-type: text/css"), "{head}");
}

/// The URL of the stylesheet the home page links to.
fn server_asset(addr: SocketAddr, page: &str) -> String {
    let body = get(addr, page).2;
    let start = body.find("/assets/style.").unwrap();
    let end = start + body[start..].find('"').unwrap();
    body[start..end].to_string()
}

/// Polls `live` for finished trainings for at most 120 s; returns the pages re-rendered.
fn wait_for_training(live: &mut LiveSite) -> Vec<String> {
    let deadline = Instant::now() + Duration::from_secs(120);
    while Instant::now() < deadline {
        let outcome = live.poll();
        assert!(outcome.errors.is_empty(), "{:?}", outcome.errors);
        for (label, result) in &outcome.trained {
            assert!(result.is_ok(), "{label}: {result:?}");
        }
        if !outcome.rendered.is_empty() {
            return outcome.rendered;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("no simulation finished training within 120 s");
}

/// The artifact URL the sweep explorer of the "everything" lesson fetches, if it has data.
fn drill_artifact(live: &LiveSite) -> Option<String> {
    let page = common::Page::parse(&page_text(live, "demo/everything/index.html"));
    let url = page.attr("section#explore-drill", "data-artifact");
    (!url.is_empty()).then_some(url)
}

fn cached_files(site: &Site) -> usize {
    std::fs::read_dir(site.root().join(".cache/simulations"))
        .map(|dir| dir.count())
        .unwrap_or(0)
}

#[test]
fn simulations_train_in_the_background_and_retrain_only_when_their_spec_changes() {
    let site = Site::fixture("mini");
    let (mut live, outcome) = LiveSite::open(LiveOptions {
        root: site.root().to_path_buf(),
        base_url: None,
        drafts: false,
    });
    assert!(outcome.errors.is_empty(), "{:?}", outcome.errors);
    // Nothing is cached yet: the page is served at once, with a placeholder.
    assert_eq!(outcome.training, ["demo/everything#drill"]);
    assert_eq!(drill_artifact(&live), None);
    assert!(page_text(&live, "demo/everything/index.html").contains("being computed"));

    // When the data is ready, the lesson's page (only) is rendered again, with its data.
    assert_eq!(wait_for_training(&mut live), ["demo/everything/index.html"]);
    let first = drill_artifact(&live).expect("the explorer has its data");
    assert!(
        live.files().contains_key(first.trim_start_matches('/')),
        "{first}"
    );
    assert_eq!(cached_files(&site), 1);

    // Editing the text keeps the data: nothing trains, no placeholder.
    let text = site
        .read(SECOND)
        .replace("Body text of the examples.", "New examples.");
    site.write(SECOND, text);
    let outcome = live.apply(&changed(&site, SECOND));
    assert!(outcome.errors.is_empty(), "{:?}", outcome.errors);
    assert!(outcome.training.is_empty());
    assert_eq!(drill_artifact(&live).as_deref(), Some(first.as_str()));
    assert!(live.files().contains_key(first.trim_start_matches('/')));

    // Changing the spec retrains that simulation, in the background.
    let text = site
        .read(SECOND)
        .replace("{ kind: circle, n: 100 }", "{ kind: circle, n: 120 }");
    assert_ne!(
        text,
        site.read(SECOND),
        "the fixture's spec changed; update this test"
    );
    site.write(SECOND, text);
    let outcome = live.apply(&changed(&site, SECOND));
    assert!(outcome.errors.is_empty(), "{:?}", outcome.errors);
    assert_eq!(outcome.training, ["demo/everything#drill"]);
    assert_eq!(drill_artifact(&live), None);
    assert_eq!(wait_for_training(&mut live), ["demo/everything/index.html"]);
    let second = drill_artifact(&live).expect("the explorer has its new data");
    assert_ne!(second, first);
    assert_eq!(cached_files(&site), 2);

    // Going back to the first spec finds it in the cache: no training at all.
    let text = site
        .read(SECOND)
        .replace("{ kind: circle, n: 120 }", "{ kind: circle, n: 100 }");
    site.write(SECOND, text);
    let outcome = live.apply(&changed(&site, SECOND));
    assert!(outcome.training.is_empty());
    assert_eq!(drill_artifact(&live).as_deref(), Some(first.as_str()));
}

/// The running server: a simulation that finishes training in the background makes the
/// open tabs reload, and the page then links to its data, which is served.
#[test]
fn the_server_reloads_the_page_when_its_simulation_is_trained() {
    let site = Site::fixture("mini");
    let server = serve_on_a_free_port(&site);
    let addr = server.addr();
    let mut events = TcpStream::connect(addr).unwrap();
    events
        .set_read_timeout(Some(Duration::from_secs(120)))
        .unwrap();
    write!(
        events,
        "GET /__conceptlab/events HTTP/1.1\r\nHost: {addr}\r\n\r\n"
    )
    .unwrap();
    let mut events = BufReader::new(events);
    let mut line = String::new();
    let page = loop {
        // Training may finish before the subscription; the page tells.
        let (_, _, body) = get(addr, "/demo/everything/");
        if !body.contains("being computed") {
            break body;
        }
        line.clear();
        assert!(events.read_line(&mut line).unwrap() > 0, "stream closed");
    };
    let page = common::Page::parse(&page);
    let artifact = page.attr("section#explore-drill", "data-artifact");
    assert!(artifact.ends_with(".bin"), "{artifact}");
    // The artifact is binary: its bytes.
    let (status, _, body) = common::http_get(addr, &artifact);
    assert_eq!(status, 200);
    assert!(body.starts_with(b"CLSIM"));
}

/// A playground trained in the background: once its page is rendered again, its index
/// and every run's file (in a folder beside the page) are served.
#[test]
fn a_playground_trained_in_the_background_serves_every_run() {
    let site = Site::fixture("mini");
    site.write(
        "content/demo/009-play.md",
        "---
title: Play
simulations:
  - id: play
    kind: playground
    dataset: { kind: xor, n: 80 }
    hidden: [2]
    epochs: 10
    resolution: 8
    grid: { lr: [0.03, 0.3] }
widgets:
  - { kind: playground, simulation: play }
---
Body.
",
    );
    let (mut live, outcome) = LiveSite::open(LiveOptions {
        root: site.root().to_path_buf(),
        base_url: None,
        drafts: false,
    });
    assert!(outcome.errors.is_empty(), "{:?}", outcome.errors);
    assert!(outcome.training.contains(&"demo/play#play".to_string()));
    let mut rendered = Vec::new();
    while !rendered.contains(&"demo/play/index.html".to_string()) {
        rendered.extend(wait_for_training(&mut live));
    }
    let page = common::Page::parse(&page_text(&live, "demo/play/index.html"));
    let index = page.attr("section#explore-play", "data-artifact");
    let runs = page.attr("section#explore-play", "data-runs");
    assert!(
        live.files().contains_key(index.trim_start_matches('/')),
        "{index}"
    );
    for run in 0..2 {
        let path = format!("{}{run}.bin", runs.trim_start_matches('/'));
        assert!(live.files().contains_key(&path), "{path} is not served");
    }
}
