//! Learning curves: test accuracy against training-set size for each model, as a chart
//! and a table.
//!
//! Owns: the learning-curve widget's view and figures. Never does: read artifacts of
//! another kind.

use super::plot::{Plot, c, esc, fig, pct, svg_open};
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
