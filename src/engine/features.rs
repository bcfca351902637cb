//! Input feature transforms: what a network sees instead of the raw coordinates.
//!
//! Owns: the [`Feature`] vocabulary (x1, x2, their squares, their product, sin(pi x)),
//! each computed in f64 from the f32 coordinates and rounded to f32 once, and
//! [`transform`], which turns raw input rows into feature rows. Must never know about
//! networks or training: `train.rs` decides when to transform.

use ndarray::{Array2, ArrayView2};
use serde::{Deserialize, Serialize};

use super::error::EngineError;

/// One input feature computed from the raw coordinates `(x1, x2)` of a point. The
/// coordinates lie in [-1, 1], so the sines are of `pi * x` (plain `sin x` would be almost
/// linear there).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Feature {
    X1,
    X2,
    X1Squared,
    X2Squared,
    X1X2,
    SinX1,
    SinX2,
}

impl Feature {
    /// Every feature, in declaration order.
    pub const ALL: [Feature; 7] = [
        Feature::X1,
        Feature::X2,
        Feature::X1Squared,
        Feature::X2Squared,
        Feature::X1X2,
        Feature::SinX1,
        Feature::SinX2,
    ];

    /// A short ASCII name: `"x1"`, `"x2"`, `"x1^2"`, `"x2^2"`, `"x1x2"`, `"sin-x1"`,
    /// `"sin-x2"`.
    pub fn key(self) -> &'static str {
        match self {
            Feature::X1 => "x1",
            Feature::X2 => "x2",
            Feature::X1Squared => "x1^2",
            Feature::X2Squared => "x2^2",
            Feature::X1X2 => "x1x2",
            Feature::SinX1 => "sin-x1",
            Feature::SinX2 => "sin-x2",
        }
    }

    /// The name a reader sees: `"x₁"`, `"x₁²"`, `"x₁x₂"`, `"sin(πx₁)"`, ...
    pub fn label(self) -> &'static str {
        match self {
            Feature::X1 => "x₁",
            Feature::X2 => "x₂",
            Feature::X1Squared => "x₁²",
            Feature::X2Squared => "x₂²",
            Feature::X1X2 => "x₁x₂",
            Feature::SinX1 => "sin(πx₁)",
            Feature::SinX2 => "sin(πx₂)",
        }
    }

    /// How many raw input columns the feature reads: 1 for those of x1 alone, else 2.
    pub fn raw_inputs_needed(self) -> usize {
        match self {
            Feature::X1 | Feature::X1Squared | Feature::SinX1 => 1,
            Feature::X2 | Feature::X2Squared | Feature::X1X2 | Feature::SinX2 => 2,
        }
    }

    /// The feature's value at one raw input row `[x1, x2, ..]`, computed in f64 and
    /// rounded to f32 once.
    ///
    /// # Panics
    /// When `row` has fewer than [`Feature::raw_inputs_needed`] values ([`transform`]
    /// checks this and returns an error instead).
    pub fn apply(self, row: &[f32]) -> f32 {
        use std::f64::consts::PI;
        let x = |i: usize| f64::from(row[i]);
        let value = match self {
            Feature::X1 => x(0),
            Feature::X2 => x(1),
            Feature::X1Squared => x(0) * x(0),
            Feature::X2Squared => x(1) * x(1),
            Feature::X1X2 => x(0) * x(1),
            Feature::SinX1 => libm::sin(PI * x(0)),
            Feature::SinX2 => libm::sin(PI * x(1)),
        };
        value as f32
    }
}

/// The feature rows of the raw input rows `x`: `[n, features.len()]`, column `c` holding
/// `features[c]`. An empty list is the identity (a copy of `x`). An error when a feature
/// needs more raw columns than `x` has (e.g. [`Feature::X2`] on 1-D regression data).
pub fn transform(features: &[Feature], x: ArrayView2<f32>) -> Result<Array2<f32>, EngineError> {
    if features.is_empty() {
        return Ok(x.to_owned());
    }
    check_columns(features, x.ncols())?;
    let mut out = Array2::<f32>::zeros((x.nrows(), features.len()));
    let mut row = Vec::with_capacity(x.ncols());
    for (raw, mut dst) in x.rows().into_iter().zip(out.rows_mut()) {
        row.clear();
        row.extend(raw.iter().copied());
        for (d, f) in dst.iter_mut().zip(features) {
            *d = f.apply(&row);
        }
    }
    Ok(out)
}

/// An error unless every feature can be computed from `columns` raw input columns.
pub(crate) fn check_columns(features: &[Feature], columns: usize) -> Result<(), EngineError> {
    match features.iter().find(|f| f.raw_inputs_needed() > columns) {
        Some(f) => Err(EngineError::Unsupported(format!(
            "feature {} needs {} raw input columns, the data has {columns}",
            f.key(),
            f.raw_inputs_needed()
        ))),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn features_are_computed_in_f64_and_rounded_once() {
        let row = [0.5f32, -0.25];
        assert_eq!(Feature::X1.apply(&row), 0.5);
        assert_eq!(Feature::X2.apply(&row), -0.25);
        assert_eq!(Feature::X1Squared.apply(&row), 0.25);
        assert_eq!(Feature::X2Squared.apply(&row), 0.0625);
        assert_eq!(Feature::X1X2.apply(&row), -0.125);
        assert_eq!(Feature::SinX1.apply(&row), 1.0);
        let s = Feature::SinX2.apply(&row);
        assert_eq!(s, (-std::f64::consts::FRAC_1_SQRT_2) as f32);
        // 0.1f32 squared in f64, then rounded: not the f32 product's rounding path.
        let t = 0.1f32;
        assert_eq!(
            Feature::X1Squared.apply(&[t]),
            (f64::from(t) * f64::from(t)) as f32
        );
    }

    #[test]
    fn keys_labels_and_needs() {
        let keys: Vec<&str> = Feature::ALL.iter().map(|f| f.key()).collect();
        assert_eq!(
            keys,
            ["x1", "x2", "x1^2", "x2^2", "x1x2", "sin-x1", "sin-x2"]
        );
        assert_eq!(Feature::X1Squared.label(), "x₁²");
        assert_eq!(Feature::SinX2.label(), "sin(πx₂)");
        let one: Vec<Feature> = Feature::ALL
            .into_iter()
            .filter(|f| f.raw_inputs_needed() == 1)
            .collect();
        assert_eq!(one, [Feature::X1, Feature::X1Squared, Feature::SinX1]);
        // serde names are the kebab-case variant names.
        let json = serde_json::to_string(&Feature::ALL).unwrap();
        assert_eq!(
            json,
            r#"["x1","x2","x1-squared","x2-squared","x1-x2","sin-x1","sin-x2"]"#
        );
    }

    #[test]
    fn transform_maps_rows_and_checks_columns() {
        let x = array![[0.5f32, -0.25], [1.0, 2.0]];
        let t = transform(&[Feature::X1X2, Feature::X1], x.view()).unwrap();
        assert_eq!(t, array![[-0.125f32, 0.5], [2.0, 1.0]]);
        assert_eq!(transform(&[], x.view()).unwrap(), x);
        let one = array![[0.5f32], [0.25]];
        assert_eq!(
            transform(&[Feature::X1Squared], one.view()).unwrap(),
            array![[0.25f32], [0.0625]]
        );
        assert!(matches!(
            transform(&[Feature::X1, Feature::X2], one.view()),
            Err(EngineError::Unsupported(_))
        ));
    }
}
