//! Optimizers: one update of a network's flat parameter vector from its gradient.
//!
//! Owns: SGD, momentum and Adam (PyTorch formulation, as the benchmark spec fixes it) and
//! the per-network optimizer state. Works on plain slices so the reference path and the
//! SIMD path share it bit for bit. Must never compute gradients or regularization.

use serde::{Deserialize, Serialize};

/// How a gradient becomes a parameter update.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Optimizer {
    /// theta -= lr * g.
    Sgd,
    /// PyTorch momentum: buf = beta * buf + g; theta -= lr * buf.
    Momentum { beta: f32 },
    /// PyTorch Adam (no weight decay, no amsgrad).
    Adam { beta1: f32, beta2: f32, eps: f32 },
}

impl Optimizer {
    /// Adam with PyTorch's defaults (0.9, 0.999, 1e-8), the benchmark's optimizer.
    pub fn adam() -> Self {
        Optimizer::Adam {
            beta1: 0.9,
            beta2: 0.999,
            eps: 1e-8,
        }
    }
}

/// Per-network optimizer memory (empty for SGD).
#[derive(Debug, Clone, Default)]
pub struct OptimizerState {
    first: Vec<f32>,
    second: Vec<f32>,
    steps: u64,
}

impl OptimizerState {
    /// Fresh state for `len` parameters (m = v = 0, step 0).
    pub fn new(optimizer: &Optimizer, len: usize) -> Self {
        let (first, second) = match optimizer {
            Optimizer::Sgd => (Vec::new(), Vec::new()),
            Optimizer::Momentum { .. } => (vec![0.0; len], Vec::new()),
            Optimizer::Adam { .. } => (vec![0.0; len], vec![0.0; len]),
        };
        Self {
            first,
            second,
            steps: 0,
        }
    }

    /// Number of updates applied so far.
    pub fn steps(&self) -> u64 {
        self.steps
    }
}

/// Applies one update with learning rate `lr` to `params` (same length as `grads`).
pub fn step(
    optimizer: &Optimizer,
    state: &mut OptimizerState,
    lr: f32,
    params: &mut [f32],
    grads: &[f32],
) {
    debug_assert_eq!(params.len(), grads.len());
    state.steps += 1;
    match *optimizer {
        Optimizer::Sgd => {
            for (p, &g) in params.iter_mut().zip(grads) {
                *p -= lr * g;
            }
        }
        Optimizer::Momentum { beta } => {
            for ((p, &g), b) in params.iter_mut().zip(grads).zip(&mut state.first) {
                *b = beta * *b + g;
                *p -= lr * *b;
            }
        }
        Optimizer::Adam { beta1, beta2, eps } => {
            // Scalars in f64 then rounded, as PyTorch computes them from Python floats.
            let t = state.steps as i32;
            let bias1 = 1.0 - (beta1 as f64).powi(t);
            let step_size = (lr as f64 / bias1) as f32;
            let bias2_sqrt = (1.0 - (beta2 as f64).powi(t)).sqrt() as f32;
            let (one_b1, one_b2) = (1.0 - beta1, 1.0 - beta2);
            let moments = state.first.iter_mut().zip(state.second.iter_mut());
            for ((p, &g), (m, v)) in params.iter_mut().zip(grads).zip(moments) {
                *m = beta1 * *m + one_b1 * g;
                *v = beta2 * *v + one_b2 * g * g;
                let denom = v.sqrt() / bias2_sqrt + eps;
                *p -= step_size * (*m / denom);
            }
        }
    }
}
