//! The comparison: every value of one axis of a sweep's or a playground's grid side by
//! side, the other axes at their default: the loss curves on one chart, and each run's
//! final decision map. It needs no script: the figures are complete as built.
//!
//! Owns: the comparison's view and figures. Never does: fetch or redraw anything.

use std::fmt::Write;

use super::WidgetView;
use super::playground::run_set;
use super::plot::{Plot, c, esc, fig, svg_open, val};
use super::runs::{Size, bin_paths, run_result};
use crate::sim::SimData;
use crate::sim::model::{Axis, Quantized, RunSet};

/// The loss chart, and one map's figure (a square over a label).
const CHART: Size = Size { w: 600, h: 340 };
const MAP_SIDE: f64 = 150.0;

/// One value of the compared axis: its run and what to draw.
struct Entry<'a> {
    label: String,
    runs: std::borrow::Cow<'a, RunSet>,
    run: usize,
    points: &'a Quantized,
    labels: &'a Quantized,
}

/// The compared runs of `data` along `axis`, others at their default.
fn entries<'a>(data: &'a SimData, axis: &str) -> Option<(Vec<Entry<'a>>, &'a [Axis], bool)> {
    let (axes, default): (&[Axis], &[usize]) = match data {
        SimData::Sweep(d) => (&d.axes, &d.default),
        SimData::Playground(d) => (&d.axes, &d.default),
        _ => return None,
    };
    let a = axes.iter().position(|x| x.key == axis)?;
    if default.len() != axes.len() {
        return None;
    }
    let index = |point: &[usize]| crate::sim::model::grid_index(axes, point);
    let mut out = Vec::new();
    for (v, label) in axes[a].values.iter().enumerate() {
        let mut point = default.to_vec();
        point[a] = v;
        let run = index(&point);
        let entry = match data {
            SimData::Sweep(d) => {
                if run >= d.runs.len() {
                    return None;
                }
                Entry {
                    label: label.clone(),
                    runs: std::borrow::Cow::Borrowed(&d.runs),
                    run,
                    points: &d.dataset.points,
                    labels: &d.dataset.labels,
                }
            }
            SimData::Playground(d) => {
                let r = d.runs.get(run)?;
                Entry {
                    label: label.clone(),
                    runs: std::borrow::Cow::Owned(run_set(d, r)),
                    run: 0,
                    points: &r.dataset.points,
                    labels: &r.dataset.labels,
                }
            }
            _ => return None,
        };
        out.push(entry);
    }
    let regression = matches!(data, SimData::Playground(d) if d.regression);
    Some((out, axes, regression))
}

pub(super) fn view(w: &mut WidgetView, data: &SimData, axis: &str) -> bool {
    let Some((entries, axes, regression)) = entries(data, axis) else {
        return false;
    };
    let Some(label) = axes.iter().find(|a| a.key == axis).map(|a| a.label.clone()) else {
        return false;
    };
    let valid = |e: &Entry<'_>| {
        if regression {
            let n = e.runs.epochs.len();
            n > 0 && e.runs.train_loss.data.len() == n && e.runs.test_loss.data.len() == n
        } else {
            super::runs::valid_runs(&e.runs)
        }
    };
    if !entries.iter().all(valid) {
        return false;
    }
    let mut svg = String::new();
    fig(
        &mut svg,
        "curves",
        &curves_svg(
            &entries,
            &format!("{}-curves-title", w.id),
            &format!("Loss curves for each {}", label.to_lowercase()),
        ),
    );
    if !regression {
        let mut maps = String::from("<div class=\"wcompare-maps\">");
        for (k, e) in entries.iter().enumerate() {
            maps.push_str(&small_map(
                e,
                k,
                &format!("{}-map{k}-title", w.id),
                &format!("Final decision boundary, {} {}", label, e.label),
            ));
        }
        maps.push_str("</div>");
        svg.push_str(&maps);
    }
    w.svg = svg;
    let results: Vec<String> = entries
        .iter()
        .map(|e| {
            let result = if regression {
                super::playground::fit_result(&e.runs)
            } else {
                run_result(&e.runs, e.run)
            };
            format!("{} {}: {}", label, e.label, result)
        })
        .collect();
    let held: Vec<String> = fixed_axes(data, axis);
    w.caption = if held.is_empty() {
        format!("{}.", results.join("; "))
    } else {
        format!("{}. Held at: {}.", results.join("; "), held.join(", "))
    };
    true
}

/// The other axes with the value they are held at: "Hidden layers 16-16".
fn fixed_axes(data: &SimData, axis: &str) -> Vec<String> {
    let (axes, default): (&[Axis], &[usize]) = match data {
        SimData::Sweep(d) => (&d.axes, &d.default),
        SimData::Playground(d) => (&d.axes, &d.default),
        _ => return Vec::new(),
    };
    axes.iter()
        .zip(default)
        .filter(|(a, _)| a.key != axis)
        .filter_map(|(a, &i)| a.values.get(i).map(|v| format!("{} {v}", a.label)))
        .collect()
}

/// Every entry's train (solid) and test (dashed) loss on one chart, a colour per value.
fn curves_svg(entries: &[Entry<'_>], title_id: &str, title: &str) -> String {
    let mut out = String::with_capacity(8192);
    svg_open(
        &mut out,
        "wloss wcompare",
        CHART.w,
        CHART.h,
        title_id,
        title,
    );
    // The legend: a colour per value, wrapping to more lines, then what solid and dashed
    // mean; the chart starts below it.
    let (legend, lines) = curves_legend(entries, 52.0, f64::from(CHART.w) - 14.0);
    let first = &entries[0].runs;
    let ymax = entries
        .iter()
        .map(|e| e.runs.train_loss.max)
        .fold(0.0f32, f32::max);
    let (w, h) = (f64::from(CHART.w), f64::from(CHART.h));
    let p = Plot {
        x0: 52.0,
        x1: w - 14.0,
        y0: 30.0 + 16.0 * lines as f64,
        y1: h - 42.0,
        xmin: f64::from(first.epochs.first().copied().unwrap_or(0)),
        xmax: f64::from(first.epochs.last().copied().unwrap_or(1).max(1)),
        ymin: 0.0,
        ymax: super::plot::wide(ymax),
        logx: false,
    };
    p.axes(&mut out, 5, 6);
    let _ = write!(
        out,
        "<text class=\"wlabel\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">epoch</text>\
         <text class=\"wlabel\" x=\"4\" y=\"14\">loss</text>",
        c((p.x0 + p.x1) / 2.0),
        c(h - 6.0)
    );
    for (k, e) in entries.iter().enumerate() {
        for (q, dash) in [(&e.runs.train_loss, ""), (&e.runs.test_loss, " wdash")] {
            let n = q.row_len();
            let d = super::plot::polyline(
                e.runs
                    .epochs
                    .iter()
                    .enumerate()
                    .take(n)
                    .map(|(i, &ep)| (p.x(f64::from(ep)), p.y(val(q, e.run * n + i)))),
            );
            let _ = write!(out, "<path class=\"wline ws{}{dash}\" d=\"{d}\"/>", k % 6);
        }
    }
    out.push_str(&legend);
    out.push_str("</svg>");
    out
}

/// The legend of the curves between `left` and `right`: its markup and its lines.
fn curves_legend(entries: &[Entry<'_>], left: f64, right: f64) -> (String, usize) {
    let mut out = String::from("<g class=\"wlegend\">");
    let (mut x, mut line) = (left, 0);
    for (k, e) in entries.iter().enumerate() {
        // About 7 units per character of 12-unit type.
        let width = 34.0 + 7.0 * e.label.chars().count() as f64;
        if x > left && x + width > right {
            (x, line) = (left, line + 1);
        }
        let y = 14.0 + 16.0 * line as f64;
        let _ = write!(
            out,
            "<path class=\"wline ws{}\" d=\"M{} {}h20\"/><text class=\"wlabel\" x=\"{}\" y=\"{}\">{}</text>",
            k % 6,
            c(x),
            c(y - 4.0),
            c(x + 24.0),
            c(y),
            esc(&e.label)
        );
        x += width;
    }
    let y = 14.0 + 16.0 * (line + 1) as f64;
    let _ = write!(
        out,
        "<text class=\"wlabel\" x=\"{}\" y=\"{}\">solid: train, dashed: test</text></g>",
        c(left),
        c(y)
    );
    (out, line + 2)
}

/// One entry's final decision map with its training points, under its label.
fn small_map(e: &Entry<'_>, k: usize, title_id: &str, title: &str) -> String {
    let runs = &e.runs;
    let res = runs.resolution.max(1);
    let cells = res * res;
    let snaps = runs.snapshots.len().max(1);
    let start = (e.run * snaps + snaps - 1) * cells;
    let mut out = String::new();
    let h = MAP_SIDE + 26.0;
    svg_open(
        &mut out,
        "wmap wsmall",
        MAP_SIDE as u32,
        h as u32,
        title_id,
        title,
    );
    if runs.heatmaps.data.len() >= start + cells {
        let _ = write!(
            out,
            "<g transform=\"scale({})\" shape-rendering=\"crispEdges\">",
            crate::numbers::significant(MAP_SIDE / res as f64, 6)
        );
        for (b, d) in bin_paths(
            &runs.heatmaps.data[start..start + cells],
            runs.heatmaps.top(),
            res,
            res,
        )
        .iter()
        .enumerate()
        {
            if !d.is_empty() {
                let _ = write!(out, "<path class=\"hb{b}\" d=\"{d}\"/>");
            }
        }
        out.push_str("</g>");
    }
    let n = e.labels.data.len().min(e.points.data.len() / 2);
    let mut d = [String::new(), String::new()];
    let half = MAP_SIDE / 2.0;
    for i in 0..n {
        let x = (val(e.points, 2 * i) + 1.0) * half;
        let y = (1.0 - val(e.points, 2 * i + 1)) * half;
        let class = usize::from(val(e.labels, i) >= 0.5);
        let _ = write!(d[class], "M{} {}h0", x.round(), y.round());
    }
    for (class, d) in d.iter().enumerate() {
        if !d.is_empty() {
            let _ = write!(
                out,
                "<path class=\"pt-halo pt-small pt-c{class}\" d=\"{d}\"/><path class=\"pt pt-small pt-c{class}\" d=\"{d}\"/>"
            );
        }
    }
    let _ = write!(
        out,
        "<path class=\"wline ws{}\" d=\"M0 {}h20\"/><text class=\"wlabel\" x=\"26\" y=\"{}\">{}</text></svg>",
        k % 6,
        c(MAP_SIDE + 14.0),
        c(MAP_SIDE + 18.0),
        esc(&e.label)
    );
    out
}
