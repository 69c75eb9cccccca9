//! Arithmetic shared by the interest-bearing kinds (`annuity`, `amortisation`, `dated`): checked
//! products and quotients at rust_decimal's 28 significant digits, half-even rounding to places,
//! and the checks every debt schedule keeps (principal plus interest is each payment; the
//! principal parts add up to the principal); and [`PaymentList`], the dated payments a kind
//! computes once when it is read, from which it answers the [`Schedule`](super::Schedule)
//! methods about its payments.
//!
//! What must hold: no bare `+ - * /` on a decimal; every rounding is named by the kind that makes
//! it ([`HALF_EVEN`] is the words for the mode); an overflow is an error, never a wrap.

use std::ops::Range;

use rust_decimal::{Decimal, RoundingStrategy};

use super::{FieldError, Payment, Piece};
use crate::amount::Year;

/// The rounding mode every debt kind uses, in words.
pub const HALF_EVEN: &str = "half to even";

/// The precision rust_decimal carries, in words.
pub const PRECISION: &str = "28 significant digits";

/// `a × b` at 28 significant digits (rust_decimal rounds the product's last digit half to even);
/// an overflow is an error at `span`.
pub fn mul(a: Decimal, b: Decimal, span: &Range<usize>) -> Result<Decimal, FieldError> {
    a.checked_mul(b).ok_or_else(|| too_large(span))
}

/// `a ÷ b` at 28 significant digits; dividing by zero or an overflow is an error at `span`.
pub fn div(a: Decimal, b: Decimal, span: &Range<usize>) -> Result<Decimal, FieldError> {
    a.checked_div(b).ok_or_else(|| too_large(span))
}

/// `a + b` at 28 significant digits (digits beyond are rounded, as the kind names).
pub fn add(a: Decimal, b: Decimal, span: &Range<usize>) -> Result<Decimal, FieldError> {
    a.checked_add(b).ok_or_else(|| too_large(span))
}

/// `a − b` at 28 significant digits.
pub fn sub(a: Decimal, b: Decimal, span: &Range<usize>) -> Result<Decimal, FieldError> {
    a.checked_sub(b).ok_or_else(|| too_large(span))
}

/// `base^n` by repeated squaring, each product at 28 significant digits.
pub fn pow(base: Decimal, n: u32, span: &Range<usize>) -> Result<Decimal, FieldError> {
    let (mut result, mut b, mut e) = (Decimal::ONE, base, n);
    while e > 0 {
        if e & 1 == 1 {
            result = mul(result, b, span)?;
        }
        e >>= 1;
        if e > 0 {
            b = mul(b, b, span)?;
        }
    }
    Ok(result)
}

/// `a` rounded half to even to `places` decimal places.
pub fn round(a: Decimal, places: u32) -> Decimal {
    a.round_dp_with_strategy(places, RoundingStrategy::MidpointNearestEven)
}

/// The number of digits before the decimal point of `a` (at least 1).
pub fn int_digits(a: Decimal) -> u32 {
    let mut n = 1;
    let mut x = a.abs().trunc();
    let ten = Decimal::TEN;
    while x >= ten {
        x = x.checked_div(ten).unwrap_or(Decimal::ZERO).trunc();
        n = u32::saturating_add(n, 1);
    }
    n
}

fn too_large(span: &Range<usize>) -> FieldError {
    FieldError::new(
        "the schedule's arithmetic leaves the range of an exact decimal (about 7.9 × 10^28)",
        span.clone(),
    )
    .help("check the principal, the rate and the number of periods")
}

/// A rate key: a decimal string, from 0 up to 1 (100%) a year.
pub fn rate(
    value: (Decimal, Range<usize>),
    key: &str,
) -> Result<(Decimal, Range<usize>), FieldError> {
    let (r, span) = value;
    if r.is_sign_negative() || r > Decimal::ONE {
        return Err(FieldError::new(
            format!("`{key} = \"{r}\"` is not a rate from 0 to 1 a year"),
            span,
        )
        .help(format!(
            "write the rate as a decimal fraction a year: {key} = \"0.05\" is 5%"
        )));
    }
    Ok((r, span))
}

/// The `places` key: 0 to 12 decimal places.
pub fn places(value: (i64, Range<usize>)) -> Result<u32, FieldError> {
    match u32::try_from(value.0) {
        Ok(p) if p <= 12 => Ok(p),
        _ => Err(FieldError::new(
            format!(
                "`places = {}` is not a number of decimal places from 0 to 12",
                value.0
            ),
            value.1,
        )
        .help("places = 2 rounds to the cent")),
    }
}

/// A kind's dated payments, computed when the file is read, with their yearly pieces
/// ([`super::pieces_of`]): what an amortisation table and instalments on dates answer
/// [`Schedule::first_year`](super::Schedule::first_year), `last_year`, `pieces` and `dated` from
/// (`end` does not matter: the list is closed).
#[derive(Debug, Clone)]
pub struct PaymentList {
    payments: Vec<Payment>,
    pieces: Vec<Piece>,
}

impl PaymentList {
    /// The list of `payments` (in date order) and their pieces; an error if a year's sum
    /// overflows.
    pub fn new(payments: Vec<Payment>) -> crate::error::Result<PaymentList> {
        let pieces = super::pieces_of(&payments)?;
        Ok(PaymentList { payments, pieces })
    }

    /// The payments, in date order.
    pub fn payments(&self) -> &[Payment] {
        &self.payments
    }

    /// The year of the first payment (0 if there is none).
    pub fn first_year(&self) -> Year {
        self.payments.first().map_or(0, |p| p.due.year())
    }

    /// The year of the last payment.
    pub fn last_year(&self) -> Option<Year> {
        self.payments.last().map(|p| p.due.year())
    }

    /// The payments summed by year.
    pub fn pieces(&self) -> Vec<Piece> {
        self.pieces.clone()
    }

    /// The payments with their dates.
    pub fn dated(&self) -> Option<Vec<Payment>> {
        Some(self.payments.clone())
    }
}
