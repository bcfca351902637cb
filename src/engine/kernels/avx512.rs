//! The 16-lane AVX-512F instance of the kernels.
//!
//! Owns: the `Simd` operations in AVX-512 intrinsics. Never does: any loop of a pass (those
//! are `dense.rs`'s).

use std::arch::x86_64::*;

use super::Simd;

pub(super) struct Avx512;

impl Simd for Avx512 {
    const LANES: usize = 16;
    type V = __m512;
    /// # Safety
    /// As [`Simd::splat`]: the trait's contract.
    #[inline(always)]
    unsafe fn splat(v: f32) -> __m512 {
        // SAFETY: the caller runs this on a CPU with AVX-512F/DQ (the trait's contract).
        unsafe { _mm512_set1_ps(v) }
    }
    /// # Safety
    /// As [`Simd::load`]: the trait's contract.
    #[inline(always)]
    unsafe fn load(p: *const f32) -> __m512 {
        // SAFETY: the caller runs this on a CPU with AVX-512F/DQ (the trait's contract);
        // `p` is valid for reading 16 floats.
        unsafe { _mm512_loadu_ps(p) }
    }
    /// # Safety
    /// As [`Simd::store`]: the trait's contract.
    #[inline(always)]
    unsafe fn store(p: *mut f32, v: __m512) {
        // SAFETY: the caller runs this on a CPU with AVX-512F/DQ (the trait's contract);
        // `p` is valid for writing 16 floats.
        unsafe { _mm512_storeu_ps(p, v) }
    }
    /// # Safety
    /// As [`Simd::add`]: the trait's contract.
    #[inline(always)]
    unsafe fn add(a: __m512, b: __m512) -> __m512 {
        // SAFETY: the caller runs this on a CPU with AVX-512F/DQ (the trait's contract).
        unsafe { _mm512_add_ps(a, b) }
    }
    /// # Safety
    /// As [`Simd::sub`]: the trait's contract.
    #[inline(always)]
    unsafe fn sub(a: __m512, b: __m512) -> __m512 {
        // SAFETY: the caller runs this on a CPU with AVX-512F/DQ (the trait's contract).
        unsafe { _mm512_sub_ps(a, b) }
    }
    /// # Safety
    /// As [`Simd::mul`]: the trait's contract.
    #[inline(always)]
    unsafe fn mul(a: __m512, b: __m512) -> __m512 {
        // SAFETY: the caller runs this on a CPU with AVX-512F/DQ (the trait's contract).
        unsafe { _mm512_mul_ps(a, b) }
    }
    /// # Safety
    /// As [`Simd::fma`]: the trait's contract.
    #[inline(always)]
    unsafe fn fma(a: __m512, b: __m512, c: __m512) -> __m512 {
        // SAFETY: the caller runs this on a CPU with AVX-512F/DQ (the trait's contract).
        unsafe { _mm512_fmadd_ps(a, b, c) }
    }
    /// # Safety
    /// As [`Simd::div_fast`]: the trait's contract.
    #[inline(always)]
    unsafe fn div_fast(a: __m512, b: __m512) -> __m512 {
        // SAFETY: the caller runs this on a CPU with AVX-512F/DQ (the trait's contract).
        // An exact (IEEE) quotient, as in every kernel: the same bits on every CPU.
        unsafe { _mm512_div_ps(a, b) }
    }
    /// # Safety
    /// As [`Simd::min`]: the trait's contract.
    #[inline(always)]
    unsafe fn min(a: __m512, b: __m512) -> __m512 {
        // SAFETY: the caller runs this on a CPU with AVX-512F/DQ (the trait's contract).
        unsafe { _mm512_min_ps(a, b) }
    }
    /// # Safety
    /// As [`Simd::max`]: the trait's contract.
    #[inline(always)]
    unsafe fn max(a: __m512, b: __m512) -> __m512 {
        // SAFETY: the caller runs this on a CPU with AVX-512F/DQ (the trait's contract).
        unsafe { _mm512_max_ps(a, b) }
    }
    /// # Safety
    /// As [`Simd::select_positive`]: the trait's contract.
    #[inline(always)]
    unsafe fn select_positive(a: __m512, x: __m512, y: __m512) -> __m512 {
        // SAFETY: the caller runs this on a CPU with AVX-512F/DQ (the trait's contract).
        unsafe {
            let positive = _mm512_cmp_ps_mask::<_CMP_GT_OQ>(a, _mm512_setzero_ps());
            _mm512_mask_blend_ps(positive, y, x)
        }
    }
    /// # Safety
    /// As [`Simd::sum`]: the trait's contract.
    #[inline(always)]
    unsafe fn sum(v: __m512) -> f32 {
        // SAFETY: the caller runs this on a CPU with AVX-512F/DQ (the trait's contract).
        unsafe { _mm512_reduce_add_ps(v) }
    }
    /// # Safety
    /// As [`Simd::transpose`]: the trait's contract.
    #[inline(always)]
    #[allow(clippy::needless_range_loop)] // unrolled register blocks
    unsafe fn transpose(src: *const f32, src_stride: usize, dst: *mut f32, dst_stride: usize) {
        // SAFETY: the caller runs this on a CPU with AVX-512F/DQ (the trait's contract);
        // `src` and `dst` are valid for 16 rows of 16 floats at their strides, and do not
        // overlap.
        unsafe {
            // No closures here: they would not inherit the target features, and the
            // intrinsics inside them would stop being inlined.
            let mut r = [_mm512_setzero_ps(); 16];
            for i in 0..16 {
                r[i] = _mm512_loadu_ps(src.add(i * src_stride));
            }
            // Within each 128-bit lane: interleave row pairs, then build 4x4 transposes, so
            // u[4g + m] lane l holds rows 4g..4g+3 of column 4l + m.
            let mut t = [_mm512_setzero_ps(); 16];
            for k in 0..8 {
                t[2 * k] = _mm512_unpacklo_ps(r[2 * k], r[2 * k + 1]);
                t[2 * k + 1] = _mm512_unpackhi_ps(r[2 * k], r[2 * k + 1]);
            }
            let mut u = [_mm512_setzero_ps(); 16];
            for g in 0..4 {
                u[4 * g] = _mm512_shuffle_ps::<0x44>(t[4 * g], t[4 * g + 2]);
                u[4 * g + 1] = _mm512_shuffle_ps::<0xEE>(t[4 * g], t[4 * g + 2]);
                u[4 * g + 2] = _mm512_shuffle_ps::<0x44>(t[4 * g + 1], t[4 * g + 3]);
                u[4 * g + 3] = _mm512_shuffle_ps::<0xEE>(t[4 * g + 1], t[4 * g + 3]);
            }
            // Then gather lane l of u[m], u[4 + m], u[8 + m], u[12 + m] into column 4l + m.
            for m in 0..4 {
                let v0 = _mm512_shuffle_f32x4::<0x88>(u[m], u[4 + m]);
                let v1 = _mm512_shuffle_f32x4::<0xDD>(u[m], u[4 + m]);
                let w0 = _mm512_shuffle_f32x4::<0x88>(u[8 + m], u[12 + m]);
                let w1 = _mm512_shuffle_f32x4::<0xDD>(u[8 + m], u[12 + m]);
                _mm512_storeu_ps(
                    dst.add(m * dst_stride),
                    _mm512_shuffle_f32x4::<0x88>(v0, w0),
                );
                _mm512_storeu_ps(
                    dst.add((4 + m) * dst_stride),
                    _mm512_shuffle_f32x4::<0x88>(v1, w1),
                );
                _mm512_storeu_ps(
                    dst.add((8 + m) * dst_stride),
                    _mm512_shuffle_f32x4::<0xDD>(v0, w0),
                );
                _mm512_storeu_ps(
                    dst.add((12 + m) * dst_stride),
                    _mm512_shuffle_f32x4::<0xDD>(v1, w1),
                );
            }
        }
    }
}

super::entry_points!(Avx512, "avx512f", "avx512dq", "avx2", "fma");
