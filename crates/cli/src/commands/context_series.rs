//! `compare --per-capita` and `--share-of-revenue`: the compared values set against the context
//! series of `context/` (population, revenue), where such data exist, and a plain statement where
//! they do not. The series point nearest in time is used, and its year and distance are named;
//! nothing is interpolated. Per person and percentage figures are ratios of intervals (low ÷ high,
//! high ÷ low) rounded outward, to 6 and 4 places.

use anyhow::Result;
use rust_decimal::Decimal;
use serde_json::{Value, json};
use tribute_core::series::{Series, SeriesPoint, SeriesUnit, find};
use tribute_core::{Basket, Interval, PriceBook, Rounding, Split, Year, div_round};

use crate::context::Context;
use crate::render::{Cell, grouped, plain};

/// One side of a comparison: who paid, in which year, worth how much.
#[derive(Debug)]
pub struct SideValue<'a> {
    /// `A` or `B`.
    pub side: &'static str,
    /// What it is (`A: jin-demand-1126, total`).
    pub what: String,
    /// The paying party.
    pub payer: &'a str,
    /// The year the figure belongs to.
    pub year: Year,
    /// Its value in the book's numeraire.
    pub value: Interval,
}

fn bounds(num: &Interval, den: &Interval, places: u32, scale: Decimal) -> Result<Interval> {
    Ok(Interval {
        low: div_round(num.low * scale, den.high, places, Rounding::Down)?.value,
        central: div_round(num.central * scale, den.central, places, Rounding::HalfEven)?.value,
        high: div_round(num.high * scale, den.low, places, Rounding::Up)?.value,
    })
}

fn when(point: &SeriesPoint, year: Year) -> String {
    let gap = (point.year - year).abs();
    if gap == 0 {
        format!("{}", point.year)
    } else {
        format!("{}, {gap} years from {year}", point.year)
    }
}

fn cite(series: &Series, point: &SeriesPoint) -> String {
    let refs: Vec<String> = point.sources.iter().map(ToString::to_string).collect();
    format!("{} ({})", series.id, refs.join("; "))
}

/// Rows (quantity, low, central, high, unit) and notes for `--per-capita`.
pub fn per_capita(
    ctx: &Context,
    book: &PriceBook,
    sides: &[SideValue],
) -> Result<(Vec<Vec<Cell>>, Vec<String>, Value)> {
    let (mut rows, mut notes, mut js) = (Vec::new(), Vec::new(), Vec::new());
    for s in sides {
        let Some(series) = find(&ctx.corpus, s.payer, "population") else {
            notes.push(format!(
                "No population figure for {} is loaded: {} per person is left out.",
                s.payer, s.side
            ));
            continue;
        };
        let Some(point) = series.nearest(s.year) else {
            continue;
        };
        let per = bounds(&s.value, &point.value, 6, Decimal::ONE)?;
        rows.push(vec![
            Cell::text(format!(
                "{} per person of {} (population {})",
                s.what,
                s.payer,
                when(point, s.year)
            )),
            Cell::Num(per.low),
            Cell::Num(per.central),
            Cell::Num(per.high),
            Cell::text(format!("{} per person", book.numeraire)),
        ]);
        notes.push(format!(
            "Population of {} in {}: {} (low {}, high {}), from {}.",
            series.party,
            point.year,
            grouped(point.value.central),
            grouped(point.value.low),
            grouped(point.value.high),
            cite(series, point)
        ));
        js.push(json!({"side": s.side, "payer": s.payer, "series": series.id, "year": point.year, "population": {"low": plain(point.value.low), "central": plain(point.value.central), "high": plain(point.value.high)}, "per_person": {"low": plain(per.low), "central": plain(per.central), "high": plain(per.high)}}));
    }
    Ok((rows, notes, Value::Array(js)))
}

/// Rows and notes for `--share-of-revenue`: each side's value as a percentage of its payer's
/// yearly revenue, the revenue valued with the same book in its own year.
pub fn share_of_revenue(
    ctx: &Context,
    book: &PriceBook,
    sides: &[SideValue],
) -> Result<(Vec<Vec<Cell>>, Vec<String>, Value)> {
    let (mut rows, mut notes, mut js) = (Vec::new(), Vec::new(), Vec::new());
    for s in sides {
        let Some(series) = find(&ctx.corpus, s.payer, "revenue") else {
            notes.push(format!(
                "No revenue figure for {} is loaded: {}'s share of revenue is left out.",
                s.payer, s.side
            ));
            continue;
        };
        let (Some(point), SeriesUnit::Commodity(c)) = (series.nearest(s.year), series.unit) else {
            notes.push(format!(
                "Series {} is not counted in a commodity, so it cannot be valued.",
                series.id
            ));
            continue;
        };
        let value_of = |amount: Decimal| -> Result<(Interval, Basket)> {
            let v = Split::of_basket(Some(book), &Basket::of(c, amount), point.year)?
                .value(Some(book))?;
            Ok((v.value, v.unpriced))
        };
        let (low, unpriced) = value_of(point.value.low)?;
        if !unpriced.is_empty() {
            notes.push(format!(
                "Price book {} cannot price {} in {}: {}'s share of revenue is left out.",
                book.id,
                ctx.corpus.registry.commodity(c).id,
                point.year,
                s.side
            ));
            continue;
        }
        let revenue = Interval {
            low: low.low,
            central: value_of(point.value.central)?.0.central,
            high: value_of(point.value.high)?.0.high,
        };
        let share = bounds(&s.value, &revenue, 4, Decimal::ONE_HUNDRED)?;
        rows.push(vec![
            Cell::text(format!(
                "{} as a share of {}'s yearly revenue ({})",
                s.what,
                s.payer,
                when(point, s.year)
            )),
            Cell::Num(share.low),
            Cell::Num(share.central),
            Cell::Num(share.high),
            Cell::text("percent"),
        ]);
        notes.push(format!(
            "Revenue of {} in {}: {} {} of {}, worth {} {} (low {}, high {}) in book {}; from {}.",
            series.party,
            point.year,
            grouped(point.value.central),
            ctx.corpus.registry.unit_of(c),
            ctx.corpus.registry.commodity(c).id,
            grouped(revenue.central),
            book.numeraire,
            grouped(revenue.low),
            grouped(revenue.high),
            book.id,
            cite(series, point)
        ));
        js.push(json!({"side": s.side, "payer": s.payer, "series": series.id, "year": point.year, "revenue_value": {"low": plain(revenue.low), "central": plain(revenue.central), "high": plain(revenue.high)}, "percent": {"low": plain(share.low), "central": plain(share.central), "high": plain(share.high)}}));
    }
    Ok((rows, notes, Value::Array(js)))
}
