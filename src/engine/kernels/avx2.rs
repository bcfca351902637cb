//! The 8-lane AVX2 + FMA instance of the kernels.
//!
//! Owns: the `Simd` operations in AVX2 + FMA intrinsics. Never does: any loop of a pass
//! (those are `dense.rs`'s).

use std::arch::x86_64::*;

use super::Simd;

pub(super) struct Avx2;

impl Simd for Avx2 {
    const LANES: usize = 8;
    type V = __m256;
    /// # Safety
    /// As [`Simd::splat`]: the trait's contract.
    #[inline(always)]
    unsafe fn splat(v: f32) -> __m256 {
        // SAFETY: the caller runs this on a CPU with AVX2 + FMA (the trait's contract).
        unsafe { _mm256_set1_ps(v) }
    }
    /// # Safety
    /// As [`Simd::load`]: the trait's contract.
    #[inline(always)]
    unsafe fn load(p: *const f32) -> __m256 {
        // SAFETY: the caller runs this on a CPU with AVX2 + FMA (the trait's contract); `p`
        // is valid for reading 8 floats.
        unsafe { _mm256_loadu_ps(p) }
    }
    /// # Safety
    /// As [`Simd::store`]: the trait's contract.
    #[inline(always)]
    unsafe fn store(p: *mut f32, v: __m256) {
        // SAFETY: the caller runs this on a CPU with AVX2 + FMA (the trait's contract); `p`
        // is valid for writing 8 floats.
        unsafe { _mm256_storeu_ps(p, v) }
    }
    /// # Safety
    /// As [`Simd::add`]: the trait's contract.
    #[inline(always)]
    unsafe fn add(a: __m256, b: __m256) -> __m256 {
        // SAFETY: the caller runs this on a CPU with AVX2 + FMA (the trait's contract).
        unsafe { _mm256_add_ps(a, b) }
    }
    /// # Safety
    /// As [`Simd::sub`]: the trait's contract.
    #[inline(always)]
    unsafe fn sub(a: __m256, b: __m256) -> __m256 {
        // SAFETY: the caller runs this on a CPU with AVX2 + FMA (the trait's contract).
        unsafe { _mm256_sub_ps(a, b) }
    }
    /// # Safety
    /// As [`Simd::mul`]: the trait's contract.
    #[inline(always)]
    unsafe fn mul(a: __m256, b: __m256) -> __m256 {
        // SAFETY: the caller runs this on a CPU with AVX2 + FMA (the trait's contract).
        unsafe { _mm256_mul_ps(a, b) }
    }
    /// # Safety
    /// As [`Simd::fma`]: the trait's contract.
    #[inline(always)]
    unsafe fn fma(a: __m256, b: __m256, c: __m256) -> __m256 {
        // SAFETY: the caller runs this on a CPU with AVX2 + FMA (the trait's contract).
        unsafe { _mm256_fmadd_ps(a, b, c) }
    }
    /// # Safety
    /// As [`Simd::div_fast`]: the trait's contract.
    #[inline(always)]
    unsafe fn div_fast(a: __m256, b: __m256) -> __m256 {
        // SAFETY: the caller runs this on a CPU with AVX2 + FMA (the trait's contract).
        // An exact (IEEE) quotient: a reciprocal estimate (`rcpps`) differs between CPU
        // makers, and with it the trained numbers would.
        unsafe { _mm256_div_ps(a, b) }
    }
    /// # Safety
    /// As [`Simd::min`]: the trait's contract.
    #[inline(always)]
    unsafe fn min(a: __m256, b: __m256) -> __m256 {
        // SAFETY: the caller runs this on a CPU with AVX2 + FMA (the trait's contract).
        unsafe { _mm256_min_ps(a, b) }
    }
    /// # Safety
    /// As [`Simd::max`]: the trait's contract.
    #[inline(always)]
    unsafe fn max(a: __m256, b: __m256) -> __m256 {
        // SAFETY: the caller runs this on a CPU with AVX2 + FMA (the trait's contract).
        unsafe { _mm256_max_ps(a, b) }
    }
    /// # Safety
    /// As [`Simd::select_positive`]: the trait's contract.
    #[inline(always)]
    unsafe fn select_positive(a: __m256, x: __m256, y: __m256) -> __m256 {
        // SAFETY: the caller runs this on a CPU with AVX2 + FMA (the trait's contract).
        unsafe { _mm256_blendv_ps(y, x, _mm256_cmp_ps::<_CMP_GT_OQ>(a, _mm256_setzero_ps())) }
    }
    /// # Safety
    /// As [`Simd::sum`]: the trait's contract.
    #[inline(always)]
    unsafe fn sum(v: __m256) -> f32 {
        // SAFETY: the caller runs this on a CPU with AVX2 + FMA (the trait's contract).
        unsafe {
            let s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps::<1>(v));
            let s = _mm_add_ps(s, _mm_movehl_ps(s, s));
            let s = _mm_add_ss(s, _mm_shuffle_ps::<0b01>(s, s));
            _mm_cvtss_f32(s)
        }
    }
    /// # Safety
    /// As [`Simd::transpose`]: the trait's contract.
    #[inline(always)]
    #[allow(clippy::needless_range_loop)] // unrolled register blocks
    unsafe fn transpose(src: *const f32, src_stride: usize, dst: *mut f32, dst_stride: usize) {
        // SAFETY: the caller runs this on a CPU with AVX2 + FMA (the trait's contract);
        // `src` and `dst` are valid for 8 rows of 8 floats at their strides, and do not
        // overlap.
        unsafe {
            // No closures here: they would not inherit the target features, and the
            // intrinsics inside them would stop being inlined.
            let mut r = [_mm256_setzero_ps(); 8];
            for i in 0..8 {
                r[i] = _mm256_loadu_ps(src.add(i * src_stride));
            }
            // Interleave pairs of rows, then pairs of pairs, then swap 128-bit halves.
            let mut t = [_mm256_setzero_ps(); 8];
            for k in 0..4 {
                t[2 * k] = _mm256_unpacklo_ps(r[2 * k], r[2 * k + 1]);
                t[2 * k + 1] = _mm256_unpackhi_ps(r[2 * k], r[2 * k + 1]);
            }
            let mut u = [_mm256_setzero_ps(); 8];
            for g in 0..2 {
                u[4 * g] = _mm256_shuffle_ps::<0x44>(t[4 * g], t[4 * g + 2]);
                u[4 * g + 1] = _mm256_shuffle_ps::<0xEE>(t[4 * g], t[4 * g + 2]);
                u[4 * g + 2] = _mm256_shuffle_ps::<0x44>(t[4 * g + 1], t[4 * g + 3]);
                u[4 * g + 3] = _mm256_shuffle_ps::<0xEE>(t[4 * g + 1], t[4 * g + 3]);
            }
            for m in 0..4 {
                let lo = _mm256_permute2f128_ps::<0x20>(u[m], u[4 + m]);
                let hi = _mm256_permute2f128_ps::<0x31>(u[m], u[4 + m]);
                _mm256_storeu_ps(dst.add(m * dst_stride), lo);
                _mm256_storeu_ps(dst.add((4 + m) * dst_stride), hi);
            }
        }
    }
}

super::entry_points!(Avx2, "avx2", "fma");
