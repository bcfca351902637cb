//! Publishing: the built site served from a sub-path (as on GitHub Pages) and from a
//! domain root works link by link; the Pages files and the workflow are there; search
//! finds flash cards and questions in a real browser.

use crate::common;

use std::collections::{BTreeSet, VecDeque};
use std::path::{Path, PathBuf};
use std::time::Duration;

use common::browser::{ProbeServer as Server, run_probe, serve, write_probe};
use common::{Page, Site};

fn get(url: &str) -> (u16, Vec<u8>) {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(10)))
        .build()
        .into();
    let mut response = agent.get(url).call().unwrap();
    let status = response.status().as_u16();
    let body = response.body_mut().read_to_vec().unwrap();
    (status, body)
}

fn build(site: &Site, base_url: &str) {
    let run = site.build(&["--base-url", base_url]);
    assert_eq!(run.status, 0, "{}", run.stderr);
}

/// Crawls every page reachable from the home page (plus 404.html) and checks that every
/// link, stylesheet, script and image resolves, and that every local URL stays under
/// `prefix`. Returns the pages visited.
fn crawl(server: &Server, prefix: &str) -> BTreeSet<String> {
    let origin = format!("http://{}", server.addr);
    let mut queue: VecDeque<String> =
        VecDeque::from([prefix.to_string(), format!("{prefix}404.html")]);
    let mut seen: BTreeSet<String> = queue.iter().cloned().collect();
    let mut pages = BTreeSet::new();
    while let Some(path) = queue.pop_front() {
        let (status, body) = get(&format!("{origin}{path}"));
        assert_eq!(status, 200, "{path} does not resolve");
        let is_html = path.ends_with('/') || path.ends_with(".html");
        if !is_html {
            continue;
        }
        pages.insert(path.clone());
        let page = Page::parse(&String::from_utf8(body).unwrap());
        let mut urls: Vec<String> = page
            .all("a[href], link[href], script[src], img[src], [data-index]")
            .iter()
            .filter_map(|e| {
                let v = e.value();
                v.attr("href")
                    .or(v.attr("src"))
                    .or(v.attr("data-index"))
                    .map(str::to_owned)
            })
            .collect();
        // The scripts lab.js fetches after the page (space-separated).
        for e in page.all("[data-scripts]") {
            let list = e.value().attr("data-scripts").unwrap();
            urls.extend(list.split_whitespace().map(str::to_owned));
        }
        for url in urls {
            if url.starts_with('#') || url.starts_with("mailto:") {
                continue;
            }
            let local = if let Some(rest) = url.strip_prefix("https://example.org") {
                // Canonical and feed URLs are absolute: they must point into the site too.
                rest.to_string()
            } else {
                assert!(!url.contains("://"), "{path} links to another host: {url}");
                url.clone()
            };
            let local = local.split('#').next().unwrap().to_string();
            assert!(
                local.starts_with(prefix),
                "{path} links outside {prefix}: {url}"
            );
            if seen.insert(local.clone()) {
                queue.push_back(local);
            }
        }
    }
    pages
}

fn all_files(dir: &Path) -> Vec<PathBuf> {
    common::tree(dir).into_keys().map(PathBuf::from).collect()
}

#[test]
fn a_sub_path_site_resolves_every_link_asset_and_search_file() {
    let site = Site::fixture("mini");
    build(&site, "https://example.org/course-repo/");
    let server = serve(&site.public(), "/course-repo/");
    let pages = crawl(&server, "/course-repo/");
    assert!(pages.contains("/course-repo/demo/everything/"), "{pages:?}");
    assert_eq!(
        pages.len(),
        1 + 1 + 1 + 3 + 1,
        "home, 404, course, lessons, flash-card review: {pages:?}"
    );
    for file in all_files(&site.public().join("pagefind")) {
        let url = format!(
            "http://{}/course-repo/pagefind/{}",
            server.addr,
            file.display()
        );
        assert_eq!(get(&url).0, 200, "{url}");
    }
}

#[test]
fn a_domain_root_site_resolves_every_link() {
    let site = Site::fixture("mini");
    build(&site, "https://example.org/");
    let server = serve(&site.public(), "/");
    let pages = crawl(&server, "/");
    assert_eq!(pages.len(), 7, "{pages:?}");
}

#[test]
fn github_pages_files_are_written() {
    let site = Site::fixture("mini");
    site.write(
        "site.yaml",
        format!("{}cname: learn.example.org\n", site.read("site.yaml")),
    );
    build(&site, "https://example.org/course-repo/");
    let public = site.public();
    assert!(public.join(".nojekyll").is_file());
    assert_eq!(site.read("public/CNAME"), "learn.example.org\n");
    let robots = site.read("public/robots.txt");
    assert!(
        robots.contains("Sitemap: https://example.org/course-repo/sitemap.xml"),
        "{robots}"
    );
    let sitemap = site.read("public/sitemap.xml");
    assert!(sitemap.contains("<loc>https://example.org/course-repo/demo/everything/</loc>"));
    assert_eq!(sitemap.matches("<url>").count(), 5, "{sitemap}");
    let feed = site.read("public/feed.xml");
    assert_eq!(feed.matches("<entry>").count(), 3, "{feed}");
    assert!(
        feed.contains("<title>Everything &lt;Escaped&gt;</title>"),
        "{feed}"
    );

    let lesson = site.page("demo/everything/index.html");
    assert_eq!(
        lesson.attr("link[rel=canonical]", "href"),
        "https://example.org/course-repo/demo/everything/"
    );
    assert_eq!(
        lesson.attr("meta[property='og:type']", "content"),
        "article"
    );
    assert_eq!(
        lesson.attr("meta[property='og:title']", "content"),
        "Everything <Escaped>"
    );
    assert_eq!(
        lesson.attr("meta[name='twitter:card']", "content"),
        "summary"
    );
    let styled_404 = site.page("404.html");
    assert!(
        styled_404
            .attr("link[rel=stylesheet][href*=style]", "href")
            .starts_with("/course-repo/assets/")
    );
}

#[test]
fn a_static_file_replaces_a_publishing_file_and_cannot_replace_a_page() {
    let site = Site::fixture("mini");
    site.write("static/robots.txt", "User-agent: *\nDisallow: /drafts/\n");
    build(&site, "https://example.org/course-repo/");
    // The site's own robots.txt, every time (two outputs at one path used to race).
    assert_eq!(
        site.read("public/robots.txt"),
        "User-agent: *\nDisallow: /drafts/\n"
    );

    site.write("static/index.html", "<p>mine</p>");
    site.write("static/demo/first/notes.txt", "x");
    site.write("static/pagefind/pagefind.js", "x");
    site.write("static/review/demo/index.html", "x");
    let run = site.build(&["--base-url", "https://example.org/course-repo/"]);
    assert_eq!(run.status, 1, "{}", run.stderr);
    for (file, what) in [
        (
            "static/index.html",
            "would take the place of a page of the site",
        ),
        ("static/demo/first/notes.txt", "a folder the build writes"),
        ("static/pagefind/pagefind.js", "a folder the build writes"),
        ("static/review/demo/index.html", "a folder the build writes"),
    ] {
        assert!(
            run.stderr.contains(file) && run.stderr.contains(what),
            "{file}: {}",
            run.stderr
        );
    }
    // The last good output stays.
    assert_eq!(
        site.read("public/robots.txt"),
        "User-agent: *\nDisallow: /drafts/\n"
    );
}

#[test]
fn a_course_may_not_take_the_folder_of_the_theme_the_index_or_the_review_pages() {
    let site = Site::fixture("mini");
    for name in ["assets", "pagefind", "review"] {
        site.write(
            &format!("content/{name}/_course.md"),
            "---\ntitle: Taken\n---\n",
        );
        site.write(
            &format!("content/{name}/001-one.md"),
            "---\ntitle: One\n---\nText.\n",
        );
    }
    let run = site.build(&[]);
    assert_eq!(run.status, 1, "{}", run.stderr);
    for name in ["assets", "pagefind", "review"] {
        assert!(
            run.stderr
                .contains(&format!("a course folder may not be called `{name}`")),
            "{name}: {}",
            run.stderr
        );
    }
}

#[test]
fn without_an_origin_there_is_no_sitemap_or_feed_but_the_site_works() {
    let site = Site::fixture("mini");
    build(&site, "/course-repo/");
    assert!(!site.public().join("sitemap.xml").exists());
    assert!(!site.public().join("feed.xml").exists());
    assert_eq!(
        site.page("demo/everything/index.html")
            .count("link[rel=canonical]"),
        0
    );
    let server = serve(&site.public(), "/course-repo/");
    assert_eq!(crawl(&server, "/course-repo/").len(), 7);
}

#[test]
fn the_pages_workflow_builds_with_the_pages_base_url_and_deploys() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(".github/workflows/pages.yml");
    let text = std::fs::read_to_string(path).unwrap();
    let workflow: serde_json::Value = yaml_serde::from_str(&text).unwrap();
    let jobs = workflow["jobs"].as_object().unwrap();
    assert_eq!(
        jobs.keys().collect::<Vec<_>>(),
        ["build", "deploy", "plan", "shard"]
    );
    let uses: Vec<&str> = jobs
        .values()
        .flat_map(|j| j["steps"].as_array().unwrap())
        .filter_map(|s| s["uses"].as_str())
        .collect();
    for action in [
        "actions/configure-pages",
        "actions/upload-pages-artifact",
        "actions/deploy-pages",
        "actions/cache/restore",
        "actions/cache/save",
    ] {
        assert!(
            uses.iter().any(|u| u.starts_with(action)),
            "{action} missing: {uses:?}"
        );
    }
    assert!(text.contains("--base-url \"${{ steps.pages.outputs.base_url }}/\""));
    assert_eq!(workflow["permissions"]["pages"], "write");
}

/// Runs a page in headless Chromium that searches the built index with Pagefind's own
/// script and posts the results back; returns them.
fn search_in_browser(site: &Site, queries: &str) -> String {
    let probe = include_str!("../probes/publish/search-with-pagefind.js");
    write_probe(&site.public(), probe, &format!("{{ args: {queries} }}"));
    run_probe(
        &site.public(),
        "/course-repo/",
        "/course-repo/__probe.html",
        &[],
        Duration::from_secs(60),
    )
    .unwrap_or_else(|| "timed out waiting for the browser".to_string())
}

/// The id of the first flash card on the mini fixture's `everything` lesson.
fn first_card_id(site: &Site) -> String {
    site.page("demo/everything/index.html")
        .all("button.flashcard")[0]
        .value()
        .attr("id")
        .unwrap()
        .to_string()
}

#[test]
fn search_finds_flash_cards_and_questions_with_filters() {
    let site = Site::fixture("mini");
    build(&site, "https://example.org/course-repo/");
    let result = search_in_browser(
        &site,
        r#"[["multiplier", { kind: "Flash card" }], ["origin", { kind: "Question", level: "Intermediate" }], ["neuron", { kind: "Lesson" }]]"#,
    );
    let lines: Vec<&str> = result.lines().collect();
    assert_eq!(lines.len(), 3, "{result}");
    let card_id = first_card_id(&site);
    assert_eq!(
        lines[0],
        format!(
            "multiplier => /course-repo/demo/everything/#flashcards [Flash card] > /course-repo/demo/everything/#{card_id}"
        )
    );
    assert_eq!(
        lines[1],
        "origin => /course-repo/demo/everything/#questions [Interview question] > /course-repo/demo/everything/#why-bias"
    );
    assert!(
        lines[2].starts_with("neuron => /course-repo/demo/everything/ [Lesson]"),
        "{result}"
    );
}

#[test]
fn search_can_be_turned_off() {
    let site = Site::fixture("mini");
    site.write(
        "site.yaml",
        format!("{}search: false\n", site.read("site.yaml")),
    );
    build(&site, "/");
    assert!(!site.public().join("pagefind").exists());
    assert_eq!(site.page("demo/everything/index.html").count(".search"), 0);
}

/// A site larger than one part of the index: the theme's own search box (typing into it
/// in the real page) finds lessons from the first part and from a later part, and the
/// course filter lists the courses of both.
#[test]
fn search_in_the_theme_covers_every_part_of_a_large_index() {
    let site = Site::fixture("mini");
    std::fs::create_dir_all(site.root().join("content/extra")).unwrap();
    site.write(
        "content/extra/_course.md",
        "---\ntitle: Extra Course\n---\n",
    );
    for i in 1..=260 {
        let word = if i == 260 { "quasarfinal" } else { "filler" };
        site.write(
            &format!("content/extra/{i:03}-gen-{i}.md"),
            format!("---\ntitle: Generated {i}\n---\nSome {word} text.\n"),
        );
    }
    build(&site, "/course-repo/");
    // 263 lessons: four parts of 53 and one of 51 (see `search::part_size`).
    let parts = site.read("public/pagefind/parts.json");
    assert_eq!(parts, r#"["part-1/","part-2/","part-3/","part-4/"]"#);
    assert!(
        site.public()
            .join("pagefind/part-4/pagefind-entry.json")
            .exists()
    );
    assert!(!site.public().join("pagefind/part-4/pagefind.js").exists());

    let probe = include_str!("../probes/publish/search-box-across-parts.js");
    write_probe(&site.public(), probe, "{}");
    let result = run_probe(
        &site.public(),
        "/course-repo/",
        "/course-repo/__probe.html",
        &[],
        Duration::from_secs(60),
    )
    .unwrap_or_else(|| "timed out waiting for the browser".to_string());
    let lines: Vec<&str> = result.lines().collect();
    assert_eq!(lines.len(), 6, "{result}");
    assert_eq!(lines[0], "/course-repo/extra/gen-260/", "{result}");
    // The theme links the flash card itself (the best sub-result of the lesson's deck).
    let card_id = first_card_id(&site);
    assert_eq!(
        lines[1],
        format!("/course-repo/demo/everything/#{card_id}"),
        "{result}"
    );
    assert!(
        lines[2].contains("Demo") && lines[2].contains("Extra Course"),
        "{result}"
    );
    assert_eq!(
        lines[3], "/course-repo/demo/everything/#q-when-does-a-single-neuron-fail",
        "{result}"
    );
    assert_eq!(lines[4], "Interview question · Expert", "{result}");
    assert_eq!(
        lines[5], "/course-repo/demo/everything/#why-bias",
        "{result}"
    );
}

#[test]
fn search_on_a_phone_stays_on_screen_and_finds_the_right_question() {
    let site = Site::example();
    let run = site.build(&[]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let seen = common::browser::probe_json(
        &site.public(),
        include_str!("../probes/publish/search-on-a-phone-finds-the-right-question.js"),
        "{ height: 800 }",
        &[],
    );
    // One row at rest; while searching, the box and a row of filters.
    let (at_rest, searching) = (
        seen["atRest"].as_f64().unwrap(),
        seen["searching"].as_f64().unwrap(),
    );
    assert!(at_rest < 70.0, "{seen:#}");
    assert!(searching < 110.0, "{seen:#}");
    let results = &seen["results"];
    assert!(results["left"].as_f64().unwrap() >= 0.0, "{seen:#}");
    assert!(
        results["right"].as_f64().unwrap() <= results["width"].as_f64().unwrap(),
        "{seen:#}"
    );
    let sigmoid = seen["sigmoid"].as_array().unwrap();
    assert!(sigmoid.len() >= 3, "{seen:#}");
    let excerpts: Vec<&str> = sigmoid
        .iter()
        .map(|r| r["excerpt"].as_str().unwrap())
        .collect();
    // Headings' anchors leave no `#` behind, and formulas read as formulas.
    assert!(
        excerpts
            .iter()
            .all(|e| !e.contains("id#") && !e.contains("Sigmoid#")),
        "{excerpts:#?}"
    );
    assert!(
        excerpts.iter().any(|e| e.contains("1/(1+e^(−z))")),
        "{excerpts:#?}"
    );
    assert!(
        excerpts.iter().all(|e| !e.contains("11+e−z")),
        "{excerpts:#?}"
    );
    // Two words: the question whose heading has both, not one that says "ReLU" more.
    assert_eq!(
        seen["deadRelu"][0]["url"], "/machine-learning/activation-functions/#dead-relu",
        "{seen:#}"
    );
    // A level filter alone links expert questions, each with its own text.
    let expert = seen["expert"].as_array().unwrap();
    assert!(!expert.is_empty(), "{seen:#}");
    for r in expert {
        assert!(r["kind"].as_str().unwrap().ends_with("Expert"), "{r}");
        let target = seen["targets"][r["url"].as_str().unwrap()]
            .as_str()
            .unwrap();
        let excerpt = r["excerpt"].as_str().unwrap().replace(['…'], "");
        let excerpt = excerpt.trim();
        assert!(
            excerpt
                .split_whitespace()
                .take(6)
                .all(|w| target.contains(w)),
            "the excerpt {excerpt:?} is not of the question it links: {target:?}"
        );
    }
}
