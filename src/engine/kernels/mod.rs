//! SIMD kernels of the fast path, chosen at run time by CPU feature.
//!
//! Owns: the [`Simd`] vocabulary (one impl per instruction set: `scalar.rs`, `avx2.rs`,
//! `avx512.rs`, and `lanes8.rs`, AVX2's arithmetic in plain Rust), the generic blocked loops over it (`dense.rs`: dense layers, activations,
//! loss gradients, weight gradients; `forward.rs`: the forward-only pass of predictions,
//! the same arithmetic laid out for many points), and the dispatch from an [`Isa`] to the
//! instance compiled for that instruction set. Must never allocate inside a pass, touch rayon, or
//! decide anything about training: it computes one network's gradients or predictions.
//!
//! Safety: the passes index their buffers with raw pointers, for speed and because the
//! intrinsics take them. The functions here are the only way in, and they check what the
//! pointer arithmetic relies on ([`check_fit`]: the workspace and the parameter and
//! gradient slices match the network's layout) before any `unsafe` code runs; every
//! `unsafe fn` below says in a `# Safety` section what its caller must guarantee, every
//! `unsafe` block says in a `SAFETY:` comment why that holds there (clippy's
//! `undocumented_unsafe_blocks` is denied here), and the unsafe functions
//! `debug_assert!` their sizes and bounds. The scalar instance runs under Miri in CI on a
//! small network (see `docs/engine.md`, "Kernel safety").
//!
//! Layout: a pass works on a chunk of at most [`CHUNK`] points, feature-major
//! (`values[unit][point]`), so vector lanes run across points and are full whatever the
//! layer widths are. Every reduction runs in a fixed order (lanes, then chunks in order),
//! so results depend only on the instruction set, never on threads.

#![deny(clippy::undocumented_unsafe_blocks, clippy::missing_safety_doc)]

mod dense;
mod forward;
mod lanes8;
mod scalar;

#[cfg(target_arch = "x86_64")]
mod avx2;
#[cfg(target_arch = "x86_64")]
mod avx512;

use serde::{Deserialize, Serialize};

use super::activation::Activation;
use super::loss::Loss;
use super::network::FlatLayout;

pub(crate) use dense::Workspace;
pub(crate) use forward::Columns;

/// Points per chunk: one 4-vector register tile of 16 lanes (a multiple of every vector
/// width). Measured on W1/W2: 64 beats 32 (too little reuse per tile) and 128-1024 (a
/// chunk of a 128-wide layer no longer stays in L1 between the passes that read it).
pub const CHUNK: usize = 64;

/// An instruction set a kernel is compiled for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Isa {
    /// Plain Rust, one lane: the fallback every machine has.
    Scalar,
    /// 8 lanes, AVX2 + FMA.
    Avx2,
    /// 16 lanes, AVX-512F (+DQ).
    Avx512,
    /// 8 lanes in plain Rust, rounding exactly as [`Isa::Avx2`] does: every machine has
    /// it, and it trains the same bits as AVX2 (more slowly where FMA is a library call).
    Lanes8,
}

impl Isa {
    /// The widest instruction set this CPU supports.
    pub fn detect() -> Isa {
        if Isa::Avx512.is_available() {
            Isa::Avx512
        } else if Isa::Avx2.is_available() {
            Isa::Avx2
        } else {
            Isa::Scalar
        }
    }

    /// Whether this CPU can run kernels of this instruction set.
    pub fn is_available(self) -> bool {
        match self {
            Isa::Scalar | Isa::Lanes8 => true,
            #[cfg(target_arch = "x86_64")]
            Isa::Avx2 => is_x86_feature_detected!("avx2") && is_x86_feature_detected!("fma"),
            #[cfg(target_arch = "x86_64")]
            Isa::Avx512 => {
                is_x86_feature_detected!("avx512f")
                    && is_x86_feature_detected!("avx512dq")
                    && is_x86_feature_detected!("avx2")
                    && is_x86_feature_detected!("fma")
            }
            #[cfg(not(target_arch = "x86_64"))]
            _ => false,
        }
    }

    /// Every instruction set this CPU can run, narrowest first.
    pub fn all_available() -> Vec<Isa> {
        [Isa::Scalar, Isa::Lanes8, Isa::Avx2, Isa::Avx512]
            .into_iter()
            .filter(|i| i.is_available())
            .collect()
    }

    /// The given choice if the CPU has it, else the widest one it has.
    pub(crate) fn or_detect(choice: Option<Isa>) -> Isa {
        match choice {
            Some(isa) if isa.is_available() => isa,
            _ => Isa::detect(),
        }
    }
}

/// One instruction set's vector of f32 lanes and the operations the kernels use.
///
/// # Safety
/// Every method uses intrinsics of the implementation's instruction set: call it only
/// from a function compiled for that set (the `#[target_feature]` entry points of each ISA
/// module, or anywhere for [`scalar`]'s) on a CPU that has it. Methods that take pointers
/// say what they must point at.
pub(crate) trait Simd {
    const LANES: usize;
    type V: Copy;
    /// Every lane set to `v`.
    ///
    /// # Safety
    /// The trait's: a CPU with the instruction set.
    unsafe fn splat(v: f32) -> Self::V;
    /// `LANES` floats from `p`, unaligned.
    ///
    /// # Safety
    /// The trait's, and `p` must be valid for reading `LANES` floats.
    unsafe fn load(p: *const f32) -> Self::V;
    /// `v` into the `LANES` floats at `p`, unaligned.
    ///
    /// # Safety
    /// The trait's, and `p` must be valid for writing `LANES` floats.
    unsafe fn store(p: *mut f32, v: Self::V);
    /// # Safety
    /// The trait's: a CPU with the instruction set.
    unsafe fn add(a: Self::V, b: Self::V) -> Self::V;
    /// # Safety
    /// The trait's: a CPU with the instruction set.
    unsafe fn sub(a: Self::V, b: Self::V) -> Self::V;
    /// # Safety
    /// The trait's: a CPU with the instruction set.
    unsafe fn mul(a: Self::V, b: Self::V) -> Self::V;
    /// a * b + c (fused where the ISA has it).
    ///
    /// # Safety
    /// The trait's: a CPU with the instruction set.
    unsafe fn fma(a: Self::V, b: Self::V, c: Self::V) -> Self::V;
    /// a / b, exactly rounded: an ISA's reciprocal estimate (`rcpps`, `vrcp14ps`) is not
    /// the same on every CPU, and the trained numbers must be.
    ///
    /// # Safety
    /// The trait's: a CPU with the instruction set.
    unsafe fn div_fast(a: Self::V, b: Self::V) -> Self::V;
    /// # Safety
    /// The trait's: a CPU with the instruction set.
    unsafe fn min(a: Self::V, b: Self::V) -> Self::V;
    /// # Safety
    /// The trait's: a CPU with the instruction set.
    unsafe fn max(a: Self::V, b: Self::V) -> Self::V;
    /// Per lane: `if a > 0 { x } else { y }`.
    ///
    /// # Safety
    /// The trait's: a CPU with the instruction set.
    unsafe fn select_positive(a: Self::V, x: Self::V, y: Self::V) -> Self::V;
    /// Sum of the lanes, in a fixed order.
    ///
    /// # Safety
    /// The trait's: a CPU with the instruction set.
    unsafe fn sum(v: Self::V) -> f32;
    /// Transposes a LANES x LANES block: `dst[j * dst_stride + i] = src[i * src_stride + j]`.
    ///
    /// # Safety
    /// The trait's, and `src` must be valid for reading `LANES` rows of `LANES` floats
    /// `src_stride` floats apart, `dst` for writing as many `dst_stride` apart, and the two
    /// blocks must not overlap.
    unsafe fn transpose(src: *const f32, src_stride: usize, dst: *mut f32, dst_stride: usize);
}

/// What a kernel needs to know about the networks of a batch.
pub(crate) struct NetShape<'a> {
    pub layout: &'a FlatLayout,
    pub activation: Activation,
    pub loss: Loss,
}

/// Points of a dataset, row-major `x[n][inputs]`, `y[n][outputs]`.
pub(crate) struct Points<'a> {
    pub x: &'a [f32],
    pub y: &'a [f32],
}

/// Adds to `grads` the gradient of the mean loss over the points `rows` (flat layout).
pub(crate) fn accumulate_gradients(
    isa: Isa,
    ws: &mut Workspace,
    shape: &NetShape,
    params: &[f32],
    grads: &mut [f32],
    points: &Points,
    rows: &[usize],
) {
    assert!(
        isa.is_available(),
        "kernel for {isa:?} called on a CPU without it"
    );
    check_fit(ws, shape, params);
    assert_eq!(grads.len(), params.len(), "gradients of another layout");
    match isa {
        // SAFETY: the workspace and slices fit the layout (asserted above).
        Isa::Scalar => unsafe {
            scalar::accumulate_gradients(ws, shape, params, grads, points, rows)
        },
        // SAFETY: as above.
        Isa::Lanes8 => unsafe {
            lanes8::accumulate_gradients(ws, shape, params, grads, points, rows)
        },
        // SAFETY: the CPU supports the instruction set, and the workspace and slices fit
        // the layout (both asserted above).
        #[cfg(target_arch = "x86_64")]
        Isa::Avx2 => unsafe { avx2::accumulate_gradients(ws, shape, params, grads, points, rows) },
        // SAFETY: as above.
        #[cfg(target_arch = "x86_64")]
        Isa::Avx512 => unsafe {
            avx512::accumulate_gradients(ws, shape, params, grads, points, rows)
        },
        #[cfg(not(target_arch = "x86_64"))]
        _ => unreachable!(),
    }
}

/// Writes the predictions (identity, sigmoid or softmax of the logits) of the network at
/// every point of `x` into `out` (`[n][outputs]`), and with `units` every hidden unit's
/// activation into it (`[unit][n]`, layer 0's units first).
pub(crate) fn predict(
    isa: Isa,
    ws: &mut Workspace,
    shape: &NetShape,
    params: &[f32],
    x: &Columns,
    out: &mut [f32],
    units: Option<&mut [f32]>,
) {
    assert!(
        isa.is_available(),
        "kernel for {isa:?} called on a CPU without it"
    );
    check_fit(ws, shape, params);
    let shapes = &shape.layout.shapes;
    let (inputs, outputs) = (shapes[0].0, shapes[shapes.len() - 1].1);
    let n = x.len();
    assert_eq!(x.inputs(), inputs, "inputs of another width");
    assert_eq!(out.len(), n * outputs, "outputs of another size");
    if let Some(units) = &units {
        let hidden: usize = shapes[..shapes.len() - 1].iter().map(|s| s.1).sum();
        assert_eq!(units.len(), hidden * n, "hidden units of another size");
    }
    match isa {
        // SAFETY: the workspace and parameters fit the layout (asserted above).
        Isa::Scalar => unsafe { scalar::predict(ws, shape, params, x, out, units) },
        // SAFETY: as above.
        Isa::Lanes8 => unsafe { lanes8::predict(ws, shape, params, x, out, units) },
        // SAFETY: the CPU supports the instruction set, and the workspace and parameters
        // fit the layout (both asserted above).
        #[cfg(target_arch = "x86_64")]
        Isa::Avx2 => unsafe { avx2::predict(ws, shape, params, x, out, units) },
        // SAFETY: as above.
        #[cfg(target_arch = "x86_64")]
        Isa::Avx512 => unsafe { avx512::predict(ws, shape, params, x, out, units) },
        #[cfg(not(target_arch = "x86_64"))]
        _ => unreachable!(),
    }
}

/// Panics unless the workspace was made for `shape`'s layout and `params` holds exactly
/// its weights and biases: the passes index both with raw pointers by that layout. Two
/// comparisons per layer, once per call (a call trains one network on a batch).
fn check_fit(ws: &Workspace, shape: &NetShape, params: &[f32]) {
    assert!(ws.fits(shape.layout), "a workspace of another layout");
    assert_eq!(
        params.len(),
        shape.layout.len,
        "parameters of another layout"
    );
}

/// The kernels' vectorized tanh (a rational approximation), applied in place. Exposed so
/// its error against f64 tanh can be measured.
pub fn tanh_in_place(isa: Isa, values: &mut [f32]) {
    assert!(
        isa.is_available(),
        "kernel for {isa:?} called on a CPU without it"
    );
    match isa {
        Isa::Scalar => scalar::tanh_in_place(values),
        Isa::Lanes8 => lanes8::tanh_in_place(values),
        // SAFETY: the CPU supports the instruction set (asserted above).
        #[cfg(target_arch = "x86_64")]
        Isa::Avx2 => unsafe { avx2::tanh_in_place(values) },
        // SAFETY: as above.
        #[cfg(target_arch = "x86_64")]
        Isa::Avx512 => unsafe { avx512::tanh_in_place(values) },
        #[cfg(not(target_arch = "x86_64"))]
        _ => unreachable!(),
    }
}

/// Generates the entry points of one instruction set: each is the generic body of
/// `dense.rs` instantiated for that ISA's [`Simd`] impl, compiled with the ISA's target
/// features (`#[target_feature]`; none for the portable instances, `scalar` and `lanes8`).
macro_rules! entry_points {
    ($isa:ty) => {
        super::entry_points!(@with $isa,);
    };
    ($isa:ty, $($feature:literal),+) => {
        super::entry_points!(@with $isa, #[target_feature($(enable = $feature),*)]);
    };
    (@with $isa:ty, $(#[$features:meta])?) => {
        use super::dense;
        use super::{NetShape, Points, Workspace};

        /// # Safety
        /// The CPU must have the instruction set; `ws` must be made for `shape.layout`,
        /// and `params` and `grads` hold `shape.layout.len` floats each (`check_fit`).
        $(#[$features])?
        pub(super) unsafe fn accumulate_gradients(
            ws: &mut Workspace,
            shape: &NetShape,
            params: &[f32],
            grads: &mut [f32],
            points: &Points,
            rows: &[usize],
        ) {
            // SAFETY: compiled for the ISA's features (if any); the CPU and the sizes are this
            // function's contract.
            unsafe { dense::accumulate_gradients::<$isa>(ws, shape, params, grads, points, rows) }
        }

        /// # Safety
        /// The CPU must have the instruction set; `ws` must be made for `shape.layout`,
        /// and `params` hold `shape.layout.len` floats (`check_fit`).
        /// # Safety
        /// As `accumulate_gradients`, and `x` of the layout's input width.
        $(#[$features])?
        pub(super) unsafe fn predict(
            ws: &mut Workspace,
            shape: &NetShape,
            params: &[f32],
            x: &super::Columns,
            out: &mut [f32],
            units: Option<&mut [f32]>,
        ) {
            // SAFETY: as above.
            unsafe { super::forward::predict::<$isa>(ws, shape, params, x, out, units) }
        }

        /// # Safety
        /// As `predict`, with `x` row-major.
        #[cfg(test)]
        $(#[$features])?
        pub(super) unsafe fn predict_by_training_forward(
            ws: &mut Workspace,
            shape: &NetShape,
            params: &[f32],
            x: &[f32],
            out: &mut [f32],
            units: &mut [f32],
        ) {
            // SAFETY: as above.
            unsafe { dense::predict_by_training_forward::<$isa>(ws, shape, params, x, out, units) }
        }

        $(#[$features])?
        pub(super) fn tanh_in_place(values: &mut [f32]) {
            // SAFETY: compiled for the ISA's features (if any), and a `#[target_feature]`
            // function is only called where the CPU has them.
            unsafe { dense::tanh_in_place::<$isa>(values) }
        }
    };
}
use entry_points;

/// The scalar and portable 8-lane instances against a plain f64 forward and backward pass
/// on a small network, over two chunks with a partial one. Small enough to run under Miri,
/// which checks every raw-pointer access of the passes:
/// `cargo +nightly miri test --lib kernels::tests`.
#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::network::Architecture;

    /// 2 inputs, 3 tanh units, 1 output with binary cross-entropy; 70 points.
    fn case() -> (Architecture, Vec<f32>, Vec<f32>, Vec<f32>) {
        let arch = Architecture {
            inputs: 2,
            hidden: vec![3],
            outputs: 1,
            activation: Activation::Tanh,
            loss: Loss::BinaryCrossEntropy,
        };
        let params: Vec<f32> = (0..13).map(|i| ((i * 7 % 11) as f32 - 5.0) / 8.0).collect();
        let x: Vec<f32> = (0..140)
            .map(|i| ((i * 13 % 17) as f32 - 8.0) / 6.0)
            .collect();
        let y: Vec<f32> = (0..70).map(|p| (p % 3 == 0) as u8 as f32).collect();
        (arch, params, x, y)
    }

    fn net_shape<'a>(arch: &Architecture, layout: &'a FlatLayout) -> NetShape<'a> {
        NetShape {
            layout,
            activation: arch.activation,
            loss: arch.loss,
        }
    }

    /// Predictions and the gradient of the mean loss, in f64, from the flat layout
    /// (`W[i][j]` at `i * outputs + j`, then the biases, per layer).
    fn reference(params: &[f32], x: &[f32], y: &[f32]) -> (Vec<f64>, Vec<f64>) {
        let p = |i: usize| params[i] as f64;
        let (w1, b1, w2, b2) = (0, 6, 9, 12);
        let n = y.len();
        let mut predictions = Vec::new();
        let mut grads = vec![0.0; params.len()];
        for point in 0..n {
            let xs = [x[2 * point] as f64, x[2 * point + 1] as f64];
            let h: Vec<f64> = (0..3)
                .map(|j| {
                    (p(b1 + j) + (0..2).map(|i| p(w1 + i * 3 + j) * xs[i]).sum::<f64>()).tanh()
                })
                .collect();
            let z = p(b2) + (0..3).map(|i| p(w2 + i) * h[i]).sum::<f64>();
            let prediction = 1.0 / (1.0 + (-z).exp());
            predictions.push(prediction);
            let dz = (prediction - y[point] as f64) / n as f64;
            grads[b2] += dz;
            for i in 0..3 {
                grads[w2 + i] += h[i] * dz;
                let dh = p(w2 + i) * dz * (1.0 - h[i] * h[i]);
                grads[b1 + i] += dh;
                for k in 0..2 {
                    grads[w1 + k * 3 + i] += xs[k] * dh;
                }
            }
        }
        (predictions, grads)
    }

    #[test]
    fn portable_passes_match_a_plain_f64_pass() {
        for isa in [Isa::Scalar, Isa::Lanes8] {
            let (arch, params, x, y) = case();
            let layout = FlatLayout::new(&arch);
            assert_eq!(layout.len, params.len());
            let shape = net_shape(&arch, &layout);
            let (want_predictions, want_grads) = reference(&params, &x, &y);

            let mut ws = Workspace::new(&layout);
            let mut predictions = vec![0.0; y.len()];
            predict(
                isa,
                &mut ws,
                &shape,
                &params,
                &Columns::new(&x, 2),
                &mut predictions,
                None,
            );
            for (got, want) in predictions.iter().zip(&want_predictions) {
                assert!(
                    (*got as f64 - want).abs() < 1e-5,
                    "{isa:?}: prediction {got} != {want}"
                );
            }

            let mut grads = vec![0.0; params.len()];
            let rows: Vec<usize> = (0..y.len()).collect();
            let points = Points { x: &x, y: &y };
            accumulate_gradients(isa, &mut ws, &shape, &params, &mut grads, &points, &rows);
            for (i, (got, want)) in grads.iter().zip(&want_grads).enumerate() {
                assert!(
                    (*got as f64 - want).abs() < 1e-5,
                    "{isa:?}: gradient {i}: {got} != {want}"
                );
            }
        }
    }

    #[test]
    #[should_panic(expected = "parameters of another layout")]
    fn parameters_of_another_layout_are_refused_before_any_pointer_is_used() {
        let (arch, params, x, y) = case();
        let layout = FlatLayout::new(&arch);
        let shape = net_shape(&arch, &layout);
        let mut ws = Workspace::new(&layout);
        let mut out = vec![0.0; y.len()];
        predict(
            Isa::Scalar,
            &mut ws,
            &shape,
            &params[..12],
            &Columns::new(&x, 2),
            &mut out,
            None,
        );
    }

    #[test]
    #[should_panic(expected = "a workspace of another layout")]
    fn a_workspace_of_another_layout_is_refused() {
        let (arch, params, x, y) = case();
        let layout = FlatLayout::new(&arch);
        let wider = FlatLayout::new(&Architecture {
            hidden: vec![4],
            ..arch.clone()
        });
        let shape = net_shape(&arch, &layout);
        let mut ws = Workspace::new(&wider);
        let mut out = vec![0.0; y.len()];
        predict(
            Isa::Scalar,
            &mut ws,
            &shape,
            &params,
            &Columns::new(&x, 2),
            &mut out,
            None,
        );
    }

    /// The training forward's predictions and hidden activations by `isa` (the reference
    /// the prediction path must match bit for bit).
    fn by_training_forward(
        isa: Isa,
        shape: &NetShape,
        params: &[f32],
        x: &[f32],
    ) -> (Vec<f32>, Vec<f32>) {
        let shapes = &shape.layout.shapes;
        let n = x.len() / shapes[0].0;
        let hidden: usize = shapes[..shapes.len() - 1].iter().map(|s| s.1).sum();
        let mut ws = Workspace::new(shape.layout);
        let mut out = vec![0.0; n * shapes[shapes.len() - 1].1];
        let mut units = vec![0.0; hidden * n];
        assert!(isa.is_available() && ws.fits(shape.layout));
        assert_eq!(params.len(), shape.layout.len);
        match isa {
            // SAFETY: the workspace and parameters fit the layout (asserted above).
            Isa::Scalar => unsafe {
                scalar::predict_by_training_forward(&mut ws, shape, params, x, &mut out, &mut units)
            },
            // SAFETY: as above.
            Isa::Lanes8 => unsafe {
                lanes8::predict_by_training_forward(&mut ws, shape, params, x, &mut out, &mut units)
            },
            // SAFETY: as above, and the CPU has the instruction set (asserted above).
            #[cfg(target_arch = "x86_64")]
            Isa::Avx2 => unsafe {
                avx2::predict_by_training_forward(&mut ws, shape, params, x, &mut out, &mut units)
            },
            // SAFETY: as above.
            #[cfg(target_arch = "x86_64")]
            Isa::Avx512 => unsafe {
                avx512::predict_by_training_forward(&mut ws, shape, params, x, &mut out, &mut units)
            },
            #[cfg(not(target_arch = "x86_64"))]
            _ => unreachable!(),
        }
        (out, units)
    }

    /// The prediction path (`forward.rs`: inputs read in place, narrow layers activated as
    /// they are computed, activation passes side by side, a narrow output layer fused into
    /// the last activation pass) gives exactly what the training forward gives: every
    /// activation and loss, layers that take each branch, whole and partial chunks, and
    /// parameters large enough to overflow (inf and NaN on the way).
    #[test]
    fn predictions_are_the_training_forward_bit_for_bit() {
        let cases: [(usize, Vec<usize>, usize, Activation, Loss); 8] = [
            (
                2,
                vec![16, 16],
                1,
                Activation::Tanh,
                Loss::BinaryCrossEntropy,
            ),
            (2, vec![5], 1, Activation::Relu, Loss::BinaryCrossEntropy),
            (3, vec![7, 9], 2, Activation::Sigmoid, Loss::Mse),
            (1, vec![8, 24, 8], 1, Activation::LeakyRelu, Loss::Mse),
            (2, vec![6], 3, Activation::Tanh, Loss::SoftmaxCrossEntropy),
            (5, vec![], 1, Activation::Linear, Loss::BinaryCrossEntropy),
            (
                7,
                vec![12, 3],
                1,
                Activation::Tanh,
                Loss::BinaryCrossEntropy,
            ),
            (2, vec![4, 20], 2, Activation::Linear, Loss::Mse),
        ];
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut draw = |scale: f32| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            ((seed >> 40) as f32 / (1u64 << 24) as f32 * 2.0 - 1.0) * scale
        };
        for (inputs, hidden, outputs, activation, loss) in cases {
            let arch = Architecture {
                inputs,
                hidden,
                outputs,
                activation,
                loss,
            };
            let layout = FlatLayout::new(&arch);
            let shape = net_shape(&arch, &layout);
            // Under Miri (slow), a whole chunk is left out.
            let runs: &[(f32, usize)] = if cfg!(miri) {
                &[(1.5, 1), (1e20, 37)]
            } else {
                &[(1.5, 1), (1.5, 37), (2.0, 130), (1e20, 70)]
            };
            for &(scale, n) in runs {
                let params: Vec<f32> = (0..layout.len).map(|_| draw(scale)).collect();
                let x: Vec<f32> = (0..n * inputs).map(|_| draw(1.0)).collect();
                let columns = Columns::new(&x, inputs);
                // Under Miri, the scalar instance only: the portable 8-lane one's pointer
                // accesses are checked by the test above, at half the (long) Miri time.
                let isas = Isa::all_available()
                    .into_iter()
                    .filter(|&isa| !cfg!(miri) || isa == Isa::Scalar);
                for isa in isas {
                    let (want, want_units) = by_training_forward(isa, &shape, &params, &x);
                    let mut ws = Workspace::new(&layout);
                    let mut got = vec![0.0; want.len()];
                    let mut units = vec![0.0; want_units.len()];
                    predict(
                        isa,
                        &mut ws,
                        &shape,
                        &params,
                        &columns,
                        &mut got,
                        Some(&mut units),
                    );
                    let what = format!("{isa:?} {arch:?} n={n} scale={scale}");
                    // Bit for bit. Under Miri, whose `exp` and `ln` are off by a few ulp at
                    // random and whose NaNs take a random sign, within a tolerance: there
                    // the point is that the unsafe code is sound.
                    let bits = |v: &[f32]| v.iter().map(|f| f.to_bits()).collect::<Vec<_>>();
                    let same = |a: &[f32], b: &[f32], part: &str| {
                        if cfg!(miri) {
                            assert_eq!(a.len(), b.len(), "{part}, {what}");
                            for (x, y) in a.iter().zip(b) {
                                let close = (x.is_nan() && y.is_nan())
                                    || x == y
                                    || (x - y).abs() <= 1e-4 * x.abs().max(y.abs()).max(1.0);
                                assert!(close, "{part}, {what}: {x} against {y}");
                            }
                        } else {
                            assert_eq!(bits(a), bits(b), "{part}, {what}");
                        }
                    };
                    same(&got, &want, "predictions");
                    same(&units, &want_units, "hidden units");
                    // And without the hidden units, the same predictions.
                    let mut plain = vec![0.0; want.len()];
                    predict(isa, &mut ws, &shape, &params, &columns, &mut plain, None);
                    same(&plain, &want, "predictions alone");
                }
            }
        }
    }

    #[test]
    fn scalar_tanh_is_within_a_few_ulp_of_f64_tanh() {
        let mut values: Vec<f32> = (-6..=6).map(|i| i as f32 * 0.75).collect();
        let want: Vec<f64> = values.iter().map(|&v| (v as f64).tanh()).collect();
        tanh_in_place(Isa::Scalar, &mut values);
        for (got, want) in values.iter().zip(&want) {
            assert!((*got as f64 - want).abs() < 1e-6, "{got} != {want}");
        }
    }
}
