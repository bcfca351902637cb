//! The cost model: the work a resolved simulation will take, in FLOP-equivalents, before
//! anything trains, and the limit check (`simulations.max_gflop`). The constants and
//! their measurement are in `docs/simulations.md`.
//!
//! Owns: [`cost`], [`check_cost`] and the words that report work and time. Never does:
//! check keys (`sim::spec`) or train.

use crate::diagnostics::Diagnostic;

use super::spec::{DataPlan, GFLOP_PER_SECOND_PER_CORE, Locator, Plan, RunPlan, SimPlan, runs_of};

/// Weights and biases of a 2-input, 1-output network.
pub fn parameter_count(hidden: &[usize]) -> usize {
    parameter_count_for(2, hidden)
}

/// Weights and biases of a network with `inputs` inputs and 1 output.
pub fn parameter_count_for(inputs: usize, hidden: &[usize]) -> usize {
    let mut fan_in = inputs;
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
pub fn network_flop(run: &RunPlan, n_train: usize, n_test: usize, heat_cells: usize) -> f64 {
    let inputs = if run.features.is_empty() {
        2
    } else {
        run.features.len()
    };
    let w = parameter_count_for(inputs, &run.hidden) as f64;
    let u = unit_count(&run.hidden) as f64;
    let records = (run.epochs / record_every(run.epochs) + 2) as f64;
    let step = 6.0 * w + FLOP_PER_UNIT * u + FLOP_PER_POINT;
    let forward = 2.0 * w + FLOP_PER_UNIT * u + FLOP_PER_POINT;
    n_train as f64 * run.epochs as f64 * step
        + (n_train + n_test) as f64 * records * (2.0 * w + FLOP_PER_EVAL_POINT)
        + heat_cells as f64 * forward
}

/// A learning curve records only the last epoch.
fn curve_network_flop(run: &RunPlan, n_train: usize, n_test: usize) -> f64 {
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

fn split_sizes(data: &DataPlan) -> (usize, usize) {
    let test = (data.n as f64 * data.test_fraction).round() as usize;
    (data.n - test, test)
}

pub fn cost(r: &SimPlan) -> Cost {
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
                let run = RunPlan {
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
        Plan::Playground { regression, .. } => {
            let cells = if *regression {
                r.resolution * r.snapshots.len()
            } else {
                cells
            };
            let runs = super::spec::playground_runs(r);
            Cost {
                networks: runs.len(),
                flop: runs
                    .iter()
                    .map(|p| {
                        let (n_train, n_test) = split_sizes(&p.data);
                        network_flop(&p.run, n_train, n_test, cells)
                    })
                    .sum(),
            }
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
    r: &SimPlan,
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
