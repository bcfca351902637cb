//! The architecture-flow diagram: a lesson's `flow:` steps drawn as numbered boxes joined
//! by arrows, as an SVG made at build time (no JavaScript, prints as it shows). Colours
//! come from CSS classes so the diagram follows light and dark mode. Screen readers get
//! the ordered list the template puts next to it; the SVG itself is one labelled image.
//!
//! Owns: the flow diagram's SVG. Never does: read anything but the lesson's `flow:` steps.

use std::fmt::Write;

use pulldown_cmark_escape::escape_html;

use crate::load::lesson::FlowStep;

const BOX_W: usize = 168;
const BOX_H: usize = 76;
const GAP: usize = 40;
const PAD: usize = 8;
const PER_ROW: usize = 4;
/// Characters per line of a label; a rough width for the theme's sans-serif at 14px.
const LINE_CHARS: usize = 19;

/// The SVG for `steps`; `id` makes its title id unique on the page.
pub fn svg(steps: &[FlowStep], id: &str) -> String {
    if steps.is_empty() {
        return String::new();
    }
    // Balanced rows: 5 steps are drawn 3 + 2, not 4 + 1.
    let rows = steps.len().div_ceil(PER_ROW);
    let per_row = steps.len().div_ceil(rows);
    let width = per_row * BOX_W + (per_row - 1) * GAP + 2 * PAD;
    let height = rows * BOX_H + (rows - 1) * GAP + 2 * PAD;
    let mut svg = String::with_capacity(1024 + steps.len() * 512);
    let _ = write!(
        svg,
        "<svg class=\"flow-diagram\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" \
         role=\"img\" aria-labelledby=\"{id}-title\" xmlns=\"http://www.w3.org/2000/svg\">\
         <title id=\"{id}-title\">"
    );
    let names: Vec<&str> = steps.iter().map(|s| s.step.as_str()).collect();
    let _ = escape_html(&mut svg, &format!("Flow: {}", names.join(" → ")));
    svg.push_str("</title><defs><marker id=\"");
    svg.push_str(id);
    svg.push_str(
        "-arrow\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"7\" \
         markerHeight=\"7\" orient=\"auto-start-reverse\"><path d=\"M0 0L10 5L0 10z\" \
         class=\"flow-arrowhead\"/></marker></defs>",
    );
    for (i, step) in steps.iter().enumerate() {
        let (x, y) = position(i, per_row);
        let _ = write!(
            svg,
            "<g class=\"flow-step\"><rect x=\"{x}\" y=\"{y}\" width=\"{BOX_W}\" height=\"{BOX_H}\" \
             rx=\"10\" class=\"flow-box\"/><text x=\"{}\" y=\"{}\" class=\"flow-num\">{}</text>",
            x + 12,
            y + 20,
            i + 1
        );
        let lines = wrap(&step.step, LINE_CHARS, 2);
        let first_y = y + BOX_H / 2 + 10 - (lines.len() - 1) * 9;
        for (n, line) in lines.iter().enumerate() {
            let _ = write!(
                svg,
                "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" class=\"flow-label\">",
                x + BOX_W / 2,
                first_y + n * 18
            );
            let _ = escape_html(&mut svg, line);
            svg.push_str("</text>");
        }
        svg.push_str("</g>");
        if i + 1 < steps.len() {
            let (nx, ny) = position(i + 1, per_row);
            let path = if ny == y {
                format!("M{} {}H{}", x + BOX_W, y + BOX_H / 2, nx - 2)
            } else {
                // Down to the next row, back to its first box.
                let mid = y + BOX_H + GAP / 2;
                format!(
                    "M{} {}V{}H{}V{}",
                    x + BOX_W / 2,
                    y + BOX_H,
                    mid,
                    nx + BOX_W / 2,
                    ny - 2
                )
            };
            let _ = write!(
                svg,
                "<path d=\"{path}\" class=\"flow-arrow\" marker-end=\"url(#{id}-arrow)\"/>"
            );
        }
    }
    svg.push_str("</svg>");
    svg
}

fn position(i: usize, per_row: usize) -> (usize, usize) {
    let (row, col) = (i / per_row, i % per_row);
    (PAD + col * (BOX_W + GAP), PAD + row * (BOX_H + GAP))
}

/// Greedy word wrap into at most `max_lines` lines, the last one ellipsised if needed.
fn wrap(text: &str, width: usize, max_lines: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    for word in text.split_whitespace() {
        if !current.is_empty() && current.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut current));
        }
        if !current.is_empty() {
            current.push(' ');
        }
        current.push_str(word);
    }
    if !current.is_empty() {
        lines.push(current);
    }
    if lines.len() > max_lines {
        lines.truncate(max_lines);
        let last = &mut lines[max_lines - 1];
        let keep: String = last.chars().take(width.saturating_sub(1)).collect();
        *last = format!("{keep}…");
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    fn steps(n: usize) -> Vec<FlowStep> {
        (0..n)
            .map(|i| FlowStep {
                step: format!("Step <{i}>"),
                detail: String::new(),
            })
            .collect()
    }

    #[test]
    fn each_step_is_a_box_and_consecutive_steps_are_joined() {
        let svg = svg(&steps(5), "flow");
        assert_eq!(svg.matches("class=\"flow-box\"").count(), 5);
        assert_eq!(svg.matches("class=\"flow-arrow\"").count(), 4);
        assert!(svg.contains("Step &lt;0&gt;"), "labels are escaped");
        assert!(svg.contains("aria-labelledby=\"flow-title\""));
    }

    #[test]
    fn long_labels_wrap_onto_two_lines_at_most() {
        let lines = wrap("one two three four five six seven eight nine ten", 10, 2);
        assert_eq!(lines.len(), 2);
        assert!(lines[1].ends_with('…'));
    }
}
