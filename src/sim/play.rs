//! Training a playground: every run of its grid, each with its own dataset and input
//! features, recorded in full (curves; and at each snapshot the output's map, every
//! hidden unit's map and the weights), quantized into [`PlaygroundData`].
//!
//! Owns: turning a playground's plan into engine batches and its results into the
//! artifact model. Never does: check a spec, touch the cache, or draw.

use ndarray::Array2;
use rayon::prelude::*;

use super::model::{DatasetInfo, PlayRunData, PlaygroundData, Quantized, REGRESSION_RANGE};
use super::run::{self, OVERLAY_POINTS, Tick};
use super::spec::{self, DataPlan, Plan, PlayRun, SimPlan};
use crate::engine::{
    Architecture, Dataset, Feature, GridSpec, Loss, NetHyper, NetworkResult, grid_points,
    train_batch, transform,
};
use crate::load::lesson::FeatureName;

pub fn feature(f: FeatureName) -> Feature {
    match f {
        FeatureName::X1 => Feature::X1,
        FeatureName::X2 => Feature::X2,
        FeatureName::X1Squared => Feature::X1Squared,
        FeatureName::X2Squared => Feature::X2Squared,
        FeatureName::X1X2 => Feature::X1X2,
        FeatureName::SinX1 => Feature::SinX1,
        FeatureName::SinX2 => Feature::SinX2,
    }
}

fn architecture(p: &PlayRun, regression: bool) -> Architecture {
    Architecture {
        inputs: p.run.features.len(),
        hidden: p.run.hidden.clone(),
        outputs: 1,
        activation: run::activation(p.run.activation),
        loss: if regression {
            Loss::Mse
        } else {
            Loss::BinaryCrossEntropy
        },
    }
}

/// Trains every run of the playground `r`.
pub fn run_playground(r: &SimPlan, tick: Tick<'_>) -> Result<super::SimData, String> {
    let Plan::Playground {
        axes,
        default,
        regression,
        ..
    } = &r.plan
    else {
        return Err("not a playground".into());
    };
    let regression = *regression;
    let runs = spec::playground_runs(r);
    // Each dataset once.
    let mut plans: Vec<DataPlan> = Vec::new();
    for p in &runs {
        if !plans.contains(&p.data) {
            plans.push(p.data.clone());
        }
    }
    let datasets: Vec<Dataset> = plans.iter().map(run::generate).collect::<Result<_, _>>()?;
    // One engine batch per dataset and everything but the per-network hyper-parameters.
    let mut groups: Vec<((usize, spec::RunPlan), Vec<usize>)> = Vec::new();
    for (i, p) in runs.iter().enumerate() {
        let data = plans.iter().position(|d| *d == p.data).expect("listed");
        let key = (
            data,
            spec::RunPlan {
                lr: 0.0,
                l2: 0.0,
                seed: 0,
                regularization: crate::load::lesson::RegularizationName::None,
                regularization_rate: 0.0,
                ..p.run.clone()
            },
        );
        match groups.iter_mut().find(|(k, _)| *k == key) {
            Some((_, members)) => members.push(i),
            None => groups.push((key, vec![i])),
        }
    }
    let grid = GridSpec {
        resolution: r.resolution,
        epochs: r.snapshots.clone(),
        units: true,
    };
    let trained: Vec<Result<Vec<NetworkResult>, String>> = groups
        .par_iter()
        .map(|((data, _), members)| {
            let first = &runs[members[0]];
            let hypers: Vec<NetHyper> = members
                .iter()
                .map(|&i| {
                    let (l1, l2) = runs[i].run.penalties();
                    NetHyper {
                        lr: runs[i].run.lr as f32,
                        l1: l1 as f32,
                        l2: l2 as f32,
                        seed: runs[i].run.seed,
                    }
                })
                .collect();
            let mut spec = run::train_spec(&first.run, Some(grid.clone()));
            spec.features = first.run.features.iter().map(|&f| feature(f)).collect();
            let result = train_batch(
                &architecture(first, regression),
                &spec,
                &datasets[*data],
                &hypers,
            )
            .map_err(|e| format!("training failed: {e}"))?;
            tick(members.len());
            Ok(result.networks)
        })
        .collect();
    let mut per_run: Vec<Option<(usize, NetworkResult)>> = vec![None; runs.len()];
    for (((data, _), members), result) in groups.iter().zip(trained) {
        for (&i, net) in members.iter().zip(result?) {
            per_run[i] = Some((*data, net));
        }
    }
    let nets: Vec<(usize, NetworkResult)> = per_run
        .into_iter()
        .map(|n| n.expect("every run trained"))
        .collect();
    let loss_max = run::loss_range(nets.iter().map(|(_, n)| n));
    let unit_resolution = if regression {
        r.resolution
    } else {
        r.resolution / 2
    };
    let shape = Shape {
        regression,
        resolution: r.resolution,
        unit_resolution,
        snapshots: r.snapshots.len(),
        loss_max,
    };
    let run_data: Vec<PlayRunData> = nets
        .par_iter()
        .zip(&runs)
        .map(|((data, net), p)| shape.record(p, &datasets[*data], net))
        .collect::<Result<_, _>>()?;
    let epochs = nets[0].1.curve.iter().map(|c| c.epoch as u32).collect();
    Ok(super::SimData::Playground(PlaygroundData {
        title: r.title.clone(),
        regression,
        axes: axes.iter().map(spec::AxisPlan::artifact).collect(),
        default: default.clone(),
        epochs,
        snapshots: r.snapshots.iter().map(|&e| e as u32).collect(),
        resolution: r.resolution,
        unit_resolution,
        runs: run_data,
    }))
}

/// The weights' `max` over their largest magnitude `m` (range `[-m, m * 32768 / 32767]`):
/// 0 is stored exactly as 32767, `m` as 65534, and 65535 means "not a number".
const WEIGHT_TOP_SCALE: f32 = 32768.0 / 32767.0;

/// What every run of one playground shares.
struct Shape {
    regression: bool,
    resolution: usize,
    unit_resolution: usize,
    snapshots: usize,
    loss_max: f32,
}

impl Shape {
    fn record(
        &self,
        p: &PlayRun,
        data: &Dataset,
        net: &NetworkResult,
    ) -> Result<PlayRunData, String> {
        let (res, ures, snaps) = (self.resolution, self.unit_resolution, self.snapshots);
        let n_epochs = net.curve.len();
        let mut diverged = false;
        let (mut tl, mut vl, mut ta, mut va) = (vec![], vec![], vec![], vec![]);
        for c in &net.curve {
            diverged |= !c.train_loss.is_finite();
            let finite = |l: f64| if l.is_finite() { l as f32 } else { f32::NAN };
            tl.push(finite(c.train_loss));
            vl.push(finite(c.test_loss.unwrap_or(f64::NAN)));
            ta.push(c.train_accuracy.unwrap_or(0.0) as f32);
            va.push(c.test_accuracy.unwrap_or(0.0) as f32);
        }
        let q16 = |v: &[f32], max: f32| Quantized::new(v, vec![n_epochs], 16, 0.0, max);
        let features: Vec<Feature> = p.run.features.iter().map(|&f| feature(f)).collect();
        let units = p.run.hidden.iter().sum::<usize>();
        let mut output = Vec::new();
        let mut unit_values = Vec::new();
        let mut weights = Vec::new();
        for g in &net.grids {
            if self.regression {
                // Not a number stays so: stored as the top value, drawn as off the chart.
                output.extend(g.values.iter().copied());
                unit_values.extend(g.units.iter().map(|&v| clean(v)));
            } else {
                output
                    .extend(top_first(&g.values, res).map(|v| if v.is_finite() { v } else { 0.5 }));
                for u in 0..units {
                    let map = &g.units[u * res * res..(u + 1) * res * res];
                    unit_values.extend(halve(&top_first(map, res).collect::<Vec<_>>(), res));
                }
            }
            let params = g
                .params
                .as_ref()
                .ok_or("the engine recorded no parameters at a snapshot")?;
            weights.extend(params.to_flat());
        }
        let n_params = weights.len() / snaps.max(1);
        let wmax = weights
            .iter()
            .filter(|w| w.is_finite())
            .fold(0.0f32, |m, w| m.max(w.abs()))
            .max(1e-6);
        let raw =
            grid_points(if self.regression { 1 } else { 2 }, res).map_err(|e| e.to_string())?;
        let fx = transform(&features, raw.view()).map_err(|e| e.to_string())?;
        let mut inputs = Vec::new();
        for f in 0..features.len() {
            let column: Vec<f32> = fx.column(f).iter().map(|&v| clean(v)).collect();
            if self.regression {
                inputs.extend(column);
            } else {
                inputs.extend(halve(&top_first(&column, res).collect::<Vec<_>>(), res));
            }
        }
        let cells = if self.regression { ures } else { ures * ures };
        let (points, labels) = self.overlay(&data.train_x, &data.train_y);
        let (test_points, test_labels) = self.overlay(&data.test_x, &data.test_y);
        let output = if self.regression {
            let (lo, hi) = REGRESSION_RANGE;
            Quantized::new(&output, vec![snaps, res], 16, lo, hi)
        } else {
            Quantized::new(&output, vec![snaps, res * res], 8, 0.0, 1.0)
        };
        let mut widths = vec![features.len()];
        widths.extend(&p.run.hidden);
        widths.push(1);
        Ok(PlayRunData {
            dataset: DatasetInfo {
                kind: p.data.kind.as_str().into(),
                n_train: data.train_x.nrows(),
                n_test: data.test_x.nrows(),
                points,
                labels,
            },
            features: p.run.features.iter().map(|f| f.as_str().into()).collect(),
            feature_labels: p
                .run
                .features
                .iter()
                .map(|&f| spec::feature_label(f).into())
                .collect(),
            widths,
            activation: p.run.activation.as_str().into(),
            diverged,
            train_loss: q16(&tl, self.loss_max),
            test_loss: q16(&vl, self.loss_max),
            train_accuracy: q16(&ta, 1.0),
            test_accuracy: q16(&va, 1.0),
            output,
            units: Quantized::new(&unit_values, vec![snaps, units, cells], 8, -1.0, 1.0),
            inputs: Quantized::new(&inputs, vec![features.len(), cells], 8, -1.0, 1.0),
            // `max` a hair above the largest magnitude puts 0 on a stored value exactly and
            // leaves the top value (never reached by a finite weight) to mean "not a number".
            weights: Quantized::new(
                &weights,
                vec![snaps, n_params],
                16,
                -wmax,
                wmax * WEIGHT_TOP_SCALE,
            ),
            test_points,
            test_labels,
        })
    }

    /// Up to [`OVERLAY_POINTS`] points, evenly spaced: `[points, 2]` and their labels
    /// (a regression's points are `(x, y)` over [`REGRESSION_RANGE`], labels 0).
    fn overlay(&self, x: &Array2<f32>, y: &Array2<f32>) -> (Quantized, Quantized) {
        let n = x.nrows();
        let take = n.min(OVERLAY_POINTS);
        let idx: Vec<usize> = (0..take).map(|i| i * n / take).collect();
        if self.regression {
            let pts: Vec<f32> = idx.iter().flat_map(|&i| [x[[i, 0]], y[[i, 0]]]).collect();
            let (lo, hi) = REGRESSION_RANGE;
            (
                Quantized::new(&pts, vec![take, 2], 8, lo, hi),
                Quantized::new(&vec![0.0; take], vec![take], 8, 0.0, 1.0),
            )
        } else {
            let pts: Vec<f32> = idx.iter().flat_map(|&i| [x[[i, 0]], x[[i, 1]]]).collect();
            let labels: Vec<f32> = idx.iter().map(|&i| y[[i, 0]]).collect();
            (
                Quantized::new(&pts, vec![take, 2], 8, -1.0, 1.0),
                Quantized::new(&labels, vec![take], 8, 0.0, 1.0),
            )
        }
    }
}

/// A value for an 8-bit map over [-1, 1]: NaN (a diverged run) as 0.
fn clean(v: f32) -> f32 {
    if v.is_finite() { v } else { 0.0 }
}

/// The engine's grid (row 0 at y = -1) with row 0 at the top, as artifacts store maps.
fn top_first(map: &[f32], res: usize) -> impl Iterator<Item = f32> + '_ {
    (0..res)
        .rev()
        .flat_map(move |row| map[row * res..(row + 1) * res].iter().copied())
}

/// A `res x res` map averaged over 2 x 2 cells (`res` is even), non-finite values as 0.
fn halve(map: &[f32], res: usize) -> Vec<f32> {
    let h = res / 2;
    let at = |r: usize, c: usize| clean(map[r * res + c]);
    (0..h * h)
        .map(|q| {
            let (r, c) = (2 * (q / h), 2 * (q % h));
            (at(r, c) + at(r, c + 1) + at(r + 1, c) + at(r + 1, c + 1)) / 4.0
        })
        .collect()
}
