//! The cumulative chart: running totals delivered (solid) and owed (dashed), one pair of lines per
//! payer → payee and commodity, in one panel per unit (bolts and taels never share an axis); or,
//! valued with a price book ([`cumulative_valued`]), one pair of lines per payer → payee in the
//! book's numeraire, with the low–high band of the value delivered. Lines are in their
//! commodity's colour (valued: the neutral value colour); payer → payee pairs are told apart by
//! a mark along the line, named in the legend.
//!
//! What must hold: every line equals the ledger's `cum_delivered` / `cum_owed` of its group and
//! commodity at every year (the spec keeps the breakpoints only, and the values between them are
//! exactly linear); each line starts from what was paid before its first year (zero unless the
//! query starts later), so it rises during the year a payment falls in. Valued lines equal the
//! valued ledger (`tribute ledger --prices`): each year at that year's rates, the opening value in
//! closed form; what the book cannot price is named in the caption, never dropped silently.

use std::collections::{BTreeMap, BTreeSet};

use rust_decimal::Decimal;
use tribute_core::{
    Basket, CommodityId, Corpus, Interval, Ledger, LedgerRow, PriceBook, Query, Resolved, Stream,
    Year,
};

use super::color::{self, group_entries, line_style_entries};
use super::{
    basket_text, caption, checked, commodity_entries, commodity_label, markers, narrowed, payee_of,
    payer_of, select, shaded, who,
};
use crate::error::PlotError;
use crate::spec::{
    Axis, Band, BandPoint, ChartKind, ChartSpec, Fill, LegendEntry, LegendSwatch, Measure, Panel,
    Point, Scale, Series, SeriesStyle,
};

/// One column of a ledger row.
type Column = fn(&LedgerRow) -> tribute_core::Result<Basket>;

/// Drops the points of a line that lie on the straight segment between their neighbours.
pub(crate) fn breakpoints(points: Vec<Point>) -> Result<Vec<Point>, PlotError> {
    let mut keep = Vec::with_capacity(points.len());
    for i in 0..points.len() {
        if i == 0 || i + 1 == points.len() {
            keep.push(points[i]);
            continue;
        }
        let (a, b, c) = (points[i - 1], points[i], points[i + 1]);
        let before = checked(b.y.checked_sub(a.y), "a yearly change")?;
        let after = checked(c.y.checked_sub(b.y), "a yearly change")?;
        let gaps = (
            checked(b.x.checked_sub(a.x), "a year step")?,
            checked(c.x.checked_sub(b.x), "a year step")?,
        );
        if before != after || gaps.0 != gaps.1 {
            keep.push(b);
        }
    }
    Ok(keep)
}

/// Drops the points of a band at which both edges lie on straight segments between their
/// neighbours.
fn band_breakpoints(points: Vec<BandPoint>) -> Result<Vec<BandPoint>, PlotError> {
    let edge = |f: fn(&BandPoint) -> Decimal| {
        breakpoints(points.iter().map(|p| Point { x: p.x, y: f(p) }).collect())
    };
    let keep: BTreeSet<Decimal> = edge(|p| p.low)?
        .into_iter()
        .chain(edge(|p| p.high)?)
        .map(|p| p.x)
        .collect();
    Ok(points.into_iter().filter(|p| keep.contains(&p.x)).collect())
}

/// The payer → payee pairs of the streams, in order of their first payment, with their treaties.
fn pairs(corpus: &Corpus, query: &Query, streams: &[&Stream]) -> Vec<(String, BTreeSet<String>)> {
    let mut pairs: BTreeMap<String, (Year, BTreeSet<String>)> = BTreeMap::new();
    for s in streams {
        let key = format!(
            "{} → {}",
            payer_of(corpus, query, s),
            payee_of(corpus, query, s)
        );
        let first = s.span().map_or(Year::MAX, |x| x.0);
        let e = pairs.entry(key).or_insert((first, BTreeSet::new()));
        e.0 = e.0.min(first);
        e.1.insert(s.treaty.clone());
    }
    let mut pairs: Vec<(String, Year, BTreeSet<String>)> =
        pairs.into_iter().map(|(k, (f, t))| (k, f, t)).collect();
    pairs.sort_by(|a, b| (a.1, &a.0).cmp(&(b.1, &b.0)));
    pairs.into_iter().map(|(k, _, t)| (k, t)).collect()
}

/// The cumulative chart of the streams `query` selects, per commodity in its own unit, a panel
/// per unit.
pub fn cumulative(
    corpus: &Corpus,
    resolved: &Resolved,
    query: &Query,
) -> Result<ChartSpec, PlotError> {
    let streams = select(corpus, resolved, query)?;
    let reg = &corpus.registry;
    let pairs = pairs(corpus, query, &streams);
    let several = pairs.len() > 1;
    let (mut lo, mut hi) = (Year::MAX, Year::MIN);
    let mut series = Vec::new();
    let mut commodities: BTreeSet<CommodityId> = BTreeSet::new();
    for (k, (pair, treaties)) in pairs.iter().enumerate() {
        let led = Ledger::new(
            corpus,
            resolved,
            &narrowed(query, treaties, query.from, query.to),
        )?;
        let Some(first) = led.rows.first() else {
            continue;
        };
        lo = lo.min(led.from);
        hi = hi.max(led.to);
        let opening_year = Decimal::from(i64::from(led.from) - 1);
        for &c in &led.commodities {
            let com = reg.commodity(c);
            commodities.insert(c);
            let label = commodity_label(reg, c);
            let name = if several {
                format!("{pair}: {label}")
            } else {
                label
            };
            let line = |measure: Measure| -> Result<Series, PlotError> {
                let (cum, year): (Column, Column) = match measure {
                    Measure::Owed => (|r| Ok(r.cum_owed.clone()), |r| Ok(r.owed.clone())),
                    // Recorded and assumed together; the caption says so.
                    _ => (LedgerRow::cum_delivered, LedgerRow::delivered),
                };
                let opening = checked(
                    cum(first)?.get(c).checked_sub(year(first)?.get(c)),
                    "an opening balance",
                )?;
                let mut points = vec![Point {
                    x: opening_year,
                    y: opening,
                }];
                for r in &led.rows {
                    points.push(Point {
                        x: Decimal::from(r.year),
                        y: cum(r)?.get(c),
                    });
                }
                Ok(Series {
                    name: name.clone(),
                    commodity: Some(com.id.clone()),
                    unit: Some(com.unit.clone()),
                    group: several.then(|| pair.clone()),
                    measure,
                    style: if measure == Measure::Owed {
                        SeriesStyle::DashedLine
                    } else {
                        SeriesStyle::Line
                    },
                    stack: None,
                    panel: Some(com.unit.clone()),
                    color: color::commodity(c),
                    fill: Fill::Solid,
                    mark: several.then(|| color::mark(k)),
                    points: breakpoints(points)?,
                })
            };
            series.push(line(Measure::Delivered)?);
            series.push(line(Measure::Owed)?);
        }
    }
    if series.is_empty() {
        (lo, hi) = (query.from.unwrap_or(0), query.to.unwrap_or(0));
    }
    // A panel per unit, in the order of the commodities (the registry's): a bolt of silk and a
    // bolt of pongee share one, a tael of silver has its own.
    let mut panels: Vec<Panel> = Vec::new();
    for &c in &commodities {
        let unit = &reg.commodity(c).unit;
        if !panels.iter().any(|p| &p.id == unit) {
            panels.push(Panel {
                id: unit.clone(),
                title: format!("cumulative ({unit})"),
                unit: unit.clone(),
                to: None,
            });
        }
    }
    let mut legend = commodity_entries(
        reg,
        &commodities,
        |color| LegendSwatch::Line {
            color,
            dashed: false,
            mark: None,
        },
        true,
    );
    if several {
        legend.extend(group_entries(pairs.iter().map(|(p, _)| p.as_str())));
    }
    legend.extend(line_style_entries());
    Ok(ChartSpec {
        kind: ChartKind::Cumulative,
        title: format!(
            "Cumulative deliveries and obligations: {}",
            who(corpus, query)
        ),
        subtitle: Some(format!(
            "running totals {lo}–{hi}, drawn at the end of each year, a panel per unit; solid: delivered, dashed: owed"
        )),
        caption: caption(corpus, resolved, &streams, query),
        x_axis: Axis {
            title: "year".into(),
            scale: Scale::Year,
            from: Some(Decimal::from(lo)),
            to: Some(Decimal::from(i64::from(hi) + 1)),
        },
        y_axis: Axis {
            title: "cumulative amount, a panel per unit".into(),
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
        cut_bars: Vec::new(),
        legend,
    })
}

/// The cumulative chart of the streams `query` selects, valued with `book`: per payer → payee,
/// the running value delivered (solid, with its low–high band) and owed (dashed), in the book's
/// numeraire, each year valued at that year's rates.
pub fn cumulative_valued(
    corpus: &Corpus,
    resolved: &Resolved,
    query: &Query,
    book: &PriceBook,
) -> Result<ChartSpec, PlotError> {
    let streams = select(corpus, resolved, query)?;
    let reg = &corpus.registry;
    let pairs = pairs(corpus, query, &streams);
    let several = pairs.len() > 1;
    let n = &book.numeraire;
    let (mut lo, mut hi) = (Year::MAX, Year::MIN);
    let (mut series, mut bands, mut unpriced) = (Vec::new(), Vec::new(), Vec::new());
    for (k, (pair, treaties)) in pairs.iter().enumerate() {
        let sub = narrowed(query, treaties, query.from, query.to);
        // The valued ledger of tribute-core, the same computation `tribute ledger --prices` shows.
        let rep = tribute_core::report::ledger(corpus, resolved, &sub, Some(book))?;
        let led = &rep.ledger;
        let Some(values) = rep.values.as_ref().filter(|_| !led.rows.is_empty()) else {
            continue;
        };
        lo = lo.min(led.from);
        hi = hi.max(led.to);
        let (unpriced_owed, unpriced_delivered) =
            (&values.cum_unpriced_owed, &values.cum_unpriced_delivered);
        let at = |x: Decimal, owed: &Interval, delivered: &Interval| {
            (
                Point {
                    x,
                    y: delivered.central,
                },
                Point { x, y: owed.central },
                BandPoint {
                    x,
                    low: delivered.low,
                    high: delivered.high,
                },
            )
        };
        let mut delivered = Vec::with_capacity(led.rows.len() + 1);
        let mut owed = Vec::with_capacity(led.rows.len() + 1);
        let mut band = Vec::with_capacity(led.rows.len() + 1);
        let mut push = |(d, o, b)| {
            delivered.push(d);
            owed.push(o);
            band.push(b);
        };
        push(at(
            Decimal::from(i64::from(led.from) - 1),
            &values.opening_owed,
            &values.opening_delivered,
        ));
        for (r, v) in led.rows.iter().zip(&values.rows) {
            push(at(Decimal::from(r.year), &v.cum_owed, &v.cum_delivered));
        }
        let name = format!("{pair} ({n})");
        let mark = several.then(|| color::mark(k));
        for (measure, points) in [
            (Measure::DeliveredValue, delivered),
            (Measure::OwedValue, owed),
        ] {
            series.push(Series {
                name: name.clone(),
                commodity: None,
                unit: Some(n.clone()),
                group: several.then(|| pair.clone()),
                measure,
                style: if measure.is_owed() {
                    SeriesStyle::DashedLine
                } else {
                    SeriesStyle::Line
                },
                stack: None,
                panel: None,
                color: color::VALUE.to_string(),
                fill: Fill::Solid,
                mark,
                points: breakpoints(points)?,
            });
        }
        if band.iter().any(|b| b.low != b.high) {
            bands.push(Band {
                name: format!("{pair}: value delivered, low–high"),
                panel: None,
                color: color::VALUE.to_string(),
                fill: if k % 2 == 0 {
                    Fill::Hatched
                } else {
                    Fill::BackHatched
                },
                points: band_breakpoints(band)?,
            });
        }
        if !unpriced_owed.is_empty() || !unpriced_delivered.is_empty() {
            let text = |b: &Basket| {
                if b.is_empty() {
                    "none".to_string()
                } else {
                    basket_text(reg, b, false)
                }
            };
            unpriced.push(if unpriced_owed == unpriced_delivered {
                format!("{pair}: {} (owed and delivered)", text(unpriced_owed))
            } else {
                format!(
                    "{pair}: owed {}; delivered {}",
                    text(unpriced_owed),
                    text(unpriced_delivered)
                )
            });
        }
    }
    let mut caption = caption(corpus, resolved, &streams, query);
    caption.push(format!(
        "price book `{}` ({}): each year valued at that year's rates; line: central value, band: low–high",
        book.id, book.name
    ));
    caption.push(format!(
        "unpriced, left out of the values: {}",
        if unpriced.is_empty() {
            "nothing".to_string()
        } else {
            unpriced.join("; ")
        }
    ));
    if series.is_empty() {
        (lo, hi) = (query.from.unwrap_or(0), query.to.unwrap_or(0));
    }
    let mut legend = if several {
        group_entries(pairs.iter().map(|(p, _)| p.as_str()))
    } else {
        Vec::new()
    };
    legend.extend(line_style_entries());
    legend.extend(bands.iter().map(|b| LegendEntry {
        swatch: LegendSwatch::Band {
            color: b.color.clone(),
            fill: b.fill,
        },
        text: b.name.clone(),
    }));
    Ok(ChartSpec {
        kind: ChartKind::Cumulative,
        title: format!(
            "Cumulative value delivered and owed: {}",
            who(corpus, query)
        ),
        subtitle: Some(format!(
            "running totals {lo}–{hi} in {n} (price book `{}`), drawn at the end of each year; solid: delivered, dashed: owed, hatched band: low–high of the value delivered",
            book.id
        )),
        caption,
        x_axis: Axis {
            title: "year".into(),
            scale: Scale::Year,
            from: Some(Decimal::from(lo)),
            to: Some(Decimal::from(i64::from(hi) + 1)),
        },
        y_axis: Axis {
            title: format!("cumulative value ({n})"),
            scale: Scale::Amount,
            from: Some(Decimal::ZERO),
            to: None,
        },
        series,
        bands,
        shaded_ranges: shaded(corpus, &streams, lo, hi),
        markers: markers(corpus, &streams, lo, hi),
        bars: Vec::new(),
        panels: Vec::new(),
        cut_bars: Vec::new(),
        legend,
    })
}
