//! The sweep explorer: one control per axis of the grid, the chosen run's loss curves
//! and decision map.
//!
//! Owns: the sweep explorer's view and figures. Never does: read artifacts of another kind.

use super::plot::fig;
use super::runs::{SWEEP_LOSS, SWEEP_MAP, heatmap_svg, loss_svg, run_result, valid_runs};
use super::{AxisView, SweepView, WidgetView};
use crate::sim::model::SweepData;

pub(super) fn view(w: &mut WidgetView, d: &SweepData) -> bool {
    let runs = &d.runs;
    let count: usize = d.axes.iter().map(|a| a.values.len()).product();
    if !valid_runs(runs) || count != runs.len() || d.default.len() != d.axes.len() {
        return false;
    }
    let default: Vec<usize> = d
        .default
        .iter()
        .zip(&d.axes)
        .map(|(&i, a)| i.min(a.values.len().saturating_sub(1)))
        .collect();
    let run = d.run_index(&default);
    let snap = runs.snapshots.len().saturating_sub(1);
    let setting: Vec<String> = d
        .axes
        .iter()
        .zip(&default)
        .map(|(a, &i)| format!("{} {}", a.label, a.values[i]))
        .collect();
    // A sweep without a grid is one run.
    let setting = match setting.is_empty() {
        true => "The run".to_string(),
        false => setting.join(", "),
    };
    let epoch = runs.snapshots.get(snap).copied().unwrap_or(0);
    let mut svg = String::new();
    fig(
        &mut svg,
        "loss",
        &loss_svg(
            runs,
            run,
            Some(snap),
            SWEEP_LOSS,
            &format!("{}-loss-title", w.id),
            &format!("Loss curves, {setting}"),
        ),
    );
    fig(
        &mut svg,
        "map",
        &heatmap_svg(
            runs,
            &d.dataset.points,
            &d.dataset.labels,
            run,
            snap,
            SWEEP_MAP,
            &format!("{}-map", w.id),
            &format!("{}-map", w.id),
            &format!("Decision boundary at epoch {epoch}, {setting}"),
        ),
    );
    w.svg = svg;
    w.caption = format!(
        "{setting}: {}. The map shows the decision boundary at epoch {epoch} (blue: class 0, \
         orange: class 1) with the training points.",
        run_result(runs, run)
    );
    w.sweep = Some(SweepView {
        axes: AxisView::of(&d.axes, &default),
        snapshots: runs.snapshots.clone(),
        snapshot_max: snap,
        snapshot_epoch: epoch,
        snapshots_json: serde_json::to_string(&runs.snapshots).unwrap_or_default(),
        dataset: d.dataset.kind.clone(),
        runs: runs.len(),
    });
    true
}
