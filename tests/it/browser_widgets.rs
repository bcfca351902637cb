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
    assert!(after.contains("= -2 × 1 +"), "{after}");
    assert_eq!(seen["liveBefore"], "z = 0.50, output 0.62");
    assert_eq!(seen["liveAfter"], "z = -2.30, output 0.09");
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
