//! The cumulative chart: running totals delivered (solid) and owed (dashed), one pair of lines per
//! payer → payee and commodity.
//!
//! What must hold: every line equals the ledger's `cum_delivered` / `cum_owed` of its group and
//! commodity at every year (the spec keeps the breakpoints only, and the values between them are
//! exactly linear); each line starts from what was paid before its first year (zero unless the
//! query starts later), so it rises during the year a payment falls in.

use std::collections::{BTreeMap, BTreeSet};

use rust_decimal::Decimal;
use tribute_core::{Basket, Corpus, Ledger, LedgerRow, Query, Resolved, Year};

use super::{
    PALETTE, amount_title, caption, checked, commodity_color, commodity_label, markers, narrowed,
    payee_of, payer_of, select, shaded, who,
};
use crate::error::PlotError;
use crate::spec::{Axis, ChartKind, ChartSpec, Measure, Point, Scale, Series, SeriesStyle};

/// One column of a ledger row.
type Column = fn(&LedgerRow) -> &Basket;

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

/// The cumulative chart of the streams `query` selects.
pub fn cumulative(
    corpus: &Corpus,
    resolved: &Resolved,
    query: &Query,
) -> Result<ChartSpec, PlotError> {
    let streams = select(corpus, resolved, query)?;
    let reg = &corpus.registry;
    let mut pairs: BTreeMap<String, (Year, BTreeSet<String>)> = BTreeMap::new();
    for s in &streams {
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
    let several = pairs.len() > 1;
    let (mut lo, mut hi) = (Year::MAX, Year::MIN);
    let mut series = Vec::new();
    let mut units = BTreeSet::new();
    let mut n_colors = 0;
    for (pair, _, treaties) in &pairs {
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
            units.insert(com.unit.clone());
            let color = if several {
                PALETTE[n_colors % PALETTE.len()].to_string()
            } else {
                commodity_color(&com.id, n_colors)
            };
            n_colors += 1;
            let label = commodity_label(reg, c);
            let name = if several {
                format!("{pair}: {label}")
            } else {
                label
            };
            let line = |measure: Measure| -> Result<Series, PlotError> {
                let (cum, year): (Column, Column) = match measure {
                    Measure::Owed => (|r| &r.cum_owed, |r| &r.owed),
                    _ => (|r| &r.cum_delivered, |r| &r.delivered),
                };
                let opening = checked(
                    cum(first).get(c).checked_sub(year(first).get(c)),
                    "an opening balance",
                )?;
                let mut points = vec![Point {
                    x: opening_year,
                    y: opening,
                }];
                points.extend(led.rows.iter().map(|r| Point {
                    x: Decimal::from(r.year),
                    y: cum(r).get(c),
                }));
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
                    color: color.clone(),
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
    Ok(ChartSpec {
        kind: ChartKind::Cumulative,
        title: format!(
            "Cumulative deliveries and obligations: {}",
            who(corpus, query)
        ),
        subtitle: Some(format!(
            "running totals {lo}–{hi}, drawn at the end of each year; solid: delivered, dashed: owed; shaded years: owed but not delivered"
        )),
        caption: caption(corpus, resolved, &streams, query),
        x_axis: Axis {
            title: "year".into(),
            scale: Scale::Year,
            from: Some(Decimal::from(lo)),
            to: Some(Decimal::from(i64::from(hi) + 1)),
        },
        y_axis: Axis {
            title: amount_title("cumulative amount", &units),
            scale: Scale::Amount,
            from: Some(Decimal::ZERO),
            to: None,
        },
        series,
        bands: Vec::new(),
        shaded_ranges: shaded(corpus, &streams, lo, hi),
        markers: markers(corpus, &streams, lo, hi),
        bars: Vec::new(),
    })
}
