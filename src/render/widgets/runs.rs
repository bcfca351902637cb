//! Figures of a set of training runs, shared by the sweep explorer and the failure lab:
//! loss curves, decision heatmaps with the training points, and a run's result in words.
//!
//! Owns: the figures of a set of runs. Never does: know which widget shows them.

use super::HEAT_BINS;
use super::plot::{Plot, c, esc, fixed, pct, polyline, svg_open, val};
use crate::sim::model::{Quantized, RunSet};
use std::fmt::Write;

/// A figure's size in SVG units; it is drawn to the column's width (at most this many
/// CSS pixels), so the units are pixels on a desktop.
#[derive(Clone, Copy)]
pub(super) struct Size {
    pub(super) w: u32,
    pub(super) h: u32,
}

/// The sweep explorer's figures: the loss chart over the column, the map below it.
pub(super) const SWEEP_LOSS: Size = Size { w: 600, h: 300 };
pub(super) const SWEEP_MAP: Size = Size { w: 380, h: 420 };
/// The failure lab's: two columns, each a loss chart over a map.
pub(super) const LAB_LOSS: Size = Size { w: 360, h: 240 };
pub(super) const LAB_MAP: Size = Size { w: 360, h: 400 };

/// The loss curves (train solid, test dashed) of `run`, with a legend, and a marker at
/// the epoch of snapshot `marker` when there is one.
pub(super) fn loss_svg(
    runs: &RunSet,
    run: usize,
    marker: Option<usize>,
    size: Size,
    title_id: &str,
    title: &str,
) -> String {
    loss_svg_marked(runs, run, marker, "epoch of the map", size, title_id, title)
}

/// [`loss_svg`] with the marker's legend saying `marker_label`.
pub(super) fn loss_svg_marked(
    runs: &RunSet,
    run: usize,
    marker: Option<usize>,
    marker_label: &str,
    size: Size,
    title_id: &str,
    title: &str,
) -> String {
    let mut out = String::with_capacity(4096);
    svg_open(&mut out, "wloss", size.w, size.h, title_id, title);
    let (w, h) = (f64::from(size.w), f64::from(size.h));
    let p = Plot {
        x0: 52.0,
        x1: w - 14.0,
        y0: 34.0,
        y1: h - 42.0,
        xmin: f64::from(runs.epochs.first().copied().unwrap_or(0)),
        xmax: f64::from(runs.epochs.last().copied().unwrap_or(1).max(1)),
        ymin: super::plot::wide(runs.train_loss.min),
        ymax: super::plot::wide(runs.train_loss.max),
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
    for (q, class) in [(&runs.train_loss, "wl-train"), (&runs.test_loss, "wl-test")] {
        if q.shape.len() < 2 || run >= q.shape[0] {
            continue;
        }
        let n = q.row_len();
        let d = polyline(
            runs.epochs
                .iter()
                .enumerate()
                .take(n)
                .map(|(i, &e)| (p.x(f64::from(e)), p.y(val(q, run * n + i)))),
        );
        let _ = write!(out, "<path class=\"wline {class}\" d=\"{d}\"/>");
    }
    let epoch = marker.and_then(|s| runs.snapshots.get(s)).copied();
    if let Some(epoch) = epoch {
        out.push_str(&epoch_marker(&p, epoch));
    }
    out.push_str(&loss_legend(&p, epoch.map(|_| marker_label)));
    if runs.diverged.get(run).copied().unwrap_or(false) {
        let _ = write!(
            out,
            "<text class=\"wlabel wwarn\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">diverged: \
             the loss left the chart</text>",
            c((p.x0 + p.x1) / 2.0),
            c((p.y0 + p.y1) / 2.0)
        );
    }
    out.push_str("</svg>");
    out
}

/// The vertical marker at the epoch the map shows.
fn epoch_marker(p: &Plot, epoch: u32) -> String {
    let x = c(p.x(f64::from(epoch)));
    format!(
        "<path class=\"wepoch\" d=\"M{x} {}V{}\"/>",
        c(p.y0),
        c(p.y1)
    )
}

/// The legend above a loss chart: the two lines, and the marker when there is one.
fn loss_legend(p: &Plot, marker: Option<&str>) -> String {
    let (x, y) = (p.x0 + 40.0, 14.0);
    let mut out = format!(
        "<g class=\"wlegend\"><path class=\"wline wl-train\" d=\"M{0} {1}h24\"/><text \
         class=\"wlabel\" x=\"{2}\" y=\"{3}\">train</text><path class=\"wline wl-test\" \
         d=\"M{4} {1}h24\"/><text class=\"wlabel\" x=\"{5}\" y=\"{3}\">test</text>",
        c(x),
        c(y - 4.0),
        c(x + 30.0),
        c(y),
        c(x + 90.0),
        c(x + 120.0),
    );
    if let Some(label) = marker {
        let _ = write!(
            out,
            "<path class=\"wepoch\" d=\"M{0} {1}v14\"/><text class=\"wlabel\" x=\"{2}\" \
             y=\"{3}\">{4}</text>",
            c(x + 180.0),
            c(y - 11.0),
            c(x + 188.0),
            c(y),
            esc(label)
        );
    }
    out.push_str("</g>");
    out
}

/// The bin of a stored heatmap value.
pub(super) fn heat_bin(q: u16, top: u16) -> u32 {
    (u32::from(q) * HEAT_BINS / (u32::from(top) + 1)).min(HEAT_BINS - 1)
}

/// A `rows x cols` map of stored values (row 0 at the top) as one path per colour bin,
/// in cell units: cells of a row with the same bin are merged into a run, and the same
/// run in the rows below into one rectangle (`widgets.js`'s `binPaths` draws the same).
pub(super) fn bin_paths(data: &[u16], top: u16, rows: usize, cols: usize) -> Vec<String> {
    let mut paths: Vec<String> = vec![String::new(); HEAT_BINS as usize];
    let bin = |r: usize, col: usize| heat_bin(data[r * cols + col], top);
    // Whether row `r` has a run of bin `b` from `col` to `end`, no longer.
    let is_run = |r: usize, col: usize, end: usize, b| {
        (col..end).all(|x| bin(r, x) == b)
            && (col == 0 || bin(r, col - 1) != b)
            && (end == cols || bin(r, end) != b)
    };
    for r in 0..rows {
        let mut col = 0;
        while col < cols {
            let b = bin(r, col);
            let mut end = col + 1;
            while end < cols && bin(r, end) == b {
                end += 1;
            }
            // A run the row above has too is part of that row's rectangle.
            if r == 0 || !is_run(r - 1, col, end, b) {
                let mut height = 1;
                while r + height < rows && is_run(r + height, col, end, b) {
                    height += 1;
                }
                let width = end - col;
                let _ = write!(paths[b as usize], "M{col} {r}h{width}v{height}h-{width}");
            }
            col = end;
        }
    }
    paths
}

/// The square of a map: left edge, top edge and side, in SVG units.
fn map_box(size: Size) -> (f64, f64, f64) {
    (34.0, 8.0, f64::from(size.w) - 44.0)
}

/// The heatmap of `run` at snapshot `snap` over `[-1, 1]²` with the training points,
/// ticks and a legend. The points are written once per page: a map whose `points_of` is
/// another map's prefix (of the same size) shows that map's points. Cells of a row with the
/// same colour bin are merged into a run, and the same run in the rows below into one
/// rectangle, of one path per bin (`widgets.js` draws the same path).
#[allow(clippy::too_many_arguments)]
pub(super) fn heatmap_svg(
    runs: &RunSet,
    points: &Quantized,
    labels: &Quantized,
    run: usize,
    snap: usize,
    size: Size,
    prefix: &str,
    points_of: &str,
    title: &str,
) -> String {
    let mut out = String::with_capacity(8192);
    svg_open(
        &mut out,
        "wmap",
        size.w,
        size.h,
        &format!("{prefix}-title"),
        title,
    );
    let (left, top, side) = map_box(size);
    let res = runs.resolution.max(1);
    let cells = res * res;
    let snaps = runs.snapshots.len().max(1);
    let start = (run * snaps + snap) * cells;
    let paths = if runs.heatmaps.data.len() >= start + cells {
        bin_paths(
            &runs.heatmaps.data[start..start + cells],
            runs.heatmaps.top(),
            res,
            res,
        )
    } else {
        vec![String::new(); HEAT_BINS as usize]
    };
    let _ = write!(
        out,
        "<g transform=\"translate({} {}) scale({})\" shape-rendering=\"crispEdges\">",
        c(left),
        c(top),
        crate::numbers::significant(side / res as f64, 6)
    );
    for (b, d) in paths.iter().enumerate() {
        if !d.is_empty() {
            let _ = write!(out, "<path class=\"hb{b}\" d=\"{d}\"/>");
        }
    }
    out.push_str("</g>");
    if points_of == prefix {
        out.push_str(&points_defs(points, labels, size, prefix));
    }
    if labels.data.len().min(points.data.len() / 2) > 0 {
        for k in 0..2 {
            let _ = write!(
                out,
                "<use href=\"#{points_of}-p{k}\" class=\"pt-halo pt-c{k}\"/><use \
                 href=\"#{points_of}-p{k}\" class=\"pt pt-c{k}\"/>"
            );
        }
    }
    let p = Plot {
        x0: left,
        x1: left + side,
        y0: top,
        y1: top + side,
        xmin: -1.0,
        xmax: 1.0,
        ymin: -1.0,
        ymax: 1.0,
        logx: false,
    };
    p.axes(&mut out, 4, 4);
    out.push_str(&map_legend(size, left + side));
    out.push_str("</svg>");
    out
}

/// The axis names and what the colours and marks of a map mean.
fn map_legend(size: Size, right: f64) -> String {
    let (left, top, side) = map_box(size);
    let y = f64::from(size.h) - 12.0;
    let mut out = String::new();
    let _ = write!(
        out,
        "<text class=\"wlabel\" x=\"{}\" y=\"{}\" text-anchor=\"end\">x₁</text>\
         <text class=\"wlabel\" x=\"4\" y=\"{}\">x₂</text><g class=\"wlegend\">",
        c(right),
        c(top + side + 34.0),
        c(top + 12.0),
    );
    let items = [
        (
            "<path class=\"pt-halo pt-c0\" d=\"M{x} {y}h0\"/><path class=\"pt pt-c0\" d=\"M{x} {y}h0\"/>",
            "class 0",
        ),
        (
            "<path class=\"pt-halo pt-c1\" d=\"M{x} {y}h0\"/><path class=\"pt pt-c1\" d=\"M{x} {y}h0\"/>",
            "class 1",
        ),
        (
            "<rect class=\"hb1\" x=\"{x0}\" y=\"{y0}\" width=\"12\" height=\"12\"/>",
            "predicts 0",
        ),
        (
            "<rect class=\"hb6\" x=\"{x0}\" y=\"{y0}\" width=\"12\" height=\"12\"/>",
            "predicts 1",
        ),
    ];
    let step = (f64::from(size.w) - left) / 4.0;
    for (i, (mark, label)) in items.iter().enumerate() {
        let x = left + i as f64 * step;
        let mark = mark
            .replace("{x0}", &c(x - 6.0))
            .replace("{y0}", &c(y - 10.0))
            .replace("{x}", &c(x))
            .replace("{y}", &c(y - 4.0));
        let _ = write!(
            out,
            "{mark}<text class=\"wlabel\" x=\"{}\" y=\"{}\">{}</text>",
            c(x + 10.0),
            c(y),
            esc(label)
        );
    }
    out.push_str("</g>");
    out
}

/// The training points over a map's square: one path per class of zero-length segments,
/// drawn (by `<use>`) with round (class 0) or square (class 1) caps, each under a halo.
fn points_defs(points: &Quantized, labels: &Quantized, size: Size, prefix: &str) -> String {
    let (left, top, side) = map_box(size);
    let n = labels.data.len().min(points.data.len() / 2);
    let mut d = [String::new(), String::new()];
    let half = side / 2.0;
    for i in 0..n {
        let x = left + (val(points, 2 * i) + 1.0) * half;
        let y = top + (1.0 - val(points, 2 * i + 1)) * half;
        let class = usize::from(val(labels, i) >= 0.5);
        // Whole pixels: a point is a dot several pixels wide.
        let _ = write!(d[class], "M{} {}h0", x.round(), y.round());
    }
    let mut out = String::new();
    if n == 0 {
        return out;
    }
    out.push_str("<defs>");
    for (k, d) in d.iter().enumerate() {
        let _ = write!(out, "<path id=\"{prefix}-p{k}\" d=\"{d}\"/>");
    }
    out.push_str("</defs>");
    out
}

/// The final numbers of `run` in words.
pub(super) fn run_result(runs: &RunSet, run: usize) -> String {
    let n = runs.train_loss.row_len();
    if n == 0 || runs.train_loss.shape.is_empty() || run >= runs.train_loss.shape[0] {
        return String::new();
    }
    let i = run * n + n - 1;
    let loss = |q: &Quantized| {
        if q.data.get(i).is_none() {
            "unknown".to_string()
        } else if q.is_top(i) {
            "off the chart".to_string()
        } else {
            fixed(val(q, i), 3)
        }
    };
    let acc = if runs.test_accuracy.data.len() > i {
        pct(val(&runs.test_accuracy, i))
    } else {
        "unknown".into()
    };
    let mut s = format!(
        "final train loss {}, test loss {}, test accuracy {acc}",
        loss(&runs.train_loss),
        loss(&runs.test_loss)
    );
    if runs.diverged.get(run).copied().unwrap_or(false) {
        s.push_str(" (diverged)");
    }
    s
}

pub(super) fn valid_runs(runs: &RunSet) -> bool {
    let r = runs.len();
    let e = runs.epochs.len();
    let s = runs.snapshots.len();
    let cells = runs.resolution * runs.resolution;
    r > 0
        && e > 0
        && runs.train_loss.data.len() == r * e
        && runs.test_loss.data.len() == r * e
        && runs.test_accuracy.data.len() == r * e
        && runs.heatmaps.data.len() == r * s * cells
}

#[cfg(test)]
mod tests {
    use super::heat_bin;

    #[test]
    fn heat_bins_split_at_one_half() {
        assert_eq!(heat_bin(0, 255), 0);
        assert_eq!(heat_bin(127, 255), 3);
        assert_eq!(heat_bin(128, 255), 4);
        assert_eq!(heat_bin(255, 255), 7);
    }
}
