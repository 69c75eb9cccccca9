//! Exact intervals of value and the one place where rounding happens: ratios.
//!
//! An [`Interval`] is a low, central and high value in a price book's numeraire. Sums and
//! differences are exact and checked (overflow and lost digits are errors); a product of an amount
//! and a rate is exact or an error. Only a ratio (years of a flow, a ratio of totals, a solved
//! rate) is rounded, to [`RATIO_PLACES`] decimal places: the low bound down, the high bound up,
//! the central value half to even, so a rounded interval always contains the exact one. Each
//! rounded figure says whether rounding changed it.

use rust_decimal::{Decimal, RoundingStrategy};

use crate::amount::{add, sub};
use crate::error::{Error, ErrorKind, Result};

/// Decimal places a ratio is rounded to.
pub const RATIO_PLACES: u32 = 4;

/// How ratios are rounded, in words, for reports.
pub const RATIO_ROUNDING: &str = "ratios are rounded to 4 decimal places: low bound down, high bound up, central value half to even";

/// A value with its low and high bound: `low ≤ central ≤ high` for non-negative amounts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Interval {
    /// Every rate at its low value.
    pub low: Decimal,
    /// Every rate at its central value.
    pub central: Decimal,
    /// Every rate at its high value.
    pub high: Decimal,
}

impl Interval {
    /// Zero.
    pub const ZERO: Interval = Interval {
        low: Decimal::ZERO,
        central: Decimal::ZERO,
        high: Decimal::ZERO,
    };

    /// An interval of one value.
    pub fn exact(v: Decimal) -> Interval {
        Interval {
            low: v,
            central: v,
            high: v,
        }
    }

    /// True if the three values are equal.
    pub fn is_point(&self) -> bool {
        self.low == self.central && self.central == self.high
    }

    /// True if all three values are zero.
    pub fn is_zero(&self) -> bool {
        self.low.is_zero() && self.central.is_zero() && self.high.is_zero()
    }

    /// `self + other`, bound by bound, checked.
    pub fn plus(&self, other: &Interval) -> Result<Interval> {
        Ok(Interval {
            low: add(self.low, other.low)?,
            central: add(self.central, other.central)?,
            high: add(self.high, other.high)?,
        })
    }

    /// `self - other`, bound by bound, checked. Right for a part taken out of a whole valued with
    /// the same rates (owed less what fell in suspended years), not for independent quantities.
    pub fn minus(&self, other: &Interval) -> Result<Interval> {
        Ok(Interval {
            low: sub(self.low, other.low)?,
            central: sub(self.central, other.central)?,
            high: sub(self.high, other.high)?,
        })
    }

    /// `amount × self` (a rate interval times an amount), exact or an error. A negative amount
    /// swaps the bounds, so low stays the smaller.
    pub fn scaled(&self, amount: Decimal) -> Result<Interval> {
        let (a, b) = (mul(amount, self.low)?, mul(amount, self.high)?);
        Ok(Interval {
            low: a.min(b),
            central: mul(amount, self.central)?,
            high: a.max(b),
        })
    }

    /// The interval with every value normalised (no trailing zeros).
    pub fn normalize(&self) -> Interval {
        Interval {
            low: self.low.normalize(),
            central: self.central.normalize(),
            high: self.high.normalize(),
        }
    }
}

/// `a × b`, exact or an error: overflow, or a product that would need more than 28 digits.
pub fn mul(a: Decimal, b: Decimal) -> Result<Decimal> {
    let (a, b) = (a.normalize(), b.normalize());
    if a.is_zero() || b.is_zero() {
        return Ok(Decimal::ZERO);
    }
    let p = a.checked_mul(b).ok_or_else(|| {
        Error::new(
            ErrorKind::Overflow,
            "a value exceeds the range of an exact decimal (about 7.9 × 10^28)",
        )
    })?;
    // Scales are at most 28 each.
    if p.scale() != a.scale().saturating_add(b.scale()) {
        return Err(Error::new(
            ErrorKind::Precision,
            "a value needs more than the 28 significant digits an exact decimal holds",
        ));
    }
    Ok(p)
}

/// How a ratio is rounded to [`RATIO_PLACES`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rounding {
    /// Toward −∞ (a low bound).
    Down,
    /// Toward +∞ (a high bound).
    Up,
    /// To the nearest, ties to even (a central value).
    HalfEven,
}

/// A rounded quotient and whether it is exact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Rounded {
    /// The quotient, rounded.
    pub value: Decimal,
    /// True if the quotient needed no rounding.
    pub exact: bool,
}

/// `num ÷ den` rounded to `places` decimal places as `rounding` says, decided exactly (the
/// remainder is computed, not estimated). `den` must be above zero.
pub fn div_round(num: Decimal, den: Decimal, places: u32, rounding: Rounding) -> Result<Rounded> {
    if den <= Decimal::ZERO {
        return Err(Error::new(
            ErrorKind::Value,
            "division by a value that is not above zero",
        ));
    }
    let ulp = Decimal::new(1, places);
    let step = mul(ulp, den)?;
    let q = num.checked_div(den).ok_or_else(|| {
        Error::new(
            ErrorKind::Overflow,
            "a ratio exceeds the range of an exact decimal",
        )
    })?;
    let mut t = q.round_dp_with_strategy(places, RoundingStrategy::ToNegativeInfinity);
    // The exact remainder decides: want 0 ≤ num − t·den < ulp·den.
    let mut r = sub(num, mul(t, den)?)?;
    while r.is_sign_negative() && !r.is_zero() {
        t = sub(t, ulp)?;
        r = add(r, step)?;
    }
    while r >= step {
        t = add(t, ulp)?;
        r = sub(r, step)?;
    }
    let exact = r.is_zero();
    let up = match rounding {
        Rounding::Down => false,
        Rounding::Up => !exact,
        Rounding::HalfEven => {
            let twice = add(r, r)?;
            if twice > step {
                true
            } else if twice < step {
                false
            } else {
                let k = t.checked_div(ulp).unwrap_or_default().trunc();
                k.checked_rem(Decimal::TWO).is_some_and(|r| !r.is_zero())
            }
        }
    };
    let value = if up { add(t, ulp)? } else { t };
    Ok(Rounded {
        value: value.normalize(),
        exact,
    })
}

/// A ratio of two intervals, rounded outward: `low = num.low ÷ den.high`, `central = num.central
/// ÷ den.central`, `high = num.high ÷ den.low`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Ratio {
    /// The lowest the ratio can be (rounded down).
    pub low: Rounded,
    /// The ratio at central values (rounded half to even).
    pub central: Rounded,
    /// The highest the ratio can be (rounded up).
    pub high: Rounded,
}

impl Ratio {
    /// True if no bound needed rounding.
    pub fn exact(&self) -> bool {
        self.low.exact && self.central.exact && self.high.exact
    }

    /// The three values as an interval.
    pub fn interval(&self) -> Interval {
        Interval {
            low: self.low.value,
            central: self.central.value,
            high: self.high.value,
        }
    }
}

/// `num ÷ den` as an outward-rounded [`Ratio`]; an error if any bound of `den` is not above zero.
///
/// The bounds treat numerator and denominator as independent: when both contain the same
/// commodity, the true range is narrower, and this one still contains it.
pub fn ratio(num: &Interval, den: &Interval) -> Result<Ratio> {
    if den.low <= Decimal::ZERO {
        return Err(Error::new(
            ErrorKind::Value,
            "the denominator is worth nothing under this price book",
        )
        .help("nothing in it is priced; use a book that prices its commodities"));
    }
    Ok(Ratio {
        low: div_round(num.low, den.high, RATIO_PLACES, Rounding::Down)?,
        central: div_round(num.central, den.central, RATIO_PLACES, Rounding::HalfEven)?,
        high: div_round(num.high, den.low, RATIO_PLACES, Rounding::Up)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        Decimal::from_str_exact(s).unwrap()
    }

    #[test]
    fn division_rounds_exactly_as_asked() {
        let r = div_round(d("57000000"), d("500000"), 4, Rounding::HalfEven).unwrap();
        assert_eq!((r.value, r.exact), (d("114"), true));
        let third = |m| div_round(d("1"), d("3"), 4, m).unwrap();
        assert_eq!(third(Rounding::Down).value, d("0.3333"));
        assert_eq!(third(Rounding::Up).value, d("0.3334"));
        assert_eq!(third(Rounding::HalfEven).value, d("0.3333"));
        assert!(!third(Rounding::HalfEven).exact);
        // Ties go to even: 0.00005 → 0.0000, 0.00015 → 0.0002.
        assert_eq!(
            div_round(d("1"), d("20000"), 4, Rounding::HalfEven)
                .unwrap()
                .value,
            d("0")
        );
        assert_eq!(
            div_round(d("3"), d("20000"), 4, Rounding::HalfEven)
                .unwrap()
                .value,
            d("0.0002")
        );
        assert_eq!(
            div_round(d("2"), d("3"), 4, Rounding::HalfEven)
                .unwrap()
                .value,
            d("0.6667")
        );
        assert!(div_round(d("1"), d("0"), 4, Rounding::Down).is_err());
    }

    #[test]
    fn a_rounded_ratio_contains_the_exact_one() {
        let num = Interval {
            low: d("10"),
            central: d("11"),
            high: d("13"),
        };
        let den = Interval {
            low: d("3"),
            central: d("3"),
            high: d("7"),
        };
        let r = ratio(&num, &den).unwrap();
        assert_eq!(r.low.value, d("1.4285")); // 10/7 = 1.428571…, down
        assert_eq!(r.central.value, d("3.6667")); // 11/3
        assert_eq!(r.high.value, d("4.3334")); // 13/3 = 4.3333…, up
    }

    #[test]
    fn products_are_exact_or_errors() {
        assert_eq!(mul(d("50000000"), d("0.8")).unwrap(), d("40000000"));
        assert!(mul(Decimal::MAX, d("2")).is_err());
        assert!(mul(d("0.00000000000000001"), d("0.00000000000000001")).is_err());
        let rate = Interval {
            low: d("6"),
            central: d("10"),
            high: d("13"),
        };
        assert_eq!(
            rate.scaled(d("-2")).unwrap(),
            Interval {
                low: d("-26"),
                central: d("-20"),
                high: d("-12")
            }
        );
    }
}
