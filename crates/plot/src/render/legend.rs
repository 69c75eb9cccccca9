//! The legend: what it says (an entry per colour, line style, band, shading and mark the chart
//! uses, each with its swatch) and how its entries are placed in columns.
//!
//! What must hold: every way the plot draws something has an entry that says what it means, and
//! entries are listed in the same order on every run (bars stack by stack, top of the stack first,
//! as they appear).

use plotters::style::RGBColor;

use super::font::Style;
use super::layout::wrap;
use super::theme::{MARKER, MUTED, SUSPENDED, rgb, shade_color};
use crate::error::PlotError;
use crate::spec::{ChartSpec, SegmentKind, Series, SeriesStyle, ShadeKind};

/// Width of a legend swatch and its gap to the text.
pub(crate) const SWATCH_W: i32 = 26;

/// A legend swatch.
pub(crate) enum Swatch {
    /// A filled box of a colour, at an opacity.
    Fill(RGBColor, f64),
    /// A line, solid or dashed.
    Line(RGBColor, bool),
    /// An empty box with a coloured edge.
    Outline(RGBColor),
    /// A pale box with a coloured edge.
    Pale(RGBColor),
    /// The triangle that marks an event on a timeline bar.
    Mark,
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
    let mut out: Vec<(Swatch, String)> = Vec::new();
    let mut seen: Vec<(String, String)> = Vec::new();
    // Bars are listed stack by stack, each top of the stack first, as they appear.
    let bars: Vec<&Series> = spec
        .series
        .iter()
        .filter(|s| s.style == SeriesStyle::Bar)
        .collect();
    let mut ordered: Vec<&Series> = Vec::new();
    for stack in stacks(&bars) {
        ordered.extend(bars.iter().rev().filter(|s| s.stack.as_deref() == stack));
    }
    for s in ordered
        .into_iter()
        .chain(spec.series.iter().filter(|s| s.style != SeriesStyle::Bar))
    {
        let key = (s.name.clone(), s.color.clone());
        if seen.contains(&key) {
            continue;
        }
        seen.push(key);
        let swatch = match s.style {
            SeriesStyle::Bar => Swatch::Fill(rgb(&s.color), 1.0),
            _ => Swatch::Line(rgb(&s.color), false),
        };
        out.push((swatch, s.name.clone()));
    }
    let has = |st: SeriesStyle| spec.series.iter().any(|s| s.style == st);
    if has(SeriesStyle::Line) && has(SeriesStyle::DashedLine) {
        out.push((Swatch::Line(MUTED, false), "solid: delivered".into()));
        out.push((Swatch::Line(MUTED, true), "dashed: owed".into()));
    }
    for b in &spec.bands {
        out.push((Swatch::Fill(rgb(&b.color), 0.2), b.name.clone()));
    }
    let mut groups: Vec<(String, String)> = Vec::new();
    for b in &spec.bars {
        if !groups.iter().any(|g| g.0 == b.group) {
            groups.push((b.group.clone(), b.color.clone()));
        }
    }
    for (g, c) in groups {
        out.push((
            Swatch::Fill(rgb(&c), 1.0),
            format!("to {g}: owed and delivered"),
        ));
    }
    for kind in [
        SegmentKind::Suspended,
        SegmentKind::DeliveryUnknown,
        SegmentKind::NotDelivered,
    ] {
        if spec
            .bars
            .iter()
            .any(|b| b.segments.iter().any(|s| s.kind == kind))
        {
            let swatch = match kind {
                SegmentKind::Suspended => Swatch::Fill(SUSPENDED, 1.0),
                SegmentKind::DeliveryUnknown => Swatch::Pale(MUTED),
                _ => Swatch::Outline(MUTED),
            };
            out.push((swatch, kind.legend().to_string()));
        }
    }
    if spec.bars.iter().any(|b| !b.marks.is_empty()) {
        out.push((Swatch::Mark, "amendment or recorded delivery".into()));
    }
    for kind in [
        ShadeKind::Suspended,
        ShadeKind::DeliveryUnknown,
        ShadeKind::NotDelivered,
    ] {
        if spec.shaded_ranges.iter().any(|r| r.kind == kind) {
            let (c, a) = shade_color(kind);
            out.push((
                Swatch::Fill(c, a),
                format!("shaded years: {}", kind.legend()),
            ));
        }
    }
    if !spec.markers.is_empty() {
        out.push((
            Swatch::Line(MARKER, true),
            "numbered line: see the key below".into(),
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

/// Places legend entries in `cols` columns of `col_w` pixels, row by row.
pub(crate) fn place(
    entries: &[(Swatch, String)],
    style: &Style,
    lh: i32,
    col_w: i32,
    cols: usize,
) -> Result<LegendLayout, PlotError> {
    let mut items = Vec::new();
    let mut y = 0;
    for row in entries.chunks(cols).enumerate().map(|(r, c)| (r * cols, c)) {
        let (first, chunk) = row;
        let mut row_h = 0;
        for (k, (_, text)) in chunk.iter().enumerate() {
            let lines = wrap(text, style, col_w - SWATCH_W - 8)?;
            row_h = row_h.max(lines.len() as i32 * lh);
            items.push(LegendItem {
                entry: first + k,
                x: k as i32 * (col_w + 24),
                y,
                lines,
            });
        }
        y += row_h + 4;
    }
    Ok(LegendLayout { items, height: y })
}
