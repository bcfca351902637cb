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
            "#reorder",
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
    assert_eq!(home.attr(".course-card h3 a", "href"), "/demo/");
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
    let lazy = page.all("[data-scripts]");
    assert!(!lazy.is_empty());
    for el in lazy {
        for url in el.value().attr("data-scripts").unwrap().split_whitespace() {
            assert!(url.starts_with("/course-repo/assets/"), "{url}");
        }
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

#[test]
fn the_course_s_lessons_are_listed_beside_the_lesson_with_this_one_current() {
    let site = built();
    let page = site.page(LESSON);
    let links: Vec<String> = page
        .all(".course-nav li a")
        .iter()
        .map(|a| a.value().attr("href").unwrap().to_string())
        .collect();
    assert_eq!(links, ["/demo/first/", "/demo/everything/", "/demo/last/"]);
    assert_eq!(
        page.attr(".course-nav a[aria-current]", "href"),
        "/demo/everything/"
    );
    assert_eq!(page.count(".course-nav a[aria-current]"), 1);
    // A short course needs no link to the rest.
    assert_eq!(page.count(".course-nav-all"), 0);
}

#[test]
fn a_long_course_lists_the_fifteen_lessons_around_this_one() {
    let site = Site::fixture("mini");
    for n in 10..50 {
        site.write(
            &format!("content/demo/{n:03}-extra-{n}.md"),
            format!("---\ntitle: Extra {n}\n---\nText.\n"),
        );
    }
    let run = site.build(&[]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let page = site.page("demo/extra-30/index.html");
    let titles: Vec<String> = page
        .all(".course-nav li a")
        .iter()
        .map(|a| a.text().collect())
        .collect();
    assert_eq!(titles.len(), 15, "{titles:?}");
    assert_eq!(titles[7], "Extra 30");
    assert_eq!(page.text(".course-nav-all a"), "All 43 lessons");
    assert_eq!(page.attr(".course-nav-all a", "href"), "/demo/");
    // The list starts at the first lesson near the start of the course.
    let first = site.page("demo/first/index.html");
    assert_eq!(first.text(".course-nav li:first-child a"), "First Steps");
}

#[test]
fn each_part_heading_has_its_icon_drawn_by_the_stylesheet() {
    let site = built();
    let page = site.page(LESSON);
    let css_href = page.attr("link[rel=stylesheet][href*=\"/style.\"]", "href");
    let css =
        std::fs::read_to_string(site.public().join(css_href.trim_start_matches('/'))).unwrap();
    for part in LESSON_PARTS
        .iter()
        .filter(|p| !["theory", "notes"].contains(p))
    {
        let icon = match *part {
            p if p.starts_with("explore") => "explore",
            p => p,
        };
        assert_eq!(
            page.count(&format!("#{part} > h2.part-title.icon.icon-{icon}")),
            1,
            "#{part}"
        );
        assert!(
            css.contains(&format!(
                ".icon-{icon} {{ --icon: url(\"data:image/svg+xml,<svg "
            )),
            "no icon rule for {icon}"
        );
    }
    // No emoji and no inline SVG per heading: the page carries none of the drawing.
    assert_eq!(page.count("h2 svg"), 0);
}

#[test]
fn front_matter_examples_come_before_the_body_s_examples_text() {
    let site = built();
    let page = site.page(LESSON);
    let example = page.source.find("class=\"example example-").unwrap();
    let body = page.source.find("Body text of the examples.").unwrap();
    assert!(example < body);
}

#[test]
fn every_page_links_the_favicon_and_it_is_published() {
    let site = built();
    for rel in [LESSON, "index.html", "demo/index.html", "404.html"] {
        let page = site.page(rel);
        let href = page.attr("link[rel=icon]", "href");
        assert!(href.ends_with(".svg"), "{rel}: {href}");
        let file = site.public().join(href.trim_start_matches('/'));
        assert!(
            std::fs::read_to_string(&file).unwrap().starts_with("<svg"),
            "{rel}: {href}"
        );
    }
}

#[test]
fn home_and_course_pages_say_what_each_course_and_lesson_holds() {
    let site = built();
    let home = site.page("index.html");
    let facts = home.text(".course-card .facts");
    assert!(facts.contains("3 lessons"), "{facts}");
    assert!(facts.contains("interview question"), "{facts}");
    assert!(facts.contains("flash card"), "{facts}");
    assert_eq!(home.attr(".course-start a", "href"), "/demo/first/");
    assert_eq!(home.count("a[href=\"/review/\"]"), 1);
    let course = site.page("demo/index.html");
    let lesson = course.text(".lesson-list li[data-lesson=\"demo/everything\"] .facts");
    assert!(lesson.contains("question"), "{lesson}");
    assert!(lesson.contains("card"), "{lesson}");
}

#[test]
fn the_home_page_links_the_review_only_when_the_site_has_flash_cards() {
    let site = Site::fixture("mini");
    for lesson in [
        "001-first.md",
        "002-everything.md",
        "003-last.md",
        "004-draft.md",
    ] {
        std::fs::remove_file(site.root().join("content/demo").join(lesson)).unwrap();
    }
    site.write("content/demo/001-only.md", "---\ntitle: Only\n---\nText.\n");
    site.write("content/demo/_course.md", "---\ntitle: Demo\n---\n");
    let run = site.build(&[]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert_eq!(site.page("index.html").count("a[href=\"/review/\"]"), 0);
}

#[test]
fn a_course_icon_can_be_an_image_of_the_course_folder() {
    let site = Site::fixture("mini");
    let course = site
        .read("content/demo/_course.md")
        .replace("icon: \"🧪\"", "icon: flask.svg");
    site.write("content/demo/_course.md", &course);
    site.write(
        "content/demo/flask.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 4 4\"><rect width=\"4\" height=\"4\"/></svg>",
    );
    let run = site.build(&[]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let home = site.page("index.html");
    assert_eq!(
        home.attr(".course-card img.course-icon", "src"),
        "/demo/flask.svg"
    );
    assert_eq!(home.attr(".course-card img.course-icon", "alt"), "");
    let lesson = site.page(LESSON);
    assert_eq!(
        lesson.attr(".crumbs img.course-icon", "src"),
        "/demo/flask.svg"
    );
    assert!(site.public().join("demo/flask.svg").is_file());
    // A name that is no file of the course folder is an error at its line.
    std::fs::remove_file(site.root().join("content/demo/flask.svg")).unwrap();
    let run = site.build(&[]);
    assert_ne!(run.status, 0);
    assert!(
        run.stderr.contains("_course.md:4:")
            && run
                .stderr
                .contains("the icon `flask.svg` is not a file of the course folder"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_percent_encoded_link_finds_the_lesson_file_it_names() {
    let site = Site::fixture("mini");
    site.write(
        "content/demo/005-do’s.md",
        "---\ntitle: Dos and don'ts\n---\nText.\n",
    );
    site.write(
        "content/demo/006-links.md",
        "---\ntitle: Links\n---\nSee [the dos](005-do%E2%80%99s.md).\n",
    );
    let run = site.build(&[]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let page = site.page("demo/links/index.html");
    let target = page
        .all(".course-nav li a")
        .into_iter()
        .find(|a| a.text().collect::<String>() == "Dos and don'ts")
        .and_then(|a| a.value().attr("href").map(str::to_owned))
        .unwrap();
    assert_eq!(page.attr(".lesson-body a[href*=\"do\"]", "href"), target);
    // A percent-encoded name that decodes to no file is still an error.
    site.write(
        "content/demo/006-links.md",
        "---\ntitle: Links\n---\nSee [gone](005-do%E2%80%99nt.md).\n",
    );
    let run = site.build(&[]);
    assert_ne!(run.status, 0);
    assert!(run.stderr.contains("005-do’nt.md"), "{}", run.stderr);
}

#[test]
fn a_course_without_lessons_says_so_instead_of_an_empty_list() {
    let site = Site::fixture("mini");
    site.write("content/empty/_course.md", "---\ntitle: Empty\n---\n");
    let run = site.build(&[]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let page = site.page("empty/index.html");
    assert_eq!(page.count(".lesson-list"), 0);
    assert_eq!(
        page.text(".course .hint"),
        "This course has no lessons yet."
    );
    let home = site.page("index.html");
    assert_eq!(
        home.count(".course-card[data-course=empty] .course-start"),
        0
    );
}

#[test]
fn footnotes_of_a_course_intro_keep_their_text() {
    let site = Site::fixture("mini");
    let intro = site.read("content/demo/_course.md");
    site.write(
        "content/demo/_course.md",
        format!("{intro}\nA claim.[^why]\n\n[^why]: The reason for it.\n"),
    );
    let run = site.build(&[]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let page = site.page("demo/index.html");
    assert_eq!(page.attr(".prose .footnote-reference a", "href"), "#fn-why");
    assert_eq!(
        page.text(".prose .footnotes #fn-why p"),
        "The reason for it."
    );
}

#[test]
fn a_course_s_last_lesson_links_the_next_course_with_lessons() {
    let site = Site::fixture("mini");
    site.write(
        "content/empty/_course.md",
        "---\ntitle: Empty\norder: 2\n---\n",
    );
    site.write(
        "content/more/_course.md",
        "---\ntitle: More\norder: 3\n---\n",
    );
    site.write("content/more/001-on.md", "---\ntitle: On\n---\nText.\n");
    let run = site.build(&[]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let last = site.page("demo/last/index.html");
    assert_eq!(last.attr(".lesson-nav a.next-course", "href"), "/more/");
    assert_eq!(last.text(".lesson-nav a.next-course"), "Next course → More");
    // Not a `rel="next"` link: `j` stays within the course.
    assert_eq!(last.count(".lesson-nav a[rel=next]"), 0);
    // Other lessons link their next lesson; the last course has nothing after it.
    assert_eq!(site.page(LESSON).count(".lesson-nav a.next-course"), 0);
    assert_eq!(
        site.page("more/on/index.html").count(".lesson-nav a.next"),
        0
    );
}
