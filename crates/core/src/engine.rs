//! The engine: totals and year-by-year ledgers of owed and delivered amounts, exactly.
//!
//! Totals are closed forms: a stream's contribution to a year range is the number of its payments
//! in the range (an arithmetic-progression count) times the payment, so the cost grows with the
//! number of streams and suspensions, not with years. Ledgers need one row per year, and are built
//! from strided difference arrays (one per distinct payment interval) and prefix sums, so the cost
//! is streams + years × intervals × commodities rather than streams × years (the arrays are in
//! [`grid`]). Assumed is owed, less suspended years, for streams delivered as owed; recorded is
//! what delivery records say; arrears and settlements come from [`crate::account`], except that
//! a stream whose account needs no year-by-year run has its arrears summed in closed form
//! ([`accrual`]). The partial ledgers of chunks of streams are in [`partial`]. The
//! year-by-year loop that checks all this lives in the property tests, not here.

mod accrual;
mod grid;
mod partial;
mod query;
mod sums;

use compact_str::CompactString;
use rayon::prelude::*;
use rust_decimal::Decimal;
use rustc_hash::FxHashMap;
use std::collections::{BTreeMap, BTreeSet};

use crate::amount::{Basket, CommodityId, Year, add};
use crate::error::{Error, ErrorKind, Result};
use crate::loader::Corpus;
use crate::model::ActionKind;
use crate::resolve::{Resolved, Stream, overflow};
use grid::Grid;
use partial::Partial;
pub use query::Query;
pub use sums::stream_owed;
pub(crate) use sums::{StreamSums, arrears_run, stream_sums, sums_fit};

/// A remark on a ledger row.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
///
/// A stream's `treaty/obligation` key is held as a [`CompactString`]: a note is made per year, and
/// a key of up to 24 bytes (most) then costs no allocation.
pub enum RowNote {
    /// The stream was owed this year but suspended (not delivered).
    Suspended(CompactString),
    /// The stream was owed this year but its delivery is not known.
    DeliveryUnknown(CompactString),
    /// The stream was owed this year and is recorded as not delivered.
    NotDelivered(CompactString),
    /// The stream's arrears were settled this year: `(action, stream, by)`.
    Settled(ActionKind, CompactString, String),
    /// What fell due in a suspended year lapsed (is not owed later).
    Lapsed(CompactString),
}

impl std::fmt::Display for RowNote {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RowNote::Suspended(s) => write!(f, "suspended: {s}"),
            RowNote::DeliveryUnknown(s) => write!(f, "delivery unknown: {s}"),
            RowNote::NotDelivered(s) => write!(f, "not delivered beyond any record: {s}"),
            RowNote::Settled(kind, s, by) => {
                let verb = match kind {
                    ActionKind::WriteOff => "arrears written off",
                    ActionKind::Reschedule => "arrears rescheduled",
                    ActionKind::Reduce => "arrears reduced",
                    _ => "settled",
                };
                write!(f, "{verb}: {s} (by {by})")
            }
            RowNote::Lapsed(s) => write!(f, "lapsed: {s}"),
        }
    }
}

/// One year of a ledger.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LedgerRow {
    /// The year.
    pub year: Year,
    /// Falling due this year.
    pub owed: Basket,
    /// The part of `owed` that is interest.
    pub interest: Basket,
    /// The part of `owed` that is principal: owed − interest.
    pub principal: Basket,
    /// Handed over this year, as a delivery record says.
    pub recorded: Basket,
    /// Assumed handed over this year: streams delivered as owed, outside suspended years.
    pub assumed: Basket,
    /// Arrears outstanding at the end of the year (a balance, not a flow).
    pub arrears: Basket,
    /// Arrears settled this year (written off, rescheduled or reduced).
    pub settled: Basket,
    /// Owed from the first year of the streams to this year.
    pub cum_owed: Basket,
    /// Recorded from the first year of the streams to this year.
    pub cum_recorded: Basket,
    /// Assumed from the first year of the streams to this year.
    pub cum_assumed: Basket,
    /// Remarks: suspended streams, unknown deliveries, settlements.
    pub notes: Vec<RowNote>,
}

impl Ledger {
    /// Recorded plus assumed before the first row (the start of the cumulative "delivered"
    /// line of a chart, whose caption says what it sums).
    pub fn opening_delivered(&self) -> Result<Basket> {
        self.opening_recorded.plus(&self.opening_assumed)
    }
}

impl LedgerRow {
    /// Recorded plus assumed this year: never to be shown as plain "delivered".
    pub fn delivered(&self) -> Result<Basket> {
        self.recorded.plus(&self.assumed)
    }

    /// Recorded plus assumed, cumulative.
    pub fn cum_delivered(&self) -> Result<Basket> {
        self.cum_recorded.plus(&self.cum_assumed)
    }
}

/// A year-by-year account.
#[derive(Debug, Clone)]
pub struct Ledger {
    /// First year shown.
    pub from: Year,
    /// Last year shown.
    pub to: Year,
    /// Commodities that appear, sorted.
    pub commodities: Vec<CommodityId>,
    /// One row per year, `from..=to`.
    pub rows: Vec<LedgerRow>,
    /// Streams included (`treaty/obligation`), each key inline when it is up to 24 bytes long.
    pub streams: Vec<CompactString>,
    /// Owed before the first row (the cumulative columns start from it).
    pub opening_owed: Basket,
    /// Recorded before the first row.
    pub opening_recorded: Basket,
    /// Assumed before the first row.
    pub opening_assumed: Basket,
}

/// Totals for one group and commodity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TotalRow {
    /// Group key: `payer → payee`, a treaty id or a stream key, by the grouping asked for.
    pub group: String,
    /// The commodity.
    pub commodity: CommodityId,
    /// Owed in the range.
    pub owed: Decimal,
    /// The part of `owed` that is interest (principal is the rest).
    pub interest: Decimal,
    /// Handed over in the range, as delivery records say.
    pub recorded: Decimal,
    /// Assumed handed over in the range (streams delivered as owed, outside suspended years).
    pub assumed: Decimal,
    /// Owed in the range where delivery is unknown, less what records cover.
    pub unknown: Decimal,
    /// Owed in suspended years.
    pub suspended: Decimal,
    /// Owed in the range by streams recorded as not delivered, less what records cover.
    pub withheld: Decimal,
    /// What fell due in suspended years in the range and lapsed.
    pub lapsed: Decimal,
    /// Arrears outstanding at the end of the range (a balance).
    pub arrears: Decimal,
    /// Arrears settled in the range (written off, rescheduled or reduced).
    pub settled: Decimal,
}

impl TotalRow {
    /// The part of what was owed that is principal: owed − interest. Interest lies within what
    /// was owed (both sums of the same payments), so the difference cannot overflow; were it ever
    /// to, the figure shown would be what was owed, never a wrapped number.
    pub fn principal(&self) -> Decimal {
        self.owed.checked_sub(self.interest).unwrap_or(self.owed)
    }

    /// Recorded plus assumed: never to be shown as plain "delivered".
    pub fn delivered(&self) -> Result<Decimal> {
        add(self.recorded, self.assumed)
    }
}

/// How totals are grouped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupBy {
    /// One group per payer and payee.
    Pair,
    /// One group per treaty.
    Treaty,
    /// One group per stream.
    Stream,
    /// Everything selected together.
    All,
}

impl GroupBy {
    /// The group a stream falls in: `payer → payee`, the treaty id, the stream key, or `all`.
    pub fn key(self, s: &Stream) -> String {
        match self {
            GroupBy::Pair => format!("{} → {}", s.payer, s.payee),
            GroupBy::Treaty => s.treaty.to_string(),
            GroupBy::Stream => s.key(),
            GroupBy::All => "all".to_string(),
        }
    }

    /// The group a stream falls in for a report of `query`: as [`GroupBy::key`], except that a
    /// pair names the party the query asked for (`--payer Song` makes one group of the Northern
    /// and the Southern Song) rather than the part of it that paid.
    pub fn key_in(self, corpus: &Corpus, query: &Query, s: &Stream) -> String {
        let named = |asked: &Option<String>, actual: &str| -> String {
            asked
                .as_deref()
                .and_then(|p| corpus.registry.find_party(p))
                .map_or_else(|| actual.to_string(), |p| p.id.clone())
        };
        match self {
            GroupBy::Pair => format!(
                "{} → {}",
                named(&query.payer, &s.payer),
                named(&query.payee, &s.payee)
            ),
            _ => self.key(s),
        }
    }

    /// The name a report gives the grouping (`pair`, `treaty`, `stream`, `all`).
    pub fn name(self) -> &'static str {
        match self {
            GroupBy::Pair => "pair",
            GroupBy::Treaty => "treaty",
            GroupBy::Stream => "stream",
            GroupBy::All => "all",
        }
    }
}

/// Totals per group and commodity over a year range.
#[derive(Debug, Clone)]
pub struct Totals {
    /// First year counted, if bounded.
    pub from: Option<Year>,
    /// Last year counted, if bounded.
    pub to: Option<Year>,
    /// Rows sorted by group, then commodity.
    pub rows: Vec<TotalRow>,
    /// Streams included.
    pub streams: Vec<String>,
}

impl Totals {
    /// Totals of the streams `query` selects, grouped by `group`.
    pub fn new(
        corpus: &Corpus,
        resolved: &Resolved,
        query: &Query,
        group: GroupBy,
    ) -> Result<Totals> {
        let streams = query.streams(corpus, resolved)?;
        let lo = query.from.unwrap_or(Year::MIN);
        let hi = query.to.unwrap_or(Year::MAX);
        // Each stream's sums and group, on all cores (an overflow names the stream and is placed
        // at its obligation, [`overflow`]: no path is looked up); then added up in stream order,
        // so the first error is the one the loop on one core would meet.
        let one = |s: &&Stream| -> Result<(String, StreamSums)> {
            let run = arrears_run(s, "")?;
            let sums = stream_sums(s, "", lo, hi, run.as_ref())?;
            Ok((group.key_in(corpus, query, s), sums))
        };
        let each: Vec<Result<(String, StreamSums)>> = if streams.len() < 512 {
            streams.iter().map(one).collect()
        } else {
            streams.par_iter().map(one).collect()
        };
        let mut acc: BTreeMap<String, BTreeMap<CommodityId, [Decimal; 10]>> = BTreeMap::new();
        for (s, found) in streams.iter().zip(each) {
            let (key, sums) = found?;
            let parts = sums.parts();
            let mut commodities: Vec<CommodityId> =
                parts.iter().flat_map(|b| b.commodities()).collect();
            commodities.sort_unstable();
            commodities.dedup();
            if commodities.is_empty() {
                continue;
            }
            let group = match acc.get_mut(&key) {
                Some(group) => group,
                None => acc.entry(key).or_default(),
            };
            for c in commodities {
                let e = group.entry(c).or_insert([Decimal::ZERO; 10]);
                for (slot, b) in e.iter_mut().zip(parts) {
                    *slot = add(*slot, b.get(c)).map_err(|e| overflow(s, "", e))?;
                }
            }
        }
        let rows = acc
            .into_iter()
            .flat_map(|(group, by)| by.into_iter().map(move |(c, v)| (group.clone(), c, v)))
            .map(|(group, commodity, v)| TotalRow {
                group,
                commodity,
                owed: v[0].normalize(),
                recorded: v[1].normalize(),
                assumed: v[2].normalize(),
                unknown: v[3].normalize(),
                suspended: v[4].normalize(),
                withheld: v[5].normalize(),
                lapsed: v[6].normalize(),
                arrears: v[7].normalize(),
                settled: v[8].normalize(),
                interest: v[9].normalize(),
            })
            .collect();
        Ok(Totals {
            from: query.from,
            to: query.to,
            rows,
            streams: streams.iter().map(|s| s.key()).collect(),
        })
    }
}

impl Ledger {
    /// The year-by-year ledger of the streams `query` selects.
    ///
    /// Without `--from`/`--to`, it runs from the first year anything falls due (or is delivered) to
    /// the later of the last such year and the end of the parties' relationship (the earlier of
    /// payer's and payee's end years, when registered). Cumulative columns count from the streams'
    /// first year, even when the ledger starts later.
    pub fn new(corpus: &Corpus, resolved: &Resolved, query: &Query) -> Result<Ledger> {
        Ledger::build(corpus, resolved, query, true)
    }

    /// [`Ledger::new`]; with `closed_form` false every stream that can fall into arrears is run
    /// year by year ([`crate::account::arrears`]), the reference the closed form is tested against.
    fn build<'a>(
        corpus: &'a Corpus,
        resolved: &'a Resolved,
        query: &Query,
        closed_form: bool,
    ) -> Result<Ledger> {
        let streams = query.streams(corpus, resolved)?;
        let reg = &corpus.registry;
        // One pass over the streams, on all cores: the first and last year anything falls due
        // or is delivered, the latest end of the parties of a stream that has any (a party's end
        // looked up once per name and pass), and the commodities that appear, marked by index.
        let survey = |mut acc: Survey<'a>, s: &&'a Stream| -> Survey<'a> {
            for p in &s.pieces {
                acc.mark(&p.amounts);
            }
            for d in &s.deliveries {
                acc.mark(&d.amounts);
            }
            let Some((a, b)) = s.span() else {
                return acc;
            };
            acc.first = Some(acc.first.map_or(a, |f| f.min(a)));
            acc.last = Some(acc.last.map_or(b, |l| l.max(b)));
            let mut ends = None::<Year>;
            for p in [s.payer.as_str(), s.payee.as_str()] {
                let end = *acc
                    .party_end
                    .entry(p)
                    .or_insert_with(|| reg.find_party(p).and_then(|p| p.to));
                ends = match (ends, end) {
                    (Some(x), Some(y)) => Some(x.min(y)),
                    (x, y) => x.or(y),
                };
            }
            if let Some(e) = ends {
                acc.party_end_max = Some(acc.party_end_max.map_or(e, |m| m.max(e)));
            }
            acc
        };
        let found = if streams.len() < 512 {
            streams.iter().fold(Survey::default(), survey)
        } else {
            streams
                .par_iter()
                .fold(Survey::default, survey)
                .reduce(Survey::default, Survey::join)
        };
        let first = found.first;
        let last = match (found.last, found.party_end_max) {
            (Some(l), Some(e)) => Some(l.max(e)),
            (l, _) => l,
        };
        let (Some(lo), Some(hi)) = (query.from.or(first), query.to.or(last)) else {
            return Ok(Ledger {
                from: 0,
                to: -1,
                commodities: Vec::new(),
                rows: Vec::new(),
                streams: Vec::new(),
                opening_owed: Basket::new(),
                opening_recorded: Basket::new(),
                opening_assumed: Basket::new(),
            });
        };
        if hi < lo {
            return Ok(Ledger {
                from: lo,
                to: hi,
                commodities: Vec::new(),
                rows: Vec::new(),
                streams: Vec::new(),
                opening_owed: Basket::new(),
                opening_recorded: Basket::new(),
                opening_assumed: Basket::new(),
            });
        }
        if hi.abs_diff(lo) > 1_000_000 {
            return Err(Error::new(
                ErrorKind::Query,
                format!("a ledger from {lo} to {hi} would have over a million rows"),
            )
            .help("narrow it with --from and --to"));
        }
        let commodities: Vec<CommodityId> = (0..=u16::MAX)
            .zip(&found.seen)
            .filter(|(_, seen)| **seen)
            .map(|(i, _)| CommodityId(i))
            .collect();
        // The streams in contiguous chunks, one partial ledger each, on all cores; the partials
        // are added up in order, so the first error is the first stream's, as on one core. Two
        // chunks a thread: enough for work stealing to even out a busy core, few enough that
        // the partials' grids (years × commodities × intervals each) stay a small part of the
        // peak memory.
        let partials = if streams.len() < 512 {
            vec![Partial::of(&streams, lo, hi, &commodities, closed_form)]
        } else {
            let chunk = streams
                .len()
                .div_ceil(rayon::current_num_threads().saturating_mul(2))
                .max(256);
            streams
                .par_chunks(chunk)
                .map(|part| Partial::of(part, lo, hi, &commodities, closed_form))
                .collect::<Vec<_>>()
        };
        let width = commodities.len();
        let combined = |e: Error| {
            let keys: Vec<String> = streams
                .iter()
                .map(|s| s.treaty.to_string())
                .collect::<BTreeSet<_>>()
                .into_iter()
                .collect();
            Error::new(
                e.kind(),
                format!("{} (summing treaties {})", e.message(), keys.join(", ")),
            )
            .help("narrow the selection, or check for an implausibly large amount")
        };
        let mut total: Option<Partial> = None;
        for p in partials {
            let p = p?;
            total = Some(match total {
                None => p,
                Some(t) => t.plus(p).map_err(combined)?,
            });
        }
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
        } = match total {
            Some(t) => t,
            None => Partial::new(lo, hi, &commodities),
        };
        // The six grids' running sums, on all cores; the first error in this order wins.
        let mut sums = [owed, interest, recorded, assumed, arrears, settled]
            .into_par_iter()
            .map(Grid::finish)
            .collect::<Vec<_>>()
            .into_iter();
        let mut next = || -> Result<Vec<Decimal>> {
            sums.next()
                .unwrap_or_else(|| Ok(Vec::new()))
                .map_err(combined)
        };
        let owed = next()?;
        let interest = next()?;
        let recorded = next()?;
        let assumed = next()?;
        let arrears = next()?;
        let settled = next()?;
        #[expect(
            clippy::arithmetic_side_effects,
            reason = "i is a row (year) and j a column (commodity) of the grid: i × width + j is below its length"
        )]
        let basket = |grid: &[Decimal], i: usize| -> Result<Basket> {
            let mut b = Basket::new();
            for (j, c) in commodities.iter().enumerate() {
                b.add_amount(*c, grid[i * width + j])?;
            }
            Ok(b)
        };
        // Each year's own figures, on all cores (a year reads its row of each grid alone); the
        // first error in year order wins, as in one pass.
        let year_rows =
            |(i, (year, mut notes)): (usize, (Year, Vec<RowNote>))| -> Result<LedgerRow> {
                let o = basket(&owed, i)?;
                let int = basket(&interest, i)?;
                let principal = o.minus(&int)?;
                notes.sort();
                notes.dedup();
                Ok(LedgerRow {
                    year,
                    principal,
                    interest: int,
                    recorded: basket(&recorded, i)?,
                    assumed: basket(&assumed, i)?,
                    arrears: basket(&arrears, i)?,
                    settled: basket(&settled, i)?,
                    owed: o,
                    cum_owed: Basket::new(),
                    cum_recorded: Basket::new(),
                    cum_assumed: Basket::new(),
                    notes,
                })
            };
        // `notes` holds one entry per year of lo..=hi.
        let years: Vec<Result<LedgerRow>> = if notes.len() < 256 {
            (lo..=hi).zip(notes).enumerate().map(year_rows).collect()
        } else {
            let years: Vec<Year> = (lo..=hi).collect();
            years
                .into_par_iter()
                .zip(notes.into_par_iter())
                .enumerate()
                .map(year_rows)
                .collect()
        };
        // Then the running sums, year after year.
        let mut rows = Vec::with_capacity(years.len());
        let (mut cum_o, mut cum_r, mut cum_a) = (
            opening_owed.clone(),
            opening_recorded.clone(),
            opening_assumed.clone(),
        );
        for row in years {
            let mut row = row.map_err(combined)?;
            cum_o = cum_o.plus(&row.owed).map_err(combined)?;
            cum_r = cum_r.plus(&row.recorded).map_err(combined)?;
            cum_a = cum_a.plus(&row.assumed).map_err(combined)?;
            row.cum_owed = cum_o.clone();
            row.cum_recorded = cum_r.clone();
            row.cum_assumed = cum_a.clone();
            rows.push(row);
        }
        let key = |s: &&Stream| partial::stream_key(s);
        let keys = if streams.len() < 512 {
            streams.iter().map(key).collect()
        } else {
            streams.par_iter().map(key).collect()
        };
        Ok(Ledger {
            from: lo,
            to: hi,
            commodities,
            rows,
            streams: keys,
            opening_owed,
            opening_recorded,
            opening_assumed,
        })
    }
}

/// What [`Ledger::new`] learns of the streams in one pass: the first and last year of their
/// spans, the latest end of the parties of a stream with a span, the commodities that appear
/// (by index), and the parties' ends looked up so far.
#[derive(Default)]
struct Survey<'a> {
    first: Option<Year>,
    last: Option<Year>,
    party_end_max: Option<Year>,
    seen: Vec<bool>,
    party_end: FxHashMap<&'a str, Option<Year>>,
}

impl Survey<'_> {
    fn mark(&mut self, b: &Basket) {
        for c in b.commodities() {
            let i = usize::from(c.0);
            if self.seen.len() <= i {
                self.seen.resize(i.saturating_add(1), false);
            }
            if let Some(slot) = self.seen.get_mut(i) {
                *slot = true;
            }
        }
    }

    fn join(mut self, other: Self) -> Self {
        let pick = |a: Option<Year>, b: Option<Year>, f: fn(Year, Year) -> Year| match (a, b) {
            (Some(x), Some(y)) => Some(f(x, y)),
            (x, y) => x.or(y),
        };
        self.first = pick(self.first, other.first, Year::min);
        self.last = pick(self.last, other.last, Year::max);
        self.party_end_max = pick(self.party_end_max, other.party_end_max, Year::max);
        if self.seen.len() < other.seen.len() {
            self.seen.resize(other.seen.len(), false);
        }
        for (mine, theirs) in self.seen.iter_mut().zip(other.seen) {
            *mine |= theirs;
        }
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_is_checked() {
        assert!(crate::amount::times(Decimal::MAX, 2).is_err());
    }
}
