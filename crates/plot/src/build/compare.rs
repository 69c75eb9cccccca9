//! The comparison chart: a one-time value A against years of an annual value B, both already
//! valued in one numeraire (valuation is the caller's job).
//!
//! The chart draws B's running total as a line rising from zero, A as a level line, their low–high
//! intervals as bands where given, and markers where B's total reaches A and, if asked, at the N
//! years asked about. Both are values, no commodity, so both take the neutral value colour: A is
//! told by its square marks and its band's falling hatching, B by its round marks and rising
//! hatching.
//!
//! What must hold: every figure is computed exactly from the input; the years B needs to reach A
//! are the core's ratio ([`tribute_core::div_round`], low bound down, high bound up, central half
//! to even), printed to no more places than the low–high interval supports (whole years when the
//! meetings are ten or more years apart; `tribute compare` gives four places), and a rounded one
//! says so with `≈` and the rounding in the caption; the x-axis reaches past the latest meeting
//! the chart cites.

use rust_decimal::Decimal;
use tribute_core::{RATIO_PLACES, Rounded, Rounding, div_round};

use super::checked;
use super::color::VALUE;
use crate::error::{PlotError, PlotErrorKind};
use crate::spec::{
    Axis, Band, BandPoint, ChartKind, ChartSpec, Fill, LegendEntry, LegendSwatch, Mark, Marker,
    MarkerKind, Measure, Point, Scale, Series, SeriesStyle, Stroke, Tint,
};
use crate::text::amount_text;

/// What a comparison chart compares, already valued in one numeraire.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompareInput {
    /// What A is (`indemnity demanded in 1126`).
    pub a_label: String,
    /// A's value (central).
    pub a_value: Decimal,
    /// A's low value, if the valuation gives an interval.
    pub a_low: Option<Decimal>,
    /// A's high value, if the valuation gives an interval.
    pub a_high: Option<Decimal>,
    /// What B is (`annual tribute of 1123`).
    pub b_label: String,
    /// B's value per year (central).
    pub b_annual: Decimal,
    /// B's low value per year, if given.
    pub b_low: Option<Decimal>,
    /// B's high value per year, if given.
    pub b_high: Option<Decimal>,
    /// How many years of B to mark (a figure a source gives, say); `None` marks only where B's
    /// running total reaches A.
    pub years: Option<Decimal>,
    /// The unit both are valued in (`tael of silver`, `unit`).
    pub numeraire: String,
    /// Lines for the caption: the price book, the treaties and sources, anything left unpriced.
    pub notes: Vec<String>,
}

fn interval(
    label: &str,
    low: Option<Decimal>,
    value: Decimal,
    high: Option<Decimal>,
) -> Result<Option<(Decimal, Decimal)>, PlotError> {
    let bad = |m: String| Err(PlotError::new(PlotErrorKind::Input, m));
    if value.is_sign_negative() {
        return bad(format!("{label} is negative ({value})"));
    }
    match (low, high) {
        (None, None) => Ok(None),
        (Some(l), Some(h)) if !l.is_sign_negative() && l <= value && value <= h => Ok(Some((l, h))),
        (Some(l), Some(h)) => bad(format!(
            "{label}: the interval {l}–{h} must be at least zero and contain the central value {value}"
        )),
        _ => bad(format!(
            "{label}: give both a low and a high value, or neither"
        )),
    }
}

/// The power of ten of `d` (above zero): `e` with `10^e ≤ d < 10^(e + 1)`, exactly.
fn magnitude(d: Decimal) -> i32 {
    let ten = Decimal::TEN;
    let (mut e, mut p) = (0i32, Decimal::ONE);
    while d >= p * ten && e < 28 {
        p *= ten;
        e += 1;
    }
    while d < p && e > -28 {
        p /= ten;
        e -= 1;
    }
    e
}

/// The decimal places a ratio of years is printed to: as many as the spread of its interval
/// supports (two significant figures of the spread, so a spread of 49.5 years gives whole years),
/// or three significant figures without one; never more than the core's [`RATIO_PLACES`] and
/// never fewer than whole years.
fn places_for(value: Decimal, spread: Option<Decimal>) -> u32 {
    let digits = match spread {
        Some(w) if w > Decimal::ZERO => 1 - magnitude(w),
        Some(_) => RATIO_PLACES as i32,
        None if value > Decimal::ZERO => 2 - magnitude(value),
        None => 0,
    };
    digits.clamp(0, RATIO_PLACES as i32) as u32
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
    let a_range = interval("the value of A", input.a_low, input.a_value, input.a_high)?;
    let b_range = interval(
        "the annual value of B",
        input.b_low,
        input.b_annual,
        input.b_high,
    )?;
    if input.b_annual <= Decimal::ZERO {
        return Err(PlotError::new(
            PlotErrorKind::Input,
            "the annual value of B must be above zero to compare years of it",
        ));
    }
    if let Some(years) = input.years.filter(|y| *y <= Decimal::ZERO) {
        return Err(PlotError::new(
            PlotErrorKind::Input,
            format!("the number of years must be above zero, not {years}"),
        ));
    }
    let n = &input.numeraire;
    let years_asked = input
        .years
        .map(|y| -> Result<(Decimal, Decimal), PlotError> {
            Ok((
                y,
                checked(input.b_annual.checked_mul(y), "B over the years asked")?,
            ))
        })
        .transpose()?;
    // The years B needs to reach A, as the core divides: exact, or rounded as it says; the
    // earliest meeting (A low, B high) and the latest (A high, B low) where intervals are given.
    let div =
        |num: Decimal, den: Decimal, places: u32, how: Rounding| -> Result<Rounded, PlotError> {
            Ok(div_round(num, den, places, how)?)
        };
    let (a_lo, a_hi) = a_range.unwrap_or((input.a_value, input.a_value));
    let (b_lo, b_hi) = b_range.unwrap_or((input.b_annual, input.b_annual));
    let spread_given = a_range.is_some() || b_range.is_some();
    let crossing = div(
        input.a_value,
        input.b_annual,
        RATIO_PLACES,
        Rounding::HalfEven,
    )?;
    let earliest = div(a_lo, b_hi, RATIO_PLACES, Rounding::Down)?;
    let latest = if b_lo.is_zero() {
        None
    } else {
        Some(div(a_hi, b_lo, RATIO_PLACES, Rounding::Up)?)
    };
    // Printed to what the interval supports (as the core rounds, at fewer places).
    let spread = match (spread_given, &latest) {
        (false, _) => None,
        (true, Some(l)) => Some(checked(
            l.value.checked_sub(earliest.value),
            "the spread of the years",
        )?),
        (true, None) => Some(Decimal::ZERO),
    };
    let places = places_for(crossing.value, spread);
    let shown_crossing = div(input.a_value, input.b_annual, places, Rounding::HalfEven)?;
    let mut rounded = !shown_crossing.exact;
    // A tenth more than the latest of the points of interest, so none sits on the edge.
    let mut widest = years_asked.map_or(crossing.value, |(y, _)| y.max(crossing.value));
    if let Some(l) = latest.as_ref().filter(|_| spread_given) {
        widest = widest.max(l.value);
    }
    let x_max = checked(widest.checked_mul(Decimal::new(11, 1)), "the chart's width")?.ceil();
    let b_at = |annual: Decimal| checked(annual.checked_mul(x_max), "B over the chart's years");
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
                    y: b_at(input.b_annual)?,
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
                    y: input.a_value,
                },
                Point {
                    x: x_max,
                    y: input.a_value,
                },
            ],
        },
    ];
    let mut bands = Vec::new();
    if let Some((l, h)) = b_range {
        let points = vec![
            BandPoint {
                x: Decimal::ZERO,
                low: Decimal::ZERO,
                high: Decimal::ZERO,
            },
            BandPoint {
                x: x_max,
                low: b_at(l)?,
                high: b_at(h)?,
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
    let mut reach = format!("{} years", shown(&shown_crossing));
    if spread_given {
        let low = div(a_lo, b_hi, places, Rounding::Down)?;
        let high = match latest {
            None => None,
            Some(_) => Some(div(a_hi, b_lo, places, Rounding::Up)?),
        };
        let exact = low.exact && high.as_ref().is_none_or(|h| h.exact);
        rounded |= !exact;
        let high = high.map_or_else(|| "never".to_string(), |h| amount_text(h.value));
        reach = format!(
            "{reach}; with the low–high values, after {}{}–{high} years",
            if exact { "" } else { "≈" },
            amount_text(low.value)
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
            amount_text(input.a_value)
        ),
    };
    if markers.first().is_some_and(|m| m.x == reach.x) {
        markers[0].label = format!("{}; {}", markers[0].label, reach.label);
    } else {
        markers.push(reach);
        markers.sort_by_key(|m| m.x);
    }
    let mut caption = input.notes.clone();
    if rounded {
        caption.push(format!(
            "years (≈) rounded to {}, as far as the low–high values allow (central half to even, earliest down, latest up); `tribute compare` gives them to {RATIO_PLACES} places",
            places_text(places)
        ));
    }
    let subtitle = match years_asked {
        Some((years, total)) => format!(
            "{} years of {} come to {} {n}; {} is {} {n}",
            amount_text(years),
            input.b_label,
            amount_text(total),
            input.a_label,
            amount_text(input.a_value)
        ),
        None => format!(
            "{} is {} {n}, {} years of {} at {} {n} a year",
            input.a_label,
            amount_text(input.a_value),
            shown(&shown_crossing),
            input.b_label,
            amount_text(input.b_annual)
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
