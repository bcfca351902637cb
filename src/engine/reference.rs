//! The reference network: forward and backward written as the math, on ndarray, generic
//! over f32/f64.
//!
//! Owns: the definition of what the fast kernels must compute. Used to train when no
//! kernel fits (softmax, unusual shapes), to evaluate recorded metrics in f64, and by the
//! tests (finite differences in f64, kernel agreement in f32). Must never be optimized at
//! the cost of reading like the equations.

use ndarray::{Array1, Array2, ArrayView2, Axis};

use super::network::{Architecture, Params};
use super::real::Real;

/// One network's parameters as matrices: `z_l = a_{l-1} W_l + b_l`.
#[derive(Debug, Clone, PartialEq)]
pub struct Network<F> {
    pub weights: Vec<Array2<F>>,
    pub biases: Vec<Array1<F>>,
}

/// Gradients of the mean loss, shaped like [`Network`].
pub type Gradients<F> = Network<F>;

impl<F: Real> Network<F> {
    /// Converts (and widens, for F = f64) a network's f32 parameters.
    pub fn from_params(params: &Params) -> Self {
        let weights = params
            .layers
            .iter()
            .map(|l| {
                Array2::from_shape_fn((l.fan_in, l.fan_out), |(i, j)| {
                    F::from_f64(l.weights[i * l.fan_out + j] as f64)
                })
            })
            .collect();
        let biases = params
            .layers
            .iter()
            .map(|l| l.biases.iter().map(|&b| F::from_f64(b as f64)).collect())
            .collect();
        Self { weights, biases }
    }

    /// Rounds back to f32 parameters.
    pub fn to_params(&self) -> Params {
        let layers = self
            .weights
            .iter()
            .zip(&self.biases)
            .map(|(w, b)| super::network::LayerParams {
                fan_in: w.nrows(),
                fan_out: w.ncols(),
                weights: w.iter().map(|v| v.to_f64() as f32).collect(),
                biases: b.iter().map(|v| v.to_f64() as f32).collect(),
            })
            .collect();
        Params { layers }
    }

    /// Forward pass. Returns `[x, a_1, .., a_{L-1}, z_L]`: the input, every hidden
    /// activation, and the output logits.
    pub fn forward(&self, arch: &Architecture, x: ArrayView2<F>) -> Vec<Array2<F>> {
        let last = self.weights.len() - 1;
        let mut values = vec![x.to_owned()];
        for (l, (w, b)) in self.weights.iter().zip(&self.biases).enumerate() {
            let z = product(values[l].view(), w.view()) + b;
            let a = if l == last {
                z
            } else {
                z.mapv(|v| arch.activation.apply(v))
            };
            values.push(a);
        }
        values
    }

    /// Logits only.
    pub fn logits(&self, arch: &Architecture, x: ArrayView2<F>) -> Array2<F> {
        self.forward(arch, x)
            .pop()
            .expect("forward returns at least the input")
    }

    /// Mean data loss (no regularization) of this network on `(x, y)`.
    pub fn loss(&self, arch: &Architecture, x: ArrayView2<F>, y: ArrayView2<F>) -> F {
        arch.loss.value(self.logits(arch, x).view(), y)
    }

    /// Backpropagation: gradient of the mean data loss with respect to every W and b.
    pub fn gradients(
        &self,
        arch: &Architecture,
        x: ArrayView2<F>,
        y: ArrayView2<F>,
    ) -> Gradients<F> {
        let values = self.forward(arch, x);
        let layers = self.weights.len();
        let mut dz = arch.loss.gradient(values[layers].view(), y);
        let mut gw = Vec::with_capacity(layers);
        let mut gb = Vec::with_capacity(layers);
        for l in (0..layers).rev() {
            let a_in = &values[l];
            gw.push(product(a_in.t(), dz.view()));
            gb.push(dz.sum_axis(Axis(0)));
            if l > 0 {
                let da = product(dz.view(), self.weights[l].t());
                dz = ndarray::Zip::from(&da)
                    .and(a_in)
                    .map_collect(|&d, &a| d * arch.activation.derivative_from_output(a));
            }
        }
        gw.reverse();
        gb.reverse();
        Network {
            weights: gw,
            biases: gb,
        }
    }
}

/// The matrix product `a b`, each entry summed over `k` in ascending order.
///
/// Not ndarray's `dot`: the GEMM behind it picks its kernel by the CPU (fused
/// multiply-adds or not, and another order of summation), and what this network computes
/// goes into simulation artifacts, which must be the same bytes on every machine.
fn product<F: Real>(a: ArrayView2<F>, b: ArrayView2<F>) -> Array2<F> {
    assert_eq!(a.ncols(), b.nrows(), "a product of mismatched shapes");
    let mut out = Array2::zeros((a.nrows(), b.ncols()));
    for (mut row, a_row) in out.rows_mut().into_iter().zip(a.rows()) {
        for (&a_ik, b_row) in a_row.iter().zip(b.rows()) {
            row.zip_mut_with(&b_row, |o, &v| *o = *o + a_ik * v);
        }
    }
    out
}
