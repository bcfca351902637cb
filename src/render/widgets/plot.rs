//! The plot kit every widget figure is drawn with: numbers as the figures print them,
//! SVG openings and escaping, and [`Plot`], a pixel box mapped to data ranges.
//!
//! Owns: number formats, SVG openings and escaping, and `Plot`. Never does: know any widget
//! kind.

use pulldown_cmark_escape::escape_html;
use std::fmt::Write;

/// A coordinate with one decimal, without a trailing `.0`.
pub(super) fn c(v: f32) -> String {
    let r = (v * 10.0).round() / 10.0;
    let r = if r == 0.0 { 0.0 } else { r };
    if r.fract() == 0.0 {
        format!("{}", r as i64)
    } else {
        format!("{r:.1}")
    }
}

pub(super) fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let _ = escape_html(&mut out, s);
    out
}

pub(super) fn svg_open(out: &mut String, class: &str, w: u32, h: u32, title_id: &str, title: &str) {
    let _ = write!(
        out,
        "<svg class=\"wsvg {class}\" viewBox=\"0 0 {w} {h}\" width=\"{w}\" role=\"img\" \
         aria-labelledby=\"{title_id}\" xmlns=\"http://www.w3.org/2000/svg\">\
         <title id=\"{title_id}\">{}</title>",
        esc(title)
    );
}

pub(super) fn fig(out: &mut String, name: &str, svg: &str) {
    let _ = write!(out, "<div class=\"wfig\" data-fig=\"{name}\">{svg}</div>");
}

pub(super) fn pct(v: f32) -> String {
    format!("{:.0}%", v * 100.0)
}

/// A plot area: pixel box and data ranges.
pub(super) struct Plot {
    pub(super) x0: f32,
    pub(super) x1: f32,
    pub(super) y0: f32,
    pub(super) y1: f32,
    pub(super) xmin: f32,
    pub(super) xmax: f32,
    pub(super) ymin: f32,
    pub(super) ymax: f32,
    pub(super) logx: bool,
}

impl Plot {
    pub(super) fn x(&self, v: f32) -> f32 {
        let (v, a, b) = if self.logx {
            (v.max(1e-9).ln(), self.xmin.ln(), self.xmax.ln())
        } else {
            (v, self.xmin, self.xmax)
        };
        let t = if b > a { (v - a) / (b - a) } else { 0.5 };
        self.x0 + t * (self.x1 - self.x0)
    }
    pub(super) fn y(&self, v: f32) -> f32 {
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
    pub(super) fn xtick(&self, out: &mut String, v: f32, label: &str) {
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
    pub(super) fn ytick(&self, out: &mut String, v: f32, label: &str, grid: bool) {
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
pub(super) fn num(v: f32) -> String {
    if v >= 100.0 {
        format!("{v:.0}")
    } else if v >= 10.0 {
        format!("{v:.1}")
    } else {
        format!("{v:.2}")
    }
}

#[cfg(test)]
mod tests {
    use super::c;

    #[test]
    fn coordinates_have_at_most_one_decimal() {
        assert_eq!(c(1.04), "1");
        assert_eq!(c(-0.04), "0");
        assert_eq!(c(12.25), "12.3");
        assert_eq!(c(-3.5), "-3.5");
    }
}
