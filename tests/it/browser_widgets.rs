//! The widgets as a reader uses them, in headless Chromium: a site is rendered with
//! hand-built simulation results (see `common::sims`), served on 127.0.0.1 and opened in
//! a same-origin iframe of a probe page that drives the widgets and posts what it saw to
//! `POST /__report`. The probes are the JavaScript modules in `tests/probes/widgets/`.

use crate::common;

use common::Site;
use common::browser::probe_json;
use common::sims::{self, EXPLORE_LESSON};
use serde_json::Value;

/// Runs `script` (a probe module from `tests/probes/widgets/`) on the mini fixture with
/// every widget kind and hand-built results; returns its report.
fn in_browser(script: &str) -> Value {
    let site = Site::fixture("mini");
    site.write("content/demo/005-explore.md", EXPLORE_LESSON);
    let results = sims::results(
        "demo/explore",
        vec![
            ("drill", sims::sweep(200)),
            ("scaling", sims::learning_curve()),
            ("failures", sims::failure_modes("Lower the learning rate.")),
        ],
    );
    sims::build_with(site.root(), &site.public(), "/", &results);
    probe_json(&site.public(), script, "{ height: 700 }", &[])
}

/// A lesson with every widget and, below them, a long walkthrough and questions: the
/// targets of links that jump past the widgets.
const JUMP_LESSON: &str = "---
title: Jump
simulations:
  - { id: drill, kind: sweep }
  - { id: scaling, kind: learning-curve }
  - { id: failures, kind: failure-modes }
widgets:
  - { kind: neuron }
  - { kind: learning-curve, simulation: scaling }
  - { kind: sweep-explorer, simulation: drill }
  - { kind: failure-lab, simulation: failures }
questions:
  - id: why-wide
    level: beginner
    q: Why wide?
    answer: Because.
  - id: why-deep
    level: intermediate
    q: Why deep?
    answer: Because.
    senior: Depth composes features.
QUESTIONS---
## Theory

Text.

## Code Walkthrough

```python
WALK
```
";

#[test]
fn jumps_below_the_widgets_land_on_their_target() {
    let site = Site::fixture("mini");
    // Questions below the deep link's, so that it can scroll to the top.
    let more: String = (0..12)
        .map(|i| {
            format!("  - {{ id: more-{i}, level: beginner, q: \"More {i}?\", answer: \"Yes.\" }}\n")
        })
        .collect();
    let code = (0..80)
        .map(|i| format!("print({i})"))
        .collect::<Vec<_>>()
        .join("\n");
    site.write(
        "content/demo/006-jump.md",
        JUMP_LESSON
            .replace("WALK", &code)
            .replace("QUESTIONS", &more),
    );
    let results = sims::results(
        "demo/jump",
        vec![
            ("drill", sims::sweep(200)),
            ("scaling", sims::learning_curve()),
            ("failures", sims::failure_modes("Lower the learning rate.")),
        ],
    );
    sims::build_with(site.root(), &site.public(), "/", &results);
    let seen = probe_json(
        &site.public(),
        include_str!("../probes/widgets/jumps-below-the-widgets-land-on-their-target.js"),
        "{ height: 700 }",
        &[],
    );
    eprintln!("{seen:#}");
    assert_eq!(
        seen["staticStates"],
        serde_json::json!([null, null, null]),
        "the heights before were measured before any data loaded"
    );
    for (id, before) in seen["before"].as_object().unwrap() {
        let (before, after) = (
            before.as_f64().unwrap(),
            seen["after"][id].as_f64().unwrap(),
        );
        assert!(
            (before - after).abs() < 20.0,
            "{id}: {before} px as built, {after} px once loaded"
        );
    }
    assert_eq!(seen["smooth"], "smooth", "the TOC click scrolls smoothly");
    for how in ["byHash", "byDeepLink", "byToc"] {
        let top = seen[how]["top"].as_f64().unwrap();
        let margin = seen[how]["margin"].as_f64().unwrap();
        assert!(
            (top - margin).abs() <= 3.0,
            "{how}: the target is at {top} px, not at its scroll margin ({margin} px)"
        );
    }
}

#[test]
fn the_browser_redraws_the_figures_with_the_build_time_labels() {
    let seen = in_browser(include_str!(
        "../probes/widgets/the-browser-redraws-the-figures-with-the-build-time-labels.js"
    ));
    eprintln!("{seen:#}");
    for id in ["explore-neuron", "explore-drill", "explore-failures"] {
        let (built, browser) = (&seen[id]["built"], &seen[id]["browser"]);
        for fig in built.as_object().unwrap().keys() {
            assert_eq!(built[fig], browser[fig], "{id} {fig}");
        }
    }
    // Nice ticks on the loss chart, with a legend.
    let loss: Vec<&str> = seen["explore-drill"]["browser"]["loss"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
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
        assert!(loss.contains(&label), "{label}: {loss:?}");
    }
}

#[test]
fn the_sweep_marks_its_epoch_and_the_neuron_fits_its_activation() {
    let seen = in_browser(include_str!(
        "../probes/widgets/the-sweep-marks-its-epoch-and-the-neuron-fits-its-activation.js"
    ));
    eprintln!("{seen:#}");
    let marks = &seen["marks"];
    let x = |k: &str| marks[k].as_f64().unwrap_or_else(|| panic!("{k}: {marks}"));
    // Built at the last snapshot, at the x of its epoch's tick; the slider moves it.
    assert_eq!(marks["lastEpoch"], 200);
    assert!((x("staticMarker") - x("lastTick")).abs() < 0.2, "{marks}");
    assert_eq!(marks["staticMarker"], marks["readyMarker"]);
    assert!(x("firstMarker") < x("staticMarker"), "{marks}");
    if marks["firstEpoch"] == 0 {
        assert!((x("firstMarker") - x("zeroTick")).abs() < 0.2, "{marks}");
    }
    // ReLU and linear: the range holds the output 5.6, which is not drawn at the top edge.
    let relu = &seen["relu"];
    assert_eq!(relu["readout"], "z = 5.60, output 5.60");
    for f in [relu, &seen["linear"]] {
        let ticks: Vec<f64> = f["yTicks"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| {
                t.as_str()
                    .unwrap()
                    .replace('\u{2212}', "-")
                    .parse()
                    .unwrap()
            })
            .collect();
        assert!(ticks.iter().any(|&t| t >= 5.6), "{f}");
        let (top, cy) = (f["top"].as_f64().unwrap(), f["cy"].as_f64().unwrap());
        assert!(cy > top + 2.0 && cy < f["bottom"].as_f64().unwrap(), "{f}");
    }
    // The plane has ticks and a legend; the caption writes signs as a reader would.
    assert_eq!(
        seen["plane"]["xTicks"],
        serde_json::json!(["\u{2212}2", "\u{2212}1", "0", "1", "2"])
    );
    assert_eq!(seen["plane"]["yTicks"], seen["plane"]["xTicks"]);
    let legend = seen["plane"]["legend"].as_str().unwrap();
    assert!(
        legend.contains("z > 0 (shaded)") && legend.contains("z = 0"),
        "{legend}"
    );
    let caption = seen["caption"].as_str().unwrap();
    assert!(
        caption.starts_with(
            "Weighted sum z = (\u{2212}2) × (\u{2212}1.6) + (\u{2212}1.2) × 0.5 + 0.2 = 2.80;"
        ),
        "{caption}"
    );
}

#[test]
fn the_sweep_explorer_loads_lazily_redraws_and_keeps_its_state_in_the_hash() {
    let seen = in_browser(include_str!(
        "../probes/widgets/the-sweep-explorer-loads-lazily-redraws-and-keeps-its-state-in-the-hash.js"
    ));
    eprintln!("{seen:#}");
    assert!(
        seen["lateBefore"].is_null(),
        "the last widget waits until it is scrolled to"
    );
    assert_eq!(seen["controlsHidden"], true);
    assert_eq!(seen["ready"]["hidden"], false);
    assert_eq!(seen["ready"]["disabled"], false);
    // The script draws the same heatmap as the build.
    assert_eq!(seen["first"], seen["staticCells"]);
    assert_eq!(seen["byKey"]["value"], "1", "← moved the slider");
    assert_ne!(
        seen["byKey"]["cells"], seen["first"],
        "and redrew the heatmap"
    );
    assert_eq!(
        seen["byKey"]["hash"],
        "#explore-drill:lr=0.01;hidden=4;epoch=200"
    );
    assert_eq!(
        seen["byKey"]["path"], "/demo/explore/",
        "← in a slider is not a shortcut"
    );
    assert_ne!(
        seen["afterLr"], seen["byKey"]["cells"],
        "moving the slider redraws the heatmap"
    );
    assert_ne!(seen["afterHidden"], seen["afterLr"]);
    assert_ne!(seen["afterEpoch"], seen["afterHidden"]);
    assert_eq!(seen["lossChanged"], true);
    assert_eq!(seen["shown"], "0.001");
    assert_eq!(seen["valuetext"], "0.001");
    assert_eq!(seen["hash"], "#explore-drill:lr=0.001;hidden=8-8;epoch=50");
    let readout = seen["readout"].as_str().unwrap();
    assert!(
        readout.starts_with("Learning rate 0.001, Hidden layers 8-8: final train loss"),
        "{readout}"
    );
    assert_eq!(seen["restored"]["lr"], "0");
    assert_eq!(seen["restored"]["hidden"], "2");
    assert_eq!(seen["restored"]["epoch"], "2");
    assert_eq!(seen["restored"]["output"], "0.001");
    assert_eq!(seen["restored"]["cells"], seen["afterEpoch"]);
    assert_eq!(seen["restored"]["hash"], seen["hash"]);
}

#[test]
fn the_neuron_failure_lab_and_learning_curve_respond() {
    let seen = in_browser(include_str!(
        "../probes/widgets/the-neuron-failure-lab-and-learning-curve-respond.js"
    ));
    eprintln!("{seen:#}");
    let before = seen["before"].as_str().unwrap();
    let after = seen["after"].as_str().unwrap();
    assert!(before.contains("output sigmoid(z) = 0.62"), "{before}");
    assert_ne!(before, after, "moving a weight changes the output");
    assert!(after.contains("z = (\u{2212}2) × 1 +"), "{after}");
    assert_eq!(seen["liveBefore"], "z = 0.50, output 0.62");
    assert_eq!(seen["liveAfter"], "z = \u{2212}2.30, output 0.09");
    assert_ne!(
        seen["lineBefore"], seen["lineAfter"],
        "and the decision line"
    );
    assert!(
        seen["step"].as_str().unwrap().contains("step(z) = 0.00"),
        "{}",
        seen["step"]
    );
    assert_eq!(
        seen["neuronHash"],
        "#explore-neuron:x1=1;x2=0.5;w1=-2;w2=-1.2;b=0.3;f=step"
    );
    assert_eq!(seen["lab"]["modeChanged"], true);
    assert_eq!(seen["lab"]["healthySame"], true);
    assert_eq!(
        seen["lab"]["visibleBefore"],
        serde_json::json!(["lr-too-high"])
    );
    assert_eq!(
        seen["lab"]["visible"],
        serde_json::json!(["too-small-network"])
    );
    assert_eq!(
        seen["lab"]["hash"],
        "#explore-failures:mode=too-small-network"
    );
    assert!(
        seen["lab"]["readout"]
            .as_str()
            .unwrap()
            .starts_with("Network too small:")
    );
    assert!(
        seen["curve"]["focused"]
            .as_str()
            .unwrap()
            .starts_with("3000 training examples: logistic"),
        "{}",
        seen["curve"]["focused"]
    );
    assert!(
        seen["curve"]["left"]
            .as_str()
            .unwrap()
            .starts_with("1000 training examples:"),
        "{}",
        seen["curve"]["left"]
    );
    assert_eq!(seen["curve"]["tabIndex"], 0);
    assert_eq!(seen["curve"]["dots"], 3);
    assert_eq!(
        seen["curve"]["path"], "/demo/explore/",
        "arrows in the chart are not lesson shortcuts"
    );
}

#[test]
fn the_playground_loads_runs_on_demand_and_draws_what_the_build_drew() {
    let site = Site::fixture("sims");
    site.write(
        "content/lab/002-play.md",
        "---
title: Play
simulations:
  - id: play
    kind: playground
    dataset: { kind: circle, n: 160 }
    hidden: [3]
    epochs: 40
    resolution: 12
    snapshots: [0, 10, 20, 40]
    grid:
      dataset: [circle, xor]
      lr: [0.03, 0.3]
    default: { dataset: xor, lr: 0.3 }
  - id: curve
    kind: playground
    dataset: { kind: sine, n: 40 }
    hidden: [6]
    epochs: 60
    resolution: 20
    grid: { hidden: [[1], [6]] }
widgets:
  - { kind: playground, simulation: play }
  - { kind: fit, simulation: curve }
---
Body.
",
    );
    let out = site.build(&[]);
    assert_eq!(out.status, 0, "{}", out.stderr);
    let seen = probe_json(
        &site.public(),
        include_str!(
            "../probes/widgets/the-playground-loads-runs-on-demand-and-draws-what-the-build-drew.js"
        ),
        "{ height: 700 }",
        &[],
    );
    eprintln!("{seen:#}");
    // The script draws exactly what the build drew, figure for figure.
    for widget in ["play", "fit"] {
        let (built, loaded) = (&seen["built"][widget], &seen["loaded"][widget]);
        let names: Vec<&String> = built.as_object().unwrap().keys().collect();
        assert!(names.len() >= 3, "{widget}: {names:?}");
        for name in names {
            assert_eq!(built[name], loaded[name], "{widget} {name}");
        }
    }
    assert_eq!(
        seen["loaded"]["requests"], 2,
        "the index and the default run"
    );
    assert_eq!(
        seen["other"]["requests"], 1,
        "a picked run arrives in one request"
    );
    assert_ne!(seen["other"]["figs"]["net"], seen["loaded"]["play"]["net"]);
    assert_eq!(
        seen["other"]["hash"],
        "#explore-play:dataset=xor;lr=0.03;epoch=40"
    );
    assert_eq!(seen["stepped"]["epoch"], "1");
    assert_eq!(seen["stepped"]["shown"], "10");
    assert_eq!(seen["playing"]["text"], "Pause");
    assert!(
        seen["playing"]["pressed"].is_null(),
        "the label says it: no pressed state as well"
    );
    assert_eq!(
        seen["played"]["epoch"], "3",
        "the play stops at the last epoch"
    );
    assert_eq!(seen["played"]["text"], "Play");
    assert!(seen["testPoints"].as_u64().unwrap() >= 1);
    assert_eq!(
        seen["hash"],
        "#explore-play:dataset=xor;lr=0.03;epoch=40;test=1"
    );
    assert_eq!(
        seen["weights"],
        (2 * 3 + 3) + (3 + 1),
        "x₁, x₂ → 3 units → output, and each unit's bias"
    );
    assert_eq!(
        seen["edges"]["readout"], seen["edges"]["second"],
        "two arrows read the second weight"
    );
    assert!(
        seen["edges"]["readout"]
            .as_str()
            .unwrap()
            .starts_with("x₁ → unit 1.2: "),
        "{}",
        seen["edges"]["readout"]
    );
    assert_eq!(seen["edges"]["on"], 1, "and mark its edge");
    assert_eq!(
        seen["edges"]["path"], "/lab/play/",
        "arrows in the diagram are not lesson shortcuts"
    );
    assert_eq!(seen["restored"]["lr"], "0");
    assert_eq!(seen["restored"]["epoch"], "3");
    assert_eq!(seen["restored"]["test"], true);
    assert!(seen["restored"]["testPoints"].as_u64().unwrap() >= 1);
}
