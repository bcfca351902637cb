//! `kind: sweep`, and the grid every gridded kind shares: the axes checked against the
//! keys they vary, the default point, and the runs of the grid in run order.
//!
//! Owns: the sweep kind's checks and plan, and [`plan_axes`] (the playground's grid too).
//! Never does: train.

use std::collections::HashSet;

use super::*;

pub(super) fn plan_sweep(
    sim: &Simulation,
    loc: &Locator,
    errors: &mut Vec<Diagnostic>,
) -> Option<Plan> {
    let (axes, default) = plan_axes(sim, SimulationKind::Sweep, loc, errors);
    Some(Plan::Sweep { axes, default })
}

/// The axes a kind's grid takes (the others are errors at their line).
fn kind_takes(kind: SimulationKind, key: &str) -> bool {
    match kind {
        SimulationKind::Playground => key != "l2",
        _ => matches!(
            key,
            "lr" | "hidden" | "activation" | "l2" | "batch_size" | "seed" | "optimizer"
        ),
    }
}

/// The grid of `sim` as axes in [`AXIS_ORDER`], each checked, and the default point.
pub(super) fn plan_axes(
    sim: &Simulation,
    kind: SimulationKind,
    loc: &Locator,
    errors: &mut Vec<Diagnostic>,
) -> (Vec<AxisPlan>, Vec<usize>) {
    // No grid: a single run (the top-level keys), shown like any sweep.
    let no_grid = Default::default();
    let grid = sim.grid.as_ref().unwrap_or(&no_grid);
    let written: Vec<AxisPlan> = [
        grid.dataset.clone().map(AxisPlan::Dataset),
        grid.noise.clone().map(AxisPlan::Noise),
        grid.test_fraction.clone().map(AxisPlan::TestFraction),
        grid.features.clone().map(AxisPlan::Features),
        grid.lr.clone().map(AxisPlan::Lr),
        grid.hidden.clone().map(AxisPlan::Hidden),
        grid.activation.clone().map(AxisPlan::Activation),
        grid.optimizer.clone().map(AxisPlan::Optimizer),
        grid.regularization.clone().map(AxisPlan::Regularization),
        grid.regularization_rate
            .clone()
            .map(AxisPlan::RegularizationRate),
        grid.l2.clone().map(AxisPlan::L2),
        grid.batch_size
            .clone()
            .map(|v| AxisPlan::BatchSize(v.iter().map(|b| b.0).collect())),
        grid.seed.clone().map(AxisPlan::Seed),
    ]
    .into_iter()
    .flatten()
    .collect();
    let any_written = !written.is_empty();
    let mut axes = Vec::new();
    for values in written {
        let key = values.key();
        let path = ["grid:", &*format!("{key}:")].map(str::to_owned);
        let path: Vec<&str> = path.iter().map(String::as_str).collect();
        if !kind_takes(kind, key) {
            let hint = if key == "l2" {
                "a playground varies its penalty with `regularization: [none, l1, l2]` and `regularization_rate:`".to_string()
            } else {
                format!("the `{key}` axis belongs to `playground` simulations")
            };
            errors.push(
                loc.error(
                    &path,
                    format!("`{key}` is not an axis of a `{}` grid", kind.as_str()),
                )
                .with_hint(hint),
            );
            continue;
        }
        if values.is_empty() {
            errors.push(loc.error(
                &path,
                format!("the `{key}` axis of the grid is empty: give it at least one value"),
            ));
            continue;
        }
        let labels = values.labels();
        let mut seen = HashSet::new();
        for l in &labels {
            if !seen.insert(l) {
                errors.push(loc.error(&path, format!("the `{key}` axis lists `{l}` twice")));
            }
        }
        match &values {
            AxisPlan::Lr(v) => v.iter().for_each(|&x| check_lr(x, loc, &path, errors)),
            AxisPlan::L2(v) => v.iter().for_each(|&x| check_l2(x, loc, &path, errors)),
            AxisPlan::RegularizationRate(v) => {
                v.iter().for_each(|&x| check_rate(x, loc, &path, errors))
            }
            AxisPlan::Hidden(v) => v.iter().for_each(|h| check_hidden(h, loc, &path, errors)),
            AxisPlan::BatchSize(v) => v
                .iter()
                .flatten()
                .for_each(|&b| check_batch(b, loc, &path, errors)),
            AxisPlan::Noise(v) => v.iter().for_each(|&x| check_noise(x, loc, &path, errors)),
            AxisPlan::TestFraction(v) => v
                .iter()
                .for_each(|&x| check_test_fraction(x, loc, &path, errors)),
            _ => {}
        }
        axes.push(values);
    }
    if sim.grid.is_some() && !any_written {
        let takes: Vec<&str> = AXIS_ORDER
            .iter()
            .copied()
            .filter(|k| kind_takes(kind, k))
            .collect();
        errors.push(
            loc.error(&["grid:"], "the grid has no axes")
                .with_hint(format!("give one or more of: {}", takes.join(", "))),
        );
    }
    let runs: usize = axes.iter().map(AxisPlan::len).product();
    if runs > MAX_RUNS {
        errors.push(
            loc.error(
                &["grid:"],
                format!("the grid has {runs} points: at most {MAX_RUNS} runs fit a page"),
            )
            .with_hint("use fewer values per axis"),
        );
    }
    let default = default_point(sim, &axes, loc, errors);
    (axes, default)
}

/// The grid point shown first: the author's `default:` values, else each axis' first.
fn default_point(
    sim: &Simulation,
    axes: &[AxisPlan],
    loc: &Locator,
    errors: &mut Vec<Diagnostic>,
) -> Vec<usize> {
    let mut default = vec![0; axes.len()];
    let Some(d) = &sim.default else {
        return default;
    };
    let wanted: [(&str, Option<String>); 13] = [
        ("dataset", d.dataset.map(|x| x.as_str().to_string())),
        ("noise", d.noise.map(num)),
        ("test_fraction", d.test_fraction.map(num)),
        ("features", d.features.as_deref().map(features_label)),
        ("lr", d.lr.map(num)),
        ("hidden", d.hidden.as_deref().map(hidden_label)),
        ("activation", d.activation.map(|a| a.as_str().to_string())),
        (
            "optimizer",
            d.optimizer.map(|o| optimizer_name(o).to_string()),
        ),
        ("regularization", d.regularization.map(regularization_label)),
        ("regularization_rate", d.regularization_rate.map(num)),
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
                        .map(AxisPlan::key)
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
    default
}

/// The runs of a grid, row-major over its axes (the last changes fastest), each with
/// its dataset.
pub(super) fn grid_runs(base: &RunPlan, data: &DataPlan, axes: &[AxisPlan]) -> Vec<PlayRun> {
    let total: usize = axes.iter().map(AxisPlan::len).product();
    (0..total)
        .map(|mut r| {
            let (mut run, mut data) = (base.clone(), data.clone());
            for axis in axes.iter().rev() {
                axis.apply(r % axis.len(), &mut run, &mut data);
                r /= axis.len();
            }
            PlayRun { data, run }
        })
        .collect()
}

/// The runs of a sweep, row-major over its axes (the last changes fastest).
pub fn sweep_runs(base: &RunPlan, axes: &[AxisPlan]) -> Vec<RunPlan> {
    let no_data = DataPlan {
        kind: DatasetName::Circle,
        n: 0,
        noise: 0.0,
        seed: 0,
        test_fraction: 0.0,
    };
    grid_runs(base, &no_data, axes)
        .into_iter()
        .map(|p| p.run)
        .collect()
}
