//! The partial ledger of a run of streams: their difference grids (owed, interest, recorded,
//! assumed, arrears, settled), what they owed, recorded and assumed before the ledger's first
//! year, and each year's notes. [`super::Ledger::new`] makes one per chunk of streams, on all
//! cores, and adds them up in order. What must hold: a stream's overflow is reported against it,
//! and a simple account's arrears ([`super::accrual`]) equal its year-by-year run.

use crate::amount::{Basket, CommodityId, Year};
use crate::error::Result;
use crate::model::DeliveryMode;
use crate::resolve::{Stream, overflow};
use crate::schedule::Piece;

use super::grid::{self, Grid};
use super::{RowNote, accrual, arrears_run, stream_sums, sums_fit};

/// The ledger of some of the streams, before the per-year sums: their difference grids, what
/// they owed, recorded and assumed before the ledger's first year, and the notes of each year.
pub(super) struct Partial {
    pub(super) owed: Grid,
    pub(super) interest: Grid,
    pub(super) recorded: Grid,
    pub(super) assumed: Grid,
    pub(super) arrears: Grid,
    pub(super) settled: Grid,
    pub(super) opening_owed: Basket,
    pub(super) opening_recorded: Basket,
    pub(super) opening_assumed: Basket,
    pub(super) notes: Vec<Vec<RowNote>>,
}

impl Partial {
    pub(super) fn new(lo: Year, hi: Year, commodities: &[CommodityId]) -> Partial {
        Partial {
            owed: Grid::new(lo, hi, commodities),
            interest: Grid::new(lo, hi, commodities),
            recorded: Grid::new(lo, hi, commodities),
            assumed: Grid::new(lo, hi, commodities),
            arrears: Grid::new(lo, hi, commodities),
            settled: Grid::new(lo, hi, commodities),
            opening_owed: Basket::new(),
            opening_recorded: Basket::new(),
            opening_assumed: Basket::new(),
            notes: vec![Vec::new(); grid::years_in(lo, hi)],
        }
    }

    /// The partial ledger of `streams`, one after the other; an overflow names its stream.
    pub(super) fn of(
        streams: &[&Stream],
        lo: Year,
        hi: Year,
        commodities: &[CommodityId],
        closed_form: bool,
    ) -> Result<Partial> {
        let mut part = Partial::new(lo, hi, commodities);
        let Partial {
            owed,
            interest,
            recorded,
            assumed,
            arrears,
            settled,
            opening_owed,
            opening_recorded,
            opening_assumed,
            notes,
        } = &mut part;
        for s in streams {
            // An overflow names the stream and is placed at its obligation ([`overflow`]): the
            // treaty's path is not needed, nor looked up.
            let path = "";
            let ov = |e| overflow(s, path, e);
            // The stream's key for the notes, made once, when the first note needs it (most
            // streams have none).
            let key_cell = std::cell::OnceCell::new();
            let key = || key_cell.get_or_init(|| stream_key(s)).clone();
            // Closed-form check that this stream alone can be summed up to `hi`, so an overflow is
            // reported against its obligation rather than against the sum of all streams. A
            // stream without an arrears run whose amounts are small enough ([`sums_fit`]: most)
            // cannot overflow, and owes nothing before `lo` if it starts at or after it.
            // A simple account's arrears ([`accrual`]) are summed in closed form below, not run
            // year by year; its sums then fit as any stream's without a run does.
            let closed = closed_form && accrual::simple(s) && sums_fit(s);
            let run = if closed { None } else { arrears_run(s, path)? };
            let fits = closed || (run.is_none() && sums_fit(s));
            if !fits {
                stream_sums(s, path, Year::MIN, hi, run.as_ref())?;
            }
            let owes_before = !fits || s.span().is_some_and(|(first, _)| first < lo);
            if lo > Year::MIN && owes_before {
                let before = stream_sums(s, path, Year::MIN, lo.saturating_sub(1), run.as_ref())?;
                *opening_owed = opening_owed.plus(&before.owed).map_err(ov)?;
                *opening_recorded = opening_recorded.plus(&before.recorded).map_err(ov)?;
                *opening_assumed = opening_assumed.plus(&before.assumed).map_err(ov)?;
            }
            // The pieces are clipped to the ledger's years as years alone: their amounts are
            // read where they are, not copied.
            for whole in &s.pieces {
                let Some(p) = whole.clip_years(lo, hi) else {
                    continue;
                };
                owed.add_piece(&p, &whole.amounts, false).map_err(ov)?;
                if !whole.interest.is_empty() {
                    interest.add_piece(&p, &whole.interest, false).map_err(ov)?;
                }
                if s.delivery == DeliveryMode::AsOwed {
                    assumed.add_piece(&p, &whole.amounts, false).map_err(ov)?;
                }
                for &(a, b) in &s.suspended_union {
                    if let Some(q) = p.clip_years(a, b) {
                        if s.delivery == DeliveryMode::AsOwed {
                            assumed.add_piece(&q, &whole.amounts, true).map_err(ov)?;
                        }
                        mark(notes, lo, &q, || RowNote::Suspended(key()));
                    }
                }
                match s.delivery {
                    DeliveryMode::AsOwed => {}
                    DeliveryMode::Unknown => {
                        mark(notes, lo, &p, || RowNote::DeliveryUnknown(key()))
                    }
                    DeliveryMode::None => mark(notes, lo, &p, || RowNote::NotDelivered(key())),
                }
            }
            for crate::resolve::RecordedDelivery {
                year: y, amounts, ..
            } in &s.deliveries
            {
                if lo <= *y && *y <= hi {
                    recorded.add_point(*y, amounts).map_err(ov)?;
                }
            }
            if closed && !s.suspended_union.is_empty() {
                accrual::add_arrears(arrears, s, lo, hi).map_err(ov)?;
            }
            if let Some(run) = &run {
                // The run's years one by one (the balance, and a note where something lapsed),
                // then the last balance, which stays as it was, for every later year at once.
                let (lo64, hi64, first) = (i64::from(lo), i64::from(hi), i64::from(run.first));
                let years = run.balance.iter().zip(&run.lapsed);
                for (y, (balance, lapsed)) in (first..).zip(years) {
                    if y < lo64 || y > hi64 {
                        continue;
                    }
                    if !balance.is_empty() {
                        arrears.add_point(y as Year, balance).map_err(ov)?;
                    }
                    let row = usize::try_from(y.saturating_sub(lo64)).ok();
                    if let Some(row) = row.and_then(|i| notes.get_mut(i)) {
                        if !lapsed.is_empty() {
                            row.push(RowNote::Lapsed(key()));
                        }
                    }
                }
                let after = i64::try_from(run.balance.len())
                    .ok()
                    .and_then(|n| first.checked_add(n))
                    .map_or(i64::MAX, |a| a.max(lo64));
                if let Some(last) = run.balance.last().filter(|b| !b.is_empty()) {
                    if after <= hi64 {
                        arrears.add_from(after as Year, last).map_err(ov)?;
                    }
                }
                for st in run
                    .settled
                    .iter()
                    .filter(|st| lo <= st.year && st.year <= hi)
                {
                    settled.add_point(st.year, &st.amounts).map_err(ov)?;
                    let i = st.year.abs_diff(lo) as usize;
                    notes[i].push(RowNote::Settled(st.kind, key(), st.by.clone()));
                }
            }
        }
        Ok(part)
    }

    /// Two partial ledgers of the same years and commodities as one.
    /// The grids are added in two halves on two cores (what is owed and what is assumed, the
    /// two big grids, in different halves); a problem in the first half is reported before one in
    /// the second, as in one pass.
    pub(super) fn plus(mut self, other: Partial) -> Result<Partial> {
        let (first, second) = rayon::join(
            || -> Result<()> {
                self.owed.absorb(other.owed)?;
                self.interest.absorb(other.interest)?;
                self.recorded.absorb(other.recorded)
            },
            || -> Result<()> {
                self.assumed.absorb(other.assumed)?;
                self.arrears.absorb(other.arrears)?;
                self.settled.absorb(other.settled)
            },
        );
        first?;
        second?;
        self.opening_owed = self.opening_owed.plus(&other.opening_owed)?;
        self.opening_recorded = self.opening_recorded.plus(&other.opening_recorded)?;
        self.opening_assumed = self.opening_assumed.plus(&other.opening_assumed)?;
        for (mine, theirs) in self.notes.iter_mut().zip(other.notes) {
            mine.extend(theirs);
        }
        Ok(self)
    }
}

fn mark(notes: &mut [Vec<RowNote>], lo: Year, piece: &Piece, note: impl Fn() -> RowNote) {
    for k in 0..piece.count {
        // A clipped piece's years lie in the ledger's: none of these steps fails.
        let Some(y) = i64::try_from(k)
            .ok()
            .and_then(|k| k.checked_mul(i64::from(piece.step)))
            .and_then(|o| o.checked_add(i64::from(piece.start)))
        else {
            break;
        };
        let i = y.checked_sub(i64::from(lo)).map(|i| i as usize);
        if let Some(slot) = i.and_then(|i| notes.get_mut(i)) {
            slot.push(note());
        }
    }
}

/// `treaty/obligation`, the key a note names its stream by (inline up to 24 bytes).
pub(super) fn stream_key(s: &Stream) -> compact_str::CompactString {
    let mut key = compact_str::CompactString::with_capacity(
        s.treaty
            .len()
            .saturating_add(s.obligation.len())
            .saturating_add(1),
    );
    key.push_str(&s.treaty);
    key.push('/');
    key.push_str(&s.obligation);
    key
}
