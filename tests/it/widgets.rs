//! The widgets of a lesson page, rendered with hand-built simulation results: each kind's
//! section, heading, TOC entry, static SVG and artifact file; placeholders when data is
//! missing; escaping; determinism; the size of the static markup.

use crate::common;

use common::sims::{self, EXPLORE_LESSON};
use common::{Page, Site, tree};
use conceptlab::sim::SimResults;

const KEY: &str = "demo/explore";

fn site() -> Site {
    let site = Site::fixture("mini");
    site.write("content/demo/005-explore.md", EXPLORE_LESSON);
    site
}

fn all_results(remedy: &str) -> SimResults {
    sims::results(
        KEY,
        vec![
            ("drill", sims::sweep(200)),
            ("scaling", sims::learning_curve()),
            ("failures", sims::failure_modes(remedy)),
        ],
    )
}

fn build(site: &Site, base: &str, results: &SimResults) -> Page {
    sims::build_with(site.root(), &site.public(), base, results);
    site.page("demo/explore/index.html")
}

#[test]
fn each_widget_kind_renders_its_section_heading_toc_entry_svg_and_artifact() {
    let site = site();
    let results = all_results("Lower the learning rate.");
    let page = build(&site, "/", &results);
    let ids = [
        ("explore-neuron", "neuron", "Try a neuron"),
        ("explore-scaling", "learning-curve", "Learning curves"),
        ("explore-drill", "sweep-explorer", "Drill <down>"),
        ("explore-failures", "failure-lab", "Failure lab"),
    ];
    let mut positions = Vec::new();
    for (id, kind, title) in ids {
        let section = format!("section#{id}[data-widget={kind}]");
        assert_eq!(page.count(&section), 1, "{section}");
        assert_eq!(page.text(&format!("#{id} > h2")), format!("{title}#"));
        assert_eq!(page.count(&format!(".toc a[href=\"#{id}\"]")), 1, "{id}");
        assert!(page.count(&format!("#{id} .widget-svg svg")) >= 1, "{id}");
        positions.push(page.source.find(&format!("<section id=\"{id}\"")).unwrap());
    }
    // In front-matter order, after the flow (none here) and before the walkthrough.
    let walkthrough = page.source.find("<section id=\"walkthrough\"").unwrap();
    assert!(positions.windows(2).all(|w| w[0] < w[1]));
    assert!(*positions.last().unwrap() < walkthrough);
    assert!(page.source.contains("Drill &lt;down&gt;"));
    // The script comes only with widgets, fetched by lab.js once the page has loaded.
    assert_eq!(page.count("script[src*=\"widgets.\"]"), 0);
    assert!(page.count("section[data-widget][data-scripts*=\"/assets/widgets.\"]") >= 1);
    let first = site.page("demo/first/index.html");
    assert_eq!(first.count("[data-scripts*=\"widgets.\"]"), 0);

    for (id, sim) in [
        ("explore-scaling", "scaling"),
        ("explore-drill", "drill"),
        ("explore-failures", "failures"),
    ] {
        let artifact = results.get(KEY, sim).unwrap();
        let url = page.attr(&format!("section#{id}"), "data-artifact");
        assert_eq!(
            url,
            format!("/demo/explore/sim-{sim}.{}.bin", artifact.short_hash())
        );
        let bytes = std::fs::read(site.public().join(url.trim_start_matches('/'))).unwrap();
        assert!(
            bytes == artifact.bytes,
            "{sim}: the file holds the artifact's bytes"
        );
    }
    assert!(!page.source.contains("being computed"));
}

#[test]
fn texts_are_server_side_for_readers_without_javascript() {
    let site = site();
    let page = build(&site, "/", &all_results("Lower the learning rate."));
    // Sweep: every axis and its values; controls exist but wait for the script.
    let axes = page.text("#explore-drill .widget-axes");
    assert!(
        axes.contains("Learning rate: 0.001, 0.01, 0.1, 1"),
        "{axes}"
    );
    assert!(axes.contains("Hidden layers: 2, 4, 8-8"), "{axes}");
    assert_eq!(
        page.count(
            "#explore-drill .widget-controls.needs-js[hidden] fieldset[disabled] input[type=range]"
        ),
        3
    );
    assert_eq!(page.attr("#explore-drill input[name=lr]", "value"), "2");
    let caption = page.text("#explore-drill .widget-caption");
    assert!(
        caption.starts_with("Learning rate 0.1, Hidden layers 4: final train loss"),
        "{caption}"
    );
    // Failure lab: every mode's label, change, symptom and remedy, and the diverged run.
    assert_eq!(page.count("#explore-failures .widget-mode"), 3);
    let modes = page.text("#explore-failures .widget-mode-list");
    for text in [
        "Learning rate too high",
        "The loss jumps up",
        "Add hidden units.",
        "one hidden unit instead of 8-8",
    ] {
        assert!(modes.contains(text), "{text}: {modes}");
    }
    assert!(
        page.text("#explore-failures .widget-mode[data-mode=lr-too-high] dt")
            .contains("diverged")
    );
    assert!(page.source.contains("diverged: the loss left the chart"));
    assert_eq!(
        page.count("#explore-failures .wfig[data-fig=healthy] svg"),
        2
    );
    assert_eq!(page.count("#explore-failures .wfig[data-fig=mode] svg"), 2);
    // Learning curve: a table of the numbers.
    assert_eq!(page.count("#explore-scaling details table tbody tr"), 4);
    assert_eq!(page.count("#explore-scaling details table thead th"), 4);
    assert_eq!(page.count("#explore-scaling path.wband"), 3);
    // Neuron: five sliders and the activation select, the static view at the defaults.
    assert_eq!(page.count("#explore-neuron input[type=range]"), 5);
    assert_eq!(page.count("#explore-neuron select option"), 5);
    assert_eq!(
        page.text("#explore-neuron .widget-caption"),
        "Weighted sum z = 0.8 × 1 + (\u{2212}1.2) × 0.5 + 0.3 = 0.50; output sigmoid(z) = 0.62. \
         The input point is on the positive side of the line."
    );
    assert_eq!(
        page.count("#explore-neuron .wfig[data-fig=plane] svg > path.wdecision"),
        1
    );
}

#[test]
fn missing_data_gives_a_placeholder() {
    let site = site();
    let partial = sims::results(KEY, vec![("drill", sims::sweep(200))]);
    let page = build(&site, "/", &partial);
    for id in ["explore-scaling", "explore-failures"] {
        let text = page.text(&format!("#{id} .widget-placeholder"));
        assert!(text.contains("being computed"), "{text}");
        assert!(text.contains("reloads when it is ready"));
        assert_eq!(page.attr(&format!("section#{id}"), "data-artifact"), "");
        assert_eq!(page.count(&format!("#{id} svg.wsvg")), 0);
    }
    assert_eq!(page.count("#explore-drill .widget-placeholder"), 0);
    // Results of the wrong kind never panic either.
    let wrong = sims::results(KEY, vec![("drill", sims::learning_curve())]);
    let page = build(&site, "/", &wrong);
    assert!(
        page.text("#explore-drill .widget-placeholder")
            .contains("does not have the shape it needs")
    );
    build(&site, "/", &partial);
    let files: Vec<String> = tree(&site.public().join("demo/explore"))
        .into_keys()
        .collect();
    assert_eq!(
        files.iter().filter(|f| f.ends_with(".bin")).count(),
        1,
        "{files:?}"
    );
    // No results at all (`serve` while every simulation still trains): still a page,
    // never a panic.
    let page = build(&site, "/", &conceptlab::sim::SimResults::default());
    assert_eq!(page.count(".widget-placeholder"), 3);
}

#[test]
fn author_texts_are_escaped() {
    let site = site();
    let page = build(
        &site,
        "/",
        &all_results("Try <script>alert(1)</script> & wait"),
    );
    assert!(
        page.source
            .contains("Try &lt;script&gt;alert(1)&lt;&#x2F;script&gt; &amp; wait")
            || page
                .source
                .contains("Try &lt;script&gt;alert(1)&lt;/script&gt; &amp; wait")
    );
    assert!(!page.source.contains("<script>alert"));
    assert_eq!(page.count("#explore-failures script"), 0);
}

#[test]
fn output_is_deterministic_and_the_base_path_is_respected() {
    let site = site();
    let results = all_results("Lower the learning rate.");
    let one = site.root().join("out-1");
    let two = site.root().join("out-2");
    sims::build_with(site.root(), &one, "/course-repo/", &results);
    sims::build_with(
        site.root(),
        &two,
        "/course-repo/",
        &all_results("Lower the learning rate."),
    );
    assert_eq!(tree(&one), tree(&two));
    let page = Page::parse(&std::fs::read_to_string(one.join("demo/explore/index.html")).unwrap());
    assert!(
        page.attr("section#explore-drill", "data-artifact")
            .starts_with("/course-repo/demo/explore/sim-drill.")
    );
}

/// Static markup of each widget with realistic data (300 training points, 32x32 heatmaps,
/// 41 epochs) stays light.
#[test]
fn static_markup_stays_around_25_kb_per_widget() {
    let site = site();
    let results = sims::results(
        KEY,
        vec![
            ("drill", sims::sweep(300)),
            ("scaling", sims::learning_curve()),
            ("failures", sims::failure_modes("Lower the learning rate.")),
        ],
    );
    let page = build(&site, "/", &results);
    let mut sizes = Vec::new();
    for id in [
        "explore-neuron",
        "explore-scaling",
        "explore-drill",
        "explore-failures",
    ] {
        let size = page.all(&format!("section#{id}"))[0].html().len();
        sizes.push((id, size));
    }
    eprintln!("static markup per widget: {sizes:?}");
    for (id, size) in sizes {
        assert!(size < 27_000, "{id}: {size} bytes");
    }
}

/// The labels of `fig`'s figure in the widget `id`.
fn labels(page: &Page, id: &str, fig: &str) -> Vec<String> {
    page.all(&format!("#{id} .wfig[data-fig={fig}] text.wlabel"))
        .iter()
        .map(|t| t.text().collect())
        .collect()
}

#[test]
fn figures_have_nice_ticks_legends_and_the_sweeps_epoch_marker() {
    let site = site();
    let page = build(&site, "/", &all_results("Lower the learning rate."));
    // The loss chart over [0, 2]: ticks at a step of 1, 2, 2.5 or 5 times a power of ten
    // (here 0.5), and a legend.
    let loss = labels(&page, "explore-drill", "loss");
    for label in [
        "0",
        "0.5",
        "1",
        "1.5",
        "2",
        "train",
        "test",
        "epoch of the map",
    ] {
        assert!(loss.contains(&label.to_string()), "{label}: {loss:?}");
    }
    assert_eq!(
        page.count("#explore-drill .wfig[data-fig=loss] svg > path.wepoch"),
        1,
        "the static view marks the epoch of its map"
    );
    assert_eq!(
        page.attr("#explore-drill .wfig[data-fig=loss] svg", "viewBox"),
        "0 0 600 300"
    );
    assert_eq!(
        page.attr("#explore-drill .wfig[data-fig=map] svg", "viewBox"),
        "0 0 380 420"
    );
    // The failure lab's charts carry no marker: they show the final boundary.
    assert_eq!(page.count("#explore-failures path.wepoch"), 0);
    // Maps: ticks over [-1, 1] and a legend; the neuron's plane: ticks and a legend.
    let map = labels(&page, "explore-drill", "map");
    for label in [
        "\u{2212}1",
        "0.5",
        "class 0",
        "class 1",
        "predicts 0",
        "predicts 1",
    ] {
        assert!(map.contains(&label.to_string()), "{label}: {map:?}");
    }
    let plane = labels(&page, "explore-neuron", "plane");
    for label in ["\u{2212}2", "2", "z > 0 (shaded)", "z < 0", "z = 0"] {
        assert!(plane.contains(&label.to_string()), "{label}: {plane:?}");
    }
    // The learning curve's axis in whole percentages.
    let curve = labels(&page, "explore-scaling", "curve");
    assert!(curve.contains(&"100%".to_string()), "{curve:?}");
    // Sliders show their values with a minus sign; the inputs keep the ASCII one.
    assert_eq!(
        page.text("#explore-neuron input[name=w2] + output"),
        "\u{2212}1.2"
    );
    assert_eq!(page.attr("#explore-neuron input[name=w2]", "value"), "-1.2");
}

/// A failure mode's change reads as an author writes numbers: `0.03 / 1000` is
/// 0.000029999999999999997 in floating point, and was printed so.
#[test]
fn numbers_in_texts_carry_no_float_noise() {
    use conceptlab::sim::spec::num;
    assert_eq!(num(0.03 / 1000.0), "0.00003");
    assert_eq!(num(0.03 * 100.0), "3");
    assert_eq!(num(0.1 + 0.2), "0.3");
    assert_eq!(num(-1.0), "-1");
    let site = site();
    let page = build(&site, "/", &all_results("Lower the learning rate."));
    let all = page.text("main");
    assert!(
        !all.contains("0000000") && !all.contains("9999999"),
        "float noise on the page"
    );
}
