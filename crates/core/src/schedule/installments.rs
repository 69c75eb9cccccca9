//! `schedule = "installments"`: a `total` split into `count` payments every `every` years from `from`.
//!
//! The split is equal whenever the total divided by `count` is an exact decimal (4.30 in 5 is 0.86
//! each). Otherwise (4,000,000,000 in 3) each payment is the quotient cut to the places the total
//! was written with ("100.00 bolt" in 3 is 33.33, 33.33 and 33.34) and the last payment takes the
//! remainder, so the payments always add up to the total exactly. A split that would leave a
//! payment of zero at those places ("1 catty" in 3) is an error at load, located at `total`, never
//! a schedule that says "3 installments" and pays in one. `describe` says exactly which split it is.

use std::collections::BTreeSet;

use rust_decimal::{Decimal, RoundingStrategy};

use super::{FieldError, Piece, Schedule, ScheduleInput, ScheduleKind};
use crate::amount::{Basket, CommodityId, Year};

/// The registration of the kind.
pub static KIND: ScheduleKind = ScheduleKind {
    name: "installments",
    keys: &["from", "count", "every", "total"],
    build,
};

fn build(input: &ScheduleInput) -> Result<Box<dyn Schedule>, FieldError> {
    let from = ScheduleInput::year_value(input.require("from", &input.from, "installments")?)?;
    let count = ScheduleInput::positive(
        input.require("count", &input.count, "installments")?,
        "count",
    )?;
    let every = match input.every.clone() {
        Some(v) => ScheduleInput::positive(v, "every")?,
        None => 1,
    };
    let total = input.basket("total", &input.total, "installments")?;
    let total_span = input
        .total
        .as_ref()
        .map_or(input.table.clone(), |t| t.1.clone());
    // At most 19,999 payments at most 19,999 years apart: the product fits an i64 easily.
    let last = i64::from(from) + i64::from(count - 1) * i64::from(every);
    if crate::amount::checked_year(last).is_err() {
        let span = input
            .count
            .as_ref()
            .map_or(input.table.clone(), |c| c.1.clone());
        return Err(FieldError::new(
            format!(
                "the last installment would fall in {last}, after {}, the last supported year",
                crate::amount::YEAR_MAX
            ),
            span,
        )
        .help("give fewer installments, fewer years between them, or an earlier `from`"));
    }
    let places: Vec<(CommodityId, u32)> = total
        .iter()
        .map(|(c, amount)| {
            let written = input
                .total_places
                .iter()
                .find(|p| p.0 == c)
                .map_or(amount.scale(), |p| p.1);
            (c, written.max(amount.scale()))
        })
        .collect();
    let s = Installments {
        from,
        count,
        every,
        total,
        places,
    };
    for part in s.split() {
        if part.each.is_zero() {
            return Err(FieldError::new(
                format!(
                    "{} in {count} installments would leave {} payments of 0: the total is written with {}",
                    part.total,
                    count - 1,
                    match part.places {
                        0 => "no decimal places".to_string(),
                        1 => "1 decimal place".to_string(),
                        n => format!("{n} decimal places"),
                    }
                ),
                total_span,
            )
            .help(
                "write the total with more decimal places (\"1.00\" rather than \"1\"), in a smaller unit, or in fewer installments",
            ));
        }
    }
    Ok(Box::new(s))
}

/// A total paid in installments.
#[derive(Debug, Clone)]
pub struct Installments {
    /// First payment year.
    pub from: Year,
    /// Number of payments.
    pub count: u32,
    /// Years between payments.
    pub every: u32,
    /// The whole sum.
    pub total: Basket,
    /// Each commodity's decimal places as the total was written (sorted by commodity): an uneven
    /// split is cut to these.
    pub places: Vec<(CommodityId, u32)>,
}

/// One commodity's split.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Part {
    commodity: CommodityId,
    total: Decimal,
    places: u32,
    /// Every payment but the last.
    each: Decimal,
    /// The last payment (equal to `each` when the split is exact).
    last: Decimal,
}

impl Installments {
    /// Each commodity's regular payment and last payment (equal when the split is exact).
    fn split(&self) -> Vec<Part> {
        let n = Decimal::from(self.count);
        self.total
            .iter()
            .map(|(c, total)| {
                let places = self
                    .places
                    .iter()
                    .find(|p| p.0 == c)
                    .map_or(total.scale(), |p| p.1);
                let part = |each: Decimal, last: Decimal| Part {
                    commodity: c,
                    total,
                    places,
                    each,
                    last,
                };
                let quotient = total / n;
                // Exact on the integer mantissas: Decimal multiplication would round 33.33… × 3
                // back to 100 and hide the remainder.
                if crate::amount::exact(&[quotient], total, u64::from(self.count)) {
                    return part(quotient, quotient);
                }
                let each = quotient.round_dp_with_strategy(places, RoundingStrategy::ToZero);
                // each × (n − 1) ≤ total, so neither step can overflow.
                let last = total - each * (n - Decimal::ONE);
                part(each, last)
            })
            .collect()
    }

    fn last(&self) -> Year {
        // Checked at build: the last installment lies in the supported years.
        let last = i64::from(self.from) + (i64::from(self.count) - 1) * i64::from(self.every);
        Year::try_from(last).unwrap_or(crate::amount::YEAR_MAX)
    }
}

impl Schedule for Installments {
    fn kind(&self) -> &'static str {
        KIND.name
    }
    fn first_year(&self) -> Year {
        self.from
    }
    fn last_year(&self) -> Option<Year> {
        Some(self.last())
    }
    fn pieces(&self, _end: Year) -> Vec<Piece> {
        let mut regular = Basket::new();
        let mut last = Basket::new();
        let mut uneven = false;
        for p in self.split() {
            // Adding into an empty basket cannot overflow: each part is at most the total.
            let _ = regular.add_amount(p.commodity, p.each);
            let _ = last.add_amount(p.commodity, p.last);
            uneven |= p.each != p.last;
        }
        if !uneven {
            return vec![Piece {
                start: self.from,
                step: self.every,
                count: u64::from(self.count),
                amounts: regular,
                interest: Basket::new(),
            }];
        }
        let mut pieces = Vec::new();
        if self.count > 1 {
            pieces.push(Piece {
                start: self.from,
                step: self.every,
                count: u64::from(self.count - 1),
                amounts: regular,
                interest: Basket::new(),
            });
        }
        pieces.push(Piece::once(self.last(), last));
        pieces
    }
    fn terms(&self) -> crate::error::Result<super::Terms> {
        Ok(super::Terms {
            amounts: self.total.clone(),
            per: super::Per::InAll,
        })
    }
    fn describe(&self) -> String {
        let every = if self.every == 1 {
            "a year".to_string()
        } else {
            format!("every {} years", self.every)
        };
        let uneven: Vec<Part> = self
            .split()
            .into_iter()
            .filter(|p| p.each != p.last)
            .collect();
        let split = if uneven.is_empty() {
            ", equal".to_string()
        } else {
            let places: BTreeSet<u32> = uneven.iter().map(|p| p.places).collect();
            let text: Vec<String> = places
                .iter()
                .map(|p| match p {
                    0 => "a whole number".to_string(),
                    1 => "1 decimal place".to_string(),
                    n => format!("{n} decimal places"),
                })
                .collect();
            format!(
                ", each cut to {} as the total is written, the remainder in the last",
                text.join(" or ")
            )
        };
        format!(
            "{} installments {every} from {} to {}{split}",
            self.count,
            self.from,
            self.last()
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::amount::CommodityId;

    #[test]
    fn an_exact_decimal_quotient_splits_equally() {
        let c = CommodityId(0);
        let total = Decimal::from_str_exact("4.30").unwrap();
        let s = Installments {
            from: 1000,
            count: 5,
            every: 1,
            total: Basket::of(c, total),
            places: vec![(c, 2)],
        };
        assert_eq!(s.pieces(0).len(), 1);
        assert_eq!(
            s.pieces(0)[0].amounts.get(c),
            Decimal::from_str_exact("0.86").unwrap()
        );
    }

    #[test]
    fn uneven_split_puts_the_remainder_last_and_adds_up() {
        let c = CommodityId(0);
        let s = Installments {
            from: 1825,
            count: 3,
            every: 1,
            total: Basket::of(c, Decimal::from(100)),
            places: vec![(c, 0)],
        };
        let pieces = s.pieces(0);
        assert_eq!(pieces.len(), 2);
        assert_eq!(pieces[0].amounts.get(c), Decimal::from(33));
        assert_eq!(pieces[1].amounts.get(c), Decimal::from(34));
        assert_eq!(pieces[1].start, 1827);
        let five = Installments {
            from: 1825,
            count: 5,
            every: 1,
            total: Basket::of(c, Decimal::from(150_000_000)),
            places: vec![(c, 0)],
        };
        assert_eq!(
            five.pieces(0),
            vec![Piece {
                start: 1825,
                step: 1,
                count: 5,
                amounts: Basket::of(c, Decimal::from(30_000_000)),
                interest: Basket::new(),
            }]
        );
    }

    fn input(total: &str, places: u32, count: i64) -> ScheduleInput<'static> {
        let c = CommodityId(0);
        let d = Decimal::from_str_exact(total).unwrap();
        ScheduleInput {
            from: Some((1825, 0..1)),
            count: Some((count, 2..3)),
            total: Some((Basket::of(c, d), 10..20)),
            total_places: vec![(c, places)],
            ..ScheduleInput::default()
        }
    }

    // Issue 12: "100.00 bolt" in 3 gave 33/33/34, dropping the places the total was written with.
    #[test]
    fn an_uneven_split_keeps_the_written_places() {
        let c = CommodityId(0);
        let s = build(&input("100.00", 2, 3)).unwrap();
        let pieces = s.pieces(0);
        let d = |t: &str| Decimal::from_str_exact(t).unwrap();
        // 100.00 / 3 = 33.333…, cut to 2 places: 33.33 twice, and 100.00 − 66.66 = 33.34 last.
        assert_eq!(pieces[0].amounts.get(c), d("33.33"));
        assert_eq!(pieces[0].count, 2);
        assert_eq!(pieces[1].amounts.get(c), d("33.34"));
        assert_eq!(pieces[1].start, 1827);
        assert!(s.describe().contains("2 decimal place"), "{}", s.describe());
    }

    // Issue 12: "1 catty" in 3 gave 0, 0, 1 while `show` said "3 installments".
    #[test]
    fn a_split_with_zero_payments_is_refused_at_the_total() {
        let e = build(&input("1", 0, 3)).unwrap_err();
        assert_eq!(e.span, 10..20);
        assert!(e.message.contains("2 payments of 0"), "{}", e.message);
        assert!(e.help.is_some());
        // With places to spare the same split works: 0.33, 0.33, 0.34.
        assert!(build(&input("1.00", 2, 3)).is_ok());
    }
}
