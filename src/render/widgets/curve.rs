//! Learning curves: test accuracy against training-set size for each model, as a chart
//! and a table.
//!
//! Owns: the learning-curve widget's view and figures. Never does: read artifacts of
//! another kind.

use super::plot::{Plot, c, esc, fig, pct, svg_open, ticks, val};
use super::{CurveRow, CurveView, WidgetView};
use crate::sim::model::LearningCurveData;
use std::fmt::Write;

pub(super) const CURVE_W: u32 = 520;
pub(super) const CURVE_H: u32 = 280;

pub(super) fn view(w: &mut WidgetView, d: &LearningCurveData) -> bool {
    let (m, s) = (d.models.len(), d.sizes.len());
    let ok = m > 0
        && s > 0
        && [&d.test_mean, &d.test_min, &d.test_max, &d.train_mean]
            .iter()
            .all(|q| q.data.len() == m * s);
    if !ok {
        return false;
    }
    let lowest = (0..d.test_min.data.len())
        .map(|i| val(&d.test_min, i))
        .fold(1.0f64, f64::min);
    let ymin = ((lowest * 10.0).floor() / 10.0).clamp(0.0, 0.5);
    let p = Plot {
        x0: 46.0,
        x1: f64::from(CURVE_W) - 170.0,
        y0: 12.0,
        y1: f64::from(CURVE_H) - 40.0,
        xmin: d.sizes[0].max(1) as f64,
        xmax: d.sizes[s - 1].max(1) as f64,
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
    // Percentages, so that the ticks are whole numbers: 50%, 60%, ...
    let y_ticks: Vec<(f64, String)> = ticks(ymin * 100.0, 100.0, 5)
        .into_iter()
        .map(|(v, label)| (v / 100.0, format!("{label}%")))
        .collect();
    let x_ticks: Vec<(f64, String)> = d.sizes.iter().map(|&n| (n as f64, n.to_string())).collect();
    p.axes_at(&mut out, &y_ticks, &x_ticks);
    let _ = write!(
        out,
        "<text class=\"wlabel\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">training-set size \
         (log scale)</text>",
        c((p.x0 + p.x1) / 2.0),
        CURVE_H - 4
    );
    for model in 0..m {
        let class = format!("ws{}", model % 6);
        let mut band = String::new();
        for i in 0..s {
            let v = val(&d.test_max, model * s + i);
            let _ = write!(
                band,
                "{}{} {}",
                if i == 0 { "M" } else { "L" },
                c(p.x(d.sizes[i] as f64)),
                c(p.y(v))
            );
        }
        for i in (0..s).rev() {
            let v = val(&d.test_min, model * s + i);
            let _ = write!(band, "L{} {}", c(p.x(d.sizes[i] as f64)), c(p.y(v)));
        }
        let _ = write!(out, "<path class=\"wband {class}\" d=\"{band}z\"/>");
        let mut line = String::new();
        let mut marks = String::new();
        for i in 0..s {
            let v = val(&d.test_mean, model * s + i);
            let (x, y) = (c(p.x(d.sizes[i] as f64)), c(p.y(v)));
            let _ = write!(line, "{}{x} {y}", if i == 0 { "M" } else { "L" });
            let _ = write!(marks, "M{x} {y}h0");
        }
        let _ = write!(
            out,
            "<path class=\"wline {class}\" d=\"{line}\"/><path class=\"wmark {class}\" d=\"{marks}\"/>"
        );
        let ly = 20.0 + model as f64 * 20.0;
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
                        pct(val(&d.test_mean, k)),
                        pct(val(&d.test_min, k)),
                        pct(val(&d.test_max, k)),
                        pct(val(&d.train_mean, k))
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
                pct(val(&d.test_mean, model * s + s - 1))
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
