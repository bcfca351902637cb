//! The neuron: one unit's inputs, weights, bias and activation, with its decision
//! plane and activation curve. It needs no simulation.
//!
//! Owns: the neuron widget's view and figures. Never does: need a simulation.

use super::plot::{Plot, c, fig, svg_open};
use super::{Choice, NeuronControl, NeuronView, WidgetView};
use std::fmt::Write;

/// The neuron's default set-up.
pub const NEURON_DEFAULTS: [(&str, &str, f32, f32, f32, f32); 5] = [
    ("x1", "Input x₁", -2.0, 2.0, 0.1, 1.0),
    ("x2", "Input x₂", -2.0, 2.0, 0.1, 0.5),
    ("w1", "Weight w₁", -3.0, 3.0, 0.1, 0.8),
    ("w2", "Weight w₂", -3.0, 3.0, 0.1, -1.2),
    ("b", "Bias b", -3.0, 3.0, 0.1, 0.3),
];

pub(super) fn activate(f: &str, z: f32) -> f32 {
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

pub(super) const PLANE: f32 = 200.0;

/// The x₁-x₂ plane: the half where `w·x + b > 0` shaded, the line `w·x + b = 0`, the
/// input point.
pub(super) fn neuron_plane(id: &str, x: [f32; 2], w: [f32; 2], b: f32) -> String {
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
pub(super) fn neuron_activation(id: &str, f: &str, z: f32) -> String {
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

pub(super) fn view(w: &mut WidgetView) {
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
