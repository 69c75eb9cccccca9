//! `schedule = "annuity"`: a level annuity. A `principal` repaid with interest at `rate` a year in
//! `periods` equal payments, `per-year` of them a year (1, 2, 4 or 12), the first due on `first`
//! and each later one 12 / `per-year` months after the one before.
//!
//! The payment is A = P·i / (1 − (1+i)^−n) with the period rate i = rate / per-year; the interest
//! of period k is the balance owed before it times i, and its principal the payment less that. The
//! `rounding` rule is stated in the file and named in `show` and `total`:
//! - `each-payment`: A and each period's interest are rounded half to even to `places`; the last
//!   payment's principal is the whole remaining balance and its interest A less that, so every
//!   payment is A and the principal parts add up to P exactly;
//! - `last-absorbs`: A and each interest are rounded likewise; the last payment is the remaining
//!   balance plus its (rounded) interest, so it absorbs what the rounding left over;
//! - `none`: nothing is rounded to places: every figure is computed at rust_decimal's 28
//!   significant digits and held to as many decimal places as keep all sums of the schedule exact
//!   (named in the output); the last principal is the remaining balance, so the total is n·A.
//!
//! What must hold (tests below, figures from the Boxer indemnity computed by hand and with
//! numpy-financial): 450,000,000 at 4% over 39 yearly payments is 22,977,372.33 a payment,
//! 896,117,520.81 in all unrounded and 896,117,520.87 rounded each payment; half-yearly at 2% over
//! 78 periods 11,441,591.76 a payment and 892,444,157.22 in all unrounded; in every case the
//! principal parts add up to the principal exactly and principal plus interest is each payment.

use std::ops::Range;

use rust_decimal::Decimal;

use super::debt::{self, HALF_EVEN, PRECISION};
use super::{FieldError, Payment, Piece, Schedule, ScheduleInput, ScheduleKind, Terms};
use crate::amount::{Basket, Year};
use crate::date::Date;

/// The registration of the kind.
pub static KIND: ScheduleKind = ScheduleKind {
    name: "annuity",
    keys: &[
        "principal",
        "rate",
        "per-year",
        "periods",
        "first",
        "rounding",
        "places",
    ],
    build,
};

/// How an annuity rounds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rounding {
    /// Each payment and each interest to places; the last principal is the remaining balance.
    EachPayment,
    /// Each payment and each interest to places; the last payment is the balance plus interest.
    LastAbsorbs,
    /// Not rounded to places (28 significant digits, held to a stated scale).
    None,
}

impl Rounding {
    /// The name a file writes.
    pub fn as_str(self) -> &'static str {
        match self {
            Rounding::EachPayment => "each-payment",
            Rounding::LastAbsorbs => "last-absorbs",
            Rounding::None => "none",
        }
    }
}

/// A level annuity, its payments computed at load.
#[derive(Debug, Clone)]
pub struct Annuity {
    principal: Basket,
    rate: Decimal,
    per_year: u32,
    periods: u32,
    first: Date,
    rounding: Rounding,
    /// Places for `each-payment` and `last-absorbs`; the scale held for `none`.
    places: u32,
    /// `places` as written, for `none` (where it is not used).
    unused_places: Option<u32>,
    /// The regular payment, per commodity.
    level: Basket,
    payments: Vec<Payment>,
    pieces: Vec<Piece>,
}

fn build(input: &ScheduleInput) -> Result<Box<dyn Schedule>, FieldError> {
    let (pv, pspan) =
        input.require_extra("principal", "annuity", "{ silver = \"450000000 tael\" }")?;
    let (principal, _) = input.amounts_in(pv, pspan.clone(), "`principal`")?;
    if principal.is_empty() || principal.has_negative() {
        return Err(
            FieldError::new("`principal` must be positive", pspan.clone())
                .help("name at least one commodity with a positive amount"),
        );
    }
    let need = |key: &str, example: &str| {
        FieldError::new(
            format!("an annuity schedule needs `{key}`"),
            input.table.clone(),
        )
        .help(format!("add `{key} = {example}`"))
    };
    let (rate, rspan) = debt::rate(
        input
            .decimal("rate")?
            .ok_or_else(|| need("rate", "\"0.04\" (a year)"))?,
        "rate",
    )?;
    let (per_year, yspan) = input
        .integer("per-year")?
        .ok_or_else(|| need("per-year", "1 (payments a year: 1, 2, 4 or 12)"))?;
    let per_year = match per_year {
        1 | 2 | 4 | 12 => per_year as u32,
        other => {
            return Err(FieldError::new(
                format!("`per-year = {other}`: an annuity pays 1, 2, 4 or 12 times a year"),
                yspan,
            )
            .help("per-year = 2 is half-yearly, 4 quarterly, 12 monthly"));
        }
    };
    let (periods, nspan) = input
        .integer("periods")?
        .ok_or_else(|| need("periods", "39 (the number of payments)"))?;
    let max_periods = crate::amount::YEAR_SPAN.saturating_mul(per_year);
    let periods = match u32::try_from(periods) {
        Ok(n) if n >= 1 && n <= max_periods => n,
        _ => {
            return Err(FieldError::new(
                format!(
                    "`periods = {periods}` is not a number of payments from 1 to {max_periods}"
                ),
                nspan,
            )
            .help("periods is how many payments there are, e.g. 39"));
        }
    };
    let (first, _) = input
        .date("first")?
        .ok_or_else(|| need("first", "1902-01-01 (the first due date)"))?;
    let (rounding, gspan) = input.string("rounding")?.ok_or_else(|| {
        need(
            "rounding",
            "\"each-payment\" (or \"last-absorbs\" or \"none\")",
        )
    })?;
    let rounding = match rounding {
        "each-payment" => Rounding::EachPayment,
        "last-absorbs" => Rounding::LastAbsorbs,
        "none" => Rounding::None,
        other => {
            return Err(
                FieldError::new(format!("unknown rounding `{other}`"), gspan).help(
                    "rounding is \"each-payment\", \"last-absorbs\" or \"none\"; see docs/debts.md",
                ),
            );
        }
    };
    // With rounding = "none", `places` is not used (a reading may switch a rounded base to
    // "none" and cannot remove the key); the output says it is unused.
    let written_places = input.integer("places")?.map(debt::places).transpose()?;
    let places = match (written_places, rounding) {
        (_, Rounding::None) => None,
        (Some(p), _) => Some(p),
        (None, _) => {
            return Err(need(
                "places",
                "2 (decimal places each figure is rounded to)",
            ));
        }
    };
    // The dates: every 12 / per-year months; the last must lie in the supported years.
    let step = 12u32.checked_div(per_year).unwrap_or(12);
    let mut dates = Vec::with_capacity(periods as usize);
    for k in 0..periods {
        let d = first.plus_months(k.saturating_mul(step)).ok_or_else(|| {
            FieldError::new(
                format!(
                    "payment {} would fall after {}, the last supported year",
                    k.saturating_add(1),
                    crate::amount::YEAR_MAX
                ),
                nspan.clone(),
            )
            .help("give fewer periods or an earlier `first`")
        })?;
        dates.push(d);
    }
    let mut schedule = Annuity {
        principal: principal.clone(),
        rate,
        per_year,
        periods,
        first,
        rounding,
        places: places.unwrap_or(0),
        unused_places: written_places.filter(|_| rounding == Rounding::None),
        level: Basket::new(),
        payments: Vec::new(),
        pieces: Vec::new(),
    };
    let i = debt::div(rate, Decimal::from(per_year), &rspan)?;
    let mut per_commodity = Vec::new();
    for (c, p) in principal.iter() {
        per_commodity.push((c, amortise(p, i, periods, rounding, places, &nspan)?));
    }
    if let Some((_, first_run)) = per_commodity.first() {
        schedule.places = first_run.places;
    }
    let mut payments: Vec<Payment> = dates
        .iter()
        .map(|&due| Payment {
            due,
            amounts: Basket::new(),
            interest: Basket::new(),
            balance: Basket::new(),
        })
        .collect();
    let ov = |e: crate::error::Error| FieldError::new(e.message().to_string(), pspan.clone());
    for (c, run) in &per_commodity {
        schedule.level.add_amount(*c, run.level).map_err(ov)?;
        for (k, row) in run.rows.iter().enumerate() {
            let p = &mut payments[k];
            p.amounts.add_amount(*c, row.payment).map_err(ov)?;
            p.interest.add_amount(*c, row.interest).map_err(ov)?;
            p.balance.add_amount(*c, row.balance).map_err(ov)?;
        }
    }
    schedule.pieces = super::pieces_of(&payments).map_err(ov)?;
    schedule.payments = payments;
    Ok(Box::new(schedule))
}

/// One period of one commodity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Row {
    pub(crate) payment: Decimal,
    pub(crate) interest: Decimal,
    pub(crate) balance: Decimal,
}

/// One commodity's amortisation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Run {
    /// The regular payment A (rounded as the rule says).
    pub(crate) level: Decimal,
    /// The places figures are rounded or held to.
    pub(crate) places: u32,
    pub(crate) rows: Vec<Row>,
}

/// The amortisation of principal `p` at period rate `i` over `n` periods by `rounding`.
pub(crate) fn amortise(
    p: Decimal,
    i: Decimal,
    n: u32,
    rounding: Rounding,
    places: Option<u32>,
    span: &Range<usize>,
) -> Result<Run, FieldError> {
    use debt::{add, div, mul, round, sub};
    let nd = Decimal::from(n);
    // A = P·i·v / (v − 1), v = (1+i)^n; at a zero rate, A = P / n.
    let exact_a = if i.is_zero() {
        div(p, nd, span)?
    } else {
        let v = debt::pow(add(Decimal::ONE, i, span)?, n, span)?;
        div(
            mul(mul(p, i, span)?, v, span)?,
            sub(v, Decimal::ONE, span)?,
            span,
        )?
    };
    let places = match (rounding, places) {
        (Rounding::None, _) | (_, None) => {
            // Hold every figure to the decimal places that keep the sum of all n payments (and a
            // sum of a hundred such schedules) within 28 significant digits.
            let total = mul(exact_a, nd, span)?;
            28u32
                .saturating_sub(debt::int_digits(total))
                .saturating_sub(2)
        }
        (_, Some(pl)) => pl,
    };
    let level = round(exact_a, places);
    let mut rows = Vec::with_capacity(n as usize);
    let mut balance = p;
    for k in 0..n {
        let interest = round(mul(balance, i, span)?, places);
        let last = k.saturating_add(1) == n;
        let (payment, interest, principal) = if last {
            match rounding {
                Rounding::LastAbsorbs => (add(balance, interest, span)?, interest, balance),
                // The last principal is the remaining balance; its interest is the payment less
                // that, so every payment is A.
                Rounding::EachPayment | Rounding::None => {
                    (level, sub(level, balance, span)?, balance)
                }
            }
        } else {
            (level, interest, sub(level, interest, span)?)
        };
        balance = sub(balance, principal, span)?;
        rows.push(Row {
            payment,
            interest,
            balance,
        });
    }
    Ok(Run {
        level,
        places,
        rows,
    })
}

impl Annuity {
    fn last_date(&self) -> Date {
        self.payments.last().map_or(self.first, |p| p.due)
    }
}

impl Schedule for Annuity {
    fn kind(&self) -> &'static str {
        KIND.name
    }
    fn first_year(&self) -> Year {
        self.first.year()
    }
    fn last_year(&self) -> Option<Year> {
        Some(self.last_date().year())
    }
    fn pieces(&self, _end: Year) -> Vec<Piece> {
        self.pieces.clone()
    }
    fn dated(&self, _end: Year) -> Option<Vec<Payment>> {
        Some(self.payments.clone())
    }
    fn describe(&self) -> String {
        let per = match self.per_year {
            1 => "yearly",
            2 => "half-yearly",
            4 => "quarterly",
            _ => "monthly",
        };
        format!(
            "level annuity: {} {per} payments from {} to {} at {} a year ({} a period), rounding {}",
            self.periods,
            self.first,
            self.last_date(),
            self.rate.normalize(),
            debt::round(
                self.rate
                    .checked_div(Decimal::from(self.per_year))
                    .unwrap_or(self.rate),
                12
            )
            .normalize(),
            self.rounding.as_str()
        )
    }
    fn terms(&self) -> crate::error::Result<Terms> {
        Ok(Terms {
            amounts: self.level.clone(),
            per: super::Per::Each,
        })
    }
    fn roundings(&self) -> Vec<String> {
        let mut out = Vec::new();
        let exact_rate = crate::amount::exact(
            &[self
                .rate
                .checked_div(Decimal::from(self.per_year))
                .unwrap_or(self.rate)],
            self.rate,
            u64::from(self.per_year),
        );
        if !exact_rate {
            out.push(format!(
                "the period rate {} ÷ {} is carried to {PRECISION}",
                self.rate.normalize(),
                self.per_year
            ));
        }
        let places = match self.places {
            1 => "1 decimal place".to_string(),
            n => format!("{n} decimal places"),
        };
        out.push(match self.rounding {
            Rounding::EachPayment => format!(
                "each payment P·i / (1 − (1+i)^−n) and each period's interest (balance × i) rounded {HALF_EVEN} to {places}; the last payment's principal is the whole remaining balance and its interest the payment less that"
            ),
            Rounding::LastAbsorbs => format!(
                "each payment P·i / (1 − (1+i)^−n) and each period's interest (balance × i) rounded {HALF_EVEN} to {places}; the last payment is the remaining balance plus its interest"
            ),
            Rounding::None => format!(
                "computed to {PRECISION}, not rounded to places (each figure held to {places}, {HALF_EVEN}, so that every sum stays exact); the last payment's principal is the remaining balance{}",
                match self.unused_places {
                    Some(p) => format!(" (places = {p} is not used: nothing is rounded to places)"),
                    None => String::new(),
                }
            ),
        });
        out
    }
}

/// The regular payment of each commodity (for tests and docs).
impl Annuity {
    /// The regular payment.
    pub fn level(&self) -> &Basket {
        &self.level
    }
    /// The payments, by date.
    pub fn payments(&self) -> &[Payment] {
        &self.payments
    }
    /// The principal.
    pub fn principal(&self) -> &Basket {
        &self.principal
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(s: &str) -> Decimal {
        Decimal::from_str_exact(s).unwrap()
    }

    fn sum(rows: &[Row], f: impl Fn(&Row) -> Decimal) -> Decimal {
        rows.iter()
            .fold(Decimal::ZERO, |a, r| crate::amount::add(a, f(r)).unwrap())
    }

    fn principal_sum(rows: &[Row]) -> Decimal {
        sum(rows, |r| crate::amount::sub(r.payment, r.interest).unwrap())
    }

    // The Boxer indemnity: 450,000,000 at 4% over 39 yearly payments. By hand (and
    // numpy_financial.pmt(0.04, 39, -450e6)): A = 22,977,372.3287…; 39 × A = 896,117,520.81.
    #[test]
    fn boxer_yearly() {
        let p = d("450000000");
        let each = amortise(p, d("0.04"), 39, Rounding::EachPayment, Some(2), &(0..1)).unwrap();
        assert_eq!(each.level, d("22977372.33"));
        assert!(each.rows.iter().all(|r| r.payment == d("22977372.33")));
        // 39 × 22,977,372.33 = 896,117,520.87.
        assert_eq!(sum(&each.rows, |r| r.payment), d("896117520.87"));
        assert_eq!(principal_sum(&each.rows), p);
        // The first year's interest is 4% of the whole principal: 18,000,000.
        assert_eq!(each.rows[0].interest, d("18000000"));
        assert_eq!(
            sum(&each.rows, |r| r.interest),
            d("446117520.87"),
            "interest = total − principal"
        );
        assert_eq!(each.rows[38].balance, Decimal::ZERO);

        let none = amortise(p, d("0.04"), 39, Rounding::None, None, &(0..1)).unwrap();
        let total = sum(&none.rows, |r| r.payment);
        assert_eq!(debt::round(total, 2), d("896117520.81"));
        assert_eq!(debt::round(none.level, 2), d("22977372.33"));
        assert_eq!(principal_sum(&none.rows), p);

        let last = amortise(p, d("0.04"), 39, Rounding::LastAbsorbs, Some(2), &(0..1)).unwrap();
        assert_eq!(principal_sum(&last.rows), p);
        assert!(
            last.rows[..38]
                .iter()
                .all(|r| r.payment == d("22977372.33"))
        );
        // The last payment absorbs the rounding: within a few cents of the level payment.
        let gap = (last.rows[38].payment - d("22977372.33")).abs();
        assert!(gap < d("1"), "{}", last.rows[38].payment);
    }

    // Half-yearly at 2% a period over 78 periods: A = 11,441,591.76 (numpy_financial.pmt(0.02, 78,
    // -450e6) = 11441591.7593…), 78 × A = 892,444,157.22 unrounded.
    #[test]
    fn boxer_half_yearly() {
        let p = d("450000000");
        let none = amortise(p, d("0.02"), 78, Rounding::None, None, &(0..1)).unwrap();
        assert_eq!(debt::round(none.level, 2), d("11441591.76"));
        assert_eq!(
            debt::round(sum(&none.rows, |r| r.payment), 2),
            d("892444157.22")
        );
        let each = amortise(p, d("0.02"), 78, Rounding::EachPayment, Some(2), &(0..1)).unwrap();
        assert_eq!(each.level, d("11441591.76"));
        assert_eq!(principal_sum(&each.rows), p);
        // The first half-year's interest: 2% of 450,000,000.
        assert_eq!(each.rows[0].interest, d("9000000"));
    }

    #[test]
    fn zero_rate_is_equal_instalments() {
        let r = amortise(
            d("100"),
            Decimal::ZERO,
            4,
            Rounding::EachPayment,
            Some(2),
            &(0..1),
        )
        .unwrap();
        assert_eq!(r.level, d("25"));
        assert!(r.rows.iter().all(|x| x.interest.is_zero()));
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]
        // Principal parts add up to the principal exactly, principal + interest is each payment
        // exactly, under every rounding.
        #[test]
        fn principal_and_interest_add_up(
            cents in 1u64..100_000_000_000,
            rate_bp in 0u32..2000,
            n in 1u32..200,
            mode in 0u8..3,
        ) {
            let p = Decimal::new(cents as i64, 2);
            let i = Decimal::new(i64::from(rate_bp), 4);
            let (rounding, places) = match mode {
                0 => (Rounding::EachPayment, Some(2)),
                1 => (Rounding::LastAbsorbs, Some(2)),
                _ => (Rounding::None, None),
            };
            let run = amortise(p, i, n, rounding, places, &(0..1)).unwrap();
            prop_assert_eq!(run.rows.len(), n as usize);
            prop_assert_eq!(principal_sum(&run.rows), p);
            let total = sum(&run.rows, |r| r.payment);
            let parts = crate::amount::add(principal_sum(&run.rows), sum(&run.rows, |r| r.interest)).unwrap();
            prop_assert_eq!(total, parts);
            prop_assert_eq!(run.rows.last().unwrap().balance, Decimal::ZERO);
        }
    }
}
