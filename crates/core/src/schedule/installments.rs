//! `schedule = "installments"`: a `total` split into `count` payments every `every` years from `from`.
//!
//! The split is equal whenever the total divided by `count` is an exact decimal (4.30 in 5 is 0.86
//! each). Otherwise (4,000,000,000 in 3) each payment is the quotient cut to the total's own
//! decimal places and the last payment takes the remainder, so the payments always add up to the
//! total exactly. `describe` says which.

use rust_decimal::{Decimal, RoundingStrategy};

use super::{FieldError, Piece, Schedule, ScheduleInput, ScheduleKind};
use crate::amount::{Basket, Year};

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
    let last = i64::from(from) + i64::from(count - 1) * i64::from(every);
    if Year::try_from(last).is_err() {
        return Err(FieldError::new(
            "the last installment falls beyond the year range",
            input.table.clone(),
        ));
    }
    Ok(Box::new(Installments {
        from,
        count,
        every,
        total,
    }))
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
}

impl Installments {
    /// Each commodity's regular payment and last payment (equal when the split is exact).
    fn split(&self) -> Vec<(crate::amount::CommodityId, Decimal, Decimal)> {
        let n = Decimal::from(self.count);
        self.total
            .iter()
            .map(|(c, total)| {
                let quotient = total / n;
                // Exact on the integer mantissas: Decimal multiplication would round 33.33… × 3
                // back to 100 and hide the remainder.
                if crate::amount::exact(&[quotient], total, u64::from(self.count)) {
                    return (c, quotient, quotient);
                }
                let each = quotient.round_dp_with_strategy(total.scale(), RoundingStrategy::ToZero);
                let last = total - each * (n - Decimal::ONE);
                (c, each, last)
            })
            .collect()
    }

    fn last(&self) -> Year {
        self.from + (self.count as Year - 1) * self.every as Year
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
        for (c, each, final_payment) in self.split() {
            // Adding into an empty basket cannot overflow: each part is at most the total.
            let _ = regular.add_amount(c, each);
            let _ = last.add_amount(c, final_payment);
            uneven |= each != final_payment;
        }
        if !uneven {
            return vec![Piece {
                start: self.from,
                step: self.every,
                count: u64::from(self.count),
                amounts: regular,
            }];
        }
        let mut pieces = Vec::new();
        if self.count > 1 {
            pieces.push(Piece {
                start: self.from,
                step: self.every,
                count: u64::from(self.count - 1),
                amounts: regular,
            });
        }
        pieces.push(Piece::once(self.last(), last));
        pieces
    }
    fn describe(&self) -> String {
        let every = if self.every == 1 {
            "a year".to_string()
        } else {
            format!("every {} years", self.every)
        };
        let uneven = self.split().iter().any(|(_, each, last)| each != last);
        let split = if uneven {
            ", equal to the total's precision, the remainder in the last"
        } else {
            ", equal"
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
        };
        assert_eq!(
            five.pieces(0),
            vec![Piece {
                start: 1825,
                step: 1,
                count: 5,
                amounts: Basket::of(c, Decimal::from(30_000_000))
            }]
        );
    }
}
