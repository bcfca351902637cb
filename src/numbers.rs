//! Numbers as a reader sees them: the one rounding rule of every number the build writes
//! into a page, shared with the theme's `widgets.js`, which implements the same algorithm
//! so that a figure redrawn in the browser reads exactly as the one drawn at build time.
//!
//! The rule works on decimal digits, never on binary fractions, so the two languages
//! agree digit for digit:
//!
//! 1. Write `|x|` in scientific notation with the shortest digits that read back as the
//!    same `f64` (Rust's `{:e}`, JavaScript's `toExponential()`: both are the shortest
//!    round-trip digits), e.g. `2.9999999999999997e-5`.
//! 2. Round those digits half up (away from zero) to at most `n` significant digits
//!    ([`significant`]) or to `n` decimals ([`decimals`]); a carry may add a digit
//!    (`9.96` → `10.0`).
//! 3. Write the result positionally, never with an exponent; [`significant`] drops
//!    trailing zeros (`0.03 / 1000` → `0.00003`), [`decimals`] keeps exactly `n` decimals.
//!    A number that rounds to zero has no sign.
//!
//! Negative numbers start with an ASCII `-`; pages show them with a minus sign (U+2212).
//!
//! Owns: the rounding rule. Never does: choose how many digits a figure needs.

/// `x` rounded to at most `digits` significant digits, without trailing zeros:
/// `significant(0.03 / 1000.0, 6)` is `"0.00003"`, `significant(1234.5, 3)` is `"1230"`.
pub fn significant(x: f64, digits: usize) -> String {
    match Decimal::of(x) {
        Some(d) => d.keep(digits as i64).positional(0),
        None => non_finite(x),
    }
}

/// `x` rounded to exactly `places` decimals: `decimals(0.625, 2)` is `"0.63"`,
/// `decimals(0.5, 2)` is `"0.50"`.
pub fn decimals(x: f64, places: usize) -> String {
    match Decimal::of(x) {
        Some(d) => {
            let keep = d.exp + 1 + places as i64;
            d.keep(keep).positional(places)
        }
        None => non_finite(x),
    }
}

/// `x` with a minus sign (U+2212) instead of the ASCII hyphen, for running text.
pub fn minus(s: &str) -> String {
    s.replacen('-', "\u{2212}", 1)
}

fn non_finite(x: f64) -> String {
    if x.is_nan() {
        "NaN".into()
    } else if x > 0.0 {
        "∞".into()
    } else {
        "-∞".into()
    }
}

/// A finite number as `±0.d₁d₂… × 10^(exp+1)`: `digits` are ASCII digits without
/// leading zeros (empty for zero), `exp` the power of ten of the first one.
struct Decimal {
    negative: bool,
    digits: Vec<u8>,
    exp: i64,
}

impl Decimal {
    fn of(x: f64) -> Option<Decimal> {
        if !x.is_finite() {
            return None;
        }
        let text = format!("{:e}", x.abs());
        let (mantissa, exp) = text.split_once('e')?;
        let digits: Vec<u8> = mantissa.bytes().filter(u8::is_ascii_digit).collect();
        let zero = digits.iter().all(|&d| d == b'0');
        Some(Decimal {
            negative: x < 0.0 && !zero,
            digits: if zero { Vec::new() } else { digits },
            exp: exp.parse().ok()?,
        })
    }

    /// Rounded half up to the first `keep` digits (zero when `keep` is below 0, or 0 and
    /// the first digit is below 5).
    fn keep(mut self, keep: i64) -> Decimal {
        if keep < 0 || self.digits.len() as i64 <= keep {
            if keep < 0 {
                self.digits.clear();
            }
            return self.signed();
        }
        let keep = keep as usize;
        let up = self.digits[keep] >= b'5';
        self.digits.truncate(keep);
        if up {
            let mut at = keep;
            loop {
                if at == 0 {
                    // All nines (or nothing) carried over: one more digit in front.
                    self.digits.insert(0, b'1');
                    self.digits.truncate(keep.max(1));
                    self.exp += 1;
                    break;
                }
                at -= 1;
                if self.digits[at] == b'9' {
                    self.digits[at] = b'0';
                } else {
                    self.digits[at] += 1;
                    break;
                }
            }
        }
        while self.digits.last() == Some(&b'0') {
            self.digits.pop();
        }
        self.signed()
    }

    fn signed(mut self) -> Decimal {
        self.negative &= !self.digits.is_empty();
        self
    }

    /// Positional notation with at least `places` decimals.
    fn positional(&self, places: usize) -> String {
        // Digit i stands for 10^(exp - i).
        let mut int = String::new();
        if self.exp >= 0 && !self.digits.is_empty() {
            int.extend((0..=self.exp).map(|i| self.digit(i)));
        } else {
            int.push('0');
        }
        let last = self.digits.len() as i64 - 1;
        let mut frac: String = (self.exp + 1..=last).map(|i| self.digit(i)).collect();
        while frac.ends_with('0') && frac.len() > places {
            frac.pop();
        }
        while frac.len() < places {
            frac.push('0');
        }
        let mut out = String::with_capacity(int.len() + frac.len() + 2);
        if self.negative {
            out.push('-');
        }
        out.push_str(&int);
        if !frac.is_empty() {
            out.push('.');
            out.push_str(&frac);
        }
        out
    }

    /// Digit `i` (0 = the first significant one); zeros outside the digits (a negative
    /// `i` is a zero between the point and the first digit).
    fn digit(&self, i: i64) -> char {
        usize::try_from(i)
            .ok()
            .and_then(|i| self.digits.get(i))
            .map_or('0', |&d| char::from(d))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn float_noise_is_rounded_away() {
        assert_eq!(significant(0.03 / 1000.0, 6), "0.00003");
        assert_eq!(significant(0.03 * 100.0, 6), "3");
        assert_eq!(significant(0.1 + 0.2, 6), "0.3");
        assert_eq!(significant(1e-7, 6), "0.0000001");
        assert_eq!(significant(-1.0, 6), "-1");
        assert_eq!(significant(0.0, 6), "0");
        assert_eq!(significant(-0.0, 6), "0");
        assert_eq!(significant(1234.5, 3), "1230");
        assert_eq!(significant(9.96, 2), "10");
        assert_eq!(significant(0.000999999, 3), "0.001");
        assert_eq!(significant(250.0, 6), "250");
    }

    #[test]
    fn decimals_round_half_up_on_the_decimal_digits() {
        assert_eq!(decimals(0.625, 2), "0.63");
        assert_eq!(decimals(0.615, 2), "0.62");
        assert_eq!(decimals(0.5, 2), "0.50");
        assert_eq!(decimals(-2.3, 2), "-2.30");
        assert_eq!(decimals(-0.001, 2), "0.00");
        assert_eq!(decimals(0.005, 2), "0.01");
        assert_eq!(decimals(0.004, 2), "0.00");
        assert_eq!(decimals(99.95, 1), "100.0");
        assert_eq!(decimals(12.5, 0), "13");
        assert_eq!(decimals(5.6, 0), "6");
        assert_eq!(decimals(0.4, 0), "0");
        assert_eq!(decimals(123.0, 3), "123.000");
    }

    #[test]
    fn non_finite_numbers_and_the_minus_sign() {
        assert_eq!(significant(f64::NAN, 3), "NaN");
        assert_eq!(decimals(f64::INFINITY, 3), "∞");
        assert_eq!(minus(&decimals(-1.6, 1)), "\u{2212}1.6");
    }
}
