//! The widgets of a lesson page: the explorables of its `widgets:` list, as template data.
//!
//! Each widget gets a DOM id, a heading, the texts a reader without JavaScript needs
//! (axis values, failure modes' symptoms and remedies, a table of numbers) and a static SVG
//! drawn here at build time from the simulation's quantized values, so the insight shows
//! with JavaScript off and in print. The theme's `widgets.js` fetches the artifact
//! (written next to the page, [`WidgetOutput::files`]) when the widget scrolls into view
//! and redraws the same figures interactively. Colours come from CSS classes, so the
//! figures follow light and dark mode. When a simulation has no result yet (still
//! training under `conceptlab serve`), the widget is a placeholder.

use std::fmt::Write;

use pulldown_cmark_escape::escape_html;
use serde::Serialize;

use crate::config::BaseUrl;
use crate::load::lesson::{Widget, WidgetKind};
use crate::output::{Contents, OutputFile};
use crate::sim::model::{FailureData, LearningCurveData, Quantized, RunSet, SweepData};
use crate::sim::{SimArtifact, SimData, SimResults};
use crate::slug::PageIds;

/// Colour bins of a heatmap: 0..4 lean to class 0, 4..8 to class 1.
pub const HEAT_BINS: u32 = 8;

/// One widget as templates see it.
#[derive(Clone, Debug, Serialize)]
pub struct WidgetData {
    /// `neuron`, `learning-curve`, `sweep-explorer` or `failure-lab`.
    pub kind: &'static str,
    /// The section's id: `explore-<simulation id>`, or `explore-neuron` (`-2`, ... when
    /// a kind repeats); also its anchor and TOC entry.
    pub id: String,
    /// The author's `title:` or the kind's default.
    pub title: String,
    /// The static figures: markup of one or more `<div class="wfig" data-fig="...">`,
    /// each holding an `<svg>` (escaped here; print with `safe`). Empty when pending.
    pub svg: String,
    /// The artifact's URL (data-backed widgets with data).
    pub artifact: Option<String>,
    /// True when the widget's simulation has no result yet.
    pub pending: bool,
    /// What the static figures show, in words.
    pub caption: String,
    pub neuron: Option<NeuronView>,
    pub sweep: Option<SweepView>,
    pub curve: Option<CurveView>,
    pub failure: Option<FailureView>,
}

/// A numeric control of the neuron.
#[derive(Clone, Debug, Serialize)]
pub struct NeuronControl {
    pub key: &'static str,
    pub label: &'static str,
    /// Numbers as written in the HTML (`0.8`, never `0.800000011920929`).
    pub min: String,
    pub max: String,
    pub step: String,
    pub value: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct NeuronView {
    pub controls: Vec<NeuronControl>,
    /// The activations of the select: `value` (`relu`) and `label` (`ReLU`).
    pub activations: Vec<Choice>,
    pub activation: &'static str,
}

#[derive(Clone, Debug, Serialize)]
pub struct Choice {
    pub value: &'static str,
    pub label: &'static str,
}

/// An axis of a sweep as its control shows it.
#[derive(Clone, Debug, Serialize)]
pub struct AxisView {
    pub key: String,
    pub label: String,
    pub values: Vec<String>,
    /// The index of the value shown first.
    pub default: usize,
    /// The last index (`values.len() - 1`).
    pub max: usize,
    /// The value shown first.
    pub shown: String,
    /// `values` as a JSON array, for the control's `data-values`.
    pub values_json: String,
    /// `values` joined with ", ".
    pub list: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct SweepView {
    pub axes: Vec<AxisView>,
    /// The epochs of the heatmap snapshots; the last one is shown first.
    pub snapshots: Vec<u32>,
    /// The index of the last snapshot (shown first), and its epoch.
    pub snapshot_max: usize,
    pub snapshot_epoch: u32,
    /// `snapshots` as a JSON array.
    pub snapshots_json: String,
    pub dataset: String,
    pub runs: usize,
}

/// One row of the learning curve's table: a training-set size and each model's numbers.
#[derive(Clone, Debug, Serialize)]
pub struct CurveRow {
    pub size: usize,
    /// Per model: "87% (84–90%), train 95%".
    pub cells: Vec<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct CurveView {
    pub models: Vec<String>,
    pub sizes: Vec<usize>,
    pub seeds: usize,
    pub rows: Vec<CurveRow>,
    pub dataset: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct ModeView {
    pub mode: String,
    pub label: String,
    pub symptom: String,
    pub remedy: String,
    pub change: String,
    pub diverged: bool,
    /// The mode's final losses and accuracy in words.
    pub result: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct FailureView {
    pub healthy: String,
    /// The healthy run's final losses and accuracy in words.
    pub healthy_result: String,
    pub modes: Vec<ModeView>,
    pub dataset: String,
}

/// The widgets of one lesson and the artifact files they fetch.
#[derive(Debug, Default)]
pub struct WidgetOutput {
    pub widgets: Vec<WidgetData>,
    pub files: Vec<OutputFile>,
}

/// The DOM ids of `widgets`, in order: known before the body is rendered, so headings
/// never take them.
pub fn widget_ids(widgets: &[Widget]) -> Vec<String> {
    let mut taken = PageIds::default();
    widgets
        .iter()
        .map(|w| {
            let stem = match &w.simulation {
                Some(sim) if w.kind.needs().is_some() => format!("explore-{sim}"),
                _ => format!("explore-{}", kind_name(w.kind)),
            };
            taken.unique(&stem, 2)
        })
        .collect()
}

fn kind_name(kind: WidgetKind) -> &'static str {
    match kind {
        WidgetKind::Neuron => "neuron",
        WidgetKind::LearningCurve => "learning-curve",
        WidgetKind::SweepExplorer => "sweep-explorer",
        WidgetKind::FailureLab => "failure-lab",
    }
}

fn default_title(kind: WidgetKind) -> &'static str {
    match kind {
        WidgetKind::Neuron => "Try a neuron",
        WidgetKind::LearningCurve => "Learning curves",
        WidgetKind::SweepExplorer => "Explore the training runs",
        WidgetKind::FailureLab => "Failure lab",
    }
}

/// The widgets of the lesson `lesson_key` (`course/slug`), whose page is at
/// `<lesson_key>/`. `ids` comes from [`widget_ids`].
pub fn build(
    widgets: &[Widget],
    ids: &[String],
    lesson_key: &str,
    sims: &SimResults,
    base: &BaseUrl,
) -> WidgetOutput {
    let mut out = WidgetOutput::default();
    for (w, id) in widgets.iter().zip(ids) {
        let title = w
            .title
            .clone()
            .filter(|t| !t.trim().is_empty())
            .unwrap_or_else(|| default_title(w.kind).to_string());
        let mut data = WidgetData {
            kind: kind_name(w.kind),
            id: id.clone(),
            title,
            svg: String::new(),
            artifact: None,
            pending: false,
            caption: String::new(),
            neuron: None,
            sweep: None,
            curve: None,
            failure: None,
        };
        if w.kind == WidgetKind::Neuron {
            neuron(&mut data);
            out.widgets.push(data);
            continue;
        }
        let artifact = w
            .simulation
            .as_deref()
            .and_then(|sim| sims.get(lesson_key, sim).map(|a| (sim, a)));
        let shown = artifact.and_then(|(sim, a)| {
            let ok = match (&a.data, w.kind) {
                (SimData::Sweep(d), WidgetKind::SweepExplorer) => sweep(&mut data, d),
                (SimData::LearningCurve(d), WidgetKind::LearningCurve) => curve(&mut data, d),
                (SimData::FailureModes(d), WidgetKind::FailureLab) => failure(&mut data, d),
                _ => false,
            };
            ok.then_some((sim, a))
        });
        match shown {
            Some((sim, a)) => {
                let path = artifact_path(lesson_key, sim, a);
                data.artifact = Some(base.join(&path));
                out.files.push(OutputFile {
                    path,
                    contents: Contents::Bytes(a.bytes.clone()),
                });
            }
            None => {
                data.pending = true;
                data.svg.clear();
                data.caption = if artifact.is_some() {
                    // Results of another kind or shape than the widget reads: a bug of
                    // the simulate stage, shown rather than hidden or panicked over.
                    "The data for this explorer does not have the shape it needs, so it \
                     cannot be shown."
                } else {
                    "The data for this explorer is being computed; the page reloads when it \
                     is ready."
                }
                .into();
                data.sweep = None;
                data.curve = None;
                data.failure = None;
            }
        }
        out.widgets.push(data);
    }
    out
}

/// `<course>/<lesson>/sim-<id>.<hash>.bin`, relative to the output folder.
pub fn artifact_path(lesson_key: &str, sim: &str, artifact: &SimArtifact) -> String {
    format!("{lesson_key}/sim-{sim}.{}.bin", artifact.short_hash())
}

// ---------------------------------------------------------------------------------------
// Number and SVG helpers

/// A coordinate with one decimal, without a trailing `.0`.
fn c(v: f32) -> String {
    let r = (v * 10.0).round() / 10.0;
    let r = if r == 0.0 { 0.0 } else { r };
    if r.fract() == 0.0 {
        format!("{}", r as i64)
    } else {
        format!("{r:.1}")
    }
}

fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let _ = escape_html(&mut out, s);
    out
}

fn svg_open(out: &mut String, class: &str, w: u32, h: u32, title_id: &str, title: &str) {
    let _ = write!(
        out,
        "<svg class=\"wsvg {class}\" viewBox=\"0 0 {w} {h}\" width=\"{w}\" role=\"img\" \
         aria-labelledby=\"{title_id}\" xmlns=\"http://www.w3.org/2000/svg\">\
         <title id=\"{title_id}\">{}</title>",
        esc(title)
    );
}

fn fig(out: &mut String, name: &str, svg: &str) {
    let _ = write!(out, "<div class=\"wfig\" data-fig=\"{name}\">{svg}</div>");
}

fn pct(v: f32) -> String {
    format!("{:.0}%", v * 100.0)
}

/// A plot area: pixel box and data ranges.
struct Plot {
    x0: f32,
    x1: f32,
    y0: f32,
    y1: f32,
    xmin: f32,
    xmax: f32,
    ymin: f32,
    ymax: f32,
    logx: bool,
}

impl Plot {
    fn x(&self, v: f32) -> f32 {
        let (v, a, b) = if self.logx {
            (v.max(1e-9).ln(), self.xmin.ln(), self.xmax.ln())
        } else {
            (v, self.xmin, self.xmax)
        };
        let t = if b > a { (v - a) / (b - a) } else { 0.5 };
        self.x0 + t * (self.x1 - self.x0)
    }
    fn y(&self, v: f32) -> f32 {
        let t = if self.ymax > self.ymin {
            ((v - self.ymin) / (self.ymax - self.ymin)).clamp(0.0, 1.0)
        } else {
            0.5
        };
        self.y1 - t * (self.y1 - self.y0)
    }
    fn frame(&self, out: &mut String) {
        let _ = write!(
            out,
            "<path class=\"waxis\" d=\"M{} {}V{}H{}\"/>",
            c(self.x0),
            c(self.y0),
            c(self.y1),
            c(self.x1)
        );
    }
    fn xtick(&self, out: &mut String, v: f32, label: &str) {
        let x = c(self.x(v));
        let _ = write!(
            out,
            "<path class=\"wtick\" d=\"M{x} {}v4\"/><text class=\"wlabel\" x=\"{x}\" y=\"{}\" \
             text-anchor=\"middle\">{}</text>",
            c(self.y1),
            c(self.y1 + 15.0),
            esc(label)
        );
    }
    fn ytick(&self, out: &mut String, v: f32, label: &str, grid: bool) {
        let y = c(self.y(v));
        if grid {
            let _ = write!(
                out,
                "<path class=\"wgrid\" d=\"M{} {y}H{}\"/>",
                c(self.x0),
                c(self.x1)
            );
        }
        let _ = write!(
            out,
            "<text class=\"wlabel\" x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>",
            c(self.x0 - 4.0),
            c(self.y(v) + 4.0),
            esc(label)
        );
    }
}

/// A short label for a loss value.
fn num(v: f32) -> String {
    if v >= 100.0 {
        format!("{v:.0}")
    } else if v >= 10.0 {
        format!("{v:.1}")
    } else {
        format!("{v:.2}")
    }
}

// ---------------------------------------------------------------------------------------
// Run sets: loss curves and heatmaps (sweeps and failure labs)

const LOSS_W: u32 = 300;
const LOSS_H: u32 = 190;
const MAP: u32 = 190;

/// The loss curves (train solid, test dashed) of `run`.
fn loss_svg(runs: &RunSet, run: usize, title_id: &str, title: &str) -> String {
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
fn heat_bin(q: u16, top: u16) -> u32 {
    (u32::from(q) * HEAT_BINS / (u32::from(top) + 1)).min(HEAT_BINS - 1)
}

/// The heatmap of `run` at snapshot `snap` with the training points over it. Cells of a
/// row with the same colour bin are merged into one rectangle of one path per bin.
fn heatmap_svg(
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
fn points_markup(points: &Quantized, labels: &Quantized, prefix: &str) -> String {
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
fn run_result(runs: &RunSet, run: usize) -> String {
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

fn valid_runs(runs: &RunSet) -> bool {
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

// ---------------------------------------------------------------------------------------
// The four kinds

fn sweep(w: &mut WidgetData, d: &SweepData) -> bool {
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
        axes: d
            .axes
            .iter()
            .zip(&default)
            .map(|(a, &i)| AxisView {
                key: a.key.clone(),
                label: a.label.clone(),
                values: a.values.clone(),
                default: i,
                max: a.values.len().saturating_sub(1),
                shown: a.values[i].clone(),
                values_json: serde_json::to_string(&a.values).unwrap_or_default(),
                list: a.values.join(", "),
            })
            .collect(),
        snapshots: runs.snapshots.clone(),
        snapshot_max: snap,
        snapshot_epoch: epoch,
        snapshots_json: serde_json::to_string(&runs.snapshots).unwrap_or_default(),
        dataset: d.dataset.kind.clone(),
        runs: runs.len(),
    });
    true
}

fn failure(w: &mut WidgetData, d: &FailureData) -> bool {
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
            &format!("{}-{name}-loss-title", w.id),
            &format!("Loss curves: {label}"),
        ));
        col.push_str(&heatmap_svg(
            runs,
            &d.dataset.points,
            &d.dataset.labels,
            run,
            snap,
            &format!("{}-{name}-map", w.id),
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

const CURVE_W: u32 = 520;
const CURVE_H: u32 = 280;

fn curve(w: &mut WidgetData, d: &LearningCurveData) -> bool {
    let (m, s) = (d.models.len(), d.sizes.len());
    let ok = m > 0
        && s > 0
        && [&d.test_mean, &d.test_min, &d.test_max, &d.train_mean]
            .iter()
            .all(|q| q.data.len() == m * s);
    if !ok {
        return false;
    }
    let lowest = d
        .test_min
        .data
        .iter()
        .map(|&q| d.test_min.value_of(q))
        .fold(1.0f32, f32::min);
    let ymin = ((lowest * 10.0).floor() / 10.0).clamp(0.0, 0.5);
    let p = Plot {
        x0: 46.0,
        x1: CURVE_W as f32 - 170.0,
        y0: 12.0,
        y1: CURVE_H as f32 - 40.0,
        xmin: d.sizes[0].max(1) as f32,
        xmax: d.sizes[s - 1].max(1) as f32,
        ymin,
        ymax: 1.0,
        logx: true,
    };
    let mut out = String::with_capacity(8192);
    svg_open(
        &mut out,
        "wcurve",
        CURVE_W,
        CURVE_H,
        &format!("{}-curve-title", w.id),
        "Test accuracy against training-set size (log scale), one line per model",
    );
    let mut t = ymin;
    while t <= 1.0001 {
        p.ytick(&mut out, t, &pct(t), true);
        t += if 1.0 - ymin > 0.5 { 0.2 } else { 0.1 };
    }
    p.frame(&mut out);
    for &size in &d.sizes {
        p.xtick(&mut out, size as f32, &size.to_string());
    }
    let _ = write!(
        out,
        "<text class=\"wlabel\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">training-set size \
         (log scale)</text>",
        c((p.x0 + p.x1) / 2.0),
        CURVE_H - 6
    );
    for model in 0..m {
        let class = format!("ws{}", model % 6);
        let mut band = String::new();
        for i in 0..s {
            let v = d.test_max.get(model * s + i);
            let _ = write!(
                band,
                "{}{} {}",
                if i == 0 { "M" } else { "L" },
                c(p.x(d.sizes[i] as f32)),
                c(p.y(v))
            );
        }
        for i in (0..s).rev() {
            let v = d.test_min.get(model * s + i);
            let _ = write!(band, "L{} {}", c(p.x(d.sizes[i] as f32)), c(p.y(v)));
        }
        let _ = write!(out, "<path class=\"wband {class}\" d=\"{band}z\"/>");
        let mut line = String::new();
        let mut marks = String::new();
        for i in 0..s {
            let v = d.test_mean.get(model * s + i);
            let (x, y) = (c(p.x(d.sizes[i] as f32)), c(p.y(v)));
            let _ = write!(line, "{}{x} {y}", if i == 0 { "M" } else { "L" });
            let _ = write!(marks, "M{x} {y}h0");
        }
        let _ = write!(
            out,
            "<path class=\"wline {class}\" d=\"{line}\"/><path class=\"wmark {class}\" d=\"{marks}\"/>"
        );
        let ly = 20.0 + model as f32 * 20.0;
        let _ = write!(
            out,
            "<path class=\"wline {class}\" d=\"M{} {}h22\"/><text class=\"wlabel\" x=\"{}\" \
             y=\"{}\">{}</text>",
            c(p.x1 + 12.0),
            c(ly),
            c(p.x1 + 40.0),
            c(ly + 4.0),
            esc(&d.models[model].name)
        );
    }
    out.push_str("</svg>");
    let mut svg = String::new();
    fig(&mut svg, "curve", &out);
    w.svg = svg;
    let rows = (0..s)
        .map(|i| CurveRow {
            size: d.sizes[i],
            cells: (0..m)
                .map(|model| {
                    let k = model * s + i;
                    format!(
                        "{} ({}–{}), train {}",
                        pct(d.test_mean.get(k)),
                        pct(d.test_min.get(k)),
                        pct(d.test_max.get(k)),
                        pct(d.train_mean.get(k))
                    )
                })
                .collect(),
        })
        .collect();
    let best: Vec<String> = (0..m)
        .map(|model| {
            format!(
                "{} {}",
                d.models[model].name,
                pct(d.test_mean.get(model * s + s - 1))
            )
        })
        .collect();
    w.caption = format!(
        "Mean test accuracy over {} seeds (bands: lowest to highest). With {} training \
         examples: {}.",
        d.seeds,
        d.sizes[s - 1],
        best.join(", ")
    );
    w.curve = Some(CurveView {
        models: d.models.iter().map(|m| m.name.clone()).collect(),
        sizes: d.sizes.clone(),
        seeds: d.seeds,
        rows,
        dataset: d.dataset.kind.clone(),
    });
    true
}

/// The neuron's default set-up.
pub const NEURON_DEFAULTS: [(&str, &str, f32, f32, f32, f32); 5] = [
    ("x1", "Input x₁", -2.0, 2.0, 0.1, 1.0),
    ("x2", "Input x₂", -2.0, 2.0, 0.1, 0.5),
    ("w1", "Weight w₁", -3.0, 3.0, 0.1, 0.8),
    ("w2", "Weight w₂", -3.0, 3.0, 0.1, -1.2),
    ("b", "Bias b", -3.0, 3.0, 0.1, 0.3),
];

fn activate(f: &str, z: f32) -> f32 {
    match f {
        "step" => {
            if z >= 0.0 {
                1.0
            } else {
                0.0
            }
        }
        "tanh" => z.tanh(),
        "relu" => z.max(0.0),
        "linear" => z,
        _ => 1.0 / (1.0 + (-z).exp()),
    }
}

const PLANE: f32 = 200.0;

/// The x₁-x₂ plane: the half where `w·x + b > 0` shaded, the line `w·x + b = 0`, the
/// input point.
fn neuron_plane(id: &str, x: [f32; 2], w: [f32; 2], b: f32) -> String {
    let mut out = String::new();
    svg_open(
        &mut out,
        "wplane",
        PLANE as u32 + 30,
        PLANE as u32 + 30,
        &format!("{id}-plane-title"),
        "The input plane: the shaded side is where the weighted sum is positive",
    );
    let px = |v: f32| 22.0 + (v + 2.0) / 4.0 * PLANE;
    let py = |v: f32| 8.0 + (2.0 - v) / 4.0 * PLANE;
    let z = |p: [f32; 2]| w[0] * p[0] + w[1] * p[1] + b;
    // Clip the square to z >= 0 (one pass of Sutherland–Hodgman).
    let square = [[-2.0, -2.0], [2.0, -2.0], [2.0, 2.0], [-2.0, 2.0]];
    let mut poly: Vec<[f32; 2]> = Vec::new();
    for i in 0..4 {
        let (a, bb) = (square[i], square[(i + 1) % 4]);
        let (za, zb) = (z(a), z(bb));
        if za >= 0.0 {
            poly.push(a);
        }
        if (za >= 0.0) != (zb >= 0.0) {
            let t = za / (za - zb);
            poly.push([a[0] + t * (bb[0] - a[0]), a[1] + t * (bb[1] - a[1])]);
        }
    }
    let _ = write!(
        out,
        "<rect class=\"wneg\" x=\"22\" y=\"8\" width=\"{0}\" height=\"{0}\"/>",
        PLANE
    );
    if poly.len() >= 3 {
        let d: Vec<String> = poly
            .iter()
            .enumerate()
            .map(|(i, p)| {
                format!(
                    "{}{} {}",
                    if i == 0 { "M" } else { "L" },
                    c(px(p[0])),
                    c(py(p[1]))
                )
            })
            .collect();
        let _ = write!(out, "<path class=\"wpos\" d=\"{}z\"/>", d.join(""));
    }
    let _ = write!(
        out,
        "<path class=\"wgrid\" d=\"M{0} 8V{1}M22 {2}H{3}\"/>",
        c(px(0.0)),
        c(8.0 + PLANE),
        c(py(0.0)),
        c(22.0 + PLANE)
    );
    // The decision line where it crosses the square.
    let mut ends: Vec<[f32; 2]> = Vec::new();
    for i in 0..4 {
        let (a, bb) = (square[i], square[(i + 1) % 4]);
        let (za, zb) = (z(a), z(bb));
        if (za >= 0.0) != (zb >= 0.0) {
            let t = za / (za - zb);
            ends.push([a[0] + t * (bb[0] - a[0]), a[1] + t * (bb[1] - a[1])]);
        }
    }
    if ends.len() >= 2 {
        let _ = write!(
            out,
            "<path class=\"wdecision\" d=\"M{} {}L{} {}\"/>",
            c(px(ends[0][0])),
            c(py(ends[0][1])),
            c(px(ends[1][0])),
            c(py(ends[1][1]))
        );
    }
    let _ = write!(
        out,
        "<circle class=\"winput\" cx=\"{}\" cy=\"{}\" r=\"6\"/>\
         <text class=\"wlabel\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">x₁</text>\
         <text class=\"wlabel\" x=\"10\" y=\"{}\">x₂</text>",
        c(px(x[0])),
        c(py(x[1])),
        c(22.0 + PLANE / 2.0),
        c(PLANE + 26.0),
        c(8.0 + PLANE / 2.0),
    );
    out.push_str("</svg>");
    out
}

/// The activation function over z in [-5, 5], with the current z marked.
fn neuron_activation(id: &str, f: &str, z: f32) -> String {
    let mut out = String::new();
    svg_open(
        &mut out,
        "wact",
        230,
        230,
        &format!("{id}-act-title"),
        "The activation function, with the neuron's current weighted sum marked",
    );
    let p = Plot {
        x0: 30.0,
        x1: 222.0,
        y0: 8.0,
        y1: 200.0,
        xmin: -5.0,
        xmax: 5.0,
        ymin: -1.5,
        ymax: 1.5,
        logx: false,
    };
    p.ytick(&mut out, -1.0, "−1", true);
    p.ytick(&mut out, 0.0, "0", true);
    p.ytick(&mut out, 1.0, "1", true);
    p.frame(&mut out);
    p.xtick(&mut out, -5.0, "−5");
    p.xtick(&mut out, 0.0, "z = 0");
    p.xtick(&mut out, 5.0, "5");
    let mut d = String::new();
    for i in 0..=100 {
        let zz = -5.0 + i as f32 * 0.1;
        let _ = write!(
            d,
            "{}{} {}",
            if i == 0 { "M" } else { "L" },
            c(p.x(zz)),
            c(p.y(activate(f, zz)))
        );
    }
    let _ = write!(
        out,
        "<path class=\"wline ws0\" d=\"{d}\"/><circle class=\"winput\" cx=\"{}\" cy=\"{}\" r=\"5\"/>",
        c(p.x(z.clamp(-5.0, 5.0))),
        c(p.y(activate(f, z)))
    );
    out.push_str("</svg>");
    out
}

fn neuron(w: &mut WidgetData) {
    let v = |k: &str| {
        NEURON_DEFAULTS
            .iter()
            .find(|d| d.0 == k)
            .map(|d| d.5)
            .unwrap_or(0.0)
    };
    let (x, wt, b) = ([v("x1"), v("x2")], [v("w1"), v("w2")], v("b"));
    let f = "sigmoid";
    let z = wt[0] * x[0] + wt[1] * x[1] + b;
    let mut svg = String::new();
    fig(&mut svg, "plane", &neuron_plane(&w.id, x, wt, b));
    fig(&mut svg, "act", &neuron_activation(&w.id, f, z));
    w.svg = svg;
    w.caption = format!(
        "With x₁ = {}, x₂ = {}, w₁ = {}, w₂ = {} and b = {}, the weighted sum is z = {:.2} and \
         the sigmoid gives {:.2}. The line w₁x₁ + w₂x₂ + b = 0 splits the input plane.",
        x[0],
        x[1],
        wt[0],
        wt[1],
        b,
        z,
        activate(f, z)
    );
    w.neuron = Some(NeuronView {
        controls: NEURON_DEFAULTS
            .iter()
            .map(|&(key, label, min, max, step, value)| NeuronControl {
                key,
                label,
                min: min.to_string(),
                max: max.to_string(),
                step: step.to_string(),
                value: value.to_string(),
            })
            .collect(),
        activations: [
            ("step", "step"),
            ("sigmoid", "sigmoid"),
            ("tanh", "tanh"),
            ("relu", "ReLU"),
            ("linear", "linear"),
        ]
        .into_iter()
        .map(|(value, label)| Choice { value, label })
        .collect(),
        activation: f,
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coordinates_have_at_most_one_decimal() {
        assert_eq!(c(1.04), "1");
        assert_eq!(c(-0.04), "0");
        assert_eq!(c(12.25), "12.3");
        assert_eq!(c(-3.5), "-3.5");
    }

    #[test]
    fn heat_bins_split_at_one_half() {
        assert_eq!(heat_bin(0, 255), 0);
        assert_eq!(heat_bin(127, 255), 3);
        assert_eq!(heat_bin(128, 255), 4);
        assert_eq!(heat_bin(255, 255), 7);
    }

    #[test]
    fn widget_ids_are_unique() {
        let w = |kind, sim: Option<&str>| Widget {
            kind,
            simulation: sim.map(str::to_owned),
            title: None,
        };
        let ids = widget_ids(&[
            w(WidgetKind::Neuron, None),
            w(WidgetKind::Neuron, None),
            w(WidgetKind::SweepExplorer, Some("drill")),
        ]);
        assert_eq!(ids, ["explore-neuron", "explore-neuron-2", "explore-drill"]);
    }
}
