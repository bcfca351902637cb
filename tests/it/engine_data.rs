//! The spec's check values: SplitMix64, the two-spirals dataset, Glorot initialization and
//! learning rates reproduce the shared workloads bit for bit; and the other datasets are
//! seeded, labelled and split as documented.

use conceptlab::engine::workloads::{self, learning_rate, spec_spirals};
use conceptlab::engine::{Dataset, DatasetKind, DatasetSpec, EngineError, Params, SplitMix64};

#[test]
fn splitmix64_matches_the_spec_check_values() {
    let mut r = SplitMix64::new(0);
    assert_eq!(r.next_u64(), 0xe220a8397b1dcdaf);
    assert_eq!(r.next_u64(), 0x6e789e6aa1b965f4);
    let mut r = SplitMix64::new(42);
    assert_eq!(r.next_u64(), 0xbdd732262feb6e95);
    assert_eq!(r.next_u64(), 0x28efe333b266f103);
    assert_eq!(SplitMix64::new(42).uniform(), 0.7415648787718233);
}

fn spiral_bytes(data: &Dataset) -> Vec<u8> {
    data.train_x.iter().flat_map(|v| v.to_le_bytes()).collect()
}

fn abs_sum(data: &Dataset) -> f64 {
    data.train_x.iter().map(|&v| (v as f64).abs()).sum()
}

#[test]
fn two_spirals_of_1000_points_match_the_spec() {
    let d = Dataset::generate(&spec_spirals(1000)).unwrap();
    assert_eq!(d.train_x.dim(), (1000, 2));
    assert_eq!(d.test_x.nrows(), 0);
    assert_eq!(d.train_x[[0, 0]], 0.009662595577538013_f64 as f32);
    assert_eq!(d.train_x[[0, 1]], -0.01360358390957117_f64 as f32);
    assert_eq!(d.train_x[[999, 0]], 0.9873645305633545_f64 as f32);
    assert_eq!(d.train_x[[999, 1]], 0.04086669534444809_f64 as f32);
    assert!((abs_sum(&d) - 635.9380977576802).abs() < 1e-9);
    assert!(sha256_hex(&spiral_bytes(&d)).starts_with("a4b7af38d5ebe94b"));
    // Class 0 (label 1) first; balanced.
    assert_eq!(d.train_y[[0, 0]], 1.0);
    assert_eq!(d.train_y[[999, 0]], 0.0);
    assert_eq!(d.train_y.sum(), 500.0);
}

#[test]
fn two_spirals_of_4096_points_match_the_spec() {
    let d = Dataset::generate(&spec_spirals(4096)).unwrap();
    assert_eq!(d.train_x[[4095, 0]], 0.9920127391815186_f64 as f32);
    assert_eq!(d.train_x[[4095, 1]], 0.013314524665474892_f64 as f32);
    assert!((abs_sum(&d) - 2608.457689764098).abs() < 1e-9);
    assert!(sha256_hex(&spiral_bytes(&d)).starts_with("c2ed1b15eeb15152"));
}

#[test]
fn glorot_initialization_matches_the_spec() {
    let w1 = workloads::w1();
    let net0 = Params::glorot(&w1.arch, w1.hypers[0].seed);
    let expected = [
        -0.30617591738700867,
        0.36300432682037354,
        0.31571048498153687,
        -0.21959242224693298,
    ];
    for (j, &e) in expected.iter().enumerate() {
        assert_eq!(net0.layers[0].weights[j], e as f32, "W1[0][{j}]");
    }
    assert!(
        net0.layers
            .iter()
            .all(|l| l.biases.iter().all(|&b| b == 0.0))
    );
    let net255 = Params::glorot(&w1.arch, w1.hypers[255].seed);
    let expected = [
        0.44657349586486816,
        -0.41497308015823364,
        0.12813332676887512,
    ];
    for (i, &e) in expected.iter().enumerate() {
        // W3 is [16][1]: row i, column 0.
        assert_eq!(net255.layers[2].weights[i], e as f32, "W3[{i}][0]");
    }
    let w2 = workloads::w2();
    let net0 = Params::glorot(&w2.arch, w2.hypers[0].seed);
    let expected = [
        -0.11392934620380402,
        0.1350754350423813,
        0.11747720092535019,
        -0.08171126246452332,
    ];
    for (j, &e) in expected.iter().enumerate() {
        assert_eq!(
            net0.layers[0].weights[j], e as f32,
            "W2 workload W1[0][{j}]"
        );
    }
}

#[test]
fn learning_rates_are_log_uniform_from_1e_3_to_1e_1() {
    assert_eq!(learning_rate(0, 256), 1e-3);
    assert_eq!(learning_rate(255, 256), 0.1);
    assert_eq!(
        learning_rate(128, 256),
        10f64.powf(-3.0 + 256.0 / 255.0) as f32
    );
    let w1 = workloads::w1();
    assert_eq!(w1.hypers.len(), 256);
    assert_eq!(w1.hypers[17].seed, 1017);
    assert_eq!(w1.flops, 233.472e9);
    assert_eq!(workloads::w2().flops, 6.0 * 4096.0 * 16768.0 * 16.0 * 200.0);
}

#[test]
fn w3_grid_is_row_major_over_the_unit_square() {
    let g = workloads::w3_grid();
    assert_eq!(g.dim(), (16384, 2));
    assert_eq!((g[[0, 0]], g[[0, 1]]), (-1.0, -1.0));
    assert_eq!((g[[1, 0]], g[[1, 1]]), ((-1.0 + 2.0 / 127.0) as f32, -1.0));
    assert_eq!(
        (g[[128, 0]], g[[128, 1]]),
        (-1.0, (-1.0 + 2.0 / 127.0) as f32)
    );
    assert_eq!((g[[16383, 0]], g[[16383, 1]]), (1.0, 1.0));
}

fn spec(kind: DatasetKind) -> DatasetSpec {
    DatasetSpec {
        kind,
        n: 400,
        noise: 0.05,
        seed: 9,
        test_fraction: 0.25,
    }
}

#[test]
fn every_dataset_is_seeded_split_and_labelled() {
    let kinds = [
        DatasetKind::Circle,
        DatasetKind::Xor,
        DatasetKind::Blobs { classes: 2 },
        DatasetKind::Blobs { classes: 3 },
        DatasetKind::TwoSpirals,
        DatasetKind::Moons,
        DatasetKind::Linear,
        DatasetKind::Sine,
    ];
    for kind in kinds {
        let a = Dataset::generate(&spec(kind)).unwrap();
        let b = Dataset::generate(&spec(kind)).unwrap();
        assert_eq!(a, b, "{kind:?} is not deterministic");
        let c = Dataset::generate(&DatasetSpec {
            seed: 10,
            ..spec(kind)
        })
        .unwrap();
        assert_ne!(a.train_x, c.train_x, "{kind:?} ignores the seed");
        assert_eq!(
            (a.train_x.nrows(), a.test_x.nrows()),
            (300, 100),
            "{kind:?} split"
        );
        assert!(
            a.train_x.iter().all(|v| v.abs() < 2.0),
            "{kind:?} leaves the unit box"
        );
        let regression = matches!(kind, DatasetKind::Linear | DatasetKind::Sine);
        assert_eq!(a.inputs(), if regression { 1 } else { 2 });
        if !regression {
            // Every row's targets are a 0/1 label or a one-hot row; classes are balanced.
            let all = ndarray::concatenate![ndarray::Axis(0), a.train_y, a.test_y];
            assert!(all.iter().all(|&v| v == 0.0 || v == 1.0));
            if all.ncols() == 1 {
                assert!(
                    (all.sum() - 200.0).abs() <= 1.0,
                    "{kind:?} unbalanced: {}",
                    all.sum()
                );
            } else {
                assert!(all.rows().into_iter().all(|r| r.sum() == 1.0));
            }
        }
    }
}

#[test]
fn xor_labels_follow_the_quadrant_and_sine_follows_the_curve() {
    let xor = Dataset::generate(&DatasetSpec {
        noise: 0.0,
        ..spec(DatasetKind::Xor)
    })
    .unwrap();
    for (x, y) in xor.train_x.rows().into_iter().zip(xor.train_y.rows()) {
        assert_eq!(y[0], if x[0] * x[1] > 0.0 { 1.0 } else { 0.0 });
    }
    let sine = Dataset::generate(&DatasetSpec {
        noise: 0.0,
        ..spec(DatasetKind::Sine)
    })
    .unwrap();
    for (x, y) in sine.train_x.iter().zip(sine.train_y.iter()) {
        assert!((y - (std::f32::consts::PI * x).sin()).abs() < 1e-5);
    }
}

#[test]
fn bad_dataset_specs_are_errors() {
    let odd = DatasetSpec {
        n: 7,
        ..spec(DatasetKind::TwoSpirals)
    };
    assert!(matches!(
        Dataset::generate(&odd),
        Err(EngineError::InvalidParameter { name: "n", .. })
    ));
    let empty = DatasetSpec {
        n: 0,
        ..spec(DatasetKind::Xor)
    };
    assert_eq!(
        Dataset::generate(&empty),
        Err(EngineError::ZeroSize("dataset size n"))
    );
    let all_test = DatasetSpec {
        test_fraction: 1.0,
        ..spec(DatasetKind::Xor)
    };
    assert!(Dataset::generate(&all_test).is_err());
    let noise = DatasetSpec {
        noise: -1.0,
        ..spec(DatasetKind::Xor)
    };
    assert!(Dataset::generate(&noise).is_err());
    let one_class = spec(DatasetKind::Blobs { classes: 1 });
    assert!(Dataset::generate(&one_class).is_err());
}

/// SHA-256 (FIPS 180-4), enough to check the spec's dataset digests.
fn sha256_hex(data: &[u8]) -> String {
    const K: [u32; 64] = [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4,
        0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe,
        0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f,
        0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7,
        0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc,
        0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
        0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116,
        0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
        0xc67178f2,
    ];
    let mut h: [u32; 8] = [
        0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab,
        0x5be0cd19,
    ];
    let mut msg = data.to_vec();
    msg.push(0x80);
    while msg.len() % 64 != 56 {
        msg.push(0);
    }
    msg.extend_from_slice(&((data.len() as u64) * 8).to_be_bytes());
    for block in msg.chunks(64) {
        let mut w = [0u32; 64];
        for i in 0..16 {
            w[i] = u32::from_be_bytes(block[4 * i..4 * i + 4].try_into().unwrap());
        }
        for i in 16..64 {
            let s0 = w[i - 15].rotate_right(7) ^ w[i - 15].rotate_right(18) ^ (w[i - 15] >> 3);
            let s1 = w[i - 2].rotate_right(17) ^ w[i - 2].rotate_right(19) ^ (w[i - 2] >> 10);
            w[i] = w[i - 16]
                .wrapping_add(s0)
                .wrapping_add(w[i - 7])
                .wrapping_add(s1);
        }
        let mut v = h;
        for i in 0..64 {
            let s1 = v[4].rotate_right(6) ^ v[4].rotate_right(11) ^ v[4].rotate_right(25);
            let ch = (v[4] & v[5]) ^ (!v[4] & v[6]);
            let t1 = v[7]
                .wrapping_add(s1)
                .wrapping_add(ch)
                .wrapping_add(K[i])
                .wrapping_add(w[i]);
            let s0 = v[0].rotate_right(2) ^ v[0].rotate_right(13) ^ v[0].rotate_right(22);
            let maj = (v[0] & v[1]) ^ (v[0] & v[2]) ^ (v[1] & v[2]);
            let t2 = s0.wrapping_add(maj);
            v = [
                t1.wrapping_add(t2),
                v[0],
                v[1],
                v[2],
                v[3].wrapping_add(t1),
                v[4],
                v[5],
                v[6],
            ];
        }
        for (a, b) in h.iter_mut().zip(v) {
            *a = a.wrapping_add(b);
        }
    }
    h.iter().map(|x| format!("{x:08x}")).collect()
}

#[test]
fn sha256_helper_is_correct() {
    assert_eq!(
        sha256_hex(b"abc"),
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    );
}
