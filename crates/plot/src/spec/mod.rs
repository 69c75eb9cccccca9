//! The chart spec: everything a chart shows, as plain data, before any drawing.
//!
//! A [`ChartSpec`] is what the builders make from reports and what the renderer draws; it is
//! deterministic, serialisable and snapshot-tested as text. What must always hold:
//! - values stay exact [`Decimal`]s here; only the renderer turns them into floats;
//! - a series holds one commodity (or one valued quantity): commodities are never added into one
//!   number, and a series' `name` carries its unit;
//! - one y axis, one unit: the series of a panel (or of a chart without panels) share their unit;
//! - colour means a commodity, on every chart: a commodity's colour is the same wherever it is
//!   drawn, values in a numeraire take a neutral colour, and groups (payees, treaties) are told
//!   apart by a second channel (a [`Mark`] on lines and rows, a [`Fill`] pattern on bars), said in
//!   the legend;
//! - bars pile up only within a stack, and a stack holds one commodity in one unit, or values in
//!   one numeraire ([`ChartSpec::check`]); different stacks stand side by side within their year;
//! - on a [`Scale::Year`] axis a year `y` covers `[y, y + 1)`: a bar for `y` spans it, a marker at `y`
//!   stands at its start, and a cumulative value (a line) for `y` is drawn at its end, `y + 1`;
//! - line series keep only their breakpoints: between two consecutive points the value changes by
//!   the same amount every year (it is linear), so the drawn line equals the year-by-year line;
//! - everything is sorted the same way on every run, so the text form is byte-stable.

use rust_decimal::Decimal;
use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};
use tribute_core::Year;

use crate::error::{PlotError, PlotErrorKind};

mod style;
mod timeline;

pub use style::{Fill, LegendEntry, LegendSwatch, Mark, Stroke, Tint};
pub use timeline::{Bar, BarMark, Segment, SegmentKind, Stripe};

/// Which chart a spec describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ChartKind {
    /// Amounts paid each year, recorded and assumed apart: one bar per commodity, side by side,
    /// or values stacked.
    Burden,
    /// Cumulative amounts recorded, recorded and assumed, and owed.
    Cumulative,
    /// One bar per payment stream.
    Timeline,
    /// One quantity against years of another.
    Compare,
}

impl ChartKind {
    /// The name used on the command line and in snapshot names.
    pub fn as_str(self) -> &'static str {
        match self {
            ChartKind::Burden => "burden",
            ChartKind::Cumulative => "cumulative",
            ChartKind::Timeline => "timeline",
            ChartKind::Compare => "compare",
        }
    }
}

/// What the numbers along an axis are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Scale {
    /// Years CE, printed as plain integers (1142).
    Year,
    /// Amounts (in a commodity's unit or a numeraire), printed with thousands separators.
    Amount,
    /// A count that may be fractional (years of a payment), printed plainly.
    Count,
    /// One row per bar (the timeline); the bars carry the labels.
    Category,
}

/// An axis: its title and, where the builder fixes it, its range.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Axis {
    /// The title, naming the unit or numeraire.
    pub title: String,
    /// What the numbers are.
    pub scale: Scale,
    /// The lowest value shown, if fixed (else from the data).
    #[serde(serialize_with = "opt_decimal")]
    pub from: Option<Decimal>,
    /// The highest value shown, if fixed (else from the data).
    #[serde(serialize_with = "opt_decimal")]
    pub to: Option<Decimal>,
}

/// What a series measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Measure {
    /// Amounts a delivery record (with its source) says were handed over.
    Recorded,
    /// Amounts assumed paid: owed, and taken as paid as the treaty file assumes, with no record.
    Assumed,
    /// Recorded and assumed together (a running total drawn apart from the recorded one, never
    /// as "delivered" alone).
    RecordedAndAssumed,
    /// Amounts falling due, whether delivered or not.
    Owed,
    /// A valued quantity in a numeraire.
    Value,
    /// The value of amounts recorded, in a price book's numeraire.
    RecordedValue,
    /// The value of amounts assumed paid, in a price book's numeraire.
    AssumedValue,
    /// The value of amounts recorded and assumed together, in a price book's numeraire.
    RecordedAndAssumedValue,
    /// The value of amounts falling due, in a price book's numeraire.
    OwedValue,
}

impl Measure {
    /// True for values in a numeraire (which may be added across commodities), false for
    /// amounts of one commodity.
    pub fn is_value(self) -> bool {
        matches!(
            self,
            Measure::Value
                | Measure::RecordedValue
                | Measure::AssumedValue
                | Measure::RecordedAndAssumedValue
                | Measure::OwedValue
        )
    }

    /// True for what rests on an assumption rather than a record (assumed, or recorded and
    /// assumed together): what a chart must never show as a record.
    pub fn rests_on_assumption(self) -> bool {
        matches!(
            self,
            Measure::Assumed
                | Measure::RecordedAndAssumed
                | Measure::AssumedValue
                | Measure::RecordedAndAssumedValue
        )
    }

    /// True for what fell due (drawn dashed), false for what was paid or a value.
    pub fn is_owed(self) -> bool {
        matches!(self, Measure::Owed | Measure::OwedValue)
    }
}

/// How a series is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SeriesStyle {
    /// One bar per point, piled on the series before it that share its `stack` (in the spec's
    /// order); the stacks of one year stand side by side within it.
    Bar,
    /// A solid line through the points.
    Line,
    /// A dashed line through the points (what was owed).
    DashedLine,
    /// A dotted line through the points (a running total resting on assumptions).
    DottedLine,
}

/// A point of a series: `y` at `x`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Point {
    /// Position along the x-axis (a year, or a count of years).
    pub x: Decimal,
    /// The value.
    pub y: Decimal,
}

/// One series: one commodity (or valued quantity) of one group, measured one way.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Series {
    /// What it is, with its unit (`silver (tael)`, `Song → Jin: silk (bolt)`).
    pub name: String,
    /// The commodity's id, if the series holds one commodity.
    pub commodity: Option<String>,
    /// The unit of the values (a commodity's unit or a numeraire).
    pub unit: Option<String>,
    /// The group (a payee, or `payer → payee`), if the chart has several.
    pub group: Option<String>,
    /// What the values measure.
    pub measure: Measure,
    /// How it is drawn.
    pub style: SeriesStyle,
    /// For bars, the stack it piles onto: series of one commodity and unit, or values in one
    /// numeraire, share a stack; anything else stands beside it. `None` for lines.
    pub stack: Option<String>,
    /// The panel it is drawn in (a [`Panel::id`]); `None` on a chart without panels.
    pub panel: Option<String>,
    /// Colour as `#rrggbb`: its commodity's, or the neutral colour of values.
    pub color: String,
    /// How its bars are filled: the pattern of its group where bars of several groups pile up.
    pub fill: Fill,
    /// How strong its colour is: full for what is recorded, pale for what is assumed paid.
    pub tint: Tint,
    /// The mark of its group, drawn along a line; `None` if the chart has one group.
    pub mark: Option<Mark>,
    /// The points, sorted by `x`, each `x` once; written as `x: y`.
    #[serde(serialize_with = "points_map")]
    pub points: Vec<Point>,
}

impl Series {
    /// The value at `x` if a point is there.
    pub fn value_at(&self, x: Decimal) -> Option<Decimal> {
        self.points.iter().find(|p| p.x == x).map(|p| p.y)
    }

    /// The value of a line at `x`, exactly: a point's value, or the linear value between the two
    /// breakpoints around `x`. `None` outside the points, or if the division is not exact.
    pub fn line_value_at(&self, x: Decimal) -> Option<Decimal> {
        if let Some(y) = self.value_at(x) {
            return Some(y);
        }
        let after = self.points.iter().position(|p| p.x > x)?;
        let (a, b) = (self.points.get(after.checked_sub(1)?)?, &self.points[after]);
        let slope = (b.y.checked_sub(a.y)?).checked_div(b.x.checked_sub(a.x)?)?;
        a.y.checked_add(slope.checked_mul(x.checked_sub(a.x)?)?)
    }
}

/// A point of a band: the range `low..=high` at `x`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct BandPoint {
    /// Position along the x-axis.
    #[serde(serialize_with = "decimal")]
    pub x: Decimal,
    /// The low end.
    #[serde(serialize_with = "decimal")]
    pub low: Decimal,
    /// The high end.
    #[serde(serialize_with = "decimal")]
    pub high: Decimal,
}

/// A low–high range drawn as a shaded band (a valuation's interval); linear between points.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Band {
    /// What it is.
    pub name: String,
    /// The panel it is drawn in; `None` on a chart without panels.
    pub panel: Option<String>,
    /// Colour as `#rrggbb` (a solid fill is drawn translucent).
    pub color: String,
    /// How it is filled.
    pub fill: Fill,
    /// The points, sorted by `x`.
    pub points: Vec<BandPoint>,
}

/// Why a range of years is shaded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ShadeKind {
    /// Owed but suspended: nothing delivered (a war).
    Suspended,
    /// Owed, but whether it was delivered is not known.
    DeliveryUnknown,
    /// Owed and recorded as not delivered.
    NotDelivered,
}

impl ShadeKind {
    /// A short name, for the key.
    pub fn as_str(self) -> &'static str {
        match self {
            ShadeKind::Suspended => "suspended",
            ShadeKind::DeliveryUnknown => "delivery unknown",
            ShadeKind::NotDelivered => "not delivered",
        }
    }

    /// The legend text.
    pub fn legend(self) -> &'static str {
        match self {
            ShadeKind::Suspended => "suspended, owed but not delivered",
            ShadeKind::DeliveryUnknown => "delivery unknown",
            ShadeKind::NotDelivered => "owed, recorded as not delivered",
        }
    }
}

/// Years shaded across the plot, inclusive at both ends.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct ShadedRange {
    /// First year.
    pub from: Year,
    /// Last year.
    pub to: Year,
    /// Why.
    pub kind: ShadeKind,
    /// What records it (`treaty/suspension` or the stream), for people.
    pub by: String,
    /// For people: the reason for a suspension, else the stream (`treaty name · obligation`).
    pub label: String,
}

/// What a marker marks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum MarkerKind {
    /// A treaty's stream begins (the label may also name changes it makes).
    Start,
    /// An amendment changes an earlier stream's amounts.
    Change,
    /// A stream ends (by amendment or by its own terms).
    End,
    /// A point of note (where two quantities meet, the years asked for).
    Note,
}

/// A vertical line at `x` with a label, numbered in the picture and explained in a key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Marker {
    /// Position along the x-axis.
    #[serde(serialize_with = "decimal")]
    pub x: Decimal,
    /// What it marks.
    pub kind: MarkerKind,
    /// The text of its key entry.
    pub label: String,
    /// A shorter key entry for a small picture (the treaty's name alone), if there is one.
    pub short: Option<String>,
}

/// A chart as data: what to draw, never how many pixels.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChartSpec {
    /// Which chart.
    pub kind: ChartKind,
    /// The title.
    pub title: String,
    /// One line under the title: what is measured, over which years.
    pub subtitle: Option<String>,
    /// Lines under the chart naming treaties, readings, sources, price book, and anything not shown.
    pub caption: Vec<String>,
    /// The x-axis.
    pub x_axis: Axis,
    /// The y-axis; its title names the unit, or says each commodity keeps its own.
    pub y_axis: Axis,
    /// The series, in drawing (and stacking) order.
    pub series: Vec<Series>,
    /// Low–high bands, drawn under the series.
    pub bands: Vec<Band>,
    /// Shaded year ranges (suspensions, unknown deliveries), sorted.
    pub shaded_ranges: Vec<ShadedRange>,
    /// Vertical markers, sorted by `x`.
    pub markers: Vec<Marker>,
    /// Timeline bars, top to bottom.
    pub bars: Vec<Bar>,
    /// Panels, top to bottom, sharing the x-axis: each draws its series against a y-axis of its
    /// own, in one unit. Empty: one plot holds everything, against `y_axis`.
    pub panels: Vec<Panel>,
    /// Bars cut at the top of their axis (a one-off payment that would flatten the yearly
    /// flow), each labelled with its full height.
    pub cut_bars: Vec<CutBar>,
    /// What each colour, fill, line and mark of the data stands for, in order. The renderer adds
    /// the entries for shaded years, timeline segments and marks, numbered lines and cut bars.
    pub legend: Vec<LegendEntry>,
}

/// A plot of its own, with its own y-axis in one unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Panel {
    /// What the series and bands drawn in it name as their `panel`.
    pub id: String,
    /// The title of its y-axis, naming the unit.
    pub title: String,
    /// The unit of its axis: the title where the full one does not fit a low panel.
    pub unit: String,
    /// The top of its y-axis, if fixed (bars above it are cut, see [`ChartSpec::cut_bars`]).
    #[serde(serialize_with = "opt_decimal")]
    pub to: Option<Decimal>,
}

/// A bar cut at the top of its axis, and the label that gives its full height.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CutBar {
    /// The panel it stands in; `None` on a chart without panels.
    pub panel: Option<String>,
    /// Its year.
    #[serde(serialize_with = "decimal")]
    pub x: Decimal,
    /// Its full height, as printed beside it (`3,300,000`).
    pub label: String,
}

impl ChartSpec {
    /// Checks what every picture must respect before it is drawn: bars pile up only within a
    /// stack, and a stack holds one commodity in one unit, or values in one numeraire (amounts of
    /// different commodities are never added, not even by the height of a bar); every series and
    /// band is drawn in a panel of the chart; and the series of one axis share one unit.
    pub fn check(&self) -> Result<(), PlotError> {
        let bars = self.series.iter().filter(|s| s.style == SeriesStyle::Bar);
        let mut stacks: Vec<(&str, &Series)> = Vec::new();
        for s in bars {
            let Some(stack) = s.stack.as_deref() else {
                return Err(PlotError::new(
                    PlotErrorKind::Input,
                    format!("the bars of `{}` belong to no stack", s.name),
                ));
            };
            let Some(&(_, first)) = stacks.iter().find(|(k, _)| *k == stack) else {
                stacks.push((stack, s));
                continue;
            };
            let valued = |x: &Series| x.measure.is_value();
            let same = first.unit == s.unit
                && ((valued(first) && valued(s)) || first.commodity == s.commodity);
            if !same {
                let what = |x: &Series| match (valued(x), &x.unit) {
                    (true, Some(u)) => format!("values in {u}"),
                    _ => format!(
                        "{} ({})",
                        x.commodity.as_deref().unwrap_or("?"),
                        x.unit.as_deref().unwrap_or("?")
                    ),
                };
                return Err(PlotError::new(
                    PlotErrorKind::Input,
                    format!(
                        "`{}` and `{}` cannot be stacked in `{stack}`: {} and {} are different quantities, which are never added",
                        first.name,
                        s.name,
                        what(first),
                        what(s)
                    ),
                ));
            }
        }
        let in_panel = |panel: &Option<String>| match panel {
            None => self.panels.is_empty(),
            Some(id) => self.panels.iter().any(|p| &p.id == id),
        };
        let strays = self.series.iter().filter(|s| !in_panel(&s.panel));
        let strays = strays.map(|s| &s.name).chain(
            self.bands
                .iter()
                .filter(|b| !in_panel(&b.panel))
                .map(|b| &b.name),
        );
        if let Some(name) = strays.into_iter().next() {
            return Err(PlotError::new(
                PlotErrorKind::Input,
                format!("`{name}` belongs to no panel of the chart"),
            ));
        }
        // One axis, one unit: amounts in two units never share a scale.
        let mut units: Vec<(&Option<String>, &Series)> = Vec::new();
        for s in &self.series {
            match units.iter().find(|(p, _)| *p == &s.panel) {
                None => units.push((&s.panel, s)),
                Some((_, first)) if first.unit != s.unit => {
                    let unit = |x: &Series| x.unit.clone().unwrap_or_else(|| "?".into());
                    return Err(PlotError::new(
                        PlotErrorKind::Input,
                        format!(
                            "`{}` ({}) and `{}` ({}) cannot share an axis: amounts in different units are never drawn on one scale",
                            first.name,
                            unit(first),
                            s.name,
                            unit(s)
                        ),
                    ));
                }
                Some(_) => {}
            }
        }
        Ok(())
    }
}

/// The text of an exact decimal, without trailing zeros (`250000`, `2.5`).
pub(crate) fn decimal_text(d: Decimal) -> String {
    d.normalize().to_string()
}

fn decimal<S: Serializer>(d: &Decimal, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&decimal_text(*d))
}

fn opt_decimal<S: Serializer>(d: &Option<Decimal>, s: S) -> Result<S::Ok, S::Error> {
    match d {
        Some(d) => s.serialize_some(&decimal_text(*d)),
        None => s.serialize_none(),
    }
}

/// A map from `x` to `y`: a whole `x` as an integer key (a year), any other as its decimal text.
fn points_map<S: Serializer>(points: &[Point], s: S) -> Result<S::Ok, S::Error> {
    let mut map = s.serialize_map(Some(points.len()))?;
    for p in points {
        let key = p.x.normalize();
        let y = decimal_text(p.y);
        match (key.scale(), i64::try_from(key)) {
            (0, Ok(whole)) => map.serialize_entry(&whole, &y)?,
            _ => map.serialize_entry(&decimal_text(key), &y)?,
        }
    }
    map.end()
}
