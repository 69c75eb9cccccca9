//! The burden chart: what a payer delivered each year, as bars.
//!
//! Without a price book each commodity keeps its own bar, in its own unit, and the bars of one
//! year stand side by side: a tael of silver is never piled on a bolt of silk. Split by payee, the
//! payees of one commodity pile up in that commodity's bar (one unit, so the height is a true
//! sum). With a price book ([`burden_valued`]) every amount is valued at its year's central rate
//! in the book's numeraire, and the values pile up into one bar per year.
//!
//! What must hold: for every year and commodity, the bars of that commodity add up exactly to the
//! ledger's `delivered` for the year (tests check this against hand-computed treaty figures);
//! valued bars add up exactly to the value of the year's deliveries; years in which something was
//! owed but not delivered are shaded, never hidden; a commodity owed but never known delivered,
//! and anything the book cannot price, is named in the caption rather than silently dropped.

use std::collections::{BTreeMap, BTreeSet};

use rust_decimal::Decimal;
use tribute_core::{Basket, CommodityId, Corpus, Ledger, PriceBook, Query, Resolved, Split, Year};

use super::{
    amount_title, basket_text, caption, commodity_color, commodity_label, group_color, markers,
    narrowed, payee_of, select, shade, shaded, who,
};
use crate::error::PlotError;
use crate::spec::{Axis, ChartKind, ChartSpec, Measure, Panel, Point, Scale, Series, SeriesStyle};

/// How the burden chart splits each year's bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StackBy {
    /// One bar per commodity, side by side; valued, the commodities' values pile up.
    Commodity,
    /// Within each commodity's bar, one piece per payee, payees in order of their first payment;
    /// valued, one piece per payee (commodities are still never added together unvalued).
    Payee,
}

/// The burden chart of the streams `query` selects: amounts delivered each year, one bar per
/// commodity side by side (never piled on each other).
pub fn burden(
    corpus: &Corpus,
    resolved: &Resolved,
    query: &Query,
    stack_by: StackBy,
) -> Result<ChartSpec, PlotError> {
    build(corpus, resolved, query, stack_by, None)
}

/// The burden chart valued with `book`: what was delivered each year, valued at that year's
/// central rates, the values piled up by commodity or by payee; what the book cannot price is
/// left out of the bars and listed in the caption.
pub fn burden_valued(
    corpus: &Corpus,
    resolved: &Resolved,
    query: &Query,
    stack_by: StackBy,
    book: &PriceBook,
) -> Result<ChartSpec, PlotError> {
    build(corpus, resolved, query, stack_by, Some(book))
}

/// The ledgers of each payee (in order of first payment), or the one ledger of the query.
fn groups(
    corpus: &Corpus,
    resolved: &Resolved,
    query: &Query,
    stack_by: StackBy,
    ledger: Ledger,
) -> Result<Vec<(Option<String>, Ledger)>, PlotError> {
    if stack_by == StackBy::Commodity {
        return Ok(vec![(None, ledger)]);
    }
    let streams = select(corpus, resolved, query)?;
    let mut by_payee: BTreeMap<String, (Year, BTreeSet<String>)> = BTreeMap::new();
    for s in &streams {
        let first = s.span().map_or(Year::MAX, |x| x.0);
        let e = by_payee
            .entry(payee_of(corpus, query, s))
            .or_insert((first, BTreeSet::new()));
        e.0 = e.0.min(first);
        e.1.insert(s.treaty.clone());
    }
    let mut by_payee: Vec<(String, Year, BTreeSet<String>)> =
        by_payee.into_iter().map(|(p, (f, t))| (p, f, t)).collect();
    by_payee.sort_by(|a, b| (a.1, &a.0).cmp(&(b.1, &b.0)));
    let mut out = Vec::new();
    for (payee, _, treaties) in by_payee {
        let sub = narrowed(query, &treaties, Some(ledger.from), Some(ledger.to));
        out.push((Some(payee), Ledger::new(corpus, resolved, &sub)?));
    }
    Ok(out)
}

/// The series, the commodities not shown (by name) and the units of an unvalued burden chart.
type AmountSeries = (Vec<Series>, Vec<String>, BTreeSet<String>);

/// Unvalued series: one per (commodity, group), each commodity its own stack, in the order of the
/// commodities; commodities never known delivered are returned by name instead.
fn amount_series(
    corpus: &Corpus,
    groups: &[(Option<String>, Ledger)],
) -> Result<AmountSeries, PlotError> {
    let reg = &corpus.registry;
    let commodities: BTreeSet<CommodityId> = groups
        .iter()
        .flat_map(|(_, l)| l.commodities.iter().copied())
        .collect();
    let (mut series, mut not_shown, mut units) = (Vec::new(), Vec::new(), BTreeSet::new());
    for (position, &c) in commodities.iter().enumerate() {
        let com = reg.commodity(c);
        let base = commodity_color(&com.id, position);
        for (k, (group, led)) in groups.iter().enumerate() {
            if !led.commodities.contains(&c) {
                continue;
            }
            // Recorded and assumed together (the chart's caption says which is which).
            let points: Vec<Point> = led
                .rows
                .iter()
                .map(|r| {
                    Ok(Point {
                        x: Decimal::from(r.year),
                        y: r.delivered()?.get(c),
                    })
                })
                .collect::<Result<_, tribute_core::Error>>()?;
            let label = commodity_label(reg, c);
            let name = group
                .as_ref()
                .map_or_else(|| label.clone(), |g| format!("{g}: {label}"));
            if points.iter().all(|p| p.y.is_zero()) {
                not_shown.push(name);
                continue;
            }
            units.insert(com.unit.clone());
            series.push(Series {
                name,
                commodity: Some(com.id.clone()),
                unit: Some(com.unit.clone()),
                group: group.clone(),
                measure: Measure::Delivered,
                style: SeriesStyle::Bar,
                stack: Some(com.id.clone()),
                color: shade(&base, k, groups.len()),
                points,
            });
        }
    }
    Ok((series, not_shown, units))
}

/// Valued series, all in one stack: per commodity (with its colour) or per payee (with the
/// payee's colour); the unpriced deliveries are added to `unpriced`.
fn value_series(
    corpus: &Corpus,
    groups: &[(Option<String>, Ledger)],
    book: &PriceBook,
    unpriced: &mut Basket,
) -> Result<Vec<Series>, PlotError> {
    let reg = &corpus.registry;
    let n = &book.numeraire;
    let mut series = Vec::new();
    for (k, (group, led)) in groups.iter().enumerate() {
        let mut by_commodity: BTreeMap<CommodityId, Vec<Point>> = BTreeMap::new();
        let mut total = Vec::new();
        for r in &led.rows {
            let v = Split::of_basket(Some(book), &r.delivered()?, r.year)?.value(Some(book))?;
            *unpriced = unpriced.plus(&v.unpriced)?;
            let x = Decimal::from(r.year);
            total.push(Point {
                x,
                y: v.value.central,
            });
            for &c in &led.commodities {
                let (value, _) = v.of_commodity(c)?;
                by_commodity.entry(c).or_default().push(Point {
                    x,
                    y: value.central,
                });
            }
        }
        let mut push = |name: String, commodity: Option<String>, color: String, points| {
            series.push(Series {
                name,
                commodity,
                unit: Some(n.clone()),
                group: group.clone(),
                measure: Measure::DeliveredValue,
                style: SeriesStyle::Bar,
                stack: Some("value".into()),
                color,
                points,
            });
        };
        match group {
            Some(g) => {
                if total.iter().any(|p| !p.y.is_zero()) {
                    push(format!("to {g} ({n})"), None, group_color(k), total);
                }
            }
            None => {
                for (position, (c, points)) in by_commodity.into_iter().enumerate() {
                    if points.iter().all(|p| p.y.is_zero()) {
                        continue;
                    }
                    let com = reg.commodity(c);
                    push(
                        format!("{} ({n})", com.name),
                        Some(com.id.clone()),
                        commodity_color(&com.id, position),
                        points,
                    );
                }
            }
        }
    }
    Ok(series)
}

fn build(
    corpus: &Corpus,
    resolved: &Resolved,
    query: &Query,
    stack_by: StackBy,
    book: Option<&PriceBook>,
) -> Result<ChartSpec, PlotError> {
    let streams = select(corpus, resolved, query)?;
    let reg = &corpus.registry;
    let ledger = Ledger::new(corpus, resolved, query)?;
    let (lo, hi) = (ledger.from, ledger.to);
    let groups = groups(corpus, resolved, query, stack_by, ledger)?;
    let (amounts, not_shown, units) = amount_series(corpus, &groups)?;
    let mut caption = caption(corpus, resolved, &streams, query);
    if !not_shown.is_empty() {
        caption.push(format!(
            "not shown, owed but nothing known delivered: {}",
            not_shown.join(", ")
        ));
    }
    let (series, y_title, subtitle, panels) = match book {
        None => {
            let split = match stack_by {
                StackBy::Commodity => "",
                StackBy::Payee => ", split by payee",
            };
            // A panel per commodity, in its own unit: different commodities are never piled up.
            let mut panels: Vec<Panel> = Vec::new();
            for s in &amounts {
                let (Some(stack), Some(c)) = (&s.stack, &s.commodity) else {
                    continue;
                };
                if panels.iter().any(|p| &p.stack == stack) {
                    continue;
                }
                let com = reg.find_commodity(c).map(|c| reg.commodity(c));
                panels.push(Panel {
                    stack: stack.clone(),
                    title: format!(
                        "{} per year ({})",
                        com.map_or(c.as_str(), |c| c.name.as_str()),
                        s.unit.as_deref().unwrap_or("")
                    ),
                });
            }
            (
                amounts,
                amount_title("delivered per year", &units),
                format!(
                    "amounts delivered each year, {lo}–{hi}, each commodity in its own panel and unit{split}; shaded years: owed but not delivered"
                ),
                panels,
            )
        }
        Some(book) => {
            let mut unpriced = Basket::new();
            let series = value_series(corpus, &groups, book, &mut unpriced)?;
            caption.push(format!(
                "price book `{}` ({}): each year valued at that year's central rates; `tribute ledger --prices {}` gives the low and high values",
                book.id, book.name, book.id
            ));
            caption.push(format!(
                "unpriced deliveries, left out of the values: {}",
                if unpriced.is_empty() {
                    "none".to_string()
                } else {
                    basket_text(reg, &unpriced, false)
                }
            ));
            let split = match stack_by {
                StackBy::Commodity => "stacked by commodity",
                StackBy::Payee => "stacked by payee",
            };
            (
                series,
                format!("value delivered per year ({})", book.numeraire),
                format!(
                    "value of what was delivered each year, {lo}–{hi}, in {} (price book `{}`), {split}; shaded years: owed but not delivered",
                    book.numeraire, book.id
                ),
                Vec::new(),
            )
        }
    };
    Ok(ChartSpec {
        kind: ChartKind::Burden,
        title: format!("Deliveries per year: {}", who(corpus, query)),
        subtitle: Some(subtitle),
        caption,
        x_axis: Axis {
            title: "year".into(),
            scale: Scale::Year,
            from: Some(Decimal::from(lo)),
            to: Some(Decimal::from(i64::from(hi) + 1)),
        },
        y_axis: Axis {
            title: y_title,
            scale: Scale::Amount,
            from: Some(Decimal::ZERO),
            to: None,
        },
        series,
        bands: Vec::new(),
        shaded_ranges: shaded(corpus, &streams, lo, hi),
        markers: markers(corpus, &streams, lo, hi),
        bars: Vec::new(),
        panels,
    })
}
