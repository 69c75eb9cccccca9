//! The legend: what it says and how its entries are placed.
//!
//! The entries for the data (what each colour, fill, line and mark stands for) are the spec's own
//! [`ChartSpec::legend`], written by the builders, which know what a colour means; this module
//! adds an entry for every other way the plot draws something: timeline segments and event marks,
//! bars cut short, shaded years, numbered lines. [`place`] flows the entries in rows under the
//! plot, so the plot keeps the picture's width. What must hold: everything drawn has an entry
//! that says what it means, and entries come in the same order on every run.

use plotters::style::RGBColor;

use super::font::Style;
use super::layout::wrap;
use super::theme::{MARKER, MUTED, SUSPENDED, UNKNOWN, rgb, shade_color};
use crate::spec::{
    ChartSpec, Fill, LegendSwatch, Mark, SegmentKind, Series, ShadeKind, Stroke, Tint,
};

/// Width of a legend swatch and its gap to the text.
pub(crate) const SWATCH_W: i32 = 26;

/// The gap between two entries of a row.
const GAP: i32 = 22;

/// A legend swatch, as painted.
pub(crate) enum Swatch {
    /// A box of a colour (at an opacity), fill and tint.
    Fill(RGBColor, f64, Fill, Tint),
    /// A line, solid, dashed or dotted, with a mark or none.
    Line(RGBColor, Stroke, Option<Mark>),
    /// A band's fill.
    Band(RGBColor, Fill),
    /// A group's mark, in ink.
    Mark(Mark),
    /// A group's pattern, in ink.
    Pattern(Fill),
    /// An empty box with a coloured edge.
    Outline(RGBColor),
    /// A pale box with a coloured edge.
    Pale(RGBColor),
    /// The triangle that marks an event on a timeline bar.
    Event,
    /// A bar cut short, with its break.
    Cut,
}

/// The stacks of some bar series, in order of first appearance.
pub(crate) fn stacks<'a>(bars: &[&'a Series]) -> Vec<Option<&'a str>> {
    let mut out: Vec<Option<&str>> = Vec::new();
    for s in bars {
        if !out.contains(&s.stack.as_deref()) {
            out.push(s.stack.as_deref());
        }
    }
    out
}

/// The legend's entries: a swatch and its text.
pub(crate) fn entries(spec: &ChartSpec) -> Vec<(Swatch, String)> {
    let mut out: Vec<(Swatch, String)> = spec
        .legend
        .iter()
        .map(|e| {
            let swatch = match &e.swatch {
                LegendSwatch::Fill { color, fill, tint } => {
                    Swatch::Fill(rgb(color), 1.0, *fill, *tint)
                }
                LegendSwatch::Line {
                    color,
                    stroke,
                    mark,
                } => Swatch::Line(rgb(color), *stroke, *mark),
                LegendSwatch::Band { color, fill } => Swatch::Band(rgb(color), *fill),
                LegendSwatch::Mark { mark } => Swatch::Mark(*mark),
                LegendSwatch::Pattern { fill } => Swatch::Pattern(*fill),
            };
            (swatch, e.text.clone())
        })
        .collect();
    // Recorded and assumed years are drawn in the commodities' colours: shown in the first one.
    let first = spec
        .bars
        .iter()
        .flat_map(|b| b.stripes.first())
        .next()
        .map_or(MUTED, |s| rgb(&s.color));
    for kind in SegmentKind::ALL {
        if spec
            .bars
            .iter()
            .any(|b| b.segments.iter().any(|s| s.kind == kind))
        {
            let swatch = match kind {
                SegmentKind::Recorded => Swatch::Fill(first, 1.0, Fill::Solid, Tint::Full),
                SegmentKind::Assumed => Swatch::Fill(first, 1.0, Fill::Solid, Tint::Pale),
                SegmentKind::Suspended => Swatch::Fill(SUSPENDED, 1.0, Fill::Solid, Tint::Full),
                SegmentKind::SuspendedLapsed => {
                    Swatch::Fill(SUSPENDED, 1.0, Fill::Hatched, Tint::Pale)
                }
                SegmentKind::DeliveryUnknown => Swatch::Pale(UNKNOWN),
                SegmentKind::NotDelivered => Swatch::Outline(MUTED),
            };
            out.push((swatch, kind.legend().to_string()));
        }
    }
    if spec.bars.iter().any(|b| !b.marks.is_empty()) {
        out.push((Swatch::Event, "amendment or recorded delivery".into()));
    }
    if !spec.cut_bars.is_empty() {
        out.push((Swatch::Cut, "bar cut short: full height beside it".into()));
    }
    for kind in [
        ShadeKind::Suspended,
        ShadeKind::DeliveryUnknown,
        ShadeKind::NotDelivered,
    ] {
        if spec.shaded_ranges.iter().any(|r| r.kind == kind) {
            let (c, a) = shade_color(kind);
            out.push((
                Swatch::Fill(c, a, Fill::Solid, Tint::Full),
                format!("shaded: {}", kind.legend()),
            ));
        }
    }
    if !spec.markers.is_empty() {
        out.push((
            Swatch::Line(MARKER, Stroke::Dashed, None),
            "numbered line: see the key".into(),
        ));
    }
    out
}

/// A legend entry placed at `(x, y)` from the legend's origin, its text broken into lines.
pub(crate) struct LegendItem {
    pub(crate) entry: usize,
    pub(crate) x: i32,
    pub(crate) y: i32,
    pub(crate) lines: Vec<String>,
}

/// The legend's entries placed, and its height.
pub(crate) struct LegendLayout {
    pub(crate) items: Vec<LegendItem>,
    pub(crate) height: i32,
}

/// Flows the entries in rows `width` pixels wide, in order: an entry goes on the row if it fits,
/// else starts the next; an entry wider than a row has its text wrapped.
pub(crate) fn place(
    entries: &[(Swatch, String)],
    style: &Style,
    lh: i32,
    width: i32,
) -> LegendLayout {
    let mut items = Vec::new();
    let (mut x, mut y, mut row_h) = (0, 0, 0);
    for (i, (_, text)) in entries.iter().enumerate() {
        let lines = wrap(text, style, width - SWATCH_W);
        let w = SWATCH_W + lines.iter().map(|l| style.width(l)).max().unwrap_or(0);
        if x > 0 && x + w > width {
            y += row_h + 4;
            (x, row_h) = (0, 0);
        }
        row_h = row_h.max(lines.len() as i32 * lh);
        items.push(LegendItem {
            entry: i,
            x,
            y,
            lines,
        });
        x += w + GAP;
    }
    let height = if items.is_empty() { 0 } else { y + row_h };
    LegendLayout { items, height }
}
