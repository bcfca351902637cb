//! The portable 8-lane instance of the kernels: the AVX2 instance's arithmetic in plain
//! Rust, for machines without AVX2 (other x86 CPUs, ARM).
//!
//! Every operation rounds as its AVX2 intrinsic does: add, sub, mul and div are IEEE
//! operations on each lane; `fma` is fused (`f32::mul_add`, one rounding, as
//! `vfmadd` does); `min` and `max` return the second operand when the lanes are
//! unordered or equal, as `minps`/`maxps` do; `sum` adds the lanes in the AVX2
//! instance's order. The blocked loops of `dense.rs` and `forward.rs` depend on the
//! number of lanes only, so they run the same operations in the same order: the two
//! instances give the same bits (tested in `tests/it/engine_kernels.rs`), and trained
//! simulations do not depend on the machine.
//!
//! Owns: the 8-lane `Simd` operations in plain Rust. Never does: any loop of a pass.

use super::Simd;

pub(super) struct Lanes8;

type V = [f32; 8];

#[inline(always)]
fn each2(a: V, b: V, f: impl Fn(f32, f32) -> f32) -> V {
    std::array::from_fn(|i| f(a[i], b[i]))
}

/// `a * b + c` with one rounding, as `vfmadd` computes it: the instruction where the
/// target has one (ARM always does).
#[cfg(any(target_arch = "aarch64", target_feature = "fma"))]
#[inline(always)]
pub(super) fn fused(a: f32, b: f32, c: f32) -> f32 {
    a.mul_add(b, c)
}

/// `a * b + c` with one rounding, as `vfmadd` computes it, without an FMA instruction
/// (`f32::mul_add` would be a library call per lane, 60 times slower here).
///
/// The product of two f32 is exact in f64. The sum is rounded to f64 *to odd* (the
/// nearest rounding's error, exact by TwoSum, says which neighbour that is), and a value
/// rounded to odd with 53 >= 24 + 2 bits rounds to the nearest f32 correctly (Boldo and
/// Melquiond, "Emulation of FMA and correctly rounded sums", 2008).
#[cfg(not(any(target_arch = "aarch64", target_feature = "fma")))]
#[inline(always)]
pub(super) fn fused(a: f32, b: f32, c: f32) -> f32 {
    let p = a as f64 * b as f64;
    let c = c as f64;
    let s = p + c;
    let bb = s - p;
    let err = (p - (s - bb)) + (c - bb);
    // The odd neighbour of `s` on the side of the exact sum, where `s` is inexact and
    // even; without branches, so that the lanes vectorize.
    let bits = s.to_bits();
    let step = (s.is_finite() & (err != 0.0) & (bits & 1 == 0)) as u64;
    let toward_zero = ((err > 0.0) != (s > 0.0)) as u64;
    let odd = bits.wrapping_add(step).wrapping_sub(2 * step * toward_zero);
    f64::from_bits(odd) as f32
}

impl Simd for Lanes8 {
    const LANES: usize = 8;
    type V = V;
    /// # Safety
    /// As [`Simd::splat`]: the trait's contract.
    #[inline(always)]
    unsafe fn splat(v: f32) -> V {
        [v; 8]
    }
    /// # Safety
    /// As [`Simd::load`]: the trait's contract.
    #[inline(always)]
    unsafe fn load(p: *const f32) -> V {
        // SAFETY: the caller upholds the trait's contract; `p` is valid for reading 8
        // floats, at any alignment.
        unsafe { p.cast::<V>().read_unaligned() }
    }
    /// # Safety
    /// As [`Simd::store`]: the trait's contract.
    #[inline(always)]
    unsafe fn store(p: *mut f32, v: V) {
        // SAFETY: the caller upholds the trait's contract; `p` is valid for writing 8
        // floats, at any alignment.
        unsafe { p.cast::<V>().write_unaligned(v) }
    }
    /// # Safety
    /// As [`Simd::add`]: the trait's contract.
    #[inline(always)]
    unsafe fn add(a: V, b: V) -> V {
        each2(a, b, |a, b| a + b)
    }
    /// # Safety
    /// As [`Simd::sub`]: the trait's contract.
    #[inline(always)]
    unsafe fn sub(a: V, b: V) -> V {
        each2(a, b, |a, b| a - b)
    }
    /// # Safety
    /// As [`Simd::mul`]: the trait's contract.
    #[inline(always)]
    unsafe fn mul(a: V, b: V) -> V {
        each2(a, b, |a, b| a * b)
    }
    /// # Safety
    /// As [`Simd::fma`]: the trait's contract.
    #[inline(always)]
    unsafe fn fma(a: V, b: V, c: V) -> V {
        std::array::from_fn(|i| fused(a[i], b[i], c[i]))
    }
    /// # Safety
    /// As [`Simd::div_fast`]: the trait's contract.
    #[inline(always)]
    unsafe fn div_fast(a: V, b: V) -> V {
        each2(a, b, |a, b| a / b)
    }
    /// # Safety
    /// As [`Simd::min`]: the trait's contract.
    #[inline(always)]
    unsafe fn min(a: V, b: V) -> V {
        // `minps`: `b` unless `a < b` (so `b` for NaN and for equal zeros).
        each2(a, b, |a, b| if a < b { a } else { b })
    }
    /// # Safety
    /// As [`Simd::max`]: the trait's contract.
    #[inline(always)]
    unsafe fn max(a: V, b: V) -> V {
        // `maxps`: `b` unless `a > b`.
        each2(a, b, |a, b| if a > b { a } else { b })
    }
    /// # Safety
    /// As [`Simd::select_positive`]: the trait's contract.
    #[inline(always)]
    unsafe fn select_positive(a: V, x: V, y: V) -> V {
        std::array::from_fn(|i| if a[i] > 0.0 { x[i] } else { y[i] })
    }
    /// # Safety
    /// As [`Simd::sum`]: the trait's contract.
    #[inline(always)]
    unsafe fn sum(v: V) -> f32 {
        // The AVX2 instance's order: the halves added lane by lane, then lanes 0 + 2 and
        // 1 + 3, then those two.
        let h = [v[0] + v[4], v[1] + v[5], v[2] + v[6], v[3] + v[7]];
        (h[0] + h[2]) + (h[1] + h[3])
    }
    /// # Safety
    /// As [`Simd::transpose`]: the trait's contract.
    #[inline(always)]
    unsafe fn transpose(src: *const f32, src_stride: usize, dst: *mut f32, dst_stride: usize) {
        for i in 0..8 {
            for j in 0..8 {
                // SAFETY: the caller upholds the trait's contract: `src` is valid for
                // reading 8 rows of 8 floats `src_stride` apart, `dst` for writing as
                // many `dst_stride` apart.
                unsafe { *dst.add(j * dst_stride + i) = *src.add(i * src_stride + j) }
            }
        }
    }
}

super::entry_points!(Lanes8);

#[cfg(test)]
mod tests {
    use super::fused;
    use crate::engine::SplitMix64;

    /// The emulated fused multiply-add against the correctly rounded one of the C library
    /// (`f32::mul_add`): random operands over the whole range and the cases where double
    /// rounding bites (ties, cancellation, subnormals, overflow, infinities, zeros).
    #[test]
    fn the_fused_multiply_add_rounds_once() {
        let mut rng = SplitMix64::new(7);
        let mut bits = || rng.next_u64() as u32;
        let mut cases: Vec<[f32; 3]> = Vec::new();
        for _ in 0..2_000_000 {
            let (a, b, c) = (
                f32::from_bits(bits()),
                f32::from_bits(bits()),
                f32::from_bits(bits()),
            );
            cases.push([a, b, c]);
            // Operands near 1 with c near -a*b: cancellation and ties.
            let (x, y) = (
                1.0 + (bits() >> 9) as f32 * f32::EPSILON,
                1.0 - (bits() >> 9) as f32 * 1e-8,
            );
            cases.push([x, y, -(x * y)]);
            cases.push([x, y, f32::from_bits(bits() >> 8)]);
        }
        let specials = [
            0.0,
            -0.0,
            1.0,
            -1.0,
            f32::MIN_POSITIVE,
            1e-45,
            f32::MAX,
            f32::INFINITY,
            f32::NEG_INFINITY,
            1.0 + f32::EPSILON,
            1.0 - f32::EPSILON / 2.0,
            3.0,
            0.5,
        ];
        for a in specials {
            for b in specials {
                for c in specials {
                    cases.push([a, b, c]);
                    cases.push([a, b, -c]);
                }
            }
        }
        for [a, b, c] in cases {
            let (want, got) = (a.mul_add(b, c), fused(a, b, c));
            assert!(
                want.to_bits() == got.to_bits() || (want.is_nan() && got.is_nan()),
                "fma({a:e}, {b:e}, {c:e}) = {want:e}, emulated {got:e}"
            );
        }
    }
}
