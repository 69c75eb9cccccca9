//! Layout and drawing of a chart on any plotters backend.
//!
//! The picture is laid out top to bottom: title and subtitle; a lane of marker numbers; the plot,
//! with the legend to its right; the key to the numbered markers; the caption. Every text is
//! measured with the font it is drawn in and wrapped to the room it has, so no label is cut or
//! drawn over another. What must hold: this module only places what the spec says; it is the one
//! place where an exact amount becomes a float (a pixel position), and it computes no figure that
//! is shown as a number except tick labels, which plotters chooses on the axis.
//!
//! Over 1,000 lines because `chart()` lays out and paints in one pass; separating layout from
//! paint (issue 8, item 2) is open work.

#![allow(
    clippy::float_arithmetic,
    clippy::cast_precision_loss,
    reason = "rendering is the one place where exact amounts become pixel positions; nothing computed here is reported as a figure"
)]

use std::collections::BTreeMap;

use plotters::coord::Shift;
use plotters::coord::ranged1d::{BoldPoints, Ranged};
use plotters::coord::types::RangedCoordf64;
use plotters::element::{Drawable, PointCollection};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters_backend::{BackendCoord, DrawingErrorKind, FontTransform};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

use super::font::{Face, PLOTTERS_FAMILY, Style};

use crate::error::{PlotError, PlotErrorKind};
use crate::spec::{ChartSpec, Scale, SegmentKind, Series, SeriesStyle, ShadeKind};
use crate::text::{amount_text, tick_amount, tick_count, tick_year};

const INK: RGBColor = RGBColor(34, 34, 34);
const MUTED: RGBColor = RGBColor(85, 85, 85);
const GRID: RGBColor = RGBColor(225, 225, 225);
const MARKER: RGBColor = RGBColor(70, 70, 70);
const SUSPENDED: RGBColor = RGBColor(160, 160, 160);
const UNKNOWN: RGBColor = RGBColor(240, 170, 40);
const NOT_DELIVERED: RGBColor = RGBColor(200, 70, 70);

/// Text sizes in plotters' font units (the em is size ÷ 1.24 pixels), for a 1200×900 picture;
/// other sizes scale them (see [`Sizes::for_picture`]).
struct Sizes {
    title: f64,
    subtitle: f64,
    axis_title: f64,
    tick: f64,
    legend: f64,
    key: f64,
    caption: f64,
    number: f64,
}

impl Sizes {
    /// Sizes for a `w`×`h` picture: by the square root of its area against 1200×900, kept within
    /// 0.75–1.6 so text stays readable on small pictures and in proportion on large ones.
    fn for_picture(w: u32, h: u32) -> Sizes {
        let scale = ((f64::from(w) * f64::from(h)) / (1200.0 * 900.0))
            .sqrt()
            .clamp(0.75, 1.6);
        Sizes {
            title: 26.0 * scale,
            subtitle: 17.0 * scale,
            axis_title: 16.0 * scale,
            tick: 15.0 * scale,
            legend: 15.0 * scale,
            key: 14.0 * scale,
            caption: 13.0 * scale,
            number: 14.0 * scale,
        }
    }
}

const MARGIN: i32 = 16;

/// A drawing failure as a plot error.
pub(crate) fn failed<E: std::fmt::Display>(e: E) -> PlotError {
    PlotError::new(PlotErrorKind::Render, format!("cannot draw the chart: {e}"))
}

fn too_small(what: &str, w: u32, h: u32) -> PlotError {
    PlotError::new(
        PlotErrorKind::Size,
        format!(
            "a {w}×{h} picture leaves no room for {what}; make it larger (1200×900 suits most charts)"
        ),
    )
}

fn f(d: Decimal) -> f64 {
    d.to_f64().unwrap_or(0.0)
}

fn rgb(hex: &str) -> RGBColor {
    let h = hex.trim_start_matches('#');
    let c = |i: usize| {
        h.get(i..i + 2)
            .and_then(|s| u8::from_str_radix(s, 16).ok())
            .unwrap_or(128)
    };
    RGBColor(c(0), c(2), c(4))
}

fn line_height(size: f64) -> i32 {
    (size * 1.25).ceil() as i32
}

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

/// Text styles of one face.
struct Fonts {
    face: Face,
}

impl Fonts {
    fn plain(&self, size: f64) -> Style {
        self.face.style(size, (INK.0, INK.1, INK.2), false)
    }

    fn muted(&self, size: f64) -> Style {
        self.face.style(size, (MUTED.0, MUTED.1, MUTED.2), false)
    }

    fn bold(&self, size: f64) -> Style {
        self.face.style(size, (INK.0, INK.1, INK.2), true)
    }
}

struct Canvas<'r, DB: DrawingBackend> {
    root: &'r DrawingArea<DB, Shift>,
}

impl<DB: DrawingBackend> Canvas<'_, DB> {
    fn width_of(&self, text: &str, style: &Style) -> Result<i32, PlotError> {
        Ok(style.width(text))
    }

    fn text(
        &self,
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
        self.root
            .draw(&Label {
                text,
                at,
                style: &style,
            })
            .map_err(failed)
    }

    /// Breaks `text` into lines no wider than `max` (a word longer than that is broken by characters).
    fn wrap(&self, text: &str, style: &Style, max: i32) -> Result<Vec<String>, PlotError> {
        let mut lines = Vec::new();
        let mut line = String::new();
        for word in text.split(' ') {
            let candidate = if line.is_empty() {
                word.to_string()
            } else {
                format!("{line} {word}")
            };
            if self.width_of(&candidate, style)? <= max {
                line = candidate;
                continue;
            }
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            let mut piece = String::new();
            for ch in word.chars() {
                piece.push(ch);
                if self.width_of(&piece, style)? > max && piece.chars().count() > 1 {
                    piece.pop();
                    lines.push(std::mem::take(&mut piece));
                    piece.push(ch);
                }
            }
            line = piece;
        }
        if !line.is_empty() {
            lines.push(line);
        }
        Ok(lines)
    }

    /// `text`, shortened with `…` to fit `max`.
    fn fit(&self, text: &str, style: &Style, max: i32) -> Result<String, PlotError> {
        if self.width_of(text, style)? <= max {
            return Ok(text.to_string());
        }
        let mut chars: Vec<char> = text.chars().collect();
        while !chars.is_empty() {
            chars.pop();
            let s: String = chars.iter().collect::<String>() + "…";
            if self.width_of(&s, style)? <= max {
                return Ok(s);
            }
        }
        Ok(String::new())
    }
}

/// A legend swatch.
enum Swatch {
    Fill(RGBColor, f64),
    Line(RGBColor, bool),
    Outline(RGBColor),
    Pale(RGBColor),
    Mark,
}

fn shade_color(kind: ShadeKind) -> (RGBColor, f64) {
    match kind {
        ShadeKind::Suspended => (SUSPENDED, 0.30),
        ShadeKind::DeliveryUnknown => (UNKNOWN, 0.25),
        ShadeKind::NotDelivered => (NOT_DELIVERED, 0.15),
    }
}

fn legend_entries(spec: &ChartSpec) -> Vec<(Swatch, String)> {
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

/// The text of a marker's position for the key.
fn x_text(scale: Scale, x: Decimal) -> String {
    match scale {
        Scale::Year => x.normalize().to_string(),
        _ => amount_text(x),
    }
}

/// Draws `spec` on `root`, filling it.
pub(crate) fn chart<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    spec: &ChartSpec,
    face: &Face,
) -> Result<(), PlotError> {
    root.fill(&WHITE).map_err(failed)?;
    let (w, h) = root.dim_in_pixel();
    let (wi, hi) = (w as i32, h as i32);
    let fonts = Fonts { face: face.clone() };
    let sz = Sizes::for_picture(w, h);
    let cv = Canvas { root };
    let inner = wi - 2 * MARGIN;

    // Title and subtitle.
    let mut y = MARGIN;
    for line in cv.wrap(&spec.title, &fonts.bold(sz.title), inner)? {
        cv.text(
            &line,
            (MARGIN, y),
            &fonts.bold(sz.title),
            HPos::Left,
            VPos::Top,
        )?;
        y += line_height(sz.title);
    }
    if let Some(sub) = &spec.subtitle {
        y += 2;
        for line in cv.wrap(sub, &fonts.muted(sz.subtitle), inner)? {
            cv.text(
                &line,
                (MARGIN, y),
                &fonts.muted(sz.subtitle),
                HPos::Left,
                VPos::Top,
            )?;
            y += line_height(sz.subtitle);
        }
    }
    let top = y + 8;

    // Bottom: marker key, then caption, measured from the bottom up.
    let key_style = fonts.plain(sz.key);
    let mut key_entries: Vec<String> = spec
        .markers
        .iter()
        .enumerate()
        .map(|(i, m)| match spec.x_axis.scale {
            Scale::Year => format!(
                "{}. {} – {}",
                i + 1,
                x_text(spec.x_axis.scale, m.x),
                m.label
            ),
            _ => format!("{}. {}", i + 1, m.label),
        })
        .collect();
    key_entries.extend(spec.shaded_ranges.iter().map(|r| {
        let years = if r.from == r.to {
            r.from.to_string()
        } else {
            format!("{}–{}", r.from, r.to)
        };
        format!("shaded {years} – {}: {}", r.kind.as_str(), r.label)
    }));
    let mut key_lines: Vec<Vec<String>> = Vec::new();
    let widest = key_entries
        .iter()
        .map(|e| cv.width_of(e, &key_style))
        .collect::<Result<Vec<_>, _>>()?;
    let col_gap = 28;
    let max_w = widest.iter().copied().max().unwrap_or(0);
    let mut cols = if key_entries.is_empty() {
        1
    } else {
        ((inner + col_gap) / (max_w + col_gap)).clamp(1, 3) as usize
    };
    if cols == 1 && key_entries.len() > 4 && inner >= 600 {
        // Long entries wrap in two columns rather than take a line each of the full width.
        cols = 2;
    }
    let col_w = (inner - col_gap * (cols as i32 - 1)) / cols as i32;
    // Continuation lines are indented, so each entry stands out.
    let indent = 18;
    for e in &key_entries {
        key_lines.push(cv.wrap(e, &key_style, col_w - indent)?);
    }
    // Entries flow down the columns in order, each column taking about an equal share of lines.
    let total: usize = key_lines.iter().map(Vec::len).sum();
    let share = total.div_ceil(cols);
    let mut columns: Vec<Vec<&Vec<String>>> = vec![Vec::new()];
    let mut filled = 0;
    for lines in &key_lines {
        if filled >= share && columns.len() < cols {
            columns.push(Vec::new());
            filled = 0;
        }
        filled += lines.len();
        if let Some(col) = columns.last_mut() {
            col.push(lines);
        }
    }
    let key_h = columns
        .iter()
        .map(|c| c.iter().map(|l| l.len()).sum::<usize>())
        .max()
        .unwrap_or(0) as i32
        * line_height(sz.key);
    let cap_style = fonts.muted(sz.caption);
    let mut cap_lines = Vec::new();
    for c in &spec.caption {
        cap_lines.extend(cv.wrap(c, &cap_style, inner)?);
    }
    let cap_h = cap_lines.len() as i32 * line_height(sz.caption);
    let bottom_h = key_h + if key_h > 0 { 12 } else { 0 } + cap_h + if cap_h > 0 { 10 } else { 0 };

    // The legend: to the right of the plot if it fits there, else in rows under the plot.
    let legend_style = fonts.plain(sz.legend);
    let entries = legend_entries(spec);
    let mut legend_text_w = 0;
    for (_, t) in &entries {
        legend_text_w = legend_text_w.max(cv.width_of(t, &legend_style)?);
    }
    let legend_lh = line_height(sz.legend);
    let legend_w = (legend_text_w + SWATCH_W + 8).min(wi * 30 / 100);
    let beside = layout_legend(&cv, &entries, &legend_style, legend_lh, legend_w, 1)?;
    let fits_beside = top + beside.height <= hi - MARGIN - bottom_h;
    let (legend, legend_x, bottom_h) = if fits_beside {
        (beside, wi - MARGIN - legend_w, bottom_h)
    } else {
        let col_w = (legend_text_w + SWATCH_W + 8).min(inner);
        let cols = ((inner + 24) / (col_w + 24)).max(1) as usize;
        let under = layout_legend(&cv, &entries, &legend_style, legend_lh, col_w, cols)?;
        let h = under.height + 12;
        (under, wi - MARGIN + 20, bottom_h + h)
    };

    // The plot region.
    let region = (MARGIN, top, legend_x - 20, hi - MARGIN - bottom_h);
    if region.2 - region.0 < 240 || region.3 - region.1 < 140 {
        return Err(too_small(
            "the plot beside its legend, key and caption",
            w,
            h,
        ));
    }

    // Axis ranges: one x range; a y range per panel (one panel unless the spec has several).
    let (x0, x1) = x_range(spec);
    let timeline = spec.y_axis.scale == Scale::Category;
    struct Plan<'s> {
        stack: Option<&'s str>,
        title: &'s str,
        y0: f64,
        y1: f64,
    }
    let plans: Vec<Plan<'_>> = if spec.panels.is_empty() {
        let (y0, y1) = y_range(spec, None);
        vec![Plan {
            stack: None,
            title: &spec.y_axis.title,
            y0,
            y1,
        }]
    } else {
        spec.panels
            .iter()
            .map(|p| {
                let (y0, y1) = y_range(spec, Some(&p.stack));
                Plan {
                    stack: Some(&p.stack),
                    title: &p.title,
                    y0,
                    y1,
                }
            })
            .collect()
    };
    let n_panels = plans.len() as i32;
    let gap = 16;

    // Room for tick labels and axis titles.
    let tick_style = fonts.plain(sz.tick);
    let desc_style = fonts.plain(sz.axis_title);
    let x_label_area = line_height(sz.tick) + 8 + line_height(sz.axis_title) + 6;
    let bar_labels: Vec<String> = spec.bars.iter().map(|b| b.label.clone()).collect();
    let plot_h = (region.3 - region.1 - x_label_area - 40 - gap * (n_panels - 1)) / n_panels;
    let mut y_titles = Vec::new();
    for p in &plans {
        y_titles.push(if timeline {
            Vec::new()
        } else {
            cv.wrap(p.title, &desc_style, plot_h.max(100))?
        });
    }
    let y_label_area = if timeline {
        let mut wmax = 0;
        for l in &bar_labels {
            wmax = wmax.max(cv.width_of(l, &tick_style)?);
        }
        wmax.min((region.2 - region.0) * 40 / 100) + 14
    } else {
        let mut widest = 0;
        for (p, t) in plans.iter().zip(&y_titles) {
            let ticks = cv
                .width_of(&tick_amount(p.y1), &tick_style)?
                .max(cv.width_of(&tick_amount(p.y1 * 0.95), &tick_style)?);
            widest = widest.max(ticks + 10 + line_height(sz.axis_title) * t.len() as i32 + 10);
        }
        widest
    };

    // Marker numbers: staggered rows where they would touch.
    let plot_left = region.0 + y_label_area;
    let plot_right = region.2 - 8;
    let to_px = |x: f64| plot_left as f64 + (x - x0) / (x1 - x0) * (plot_right - plot_left) as f64;
    let num_style = fonts.bold(sz.number);
    let mut num_rows: Vec<usize> = Vec::new();
    let mut row_ends: Vec<f64> = Vec::new();
    for (i, m) in spec.markers.iter().enumerate() {
        let px = to_px(f(m.x));
        let half = f64::from(cv.width_of(&(i + 1).to_string(), &num_style)?) / 2.0;
        let row = row_ends
            .iter()
            .position(|&end| px - half > end + 3.0)
            .unwrap_or(row_ends.len());
        if row == row_ends.len() {
            row_ends.push(f64::MIN);
        }
        row_ends[row] = px + half;
        num_rows.push(row);
    }
    let lane = if spec.markers.is_empty() {
        6
    } else {
        row_ends.len() as i32 * line_height(sz.number) + 6
    };

    // The panels, top to bottom: the first has the lane of marker numbers above it, the last the
    // year axis below it; they share the x range, so a year stands at the same place in each.
    let body_top = region.1 + lane;
    let body_bottom = region.3 - x_label_area;
    let panel_h = (body_bottom - body_top - gap * (n_panels - 1)) / n_panels;
    if panel_h < 60 {
        return Err(too_small("a panel for each commodity", w, h));
    }
    let plot_w = plot_right - plot_left;
    let x_ticks = match spec.x_axis.scale {
        Scale::Year => ((plot_w / 70) as usize).clamp(2, ((x1 - x0).max(1.0)) as usize + 1),
        _ => ((plot_w / 80) as usize).max(2),
    };
    // Panels are low: they get a tick every 35 pixels or so, and at least three.
    let y_ticks = if n_panels > 1 {
        ((panel_h / 35) as usize).max(3)
    } else {
        ((panel_h / 45) as usize).max(2)
    };
    let x_fmt = |v: &f64| match spec.x_axis.scale {
        Scale::Year => tick_year(*v),
        Scale::Count => tick_count(*v),
        _ => tick_amount(*v),
    };
    // On a year axis a running total (a line or a band) is drawn at the end of its year.
    let shift = if spec.x_axis.scale == Scale::Year {
        1.0
    } else {
        0.0
    };
    for (pi, (plan, y_title)) in plans.iter().zip(&y_titles).enumerate() {
        let (first, last) = (pi == 0, pi as i32 == n_panels - 1);
        let panel_top = body_top + pi as i32 * (panel_h + gap);
        let area_top = if first { region.1 } else { panel_top };
        let area_bottom = if last { region.3 } else { panel_top + panel_h };
        let (y0, y1) = (plan.y0, plan.y1);
        let area = root.clone().shrink(
            (region.0, area_top),
            (
                (region.2 - region.0) as u32,
                (area_bottom - area_top) as u32,
            ),
        );
        let mut chart = ChartBuilder::on(&area)
            .margin_top(if first { lane } else { 0 })
            .margin_right(8)
            .x_label_area_size(if last { x_label_area } else { 0 })
            .y_label_area_size(y_label_area)
            .build_cartesian_2d(x0..x1, y0..y1)
            .map_err(failed)?;

        // plotters draws the grid and tick marks (its labels are blank and transparent, so
        // neither backend writes them); the tick labels and axis titles are drawn here, at the
        // same key points, so that they use the chart's own text style.
        let blank = |_: &f64| String::new();
        let mut mesh = chart.configure_mesh();
        mesh.x_labels(x_ticks)
            .x_label_formatter(&blank)
            .y_label_formatter(&blank)
            .label_style((PLOTTERS_FAMILY, 10).into_font().color(&TRANSPARENT))
            .bold_line_style(GRID)
            .light_line_style(TRANSPARENT)
            .axis_style(MUTED);
        if timeline {
            mesh.y_labels(0).disable_y_mesh();
        } else {
            mesh.y_labels(y_ticks);
        }
        mesh.draw().map_err(failed)?;
        let (_, axis_y) = chart.backend_coord(&(x0, y0));
        if last {
            for v in RangedCoordf64::from(x0..x1).key_points(BoldPoints(x_ticks)) {
                // A year's label stands under the middle of the year it names, [y, y + 1).
                let at = if spec.x_axis.scale == Scale::Year {
                    v + 0.5
                } else {
                    v
                };
                if at > x1 {
                    continue;
                }
                let (px, _) = chart.backend_coord(&(at, y0));
                cv.text(
                    &x_fmt(&v),
                    (px, axis_y + 8),
                    &tick_style,
                    HPos::Center,
                    VPos::Top,
                )?;
            }
            let x_title_y = axis_y + 8 + line_height(sz.tick) + 6;
            cv.text(
                &spec.x_axis.title,
                ((plot_left + plot_right) / 2, x_title_y),
                &desc_style,
                HPos::Center,
                VPos::Top,
            )?;
        }
        if !timeline {
            for v in RangedCoordf64::from(y0..y1).key_points(BoldPoints(y_ticks)) {
                let (_, py) = chart.backend_coord(&(x0, v));
                cv.text(
                    &tick_amount(v),
                    (plot_left - 8, py),
                    &tick_style,
                    HPos::Right,
                    VPos::Center,
                )?;
            }
            let (_, top_px) = chart.backend_coord(&(x0, y1));
            let turned = desc_style.turned(FontTransform::Rotate270);
            for (i, line) in y_title.iter().enumerate() {
                let at = (
                    region.0 + line_height(sz.axis_title) * (2 * i as i32 + 1) / 2,
                    (top_px + axis_y) / 2,
                );
                cv.text(line, at, &turned, HPos::Center, VPos::Center)?;
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
                let row = num_rows.get(i).copied().unwrap_or(0) as i32;
                cv.text(
                    &(i + 1).to_string(),
                    (px, top_px - 4 - row * line_height(sz.number)),
                    &num_style,
                    HPos::Center,
                    VPos::Bottom,
                )?;
            }
        }

        // Bands (only on a chart of one panel).
        if plan.stack.is_none() {
            for b in &spec.bands {
                let mut pts: Vec<(f64, f64)> = b
                    .points
                    .iter()
                    .map(|p| (f(p.x) + shift, f(p.low)))
                    .collect();
                pts.extend(b.points.iter().rev().map(|p| (f(p.x) + shift, f(p.high))));
                chart
                    .draw_series(std::iter::once(Polygon::new(
                        pts,
                        rgb(&b.color).mix(0.2).filled(),
                    )))
                    .map_err(failed)?;
            }
        }
        // Bars of this panel: in each year the stacks that have something stand side by side,
        // each taking an equal share of the year; within a stack the series pile up in the
        // spec's order.
        let bars: Vec<&Series> = spec
            .series
            .iter()
            .filter(|s| s.style == SeriesStyle::Bar)
            .filter(|s| plan.stack.is_none() || s.stack.as_deref() == plan.stack)
            .collect();
        if !bars.is_empty() {
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
                    rects.push(Rectangle::new(
                        [(x + j / n, *b), (x + (j + 1.0) / n, *b + v)],
                        color.filled(),
                    ));
                    *b += v;
                }
                chart.draw_series(rects).map_err(failed)?;
            }
        }
        if plan.stack.is_some() {
            continue;
        }
        // Lines.
        for s in spec.series.iter().filter(|s| s.style != SeriesStyle::Bar) {
            let pts: Vec<(f64, f64)> = s.points.iter().map(|p| (f(p.x) + shift, f(p.y))).collect();
            let style = rgb(&s.color).stroke_width(2);
            if s.style == SeriesStyle::DashedLine {
                chart
                    .draw_series(DashedLineSeries::new(pts, 7, 5, style))
                    .map_err(failed)?;
            } else {
                chart
                    .draw_series(LineSeries::new(pts, style))
                    .map_err(failed)?;
            }
        }
        // Timeline bars.
        let n = spec.bars.len() as f64;
        for (i, bar) in spec.bars.iter().enumerate() {
            let (lo, hi_) = (n - i as f64 - 0.78, n - i as f64 - 0.22);
            let color = rgb(&bar.color);
            for s in &bar.segments {
                // In pixels, at least 4 wide, so that a single year stays visible on a long axis.
                let (left, top_px) = chart.backend_coord(&(f64::from(s.from), hi_));
                let (right, bottom_px) = chart.backend_coord(&(f64::from(s.to) + 1.0, lo));
                let corners = [(left, top_px), (right.max(left + 4), bottom_px)];
                let (fill, edge) = match s.kind {
                    SegmentKind::Delivered => (color.filled(), None),
                    SegmentKind::Suspended => (SUSPENDED.filled(), None),
                    SegmentKind::DeliveryUnknown => (color.mix(0.3).filled(), Some(color)),
                    SegmentKind::NotDelivered => (WHITE.filled(), Some(color)),
                };
                root.draw(&Rectangle::new(corners, fill)).map_err(failed)?;
                if let Some(edge) = edge {
                    root.draw(&Rectangle::new(corners, edge.stroke_width(2)))
                        .map_err(failed)?;
                }
            }
            let (_, cy_top) = chart.backend_coord(&(x0, hi_));
            let (_, cy_bot) = chart.backend_coord(&(x0, lo));
            let label = cv.fit(&bar.label, &tick_style, y_label_area - 14)?;
            cv.text(
                &label,
                (plot_left - 8, (cy_top + cy_bot) / 2),
                &tick_style,
                HPos::Right,
                VPos::Center,
            )?;
            for m in &bar.marks {
                let (px, py) = chart.backend_coord(&(f64::from(m.year), hi_));
                let tri = Polygon::new(
                    vec![(px - 6, py - 9), (px + 6, py - 9), (px, py + 1)],
                    INK.filled(),
                );
                root.draw(&tri).map_err(failed)?;
            }
        }
    }
    // Legend.
    let origin = if fits_beside {
        (legend_x, top)
    } else {
        (MARGIN, hi - MARGIN - bottom_h + 12)
    };
    for item in &legend.items {
        let (sx, ly) = (origin.0 + item.x, origin.1 + item.y);
        let cy = ly + legend_lh / 2;
        match &entries[item.entry].0 {
            Swatch::Fill(c, a) => {
                root.draw(&Rectangle::new(
                    [(sx, cy - 6), (sx + 18, cy + 6)],
                    c.mix(*a).filled(),
                ))
                .map_err(failed)?;
            }
            Swatch::Outline(c) => {
                root.draw(&Rectangle::new(
                    [(sx, cy - 6), (sx + 18, cy + 6)],
                    c.stroke_width(2),
                ))
                .map_err(failed)?;
            }
            Swatch::Pale(c) => {
                root.draw(&Rectangle::new(
                    [(sx, cy - 6), (sx + 18, cy + 6)],
                    c.mix(0.3).filled(),
                ))
                .map_err(failed)?;
                root.draw(&Rectangle::new(
                    [(sx, cy - 6), (sx + 18, cy + 6)],
                    c.stroke_width(2),
                ))
                .map_err(failed)?;
            }
            Swatch::Line(c, dashed) => {
                if *dashed {
                    for k in 0..3 {
                        let a = sx + k * 7;
                        root.draw(&PathElement::new(
                            vec![(a, cy), (a + 4, cy)],
                            c.stroke_width(2),
                        ))
                        .map_err(failed)?;
                    }
                } else {
                    root.draw(&PathElement::new(
                        vec![(sx, cy), (sx + 18, cy)],
                        c.stroke_width(2),
                    ))
                    .map_err(failed)?;
                }
            }
            Swatch::Mark => {
                let tri = Polygon::new(
                    vec![(sx + 3, cy - 6), (sx + 15, cy - 6), (sx + 9, cy + 4)],
                    INK.filled(),
                );
                root.draw(&tri).map_err(failed)?;
            }
        }
        for (j, line) in item.lines.iter().enumerate() {
            cv.text(
                line,
                (sx + SWATCH_W, ly + j as i32 * legend_lh),
                &legend_style,
                HPos::Left,
                VPos::Top,
            )?;
        }
    }
    let legend_under = if fits_beside { 0 } else { legend.height + 12 };

    // Key to the markers, column by column.
    let mut ky = hi - MARGIN - bottom_h + legend_under;
    if key_h > 0 {
        ky += 12;
        for (c, column) in columns.iter().enumerate() {
            let x = MARGIN + c as i32 * (col_w + col_gap);
            let mut y = ky;
            for lines in column {
                for (j, line) in lines.iter().enumerate() {
                    let at = (if j == 0 { x } else { x + indent }, y);
                    cv.text(line, at, &key_style, HPos::Left, VPos::Top)?;
                    y += line_height(sz.key);
                }
            }
        }
        ky += key_h;
    }
    if cap_h > 0 {
        ky += 10;
        for line in &cap_lines {
            cv.text(line, (MARGIN, ky), &cap_style, HPos::Left, VPos::Top)?;
            ky += line_height(sz.caption);
        }
    }
    Ok(())
}

/// Width of a legend swatch and its gap to the text.
const SWATCH_W: i32 = 26;

/// A legend entry placed at `(x, y)` from the legend's origin, its text broken into lines.
struct LegendItem {
    entry: usize,
    x: i32,
    y: i32,
    lines: Vec<String>,
}

struct LegendLayout {
    items: Vec<LegendItem>,
    height: i32,
}

/// Places legend entries in `cols` columns of `col_w` pixels, row by row.
fn layout_legend<DB: DrawingBackend>(
    cv: &Canvas<'_, DB>,
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
            let lines = cv.wrap(text, style, col_w - SWATCH_W - 8)?;
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

/// The stacks of some bar series, in order of first appearance.
fn stacks<'a>(bars: &[&'a Series]) -> Vec<Option<&'a str>> {
    let mut out: Vec<Option<&str>> = Vec::new();
    for s in bars {
        if !out.contains(&s.stack.as_deref()) {
            out.push(s.stack.as_deref());
        }
    }
    out
}

fn x_range(spec: &ChartSpec) -> (f64, f64) {
    let mut xs: Vec<f64> = Vec::new();
    xs.extend(
        spec.series
            .iter()
            .flat_map(|s| s.points.iter().map(|p| f(p.x))),
    );
    xs.extend(spec.markers.iter().map(|m| f(m.x)));
    xs.extend(
        spec.bars
            .iter()
            .flat_map(|b| [f64::from(b.from), f64::from(b.to) + 1.0]),
    );
    let lo = spec
        .x_axis
        .from
        .map(f)
        .or_else(|| xs.iter().copied().reduce(f64::min))
        .unwrap_or(0.0);
    let hi = spec
        .x_axis
        .to
        .map(f)
        .or_else(|| xs.iter().copied().reduce(f64::max))
        .unwrap_or(1.0);
    if hi > lo { (lo, hi) } else { (lo, lo + 1.0) }
}

/// The y range of the panel of `stack`, or of the whole chart for `None`.
fn y_range(spec: &ChartSpec, stack: Option<&str>) -> (f64, f64) {
    if spec.y_axis.scale == Scale::Category {
        return (0.0, spec.bars.len().max(1) as f64);
    }
    let mut top: f64 = 0.0;
    let mut piles: BTreeMap<(Decimal, Option<&str>), f64> = BTreeMap::new();
    let in_panel = |s: &&crate::spec::Series| stack.is_none() || s.stack.as_deref() == stack;
    for s in spec.series.iter().filter(in_panel) {
        for p in &s.points {
            let v = f(p.y);
            if s.style == SeriesStyle::Bar {
                let e = piles.entry((p.x, s.stack.as_deref())).or_insert(0.0);
                *e += v.max(0.0);
                top = top.max(*e);
            } else {
                top = top.max(v);
            }
        }
    }
    for b in spec.bands.iter().filter(|_| stack.is_none()) {
        for p in &b.points {
            top = top.max(f(p.high));
        }
    }
    let lo = spec.y_axis.from.map_or(0.0, f);
    let hi = spec
        .y_axis
        .to
        .map(f)
        .unwrap_or(if top > 0.0 { top * 1.06 } else { 1.0 });
    (lo, if hi > lo { hi } else { lo + 1.0 })
}
