//! Context figures of a comparison (`--per-capita`, `--share-of-revenue`): each side's value set
//! against its payer's population or yearly revenue from the context series, where such data are
//! loaded, and a plain statement where they are not.
//!
//! What must hold: the series point nearest in time is used and its year is carried (nothing is
//! interpolated); per-person and percentage figures are ratios of intervals (low ÷ high, high ÷
//! low) rounded outward, to 6 and 4 places; every product is checked ([`mul`]), never a bare `*`.

use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::Serialize;

use super::IntervalOut;
use crate::amount::{Basket, CommodityId, Year};
use crate::error::Result;
use crate::loader::Corpus;
use crate::series::{Series, SeriesPoint, SeriesUnit, find};
use crate::valuation::{Interval, PriceBook, Rounding, Split, div_round, mul};

/// One side of a comparison: who paid, in which year, worth how much.
#[derive(Debug, Clone)]
pub struct SideValue {
    /// `A` or `B`.
    pub side: &'static str,
    /// What it is (`A: jin-demand-1126, total`).
    pub what: String,
    /// The paying party.
    pub payer: String,
    /// The year the figure belongs to.
    pub year: Year,
    /// Its value in the book's numeraire.
    pub value: Interval,
}

/// One side set against a context series, or why it could not be.
#[derive(Debug, Clone)]
pub enum ContextFigure {
    /// The side's value per person of its payer.
    PerCapita {
        /// The side.
        side: SideValue,
        /// The population series.
        series: Series,
        /// The point used.
        point: SeriesPoint,
        /// Value per person.
        per_person: Interval,
    },
    /// The side's value as a percentage of its payer's yearly revenue.
    ShareOfRevenue {
        /// The side.
        side: SideValue,
        /// The revenue series.
        series: Series,
        /// The point used.
        point: SeriesPoint,
        /// The commodity revenue is counted in.
        commodity: CommodityId,
        /// The revenue valued with the same book in its own year.
        revenue: Interval,
        /// Percent.
        percent: Interval,
    },
    /// Nothing to set the side against; the text says why.
    Missing(String),
}

fn bounds(num: &Interval, den: &Interval, places: u32, scale: Decimal) -> Result<Interval> {
    Ok(Interval {
        low: div_round(mul(num.low, scale)?, den.high, places, Rounding::Down)?.value,
        central: div_round(
            mul(num.central, scale)?,
            den.central,
            places,
            Rounding::HalfEven,
        )?
        .value,
        high: div_round(mul(num.high, scale)?, den.low, places, Rounding::Up)?.value,
    })
}

/// Each side per person of its payer, where a population series is loaded.
pub fn per_capita(
    corpus: &Corpus,
    _book: &PriceBook,
    sides: &[SideValue],
) -> Result<Vec<ContextFigure>> {
    let mut out = Vec::new();
    for s in sides {
        let Some(series) = find(corpus, &s.payer, "population") else {
            out.push(ContextFigure::Missing(format!(
                "No population figure for {} is loaded: {} per person is left out.",
                s.payer, s.side
            )));
            continue;
        };
        let Some(point) = series.nearest(s.year) else {
            continue;
        };
        let per_person = bounds(&s.value, &point.value, 6, Decimal::ONE)?;
        out.push(ContextFigure::PerCapita {
            side: s.clone(),
            series: series.clone(),
            point: point.clone(),
            per_person,
        });
    }
    Ok(out)
}

/// Each side as a percentage of its payer's yearly revenue, the revenue valued with the same book
/// in its own year.
pub fn share_of_revenue(
    corpus: &Corpus,
    book: &PriceBook,
    sides: &[SideValue],
) -> Result<Vec<ContextFigure>> {
    let mut out = Vec::new();
    for s in sides {
        let Some(series) = find(corpus, &s.payer, "revenue") else {
            out.push(ContextFigure::Missing(format!(
                "No revenue figure for {} is loaded: {}'s share of revenue is left out.",
                s.payer, s.side
            )));
            continue;
        };
        let (Some(point), SeriesUnit::Commodity(c)) = (series.nearest(s.year), series.unit) else {
            out.push(ContextFigure::Missing(format!(
                "Series {} is not counted in a commodity, so it cannot be valued.",
                series.id
            )));
            continue;
        };
        let value_of = |amount: Decimal| -> Result<(Interval, Basket)> {
            let v = Split::of_basket(Some(book), &Basket::of(c, amount), point.year)?
                .value(Some(book))?;
            Ok((v.value, v.unpriced))
        };
        let (low, unpriced) = value_of(point.value.low)?;
        if !unpriced.is_empty() {
            out.push(ContextFigure::Missing(format!(
                "Price book {} cannot price {} in {}: {}'s share of revenue is left out.",
                book.id,
                corpus.registry.commodity(c).id,
                point.year,
                s.side
            )));
            continue;
        }
        let revenue = Interval {
            low: low.low,
            central: value_of(point.value.central)?.0.central,
            high: value_of(point.value.high)?.0.high,
        };
        let percent = bounds(&s.value, &revenue, 4, Decimal::ONE_HUNDRED)?;
        out.push(ContextFigure::ShareOfRevenue {
            side: s.clone(),
            series: series.clone(),
            point: point.clone(),
            commodity: c,
            revenue,
            percent,
        });
    }
    Ok(out)
}

/// A context figure on the wire.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ContextOut {
    /// `A` or `B`.
    pub side: &'static str,
    /// The paying party.
    pub payer: String,
    /// The series id.
    pub series: String,
    /// The year of the point used.
    pub year: Year,
    /// The population, for `--per-capita`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub population: Option<IntervalOut>,
    /// Value per person, for `--per-capita`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub per_person: Option<IntervalOut>,
    /// The revenue's value, for `--share-of-revenue`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub revenue_value: Option<IntervalOut>,
    /// Percent of revenue, for `--share-of-revenue`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub percent: Option<IntervalOut>,
}

impl ContextFigure {
    /// The wire form (`None` for a missing figure, which the text notes say).
    pub fn wire(&self, _corpus: &Corpus) -> Option<ContextOut> {
        match self {
            ContextFigure::PerCapita {
                side,
                series,
                point,
                per_person,
            } => Some(ContextOut {
                side: side.side,
                payer: side.payer.clone(),
                series: series.id.clone(),
                year: point.year,
                population: Some((&point.value).into()),
                per_person: Some(per_person.into()),
                revenue_value: None,
                percent: None,
            }),
            ContextFigure::ShareOfRevenue {
                side,
                series,
                point,
                revenue,
                percent,
                ..
            } => Some(ContextOut {
                side: side.side,
                payer: side.payer.clone(),
                series: series.id.clone(),
                year: point.year,
                population: None,
                per_person: None,
                revenue_value: Some(revenue.into()),
                percent: Some(percent.into()),
            }),
            ContextFigure::Missing(_) => None,
        }
    }
}
