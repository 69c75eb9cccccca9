//! The ledger report: one row per year with what fell due, what records say was handed over, what
//! is assumed handed over, and the arrears outstanding, per commodity; their running sums; and,
//! with a price book, every row valued at that year's rates. "Delivered" alone never stands for
//! an assumption: the wire form carries recorded and assumed apart.
//!
//! What must hold: the amounts are the engine's [`Ledger`] unchanged; a valued row's cumulative
//! value is the value of everything before the first row (closed form, [`split_streams`]) plus the
//! rows' values, each row at its own year's rates; what the book cannot price is carried, never
//! dropped. `tribute ledger` and the cumulative chart both read this one computation.

use schemars::JsonSchema;
use serde::Serialize;

use super::{Amounts, BookOut, CommodityOut, IntervalOut, ReadingsOut};
use crate::amount::{Basket, Year};
use crate::engine::{Ledger, Query};
use crate::error::Result;
use crate::loader::Corpus;
use crate::resolve::Resolved;
use crate::valuation::{Interval, PriceBook, Split, split_streams};

/// One ledger row valued with a book.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowValue {
    /// The value of what fell due this year.
    pub owed: Interval,
    /// The value of what was recorded and assumed delivered this year.
    pub delivered: Interval,
    /// The value of what was recorded delivered this year.
    pub recorded: Interval,
    /// The value of what was assumed delivered this year.
    pub assumed: Interval,
    /// The value of everything owed up to this year.
    pub cum_owed: Interval,
    /// The value of everything recorded or assumed delivered up to this year.
    pub cum_delivered: Interval,
    /// The value of everything recorded up to this year.
    pub cum_recorded: Interval,
    /// The value of everything assumed up to this year.
    pub cum_assumed: Interval,
    /// What fell due this year that the book cannot price (left out of the values).
    pub unpriced_owed: Basket,
    /// What was recorded or assumed delivered this year that the book cannot price.
    pub unpriced_delivered: Basket,
}

/// A ledger valued with a book.
#[derive(Debug, Clone)]
pub struct LedgerValues<'b> {
    /// The book.
    pub book: &'b PriceBook,
    /// The value of everything owed before the first row.
    pub opening_owed: Interval,
    /// The value of everything recorded or assumed delivered before the first row.
    pub opening_delivered: Interval,
    /// The value of everything recorded before the first row.
    pub opening_recorded: Interval,
    /// The value of everything assumed before the first row.
    pub opening_assumed: Interval,
    /// What was owed before the first row that the book cannot price.
    pub opening_unpriced_owed: Basket,
    /// What was delivered before the first row that the book cannot price.
    pub opening_unpriced_delivered: Basket,
    /// One value per ledger row.
    pub rows: Vec<RowValue>,
    /// What the rows owe that the book cannot price, summed over the rows.
    pub unpriced_owed: Basket,
    /// What the rows record or assume delivered that the book cannot price, summed over the rows.
    pub unpriced_delivered: Basket,
    /// What the book cannot price of everything owed up to the last row (opening and rows).
    pub cum_unpriced_owed: Basket,
    /// What the book cannot price of everything delivered up to the last row.
    pub cum_unpriced_delivered: Basket,
}

/// The ledger report.
#[derive(Debug, Clone)]
pub struct LedgerReport<'b> {
    /// The amounts, year by year.
    pub ledger: Ledger,
    /// Their values, when a book was asked for.
    pub values: Option<LedgerValues<'b>>,
    /// The readings the figures rest on.
    pub readings: ReadingsOut,
    /// The sources the figures rest on, with their grades.
    pub sources: Vec<super::SourceOut>,
    /// Streams with no sourced end, counted to the registry's horizon: their totals are upper
    /// bounds.
    pub open_ended: Vec<super::OpenEndOut>,
}

/// Builds the ledger of the streams `query` selects, valued with `book` if one is given.
pub fn ledger<'b>(
    corpus: &Corpus,
    resolved: &Resolved,
    query: &Query,
    book: Option<&'b PriceBook>,
) -> Result<LedgerReport<'b>> {
    // What the figures rest on is found beside the sums (on another core, when there is one):
    // neither reads what the other makes.
    let (ledger, (readings, sources, open_ended)) = rayon::join(
        || Ledger::new(corpus, resolved, query),
        || super::basis(corpus, resolved, query),
    );
    let ledger = ledger?;
    let values = book
        .map(|b| value_rows(corpus, resolved, query, &ledger, b))
        .transpose()?;
    Ok(LedgerReport {
        ledger,
        values,
        readings,
        sources,
        open_ended,
    })
}

/// One commodity's values, one per ledger row: (year, value).
pub type CommodityValues = (crate::amount::CommodityId, Vec<(Year, Interval)>);

/// The value of each row's recorded (or, with `recorded` false, assumed) delivery, commodity by
/// commodity, at the row's year's rates in `book`: for a chart that splits the valued burden by
/// commodity. One list per commodity of the ledger, in its order, one value per row (zero where
/// the book cannot price the commodity in that year; the rows' `unpriced_delivered` says so).
pub fn delivered_by_commodity(
    ledger: &Ledger,
    book: &PriceBook,
    recorded: bool,
) -> Result<Vec<CommodityValues>> {
    let mut out: Vec<CommodityValues> = ledger
        .commodities
        .iter()
        .map(|&c| (c, Vec::with_capacity(ledger.rows.len())))
        .collect();
    for r in &ledger.rows {
        let basket = if recorded { &r.recorded } else { &r.assumed };
        let v = Split::of_basket(Some(book), basket, r.year)?.value(Some(book))?;
        for (c, values) in &mut out {
            let (value, _) = v.of_commodity(*c)?;
            values.push((r.year, value));
        }
    }
    Ok(out)
}

/// Values every row at its year's rates; the cumulative values start from the value of everything
/// before the first row (closed form), as the cumulative amounts do.
fn value_rows<'b>(
    corpus: &Corpus,
    resolved: &Resolved,
    query: &Query,
    ledger: &Ledger,
    book: &'b PriceBook,
) -> Result<LedgerValues<'b>> {
    let streams: Vec<_> = resolved
        .streams
        .iter()
        .filter(|s| query.selects(corpus, s))
        .collect();
    let mut out = LedgerValues {
        book,
        opening_owed: Interval::ZERO,
        opening_delivered: Interval::ZERO,
        opening_recorded: Interval::ZERO,
        opening_assumed: Interval::ZERO,
        opening_unpriced_owed: Basket::new(),
        opening_unpriced_delivered: Basket::new(),
        rows: Vec::with_capacity(ledger.rows.len()),
        unpriced_owed: Basket::new(),
        unpriced_delivered: Basket::new(),
        cum_unpriced_owed: Basket::new(),
        cum_unpriced_delivered: Basket::new(),
    };
    if let (Some(before), false) = (ledger.from.checked_sub(1), ledger.rows.is_empty()) {
        let split = split_streams(corpus, &streams, Some(book), Year::MIN, before)?;
        let owed = split.owed.value(Some(book))?;
        let delivered = split.delivered.value(Some(book))?;
        out.opening_owed = owed.value.normalize();
        out.opening_delivered = delivered.value.normalize();
        out.opening_recorded = split.recorded.value(Some(book))?.value.normalize();
        out.opening_assumed = split.assumed.value(Some(book))?.value.normalize();
        out.opening_unpriced_owed = owed.unpriced;
        out.opening_unpriced_delivered = delivered.unpriced;
    }
    let (mut cum_owed, mut cum_delivered) = (out.opening_owed, out.opening_delivered);
    let (mut cum_recorded, mut cum_assumed) = (out.opening_recorded, out.opening_assumed);
    for row in &ledger.rows {
        let owed = Split::of_basket(Some(book), &row.owed, row.year)?.value(Some(book))?;
        let delivered =
            Split::of_basket(Some(book), &row.delivered()?, row.year)?.value(Some(book))?;
        let recorded = Split::of_basket(Some(book), &row.recorded, row.year)?.value(Some(book))?;
        let assumed = Split::of_basket(Some(book), &row.assumed, row.year)?.value(Some(book))?;
        cum_owed = cum_owed.plus(&owed.value)?.normalize();
        cum_delivered = cum_delivered.plus(&delivered.value)?.normalize();
        cum_recorded = cum_recorded.plus(&recorded.value)?.normalize();
        cum_assumed = cum_assumed.plus(&assumed.value)?.normalize();
        out.unpriced_owed = out.unpriced_owed.plus(&owed.unpriced)?;
        out.unpriced_delivered = out.unpriced_delivered.plus(&delivered.unpriced)?;
        out.rows.push(RowValue {
            owed: owed.value,
            delivered: delivered.value,
            recorded: recorded.value,
            assumed: assumed.value,
            cum_owed,
            cum_delivered,
            cum_recorded,
            cum_assumed,
            unpriced_owed: owed.unpriced,
            unpriced_delivered: delivered.unpriced,
        });
    }
    out.cum_unpriced_owed = out.opening_unpriced_owed.plus(&out.unpriced_owed)?;
    out.cum_unpriced_delivered = out
        .opening_unpriced_delivered
        .plus(&out.unpriced_delivered)?;
    Ok(out)
}

/// The ledger as `--format json` prints it.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct LedgerOut {
    /// First year shown.
    pub from: Year,
    /// Last year shown.
    pub to: Year,
    /// The readings the figures rest on.
    pub readings: ReadingsOut,
    /// The sources the figures rest on, with their quality grades.
    pub sources: Vec<super::SourceOut>,
    /// Streams with no sourced end, counted to the registry's horizon: their totals are upper
    /// bounds.
    pub open_ended: Vec<super::OpenEndOut>,
    /// Streams included (`treaty/obligation`).
    pub streams: Vec<String>,
    /// Commodities that appear, with their units.
    pub commodities: Vec<CommodityOut>,
    /// Where the cumulative sums start counting (absent when there are no rows).
    pub cumulative_since: Option<&'static str>,
    /// One row per year.
    pub rows: Vec<LedgerRowOut>,
    /// The book the values use.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub prices: Option<BookOut>,
    /// What the rows owe that the book cannot price.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unpriced_owed: Option<Amounts>,
}

/// One ledger row on the wire.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct LedgerRowOut {
    /// The year.
    pub year: Year,
    /// Falling due this year.
    pub owed: Amounts,
    /// Handed over this year, as a delivery record says.
    pub recorded: Amounts,
    /// Assumed handed over this year (streams delivered as owed): not a record.
    pub assumed: Amounts,
    /// Arrears outstanding at the end of the year (a balance).
    pub arrears: Amounts,
    /// Arrears settled this year (written off, rescheduled or reduced).
    pub settled: Amounts,
    /// Owed from the first year of the streams to this year.
    pub cum_owed: Amounts,
    /// Recorded from the first year of the streams to this year.
    pub cum_recorded: Amounts,
    /// Assumed from the first year of the streams to this year.
    pub cum_assumed: Amounts,
    /// The part of what fell due this year that is principal (owed − interest).
    pub principal: Amounts,
    /// The part of what fell due this year that is interest.
    pub interest: Amounts,
    /// Remarks: assumed, suspended, unknown and withheld streams, settlements.
    pub notes: Vec<String>,
    /// The row valued, with `--prices`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<RowValueOut>,
}

/// A row's values on the wire.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct RowValueOut {
    /// Owed this year.
    pub owed: IntervalOut,
    /// Recorded this year.
    pub recorded: IntervalOut,
    /// Assumed this year.
    pub assumed: IntervalOut,
    /// Owed, cumulative.
    pub cum_owed: IntervalOut,
    /// Recorded, cumulative.
    pub cum_recorded: IntervalOut,
    /// Assumed, cumulative.
    pub cum_assumed: IntervalOut,
    /// Owed this year that the book cannot price.
    pub unpriced_owed: Amounts,
    /// Recorded or assumed this year that the book cannot price.
    pub unpriced_recorded_or_assumed: Amounts,
}

impl LedgerReport<'_> {
    /// The wire form, with the corpus's names.
    pub fn wire(&self, corpus: &Corpus) -> LedgerOut {
        let reg = &corpus.registry;
        let l = &self.ledger;
        LedgerOut {
            from: l.from,
            to: l.to,
            readings: self.readings.clone(),
            sources: self.sources.clone(),
            open_ended: self.open_ended.clone(),
            streams: l.streams.iter().map(ToString::to_string).collect(),
            commodities: l
                .commodities
                .iter()
                .map(|&c| CommodityOut::of(reg, c))
                .collect(),
            cumulative_since: l
                .rows
                .first()
                .map(|_| "the first year of the selected streams"),
            rows: l
                .rows
                .iter()
                .enumerate()
                .map(|(i, r)| LedgerRowOut {
                    year: r.year,
                    owed: Amounts::of(reg, &r.owed),
                    recorded: Amounts::of(reg, &r.recorded),
                    assumed: Amounts::of(reg, &r.assumed),
                    arrears: Amounts::of(reg, &r.arrears),
                    settled: Amounts::of(reg, &r.settled),
                    cum_owed: Amounts::of(reg, &r.cum_owed),
                    cum_recorded: Amounts::of(reg, &r.cum_recorded),
                    cum_assumed: Amounts::of(reg, &r.cum_assumed),
                    principal: Amounts::of(reg, &r.principal),
                    interest: Amounts::of(reg, &r.interest),
                    notes: r.notes.iter().map(ToString::to_string).collect(),
                    value: self
                        .values
                        .as_ref()
                        .and_then(|v| v.rows.get(i))
                        .map(|v| RowValueOut {
                            owed: (&v.owed).into(),
                            recorded: (&v.recorded).into(),
                            assumed: (&v.assumed).into(),
                            cum_owed: (&v.cum_owed).into(),
                            cum_recorded: (&v.cum_recorded).into(),
                            cum_assumed: (&v.cum_assumed).into(),
                            unpriced_owed: Amounts::of(reg, &v.unpriced_owed),
                            unpriced_recorded_or_assumed: Amounts::of(reg, &v.unpriced_delivered),
                        }),
                })
                .collect(),
            prices: self.values.as_ref().map(|v| BookOut::from(v.book)),
            unpriced_owed: self
                .values
                .as_ref()
                .map(|v| Amounts::of(reg, &v.unpriced_owed)),
        }
    }
}
