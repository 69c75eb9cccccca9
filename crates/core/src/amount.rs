//! Exact amounts and baskets.
//!
//! An amount is a [`Decimal`] in one commodity; a [`Basket`] holds amounts in several commodities,
//! sorted by commodity, with no zero entries. There is no way to add amounts of two different
//! commodities into one number: a basket keeps them apart. All arithmetic is checked: overflow and
//! any loss of digits are errors, never a wrap, a panic or a silent rounding.
//!
//! The one `f64` here is [`Refused::Float`]: a TOML float that a file wrote where a number was
//! wanted, kept only to say in the error what was written and why it is refused. It never becomes
//! an amount.

use rust_decimal::Decimal;
use std::fmt;

use crate::error::{Error, ErrorKind, Result};

/// A year, CE, as the sources give it.
pub type Year = i32;

/// The first year tribute handles. Every year in a file is checked against
/// [`YEAR_MIN`]`..=`[`YEAR_MAX`] at load, so that year arithmetic (a year plus a step, the year
/// before a cut) stays far from the limits of [`Year`]; the code checks it anyway.
pub const YEAR_MIN: Year = -9999;
/// The last year tribute handles.
pub const YEAR_MAX: Year = 9999;
/// How many years [`YEAR_MIN`]`..=`[`YEAR_MAX`] holds: the most that `every` or `count` can be.
pub const YEAR_SPAN: u32 = (YEAR_MAX - YEAR_MIN + 1) as u32;

/// `value` as a year in the supported range, or the message and advice of the error to report.
pub(crate) fn checked_year(value: i64) -> std::result::Result<Year, (String, String)> {
    match Year::try_from(value) {
        Ok(y) if (YEAR_MIN..=YEAR_MAX).contains(&y) => Ok(y),
        _ => Err((
            format!("year {value} is outside the supported range {YEAR_MIN} to {YEAR_MAX}"),
            format!(
                "years are whole numbers from {YEAR_MIN} to {YEAR_MAX} (negative before the common era); check it for a typo"
            ),
        )),
    }
}

/// A commodity, as an index into the [`crate::Registry`] of the corpus it was loaded with.
///
/// Indices follow the registry's alphabetical order of commodity ids, so sorting by id sorts by name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CommodityId(pub u16);

/// `a + b`, or an error if the sum overflows or would lose digits.
pub fn add(a: Decimal, b: Decimal) -> Result<Decimal> {
    let sum = a.checked_add(b).ok_or_else(overflow)?;
    // rust_decimal rounds only by lowering the scale; a lower scale can also mean nothing was
    // lost (an operand was zero, or the dropped digits were zeros), which the exact check tells.
    if sum.scale() < a.scale().max(b.scale()) && !exact(&[a, b], sum, 1) {
        return Err(lost_digits());
    }
    Ok(sum)
}

/// True if `sum(parts) × factor == result` exactly, computed on the integer mantissas (i128) at
/// the largest scale; false when even that overflows.
pub(crate) fn exact(parts: &[Decimal], result: Decimal, factor: u64) -> bool {
    let scale = parts
        .iter()
        .map(|d| d.scale())
        .chain([result.scale()])
        .max()
        .unwrap_or(0);
    let up = |d: &Decimal| {
        d.mantissa()
            .checked_mul(10i128.checked_pow(scale.checked_sub(d.scale())?)?)
    };
    let mut total: i128 = 0;
    for p in parts {
        match up(p).and_then(|m| total.checked_add(m)) {
            Some(t) => total = t,
            None => return false,
        }
    }
    total
        .checked_mul(i128::from(factor))
        .is_some_and(|t| up(&result) == Some(t))
}

/// Why `value × mul ÷ div` has no exact decimal result.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Inexact {
    /// The quotient repeats forever (its reduced denominator has a prime factor other than 2 and 5).
    Repeating,
    /// The quotient is a finite decimal but needs more than 28 places after the point.
    TooManyPlaces,
    /// The quotient, or the exact arithmetic on the way to it, exceeds the range of a decimal.
    TooLarge,
}

/// The greatest common divisor of `|a|` and `|b|` (zero if both are zero), or `None` if it does
/// not fit an `i128` (only `|i128::MIN|` with a zero).
fn gcd(a: i128, b: i128) -> Option<i128> {
    let (mut a, mut b) = (a.unsigned_abs(), b.unsigned_abs());
    // `checked_rem` is `None` exactly when `b` is zero: Euclid's loop ends there.
    while let Some(r) = a.checked_rem(b) {
        (a, b) = (b, r);
    }
    i128::try_from(a).ok()
}

/// `a / g` for a common divisor `g` of `a` found by [`gcd`] (never zero where it is called: one
/// of its arguments is not zero), or why not.
fn reduce(a: i128, g: Option<i128>) -> std::result::Result<i128, Inexact> {
    g.and_then(|g| a.checked_div(g)).ok_or(Inexact::TooLarge)
}

/// `value × mul ÷ div` in rational arithmetic, or why it is not an exact decimal.
///
/// Decimal `checked_mul`/`checked_div` round silently once a result needs more than 28 digits, so
/// exactness cannot be tested with them; this works on the integer mantissas instead, reduces the
/// fraction, and accepts it only if its denominator divides a power of ten that fits. `div` must not
/// be zero (unit sizes are checked to be above zero when the registry loads).
pub fn mul_div_exact(
    value: Decimal,
    mul: Decimal,
    div: Decimal,
) -> std::result::Result<Decimal, Inexact> {
    debug_assert!(!div.is_zero());
    if value.is_zero() {
        return Ok(Decimal::ZERO);
    }
    let (v, m, d) = (value.normalize(), mul.normalize(), div.normalize());
    // value × mul ÷ div = (mv · mm · 10^sd) / (md · 10^(sv + sm)).
    let (mut num_a, mut num_b, mut den) = (v.mantissa(), m.mantissa(), d.mantissa());
    let g = gcd(num_a, den);
    num_a = reduce(num_a, g)?;
    den = reduce(den, g)?;
    let g = gcd(num_b, den);
    num_b = reduce(num_b, g)?;
    den = reduce(den, g)?;
    // Scales are at most 28, so this is within -56..=28.
    let ten_power = i64::from(d.scale())
        .saturating_sub(i64::from(v.scale()))
        .saturating_sub(i64::from(m.scale()));
    let mut num = num_a.checked_mul(num_b).ok_or(Inexact::TooLarge)?;
    let p = 10i128
        .checked_pow(u32::try_from(ten_power.unsigned_abs()).map_err(|_| Inexact::TooLarge)?)
        .ok_or(Inexact::TooLarge)?;
    if ten_power >= 0 {
        num = num.checked_mul(p).ok_or(Inexact::TooLarge)?;
    } else {
        den = den.checked_mul(p).ok_or(Inexact::TooLarge)?;
    }
    let g = gcd(num, den);
    num = reduce(num, g)?;
    den = reduce(den, g)?;
    if den < 0 {
        num = num.checked_neg().ok_or(Inexact::TooLarge)?;
        den = den.checked_neg().ok_or(Inexact::TooLarge)?;
    }
    // den = 2^twos · 5^fives · rest; only rest == 1 gives a finite decimal. `rest` is above zero,
    // so each loop ends, and an i128 has fewer than 128 factors of 2 or 5: the counts cannot
    // overflow.
    let (mut rest, mut twos, mut fives) = (den, 0u32, 0u32);
    while rest % 2 == 0 {
        rest /= 2;
        twos = twos.saturating_add(1);
    }
    while rest % 5 == 0 {
        rest /= 5;
        fives = fives.saturating_add(1);
    }
    if rest != 1 {
        return Err(Inexact::Repeating);
    }
    let places = twos.max(fives);
    if places > 28 {
        return Err(Inexact::TooManyPlaces);
    }
    // num / den = num · 2^(places - twos) · 5^(places - fives) / 10^places.
    let scale_up = places
        .checked_sub(twos)
        .and_then(|t| 2i128.checked_pow(t))
        .and_then(|a| {
            places
                .checked_sub(fives)
                .and_then(|f| 5i128.checked_pow(f))
                .and_then(|b| a.checked_mul(b))
        })
        .ok_or(Inexact::TooLarge)?;
    let mantissa = num.checked_mul(scale_up).ok_or(Inexact::TooLarge)?;
    Decimal::try_from_i128_with_scale(mantissa, places)
        .map(|r| r.normalize())
        .map_err(|_| Inexact::TooLarge)
}

/// `a - b`, checked like [`add`].
pub fn sub(a: Decimal, b: Decimal) -> Result<Decimal> {
    add(a, -b)
}

/// `a × n` for a whole count `n`, or an error if the product overflows or would lose digits.
pub fn times(a: Decimal, n: u64) -> Result<Decimal> {
    if n == 0 || a.is_zero() {
        return Ok(Decimal::ZERO);
    }
    let product = a.checked_mul(Decimal::from(n)).ok_or_else(overflow)?;
    if product.scale() < a.scale() && !exact(&[a], product, n) {
        return Err(lost_digits());
    }
    Ok(product)
}

fn overflow() -> Error {
    Error::new(
        ErrorKind::Overflow,
        "the sum exceeds the range of an exact decimal (about 7.9 × 10^28)",
    )
}

fn lost_digits() -> Error {
    Error::new(
        ErrorKind::Precision,
        "the result needs more than the 28 significant digits an exact decimal holds",
    )
}

/// Amounts in several commodities: sorted by commodity, no zero entries.
#[derive(Clone, Default, PartialEq, Eq, Hash)]
pub struct Basket {
    entries: Vec<(CommodityId, Decimal)>,
}

impl Basket {
    /// The empty basket.
    pub fn new() -> Basket {
        Basket::default()
    }

    /// A basket of one amount.
    pub fn of(commodity: CommodityId, amount: Decimal) -> Basket {
        let mut b = Basket::new();
        if !amount.is_zero() {
            b.entries.push((commodity, amount.normalize()));
        }
        b
    }

    /// True if every amount is zero.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The amounts, sorted by commodity.
    pub fn iter(&self) -> impl Iterator<Item = (CommodityId, Decimal)> + '_ {
        self.entries.iter().copied()
    }

    /// The amount of one commodity (zero if absent).
    pub fn get(&self, commodity: CommodityId) -> Decimal {
        match self.entries.binary_search_by_key(&commodity, |e| e.0) {
            Ok(i) => self.entries[i].1,
            Err(_) => Decimal::ZERO,
        }
    }

    /// The commodities present.
    pub fn commodities(&self) -> impl Iterator<Item = CommodityId> + '_ {
        self.entries.iter().map(|e| e.0)
    }

    /// Adds `amount` of `commodity`, checked.
    pub fn add_amount(&mut self, commodity: CommodityId, amount: Decimal) -> Result<()> {
        if amount.is_zero() {
            return Ok(());
        }
        match self.entries.binary_search_by_key(&commodity, |e| e.0) {
            Ok(i) => {
                let sum = add(self.entries[i].1, amount)?;
                if sum.is_zero() {
                    self.entries.remove(i);
                } else {
                    self.entries[i].1 = sum.normalize();
                }
            }
            Err(i) => self.entries.insert(i, (commodity, amount.normalize())),
        }
        Ok(())
    }

    /// `self + other`, commodity by commodity, checked.
    pub fn plus(&self, other: &Basket) -> Result<Basket> {
        // Nothing plus a basket is that basket (its entries are already normalised and not zero):
        // one copy, not an insertion per entry.
        if self.is_empty() {
            return Ok(other.clone());
        }
        let mut out = self.clone();
        for (c, a) in other.iter() {
            out.add_amount(c, a)?;
        }
        Ok(out)
    }

    /// `self - other`, commodity by commodity, checked.
    pub fn minus(&self, other: &Basket) -> Result<Basket> {
        let mut out = self.clone();
        for (c, a) in other.iter() {
            out.add_amount(c, -a)?;
        }
        Ok(out)
    }

    /// `self × n`, checked.
    pub fn times(&self, n: u64) -> Result<Basket> {
        let mut out = Basket::new();
        for (c, a) in self.iter() {
            let p = times(a, n)?;
            if !p.is_zero() {
                out.entries.push((c, p.normalize()));
            }
        }
        Ok(out)
    }

    /// True if some amount is below zero.
    pub fn has_negative(&self) -> bool {
        self.entries.iter().any(|e| e.1.is_sign_negative())
    }
}

impl fmt::Debug for Basket {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map()
            .entries(self.entries.iter().map(|(c, a)| (c.0, a)))
            .finish()
    }
}

/// A number key's value as a plugin file writes it, accepted by [`decimal_or_integer`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Written<'a> {
    /// A string: a decimal for [`parse_decimal`], after the caller strips what it allows around
    /// the number (a unit in an amount, a `%` in a tolerance).
    Text(&'a str),
    /// A TOML integer: exact as it stands (the caller checks its sign, as it checks the value's).
    Integer(i64),
}

/// A number key's value that [`decimal_or_integer`] refuses.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Refused {
    /// A TOML float: it has gone through `f64` and may have lost digits ([`float_refused`]).
    Float(f64),
    /// Any other TOML value (a boolean, an array, a table, a date).
    Other,
}

/// The one rule for every number a plugin file writes (amounts, unit sizes, rates, a claim's value
/// and tolerance, a schedule kind's own decimals): a decimal string or a TOML integer, never a TOML
/// float, which has gone through `f64` and lost digits (DESIGN.md §6). Each caller words its own
/// errors (its key, its example); this says what is accepted.
pub(crate) fn decimal_or_integer(value: &toml::Value) -> std::result::Result<Written<'_>, Refused> {
    match value {
        toml::Value::String(s) => Ok(Written::Text(s)),
        toml::Value::Integer(i) => Ok(Written::Integer(*i)),
        toml::Value::Float(f) => Err(Refused::Float(*f)),
        _ => Err(Refused::Other),
    }
}

impl Written<'_> {
    /// The exact value: a string through [`parse_decimal`] (a leading `-` only where
    /// `allow_negative`), an integer as it stands.
    pub(crate) fn decimal(self, allow_negative: bool) -> std::result::Result<Decimal, String> {
        match self {
            Written::Text(s) => parse_decimal(s, allow_negative),
            Written::Integer(i) => Ok(Decimal::from(i)),
        }
    }
}

/// The message for a refused TOML float, the same wherever a number is read.
pub(crate) fn float_refused(f: f64) -> String {
    format!("`{f}` is a TOML float, and floats lose digits")
}

/// The value of `text` if it is written plainly: 1 to 18 digits with at most one `.` between
/// them, nothing else (no sign, `_` or space). Such a number fits a 64-bit mantissa, so it is made
/// without `Decimal`'s general parse; its mantissa and scale are those `from_str_exact` gives
/// (trailing zeros of the fraction kept). Anything else is `None`, for the general path.
fn parse_plain(text: &str) -> Option<Decimal> {
    let b = text.as_bytes();
    if b.is_empty() || b.len() > 19 {
        return None;
    }
    let mut mantissa: i64 = 0;
    let mut scale: Option<u32> = None;
    let mut digits: u32 = 0;
    for (i, &c) in b.iter().enumerate() {
        match c {
            b'0'..=b'9' => {
                mantissa = mantissa
                    .checked_mul(10)?
                    .checked_add(i64::from(c.wrapping_sub(b'0')))?;
                digits = digits.checked_add(1)?;
                if let Some(s) = scale.as_mut() {
                    *s = s.checked_add(1)?;
                }
            }
            // One dot, with a digit on each side.
            b'.' if scale.is_none() && i > 0 && i.saturating_add(1) < b.len() => scale = Some(0),
            _ => return None,
        }
    }
    if digits > 18 {
        return None;
    }
    Decimal::try_new(mantissa, scale.unwrap_or(0)).ok()
}

/// Parses a decimal as written in a plugin file: digits with optional `_` between them, an optional
/// fraction after `.`, and a leading `-` only where `allow_negative` is true. Exact: a number with
/// more digits than a decimal holds is an error, never rounded.
pub fn parse_decimal(text: &str, allow_negative: bool) -> std::result::Result<Decimal, String> {
    if let Some(d) = parse_plain(text) {
        return Ok(d);
    }
    let t = text.trim();
    let (neg, body) = match t.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, t),
    };
    if neg && !allow_negative {
        return Err(format!(
            "`{t}` is negative; amounts owed cannot be below zero"
        ));
    }
    if body.contains(',') {
        return Err(format!(
            "`{t}` uses `,` as a separator; write digits alone or group them with `_` (100_000)"
        ));
    }
    let mut seen_dot = false;
    let mut prev_digit = false;
    for ch in body.chars() {
        match ch {
            '0'..='9' => prev_digit = true,
            '_' if prev_digit => prev_digit = false,
            '.' if !seen_dot && prev_digit => {
                seen_dot = true;
                prev_digit = false;
            }
            _ => {
                return Err(format!(
                    "`{t}` is not a plain decimal number (digits, `_`, one `.`)"
                ));
            }
        }
    }
    if !prev_digit {
        return Err(format!(
            "`{t}` is not a plain decimal number (digits, `_`, one `.`)"
        ));
    }
    let digits: std::borrow::Cow<str> = if body.contains('_') {
        body.chars()
            .filter(|c| *c != '_')
            .collect::<String>()
            .into()
    } else {
        body.into()
    };
    let value = Decimal::from_str_exact(&digits).map_err(|_| {
        format!("`{t}` has more digits than an exact decimal holds (28 significant digits)")
    })?;
    Ok(if neg { -value } else { value })
}

#[cfg(test)]
mod tests {
    #![allow(
        clippy::arithmetic_side_effects,
        reason = "test code: an overflow panics and fails the test"
    )]
    use super::*;

    fn d(s: &str) -> Decimal {
        Decimal::from_str_exact(s).unwrap()
    }

    #[test]
    fn baskets_keep_commodities_apart_and_drop_zeros() {
        let silver = CommodityId(3);
        let silk = CommodityId(1);
        let mut b = Basket::of(silver, d("100"));
        b.add_amount(silk, d("200")).unwrap();
        assert_eq!(
            b.iter().map(|e| e.0).collect::<Vec<_>>(),
            vec![silk, silver]
        );
        b.add_amount(silk, d("-200")).unwrap();
        assert_eq!(b.iter().count(), 1);
        assert_eq!(b.get(silver), d("100"));
        assert_eq!(b.get(silk), Decimal::ZERO);
    }

    #[test]
    fn overflow_is_an_error_not_a_panic() {
        let c = CommodityId(0);
        let b = Basket::of(c, Decimal::MAX);
        assert_eq!(b.times(2).unwrap_err().kind(), ErrorKind::Overflow);
        assert_eq!(b.plus(&b).unwrap_err().kind(), ErrorKind::Overflow);
    }

    #[test]
    fn adding_never_drops_digits() {
        // 26 digits before the point and 4 after need 30 significant digits; a decimal holds 28–29.
        let big = d("79228162514264337593543950");
        let small = d("0.0001");
        assert_eq!(add(big, small).unwrap_err().kind(), ErrorKind::Precision);
        // Adding zero of a larger scale is exact, whatever scale rust_decimal hands back.
        assert_eq!(add(d("540641"), d("0.00")).unwrap(), d("540641"));
        assert_eq!(add(d("0.00"), d("540641")).unwrap(), d("540641"));
        // 29 digits in all still fit (the mantissa is 96 bits), and the sum is exact.
        assert_eq!(
            add(big, d("0.001")).unwrap(),
            d("79228162514264337593543950.001")
        );
    }

    #[test]
    fn exact_mul_div_is_rational_not_rounded() {
        // 1 × 1 ÷ 0.333…3 (28 threes) is 10^28 / 3333…3: it repeats, so no decimal holds it.
        let third = d("0.3333333333333333333333333333");
        assert_eq!(
            mul_div_exact(d("1"), Decimal::ONE, third),
            Err(Inexact::Repeating)
        );
        // A catty of 16 taels: 3 catties are 48 taels, 1 tael is 0.0625 catty.
        assert_eq!(mul_div_exact(d("3"), d("16"), d("1")), Ok(d("48")));
        assert_eq!(mul_div_exact(d("1"), d("1"), d("16")), Ok(d("0.0625")));
        // A short string of 770 cash in strings of 1,000: 0.77 exactly.
        assert_eq!(mul_div_exact(d("1"), d("770"), d("1000")), Ok(d("0.77")));
        assert_eq!(
            mul_div_exact(d("1"), d("1"), d("3")),
            Err(Inexact::Repeating)
        );
        // 1 ÷ 2^90 is finite but needs 90 places.
        assert_eq!(
            mul_div_exact(d("1"), d("1"), d("1237940039285380274899124224")),
            Err(Inexact::TooManyPlaces)
        );
        assert_eq!(
            mul_div_exact(d("79228162514264337593543950335"), d("2"), d("1")),
            Err(Inexact::TooLarge)
        );
        assert_eq!(mul_div_exact(d("-2.5"), d("4"), d("1")), Ok(d("-10")));
        assert_eq!(mul_div_exact(d("0"), d("4"), d("3")), Ok(Decimal::ZERO));
    }

    #[test]
    fn decimals_parse_strictly() {
        assert_eq!(parse_decimal("100_000", false).unwrap(), d("100000"));
        assert_eq!(parse_decimal("2.5", false).unwrap(), d("2.5"));
        assert_eq!(parse_decimal("-50000", true).unwrap(), d("-50000"));
        assert!(parse_decimal("-5", false).unwrap_err().contains("negative"));
        assert!(
            parse_decimal("100,000", false)
                .unwrap_err()
                .contains("separator")
        );
        for bad in ["1e5", "", "_1", "1_", "1.", ".5", "1..2", "+3", "1__0"] {
            assert!(
                parse_decimal(bad, true).is_err(),
                "{bad} should be rejected"
            );
        }
        assert!(parse_decimal("123456789012345678901234567890123", false).is_err());
    }

    /// What the general path reads of `text` (as `parse_decimal` read every number before the
    /// plain path): the exact decimal, its scale as written.
    fn general(text: &str) -> Option<Decimal> {
        Decimal::from_str_exact(text).ok()
    }

    proptest::proptest! {
        /// A plainly written number is read by the plain path, to the same mantissa and scale as
        /// the general parse; anything else it leaves to the general path.
        #[test]
        fn a_plain_number_is_read_as_the_general_parse_reads_it(
            whole in "[0-9]{1,19}",
            fraction in proptest::option::of("[0-9]{0,12}"),
            junk in "[-+_ 0-9.a]{0,6}",
        ) {
            let text = match &fraction {
                Some(f) => format!("{whole}.{f}"),
                None => whole.clone(),
            };
            let digits = whole.len() + fraction.as_ref().map_or(0, String::len);
            let plain = parse_plain(&text);
            let dot_ok = fraction.as_ref().is_none_or(|f| !f.is_empty());
            if digits <= 18 && dot_ok {
                let d = plain.expect("read plainly");
                let g = general(&text).expect("a decimal");
                proptest::prop_assert_eq!((d.mantissa(), d.scale()), (g.mantissa(), g.scale()));
            } else {
                proptest::prop_assert!(plain.is_none(), "{text}");
            }
            // Whatever the text, what the plain path reads is what parse_decimal always read.
            if let Some(d) = parse_plain(&junk) {
                let g = general(&junk).expect("a decimal");
                proptest::prop_assert_eq!((d.mantissa(), d.scale()), (g.mantissa(), g.scale()));
            }
        }
    }

    #[test]
    fn the_plain_path_leaves_signs_separators_and_spaces_to_the_general_one() {
        for text in [
            "-5", "+5", "1_000", " 5", "5 ", ".5", "5.", "1.2.3", "", "1e3", "１",
        ] {
            assert!(parse_plain(text).is_none(), "{text:?}");
        }
        assert_eq!(
            parse_plain("5300.50").map(|d| (d.mantissa(), d.scale())),
            Some((530050, 2))
        );
        assert_eq!(parse_plain("007").map(|d| d.to_string()), Some("7".into()));
        // 18 digits are read plainly; 19 go to the general path.
        assert!(parse_plain("999999999999999999").is_some());
        assert!(parse_plain("9999999999999999999").is_none());
        assert_eq!(
            parse_decimal("9999999999999999999", false),
            Ok(d("9999999999999999999"))
        );
    }
}
