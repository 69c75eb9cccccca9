//! Valuing amounts with a price book: year by year for a basket, in closed form for streams.
//!
//! A [`Split`] holds exact amounts keyed by commodity and by the rate that prices them (or by no
//! rate: unpriced). Amounts that fall due over many years are split by the years each rate covers
//! with the arithmetic-progression counts of [`Piece::count_in`], so valuing a stream costs
//! streams × rates, never years. A [`Valuation`] is a split with values: every part's value, the
//! total interval, and the unpriced amounts, which are listed and never dropped.

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use super::book::PriceBook;
use super::interval::Interval;
use crate::amount::{Basket, CommodityId, Year, add, times};
use crate::error::Result;
use crate::loader::Corpus;
use crate::model::DeliveryMode;
use crate::resolve::{Stream, overflow};
use crate::schedule::Piece;

/// Exact amounts keyed by commodity and pricing rate (an index into the book's rates, or `None`
/// for unpriced). No zero entries.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Split {
    entries: BTreeMap<(CommodityId, Option<usize>), Decimal>,
}

impl Split {
    /// The empty split.
    pub fn new() -> Split {
        Split::default()
    }

    /// Adds `amount` of `c` priced by rate `rate` (or unpriced), checked.
    pub fn add(&mut self, c: CommodityId, rate: Option<usize>, amount: Decimal) -> Result<()> {
        if amount.is_zero() {
            return Ok(());
        }
        let e = self.entries.entry((c, rate)).or_insert(Decimal::ZERO);
        *e = add(*e, amount)?.normalize();
        if e.is_zero() {
            self.entries.remove(&(c, rate));
        }
        Ok(())
    }

    /// Adds every entry of `other`, checked.
    pub fn plus(&mut self, other: &Split) -> Result<()> {
        for (&(c, r), &a) in &other.entries {
            self.add(c, r, a)?;
        }
        Ok(())
    }

    /// Takes every entry of `other` away, checked.
    pub fn minus(&mut self, other: &Split) -> Result<()> {
        for (&(c, r), &a) in &other.entries {
            self.add(c, r, -a)?;
        }
        Ok(())
    }

    /// The entries: (commodity, rate index or unpriced, amount), sorted.
    pub fn iter(&self) -> impl Iterator<Item = (CommodityId, Option<usize>, Decimal)> + '_ {
        self.entries.iter().map(|(&(c, r), &a)| (c, r, a))
    }

    /// All amounts by commodity, priced or not.
    pub fn amounts(&self) -> Result<Basket> {
        let mut b = Basket::new();
        for (c, _, a) in self.iter() {
            b.add_amount(c, a)?;
        }
        Ok(b)
    }

    /// A basket falling due in `year`, split by the rates of that year.
    pub fn of_basket(book: Option<&PriceBook>, basket: &Basket, year: Year) -> Result<Split> {
        let mut s = Split::new();
        for (c, a) in basket.iter() {
            let rate = book.and_then(|b| b.rate_at(c, year)).map(|(i, _)| i);
            s.add(c, rate, a)?;
        }
        Ok(s)
    }

    /// The payments of `piece` that fall in `lo..=hi`, split by the years each rate covers
    /// (closed form: one count per rate).
    pub fn of_piece(book: Option<&PriceBook>, piece: &Piece, lo: Year, hi: Year) -> Result<Split> {
        let mut s = Split::new();
        let Some(p) = piece.clip(lo, hi) else {
            return Ok(s);
        };
        for (c, a) in p.amounts.iter() {
            let mut counted = 0u64;
            if let Some(book) = book {
                for (i, r) in book.rates_for(c) {
                    let (f, t) = r.years();
                    let n = p.count_in(f, t);
                    if n > 0 {
                        counted = counted.saturating_add(n);
                        s.add(c, Some(i), times(a, n)?)?;
                    }
                }
            }
            if p.count > counted {
                s.add(c, None, times(a, p.count.saturating_sub(counted))?)?;
            }
        }
        Ok(s)
    }

    /// Values every entry with `book` (entries priced by index into its rates).
    pub fn value(&self, book: Option<&PriceBook>) -> Result<Valuation> {
        let mut v = Valuation::default();
        for (c, r, a) in self.iter() {
            match r.and_then(|i| book.map(|b| &b.rates[i])) {
                Some(rate) => {
                    let value = rate.value.scaled(a)?;
                    v.value = v.value.plus(&value)?;
                    v.parts.push(Part {
                        commodity: c,
                        amount: a,
                        rate: r,
                        value: Some(value.normalize()),
                    });
                }
                None => {
                    v.unpriced.add_amount(c, a)?;
                    v.parts.push(Part {
                        commodity: c,
                        amount: a,
                        rate: None,
                        value: None,
                    });
                }
            }
        }
        v.value = v.value.normalize();
        Ok(v)
    }
}

/// One line of a valuation: an amount of a commodity, the rate that prices it, its value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    /// The commodity.
    pub commodity: CommodityId,
    /// How much of it (in its registry unit).
    pub amount: Decimal,
    /// The rate used (an index into the book's rates), or `None` if unpriced.
    pub rate: Option<usize>,
    /// `amount × rate`, or `None` if unpriced.
    pub value: Option<Interval>,
}

/// Amounts valued with a book: the total interval, each part, and what could not be priced.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Valuation {
    /// The value of everything priced.
    pub value: Interval,
    /// Every amount, priced or not, by commodity and rate.
    pub parts: Vec<Part>,
    /// What the book does not price, by commodity.
    pub unpriced: Basket,
}

impl Valuation {
    /// The value of the priced parts of one commodity, and its unpriced amount.
    pub fn of_commodity(&self, c: CommodityId) -> Result<(Interval, Decimal)> {
        let mut value = Interval::ZERO;
        for p in self.parts.iter().filter(|p| p.commodity == c) {
            if let Some(v) = &p.value {
                value = value.plus(v)?;
            }
        }
        Ok((value.normalize(), self.unpriced.get(c)))
    }

    /// True if some amount was priced.
    pub fn has_priced(&self) -> bool {
        self.parts.iter().any(|p| p.value.is_some())
    }
}

/// What a stream owed and delivered over a year range, split by rate.
#[derive(Debug, Clone, Default)]
pub struct StreamSplit {
    /// Owed.
    pub owed: Split,
    /// Delivered (known): owed less suspended years for streams delivered as owed, plus recorded
    /// deliveries.
    pub delivered: Split,
    /// Recorded deliveries (the part of `delivered` a record says was handed over).
    pub recorded: Split,
    /// Assumed deliveries (the part of `delivered` the file assumes: as-owed streams outside
    /// suspended years).
    pub assumed: Split,
}

/// Owed and delivered of `streams` over `lo..=hi`, split by the rates of `book`, in closed form.
/// Overflow is an error naming the stream's treaty.
pub fn split_streams(
    corpus: &Corpus,
    streams: &[&Stream],
    book: Option<&PriceBook>,
    lo: Year,
    hi: Year,
) -> Result<StreamSplit> {
    let mut out = StreamSplit::default();
    for s in streams {
        let path = corpus
            .treaties
            .get(s.treaty.as_str())
            .map_or("", |t| t.path.as_str());
        let ov = |e| overflow(s, path, e);
        let mut owed = Split::new();
        let mut suspended = Split::new();
        for p in &s.pieces {
            owed.plus(&Split::of_piece(book, p, lo, hi).map_err(ov)?)
                .map_err(ov)?;
            for &(a, b) in &s.suspended_union {
                suspended
                    .plus(&Split::of_piece(book, p, a.max(lo), b.min(hi)).map_err(ov)?)
                    .map_err(ov)?;
            }
        }
        let mut recorded = Split::new();
        for crate::resolve::RecordedDelivery {
            year: y, amounts, ..
        } in &s.deliveries
        {
            if lo <= *y && *y <= hi {
                recorded
                    .plus(&Split::of_basket(book, amounts, *y).map_err(ov)?)
                    .map_err(ov)?;
            }
        }
        let mut assumed = Split::new();
        if s.delivery == DeliveryMode::AsOwed {
            assumed.plus(&owed).map_err(ov)?;
            assumed.minus(&suspended).map_err(ov)?;
        }
        out.owed.plus(&owed).map_err(ov)?;
        out.delivered.plus(&assumed).map_err(ov)?;
        out.delivered.plus(&recorded).map_err(ov)?;
        out.recorded.plus(&recorded).map_err(ov)?;
        out.assumed.plus(&assumed).map_err(ov)?;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    #![allow(
        clippy::arithmetic_side_effects,
        reason = "test code: an overflow panics and fails the test"
    )]

    use std::sync::Arc;

    use proptest::prelude::*;

    use super::*;
    use crate::error::Location;
    use crate::valuation::book::Rate;

    fn d(s: &str) -> Decimal {
        Decimal::from_str_exact(s).unwrap()
    }

    fn book(rates: Vec<(u16, Option<Year>, Option<Year>, &str)>) -> PriceBook {
        let at = Location::new("test", &Arc::new(String::new()), 0..0);
        PriceBook {
            id: "test".into(),
            name: "test".into(),
            numeraire: "unit".into(),
            summary: None,
            notes: None,
            sources: Vec::new(),
            local_sources: Vec::new(),
            rates: rates
                .into_iter()
                .map(|(c, from, to, v)| Rate {
                    commodity: CommodityId(c),
                    value: Interval {
                        low: d(v) / Decimal::TWO,
                        central: d(v),
                        high: d(v) * Decimal::TWO,
                    },
                    from,
                    to,
                    sources: Vec::new(),
                    confidence: None,
                    note: None,
                    at: at.clone(),
                })
                .collect(),
            path: "test".into(),
            at,
            derived: None,
        }
    }

    /// The test oracle: every payment year by year, valued at that year's rate.
    fn naive(book: &PriceBook, piece: &Piece, lo: Year, hi: Year) -> (Interval, Basket) {
        let mut value = Interval::ZERO;
        let mut unpriced = Basket::new();
        for k in 0..piece.count {
            let y = piece.start + (k as Year) * piece.step as Year;
            if y < lo || y > hi {
                continue;
            }
            for (c, a) in piece.amounts.iter() {
                match book.rate_at(c, y) {
                    Some((_, r)) => value = value.plus(&r.value.scaled(a).unwrap()).unwrap(),
                    None => unpriced.add_amount(c, a).unwrap(),
                }
            }
        }
        (value.normalize(), unpriced)
    }

    #[test]
    fn a_stream_across_two_rate_periods_takes_both_rates() {
        // Silver (0) at 1 to 1126 and 2.5 from 1127; silk (1) priced only 1127–1133.
        let b = book(vec![
            (0, None, Some(1126), "1"),
            (0, Some(1127), None, "2.5"),
            (1, Some(1127), Some(1133), "3"),
        ]);
        let mut amounts = Basket::of(CommodityId(0), d("100"));
        amounts.add_amount(CommodityId(1), d("10")).unwrap();
        let piece = Piece {
            start: 1120,
            step: 1,
            count: 20,
            amounts,
            interest: Basket::new(),
        };
        let v = Split::of_piece(Some(&b), &piece, Year::MIN, Year::MAX)
            .unwrap()
            .value(Some(&b))
            .unwrap();
        // 7 years (1120–1126) × 100 × 1 + 13 years (1127–1139) × 100 × 2.5 + 7 years (1127–1133) × 10 × 3
        assert_eq!(v.value.central, d("700") + d("3250") + d("210"));
        // Silk in 1120–1126 and 1134–1139 (13 years) is unpriced.
        assert_eq!(v.unpriced.get(CommodityId(1)), d("130"));
        assert_eq!(v.unpriced.get(CommodityId(0)), Decimal::ZERO);
    }

    proptest! {
        #[test]
        fn closed_form_equals_the_year_by_year_oracle(
            start in 1000i32..1100,
            step in 1u32..5,
            count in 0u64..60,
            cut in 1000i32..1300,
            lo in 990i32..1150,
            len in 0i32..200,
            a in 1u32..1_000_000,
        ) {
            let b = book(vec![(0, None, Some(cut), "1.5"), (0, Some(cut + 7), None, "0.25"), (1, Some(cut - 20), Some(cut + 20), "4")]);
            let mut amounts = Basket::of(CommodityId(0), Decimal::from(a));
            amounts.add_amount(CommodityId(1), Decimal::from(a / 3 + 1)).unwrap();
            let piece = Piece { start, step, count, amounts, interest: Basket::new() };
            let hi = lo + len;
            let v = Split::of_piece(Some(&b), &piece, lo, hi).unwrap().value(Some(&b)).unwrap();
            let (value, unpriced) = naive(&b, &piece, lo, hi);
            prop_assert_eq!(v.value, value);
            prop_assert_eq!(v.unpriced, unpriced);
        }
    }
}
