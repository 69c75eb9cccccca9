//! The burden chart: what a payer paid each year, as bars, what a record says was handed over
//! apart from what is only assumed paid.
//!
//! Without a price book each commodity keeps its own bar, in its own unit, and the bars of one
//! year stand side by side: a tael of silver is never piled on a bolt of silk. Each bar has two
//! parts: the recorded part (a delivery record with its source) in the commodity's full colour at
//! the bottom, and the assumed part (owed, and assumed paid as the treaty file says, with no
//! record) in a pale tint of it on top. Split by payee, the payees of one commodity pile up in
//! that commodity's bar (one unit, so the height is a true sum), each with its pattern, recorded
//! parts first. With a price book ([`burden_valued`]) every amount is valued at its year's
//! central rate in the book's numeraire, and the values pile up into one bar per year, recorded
//! values first.
//!
//! What must hold: no assumed payment is ever drawn as a record: for every year and commodity,
//! the recorded parts of that commodity add up exactly to the ledger's `recorded` for the year
//! and the assumed parts to its `assumed` (tests check this against hand-computed treaty
//! figures); valued, the recorded and assumed parts add up to the valued ledger's `recorded` and
//! `assumed` (`tribute ledger --prices`); years in which something was owed but not delivered are
//! shaded, never hidden; a commodity owed but neither recorded nor assumed paid, like one the
//! price book cannot price, is named in the caption rather than silently dropped. A commodity's
//! bars are in its colour ([`super::color`]), a payee's piece in that colour with the payee's
//! pattern (solid, hatched…); valued bars are neutral (a value is no commodity), by payee with
//! the payees' patterns. A one-off payment that would flatten the yearly flow is cut at the top
//! of its panel and labelled with its full height (the ledger's figure), never drawn to a
//! misleading height unlabelled. Every height is the core's: the ledger's rows, the valued
//! ledger's rows, and (valued by commodity) the core's valuation of the row's recorded and
//! assumed baskets, commodity by commodity.

use std::collections::{BTreeMap, BTreeSet};

use rust_decimal::Decimal;
use tribute_core::report::LedgerReport;
use tribute_core::{Basket, CommodityId, Corpus, Ledger, PriceBook, Query, Resolved, Year};

use super::color::{self, fill_entry, pattern, pattern_entries, tint_entry};
use super::{
    basket_text, caption, commodity_label, cut_top, markers, narrowed, payee_of, select, shaded,
    who,
};
use crate::error::PlotError;
use crate::spec::{
    Axis, ChartKind, ChartSpec, CutBar, Fill, LegendEntry, Measure, Panel, Point, Scale, Series,
    SeriesStyle, Tint,
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

/// The burden chart of the streams `query` selects: amounts paid each year, recorded and assumed
/// apart, one bar per commodity side by side (never piled on each other).
pub fn burden(
    corpus: &Corpus,
    resolved: &Resolved,
    query: &Query,
    stack_by: StackBy,
) -> Result<ChartSpec, PlotError> {
    build(corpus, resolved, query, stack_by, None)
}

/// The burden chart valued with `book`: what was paid each year, recorded and assumed apart,
/// valued at that year's central rates, the values piled up by commodity or by payee; what the
/// book cannot price is left out of the bars and listed in the caption.
pub fn burden_valued(
    corpus: &Corpus,
    resolved: &Resolved,
    query: &Query,
    stack_by: StackBy,
    book: &PriceBook,
) -> Result<ChartSpec, PlotError> {
    build(corpus, resolved, query, stack_by, Some(book))
}

/// The payees (in order of first payment) with the query narrowed to each, or the query alone.
fn groups(
    corpus: &Corpus,
    resolved: &Resolved,
    query: &Query,
    stack_by: StackBy,
    (from, to): (Year, Year),
) -> Result<Vec<(Option<String>, Query)>, PlotError> {
    if stack_by == StackBy::Commodity {
        return Ok(vec![(None, query.clone())]);
    }
    let streams = select(corpus, resolved, query)?;
    let mut by_payee: BTreeMap<String, (Year, BTreeSet<String>)> = BTreeMap::new();
    for s in &streams {
        let first = s.span().map_or(Year::MAX, |x| x.0);
        let e = by_payee
            .entry(payee_of(corpus, query, s))
            .or_insert((first, BTreeSet::new()));
        e.0 = e.0.min(first);
        e.1.insert(s.treaty.to_string());
    }
    let mut by_payee: Vec<(String, Year, BTreeSet<String>)> =
        by_payee.into_iter().map(|(p, (f, t))| (p, f, t)).collect();
    by_payee.sort_by(|a, b| (a.1, &a.0).cmp(&(b.1, &b.0)));
    Ok(by_payee
        .into_iter()
        .map(|(payee, _, treaties)| {
            (
                Some(payee),
                narrowed(query, &treaties, Some(from), Some(to)),
            )
        })
        .collect())
}

/// The two parts of every bar: what a record says, in full colour, then what is assumed paid,
/// in a pale tint, piled on it.
const PARTS: [(Measure, Tint, &str); 2] = [
    (Measure::Recorded, Tint::Full, "recorded"),
    (Measure::Assumed, Tint::Pale, "assumed paid"),
];

/// The valued parts, as [`PARTS`].
const VALUE_PARTS: [(Measure, Tint, &str); 2] = [
    (Measure::RecordedValue, Tint::Full, "recorded"),
    (Measure::AssumedValue, Tint::Pale, "assumed paid"),
];

/// Unvalued series: per commodity (each its own stack and panel, in the order of the
/// commodities), its recorded parts for each group, then its assumed parts for each group, each
/// series only if anything is in it; commodities of a group with nothing recorded or assumed
/// paid are returned by name instead.
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
        let base = color::commodity(reg, c);
        let label = commodity_label(reg, c);
        let mut shown = vec![false; groups.len()];
        for (measure, tint, part) in PARTS {
            for (k, (group, led)) in groups.iter().enumerate() {
                if !led.commodities.contains(&c) {
                    continue;
                }
                // The ledger's own columns, never their sum: recorded and assumed stay apart.
                let points: Vec<Point> = led
                    .rows
                    .iter()
                    .map(|r| Point {
                        x: Decimal::from(r.year),
                        y: if measure == Measure::Recorded {
                            r.recorded.get(c)
                        } else {
                            r.assumed.get(c)
                        },
                    })
                    .collect();
                if points.iter().all(|p| p.y.is_zero()) {
                    continue;
                }
                shown[k] = true;
                let name = group.as_ref().map_or_else(
                    || format!("{label}, {part}"),
                    |g| format!("{g}: {label}, {part}"),
                );
                series.push(Series {
                    name,
                    commodity: Some(com.id.clone()),
                    unit: Some(com.unit.clone()),
                    group: group.clone(),
                    measure,
                    style: SeriesStyle::Bar,
                    stack: Some(com.id.clone()),
                    panel: Some(com.id.clone()),
                    color: base.clone(),
                    fill: pattern(k),
                    tint,
                    mark: None,
                    points,
                });
            }
        }
        for (k, (group, led)) in groups.iter().enumerate() {
            if led.commodities.contains(&c) && !shown[k] {
                not_shown.push(
                    group
                        .as_ref()
                        .map_or_else(|| label.clone(), |g| format!("{g}: {label}")),
                );
            }
        }
    }
    Ok((series, not_shown))
}

/// Valued series, all in one stack, recorded values first: per commodity (in its colour) or per
/// payee (in the neutral value colour, with the payee's pattern).
fn value_series(
    corpus: &Corpus,
    groups: &[(Option<String>, LedgerReport<'_>)],
    book: &PriceBook,
) -> Result<Vec<Series>, PlotError> {
    let reg = &corpus.registry;
    let n = &book.numeraire;
    let mut series = Vec::new();
    for (measure, tint, part) in VALUE_PARTS {
        let recorded = measure == Measure::RecordedValue;
        for (k, (group, rep)) in groups.iter().enumerate() {
            let led = &rep.ledger;
            let Some(values) = rep.values.as_ref() else {
                continue;
            };
            let mut push = |name: String,
                            commodity: Option<String>,
                            color: String,
                            fill,
                            points: Vec<Point>| {
                if points.iter().all(|p| p.y.is_zero()) {
                    return;
                }
                series.push(Series {
                    name,
                    commodity,
                    unit: Some(n.clone()),
                    group: group.clone(),
                    measure,
                    style: SeriesStyle::Bar,
                    stack: Some("value".into()),
                    panel: None,
                    color,
                    fill,
                    tint,
                    mark: None,
                    points,
                });
            };
            match group {
                // A payee's part: the valued ledger's own `recorded` or `assumed`.
                Some(g) => {
                    let points = led
                        .rows
                        .iter()
                        .zip(&values.rows)
                        .map(|(r, v)| Point {
                            x: Decimal::from(r.year),
                            y: if recorded {
                                v.recorded.central
                            } else {
                                v.assumed.central
                            },
                        })
                        .collect();
                    push(
                        format!("to {g} ({n}), {part}"),
                        None,
                        color::VALUE.to_string(),
                        pattern(k),
                        points,
                    );
                }
                // A commodity's part: the core's value of the row's recorded or assumed
                // delivery of that commodity at its year's rates.
                None => {
                    let mut by_commodity =
                        tribute_core::report::delivered_by_commodity(led, book, recorded)?;
                    by_commodity.sort_by_key(|(c, _)| *c);
                    for (c, values) in by_commodity {
                        let points = values
                            .into_iter()
                            .map(|(year, v)| Point {
                                x: Decimal::from(year),
                                y: v.central,
                            })
                            .collect();
                        let com = reg.commodity(c);
                        push(
                            format!("{} ({n}), {part}", com.name),
                            Some(com.id.clone()),
                            color::commodity(reg, c),
                            Fill::Solid,
                            points,
                        );
                    }
                }
            }
        }
    }
    Ok(series)
}

/// The caption line naming what was owed but is neither recorded nor assumed paid, if anything.
fn not_shown_line(caption: &mut Vec<String>, not_shown: &[String]) {
    if !not_shown.is_empty() {
        caption.push(format!(
            "not shown, owed but neither recorded nor assumed paid: {}",
            not_shown.join(", ")
        ));
    }
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

/// The legend of bar series: with one group, an entry per series (its colour, tint and what it
/// is, `silver (tael), assumed paid`); with several, an entry per colour (commodity), one per
/// pattern (payee), and one per tint drawn (full: recorded, pale: assumed paid).
fn legend(series: &[Series], payees: &[String]) -> Vec<LegendEntry> {
    if payees.len() <= 1 {
        return series
            .iter()
            .map(|s| {
                let text = if s.tint == Tint::Pale {
                    format!("{}: no record", s.name)
                } else {
                    s.name.clone()
                };
                fill_entry(&s.color, s.fill, s.tint, text)
            })
            .collect();
    }
    let mut out: Vec<LegendEntry> = Vec::new();
    for s in series {
        // `Jin: silver (tael), recorded` → `silver (tael)`: the colour's meaning alone.
        let text = match (&s.commodity, &s.unit) {
            (Some(_), _) => {
                let what = s.name.split_once(": ").map_or(s.name.as_str(), |x| x.1);
                what.rsplit_once(", ").map_or(what, |x| x.0).to_string()
            }
            (None, Some(unit)) => format!("value paid ({unit})"),
            (None, None) => continue,
        };
        if !out.iter().any(|e| e.text == text) {
            out.push(fill_entry(&s.color, Fill::Solid, Tint::Full, text));
        }
    }
    let named: Vec<String> = payees.iter().map(|p| format!("to {p}")).collect();
    out.extend(pattern_entries(named.iter().map(String::as_str)));
    for tint in [Tint::Full, Tint::Pale] {
        if let Some(s) = series.iter().find(|s| s.tint == tint) {
            out.push(tint_entry(&s.color, tint));
        }
    }
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
    // The ledger of the whole query, valued if a book is given: the heights of the years' bars.
    let whole = tribute_core::report::ledger(corpus, resolved, query, book)?;
    let (lo, hi) = (whole.ledger.from, whole.ledger.to);
    let groups = groups(corpus, resolved, query, stack_by, (lo, hi))?;
    let payees: Vec<String> = groups.iter().filter_map(|(g, _)| g.clone()).collect();
    let mut caption = caption(corpus, resolved, &streams, query);
    let mut cut = Vec::new();
    let mut y_to = None;
    let split = match stack_by {
        StackBy::Commodity => "",
        StackBy::Payee => ", split by payee",
    };
    let (series, y_title, subtitle, panels) = match book {
        None => {
            let ledgers = match stack_by {
                StackBy::Commodity => vec![(None, whole.ledger.clone())],
                StackBy::Payee => groups
                    .iter()
                    .map(|(g, q)| Ok((g.clone(), Ledger::new(corpus, resolved, q)?)))
                    .collect::<Result<_, PlotError>>()?,
            };
            let (amounts, not_shown) = amount_series(corpus, &ledgers)?;
            not_shown_line(&mut caption, &not_shown);
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
                // A bar's full height: recorded and assumed of the year, as the ledger has them.
                let piles: Vec<(Year, Decimal)> = whole
                    .ledger
                    .rows
                    .iter()
                    .map(|r| Ok((r.year, r.delivered()?.get(c))))
                    .collect::<Result<_, tribute_core::Error>>()?;
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
                "paid per year, recorded and assumed, each commodity in its own panel and unit"
                    .to_string(),
                format!(
                    "amounts paid each year, {lo}–{hi}: full colour recorded, pale assumed paid (no record); each commodity in its own panel and unit{split}"
                ),
                panels,
            )
        }
        Some(book) => {
            let reports = match stack_by {
                StackBy::Commodity => vec![(None, whole.clone())],
                StackBy::Payee => groups
                    .iter()
                    .map(|(g, q)| {
                        Ok((
                            g.clone(),
                            tribute_core::report::ledger(corpus, resolved, q, Some(book))?,
                        ))
                    })
                    .collect::<Result<_, PlotError>>()?,
            };
            let series = value_series(corpus, &reports, book)?;
            let ledgers: Vec<(Option<String>, Ledger)> = reports
                .iter()
                .map(|(g, r)| (g.clone(), r.ledger.clone()))
                .collect();
            not_shown_line(&mut caption, &amount_series(corpus, &ledgers)?.1);
            let mut unpriced = Basket::new();
            let mut piles = Vec::new();
            if let Some(values) = &whole.values {
                unpriced = values.unpriced_delivered.clone();
                for (r, v) in whole.ledger.rows.iter().zip(&values.rows) {
                    piles.push((r.year, v.delivered.central));
                }
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
                "unpriced payments (recorded or assumed), left out of the values: {}",
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
                format!(
                    "value paid per year, recorded and assumed ({})",
                    book.numeraire
                ),
                format!(
                    "value of what was paid each year, {lo}–{hi}, in {} (price book `{}`): full colour recorded, pale assumed paid (no record); {split}",
                    book.numeraire, book.id
                ),
                Vec::new(),
            )
        }
    };
    caption.push(
        "recorded: a delivery record with its source says so; assumed paid: owed, and the treaty file assumes it paid"
            .into(),
    );
    if !series.iter().any(|s| s.tint == Tint::Full) {
        caption.push("nothing drawn here is recorded: every bar is an assumed payment".into());
    }
    Ok(ChartSpec {
        kind: ChartKind::Burden,
        title: format!(
            "Payments per year, recorded and assumed: {}",
            who(corpus, query)
        ),
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
