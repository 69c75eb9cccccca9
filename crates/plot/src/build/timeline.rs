//! The timeline: one bar per payment stream, from the first to the last year anything falls due,
//! split into years recorded (a delivery record), assumed paid (owed, as the file assumes, with
//! no record), suspended (arrears accruing, or the obligation lapsed), of unknown delivery or
//! withheld (arrears accruing), with amendments and recorded deliveries marked on the bar.
//!
//! What must hold: no year assumed paid is drawn as a record (full colour is for years a delivery
//! record covers, pale for years assumed paid); a bar's segments cover its years exactly once, in
//! order; a stream cut by an
//! amendment ends the year before the amendment takes effect, and the amendment is marked; bars
//! are ordered by first year, then treaty and obligation, so the chart reads top to bottom in time.
//! Colour means a commodity here as on every chart: a bar has a stripe in the colour of each
//! commodity the stream pays; payees are told apart by a mark beside the row's label.

use std::collections::BTreeSet;

use rust_decimal::Decimal;
use tribute_core::{
    ActionKind, ArrearsRule, CommodityId, Corpus, DeliveryMode, Query, Resolved, Stream, Year,
};

use super::color::{self, group_entries};
use super::{basket_text, caption, commodity_entries, markers, payee_of, select, stream_name, who};
use crate::error::PlotError;
use crate::spec::{
    Axis, Bar, BarMark, ChartKind, ChartSpec, Fill, LegendSwatch, Scale, Segment, SegmentKind,
    Stripe, Tint,
};

/// The commodities a stream pays anything of, in the registry's order.
fn commodities_of(stream: &Stream) -> BTreeSet<CommodityId> {
    stream
        .pieces
        .iter()
        .flat_map(|p| p.amounts.iter())
        .filter(|(_, a)| !a.is_zero())
        .map(|(c, _)| c)
        .collect()
}

/// What is known of one year of a stream: a record, an assumption, a suspension (accruing arrears
/// or lapsed), unknown, or withheld.
fn year_kind(stream: &Stream, year: Year) -> SegmentKind {
    let recorded = stream
        .deliveries
        .iter()
        .any(|d| d.year == year && !d.amounts.is_empty());
    if recorded {
        return SegmentKind::Recorded;
    }
    let covering: Vec<_> = stream
        .suspended
        .iter()
        .filter(|x| x.from <= year && year <= x.to)
        .collect();
    if !covering.is_empty() {
        // Arrears accrue unless every suspension of the year says the obligation lapsed.
        return if covering.iter().all(|x| x.arrears == ArrearsRule::Lapse) {
            SegmentKind::SuspendedLapsed
        } else {
            SegmentKind::Suspended
        };
    }
    match stream.delivery {
        DeliveryMode::AsOwed => SegmentKind::Assumed,
        DeliveryMode::Unknown => SegmentKind::DeliveryUnknown,
        DeliveryMode::None => SegmentKind::NotDelivered,
    }
}

/// The years `from..=to` of a stream, split by what is known of them, in order.
fn segments(stream: &Stream, from: Year, to: Year) -> Vec<Segment> {
    let mut out: Vec<Segment> = Vec::new();
    for year in from..=to {
        let kind = year_kind(stream, year);
        match out.last_mut() {
            Some(last) if last.kind == kind => last.to = year,
            _ => out.push(Segment {
                from: year,
                to: year,
                kind,
            }),
        }
    }
    out
}

/// The timeline of the streams `query` selects.
pub fn timeline(
    corpus: &Corpus,
    resolved: &Resolved,
    query: &Query,
) -> Result<ChartSpec, PlotError> {
    let mut streams = select(corpus, resolved, query)?;
    let reg = &corpus.registry;
    streams.sort_by_key(|s| {
        (
            s.span().map_or(Year::MAX, |x| x.0),
            s.treaty.clone(),
            s.obligation.clone(),
        )
    });
    // Payees in order of their first stream, each with its mark.
    let mut payees: Vec<String> = Vec::new();
    for s in &streams {
        let p = payee_of(corpus, query, s);
        if !payees.contains(&p) {
            payees.push(p);
        }
    }
    let several = payees.len() > 1;
    let mut all_commodities = BTreeSet::new();
    let qlo = query.from.unwrap_or(Year::MIN);
    let qhi = query.to.unwrap_or(Year::MAX);
    let (mut lo, mut hi) = (Year::MAX, Year::MIN);
    let mut bars = Vec::new();
    for s in &streams {
        let Some((first, last)) = s.span() else {
            continue;
        };
        let (from, to) = (first.max(qlo), last.min(qhi));
        lo = lo.min(from);
        hi = hi.max(to);
        let payee = payee_of(corpus, query, s);
        let mut marks = Vec::new();
        for a in &s.amendments {
            let by = corpus
                .treaties
                .get(a.treaty.as_str())
                .map_or(a.treaty.as_str(), |t| t.name.as_str());
            let label = match (&a.change, a.action) {
                (Some(change), _) => format!(
                    "each payment changed by {by}: {}",
                    basket_text(reg, change, true)
                ),
                (None, ActionKind::Supersede) => format!("superseded by {by}"),
                (None, ActionKind::End) => format!("ended by {by}"),
                (None, ActionKind::Adjust) => format!("adjusted by {by}"),
                (None, ActionKind::WriteOff) => format!("arrears written off by {by}"),
                (None, ActionKind::Reschedule) => format!("arrears rescheduled by {by}"),
                (None, ActionKind::Reduce) => format!("arrears reduced by {by}"),
            };
            marks.push(BarMark {
                year: a.from,
                label,
            });
        }
        for d in &s.deliveries {
            marks.push(BarMark {
                year: d.year,
                label: format!(
                    "delivery recorded by {}: {}",
                    d.by,
                    basket_text(reg, &d.amounts, false)
                ),
            });
        }
        marks.retain(|m| (qlo..=qhi.saturating_add(1)).contains(&m.year));
        marks.sort_by(|a, b| (a.year, &a.label).cmp(&(b.year, &b.label)));
        let commodities = commodities_of(s);
        all_commodities.extend(commodities.iter().copied());
        let k = payees.iter().position(|p| *p == payee).unwrap_or(0);
        bars.push(Bar {
            label: format!("{} ({})", stream_name(corpus, s), s.label),
            stream: s.key(),
            mark: several.then(|| color::mark(k)),
            stripes: commodities
                .iter()
                .map(|&c| Stripe {
                    commodity: reg.commodity(c).id.clone(),
                    color: color::commodity(reg, c),
                })
                .collect(),
            group: payee,
            from,
            to,
            segments: segments(s, from, to),
            marks,
        });
    }
    // The axis runs on to the last mark (a stream cut by an amendment ends the year before it).
    let end = bars
        .iter()
        .flat_map(|b| b.marks.iter().map(|m| m.year))
        .fold(hi, Year::max);
    let mut legend = commodity_entries(
        reg,
        &all_commodities,
        |color| LegendSwatch::Fill {
            color,
            fill: Fill::Solid,
            tint: Tint::Full,
        },
        false,
    );
    if several {
        let to: Vec<String> = payees.iter().map(|p| format!("to {p}")).collect();
        legend.extend(group_entries(to.iter().map(String::as_str)));
    }
    Ok(ChartSpec {
        kind: ChartKind::Timeline,
        title: format!("Payment streams: {}", who(corpus, query)),
        subtitle: Some(format!(
            "one bar per obligation, {lo}–{hi}; a stripe per commodity, full colour recorded, pale assumed paid"
        )),
        caption: caption(corpus, resolved, &streams, query),
        x_axis: Axis {
            title: "year".into(),
            scale: Scale::Year,
            from: Some(Decimal::from(lo)),
            to: Some(Decimal::from(i64::from(end) + 1)),
        },
        y_axis: Axis {
            title: "obligation".into(),
            scale: Scale::Category,
            from: None,
            to: None,
        },
        series: Vec::new(),
        bands: Vec::new(),
        shaded_ranges: Vec::new(),
        markers: markers(corpus, &streams, lo, end),
        bars,
        panels: Vec::new(),
        cut_bars: Vec::new(),
        legend,
    })
}
