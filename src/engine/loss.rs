//! Losses on the output logits: value, gradient and accuracy.
//!
//! Owns: the definitions (mean over points), in the numerically stable forms, and the
//! meaning of "accuracy" for each loss. Must never know about layers or optimizers.

use ndarray::{Array2, ArrayView2, Zip};
use serde::{Deserialize, Serialize};

use super::activation::sigmoid;
use super::real::Real;

/// What the output layer's logits z are compared with (targets y of the same shape).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Loss {
    /// (1/n) sum_points (1/outputs) sum_outputs (z - y)^2; the output is the prediction.
    Mse,
    /// (1/n) sum [max(z,0) - z y + ln(1 + e^-|z|)], per output column; the prediction is
    /// sigmoid(z). Targets are 0/1.
    BinaryCrossEntropy,
    /// (1/n) sum_points [logsumexp(z) - sum_o y_o z_o]; targets are one-hot rows; the
    /// prediction is softmax(z).
    SoftmaxCrossEntropy,
}

impl Loss {
    /// Mean loss over the rows of `z` (logits) against `y`.
    pub fn value<F: Real>(self, z: ArrayView2<F>, y: ArrayView2<F>) -> F {
        let n = F::from_f64(z.nrows() as f64);
        let mut total = F::zero();
        match self {
            Loss::Mse => {
                let o = F::from_f64(z.ncols() as f64);
                Zip::from(&z)
                    .and(&y)
                    .for_each(|&z, &y| total = total + (z - y) * (z - y) / o);
            }
            Loss::BinaryCrossEntropy => {
                Zip::from(&z).and(&y).for_each(|&z, &y| {
                    total = total + z.max(F::zero()) - z * y + (-z.abs()).exp().ln_1p();
                });
            }
            Loss::SoftmaxCrossEntropy => {
                for (zr, yr) in z.rows().into_iter().zip(y.rows()) {
                    let m = zr.iter().fold(zr[0], |m, &v| m.max(v));
                    let mut s = F::zero();
                    for &v in zr {
                        s = s + (v - m).exp();
                    }
                    let lse = m + (s - F::one()).ln_1p();
                    for (&v, &t) in zr.iter().zip(yr) {
                        total = total + t * (lse - v);
                    }
                }
            }
        }
        total / n
    }

    /// dL/dz, same shape as `z`.
    pub fn gradient<F: Real>(self, z: ArrayView2<F>, y: ArrayView2<F>) -> Array2<F> {
        let n = F::from_f64(z.nrows() as f64);
        match self {
            Loss::Mse => {
                let scale = F::from_f64(2.0) / (n * F::from_f64(z.ncols() as f64));
                Zip::from(&z).and(&y).map_collect(|&z, &y| (z - y) * scale)
            }
            Loss::BinaryCrossEntropy => Zip::from(&z)
                .and(&y)
                .map_collect(|&z, &y| (sigmoid(z) - y) / n),
            Loss::SoftmaxCrossEntropy => {
                let mut g = self.predict(z);
                g.zip_mut_with(&y, |g, &t| *g = (*g - t) / n);
                g
            }
        }
    }

    /// What a user reads off the logits: z (MSE), sigmoid(z), or softmax(z) row-wise.
    pub fn predict<F: Real>(self, z: ArrayView2<F>) -> Array2<F> {
        match self {
            Loss::Mse => z.to_owned(),
            Loss::BinaryCrossEntropy => z.mapv(sigmoid),
            Loss::SoftmaxCrossEntropy => {
                let mut p = z.to_owned();
                for mut row in p.rows_mut() {
                    let m = row.iter().fold(row[0], |m, &v| m.max(v));
                    row.mapv_inplace(|v| (v - m).exp());
                    let s = row.iter().fold(F::zero(), |s, &v| s + v);
                    row.mapv_inplace(|v| v / s);
                }
                p
            }
        }
    }

    /// Fraction of rows classified right: (z > 0) == (y == 1) for every column (binary),
    /// argmax agreement (softmax). `None` for MSE, which has no classes.
    pub fn accuracy<F: Real>(self, z: ArrayView2<F>, y: ArrayView2<F>) -> Option<f64> {
        let n = z.nrows();
        if n == 0 {
            return None;
        }
        let half = F::from_f64(0.5);
        let correct = match self {
            Loss::Mse => return None,
            Loss::BinaryCrossEntropy => z
                .rows()
                .into_iter()
                .zip(y.rows())
                .filter(|(zr, yr)| {
                    zr.iter()
                        .zip(yr)
                        .all(|(&z, &t)| (z > F::zero()) == (t > half))
                })
                .count(),
            Loss::SoftmaxCrossEntropy => z
                .rows()
                .into_iter()
                .zip(y.rows())
                .filter(|(zr, yr)| argmax(zr.iter().copied()) == argmax(yr.iter().copied()))
                .count(),
        };
        Some(correct as f64 / n as f64)
    }
}

fn argmax<F: Real>(values: impl Iterator<Item = F>) -> usize {
    let mut best = (0, None::<F>);
    for (i, v) in values.enumerate() {
        if best.1.is_none_or(|b| v > b) {
            best = (i, Some(v));
        }
    }
    best.0
}
