//! Simulation specs: the author's keys (typed in `crate::load::lesson`) checked per kind,
//! defaults applied, and the result, a [`Resolved`] spec that the run and cache modules
//! read. Also the cost model. Every problem is reported, each at the line of the key that
//! causes it. The format is documented in `docs/simulations.md`.

use std::collections::HashSet;

use serde::Serialize;

use crate::diagnostics::{Diagnostic, Location};
use crate::load::lesson::{
    ActivationName, BatchSize, DatasetName, FailureMode, OptimizerName, Simulation, SimulationKind,
};
use crate::load::source::SourceFile;

/// Limits on single keys (the cost limit covers the rest).
pub const MAX_EPOCHS: usize = 20_000;
pub const MAX_WIDTH: usize = 512;
pub const MAX_DEPTH: usize = 8;
pub const MAX_RESOLUTION: usize = 64;
pub const MAX_SNAPSHOTS: usize = 8;
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
pub struct DataCfg {
    pub kind: DatasetName,
    pub n: usize,
    pub noise: f64,
    pub seed: u64,
    pub test_fraction: f64,
}

/// One network to train, everything decided.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RunCfg {
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
}

/// A sweep axis: its key and its values, as written.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub enum AxisValues {
    Lr(Vec<f64>),
    Hidden(Vec<Vec<usize>>),
    Activation(Vec<ActivationName>),
    L2(Vec<f64>),
    BatchSize(Vec<Option<usize>>),
    Seed(Vec<u64>),
}

impl AxisValues {
    pub fn len(&self) -> usize {
        match self {
            AxisValues::Lr(v) | AxisValues::L2(v) => v.len(),
            AxisValues::Hidden(v) => v.len(),
            AxisValues::Activation(v) => v.len(),
            AxisValues::BatchSize(v) => v.len(),
            AxisValues::Seed(v) => v.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn key(&self) -> &'static str {
        match self {
            AxisValues::Lr(_) => "lr",
            AxisValues::Hidden(_) => "hidden",
            AxisValues::Activation(_) => "activation",
            AxisValues::L2(_) => "l2",
            AxisValues::BatchSize(_) => "batch_size",
            AxisValues::Seed(_) => "seed",
        }
    }

    pub fn label(&self) -> &'static str {
        match self {
            AxisValues::Lr(_) => "Learning rate",
            AxisValues::Hidden(_) => "Hidden layers",
            AxisValues::Activation(_) => "Activation",
            AxisValues::L2(_) => "L2 penalty",
            AxisValues::BatchSize(_) => "Batch size",
            AxisValues::Seed(_) => "Seed",
        }
    }

    /// The values as a reader sees them.
    pub fn labels(&self) -> Vec<String> {
        match self {
            AxisValues::Lr(v) | AxisValues::L2(v) => v.iter().map(|x| num(*x)).collect(),
            AxisValues::Hidden(v) => v.iter().map(|h| hidden_label(h)).collect(),
            AxisValues::Activation(v) => v.iter().map(|a| activation_name(*a).into()).collect(),
            AxisValues::BatchSize(v) => v.iter().map(|b| batch_label(*b)).collect(),
            AxisValues::Seed(v) => v.iter().map(|s| s.to_string()).collect(),
        }
    }

    /// Sets value `i` of this axis in `run`.
    fn apply(&self, i: usize, run: &mut RunCfg) {
        match self {
            AxisValues::Lr(v) => run.lr = v[i],
            AxisValues::Hidden(v) => run.hidden = v[i].clone(),
            AxisValues::Activation(v) => run.activation = v[i],
            AxisValues::L2(v) => run.l2 = v[i],
            AxisValues::BatchSize(v) => run.batch_size = v[i],
            AxisValues::Seed(v) => run.seed = v[i],
        }
    }
}

/// A failure mode with the run that produces it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ModeCfg {
    pub mode: FailureMode,
    pub label: String,
    pub symptom: String,
    pub remedy: String,
    pub change: String,
    pub run: RunCfg,
}

/// A learning-curve model.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ModelCfg {
    pub name: String,
    pub hidden: Vec<usize>,
    pub activation: ActivationName,
}

/// What a simulation computes, per kind.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub enum Plan {
    Sweep {
        axes: Vec<AxisValues>,
        default: Vec<usize>,
    },
    LearningCurve {
        sizes: Vec<usize>,
        test: usize,
        models: Vec<ModelCfg>,
        seeds: usize,
    },
    FailureModes {
        healthy: String,
        modes: Vec<ModeCfg>,
    },
}

/// A simulation with every default applied: what is trained, and what the cache key
/// hashes (so a reformatted spec still hits).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Resolved {
    pub id: String,
    pub kind: SimulationKind,
    pub title: Option<String>,
    pub data: DataCfg,
    /// The top-level training keys (a sweep's base point, a lab's healthy run, a
    /// learning curve's shared settings).
    pub base: RunCfg,
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
pub const DEFAULT_TEST_SIZE: usize = 1000;
pub const DEFAULT_SEEDS: usize = 3;

/// The default snapshot epochs: 0, about a tenth, about a third, and the last.
pub fn default_snapshots(epochs: usize) -> Vec<usize> {
    let mut s = vec![0, epochs.div_ceil(10), epochs.div_ceil(3), epochs];
    s.dedup();
    s
}

pub fn activation_name(a: ActivationName) -> &'static str {
    match a {
        ActivationName::Relu => "relu",
        ActivationName::LeakyRelu => "leaky-relu",
        ActivationName::Tanh => "tanh",
        ActivationName::Sigmoid => "sigmoid",
        ActivationName::Linear => "linear",
    }
}

pub fn optimizer_name(o: OptimizerName) -> &'static str {
    match o {
        OptimizerName::Adam => "Adam",
        OptimizerName::Sgd => "SGD",
        OptimizerName::Momentum => "momentum",
    }
}

pub fn dataset_name(d: DatasetName) -> &'static str {
    match d {
        DatasetName::Spirals => "spirals",
        DatasetName::Circle => "circle",
        DatasetName::Xor => "xor",
        DatasetName::Moons => "moons",
        DatasetName::Blobs => "blobs",
    }
}

pub fn kind_name(k: SimulationKind) -> &'static str {
    match k {
        SimulationKind::Sweep => "sweep",
        SimulationKind::LearningCurve => "learning-curve",
        SimulationKind::FailureModes => "failure-modes",
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

fn batch_label(b: Option<usize>) -> String {
    b.map_or("full batch".into(), |b| b.to_string())
}

/// A number as an author would write it: 0.001, 0.3, 10.
pub fn num(x: f64) -> String {
    let s = format!("{x}");
    if s.contains('e') {
        format!("{x:.0e}")
    } else {
        s
    }
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
) -> Option<Resolved> {
    let loc = Locator::new(file, index);
    let before = errors.len();
    let kind = sim.kind;
    let kname = kind_name(kind);

    // Keys a kind does not take.
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
    let ds = sim.dataset.clone().unwrap_or_default();
    not_for(
        !is(SimulationKind::Sweep) && sim.grid.is_some(),
        "grid",
        "`sweep`",
    );
    not_for(
        !is(SimulationKind::Sweep) && sim.default.is_some(),
        "default",
        "`sweep`",
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
    if !is_valid_id(&sim.id) {
        // The loader reports bad ids; nothing to train.
        return None;
    }

    // The dataset.
    let dkind = ds.kind.unwrap_or(DatasetName::Circle);
    let (dn, dnoise) = dataset_defaults(dkind);
    let data = DataCfg {
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
        && !is(SimulationKind::LearningCurve)
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
    if !(data.noise.is_finite() && (0.0..=1.0).contains(&data.noise)) {
        errors.push(loc.error(
            &["dataset:", "noise:"],
            format!(
                "`noise: {}` is out of range: expected a value from 0 to 1",
                data.noise
            ),
        ));
    }
    if !(data.test_fraction > 0.0 && data.test_fraction <= 0.9) {
        errors.push(
            loc.error(
                &["dataset:", "test_fraction:"],
                format!(
                    "`test_fraction: {}` is out of range: expected more than 0 and at most 0.9",
                    data.test_fraction
                ),
            )
            .with_hint("the test set measures generalization: keep some points out, e.g. 0.25"),
        );
    }

    // Training keys.
    let optimizer = sim.optimizer.unwrap_or(OptimizerName::Adam);
    let base = RunCfg {
        hidden: sim.hidden.clone().unwrap_or_else(|| vec![8, 8]),
        activation: sim.activation.unwrap_or(ActivationName::Tanh),
        optimizer,
        epochs: sim.epochs.unwrap_or(DEFAULT_EPOCHS),
        batch_size: sim.batch_size.and_then(|b| b.0),
        lr: sim.lr.unwrap_or_else(|| default_lr(optimizer)),
        l2: sim.l2.unwrap_or(0.0),
        seed: sim.seed.unwrap_or(1),
        train_limit: None,
    };
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
        check_lr(lr, &loc, &["lr:"], errors);
    }
    if let Some(l2) = sim.l2 {
        check_l2(l2, &loc, &["l2:"], errors);
    }
    if let Some(h) = &sim.hidden {
        check_hidden(h, &loc, &["hidden:"], errors);
    }
    if let Some(BatchSize(Some(b))) = sim.batch_size {
        check_batch(b, &loc, &["batch_size:"], errors);
    }

    // Heatmaps.
    let resolution = sim.resolution.unwrap_or(DEFAULT_RESOLUTION);
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
        None => default_snapshots(base.epochs),
        Some(s) => {
            if s.is_empty() || s.len() > MAX_SNAPSHOTS {
                errors.push(loc.error(
                    &["snapshots:"],
                    format!(
                        "`snapshots` has {} epochs: expected 1 to {MAX_SNAPSHOTS}",
                        s.len()
                    ),
                ));
            } else if !s.windows(2).all(|w| w[0] < w[1]) {
                errors.push(loc.error(
                    &["snapshots:"],
                    "`snapshots` must be increasing epochs, e.g. [0, 20, 200]",
                ));
            } else if let Some(&last) = s.last()
                && last > base.epochs
            {
                errors.push(
                    loc.error(
                        &["snapshots:"],
                        format!(
                            "snapshot epoch {last} is past the last epoch ({})",
                            base.epochs
                        ),
                    )
                    .with_hint(format!(
                        "snapshots are taken during training: use epochs from 0 to {}",
                        base.epochs
                    )),
                );
            }
            s.clone()
        }
    };

    let plan = match kind {
        SimulationKind::Sweep => plan_sweep(sim, &base, &loc, errors),
        SimulationKind::LearningCurve => plan_curve(sim, &ds, &base, &loc, errors),
        SimulationKind::FailureModes => plan_failures(sim, &base, &data, &loc, errors),
    };
    if errors.len() > before {
        return None;
    }
    Some(Resolved {
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

fn is_valid_id(id: &str) -> bool {
    crate::slug::is_valid_slug(id)
}

fn check_lr(lr: f64, loc: &Locator, path: &[&str], errors: &mut Vec<Diagnostic>) {
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

fn check_l2(l2: f64, loc: &Locator, path: &[&str], errors: &mut Vec<Diagnostic>) {
    if !(l2.is_finite() && (0.0..=10.0).contains(&l2)) {
        errors.push(loc.error(
            path,
            format!("L2 penalty {} is out of range: expected 0 to 10", num(l2)),
        ));
    }
}

fn check_hidden(h: &[usize], loc: &Locator, path: &[&str], errors: &mut Vec<Diagnostic>) {
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

fn check_batch(b: usize, loc: &Locator, path: &[&str], errors: &mut Vec<Diagnostic>) {
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

fn plan_sweep(
    sim: &Simulation,
    base: &RunCfg,
    loc: &Locator,
    errors: &mut Vec<Diagnostic>,
) -> Option<Plan> {
    // No grid: a single run (the top-level keys), shown like any sweep.
    let no_grid = Default::default();
    let grid = sim.grid.as_ref().unwrap_or(&no_grid);
    let mut axes = Vec::new();
    let mut check_list = |values: AxisValues, errors: &mut Vec<Diagnostic>| {
        let key = values.key();
        let path = ["grid:", &*format!("{key}:")].map(str::to_owned);
        let path: Vec<&str> = path.iter().map(String::as_str).collect();
        if values.is_empty() {
            errors.push(loc.error(
                &path,
                format!("the `{key}` axis of the grid is empty: give it at least one value"),
            ));
            return;
        }
        let labels = values.labels();
        let mut seen = HashSet::new();
        for l in &labels {
            if !seen.insert(l) {
                errors.push(loc.error(&path, format!("the `{key}` axis lists `{l}` twice")));
            }
        }
        match &values {
            AxisValues::Lr(v) => v.iter().for_each(|&x| check_lr(x, loc, &path, errors)),
            AxisValues::L2(v) => v.iter().for_each(|&x| check_l2(x, loc, &path, errors)),
            AxisValues::Hidden(v) => v.iter().for_each(|h| check_hidden(h, loc, &path, errors)),
            AxisValues::BatchSize(v) => v
                .iter()
                .flatten()
                .for_each(|&b| check_batch(b, loc, &path, errors)),
            _ => {}
        }
        axes.push(values);
    };
    if let Some(v) = &grid.lr {
        check_list(AxisValues::Lr(v.clone()), errors);
    }
    if let Some(v) = &grid.hidden {
        check_list(AxisValues::Hidden(v.clone()), errors);
    }
    if let Some(v) = &grid.activation {
        check_list(AxisValues::Activation(v.clone()), errors);
    }
    if let Some(v) = &grid.l2 {
        check_list(AxisValues::L2(v.clone()), errors);
    }
    if let Some(v) = &grid.batch_size {
        check_list(
            AxisValues::BatchSize(v.iter().map(|b| b.0).collect()),
            errors,
        );
    }
    if let Some(v) = &grid.seed {
        check_list(AxisValues::Seed(v.clone()), errors);
    }
    if sim.grid.is_some()
        && axes.is_empty()
        && grid.lr.is_none()
        && grid.hidden.is_none()
        && grid.activation.is_none()
        && grid.l2.is_none()
        && grid.batch_size.is_none()
        && grid.seed.is_none()
    {
        errors.push(
            loc.error(&["grid:"], "the grid has no axes")
                .with_hint("give one or more of: lr, hidden, activation, l2, batch_size, seed"),
        );
    }
    let runs: usize = axes.iter().map(AxisValues::len).product();
    if runs > MAX_RUNS {
        errors.push(
            loc.error(
                &["grid:"],
                format!("the grid has {runs} points: at most {MAX_RUNS} runs fit a page"),
            )
            .with_hint("use fewer values per axis"),
        );
    }
    // The default point.
    let mut default = vec![0; axes.len()];
    if let Some(d) = &sim.default {
        let wanted: [(&str, Option<String>); 6] = [
            ("lr", d.lr.map(num)),
            ("hidden", d.hidden.as_deref().map(hidden_label)),
            (
                "activation",
                d.activation.map(|a| activation_name(a).to_string()),
            ),
            ("l2", d.l2.map(num)),
            ("batch_size", d.batch_size.map(|b| batch_label(b.0))),
            ("seed", d.seed.map(|s| s.to_string())),
        ];
        for (key, value) in wanted {
            let Some(value) = value else { continue };
            let path = ["default:", &format!("{key}:")].map(str::to_owned);
            let path: Vec<&str> = path.iter().map(String::as_str).collect();
            match axes.iter().position(|a| a.key() == key) {
                None => errors.push(
                    loc.error(
                        &path,
                        format!("`default` sets `{key}`, which is not an axis of the grid"),
                    )
                    .with_hint(format!(
                        "the grid's axes are: {}",
                        axes.iter()
                            .map(AxisValues::key)
                            .collect::<Vec<_>>()
                            .join(", ")
                    )),
                ),
                Some(a) => match axes[a].labels().iter().position(|l| *l == value) {
                    Some(i) => default[a] = i,
                    None => errors.push(
                        loc.error(
                            &path,
                            format!("the default `{key}: {value}` is not one of the grid's values"),
                        )
                        .with_hint(format!(
                            "the grid's `{key}` values are: {}",
                            axes[a].labels().join(", ")
                        )),
                    ),
                },
            }
        }
    }
    let _ = base;
    Some(Plan::Sweep { axes, default })
}

/// The runs of a sweep, row-major over its axes (the last changes fastest).
pub fn sweep_runs(base: &RunCfg, axes: &[AxisValues]) -> Vec<RunCfg> {
    let total: usize = axes.iter().map(AxisValues::len).product();
    (0..total)
        .map(|mut r| {
            let mut run = base.clone();
            for axis in axes.iter().rev() {
                axis.apply(r % axis.len(), &mut run);
                r /= axis.len();
            }
            run
        })
        .collect()
}

fn plan_curve(
    sim: &Simulation,
    ds: &crate::load::lesson::SimDataset,
    base: &RunCfg,
    loc: &Locator,
    errors: &mut Vec<Diagnostic>,
) -> Option<Plan> {
    let sizes = match &ds.sizes {
        None => {
            errors.push(
                loc.error(
                    &["dataset:"],
                    "a `learning-curve` simulation needs `dataset.sizes`: the training-set sizes",
                )
                .with_hint("e.g. `dataset: { kind: spirals, sizes: [50, 200, 800] }`"),
            );
            Vec::new()
        }
        Some(s) => {
            let path = ["dataset:", "sizes:"];
            if s.len() < 2 {
                errors.push(loc.error(
                    &path,
                    "`sizes` needs at least two training-set sizes to draw a curve",
                ));
            } else if !s.windows(2).all(|w| w[0] < w[1]) {
                errors.push(loc.error(&path, "`sizes` must be increasing, e.g. [100, 300, 1000]"));
            }
            if s.first().is_some_and(|&x| x < 4) {
                errors.push(loc.error(&path, "a training set needs at least 4 points"));
            }
            s.clone()
        }
    };
    let test = ds.test.unwrap_or(DEFAULT_TEST_SIZE);
    if !(10..=MAX_POINTS).contains(&test) {
        errors.push(loc.error(
            &["dataset:", "test:"],
            format!("`test: {test}` is out of range: expected 10 to {MAX_POINTS} points"),
        ));
    }
    if sizes.last().is_some_and(|&m| m + test > MAX_POINTS) {
        errors.push(loc.error(
            &["dataset:", "sizes:"],
            format!("the largest size plus the test set is over {MAX_POINTS} points"),
        ));
    }
    let seeds = sim.seeds.unwrap_or(DEFAULT_SEEDS);
    if !(1..=MAX_SEEDS).contains(&seeds) {
        errors.push(loc.error(
            &["seeds:"],
            format!("`seeds: {seeds}` is out of range: expected 1 to {MAX_SEEDS}"),
        ));
    }
    let mut models = Vec::new();
    match &sim.models {
        None => errors.push(
            loc.error(&[], "a `learning-curve` simulation needs `models:`")
                .with_hint("e.g. `models: [{ name: logistic, hidden: [] }, { name: network, hidden: [32, 32] }]`"),
        ),
        Some(m) if m.is_empty() => errors.push(loc.error(&["models:"], "`models` is empty: give at least one model")),
        Some(m) => {
            let mut names = HashSet::new();
            for model in m {
                let path = ["models:", &format!("name: {}", model.name)].map(str::to_owned);
                let path: Vec<&str> = path.iter().map(String::as_str).collect();
                if model.name.trim().is_empty() {
                    errors.push(loc.error(&["models:"], "a model has an empty `name`"));
                }
                if !names.insert(model.name.as_str()) {
                    errors.push(loc.error(&path, format!("two models are named `{}`", model.name)));
                }
                check_hidden(&model.hidden, loc, &path, errors);
                models.push(ModelCfg {
                    name: model.name.clone(),
                    hidden: model.hidden.clone(),
                    activation: model.activation.unwrap_or(base.activation),
                });
            }
        }
    }
    Some(Plan::LearningCurve {
        sizes,
        test,
        models,
        seeds,
    })
}

fn plan_failures(
    sim: &Simulation,
    base: &RunCfg,
    data: &DataCfg,
    loc: &Locator,
    errors: &mut Vec<Diagnostic>,
) -> Option<Plan> {
    let Some(modes) = &sim.modes else {
        errors.push(
            loc.error(&[], "a `failure-modes` simulation needs `modes:`")
                .with_hint(
                    "e.g. `modes: [{ mode: lr-too-high, remedy: \"lower the learning rate\" }]`",
                ),
        );
        return None;
    };
    if modes.is_empty() {
        errors.push(loc.error(
            &["modes:"],
            "`modes` is empty: give at least one failure mode",
        ));
    }
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for (i, m) in modes.iter().enumerate() {
        let name = mode_name(m.mode);
        let at = i.to_string();
        if !seen.insert(m.mode) {
            errors.push(loc.error(
                &["modes", &at, "mode"],
                format!("the mode `{name}` is listed twice"),
            ));
        }
        if m.remedy.trim().is_empty() {
            errors.push(loc.error(
                &["modes", &at, "remedy"],
                format!("the mode `{name}` has an empty `remedy`"),
            ));
        }
        let (run, change, label, symptom) = failure_run(m.mode, base, data);
        out.push(ModeCfg {
            mode: m.mode,
            label: label.into(),
            symptom: m.symptom.clone().unwrap_or_else(|| symptom.into()),
            remedy: m.remedy.clone(),
            change,
            run,
        });
    }
    let healthy = format!(
        "{} hidden layers, {}, {} at learning rate {}, {} epochs on {} training points",
        hidden_label(&base.hidden),
        activation_name(base.activation),
        optimizer_name(base.optimizer),
        num(base.lr),
        base.epochs,
        data.n - (data.n as f64 * data.test_fraction).round() as usize,
    );
    Some(Plan::FailureModes {
        healthy,
        modes: out,
    })
}

pub fn mode_name(m: FailureMode) -> &'static str {
    match m {
        FailureMode::LrTooHigh => "lr-too-high",
        FailureMode::LrTooLow => "lr-too-low",
        FailureMode::SaturatedSigmoid => "saturated-sigmoid",
        FailureMode::DeadRelu => "dead-relu",
        FailureMode::TooLittleData => "too-little-data",
        FailureMode::TooSmallNetwork => "too-small-network",
    }
}

/// Points the too-little-data mode trains on.
pub const LITTLE_DATA: usize = 20;

/// How a failure mode is produced from the healthy run: the run, the change in words,
/// the label and the default symptom.
pub fn failure_run(
    mode: FailureMode,
    base: &RunCfg,
    _data: &DataCfg,
) -> (RunCfg, String, &'static str, &'static str) {
    let mut run = base.clone();
    match mode {
        FailureMode::LrTooHigh => {
            run.lr = base.lr * 100.0;
            (
                run,
                format!(
                    "learning rate {} instead of {}",
                    num(base.lr * 100.0),
                    num(base.lr)
                ),
                "Learning rate too high",
                "The loss jumps around or climbs instead of settling, and the boundary flips from one snapshot to the next.",
            )
        }
        FailureMode::LrTooLow => {
            run.lr = base.lr / 1000.0;
            (
                run,
                format!(
                    "learning rate {} instead of {}",
                    num(base.lr / 1000.0),
                    num(base.lr)
                ),
                "Learning rate too low",
                "The loss barely moves from where it started: the network is learning, but far too slowly to get anywhere in the time given.",
            )
        }
        FailureMode::SaturatedSigmoid => {
            let width = base.hidden.iter().copied().max().unwrap_or(8).max(8);
            run.hidden = vec![width; 6];
            run.activation = ActivationName::Sigmoid;
            run.optimizer = OptimizerName::Sgd;
            run.lr = 0.1;
            (
                run,
                format!("6 sigmoid layers of {width} trained with plain SGD at learning rate 0.1"),
                "Saturated sigmoids",
                "The loss sits on a long plateau near its starting value: the gradient shrinks at every sigmoid layer it passes back through, so the early layers hardly learn.",
            )
        }
        FailureMode::DeadRelu => {
            run.activation = ActivationName::Relu;
            run.optimizer = OptimizerName::Sgd;
            run.lr = 8.0;
            (
                run,
                format!(
                    "ReLU units trained with SGD at learning rate 8 (healthy: {}, {} at {})",
                    activation_name(base.activation),
                    optimizer_name(base.optimizer),
                    num(base.lr)
                ),
                "Dead ReLUs",
                "After a few huge early steps the ReLU units output zero for every input and pass no gradient back: the loss freezes and the heatmap goes flat.",
            )
        }
        FailureMode::TooLittleData => {
            run.train_limit = Some(LITTLE_DATA);
            run.hidden = vec![64, 64];
            run.l2 = 0.0;
            (
                run,
                format!("{LITTLE_DATA} training points and hidden layers 64-64"),
                "Too little data",
                "Training accuracy climbs to nearly 100% while test accuracy stays far lower: the network memorises the few points it has, and the boundary bends around each one.",
            )
        }
        FailureMode::TooSmallNetwork => {
            run.hidden = vec![1];
            (
                run,
                format!("one hidden unit instead of {}", hidden_label(&base.hidden)),
                "Network too small",
                "Both training and test accuracy stall well below the healthy run: one unit can only draw a straight boundary, whatever the training does.",
            )
        }
    }
}

// ---------------------------------------------------------------------------------------
// Cost model.

/// Weights and biases of a 2-input, 1-output network.
pub fn parameter_count(hidden: &[usize]) -> usize {
    let mut fan_in = 2;
    let mut total = 0;
    for &w in hidden.iter().chain(std::iter::once(&1)) {
        total += (fan_in + 1) * w;
        fan_in = w;
    }
    total
}

/// Metrics are recorded about this many times per run.
pub const RECORDS: usize = 50;

pub fn record_every(epochs: usize) -> usize {
    epochs.div_ceil(RECORDS).max(1)
}

/// Units of a 2-input, 1-output network: hidden units plus the output.
fn unit_count(hidden: &[usize]) -> usize {
    hidden.iter().sum::<usize>() + 1
}

/// Work per training point per epoch beyond the multiply-adds: each unit's activation
/// and the loss, in FLOP-equivalents at [`GFLOP_PER_SECOND_PER_CORE`] (measured).
const FLOP_PER_UNIT: f64 = 28.0;
const FLOP_PER_POINT: f64 = 160.0;
/// A recorded evaluation is done in f64 by the reference network: per point.
const FLOP_PER_EVAL_POINT: f64 = 10_000.0;

/// The estimated work of one network, in FLOP-equivalents: per training point and epoch,
/// 6 per weight (forward, backward, gradient) plus 28 per unit and 160 per point; per
/// recorded evaluation, 2 per weight plus 10,000 per train and test point; per heatmap
/// cell, a forward pass. The constants are measured (see `docs/simulations.md`).
pub fn network_flop(run: &RunCfg, n_train: usize, n_test: usize, heat_cells: usize) -> f64 {
    let w = parameter_count(&run.hidden) as f64;
    let u = unit_count(&run.hidden) as f64;
    let records = (run.epochs / record_every(run.epochs) + 2) as f64;
    let step = 6.0 * w + FLOP_PER_UNIT * u + FLOP_PER_POINT;
    let forward = 2.0 * w + FLOP_PER_UNIT * u + FLOP_PER_POINT;
    n_train as f64 * run.epochs as f64 * step
        + (n_train + n_test) as f64 * records * (2.0 * w + FLOP_PER_EVAL_POINT)
        + heat_cells as f64 * forward
}

/// A learning curve records only the last epoch.
fn curve_network_flop(run: &RunCfg, n_train: usize, n_test: usize) -> f64 {
    let w = parameter_count(&run.hidden) as f64;
    let u = unit_count(&run.hidden) as f64;
    n_train as f64 * run.epochs as f64 * (6.0 * w + FLOP_PER_UNIT * u + FLOP_PER_POINT)
        + 2.0 * (n_train + n_test) as f64 * (2.0 * w + FLOP_PER_EVAL_POINT)
}

/// What a simulation costs.
#[derive(Clone, Copy, Debug, Default)]
pub struct Cost {
    pub networks: usize,
    pub flop: f64,
}

impl Cost {
    pub fn gflop(&self) -> f64 {
        self.flop / 1e9
    }

    /// The estimated training time on `cores` cores, in seconds.
    pub fn seconds(&self, cores: usize) -> f64 {
        self.gflop() / (GFLOP_PER_SECOND_PER_CORE * cores.max(1) as f64)
    }
}

fn split_sizes(data: &DataCfg) -> (usize, usize) {
    let test = (data.n as f64 * data.test_fraction).round() as usize;
    (data.n - test, test)
}

/// The runs of a sweep or failure lab (run order).
pub fn runs_of(r: &Resolved) -> Vec<RunCfg> {
    match &r.plan {
        Plan::Sweep { axes, .. } => sweep_runs(&r.base, axes),
        Plan::FailureModes { modes, .. } => std::iter::once(r.base.clone())
            .chain(modes.iter().map(|m| m.run.clone()))
            .collect(),
        Plan::LearningCurve { .. } => Vec::new(),
    }
}

pub fn cost(r: &Resolved) -> Cost {
    let cells = r.resolution * r.resolution * r.snapshots.len();
    match &r.plan {
        Plan::LearningCurve {
            sizes,
            test,
            models,
            seeds,
        } => {
            let mut c = Cost::default();
            for m in models {
                let run = RunCfg {
                    hidden: m.hidden.clone(),
                    ..r.base.clone()
                };
                for &s in sizes {
                    c.networks += seeds;
                    c.flop += *seeds as f64 * curve_network_flop(&run, s, *test);
                }
            }
            c
        }
        _ => {
            let (n_train, n_test) = split_sizes(&r.data);
            let runs = runs_of(r);
            Cost {
                networks: runs.len(),
                flop: runs
                    .iter()
                    .map(|run| {
                        network_flop(
                            run,
                            run.train_limit.unwrap_or(n_train).min(n_train),
                            n_test,
                            cells,
                        )
                    })
                    .sum(),
            }
        }
    }
}

/// "2,160".
pub fn thousands(n: usize) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// "1,840", "12.5", "0.04": GFLOP as a reader wants them.
pub fn gflop_words(gflop: f64) -> String {
    if gflop >= 100.0 {
        thousands(gflop.round() as usize)
    } else if gflop >= 1.0 {
        format!("{gflop:.1}")
    } else {
        format!("{gflop:.2}")
    }
}

/// "25 min", "40 s".
pub fn duration_words(seconds: f64) -> String {
    if seconds < 1.0 {
        "under 1 s".into()
    } else if seconds < 90.0 {
        format!("{:.0} s", seconds)
    } else if seconds < 5400.0 {
        format!("{:.0} min", seconds / 60.0)
    } else {
        format!("{:.1} h", seconds / 3600.0)
    }
}

/// The limit check: an error at the simulation's `id:` line when over `max_gflop`.
pub fn check_cost(
    r: &Resolved,
    c: &Cost,
    max_gflop: f64,
    cores: usize,
    loc: &Locator,
) -> Option<Diagnostic> {
    if c.gflop() <= max_gflop {
        return None;
    }
    let _ = r;
    Some(
        loc.error(
            &[],
            format!(
                "this simulation would train {} network{}, about {} GFLOP (about {} on {} core{}); the limit is {} GFLOP (`simulations.max_gflop` in site.yaml)",
                thousands(c.networks),
                if c.networks == 1 { "" } else { "s" },
                gflop_words(c.gflop()),
                duration_words(c.seconds(cores)),
                cores,
                if cores == 1 { "" } else { "s" },
                thousands(max_gflop.round() as usize),
            ),
        )
        .with_hint("use fewer grid values, seeds or epochs, smaller datasets or narrower layers, or raise `simulations.max_gflop`"),
    )
}
