//! The comparison chart: a one-time value A against years of an annual value B, both already
//! valued in one numeraire (valuation is the caller's job).
//!
//! The chart draws B's running total as a line rising from zero, A as a level line, their low–high
//! intervals as bands where given, and markers where B's total reaches A and, if asked, at the N
//! years asked about. Both are values, no commodity, so both take the neutral value colour: A is
//! told by its square marks and its band's falling hatching, B by its round marks and rising
//! hatching.
//!
//! What must hold: every figure comes from the core's [`CompareChartData`] (the years B needs
//! to reach A, as `tribute compare` divides, and to the places the low–high interval supports; B
//! over the years asked); a rounded one says so with `≈` and the rounding in the caption; this
//! module computes only geometry: the x-axis reaches a tenth past the latest meeting the chart
//! cites, and B's line and band end where the axis does.

use rust_decimal::Decimal;
use tribute_core::report::CompareChartData;
use tribute_core::{RATIO_PLACES, Rounded};

use super::checked;
use super::color::VALUE;
use crate::error::PlotError;
use crate::spec::{
    Axis, Band, BandPoint, ChartKind, ChartSpec, Fill, LegendEntry, LegendSwatch, Mark, Marker,
    MarkerKind, Measure, Point, Scale, Series, SeriesStyle, Stroke, Tint,
};
use crate::text::amount_text;

/// What a comparison chart compares: the core's figures, already valued in one numeraire, and
/// the words for them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompareInput {
    /// What A is (`indemnity demanded in 1126`).
    pub a_label: String,
    /// What B is (`annual tribute of 1123`).
    pub b_label: String,
    /// The unit both are valued in (`tael of silver`, `unit`).
    pub numeraire: String,
    /// Lines for the caption: the price book, the treaties and sources, anything left unpriced.
    pub notes: Vec<String>,
    /// A's value, B's value a year, the years B needs to reach A and B over the years asked,
    /// computed by the core ([`CompareChartData::new`] or [`CompareChartData::of_priced`]).
    pub figures: CompareChartData,
}

/// `whole years`, `tenths of a year`, `2 decimal places`.
fn places_text(places: u32) -> String {
    match places {
        0 => "whole years".into(),
        1 => "tenths of a year".into(),
        p => format!("{p} decimal places"),
    }
}

fn capitalised(s: &str) -> String {
    let mut chars = s.chars();
    chars
        .next()
        .map_or_else(String::new, |c| c.to_uppercase().chain(chars).collect())
}

/// The comparison chart of `input`.
pub fn compare(input: &CompareInput) -> Result<ChartSpec, PlotError> {
    let f = &input.figures;
    let spread = |v: &tribute_core::Interval| (!v.is_point()).then_some((v.low, v.high));
    let (a_range, b_range) = (spread(&f.a), spread(&f.b));
    let (a_value, b_annual) = (f.a.central, f.b.central);
    let n = &input.numeraire;
    let years_asked = f.asked.map(|y| (y.years, y.value));
    let crossing = f.years.central;
    let latest = f.years.range.and_then(|r| r.latest);
    // A tenth more than the latest of the points of interest, so none sits on the edge.
    let mut widest = years_asked.map_or(crossing.value, |(y, _)| y.max(crossing.value));
    if let Some(l) = latest {
        widest = widest.max(l.value);
    }
    let x_max = checked(widest.checked_mul(Decimal::new(11, 1)), "the chart's width")?.ceil();
    // B's running total where the axis ends, low to high: the core's interval scaled by the years.
    let b_end = f.b.scaled(x_max)?;
    let b_name = format!("{}, running total ({n})", input.b_label);
    let a_name = format!("{} ({n})", input.a_label);
    let series = vec![
        Series {
            name: b_name.clone(),
            commodity: None,
            unit: Some(n.clone()),
            group: None,
            measure: Measure::Value,
            style: SeriesStyle::Line,
            stack: None,
            panel: None,
            color: VALUE.into(),
            fill: Fill::Solid,
            tint: Tint::Full,
            mark: Some(Mark::Circle),
            points: vec![
                Point {
                    x: Decimal::ZERO,
                    y: Decimal::ZERO,
                },
                Point {
                    x: x_max,
                    y: b_end.central,
                },
            ],
        },
        Series {
            name: a_name.clone(),
            commodity: None,
            unit: Some(n.clone()),
            group: None,
            measure: Measure::Value,
            style: SeriesStyle::Line,
            stack: None,
            panel: None,
            color: VALUE.into(),
            fill: Fill::Solid,
            tint: Tint::Full,
            mark: Some(Mark::Square),
            points: vec![
                Point {
                    x: Decimal::ZERO,
                    y: a_value,
                },
                Point {
                    x: x_max,
                    y: a_value,
                },
            ],
        },
    ];
    let mut bands = Vec::new();
    if b_range.is_some() {
        let points = vec![
            BandPoint {
                x: Decimal::ZERO,
                low: Decimal::ZERO,
                high: Decimal::ZERO,
            },
            BandPoint {
                x: x_max,
                low: b_end.low,
                high: b_end.high,
            },
        ];
        bands.push(Band {
            name: format!("{}: low–high", input.b_label),
            panel: None,
            color: VALUE.into(),
            fill: Fill::Hatched,
            points,
        });
    }
    if let Some((l, h)) = a_range {
        let points = vec![
            BandPoint {
                x: Decimal::ZERO,
                low: l,
                high: h,
            },
            BandPoint {
                x: x_max,
                low: l,
                high: h,
            },
        ];
        bands.push(Band {
            name: format!("{}: low–high", input.a_label),
            panel: None,
            color: VALUE.into(),
            fill: Fill::BackHatched,
            points,
        });
    }
    let shown = |r: &Rounded| {
        if r.exact {
            amount_text(r.value)
        } else {
            format!("≈{}", amount_text(r.value))
        }
    };
    let mut markers = Vec::new();
    if let Some((years, total)) = years_asked {
        markers.push(Marker {
            x: years,
            kind: MarkerKind::Note,
            short: None,
            label: format!(
                "{} years of {}: {} {n}",
                amount_text(years),
                input.b_label,
                amount_text(total)
            ),
        });
    }
    let shown_crossing = f.shown.central;
    let mut reach = format!("{} years", shown(&shown_crossing));
    if let Some(r) = f.shown.range {
        let exact = r.earliest.exact && r.latest.is_none_or(|h| h.exact);
        let high = r
            .latest
            .map_or_else(|| "never".to_string(), |h| amount_text(h.value));
        reach = format!(
            "{reach}; with the low–high values, after {}{}–{high} years",
            if exact { "" } else { "≈" },
            amount_text(r.earliest.value)
        );
    }
    let reach = Marker {
        x: crossing.value,
        kind: MarkerKind::Note,
        short: None,
        label: format!(
            "{} reaches {} ({} {n}) after {reach}",
            input.b_label,
            input.a_label,
            amount_text(a_value)
        ),
    };
    if markers.first().is_some_and(|m| m.x == reach.x) {
        markers[0].label = format!("{}; {}", markers[0].label, reach.label);
    } else {
        markers.push(reach);
        markers.sort_by_key(|m| m.x);
    }
    let mut caption = input.notes.clone();
    if !f.shown.exact() {
        caption.push(format!(
            "years (≈) rounded to {}, as far as the low–high values allow (central half to even, earliest down, latest up); `tribute compare` gives them to {RATIO_PLACES} places",
            places_text(f.places)
        ));
    }
    let subtitle = match years_asked {
        Some((years, total)) => format!(
            "{} years of {} come to {} {n}; {} is {} {n}",
            amount_text(years),
            input.b_label,
            amount_text(total),
            input.a_label,
            amount_text(a_value)
        ),
        None => format!(
            "{} is {} {n}, {} years of {} at {} {n} a year",
            input.a_label,
            amount_text(a_value),
            shown(&shown_crossing),
            input.b_label,
            amount_text(b_annual)
        ),
    };
    let line = |mark| LegendSwatch::Line {
        color: VALUE.into(),
        stroke: Stroke::Solid,
        mark: Some(mark),
    };
    // A and B, as the caption's notes call them; each band next to its line.
    let band = |fill: Fill, text: &str| LegendEntry {
        swatch: LegendSwatch::Band {
            color: VALUE.into(),
            fill,
        },
        text: text.into(),
    };
    let mut legend = vec![LegendEntry {
        swatch: line(Mark::Circle),
        text: format!("B: {b_name}"),
    }];
    if b_range.is_some() {
        legend.push(band(Fill::Hatched, "B: low–high"));
    }
    legend.push(LegendEntry {
        swatch: line(Mark::Square),
        text: format!("A: {a_name}"),
    });
    if a_range.is_some() {
        legend.push(band(Fill::BackHatched, "A: low–high"));
    }
    Ok(ChartSpec {
        kind: ChartKind::Compare,
        title: capitalised(&format!(
            "{} against years of {}",
            input.a_label, input.b_label
        )),
        subtitle: Some(subtitle),
        caption,
        x_axis: Axis {
            title: format!("years of {}", input.b_label),
            scale: Scale::Count,
            from: Some(Decimal::ZERO),
            to: Some(x_max),
        },
        y_axis: Axis {
            title: format!("value ({n})"),
            scale: Scale::Amount,
            from: Some(Decimal::ZERO),
            to: None,
        },
        series,
        bands,
        shaded_ranges: Vec::new(),
        markers,
        bars: Vec::new(),
        panels: Vec::new(),
        cut_bars: Vec::new(),
        legend,
    })
}
