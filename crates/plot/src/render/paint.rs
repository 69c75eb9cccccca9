//! Paint: a laid-out chart drawn on any plotters backend.
//!
//! [`paint`] draws, in a fixed order, what [`super::layout`] placed: the title and subtitle; each
//! panel's grid, tick labels and axis titles, shaded years, marker lines and numbers, bands, bars
//! (cut bars with their break and label), lines with their groups' marks, and timeline bars (a
//! stripe per commodity, the group's mark by the label); then the legend, the key and the
//! caption. The shapes themselves (marks, hatching, swatches) are in [`super::shapes`]. What must hold: nothing is
//! measured or moved here (every position comes from the layout or from the panel's coordinates),
//! the drawing order is the same on every run so the output is byte-stable, and no figure is
//! computed: values become pixels, nothing else.

#![allow(
    clippy::float_arithmetic,
    clippy::cast_precision_loss,
    reason = "painting turns exact amounts into pixel positions; nothing computed here is reported as a figure"
)]

use std::collections::BTreeMap;

use plotters::coord::Shift;
use plotters::element::{Drawable, PointCollection};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters_backend::{BackendCoord, DrawingErrorKind, FontTransform};
use rust_decimal::Decimal;

use super::font::{PLOTTERS_FAMILY, Style};
use super::layout::{Layout, Line, PanelLayout};
use super::legend::{SWATCH_W, stacks};
use super::shapes::{BAND, BAR, Edge, PALE, PALE_BAR, hatch, mark, swatch};
use super::theme::{
    GRID, INK, MARKER, MUTED, SUSPENDED, UNKNOWN, f, failed, line_height, rgb, shade_color,
};
use crate::error::PlotError;
use crate::spec::{ChartSpec, Fill, Scale, SegmentKind, Series, SeriesStyle, Tint};
use crate::text::{tick_amount, tick_count, tick_year};

/// A text at a pixel position, drawn with a [`Style`] (so with correct glyph placement).
struct Label<'a> {
    text: &'a str,
    at: (i32, i32),
    style: &'a Style,
}

impl<'b> PointCollection<'b, (i32, i32)> for &'b Label<'_> {
    type Point = &'b (i32, i32);
    type IntoIter = std::iter::Once<&'b (i32, i32)>;
    fn point_iter(self) -> Self::IntoIter {
        std::iter::once(&self.at)
    }
}

impl<DB: DrawingBackend> Drawable<DB> for Label<'_> {
    fn draw<I: Iterator<Item = BackendCoord>>(
        &self,
        mut pos: I,
        backend: &mut DB,
        _: (u32, u32),
    ) -> Result<(), DrawingErrorKind<DB::ErrorType>> {
        match pos.next() {
            Some(p) => backend.draw_text(self.text, self.style, p),
            None => Ok(()),
        }
    }
}

/// Draws `text` anchored at `at`.
pub(crate) fn text<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    text: &str,
    at: (i32, i32),
    style: &Style,
    h: HPos,
    v: VPos,
) -> Result<(), PlotError> {
    if text.is_empty() {
        return Ok(());
    }
    let style = style.pos(Pos::new(h, v));
    root.draw(&Label {
        text,
        at,
        style: &style,
    })
    .map_err(failed)
}

/// Draws lines of text by their top-left corners.
fn lines<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    lines: &[Line],
    style: &Style,
) -> Result<(), PlotError> {
    for l in lines {
        text(root, &l.text, l.at, style, HPos::Left, VPos::Top)?;
    }
    Ok(())
}

/// Draws `spec` on `root`, filling it, where `lay` placed everything.
pub(crate) fn paint<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    spec: &ChartSpec,
    lay: &Layout<'_>,
) -> Result<(), PlotError> {
    root.fill(&WHITE).map_err(failed)?;
    let (fonts, sz) = (&lay.fonts, &lay.sizes);
    lines(root, &lay.title, &fonts.bold(sz.title))?;
    lines(root, &lay.subtitle, &fonts.muted(sz.subtitle))?;

    let region = lay.region;
    let (x0, x1) = (lay.x0, lay.x1);
    let timeline = lay.timeline;
    let shift = lay.shift;
    let tick_style = fonts.plain(sz.tick);
    let desc_style = fonts.plain(sz.axis_title);
    let num_style = fonts.bold(sz.number);
    let x_fmt = |v: &f64| match spec.x_axis.scale {
        Scale::Year => tick_year(*v),
        Scale::Count => tick_count(*v),
        _ => tick_amount(*v),
    };
    for panel in &lay.panels {
        let (first, last) = (panel.first, panel.last);
        let (y0, y1) = (panel.y0, panel.y1);
        let area = root.clone().shrink(
            (region.0, panel.top),
            (
                (region.2 - region.0) as u32,
                (panel.bottom - panel.top) as u32,
            ),
        );
        let mut chart = ChartBuilder::on(&area)
            .margin_top(if first { lay.lane } else { 0 })
            .margin_right(8)
            .x_label_area_size(if last { lay.x_label_area } else { 0 })
            .y_label_area_size(lay.y_label_area)
            .build_cartesian_2d(x0..x1, y0..y1)
            .map_err(failed)?;

        // plotters draws the grid and tick marks (its labels are blank and transparent, so
        // neither backend writes them); the tick labels and axis titles are drawn here, at the
        // same key points, so that they use the chart's own text style.
        let blank = |_: &f64| String::new();
        let mut mesh = chart.configure_mesh();
        mesh.x_labels(lay.x_grid)
            .x_label_formatter(&blank)
            .y_label_formatter(&blank)
            .label_style((PLOTTERS_FAMILY, 10).into_font().color(&TRANSPARENT))
            .bold_line_style(GRID)
            .light_line_style(TRANSPARENT)
            .axis_style(MUTED);
        if timeline {
            mesh.y_labels(0).disable_y_mesh();
        } else {
            mesh.y_labels(lay.y_grid);
        }
        mesh.draw().map_err(failed)?;
        let (_, axis_y) = chart.backend_coord(&(x0, y0));
        if last {
            for &(v, at) in &lay.x_ticks {
                let (px, _) = chart.backend_coord(&(at, y0));
                text(
                    root,
                    &x_fmt(&v),
                    (px, axis_y + 8),
                    &tick_style,
                    HPos::Center,
                    VPos::Top,
                )?;
            }
            if let Some(title) = lay.x_title {
                let x_title_y = axis_y + 8 + line_height(sz.tick) + 6;
                text(
                    root,
                    title,
                    ((lay.plot_left + region.2 - 8) / 2, x_title_y),
                    &desc_style,
                    HPos::Center,
                    VPos::Top,
                )?;
            }
        }
        if !timeline {
            for &v in &panel.y_ticks {
                let (_, py) = chart.backend_coord(&(x0, v));
                text(
                    root,
                    &tick_amount(v),
                    (lay.plot_left - 8, py),
                    &tick_style,
                    HPos::Right,
                    VPos::Center,
                )?;
            }
            let (_, top_px) = chart.backend_coord(&(x0, y1));
            let turned = desc_style.turned(FontTransform::Rotate270);
            for (i, line) in panel.y_title.iter().enumerate() {
                let at = (
                    region.0 + line_height(sz.axis_title) * (2 * i as i32 + 1) / 2,
                    (top_px + axis_y) / 2,
                );
                text(root, line, at, &turned, HPos::Center, VPos::Center)?;
            }
        }

        // Shaded years.
        for r in &spec.shaded_ranges {
            let (c, a) = shade_color(r.kind);
            let rect = Rectangle::new(
                [(f64::from(r.from), y0), (f64::from(r.to) + 1.0, y1)],
                c.mix(a).filled(),
            );
            chart.draw_series(std::iter::once(rect)).map_err(failed)?;
        }
        // Markers: a dashed line, behind the data, with its number above the first panel.
        for (i, m) in spec.markers.iter().enumerate() {
            let x = f(m.x);
            let line = DashedLineSeries::new(vec![(x, y0), (x, y1)], 5, 4, MARKER.stroke_width(1));
            chart.draw_series(line).map_err(failed)?;
            if first {
                let (px, top_px) = chart.backend_coord(&(x, y1));
                let row = lay.number_rows.get(i).copied().unwrap_or(0) as i32;
                text(
                    root,
                    &(i + 1).to_string(),
                    (px, top_px - 4 - row * line_height(sz.number)),
                    &num_style,
                    HPos::Center,
                    VPos::Bottom,
                )?;
            }
        }

        // Bands, then bars, then lines, each of this panel only.
        let mine = |p: &Option<String>| p.as_deref() == panel.panel;
        for b in spec.bands.iter().filter(|b| mine(&b.panel)) {
            let edges: Vec<Edge> = b
                .points
                .iter()
                .map(|p| {
                    let (x, hi_px) = chart.backend_coord(&(f(p.x) + shift, f(p.high)));
                    let (_, lo_px) = chart.backend_coord(&(f(p.x) + shift, f(p.low)));
                    (f64::from(x), f64::from(hi_px), f64::from(lo_px))
                })
                .collect();
            let color = rgb(&b.color);
            match b.fill {
                Fill::Solid => {
                    let mut pts: Vec<(f64, f64)> = b
                        .points
                        .iter()
                        .map(|p| (f(p.x) + shift, f(p.low)))
                        .collect();
                    pts.extend(b.points.iter().rev().map(|p| (f(p.x) + shift, f(p.high))));
                    chart
                        .draw_series(std::iter::once(Polygon::new(pts, color.mix(0.2).filled())))
                        .map_err(failed)?;
                }
                fill => hatch(root, &edges, color, fill, BAND)?,
            }
        }
        bars(root, &mut chart, spec, lay, panel)?;
        // Lines, with their group's mark every so often along them.
        for s in spec
            .series
            .iter()
            .filter(|s| s.style != SeriesStyle::Bar && mine(&s.panel))
        {
            let pts: Vec<(f64, f64)> = s.points.iter().map(|p| (f(p.x) + shift, f(p.y))).collect();
            let color = rgb(&s.color);
            let style = color.stroke_width(2);
            let px: Vec<(i32, i32)> = pts.iter().map(|p| chart.backend_coord(p)).collect();
            if s.style == SeriesStyle::DashedLine {
                chart
                    .draw_series(DashedLineSeries::new(pts, 7, 5, style))
                    .map_err(failed)?;
            } else if s.style == SeriesStyle::DottedLine {
                chart
                    .draw_series(DashedLineSeries::new(pts, 2, 3, color.stroke_width(3)))
                    .map_err(failed)?;
            } else {
                chart
                    .draw_series(LineSeries::new(pts, style))
                    .map_err(failed)?;
            }
            if let Some(m) = s.mark {
                let spacing = (lay.mark_r * 16).max(48);
                let phase = (m as i32) * spacing / 6;
                for (x, y) in along(&px, spacing, phase) {
                    mark(root, m, (x, y), lay.mark_r, color)?;
                }
            }
        }
        timeline_bars(root, &chart, spec, lay)?;
    }
    legend(root, lay)?;
    lines(root, &lay.key, &fonts.plain(sz.key))?;
    lines(root, &lay.caption, &fonts.muted(sz.caption))?;
    Ok(())
}

/// Draws the legend's swatches and texts where the layout placed them.
fn legend<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    lay: &Layout<'_>,
) -> Result<(), PlotError> {
    let style = lay.fonts.plain(lay.sizes.legend);
    let lh = line_height(lay.sizes.legend);
    let origin = lay.legend_origin;
    for item in &lay.legend.items {
        let (sx, ly) = (origin.0 + item.x, origin.1 + item.y);
        let cy = ly + lh / 2;
        let Some((sw, _)) = lay.entries.get(item.entry) else {
            continue;
        };
        swatch(root, sw, sx, cy, lay.mark_r)?;
        for (j, line) in item.lines.iter().enumerate() {
            text(
                root,
                line,
                (sx + SWATCH_W, ly + j as i32 * lh),
                &style,
                HPos::Left,
                VPos::Top,
            )?;
        }
    }
    Ok(())
}

/// Points every `spacing` pixels along a polyline of increasing x, from `phase` pixels in.
fn along(px: &[(i32, i32)], spacing: i32, phase: i32) -> Vec<(i32, i32)> {
    let (Some(first), Some(last)) = (px.first(), px.last()) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut x = first.0 + spacing / 2 + phase;
    let mut seg = 0;
    while x <= last.0 {
        while seg + 1 < px.len() && px[seg + 1].0 < x {
            seg += 1;
        }
        let (a, b) = (px[seg], px[(seg + 1).min(px.len() - 1)]);
        let y = if b.0 > a.0 {
            f64::from(a.1) + f64::from(b.1 - a.1) * f64::from(x - a.0) / f64::from(b.0 - a.0)
        } else {
            f64::from(a.1)
        };
        out.push((x, y.round() as i32));
        x += spacing;
    }
    out
}

type Chart<'a, DB> = ChartContext<
    'a,
    DB,
    Cartesian2d<plotters::coord::types::RangedCoordf64, plotters::coord::types::RangedCoordf64>,
>;

/// The bars of a panel: in each year the stacks that have something stand side by side, each
/// taking an equal share of the year; within a stack the series pile up in the spec's order. A
/// pile taller than the axis is cut at its top, broken, and labelled with its full height.
fn bars<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    chart: &mut Chart<'_, DB>,
    spec: &ChartSpec,
    lay: &Layout<'_>,
    panel: &PanelLayout<'_>,
) -> Result<(), PlotError> {
    let bars: Vec<&Series> = spec
        .series
        .iter()
        .filter(|s| s.style == SeriesStyle::Bar && s.panel.as_deref() == panel.panel)
        .collect();
    if bars.is_empty() {
        return Ok(());
    }
    let y1 = panel.y1;
    let order = stacks(&bars);
    let slot = |s: &Series| {
        order
            .iter()
            .position(|k| *k == s.stack.as_deref())
            .unwrap_or(0)
    };
    let mut present: BTreeMap<Decimal, Vec<usize>> = BTreeMap::new();
    for s in &bars {
        for p in s.points.iter().filter(|p| p.y > Decimal::ZERO) {
            let slots = present.entry(p.x).or_default();
            if !slots.contains(&slot(s)) {
                slots.push(slot(s));
                slots.sort_unstable();
            }
        }
    }
    let mut base: BTreeMap<(Decimal, usize), f64> = BTreeMap::new();
    for s in &bars {
        let color = rgb(&s.color);
        let k = slot(s);
        let mut rects = Vec::new();
        let mut hatched = Vec::new();
        for p in &s.points {
            let v = f(p.y);
            if v <= 0.0 {
                continue;
            }
            let slots = present.get(&p.x).map_or(&[][..], Vec::as_slice);
            let n = slots.len().max(1) as f64;
            let j = slots.iter().position(|&x| x == k).unwrap_or(0) as f64;
            let b = base.entry((p.x, k)).or_insert(0.0);
            let x = f(p.x);
            let (from, to) = (*b, (*b + v).min(y1));
            *b += v;
            if from >= y1 {
                continue;
            }
            let corners = [(x + j / n, from), (x + (j + 1.0) / n, to)];
            match (s.fill, s.tint) {
                (Fill::Solid, Tint::Full) => rects.push(Rectangle::new(corners, color.filled())),
                (Fill::Solid, Tint::Pale) => {
                    rects.push(Rectangle::new(corners, color.mix(PALE).filled()));
                }
                _ => hatched.push(corners),
            }
        }
        chart.draw_series(rects).map_err(failed)?;
        // Neighbouring years of one height are hatched as one area, so the pattern runs on.
        let mut runs: Vec<[(f64, f64); 2]> = Vec::new();
        for r in hatched {
            match runs.last_mut() {
                Some(last) if last[1].0 == r[0].0 && last[0].1 == r[0].1 && last[1].1 == r[1].1 => {
                    last[1].0 = r[1].0;
                }
                _ => runs.push(r),
            }
        }
        for [(xa, ya), (xb, yb)] in runs {
            let (l, t) = chart.backend_coord(&(xa, yb));
            let (r, bt) = chart.backend_coord(&(xb, ya));
            let (l, r, t, bt) = (f64::from(l), f64::from(r), f64::from(t), f64::from(bt));
            let strength = if s.tint == Tint::Pale { PALE_BAR } else { BAR };
            hatch(root, &[(l, t, bt), (r, t, bt)], color, s.fill, strength)?;
        }
    }
    // Cut bars: a white break across the bar under the top, the full height beside it.
    let style = lay.fonts.bold(lay.sizes.tick);
    for c in spec
        .cut_bars
        .iter()
        .filter(|c| c.panel.as_deref() == panel.panel)
    {
        let x = f(c.x);
        let (left, top) = chart.backend_coord(&(x, y1));
        let (right, _) = chart.backend_coord(&(x + 1.0, y1));
        let right = right.max(left + 2);
        for dy in [10, 15] {
            root.draw(&PathElement::new(
                vec![(left - 3, top + dy + 3), (right + 3, top + dy - 2)],
                WHITE.stroke_width(2),
            ))
            .map_err(failed)?;
        }
        let w = style.width(&c.label);
        let plot_right = lay.region.2 - 8;
        let (lx, h) = if right + 6 + w <= plot_right {
            (right + 6, HPos::Left)
        } else {
            (left - 6, HPos::Right)
        };
        let (bx0, bx1) = match h {
            HPos::Left => (lx - 2, lx + w + 2),
            _ => (lx - w - 2, lx + 2),
        };
        let lh = line_height(lay.sizes.tick);
        root.draw(&Rectangle::new(
            [(bx0, top + 2), (bx1, top + 2 + lh)],
            WHITE.mix(0.85).filled(),
        ))
        .map_err(failed)?;
        text(root, &c.label, (lx, top + 3), &style, h, VPos::Top)?;
    }
    Ok(())
}

/// The timeline's bars: a stripe per commodity in its full colour where a delivery is recorded and
/// in a pale tint where it is assumed paid, grey where suspended (pale and hatched where the
/// obligation lapsed), orange with an edge where delivery is unknown, empty with an edge where
/// withheld; the label, the group's mark, and the events on the bar.
fn timeline_bars<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    chart: &Chart<'_, DB>,
    spec: &ChartSpec,
    lay: &Layout<'_>,
) -> Result<(), PlotError> {
    let tick_style = lay.fonts.plain(lay.sizes.tick);
    let n = spec.bars.len() as f64;
    for (i, bar) in spec.bars.iter().enumerate() {
        let (lo, hi_) = (n - i as f64 - 0.78, n - i as f64 - 0.22);
        let colors: Vec<RGBColor> = if bar.stripes.is_empty() {
            vec![MUTED]
        } else {
            bar.stripes.iter().map(|s| rgb(&s.color)).collect()
        };
        for s in &bar.segments {
            // In pixels, at least 4 wide, so that a single year stays visible on a long axis.
            let (left, top_px) = chart.backend_coord(&(f64::from(s.from), hi_));
            let (right, bottom_px) = chart.backend_coord(&(f64::from(s.to) + 1.0, lo));
            let right = right.max(left + 4);
            let k = colors.len() as i32;
            let stripe = |j: i32| {
                let h = bottom_px - top_px;
                [
                    (left, top_px + h * j / k),
                    (right, top_px + h * (j + 1) / k),
                ]
            };
            let whole = [(left, top_px), (right, bottom_px)];
            match s.kind {
                SegmentKind::Recorded => {
                    for (j, c) in colors.iter().enumerate() {
                        root.draw(&Rectangle::new(stripe(j as i32), c.filled()))
                            .map_err(failed)?;
                    }
                }
                SegmentKind::Assumed => {
                    for (j, c) in colors.iter().enumerate() {
                        root.draw(&Rectangle::new(stripe(j as i32), c.mix(PALE).filled()))
                            .map_err(failed)?;
                    }
                }
                SegmentKind::Suspended => {
                    root.draw(&Rectangle::new(whole, SUSPENDED.filled()))
                        .map_err(failed)?;
                }
                SegmentKind::SuspendedLapsed => {
                    let (l, t, r, b) = (
                        f64::from(whole[0].0),
                        f64::from(whole[0].1),
                        f64::from(whole[1].0),
                        f64::from(whole[1].1),
                    );
                    hatch(
                        root,
                        &[(l, t, b), (r, t, b)],
                        SUSPENDED,
                        Fill::Hatched,
                        PALE_BAR,
                    )?;
                }
                SegmentKind::DeliveryUnknown => {
                    root.draw(&Rectangle::new(whole, UNKNOWN.mix(0.3).filled()))
                        .map_err(failed)?;
                    root.draw(&Rectangle::new(whole, UNKNOWN.stroke_width(2)))
                        .map_err(failed)?;
                }
                SegmentKind::NotDelivered => {
                    root.draw(&Rectangle::new(whole, WHITE.filled()))
                        .map_err(failed)?;
                    root.draw(&Rectangle::new(whole, MUTED.stroke_width(2)))
                        .map_err(failed)?;
                }
            }
        }
        let (_, cy_top) = chart.backend_coord(&(lay.x0, hi_));
        let (_, cy_bot) = chart.backend_coord(&(lay.x0, lo));
        let cy = (cy_top + cy_bot) / 2;
        let mut label_right = lay.plot_left - 8;
        if let Some(m) = bar.mark {
            mark(root, m, (label_right - lay.mark_r, cy), lay.mark_r, INK)?;
            label_right -= 2 * lay.mark_r + 6;
        }
        text(
            root,
            lay.bar_labels.get(i).map_or("", String::as_str),
            (label_right, cy),
            &tick_style,
            HPos::Right,
            VPos::Center,
        )?;
        // Events: a triangle pointing down at the bar's top edge, as tall as a mark.
        let r = lay.mark_r + 1;
        for m in &bar.marks {
            let (px, py) = chart.backend_coord(&(f64::from(m.year), hi_));
            let tri = Polygon::new(
                vec![
                    (px - r, py - 3 * r / 2),
                    (px + r, py - 3 * r / 2),
                    (px, py + 1),
                ],
                INK.filled(),
            );
            root.draw(&tri).map_err(failed)?;
        }
    }
    Ok(())
}
