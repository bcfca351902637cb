//! Training a resolved simulation with the engine and quantizing the results into the
//! artifact model ([`SimData`]). Networks that share an architecture, a batch size and a
//! dataset train together as one `train_batch` call; the batches of a simulation run in
//! parallel. The arithmetic is pinned: AVX2's, run by the AVX2 kernel where the CPU has
//! it and by the portable 8-lane kernel (the same roundings in plain Rust) elsewhere, so
//! the bytes do not depend on the machine.
//!
//! Owns: training a plan and quantizing its results. Never does: check a spec (the spec
//! module does) or touch the cache.

use ndarray::{Array2, Axis as NdAxis, s};
use rayon::prelude::*;

use super::cost;
use super::model::{
    DatasetInfo, FailureData, LearningCurveData, ModeInfo, ModelInfo, Quantized, RunSet, SimData,
    SweepData,
};
use super::spec::{self, DataPlan, Plan, RunPlan, SimPlan};
use crate::engine::{
    Activation, Architecture, BatchResult, Dataset, DatasetKind, DatasetSpec, GridSpec, Isa,
    KernelChoice, Loss, NetHyper, Optimizer, SplitMix64, TrainSpec, train_batch,
};
use crate::load::lesson::{ActivationName, DatasetName, OptimizerName};

/// The most training points drawn under a heatmap.
pub const OVERLAY_POINTS: usize = 200;

/// The environment variable that chooses which kernel runs the pinned arithmetic:
/// `portable` runs the plain-Rust one (what a machine without AVX2 runs, for testing it
/// on one that has AVX2), `auto` or unset the fastest this CPU has.
pub const KERNEL_ENV: &str = "CONCEPTLAB_SIM_KERNEL";

/// Whether [`KERNEL_ENV`] asks for the portable kernel; an error for a value it does not
/// know (the command line checks this before any work starts).
pub fn portable_forced() -> Result<bool, String> {
    match std::env::var(KERNEL_ENV) {
        Err(std::env::VarError::NotPresent) => Ok(false),
        Ok(v) if v == "auto" || v.is_empty() => Ok(false),
        Ok(v) if v == "portable" => Ok(true),
        Ok(v) => Err(format!(
            "{KERNEL_ENV}={v:?} is not a kernel: expected `auto` or `portable`"
        )),
        Err(std::env::VarError::NotUnicode(_)) => Err(format!(
            "{KERNEL_ENV} is not UTF-8: expected `auto` or `portable`"
        )),
    }
}

/// The kernel every simulation trains with: AVX2 where the CPU has it, else the portable
/// 8-lane kernel. Both give the same bits.
pub fn pinned_isa() -> Isa {
    if Isa::Avx2.is_available() && !portable_forced().unwrap_or(false) {
        Isa::Avx2
    } else {
        Isa::Lanes8
    }
}

/// What to tell the user before training on x86 with the portable kernel (an emulated
/// fused multiply-add per lane), or `None` where training runs at full speed.
pub fn slow_kernel_note() -> Option<&'static str> {
    (cfg!(target_arch = "x86_64") && pinned_isa() == Isa::Lanes8).then_some(
        "this CPU has no AVX2 (or CONCEPTLAB_SIM_KERNEL=portable): simulations train with \
         the portable kernel, the same numbers about 50 times more slowly; `conceptlab \
         simulate --shard` can train them on other machines",
    )
}

/// The arithmetic's name, as it goes into the cache key: the same whichever of the two
/// kernels runs it, since their bytes are the same.
pub fn kernel_name() -> &'static str {
    "avx2-rounding"
}

pub(super) fn activation(a: ActivationName) -> Activation {
    match a {
        ActivationName::Relu => Activation::Relu,
        ActivationName::LeakyRelu => Activation::LeakyRelu,
        ActivationName::Tanh => Activation::Tanh,
        ActivationName::Sigmoid => Activation::Sigmoid,
        ActivationName::Linear => Activation::Linear,
    }
}

fn optimizer(o: OptimizerName) -> Optimizer {
    match o {
        OptimizerName::Adam => Optimizer::adam(),
        OptimizerName::Sgd => Optimizer::Sgd,
        OptimizerName::Momentum => Optimizer::Momentum { beta: 0.9 },
    }
}

fn dataset_kind(d: DatasetName) -> DatasetKind {
    match d {
        DatasetName::Spirals => DatasetKind::TwoSpirals,
        DatasetName::Circle => DatasetKind::Circle,
        DatasetName::Xor => DatasetKind::Xor,
        DatasetName::Moons => DatasetKind::Moons,
        DatasetName::Blobs => DatasetKind::Blobs { classes: 2 },
        DatasetName::Linear => DatasetKind::Linear,
        DatasetName::Sine => DatasetKind::Sine,
    }
}

fn arch(hidden: &[usize], act: ActivationName) -> Architecture {
    Architecture {
        inputs: 2,
        hidden: hidden.to_vec(),
        outputs: 1,
        activation: activation(act),
        loss: Loss::BinaryCrossEntropy,
    }
}

pub(super) fn generate(data: &DataPlan) -> Result<Dataset, String> {
    Dataset::generate(&DatasetSpec {
        kind: dataset_kind(data.kind),
        n: data.n,
        noise: data.noise,
        seed: data.seed,
        test_fraction: data.test_fraction,
    })
    .map_err(|e| format!("the dataset cannot be drawn: {e}"))
}

/// Up to [`OVERLAY_POINTS`] training points, evenly spaced through the training set.
fn dataset_info(kind: DatasetName, x: &Array2<f32>, y: &Array2<f32>, n_test: usize) -> DatasetInfo {
    let n = x.nrows();
    let take = n.min(OVERLAY_POINTS);
    let idx: Vec<usize> = (0..take).map(|i| i * n / take).collect();
    let pts: Vec<f32> = idx.iter().flat_map(|&i| [x[[i, 0]], x[[i, 1]]]).collect();
    let labels: Vec<f32> = idx.iter().map(|&i| y[[i, 0]]).collect();
    DatasetInfo {
        kind: kind.as_str().into(),
        n_train: n,
        n_test,
        points: Quantized::new(&pts, vec![take, 2], 8, -1.0, 1.0),
        labels: Quantized::new(&labels, vec![take], 8, 0.0, 1.0),
    }
}

/// Reports progress: called with the number of networks of each finished batch.
pub type Tick<'a> = &'a (dyn Fn(usize) + Sync);

/// Trains `r` and returns its data.
pub fn run(r: &SimPlan, tick: Tick<'_>) -> Result<SimData, String> {
    match &r.plan {
        Plan::Sweep { axes, default } => {
            let data = generate(&r.data)?;
            let runs = spec::sweep_runs(&r.base, axes);
            let runs = train_runs(r, &data, &runs, tick)?;
            Ok(SimData::Sweep(SweepData {
                title: r.title.clone(),
                dataset: dataset_info(
                    r.data.kind,
                    &data.train_x,
                    &data.train_y,
                    data.test_x.nrows(),
                ),
                axes: axes.iter().map(spec::AxisPlan::artifact).collect(),
                default: default.clone(),
                runs,
            }))
        }
        Plan::FailureModes { healthy, modes } => {
            let data = generate(&r.data)?;
            let runs = spec::runs_of(r);
            let runs = train_runs(r, &data, &runs, tick)?;
            Ok(SimData::FailureModes(FailureData {
                title: r.title.clone(),
                dataset: dataset_info(
                    r.data.kind,
                    &data.train_x,
                    &data.train_y,
                    data.test_x.nrows(),
                ),
                healthy: healthy.clone(),
                modes: modes
                    .iter()
                    .map(|m| ModeInfo {
                        mode: m.mode.as_str().into(),
                        label: m.label.clone(),
                        symptom: m.symptom.clone(),
                        remedy: m.remedy.clone(),
                        change: m.change.clone(),
                    })
                    .collect(),
                runs,
            }))
        }
        Plan::LearningCurve {
            sizes,
            test,
            models,
            seeds,
        } => learning_curve(r, sizes, *test, models, *seeds, tick),
        Plan::Playground { .. } => super::play::run_playground(r, tick),
    }
}

pub(super) fn train_spec(run: &RunPlan, grid: Option<GridSpec>) -> TrainSpec {
    TrainSpec {
        epochs: run.epochs,
        optimizer: optimizer(run.optimizer),
        batch_size: run.batch_size,
        record_every: cost::record_every(run.epochs),
        grid,
        kernel: KernelChoice::Simd(pinned_isa()),
        features: vec![],
    }
}

fn hyper(run: &RunPlan) -> NetHyper {
    let (l1, l2) = run.penalties();
    NetHyper {
        lr: run.lr as f32,
        l1: l1 as f32,
        l2: l2 as f32,
        seed: run.seed,
    }
}

/// Trains the runs of a sweep or a failure lab, one batch per (architecture, optimizer,
/// epochs, batch size, training subset), and records them into a [`RunSet`].
fn train_runs(
    r: &SimPlan,
    data: &Dataset,
    runs: &[RunPlan],
    tick: Tick<'_>,
) -> Result<RunSet, String> {
    // Group runs by everything but the per-network hyper-parameters, in first-seen order.
    let mut groups: Vec<(RunPlan, Vec<usize>)> = Vec::new();
    for (i, run) in runs.iter().enumerate() {
        let key = RunPlan {
            lr: 0.0,
            l2: 0.0,
            seed: 0,
            ..run.clone()
        };
        match groups.iter_mut().find(|(k, _)| *k == key) {
            Some((_, members)) => members.push(i),
            None => groups.push((key, vec![i])),
        }
    }
    let grid = GridSpec {
        resolution: r.resolution,
        epochs: r.snapshots.clone(),
        units: false,
    };
    let results: Vec<Result<BatchResult, String>> = groups
        .par_iter()
        .map(|(key, members)| {
            let subset;
            let data = match key.train_limit {
                Some(limit) if limit < data.train_x.nrows() => {
                    subset = Dataset::from_arrays(
                        data.train_x.slice(s![..limit, ..]).to_owned(),
                        data.train_y.slice(s![..limit, ..]).to_owned(),
                        data.test_x.clone(),
                        data.test_y.clone(),
                    )
                    .map_err(|e| e.to_string())?;
                    &subset
                }
                _ => data,
            };
            let hypers: Vec<NetHyper> = members.iter().map(|&i| hyper(&runs[i])).collect();
            let result = train_batch(
                &arch(&key.hidden, key.activation),
                &train_spec(key, Some(grid.clone())),
                data,
                &hypers,
            )
            .map_err(|e| format!("training failed: {e}"))?;
            tick(members.len());
            Ok(result)
        })
        .collect();
    let mut per_run: Vec<Option<crate::engine::NetworkResult>> = vec![None; runs.len()];
    for ((_, members), result) in groups.iter().zip(results) {
        for (&i, net) in members.iter().zip(result?.networks) {
            per_run[i] = Some(net);
        }
    }
    let nets: Vec<crate::engine::NetworkResult> = per_run
        .into_iter()
        .map(|n| n.expect("every run trained"))
        .collect();

    let epochs: Vec<u32> = nets[0].curve.iter().map(|p| p.epoch as u32).collect();
    let n_epochs = epochs.len();
    let n_runs = nets.len();
    let mut train_loss = Vec::with_capacity(n_runs * n_epochs);
    let mut test_loss = Vec::with_capacity(n_runs * n_epochs);
    let mut train_acc = Vec::with_capacity(n_runs * n_epochs);
    let mut test_acc = Vec::with_capacity(n_runs * n_epochs);
    let mut diverged = Vec::with_capacity(n_runs);
    for net in &nets {
        let mut bad = false;
        for p in &net.curve {
            let tl = p.train_loss;
            let vl = p.test_loss.unwrap_or(f64::NAN);
            bad |= !tl.is_finite();
            train_loss.push(if tl.is_finite() { tl as f32 } else { f32::NAN });
            test_loss.push(if vl.is_finite() { vl as f32 } else { f32::NAN });
            train_acc.push(p.train_accuracy.unwrap_or(0.0) as f32);
            test_acc.push(p.test_accuracy.unwrap_or(0.0) as f32);
        }
        diverged.push(bad);
    }
    let loss_max = loss_range(nets.iter());
    let res = r.resolution;
    let mut heat = Vec::with_capacity(n_runs * r.snapshots.len() * res * res);
    for net in &nets {
        for g in &net.grids {
            // The engine's grid has row 0 at y = -1; the artifact's row 0 is the top.
            for row in (0..res).rev() {
                heat.extend(
                    g.values[row * res..(row + 1) * res]
                        .iter()
                        .map(|v| if v.is_finite() { *v } else { 0.5 }),
                );
            }
        }
    }
    let q16 = |v: &[f32], max: f32| Quantized::new(v, vec![n_runs, n_epochs], 16, 0.0, max);
    Ok(RunSet {
        epochs,
        snapshots: r.snapshots.iter().map(|&e| e as u32).collect(),
        resolution: res,
        diverged,
        train_loss: q16(&train_loss, loss_max),
        test_loss: q16(&test_loss, loss_max),
        train_accuracy: q16(&train_acc, 1.0),
        test_accuracy: q16(&test_acc, 1.0),
        heatmaps: Quantized::new(
            &heat,
            vec![n_runs, r.snapshots.len(), res * res],
            8,
            0.0,
            1.0,
        ),
    })
}

/// The top of the loss axis: 1.5 times the highest starting loss, rounded up to a
/// quarter, and at least 1. Losses above it are stored as "off the chart".
pub(super) fn loss_range<'a>(nets: impl Iterator<Item = &'a crate::engine::NetworkResult>) -> f32 {
    let start = nets
        .filter_map(|n| n.curve.first())
        .flat_map(|p| [Some(p.train_loss), p.test_loss])
        .flatten()
        .filter(|l| l.is_finite())
        .fold(0.0f64, f64::max);
    ((start * 1.5 * 4.0).ceil() / 4.0).max(1.0) as f32
}

fn learning_curve(
    r: &SimPlan,
    sizes: &[usize],
    test: usize,
    models: &[spec::ModelPlan],
    seeds: usize,
    tick: Tick<'_>,
) -> Result<SimData, String> {
    let max = *sizes.last().expect("sizes checked");
    // One pool: drawn once, shuffled, the first `test` points held out for testing and
    // the training sets nested (the first `size` of the rest).
    let mut n = max + test;
    if r.data.kind == DatasetName::Spirals && !n.is_multiple_of(2) {
        n += 1;
    }
    let pool = generate(&DataPlan {
        n,
        test_fraction: 0.0,
        ..r.data.clone()
    })?;
    let mut order: Vec<usize> = (0..n).collect();
    let mut rng = SplitMix64::new(r.data.seed ^ 0x5eed_c0de);
    for i in (1..n).rev() {
        let j = (rng.next_u64() % (i as u64 + 1)) as usize;
        order.swap(i, j);
    }
    let x = pool.train_x.select(NdAxis(0), &order);
    let y = pool.train_y.select(NdAxis(0), &order);
    let test_x = x.slice(s![..test, ..]).to_owned();
    let test_y = y.slice(s![..test, ..]).to_owned();
    let train_x = x.slice(s![test..test + max, ..]).to_owned();
    let train_y = y.slice(s![test..test + max, ..]).to_owned();

    let jobs: Vec<(usize, usize)> = (0..models.len())
        .flat_map(|m| (0..sizes.len()).map(move |s| (m, s)))
        .collect();
    /// Final test and train accuracy of each seed.
    type Accuracies = (Vec<f64>, Vec<f64>);
    let results: Vec<Result<Accuracies, String>> = jobs
        .par_iter()
        .map(|&(m, si)| {
            let size = sizes[si];
            let data = Dataset::from_arrays(
                train_x.slice(s![..size, ..]).to_owned(),
                train_y.slice(s![..size, ..]).to_owned(),
                test_x.clone(),
                test_y.clone(),
            )
            .map_err(|e| e.to_string())?;
            let run = RunPlan {
                hidden: models[m].hidden.clone(),
                activation: models[m].activation,
                ..r.base.clone()
            };
            let hypers: Vec<NetHyper> = (0..seeds as u64)
                .map(|k| NetHyper {
                    seed: r.base.seed + k,
                    ..hyper(&run)
                })
                .collect();
            let mut spec = train_spec(&run, None);
            spec.record_every = 0;
            let result = train_batch(&arch(&run.hidden, run.activation), &spec, &data, &hypers)
                .map_err(|e| format!("training failed: {e}"))?;
            tick(seeds);
            let last = |n: &crate::engine::NetworkResult| {
                n.curve.last().cloned().expect("the last epoch is recorded")
            };
            Ok((
                result
                    .networks
                    .iter()
                    .map(|n| last(n).test_accuracy.unwrap_or(0.0))
                    .collect(),
                result
                    .networks
                    .iter()
                    .map(|n| last(n).train_accuracy.unwrap_or(0.0))
                    .collect(),
            ))
        })
        .collect();
    let (mut mean, mut lo, mut hi, mut train) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for res in results {
        let (test_acc, train_acc) = res?;
        let k = test_acc.len() as f64;
        mean.push((test_acc.iter().sum::<f64>() / k) as f32);
        lo.push(test_acc.iter().copied().fold(f64::INFINITY, f64::min) as f32);
        hi.push(test_acc.iter().copied().fold(f64::NEG_INFINITY, f64::max) as f32);
        train.push((train_acc.iter().sum::<f64>() / k) as f32);
    }
    let shape = vec![models.len(), sizes.len()];
    let q = |v: &[f32]| Quantized::new(v, shape.clone(), 16, 0.0, 1.0);
    Ok(SimData::LearningCurve(LearningCurveData {
        title: r.title.clone(),
        dataset: dataset_info(r.data.kind, &train_x, &train_y, test),
        models: models
            .iter()
            .map(|m| ModelInfo {
                name: m.name.clone(),
                hidden: m.hidden.clone(),
                activation: m.activation.as_str().into(),
            })
            .collect(),
        sizes: sizes.to_vec(),
        seeds,
        test_mean: q(&mean),
        test_min: q(&lo),
        test_max: q(&hi),
        train_mean: q(&train),
    }))
}
