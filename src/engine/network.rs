//! The shape of a batch's networks and their parameters.
//!
//! Owns: [`Architecture`] (widths, hidden activation, loss), [`NetHyper`] (what varies
//! from one network of a batch to the next), the flat parameter layout
//! shared by the reference path, the kernels and the optimizer, and Glorot-uniform
//! initialization in the benchmark spec's draw order. Must never train or evaluate.

use serde::{Deserialize, Serialize};

use super::activation::Activation;
use super::error::EngineError;
use super::loss::Loss;
use super::rng::SplitMix64;

/// Hyper-parameters that vary across the networks of a batch.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct NetHyper {
    pub lr: f32,
    /// Weight of `sum |w|` added to the loss (weights only, not biases).
    pub l1: f32,
    /// Weight of `sum w^2 / 2` added to the loss (weights only).
    pub l2: f32,
    /// Seeds the Glorot initialization and the mini-batch order.
    pub seed: u64,
}

impl NetHyper {
    /// Learning rate and seed, no regularization.
    pub fn new(lr: f32, seed: u64) -> Self {
        Self {
            lr,
            l1: 0.0,
            l2: 0.0,
            seed,
        }
    }
}

/// Dense layers `inputs -> hidden[0] -> ... -> outputs`; every hidden layer is followed by
/// `activation`, the last layer is linear (its outputs are the logits `loss` reads).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Architecture {
    pub inputs: usize,
    pub hidden: Vec<usize>,
    pub outputs: usize,
    pub activation: Activation,
    pub loss: Loss,
}

impl Architecture {
    /// All widths, input first: `[inputs, hidden.., outputs]`.
    pub fn widths(&self) -> Vec<usize> {
        let mut w = Vec::with_capacity(self.hidden.len() + 2);
        w.push(self.inputs);
        w.extend_from_slice(&self.hidden);
        w.push(self.outputs);
        w
    }

    /// `(fan_in, fan_out)` of every dense layer.
    pub fn layer_shapes(&self) -> Vec<(usize, usize)> {
        self.widths().windows(2).map(|w| (w[0], w[1])).collect()
    }

    /// Number of weights and biases of one network.
    pub fn parameter_count(&self) -> usize {
        self.layer_shapes().iter().map(|&(i, o)| i * o + o).sum()
    }

    /// Multiply-adds of one forward pass of one point (weights only).
    pub fn weight_count(&self) -> usize {
        self.layer_shapes().iter().map(|&(i, o)| i * o).sum()
    }

    pub(crate) fn validate(&self) -> Result<(), EngineError> {
        if self.inputs == 0 {
            return Err(EngineError::ZeroSize("architecture inputs"));
        }
        if self.outputs == 0 {
            return Err(EngineError::ZeroSize("architecture outputs"));
        }
        if self.hidden.contains(&0) {
            return Err(EngineError::ZeroSize("hidden layer width"));
        }
        if self.loss == Loss::SoftmaxCrossEntropy && self.outputs < 2 {
            return Err(EngineError::ShapeMismatch {
                what: "softmax cross-entropy needs at least 2 outputs",
                expected: 2,
                found: self.outputs,
            });
        }
        Ok(())
    }
}

/// One dense layer: `z = a W + b`, `W` row-major `[fan_in][fan_out]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LayerParams {
    pub fan_in: usize,
    pub fan_out: usize,
    pub weights: Vec<f32>,
    pub biases: Vec<f32>,
}

/// All parameters of one network, input layer first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Params {
    pub layers: Vec<LayerParams>,
}

impl Params {
    /// Glorot-uniform weights drawn from `SplitMix64(seed)` in layer order, each matrix
    /// row-major; zero biases: `w = f32((2u - 1) sqrt(6 / (fan_in + fan_out)))`.
    pub fn glorot(arch: &Architecture, seed: u64) -> Params {
        let mut rng = SplitMix64::new(seed);
        let layers = arch
            .layer_shapes()
            .into_iter()
            .map(|(fan_in, fan_out)| {
                let limit = (6.0 / (fan_in + fan_out) as f64).sqrt();
                let weights = (0..fan_in * fan_out)
                    .map(|_| ((2.0 * rng.uniform() - 1.0) * limit) as f32)
                    .collect();
                LayerParams {
                    fan_in,
                    fan_out,
                    weights,
                    biases: vec![0.0; fan_out],
                }
            })
            .collect();
        Params { layers }
    }

    /// Checks that these parameters fit `arch`.
    pub fn check(&self, arch: &Architecture) -> Result<(), EngineError> {
        let shapes = arch.layer_shapes();
        if shapes.len() != self.layers.len() {
            return Err(EngineError::ShapeMismatch {
                what: "number of layers",
                expected: shapes.len(),
                found: self.layers.len(),
            });
        }
        for (layer, &(i, o)) in self.layers.iter().zip(&shapes) {
            if layer.fan_in != i || layer.fan_out != o || layer.weights.len() != i * o {
                return Err(EngineError::ShapeMismatch {
                    what: "layer weight count",
                    expected: i * o,
                    found: layer.weights.len(),
                });
            }
            if layer.biases.len() != o {
                return Err(EngineError::ShapeMismatch {
                    what: "layer bias count",
                    expected: o,
                    found: layer.biases.len(),
                });
            }
        }
        Ok(())
    }

    /// The flat vector `[W0, b0, W1, b1, ...]` the optimizer works on.
    pub fn to_flat(&self) -> Vec<f32> {
        let mut flat = Vec::new();
        for layer in &self.layers {
            flat.extend_from_slice(&layer.weights);
            flat.extend_from_slice(&layer.biases);
        }
        flat
    }

    /// Inverse of [`Params::to_flat`] for the shapes of `arch`.
    pub fn from_flat(arch: &Architecture, flat: &[f32]) -> Params {
        let mut at = 0;
        let layers = arch
            .layer_shapes()
            .into_iter()
            .map(|(fan_in, fan_out)| {
                let weights = flat[at..at + fan_in * fan_out].to_vec();
                at += fan_in * fan_out;
                let biases = flat[at..at + fan_out].to_vec();
                at += fan_out;
                LayerParams {
                    fan_in,
                    fan_out,
                    weights,
                    biases,
                }
            })
            .collect();
        Params { layers }
    }
}

/// Offsets of each layer's weights and biases in the flat vector.
#[derive(Debug, Clone)]
pub(crate) struct FlatLayout {
    pub shapes: Vec<(usize, usize)>,
    pub weight_at: Vec<usize>,
    pub bias_at: Vec<usize>,
    /// Floats in the flat vector: every layer's weights and biases.
    pub len: usize,
}

impl FlatLayout {
    pub fn new(arch: &Architecture) -> Self {
        let shapes = arch.layer_shapes();
        let (mut weight_at, mut bias_at, mut at) = (Vec::new(), Vec::new(), 0);
        for &(i, o) in &shapes {
            weight_at.push(at);
            at += i * o;
            bias_at.push(at);
            at += o;
        }
        Self {
            shapes,
            weight_at,
            bias_at,
            len: at,
        }
    }
}
