//! Seeded toy datasets and the train/test split.
//!
//! Owns: the point clouds the lessons train on (circle, xor, gaussian blobs, two spirals,
//! moons, 1-D linear and sine regression), generated in f64 from [`SplitMix64`] and rounded
//! to f32 once, so a spec always yields the same bits. The two-spirals construction is the
//! benchmark specification's, point for point. Must never depend on a network or a trainer.

use ndarray::Array2;
use serde::{Deserialize, Serialize};

use super::error::EngineError;
use super::rng::SplitMix64;

/// Which point cloud to draw.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DatasetKind {
    /// Label 1 inside radius 0.5, label 0 on the ring 0.7..1.0.
    Circle,
    /// Uniform in [-1, 1]^2 off the axes, label 1 where x*y > 0 (half the points each).
    Xor,
    /// `classes` isotropic gaussians (std 0.25) on a circle of radius 0.5; two classes give a
    /// single 0/1 target column, more give one-hot targets (for softmax cross-entropy).
    Blobs { classes: usize },
    /// Two interleaved spirals (1.75 turns, radius 1), exactly as the benchmark spec.
    TwoSpirals,
    /// Two interleaving half circles, scaled into [-1, 1]^2.
    Moons,
    /// 1-D regression, y = 0.8 x + 0.1.
    Linear,
    /// 1-D regression, y = sin(pi x).
    Sine,
}

/// Everything that determines a dataset.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DatasetSpec {
    pub kind: DatasetKind,
    /// Number of points before the split.
    pub n: usize,
    /// Noise level: the uniform jitter half-width for two spirals (spec: 0.02), the std of
    /// gaussian jitter for the others (the regression sets add it to y, the rest to x).
    pub noise: f64,
    pub seed: u64,
    /// Fraction of points held out as test set (0 keeps every point for training).
    pub test_fraction: f64,
}

/// A generated dataset: inputs `[n, inputs]` and targets `[n, outputs]`, split in two.
#[derive(Debug, Clone, PartialEq)]
pub struct Dataset {
    pub train_x: Array2<f32>,
    pub train_y: Array2<f32>,
    pub test_x: Array2<f32>,
    pub test_y: Array2<f32>,
}

impl Dataset {
    /// Draws the dataset of `spec`.
    pub fn generate(spec: &DatasetSpec) -> Result<Dataset, EngineError> {
        if spec.n == 0 {
            return Err(EngineError::ZeroSize("dataset size n"));
        }
        if !(spec.noise >= 0.0 && spec.noise.is_finite()) {
            return Err(EngineError::InvalidParameter {
                name: "noise",
                value: spec.noise,
                expected: "a finite value >= 0",
            });
        }
        if !(0.0..1.0).contains(&spec.test_fraction) {
            return Err(EngineError::InvalidParameter {
                name: "test_fraction",
                value: spec.test_fraction,
                expected: "a value in [0, 1)",
            });
        }
        let (x, y) = match spec.kind {
            DatasetKind::TwoSpirals => {
                if !spec.n.is_multiple_of(2) {
                    return Err(EngineError::InvalidParameter {
                        name: "n",
                        value: spec.n as f64,
                        expected: "an even number of points for two spirals",
                    });
                }
                two_spirals(spec.n, spec.noise, spec.seed)
            }
            DatasetKind::Blobs { classes } if classes < 2 => {
                return Err(EngineError::InvalidParameter {
                    name: "classes",
                    value: classes as f64,
                    expected: "at least 2 classes",
                });
            }
            kind => other(kind, spec.n, spec.noise, spec.seed),
        };
        Ok(split(x, y, spec.test_fraction, spec.seed))
    }

    /// A dataset from arrays the caller already has (no test set if `test_x` has no rows).
    pub fn from_arrays(
        train_x: Array2<f32>,
        train_y: Array2<f32>,
        test_x: Array2<f32>,
        test_y: Array2<f32>,
    ) -> Result<Dataset, EngineError> {
        let check = |what, expected, found| {
            if expected == found {
                Ok(())
            } else {
                Err(EngineError::ShapeMismatch {
                    what,
                    expected,
                    found,
                })
            }
        };
        check(
            "target rows vs input rows (train)",
            train_x.nrows(),
            train_y.nrows(),
        )?;
        check(
            "target rows vs input rows (test)",
            test_x.nrows(),
            test_y.nrows(),
        )?;
        if test_x.nrows() > 0 {
            check("test input columns", train_x.ncols(), test_x.ncols())?;
            check("test target columns", train_y.ncols(), test_y.ncols())?;
        }
        if train_x.nrows() == 0 {
            return Err(EngineError::ZeroSize("number of training points"));
        }
        Ok(Dataset {
            train_x,
            train_y,
            test_x,
            test_y,
        })
    }

    /// Input dimension.
    pub fn inputs(&self) -> usize {
        self.train_x.ncols()
    }

    /// Target dimension.
    pub fn outputs(&self) -> usize {
        self.train_y.ncols()
    }
}

/// The benchmark spec's two spirals: class 0 (label 1) rows first, then class 1 (label 0).
fn two_spirals(n: usize, noise: f64, seed: u64) -> (Array2<f32>, Array2<f32>) {
    let m = n / 2;
    let mut rng = SplitMix64::new(seed);
    let u: Vec<f64> = (0..2 * n).map(|_| rng.uniform()).collect();
    let mut x = Array2::<f32>::zeros((n, 2));
    let mut y = Array2::<f32>::zeros((n, 1));
    for c in 0..2 {
        for i in 0..m {
            let j = c * m + i;
            let r = i as f64 / m as f64;
            let t = 1.75 * 2.0 * std::f64::consts::PI * i as f64 / m as f64
                + c as f64 * std::f64::consts::PI;
            x[[j, 0]] = (r * libm::sin(t) + (2.0 * u[2 * j] - 1.0) * noise) as f32;
            x[[j, 1]] = (r * libm::cos(t) + (2.0 * u[2 * j + 1] - 1.0) * noise) as f32;
            y[[j, 0]] = if c == 0 { 1.0 } else { 0.0 };
        }
    }
    (x, y)
}

/// Every other kind: point j is drawn from the stream in row order.
fn other(kind: DatasetKind, n: usize, noise: f64, seed: u64) -> (Array2<f32>, Array2<f32>) {
    use std::f64::consts::PI;
    let mut rng = SplitMix64::new(seed);
    let (inputs, outputs) = match kind {
        DatasetKind::Linear | DatasetKind::Sine => (1, 1),
        DatasetKind::Blobs { classes } if classes > 2 => (2, classes),
        _ => (2, 1),
    };
    let mut x = Array2::<f32>::zeros((n, inputs));
    let mut y = Array2::<f32>::zeros((n, outputs));
    for j in 0..n {
        let (point, label): ([f64; 2], usize) = match kind {
            DatasetKind::Circle => {
                let inside = j % 2 == 0;
                let r = if inside {
                    0.5 * rng.uniform()
                } else {
                    0.7 + 0.3 * rng.uniform()
                };
                let a = 2.0 * PI * rng.uniform();
                ([r * libm::sin(a), r * libm::cos(a)], inside as usize)
            }
            DatasetKind::Xor => {
                // Even rows in the positive quadrants (label 1), odd rows in the others;
                // |x|, |y| >= 0.05 keeps points off the axes, as TF Playground does.
                let positive = j % 2 == 0;
                let px = 0.05 + 0.95 * rng.uniform();
                let py = 0.05 + 0.95 * rng.uniform();
                let sx = if rng.uniform() < 0.5 { -1.0 } else { 1.0 };
                let sy = if positive { sx } else { -sx };
                ([sx * px, sy * py], positive as usize)
            }
            DatasetKind::Blobs { classes } => {
                let c = j % classes;
                let a = 2.0 * PI * c as f64 / classes as f64 + PI / 4.0;
                let gx = rng.normal();
                let gy = rng.normal();
                (
                    [
                        0.5 * libm::cos(a) + 0.25 * gx,
                        0.5 * libm::sin(a) + 0.25 * gy,
                    ],
                    c,
                )
            }
            DatasetKind::Moons => {
                let upper = j % 2 == 0;
                let t = PI * rng.uniform();
                let (mx, my) = if upper {
                    (libm::cos(t), libm::sin(t))
                } else {
                    (1.0 - libm::cos(t), 0.5 - libm::sin(t))
                };
                // sklearn's moons span x in [-1, 2], y in [-0.5, 1]; centre and scale.
                ([(mx - 0.5) / 1.5, (my - 0.25) / 1.5], upper as usize)
            }
            DatasetKind::Linear | DatasetKind::Sine => {
                let px = 2.0 * rng.uniform() - 1.0;
                let clean = if kind == DatasetKind::Linear {
                    0.8 * px + 0.1
                } else {
                    libm::sin(PI * px)
                };
                let value = clean + noise * rng.normal();
                x[[j, 0]] = px as f32;
                y[[j, 0]] = value as f32;
                continue;
            }
            DatasetKind::TwoSpirals => unreachable!("two spirals has its own generator"),
        };
        let jitter = if noise > 0.0 {
            [noise * rng.normal(), noise * rng.normal()]
        } else {
            [0.0; 2]
        };
        x[[j, 0]] = (point[0] + jitter[0]) as f32;
        x[[j, 1]] = (point[1] + jitter[1]) as f32;
        if outputs == 1 {
            y[[j, 0]] = label as f32;
        } else {
            y[[j, label]] = 1.0;
        }
    }
    (x, y)
}

/// Holds out `round(n * fraction)` points chosen by a shuffle of a stream derived from the
/// seed; both parts keep the original row order.
fn split(x: Array2<f32>, y: Array2<f32>, fraction: f64, seed: u64) -> Dataset {
    let n = x.nrows();
    let n_test = ((n as f64) * fraction).round() as usize;
    let n_test = n_test.min(n - 1);
    let mut order: Vec<usize> = (0..n).collect();
    SplitMix64::new(seed ^ 0x5EED_7E57_5917_0001).shuffle(&mut order);
    let mut is_test = vec![false; n];
    for &i in &order[..n_test] {
        is_test[i] = true;
    }
    let pick = |want: bool| -> (Array2<f32>, Array2<f32>) {
        let rows: Vec<usize> = (0..n).filter(|&i| is_test[i] == want).collect();
        (
            x.select(ndarray::Axis(0), &rows),
            y.select(ndarray::Axis(0), &rows),
        )
    };
    let (train_x, train_y) = pick(false);
    let (test_x, test_y) = pick(true);
    Dataset {
        train_x,
        train_y,
        test_x,
        test_y,
    }
}
