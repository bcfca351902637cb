//! The benchmark specification's shared workloads W1, W2, W3, set up exactly: the same
//! data, initial weights and learning rates as the numpy / PyTorch / JAX references.
//!
//! Owns: the workload constants and their conventional FLOP counts. Used by the tests
//! and the benchmark example; must never time anything itself.

use ndarray::Array2;

use super::activation::Activation;
use super::dataset::{Dataset, DatasetKind, DatasetSpec};
use super::loss::Loss;
use super::network::Architecture;
use super::network::NetHyper;
use super::optimizer::Optimizer;
use super::record::grid_points;
use super::train::{KernelChoice, TrainSpec};

/// A training workload of the spec.
#[derive(Debug, Clone)]
pub struct Workload {
    pub name: &'static str,
    pub arch: Architecture,
    pub data: Dataset,
    pub spec: TrainSpec,
    pub hypers: Vec<NetHyper>,
    /// Conventional count: 3 x forward matmul FLOPs, `6 n P_w K E`.
    pub flops: f64,
}

/// W1 "sweep": 256 nets 2-16-16-1 on 1000 spiral points, 500 full-batch Adam epochs.
pub fn w1() -> Workload {
    workload("W1", 256, 16, 1000, 500)
}

/// W2 "wide": 16 nets 2-128-128-1 on 4096 spiral points, 200 epochs.
pub fn w2() -> Workload {
    workload("W2", 16, 128, 4096, 200)
}

/// A W1/W2-shaped workload with other sizes (tests use smaller ones).
pub fn workload(
    name: &'static str,
    nets: usize,
    hidden: usize,
    points: usize,
    epochs: usize,
) -> Workload {
    let arch = Architecture {
        inputs: 2,
        hidden: vec![hidden, hidden],
        outputs: 1,
        activation: Activation::Tanh,
        loss: Loss::BinaryCrossEntropy,
    };
    let data = Dataset::generate(&spec_spirals(points)).expect("the spec's dataset is valid");
    let hypers = (0..nets)
        .map(|k| NetHyper::new(learning_rate(k, nets), 1000 + k as u64))
        .collect();
    let spec = TrainSpec {
        epochs,
        optimizer: Optimizer::adam(),
        batch_size: None,
        record_every: 0,
        grid: None,
        kernel: KernelChoice::Auto,
        features: vec![],
    };
    let flops = 6.0 * points as f64 * arch.weight_count() as f64 * nets as f64 * epochs as f64;
    Workload {
        name,
        arch,
        data,
        spec,
        hypers,
        flops,
    }
}

/// The spec's spirals: seed 42, noise 0.02, no test split.
pub fn spec_spirals(n: usize) -> DatasetSpec {
    DatasetSpec {
        kind: DatasetKind::TwoSpirals,
        n,
        noise: 0.02,
        seed: 42,
        test_fraction: 0.0,
    }
}

/// `lr_k = f32(10^(-3 + 2 k / (K - 1)))`, log-uniform from 1e-3 to 1e-1.
pub fn learning_rate(k: usize, nets: usize) -> f32 {
    if nets < 2 {
        return 1e-3;
    }
    libm::pow(10.0, -3.0 + 2.0 * k as f64 / (nets - 1) as f64) as f32
}

/// W3's 128 x 128 grid over [-1, 1]^2, `q = row * 128 + col`.
pub fn w3_grid() -> Array2<f32> {
    grid_points(2, 128).expect("128 is a valid resolution")
}

/// W3's conventional FLOP count: `2 * 16384 * 304 * 256`.
pub const W3_FLOPS: f64 = 2.0 * 16384.0 * 304.0 * 256.0;
