//! What the simulations compute: the lesson-5 learning curve shows the lesson's claim,
//! every failure mode shows its symptom in the numbers, heatmaps are oriented as
//! `RunSet::heatmaps` documents, and sweeps are ordered row-major over their axes.

use std::path::Path;

use conceptlab::load::load_lesson;
use conceptlab::sim::model::{FailureData, RunSet, SimData};
use conceptlab::sim::run::run;
use conceptlab::sim::spec::{self, SimPlan};

/// The resolved simulations of a lesson file (relative to `root`).
fn simulations(root: &Path, rel: &str) -> Vec<SimPlan> {
    let lesson = load_lesson(root, &root.join(rel)).unwrap_or_else(|e| panic!("{e:?}"));
    let mut errors = Vec::new();
    let out = lesson
        .meta
        .simulations
        .iter()
        .enumerate()
        .filter_map(|(i, s)| spec::resolve(s, i, &lesson.source, &mut errors))
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
    out
}

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn train(sims: &[SimPlan], id: &str) -> SimData {
    let sim = sims
        .iter()
        .find(|s| s.id == id)
        .expect("the simulation exists");
    run(sim, &|_| {}).unwrap()
}

const LESSON_5: &str = "content/machine-learning/005-neurons-and-the-brain.md";

/// The lesson says: logistic regression plateaus as data grows, the network keeps
/// improving. Trains the real spec (about 140 GFLOP), so only in optimized builds.
#[test]
#[cfg_attr(
    debug_assertions,
    ignore = "trains the real lesson spec; run with --release"
)]
fn lesson_5_scaling_shows_logistic_regression_plateau_and_the_network_improve() {
    let SimData::LearningCurve(d) = train(&simulations(repo(), LESSON_5), "scaling") else {
        panic!("a learning curve");
    };
    assert_eq!(
        d.models[0].hidden,
        Vec::<usize>::new(),
        "model 0 is logistic regression"
    );
    let logistic = d.test_mean.row_values(0);
    let network = d.test_mean.row_values(1);
    let last = logistic.len() - 1;
    eprintln!(
        "sizes {:?}\nlogistic {logistic:?}\nnetwork {network:?}",
        d.sizes
    );
    let logistic_gain = logistic[last] - logistic[0];
    let network_gain = network[last] - network[0];
    assert!(
        logistic_gain.abs() < 0.06,
        "logistic regression plateaus: {logistic:?}"
    );
    assert!(
        logistic.iter().all(|&a| a < 0.7),
        "a line cannot separate spirals"
    );
    assert!(
        network_gain > 0.15,
        "the network gains from data: {network:?}"
    );
    assert!(network_gain > 3.0 * logistic_gain.max(0.0));
    assert!(network[last] > logistic[last] + 0.25);
    for pair in network.windows(2) {
        assert!(
            pair[1] >= pair[0] - 0.005,
            "the network keeps improving: {network:?}"
        );
    }
    assert!(
        network[last] > network[last / 2] + 0.01,
        "still improving past the middle size"
    );
}

fn final_of(q: &conceptlab::sim::model::Quantized, run: usize) -> f32 {
    *q.row_values(run).last().unwrap()
}

fn first_of(q: &conceptlab::sim::model::Quantized, run: usize) -> f32 {
    q.row_values(run)[0]
}

/// The spread of the last heatmap of `run`: near 0 for a flat, constant boundary.
fn last_heatmap_range(runs: &RunSet, run: usize) -> f32 {
    let cells = runs.resolution * runs.resolution;
    let row = runs.heatmaps.row_values(run);
    let last = &row[row.len() - cells..];
    let max = last.iter().copied().fold(f32::MIN, f32::max);
    let min = last.iter().copied().fold(f32::MAX, f32::min);
    max - min
}

#[test]
fn every_failure_mode_of_lesson_5_shows_its_symptom() {
    let SimData::FailureModes(FailureData { modes, runs, .. }) =
        train(&simulations(repo(), LESSON_5), "failures")
    else {
        panic!("a failure lab");
    };
    assert_eq!(runs.len(), modes.len() + 1, "run 0 is the healthy run");
    let loss = &runs.train_loss;
    let (train_acc, test_acc) = (&runs.train_accuracy, &runs.test_accuracy);
    let healthy_loss = final_of(loss, 0);
    assert!(final_of(test_acc, 0) > 0.9, "the healthy run learns");
    assert!(healthy_loss < 0.3);
    for (i, mode) in modes.iter().enumerate() {
        let r = i + 1;
        let (start, end) = (first_of(loss, r), final_of(loss, r));
        let curve = loss.row_values(r);
        let peak = curve.iter().copied().fold(f32::MIN, f32::max);
        let ctx = format!(
            "{}: loss {start} -> {end}, peak {peak}, train acc {}, test acc {}",
            mode.mode,
            final_of(train_acc, r),
            final_of(test_acc, r)
        );
        eprintln!("{ctx}");
        assert!(!mode.symptom.is_empty() && !mode.change.is_empty(), "{ctx}");
        match mode.mode.as_str() {
            "lr-too-high" => {
                assert!(peak > start, "the loss climbs above its start: {ctx}");
                assert!(end > 3.0 * healthy_loss, "{ctx}");
            }
            "lr-too-low" => assert!(end > 0.9 * start, "the loss barely moves: {ctx}"),
            "saturated-sigmoid" => {
                assert!(end > 0.9 * start, "a plateau near the start: {ctx}");
                assert!(final_of(test_acc, r) < final_of(test_acc, 0) - 0.3, "{ctx}");
            }
            "dead-relu" => {
                assert!(peak > start, "the huge early steps: {ctx}");
                let tail = &curve[curve.len() / 2..];
                let spread = tail.iter().copied().fold(f32::MIN, f32::max)
                    - tail.iter().copied().fold(f32::MAX, f32::min);
                assert!(spread < 0.01, "the loss is frozen: {ctx}");
                assert!(
                    last_heatmap_range(&runs, r) < 0.05,
                    "the heatmap is flat: {ctx}"
                );
            }
            "too-little-data" => {
                let gap = final_of(train_acc, r) - final_of(test_acc, r);
                assert!(gap > 0.15, "memorised, not learned: {ctx}");
            }
            "too-small-network" => {
                assert!(
                    final_of(train_acc, r) < final_of(train_acc, 0) - 0.2,
                    "{ctx}"
                );
                assert!(final_of(test_acc, r) < final_of(test_acc, 0) - 0.2, "{ctx}");
            }
            other => panic!("unknown mode {other}"),
        }
    }
    let names: Vec<&str> = modes.iter().map(|m| m.mode.as_str()).collect();
    assert_eq!(
        names,
        [
            "lr-too-high",
            "lr-too-low",
            "saturated-sigmoid",
            "dead-relu",
            "too-little-data",
            "too-small-network"
        ]
    );
}

/// Row 0 of a heatmap is the top (y = +1): the trained boundary agrees with the overlay
/// points only when read that way round (moons are not symmetric top to bottom).
#[test]
fn heatmaps_have_row_zero_at_the_top() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("c/001-moons.md");
    std::fs::create_dir_all(file.parent().unwrap()).unwrap();
    std::fs::write(
        &file,
        "---\ntitle: M\nsimulations:\n  - id: m\n    kind: sweep\n    dataset: { kind: moons, n: 300, noise: 0.05 }\n    hidden: [16]\n    epochs: 150\n    resolution: 24\n    snapshots: [150]\n---\n",
    )
    .unwrap();
    let SimData::Sweep(d) = train(&simulations(dir.path(), "c/001-moons.md"), "m") else {
        panic!("a sweep");
    };
    assert!(d.axes.is_empty() && d.runs.len() == 1, "no grid: one run");
    let res = d.runs.resolution;
    let heat = d.runs.heatmaps.row_values(0);
    let points = d.dataset.points.data.len() / 2;
    let cell = |v: f32| (((v + 1.0) / 2.0) * (res - 1) as f32).round() as usize;
    let (mut agree, mut agree_flipped) = (0, 0);
    for p in 0..points {
        let x = d.dataset.points.get(2 * p);
        let y = d.dataset.points.get(2 * p + 1);
        let label = d.dataset.labels.get(p) > 0.5;
        let (col, row) = (cell(x), res - 1 - cell(y));
        agree += usize::from((heat[row * res + col] > 0.5) == label);
        let flipped = res - 1 - row;
        agree_flipped += usize::from((heat[flipped * res + col] > 0.5) == label);
    }
    let (a, f) = (
        agree as f32 / points as f32,
        agree_flipped as f32 / points as f32,
    );
    assert!(a > 0.9, "agreement {a}");
    assert!(f < a - 0.2, "flipped agreement {f} vs {a}");
}

#[test]
fn sweeps_are_row_major_over_the_axes_in_canonical_order() {
    let fixture = repo().join("tests/fixtures/sims");
    let sims = simulations(&fixture, "content/lab/001-tiny.md");
    let sweep = sims.iter().find(|s| s.id == "sweep").unwrap();
    let runs = spec::runs_of(sweep);
    let points: Vec<(f64, u64)> = runs.iter().map(|r| (r.lr, r.seed)).collect();
    assert_eq!(points, [(0.03, 1), (0.03, 2), (0.3, 1), (0.3, 2)]);
    let SimData::Sweep(d) = train(&sims, "sweep") else {
        panic!("a sweep");
    };
    let axes: Vec<(&str, &str, Vec<&str>)> = d
        .axes
        .iter()
        .map(|a| {
            (
                a.key.as_str(),
                a.label.as_str(),
                a.values.iter().map(String::as_str).collect(),
            )
        })
        .collect();
    assert_eq!(
        axes,
        [
            ("lr", "Learning rate", vec!["0.03", "0.3"]),
            ("seed", "Seed", vec!["1", "2"]),
        ]
    );
    assert_eq!(d.default, [1, 0], "`default: {{ lr: 0.3 }}`, first seed");
    assert_eq!(d.run_index(&d.default), 2);
    assert_eq!(
        d.runs.heatmaps.shape,
        [4, 4, 64],
        "runs, snapshots, 8 x 8 cells"
    );
    assert_eq!(d.runs.snapshots, [0, 3, 10, 30]);
    assert_eq!(d.runs.train_loss.shape[0], 4);
    assert_eq!(d.dataset.n_train + d.dataset.n_test, 120);

    let SimData::LearningCurve(c) = train(&sims, "curve") else {
        panic!("a learning curve");
    };
    assert_eq!(c.test_mean.shape, [2, 2]);
    assert_eq!((c.dataset.n_train, c.dataset.n_test, c.seeds), (40, 60, 2));
    for m in 0..2 {
        for s in 0..2 {
            let i = m * 2 + s;
            assert!(c.test_min.get(i) <= c.test_mean.get(i) + 1e-4);
            assert!(c.test_mean.get(i) <= c.test_max.get(i) + 1e-4);
        }
    }
}
