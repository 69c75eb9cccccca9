//! The comparison chart: a one-time value A against N years of an annual value B, both already
//! valued in one numeraire (valuation is the caller's job).
//!
//! The chart draws B's running total as a line rising from zero, A as a level line, their low–high
//! intervals as bands where given, and markers at the N years asked about and where B's total
//! reaches A. What must hold: every figure is computed exactly from the input; the one rounded
//! number (the year B reaches A, when it is not whole) says so with `≈` and how it was rounded.

use rust_decimal::{Decimal, RoundingStrategy};

use super::{PALETTE, checked};
use crate::error::{PlotError, PlotErrorKind};
use crate::spec::{
    Axis, Band, BandPoint, ChartKind, ChartSpec, Marker, MarkerKind, Measure, Point, Scale, Series,
    SeriesStyle,
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
    /// How many years of B to compare with A.
    pub years: Decimal,
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
    if input.years <= Decimal::ZERO {
        return Err(PlotError::new(
            PlotErrorKind::Input,
            format!(
                "the number of years must be above zero, not {}",
                input.years
            ),
        ));
    }
    let b_total = checked(
        input.b_annual.checked_mul(input.years),
        "B over the years asked",
    )?;
    let crossing = checked(
        input.a_value.checked_div(input.b_annual),
        "the years B needs to reach A",
    )?;
    let crossing_shown = crossing
        .round_dp_with_strategy(1, RoundingStrategy::MidpointNearestEven)
        .normalize();
    let exact = crossing_shown == crossing.normalize();
    // A tenth more than the later of the two points of interest, so neither sits on the edge.
    let widest = input.years.max(crossing);
    let x_max = checked(widest.checked_mul(Decimal::new(11, 1)), "the chart's width")?.ceil();
    let b_at = |annual: Decimal| checked(annual.checked_mul(x_max), "B over the chart's years");
    let n = &input.numeraire;
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
            color: PALETTE[0].into(),
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
            color: PALETTE[1].into(),
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
            color: PALETTE[0].into(),
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
            color: PALETTE[1].into(),
            points,
        });
    }
    let years_text = amount_text(input.years);
    let mut markers = vec![Marker {
        x: input.years,
        kind: MarkerKind::Note,
        label: format!(
            "{years_text} years of {}: {} {n}",
            input.b_label,
            amount_text(b_total)
        ),
    }];
    let mut reach = if exact {
        format!("{} years", amount_text(crossing_shown))
    } else {
        format!(
            "≈{} years (rounded to 0.1, half to even)",
            amount_text(crossing_shown)
        )
    };
    // With intervals: from the earliest meeting (A low, B high) to the latest (A high, B low).
    let (a_lo, a_hi) = a_range.unwrap_or((input.a_value, input.a_value));
    let (b_lo, b_hi) = b_range.unwrap_or((input.b_annual, input.b_annual));
    if a_range.is_some() || b_range.is_some() {
        let round = |d: Decimal| {
            amount_text(d.round_dp_with_strategy(1, RoundingStrategy::MidpointNearestEven))
        };
        let earliest = checked(a_lo.checked_div(b_hi), "the earliest year B reaches A")?;
        let latest = if b_lo.is_zero() {
            "never".to_string()
        } else {
            round(checked(
                a_hi.checked_div(b_lo),
                "the latest year B reaches A",
            )?)
        };
        reach = format!(
            "{reach}; with the low–high values, after {}–{latest} years",
            round(earliest)
        );
    }
    let reach = Marker {
        x: crossing_shown,
        kind: MarkerKind::Note,
        label: format!(
            "{} reaches {} ({} {n}) after {reach}",
            input.b_label,
            input.a_label,
            amount_text(input.a_value)
        ),
    };
    if reach.x == markers[0].x {
        markers[0].label = format!("{}; {}", markers[0].label, reach.label);
    } else {
        markers.push(reach);
        markers.sort_by_key(|m| m.x);
    }
    Ok(ChartSpec {
        kind: ChartKind::Compare,
        title: capitalised(&format!(
            "{} against years of {}",
            input.a_label, input.b_label
        )),
        subtitle: Some(format!(
            "{years_text} years of {} come to {} {n}; {} is {} {n}",
            input.b_label,
            amount_text(b_total),
            input.a_label,
            amount_text(input.a_value)
        )),
        caption: input.notes.clone(),
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
    })
}
