//! The playground, the fit and the comparison as an author and a reader meet them: bad
//! keys are errors at their line; a build trains every run of the grid and writes an
//! index and one file per run; what a run's file says (the weights at a snapshot) is the
//! network that drew its maps; the page loads only the index and the default run.

use crate::common;

use crate::sim_spec::{assert_has, check};
use common::{Site, run};
use conceptlab::engine::{
    Activation, Architecture, Feature, Loss, Params, grid_points, reference::Network, transform,
};
use conceptlab::sim::SimData;
use conceptlab::sim::model::PlayRunData;

const LESSON: &str = "content/lab/002-play.md";

/// The `sims` fixture with a second lesson of `front` (front-matter lines, without `---`).
fn site_with(front: &str) -> Site {
    let site = Site::fixture("sims");
    site.write(LESSON, format!("---\ntitle: Play\n{front}---\nBody.\n"));
    site
}

const PLAY: &str = "simulations:
  - id: play
    kind: playground
    dataset: { kind: circle, n: 160 }
    hidden: [3]
    epochs: 40
    resolution: 12
    snapshots: [0, 10, 40]
    grid:
      dataset: [circle, xor]
      features: [[x1, x2], [x1, x2, x1^2, x2^2]]
      lr: [0.03, 0.3]
    default: { dataset: xor, lr: 0.3 }
  - id: curve
    kind: playground
    dataset: { kind: sine, n: 40 }
    hidden: [6]
    epochs: 60
    resolution: 20
    grid: { hidden: [[1], [6]] }
  - id: opt
    kind: sweep
    dataset: { kind: moons, n: 120 }
    hidden: [4]
    epochs: 30
    resolution: 8
    grid: { optimizer: [sgd, momentum, adam] }
widgets:
  - { kind: playground, simulation: play }
  - { kind: fit, simulation: curve }
  - { kind: compare, simulation: opt, axis: optimizer }
";

#[test]
fn every_bad_playground_key_is_an_error_at_its_line() {
    let site = site_with(
        "simulations:
  - id: a
    kind: playground
    dataset: { kind: sine }
    features: [x1, x2^2]
    l2: 0.1
    resolution: 12
    snapshots: [0, 500]
    grid:
      dataset: [sine, circle]
      l2: [0.1]
  - id: b
    kind: sweep
    dataset: { kind: linear }
    grid: { dataset: [circle], optimizer: [adam, sgd] }
  - id: d
    kind: playground
    resolution: 15
    grid: { hidden: [[16]] }
widgets:
  - { kind: playground, simulation: d }
",
    );
    let out = check(&site);
    assert_eq!(out.status, 1, "{}", out.stderr);
    assert_has(
        &out,
        &[
            "the feature `x2^2` needs x₂, and a regression dataset has one input (x₁)",
            &format!("{LESSON}:7:"),
            "`l2` is not a key of a `playground` simulation",
            "snapshot epoch 500 is past the last epoch (200)",
            "the `dataset` axis mixes 2-D classification and 1-D regression datasets",
            "`l2` is not an axis of a `playground` grid",
            "`regularization: [none, l1, l2]`",
            "hidden layers 16 are too large for a playground's diagram",
            "`linear` is a 1-D regression dataset: only a `playground` simulation takes it",
            "`dataset` is not an axis of a `sweep` grid",
            "`resolution: 15` is odd",
            "use `resolution: 16`",
        ],
    );
}

#[test]
fn an_unknown_feature_is_named_with_the_ones_there_are() {
    let site = site_with(
        "simulations:
  - id: c
    kind: playground
    features: [x3]
widgets:
  - { kind: playground, simulation: c }
",
    );
    let out = check(&site);
    assert_eq!(out.status, 1);
    assert_has(
        &out,
        &[
            "unknown value `x3`",
            "expected one of: x1, x2, x1^2, x2^2, x1x2, sin-x1, sin-x2",
            &format!("{LESSON}:6:"),
        ],
    );
}

#[test]
fn widgets_must_match_the_playground_they_show() {
    let site = site_with(
        "simulations:
  - id: a
    kind: playground
  - id: r
    kind: playground
    dataset: { kind: sine }
  - id: b
    kind: sweep
    grid: { optimizer: [adam, sgd] }
widgets:
  - { kind: fit, simulation: a }
  - { kind: playground, simulation: r }
  - { kind: sweep-explorer, simulation: a, axis: lr }
  - { kind: compare, simulation: b }
  - { kind: compare, simulation: b, axis: optimiser }
",
    );
    let out = check(&site);
    assert_eq!(out.status, 1);
    assert_has(
        &out,
        &[
            "the `fit` widget cannot show simulation `a`: its data is 2-D classification",
            "the `playground` widget cannot show simulation `r`: its data is a 1-D regression",
            "`axis` is not a key of the `sweep-explorer` widget",
            "the `compare` widget needs an `axis:`",
            "`axis: optimiser` is not an axis of simulation `b`'s grid",
            "did you mean `optimizer`?",
        ],
    );
}

#[test]
fn a_playground_over_the_cost_limit_says_how_many_runs_and_how_much_work() {
    let site = site_with(
        "simulations:
  - id: a
    kind: playground
    dataset: { kind: spirals, n: 4000 }
    hidden: [8, 8, 8]
    epochs: 5000
    grid:
      lr: [0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3]
      activation: [tanh, relu, sigmoid, leaky-relu]
      seed: [1, 2, 3, 4]
widgets:
  - { kind: playground, simulation: a }
",
    );
    let out = check(&site);
    assert_eq!(out.status, 1);
    assert_has(
        &out,
        &[
            "this simulation would train 128 networks, about",
            "`simulations.max_gflop` in site.yaml",
        ],
    );
}

/// The `.bin` files under the lesson's folder: (the index, each run in order).
fn artifacts(site: &Site, id: &str) -> (SimData, Vec<PlayRunData>) {
    let folder = site.public().join("lab/play");
    let mut index = None;
    let mut dir = None;
    for entry in std::fs::read_dir(&folder).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_str().unwrap().to_string();
        if name.starts_with(&format!("sim-{id}.")) {
            if path.is_dir() {
                dir = Some(path);
            } else {
                index = Some(SimData::decode(&std::fs::read(&path).unwrap()).unwrap());
            }
        }
    }
    let (index, dir) = (index.expect("an index"), dir.expect("a folder of runs"));
    let count = std::fs::read_dir(&dir).unwrap().count();
    let runs = (0..count)
        .map(|i| {
            let bytes = std::fs::read(dir.join(format!("{i}.bin"))).unwrap();
            match SimData::decode(&bytes).unwrap() {
                SimData::PlaygroundRun(r) => *r,
                other => panic!("run {i} is a {}", other.kind()),
            }
        })
        .collect();
    (index, runs)
}

fn feature(key: &str) -> Feature {
    *Feature::ALL.iter().find(|f| f.key() == key).unwrap()
}

#[test]
fn a_build_writes_an_index_and_a_file_per_run_whose_weights_drew_its_maps() {
    let site = site_with(PLAY);
    let out = site.build(&[]);
    assert_eq!(out.status, 0, "{}", out.stderr);
    let (index, runs) = artifacts(&site, "play");
    let SimData::Playground(index) = index else {
        panic!("the index is a playground")
    };
    assert!(index.runs.is_empty(), "the index holds no run");
    assert_eq!(index.run_count(), 8);
    assert_eq!(runs.len(), 8, "one file per run");
    assert_eq!(index.default, vec![1, 0, 1], "xor, x1 x2, lr 0.3");
    // Run order: dataset, then features, then lr, the last changing fastest.
    assert_eq!(runs[0].dataset.kind, "circle");
    assert_eq!(runs[4].dataset.kind, "xor");
    assert_eq!(runs[2].features, ["x1", "x2", "x1^2", "x2^2"]);
    assert_eq!(runs[2].widths, [4, 3, 1]);
    // Each run's maps are what its recorded weights compute.
    let res = index.resolution;
    let ures = index.unit_resolution;
    assert_eq!(ures, res / 2);
    let snaps = index.snapshots.len();
    for (i, run) in runs.iter().enumerate() {
        let features: Vec<Feature> = run.features.iter().map(|k| feature(k)).collect();
        let arch = Architecture {
            inputs: features.len(),
            hidden: run.widths[1..run.widths.len() - 1].to_vec(),
            outputs: 1,
            activation: Activation::Tanh,
            loss: Loss::BinaryCrossEntropy,
        };
        let grid = transform(&features, grid_points(2, res).unwrap().view()).unwrap();
        let n = run.weights.row_len();
        for snap in 0..snaps {
            let flat: Vec<f32> = (0..n).map(|k| run.weights.get(snap * n + k)).collect();
            let net = Network::<f64>::from_params(&Params::from_flat(&arch, &flat));
            let values = net.forward(&arch, grid.mapv(f64::from).view());
            // The output map, row 0 at the top.
            let logits = values.last().unwrap();
            for row in 0..res {
                for col in 0..res {
                    let p = 1.0 / (1.0 + (-logits[[(res - 1 - row) * res + col, 0]]).exp());
                    let stored = run.output.get(snap * res * res + row * res + col);
                    assert!(
                        (p - f64::from(stored)).abs() < 0.01,
                        "run {i} snapshot {snap} cell {row},{col}: {p} from the weights, {stored} stored"
                    );
                }
            }
            // The hidden units' maps: 2 x 2 averages of their activations.
            let hidden = &values[1];
            for u in 0..run.widths[1] {
                for q in 0..ures * ures {
                    let (r, c) = (2 * (q / ures), 2 * (q % ures));
                    let at = |r: usize, c: usize| hidden[[(res - 1 - r) * res + c, u]];
                    let mean = (at(r, c) + at(r, c + 1) + at(r + 1, c) + at(r + 1, c + 1)) / 4.0;
                    let stored = run
                        .units
                        .get((snap * run.hidden_units() + u) * ures * ures + q);
                    assert!(
                        (mean - f64::from(stored)).abs() < 0.02,
                        "run {i} snapshot {snap} unit {u} cell {q}: {mean} from the weights, {stored} stored"
                    );
                }
            }
        }
    }
    // The x₁² feature's map is x₁² over the plane (at the cells' centres, averaged).
    let x1sq = &runs[2];
    let corner = x1sq.inputs.get(2 * ures * ures); // row 0, col 0: x₁ near -1
    let middle = x1sq.inputs.get(2 * ures * ures + ures / 2);
    assert!(corner > 0.8 && middle < 0.1, "{corner} {middle}");
}

#[test]
fn the_page_loads_the_index_and_the_default_run_and_draws_the_default_run() {
    let site = site_with(PLAY);
    let out = site.build(&[]);
    assert_eq!(out.status, 0, "{}", out.stderr);
    let html = std::fs::read_to_string(site.public().join("lab/play/index.html")).unwrap();
    for needle in [
        "data-widget=\"playground\"",
        "data-runs=\"/lab/play/sim-play.",
        "data-fig=\"net\"",
        "data-fig=\"map\"",
        "data-fig=\"fit\"",
        "data-fig=\"curves\"",
        // The default run in words, with the network described.
        "Dataset xor, Features {x₁, x₂}, Learning rate 0.3: final train loss",
        "the network takes x₁, x₂ and has a hidden layer of 3 tanh units",
        // The weights table of the default run.
        "<td>x₁</td><td>unit 1.1</td>",
        // The comparison, complete without a script.
        "Optimizer SGD: final train loss",
        "Optimizer momentum: final train loss",
        "Optimizer Adam: final train loss",
        "Show the test points",
        "data-play",
    ] {
        assert!(html.contains(needle), "missing {needle}");
    }
    // The summary line counts what a page loads first: the index and one run, not all.
    let (_, runs) = artifacts(&site, "play");
    let all: usize = std::fs::read_dir(site.public().join("lab/play"))
        .unwrap()
        .filter_map(|e| {
            let p = e.unwrap().path();
            p.is_dir().then(|| {
                std::fs::read_dir(p)
                    .unwrap()
                    .map(|f| f.unwrap().metadata().unwrap().len() as usize)
                    .sum::<usize>()
            })
        })
        .sum();
    assert_eq!(runs.len(), 8);
    let line = out
        .stderr
        .lines()
        .find(|l| l.starts_with("Simulations:"))
        .unwrap()
        .to_string();
    let kb: f64 = line
        .split("lab/play ")
        .nth(1)
        .and_then(|s| s.split(" KB").next())
        .and_then(|s| s.parse().ok())
        .unwrap();
    assert!(
        (kb * 1024.0) < all as f64,
        "first load {kb} KB is less than all runs' {all} bytes: {line}"
    );
}

#[test]
fn playground_runs_are_the_same_bytes_on_one_thread_and_on_many() {
    let one = site_with(PLAY);
    let many = site_with(PLAY);
    let a = run(&[
        "build",
        "--root",
        one.root().to_str().unwrap(),
        "--jobs",
        "1",
    ]);
    assert_eq!(a.status, 0, "{}", a.stderr);
    let b = many.build(&[]);
    assert_eq!(b.status, 0, "{}", b.stderr);
    let (_, r1) = artifacts(&one, "play");
    let (_, r2) = artifacts(&many, "play");
    for (i, (x, y)) in r1.iter().zip(&r2).enumerate() {
        assert_eq!(
            SimData::PlaygroundRun(Box::new(x.clone())).encode(),
            SimData::PlaygroundRun(Box::new(y.clone())).encode(),
            "run {i}"
        );
    }
}

#[test]
fn grids_that_train_the_same_network_or_overflow_a_comparison_are_errors() {
    let site = site_with(
        "simulations:
  - id: a
    kind: playground
    grid: { regularization_rate: [0.001, 0.01] }
  - id: b
    kind: sweep
    grid: { seed: [1, 2, 3, 4, 5, 6, 7] }
widgets:
  - { kind: playground, simulation: a }
  - { kind: compare, simulation: b, axis: seed }
",
    );
    let out = check(&site);
    assert_eq!(out.status, 1);
    assert_has(
        &out,
        &[
            "the `seed` axis has 7 values: `compare` draws at most 6 side by side",
            &format!("{LESSON}:12:"),
        ],
    );
    // The spec is checked once the widgets are right.
    site.write(
        LESSON,
        "---\ntitle: Play\nsimulations:\n  - id: a\n    kind: playground\n    grid: { regularization_rate: [0.001, 0.01] }\nwidgets:\n  - { kind: playground, simulation: a }\n---\nBody.\n",
    );
    let out = check(&site);
    assert_eq!(out.status, 1);
    assert_has(
        &out,
        &[
            "the `regularization_rate` axis changes nothing: `regularization` is `none`",
            &format!("{LESSON}:6:"),
        ],
    );
}

#[test]
fn the_dataset_axis_decides_whether_a_playground_is_a_regression() {
    // A top-level `sine` overridden by a classification axis is classification, for the
    // widget check and the spec alike.
    let site = site_with(
        "simulations:
  - id: a
    kind: playground
    dataset: { kind: sine }
    resolution: 8
    epochs: 5
    hidden: [2]
    grid: { dataset: [circle, xor] }
widgets:
  - { kind: playground, simulation: a }
",
    );
    let out = site.build(&[]);
    assert_eq!(out.status, 0, "{}", out.stderr);
    let html = std::fs::read_to_string(site.public().join("lab/play/index.html")).unwrap();
    assert!(html.contains("data-fig=\"net\""), "the playground is drawn");
}
