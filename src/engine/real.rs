//! The float type of the reference path: f32 for training, f64 for gradient checks and
//! final metrics. Owns only the handful of operations the math needs; must never grow
//! into a numeric-tower abstraction.

use ndarray::LinalgScalar;

/// A float the reference network, activations and losses can be written over.
pub trait Real:
    LinalgScalar + std::ops::Neg<Output = Self> + PartialOrd + std::fmt::Debug + Send + Sync + 'static
{
    fn from_f64(v: f64) -> Self;
    fn to_f64(self) -> f64;
    fn tanh(self) -> Self;
    fn exp(self) -> Self;
    fn ln_1p(self) -> Self;
    fn abs(self) -> Self;
    fn max(self, other: Self) -> Self;
}

/// The transcendental functions come from the `libm` crate, not the platform's C
/// library: its results are the same on every system, and so are the trained numbers.
macro_rules! impl_real {
    ($t:ty, $tanh:path, $exp:path, $ln_1p:path) => {
        impl Real for $t {
            fn from_f64(v: f64) -> Self {
                v as $t
            }
            fn to_f64(self) -> f64 {
                self as f64
            }
            fn tanh(self) -> Self {
                $tanh(self)
            }
            fn exp(self) -> Self {
                $exp(self)
            }
            fn ln_1p(self) -> Self {
                $ln_1p(self)
            }
            fn abs(self) -> Self {
                <$t>::abs(self)
            }
            fn max(self, other: Self) -> Self {
                <$t>::max(self, other)
            }
        }
    };
}

impl_real!(f32, libm::tanhf, libm::expf, libm::log1pf);
impl_real!(f64, libm::tanh, libm::exp, libm::log1p);
