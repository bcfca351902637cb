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

// Register tiles are indexed by (row, vector) on purpose: fixed-trip index loops unroll
// into straight-line FMAs on named registers.
#![allow(clippy::needless_range_loop)]

use super::{CHUNK, NetShape, Points, Simd};
use crate::engine::activation::{Activation, LEAKY_SLOPE};
use crate::engine::loss::Loss;
use crate::engine::network::FlatLayout;

/// Scratch memory of one network's passes (allocated once per network, reused).
pub(crate) struct Workspace {
    widths: Vec<usize>,
    x_t: Vec<f32>,
    y_t: Vec<f32>,
    values: Vec<Vec<f32>>,
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
            x_t: vec![0.0; widths[0] * CHUNK],
            y_t: vec![0.0; outputs * CHUNK],
            values: widths[1..].iter().map(|w| vec![0.0; w * CHUNK]).collect(),
            dz: vec![0.0; max_width * CHUNK],
            dz_prev: vec![0.0; max_width * CHUNK],
            dz_points: vec![0.0; max_width * CHUNK],
            widths,
        }
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

/// Rational approximation of tanh (Eigen's 13/6 coefficients): odd, clamped where f32
/// tanh is already +-1; a few ulp of error (measured in the tests).
#[inline(always)]
pub(super) unsafe fn tanh<S: Simd>(x: S::V) -> S::V {
    unsafe {
        let clamp = 7.905_311_f32;
        let x = S::max(S::min(x, S::splat(clamp)), S::splat(-clamp));
        let x2 = S::mul(x, x);
        let mut p = S::splat(-2.760_768_5e-16);
        p = S::fma(p, x2, S::splat(2.000_188e-13));
        p = S::fma(p, x2, S::splat(-8.604_672e-11));
        p = S::fma(p, x2, S::splat(5.122_297e-8));
        p = S::fma(p, x2, S::splat(1.485_722_4e-5));
        p = S::fma(p, x2, S::splat(6.372_619_3e-4));
        p = S::fma(p, x2, S::splat(4.893_524_6e-3));
        p = S::mul(p, x);
        let mut q = S::splat(1.198_258_4e-6);
        q = S::fma(q, x2, S::splat(1.185_347_1e-4));
        q = S::fma(q, x2, S::splat(2.268_434_7e-3));
        q = S::fma(q, x2, S::splat(4.893_525e-3));
        S::div_fast(p, q)
    }
}

/// sigmoid(x) = (1 + tanh(x / 2)) / 2: no exp, and the same accuracy as tanh.
#[inline(always)]
unsafe fn sigmoid<S: Simd>(x: S::V) -> S::V {
    unsafe {
        let half = S::splat(0.5);
        S::fma(tanh::<S>(S::mul(x, half)), half, half)
    }
}

#[inline(always)]
unsafe fn activate<S: Simd>(activation: Activation, z: S::V) -> S::V {
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

/// f'(z) from a = f(z), times `d`.
#[inline(always)]
unsafe fn times_derivative<S: Simd>(activation: Activation, a: S::V, d: S::V) -> S::V {
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

/// One register tile of `out[r][p] = epilogue(sum_k w[r * w_out + k * w_red] in[k][p])`
/// for MR output rows and NR vectors of points.
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

/// All tiles of a product over `rows` output rows and `vectors` point vectors.
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
    unsafe {
        let stride = CHUNK;
        let mut r = 0;
        while r < rows {
            let mr = (rows - r).min(4);
            let (wr, br, or) = (w.add(r * w_out), bias.add(r), out.add(r * stride));
            let er = match epilogue {
                Epilogue::Derivative(act, a) => Epilogue::Derivative(act, a.add(r * stride)),
                e => e,
            };
            let mut v = 0;
            while v < vectors {
                let nr = if vectors - v >= 4 { 4 } else { 1 };
                let (i, o) = (inp.add(v * S::LANES), or.add(v * S::LANES));
                let e = match er {
                    Epilogue::Derivative(act, a) => Epilogue::Derivative(act, a.add(v * S::LANES)),
                    e => e,
                };
                match (mr, nr) {
                    (4, 4) => {
                        product_tile::<S, 4, 4>(wr, w_out, w_red, reduce, i, stride, br, o, e)
                    }
                    (4, _) => {
                        product_tile::<S, 4, 1>(wr, w_out, w_red, reduce, i, stride, br, o, e)
                    }
                    (_, 4) => {
                        for m in 0..mr {
                            let e = match e {
                                Epilogue::Derivative(act, a) => {
                                    Epilogue::Derivative(act, a.add(m * stride))
                                }
                                e => e,
                            };
                            product_tile::<S, 1, 4>(
                                wr.add(m * w_out),
                                w_out,
                                w_red,
                                reduce,
                                i,
                                stride,
                                br.add(m),
                                o.add(m * stride),
                                e,
                            )
                        }
                    }
                    _ => {
                        for m in 0..mr {
                            let e = match e {
                                Epilogue::Derivative(act, a) => {
                                    Epilogue::Derivative(act, a.add(m * stride))
                                }
                                e => e,
                            };
                            product_tile::<S, 1, 1>(
                                wr.add(m * w_out),
                                w_out,
                                w_red,
                                reduce,
                                i,
                                stride,
                                br.add(m),
                                o.add(m * stride),
                                e,
                            )
                        }
                    }
                }
                v += nr;
            }
            r += mr;
        }
    }
}

/// Forward pass of the chunk already in `ws.x_t`, `vectors` point vectors wide.
#[inline(always)]
unsafe fn forward<S: Simd>(ws: &mut Workspace, shape: &NetShape, params: &[f32], vectors: usize) {
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
                ws.x_t.as_ptr()
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
#[inline(always)]
unsafe fn loss_gradient<S: Simd>(
    ws: &mut Workspace,
    loss: Loss,
    vectors: usize,
    valid: usize,
    scale: f32,
) {
    unsafe {
        let outputs = *ws.widths.last().expect("widths");
        let z = ws.values.last().expect("an output layer").as_ptr();
        let y = ws.y_t.as_ptr();
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
                        let at = o * CHUNK + v * S::LANES;
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
                        m = m.max(*z.add(o * CHUNK + p));
                    }
                    let mut sum = 0.0;
                    for o in 0..outputs {
                        let e = (*z.add(o * CHUNK + p) - m).exp();
                        *dz.add(o * CHUNK + p) = e;
                        sum += e;
                    }
                    for o in 0..outputs {
                        let at = o * CHUNK + p;
                        *dz.add(at) = (*dz.add(at) / sum - *y.add(at)) * scale;
                    }
                }
            }
        }
        for o in 0..outputs {
            for p in valid..width {
                *dz.add(o * CHUNK + p) = 0.0;
            }
        }
    }
}

/// `gw[i][j] += sum_p a[i][p] dz[j][p]` with j in lanes: needs `n % LANES == 0` and the
/// point-major transpose `dzp[p][j]`.
#[inline(always)]
unsafe fn weight_gradient_lanes<S: Simd>(
    a: *const f32,
    dzp: *const f32,
    k: usize,
    n: usize,
    valid: usize,
    gw: *mut f32,
) {
    unsafe {
        let jv_count = n / S::LANES;
        let mut jv = 0;
        while jv < jv_count {
            if jv_count - jv >= 4 {
                let mut i = 0;
                while i < k {
                    if k - i >= 4 {
                        wg_tile::<S, 4, 4>(
                            a.add(i * CHUNK),
                            dzp.add(jv * S::LANES),
                            n,
                            valid,
                            gw.add(i * n + jv * S::LANES),
                        );
                        i += 4;
                    } else {
                        wg_tile::<S, 1, 4>(
                            a.add(i * CHUNK),
                            dzp.add(jv * S::LANES),
                            n,
                            valid,
                            gw.add(i * n + jv * S::LANES),
                        );
                        i += 1;
                    }
                }
                jv += 4;
            } else {
                let mut i = 0;
                while i < k {
                    if k - i >= 8 {
                        wg_tile::<S, 8, 1>(
                            a.add(i * CHUNK),
                            dzp.add(jv * S::LANES),
                            n,
                            valid,
                            gw.add(i * n + jv * S::LANES),
                        );
                        i += 8;
                    } else {
                        wg_tile::<S, 1, 1>(
                            a.add(i * CHUNK),
                            dzp.add(jv * S::LANES),
                            n,
                            valid,
                            gw.add(i * n + jv * S::LANES),
                        );
                        i += 1;
                    }
                }
                jv += 1;
            }
        }
    }
}

#[inline(always)]
unsafe fn wg_tile<S: Simd, const MR: usize, const NR: usize>(
    a: *const f32,
    dzp: *const f32,
    n: usize,
    valid: usize,
    gw: *mut f32,
) {
    unsafe {
        let mut acc = [[S::splat(0.0); NR]; MR];
        for r in 0..MR {
            for v in 0..NR {
                acc[r][v] = S::load(gw.add(r * n + v * S::LANES));
            }
        }
        for p in 0..valid {
            let row = dzp.add(p * n);
            let mut d = [S::splat(0.0); NR];
            for v in 0..NR {
                d[v] = S::load(row.add(v * S::LANES));
            }
            for r in 0..MR {
                let ar = S::splat(*a.add(r * CHUNK + p));
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
    }
}

/// `gw[i][j] += sum_p a[i][p] dz[j][p]` as dot products over point vectors (any n).
#[inline(always)]
unsafe fn weight_gradient_dots<S: Simd>(
    a: *const f32,
    dz: *const f32,
    k: usize,
    n: usize,
    vectors: usize,
    gw: *mut f32,
) {
    unsafe {
        for j in 0..n {
            let dj = dz.add(j * CHUNK);
            let mut i = 0;
            while i < k {
                let mr = if k - i >= 4 { 4 } else { 1 };
                let mut acc = [S::splat(0.0); 4];
                for v in 0..vectors {
                    let d = S::load(dj.add(v * S::LANES));
                    for r in 0..mr {
                        acc[r] = S::fma(S::load(a.add((i + r) * CHUNK + v * S::LANES)), d, acc[r]);
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
#[inline(always)]
unsafe fn backward<S: Simd>(
    ws: &mut Workspace,
    shape: &NetShape,
    params: &[f32],
    grads: &mut [f32],
    vectors: usize,
    valid: usize,
) {
    unsafe {
        let layers = shape.layout.shapes.len();
        for l in (0..layers).rev() {
            let (k, n) = shape.layout.shapes[l];
            let a = if l == 0 {
                ws.x_t.as_ptr()
            } else {
                ws.values[l - 1].as_ptr()
            };
            let gw = grads.as_mut_ptr().add(shape.layout.weight_at[l]);
            let gb = grads.as_mut_ptr().add(shape.layout.bias_at[l]);
            let dz = ws.dz.as_ptr();
            for j in 0..n {
                let mut acc = S::splat(0.0);
                for v in 0..vectors {
                    acc = S::add(acc, S::load(dz.add(j * CHUNK + v * S::LANES)));
                }
                *gb.add(j) += S::sum(acc);
            }
            if n % S::LANES == 0 {
                let dzp = ws.dz_points.as_mut_ptr();
                for jb in (0..n).step_by(S::LANES) {
                    for v in 0..vectors {
                        let p = v * S::LANES;
                        S::transpose(dz.add(jb * CHUNK + p), CHUNK, dzp.add(p * n + jb), n);
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
        let out = &mut dst[c * CHUNK..c * CHUNK + padded];
        for (o, &r) in out.iter_mut().zip(rows) {
            *o = src[r * width + c];
        }
        out[rows.len()..].fill(0.0);
    }
}

#[inline(always)]
pub(super) unsafe fn accumulate_gradients<S: Simd>(
    ws: &mut Workspace,
    shape: &NetShape,
    params: &[f32],
    grads: &mut [f32],
    points: &Points,
    rows: &[usize],
) {
    unsafe {
        let scale = 1.0 / rows.len() as f32;
        let (inputs, outputs) = (ws.widths[0], *ws.widths.last().expect("widths"));
        for chunk in rows.chunks(CHUNK) {
            let valid = chunk.len();
            let vectors = valid.div_ceil(S::LANES);
            gather(points.x, inputs, chunk, vectors * S::LANES, &mut ws.x_t);
            gather(points.y, outputs, chunk, vectors * S::LANES, &mut ws.y_t);
            forward::<S>(ws, shape, params, vectors);
            loss_gradient::<S>(ws, shape.loss, vectors, valid, scale);
            backward::<S>(ws, shape, params, grads, vectors, valid);
        }
    }
}

#[inline(always)]
pub(super) unsafe fn predict<S: Simd>(
    ws: &mut Workspace,
    shape: &NetShape,
    params: &[f32],
    x: &[f32],
    out: &mut [f32],
) {
    unsafe {
        let (inputs, outputs) = (ws.widths[0], *ws.widths.last().expect("widths"));
        let n = x.len() / inputs;
        let mut start = 0;
        while start < n {
            let valid = (n - start).min(CHUNK);
            let vectors = valid.div_ceil(S::LANES);
            let xs = &x[start * inputs..(start + valid) * inputs];
            for c in 0..inputs {
                let dst = &mut ws.x_t[c * CHUNK..c * CHUNK + vectors * S::LANES];
                for p in 0..valid {
                    dst[p] = xs[p * inputs + c];
                }
                dst[valid..].fill(0.0);
            }
            forward::<S>(ws, shape, params, vectors);
            let z = ws.values.last_mut().expect("an output layer");
            if shape.loss == Loss::BinaryCrossEntropy {
                for o in 0..outputs {
                    for v in 0..vectors {
                        let at = z.as_mut_ptr().add(o * CHUNK + v * S::LANES);
                        S::store(at, sigmoid::<S>(S::load(at)));
                    }
                }
            }
            let dst = &mut out[start * outputs..(start + valid) * outputs];
            for p in 0..valid {
                for o in 0..outputs {
                    dst[p * outputs + o] = z[o * CHUNK + p];
                }
                if shape.loss == Loss::SoftmaxCrossEntropy {
                    let row = &mut dst[p * outputs..(p + 1) * outputs];
                    let m = row.iter().fold(f32::NEG_INFINITY, |m, &v| m.max(v));
                    let mut sum = 0.0;
                    for v in row.iter_mut() {
                        *v = (*v - m).exp();
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

#[inline(always)]
pub(super) unsafe fn tanh_in_place<S: Simd>(values: &mut [f32]) {
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
