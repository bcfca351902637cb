//! The plot kit every widget figure is drawn with: numbers as the figures print them
//! (the rule of [`crate::numbers`], shared with `widgets.js`), nice ticks, SVG openings
//! and escaping, and [`Plot`], a pixel box mapped to data ranges.
//!
//! Everything here computes in `f64` in the same order as `widgets.js`, so that a figure
//! redrawn in the browser carries the same labels as the one drawn here.
//!
//! Owns: number formats, ticks, SVG openings and escaping, and `Plot`. Never does: know any
//! widget kind.

use crate::numbers;
use crate::sim::model::Quantized;
use pulldown_cmark_escape::escape_html;
use std::fmt::Write;

/// A coordinate with one decimal, without a trailing `.0`.
pub(super) fn c(v: f64) -> String {
    let r = (v * 10.0).round() / 10.0;
    let r = if r == 0.0 { 0.0 } else { r };
    if r.fract() == 0.0 {
        format!("{}", r as i64)
    } else {
        format!("{r:.1}")
    }
}

/// A line through `points`, for a path's `d`: the first point absolute, each next one
/// relative to the one before (`l10.7-4.7`, about a fifth shorter than `L62.7 138.9`).
/// The steps are between positions rounded as [`c`] rounds them, so no error adds up.
pub(super) fn polyline(points: impl IntoIterator<Item = (f64, f64)>) -> String {
    let tenths = |v: f64| (v * 10.0).round() as i64;
    let mut d = String::new();
    let mut last = None;
    for (x, y) in points {
        let (x, y) = (tenths(x), tenths(y));
        match last {
            None => {
                let _ = write!(d, "M{} {}", tenths_text(x), tenths_text(y));
            }
            Some((lx, ly)) => {
                let dy = tenths_text(y - ly);
                let sep = if dy.starts_with('-') { "" } else { " " };
                let _ = write!(d, "l{}{sep}{dy}", tenths_text(x - lx));
            }
        }
        last = Some((x, y));
    }
    d
}

/// A number of tenths as [`c`] writes it: `107` is `10.7`, `-3` is `-0.3`, `20` is `2`.
fn tenths_text(t: i64) -> String {
    if t % 10 == 0 {
        format!("{}", t / 10)
    } else {
        let sign = if t < 0 { "-" } else { "" };
        format!("{sign}{}.{}", t.abs() / 10, t.abs() % 10)
    }
}

pub(super) fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let _ = escape_html(&mut out, s);
    out
}

/// A number for a reader: at most 6 significant digits, a minus sign (U+2212).
pub(super) fn num(v: f64) -> String {
    numbers::minus(&numbers::significant(v, 6))
}

/// A number with exactly `places` decimals and a minus sign (U+2212).
pub(super) fn fixed(v: f64, places: usize) -> String {
    numbers::minus(&numbers::decimals(v, places))
}

/// A fraction as a whole percentage: `0.875` is `88%`.
pub(super) fn pct(v: f64) -> String {
    format!("{}%", fixed(v * 100.0, 0))
}

/// The value at flat index `i`, dequantized in `f64` from the range as the artifact's
/// JSON header writes it: the very number `widgets.js` computes.
pub(super) fn val(q: &Quantized, i: usize) -> f64 {
    let (min, max) = (wide(q.min), wide(q.max));
    min + f64::from(q.data[i]) / f64::from(q.top()) * (max - min)
}

/// An `f32` as the JSON header writes it and a browser reads it back.
pub(super) fn wide(x: f32) -> f64 {
    serde_json::to_string(&x)
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(f64::from(x))
}

pub(super) fn svg_open(out: &mut String, class: &str, w: u32, h: u32, title_id: &str, title: &str) {
    let _ = write!(
        out,
        "<svg class=\"wsvg {class}\" viewBox=\"0 0 {w} {h}\" width=\"{w}\" role=\"img\" \
         aria-labelledby=\"{title_id}\">\
         <title id=\"{title_id}\">{}</title>",
        esc(title)
    );
}

pub(super) fn fig(out: &mut String, name: &str, svg: &str) {
    let _ = write!(out, "<div class=\"wfig\" data-fig=\"{name}\">{svg}</div>");
}

/// Ticks at a nice step: `units × 10^exp` with `units` 10, 20, 25 or 50 (1, 2, 2.5 or 5
/// times a power of ten), the smallest that cuts `[lo, hi]` into at most `most` steps.
/// Each tick is its value and its label, written from integers so that no float noise
/// reaches the label.
pub(super) fn ticks(lo: f64, hi: f64, most: u32) -> Vec<(f64, String)> {
    let span = hi - lo;
    if !(span > 0.0 && span.is_finite()) || most == 0 {
        return Vec::new();
    }
    let (units, exp) = nice_step(span / f64::from(most));
    let step = decimal_value(units, exp);
    let first = (lo / step - 1e-9).ceil() as i64;
    let last = (hi / step + 1e-9).floor() as i64;
    (first..=last)
        .map(|k| (decimal_value(k * units, exp), shifted(k * units, exp)))
        .collect()
}

/// The nice step at or above `raw`, as `(units, exp)`. The decimal exponent and
/// mantissa come from the shortest digits of `raw`, as in [`crate::numbers`].
fn nice_step(raw: f64) -> (i64, i32) {
    let text = format!("{raw:e}");
    let (mantissa, exp) = text.split_once('e').unwrap_or(("1", "0"));
    let m: f64 = mantissa.parse().unwrap_or(1.0);
    let exp: i32 = exp.parse().unwrap_or(0);
    match m {
        m if m <= 1.0 => (10, exp - 1),
        m if m <= 2.0 => (20, exp - 1),
        m if m <= 2.5 => (25, exp - 1),
        m if m <= 5.0 => (50, exp - 1),
        _ => (10, exp),
    }
}

/// `n × 10^exp` as the `f64` nearest to it (parsed from its decimal text, as the browser
/// does, never computed with a power).
fn decimal_value(n: i64, exp: i32) -> f64 {
    format!("{n}e{exp}").parse().unwrap_or(0.0)
}

/// `n × 10^exp` written out, trailing zeros dropped, with a minus sign (U+2212).
fn shifted(n: i64, exp: i32) -> String {
    let digits = n.unsigned_abs().to_string();
    let text = if exp >= 0 {
        if n == 0 {
            "0".to_string()
        } else {
            format!("{digits}{}", "0".repeat(exp as usize))
        }
    } else {
        let point = exp.unsigned_abs() as usize;
        let padded = format!("{digits:0>width$}", width = point + 1);
        let (int, frac) = padded.split_at(padded.len() - point);
        let frac = frac.trim_end_matches('0');
        if frac.is_empty() {
            int.to_string()
        } else {
            format!("{int}.{frac}")
        }
    };
    if n < 0 {
        format!("\u{2212}{text}")
    } else {
        text
    }
}

/// The range `[lo, hi]` widened to the ticks around it: the first tick at or below `lo`
/// and the last at or above `hi`.
pub(super) fn nice_range(lo: f64, hi: f64, most: u32) -> (f64, f64) {
    let span = hi - lo;
    if !(span > 0.0 && span.is_finite()) {
        return (lo - 1.0, hi + 1.0);
    }
    let (units, exp) = nice_step(span / f64::from(most.max(1)));
    let step = decimal_value(units, exp);
    let a = (lo / step + 1e-9).floor() as i64;
    let b = (hi / step - 1e-9).ceil() as i64;
    (decimal_value(a * units, exp), decimal_value(b * units, exp))
}

/// A plot area: pixel box and data ranges.
pub(super) struct Plot {
    pub(super) x0: f64,
    pub(super) x1: f64,
    pub(super) y0: f64,
    pub(super) y1: f64,
    pub(super) xmin: f64,
    pub(super) xmax: f64,
    pub(super) ymin: f64,
    pub(super) ymax: f64,
    pub(super) logx: bool,
}

impl Plot {
    pub(super) fn x(&self, v: f64) -> f64 {
        let (v, a, b) = if self.logx {
            (v.max(1e-9).ln(), self.xmin.ln(), self.xmax.ln())
        } else {
            (v, self.xmin, self.xmax)
        };
        let t = if b > a { (v - a) / (b - a) } else { 0.5 };
        self.x0 + t * (self.x1 - self.x0)
    }
    pub(super) fn y(&self, v: f64) -> f64 {
        let t = if self.ymax > self.ymin {
            ((v - self.ymin) / (self.ymax - self.ymin)).clamp(0.0, 1.0)
        } else {
            0.5
        };
        self.y1 - t * (self.y1 - self.y0)
    }
    pub(super) fn frame(&self, out: &mut String) {
        let _ = write!(
            out,
            "<path class=\"waxis\" d=\"M{} {}V{}H{}\"/>",
            c(self.x0),
            c(self.y0),
            c(self.y1),
            c(self.x1)
        );
    }
    /// Nice ticks on both axes, at most `xs` and `ys` steps.
    pub(super) fn axes(&self, out: &mut String, xs: u32, ys: u32) {
        let y_ticks = ticks(self.ymin, self.ymax, ys);
        let x_ticks = ticks(self.xmin, self.xmax, xs);
        self.axes_at(out, &y_ticks, &x_ticks);
    }

    /// The grid lines at `ys` and the ticks at `xs`, each set one path (a chart's markup
    /// is mostly these), the frame, and the labels: `wty` right-aligned and `wtx` centred by
    /// the stylesheet. `widgets.js` writes the same (`axesAt`).
    pub(super) fn axes_at(&self, out: &mut String, ys: &[(f64, String)], xs: &[(f64, String)]) {
        if !ys.is_empty() {
            out.push_str("<path class=\"wgrid\" d=\"");
            for (v, _) in ys {
                let _ = write!(out, "M{} {}H{}", c(self.x0), c(self.y(*v)), c(self.x1));
            }
            out.push_str("\"/>");
        }
        self.frame(out);
        if !xs.is_empty() {
            out.push_str("<path class=\"wtick\" d=\"");
            for (v, _) in xs {
                let _ = write!(out, "M{} {}v5", c(self.x(*v)), c(self.y1));
            }
            out.push_str("\"/>");
        }
        for (v, label) in ys {
            let _ = write!(
                out,
                "<text class=\"wlabel wty\" x=\"{}\" y=\"{}\">{}</text>",
                c(self.x0 - 6.0),
                c(self.y(*v) + 4.0),
                esc(label)
            );
        }
        for (v, label) in xs {
            let _ = write!(
                out,
                "<text class=\"wlabel wtx\" x=\"{}\" y=\"{}\">{}</text>",
                c(self.x(*v)),
                c(self.y1 + 18.0),
                esc(label)
            );
        }
    }
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

    fn labels(lo: f64, hi: f64, most: u32) -> Vec<String> {
        ticks(lo, hi, most).into_iter().map(|t| t.1).collect()
    }

    #[test]
    fn ticks_step_by_one_two_two_and_a_half_or_five() {
        assert_eq!(
            labels(0.0, 1.25, 6),
            ["0", "0.25", "0.5", "0.75", "1", "1.25"]
        );
        assert_eq!(labels(0.0, 200.0, 5), ["0", "50", "100", "150", "200"]);
        assert_eq!(labels(-5.0, 5.0, 6), ["−4", "−2", "0", "2", "4"]);
        assert_eq!(
            labels(0.5, 1.0, 5),
            ["0.5", "0.6", "0.7", "0.8", "0.9", "1"]
        );
        assert_eq!(labels(0.0, 0.003, 3), ["0", "0.001", "0.002", "0.003"]);
        assert!(ticks(1.0, 1.0, 5).is_empty());
    }

    #[test]
    fn ranges_widen_to_ticks() {
        assert_eq!(nice_range(-5.0, 5.6, 6), (-6.0, 6.0));
        assert_eq!(nice_range(0.0, 0.93, 5), (0.0, 1.0));
    }

    #[test]
    fn numbers_take_the_minus_sign() {
        assert_eq!(num(-1.6), "−1.6");
        assert_eq!(fixed(0.5, 2), "0.50");
        assert_eq!(pct(0.875), "88%");
    }

    /// Each step is between rounded positions: summed from the first point, the steps
    /// land where `c` puts each point, however many there are.
    #[test]
    fn polylines_step_between_rounded_points() {
        assert_eq!(
            polyline([
                (52.0, 134.24),
                (62.68, 138.9),
                (73.4, 130.04),
                (84.0, 130.0)
            ]),
            "M52 134.2l10.7 4.7l10.7-8.9l10.6 0"
        );
        let points: Vec<(f64, f64)> = (0..500)
            .map(|i| (f64::from(i) * 1.037, (f64::from(i) * 0.3).sin() * 77.77))
            .collect();
        let d = polyline(points.iter().copied());
        let mut at = (0i64, 0i64);
        for (i, step) in d.trim_start_matches('M').split('l').enumerate() {
            let (x, y) =
                match step.find(|ch: char| ch == ' ' || (ch == '-' && !step.starts_with(ch))) {
                    Some(k) if step.as_bytes()[k] == b' ' => (&step[..k], &step[k + 1..]),
                    Some(k) => (&step[..k], &step[k..]),
                    None => panic!("no y in {step}"),
                };
            let tenths = |v: &str| (v.parse::<f64>().unwrap() * 10.0).round() as i64;
            at = if i == 0 {
                (tenths(x), tenths(y))
            } else {
                (at.0 + tenths(x), at.1 + tenths(y))
            };
            let (px, py) = points[i];
            assert_eq!(
                at,
                ((px * 10.0).round() as i64, (py * 10.0).round() as i64),
                "point {i}"
            );
        }
    }
}
