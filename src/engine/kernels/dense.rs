//! The blocked loops of the fast path, generic over an instruction set's [`Simd`].
//!
//! Every function is `#[inline(always)]` so it is compiled inside the `#[target_feature]`
//! entry point that instantiates it. Layout of a chunk of `P` points (P a multiple of the
//! lane count, points past `valid` are zero padding whose loss gradient is zero):
//! `x_t[input][p]`, `values[l][unit][p]` (hidden activations, then the output logits),
//! `dz[unit][p]` (loss gradient flowing back), `dz_points[p][unit]` (its transpose, for
//! weight gradients whose output width is a multiple of the lane count).
//!
//! The math, per layer l with input a (K units) and output z (N units):
//! forward `z[j][p] = b[j] + sum_i W[i][j] a[i][p]`, then the activation;
//! backward `gW[i][j] += sum_p a[i][p] dz[j][p]`, `gb[j] += sum_p dz[j][p]`,
//! `dz_prev[i][p] = f'(a[i][p]) * sum_j W[i][j] dz[j][p]`.
//!
//! It is one idea at about 850 lines, half of them the safety contracts of its raw-pointer
//! loops: the passes share the tile kernels, the layout constants and the workspace, and
//! split apart they would each need the others' invariants restated.
//!
//! Owns: the loops of the forward and backward passes, once for every instruction set.
//! Never does: check its inputs (the safe entry points in `mod.rs` do) or allocate inside a
//! pass.

// Register tiles are indexed by (row, vector) on purpose: fixed-trip index loops unroll
// into straight-line FMAs on named registers.
#![allow(clippy::needless_range_loop)]

use super::{CHUNK, NetShape, Points, Simd};
use crate::engine::activation::{Activation, LEAKY_SLOPE};
use crate::engine::loss::Loss;
use crate::engine::network::FlatLayout;

/// Row stride (floats) of the feature-major buffers: one chunk plus 16 floats. A
/// power-of-two stride would put every row's start in the same few L1 sets, and a
/// 128-unit layer's rows would evict each other (measured: W2 8% slower).
pub(super) const STRIDE: usize = CHUNK + 16;

/// Row stride of the point-major transpose of a layer of `n` units: padded likewise for
/// wide layers; narrow ones stay dense (padding 16-wide rows doubled their footprint and
/// cost W1 10%).
#[inline(always)]
fn points_stride(n: usize) -> usize {
    if n >= 64 { n + 16 } else { n }
}

/// Scratch memory of one network's passes (allocated once per network, reused).
pub(crate) struct Workspace {
    widths: Vec<usize>,
    /// Inputs and targets of every chunk of the batch, chunk after chunk.
    x_t: Vec<f32>,
    y_t: Vec<f32>,
    /// Rows gathered into `x_t`/`y_t` and still valid (0: none).
    gathered: usize,
    /// The chunk being computed.
    current: usize,
    /// Set when every call passes the same rows (full batch): the gather is done once.
    pub(crate) rows_fixed: bool,
    /// Each layer's outputs of the current chunk, `[unit][p]`, rows [`STRIDE`] apart.
    pub(super) values: Vec<Vec<f32>>,
    dz: Vec<f32>,
    dz_prev: Vec<f32>,
    dz_points: Vec<f32>,
}

impl Workspace {
    pub(crate) fn new(layout: &FlatLayout) -> Self {
        let mut widths = vec![layout.shapes[0].0];
        widths.extend(layout.shapes.iter().map(|s| s.1));
        let max_width = *widths.iter().max().expect("at least one layer");
        let outputs = *widths.last().expect("at least one layer");
        Self {
            x_t: vec![0.0; widths[0] * STRIDE],
            y_t: vec![0.0; outputs * STRIDE],
            gathered: 0,
            current: 0,
            rows_fixed: false,
            values: widths[1..].iter().map(|w| vec![0.0; w * STRIDE]).collect(),
            dz: vec![0.0; max_width * STRIDE],
            dz_prev: vec![0.0; max_width * STRIDE],
            dz_points: vec![0.0; points_stride(max_width) * CHUNK],
            widths,
        }
    }

    /// Whether this workspace was made for networks of `layout`'s shape: the passes
    /// index its buffers by the layout's widths.
    pub(crate) fn fits(&self, layout: &FlatLayout) -> bool {
        let widths = std::iter::once(layout.shapes.first().map(|s| s.0))
            .chain(layout.shapes.iter().map(|s| Some(s.1)));
        self.widths.len() == layout.shapes.len() + 1
            && self.values.len() == layout.shapes.len()
            && widths.zip(&self.widths).all(|(w, &mine)| w == Some(mine))
    }

    /// The current chunk's inputs (`[input][p]`) and targets (`[output][p]`).
    fn chunk_inputs(&self) -> *const f32 {
        self.x_t[self.current * self.widths[0] * STRIDE..].as_ptr()
    }

    fn chunk_targets(&self) -> *const f32 {
        let outputs = *self.widths.last().expect("widths");
        self.y_t[self.current * outputs * STRIDE..].as_ptr()
    }
}

/// What happens to a finished tile of the forward-type product before it is stored.
#[derive(Clone, Copy)]
enum Epilogue {
    /// Add the bias, apply the activation (forward).
    Activate(Activation),
    /// Multiply by the activation's derivative at the stored outputs `a` (backward).
    Derivative(Activation, *const f32),
}

/// The clamp of [`tanh`]: beyond it f32 tanh is already +-1.
const TANH_CLAMP: f32 = 7.905_311;
/// Numerator coefficients of [`tanh`] in x^2, highest power first (times x at the end).
const TANH_P: [f32; 7] = [
    -2.760_768_5e-16,
    2.000_188e-13,
    -8.604_672e-11,
    5.122_297e-8,
    1.485_722_4e-5,
    6.372_619_3e-4,
    4.893_524_6e-3,
];
/// Denominator coefficients of [`tanh`] in x^2, highest power first.
const TANH_Q: [f32; 4] = [1.198_258_4e-6, 1.185_347_1e-4, 2.268_434_7e-3, 4.893_525e-3];

/// Rational approximation of tanh (Eigen's 13/6 coefficients): odd, clamped where f32
/// tanh is already +-1; a few ulp of error (measured in the tests).
///
/// # Safety
/// `S`'s contract: a CPU with its instruction set.
#[inline(always)]
pub(super) unsafe fn tanh<S: Simd>(x: S::V) -> S::V {
    // SAFETY: only `S`'s operations on values; `S`'s contract is the caller's.
    unsafe {
        let x = S::max(S::min(x, S::splat(TANH_CLAMP)), S::splat(-TANH_CLAMP));
        let x2 = S::mul(x, x);
        let mut p = S::splat(TANH_P[0]);
        for &c in &TANH_P[1..] {
            p = S::fma(p, x2, S::splat(c));
        }
        p = S::mul(p, x);
        let mut q = S::splat(TANH_Q[0]);
        for &c in &TANH_Q[1..] {
            q = S::fma(q, x2, S::splat(c));
        }
        S::div_fast(p, q)
    }
}

/// [`tanh`] of `U` vectors in place, each operation applied to all of them before the
/// next: the same operations on every lane (so the same bits), as `U` independent chains
/// whose latencies overlap.
///
/// # Safety
/// `S`'s contract: a CPU with its instruction set.
#[inline(always)]
pub(super) unsafe fn tanh_n<S: Simd, const U: usize>(x: &mut [S::V; U]) {
    // SAFETY: only `S`'s operations on values; `S`'s contract is the caller's.
    unsafe {
        let mut x2 = [S::splat(0.0); U];
        for u in 0..U {
            x[u] = S::max(S::min(x[u], S::splat(TANH_CLAMP)), S::splat(-TANH_CLAMP));
            x2[u] = S::mul(x[u], x[u]);
        }
        let mut p = [S::splat(TANH_P[0]); U];
        let mut q = [S::splat(TANH_Q[0]); U];
        for (i, &c) in TANH_P[1..].iter().enumerate() {
            for u in 0..U {
                p[u] = S::fma(p[u], x2[u], S::splat(c));
            }
            if let Some(&d) = TANH_Q.get(i + 1) {
                for u in 0..U {
                    q[u] = S::fma(q[u], x2[u], S::splat(d));
                }
            }
        }
        for u in 0..U {
            x[u] = S::div_fast(S::mul(p[u], x[u]), q[u]);
        }
    }
}

/// sigmoid(x) = (1 + tanh(x / 2)) / 2: no exp, and the same accuracy as tanh.
///
/// # Safety
/// `S`'s contract: a CPU with its instruction set.
#[inline(always)]
pub(super) unsafe fn sigmoid<S: Simd>(x: S::V) -> S::V {
    // SAFETY: only `S`'s operations on values; `S`'s contract is the caller's.
    unsafe {
        let half = S::splat(0.5);
        S::fma(tanh::<S>(S::mul(x, half)), half, half)
    }
}

/// `activation(z)`.
///
/// # Safety
/// `S`'s contract: a CPU with its instruction set.
#[inline(always)]
pub(super) unsafe fn activate<S: Simd>(activation: Activation, z: S::V) -> S::V {
    // SAFETY: only `S`'s operations on values; `S`'s contract is the caller's.
    unsafe {
        match activation {
            Activation::Tanh => tanh::<S>(z),
            Activation::Sigmoid => sigmoid::<S>(z),
            Activation::Relu => S::max(z, S::splat(0.0)),
            // max(z, slope z) is leaky relu because 0 < slope < 1.
            Activation::LeakyRelu => S::max(z, S::mul(z, S::splat(LEAKY_SLOPE as f32))),
            Activation::Linear => z,
        }
    }
}

/// `activation` of `U` vectors in place (see [`tanh_n`]): the same bits as [`activate`].
///
/// # Safety
/// `S`'s contract: a CPU with its instruction set.
#[inline(always)]
pub(super) unsafe fn activate_n<S: Simd, const U: usize>(
    activation: Activation,
    z: &mut [S::V; U],
) {
    // SAFETY: only `S`'s operations on values; `S`'s contract is the caller's.
    unsafe {
        match activation {
            Activation::Tanh => tanh_n::<S, U>(z),
            Activation::Sigmoid => {
                let half = S::splat(0.5);
                for u in 0..U {
                    z[u] = S::mul(z[u], half);
                }
                tanh_n::<S, U>(z);
                for u in 0..U {
                    z[u] = S::fma(z[u], half, half);
                }
            }
            _ => {
                for u in 0..U {
                    z[u] = activate::<S>(activation, z[u]);
                }
            }
        }
    }
}

/// f'(z) from a = f(z), times `d`.
///
/// # Safety
/// `S`'s contract: a CPU with its instruction set.
#[inline(always)]
unsafe fn times_derivative<S: Simd>(activation: Activation, a: S::V, d: S::V) -> S::V {
    // SAFETY: only `S`'s operations on values; `S`'s contract is the caller's.
    unsafe {
        let one = S::splat(1.0);
        match activation {
            Activation::Tanh => S::mul(d, S::sub(one, S::mul(a, a))),
            Activation::Sigmoid => S::mul(d, S::mul(a, S::sub(one, a))),
            Activation::Relu => S::select_positive(a, d, S::splat(0.0)),
            Activation::LeakyRelu => {
                S::select_positive(a, d, S::mul(d, S::splat(LEAKY_SLOPE as f32)))
            }
            Activation::Linear => d,
        }
    }
}

/// Vectors per register tile: 4 x 4 accumulators fit AVX-512's 32 registers with room for
/// the operands, AVX2's 16 registers hold 4 x 2.
#[inline(always)]
fn wide<S: Simd>() -> usize {
    if S::LANES >= 16 { 4 } else { 2 }
}

/// One register tile of `out[r][p] = epilogue(sum_k w[r * w_out + k * w_red] in[k][p])`
/// for MR output rows and NR vectors of points.
///
/// # Safety
/// `S`'s contract, and: `w` valid for reading at `r * w_out + k * w_red` for every
/// `r < MR`, `k < reduce`; `inp` for reading `reduce` rows `stride` floats apart, each
/// `NR * LANES` floats long; `out` for writing `MR` rows like them; with
/// [`Epilogue::Activate`], `bias` for reading `MR` floats; with [`Epilogue::Derivative`],
/// its pointer for reading `MR` rows like `out`'s.
#[inline(always)]
#[allow(clippy::too_many_arguments)]
unsafe fn product_tile<S: Simd, const MR: usize, const NR: usize>(
    w: *const f32,
    w_out: usize,
    w_red: usize,
    reduce: usize,
    inp: *const f32,
    stride: usize,
    bias: *const f32,
    out: *mut f32,
    epilogue: Epilogue,
) {
    // SAFETY: the loads and stores are the rows and lanes this function's contract
    // vouches for.
    unsafe {
        let mut acc = [[S::splat(0.0); NR]; MR];
        if let Epilogue::Activate(_) = epilogue {
            for r in 0..MR {
                let b = S::splat(*bias.add(r));
                for v in 0..NR {
                    acc[r][v] = b;
                }
            }
        }
        for k in 0..reduce {
            let row = inp.add(k * stride);
            let mut x = [S::splat(0.0); NR];
            for v in 0..NR {
                x[v] = S::load(row.add(v * S::LANES));
            }
            let wk = w.add(k * w_red);
            for r in 0..MR {
                let wr = S::splat(*wk.add(r * w_out));
                for v in 0..NR {
                    acc[r][v] = S::fma(wr, x[v], acc[r][v]);
                }
            }
        }
        for r in 0..MR {
            for v in 0..NR {
                let at = r * stride + v * S::LANES;
                let result = match epilogue {
                    Epilogue::Activate(act) => activate::<S>(act, acc[r][v]),
                    Epilogue::Derivative(act, a) => {
                        times_derivative::<S>(act, S::load(a.add(at)), acc[r][v])
                    }
                };
                S::store(out.add(at), result);
            }
        }
    }
}

impl Epilogue {
    /// The same epilogue for a tile `offset` floats further into the chunk.
    ///
    /// # Safety
    /// With [`Epilogue::Derivative`], `offset` floats past its pointer must still be in
    /// the buffer it points into.
    #[inline(always)]
    unsafe fn at(self, offset: usize) -> Epilogue {
        match self {
            // SAFETY: the offset stays in the buffer (this function's contract).
            Epilogue::Derivative(act, a) => Epilogue::Derivative(act, unsafe { a.add(offset) }),
            e => e,
        }
    }
}

/// All tiles of a product over `rows` output rows and `vectors` point vectors. Point
/// blocks are the outer loop so a block's inputs (`reduce` rows x 4 vectors) stay in L1
/// while every output row is computed from them.
///
/// # Safety
/// As [`product_tile`] for `rows` output rows and `vectors` point vectors, with rows
/// [`STRIDE`] floats apart: `vectors * LANES` must not exceed [`STRIDE`].
#[inline(always)]
#[allow(clippy::too_many_arguments)]
unsafe fn product<S: Simd>(
    w: *const f32,
    w_out: usize,
    w_red: usize,
    rows: usize,
    reduce: usize,
    inp: *const f32,
    vectors: usize,
    bias: *const f32,
    out: *mut f32,
    epilogue: Epilogue,
) {
    debug_assert!(vectors * S::LANES <= STRIDE);
    // SAFETY: every tile below lies inside the `rows` x `vectors` block the caller vouches
    // for (this function's contract); `S`'s contract holds.
    unsafe {
        let stride = STRIDE;
        let mut v = 0;
        while v < vectors {
            let nr = if vectors - v >= wide::<S>() {
                wide::<S>()
            } else {
                1
            };
            let i = inp.add(v * S::LANES);
            let mut r = 0;
            while r < rows {
                let mr = if rows - r >= 4 { 4 } else { 1 };
                let (wr, br) = (w.add(r * w_out), bias.add(r));
                let at = r * stride + v * S::LANES;
                let (o, e) = (out.add(at), epilogue.at(at));
                match (mr, nr) {
                    (4, 4) => {
                        product_tile::<S, 4, 4>(wr, w_out, w_red, reduce, i, stride, br, o, e)
                    }
                    (4, 2) => {
                        product_tile::<S, 4, 2>(wr, w_out, w_red, reduce, i, stride, br, o, e)
                    }
                    (4, _) => {
                        product_tile::<S, 4, 1>(wr, w_out, w_red, reduce, i, stride, br, o, e)
                    }
                    (_, 4) => {
                        product_tile::<S, 1, 4>(wr, w_out, w_red, reduce, i, stride, br, o, e)
                    }
                    (_, 2) => {
                        product_tile::<S, 1, 2>(wr, w_out, w_red, reduce, i, stride, br, o, e)
                    }
                    _ => product_tile::<S, 1, 1>(wr, w_out, w_red, reduce, i, stride, br, o, e),
                }
                r += mr;
            }
            v += nr;
        }
    }
}

/// Forward pass of the chunk already in `ws.x_t`, `vectors` point vectors wide.
///
/// # Safety
/// `S`'s contract, and: `ws` made for `shape.layout` ([`Workspace::fits`]), `params`
/// holding `shape.layout.len` floats, and `vectors * LANES <= CHUNK`.
#[inline(always)]
unsafe fn forward<S: Simd>(ws: &mut Workspace, shape: &NetShape, params: &[f32], vectors: usize) {
    debug_assert!(ws.fits(shape.layout) && params.len() >= shape.layout.len);
    debug_assert!(vectors * S::LANES <= CHUNK);
    // SAFETY: each layer's weights and biases are inside `params`, its input and output
    // rows inside the workspace's buffers of the layout's widths, and the chunk inside a
    // row (this function's contract).
    unsafe {
        let layers = shape.layout.shapes.len();
        for l in 0..layers {
            let (k, n) = shape.layout.shapes[l];
            let w = params.as_ptr().add(shape.layout.weight_at[l]);
            let b = params.as_ptr().add(shape.layout.bias_at[l]);
            let act = if l + 1 == layers {
                Activation::Linear
            } else {
                shape.activation
            };
            let inp = if l == 0 {
                ws.chunk_inputs()
            } else {
                ws.values[l - 1].as_ptr()
            };
            let out = ws.values[l].as_mut_ptr();
            // z[j][p]: output j has weight stride 1, reduction i has stride n.
            product::<S>(w, 1, n, n, k, inp, vectors, b, out, Epilogue::Activate(act));
        }
    }
}

/// Loss gradient at the logits into `ws.dz` (rows = outputs), zero on padding.
///
/// # Safety
/// `S`'s contract, and: the forward pass of the current chunk done, `vectors` wide
/// (`vectors * LANES <= CHUNK`), with `valid <= vectors * LANES` real points.
#[inline(always)]
unsafe fn loss_gradient<S: Simd>(
    ws: &mut Workspace,
    loss: Loss,
    vectors: usize,
    valid: usize,
    scale: f32,
) {
    debug_assert!(vectors * S::LANES <= CHUNK && valid <= vectors * S::LANES);
    // SAFETY: the logits, targets and gradient rows are `outputs` rows of at least
    // `vectors * LANES` floats, `STRIDE` apart (this function's contract).
    unsafe {
        let outputs = *ws.widths.last().expect("widths");
        let z = ws.values.last().expect("an output layer").as_ptr();
        let y = ws.chunk_targets();
        let dz = ws.dz.as_mut_ptr();
        let width = vectors * S::LANES;
        match loss {
            Loss::BinaryCrossEntropy | Loss::Mse => {
                let s = if loss == Loss::Mse {
                    2.0 * scale / outputs as f32
                } else {
                    scale
                };
                let s = S::splat(s);
                for o in 0..outputs {
                    for v in 0..vectors {
                        let at = o * STRIDE + v * S::LANES;
                        let zv = S::load(z.add(at));
                        let pred = if loss == Loss::Mse {
                            zv
                        } else {
                            sigmoid::<S>(zv)
                        };
                        S::store(dz.add(at), S::mul(S::sub(pred, S::load(y.add(at))), s));
                    }
                }
            }
            Loss::SoftmaxCrossEntropy => {
                // Not a hot path: scalar softmax per point.
                for p in 0..width {
                    let mut m = f32::NEG_INFINITY;
                    for o in 0..outputs {
                        m = m.max(*z.add(o * STRIDE + p));
                    }
                    let mut sum = 0.0;
                    for o in 0..outputs {
                        let e = libm::expf(*z.add(o * STRIDE + p) - m);
                        *dz.add(o * STRIDE + p) = e;
                        sum += e;
                    }
                    for o in 0..outputs {
                        let at = o * STRIDE + p;
                        *dz.add(at) = (*dz.add(at) / sum - *y.add(at)) * scale;
                    }
                }
            }
        }
        for o in 0..outputs {
            for p in valid..width {
                *dz.add(o * STRIDE + p) = 0.0;
            }
        }
    }
}

/// `gw[i][j] += sum_p a[i][p] dz[j][p]` with j in lanes: needs `n % LANES == 0` and the
/// point-major transpose `dzp[p][j]`.
///
/// # Safety
/// `S`'s contract, and: `n % LANES == 0`, `valid <= CHUNK`; `a` valid for reading `k` rows
/// [`STRIDE`] floats apart of `valid` floats; `dzp` for reading `valid` rows of `n`
/// floats, `points_stride(n)` apart; `gw` for reading and writing `k * n` floats.
#[inline(always)]
unsafe fn weight_gradient_lanes<S: Simd>(
    a: *const f32,
    dzp: *const f32,
    k: usize,
    n: usize,
    valid: usize,
    gw: *mut f32,
) {
    debug_assert!(n.is_multiple_of(S::LANES) && valid <= CHUNK);
    // SAFETY: every tile reads rows `i..i + MR` < `k` of `a`, lanes `jv * LANES..` < `n`
    // of `dzp` for points < `valid`, and the same part of `gw` (this function's contract).
    unsafe {
        // Blocks of 64 points keep the block's dz rows (64 x n) in L1 across all tiles
        // (a no-op while CHUNK is 64, kept so the chunk size can change).
        let jv_count = n / S::LANES;
        let mut p0 = 0;
        while p0 < valid {
            let p1 = (p0 + 64).min(valid);
            let mut jv = 0;
            while jv < jv_count {
                let nr = if jv_count - jv >= wide::<S>() {
                    wide::<S>()
                } else {
                    1
                };
                let d = dzp.add(jv * S::LANES);
                let mut i = 0;
                while i < k {
                    let (ai, g) = (a.add(i * STRIDE), gw.add(i * n + jv * S::LANES));
                    i += match (nr, k - i) {
                        (4, rest) if rest >= 4 => wg_tile::<S, 4, 4>(ai, d, n, p0, p1, g),
                        (4, _) => wg_tile::<S, 1, 4>(ai, d, n, p0, p1, g),
                        (2, rest) if rest >= 4 => wg_tile::<S, 4, 2>(ai, d, n, p0, p1, g),
                        (2, _) => wg_tile::<S, 1, 2>(ai, d, n, p0, p1, g),
                        // 16 accumulators need AVX-512's 32 registers.
                        (_, rest) if rest >= 16 && S::LANES >= 16 => {
                            wg_tile::<S, 16, 1>(ai, d, n, p0, p1, g)
                        }
                        (_, rest) if rest >= 8 => wg_tile::<S, 8, 1>(ai, d, n, p0, p1, g),
                        // A single accumulator would wait on its own FMA latency.
                        _ => wg_row_split::<S>(ai, d, n, p0, p1, g),
                    };
                }
                jv += nr;
            }
            p0 = p1;
        }
    }
}

/// One tile of MR rows x NR vectors over points `p0..p1`; returns MR.
///
/// # Safety
/// `S`'s contract, and: `a` valid for reading `MR` rows [`STRIDE`] floats apart, up to
/// point `p1`; `dzp` for reading rows `p0..p1` of `NR * LANES` floats, `points_stride(n)`
/// apart; `gw` for reading and writing `MR` rows of `NR * LANES` floats, `n` apart.
#[inline(always)]
unsafe fn wg_tile<S: Simd, const MR: usize, const NR: usize>(
    a: *const f32,
    dzp: *const f32,
    n: usize,
    p0: usize,
    p1: usize,
    gw: *mut f32,
) -> usize {
    debug_assert!(p0 <= p1 && p1 <= CHUNK);
    // SAFETY: the rows, points and lanes touched are the ones this function's contract
    // vouches for.
    unsafe {
        let mut acc = [[S::splat(0.0); NR]; MR];
        for r in 0..MR {
            for v in 0..NR {
                acc[r][v] = S::load(gw.add(r * n + v * S::LANES));
            }
        }
        for p in p0..p1 {
            let row = dzp.add(p * points_stride(n));
            let mut d = [S::splat(0.0); NR];
            for v in 0..NR {
                d[v] = S::load(row.add(v * S::LANES));
            }
            for r in 0..MR {
                let ar = S::splat(*a.add(r * STRIDE + p));
                for v in 0..NR {
                    acc[r][v] = S::fma(ar, d[v], acc[r][v]);
                }
            }
        }
        for r in 0..MR {
            for v in 0..NR {
                S::store(gw.add(r * n + v * S::LANES), acc[r][v]);
            }
        }
        MR
    }
}

/// One row and one vector over points `p0..p1`, as four interleaved partial sums added
/// in a fixed order; returns 1.
///
/// # Safety
/// As [`wg_tile`] with one row and one vector.
#[inline(always)]
unsafe fn wg_row_split<S: Simd>(
    a: *const f32,
    dzp: *const f32,
    n: usize,
    p0: usize,
    p1: usize,
    gw: *mut f32,
) -> usize {
    debug_assert!(p0 <= p1 && p1 <= CHUNK);
    // SAFETY: as in `wg_tile`, for one row and one vector.
    unsafe {
        let mut acc = [S::splat(0.0); 4];
        let mut p = p0;
        while p + 4 <= p1 {
            for u in 0..4 {
                acc[u] = S::fma(
                    S::splat(*a.add(p + u)),
                    S::load(dzp.add((p + u) * points_stride(n))),
                    acc[u],
                );
            }
            p += 4;
        }
        while p < p1 {
            acc[0] = S::fma(
                S::splat(*a.add(p)),
                S::load(dzp.add(p * points_stride(n))),
                acc[0],
            );
            p += 1;
        }
        let total = S::add(S::add(acc[0], acc[1]), S::add(acc[2], acc[3]));
        S::store(gw, S::add(S::load(gw), total));
        1
    }
}

/// `gw[i][j] += sum_p a[i][p] dz[j][p]` as dot products over point vectors (any n).
///
/// # Safety
/// `S`'s contract, and: `a` valid for reading `k` rows and `dz` `n` rows, [`STRIDE`]
/// floats apart, of `vectors * LANES` floats; `gw` for reading and writing `k * n` floats.
#[inline(always)]
unsafe fn weight_gradient_dots<S: Simd>(
    a: *const f32,
    dz: *const f32,
    k: usize,
    n: usize,
    vectors: usize,
    gw: *mut f32,
) {
    debug_assert!(vectors * S::LANES <= CHUNK);
    // SAFETY: rows < `k` of `a`, < `n` of `dz`, vectors < `vectors`, and `gw`'s `k * n`
    // floats (this function's contract).
    unsafe {
        for j in 0..n {
            let dj = dz.add(j * STRIDE);
            let mut i = 0;
            while i < k {
                let mr = if k - i >= 4 { 4 } else { 1 };
                let mut acc = [S::splat(0.0); 4];
                for v in 0..vectors {
                    let d = S::load(dj.add(v * S::LANES));
                    for r in 0..mr {
                        acc[r] = S::fma(S::load(a.add((i + r) * STRIDE + v * S::LANES)), d, acc[r]);
                    }
                }
                for r in 0..mr {
                    *gw.add((i + r) * n + j) += S::sum(acc[r]);
                }
                i += mr;
            }
        }
    }
}

/// Backward pass of the chunk: loss gradient already in `ws.dz`.
///
/// # Safety
/// As [`forward`] (whose pass of this chunk is done), and: `grads` holding
/// `shape.layout.len` floats, `valid <= vectors * LANES`.
#[inline(always)]
unsafe fn backward<S: Simd>(
    ws: &mut Workspace,
    shape: &NetShape,
    params: &[f32],
    grads: &mut [f32],
    vectors: usize,
    valid: usize,
) {
    debug_assert!(ws.fits(shape.layout) && params.len() >= shape.layout.len);
    debug_assert!(grads.len() >= shape.layout.len);
    debug_assert!(vectors * S::LANES <= CHUNK && valid <= vectors * S::LANES);
    // SAFETY: each layer's weights, biases and gradients are inside `params` and `grads`,
    // its rows inside the workspace's buffers of the layout's widths (`dz_points` holds a
    // chunk of the widest layer), and the chunk inside a row (this function's contract).
    unsafe {
        let grads_at = grads.as_mut_ptr();
        let layers = shape.layout.shapes.len();
        for l in (0..layers).rev() {
            let (k, n) = shape.layout.shapes[l];
            let a = if l == 0 {
                ws.chunk_inputs()
            } else {
                ws.values[l - 1].as_ptr()
            };
            // Both from one pointer: a second `as_mut_ptr` would reborrow `grads` and
            // invalidate the first (Miri's stacked borrows).
            let gw = grads_at.add(shape.layout.weight_at[l]);
            let gb = grads_at.add(shape.layout.bias_at[l]);
            let dz = ws.dz.as_ptr();
            for j in 0..n {
                // Four partial sums so the adds do not wait on each other.
                let row = dz.add(j * STRIDE);
                let mut acc = [S::splat(0.0); 4];
                let mut v = 0;
                while v + 4 <= vectors {
                    for u in 0..4 {
                        acc[u] = S::add(acc[u], S::load(row.add((v + u) * S::LANES)));
                    }
                    v += 4;
                }
                while v < vectors {
                    acc[0] = S::add(acc[0], S::load(row.add(v * S::LANES)));
                    v += 1;
                }
                *gb.add(j) += S::sum(S::add(S::add(acc[0], acc[1]), S::add(acc[2], acc[3])));
            }
            if n % S::LANES == 0 {
                let (dzp, ds) = (ws.dz_points.as_mut_ptr(), points_stride(n));
                for jb in (0..n).step_by(S::LANES) {
                    for v in 0..vectors {
                        let p = v * S::LANES;
                        S::transpose(dz.add(jb * STRIDE + p), STRIDE, dzp.add(p * ds + jb), ds);
                    }
                }
                weight_gradient_lanes::<S>(a, dzp, k, n, valid, gw);
            } else {
                weight_gradient_dots::<S>(a, dz, k, n, vectors, gw);
            }
            if l > 0 {
                let w = params.as_ptr().add(shape.layout.weight_at[l]);
                // dz_prev[i][p]: output i has weight stride n, reduction j has stride 1.
                let e = Epilogue::Derivative(shape.activation, a);
                product::<S>(w, n, 1, k, n, dz, vectors, w, ws.dz_prev.as_mut_ptr(), e);
                std::mem::swap(&mut ws.dz, &mut ws.dz_prev);
            }
        }
    }
}

/// Copies the rows `rows` of a row-major `[n][width]` array into feature-major `dst`,
/// zero-filling up to `padded` points.
#[inline(always)]
fn gather(src: &[f32], width: usize, rows: &[usize], padded: usize, dst: &mut [f32]) {
    for c in 0..width {
        let out = &mut dst[c * STRIDE..c * STRIDE + padded];
        for (o, &r) in out.iter_mut().zip(rows) {
            *o = src[r * width + c];
        }
        out[rows.len()..].fill(0.0);
    }
}

/// Adds to `grads` the gradient of the mean loss over the points `rows`.
///
/// # Safety
/// `S`'s contract, and: `ws` made for `shape.layout` ([`Workspace::fits`]), `params` and
/// `grads` holding `shape.layout.len` floats each. (`points` and `rows` are read through
/// bounds-checked slices.)
#[inline(always)]
pub(super) unsafe fn accumulate_gradients<S: Simd>(
    ws: &mut Workspace,
    shape: &NetShape,
    params: &[f32],
    grads: &mut [f32],
    points: &Points,
    rows: &[usize],
) {
    debug_assert!(ws.fits(shape.layout));
    debug_assert!(params.len() >= shape.layout.len && grads.len() >= shape.layout.len);
    // SAFETY: the buffers are sized for the chunks gathered below, and every chunk is at
    // most `CHUNK` points: the passes' contracts hold, given this function's.
    unsafe {
        let scale = 1.0 / rows.len() as f32;
        let (inputs, outputs) = (ws.widths[0], *ws.widths.last().expect("widths"));
        let chunks = rows.len().div_ceil(CHUNK);
        if !(ws.rows_fixed && ws.gathered == rows.len()) {
            ws.x_t.resize(chunks * inputs * STRIDE, 0.0);
            ws.y_t.resize(chunks * outputs * STRIDE, 0.0);
            for (c, chunk) in rows.chunks(CHUNK).enumerate() {
                let padded = chunk.len().div_ceil(S::LANES) * S::LANES;
                gather(
                    points.x,
                    inputs,
                    chunk,
                    padded,
                    &mut ws.x_t[c * inputs * STRIDE..],
                );
                gather(
                    points.y,
                    outputs,
                    chunk,
                    padded,
                    &mut ws.y_t[c * outputs * STRIDE..],
                );
            }
            ws.gathered = rows.len();
        }
        for (c, chunk) in rows.chunks(CHUNK).enumerate() {
            ws.current = c;
            let valid = chunk.len();
            let vectors = valid.div_ceil(S::LANES);
            forward::<S>(ws, shape, params, vectors);
            loss_gradient::<S>(ws, shape.loss, vectors, valid, scale);
            backward::<S>(ws, shape, params, grads, vectors, valid);
        }
    }
}

/// The predictions of the training forward pass ([`forward`], chunk by chunk, then the
/// sigmoid or softmax of the logits), with every hidden activation: what the prediction
/// path of `forward.rs` must reproduce bit for bit (the kernels' tests compare them).
///
/// # Safety
/// `S`'s contract, and: `ws` made for `shape.layout`, `params` holding
/// `shape.layout.len` floats. (`x`, `out` and `units` are read and written through
/// bounds-checked slices.)
#[cfg(test)]
#[inline(always)]
pub(super) unsafe fn predict_by_training_forward<S: Simd>(
    ws: &mut Workspace,
    shape: &NetShape,
    params: &[f32],
    x: &[f32],
    out: &mut [f32],
    units: &mut [f32],
) {
    debug_assert!(ws.fits(shape.layout) && params.len() >= shape.layout.len);
    // SAFETY: chunks of at most `CHUNK` points go through `forward`, whose contract holds
    // given this function's; the stores are inside the output layer's rows.
    unsafe {
        let (inputs, outputs) = (ws.widths[0], *ws.widths.last().expect("widths"));
        let n = x.len() / inputs;
        ws.current = 0;
        ws.gathered = 0;
        let mut start = 0;
        while start < n {
            let valid = (n - start).min(CHUNK);
            let vectors = valid.div_ceil(S::LANES);
            let xs = &x[start * inputs..(start + valid) * inputs];
            for c in 0..inputs {
                let dst = &mut ws.x_t[c * STRIDE..c * STRIDE + vectors * S::LANES];
                for p in 0..valid {
                    dst[p] = xs[p * inputs + c];
                }
                dst[valid..].fill(0.0);
            }
            forward::<S>(ws, shape, params, vectors);
            let hidden = &ws.values[..ws.values.len() - 1];
            let rows = hidden
                .iter()
                .zip(&ws.widths[1..])
                .flat_map(|(v, &w)| v.chunks_exact(STRIDE).take(w));
            for (dst, src) in units.chunks_exact_mut(n).zip(rows) {
                dst[start..start + valid].copy_from_slice(&src[..valid]);
            }
            let z = ws.values.last_mut().expect("an output layer");
            if shape.loss == Loss::BinaryCrossEntropy {
                for o in 0..outputs {
                    for v in 0..vectors {
                        let at = z.as_mut_ptr().add(o * STRIDE + v * S::LANES);
                        S::store(at, sigmoid::<S>(S::load(at)));
                    }
                }
            }
            let dst = &mut out[start * outputs..(start + valid) * outputs];
            for p in 0..valid {
                for o in 0..outputs {
                    dst[p * outputs + o] = z[o * STRIDE + p];
                }
                if shape.loss == Loss::SoftmaxCrossEntropy {
                    let row = &mut dst[p * outputs..(p + 1) * outputs];
                    let m = row.iter().fold(f32::NEG_INFINITY, |m, &v| m.max(v));
                    let mut sum = 0.0;
                    for v in row.iter_mut() {
                        *v = libm::expf(*v - m);
                        sum += *v;
                    }
                    for v in row.iter_mut() {
                        *v /= sum;
                    }
                }
            }
            start += valid;
        }
    }
}

/// [`tanh`] of every value, in place.
///
/// # Safety
/// `S`'s contract: a CPU with its instruction set.
#[inline(always)]
pub(super) unsafe fn tanh_in_place<S: Simd>(values: &mut [f32]) {
    // SAFETY: loads and stores are of whole `LANES`-wide chunks of `values`, or of a
    // 16-float buffer (at least `LANES`); `S`'s contract is the caller's.
    unsafe {
        let mut chunks = values.chunks_exact_mut(S::LANES);
        for c in &mut chunks {
            S::store(c.as_mut_ptr(), tanh::<S>(S::load(c.as_ptr())));
        }
        let rest = chunks.into_remainder();
        if !rest.is_empty() {
            let mut buf = [0.0f32; 16];
            buf[..rest.len()].copy_from_slice(rest);
            S::store(buf.as_mut_ptr(), tanh::<S>(S::load(buf.as_ptr())));
            let len = rest.len();
            rest.copy_from_slice(&buf[..len]);
        }
    }
}
