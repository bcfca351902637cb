//! The SIMD kernels against the references: the vectorized tanh against f64 tanh, the
//! gradients and predictions of every instruction set this CPU has against the ndarray
//! reference network (every activation and loss, widths and point counts that are and are
//! not multiples of the lane count, several chunks, shuffled mini-batches), and bit-for-bit
//! determinism across runs and thread counts.

use conceptlab::engine::kernels::tanh_in_place;
use conceptlab::engine::reference::Network;
use conceptlab::engine::{
    Activation, Architecture, Dataset, Feature, GridSpec, Isa, KernelChoice, Loss, NetHyper,
    Optimizer, Params, SplitMix64, TrainSpec, predict_batch, train_batch, workloads,
};
use ndarray::Array2;

#[test]
fn vectorized_tanh_is_within_a_few_ulp_of_f64_tanh() {
    let mut xs: Vec<f32> = (-2_000_000..=2_000_000).map(|i| i as f32 * 5e-6).collect();
    xs.extend([1e-30, -1e-20, 1e-8, 3e-4, 20.0, -50.0, f32::MAX, f32::MIN]);
    for isa in Isa::all_available() {
        let mut ys = xs.clone();
        tanh_in_place(isa, &mut ys);
        let mut worst_ulp: f64 = 0.0;
        let mut worst_abs: f64 = 0.0;
        for (&x, &y) in xs.iter().zip(&ys) {
            let exact = (x as f64).tanh();
            let ulp = ((exact as f32).abs().max(f32::MIN_POSITIVE) as f64) * f32::EPSILON as f64;
            worst_ulp = worst_ulp.max((y as f64 - exact).abs() / ulp);
            worst_abs = worst_abs.max((y as f64 - exact).abs());
        }
        assert!(worst_abs < 5e-7, "{isa:?}: max abs error {worst_abs:e}");
        assert!(worst_ulp < 5.0, "{isa:?}: max error {worst_ulp} ulp");
    }
}

fn dataset(inputs: usize, outputs: usize, n: usize, loss: Loss, seed: u64) -> Dataset {
    let mut rng = SplitMix64::new(seed);
    let x = Array2::from_shape_fn((n, inputs), |_| (2.0 * rng.uniform() - 1.0) as f32);
    let y = Array2::from_shape_fn((n, outputs), |(r, c)| match loss {
        Loss::Mse => rng.normal() as f32,
        Loss::BinaryCrossEntropy => (rng.uniform() < 0.5) as u8 as f32,
        Loss::SoftmaxCrossEntropy => (r % outputs == c) as u8 as f32,
    });
    Dataset::from_arrays(
        x,
        y,
        Array2::zeros((0, inputs)),
        Array2::zeros((0, outputs)),
    )
    .unwrap()
}

fn sgd_once(kernel: KernelChoice, batch_size: Option<usize>) -> TrainSpec {
    TrainSpec {
        epochs: 1,
        optimizer: Optimizer::Sgd,
        batch_size,
        record_every: 0,
        grid: None,
        kernel,
        features: vec![],
    }
}

/// The gradient a kernel used, recovered from one SGD step with lr = 1.
fn kernel_gradient(
    arch: &Architecture,
    data: &Dataset,
    kernel: KernelChoice,
    batch: Option<usize>,
) -> Vec<f32> {
    let hyper = NetHyper::new(1.0, 21);
    let after = train_batch(arch, &sgd_once(kernel, batch), data, &[hyper])
        .unwrap()
        .networks[0]
        .params
        .to_flat();
    let before = Params::glorot(arch, 21).to_flat();
    before.iter().zip(&after).map(|(b, a)| b - a).collect()
}

fn reference_gradient(arch: &Architecture, data: &Dataset) -> Vec<f64> {
    let net = Network::<f64>::from_params(&Params::glorot(arch, 21));
    let g = net.gradients(
        arch,
        data.train_x.mapv(f64::from).view(),
        data.train_y.mapv(f64::from).view(),
    );
    g.weights
        .iter()
        .zip(&g.biases)
        .flat_map(|(w, b)| w.iter().chain(b.iter()).copied().collect::<Vec<_>>())
        .collect()
}

#[test]
fn every_kernel_computes_the_reference_gradient() {
    let activations = [
        Activation::Tanh,
        Activation::Relu,
        Activation::LeakyRelu,
        Activation::Sigmoid,
        Activation::Linear,
    ];
    let shapes: [(usize, Vec<usize>, usize, usize); 4] = [
        (2, vec![16, 16], 1, 1000), // W1's shape: many chunks, 1000 = 62.5 vectors of 16
        (3, vec![5, 7], 2, 37),     // widths and points that fit no vector width
        (2, vec![32], 3, 600),
        (1, vec![8, 24, 8], 1, 1),
    ];
    for (inputs, hidden, outputs, n) in shapes {
        for activation in activations {
            for loss in [
                Loss::Mse,
                Loss::BinaryCrossEntropy,
                Loss::SoftmaxCrossEntropy,
            ] {
                if loss == Loss::SoftmaxCrossEntropy && outputs < 2 {
                    continue;
                }
                let arch = Architecture {
                    inputs,
                    hidden: hidden.clone(),
                    outputs,
                    activation,
                    loss,
                };
                let data = dataset(inputs, outputs, n, loss, 3);
                let reference = reference_gradient(&arch, &data);
                let scale = reference.iter().fold(0.0f64, |m, g| m.max(g.abs()));
                assert!(scale > 1e-4, "degenerate case {arch:?}");
                let mut kernels: Vec<KernelChoice> = Isa::all_available()
                    .into_iter()
                    .map(KernelChoice::Simd)
                    .collect();
                kernels.push(KernelChoice::Reference);
                for kernel in kernels {
                    // A single shuffled mini-batch has the full-batch gradient, too.
                    for batch in [None, Some(n)] {
                        let g = kernel_gradient(&arch, &data, kernel, batch);
                        let worst = g
                            .iter()
                            .zip(&reference)
                            .fold(0.0f64, |m, (&a, &b)| m.max((a as f64 - b).abs()));
                        assert!(
                            worst < 2e-5 * scale,
                            "{kernel:?} batch {batch:?} {arch:?} n={n}: error {worst:e} (scale {scale:e})"
                        );
                    }
                }
            }
        }
    }
}

#[test]
fn every_kernel_predicts_like_the_reference() {
    let arch = workloads::w1().arch;
    let params: Vec<Params> = (0..5).map(|k| Params::glorot(&arch, 50 + k)).collect();
    let grid = workloads::w3_grid();
    let reference = predict_batch(&arch, &params, grid.view(), KernelChoice::Reference).unwrap();
    assert_eq!(reference.dim(), (5, 16384, 1));
    for isa in Isa::all_available() {
        let p = predict_batch(&arch, &params, grid.view(), KernelChoice::Simd(isa)).unwrap();
        let worst = p
            .iter()
            .zip(&reference)
            .fold(0.0f32, |m, (a, b)| m.max((a - b).abs()));
        assert!(worst < 2e-6, "{isa:?}: max |dp| {worst:e}");
    }
    let softmax = Architecture {
        outputs: 3,
        loss: Loss::SoftmaxCrossEntropy,
        ..arch.clone()
    };
    let params = [Params::glorot(&softmax, 1)];
    let reference = predict_batch(&softmax, &params, grid.view(), KernelChoice::Reference).unwrap();
    let fast = predict_batch(&softmax, &params, grid.view(), KernelChoice::Auto).unwrap();
    let worst = fast
        .iter()
        .zip(&reference)
        .fold(0.0f32, |m, (a, b)| m.max((a - b).abs()));
    assert!(worst < 2e-6, "softmax predictions: max |dp| {worst:e}");
}

/// A small sweep with mini-batches, a test set and grid snapshots, so every code path
/// that could depend on scheduling is exercised.
fn sweep(kernel: KernelChoice) -> String {
    let w = workloads::workload("small", 12, 16, 300, 25);
    let spec = TrainSpec {
        batch_size: Some(64),
        record_every: 5,
        grid: Some(GridSpec {
            resolution: 9,
            epochs: vec![0, 25],
            units: false,
        }),
        kernel,
        ..w.spec.clone()
    };
    let result = train_batch(&w.arch, &spec, &w.data, &w.hypers).unwrap();
    serde_json::to_string(&result).unwrap()
}

#[test]
fn results_are_bit_identical_across_runs_and_thread_counts() {
    for isa in Isa::all_available() {
        let kernel = KernelChoice::Simd(isa);
        let on = |threads| {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap();
            pool.install(|| sweep(kernel))
        };
        let one = on(1);
        assert_eq!(one, on(2), "{isa:?}: 1 thread vs 2 threads");
        assert_eq!(one, on(2), "{isa:?}: two runs on 2 threads");
        assert_eq!(one, on(3), "{isa:?}: 1 thread vs 3 threads");
    }
}

#[test]
fn kernels_and_reference_train_to_the_same_place() {
    // 40 Adam epochs of W1-shaped nets at low learning rates, where trajectories do not
    // yet diverge chaotically: final losses agree closely across kernels.
    let w = workloads::workload("agree", 4, 16, 500, 40);
    let spec = TrainSpec {
        kernel: KernelChoice::Reference,
        ..w.spec.clone()
    };
    let loss = |spec: &TrainSpec| -> Vec<f64> {
        let r = train_batch(&w.arch, spec, &w.data, &w.hypers[..2]).unwrap();
        r.networks
            .iter()
            .map(|n| n.curve.last().unwrap().train_loss)
            .collect()
    };
    let reference = loss(&spec);
    for isa in Isa::all_available() {
        let fast = loss(&TrainSpec {
            kernel: KernelChoice::Simd(isa),
            ..spec.clone()
        });
        for (a, b) in fast.iter().zip(&reference) {
            assert!((a - b).abs() < 1e-4, "{isa:?}: {a} vs reference {b}");
        }
    }
}

/// Hidden activations and predictions on the grid, in f64 from the reference network at
/// the (transformed) grid points: `([unit][point], [point][output])`.
fn reference_grid(
    arch: &Architecture,
    params: &Params,
    points: ndarray::ArrayView2<f32>,
) -> (Vec<f64>, Vec<f64>) {
    let net = Network::<f64>::from_params(params);
    let mut values = net.forward(arch, points.mapv(f64::from).view());
    let logits = values.pop().unwrap();
    let units = values[1..]
        .iter()
        .flat_map(|a| {
            a.columns()
                .into_iter()
                .flat_map(|c| c.to_vec())
                .collect::<Vec<_>>()
        })
        .collect();
    let p = arch.loss.predict(logits.view());
    (units, p.iter().copied().collect())
}

#[test]
fn grid_units_are_the_trained_networks_hidden_activations() {
    let data = Dataset::generate(&conceptlab::engine::DatasetSpec {
        kind: conceptlab::engine::DatasetKind::Circle,
        n: 150,
        noise: 0.05,
        seed: 5,
        test_fraction: 0.2,
    })
    .unwrap();
    let mut kernels: Vec<KernelChoice> = Isa::all_available()
        .into_iter()
        .map(KernelChoice::Simd)
        .collect();
    kernels.push(KernelChoice::Reference);
    let feature_sets = [
        vec![],
        vec![Feature::X1, Feature::X2, Feature::X1X2, Feature::SinX1],
    ];
    for activation in [Activation::Tanh, Activation::Relu] {
        for features in &feature_sets {
            let inputs = if features.is_empty() {
                2
            } else {
                features.len()
            };
            let arch = Architecture {
                inputs,
                hidden: vec![7, 5],
                outputs: 1,
                activation,
                loss: Loss::BinaryCrossEntropy,
            };
            let resolution = 11;
            let raw = conceptlab::engine::grid_points(2, resolution).unwrap();
            let points = conceptlab::engine::transform(features, raw.view()).unwrap();
            let n = resolution * resolution;
            for &kernel in &kernels {
                let spec = TrainSpec {
                    epochs: 20,
                    optimizer: Optimizer::adam(),
                    batch_size: Some(32),
                    record_every: 0,
                    grid: Some(GridSpec {
                        resolution,
                        epochs: vec![0, 20],
                        units: true,
                    }),
                    kernel,
                    features: features.clone(),
                };
                let hypers = [NetHyper::new(0.05, 3), NetHyper::new(0.01, 4)];
                let result = train_batch(&arch, &spec, &data, &hypers).unwrap();
                let what = format!("{kernel:?} {activation:?} features {features:?}");
                for net in &result.networks {
                    assert_eq!(net.grids.len(), 2, "{what}");
                    let last = net.grids[1].params.as_ref().unwrap();
                    assert_eq!(last, &net.params, "{what}: the final snapshot's parameters");
                    for g in &net.grids {
                        let params = g.params.as_ref().expect("parameters with the units");
                        assert_eq!(g.units.len(), 12 * n, "{what}");
                        let (units, p) = reference_grid(&arch, params, points.view());
                        let worst = g
                            .units
                            .iter()
                            .zip(&units)
                            .fold(0.0f64, |m, (&a, &b)| m.max((a as f64 - b).abs()));
                        assert!(worst < 2e-6, "{what}: units max error {worst:e}");
                        let worst = g
                            .values
                            .iter()
                            .zip(&p)
                            .fold(0.0f64, |m, (&a, &b)| m.max((a as f64 - b).abs()));
                        assert!(worst < 2e-6, "{what}: values max error {worst:e}");
                        // The values are the prediction of that network on the
                        // transformed grid, by the same kernel, bit for bit.
                        let same = predict_batch(
                            &arch,
                            std::slice::from_ref(params),
                            points.view(),
                            kernel,
                        )
                        .unwrap();
                        assert_eq!(same.as_slice().unwrap(), &g.values[..], "{what}");
                    }
                    // The epoch-0 snapshot is the Glorot initialization.
                    let first = net.grids[0].params.as_ref().unwrap();
                    assert_eq!(first, &Params::glorot(&arch, net.hyper.seed), "{what}");
                }
                // Without `units`, neither is recorded and the values are unchanged.
                let plain = TrainSpec {
                    grid: Some(GridSpec {
                        resolution,
                        epochs: vec![0, 20],
                        units: false,
                    }),
                    ..spec.clone()
                };
                let without = train_batch(&arch, &plain, &data, &hypers).unwrap();
                for (a, b) in without.networks.iter().zip(&result.networks) {
                    for (ga, gb) in a.grids.iter().zip(&b.grids) {
                        assert!(ga.units.is_empty() && ga.params.is_none(), "{what}");
                        assert_eq!(ga.values, gb.values, "{what}");
                    }
                    assert_eq!(a.params, b.params, "{what}");
                }
            }
        }
    }
}
