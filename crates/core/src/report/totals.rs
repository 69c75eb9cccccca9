//! The totals report: per group and commodity over a year range, what was owed, delivered (known),
//! owed in suspended years and owed where delivery is unknown; with a price book, the value of
//! each row (every payment at its year's rate) and the sums per group.
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
use crate::engine::{GroupBy, Query, Totals};
use crate::error::{Error, ErrorKind, Result};
use crate::loader::Corpus;
use crate::resolve::Resolved;
use crate::valuation::{Interval, PriceBook, split_streams};

/// The value of one totals row.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Worth {
    /// The value of what was owed.
    pub owed: Interval,
    /// The value of what was delivered.
    pub delivered: Interval,
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
    /// The value delivered.
    pub delivered: Interval,
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
}

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
    Ok(TotalsReport {
        totals,
        group_by: group,
        values,
        readings: ReadingsOut::of(resolved),
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
            ))
        };
        let (owed, delivered) = valued().map_err(|e| super::valuing(e, s, book))?;
        let commodities: BTreeSet<CommodityId> = owed
            .parts
            .iter()
            .chain(&delivered.parts)
            .map(|p| p.commodity)
            .collect();
        for c in commodities {
            let w = worth.entry((group.key(s), c)).or_default();
            let (ov, ou) = owed.of_commodity(c)?;
            let (dv, du) = delivered.of_commodity(c)?;
            w.owed = w.owed.plus(&ov)?.normalize();
            w.delivered = w.delivered.plus(&dv)?.normalize();
            w.unpriced_owed = add(w.unpriced_owed, ou)?.normalize();
            w.unpriced_delivered = add(w.unpriced_delivered, du)?.normalize();
        }
    }
    let mut rows = Vec::with_capacity(totals.rows.len());
    for r in &totals.rows {
        // A row whose amounts are all zero has no stream part to value, and is worth zero.
        let zero = r.owed.is_zero() && r.delivered.is_zero();
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
            unpriced_owed: Basket::new(),
        });
        e.owed = e.owed.plus(&w.owed)?.normalize();
        e.delivered = e.delivered.plus(&w.delivered)?.normalize();
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
    /// First year counted, if bounded.
    pub from: Option<Year>,
    /// Last year counted, if bounded.
    pub to: Option<Year>,
    /// `pair`, `treaty`, `stream` or `all`.
    pub group_by: &'static str,
    /// The readings the figures rest on.
    pub readings: ReadingsOut,
    /// Streams included.
    pub streams: Vec<String>,
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
    /// Delivered in the range (known).
    pub delivered: Dec,
    /// Owed in suspended years.
    pub suspended: Dec,
    /// Owed where delivery is unknown.
    pub delivery_unknown: Dec,
    /// The value owed, with `--prices`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub owed_value: Option<IntervalOut>,
    /// The value delivered, with `--prices`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub delivered_value: Option<IntervalOut>,
    /// Owed but not priced, with `--prices`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unpriced_owed: Option<Dec>,
    /// Delivered but not priced, with `--prices`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unpriced_delivered: Option<Dec>,
}

/// One group's values on the wire.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct GroupWorthOut {
    /// The group key.
    pub group: String,
    /// The value owed.
    pub owed: IntervalOut,
    /// The value delivered.
    pub delivered: IntervalOut,
    /// What the group owed that the book cannot price.
    pub unpriced_owed: Amounts,
}

impl TotalsReport<'_> {
    /// The wire form, with the corpus's names.
    pub fn wire(&self, corpus: &Corpus) -> TotalsOut {
        let reg = &corpus.registry;
        let t = &self.totals;
        TotalsOut {
            from: t.from,
            to: t.to,
            group_by: self.group_by.name(),
            readings: self.readings.clone(),
            streams: t.streams.clone(),
            rows: t
                .rows
                .iter()
                .enumerate()
                .map(|(i, r)| {
                    let w = self.values.as_ref().and_then(|v| v.rows.get(i));
                    TotalRowOut {
                        group: r.group.clone(),
                        commodity: reg.commodity(r.commodity).id.clone(),
                        unit: reg.unit_of(r.commodity).to_string(),
                        owed: Dec(r.owed),
                        delivered: Dec(r.delivered),
                        suspended: Dec(r.suspended),
                        delivery_unknown: Dec(r.unknown),
                        owed_value: w.map(|w| (&w.owed).into()),
                        delivered_value: w.map(|w| (&w.delivered).into()),
                        unpriced_owed: w.map(|w| Dec(w.unpriced_owed)),
                        unpriced_delivered: w.map(|w| Dec(w.unpriced_delivered)),
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
                        delivered: (&g.delivered).into(),
                        unpriced_owed: Amounts::of(reg, &g.unpriced_owed),
                    })
                    .collect()
            }),
        }
    }
}
