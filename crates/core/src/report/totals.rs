//! The totals report: per group and commodity over a year range, what was owed, what records say
//! was handed over, what is assumed handed over, what is unknown, suspended or withheld, the
//! arrears outstanding at the end of the range and what settlements forgave; with a price book,
//! the value of each row (every payment at its year's rate) and the sums per group.
//!
//! What must hold: the amounts are the engine's [`Totals`] unchanged; every valued row is the
//! value of exactly the streams that make up that row (grouped with the engine's own
//! [`GroupBy::key`]), so a row without values is an error, never a silent zero; the per-group
//! values are the sums of the rows' values; what the book cannot price is carried in its own
//! fields.

use std::collections::{BTreeMap, BTreeSet};

use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::Serialize;

use super::{Amounts, BookOut, Dec, IntervalOut, ReadingsOut};
use crate::amount::{Basket, CommodityId, Year, add};
use crate::engine::{GroupBy, Query, TotalRow, Totals};
use crate::error::{Error, ErrorKind, Result};
use crate::loader::Corpus;
use crate::resolve::Resolved;
use crate::valuation::{Interval, PriceBook, split_streams};

/// The value of one totals row.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Worth {
    /// The value of what was owed.
    pub owed: Interval,
    /// The value of what was recorded or assumed delivered.
    pub delivered: Interval,
    /// The value of what was recorded delivered.
    pub recorded: Interval,
    /// The value of what was assumed delivered.
    pub assumed: Interval,
    /// Owed but not priced by the book (in the commodity's unit).
    pub unpriced_owed: Decimal,
    /// Delivered but not priced by the book.
    pub unpriced_delivered: Decimal,
}

/// The value of one group, summed over its commodities.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupWorth {
    /// The group key.
    pub group: String,
    /// The value owed.
    pub owed: Interval,
    /// The value recorded or assumed delivered.
    pub delivered: Interval,
    /// The value recorded delivered.
    pub recorded: Interval,
    /// The value assumed delivered.
    pub assumed: Interval,
    /// What the group owed that the book cannot price.
    pub unpriced_owed: Basket,
}

/// Totals valued with a book.
#[derive(Debug, Clone)]
pub struct TotalsValues<'b> {
    /// The book.
    pub book: &'b PriceBook,
    /// One value per totals row, in the same order.
    pub rows: Vec<Worth>,
    /// Per group, sorted by group key.
    pub by_group: Vec<GroupWorth>,
}

/// The totals report.
#[derive(Debug, Clone)]
pub struct TotalsReport<'b> {
    /// The amounts.
    pub totals: Totals,
    /// How rows are grouped.
    pub group_by: GroupBy,
    /// The values, when a book was asked for.
    pub values: Option<TotalsValues<'b>>,
    /// The readings the figures rest on.
    pub readings: ReadingsOut,
    /// The sources the figures rest on, with their grades.
    pub sources: Vec<super::SourceOut>,
    /// Streams with no sourced end, counted to the registry's horizon: their totals are upper
    /// bounds.
    pub open_ended: Vec<super::OpenEndOut>,
    /// Per row: the shares of what was owed that are recorded and assumed delivered
    /// ([`SHARE_ROUNDING`]); none where nothing was owed.
    pub shares: Vec<[Option<Decimal>; 2]>,
    /// The roundings the streams' schedules make (an annuity's payment rounded to the cent…).
    pub roundings: Vec<super::RoundingOut>,
}

/// How the shares of `total` are rounded, in words.
pub const SHARE_ROUNDING: &str = "shares of what was owed (recorded ÷ owed, assumed ÷ owed) are rounded half to even to 4 decimal places";

/// Builds the totals of the streams `query` selects, grouped by `group`, valued with `book` if
/// one is given.
pub fn totals<'b>(
    corpus: &Corpus,
    resolved: &Resolved,
    query: &Query,
    group: GroupBy,
    book: Option<&'b PriceBook>,
) -> Result<TotalsReport<'b>> {
    let totals = Totals::new(corpus, resolved, query, group)?;
    let values = book
        .map(|b| value(corpus, resolved, query, group, &totals, b))
        .transpose()?;
    let (readings, sources, open_ended) = super::basis(corpus, resolved, query);
    let share = |part: Decimal, owed: Decimal| -> Result<Option<Decimal>> {
        if owed <= Decimal::ZERO {
            return Ok(None);
        }
        let q = crate::valuation::div_round(
            part,
            owed,
            crate::valuation::RATIO_PLACES,
            crate::valuation::Rounding::HalfEven,
        )?;
        Ok(Some(q.value.normalize()))
    };
    let shares = totals
        .rows
        .iter()
        .map(|r| Ok([share(r.recorded, r.owed)?, share(r.assumed, r.owed)?]))
        .collect::<Result<Vec<_>>>()?;
    Ok(TotalsReport {
        totals,
        group_by: group,
        values,
        readings,
        sources,
        open_ended,
        shares,
        roundings: super::roundings(corpus, resolved, query),
    })
}

/// Values per group and commodity, stream by stream in closed form, then laid along the rows.
fn value<'b>(
    corpus: &Corpus,
    resolved: &Resolved,
    query: &Query,
    group: GroupBy,
    totals: &Totals,
    book: &'b PriceBook,
) -> Result<TotalsValues<'b>> {
    let (lo, hi) = (
        query.from.unwrap_or(Year::MIN),
        query.to.unwrap_or(Year::MAX),
    );
    let mut worth: BTreeMap<(String, CommodityId), Worth> = BTreeMap::new();
    for s in resolved.streams.iter().filter(|s| query.selects(corpus, s)) {
        let valued = || -> Result<_> {
            let split = split_streams(corpus, &[s], Some(book), lo, hi)?;
            Ok((
                split.owed.value(Some(book))?,
                split.delivered.value(Some(book))?,
                split.recorded.value(Some(book))?,
                split.assumed.value(Some(book))?,
            ))
        };
        let (owed, delivered, recorded, assumed) =
            valued().map_err(|e| super::valuing(e, s, book))?;
        let commodities: BTreeSet<CommodityId> = owed
            .parts
            .iter()
            .chain(&delivered.parts)
            .map(|p| p.commodity)
            .collect();
        for c in commodities {
            let w = worth
                .entry((group.key_in(corpus, query, s), c))
                .or_default();
            let (ov, ou) = owed.of_commodity(c)?;
            let (dv, du) = delivered.of_commodity(c)?;
            let (rv, _) = recorded.of_commodity(c)?;
            let (av, _) = assumed.of_commodity(c)?;
            w.owed = w.owed.plus(&ov)?.normalize();
            w.delivered = w.delivered.plus(&dv)?.normalize();
            w.recorded = w.recorded.plus(&rv)?.normalize();
            w.assumed = w.assumed.plus(&av)?.normalize();
            w.unpriced_owed = add(w.unpriced_owed, ou)?.normalize();
            w.unpriced_delivered = add(w.unpriced_delivered, du)?.normalize();
        }
    }
    let mut rows = Vec::with_capacity(totals.rows.len());
    for r in &totals.rows {
        // A row whose amounts are all zero has no stream part to value, and is worth zero.
        let zero = r.owed.is_zero() && r.delivered()?.is_zero();
        match worth.get(&(r.group.clone(), r.commodity)) {
            Some(w) => rows.push(w.clone()),
            None if zero => rows.push(Worth::default()),
            None => {
                return Err(Error::new(
                    ErrorKind::Value,
                    format!(
                        "internal: no value for totals row {} / commodity {}",
                        r.group, r.commodity.0
                    ),
                ));
            }
        }
    }
    let mut groups: BTreeMap<String, GroupWorth> = BTreeMap::new();
    for ((g, c), w) in &worth {
        let e = groups.entry(g.clone()).or_insert_with(|| GroupWorth {
            group: g.clone(),
            owed: Interval::ZERO,
            delivered: Interval::ZERO,
            recorded: Interval::ZERO,
            assumed: Interval::ZERO,
            unpriced_owed: Basket::new(),
        });
        e.owed = e.owed.plus(&w.owed)?.normalize();
        e.delivered = e.delivered.plus(&w.delivered)?.normalize();
        e.recorded = e.recorded.plus(&w.recorded)?.normalize();
        e.assumed = e.assumed.plus(&w.assumed)?.normalize();
        e.unpriced_owed.add_amount(*c, w.unpriced_owed)?;
    }
    Ok(TotalsValues {
        book,
        rows,
        by_group: groups.into_values().collect(),
    })
}

/// The totals as `--format json` prints them.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct TotalsOut {
    /// How the shares are rounded.
    pub share_rounding: &'static str,
    /// First year counted, if bounded.
    pub from: Option<Year>,
    /// Last year counted, if bounded.
    pub to: Option<Year>,
    /// `pair`, `treaty`, `stream` or `all`.
    pub group_by: &'static str,
    /// The readings the figures rest on.
    pub readings: ReadingsOut,
    /// The sources the figures rest on, with their quality grades.
    pub sources: Vec<super::SourceOut>,
    /// Streams with no sourced end, counted to the registry's horizon: their totals are upper
    /// bounds.
    pub open_ended: Vec<super::OpenEndOut>,
    /// Streams included.
    pub streams: Vec<String>,
    /// The roundings the streams' schedules make, each named (empty where none rounds).
    pub roundings: Vec<super::RoundingOut>,
    /// One row per group and commodity.
    pub rows: Vec<TotalRowOut>,
    /// The book the values use.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub prices: Option<BookOut>,
    /// Values per group.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value_by_group: Option<Vec<GroupWorthOut>>,
}

/// One totals row on the wire.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct TotalRowOut {
    /// The group key.
    pub group: String,
    /// Commodity id.
    pub commodity: String,
    /// The unit of the amounts.
    pub unit: String,
    /// Owed in the range.
    pub owed: Dec,
    /// Handed over in the range, as delivery records say.
    pub recorded: Dec,
    /// Assumed handed over in the range (delivered as owed, outside suspended years): not a record.
    pub assumed: Dec,
    /// Owed where delivery is unknown, less what records cover.
    pub delivery_unknown: Dec,
    /// Owed in suspended years.
    pub suspended: Dec,
    /// Owed by streams recorded as not delivered, less what records cover.
    pub withheld: Dec,
    /// What fell due in suspended years and lapsed (not owed later).
    pub lapsed: Dec,
    /// Arrears outstanding at the end of the range.
    pub arrears: Dec,
    /// Arrears settled in the range (written off, rescheduled or reduced).
    pub settled: Dec,
    /// The part of what was owed that is principal (owed − interest).
    pub principal: Dec,
    /// The part of what was owed that is interest.
    pub interest: Dec,
    /// The share of what was owed that is recorded delivered (absent where nothing was owed).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub share_recorded: Option<Dec>,
    /// The share of what was owed that is assumed delivered.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub share_assumed: Option<Dec>,
    /// The value owed, with `--prices`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub owed_value: Option<IntervalOut>,
    /// The value recorded, with `--prices`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recorded_value: Option<IntervalOut>,
    /// The value assumed, with `--prices`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub assumed_value: Option<IntervalOut>,
    /// Owed but not priced, with `--prices`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unpriced_owed: Option<Dec>,
    /// Recorded or assumed but not priced, with `--prices`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unpriced_recorded_or_assumed: Option<Dec>,
}

impl TotalRowOut {
    /// The wire form of an engine row, with its values if a book valued it.
    pub fn of(reg: &crate::registry::Registry, r: &TotalRow, w: Option<&Worth>) -> TotalRowOut {
        TotalRowOut {
            group: r.group.clone(),
            commodity: reg.commodity(r.commodity).id.clone(),
            unit: reg.unit_of(r.commodity).to_string(),
            owed: Dec(r.owed),
            recorded: Dec(r.recorded),
            assumed: Dec(r.assumed),
            delivery_unknown: Dec(r.unknown),
            suspended: Dec(r.suspended),
            withheld: Dec(r.withheld),
            lapsed: Dec(r.lapsed),
            arrears: Dec(r.arrears),
            settled: Dec(r.settled),
            principal: Dec(r.principal()),
            interest: Dec(r.interest),
            share_recorded: None,
            share_assumed: None,
            owed_value: w.map(|w| (&w.owed).into()),
            recorded_value: w.map(|w| (&w.recorded).into()),
            assumed_value: w.map(|w| (&w.assumed).into()),
            unpriced_owed: w.map(|w| Dec(w.unpriced_owed)),
            unpriced_recorded_or_assumed: w.map(|w| Dec(w.unpriced_delivered)),
        }
    }
}

/// One group's values on the wire.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct GroupWorthOut {
    /// The group key.
    pub group: String,
    /// The value owed.
    pub owed: IntervalOut,
    /// The value recorded.
    pub recorded: IntervalOut,
    /// The value assumed.
    pub assumed: IntervalOut,
    /// What the group owed that the book cannot price.
    pub unpriced_owed: Amounts,
}

impl TotalsReport<'_> {
    /// The wire form, with the corpus's names.
    pub fn wire(&self, corpus: &Corpus) -> TotalsOut {
        let reg = &corpus.registry;
        let t = &self.totals;
        TotalsOut {
            share_rounding: SHARE_ROUNDING,
            from: t.from,
            to: t.to,
            group_by: self.group_by.name(),
            readings: self.readings.clone(),
            sources: self.sources.clone(),
            open_ended: self.open_ended.clone(),
            streams: t.streams.clone(),
            roundings: self.roundings.clone(),
            rows: t
                .rows
                .iter()
                .enumerate()
                .map(|(i, r)| {
                    let w = self.values.as_ref().and_then(|v| v.rows.get(i));
                    let [recorded, assumed] = self.shares.get(i).copied().unwrap_or_default();
                    TotalRowOut {
                        share_recorded: recorded.map(Dec),
                        share_assumed: assumed.map(Dec),
                        ..TotalRowOut::of(reg, r, w)
                    }
                })
                .collect(),
            prices: self.values.as_ref().map(|v| BookOut::from(v.book)),
            value_by_group: self.values.as_ref().map(|v| {
                v.by_group
                    .iter()
                    .map(|g| GroupWorthOut {
                        group: g.group.clone(),
                        owed: (&g.owed).into(),
                        recorded: (&g.recorded).into(),
                        assumed: (&g.assumed).into(),
                        unpriced_owed: Amounts::of(reg, &g.unpriced_owed),
                    })
                    .collect()
            }),
        }
    }
}
