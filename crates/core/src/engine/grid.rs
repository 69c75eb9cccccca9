//! Dense per-year, per-commodity sums for the ledger: one strided difference array per payment
//! interval (a piece of every `step` years adds at its start and subtracts after its end, every
//! `step` slots), turned into per-year sums by one prefix pass per interval. What must hold: every
//! addition is checked (an overflow is an error, never a wrap); year arithmetic is wide, so a grid
//! ending at the last year of all does not overflow.

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use crate::amount::{Basket, CommodityId, Year, add, sub};
use crate::error::Result;
use crate::schedule::Piece;

/// Dense per-year, per-commodity sums built from strided difference arrays.
pub(super) struct Grid {
    lo: Year,
    years: usize,
    width: usize,
    /// The column of each commodity, by its index (`usize::MAX` for one not in the grid).
    index: Vec<usize>,
    /// One difference array per payment interval.
    diffs: BTreeMap<u32, Vec<Decimal>>,
    /// Point additions (recorded deliveries); empty until the first one, as most grids get none.
    points: Vec<Decimal>,
}

/// How many years `lo..=hi` holds (none if `hi < lo`).
pub(super) fn years_in(lo: Year, hi: Year) -> usize {
    if hi < lo {
        0
    } else {
        (hi.abs_diff(lo) as usize).saturating_add(1)
    }
}

impl Grid {
    pub(super) fn new(lo: Year, hi: Year, commodities: &[CommodityId]) -> Grid {
        let years = years_in(lo, hi);
        let width = commodities.len();
        Grid {
            lo,
            years,
            width,
            index: {
                let mut index = Vec::new();
                for (i, c) in commodities.iter().enumerate() {
                    let at = usize::from(c.0);
                    if index.len() <= at {
                        index.resize(at.saturating_add(1), usize::MAX);
                    }
                    if let Some(slot) = index.get_mut(at) {
                        *slot = i;
                    }
                }
                index
            },
            diffs: BTreeMap::new(),
            points: Vec::new(),
        }
    }

    /// Slots in the grid: one per year and commodity.
    fn len(&self) -> usize {
        self.years.saturating_mul(self.width)
    }

    /// The index of `year` (within the grid's years) and `c`. Year arithmetic is wide, so a grid
    /// ending at the last year of all does not overflow.
    pub(super) fn slot(&self, year: Year, c: CommodityId) -> usize {
        slot_in(self.lo, self.width, &self.index, year, c)
    }

    /// Adds `sign × amounts` in every year of `piece` (already clipped to the grid's years; its
    /// own amounts are not read, so a piece of years alone, [`Piece::clip_years`], will do).
    pub(super) fn add_piece(
        &mut self,
        piece: &Piece,
        amounts: &Basket,
        negate: bool,
    ) -> Result<()> {
        // Wide: i32 years and a grid of at most a million years, far from i64's limits.
        let hi = i64::from(self.lo)
            .saturating_add(self.years as i64)
            .saturating_sub(1);
        let after = i64::from(piece.last()).saturating_add(i64::from(piece.step));
        let (years, width) = (self.years, self.width);
        let start = piece.start;
        // The slots are found field by field (no vector of them per piece: this runs for every
        // piece of every stream, several times).
        let (lo, index) = (self.lo, &self.index);
        let slot = |year: Year, c: CommodityId| slot_in(lo, width, index, year, c);
        let diff = self
            .diffs
            .entry(piece.step)
            .or_insert_with(|| vec![Decimal::ZERO; years.saturating_mul(width)]);
        for (c, a) in amounts.iter() {
            let a = if negate { -a } else { a };
            let begin = slot(start, c);
            let stop = (after <= hi).then(|| slot(after as Year, c));
            diff[begin] = add(diff[begin], a)?;
            if let Some(stop) = stop {
                diff[stop] = sub(diff[stop], a)?;
            }
        }
        Ok(())
    }

    pub(super) fn add_point(&mut self, year: Year, amounts: &Basket) -> Result<()> {
        if self.points.is_empty() {
            self.points = vec![Decimal::ZERO; self.len()];
        }
        for (c, a) in amounts.iter() {
            let s = self.slot(year, c);
            self.points[s] = add(self.points[s], a)?;
        }
        Ok(())
    }

    /// Adds `amounts` to every year from `year` to the grid's last: a balance that stays as it
    /// was (an arrears balance after its run), one slot per commodity rather than one per year.
    pub(super) fn add_from(&mut self, year: Year, amounts: &Basket) -> Result<()> {
        let len = self.len();
        let slots: Vec<(usize, Decimal)> = amounts
            .iter()
            .map(|(c, a)| (self.slot(year, c), a))
            .collect();
        let diff = self
            .diffs
            .entry(1)
            .or_insert_with(|| vec![Decimal::ZERO; len]);
        for (s, a) in slots {
            diff[s] = add(diff[s], a)?;
        }
        Ok(())
    }

    /// Adds another grid of the same years and commodities into this one, interval by interval.
    /// Zero slots are skipped: adding zero changes no value (the sums are normalised when read).
    pub(super) fn absorb(&mut self, other: Grid) -> Result<()> {
        if self.points.is_empty() {
            self.points = other.points;
        } else {
            for (p, q) in self.points.iter_mut().zip(&other.points) {
                if !q.is_zero() {
                    *p = add(*p, *q)?;
                }
            }
        }
        for (step, diff) in other.diffs {
            match self.diffs.entry(step) {
                std::collections::btree_map::Entry::Vacant(v) => {
                    v.insert(diff);
                }
                std::collections::btree_map::Entry::Occupied(mut o) => {
                    for (a, b) in o.get_mut().iter_mut().zip(&diff) {
                        if !b.is_zero() {
                            *a = add(*a, *b)?;
                        }
                    }
                }
            }
        }
        Ok(())
    }

    /// Per-year sums: each interval's running sums added up, plus the points.
    pub(super) fn finish(self) -> Result<Vec<Decimal>> {
        let mut out = self.points;
        if out.is_empty() {
            out = vec![Decimal::ZERO; self.years.saturating_mul(self.width)];
        }
        for (step, mut diff) in self.diffs {
            let stride = (step as usize).saturating_mul(self.width);
            for i in stride..diff.len() {
                let before = diff[i.saturating_sub(stride)];
                if !before.is_zero() {
                    diff[i] = add(diff[i], before)?;
                }
            }
            for (o, d) in out.iter_mut().zip(&diff) {
                if !d.is_zero() {
                    *o = add(*o, *d)?;
                }
            }
        }
        Ok(out)
    }
}

/// [`Grid::slot`] from the grid's fields, for use while another field is borrowed mutably.
#[expect(
    clippy::arithmetic_side_effects,
    reason = "year lies in the grid's years (pieces are clipped and points filtered to them), so \
              the offset is below `years` and the slot below `years × width`, the grid's length"
)]
fn slot_in(lo: Year, width: usize, index: &[usize], year: Year, c: CommodityId) -> usize {
    (i64::from(year) - i64::from(lo)) as usize * width + index[usize::from(c.0)]
}
