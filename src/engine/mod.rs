//! The neural engine: batched training of small dense networks on toy datasets.
//!
//! A library that knows nothing of sites. The simulate stage calls [`train_batch`] to
//! precompute learning curves, hyper-parameter sweeps and decision boundaries at build
//! time. A batch is K networks of one [`Architecture`] trained in lockstep on one
//! [`Dataset`], each with its own [`NetHyper`] (learning rate, L1, L2, seed).
//!
//! Map of the module (one idea per file):
//! - `rng`: SplitMix64, the only source of randomness.
//! - `dataset`: seeded toy datasets and the train/test split.
//! - `features`: input feature transforms (x1^2, x1 x2, sin(pi x1), ...).
//! - `activation`, `loss`, `optimizer`: the math of each piece, defined once.
//! - `network`: architecture, parameters, Glorot initialization.
//! - `reference`: forward/backward on ndarray, reading like the equations (f32 or f64).
//! - `kernels`: the SIMD fast path, chosen at run time by CPU feature.
//! - `train`: the batch training loop (rayon across networks).
//! - `record`: result types and the f64 evaluation of recorded metrics.
//! - `workloads`: the shared benchmark workloads W1/W2/W3.
//!
//! Must never read files, print, or depend on anything outside this folder.
//!
//! ```
//! use conceptlab::engine::*;
//! let data = Dataset::generate(&DatasetSpec {
//!     kind: DatasetKind::Xor, n: 200, noise: 0.05, seed: 7, test_fraction: 0.25,
//! }).unwrap();
//! let arch = Architecture {
//!     inputs: 2, hidden: vec![8], outputs: 1,
//!     activation: Activation::Tanh, loss: Loss::BinaryCrossEntropy,
//! };
//! let spec = TrainSpec {
//!     epochs: 50, optimizer: Optimizer::adam(), batch_size: None, record_every: 10,
//!     grid: Some(GridSpec { resolution: 16, epochs: vec![0, 50], units: false }),
//!     kernel: KernelChoice::Auto, features: vec![],
//! };
//! let hypers = [NetHyper::new(0.03, 1), NetHyper { lr: 0.03, l1: 0.0, l2: 1e-3, seed: 2 }];
//! let result = train_batch(&arch, &spec, &data, &hypers).unwrap();
//! assert_eq!(result.networks.len(), 2);
//! assert_eq!(result.networks[0].curve.len(), 6); // epochs 0, 10, .., 50
//! assert_eq!(result.networks[0].grids[1].values.len(), 16 * 16);
//! ```

mod activation;
mod dataset;
mod error;
mod features;
pub mod kernels;
mod loss;
mod network;
mod optimizer;
mod real;
mod record;
pub mod reference;
mod rng;
mod train;
pub mod workloads;

pub use activation::{Activation, LEAKY_SLOPE, sigmoid};
pub use dataset::{Dataset, DatasetKind, DatasetSpec};
pub use error::EngineError;
pub use features::{Feature, transform};
pub use kernels::Isa;
pub use loss::Loss;
pub use network::{Architecture, LayerParams, NetHyper, Params};
pub use optimizer::{Optimizer, OptimizerState, step as optimizer_step};
pub use real::Real;
pub use record::{BatchResult, CurvePoint, GridSnapshot, NetworkResult, grid_points};
pub use rng::SplitMix64;
pub use train::{GridSpec, KernelChoice, TrainSpec, predict_batch, train_batch};
