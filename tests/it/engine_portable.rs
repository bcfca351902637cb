//! Trained numbers that do not depend on the machine. The simulations train with AVX2's
//! arithmetic: the AVX2 kernel where the CPU has it, the portable 8-lane kernel (the same
//! roundings in plain Rust) elsewhere. Both must give the same bits, and those bits are
//! pinned here by a digest, so a machine without AVX2 (which runs only the portable
//! kernel) is held to the same numbers as one with it.

use conceptlab::engine::{
    Activation, Architecture, Dataset, DatasetKind, DatasetSpec, Feature, GridSpec, Isa,
    KernelChoice, Loss, NetHyper, Optimizer, TrainSpec, train_batch,
};

/// Every dataset kind, generated (the trigonometry and the normal draws come from
/// `libm`, not the platform's C library).
fn datasets() -> Vec<(DatasetKind, Dataset)> {
    [
        DatasetKind::Circle,
        DatasetKind::Xor,
        DatasetKind::Blobs { classes: 2 },
        DatasetKind::Blobs { classes: 3 },
        DatasetKind::TwoSpirals,
        DatasetKind::Moons,
        DatasetKind::Linear,
        DatasetKind::Sine,
    ]
    .into_iter()
    .map(|kind| {
        let spec = DatasetSpec {
            kind,
            n: 90,
            noise: 0.1,
            seed: 11,
            test_fraction: 0.2,
        };
        (kind, Dataset::generate(&spec).unwrap())
    })
    .collect()
}

/// Trains a suite that covers every activation and loss, widths on and off the lane
/// count, full and mini-batches, every optimizer, input features, recorded curves and
/// grids, with `kernel`; returns everything trained, printed (Rust prints each float so
/// that it reads back to the same bits).
fn suite(kernel: Isa) -> String {
    let mut out = String::new();
    for (kind, data) in datasets() {
        out.push_str(&format!("{kind:?} {data:#?}\n"));
        let (inputs, outputs) = (data.train_x.ncols(), data.train_y.ncols());
        let loss = match (kind, outputs) {
            (DatasetKind::Linear | DatasetKind::Sine, _) => Loss::Mse,
            (_, 1) => Loss::BinaryCrossEntropy,
            _ => Loss::SoftmaxCrossEntropy,
        };
        let cases = [
            (Activation::Tanh, vec![3], None, Optimizer::adam()),
            (Activation::Relu, vec![8, 5], Some(16), Optimizer::Sgd),
            (
                Activation::Sigmoid,
                vec![13],
                Some(32),
                Optimizer::Momentum { beta: 0.9 },
            ),
            (Activation::LeakyRelu, vec![9, 17], None, Optimizer::adam()),
            (Activation::Linear, vec![4], Some(7), Optimizer::adam()),
        ];
        for (activation, hidden, batch_size, optimizer) in cases {
            let features = if inputs == 2 && activation == Activation::Tanh {
                vec![Feature::X1, Feature::X2, Feature::X1X2, Feature::SinX2]
            } else {
                vec![]
            };
            let arch = Architecture {
                inputs: if features.is_empty() {
                    inputs
                } else {
                    features.len()
                },
                hidden,
                outputs,
                activation,
                loss,
            };
            let spec = TrainSpec {
                epochs: 12,
                optimizer,
                batch_size,
                record_every: 4,
                grid: (inputs == 2).then(|| GridSpec {
                    resolution: 9,
                    epochs: vec![0, 12],
                    units: true,
                }),
                kernel: KernelChoice::Simd(kernel),
                features,
            };
            let hypers = [NetHyper::new(0.05, 1), NetHyper::new(0.3, 2)];
            let result = train_batch(&arch, &spec, &data, &hypers).unwrap();
            out.push_str(&format!("{arch:?}\n{:#?}\n", result.networks));
        }
    }
    out
}

/// The digest of [`suite`] as AVX2's arithmetic computes it. A change to the engine that
/// changes trained numbers changes it: check that the change is meant, then update it
/// (and `FORMAT_VERSION` in src/sim/cache.rs, so no cache serves the old numbers).
const SUITE_DIGEST: &str = "8919639e7a1fba2838bad64656f1bb0584d14bdfb0de520df280a2550ae70745";

#[test]
fn the_portable_kernel_trains_the_same_bits_as_avx2_and_both_match_the_pinned_digest() {
    let portable = suite(Isa::Lanes8);
    let digest = blake3::hash(portable.as_bytes()).to_hex().to_string();
    if Isa::Avx2.is_available() {
        let avx2 = suite(Isa::Avx2);
        if let Some((line, (a, p))) = avx2
            .lines()
            .zip(portable.lines())
            .enumerate()
            .find(|(_, (a, p))| a != p)
        {
            panic!("line {line} differs:\navx2:     {a}\nportable: {p}");
        }
        assert_eq!(avx2, portable);
    }
    assert_eq!(
        digest,
        SUITE_DIGEST,
        "the trained numbers changed (portable kernel; AVX2 here: {})",
        Isa::Avx2.is_available()
    );
}
