//! The neuron: one unit's inputs, weights, bias and activation, with its decision
//! plane and activation curve. It needs no simulation.
//!
//! Owns: the neuron widget's view and figures. Never does: need a simulation.

use super::plot::{Plot, c, esc, fig, fixed, nice_range, num, polyline, svg_open};
use super::{Choice, NeuronControl, NeuronView, WidgetView};
use std::fmt::Write;

/// The neuron's default set-up: key, label, min, max, step, value.
pub const NEURON_DEFAULTS: [(&str, &str, f64, f64, f64, f64); 5] = [
    ("x1", "Input x₁", -2.0, 2.0, 0.1, 1.0),
    ("x2", "Input x₂", -2.0, 2.0, 0.1, 0.5),
    ("w1", "Weight w₁", -3.0, 3.0, 0.1, 0.8),
    ("w2", "Weight w₂", -3.0, 3.0, 0.1, -1.2),
    ("b", "Bias b", -3.0, 3.0, 0.1, 0.3),
];

/// The activations of the select: value and label.
const ACTIVATIONS: [(&str, &str); 5] = [
    ("step", "step"),
    ("sigmoid", "sigmoid"),
    ("tanh", "tanh"),
    ("relu", "ReLU"),
    ("linear", "linear"),
];

pub(super) fn activate(f: &str, z: f64) -> f64 {
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

/// The plane's square: left and top edge and side; the figure's size.
const PLANE_BOX: (f64, f64, f64) = (40.0, 10.0, 280.0);
const PLANE_W: u32 = 340;
const PLANE_H: u32 = 400;
const ACT_W: u32 = 340;
const ACT_H: u32 = 340;

/// The x₁-x₂ plane over `[-2, 2]²`: the half where `w·x + b > 0` shaded, the line
/// `w·x + b = 0`, the input point, ticks and a legend.
pub(super) fn neuron_plane(id: &str, x: [f64; 2], w: [f64; 2], b: f64) -> String {
    let mut out = String::new();
    svg_open(
        &mut out,
        "wplane",
        PLANE_W,
        PLANE_H,
        &format!("{id}-plane-title"),
        "The input plane: the shaded side is where the weighted sum is positive",
    );
    let (left, top, side) = PLANE_BOX;
    let p = Plot {
        x0: left,
        x1: left + side,
        y0: top,
        y1: top + side,
        xmin: -2.0,
        xmax: 2.0,
        ymin: -2.0,
        ymax: 2.0,
        logx: false,
    };
    let z = |q: [f64; 2]| w[0] * q[0] + w[1] * q[1] + b;
    // Clip the square to z >= 0 (one pass of Sutherland–Hodgman); the crossings are the
    // ends of the decision line.
    let square = [[-2.0, -2.0], [2.0, -2.0], [2.0, 2.0], [-2.0, 2.0]];
    let mut poly: Vec<[f64; 2]> = Vec::new();
    let mut ends: Vec<[f64; 2]> = Vec::new();
    for i in 0..4 {
        let (a, e) = (square[i], square[(i + 1) % 4]);
        let (za, ze) = (z(a), z(e));
        if za >= 0.0 {
            poly.push(a);
        }
        if (za >= 0.0) != (ze >= 0.0) {
            let t = za / (za - ze);
            let cut = [a[0] + t * (e[0] - a[0]), a[1] + t * (e[1] - a[1])];
            poly.push(cut);
            ends.push(cut);
        }
    }
    let _ = write!(
        out,
        "<rect class=\"wneg\" x=\"{}\" y=\"{}\" width=\"{2}\" height=\"{2}\"/>",
        c(left),
        c(top),
        c(side)
    );
    if poly.len() >= 3 {
        let d: String = poly
            .iter()
            .enumerate()
            .map(|(i, q)| {
                format!(
                    "{}{} {}",
                    if i == 0 { "M" } else { "L" },
                    c(p.x(q[0])),
                    c(p.y(q[1]))
                )
            })
            .collect();
        let _ = write!(out, "<path class=\"wpos\" d=\"{d}z\"/>");
    }
    p.axes(&mut out, 4, 4);
    if ends.len() >= 2 {
        let _ = write!(
            out,
            "<path class=\"wdecision\" d=\"M{} {}L{} {}\"/>",
            c(p.x(ends[0][0])),
            c(p.y(ends[0][1])),
            c(p.x(ends[1][0])),
            c(p.y(ends[1][1]))
        );
    }
    let _ = write!(
        out,
        "<circle class=\"winput\" cx=\"{}\" cy=\"{}\" r=\"6\"/>",
        c(p.x(x[0])),
        c(p.y(x[1]))
    );
    out.push_str(&plane_legend(&p));
    out.push_str("</svg>");
    out
}

/// The axis names and what the shading, the line and the dot mean.
fn plane_legend(p: &Plot) -> String {
    let (y1, y2) = (p.y1 + 60.0, p.y1 + 82.0);
    let (a, b) = (p.x0, p.x0 + 150.0);
    format!(
        "<text class=\"wlabel\" x=\"{xr}\" y=\"{xy}\" text-anchor=\"end\">x₁</text>\
         <text class=\"wlabel\" x=\"4\" y=\"{yy}\">x₂</text><g class=\"wlegend\">\
         <rect class=\"wpos wswatch\" x=\"{a}\" y=\"{r1}\" width=\"14\" height=\"14\"/>\
         <text class=\"wlabel\" x=\"{at}\" y=\"{y1}\">z &gt; 0 (shaded)</text>\
         <rect class=\"wneg wswatch\" x=\"{b}\" y=\"{r1}\" width=\"14\" height=\"14\"/>\
         <text class=\"wlabel\" x=\"{bt}\" y=\"{y1}\">z &lt; 0</text>\
         <path class=\"wdecision\" d=\"M{a} {l2}h14\"/>\
         <text class=\"wlabel\" x=\"{at}\" y=\"{y2}\">z = 0</text>\
         <circle class=\"winput\" cx=\"{bc}\" cy=\"{l2}\" r=\"6\"/>\
         <text class=\"wlabel\" x=\"{bt}\" y=\"{y2}\">the input (x₁, x₂)</text></g>",
        xr = c(p.x1),
        xy = c(p.y1 + 36.0),
        yy = c(p.y0 + 12.0),
        a = c(a),
        b = c(b),
        at = c(a + 20.0),
        bt = c(b + 20.0),
        bc = c(b + 7.0),
        r1 = c(y1 - 11.0),
        l2 = c(y2 - 4.0),
        y1 = c(y1),
        y2 = c(y2),
    )
}

/// The activation function over a range of z that holds `[-5, 5]` and the current z,
/// with a y range that holds the function there, ticks, and the current z marked.
pub(super) fn neuron_activation(id: &str, f: &str, label: &str, z: f64) -> String {
    let mut out = String::new();
    svg_open(
        &mut out,
        "wact",
        ACT_W,
        ACT_H,
        &format!("{id}-act-title"),
        "The activation function, with the neuron's current weighted sum marked",
    );
    let (xmin, xmax) = nice_range(z.min(-5.0), z.max(5.0), 6);
    let at = |i: u32| xmin + f64::from(i) * (xmax - xmin) / 100.0;
    let (lo, hi) = (0..=100)
        .map(|i| activate(f, at(i)))
        .fold((0.0f64, 1.0f64), |(lo, hi), v| (lo.min(v), hi.max(v)));
    let (ymin, ymax) = nice_range(lo, hi, 6);
    let pad = (ymax - ymin) * 0.04;
    let p = Plot {
        x0: 44.0,
        x1: f64::from(ACT_W) - 12.0,
        y0: 22.0,
        y1: f64::from(ACT_H) - 40.0,
        xmin,
        xmax,
        ymin: ymin - pad,
        ymax: ymax + pad,
        logx: false,
    };
    p.axes_at(
        &mut out,
        &super::plot::ticks(ymin, ymax, 6),
        &super::plot::ticks(xmin, xmax, 6),
    );
    let d = polyline((0..=100).map(|i| (p.x(at(i)), p.y(activate(f, at(i))))));
    let _ = write!(
        out,
        "<text class=\"wlabel\" x=\"{}\" y=\"{}\" text-anchor=\"end\">z</text>\
         <text class=\"wlabel\" x=\"4\" y=\"12\">{}(z)</text>\
         <path class=\"wline ws0\" d=\"{d}\"/><circle class=\"winput\" cx=\"{}\" cy=\"{}\" r=\"5\"/>",
        c(p.x1),
        c(f64::from(ACT_H) - 6.0),
        esc(label),
        c(p.x(z)),
        c(p.y(activate(f, z)))
    );
    out.push_str("</svg>");
    out
}

/// A factor of the caption's sum: negative numbers in parentheses.
fn factor(v: f64) -> String {
    if v < 0.0 {
        format!("({})", num(v))
    } else {
        num(v)
    }
}

/// The caption: the sum written out, its value and the output. `widgets.js` writes the
/// same sentence as the sliders move.
pub(super) fn caption(x: [f64; 2], w: [f64; 2], b: f64, label: &str, f: &str) -> String {
    let z = w[0] * x[0] + w[1] * x[1] + b;
    format!(
        "Weighted sum z = {} × {} + {} × {} + {} = {}; output {label}(z) = {}. The input \
         point is on the {} side of the line.",
        factor(w[0]),
        factor(x[0]),
        factor(w[1]),
        factor(x[1]),
        factor(b),
        fixed(z, 2),
        fixed(activate(f, z), 2),
        if z >= 0.0 { "positive" } else { "negative" }
    )
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
    let label = "sigmoid";
    let z = wt[0] * x[0] + wt[1] * x[1] + b;
    let mut svg = String::new();
    fig(&mut svg, "plane", &neuron_plane(&w.id, x, wt, b));
    fig(&mut svg, "act", &neuron_activation(&w.id, f, label, z));
    w.svg = svg;
    w.caption = caption(x, wt, b, label, f);
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
                shown: num(value),
            })
            .collect(),
        activations: ACTIVATIONS
            .into_iter()
            .map(|(value, label)| Choice { value, label })
            .collect(),
        activation: f,
    });
}
