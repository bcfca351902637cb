//! The math of the reference network checked from first principles: backpropagated
//! gradients of every layer, activation and loss against central finite differences in
//! f64, loss values against hand-computed ones, optimizer steps against hand-computed
//! updates, and the L1/L2 penalty's contribution to a training step.

use conceptlab::engine::reference::Network;
use conceptlab::engine::{
    Activation, Architecture, Dataset, KernelChoice, Loss, NetHyper, Optimizer, OptimizerState,
    Params, SplitMix64, TrainSpec, optimizer_step, train_batch,
};
use ndarray::{Array2, array};

const ACTIVATIONS: [Activation; 5] = [
    Activation::Relu,
    Activation::LeakyRelu,
    Activation::Tanh,
    Activation::Sigmoid,
    Activation::Linear,
];
const LOSSES: [Loss; 3] = [
    Loss::Mse,
    Loss::BinaryCrossEntropy,
    Loss::SoftmaxCrossEntropy,
];

fn arch(activation: Activation, loss: Loss, hidden: Vec<usize>) -> Architecture {
    let outputs = if loss == Loss::SoftmaxCrossEntropy {
        3
    } else {
        2
    };
    Architecture {
        inputs: 3,
        hidden,
        outputs,
        activation,
        loss,
    }
}

/// Random inputs and targets fitting the loss (0/1 labels, one-hot rows, real values).
fn batch(arch: &Architecture, n: usize, seed: u64) -> (Array2<f64>, Array2<f64>) {
    let mut rng = SplitMix64::new(seed);
    let x = Array2::from_shape_fn((n, arch.inputs), |_| 2.0 * rng.uniform() - 1.0);
    let y = match arch.loss {
        Loss::Mse => Array2::from_shape_fn((n, arch.outputs), |_| rng.normal()),
        Loss::BinaryCrossEntropy => {
            Array2::from_shape_fn((n, arch.outputs), |_| (rng.uniform() < 0.5) as u8 as f64)
        }
        Loss::SoftmaxCrossEntropy => {
            let mut y = Array2::zeros((n, arch.outputs));
            for r in 0..n {
                y[[r, rng.below(arch.outputs)]] = 1.0;
            }
            y
        }
    };
    (x, y)
}

/// A network with Glorot weights and non-zero biases (so relu units are not all alike).
fn network(arch: &Architecture, seed: u64) -> Network<f64> {
    let mut net = Network::<f64>::from_params(&Params::glorot(arch, seed));
    let mut rng = SplitMix64::new(seed + 1);
    for b in &mut net.biases {
        b.mapv_inplace(|_| 0.4 * rng.normal());
    }
    net
}

/// Max over every parameter of |backprop - central difference|, relative to the largest
/// gradient entry.
fn worst_gradient_error(arch: &Architecture, seed: u64) -> f64 {
    let net = network(arch, seed);
    let (x, y) = batch(arch, 9, seed + 2);
    let grads = net.gradients(arch, x.view(), y.view());
    let h = 1e-6;
    let loss_at = |n: &Network<f64>| n.loss(arch, x.view(), y.view());
    let mut worst: f64 = 0.0;
    let mut largest: f64 = 0.0;
    for l in 0..net.weights.len() {
        for idx in 0..net.weights[l].len() {
            let (i, j) = (idx / net.weights[l].ncols(), idx % net.weights[l].ncols());
            let (mut plus, mut minus) = (net.clone(), net.clone());
            plus.weights[l][[i, j]] += h;
            minus.weights[l][[i, j]] -= h;
            let fd = (loss_at(&plus) - loss_at(&minus)) / (2.0 * h);
            worst = worst.max((fd - grads.weights[l][[i, j]]).abs());
            largest = largest.max(fd.abs());
        }
        for j in 0..net.biases[l].len() {
            let (mut plus, mut minus) = (net.clone(), net.clone());
            plus.biases[l][j] += h;
            minus.biases[l][j] -= h;
            let fd = (loss_at(&plus) - loss_at(&minus)) / (2.0 * h);
            worst = worst.max((fd - grads.biases[l][j]).abs());
            largest = largest.max(fd.abs());
        }
    }
    assert!(largest > 1e-3, "degenerate check: all gradients vanish");
    worst / largest
}

#[test]
fn backprop_matches_finite_differences_for_every_activation_and_loss() {
    for activation in ACTIVATIONS {
        for loss in LOSSES {
            let err = worst_gradient_error(&arch(activation, loss, vec![5, 4]), 11);
            assert!(
                err < 1e-6,
                "{activation:?} + {loss:?}: relative gradient error {err:e}"
            );
        }
    }
}

#[test]
fn backprop_matches_finite_differences_for_every_depth() {
    for hidden in [vec![], vec![6], vec![4, 5, 3]] {
        let err = worst_gradient_error(
            &arch(Activation::Tanh, Loss::BinaryCrossEntropy, hidden.clone()),
            5,
        );
        assert!(
            err < 1e-6,
            "hidden {hidden:?}: relative gradient error {err:e}"
        );
    }
}

#[test]
fn activation_derivatives_from_outputs_match_finite_differences() {
    for activation in ACTIVATIONS {
        for z in [-3.0f64, -0.7, -0.1, 0.2, 0.9, 2.5] {
            let h = 1e-6;
            let fd = (activation.apply(z + h) - activation.apply(z - h)) / (2.0 * h);
            let d = activation.derivative_from_output(activation.apply(z));
            assert!((fd - d).abs() < 1e-8, "{activation:?} at {z}: {d} vs {fd}");
        }
    }
}

#[test]
fn loss_values_match_hand_computed_ones() {
    let z = array![[2.0f64, -1.0]];
    let y = array![[1.0, 0.0]];
    // MSE averages over points and outputs.
    assert!((Loss::Mse.value(z.view(), y.view()) - (1.0 + 1.0) / 2.0).abs() < 1e-15);
    // BCE from logits: softplus(-2) + softplus(-1), averaged over the point (one row).
    let bce = (1.0 + (-2.0f64).exp()).ln() + (1.0 + (-1.0f64).exp()).ln();
    assert!((Loss::BinaryCrossEntropy.value(z.view(), y.view()) - bce).abs() < 1e-15);
    // Softmax CE: logsumexp(z) - z[label].
    let sce = (2f64.exp() + (-1f64).exp()).ln() - 2.0;
    assert!((Loss::SoftmaxCrossEntropy.value(z.view(), y.view()) - sce).abs() < 1e-15);
    // The stable forms do not overflow far from zero.
    let far = array![[1000.0f64, -1000.0]];
    assert!(
        (Loss::BinaryCrossEntropy.value(far.view(), array![[0.0, 1.0]].view()) - 2000.0).abs()
            < 1e-9
    );
    assert!(
        (Loss::SoftmaxCrossEntropy.value(far.view(), array![[0.0, 1.0]].view()) - 2000.0).abs()
            < 1e-9
    );
    assert_eq!(
        Loss::BinaryCrossEntropy.accuracy(z.view(), y.view()),
        Some(1.0)
    );
    assert_eq!(Loss::Mse.accuracy(z.view(), y.view()), None);
}

fn two_steps(optimizer: Optimizer) -> (f32, f32) {
    let mut state = OptimizerState::new(&optimizer, 1);
    let mut p = [1.0f32];
    optimizer_step(&optimizer, &mut state, 0.1, &mut p, &[0.5]);
    let first = p[0];
    optimizer_step(&optimizer, &mut state, 0.1, &mut p, &[-0.25]);
    assert_eq!(state.steps(), 2);
    (first, p[0])
}

#[test]
fn optimizer_steps_match_hand_computed_updates() {
    // SGD: 1 - 0.1 * 0.5, then + 0.1 * 0.25.
    let (a, b) = two_steps(Optimizer::Sgd);
    assert_eq!(a, 0.95);
    assert!((b - 0.975).abs() < 1e-7, "{b}");
    // Momentum 0.9: buf = 0.5 then 0.9 * 0.5 - 0.25 = 0.2.
    let (a, b) = two_steps(Optimizer::Momentum { beta: 0.9 });
    assert_eq!(a, 0.95);
    assert!((b - 0.93).abs() < 1e-7, "{b}");
    // Adam (PyTorch): step 1 moves by exactly lr (m-hat / sqrt(v-hat) = sign(g)); step 2
    // computed by hand in f64: m = 0.02, v = 3.1225e-4, step size 0.1 / 0.19.
    let (a, b) = two_steps(Optimizer::adam());
    assert!((a as f64 - 0.900000002).abs() < 1e-7, "{a}");
    assert!((b as f64 - 0.8733662987078463).abs() < 2e-7, "{b}");
}

#[test]
fn l1_and_l2_penalties_add_to_the_weight_gradient_only() {
    let arch = Architecture {
        inputs: 2,
        hidden: vec![3],
        outputs: 1,
        activation: Activation::Tanh,
        loss: Loss::BinaryCrossEntropy,
    };
    let mut rng = SplitMix64::new(4);
    let x = Array2::from_shape_fn((10, 2), |_| rng.uniform() as f32 - 0.5);
    let y = Array2::from_shape_fn((10, 1), |(i, _)| (i % 2) as f32);
    let data = Dataset::from_arrays(
        x.clone(),
        y.clone(),
        Array2::zeros((0, 2)),
        Array2::zeros((0, 1)),
    )
    .unwrap();
    let spec = TrainSpec {
        epochs: 1,
        optimizer: Optimizer::Sgd,
        batch_size: None,
        record_every: 0,
        grid: None,
        kernel: KernelChoice::Reference,
        features: vec![],
    };
    let hyper = NetHyper {
        lr: 0.5,
        l1: 0.01,
        l2: 0.2,
        seed: 8,
    };
    let after = &train_batch(&arch, &spec, &data, &[hyper]).unwrap().networks[0].params;
    let before = Params::glorot(&arch, 8);
    let g = Network::<f32>::from_params(&before)
        .gradients(&arch, x.view(), y.view())
        .to_params();
    for ((b, a), g) in before.layers.iter().zip(&after.layers).zip(&g.layers) {
        for ((&w0, &w1), &gw) in b.weights.iter().zip(&a.weights).zip(&g.weights) {
            let expected = w0 - 0.5 * (gw + 0.01 * w0.signum() + 0.2 * w0);
            assert!((w1 - expected).abs() < 1e-6, "weight {w1} vs {expected}");
        }
        for ((&b0, &b1), &gb) in b.biases.iter().zip(&a.biases).zip(&g.biases) {
            assert!((b1 - (b0 - 0.5 * gb)).abs() < 1e-6, "bias {b1}");
        }
    }
}
