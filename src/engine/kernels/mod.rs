//! SIMD kernels of the fast path, chosen at run time by CPU feature.
//!
//! Owns: the [`Simd`] vocabulary (one impl per instruction set: `scalar.rs`, `avx2.rs`,
//! `avx512.rs`), the generic blocked loops over it (`dense.rs`: dense layers, activations,
//! loss gradients, weight gradients), and the dispatch from an [`Isa`] to the instance
//! compiled for that instruction set. Must never allocate inside a pass, touch rayon, or
//! decide anything about training: it computes one network's gradients or predictions.
//!
//! Layout: a pass works on a chunk of at most [`CHUNK`] points, feature-major
//! (`values[unit][point]`), so vector lanes run across points and are full whatever the
//! layer widths are. Every reduction runs in a fixed order (lanes, then chunks in order),
//! so results depend only on the instruction set, never on threads.

mod dense;
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
            Isa::Scalar => true,
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
        [Isa::Scalar, Isa::Avx2, Isa::Avx512]
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
/// Implementations use intrinsics of their instruction set: call the methods only from a
/// function compiled for it (the `#[target_feature]` entry points of each ISA module) on a
/// CPU that has it; pointer arguments must be valid for `LANES` floats.
pub(crate) trait Simd {
    const LANES: usize;
    type V: Copy;
    unsafe fn splat(v: f32) -> Self::V;
    unsafe fn load(p: *const f32) -> Self::V;
    unsafe fn store(p: *mut f32, v: Self::V);
    unsafe fn add(a: Self::V, b: Self::V) -> Self::V;
    unsafe fn sub(a: Self::V, b: Self::V) -> Self::V;
    unsafe fn mul(a: Self::V, b: Self::V) -> Self::V;
    /// a * b + c (fused where the ISA has it).
    unsafe fn fma(a: Self::V, b: Self::V, c: Self::V) -> Self::V;
    /// a / b to within about one ulp: a reciprocal estimate refined by one Newton step
    /// where the ISA has one (a full-precision divide costs 5-10x more).
    unsafe fn div_fast(a: Self::V, b: Self::V) -> Self::V;
    unsafe fn min(a: Self::V, b: Self::V) -> Self::V;
    unsafe fn max(a: Self::V, b: Self::V) -> Self::V;
    /// Per lane: `if a > 0 { x } else { y }`.
    unsafe fn select_positive(a: Self::V, x: Self::V, y: Self::V) -> Self::V;
    /// Sum of the lanes, in a fixed order.
    unsafe fn sum(v: Self::V) -> f32;
    /// Transposes a LANES x LANES block: `dst[j * dst_stride + i] = src[i * src_stride + j]`.
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
    match isa {
        Isa::Scalar => scalar::accumulate_gradients(ws, shape, params, grads, points, rows),
        // SAFETY: the CPU supports the instruction set (asserted above).
        #[cfg(target_arch = "x86_64")]
        Isa::Avx2 => unsafe { avx2::accumulate_gradients(ws, shape, params, grads, points, rows) },
        #[cfg(target_arch = "x86_64")]
        Isa::Avx512 => unsafe {
            avx512::accumulate_gradients(ws, shape, params, grads, points, rows)
        },
        #[cfg(not(target_arch = "x86_64"))]
        _ => unreachable!(),
    }
}

/// Writes the predictions (identity, sigmoid or softmax of the logits) of the network at
/// every row of `x` (`[n][inputs]`) into `out` (`[n][outputs]`).
pub(crate) fn predict(
    isa: Isa,
    ws: &mut Workspace,
    shape: &NetShape,
    params: &[f32],
    x: &[f32],
    out: &mut [f32],
) {
    assert!(
        isa.is_available(),
        "kernel for {isa:?} called on a CPU without it"
    );
    match isa {
        Isa::Scalar => scalar::predict(ws, shape, params, x, out),
        // SAFETY: the CPU supports the instruction set (asserted above).
        #[cfg(target_arch = "x86_64")]
        Isa::Avx2 => unsafe { avx2::predict(ws, shape, params, x, out) },
        #[cfg(target_arch = "x86_64")]
        Isa::Avx512 => unsafe { avx512::predict(ws, shape, params, x, out) },
        #[cfg(not(target_arch = "x86_64"))]
        _ => unreachable!(),
    }
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
        // SAFETY: the CPU supports the instruction set (asserted above).
        #[cfg(target_arch = "x86_64")]
        Isa::Avx2 => unsafe { avx2::tanh_in_place(values) },
        #[cfg(target_arch = "x86_64")]
        Isa::Avx512 => unsafe { avx512::tanh_in_place(values) },
        #[cfg(not(target_arch = "x86_64"))]
        _ => unreachable!(),
    }
}

/// Generates the `#[target_feature]` entry points of one instruction set: each is the
/// generic body of `dense.rs` instantiated for that ISA's [`Simd`] impl.
macro_rules! entry_points {
    ($isa:ty, $($feature:literal),*) => {
        use super::dense;
        use super::{NetShape, Points, Workspace};

        #[target_feature($(enable = $feature),*)]
        pub(super) fn accumulate_gradients(
            ws: &mut Workspace,
            shape: &NetShape,
            params: &[f32],
            grads: &mut [f32],
            points: &Points,
            rows: &[usize],
        ) {
            // SAFETY: this function is compiled for the ISA's features and only called
            // after the CPU was checked for them.
            unsafe { dense::accumulate_gradients::<$isa>(ws, shape, params, grads, points, rows) }
        }

        #[target_feature($(enable = $feature),*)]
        pub(super) fn predict(ws: &mut Workspace, shape: &NetShape, params: &[f32], x: &[f32], out: &mut [f32]) {
            // SAFETY: as above.
            unsafe { dense::predict::<$isa>(ws, shape, params, x, out) }
        }

        #[target_feature($(enable = $feature),*)]
        pub(super) fn tanh_in_place(values: &mut [f32]) {
            // SAFETY: as above.
            unsafe { dense::tanh_in_place::<$isa>(values) }
        }
    };
}
use entry_points;
