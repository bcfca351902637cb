//! Hand-built simulation results with the shapes and look of real ones (no training: the
//! curves and heatmaps are formulas), and a build that renders a site with them through
//! the library, since the binary has no way to be handed results.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use conceptlab::config::{BaseUrl, SiteConfig};
use conceptlab::load::{LoadOptions, load_site};
use conceptlab::sim::model::{
    Axis, DatasetInfo, FailureData, LearningCurveData, ModeInfo, ModelInfo, Quantized, RunSet,
    SweepData,
};
use conceptlab::sim::{SimArtifact, SimData, SimResults};

/// A small deterministic generator (an LCG), so the data is the same on every run.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> f32 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 40) as f32) / ((1u64 << 24) as f32)
    }
}

/// `n` points of the `circle` dataset over [-1, 1]²: class 1 inside radius 0.6.
pub fn circle(n: usize) -> DatasetInfo {
    let mut rng = Lcg(7);
    let mut xy = Vec::with_capacity(2 * n);
    let mut labels = Vec::with_capacity(n);
    for _ in 0..n {
        let (x, y) = (rng.next() * 2.0 - 1.0, rng.next() * 2.0 - 1.0);
        xy.extend([x, y]);
        labels.push(if (x * x + y * y).sqrt() < 0.6 {
            1.0
        } else {
            0.0
        });
    }
    DatasetInfo {
        kind: "circle".into(),
        n_train: n,
        n_test: n / 2,
        points: Quantized::new(&xy, vec![n, 2], 8, -1.0, 1.0),
        labels: Quantized::new(&labels, vec![n], 8, 0.0, 1.0),
    }
}

/// How one run trains, for the formulas.
#[derive(Clone, Copy)]
pub struct Run {
    /// How fast the loss falls (per epoch).
    pub speed: f32,
    /// The loss it settles at.
    pub floor: f32,
    /// The gap between test and train loss at the end.
    pub gap: f32,
    /// How round the boundary gets (0: a straight line, 1: the circle).
    pub capacity: f32,
    /// The epoch from which the loss is NaN.
    pub diverges_at: Option<u32>,
}

const LOSS_MAX: f32 = 2.0;

/// A run set of `runs` over epochs 0, 5, ..., 200 with heatmaps at 5 snapshots.
pub fn run_set(runs: &[Run], resolution: usize) -> RunSet {
    let epochs: Vec<u32> = (0..=40).map(|i| i * 5).collect();
    let snapshots = vec![0, 25, 50, 100, 200];
    let (mut train, mut test, mut train_acc, mut test_acc, mut heat) =
        (vec![], vec![], vec![], vec![], vec![]);
    for r in runs {
        for &e in &epochs {
            let t = 1.0 - (-(e as f32) * r.speed).exp();
            let loss = 0.69 + (r.floor - 0.69) * t;
            let diverged = r.diverges_at.is_some_and(|d| e >= d);
            train.push(if diverged { f32::NAN } else { loss });
            test.push(if diverged { f32::NAN } else { loss + r.gap * t });
            let acc = 0.5 + 0.5 * (1.0 - loss / 0.69).clamp(0.0, 0.98);
            train_acc.push(if diverged { 0.5 } else { acc });
            test_acc.push(if diverged {
                0.5
            } else {
                (acc - r.gap / 2.0).max(0.4)
            });
        }
        for &s in &snapshots {
            let t = 1.0 - (-(s as f32) * r.speed).exp();
            for row in 0..resolution {
                for col in 0..resolution {
                    let x = -1.0 + (col as f32 + 0.5) * 2.0 / resolution as f32;
                    let y = 1.0 - (row as f32 + 0.5) * 2.0 / resolution as f32;
                    // From a tilted line (no capacity) to the circle (full capacity).
                    let round = 0.6 - (x * x + y * y).sqrt();
                    let line = 0.3 * x + 0.2 * y - 0.1;
                    let z = r.capacity * round + (1.0 - r.capacity) * line;
                    let p = if r.diverges_at.is_some_and(|d| s >= d) {
                        0.5
                    } else {
                        1.0 / (1.0 + (-z * 12.0 * t).exp())
                    };
                    heat.push(p);
                }
            }
        }
    }
    let (n, e, s) = (runs.len(), epochs.len(), snapshots.len());
    RunSet {
        diverged: runs.iter().map(|r| r.diverges_at.is_some()).collect(),
        train_loss: Quantized::new(&train, vec![n, e], 16, 0.0, LOSS_MAX),
        test_loss: Quantized::new(&test, vec![n, e], 16, 0.0, LOSS_MAX),
        train_accuracy: Quantized::new(&train_acc, vec![n, e], 16, 0.0, 1.0),
        test_accuracy: Quantized::new(&test_acc, vec![n, e], 16, 0.0, 1.0),
        heatmaps: Quantized::new(&heat, vec![n, s, resolution * resolution], 8, 0.0, 1.0),
        epochs,
        snapshots,
        resolution,
    }
}

/// A sweep over learning rate (4 values) and hidden layers (3 values), 32x32 heatmaps and
/// `points` training points; the largest learning rate diverges.
pub fn sweep(points: usize) -> SimData {
    let lrs = [0.001f32, 0.01, 0.1, 1.0];
    let hidden = [("2", 0.0f32), ("4", 0.6), ("8-8", 1.0)];
    let mut runs = Vec::new();
    for (i, &lr) in lrs.iter().enumerate() {
        for &(_, capacity) in &hidden {
            runs.push(Run {
                speed: lr.sqrt() * 0.08,
                floor: 0.45 - 0.35 * capacity,
                gap: 0.02 + 0.06 * capacity,
                capacity,
                diverges_at: (i == 3).then_some(30),
            });
        }
    }
    SimData::Sweep(SweepData {
        title: Some("Learning rate and width".into()),
        dataset: circle(points),
        axes: vec![
            Axis {
                key: "lr".into(),
                label: "Learning rate".into(),
                values: lrs.iter().map(|v| v.to_string()).collect(),
            },
            Axis {
                key: "hidden".into(),
                label: "Hidden layers".into(),
                values: hidden.iter().map(|h| h.0.to_string()).collect(),
            },
        ],
        default: vec![2, 1],
        runs: run_set(&runs, 32),
    })
}

/// A learning curve of three models over four training-set sizes.
pub fn learning_curve() -> SimData {
    let sizes = vec![100, 300, 1000, 3000];
    let models = [("logistic", 0.0f32), ("small", 0.6), ("large", 1.0)];
    let (mut mean, mut lo, mut hi, mut train) = (vec![], vec![], vec![], vec![]);
    for &(_, capacity) in &models {
        for &n in &sizes {
            let data = ((n as f32).ln() - 4.0) / 4.5;
            let m = 0.6 + 0.35 * capacity * data.clamp(0.0, 1.0) + 0.05 * (1.0 - capacity);
            mean.push(m);
            lo.push(m - 0.08 * (1.0 - data));
            hi.push((m + 0.05 * (1.0 - data)).min(1.0));
            train.push((m + 0.2 * capacity * (1.0 - data)).min(1.0));
        }
    }
    let shape = vec![models.len(), sizes.len()];
    let q = |v: &[f32]| Quantized::new(v, shape.clone(), 16, 0.0, 1.0);
    SimData::LearningCurve(LearningCurveData {
        title: None,
        dataset: circle(120),
        models: models
            .iter()
            .map(|(name, c)| ModelInfo {
                name: name.to_string(),
                hidden: if *c == 0.0 { vec![] } else { vec![8] },
                activation: "tanh".into(),
            })
            .collect(),
        sizes,
        seeds: 5,
        test_mean: q(&mean),
        test_min: q(&lo),
        test_max: q(&hi),
        train_mean: q(&train),
    })
}

/// A failure lab: the healthy run, then a learning rate that is too high (diverges), dead
/// ReLUs and a network too small. `remedy` is the first mode's remedy.
pub fn failure_modes(remedy: &str) -> SimData {
    let healthy = Run {
        speed: 0.03,
        floor: 0.1,
        gap: 0.05,
        capacity: 1.0,
        diverges_at: None,
    };
    let runs = [
        healthy,
        Run {
            diverges_at: Some(15),
            ..healthy
        },
        Run {
            speed: 0.01,
            floor: 0.6,
            capacity: 0.1,
            ..healthy
        },
        Run {
            floor: 0.45,
            capacity: 0.0,
            ..healthy
        },
    ];
    let mode = |mode: &str, label: &str, symptom: &str, remedy: &str, change: &str| ModeInfo {
        mode: mode.into(),
        label: label.into(),
        symptom: symptom.into(),
        remedy: remedy.into(),
        change: change.into(),
    };
    SimData::FailureModes(FailureData {
        title: None,
        dataset: circle(200),
        healthy: "learning rate 0.03, hidden layers 8-8, tanh".into(),
        modes: vec![
            mode(
                "lr-too-high",
                "Learning rate too high",
                "The loss jumps up and leaves the chart.",
                remedy,
                "learning rate 3.0 instead of 0.03",
            ),
            mode(
                "dead-relu",
                "Dead ReLUs",
                "The loss stops falling early; the boundary barely moves.",
                "Lower the learning rate or use a leaky ReLU.",
                "ReLU with a large negative bias",
            ),
            mode(
                "too-small-network",
                "Network too small",
                "The boundary stays a straight line.",
                "Add hidden units.",
                "one hidden unit instead of 8-8",
            ),
        ],
        runs: run_set(&runs, 32),
    })
}

/// The results of one lesson: simulation id -> data.
pub fn results(lesson_key: &str, sims: Vec<(&str, SimData)>) -> SimResults {
    let mut by_id = BTreeMap::new();
    for (id, data) in sims {
        by_id.insert(id.to_string(), Arc::new(SimArtifact::new(data)));
    }
    let mut results = SimResults::default();
    let (course, slug) = lesson_key.split_once('/').expect("a key is course/slug");
    let key = conceptlab::load::LessonKey::new(course, slug);
    results.by_lesson.insert(key, by_id);
    results
}

/// Loads the site at `root`, renders it with `sims` under `base` and writes it to `out`.
pub fn build_with(root: &Path, out: &Path, base: &str, sims: &SimResults) {
    let config = SiteConfig::load(root).unwrap();
    let (site, errors) = load_site(root, config, &LoadOptions { drafts: false });
    assert!(errors.is_empty(), "{errors:?}");
    let base = BaseUrl::parse(base).unwrap();
    let inputs = conceptlab::render::Inputs::for_site(&site, &base).unwrap();
    let plan = conceptlab::render::RenderPlan::all();
    let rendered = conceptlab::render::render(&site, &base, sims, &inputs, plan);
    let files = rendered.map(|r| r.files).unwrap_or_else(|e| {
        panic!(
            "{}",
            e.iter()
                .map(|d| d.to_string())
                .collect::<Vec<_>>()
                .join("\n")
        )
    });
    conceptlab::write::write_site(out, &files).unwrap();
}

/// A lesson with every widget kind, for `content/demo/005-explore.md` of the mini fixture.
pub const EXPLORE_LESSON: &str = "---
title: Explore
simulations:
  - { id: drill, kind: sweep }
  - { id: scaling, kind: learning-curve }
  - { id: failures, kind: failure-modes }
widgets:
  - { kind: neuron }
  - { kind: learning-curve, simulation: scaling }
  - { kind: sweep-explorer, simulation: drill, title: \"Drill <down>\" }
  - { kind: failure-lab, simulation: failures }
---
## Theory

Text.

## Code Walkthrough

```python
print(1)
```
";
