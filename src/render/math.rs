//! LaTeX math to MathML at build time, so formulas need no JavaScript in the browser.

use std::sync::OnceLock;

use math_core::{LatexToMathML, MathCoreConfig, MathDisplay};

fn converter() -> &'static LatexToMathML {
    static CONVERTER: OnceLock<LatexToMathML> = OnceLock::new();
    CONVERTER.get_or_init(|| {
        LatexToMathML::new(MathCoreConfig::default())
            .expect("the default math configuration has no macros to fail on")
    })
}

/// Converts `latex` to a `<math>` element, or explains why it cannot.
pub fn to_mathml(latex: &str, display: bool) -> Result<String, String> {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_become_mathml() {
        let html = to_mathml(r"y = \sigma(w x + b)", false).unwrap();
        assert!(html.starts_with("<math"), "{html}");
        assert!(html.contains("<mi>σ</mi>"), "{html}");
        assert!(to_mathml(r"\frac{1}{", true).is_err());
    }
}
