//! The one-lane instance of the kernels: runs everywhere, and is what the vector
//! instances are compared against in the tests (besides the ndarray reference).
//!
//! Owns: the one-lane `Simd` operations. Never does: any loop of a pass.

use super::Simd;

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

super::entry_points!(Scalar);
