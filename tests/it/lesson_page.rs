//! The lesson page as a reader gets it: every part of the anatomy, in order, readable
//! without JavaScript. Built from the `mini` fixture through the real binary.

use crate::common;

use common::{LESSON_PARTS, Site};

fn built() -> Site {
    let site = Site::fixture("mini");
    let run = site.build(&[]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    site
}

const LESSON: &str = "demo/everything/index.html";

#[test]
fn the_header_shows_course_position_title_and_summary() {
    let site = built();
    let page = site.page(LESSON);
    assert_eq!(page.text(".lesson-header .position"), "2 / 3");
    assert_eq!(page.text(".lesson-header h1"), "Everything <Escaped>");
    assert!(page.source.contains("Everything &lt;Escaped&gt;"));
    assert_eq!(page.attr(".lesson-header .crumbs a", "href"), "/demo/");
    assert_eq!(
        page.text(".lesson-header .lead"),
        "A lesson with every part: theory & more."
    );
    assert_eq!(page.count(".lesson-header .tags li"), 2);
}

#[test]
fn the_parts_appear_in_the_anatomy_order() {
    let site = built();
    let page = site.page(LESSON);
    let positions: Vec<usize> = LESSON_PARTS
        .iter()
        .map(|id| {
            page.source
                .find(&format!("<section id=\"{id}\""))
                .unwrap_or_else(|| panic!("no section #{id}"))
        })
        .collect();
    assert!(positions.windows(2).all(|w| w[0] < w[1]), "{positions:?}");
}

#[test]
fn previous_and_next_lessons_are_linked() {
    let site = built();
    let page = site.page(LESSON);
    assert_eq!(page.attr(".lesson-nav a.prev", "href"), "/demo/first/");
    assert_eq!(page.attr(".lesson-nav a.next", "href"), "/demo/last/");
    let first = site.page("demo/first/index.html");
    assert_eq!(first.count(".lesson-nav a.prev"), 0);
    assert_eq!(first.text(".lesson-header .position"), "1 / 3");
}

#[test]
fn drafts_are_left_out_unless_asked_for() {
    let site = built();
    assert!(!site.public().join("demo/draft").exists());
    let run = site.build(&["--drafts"]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert!(site.public().join("demo/draft/index.html").exists());
    assert_eq!(site.page(LESSON).text(".lesson-header .position"), "2 / 4");
}

#[test]
fn senior_answers_are_details_that_question_ids_point_to() {
    let site = built();
    let page = site.page(LESSON);
    assert_eq!(page.count("#questions article.question"), 3);
    assert_eq!(page.count("article.question details.senior > summary"), 3);
    // Each answer waits closed: the outline, then the senior answer.
    assert_eq!(
        page.count("article#why-bias[data-level=intermediate] details"),
        2
    );
    assert_eq!(
        page.count("article.question details.outline#why-bias-outline > summary"),
        1
    );
    assert_eq!(
        page.count("article#q-what-is-a-weight[data-level=beginner]"),
        1
    );
    // The other lesson's link to #why-bias resolved to this page.
    let last = site.page("demo/last/index.html");
    assert_eq!(last.count("a[href='/demo/everything/#why-bias']"), 1);
    assert_eq!(last.count("a[href='/demo/everything/#custom-detail']"), 1);
}

#[test]
fn flash_cards_are_buttons_with_both_faces() {
    let site = built();
    let page = site.page(LESSON);
    let cards = page.all("#flashcards button.flashcard[type=button]");
    assert_eq!(cards.len(), 2);
    assert_eq!(page.count("button.flashcard .card-front"), 2);
    assert_eq!(page.count("button.flashcard .card-back"), 2);
    assert_eq!(
        page.count("button.flashcard .card-back math"),
        1,
        "card backs render math"
    );
    let id = cards[0].value().attr("id").unwrap();
    assert!(id.starts_with("card-"), "{id}");
}

#[test]
fn code_is_highlighted_and_math_is_mathml() {
    let site = built();
    let page = site.page(LESSON);
    assert!(
        page.count("#walkthrough .code-block[data-lang=python] pre code.hl-code span[class]") > 3
    );
    assert!(page.count("#theory math") >= 2);
    assert_eq!(page.count("#theory math[display=block]"), 1);
    assert_eq!(page.count("#walkthrough ol.steps > li"), 2);
}

#[test]
fn markdown_extensions_render() {
    let site = built();
    let page = site.page(LESSON);
    assert_eq!(page.count("#theory aside.callout.callout-note"), 1);
    assert_eq!(page.count("#theory .table-wrap table"), 1);
    assert_eq!(page.count("#theory del"), 1);
    assert_eq!(page.count("#footnotes .footnote-definition"), 1);
    assert_eq!(
        page.count("#theory h3#custom-detail > a.anchor[href='#custom-detail']"),
        1
    );
    assert_eq!(page.count("#examples article.example.example-starter"), 1);
    assert!(
        page.text("#examples")
            .contains("Body text of the examples.")
    );
}

#[test]
fn the_table_of_contents_lists_headings_and_parts() {
    let site = built();
    let page = site.page(LESSON);
    let hrefs: Vec<String> = page
        .all("nav.toc a")
        .iter()
        .map(|a| a.value().attr("href").unwrap().to_string())
        .collect();
    assert_eq!(
        hrefs,
        [
            "#core-theory",
            "#custom-detail",
            "#tradeoffs",
            "#coverage",
            "#examples",
            "#flow",
            "#explore-neuron",
            "#explore-drill",
            "#walkthrough",
            "#questions",
            "#flashcards",
        ]
    );
}

#[test]
fn widgets_sit_between_the_flow_and_the_walkthrough() {
    let site = built();
    let page = site.page(LESSON);
    let at = |id: &str| page.source.find(&format!("<section id=\"{id}\"")).unwrap();
    assert!(at("flow") < at("explore-neuron"));
    assert!(at("explore-neuron") < at("explore-drill"));
    assert!(at("explore-drill") < at("walkthrough"));
    // The neuron needs no data; the sweep's data was trained by this build and is
    // drawn at build time, with the artifact next to the page.
    assert_eq!(page.count("#explore-neuron .widget-svg svg"), 2);
    assert_eq!(page.count("#explore-drill .widget-placeholder"), 0);
    assert!(page.count("#explore-drill svg") >= 1);
    let artifact = page.attr("section#explore-drill", "data-artifact");
    assert!(
        artifact.starts_with("/demo/everything/sim-drill."),
        "{artifact}"
    );
    let bytes = std::fs::read(site.public().join(artifact.trim_start_matches('/'))).unwrap();
    assert!(bytes.starts_with(b"CLSIM"));
}

#[test]
fn the_flow_is_an_svg_plus_an_ordered_list() {
    let site = built();
    let page = site.page(LESSON);
    assert_eq!(page.count("#flow svg.flow-diagram rect.flow-box"), 5);
    assert_eq!(page.count("#flow ol.flow-steps > li"), 5);
    assert_eq!(
        page.text("#flow ol.flow-steps > li:first-child"),
        "Inputs: Numbers arrive."
    );
}

#[test]
fn notes_coverage_and_tradeoffs_render_from_front_matter() {
    let site = built();
    let page = site.page(LESSON);
    assert_eq!(page.count("#notes aside.callout-tip"), 1);
    assert_eq!(
        page.text("#notes aside.callout-warning .callout-title"),
        "In production"
    );
    assert_eq!(
        page.count("#coverage input[type=checkbox][data-coverage]"),
        2
    );
    assert_eq!(page.count("#tradeoffs ul.tradeoffs li strong"), 1);
}

#[test]
fn pages_use_hashed_local_assets_and_no_third_party_host() {
    let site = built();
    for rel in ["index.html", "404.html", "demo/index.html", LESSON] {
        let page = site.page(rel);
        for el in page.all("link[href], script[src], img[src]") {
            let url = el.value().attr("href").or(el.value().attr("src")).unwrap();
            assert!(url.starts_with('/'), "{rel}: {url} is not local");
        }
        let css = page.attr("link[rel=stylesheet][href*=style]", "href");
        assert!(
            css.starts_with("/assets/style.") && css.ends_with(".css") && css.len() > 24,
            "{css}"
        );
        assert!(site.public().join(css.trim_start_matches('/')).is_file());
    }
}

#[test]
fn home_and_course_pages_list_what_they_contain() {
    let site = built();
    let home = site.page("index.html");
    assert_eq!(home.attr(".course-card a", "href"), "/demo/");
    let course = site.page("demo/index.html");
    let lessons: Vec<String> = course
        .all(".lesson-list li a")
        .iter()
        .map(|a| a.text().collect())
        .collect();
    assert_eq!(
        lessons,
        ["First Steps", "Everything <Escaped>", "Last Words"]
    );
    assert_eq!(course.count(".prose a[href='/demo/everything/']"), 1);
}

#[test]
fn a_sub_path_base_url_prefixes_every_link() {
    let site = Site::fixture("mini");
    let run = site.build(&["--base-url", "https://example.org/course-repo/"]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let page = site.page(LESSON);
    assert_eq!(
        page.attr(".lesson-nav a.next", "href"),
        "/course-repo/demo/last/"
    );
    for el in page.all("a[href^='/'], link[href^='/'], script[src^='/']") {
        let url = el.value().attr("href").or(el.value().attr("src")).unwrap();
        assert!(url.starts_with("/course-repo/"), "{url}");
    }
}

#[test]
fn course_files_and_static_files_are_copied_and_linked() {
    let site = Site::fixture("mini");
    site.write(
        "content/demo/images/dot.svg",
        "<svg xmlns='http://www.w3.org/2000/svg'/>",
    );
    site.write("static/robots-extra.txt", "hello");
    site.write(
        "content/demo/001-first.md",
        "---\ntitle: First\n---\n![A dot](images/dot.svg)\n\n[everything](002-everything.md)\n",
    );
    let run = site.build(&[]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let page = site.page("demo/first/index.html");
    assert_eq!(page.attr("img[alt='A dot']", "src"), "/demo/images/dot.svg");
    assert!(site.public().join("demo/images/dot.svg").is_file());
    assert_eq!(site.read("public/robots-extra.txt"), "hello");

    site.write(
        "content/demo/001-first.md",
        "---\ntitle: First\n---\n![Gone](images/gone.png)\n",
    );
    let run = site.build(&[]);
    assert_eq!(run.status, 1);
    assert!(
        run.stderr
            .contains("there is no file content/demo/images/gone.png"),
        "{}",
        run.stderr
    );
}
