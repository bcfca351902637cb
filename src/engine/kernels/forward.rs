//! The forward-only pass of predictions (`predict_batch`, the grid snapshots of training),
//! generic over an instruction set's [`Simd`].
//!
//! Same arithmetic as the training forward of `dense.rs`, value for value: every output is
//! `b[j]` then `+ W[i][j] a[i][p]` fused, for `i` in order, then the same activation, so
//! predictions are bit-identical to what that pass computes. What differs is how a chunk
//! of points goes through a small network:
//! - the inputs are transposed once per call ([`Columns`], shared by every network of a
//!   batch) and read in place, instead of gathered per chunk and per network;
//! - a layer with few inputs (the first layer of a 2-D net: 2 multiply-adds per output)
//!   computes each output row and activates it at once, several vectors of points side
//!   by side, with no stored sums;
//! - a wider layer computes its sums in register tiles, then activates them in a pass of
//!   its own, several vectors side by side ([`activate_n`]: the activation's long
//!   dependency chain, a polynomial and an exact division, runs as independent chains);
//!   when the next layer is a narrow output layer (one or two logits), that pass also
//!   accumulates it, each activation multiplied in as soon as it is computed;
//! - a single output goes straight from the logits to the caller's slice, a vector at a
//!   time.
//!
//! Owns: the loops of prediction. Never does: check its inputs (the safe entry points in
//! `mod.rs` do) or allocate inside a pass.

#![allow(clippy::needless_range_loop)]

use super::dense::{STRIDE, Workspace, activate_n, sigmoid};
use super::{CHUNK, NetShape, Simd};
use crate::engine::activation::Activation;
use crate::engine::loss::Loss;

/// A layer with at most this many inputs is computed row by row with its activation
/// (see the module's comment).
const NARROW_INPUTS: usize = 4;

/// An output layer of at most this many logits is accumulated inside the previous
/// layer's activation pass.
const NARROW_OUTPUTS: usize = 2;

/// Vectors of points side by side in the activation passes: 4 chains of the tanh plus its
/// 13 constants fit AVX-512's 32 registers; 2 for the 16 of AVX2.
#[inline(always)]
fn side<S: Simd>() -> usize {
    if S::LANES >= 16 { 4 } else { 2 }
}

/// Points of a prediction, feature-major: `data[c * stride + p]`, zero past `n`, with
/// `stride` a whole number of chunks so that every chunk reads inside its row.
pub(crate) struct Columns {
    data: Vec<f32>,
    inputs: usize,
    n: usize,
    stride: usize,
}

impl Columns {
    /// The transpose of the row-major `x` (`[n][inputs]`).
    pub(crate) fn new(x: &[f32], inputs: usize) -> Self {
        assert!(inputs > 0, "points need at least one input");
        let n = x.len() / inputs;
        let stride = n.div_ceil(CHUNK) * CHUNK;
        let mut data = vec![0.0; inputs * stride];
        for (p, row) in x.chunks_exact(inputs).enumerate() {
            for (c, &v) in row.iter().enumerate() {
                data[c * stride + p] = v;
            }
        }
        Self {
            data,
            inputs,
            n,
            stride,
        }
    }

    pub(crate) fn inputs(&self) -> usize {
        self.inputs
    }

    pub(crate) fn len(&self) -> usize {
        self.n
    }
}

/// One register tile of sums, `out[r][v] = b[r] + sum_i w[i][r] in[i][v]` (fused, in order
/// of `i`), for MR output rows and NR vectors of points.
///
/// # Safety
/// `S`'s contract, and: `w` valid for reading `k` rows of `MR` floats, `w_stride` apart;
/// `bias` for reading `MR` floats; `inp` for reading `k` rows `in_stride` floats apart of
/// `NR * LANES` floats; `out` for writing `MR` such rows [`STRIDE`] apart.
#[inline(always)]
#[allow(clippy::too_many_arguments)]
unsafe fn tile<S: Simd, const MR: usize, const NR: usize>(
    w: *const f32,
    w_stride: usize,
    k: usize,
    bias: *const f32,
    inp: *const f32,
    in_stride: usize,
    out: *mut f32,
) {
    // SAFETY: the loads and stores are the rows and vectors this function's contract
    // vouches for.
    unsafe {
        let mut acc = [[S::splat(0.0); NR]; MR];
        for r in 0..MR {
            let b = S::splat(*bias.add(r));
            for v in 0..NR {
                acc[r][v] = b;
            }
        }
        for i in 0..k {
            let row = inp.add(i * in_stride);
            let mut x = [S::splat(0.0); NR];
            for v in 0..NR {
                x[v] = S::load(row.add(v * S::LANES));
            }
            let wi = w.add(i * w_stride);
            for r in 0..MR {
                let wr = S::splat(*wi.add(r));
                for v in 0..NR {
                    acc[r][v] = S::fma(wr, x[v], acc[r][v]);
                }
            }
        }
        for r in 0..MR {
            for v in 0..NR {
                S::store(out.add(r * STRIDE + v * S::LANES), acc[r][v]);
            }
        }
    }
}

/// The sums of a dense layer of `k` inputs and `n` outputs over `vectors` vectors, in
/// tiles of 4 rows x 4 (AVX-512) or 2 vectors, into `out` (pre-activation).
///
/// # Safety
/// `S`'s contract, and: `w` valid for reading `k * n` floats and `b` for `n`; `inp` for
/// reading `k` rows `in_stride` floats apart of `vectors * LANES` floats; `out` for
/// writing `n` such rows [`STRIDE`] apart.
#[inline(always)]
#[allow(clippy::too_many_arguments)]
unsafe fn sums<S: Simd>(
    w: *const f32,
    b: *const f32,
    k: usize,
    n: usize,
    inp: *const f32,
    in_stride: usize,
    vectors: usize,
    out: *mut f32,
) {
    // SAFETY: every tile lies inside the `n` x `vectors` block the caller vouches for.
    unsafe {
        let wide = if S::LANES >= 16 { 4 } else { 2 };
        let mut v = 0;
        while v < vectors {
            let nr = if vectors - v >= wide { wide } else { 1 };
            let i = inp.add(v * S::LANES);
            let mut r = 0;
            while r < n {
                let mr = if n - r >= 4 { 4 } else { 1 };
                let (wr, br, o) = (w.add(r), b.add(r), out.add(r * STRIDE + v * S::LANES));
                match (mr, nr) {
                    (4, 4) => tile::<S, 4, 4>(wr, n, k, br, i, in_stride, o),
                    (4, 2) => tile::<S, 4, 2>(wr, n, k, br, i, in_stride, o),
                    (4, _) => tile::<S, 4, 1>(wr, n, k, br, i, in_stride, o),
                    (_, 4) => tile::<S, 1, 4>(wr, n, k, br, i, in_stride, o),
                    (_, 2) => tile::<S, 1, 2>(wr, n, k, br, i, in_stride, o),
                    _ => tile::<S, 1, 1>(wr, n, k, br, i, in_stride, o),
                }
                r += mr;
            }
            v += nr;
        }
    }
}

/// What the passes apply, as a const parameter so that each pass is compiled for one
/// activation (no dispatch inside the loops): [`NONE`] for the output layer.
const NONE: u8 = 0;
const TANH: u8 = 1;
const SIGMOID: u8 = 2;
const RELU: u8 = 3;
const LEAKY_RELU: u8 = 4;
const LINEAR: u8 = 5;

fn code(activation: Option<Activation>) -> u8 {
    match activation {
        None => NONE,
        Some(Activation::Tanh) => TANH,
        Some(Activation::Sigmoid) => SIGMOID,
        Some(Activation::Relu) => RELU,
        Some(Activation::LeakyRelu) => LEAKY_RELU,
        Some(Activation::Linear) => LINEAR,
    }
}

/// The activation of code `A` on `G` vectors in place, exactly [`activate_n`]'s.
///
/// # Safety
/// `S`'s contract: a CPU with its instruction set.
#[inline(always)]
unsafe fn apply<S: Simd, const G: usize, const A: u8>(z: &mut [S::V; G]) {
    // SAFETY: only `S`'s operations on values; `S`'s contract is the caller's.
    unsafe {
        let activation = match A {
            TANH => Activation::Tanh,
            SIGMOID => Activation::Sigmoid,
            RELU => Activation::Relu,
            LEAKY_RELU => Activation::LeakyRelu,
            LINEAR => Activation::Linear,
            _ => return,
        };
        activate_n::<S, G>(activation, z);
    }
}

/// Calls `$body!(A)` with the const activation code matching the runtime `$code`.
macro_rules! with_code {
    ($code:expr, $body:ident) => {
        match $code {
            TANH => $body!(TANH),
            SIGMOID => $body!(SIGMOID),
            RELU => $body!(RELU),
            LEAKY_RELU => $body!(LEAKY_RELU),
            LINEAR => $body!(LINEAR),
            _ => $body!(NONE),
        }
    };
}

/// `G` vectors (from vector `v`) of a layer with few inputs, row by row:
/// `out[j][v] = f(b[j] + sum_i w[i][j] in[i][v])` (`f` of code `A`).
///
/// # Safety
/// As [`sums`], for vectors `v..v + G`.
#[inline(always)]
#[allow(clippy::too_many_arguments)]
unsafe fn narrow_group<S: Simd, const G: usize, const A: u8>(
    w: *const f32,
    b: *const f32,
    k: usize,
    n: usize,
    inp: *const f32,
    in_stride: usize,
    v: usize,
    out: *mut f32,
) {
    // SAFETY: rows < `n`, inputs < `k`, vectors `v..v + G` (this function's contract).
    unsafe {
        for j in 0..n {
            let mut z = [S::splat(*b.add(j)); G];
            for i in 0..k {
                let wij = S::splat(*w.add(i * n + j));
                let row = inp.add(i * in_stride + v * S::LANES);
                for t in 0..G {
                    z[t] = S::fma(wij, S::load(row.add(t * S::LANES)), z[t]);
                }
            }
            apply::<S, G, A>(&mut z);
            let o = out.add(j * STRIDE + v * S::LANES);
            for t in 0..G {
                S::store(o.add(t * S::LANES), z[t]);
            }
        }
    }
}

/// A layer with few inputs over `vectors` vectors, `U` side by side (see
/// [`narrow_group`]).
///
/// # Safety
/// As [`sums`].
#[inline(always)]
#[allow(clippy::too_many_arguments)]
unsafe fn narrow<S: Simd, const U: usize, const A: u8>(
    w: *const f32,
    b: *const f32,
    k: usize,
    n: usize,
    inp: *const f32,
    in_stride: usize,
    vectors: usize,
    out: *mut f32,
) {
    // SAFETY: groups of vectors inside `vectors` (this function's contract).
    unsafe {
        let mut v = 0;
        while v + U <= vectors {
            narrow_group::<S, U, A>(w, b, k, n, inp, in_stride, v, out);
            v += U;
        }
        while v < vectors {
            narrow_group::<S, 1, A>(w, b, k, n, inp, in_stride, v, out);
            v += 1;
        }
    }
}

/// The next layer accumulated inside an activation pass: weights, biases, outputs
/// (at most [`NARROW_OUTPUTS`]) and the rows its sums go to.
#[derive(Clone, Copy)]
struct Next {
    w: *const f32,
    b: *const f32,
    m: usize,
    out: *mut f32,
}

/// Activates `n` rows of `G` vectors (from vector `v`) in place with code `A`; with
/// `next`, also computes that layer's sums, `next.out[o][v] = b[o] + sum_j w[j][o]
/// a[j][v]`, each activation multiplied in as soon as it is computed (in order of `j`).
///
/// # Safety
/// `S`'s contract, and: `rows` valid for reading and writing `n` rows [`STRIDE`] apart at
/// vectors `v..v + G`; with `next`, its weights valid for reading `n * m` floats, its
/// biases `m`, and its rows for writing `m` rows like `rows`.
#[inline(always)]
unsafe fn activate_group<S: Simd, const G: usize, const A: u8>(
    rows: *mut f32,
    n: usize,
    v: usize,
    next: Option<Next>,
) {
    // SAFETY: rows < `n`, vectors `v..v + G`, outputs < `m` (this function's contract).
    unsafe {
        let mut acc = [[S::splat(0.0); G]; NARROW_OUTPUTS];
        let m = next.map_or(0, |x| x.m.min(NARROW_OUTPUTS));
        if let Some(x) = next {
            for o in 0..m {
                acc[o] = [S::splat(*x.b.add(o)); G];
            }
        }
        for j in 0..n {
            let at = rows.add(j * STRIDE + v * S::LANES);
            let mut z = [S::splat(0.0); G];
            for t in 0..G {
                z[t] = S::load(at.add(t * S::LANES));
            }
            apply::<S, G, A>(&mut z);
            for t in 0..G {
                S::store(at.add(t * S::LANES), z[t]);
            }
            if let Some(x) = next {
                for o in 0..m {
                    let wjo = S::splat(*x.w.add(j * x.m + o));
                    for t in 0..G {
                        acc[o][t] = S::fma(wjo, z[t], acc[o][t]);
                    }
                }
            }
        }
        if let Some(x) = next {
            for o in 0..m {
                for t in 0..G {
                    S::store(x.out.add(o * STRIDE + (v + t) * S::LANES), acc[o][t]);
                }
            }
        }
    }
}

/// [`activate_group`] over `vectors` vectors, `U` side by side.
///
/// # Safety
/// As [`activate_group`] for vectors `0..vectors`.
#[inline(always)]
unsafe fn activate_rows<S: Simd, const U: usize, const A: u8>(
    rows: *mut f32,
    n: usize,
    vectors: usize,
    next: Option<Next>,
) {
    // SAFETY: groups of vectors inside `vectors` (this function's contract).
    unsafe {
        let mut v = 0;
        while v + U <= vectors {
            activate_group::<S, U, A>(rows, n, v, next);
            v += U;
        }
        while v < vectors {
            activate_group::<S, 1, A>(rows, n, v, next);
            v += 1;
        }
    }
}

/// Predictions at every point of `x` into `out` (`[point][output]`), and with `units`
/// every hidden unit's activation (`units[unit * n + point]`, layer 0's units first).
///
/// # Safety
/// `S`'s contract, and: `ws` made for `shape.layout`, `params` holding
/// `shape.layout.len` floats, `x` of the layout's input width. (`out` and `units` are
/// written through bounds-checked slices.)
#[inline(always)]
pub(super) unsafe fn predict<S: Simd>(
    ws: &mut Workspace,
    shape: &NetShape,
    params: &[f32],
    x: &Columns,
    out: &mut [f32],
    units: Option<&mut [f32]>,
) {
    // The side by side count is a const parameter: one instance per register file.
    // SAFETY: the caller's contract, passed on.
    unsafe {
        if side::<S>() >= 4 {
            predict_with::<S, 4>(ws, shape, params, x, out, units)
        } else {
            predict_with::<S, 2>(ws, shape, params, x, out, units)
        }
    }
}

/// [`predict`] with `U` vectors side by side in the activation passes.
///
/// # Safety
/// As [`predict`].
#[inline(always)]
unsafe fn predict_with<S: Simd, const U: usize>(
    ws: &mut Workspace,
    shape: &NetShape,
    params: &[f32],
    x: &Columns,
    out: &mut [f32],
    mut units: Option<&mut [f32]>,
) {
    debug_assert!(ws.fits(shape.layout) && params.len() >= shape.layout.len);
    debug_assert!(x.inputs == shape.layout.shapes[0].0);
    // SAFETY: each layer's weights and biases are inside `params`; its input rows are
    // either `x`'s rows (whole chunks: `x.stride` is a multiple of `CHUNK`) or the
    // previous layer's workspace rows, and its output rows its own (a buffer of its
    // width, rows `STRIDE >= CHUNK` floats); a chunk is at most `CHUNK` points.
    unsafe {
        let shapes = &shape.layout.shapes;
        let layers = shapes.len();
        let outputs = shapes[layers - 1].1;
        let n = x.n;
        let mut start = 0;
        while start < n {
            let valid = (n - start).min(CHUNK);
            let vectors = valid.div_ceil(S::LANES);
            let mut l = 0;
            while l < layers {
                let (k, width) = shapes[l];
                let w = params.as_ptr().add(shape.layout.weight_at[l]);
                let b = params.as_ptr().add(shape.layout.bias_at[l]);
                let (inp, in_stride) = if l == 0 {
                    (x.data.as_ptr().add(start), x.stride)
                } else {
                    (ws.values[l - 1].as_ptr(), STRIDE)
                };
                let o = ws.values[l].as_mut_ptr();
                let hidden = l + 1 < layers;
                let f = code(hidden.then_some(shape.activation));
                if k <= NARROW_INPUTS {
                    macro_rules! go {
                        ($a:ident) => {
                            narrow::<S, U, $a>(w, b, k, width, inp, in_stride, vectors, o)
                        };
                    }
                    with_code!(f, go);
                    l += 1;
                    continue;
                }
                sums::<S>(w, b, k, width, inp, in_stride, vectors, o);
                if !hidden {
                    l += 1;
                    continue;
                }
                // The next layer fused into this one's activation pass when it is a
                // narrow output layer: its sums run in the same order of inputs.
                let fuse = l + 2 == layers && shapes[l + 1].1 <= NARROW_OUTPUTS;
                let next = fuse.then(|| Next {
                    w: params.as_ptr().add(shape.layout.weight_at[l + 1]),
                    b: params.as_ptr().add(shape.layout.bias_at[l + 1]),
                    m: shapes[l + 1].1,
                    out: ws.values[l + 1].as_mut_ptr(),
                });
                macro_rules! go {
                    ($a:ident) => {
                        activate_rows::<S, U, $a>(o, width, vectors, next)
                    };
                }
                with_code!(f, go);
                l += if fuse { 2 } else { 1 };
            }
            if let Some(units) = units.as_deref_mut() {
                let hidden = &ws.values[..layers - 1];
                let rows = hidden
                    .iter()
                    .zip(shapes)
                    .flat_map(|(v, &(_, w))| v.chunks_exact(STRIDE).take(w));
                for (dst, src) in units.chunks_exact_mut(n).zip(rows) {
                    dst[start..start + valid].copy_from_slice(&src[..valid]);
                }
            }
            let z = ws.values[layers - 1].as_mut_ptr();
            match (shape.loss, outputs) {
                (Loss::BinaryCrossEntropy | Loss::Mse, 1) => {
                    let bce = shape.loss == Loss::BinaryCrossEntropy;
                    let dst = &mut out[start..start + valid];
                    let full = valid / S::LANES;
                    for v in 0..vectors {
                        let zv = S::load(z.add(v * S::LANES));
                        let p = if bce { sigmoid::<S>(zv) } else { zv };
                        if v < full {
                            // Inside `dst`: (v + 1) * LANES <= valid.
                            S::store(dst.as_mut_ptr().add(v * S::LANES), p);
                        } else {
                            S::store(z.add(v * S::LANES), p);
                            let rest = valid - v * S::LANES;
                            let src = std::slice::from_raw_parts(z.add(v * S::LANES), rest);
                            dst[v * S::LANES..].copy_from_slice(src);
                        }
                    }
                }
                _ => {
                    let zs = &mut ws.values[layers - 1];
                    if shape.loss == Loss::BinaryCrossEntropy {
                        for o in 0..outputs {
                            for v in 0..vectors {
                                let at = zs.as_mut_ptr().add(o * STRIDE + v * S::LANES);
                                S::store(at, sigmoid::<S>(S::load(at)));
                            }
                        }
                    }
                    let dst = &mut out[start * outputs..(start + valid) * outputs];
                    for p in 0..valid {
                        for o in 0..outputs {
                            dst[p * outputs + o] = zs[o * STRIDE + p];
                        }
                        if shape.loss == Loss::SoftmaxCrossEntropy {
                            softmax(&mut dst[p * outputs..(p + 1) * outputs]);
                        }
                    }
                }
            }
            start += valid;
        }
    }
}

/// Softmax of one point's logits, in place (max subtracted first).
fn softmax(row: &mut [f32]) {
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
