//! LaTeX math to MathML at build time, so formulas need no JavaScript in the browser.
//!
//! Owns: formulas to MathML, with their depth limit. Never does: render anything but math.

use std::sync::OnceLock;

use math_core::{LatexToMathML, MathCoreConfig, MathDisplay};

fn converter() -> &'static LatexToMathML {
    static CONVERTER: OnceLock<LatexToMathML> = OnceLock::new();
    CONVERTER.get_or_init(|| {
        LatexToMathML::new(MathCoreConfig::default())
            .expect("the default math configuration has no macros to fail on")
    })
}

/// How deeply a formula may nest (groups, `\left`, environments, and commands applied to
/// commands). The converter recurses once per level; real formulas nest a few levels,
/// and a bound keeps a hostile one from overflowing the thread's stack.
pub const MAX_DEPTH: usize = 100;

/// Converts `latex` to a `<math>` element, or explains why it cannot.
pub fn to_mathml(latex: &str, display: bool) -> Result<String, String> {
    if nesting(latex) > MAX_DEPTH {
        return Err(format!(
            "the formula is nested too deeply (more than {MAX_DEPTH} levels of groups, \
             `\\left`, environments or commands applied to commands)"
        ));
    }
    let mode = if display {
        MathDisplay::Block
    } else {
        MathDisplay::Inline
    };
    converter()
        .convert_with_local_state(latex, mode)
        .map(|r| r.mathml)
        .map_err(|e| e.error_message())
}

/// An upper bound of how deeply the converter recurses for `latex`: at any point, the
/// open groups (`{`, `[`, `\left`, `\begin`) plus the run of commands and scripts
/// (`\frac\sqrt^...`) since the last ordinary character, each of which may take what
/// follows as its argument.
fn nesting(latex: &str) -> usize {
    let mut open: usize = 0;
    let mut run: usize = 0;
    let mut deepest = 0;
    let mut chars = latex.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                let mut word = String::new();
                while let Some(&next) = chars.peek() {
                    if !next.is_ascii_alphabetic() {
                        break;
                    }
                    word.push(next);
                    chars.next();
                }
                match word.as_str() {
                    "left" | "begin" => open += 1,
                    "right" | "end" => open = open.saturating_sub(1),
                    // `\{` and other control symbols: one character, no argument.
                    "" => {
                        chars.next();
                        run += 1;
                    }
                    _ => run += 1,
                }
            }
            '{' | '[' => {
                open += 1;
                run = 0;
            }
            '}' | ']' => {
                open = open.saturating_sub(1);
                run = 0;
            }
            '^' | '_' => run += 1,
            c if c.is_whitespace() => {}
            _ => run = 0,
        }
        deepest = deepest.max(open + run);
    }
    deepest
}

/// A `<math>` element as one line of plain text, the way a reader would type the
/// formula: `σ(z)=1/(1+e^(−z))`, not the bare run of its tokens (`σ(z)=11+e−z`). Search
/// indexes and shows this. Markup that does not parse gives its text alone.
pub fn plain_text(mathml: &str) -> String {
    parse_mathml(mathml).map_or_else(|| tag_text(mathml), |nodes| linear(&nodes))
}

/// A MathML element or a run of text.
enum Node {
    Text(String),
    Element(String, Vec<Node>),
}

fn parse_mathml(mathml: &str) -> Option<Vec<Node>> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(mathml);
    let mut open: Vec<(String, Vec<Node>)> = vec![(String::new(), Vec::new())];
    loop {
        match reader.read_event().ok()? {
            Event::Start(e) => {
                open.push((e.local_name().as_ref().to_string(), Vec::new()));
            }
            Event::Empty(e) => {
                let name = e.local_name().as_ref().to_string();
                open.last_mut()?.1.push(Node::Element(name, Vec::new()));
            }
            Event::End(_) => {
                let (name, children) = open.pop()?;
                open.last_mut()?.1.push(Node::Element(name, children));
            }
            Event::Text(t) => open
                .last_mut()?
                .1
                .push(Node::Text(t.xml10_content().into_owned())),
            Event::GeneralRef(r) => {
                let name: &str = &r;
                let text = match r.resolve_char_ref().ok()? {
                    Some(c) => c.to_string(),
                    None => quick_xml::escape::resolve_predefined_entity(name)?.to_string(),
                };
                open.last_mut()?.1.push(Node::Text(text));
            }
            Event::Eof => break,
            _ => {}
        }
    }
    (open.len() == 1)
        .then(|| open.pop().map(|(_, nodes)| nodes))
        .flatten()
}

fn linear(nodes: &[Node]) -> String {
    nodes.iter().map(linear_node).collect()
}

fn linear_node(node: &Node) -> String {
    let Node::Element(name, children) = node else {
        let Node::Text(text) = node else {
            unreachable!()
        };
        return text.trim().to_string();
    };
    // Scripts and fractions take their parts as child elements.
    let part = |i: usize| {
        children
            .iter()
            .filter(|c| matches!(c, Node::Element(..)))
            .nth(i)
    };
    let grouped = |i: usize| part(i).map(|n| group(&linear_node(n))).unwrap_or_default();
    let plain = |i: usize| part(i).map(linear_node).unwrap_or_default();
    match name.as_str() {
        "mfrac" => format!("{}/{}", grouped(0), grouped(1)),
        "msup" => format!("{}^{}", plain(0), grouped(1)),
        "msub" => format!("{}_{}", plain(0), grouped(1)),
        "msubsup" => format!("{}_{}^{}", plain(0), grouped(1), grouped(2)),
        "msqrt" => format!("√({})", linear(children)),
        "mroot" => format!("{}√{}", grouped(1), group(&plain(0))),
        "semantics" => plain(0),
        "annotation" | "annotation-xml" => String::new(),
        _ => linear(children),
    }
}

/// `text` in parentheses unless it is one character.
fn group(text: &str) -> String {
    if text.chars().count() > 1 {
        format!("({text})")
    } else {
        text.to_string()
    }
}

/// The text of `markup` without its tags, its entities decoded (the caller escapes it).
fn tag_text(markup: &str) -> String {
    let mut out = String::new();
    let mut inside = false;
    for c in markup.chars() {
        match c {
            '<' => inside = true,
            '>' => inside = false,
            c if !inside => out.push(c),
            _ => {}
        }
    }
    quick_xml::escape::unescape(&out).map_or(out.clone(), |text| text.into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_read_as_one_line_of_text() {
        let text = |latex: &str| plain_text(&to_mathml(latex, false).unwrap());
        assert_eq!(
            text(r"\sigma(z) = \frac{1}{1 + e^{-z}}"),
            "σ(z)=1/(1+e^(−z))"
        );
        assert_eq!(text(r"w_1 x_1 + \sqrt{x^2}"), "w_1x_1+√(x^2)");
        assert_eq!(text(r"a < b"), "a<b");
        assert_eq!(plain_text("<math><mi>x</mi>"), "x");
        assert_eq!(plain_text("<math><mi>a</mi><mo>&lt;</mo>"), "a<");
    }

    #[test]
    fn formulas_become_mathml() {
        let html = to_mathml(r"y = \sigma(w x + b)", false).unwrap();
        assert!(html.starts_with("<math"), "{html}");
        assert!(html.contains("<mi>σ</mi>"), "{html}");
        assert!(to_mathml(r"\frac{1}{", true).is_err());
    }

    /// Each way of nesting, far past the limit, is refused with a message; just under
    /// the limit it converts, on a thread with the 2 MiB stack of a worker thread.
    #[test]
    fn deep_nesting_is_refused_not_a_stack_overflow() {
        let deep = |open: &str, inner: &str, close: &str, n: usize| {
            format!("{}{inner}{}", open.repeat(n), close.repeat(n))
        };
        let cases = move |n: usize| {
            vec![
                deep("{", "x", "}", n),
                deep(r"\frac{", "1", "}{2}", n),
                deep(r"\sqrt", "x", "", n),
                deep(r"\frac", "12", "", n),
                deep(r"\left(", "x", r"\right)", n),
                deep(r"\begin{matrix}", "x", r"\end{matrix}", n),
                deep("x^{", "y", "}", n),
                deep(r"\sqrt[", "3", "]{x}", n),
                deep(r"\mathbf{\text{", "a", "}}", n),
            ]
        };
        for formula in cases(5000) {
            let err = to_mathml(&formula, true).unwrap_err();
            assert!(err.contains("nested too deeply"), "{err}");
        }
        std::thread::Builder::new()
            .stack_size(2 * 1024 * 1024)
            .spawn(move || {
                for formula in cases(MAX_DEPTH / 2 - 1) {
                    let _ = to_mathml(&formula, false);
                }
            })
            .unwrap()
            .join()
            .expect("no stack overflow just under the limit");
        // Ordinary formulas are far from the limit.
        assert!(nesting(r"\sum_{i=1}^{n} \frac{\partial L}{\partial w_i} \left[ x \right)") < 10);
    }
}
