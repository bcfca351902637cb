//! A course in parts (`tests/fixtures/parts`): a welcome lesson, then the parts "Theory &
//! Basics" (lessons `1.1`, `1.2`, `1.10`, an image) and "Practice", each with a
//! `_part.md` intro; and a second course without parts. The course page shows a section
//! per part, the lesson page its part, numbering runs across the course, and search
//! records, review decks and Anki decks name the part. The deck picker and the search's
//! part filter are driven in Chromium.

use std::collections::BTreeSet;
use std::io::Read;

use crate::common;

use common::browser::probe_json;
use common::{Page, Site};

fn built() -> Site {
    let site = Site::fixture("parts");
    let run = site.build(&[]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    site
}

fn texts(page: &Page, css: &str) -> Vec<String> {
    page.all(css)
        .iter()
        .map(|e| e.text().collect::<String>().trim().to_string())
        .collect()
}

fn attrs(page: &Page, css: &str, name: &str) -> Vec<String> {
    page.all(css)
        .iter()
        .map(|e| e.value().attr(name).unwrap_or_default().to_string())
        .collect()
}

#[test]
fn the_course_page_has_a_section_per_part_with_its_intro_and_numbering_runs_across_parts() {
    let site = built();
    let page = site.page("book/index.html");
    assert_eq!(
        attrs(&page, "section.course-part", "id"),
        ["part-theory", "part-practice"]
    );
    assert_eq!(
        texts(&page, "section.course-part > h3"),
        ["Theory & Basics#", "Practice#"]
    );
    assert_eq!(
        texts(&page, "#part-theory > .lead"),
        ["What everything is made of."]
    );
    // The part's intro: its Markdown, its relative links from the part's folder, its
    // image and its footnote.
    let intro = &page.all("#part-theory > .prose")[0];
    let intro_html = intro.html();
    assert!(intro_html.contains("href=\"/book/roles/\""), "{intro_html}");
    assert!(
        intro_html.contains("src=\"/book/010-theory/images/diagram.png\""),
        "{intro_html}"
    );
    assert!(intro_html.contains("id=\"fn-why\""), "{intro_html}");
    assert!(
        intro_html.contains("Practice comes after, in <a href=\"/book/#part-practice\">"),
        "{intro_html}"
    );
    // Its `##` is a level below the part's own heading, not beside the course's.
    assert_eq!(
        texts(&page, "#part-practice > .prose h4"),
        ["How to practise#"]
    );
    assert_eq!(page.count("#part-practice > .prose h2"), 0);
    // The welcome comes before the parts; within a part, 1.10 after 1.2; numbers go on.
    let lessons = |css: &str| -> Vec<(String, String)> {
        page.all(css)
            .iter()
            .map(|li| {
                let value = li.value().attr("value").unwrap().to_string();
                let title = li
                    .select(&scraper::Selector::parse("a").unwrap())
                    .next()
                    .unwrap()
                    .text()
                    .collect();
                (value, title)
            })
            .collect()
    };
    let pairs = |list: &[(&str, &str)]| -> Vec<(String, String)> {
        list.iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    };
    assert_eq!(
        lessons("article.course > ol.lesson-list > li"),
        pairs(&[("1", "Welcome")])
    );
    assert_eq!(
        lessons("#part-theory ol.lesson-list > li"),
        pairs(&[("2", "Roles"), ("3", "Layers"), ("4", "A Look Ahead")])
    );
    assert_eq!(
        lessons("#part-practice ol.lesson-list > li"),
        pairs(&[("5", "The Drill"), ("6", "Recap")])
    );
    // The course's facts, here and on the home page's card.
    assert_eq!(
        texts(&page, ".course-header .facts > li")[0],
        "2 parts · 6 lessons"
    );
    let home = site.page("index.html");
    let facts = texts(&home, ".course-card .facts > li:first-child");
    assert_eq!(facts, ["2 parts · 6 lessons", "1 lesson"]);
}

#[test]
fn a_course_without_parts_keeps_its_single_list() {
    let site = built();
    let page = site.page("plain/index.html");
    assert_eq!(page.count("section.course-part"), 0);
    assert_eq!(texts(&page, "h2"), ["Lessons"]);
    assert_eq!(page.count("ol.lesson-list > li"), 1);
    let lesson = site.page("plain/only/index.html");
    assert_eq!(lesson.count(".crumb-part, .course-nav-part"), 0);
}

#[test]
fn a_lesson_shows_its_part_linked_to_its_section_and_the_side_list_marks_where_parts_begin() {
    let site = built();
    let page = site.page("book/drill/index.html");
    assert_eq!(
        page.attr(".crumbs .position", "aria-label"),
        "Lesson 5 of 6"
    );
    assert_eq!(page.attr(".crumb-part a", "href"), "/book/#part-practice");
    assert_eq!(page.text(".crumb-part a"), "Part: Practice");
    // The anchor it links exists on the course page.
    assert_eq!(site.page("book/index.html").count("#part-practice"), 1);
    // The side list: the welcome, then each part's title before its lessons.
    assert_eq!(
        texts(&page, ".course-nav details > *:not(summary)")
            .iter()
            .map(|t| t.split_whitespace().collect::<Vec<_>>().join(" "))
            .collect::<Vec<_>>(),
        [
            "Welcome",
            "Theory & Basics",
            "Roles Layers A Look Ahead",
            "Practice",
            "The Drill Recap"
        ]
    );
    assert_eq!(
        attrs(&page, ".course-nav-part a", "href"),
        ["/book/#part-theory", "/book/#part-practice"]
    );
    assert_eq!(
        attrs(&page, ".course-nav li", "value"),
        ["1", "2", "3", "4", "5", "6"]
    );
    // A lesson outside the parts shows none.
    assert_eq!(site.page("book/welcome/index.html").count(".crumb-part"), 0);
}

#[test]
fn previous_and_next_cross_part_boundaries() {
    let site = built();
    let last_of_theory = site.page("book/ahead/index.html");
    assert_eq!(
        last_of_theory.attr(".lesson-nav .prev", "href"),
        "/book/layers/"
    );
    assert_eq!(
        last_of_theory.attr(".lesson-nav .next", "href"),
        "/book/drill/"
    );
    let first_of_practice = site.page("book/drill/index.html");
    assert_eq!(
        first_of_practice.attr(".lesson-nav .prev", "href"),
        "/book/ahead/"
    );
    let welcome = site.page("book/welcome/index.html");
    assert_eq!(welcome.attr(".lesson-nav .next", "href"), "/book/roles/");
}

#[test]
fn links_across_parts_and_images_in_a_part_folder_lead_to_what_the_build_wrote() {
    let site = built();
    let roles = site.page("book/roles/index.html");
    let body = roles.all("#theory")[0].html();
    assert!(
        body.contains("href=\"/book/drill/#the-drill-itself\""),
        "{body}"
    );
    assert!(body.contains("href=\"/book/layers/\""), "{body}");
    assert!(
        body.contains("src=\"/book/010-theory/images/diagram.png\""),
        "{body}"
    );
    let layers = site.page("book/layers/index.html").all("#theory")[0].html();
    assert!(layers.contains("href=\"/book/#part-practice\""), "{layers}");
    let recap = site.page("book/recap/index.html").all("#theory")[0].html();
    assert!(recap.contains("href=\"/book/welcome/\""), "{recap}");
    // Every site-local link and image of every page leads to a file of the output, and
    // every `#anchor` on the course page to an id there.
    let mut checked = BTreeSet::new();
    for (rel, _) in common::tree(&site.public()) {
        if !rel.ends_with(".html") {
            continue;
        }
        let page = site.page(&rel);
        let urls = attrs(&page, "main a[href]", "href")
            .into_iter()
            .chain(attrs(&page, "main img[src]", "src"));
        for url in urls {
            let Some(path) = url.strip_prefix('/') else {
                continue;
            };
            let (path, anchor) = path.split_once('#').unwrap_or((path, ""));
            let file = match path {
                "" => "index.html".to_string(),
                p if p.ends_with('/') => format!("{p}index.html"),
                p => p.to_string(),
            };
            assert!(
                site.public().join(&file).is_file(),
                "{rel} links {url}: no {file}"
            );
            if !anchor.is_empty() && file == "book/index.html" {
                let target = site.page(&file);
                assert_eq!(target.count(&format!("[id=\"{anchor}\"]")), 1, "{url}");
            }
            checked.insert(url);
        }
    }
    assert!(checked.contains("/book/010-theory/images/diagram.png"));
    assert!(checked.contains("/book/#part-theory"));
}

#[test]
fn links_to_a_part_that_does_not_exist_and_broken_links_in_a_part_intro_fail_the_build() {
    let site = Site::fixture("parts");
    site.write(
        "content/book/010-theory/1.2-layers.md",
        "---\ntitle: Layers\n---\nSee [nothing](../_course.md#part-nope).\n",
    );
    let run = site.build(&[]);
    assert_ne!(run.status, 0);
    assert!(
        run.stderr
            .contains("content/book/_course.md has no heading or part with id `part-nope`"),
        "{}",
        run.stderr
    );

    let site = Site::fixture("parts");
    site.write(
        "content/book/020-practice/_part.md",
        "---\ntitle: Practice\n---\nSee [the missing](003-missing.md) and [away](#part-away).\n",
    );
    let run = site.build(&[]);
    assert_ne!(run.status, 0);
    assert!(
        run.stderr.contains("020-practice/_part.md")
            && run
                .stderr
                .contains("there is no lesson content/book/020-practice/003-missing.md")
            && run
                .stderr
                .contains("no heading or part with id `part-away`"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_heading_of_the_course_intro_never_takes_a_parts_id() {
    let site = Site::fixture("parts");
    site.write(
        "content/book/_course.md",
        "---\ntitle: The Book\n---\n## Part theory\n\nA heading whose id would be the part's.\n",
    );
    let run = site.build(&[]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let page = site.page("book/index.html");
    assert_eq!(page.count("#part-theory"), 1);
    assert_eq!(page.all("#part-theory")[0].value().name(), "section");
    assert_eq!(page.count(".prose h2#part-theory-1"), 1);
}

/// The search records in `pagefind/fragment/` (gzip'd JSON after a signature): url,
/// filters and meta of each.
fn search_records(site: &Site) -> Vec<serde_json::Value> {
    let dir = site.public().join("pagefind/fragment");
    let mut records = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let bytes = std::fs::read(entry.unwrap().path()).unwrap();
        let mut text = String::new();
        flate2::read::GzDecoder::new(&bytes[..])
            .read_to_string(&mut text)
            .unwrap();
        let json = text.strip_prefix("pagefind_dcd").unwrap();
        records.push(serde_json::from_str(json).unwrap());
    }
    records.sort_by_key(|r: &serde_json::Value| r["url"].as_str().unwrap().to_string());
    records
}

#[test]
fn search_records_have_a_part_filter_and_the_part_in_their_meta() {
    let site = built();
    let records = search_records(&site);
    let by_url = |url: &str| {
        records
            .iter()
            .find(|r| r["url"] == url)
            .unwrap_or_else(|| panic!("no record {url}"))
    };
    for url in [
        "/book/drill/",
        "/book/drill/#questions",
        "/book/drill/#flashcards",
    ] {
        let record = by_url(url);
        assert_eq!(
            record["filters"]["part"],
            serde_json::json!(["The Book › Practice"]),
            "{url}"
        );
        assert_eq!(record["meta"]["part"], "Practice", "{url}");
    }
    assert_eq!(
        by_url("/book/roles/")["filters"]["part"],
        serde_json::json!(["The Book › Theory & Basics"])
    );
    // Lessons in no part have no part, as before.
    for url in ["/book/welcome/", "/plain/only/", "/plain/only/#flashcards"] {
        let record = by_url(url);
        assert!(record["filters"].get("part").is_none(), "{url}");
        assert!(record["meta"].get("part").is_none(), "{url}");
    }
}

#[test]
fn review_decks_and_anki_decks_name_the_part() {
    let site = built();
    // Two courses with cards: the site's review page lists them, each a page of its own.
    let index = site.page("review/index.html");
    assert_eq!(index.count(".flashcard"), 0);
    assert_eq!(
        attrs(&index, "[data-review-course] a", "href"),
        ["/review/book/", "/review/plain/"]
    );
    assert_eq!(
        texts(&index, "[data-review-course] .review-count"),
        ["3 cards in 2 lessons", "1 card in 1 lesson"]
    );
    let review = site.page("review/book/index.html");
    assert_eq!(review.text("h1"), "Review flash cards: The Book");
    assert_eq!(review.attr(".crumbs a", "href"), "/review/");
    assert_eq!(
        texts(&review, ".deck-select option"),
        [
            "Every card",
            "The Book (3)",
            "The Book › Theory & Basics (1)",
            "The Book › Practice (2)",
        ]
    );
    assert_eq!(
        attrs(&review, ".deck-select option", "value"),
        ["", "book", "book/theory", "book/practice"]
    );
    assert_eq!(
        attrs(&review, ".review-lesson", "data-in-deck"),
        ["book/theory", "book/practice"]
    );
    assert_eq!(
        texts(&review, ".review-lesson h2 small"),
        ["The Book › Theory & Basics", "The Book › Practice"]
    );
    let plain = site.page("review/plain/index.html");
    assert_eq!(plain.count(".flashcard"), 1);
    // One deck, no parts: no picker.
    assert_eq!(plain.count(".deck-select"), 0);
    let decks = |file: &str| -> Vec<String> {
        site.read(&format!("public/{file}"))
            .lines()
            .filter(|l| !l.starts_with('#'))
            .map(|l| l.split('\t').nth(3).unwrap().to_string())
            .collect()
    };
    assert_eq!(
        decks("flashcards.tsv"),
        [
            "The Book::Theory & Basics::Roles",
            "The Book::Practice::The Drill",
            "The Book::Practice::The Drill",
            "Plain Course::The Only Lesson"
        ]
    );
    assert_eq!(
        decks("book/drill/flashcards.tsv"),
        ["The Book::Practice::The Drill"; 2]
    );
}

#[test]
fn a_site_of_one_course_without_parts_has_no_deck_picker() {
    let site = Site::fixture("mini");
    let run = site.build(&[]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let review = site.page("review/index.html");
    assert_eq!(review.count(".deck-select, [data-in-deck]"), 0);
}

#[test]
fn the_review_deck_picker_and_the_search_part_filter_work_in_the_browser() {
    let site = built();
    let seen = probe_json(
        &site.public(),
        include_str!("../probes/study/review-one-deck-and-search-one-part.js"),
        "{ height: 900 }",
        &[],
    );
    assert_eq!(
        seen["courses"],
        serde_json::json!(["/review/book/", "/review/plain/"]),
        "{seen}"
    );
    assert_eq!(seen["cardsOnIndex"], 0, "{seen}");
    assert_eq!(
        seen["decks"],
        serde_json::json!({
            "": ["card-3eb7262f6a", "card-4848e9857c", "card-41b325bfa7"],
            "book": ["card-3eb7262f6a", "card-4848e9857c", "card-41b325bfa7"],
            "book/practice": ["card-4848e9857c", "card-41b325bfa7"],
        }),
        "{seen}"
    );
    // Of the deck's two cards, one graded and one new (the course has two new ones left).
    let progress = seen["progress"].as_str().unwrap();
    assert!(progress.starts_with("0 cards due now, 1 new, "), "{seen}");
    assert_eq!(
        seen["due"],
        serde_json::json!(["1 card due now", ""]),
        "{seen}"
    );
    assert_eq!(
        seen["partOptions"],
        serde_json::json!([
            "All parts",
            "The Book › Practice",
            "The Book › Theory & Basics"
        ]),
        "{seen}"
    );
    assert_eq!(seen["partCourse"], "The Book", "{seen}");
    assert_eq!(
        seen["partOptionsInCourse"],
        serde_json::json!(["All parts", "Practice", "Theory & Basics"]),
        "{seen}"
    );
    assert_eq!(seen["partHiddenForPlain"], true, "{seen}");
    assert_eq!(
        seen["found"],
        serde_json::json!(["/book/drill/", "/book/recap/"]),
        "{seen}"
    );
    assert_eq!(seen["from"], "Practice", "{seen}");
}

/// axe-core audits the pages that show parts, in light and dark: no critical or serious
/// violation.
#[test]
fn pages_with_parts_have_no_critical_or_serious_axe_violation() {
    let site = built();
    let pages = ["/", "/book/", "/book/drill/", "/review/", "/review/book/"].map(String::from);
    crate::accessibility::assert_no_serious_violation(&site, &pages);
}
