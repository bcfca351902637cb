//! What a training run hands back: curves, grid snapshots, final parameters.
//!
//! Owns: the serializable result types and the f64 evaluation of recorded metrics (from
//! the f32 parameters, through the reference network, so recorded numbers do not depend
//! on the kernel that trained). Must never train.

use ndarray::{Array2, Array3, ArrayView2};
use serde::{Deserialize, Serialize};

use super::error::EngineError;
use super::network::NetHyper;
use super::network::{Architecture, Params};
use super::reference::Network;

/// Metrics of one network at one epoch (epoch 0 = the initial parameters).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CurvePoint {
    pub epoch: usize,
    /// Mean data loss on the training set (regularization penalty not included).
    pub train_loss: f64,
    /// Fraction classified right; `None` for regression (MSE).
    pub train_accuracy: Option<f64>,
    /// `None` when the dataset has no test set.
    pub test_loss: Option<f64>,
    pub test_accuracy: Option<f64>,
}

/// Predictions on the grid at one epoch: `values[point * outputs + output]`, points in
/// [`grid_points`] order; sigmoid/softmax probabilities for the cross-entropy losses.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GridSnapshot {
    pub epoch: usize,
    pub values: Vec<f32>,
    /// With [`super::GridSpec::units`]: every hidden unit's activation (after the
    /// activation function) at every grid point, `units[unit * points + point]`, units in
    /// layer order (layer 0's first); empty otherwise.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub units: Vec<f32>,
    /// With [`super::GridSpec::units`]: the network's parameters at this epoch (to draw
    /// the edges by weight); `None` otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub params: Option<Params>,
}

/// Everything recorded for one network of a batch.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NetworkResult {
    pub hyper: NetHyper,
    pub curve: Vec<CurvePoint>,
    pub grids: Vec<GridSnapshot>,
    pub params: Params,
}

/// The result of [`super::train_batch`], networks in the order of the hyper-parameters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BatchResult {
    /// Which kernel trained: "reference", "scalar", "lanes8", "avx2" or "avx512" (results are
    /// bit-identical across runs and thread counts for the same kernel).
    pub kernel: String,
    pub networks: Vec<NetworkResult>,
}

impl BatchResult {
    /// Layer `layer`'s final weights of every network, `[network, fan_in, fan_out]`
    /// (`None` past the last layer).
    pub fn stacked_weights(&self, layer: usize) -> Option<Array3<f32>> {
        let first = self.networks.first()?.params.layers.get(layer)?;
        let (fan_in, fan_out) = (first.fan_in, first.fan_out);
        let flat: Vec<f32> = self
            .networks
            .iter()
            .flat_map(|n| n.params.layers[layer].weights.iter().copied())
            .collect();
        Array3::from_shape_vec((self.networks.len(), fan_in, fan_out), flat).ok()
    }

    /// Layer `layer`'s final biases of every network, `[network, fan_out]`.
    pub fn stacked_biases(&self, layer: usize) -> Option<Array2<f32>> {
        let fan_out = self.networks.first()?.params.layers.get(layer)?.fan_out;
        let flat: Vec<f32> = self
            .networks
            .iter()
            .flat_map(|n| n.params.layers[layer].biases.iter().copied())
            .collect();
        Array2::from_shape_vec((self.networks.len(), fan_out), flat).ok()
    }
}

/// Grid points over [-1, 1]^inputs, row-major like the benchmark's W3 grid: for 2-D,
/// point `q = row * resolution + col` is `(-1 + 2 col / (r - 1), -1 + 2 row / (r - 1))`
/// computed in f64; for 1-D, `resolution` points along x.
pub fn grid_points(inputs: usize, resolution: usize) -> Result<Array2<f32>, EngineError> {
    if resolution < 2 {
        return Err(EngineError::InvalidParameter {
            name: "grid resolution",
            value: resolution as f64,
            expected: "at least 2",
        });
    }
    let coord = |i: usize| (-1.0 + 2.0 * i as f64 / (resolution - 1) as f64) as f32;
    match inputs {
        1 => Ok(Array2::from_shape_fn((resolution, 1), |(i, _)| coord(i))),
        2 => Ok(Array2::from_shape_fn(
            (resolution * resolution, 2),
            |(q, c)| {
                let (row, col) = (q / resolution, q % resolution);
                if c == 0 { coord(col) } else { coord(row) }
            },
        )),
        _ => Err(EngineError::Unsupported(format!(
            "grid predictions need 1 or 2 inputs, the architecture has {inputs}"
        ))),
    }
}

/// Train/test metrics of `params`, computed in f64.
pub(crate) fn evaluate(
    arch: &Architecture,
    params: &Params,
    epoch: usize,
    train: (ArrayView2<f32>, ArrayView2<f32>),
    test: (ArrayView2<f32>, ArrayView2<f32>),
) -> CurvePoint {
    let net = Network::<f64>::from_params(params);
    let metrics = |x: ArrayView2<f32>, y: ArrayView2<f32>| {
        let (x, y) = (x.mapv(f64::from), y.mapv(f64::from));
        let z = net.logits(arch, x.view());
        (
            arch.loss.value(z.view(), y.view()),
            arch.loss.accuracy(z.view(), y.view()),
        )
    };
    let (train_loss, train_accuracy) = metrics(train.0, train.1);
    let (test_loss, test_accuracy) = if test.0.nrows() > 0 {
        let (l, a) = metrics(test.0, test.1);
        (Some(l), a)
    } else {
        (None, None)
    };
    CurvePoint {
        epoch,
        train_loss,
        train_accuracy,
        test_loss,
        test_accuracy,
    }
}
