//! Batched training: K networks of one architecture, one dataset, per-network
//! hyper-parameters, trained in lockstep (same epochs, same schedule).
//!
//! Owns: validation of a request, the epoch/mini-batch loop, regularization, the call
//! into a kernel (or the reference network) for gradients, the optimizer step, and when
//! to record. Networks are independent, so rayon runs one network per task and each
//! network's arithmetic is the same whichever thread runs it: results are bit-identical
//! on any number of threads. Must never know about sites or files.

use ndarray::{Array3, ArrayView2};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::dataset::Dataset;
use super::error::EngineError;
use super::features::{self, Feature};
use super::kernels::{self, Columns, Isa, NetShape, Points, Workspace};
use super::network::{Architecture, FlatLayout, NetHyper, Params};
use super::optimizer::{self, Optimizer, OptimizerState};
use super::record::{self, BatchResult, GridSnapshot, NetworkResult};
use super::reference::Network;
use super::rng::SplitMix64;

/// Which code computes the gradients.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum KernelChoice {
    /// The widest SIMD kernel the CPU has (AVX-512, else AVX2, else scalar).
    #[default]
    Auto,
    /// A given instruction set (falls back to `Auto` when the CPU lacks it).
    Simd(Isa),
    /// The ndarray reference network (slow; for checking).
    Reference,
}

impl KernelChoice {
    fn resolve(self) -> Option<Isa> {
        match self {
            KernelChoice::Auto => Some(Isa::detect()),
            KernelChoice::Simd(isa) => Some(Isa::or_detect(Some(isa))),
            KernelChoice::Reference => None,
        }
    }
}

/// Predictions on a grid of the input space at chosen epochs (decision boundaries).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GridSpec {
    /// Points per axis over [-1, 1] (see [`record::grid_points`]).
    pub resolution: usize,
    /// Epochs at which to snapshot (0 = before training).
    pub epochs: Vec<usize>,
    /// Also record every hidden unit's activation at every grid point, and the
    /// parameters, in each snapshot ([`GridSnapshot::units`], [`GridSnapshot::params`]).
    #[serde(default)]
    pub units: bool,
}

/// How to train.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrainSpec {
    pub epochs: usize,
    pub optimizer: Optimizer,
    /// `None`: full batch, one step per epoch. `Some(b)`: each epoch shuffles the points
    /// (per network, from its seed) and steps on batches of `b` (the last may be smaller).
    pub batch_size: Option<usize>,
    /// Record metrics at epoch 0 and every `record_every` epochs (0: only the last epoch);
    /// the last epoch is always recorded.
    pub record_every: usize,
    pub grid: Option<GridSpec>,
    #[serde(default)]
    pub kernel: KernelChoice,
    /// What the network sees of each point: empty for the raw inputs; otherwise one input
    /// per feature, computed from the raw coordinates (`arch.inputs` must equal its
    /// length). The grid stays over the raw input space and is transformed likewise.
    #[serde(default)]
    pub features: Vec<Feature>,
}

/// Trains one network per entry of `hypers`, all from Glorot initializations seeded by
/// `hyper.seed`, and returns their curves, grid snapshots and final parameters.
pub fn train_batch(
    arch: &Architecture,
    spec: &TrainSpec,
    data: &Dataset,
    hypers: &[NetHyper],
) -> Result<BatchResult, EngineError> {
    validate(arch, spec, data, hypers)?;
    let grid = match &spec.grid {
        Some(g) => Some(features::transform(
            &spec.features,
            record::grid_points(data.inputs(), g.resolution)?.view(),
        )?),
        None => None,
    };
    let transformed;
    let data = if spec.features.is_empty() {
        data
    } else {
        let test_x = if data.test_x.nrows() > 0 {
            features::transform(&spec.features, data.test_x.view())?
        } else {
            ndarray::Array2::zeros((0, spec.features.len()))
        };
        transformed = Dataset {
            train_x: features::transform(&spec.features, data.train_x.view())?,
            train_y: data.train_y.clone(),
            test_x,
            test_y: data.test_y.clone(),
        };
        &transformed
    };
    let isa = spec.kernel.resolve();
    let layout = FlatLayout::new(arch);
    let x = data.train_x.as_standard_layout().into_owned();
    let y = data.train_y.as_standard_layout().into_owned();
    let job = BatchRun {
        arch,
        spec,
        data,
        layout: &layout,
        isa,
        points: Points {
            x: x.as_slice().expect("standard layout"),
            y: y.as_slice().expect("standard layout"),
        },
        grid: grid
            .as_ref()
            .map(|g| PredictPoints::new(g.as_standard_layout().into_owned(), isa)),
    };
    let networks = hypers.par_iter().map(|h| job.train_one(h)).collect();
    let kernel = match isa {
        None => "reference".to_string(),
        Some(isa) => format!("{isa:?}").to_lowercase(),
    };
    Ok(BatchResult { kernel, networks })
}

/// Predictions of several networks of one architecture at the rows of `x`:
/// `[network, point, output]` (probabilities for the cross-entropy losses).
pub fn predict_batch(
    arch: &Architecture,
    params: &[Params],
    x: ArrayView2<f32>,
    kernel: KernelChoice,
) -> Result<Array3<f32>, EngineError> {
    arch.validate()?;
    if x.ncols() != arch.inputs {
        return Err(EngineError::ShapeMismatch {
            what: "input columns vs architecture inputs",
            expected: arch.inputs,
            found: x.ncols(),
        });
    }
    for p in params {
        p.check(arch)?;
    }
    let layout = FlatLayout::new(arch);
    let (n, outputs) = (x.nrows(), arch.outputs);
    let mut out = Array3::<f32>::zeros((params.len(), n, outputs));
    let isa = kernel.resolve();
    let shape = NetShape {
        layout: &layout,
        activation: arch.activation,
        loss: arch.loss,
    };
    let points = PredictPoints::new(x.as_standard_layout().into_owned(), isa);
    out.as_slice_mut()
        .expect("fresh array")
        .par_chunks_mut((n * outputs).max(1))
        .zip(params.par_iter())
        // One workspace per rayon worker, reused across its networks.
        .for_each_init(
            || Workspace::new(&layout),
            |ws, (dst, p)| predict_into(isa, arch, &shape, p, &points, dst, None, ws),
        );
    Ok(out)
}

/// Points to predict at, in the layout the path that predicts reads: row-major for the
/// reference network, feature-major for the kernels (transposed once, for every network
/// and snapshot).
struct PredictPoints {
    rows: ndarray::Array2<f32>,
    columns: Option<Columns>,
}

impl PredictPoints {
    fn new(rows: ndarray::Array2<f32>, isa: Option<Isa>) -> Self {
        let columns =
            isa.map(|_| Columns::new(rows.as_slice().expect("standard layout"), rows.ncols()));
        Self { rows, columns }
    }
}

/// Predictions of one network at the rows of `x` into `out` (`[point][output]`), and
/// when `units` is given every hidden unit's activation there (`[unit][point]`, layer 0's
/// units first), from the kernel of `isa` or the f32 reference network.
#[allow(clippy::too_many_arguments)]
fn predict_into(
    isa: Option<Isa>,
    arch: &Architecture,
    shape: &NetShape,
    params: &Params,
    x: &PredictPoints,
    out: &mut [f32],
    units: Option<&mut [f32]>,
    ws: &mut Workspace,
) {
    match (isa, &x.columns) {
        (Some(isa), Some(columns)) => {
            kernels::predict(isa, ws, shape, &params.to_flat(), columns, out, units)
        }
        _ => {
            let (n, xs) = (x.rows.nrows(), x.rows.view());
            let net = Network::<f32>::from_params(params);
            let mut values = net.forward(arch, xs);
            let logits = values.pop().expect("forward returns the logits");
            let p = arch.loss.predict(logits.view());
            out.copy_from_slice(p.as_standard_layout().as_slice().expect("standard layout"));
            if let Some(units) = units {
                // values: [x, a_1, .., a_{L-1}]; each a_l is [point][unit].
                let mut rows = units.chunks_exact_mut(n.max(1));
                for a in &values[1..] {
                    for column in a.columns() {
                        let row = rows.next().expect("a row per hidden unit");
                        for (u, &v) in row.iter_mut().zip(column) {
                            *u = v;
                        }
                    }
                }
            }
        }
    }
}

/// One call of [`train_batch`]: the batch's shared inputs and where its points go.
struct BatchRun<'a> {
    arch: &'a Architecture,
    spec: &'a TrainSpec,
    data: &'a Dataset,
    layout: &'a FlatLayout,
    isa: Option<Isa>,
    points: Points<'a>,
    grid: Option<PredictPoints>,
}

impl BatchRun<'_> {
    fn train_one(&self, hyper: &NetHyper) -> NetworkResult {
        let (arch, spec) = (self.arch, self.spec);
        let shape = NetShape {
            layout: self.layout,
            activation: arch.activation,
            loss: arch.loss,
        };
        let mut params = Params::glorot(arch, hyper.seed).to_flat();
        let mut grads = vec![0.0f32; params.len()];
        let mut state = OptimizerState::new(&spec.optimizer, params.len());
        let mut ws = self.isa.map(|_| {
            let mut ws = Workspace::new(self.layout);
            ws.rows_fixed = spec.batch_size.is_none();
            ws
        });
        let n = self.data.train_x.nrows();
        let mut order: Vec<usize> = (0..n).collect();
        let mut shuffler = SplitMix64::new(hyper.seed ^ 0xBA7C_4ED0_0000_0001);
        let batch = spec.batch_size.unwrap_or(n).min(n);
        let mut result = NetworkResult {
            hyper: *hyper,
            curve: Vec::new(),
            grids: Vec::new(),
            params: Params { layers: vec![] },
        };
        self.record(0, &params, &shape, &mut result);
        for epoch in 1..=spec.epochs {
            if spec.batch_size.is_some() {
                shuffler.shuffle(&mut order);
            }
            for rows in order.chunks(batch) {
                grads.fill(0.0);
                match (self.isa, ws.as_mut()) {
                    (Some(isa), Some(ws)) => kernels::accumulate_gradients(
                        isa,
                        ws,
                        &shape,
                        &params,
                        &mut grads,
                        &self.points,
                        rows,
                    ),
                    _ => self.reference_gradients(&params, &mut grads, rows),
                }
                self.add_penalty(hyper, &params, &mut grads);
                optimizer::step(&spec.optimizer, &mut state, hyper.lr, &mut params, &grads);
            }
            self.record(epoch, &params, &shape, &mut result);
        }
        result.params = Params::from_flat(arch, &params);
        result
    }

    fn reference_gradients(&self, params: &[f32], grads: &mut [f32], rows: &[usize]) {
        let x = self.data.train_x.select(ndarray::Axis(0), rows);
        let y = self.data.train_y.select(ndarray::Axis(0), rows);
        let net = Network::<f32>::from_params(&Params::from_flat(self.arch, params));
        let g = net
            .gradients(self.arch, x.view(), y.view())
            .to_params()
            .to_flat();
        for (a, b) in grads.iter_mut().zip(g) {
            *a += b;
        }
    }

    /// dR/dw of `l1 sum |w| + l2 sum w^2 / 2`, weights only.
    fn add_penalty(&self, hyper: &NetHyper, params: &[f32], grads: &mut [f32]) {
        if hyper.l1 == 0.0 && hyper.l2 == 0.0 {
            return;
        }
        for (l, &(i, o)) in self.layout.shapes.iter().enumerate() {
            let range = self.layout.weight_at[l]..self.layout.weight_at[l] + i * o;
            for (g, &w) in grads[range.clone()].iter_mut().zip(&params[range]) {
                let sign = if w > 0.0 {
                    1.0
                } else if w < 0.0 {
                    -1.0
                } else {
                    0.0
                };
                *g += hyper.l1 * sign + hyper.l2 * w;
            }
        }
    }

    fn record(&self, epoch: usize, flat: &[f32], shape: &NetShape, result: &mut NetworkResult) {
        let spec = self.spec;
        let on_schedule = epoch == spec.epochs
            || (spec.record_every > 0 && epoch.is_multiple_of(spec.record_every));
        let wants_grid = spec
            .grid
            .as_ref()
            .is_some_and(|g| g.epochs.contains(&epoch));
        if !on_schedule && !wants_grid {
            return;
        }
        let params = Params::from_flat(self.arch, flat);
        if on_schedule {
            let d = self.data;
            let point = record::evaluate(
                self.arch,
                &params,
                epoch,
                (d.train_x.view(), d.train_y.view()),
                (d.test_x.view(), d.test_y.view()),
            );
            result.curve.push(point);
        }
        if let (true, Some(grid)) = (wants_grid, &self.grid) {
            let points = grid.rows.nrows();
            let mut values = vec![0.0; points * self.arch.outputs];
            let with_units = spec.grid.as_ref().is_some_and(|g| g.units);
            let hidden: usize = self.arch.hidden.iter().sum();
            let mut units = vec![0.0; if with_units { hidden * points } else { 0 }];
            let mut ws = Workspace::new(self.layout);
            predict_into(
                self.isa,
                self.arch,
                shape,
                &params,
                grid,
                &mut values,
                with_units.then_some(&mut units[..]),
                &mut ws,
            );
            result.grids.push(GridSnapshot {
                epoch,
                values,
                units,
                params: with_units.then(|| params.clone()),
            });
        }
    }
}

fn validate(
    arch: &Architecture,
    spec: &TrainSpec,
    data: &Dataset,
    hypers: &[NetHyper],
) -> Result<(), EngineError> {
    arch.validate()?;
    if hypers.is_empty() {
        return Err(EngineError::NoNetworks);
    }
    let mismatch = |what, expected, found| EngineError::ShapeMismatch {
        what,
        expected,
        found,
    };
    if spec.features.is_empty() {
        if data.inputs() != arch.inputs {
            return Err(mismatch(
                "dataset inputs vs architecture inputs",
                arch.inputs,
                data.inputs(),
            ));
        }
    } else {
        if spec.features.len() != arch.inputs {
            return Err(mismatch(
                "number of features vs architecture inputs",
                arch.inputs,
                spec.features.len(),
            ));
        }
        features::check_columns(&spec.features, data.inputs())?;
    }
    if data.outputs() != arch.outputs {
        return Err(mismatch(
            "dataset targets vs architecture outputs",
            arch.outputs,
            data.outputs(),
        ));
    }
    if data.train_x.nrows() == 0 {
        return Err(EngineError::ZeroSize("number of training points"));
    }
    // Dataset's fields are public, so a hand-built one may disagree with itself.
    if data.train_y.nrows() != data.train_x.nrows() {
        return Err(mismatch(
            "training targets vs inputs",
            data.train_x.nrows(),
            data.train_y.nrows(),
        ));
    }
    if data.test_y.nrows() != data.test_x.nrows() {
        return Err(mismatch(
            "test targets vs inputs",
            data.test_x.nrows(),
            data.test_y.nrows(),
        ));
    }
    if data.test_x.nrows() > 0
        && (data.test_x.ncols(), data.test_y.ncols()) != (data.inputs(), arch.outputs)
    {
        return Err(mismatch(
            "test input columns vs training input columns",
            data.inputs(),
            data.test_x.ncols(),
        ));
    }
    if spec.batch_size == Some(0) {
        return Err(EngineError::ZeroSize("batch_size"));
    }
    let invalid = |name, value: f64, expected| EngineError::InvalidParameter {
        name,
        value,
        expected,
    };
    for h in hypers {
        if !(h.lr > 0.0 && h.lr.is_finite()) {
            return Err(invalid("lr", h.lr as f64, "a finite value > 0"));
        }
        for (name, v) in [("l1", h.l1), ("l2", h.l2)] {
            if !(v >= 0.0 && v.is_finite()) {
                return Err(invalid(name, v as f64, "a finite value >= 0"));
            }
        }
    }
    let unit = |name, v: f32| {
        if (0.0..1.0).contains(&v) {
            Ok(())
        } else {
            Err(invalid(name, v as f64, "a value in [0, 1)"))
        }
    };
    match spec.optimizer {
        Optimizer::Sgd => {}
        Optimizer::Momentum { beta } => unit("momentum beta", beta)?,
        Optimizer::Adam { beta1, beta2, eps } => {
            unit("adam beta1", beta1)?;
            unit("adam beta2", beta2)?;
            if eps.is_nan() || eps <= 0.0 {
                return Err(invalid("adam eps", eps as f64, "a value > 0"));
            }
        }
    }
    if let Some(grid) = &spec.grid {
        record::grid_points(data.inputs(), grid.resolution)?;
        if let Some(&e) = grid.epochs.iter().find(|&&e| e > spec.epochs) {
            return Err(invalid(
                "grid epoch",
                e as f64,
                "an epoch between 0 and spec.epochs",
            ));
        }
    }
    Ok(())
}
