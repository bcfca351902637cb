//! The failure lab: each failure mode against the healthy run, with its symptom and
//! remedy.
//!
//! Owns: the failure lab's view and figures. Never does: read artifacts of another kind.

use super::plot::{esc, fig};
use super::runs::{LAB_LOSS, LAB_MAP, heatmap_svg, loss_svg, run_result, valid_runs};
use super::{FailureView, ModeView, WidgetView};
use crate::sim::model::FailureData;
use std::fmt::Write;

pub(super) fn view(w: &mut WidgetView, d: &FailureData) -> bool {
    let runs = &d.runs;
    if !valid_runs(runs) || runs.len() != d.modes.len() + 1 || d.modes.is_empty() {
        return false;
    }
    let snap = runs.snapshots.len().saturating_sub(1);
    let mut svg = String::new();
    for (run, name, label) in [
        (0, "healthy", "Healthy run".to_string()),
        (1, "mode", d.modes[0].label.clone()),
    ] {
        let mut col = String::new();
        let _ = write!(col, "<p class=\"wfig-title\">{}</p>", esc(&label));
        col.push_str(&loss_svg(
            runs,
            run,
            None,
            LAB_LOSS,
            &format!("{}-{name}-loss-title", w.id),
            &format!("Loss curves: {label}"),
        ));
        col.push_str(&heatmap_svg(
            runs,
            &d.dataset.points,
            &d.dataset.labels,
            run,
            snap,
            LAB_MAP,
            &format!("{}-{name}-map", w.id),
            &format!("{}-healthy-map", w.id),
            &format!("Final decision boundary: {label}"),
        ));
        fig(&mut svg, name, &col);
    }
    w.svg = svg;
    w.caption = format!(
        "The healthy run next to “{}”. Healthy: {}. {}: {}.",
        d.modes[0].label,
        run_result(runs, 0),
        d.modes[0].label,
        run_result(runs, 1)
    );
    w.failure = Some(FailureView {
        healthy: d.healthy.clone(),
        healthy_result: run_result(runs, 0),
        modes: d
            .modes
            .iter()
            .enumerate()
            .map(|(i, m)| ModeView {
                mode: m.mode.clone(),
                label: m.label.clone(),
                symptom: m.symptom.clone(),
                remedy: m.remedy.clone(),
                change: m.change.clone(),
                diverged: runs.diverged.get(i + 1).copied().unwrap_or(false),
                result: run_result(runs, i + 1),
            })
            .collect(),
        dataset: d.dataset.kind.clone(),
    });
    true
}
