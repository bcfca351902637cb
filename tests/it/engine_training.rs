//! Training end to end: the shared workload W1 lands in the reference distribution of
//! neural-results.md; every dataset is learnable with every optimizer; curves and grid
//! snapshots are recorded when asked; bad requests are errors, not panics.

use conceptlab::engine::workloads;
use conceptlab::engine::{
    Activation, Architecture, BatchResult, Dataset, DatasetKind, DatasetSpec, EngineError, Feature,
    GridSpec, KernelChoice, Loss, NetHyper, Optimizer, Params, TrainSpec, predict_batch,
    train_batch,
};

fn final_metrics(result: &BatchResult) -> Vec<(f64, f64)> {
    result
        .networks
        .iter()
        .map(|n| {
            let last = n.curve.last().unwrap();
            (last.train_loss, last.train_accuracy.unwrap())
        })
        .collect()
}

/// The full W1 (256 nets x 500 epochs) takes a few seconds in release builds; an
/// unoptimized build trains only the networks k = 0, 64, 128, 192 (same seeds and
/// learning rates as in the full sweep) and checks those.
#[test]
fn w1_matches_the_reference_distribution() {
    let w = workloads::w1();
    let full = !cfg!(debug_assertions);
    let ks: Vec<usize> = if full {
        (0..256).collect()
    } else {
        vec![0, 64, 128, 192]
    };
    let hypers: Vec<NetHyper> = ks.iter().map(|&k| w.hypers[k]).collect();
    let result = train_batch(&w.arch, &w.spec, &w.data, &hypers).unwrap();
    let metrics = final_metrics(&result);
    let at = |k: usize| metrics[ks.iter().position(|&i| i == k).unwrap()];
    // neural-results.md, selected networks. Low learning rates agree across
    // implementations to 4 digits; from k = 128 on, float32 round-off (here: the order
    // of the sums) sends each network down its own path (the references spread over
    // 0.22-0.25 at k = 128 and 192), so those are held only to having learned the spirals
    // far beyond what the low-lr networks reach (loss ~0.61-0.64, accuracy ~0.55-0.63).
    let (loss0, acc0) = at(0);
    assert!((loss0 - 0.6446).abs() < 5e-4, "k=0 loss {loss0}");
    assert!((acc0 - 0.628).abs() < 0.005, "k=0 acc {acc0}");
    let (loss64, _) = at(64);
    assert!((loss64 - 0.6099).abs() < 0.002, "k=64 loss {loss64}");
    for k in [128, 192] {
        let (loss, acc) = at(k);
        assert!(
            (0.15..0.35).contains(&loss) && acc > 0.8,
            "k={k}: loss {loss}, accuracy {acc}"
        );
    }
    if full {
        let (loss255, acc255) = at(255);
        assert!(
            (0.010..0.017).contains(&loss255) && acc255 > 0.99,
            "k=255 {loss255} {acc255}"
        );
        // The suggested acceptance for a port.
        let mean = |f: fn(&(f64, f64)) -> f64| metrics.iter().map(f).sum::<f64>() / 256.0;
        let loss_mean = mean(|m| m.0);
        let acc_mean = mean(|m| m.1);
        let frac = metrics.iter().filter(|m| m.1 >= 0.9).count() as f64 / 256.0;
        assert!((loss_mean - 0.399).abs() <= 0.006, "loss mean {loss_mean}");
        assert!((acc_mean - 0.737).abs() <= 0.006, "acc mean {acc_mean}");
        assert!(
            (0.30..=0.35).contains(&frac),
            "fraction with acc >= 0.9: {frac}"
        );
    }
}

fn data(kind: DatasetKind, noise: f64) -> Dataset {
    Dataset::generate(&DatasetSpec {
        kind,
        n: 400,
        noise,
        seed: 3,
        test_fraction: 0.25,
    })
    .unwrap()
}

fn spec(epochs: usize, optimizer: Optimizer, batch_size: Option<usize>) -> TrainSpec {
    TrainSpec {
        epochs,
        optimizer,
        batch_size,
        record_every: epochs,
        grid: None,
        kernel: KernelChoice::Auto,
        features: vec![],
    }
}

fn classifier(hidden: Vec<usize>, activation: Activation) -> Architecture {
    Architecture {
        inputs: 2,
        hidden,
        outputs: 1,
        activation,
        loss: Loss::BinaryCrossEntropy,
    }
}

#[test]
fn classification_datasets_are_learned_to_high_test_accuracy() {
    let cases = [
        (
            DatasetKind::Xor,
            classifier(vec![8], Activation::Tanh),
            spec(300, Optimizer::adam(), None),
            0.03,
        ),
        (
            DatasetKind::Circle,
            classifier(vec![8], Activation::Relu),
            spec(300, Optimizer::adam(), None),
            0.03,
        ),
        (
            DatasetKind::Moons,
            classifier(vec![12, 12], Activation::LeakyRelu),
            spec(60, Optimizer::Momentum { beta: 0.9 }, Some(20)),
            0.05,
        ),
        (
            DatasetKind::Blobs { classes: 2 },
            classifier(vec![4], Activation::Sigmoid),
            spec(40, Optimizer::Sgd, Some(10)),
            0.5,
        ),
    ];
    for (kind, arch, spec, lr) in cases {
        let d = data(kind, 0.05);
        let r = train_batch(&arch, &spec, &d, &[NetHyper::new(lr, 1)]).unwrap();
        let last = r.networks[0].curve.last().unwrap();
        let first = &r.networks[0].curve[0];
        assert!(
            last.train_loss < first.train_loss,
            "{kind:?}: loss did not drop"
        );
        assert!(
            last.test_accuracy.unwrap() > 0.93,
            "{kind:?}: test accuracy {:?}",
            last.test_accuracy
        );
    }
}

#[test]
fn softmax_separates_three_blobs() {
    let d = data(DatasetKind::Blobs { classes: 3 }, 0.0);
    let arch = Architecture {
        inputs: 2,
        hidden: vec![8],
        outputs: 3,
        activation: Activation::Tanh,
        loss: Loss::SoftmaxCrossEntropy,
    };
    let r = train_batch(
        &arch,
        &spec(200, Optimizer::adam(), None),
        &d,
        &[NetHyper::new(0.03, 2)],
    )
    .unwrap();
    let acc = r.networks[0].curve.last().unwrap().test_accuracy.unwrap();
    assert!(acc > 0.85, "three blobs: test accuracy {acc}");
}

#[test]
fn regression_fits_sine_and_line_down_to_the_noise() {
    let sine = data(DatasetKind::Sine, 0.05);
    let arch = Architecture {
        inputs: 1,
        hidden: vec![16, 16],
        outputs: 1,
        activation: Activation::Tanh,
        loss: Loss::Mse,
    };
    let r = train_batch(
        &arch,
        &spec(400, Optimizer::adam(), None),
        &sine,
        &[NetHyper::new(0.01, 4)],
    )
    .unwrap();
    let last = r.networks[0].curve.last().unwrap();
    assert!(
        last.test_loss.unwrap() < 0.01,
        "sine test mse {:?}",
        last.test_loss
    );
    assert_eq!(last.train_accuracy, None);
    let line = data(DatasetKind::Linear, 0.1);
    let arch = Architecture {
        hidden: vec![],
        activation: Activation::Linear,
        ..arch
    };
    let r = train_batch(
        &arch,
        &spec(100, Optimizer::Sgd, Some(16)),
        &line,
        &[NetHyper::new(0.1, 4)],
    )
    .unwrap();
    let mse = r.networks[0].curve.last().unwrap().train_loss;
    // Noise std 0.1: the best line has mse close to 0.01.
    assert!((0.005..0.015).contains(&mse), "linear regression mse {mse}");
    let w = r.networks[0].params.layers[0].weights[0];
    assert!((w - 0.8).abs() < 0.05, "slope {w}");
}

#[test]
fn l2_shrinks_the_weights() {
    let d = data(DatasetKind::Xor, 0.05);
    let arch = classifier(vec![8], Activation::Tanh);
    let hypers = [
        NetHyper::new(0.03, 1),
        NetHyper {
            l2: 0.05,
            ..NetHyper::new(0.03, 1)
        },
    ];
    let r = train_batch(&arch, &spec(200, Optimizer::adam(), None), &d, &hypers).unwrap();
    let norm = |p: &Params| {
        p.layers
            .iter()
            .flat_map(|l| &l.weights)
            .map(|w| w * w)
            .sum::<f32>()
    };
    let (plain, decayed) = (norm(&r.networks[0].params), norm(&r.networks[1].params));
    assert!(decayed < 0.7 * plain, "l2 norm {decayed} vs {plain}");
}

#[test]
fn curves_and_grids_are_recorded_when_asked() {
    let d = data(DatasetKind::Circle, 0.05);
    let arch = classifier(vec![6], Activation::Tanh);
    let spec = TrainSpec {
        record_every: 7,
        grid: Some(GridSpec {
            resolution: 10,
            epochs: vec![0, 5, 30],
            units: false,
        }),
        ..spec(30, Optimizer::adam(), None)
    };
    let hypers = [
        NetHyper::new(0.01, 1),
        NetHyper::new(0.05, 2),
        NetHyper::new(0.1, 3),
    ];
    let r = train_batch(&arch, &spec, &d, &hypers).unwrap();
    assert_eq!(r.networks.len(), 3);
    for (net, hyper) in r.networks.iter().zip(&hypers) {
        assert_eq!(&net.hyper, hyper);
        let epochs: Vec<usize> = net.curve.iter().map(|c| c.epoch).collect();
        assert_eq!(epochs, [0, 7, 14, 21, 28, 30]);
        assert!(
            net.curve
                .iter()
                .all(|c| c.test_loss.is_some() && c.test_accuracy.is_some())
        );
        let grid_epochs: Vec<usize> = net.grids.iter().map(|g| g.epoch).collect();
        assert_eq!(grid_epochs, [0, 5, 30]);
        for g in &net.grids {
            assert_eq!(g.values.len(), 100);
            assert!(g.values.iter().all(|p| (0.0..=1.0).contains(p)));
        }
        // The last grid is the final network's prediction on the grid.
        let grid = conceptlab::engine::grid_points(2, 10).unwrap();
        let p = predict_batch(
            &arch,
            std::slice::from_ref(&net.params),
            grid.view(),
            KernelChoice::Auto,
        )
        .unwrap();
        assert_eq!(p.as_slice().unwrap(), &net.grids[2].values[..]);
    }
    // The batch's parameters as [network, fan_in, fan_out] arrays.
    let w0 = r.stacked_weights(0).unwrap();
    assert_eq!(w0.dim(), (3, 2, 6));
    assert_eq!(w0[[2, 1, 4]], r.networks[2].params.layers[0].weights[6 + 4]);
    assert_eq!(r.stacked_biases(1).unwrap().dim(), (3, 1));
    assert!(r.stacked_weights(2).is_none());
    let json = serde_json::to_value(&r).unwrap();
    assert!(json["networks"][0]["curve"][0]["train_loss"].is_number());
}

#[test]
fn bad_requests_are_errors() {
    let d = data(DatasetKind::Xor, 0.05);
    let arch = classifier(vec![4], Activation::Tanh);
    let ok = spec(5, Optimizer::adam(), None);
    let one = [NetHyper::new(0.01, 1)];
    assert_eq!(
        train_batch(&arch, &ok, &d, &[]).unwrap_err(),
        EngineError::NoNetworks
    );
    let wrong_inputs = Architecture {
        inputs: 3,
        ..arch.clone()
    };
    assert!(matches!(
        train_batch(&wrong_inputs, &ok, &d, &one),
        Err(EngineError::ShapeMismatch { .. })
    ));
    let zero_width = classifier(vec![0], Activation::Tanh);
    assert!(matches!(
        train_batch(&zero_width, &ok, &d, &one),
        Err(EngineError::ZeroSize(_))
    ));
    let bad_lr = [NetHyper::new(f32::NAN, 1)];
    assert!(matches!(
        train_batch(&arch, &ok, &d, &bad_lr),
        Err(EngineError::InvalidParameter { name: "lr", .. })
    ));
    let zero_batch = spec(5, Optimizer::Sgd, Some(0));
    assert!(train_batch(&arch, &zero_batch, &d, &one).is_err());
    let late_grid = TrainSpec {
        grid: Some(GridSpec {
            resolution: 4,
            epochs: vec![6],
            units: false,
        }),
        ..ok.clone()
    };
    assert!(train_batch(&arch, &late_grid, &d, &one).is_err());
    let bad_beta = spec(5, Optimizer::Momentum { beta: 1.5 }, None);
    assert!(train_batch(&arch, &bad_beta, &d, &one).is_err());
    let softmax_one = Architecture {
        loss: Loss::SoftmaxCrossEntropy,
        ..arch.clone()
    };
    assert!(train_batch(&softmax_one, &ok, &d, &one).is_err());
    let mut ragged = d.clone();
    ragged.train_y = ndarray::Array2::zeros((3, 1));
    assert!(matches!(
        train_batch(&arch, &ok, &ragged, &one),
        Err(EngineError::ShapeMismatch { .. })
    ));
    let grid = conceptlab::engine::grid_points(2, 3).unwrap();
    let wrong_params = [Params::glorot(&classifier(vec![5], Activation::Tanh), 1)];
    assert!(predict_batch(&arch, &wrong_params, grid.view(), KernelChoice::Auto).is_err());
    assert!(conceptlab::engine::grid_points(3, 4).is_err());
}

#[test]
fn squared_features_let_logistic_regression_learn_the_circle() {
    let d = data(DatasetKind::Circle, 0.05);
    let logistic = Architecture {
        inputs: 2,
        hidden: vec![],
        outputs: 1,
        activation: Activation::Linear,
        loss: Loss::BinaryCrossEntropy,
    };
    let accuracy = |features: Vec<Feature>| {
        let spec = TrainSpec {
            features,
            ..spec(300, Optimizer::adam(), None)
        };
        let r = train_batch(&logistic, &spec, &d, &[NetHyper::new(0.1, 1)]).unwrap();
        let last = r.networks[0].curve.last().unwrap().clone();
        (last.train_accuracy.unwrap(), last.test_accuracy.unwrap())
    };
    // The circle is not linearly separable in (x1, x2)...
    let (train, test) = accuracy(vec![Feature::X1, Feature::X2]);
    assert!(train < 0.75 && test < 0.75, "linear: {train} / {test}");
    // ...the same points are, in (x1^2, x2^2): inside is x1^2 + x2^2 < 0.36.
    let (train, test) = accuracy(vec![Feature::X1Squared, Feature::X2Squared]);
    assert!(train > 0.95 && test > 0.95, "squared: {train} / {test}");
    // No features is the raw inputs: the same training, bit for bit.
    let raw = train_batch(
        &logistic,
        &spec(30, Optimizer::adam(), None),
        &d,
        &[NetHyper::new(0.1, 1)],
    )
    .unwrap();
    let identity = TrainSpec {
        features: vec![Feature::X1, Feature::X2],
        ..spec(30, Optimizer::adam(), None)
    };
    let same = train_batch(&logistic, &identity, &d, &[NetHyper::new(0.1, 1)]).unwrap();
    assert_eq!(raw, same);
}

#[test]
fn features_are_checked_against_the_data_and_the_architecture() {
    let sine = data(DatasetKind::Sine, 0.05);
    let one_input = Architecture {
        inputs: 1,
        hidden: vec![4],
        outputs: 1,
        activation: Activation::Tanh,
        loss: Loss::Mse,
    };
    let with = |features: Vec<Feature>| TrainSpec {
        features,
        grid: Some(GridSpec {
            resolution: 8,
            epochs: vec![0, 5],
            units: true,
        }),
        ..spec(5, Optimizer::adam(), None)
    };
    let one = [NetHyper::new(0.01, 1)];
    // x2 of 1-D data: an error, from transform and from train_batch.
    assert!(matches!(
        conceptlab::engine::transform(&[Feature::X2], sine.train_x.view()),
        Err(EngineError::Unsupported(_))
    ));
    assert!(matches!(
        train_batch(&one_input, &with(vec![Feature::X2]), &sine, &one),
        Err(EngineError::Unsupported(_))
    ));
    // Two features for a one-input network.
    assert!(matches!(
        train_batch(
            &one_input,
            &with(vec![Feature::X1, Feature::SinX1]),
            &sine,
            &one
        ),
        Err(EngineError::ShapeMismatch { .. })
    ));
    // Features of x1 alone on 1-D data: a 1-D grid over the raw x, transformed.
    let two = Architecture {
        inputs: 2,
        ..one_input.clone()
    };
    let r = train_batch(
        &two,
        &with(vec![Feature::SinX1, Feature::X1Squared]),
        &sine,
        &one,
    )
    .unwrap();
    let g = &r.networks[0].grids[1];
    assert_eq!(g.values.len(), 8);
    assert_eq!(g.units.len(), 4 * 8);
    let raw = conceptlab::engine::grid_points(1, 8).unwrap();
    let points =
        conceptlab::engine::transform(&[Feature::SinX1, Feature::X1Squared], raw.view()).unwrap();
    let p = predict_batch(
        &two,
        std::slice::from_ref(&r.networks[0].params),
        points.view(),
        KernelChoice::Auto,
    )
    .unwrap();
    assert_eq!(p.as_slice().unwrap(), &g.values[..]);
}
