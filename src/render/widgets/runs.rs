//! Figures of a set of training runs, shared by the sweep explorer and the failure lab:
//! loss curves, decision heatmaps with the training points, and a run's result in words.
//!
//! Owns: the figures of a set of runs. Never does: know which widget shows them.

use super::HEAT_BINS;
use super::plot::{Plot, c, num, pct, svg_open};
use crate::sim::model::{Quantized, RunSet};
use std::fmt::Write;

pub(super) const LOSS_W: u32 = 300;
pub(super) const LOSS_H: u32 = 190;
pub(super) const MAP: u32 = 190;

/// The loss curves (train solid, test dashed) of `run`.
pub(super) fn loss_svg(runs: &RunSet, run: usize, title_id: &str, title: &str) -> String {
    let mut out = String::with_capacity(4096);
    svg_open(&mut out, "wloss", LOSS_W, LOSS_H, title_id, title);
    let last = runs.epochs.last().copied().unwrap_or(1).max(1) as f32;
    let p = Plot {
        x0: 40.0,
        x1: LOSS_W as f32 - 16.0,
        y0: 12.0,
        y1: LOSS_H as f32 - 34.0,
        xmin: runs.epochs.first().copied().unwrap_or(0) as f32,
        xmax: last,
        ymin: runs.train_loss.min,
        ymax: runs.train_loss.max,
        logx: false,
    };
    p.ytick(&mut out, p.ymin, &num(p.ymin), true);
    p.ytick(
        &mut out,
        (p.ymin + p.ymax) / 2.0,
        &num((p.ymin + p.ymax) / 2.0),
        true,
    );
    p.ytick(&mut out, p.ymax, &num(p.ymax), true);
    p.frame(&mut out);
    p.xtick(&mut out, p.xmin, &format!("{}", p.xmin as u32));
    p.xtick(&mut out, p.xmax, &format!("{}", p.xmax as u32));
    let _ = write!(
        out,
        "<text class=\"wlabel\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">epoch</text>",
        c((p.x0 + p.x1) / 2.0),
        LOSS_H - 4
    );
    for (q, class) in [(&runs.train_loss, "wl-train"), (&runs.test_loss, "wl-test")] {
        if q.shape.len() < 2 || run >= q.shape[0] {
            continue;
        }
        let n = q.row_len();
        let mut d = String::with_capacity(n * 10);
        for (i, &e) in runs.epochs.iter().enumerate().take(n) {
            let v = q.get(run * n + i);
            let _ = write!(
                d,
                "{}{} {}",
                if i == 0 { "M" } else { "L" },
                c(p.x(e as f32)),
                c(p.y(v))
            );
        }
        let _ = write!(out, "<path class=\"wline {class}\" d=\"{d}\"/>");
    }
    let _ = write!(
        out,
        "<path class=\"wline wl-train\" d=\"M{0} {1}h18\"/><text class=\"wlabel\" x=\"{2}\" \
         y=\"{3}\">train</text><path class=\"wline wl-test\" d=\"M{4} {1}h18\"/><text \
         class=\"wlabel\" x=\"{5}\" y=\"{3}\">test</text>",
        c(p.x1 - 110.0),
        c(p.y0 + 6.0),
        c(p.x1 - 88.0),
        c(p.y0 + 10.0),
        c(p.x1 - 50.0),
        c(p.x1 - 28.0),
    );
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

/// The bin of a stored heatmap value.
pub(super) fn heat_bin(q: u16, top: u16) -> u32 {
    (u32::from(q) * HEAT_BINS / (u32::from(top) + 1)).min(HEAT_BINS - 1)
}

/// The heatmap of `run` at snapshot `snap` with the training points over it. Cells of a
/// row with the same colour bin are merged into one rectangle of one path per bin.
pub(super) fn heatmap_svg(
    runs: &RunSet,
    points: &Quantized,
    labels: &Quantized,
    run: usize,
    snap: usize,
    prefix: &str,
    title: &str,
) -> String {
    let mut out = String::with_capacity(8192);
    svg_open(
        &mut out,
        "wmap",
        MAP,
        MAP,
        &format!("{prefix}-title"),
        title,
    );
    let res = runs.resolution.max(1);
    let cells = res * res;
    let snaps = runs.snapshots.len().max(1);
    let start = (run * snaps + snap) * cells;
    let mut paths: Vec<String> = vec![String::new(); HEAT_BINS as usize];
    if runs.heatmaps.data.len() >= start + cells {
        let top = runs.heatmaps.top();
        for r in 0..res {
            let row = &runs.heatmaps.data[start + r * res..start + (r + 1) * res];
            let mut col = 0;
            while col < res {
                let b = heat_bin(row[col], top);
                let mut end = col + 1;
                while end < res && heat_bin(row[end], top) == b {
                    end += 1;
                }
                let _ = write!(
                    paths[b as usize],
                    "M{col} {r}h{}v1h-{}z",
                    end - col,
                    end - col
                );
                col = end;
            }
        }
    }
    // The scale needs more precision than one decimal.
    let scale = format!("{:.4}", MAP as f64 / res as f64);
    let _ = write!(
        out,
        "<g transform=\"scale({})\" shape-rendering=\"crispEdges\">",
        scale.trim_end_matches('0').trim_end_matches('.')
    );
    for (b, d) in paths.iter().enumerate() {
        if !d.is_empty() {
            let _ = write!(out, "<path class=\"hb{b}\" d=\"{d}\"/>");
        }
    }
    out.push_str("</g>");
    out.push_str(&points_markup(points, labels, prefix));
    out.push_str("</svg>");
    out
}

/// The training points: one path per class of zero-length segments drawn with round
/// (class 0) or square (class 1) caps, each under a halo.
pub(super) fn points_markup(points: &Quantized, labels: &Quantized, prefix: &str) -> String {
    let n = labels.data.len().min(points.data.len() / 2);
    let mut d = [String::new(), String::new()];
    let scale = MAP as f32 / 2.0;
    for i in 0..n {
        let x = (points.get(2 * i) + 1.0) * scale;
        let y = (1.0 - points.get(2 * i + 1)) * scale;
        let class = usize::from(labels.get(i) >= 0.5);
        let _ = write!(d[class], "M{} {}h0", c(x), c(y));
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
    for k in 0..2 {
        let _ = write!(
            out,
            "<use href=\"#{prefix}-p{k}\" class=\"pt-halo pt-c{k}\"/><use href=\"#{prefix}-p{k}\" \
             class=\"pt pt-c{k}\"/>"
        );
    }
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
            format!("{:.3}", q.get(i))
        }
    };
    let acc = if runs.test_accuracy.data.len() > i {
        pct(runs.test_accuracy.get(i))
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
