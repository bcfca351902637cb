//! Simulation specs are checked before anything trains: unknown kinds and keys, wrong
//! types, bad values, keys of another kind, widgets of the wrong kind, a grid over the
//! cost limit and a page over its data budget are errors that name the file, the line of
//! the offending key and what was expected, all of them at once.

use crate::common;

use common::{Run, Site, run};

const TINY: &str = "content/lab/001-tiny.md";

/// The fixture with the first lines of `001-tiny.md`'s front-matter replaced by `head`
/// (which must open with `---` and end before `widgets:`).
fn with_simulations(simulations: &str, widgets: &str) -> Site {
    let site = Site::fixture("sims");
    site.write(
        TINY,
        format!("---\ntitle: Tiny\nsimulations:\n{simulations}widgets:\n{widgets}---\nBody.\n"),
    );
    site
}

pub(crate) fn check(site: &Site) -> Run {
    run(&["check", "--root", site.root().to_str().unwrap()])
}

pub(crate) fn assert_has(out: &Run, needles: &[&str]) {
    for needle in needles {
        assert!(
            out.stderr.contains(needle),
            "missing `{needle}` in:\n{}",
            out.stderr
        );
    }
}

const SWEEP_WIDGET: &str = "  - { kind: sweep-explorer, simulation: a }\n";

#[test]
fn the_fixture_checks_clean() {
    let site = Site::fixture("sims");
    let out = check(&site);
    assert_eq!(out.status, 0, "{}", out.stderr);
}

#[test]
fn an_unknown_kind_names_the_line_and_the_nearest_kind() {
    let site = with_simulations("  - id: a\n    kind: sweeep\n", "  - { kind: neuron }\n");
    let out = check(&site);
    assert_eq!(out.status, 1);
    assert_has(
        &out,
        &[
            "unknown value `sweeep`",
            "did you mean `sweep`?",
            &format!("{TINY}:5:"),
        ],
    );
}

#[test]
fn an_unknown_key_gets_a_did_you_mean_hint_at_its_line() {
    let site = with_simulations(
        "  - id: a\n    kind: sweep\n    epoch: 30\n    grid: { lr: [0.1] }\n",
        SWEEP_WIDGET,
    );
    let out = check(&site);
    assert_eq!(out.status, 1);
    assert_has(
        &out,
        &[
            "unknown key `epoch`",
            "did you mean `epochs`?",
            &format!("{TINY}:6:"),
        ],
    );
}

#[test]
fn a_wrong_type_in_the_grid_is_reported_at_its_line() {
    let site = with_simulations(
        "  - id: a\n    kind: sweep\n    grid:\n      hidden: [[4], wide]\n",
        SWEEP_WIDGET,
    );
    let out = check(&site);
    assert_eq!(out.status, 1);
    assert_has(&out, &["expected", &format!("{TINY}:7:")]);
}

#[test]
fn bad_values_are_each_reported_at_their_own_simulation_and_key() {
    // Two simulations with the same keys: each error points into its own block.
    let site = with_simulations(
        "  - id: a\n    kind: sweep\n    grid:\n      lr: [0.1, 1.0]\n\
         \x20 - id: b\n    kind: sweep\n    epochs: 0\n    grid:\n      lr: [0.1, -1]\n      hidden: [[4], [0]]\n",
        SWEEP_WIDGET,
    );
    let out = check(&site);
    assert_eq!(out.status, 1);
    assert_has(
        &out,
        &[
            "learning rate -1 is out of range",
            &format!("{TINY}:12:"),
            "`epochs: 0` is out of range",
            &format!("{TINY}:10:"),
            "widths must be 1 to 512",
            &format!("{TINY}:13:"),
        ],
    );
    assert!(
        !out.stderr.contains(&format!("{TINY}:7:")),
        "{}",
        out.stderr
    );
}

#[test]
fn keys_of_another_kind_and_a_default_off_the_grid_are_errors() {
    let site = with_simulations(
        "  - id: a\n    kind: sweep\n    seeds: 3\n    grid: { lr: [0.1, 1.0] }\n    default: { lr: 0.5, seed: 2 }\n",
        SWEEP_WIDGET,
    );
    let out = check(&site);
    assert_eq!(out.status, 1);
    assert_has(
        &out,
        &[
            "`seeds` is not a key of a `sweep` simulation",
            &format!("{TINY}:6:"),
            "the default `lr: 0.5` is not one of the grid's values",
            "`default` sets `seed`, which is not an axis of the grid",
            &format!("{TINY}:8:"),
        ],
    );
}

#[test]
fn learning_curve_sizes_must_increase_and_models_are_required() {
    let site = with_simulations(
        "  - id: a\n    kind: learning-curve\n    dataset:\n      kind: xor\n      sizes: [100, 50]\n",
        "  - { kind: learning-curve, simulation: a }\n",
    );
    let out = check(&site);
    assert_eq!(out.status, 1);
    assert_has(
        &out,
        &[
            "`sizes` must be increasing",
            &format!("{TINY}:8:"),
            "needs `models:`",
            &format!("{TINY}:4:"),
        ],
    );
}

#[test]
fn a_widget_of_the_wrong_kind_is_an_error() {
    let site = with_simulations(
        "  - id: a\n    kind: sweep\n    grid: { lr: [0.1] }\n",
        "  - { kind: failure-lab, simulation: a }\n",
    );
    let out = check(&site);
    assert_eq!(out.status, 1);
    assert_has(
        &out,
        &[
            "the `failure-lab` widget cannot show simulation `a`",
            "kind `failure-modes`",
            &format!("{TINY}:8:"),
        ],
    );
}

#[test]
fn a_grid_over_the_cost_limit_is_refused_with_the_estimate_and_the_limit() {
    let site = with_simulations(
        "  - id: a\n    kind: sweep\n    dataset: { kind: spirals, n: 2000 }\n    epochs: 2000\n\
         \x20   grid: { lr: [0.001, 0.01, 0.1], hidden: [[64, 64], [128, 128]], seed: [1, 2, 3, 4] }\n",
        SWEEP_WIDGET,
    );
    for out in [check(&site), site.build(&[])] {
        assert_eq!(out.status, 1);
        assert_has(
            &out,
            &[
                "this simulation would train 24 networks, about",
                "GFLOP (about",
                "the limit is 5 GFLOP (`simulations.max_gflop` in site.yaml)",
                &format!("{TINY}:4:"),
            ],
        );
        assert!(
            !out.stderr.contains("training "),
            "nothing trains: {}",
            out.stderr
        );
    }
}

#[test]
fn a_page_over_its_data_budget_lists_each_simulation() {
    let site = Site::fixture("sims");
    site.write(
        "site.yaml",
        "title: S\nsimulations: { max_gflop: 5, max_page_kb: 4 }\n",
    );
    for out in [check(&site), site.build(&[])] {
        assert_eq!(out.status, 1, "{}", out.stderr);
        assert_has(
            &out,
            &[
                "over the limit of 4 KB (`simulations.max_page_kb` in site.yaml)",
                "`sweep`",
                "`curve`",
                "`lab`",
                &format!("{TINY}:4:"),
            ],
        );
    }
}

#[test]
fn unknown_site_settings_are_errors() {
    let site = Site::fixture("sims");
    site.write("site.yaml", "title: S\nsimulations: { max_gflops: 5 }\n");
    let out = check(&site);
    assert_eq!(out.status, 1);
    assert_has(
        &out,
        &[
            "unknown key `max_gflops`",
            "did you mean `max_gflop`?",
            "site.yaml:2:",
        ],
    );
}

#[test]
fn an_id_that_starts_another_id_is_located_at_its_own_block() {
    // `a` is a prefix of `ab`, which comes first: the error is in `a`'s block.
    let site = with_simulations(
        "  - id: ab\n    kind: sweep\n    epochs: 10\n\
         \x20 - id: a\n    kind: learning-curve\n    epochs: 0\n    dataset: { kind: xor, n: 100, sizes: [10, 20] }\n    models: [{ name: m, hidden: [] }]\n",
        "  - { kind: learning-curve, simulation: a }\n",
    );
    let out = check(&site);
    assert_eq!(out.status, 1);
    assert_has(
        &out,
        &[
            "`epochs: 0` is out of range",
            &format!("{TINY}:9:"),
            "`n` is not a key of a `learning-curve` simulation",
            "A learning curve's points are `dataset.sizes`",
            &format!("{TINY}:10:"),
        ],
    );
    assert!(
        !out.stderr.contains(&format!("{TINY}:6:")),
        "{}",
        out.stderr
    );
}

#[test]
fn an_unknown_axis_is_an_error_at_its_line_and_check_trains_nothing() {
    let site = with_simulations(
        "  - id: a\n    kind: sweep\n    grid:\n      lr: [0.1]\n      momentum: [0.9]\n",
        SWEEP_WIDGET,
    );
    let out = check(&site);
    assert_eq!(out.status, 1);
    assert_has(
        &out,
        &[
            "unknown key `momentum`",
            "expected one of: lr, hidden, activation, l2, batch_size, seed",
            &format!("{TINY}:8:"),
        ],
    );
    let clean = Site::fixture("sims");
    assert_eq!(check(&clean).status, 0);
    assert!(!clean.root().join(".cache").exists(), "check never trains");
}
