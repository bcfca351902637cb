//! `kind: sweep`: the grid's axes checked against the keys they vary, the default point,
//! and the runs of the grid in run order.
//!
//! Owns: the sweep kind's checks and plan. Never does: train.

use std::collections::HashSet;

use super::*;

pub(super) fn plan_sweep(
    sim: &Simulation,
    base: &RunPlan,
    loc: &Locator,
    errors: &mut Vec<Diagnostic>,
) -> Option<Plan> {
    // No grid: a single run (the top-level keys), shown like any sweep.
    let no_grid = Default::default();
    let grid = sim.grid.as_ref().unwrap_or(&no_grid);
    let mut axes = Vec::new();
    let mut check_list = |values: AxisPlan, errors: &mut Vec<Diagnostic>| {
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
            AxisPlan::Lr(v) => v.iter().for_each(|&x| check_lr(x, loc, &path, errors)),
            AxisPlan::L2(v) => v.iter().for_each(|&x| check_l2(x, loc, &path, errors)),
            AxisPlan::Hidden(v) => v.iter().for_each(|h| check_hidden(h, loc, &path, errors)),
            AxisPlan::BatchSize(v) => v
                .iter()
                .flatten()
                .for_each(|&b| check_batch(b, loc, &path, errors)),
            _ => {}
        }
        axes.push(values);
    };
    if let Some(v) = &grid.lr {
        check_list(AxisPlan::Lr(v.clone()), errors);
    }
    if let Some(v) = &grid.hidden {
        check_list(AxisPlan::Hidden(v.clone()), errors);
    }
    if let Some(v) = &grid.activation {
        check_list(AxisPlan::Activation(v.clone()), errors);
    }
    if let Some(v) = &grid.l2 {
        check_list(AxisPlan::L2(v.clone()), errors);
    }
    if let Some(v) = &grid.batch_size {
        check_list(AxisPlan::BatchSize(v.iter().map(|b| b.0).collect()), errors);
    }
    if let Some(v) = &grid.seed {
        check_list(AxisPlan::Seed(v.clone()), errors);
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
    // The default point.
    let mut default = vec![0; axes.len()];
    if let Some(d) = &sim.default {
        let wanted: [(&str, Option<String>); 6] = [
            ("lr", d.lr.map(num)),
            ("hidden", d.hidden.as_deref().map(hidden_label)),
            ("activation", d.activation.map(|a| a.as_str().to_string())),
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
    }
    let _ = base;
    Some(Plan::Sweep { axes, default })
}

/// The runs of a sweep, row-major over its axes (the last changes fastest).
pub fn sweep_runs(base: &RunPlan, axes: &[AxisPlan]) -> Vec<RunPlan> {
    let total: usize = axes.iter().map(AxisPlan::len).product();
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
