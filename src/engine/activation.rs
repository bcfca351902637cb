//! Hidden-layer activations and their derivatives.
//!
//! Owns: the definition of each activation, and its derivative expressed through the
//! activation's *output* (which is what backward keeps). Must never know about layers or
//! batches; the SIMD kernels re-implement these formulas and are tested against them.

use serde::{Deserialize, Serialize};

use super::real::Real;

/// Slope of leaky relu for negative inputs.
pub const LEAKY_SLOPE: f64 = 0.01;

/// The nonlinearity applied after every hidden dense layer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Activation {
    Relu,
    /// max(z, 0.01 z).
    LeakyRelu,
    Tanh,
    Sigmoid,
    Linear,
}

impl Activation {
    /// a = f(z).
    pub fn apply<F: Real>(self, z: F) -> F {
        let zero = F::zero();
        match self {
            Activation::Relu => z.max(zero),
            Activation::LeakyRelu => {
                if z > zero {
                    z
                } else {
                    F::from_f64(LEAKY_SLOPE) * z
                }
            }
            Activation::Tanh => z.tanh(),
            Activation::Sigmoid => sigmoid(z),
            Activation::Linear => z,
        }
    }

    /// f'(z) written in terms of a = f(z): every activation here allows it, so backward
    /// needs only the stored outputs.
    pub fn derivative_from_output<F: Real>(self, a: F) -> F {
        let one = F::one();
        match self {
            Activation::Relu => {
                if a > F::zero() {
                    one
                } else {
                    F::zero()
                }
            }
            Activation::LeakyRelu => {
                if a > F::zero() {
                    one
                } else {
                    F::from_f64(LEAKY_SLOPE)
                }
            }
            Activation::Tanh => one - a * a,
            Activation::Sigmoid => a * (one - a),
            Activation::Linear => one,
        }
    }
}

/// The logistic function, in the form that never overflows exp.
pub fn sigmoid<F: Real>(z: F) -> F {
    let one = F::one();
    if z >= F::zero() {
        one / (one + (-z).exp())
    } else {
        let e = z.exp();
        e / (one + e)
    }
}
