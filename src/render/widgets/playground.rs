//! The playground and the fit: one control per axis of a playground's grid, an epoch
//! slider with play, pause and step, and the chosen run's figures. The playground draws
//! the network (each input feature's and hidden unit's map, edges coloured and sized by
//! weight), the decision map and the loss curves; the fit draws a regression's curve over
//! its data and the loss curves. Only the default run is drawn here (and described in
//! words); `widgets.js` fetches other runs when the reader picks them and draws the same
//! figures.
//!
//! Owns: the playground and fit views and the network and fit figures. Never does: read
//! artifacts of another kind.

use std::fmt::Write;

use super::plot::{Plot, c, esc, fig, fixed, polyline, svg_open, val};
use super::runs::{
    SWEEP_LOSS, SWEEP_MAP, Size, bin_paths, heatmap_svg, loss_svg, loss_svg_marked, run_result,
    valid_runs,
};
use super::{AxisView, PlayView, SweepView, WeightRow, WidgetView};
use crate::sim::model::{PlayRunData, PlaygroundData, Quantized, REGRESSION_RANGE, RunSet};

/// The network diagram's size, and its nodes' side.
pub(super) const NET: Size = Size { w: 600, h: 0 };
const NODE: f64 = 52.0;
const GAP: f64 = 12.0;
const NET_TOP: f64 = 30.0;
const NET_LEFT: f64 = 56.0;
/// The fit's figure.
pub(super) const FIT: Size = Size { w: 600, h: 360 };

/// A playground run as a one-run [`RunSet`], so the sweep's loss chart and decision map
/// draw it.
pub(super) fn run_set(d: &PlaygroundData, run: &PlayRunData) -> RunSet {
    let one = |q: &Quantized| Quantized {
        shape: std::iter::once(1).chain(q.shape.iter().copied()).collect(),
        ..q.clone()
    };
    RunSet {
        epochs: d.epochs.clone(),
        snapshots: d.snapshots.clone(),
        resolution: d.resolution,
        diverged: vec![run.diverged],
        train_loss: one(&run.train_loss),
        test_loss: one(&run.test_loss),
        train_accuracy: one(&run.train_accuracy),
        test_accuracy: one(&run.test_accuracy),
        heatmaps: one(&run.output),
    }
}

/// Whether `run` has every tensor at the shape `d` says.
fn valid_run(d: &PlaygroundData, run: &PlayRunData) -> bool {
    let snaps = d.snapshots.len();
    let cells = if d.regression {
        d.unit_resolution
    } else {
        d.unit_resolution * d.unit_resolution
    };
    let params: usize = run.widths.windows(2).map(|w| (w[0] + 1) * w[1]).sum();
    run.widths.len() >= 2
        && run.widths[0] == run.features.len()
        && run.feature_labels.len() == run.features.len()
        && run.units.data.len() == snaps * run.hidden_units() * cells
        && run.inputs.data.len() == run.features.len() * cells
        && run.weights.data.len() == snaps * params
        && run.test_points.data.len() == 2 * run.test_labels.data.len()
        && run.dataset.points.data.len() == 2 * run.dataset.labels.data.len()
}

/// The view shared by both widgets: the axes and the epoch slider, the chosen run's
/// set-up in words; `None` when the data does not have the shape it says.
fn common(w: &mut WidgetView, d: &PlaygroundData) -> Option<(usize, usize, String)> {
    if d.axes.len() != d.default.len()
        || d.run_count() != d.runs.len()
        || d.snapshots.is_empty()
        || d.default
            .iter()
            .zip(&d.axes)
            .any(|(&i, a)| i >= a.values.len())
    {
        return None;
    }
    let run = d.default_run();
    let r = d.runs.get(run)?;
    let runs = run_set(d, r);
    let curves_ok = if d.regression {
        let e = d.epochs.len();
        e > 0
            && r.train_loss.data.len() == e
            && r.test_loss.data.len() == e
            && r.output.data.len() == d.snapshots.len() * d.resolution
    } else {
        valid_runs(&runs)
    };
    if !valid_run(d, r) || !curves_ok {
        return None;
    }
    let snap = d.snapshots.len() - 1;
    let setting: Vec<String> = d
        .axes
        .iter()
        .zip(&d.default)
        .map(|(a, &i)| format!("{} {}", a.label, a.values[i]))
        .collect();
    let setting = match setting.is_empty() {
        true => "The run".to_string(),
        false => setting.join(", "),
    };
    let epoch = d.snapshots[snap];
    w.sweep = Some(SweepView {
        axes: AxisView::of(&d.axes, &d.default),
        snapshots: d.snapshots.clone(),
        snapshot_max: snap,
        snapshot_epoch: epoch,
        snapshots_json: serde_json::to_string(&d.snapshots).unwrap_or_default(),
        dataset: r.dataset.kind.clone(),
        runs: d.runs.len(),
    });
    Some((run, snap, setting))
}

/// The playground widget (2-D classification).
pub(super) fn view(w: &mut WidgetView, d: &PlaygroundData) -> bool {
    if d.regression {
        return false;
    }
    let Some((run, snap, setting)) = common(w, d) else {
        return false;
    };
    let r = &d.runs[run];
    let runs = run_set(d, r);
    let epoch = d.snapshots[snap];
    let mut svg = String::new();
    fig(
        &mut svg,
        "net",
        &network_svg(
            d,
            r,
            snap,
            &format!("{}-net-title", w.id),
            &format!("The network at epoch {epoch}, {setting}"),
        ),
    );
    fig(
        &mut svg,
        "map",
        &heatmap_svg(
            &runs,
            &r.dataset.points,
            &r.dataset.labels,
            0,
            snap,
            SWEEP_MAP,
            &format!("{}-map", w.id),
            &format!("{}-map", w.id),
            &format!("Decision boundary at epoch {epoch}, {setting}"),
        ),
    );
    fig(
        &mut svg,
        "loss",
        &loss_svg(
            &runs,
            0,
            Some(snap),
            SWEEP_LOSS,
            &format!("{}-loss-title", w.id),
            &format!("Loss curves, {setting}"),
        ),
    );
    w.svg = svg;
    w.caption = format!(
        "{setting}: {}. At epoch {epoch}: {}",
        run_result(&runs, 0),
        describe_network(r)
    );
    w.play = Some(PlayView {
        regression: false,
        weights: weight_rows(r, snap),
        weights_epoch: epoch,
        runs_url: String::new(),
    });
    true
}

/// The fit widget (1-D regression).
pub(super) fn fit_view(w: &mut WidgetView, d: &PlaygroundData) -> bool {
    if !d.regression {
        return false;
    }
    let Some((run, snap, setting)) = common(w, d) else {
        return false;
    };
    let r = &d.runs[run];
    let runs = run_set(d, r);
    let epoch = d.snapshots[snap];
    let mut svg = String::new();
    fig(
        &mut svg,
        "fit",
        &fit_svg(
            d,
            r,
            snap,
            &format!("{}-fit-title", w.id),
            &format!("The network's function at epoch {epoch}, {setting}"),
        ),
    );
    fig(
        &mut svg,
        "loss",
        &loss_svg_marked(
            &runs,
            0,
            Some(snap),
            "epoch of the curve",
            SWEEP_LOSS,
            &format!("{}-loss-title", w.id),
            &format!("Loss curves, {setting}"),
        ),
    );
    w.svg = svg;
    w.caption = format!(
        "{setting}: {}. The line is the network's prediction at epoch {epoch}; dots are the \
         training points, rings the test points.",
        fit_result(&runs)
    );
    w.play = Some(PlayView {
        regression: true,
        weights: Vec::new(),
        weights_epoch: epoch,
        runs_url: String::new(),
    });
    true
}

/// A regression's final losses in words (mean squared error).
pub(super) fn fit_result(runs: &RunSet) -> String {
    let n = runs.train_loss.row_len();
    if n == 0 {
        return String::new();
    }
    let loss = |q: &Quantized| {
        if q.is_top(n - 1) {
            "off the chart".to_string()
        } else {
            fixed(val(q, n - 1), 4)
        }
    };
    let mut s = format!(
        "final train loss {}, test loss {} (mean squared error)",
        loss(&runs.train_loss),
        loss(&runs.test_loss)
    );
    if runs.diverged.first().copied().unwrap_or(false) {
        s.push_str(" (diverged)");
    }
    s
}

/// "Inputs x₁, x₂; 2 hidden layers of 4 tanh units each; one output."
fn describe_network(r: &PlayRunData) -> String {
    let hidden = &r.widths[1..r.widths.len() - 1];
    let layers = match hidden.len() {
        0 => "no hidden layer (logistic regression)".to_string(),
        1 => format!("a hidden layer of {} {} units", hidden[0], r.activation),
        _ => {
            let sizes: Vec<String> = hidden.iter().map(|w| w.to_string()).collect();
            format!(
                "hidden layers of {} {} units",
                sizes.join(", "),
                r.activation
            )
        }
    };
    format!(
        "the network takes {} and has {layers}; the edges' colour is the weight's sign \
         (orange positive, blue negative) and their width its size.",
        r.feature_labels.join(", ")
    )
}

/// Each weight and bias of `r` at snapshot `snap`, for the table under the diagram.
fn weight_rows(r: &PlayRunData, snap: usize) -> Vec<WeightRow> {
    let n = r.weights.row_len();
    let mut rows = Vec::new();
    let mut at = 0;
    for (l, pair) in r.widths.windows(2).enumerate() {
        let (fan_in, fan_out) = (pair[0], pair[1]);
        for i in 0..fan_in {
            for j in 0..fan_out {
                rows.push(WeightRow {
                    from: node_name(r, l, i),
                    to: node_name(r, l + 1, j),
                    value: weight_text(&r.weights, snap * n + at + i * fan_out + j),
                });
            }
        }
        for j in 0..fan_out {
            rows.push(WeightRow {
                from: "bias".into(),
                to: node_name(r, l + 1, j),
                value: weight_text(&r.weights, snap * n + at + fan_in * fan_out + j),
            });
        }
        at += fan_in * fan_out + fan_out;
    }
    rows
}

/// A stored weight in words: 3 decimals, or "not a number" (the top value).
fn weight_text(q: &Quantized, i: usize) -> String {
    if q.is_top(i) {
        "not a number".into()
    } else {
        fixed(val(q, i), 3)
    }
}

/// "x₁", "unit 1.2" (layer 1, unit 2), "output".
fn node_name(r: &PlayRunData, layer: usize, i: usize) -> String {
    if layer == 0 {
        r.feature_labels.get(i).cloned().unwrap_or_default()
    } else if layer == r.widths.len() - 1 {
        "output".into()
    } else {
        format!("unit {layer}.{}", i + 1)
    }
}

/// The diagram's height for layer widths `widths`.
pub(super) fn net_height(widths: &[usize]) -> f64 {
    let most = widths.iter().copied().max().unwrap_or(1) as f64;
    NET_TOP + most * (NODE + GAP) - GAP + 8.0
}

/// The top-left corner of node `i` of layer `l`.
fn node_at(widths: &[usize], l: usize, i: usize) -> (f64, f64) {
    let layers = widths.len();
    let span = f64::from(NET.w) - NET_LEFT - 12.0 - NODE;
    let x = NET_LEFT + l as f64 * span / (layers - 1).max(1) as f64;
    let most = widths.iter().copied().max().unwrap_or(1) as f64;
    let y = NET_TOP + (most - widths[l] as f64) * (NODE + GAP) / 2.0 + i as f64 * (NODE + GAP);
    (x, y)
}

/// One node's map: `data` is `side x side` stored values (row 0 at the top).
fn node_map(out: &mut String, data: &[u16], top: u16, side: usize, x: f64, y: f64) {
    let _ = write!(
        out,
        "<g transform=\"translate({} {}) scale({})\" shape-rendering=\"crispEdges\">",
        c(x),
        c(y),
        crate::numbers::significant(NODE / side as f64, 6)
    );
    for (b, d) in bin_paths(data, top, side, side).iter().enumerate() {
        if !d.is_empty() {
            let _ = write!(out, "<path class=\"hb{b}\" d=\"{d}\"/>");
        }
    }
    let _ = write!(
        out,
        "</g><rect class=\"wnode\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"/>",
        c(x),
        c(y),
        c(NODE),
        c(NODE)
    );
}

/// The network at snapshot `snap`: each input feature's map, each hidden unit's output
/// over the plane (blue negative, orange positive), the output's map, and an edge per
/// weight coloured by its sign and sized by its magnitude (`widgets.js`'s `networkSvg`
/// draws the same).
pub(super) fn network_svg(
    d: &PlaygroundData,
    r: &PlayRunData,
    snap: usize,
    title_id: &str,
    title: &str,
) -> String {
    let widths = &r.widths;
    let layers = widths.len();
    let h = net_height(widths);
    let mut out = String::with_capacity(16384);
    svg_open(&mut out, "wnet", NET.w, h.round() as u32, title_id, title);
    // Column headings.
    for l in 0..layers {
        let (x, _) = node_at(widths, l, 0);
        let name = if l == 0 {
            "input".to_string()
        } else if l == layers - 1 {
            "output".to_string()
        } else {
            format!("layer {l}")
        };
        let _ = write!(
            out,
            "<text class=\"wlabel\" x=\"{}\" y=\"16\" text-anchor=\"middle\">{name}</text>",
            c(x + NODE / 2.0)
        );
    }
    // Edges under the nodes.
    let n = r.weights.row_len();
    // The largest magnitude is `-min` (the range is `[-m, m * 32768 / 32767]`).
    let wmax = (-super::plot::wide(r.weights.min)).max(1e-9);
    let mut at = 0;
    for l in 0..layers - 1 {
        let (fan_in, fan_out) = (widths[l], widths[l + 1]);
        for i in 0..fan_in {
            for j in 0..fan_out {
                let at = snap * n + at + i * fan_out + j;
                let v = val(&r.weights, at);
                let nan = r.weights.is_top(at);
                let (x0, y0) = node_at(widths, l, i);
                let (x1, y1) = node_at(widths, l + 1, j);
                let _ = write!(
                    out,
                    "<path class=\"wedge we{}\" d=\"M{} {}L{} {}\" stroke-width=\"{}\"><title>{} → {}: {}</title></path>",
                    if nan {
                        "-nan"
                    } else if v >= 0.0 {
                        "1"
                    } else {
                        "0"
                    },
                    c(x0 + NODE),
                    c(y0 + NODE / 2.0),
                    c(x1),
                    c(y1 + NODE / 2.0),
                    c(if nan { 1.0 } else { 1.0 + 3.0 * v.abs() / wmax }),
                    esc(&node_name(r, l, i)),
                    esc(&node_name(r, l + 1, j)),
                    weight_text(&r.weights, at)
                );
            }
        }
        at += fan_in * fan_out + fan_out;
    }
    // Nodes: features, hidden units, the output.
    let ures = d.unit_resolution;
    let cells = ures * ures;
    for (i, label) in r.feature_labels.iter().enumerate() {
        let (x, y) = node_at(widths, 0, i);
        node_map(
            &mut out,
            &r.inputs.data[i * cells..(i + 1) * cells],
            r.inputs.top(),
            ures,
            x,
            y,
        );
        let _ = write!(
            out,
            "<text class=\"wlabel\" x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>",
            c(x - 6.0),
            c(y + NODE / 2.0 + 4.0),
            esc(label)
        );
    }
    let units = r.hidden_units();
    let mut u = 0;
    for (l, &width) in widths.iter().enumerate().take(layers - 1).skip(1) {
        for i in 0..width {
            let (x, y) = node_at(widths, l, i);
            let start = (snap * units + u) * cells;
            node_map(
                &mut out,
                &r.units.data[start..start + cells],
                r.units.top(),
                ures,
                x,
                y,
            );
            u += 1;
        }
    }
    let res = d.resolution;
    let (x, y) = node_at(widths, layers - 1, 0);
    let start = snap * res * res;
    node_map(
        &mut out,
        &r.output.data[start..start + res * res],
        r.output.top(),
        res,
        x,
        y,
    );
    out.push_str("</svg>");
    out
}

/// A regression at snapshot `snap`: the training points (dots), the test points
/// (rings) and the network's prediction along x (`widgets.js`'s `fitSvg` draws the same).
pub(super) fn fit_svg(
    d: &PlaygroundData,
    r: &PlayRunData,
    snap: usize,
    title_id: &str,
    title: &str,
) -> String {
    let mut out = String::with_capacity(8192);
    svg_open(&mut out, "wfit", FIT.w, FIT.h, title_id, title);
    let (lo, hi) = REGRESSION_RANGE;
    let p = Plot {
        x0: 44.0,
        x1: f64::from(FIT.w) - 14.0,
        y0: 30.0,
        y1: f64::from(FIT.h) - 40.0,
        xmin: -1.0,
        xmax: 1.0,
        ymin: super::plot::wide(lo),
        ymax: super::plot::wide(hi),
        logx: false,
    };
    p.axes(&mut out, 5, 7);
    let _ = write!(
        out,
        "<text class=\"wlabel\" x=\"{}\" y=\"{}\" text-anchor=\"end\">x</text><text \
         class=\"wlabel\" x=\"4\" y=\"14\">y</text>",
        c(p.x1),
        c(f64::from(FIT.h) - 6.0)
    );
    for (points, class) in [
        (&r.dataset.points, "pt pt-c0"),
        (&r.test_points, "pt-ring"),
        (&r.test_points, "pt-ring-hole"),
    ] {
        let mut dots = String::new();
        for i in 0..points.data.len() / 2 {
            let _ = write!(
                dots,
                "M{} {}h0",
                p.x(val(points, 2 * i)).round(),
                p.y(val(points, 2 * i + 1)).round()
            );
        }
        if !dots.is_empty() {
            let _ = write!(out, "<path class=\"{class}\" d=\"{dots}\"/>");
        }
    }
    let res = d.resolution;
    let line = polyline((0..res).map(|i| {
        let x = -1.0 + 2.0 * i as f64 / (res - 1).max(1) as f64;
        (p.x(x), p.y(val(&r.output, snap * res + i)))
    }));
    let _ = write!(out, "<path class=\"wline wfit-line\" d=\"{line}\"/>");
    // Predictions beyond the chart (or not a number) are drawn at its edge: say so.
    let off = (0..res)
        .filter(|&i| {
            let q = r.output.data[snap * res + i];
            q == 0 || q == r.output.top()
        })
        .count();
    let warning = if r.diverged {
        "diverged: the predictions left the chart".to_string()
    } else if off > 0 {
        format!("the prediction leaves the chart at {off} of {res} points")
    } else {
        String::new()
    };
    if !warning.is_empty() {
        let _ = write!(
            out,
            "<text class=\"wlabel wwarn\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">{warning}</text>",
            c((p.x0 + p.x1) / 2.0),
            c(p.y0 + 16.0)
        );
    }
    // The legend.
    let (x, y) = (p.x0 + 20.0, 14.0);
    let _ = write!(
        out,
        "<g class=\"wlegend\"><path class=\"pt pt-c0\" d=\"M{} {}h0\"/><text class=\"wlabel\" \
         x=\"{}\" y=\"{}\">training points</text><path class=\"pt-ring\" d=\"M{} {}h0\"/><path \
         class=\"pt-ring-hole\" d=\"M{} {}h0\"/><text class=\"wlabel\" x=\"{}\" \
         y=\"{}\">test points</text><path class=\"wline wfit-line\" \
         d=\"M{} {}h24\"/><text class=\"wlabel\" x=\"{}\" y=\"{}\">the network</text></g>",
        c(x),
        c(y - 4.0),
        c(x + 10.0),
        c(y),
        c(x + 150.0),
        c(y - 4.0),
        c(x + 150.0),
        c(y - 4.0),
        c(x + 160.0),
        c(y),
        c(x + 270.0),
        c(y - 4.0),
        c(x + 300.0),
        c(y),
    );
    out.push_str("</svg>");
    out
}
