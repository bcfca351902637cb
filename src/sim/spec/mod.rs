//! Simulation specs: the author's keys (typed in `crate::load::lesson`) checked per kind,
//! defaults applied, and the result, a [`SimPlan`] spec that the run and cache modules
//! read. Every problem is reported, each at the line of the key that causes it. The format
//! is documented in `docs/simulations.md`.
//!
//! Owns: the limits on single keys, the resolved types (`RunPlan`, `Plan`, `SimPlan`),
//! the defaults, the checks every kind shares (`resolve`) and, one file each, the checks
//! and plan of each kind (`sweep.rs`, `curve.rs`, `failure.rs`). Never does: estimate
//! cost (`sim::cost`) or train.

use serde::Serialize;

use crate::diagnostics::{Diagnostic, Location};
use crate::load::lesson::{
    ActivationName, BatchSize, DatasetName, FailureMode, FeatureName, OptimizerName,
    RegularizationName, SimDataset, Simulation, SimulationKind,
};
use crate::load::source::SourceFile;

mod curve;
mod failure;
mod playground;
mod sweep;

pub use failure::{LITTLE_DATA, failure_run};
pub use playground::{PlayRun, playground_runs};
pub use sweep::sweep_runs;

/// Limits on single keys (the cost limit covers the rest).
pub const MAX_EPOCHS: usize = 20_000;
pub const MAX_WIDTH: usize = 512;
pub const MAX_DEPTH: usize = 8;
pub const MAX_RESOLUTION: usize = 64;
pub const MAX_SNAPSHOTS: usize = 8;
/// A playground steps through its snapshots, so it may take more.
pub const MAX_PLAYGROUND_SNAPSHOTS: usize = 24;
pub const MAX_POINTS: usize = 100_000;
pub const MAX_SEEDS: usize = 20;
/// The most runs a sweep may have (heatmaps grow with them).
pub const MAX_RUNS: usize = 512;

/// The measured training rate of the engine on 64-wide layers, in GFLOP per second per
/// core (AVX2 kernel, release build, one thread, on the authoring machine; see
/// `docs/simulations.md`). Smaller networks do less arithmetic per point; the per-unit and
/// per-point terms of [`network_flop`] account for their overhead at this rate.
pub const GFLOP_PER_SECOND_PER_CORE: f64 = 80.0;

/// A dataset with every default applied.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DataPlan {
    pub kind: DatasetName,
    pub n: usize,
    pub noise: f64,
    pub seed: u64,
    pub test_fraction: f64,
}

/// One network to train, everything decided.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RunPlan {
    pub hidden: Vec<usize>,
    pub activation: ActivationName,
    pub optimizer: OptimizerName,
    pub epochs: usize,
    pub batch_size: Option<usize>,
    pub lr: f64,
    pub l2: f64,
    pub seed: u64,
    /// Train on only the first this-many training points (too-little-data).
    pub train_limit: Option<usize>,
    /// A playground's input features; empty: the raw coordinates (the other kinds).
    pub features: Vec<FeatureName>,
    /// A playground's weight penalty and its weight (`l2` above is the sweep's).
    pub regularization: RegularizationName,
    pub regularization_rate: f64,
}

impl RunPlan {
    /// The L1 and L2 weights the engine applies: `(l1, l2)`.
    pub fn penalties(&self) -> (f64, f64) {
        let rate = self.regularization_rate;
        match self.regularization {
            RegularizationName::None => (0.0, self.l2),
            RegularizationName::L1 => (rate, self.l2),
            RegularizationName::L2 => (0.0, self.l2 + rate),
        }
    }
}

/// A sweep axis: its key and its values, as written.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub enum AxisPlan {
    Dataset(Vec<DatasetName>),
    Noise(Vec<f64>),
    TestFraction(Vec<f64>),
    Features(Vec<Vec<FeatureName>>),
    Lr(Vec<f64>),
    Hidden(Vec<Vec<usize>>),
    Activation(Vec<ActivationName>),
    Optimizer(Vec<OptimizerName>),
    Regularization(Vec<RegularizationName>),
    RegularizationRate(Vec<f64>),
    L2(Vec<f64>),
    BatchSize(Vec<Option<usize>>),
    Seed(Vec<u64>),
}

/// The keys of every axis, in run order (the last changes fastest).
pub const AXIS_ORDER: [&str; 13] = [
    "dataset",
    "noise",
    "test_fraction",
    "features",
    "lr",
    "hidden",
    "activation",
    "optimizer",
    "regularization",
    "regularization_rate",
    "l2",
    "batch_size",
    "seed",
];

impl AxisPlan {
    pub fn len(&self) -> usize {
        match self {
            AxisPlan::Dataset(v) => v.len(),
            AxisPlan::Features(v) => v.len(),
            AxisPlan::Optimizer(v) => v.len(),
            AxisPlan::Regularization(v) => v.len(),
            AxisPlan::Hidden(v) => v.len(),
            AxisPlan::Activation(v) => v.len(),
            AxisPlan::BatchSize(v) => v.len(),
            AxisPlan::Seed(v) => v.len(),
            AxisPlan::Lr(v)
            | AxisPlan::L2(v)
            | AxisPlan::Noise(v)
            | AxisPlan::TestFraction(v)
            | AxisPlan::RegularizationRate(v) => v.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn key(&self) -> &'static str {
        match self {
            AxisPlan::Dataset(_) => "dataset",
            AxisPlan::Noise(_) => "noise",
            AxisPlan::TestFraction(_) => "test_fraction",
            AxisPlan::Features(_) => "features",
            AxisPlan::Optimizer(_) => "optimizer",
            AxisPlan::Regularization(_) => "regularization",
            AxisPlan::RegularizationRate(_) => "regularization_rate",
            AxisPlan::Lr(_) => "lr",
            AxisPlan::Hidden(_) => "hidden",
            AxisPlan::Activation(_) => "activation",
            AxisPlan::L2(_) => "l2",
            AxisPlan::BatchSize(_) => "batch_size",
            AxisPlan::Seed(_) => "seed",
        }
    }

    pub fn label(&self) -> &'static str {
        match self {
            AxisPlan::Dataset(_) => "Dataset",
            AxisPlan::Noise(_) => "Noise",
            AxisPlan::TestFraction(_) => "Test fraction",
            AxisPlan::Features(_) => "Features",
            AxisPlan::Optimizer(_) => "Optimizer",
            AxisPlan::Regularization(_) => "Regularization",
            AxisPlan::RegularizationRate(_) => "Regularization rate",
            AxisPlan::Lr(_) => "Learning rate",
            AxisPlan::Hidden(_) => "Hidden layers",
            AxisPlan::Activation(_) => "Activation",
            AxisPlan::L2(_) => "L2 penalty",
            AxisPlan::BatchSize(_) => "Batch size",
            AxisPlan::Seed(_) => "Seed",
        }
    }

    /// The values as a reader sees them.
    pub fn labels(&self) -> Vec<String> {
        match self {
            AxisPlan::Dataset(v) => v.iter().map(|d| d.as_str().into()).collect(),
            AxisPlan::Features(v) => v.iter().map(|f| features_label(f)).collect(),
            AxisPlan::Optimizer(v) => v.iter().map(|o| optimizer_name(*o).into()).collect(),
            AxisPlan::Regularization(v) => v.iter().map(|r| regularization_label(*r)).collect(),
            AxisPlan::Lr(v)
            | AxisPlan::L2(v)
            | AxisPlan::Noise(v)
            | AxisPlan::TestFraction(v)
            | AxisPlan::RegularizationRate(v) => v.iter().map(|x| num(*x)).collect(),
            AxisPlan::Hidden(v) => v.iter().map(|h| hidden_label(h)).collect(),
            AxisPlan::Activation(v) => v.iter().map(|a| a.as_str().into()).collect(),
            AxisPlan::BatchSize(v) => v.iter().map(|b| batch_label(*b)).collect(),
            AxisPlan::Seed(v) => v.iter().map(|s| s.to_string()).collect(),
        }
    }

    /// The axis as an artifact records it.
    pub fn artifact(&self) -> crate::sim::model::Axis {
        crate::sim::model::Axis {
            key: self.key().into(),
            label: self.label().into(),
            values: self.labels(),
        }
    }

    /// Sets value `i` of this axis in `run` and `data`.
    fn apply(&self, i: usize, run: &mut RunPlan, data: &mut DataPlan) {
        match self {
            AxisPlan::Dataset(v) => data.kind = v[i],
            AxisPlan::Noise(v) => data.noise = v[i],
            AxisPlan::TestFraction(v) => data.test_fraction = v[i],
            AxisPlan::Features(v) => run.features = v[i].clone(),
            AxisPlan::Optimizer(v) => run.optimizer = v[i],
            AxisPlan::Regularization(v) => run.regularization = v[i],
            AxisPlan::RegularizationRate(v) => run.regularization_rate = v[i],
            AxisPlan::Lr(v) => run.lr = v[i],
            AxisPlan::Hidden(v) => run.hidden = v[i].clone(),
            AxisPlan::Activation(v) => run.activation = v[i],
            AxisPlan::L2(v) => run.l2 = v[i],
            AxisPlan::BatchSize(v) => run.batch_size = v[i],
            AxisPlan::Seed(v) => run.seed = v[i],
        }
    }
}

/// A failure mode with the run that produces it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ModePlan {
    pub mode: FailureMode,
    pub label: String,
    pub symptom: String,
    pub remedy: String,
    pub change: String,
    pub run: RunPlan,
}

/// A learning-curve model.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ModelPlan {
    pub name: String,
    pub hidden: Vec<usize>,
    pub activation: ActivationName,
}

/// What a simulation computes, per kind.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub enum Plan {
    Sweep {
        axes: Vec<AxisPlan>,
        default: Vec<usize>,
    },
    LearningCurve {
        sizes: Vec<usize>,
        test: usize,
        models: Vec<ModelPlan>,
        seeds: usize,
    },
    FailureModes {
        healthy: String,
        modes: Vec<ModePlan>,
    },
    Playground {
        axes: Vec<AxisPlan>,
        default: Vec<usize>,
        /// The dataset keys the author wrote (the others follow each dataset's defaults).
        n: Option<usize>,
        noise: Option<f64>,
        /// 1-D regression (`linear`, `sine`) rather than 2-D classification.
        regression: bool,
    },
}

/// A simulation with every default applied: what is trained, and what the cache key
/// hashes (so a reformatted spec still hits).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SimPlan {
    pub id: String,
    pub kind: SimulationKind,
    pub title: Option<String>,
    pub data: DataPlan,
    /// The top-level training keys (a sweep's base point, a lab's healthy run, a
    /// learning curve's shared settings).
    pub base: RunPlan,
    pub resolution: usize,
    pub snapshots: Vec<usize>,
    pub plan: Plan,
}

/// Dataset defaults per kind: (n, noise).
pub fn dataset_defaults(kind: DatasetName) -> (usize, f64) {
    match kind {
        DatasetName::Spirals => (600, 0.05),
        DatasetName::Circle => (400, 0.1),
        DatasetName::Xor => (400, 0.1),
        DatasetName::Moons => (400, 0.15),
        DatasetName::Blobs => (400, 0.1),
        DatasetName::Linear => (60, 0.1),
        DatasetName::Sine => (60, 0.1),
    }
}

pub fn default_lr(optimizer: OptimizerName) -> f64 {
    match optimizer {
        OptimizerName::Adam => 0.03,
        OptimizerName::Sgd | OptimizerName::Momentum => 0.3,
    }
}

pub const DEFAULT_EPOCHS: usize = 200;
pub const DEFAULT_RESOLUTION: usize = 32;
/// Points along x of a regression playground's curves.
pub const DEFAULT_CURVE_RESOLUTION: usize = 64;
pub const DEFAULT_TEST_SIZE: usize = 1000;
pub const DEFAULT_SEEDS: usize = 3;

/// The default snapshot epochs: 0, about a tenth, about a third, and the last.
pub fn default_snapshots(epochs: usize) -> Vec<usize> {
    let mut s = vec![0, epochs.div_ceil(10), epochs.div_ceil(3), epochs];
    s.dedup();
    s
}

/// A playground's default snapshot epochs, for play and step: 0, then doubling up to
/// the last (E/64, E/32, ..., E/2, E), rounded up.
pub fn playground_snapshots(epochs: usize) -> Vec<usize> {
    let mut s = vec![0];
    s.extend((0..7).rev().map(|k| epochs.div_ceil(1 << k)));
    s.dedup();
    s
}

pub fn optimizer_name(o: OptimizerName) -> &'static str {
    match o {
        OptimizerName::Adam => "Adam",
        OptimizerName::Sgd => "SGD",
        OptimizerName::Momentum => "momentum",
    }
}

/// "8-8", or "none (logistic regression)" for no hidden layer.
pub fn hidden_label(h: &[usize]) -> String {
    if h.is_empty() {
        "none".into()
    } else {
        h.iter()
            .map(|w| w.to_string())
            .collect::<Vec<_>>()
            .join("-")
    }
}

pub(super) fn batch_label(b: Option<usize>) -> String {
    b.map_or("full batch".into(), |b| b.to_string())
}

/// "{x₁, x₂, x₁²}": a feature set as a reader sees it (braces keep sets apart in a list).
pub fn features_label(f: &[FeatureName]) -> String {
    let names: Vec<&str> = f.iter().map(|f| feature_label(*f)).collect();
    format!("{{{}}}", names.join(", "))
}

pub fn feature_label(f: FeatureName) -> &'static str {
    match f {
        FeatureName::X1 => "x₁",
        FeatureName::X2 => "x₂",
        FeatureName::X1Squared => "x₁²",
        FeatureName::X2Squared => "x₂²",
        FeatureName::X1X2 => "x₁x₂",
        FeatureName::SinX1 => "sin(πx₁)",
        FeatureName::SinX2 => "sin(πx₂)",
    }
}

pub fn regularization_label(r: RegularizationName) -> String {
    match r {
        RegularizationName::None => "none",
        RegularizationName::L1 => "L1",
        RegularizationName::L2 => "L2",
    }
    .into()
}

/// A number as an author would write it: 0.001, 0.3, 10.
pub fn num(x: f64) -> String {
    // Six significant digits keep what an author writes and drop float noise
    // (`0.03 / 1000` is 0.000029999999999999997).
    crate::numbers::significant(x, 6)
}

/// Points diagnostics at the nodes of one simulation, the `index`-th of the lesson's
/// `simulations:`, by their key paths in the front-matter.
pub struct Locator<'a> {
    file: &'a SourceFile,
    index: String,
}

impl<'a> Locator<'a> {
    pub fn new(file: &'a SourceFile, index: usize) -> Locator<'a> {
        Locator {
            file,
            index: index.to_string(),
        }
    }

    /// The location of the node at `path` under this simulation: keys (a trailing `:` is
    /// allowed, as in `["grid:", "lr:"]`) and list indices. A path that is not written as
    /// it is (`sizes` is under `dataset`) is looked for at any depth under the simulation;
    /// else the simulation's `id:` line.
    pub fn locate(&self, path: &[&str]) -> Location {
        let base = ["simulations", self.index.as_str()];
        let keys: Vec<&str> = path.iter().map(|k| k.trim_end_matches(':')).collect();
        let full: Vec<&str> = base.iter().copied().chain(keys.iter().copied()).collect();
        if let Some(found) = self.file.locate_exact(&full) {
            return found;
        }
        let under = keys
            .last()
            .and_then(|key| self.file.nodes().find_under(&base, key))
            .map(|(line, column)| Location {
                line: self.file.front_matter_line() + line - 1,
                column,
            });
        under.unwrap_or_else(|| self.file.locate_path(&[base[0], base[1], "id"]))
    }

    pub fn error(&self, path: &[&str], message: impl Into<String>) -> Diagnostic {
        Diagnostic::error(&self.file.path, message).at(&self.file.text, self.locate(path))
    }
}

/// Checks `sim`, the `index`-th of its lesson's `simulations:`, and applies its
/// defaults. `None` when anything is wrong; every problem is in `errors`.
pub fn resolve(
    sim: &Simulation,
    index: usize,
    file: &SourceFile,
    errors: &mut Vec<Diagnostic>,
) -> Option<SimPlan> {
    let loc = Locator::new(file, index);
    let before = errors.len();
    let kind = sim.kind;

    let ds = sim.dataset.clone().unwrap_or_default();
    check_kind_keys(sim, &ds, &loc, errors);
    if !is_valid_id(&sim.id) {
        // The loader reports bad ids; nothing to train.
        return None;
    }

    let data = resolve_dataset(&ds, kind, &loc, errors);
    let mut base = resolve_training(sim, &loc, errors);
    let (resolution, snapshots) = resolve_heatmaps(sim, base.epochs, &loc, errors);

    let plan = match kind {
        SimulationKind::Sweep => sweep::plan_sweep(sim, &loc, errors),
        SimulationKind::LearningCurve => curve::plan_curve(sim, &ds, &base, &loc, errors),
        SimulationKind::FailureModes => failure::plan_failures(sim, &base, &data, &loc, errors),
        SimulationKind::Playground => {
            playground::plan_playground(sim, &ds, &mut base, resolution, &loc, errors)
        }
    };
    if errors.len() > before {
        return None;
    }
    Some(SimPlan {
        id: sim.id.clone(),
        kind,
        title: sim.title.clone(),
        data,
        base,
        resolution,
        snapshots,
        plan: plan?,
    })
}

/// Keys of `sim` that its kind does not take.
fn check_kind_keys(sim: &Simulation, ds: &SimDataset, loc: &Locator, errors: &mut Vec<Diagnostic>) {
    let kind = sim.kind;
    let kname = kind.as_str();
    // `kinds` names the kinds the key belongs to, or (starting with a capital) is the
    // whole hint.
    let mut not_for = |present: bool, key: &str, kinds: &str| {
        if present {
            let hint = if kinds.starts_with(char::is_uppercase) {
                kinds.to_string()
            } else {
                format!("`{key}` belongs to {kinds} simulations")
            };
            errors.push(
                loc.error(
                    &[&format!("{key}:")],
                    format!("`{key}` is not a key of a `{kname}` simulation"),
                )
                .with_hint(hint),
            );
        }
    };
    let is = |k: SimulationKind| kind == k;
    let gridded = is(SimulationKind::Sweep) || is(SimulationKind::Playground);
    not_for(
        !gridded && sim.grid.is_some(),
        "grid",
        "`sweep` and `playground`",
    );
    not_for(
        !gridded && sim.default.is_some(),
        "default",
        "`sweep` and `playground`",
    );
    for (key, present) in [
        ("features", sim.features.is_some()),
        ("regularization", sim.regularization.is_some()),
        ("regularization_rate", sim.regularization_rate.is_some()),
    ] {
        not_for(
            !is(SimulationKind::Playground) && present,
            key,
            "`playground`",
        );
    }
    not_for(
        is(SimulationKind::Playground) && sim.l2.is_some(),
        "l2",
        "A playground's penalty is `regularization: l2` with `regularization_rate:`",
    );
    not_for(
        !is(SimulationKind::LearningCurve) && sim.models.is_some(),
        "models",
        "`learning-curve`",
    );
    not_for(
        !is(SimulationKind::LearningCurve) && sim.seeds.is_some(),
        "seeds",
        "`learning-curve`",
    );
    not_for(
        !is(SimulationKind::LearningCurve) && ds.sizes.is_some(),
        "sizes",
        "`learning-curve`",
    );
    not_for(
        !is(SimulationKind::LearningCurve) && ds.test.is_some(),
        "test",
        "`learning-curve`",
    );
    not_for(
        !is(SimulationKind::FailureModes) && sim.modes.is_some(),
        "modes",
        "`failure-modes`",
    );
    if is(SimulationKind::LearningCurve) {
        let other = "`sweep` and `failure-modes`";
        not_for(
            sim.hidden.is_some(),
            "hidden",
            "Give each model its own `hidden:` in `models:`",
        );
        not_for(sim.resolution.is_some(), "resolution", other);
        not_for(sim.snapshots.is_some(), "snapshots", other);
        not_for(
            ds.n.is_some(),
            "n",
            "A learning curve's points are `dataset.sizes` (training) and `dataset.test`",
        );
        not_for(
            ds.test_fraction.is_some(),
            "test_fraction",
            "A learning curve's test set is `dataset.test` points",
        );
    }
}

/// The dataset of `sim` with its defaults, checked.
fn resolve_dataset(
    ds: &SimDataset,
    kind: SimulationKind,
    loc: &Locator,
    errors: &mut Vec<Diagnostic>,
) -> DataPlan {
    let dkind = ds.kind.unwrap_or(DatasetName::Circle);
    if dkind.is_regression() && kind != SimulationKind::Playground {
        errors.push(
            loc.error(
                &["dataset:", "kind:"],
                format!(
                    "`{}` is a 1-D regression dataset: only a `playground` simulation takes it",
                    dkind.as_str()
                ),
            )
            .with_hint("a `{kind_name}` simulation draws 2-D classification: use spirals, circle, xor, moons or blobs".replace("{kind_name}", kind.as_str())),
        );
    }
    let (dn, dnoise) = dataset_defaults(dkind);
    let data = DataPlan {
        kind: dkind,
        n: ds.n.unwrap_or(dn),
        noise: ds.noise.unwrap_or(dnoise),
        seed: ds.seed.unwrap_or(1),
        test_fraction: ds.test_fraction.unwrap_or(0.25),
    };
    if !(10..=MAX_POINTS).contains(&data.n) {
        errors.push(loc.error(
            &["dataset:", "n:"],
            format!(
                "`n: {}` is out of range: a dataset has 10 to {MAX_POINTS} points",
                data.n
            ),
        ));
    }
    if dkind == DatasetName::Spirals
        && !data.n.is_multiple_of(2)
        && kind != SimulationKind::LearningCurve
    {
        errors.push(
            loc.error(
                &["dataset:", "n:"],
                format!(
                    "`n: {}` is odd: two spirals need an even number of points",
                    data.n
                ),
            )
            .with_hint(format!("use `n: {}`", data.n + 1)),
        );
    }
    check_noise(data.noise, loc, &["dataset:", "noise:"], errors);
    check_test_fraction(
        data.test_fraction,
        loc,
        &["dataset:", "test_fraction:"],
        errors,
    );
    data
}

pub(super) fn check_noise(noise: f64, loc: &Locator, path: &[&str], errors: &mut Vec<Diagnostic>) {
    if !(noise.is_finite() && (0.0..=1.0).contains(&noise)) {
        errors.push(loc.error(
            path,
            format!(
                "`noise: {}` is out of range: expected a value from 0 to 1",
                num(noise)
            ),
        ));
    }
}

pub(super) fn check_test_fraction(
    f: f64,
    loc: &Locator,
    path: &[&str],
    errors: &mut Vec<Diagnostic>,
) {
    if !(f > 0.0 && f <= 0.9) {
        errors.push(
            loc.error(
                path,
                format!(
                    "`test_fraction: {}` is out of range: expected more than 0 and at most 0.9",
                    num(f)
                ),
            )
            .with_hint("the test set measures generalization: keep some points out, e.g. 0.25"),
        );
    }
}

/// The top-level training keys of `sim` with their defaults, checked.
fn resolve_training(sim: &Simulation, loc: &Locator, errors: &mut Vec<Diagnostic>) -> RunPlan {
    let optimizer = sim.optimizer.unwrap_or(OptimizerName::Adam);
    let base = RunPlan {
        hidden: sim.hidden.clone().unwrap_or_else(|| vec![8, 8]),
        activation: sim.activation.unwrap_or(ActivationName::Tanh),
        optimizer,
        epochs: sim.epochs.unwrap_or(DEFAULT_EPOCHS),
        batch_size: sim.batch_size.and_then(|b| b.0),
        lr: sim.lr.unwrap_or_else(|| default_lr(optimizer)),
        l2: sim.l2.unwrap_or(0.0),
        seed: sim.seed.unwrap_or(1),
        train_limit: None,
        features: Vec::new(),
        regularization: sim.regularization.unwrap_or(RegularizationName::None),
        regularization_rate: sim.regularization_rate.unwrap_or(0.0),
    };
    if let Some(rate) = sim.regularization_rate {
        check_rate(rate, loc, &["regularization_rate:"], errors);
    }
    if !(1..=MAX_EPOCHS).contains(&base.epochs) {
        errors.push(loc.error(
            &["epochs:"],
            format!(
                "`epochs: {}` is out of range: expected 1 to {MAX_EPOCHS}",
                base.epochs
            ),
        ));
    }
    if let Some(lr) = sim.lr {
        check_lr(lr, loc, &["lr:"], errors);
    }
    if let Some(l2) = sim.l2 {
        check_l2(l2, loc, &["l2:"], errors);
    }
    if let Some(h) = &sim.hidden {
        check_hidden(h, loc, &["hidden:"], errors);
    }
    if let Some(BatchSize(Some(b))) = sim.batch_size {
        check_batch(b, loc, &["batch_size:"], errors);
    }
    base
}

/// The heatmaps' resolution and the snapshot epochs of `sim`, checked against the run's
/// `epochs`.
fn resolve_heatmaps(
    sim: &Simulation,
    epochs: usize,
    loc: &Locator,
    errors: &mut Vec<Diagnostic>,
) -> (usize, Vec<usize>) {
    let playground = sim.kind == SimulationKind::Playground;
    let max_snapshots = if playground {
        MAX_PLAYGROUND_SNAPSHOTS
    } else {
        MAX_SNAPSHOTS
    };
    let resolution = sim
        .resolution
        .unwrap_or(if playground && sim.is_regression() {
            DEFAULT_CURVE_RESOLUTION
        } else {
            DEFAULT_RESOLUTION
        });
    if !(2..=MAX_RESOLUTION).contains(&resolution) {
        errors.push(
            loc.error(
                &["resolution:"],
                format!(
                    "`resolution: {resolution}` is out of range: expected 2 to {MAX_RESOLUTION}"
                ),
            )
            .with_hint("a heatmap of 32 x 32 cells is sharp enough on a page"),
        );
    }
    let snapshots = match &sim.snapshots {
        None if playground => playground_snapshots(epochs),
        None => default_snapshots(epochs),
        Some(s) => {
            if s.is_empty() || s.len() > max_snapshots {
                errors.push(loc.error(
                    &["snapshots:"],
                    format!(
                        "`snapshots` has {} epochs: expected 1 to {max_snapshots}",
                        s.len()
                    ),
                ));
            } else if !s.windows(2).all(|w| w[0] < w[1]) {
                errors.push(loc.error(
                    &["snapshots:"],
                    "`snapshots` must be increasing epochs, e.g. [0, 20, 200]",
                ));
            } else if let Some(&last) = s.last()
                && last > epochs
            {
                errors.push(
                    loc.error(
                        &["snapshots:"],
                        format!("snapshot epoch {last} is past the last epoch ({})", epochs),
                    )
                    .with_hint(format!(
                        "snapshots are taken during training: use epochs from 0 to {}",
                        epochs
                    )),
                );
            }
            s.clone()
        }
    };
    (resolution, snapshots)
}

pub(super) fn is_valid_id(id: &str) -> bool {
    crate::slug::is_valid_slug(id)
}

pub(super) fn check_lr(lr: f64, loc: &Locator, path: &[&str], errors: &mut Vec<Diagnostic>) {
    if !(lr > 0.0 && lr <= 100.0) {
        errors.push(
            loc.error(
                path,
                format!(
                    "learning rate {} is out of range: expected more than 0 and at most 100",
                    num(lr)
                ),
            )
            .with_hint("typical learning rates are 0.001 to 1"),
        );
    }
}

pub(super) fn check_l2(l2: f64, loc: &Locator, path: &[&str], errors: &mut Vec<Diagnostic>) {
    if !(l2.is_finite() && (0.0..=10.0).contains(&l2)) {
        errors.push(loc.error(
            path,
            format!("L2 penalty {} is out of range: expected 0 to 10", num(l2)),
        ));
    }
}

pub(super) fn check_rate(rate: f64, loc: &Locator, path: &[&str], errors: &mut Vec<Diagnostic>) {
    if !(rate.is_finite() && (0.0..=10.0).contains(&rate)) {
        errors.push(loc.error(
            path,
            format!(
                "regularization rate {} is out of range: expected 0 to 10",
                num(rate)
            ),
        ));
    }
}

pub(super) fn check_hidden(
    h: &[usize],
    loc: &Locator,
    path: &[&str],
    errors: &mut Vec<Diagnostic>,
) {
    if h.len() > MAX_DEPTH {
        errors.push(loc.error(
            path,
            format!("{} hidden layers is too deep: at most {MAX_DEPTH}", h.len()),
        ));
    }
    if let Some(w) = h.iter().find(|&&w| w == 0 || w > MAX_WIDTH) {
        errors.push(
            loc.error(
                path,
                format!("a hidden layer of width {w}: widths must be 1 to {MAX_WIDTH}"),
            )
            .with_hint("`hidden: []` (no hidden layer) is logistic regression"),
        );
    }
}

pub(super) fn check_batch(b: usize, loc: &Locator, path: &[&str], errors: &mut Vec<Diagnostic>) {
    if b == 0 {
        errors.push(
            loc.error(
                path,
                "`batch_size: 0`: a mini-batch needs at least one point",
            )
            .with_hint("write `full` (or leave `batch_size` out) for full-batch training"),
        );
    }
}

/// The runs of a sweep or failure lab (run order).
pub fn runs_of(r: &SimPlan) -> Vec<RunPlan> {
    match &r.plan {
        Plan::Sweep { axes, .. } => sweep_runs(&r.base, axes),
        Plan::FailureModes { modes, .. } => std::iter::once(r.base.clone())
            .chain(modes.iter().map(|m| m.run.clone()))
            .collect(),
        Plan::Playground { .. } => playground_runs(r).into_iter().map(|p| p.run).collect(),
        Plan::LearningCurve { .. } => Vec::new(),
    }
}
