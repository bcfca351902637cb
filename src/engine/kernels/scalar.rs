//! The one-lane instance of the kernels: runs everywhere, and is what the vector
//! instances are compared against in the tests (besides the ndarray reference).
//!
//! Owns: the one-lane `Simd` operations. Never does: any loop of a pass.

use super::dense;
use super::{Columns, NetShape, Points, Simd, Workspace};

pub(super) struct Scalar;

impl Simd for Scalar {
    const LANES: usize = 1;
    type V = f32;
    /// # Safety
    /// As [`Simd::splat`]: the trait's contract.
    #[inline(always)]
    unsafe fn splat(v: f32) -> f32 {
        v
    }
    /// # Safety
    /// As [`Simd::load`]: the trait's contract.
    #[inline(always)]
    unsafe fn load(p: *const f32) -> f32 {
        // SAFETY: the caller upholds the trait's contract; `p` is valid for reading
        // one float.
        unsafe { *p }
    }
    /// # Safety
    /// As [`Simd::store`]: the trait's contract.
    #[inline(always)]
    unsafe fn store(p: *mut f32, v: f32) {
        // SAFETY: the caller upholds the trait's contract; `p` is valid for writing
        // one float.
        unsafe { *p = v }
    }
    /// # Safety
    /// As [`Simd::add`]: the trait's contract.
    #[inline(always)]
    unsafe fn add(a: f32, b: f32) -> f32 {
        a + b
    }
    /// # Safety
    /// As [`Simd::sub`]: the trait's contract.
    #[inline(always)]
    unsafe fn sub(a: f32, b: f32) -> f32 {
        a - b
    }
    /// # Safety
    /// As [`Simd::mul`]: the trait's contract.
    #[inline(always)]
    unsafe fn mul(a: f32, b: f32) -> f32 {
        a * b
    }
    /// # Safety
    /// As [`Simd::fma`]: the trait's contract.
    #[inline(always)]
    unsafe fn fma(a: f32, b: f32, c: f32) -> f32 {
        // Unfused: without the FMA feature a fused multiply-add is a slow libm call.
        a * b + c
    }
    /// # Safety
    /// As [`Simd::div_fast`]: the trait's contract.
    #[inline(always)]
    unsafe fn div_fast(a: f32, b: f32) -> f32 {
        a / b
    }
    /// # Safety
    /// As [`Simd::min`]: the trait's contract.
    #[inline(always)]
    unsafe fn min(a: f32, b: f32) -> f32 {
        a.min(b)
    }
    /// # Safety
    /// As [`Simd::max`]: the trait's contract.
    #[inline(always)]
    unsafe fn max(a: f32, b: f32) -> f32 {
        a.max(b)
    }
    /// # Safety
    /// As [`Simd::select_positive`]: the trait's contract.
    #[inline(always)]
    unsafe fn select_positive(a: f32, x: f32, y: f32) -> f32 {
        if a > 0.0 { x } else { y }
    }
    /// # Safety
    /// As [`Simd::sum`]: the trait's contract.
    #[inline(always)]
    unsafe fn sum(v: f32) -> f32 {
        v
    }
    /// # Safety
    /// As [`Simd::transpose`]: the trait's contract.
    #[inline(always)]
    unsafe fn transpose(src: *const f32, _: usize, dst: *mut f32, _: usize) {
        // SAFETY: the caller upholds the trait's contract: `src` is valid for reading one
        // float and `dst` for writing one.
        unsafe { *dst = *src }
    }
}

/// # Safety
/// `ws` must be made for `shape.layout`, and `params` and `grads` hold `shape.layout.len`
/// floats each (what `check_fit` asserts).
pub(super) unsafe fn accumulate_gradients(
    ws: &mut Workspace,
    shape: &NetShape,
    params: &[f32],
    grads: &mut [f32],
    points: &Points,
    rows: &[usize],
) {
    // SAFETY: the scalar instance uses no instruction-set extension, and the sizes are
    // this function's contract.
    unsafe { dense::accumulate_gradients::<Scalar>(ws, shape, params, grads, points, rows) }
}

/// # Safety
/// `ws` must be made for `shape.layout`, `params` hold `shape.layout.len` floats, and `x`
/// have the layout's input width.
pub(super) unsafe fn predict(
    ws: &mut Workspace,
    shape: &NetShape,
    params: &[f32],
    x: &Columns,
    out: &mut [f32],
    units: Option<&mut [f32]>,
) {
    // SAFETY: as above.
    unsafe { super::forward::predict::<Scalar>(ws, shape, params, x, out, units) }
}

/// # Safety
/// As [`predict`], with `x` row-major.
#[cfg(test)]
pub(super) unsafe fn predict_by_training_forward(
    ws: &mut Workspace,
    shape: &NetShape,
    params: &[f32],
    x: &[f32],
    out: &mut [f32],
    units: &mut [f32],
) {
    // SAFETY: as above.
    unsafe { dense::predict_by_training_forward::<Scalar>(ws, shape, params, x, out, units) }
}

pub(super) fn tanh_in_place(values: &mut [f32]) {
    // SAFETY: the scalar instance uses no instruction-set extension; `tanh_in_place` has
    // no other contract.
    unsafe { dense::tanh_in_place::<Scalar>(values) }
}
