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
//! and anything the book cannot price, is named in the caption rather than silently dropped. A
//! commodity's bars are in its colour ([`super::color`]), a payee's piece in that colour with the
//! payee's pattern (solid, hatched…); valued bars are neutral (a value is no commodity), by payee
//! with the payees' patterns. A one-off payment that
//! would flatten the yearly flow is cut at the top of its panel and labelled with its full height
//! (the ledger's figure), never drawn to a misleading height unlabelled.

use std::collections::{BTreeMap, BTreeSet};

use rust_decimal::Decimal;
use tribute_core::{Basket, CommodityId, Corpus, Ledger, PriceBook, Query, Resolved, Split, Year};

use super::color::{self, fill_entry, pattern, pattern_entries};
use super::{
    basket_text, caption, commodity_label, cut_top, markers, narrowed, payee_of, select, shaded,
    who,
};
use crate::error::PlotError;
use crate::spec::{
    Axis, ChartKind, ChartSpec, CutBar, Fill, LegendEntry, Measure, Panel, Point, Scale, Series,
    SeriesStyle,
};
use crate::text::amount_text;

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

/// Unvalued series: one per (commodity, group), each commodity its own stack and panel, in the
/// order of the commodities; commodities never known delivered are returned by name instead.
fn amount_series(
    corpus: &Corpus,
    groups: &[(Option<String>, Ledger)],
) -> Result<(Vec<Series>, Vec<String>), PlotError> {
    let reg = &corpus.registry;
    let commodities: BTreeSet<CommodityId> = groups
        .iter()
        .flat_map(|(_, l)| l.commodities.iter().copied())
        .collect();
    let (mut series, mut not_shown) = (Vec::new(), Vec::new());
    for &c in &commodities {
        let com = reg.commodity(c);
        let base = color::commodity(c);
        for (k, (group, led)) in groups.iter().enumerate() {
            if !led.commodities.contains(&c) {
                continue;
            }
            // Recorded and assumed together; the chart's caption says which is which.
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
            series.push(Series {
                name,
                commodity: Some(com.id.clone()),
                unit: Some(com.unit.clone()),
                group: group.clone(),
                measure: Measure::Delivered,
                style: SeriesStyle::Bar,
                stack: Some(com.id.clone()),
                panel: Some(com.id.clone()),
                color: base.clone(),
                fill: pattern(k),
                mark: None,
                points,
            });
        }
    }
    Ok((series, not_shown))
}

/// Valued series, all in one stack: per commodity (in its colour) or per payee (in the neutral
/// value colour, with the payee's pattern); the unpriced deliveries are added to `unpriced`.
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
        let mut push = |name: String, commodity: Option<String>, color: String, fill, points| {
            series.push(Series {
                name,
                commodity,
                unit: Some(n.clone()),
                group: group.clone(),
                measure: Measure::DeliveredValue,
                style: SeriesStyle::Bar,
                stack: Some("value".into()),
                panel: None,
                color,
                fill,
                mark: None,
                points,
            });
        };
        match group {
            Some(g) => {
                if total.iter().any(|p| !p.y.is_zero()) {
                    push(
                        format!("to {g} ({n})"),
                        None,
                        color::VALUE.to_string(),
                        pattern(k),
                        total,
                    );
                }
            }
            None => {
                for (c, points) in by_commodity {
                    if points.iter().all(|p| p.y.is_zero()) {
                        continue;
                    }
                    let com = reg.commodity(c);
                    push(
                        format!("{} ({n})", com.name),
                        Some(com.id.clone()),
                        color::commodity(c),
                        Fill::Solid,
                        points,
                    );
                }
            }
        }
    }
    Ok(series)
}

/// Bars cut at `top`: the years `cut` of `piles`, each labelled with its full height.
fn cut_bars(panel: Option<&str>, piles: &[(Year, Decimal)], cut: &[Year]) -> Vec<CutBar> {
    piles
        .iter()
        .filter(|(y, _)| cut.contains(y))
        .map(|&(y, v)| CutBar {
            panel: panel.map(str::to_string),
            x: Decimal::from(y),
            label: amount_text(v),
        })
        .collect()
}

/// The legend of bar series: with one group, an entry per series; with several, an entry per
/// colour (commodity) and one per pattern (payee).
fn legend(series: &[Series], payees: &[String]) -> Vec<LegendEntry> {
    if payees.len() <= 1 {
        return series
            .iter()
            .map(|s| fill_entry(&s.color, s.name.clone()))
            .collect();
    }
    let mut out: Vec<LegendEntry> = Vec::new();
    for s in series {
        let text = match (&s.commodity, &s.unit) {
            (Some(_), _) => s
                .name
                .split_once(": ")
                .map_or(s.name.as_str(), |(_, what)| what)
                .to_string(),
            (None, Some(unit)) => format!("value delivered ({unit})"),
            (None, None) => continue,
        };
        if !out.iter().any(|e| e.text == text) {
            out.push(fill_entry(&s.color, text));
        }
    }
    let named: Vec<String> = payees.iter().map(|p| format!("to {p}")).collect();
    out.extend(pattern_entries(named.iter().map(String::as_str)));
    out
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
    // The heights of the year's bars are the ledger's, for the whole query.
    let years: Vec<(Year, Basket)> = ledger
        .rows
        .iter()
        .map(|r| Ok((r.year, r.delivered()?)))
        .collect::<Result<_, tribute_core::Error>>()?;
    let groups = groups(corpus, resolved, query, stack_by, ledger)?;
    let payees: Vec<String> = groups.iter().filter_map(|(g, _)| g.clone()).collect();
    let (amounts, not_shown) = amount_series(corpus, &groups)?;
    let mut caption = caption(corpus, resolved, &streams, query);
    if !not_shown.is_empty() {
        caption.push(format!(
            "not shown, owed but nothing known delivered: {}",
            not_shown.join(", ")
        ));
    }
    let mut cut = Vec::new();
    let mut y_to = None;
    let (series, y_title, subtitle, panels) = match book {
        None => {
            let split = match stack_by {
                StackBy::Commodity => "",
                StackBy::Payee => ", split by payee",
            };
            // A panel per commodity, in its own unit: different commodities are never piled up.
            let mut panels: Vec<Panel> = Vec::new();
            for s in &amounts {
                let (Some(id), Some(c)) = (
                    &s.panel,
                    reg.find_commodity(s.commodity.as_deref().unwrap_or("")),
                ) else {
                    continue;
                };
                if panels.iter().any(|p| &p.id == id) {
                    continue;
                }
                let piles: Vec<(Year, Decimal)> =
                    years.iter().map(|(y, b)| (*y, b.get(c))).collect();
                let top = cut_top(&piles).map(|(top, years)| {
                    cut.extend(cut_bars(Some(id), &piles, &years));
                    top
                });
                let com = reg.commodity(c);
                panels.push(Panel {
                    id: id.clone(),
                    title: format!("{} per year ({})", com.name, com.unit),
                    unit: com.unit.clone(),
                    to: top,
                });
            }
            (
                amounts,
                "delivered per year, each commodity in its own panel and unit".to_string(),
                format!(
                    "amounts delivered each year, {lo}–{hi}, each commodity in its own panel and unit{split}"
                ),
                panels,
            )
        }
        Some(book) => {
            let mut unpriced = Basket::new();
            let series = value_series(corpus, &groups, book, &mut unpriced)?;
            let mut piles = Vec::new();
            for (y, basket) in &years {
                let v = Split::of_basket(Some(book), basket, *y)?.value(Some(book))?;
                piles.push((*y, v.value.central));
            }
            if let Some((top, years)) = cut_top(&piles) {
                cut.extend(cut_bars(None, &piles, &years));
                y_to = Some(top);
            }
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
                    "value of what was delivered each year, {lo}–{hi}, in {} (price book `{}`), {split}",
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
            to: y_to,
        },
        legend: legend(&series, &payees),
        series,
        bands: Vec::new(),
        shaded_ranges: shaded(corpus, &streams, lo, hi),
        markers: markers(corpus, &streams, lo, hi),
        bars: Vec::new(),
        panels,
        cut_bars: cut,
    })
}
