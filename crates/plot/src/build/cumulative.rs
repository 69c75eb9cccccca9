//! The cumulative chart: running totals recorded (solid), recorded and assumed paid together
//! (dotted) and owed (dashed), per payer → payee and commodity, in one panel per unit (bolts and
//! taels never share an axis); or, valued with a price book ([`cumulative_valued`]), the same
//! three lines per payer → payee in the book's numeraire, with the low–high band of the value
//! recorded and assumed. Lines are in their commodity's colour (valued: the neutral value
//! colour); payer → payee pairs are told apart by a mark along the line, named in the legend.
//!
//! What must hold: no assumption is drawn as a record: the solid line is the ledger's
//! `cum_recorded` alone, the dotted one its `cum_recorded + cum_assumed` (the core's
//! `cum_delivered`), the dashed one its `cum_owed`, of its group and commodity at every year (the
//! spec keeps the breakpoints only, and the values between them are exactly linear). A recorded
//! line that stays at zero, or a dotted line that never leaves the recorded one (nothing
//! assumed), is not drawn, and the caption says so. Each line starts from what was paid before its
//! first year (zero unless the query starts later), so it rises during the year a payment falls
//! in. Valued lines equal the valued ledger (`tribute ledger --prices`): each year at that year's
//! rates, the opening value in closed form; what the book cannot price is named in the caption,
//! never dropped silently.

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
    Point, Scale, Series, SeriesStyle, Stroke, Tint,
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
        e.1.insert(s.treaty.to_string());
    }
    let mut pairs: Vec<(String, Year, BTreeSet<String>)> =
        pairs.into_iter().map(|(k, (f, t))| (k, f, t)).collect();
    pairs.sort_by(|a, b| (a.1, &a.0).cmp(&(b.1, &b.0)));
    pairs.into_iter().map(|(k, _, t)| (k, t)).collect()
}

/// Which of a group's lines are drawn: the recorded one unless it stays at zero, the recorded and
/// assumed one unless it never leaves the recorded one, and the owed one always. What is left
/// out is added to `left_out` by name.
fn drawn(
    name: &str,
    recorded: &[Point],
    with_assumed: &[Point],
    left_out: &mut LeftOut,
) -> (bool, bool) {
    let recorded_shown = recorded.iter().any(|p| !p.y.is_zero());
    let assumed_shown = !recorded_shown || recorded != with_assumed;
    if !recorded_shown {
        left_out.nothing_recorded.push(name.to_string());
    }
    if !assumed_shown {
        left_out.nothing_assumed.push(name.to_string());
    }
    (recorded_shown, assumed_shown)
}

/// The lines left out, for the caption.
#[derive(Default)]
struct LeftOut {
    nothing_recorded: Vec<String>,
    nothing_assumed: Vec<String>,
}

impl LeftOut {
    /// Caption lines for what is left out; `any_recorded`: whether any line of the chart is a
    /// recorded one (if none is, the subtitle says so rather than a list of every line).
    fn caption(self, caption: &mut Vec<String>, any_recorded: bool) {
        if any_recorded && !self.nothing_recorded.is_empty() {
            caption.push(format!(
                "nothing recorded (no solid line): {}",
                self.nothing_recorded.join(", ")
            ));
        }
        if !self.nothing_assumed.is_empty() {
            caption.push(format!(
                "nothing assumed paid (no dotted line): {}",
                self.nothing_assumed.join(", ")
            ));
        }
    }
}

/// What the line styles of `series` mean, for the subtitle: `solid: recorded, dotted: …`, led by
/// `nothing is recorded` where no recorded line is drawn.
fn styles_text(series: &[Series]) -> String {
    let strokes = strokes(series);
    let parts: Vec<&str> = strokes
        .iter()
        .map(|k| match k {
            Stroke::Solid => "solid: recorded",
            Stroke::Dotted => "dotted: recorded + assumed paid",
            Stroke::Dashed => "dashed: owed",
        })
        .collect();
    let lead = if strokes.contains(&Stroke::Solid) {
        ""
    } else {
        "nothing is recorded; "
    };
    format!("{lead}{}", parts.join(", "))
}

/// The strokes of the lines drawn, in the legend's order.
fn strokes(series: &[Series]) -> Vec<Stroke> {
    let style = |s: &Series| match s.style {
        SeriesStyle::DashedLine => Stroke::Dashed,
        SeriesStyle::DottedLine => Stroke::Dotted,
        _ => Stroke::Solid,
    };
    [Stroke::Solid, Stroke::Dotted, Stroke::Dashed]
        .into_iter()
        .filter(|k| series.iter().any(|s| style(s) == *k))
        .collect()
}

/// How a measure's line is drawn.
fn line_style(measure: Measure) -> SeriesStyle {
    if measure.is_owed() {
        SeriesStyle::DashedLine
    } else if measure.rests_on_assumption() {
        SeriesStyle::DottedLine
    } else {
        SeriesStyle::Line
    }
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
    let mut left_out = LeftOut::default();
    for (k, (pair, treaties)) in pairs.iter().enumerate() {
        let led = Ledger::new(
            corpus,
            resolved,
            &narrowed(query, treaties, query.from, query.to),
        )?;
        if led.rows.is_empty() {
            continue;
        }
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
            // The ledger's running totals, each from the year before the first row.
            let points = |measure: Measure| -> Result<Vec<Point>, PlotError> {
                let (cum, opening): (Column, Basket) = match measure {
                    Measure::Owed => (|r| Ok(r.cum_owed.clone()), led.opening_owed.clone()),
                    Measure::Recorded => {
                        (|r| Ok(r.cum_recorded.clone()), led.opening_recorded.clone())
                    }
                    _ => (LedgerRow::cum_delivered, led.opening_delivered()?),
                };
                let opening = opening.get(c);
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
                Ok(points)
            };
            let line = |measure: Measure, points: Vec<Point>| -> Result<Series, PlotError> {
                Ok(Series {
                    name: name.clone(),
                    commodity: Some(com.id.clone()),
                    unit: Some(com.unit.clone()),
                    group: several.then(|| pair.clone()),
                    measure,
                    style: line_style(measure),
                    stack: None,
                    panel: Some(com.unit.clone()),
                    color: color::commodity(reg, c),
                    fill: Fill::Solid,
                    tint: Tint::Full,
                    mark: several.then(|| color::mark(k)),
                    points: breakpoints(points)?,
                })
            };
            let recorded = points(Measure::Recorded)?;
            let with_assumed = points(Measure::RecordedAndAssumed)?;
            let (r, a) = drawn(&name, &recorded, &with_assumed, &mut left_out);
            if r {
                series.push(line(Measure::Recorded, recorded)?);
            }
            if a {
                series.push(line(Measure::RecordedAndAssumed, with_assumed)?);
            }
            series.push(line(Measure::Owed, points(Measure::Owed)?)?);
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
            stroke: Stroke::Solid,
            mark: None,
        },
        true,
    );
    if several {
        legend.extend(group_entries(pairs.iter().map(|(p, _)| p.as_str())));
    }
    legend.extend(line_style_entries(&strokes(&series)));
    let mut caption = caption(corpus, resolved, &streams, query);
    let any_recorded = series.iter().any(|s| s.measure == Measure::Recorded);
    left_out.caption(&mut caption, any_recorded);
    Ok(ChartSpec {
        kind: ChartKind::Cumulative,
        title: format!(
            "Cumulative recorded, assumed and owed: {}",
            who(corpus, query)
        ),
        subtitle: Some(format!(
            "running totals {lo}–{hi} at each year's end; {}",
            styles_text(&series)
        )),
        caption,
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
/// the running value recorded (solid), recorded and assumed paid (dotted, with its low–high
/// band) and owed (dashed), in the book's numeraire, each year valued at that year's rates.
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
    let mut left_out = LeftOut::default();
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
        // The valued ledger's running values: recorded alone, recorded and assumed together
        // (with its low–high band), and owed, each from the value before the first row.
        let mut recorded = vec![Point {
            x: Decimal::from(i64::from(led.from) - 1),
            y: values.opening_recorded.central,
        }];
        let mut with_assumed = vec![Point {
            x: Decimal::from(i64::from(led.from) - 1),
            y: values.opening_delivered.central,
        }];
        let mut owed = vec![Point {
            x: Decimal::from(i64::from(led.from) - 1),
            y: values.opening_owed.central,
        }];
        let at = |x: Decimal, i: &Interval| BandPoint {
            x,
            low: i.low,
            high: i.high,
        };
        let mut band = vec![at(
            Decimal::from(i64::from(led.from) - 1),
            &values.opening_delivered,
        )];
        for (r, v) in led.rows.iter().zip(&values.rows) {
            let x = Decimal::from(r.year);
            recorded.push(Point {
                x,
                y: v.cum_recorded.central,
            });
            with_assumed.push(Point {
                x,
                y: v.cum_delivered.central,
            });
            owed.push(Point {
                x,
                y: v.cum_owed.central,
            });
            band.push(at(x, &v.cum_delivered));
        }
        let name = format!("{pair} ({n})");
        let mark = several.then(|| color::mark(k));
        let (show_recorded, show_assumed) = drawn(&name, &recorded, &with_assumed, &mut left_out);
        for (measure, points, shown) in [
            (Measure::RecordedValue, recorded, show_recorded),
            (Measure::RecordedAndAssumedValue, with_assumed, show_assumed),
            (Measure::OwedValue, owed, true),
        ] {
            if !shown {
                continue;
            }
            series.push(Series {
                name: name.clone(),
                commodity: None,
                unit: Some(n.clone()),
                group: several.then(|| pair.clone()),
                measure,
                style: line_style(measure),
                stack: None,
                panel: None,
                color: color::VALUE.to_string(),
                fill: Fill::Solid,
                tint: Tint::Full,
                mark,
                points: breakpoints(points)?,
            });
        }
        if band.iter().any(|b| b.low != b.high) {
            bands.push(Band {
                name: format!("{pair}: value recorded + assumed paid, low–high"),
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
                format!("{pair}: {} (owed and paid)", text(unpriced_owed))
            } else {
                format!(
                    "{pair}: owed {}; recorded or assumed paid {}",
                    text(unpriced_owed),
                    text(unpriced_delivered)
                )
            });
        }
    }
    let mut caption = caption(corpus, resolved, &streams, query);
    caption.push(format!(
        "price book `{}` ({}): each year valued at that year's rates; lines: central values, band: low–high",
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
    let any_recorded = series.iter().any(|s| s.measure == Measure::RecordedValue);
    left_out.caption(&mut caption, any_recorded);
    if series.is_empty() {
        (lo, hi) = (query.from.unwrap_or(0), query.to.unwrap_or(0));
    }
    let mut legend = if several {
        group_entries(pairs.iter().map(|(p, _)| p.as_str()))
    } else {
        Vec::new()
    };
    legend.extend(line_style_entries(&strokes(&series)));
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
            "Cumulative value recorded, assumed and owed: {}",
            who(corpus, query)
        ),
        subtitle: Some(format!(
            "running totals {lo}–{hi} in {n} (price book `{}`) at each year's end; {}; hatched band: low–high of the dotted line",
            book.id,
            styles_text(&series)
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
