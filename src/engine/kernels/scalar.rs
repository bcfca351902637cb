//! The one-lane instance of the kernels: runs everywhere, and is what the vector
//! instances are compared against in the tests (besides the ndarray reference).

use super::dense;
use super::{NetShape, Points, Simd, Workspace};

pub(super) struct Scalar;

impl Simd for Scalar {
    const LANES: usize = 1;
    type V = f32;
    #[inline(always)]
    unsafe fn splat(v: f32) -> f32 {
        v
    }
    #[inline(always)]
    unsafe fn load(p: *const f32) -> f32 {
        unsafe { *p }
    }
    #[inline(always)]
    unsafe fn store(p: *mut f32, v: f32) {
        unsafe { *p = v }
    }
    #[inline(always)]
    unsafe fn add(a: f32, b: f32) -> f32 {
        a + b
    }
    #[inline(always)]
    unsafe fn sub(a: f32, b: f32) -> f32 {
        a - b
    }
    #[inline(always)]
    unsafe fn mul(a: f32, b: f32) -> f32 {
        a * b
    }
    #[inline(always)]
    unsafe fn fma(a: f32, b: f32, c: f32) -> f32 {
        // Unfused: without the FMA feature a fused multiply-add is a slow libm call.
        a * b + c
    }
    #[inline(always)]
    unsafe fn div_fast(a: f32, b: f32) -> f32 {
        a / b
    }
    #[inline(always)]
    unsafe fn min(a: f32, b: f32) -> f32 {
        a.min(b)
    }
    #[inline(always)]
    unsafe fn max(a: f32, b: f32) -> f32 {
        a.max(b)
    }
    #[inline(always)]
    unsafe fn select_positive(a: f32, x: f32, y: f32) -> f32 {
        if a > 0.0 { x } else { y }
    }
    #[inline(always)]
    unsafe fn sum(v: f32) -> f32 {
        v
    }
    #[inline(always)]
    unsafe fn transpose(src: *const f32, _: usize, dst: *mut f32, _: usize) {
        unsafe { *dst = *src }
    }
}

pub(super) fn accumulate_gradients(
    ws: &mut Workspace,
    shape: &NetShape,
    params: &[f32],
    grads: &mut [f32],
    points: &Points,
    rows: &[usize],
) {
    // SAFETY: the scalar instance uses no instruction-set extension.
    unsafe { dense::accumulate_gradients::<Scalar>(ws, shape, params, grads, points, rows) }
}

pub(super) fn predict(
    ws: &mut Workspace,
    shape: &NetShape,
    params: &[f32],
    x: &[f32],
    out: &mut [f32],
) {
    // SAFETY: as above.
    unsafe { dense::predict::<Scalar>(ws, shape, params, x, out) }
}

pub(super) fn tanh_in_place(values: &mut [f32]) {
    // SAFETY: as above.
    unsafe { dense::tanh_in_place::<Scalar>(values) }
}
