//! The burden chart: what a payer delivered each year, one stacked series per commodity (or per
//! payee and commodity).
//!
//! What must hold: for every year and commodity, the series of that commodity add up exactly to the
//! ledger's `delivered` for the year (tests check this against hand-computed treaty figures);
//! years in which something was owed but not delivered are shaded, never hidden; a commodity that
//! was owed but never known delivered is named in the caption rather than silently dropped.

use std::collections::{BTreeMap, BTreeSet};

use rust_decimal::Decimal;
use tribute_core::{Corpus, Ledger, Query, Resolved, Year};

use super::{
    PALETTE, amount_title, caption, commodity_color, commodity_label, markers, narrowed, payee_of,
    select, shaded, who,
};
use crate::error::PlotError;
use crate::spec::{Axis, ChartKind, ChartSpec, Measure, Point, Scale, Series, SeriesStyle};

/// How the burden chart splits each year's bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StackBy {
    /// One series per commodity.
    Commodity,
    /// One series per payee and commodity, payees in order of their first payment (commodities
    /// are still never added together).
    Payee,
}

/// The burden chart of the streams `query` selects: amounts delivered each year, stacked.
pub fn burden(
    corpus: &Corpus,
    resolved: &Resolved,
    query: &Query,
    stack_by: StackBy,
) -> Result<ChartSpec, PlotError> {
    let streams = select(corpus, resolved, query)?;
    let reg = &corpus.registry;
    let ledger = Ledger::new(corpus, resolved, query)?;
    let (lo, hi) = (ledger.from, ledger.to);
    let groups: Vec<(Option<String>, Ledger)> = match stack_by {
        StackBy::Commodity => vec![(None, ledger)],
        StackBy::Payee => {
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
            let mut groups = Vec::new();
            for (payee, _, treaties) in by_payee {
                let sub = narrowed(query, &treaties, Some(lo), Some(hi));
                groups.push((Some(payee), Ledger::new(corpus, resolved, &sub)?));
            }
            groups
        }
    };
    let mut series = Vec::new();
    let mut not_shown = Vec::new();
    let mut units = BTreeSet::new();
    for (group, led) in &groups {
        for (i, &c) in led.commodities.iter().enumerate() {
            let points: Vec<Point> = led
                .rows
                .iter()
                .map(|r| Point {
                    x: Decimal::from(r.year),
                    y: r.delivered.get(c),
                })
                .collect();
            let com = reg.commodity(c);
            let label = commodity_label(reg, c);
            let name = group
                .as_ref()
                .map_or_else(|| label.clone(), |g| format!("{g}: {label}"));
            if points.iter().all(|p| p.y.is_zero()) {
                not_shown.push(name);
                continue;
            }
            units.insert(com.unit.clone());
            let color = match stack_by {
                StackBy::Commodity => commodity_color(&com.id, i),
                StackBy::Payee => PALETTE[series.len() % PALETTE.len()].to_string(),
            };
            series.push(Series {
                name,
                commodity: Some(com.id.clone()),
                unit: Some(com.unit.clone()),
                group: group.clone(),
                measure: Measure::Delivered,
                style: SeriesStyle::StackedBar,
                color,
                points,
            });
        }
    }
    let mut caption = caption(corpus, resolved, &streams, query);
    if !not_shown.is_empty() {
        caption.push(format!(
            "not shown, owed but nothing known delivered: {}",
            not_shown.join(", ")
        ));
    }
    let split = match stack_by {
        StackBy::Commodity => "stacked by commodity",
        StackBy::Payee => "stacked by payee and commodity",
    };
    Ok(ChartSpec {
        kind: ChartKind::Burden,
        title: format!("Deliveries per year: {}", who(corpus, query)),
        subtitle: Some(format!(
            "amounts delivered each year, {lo}–{hi}, {split}; shaded years: owed but not delivered"
        )),
        caption,
        x_axis: Axis {
            title: "year".into(),
            scale: Scale::Year,
            from: Some(Decimal::from(lo)),
            to: Some(Decimal::from(i64::from(hi) + 1)),
        },
        y_axis: Axis {
            title: amount_title("delivered per year", &units),
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
