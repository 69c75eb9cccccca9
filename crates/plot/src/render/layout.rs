//! Layout: where every part of a chart goes, decided before anything is drawn.
//!
//! The picture is laid out top to bottom: title and subtitle; a lane of marker numbers; the
//! panels (one plot, or one per commodity or unit, sharing the x-axis) over the full width; the
//! legend, flowed in rows under the plot; the key to the numbered markers and shaded years; the
//! caption. [`layout`] measures every text with the font it is drawn in and wraps it to the room
//! it has, chooses the axis ranges and ticks, and places the panels, the legend's entries, the
//! key's columns and the caption's lines; [`super::paint`] then draws them where they were put.
//! What must hold: a layout is computed from the spec, the face and the size alone (no backend),
//! so it is the same for SVG and PNG; nothing is placed over anything else; a picture too small
//! to hold the chart is an error here, before anything is drawn; no figure is computed here
//! except the tick values, chosen on the axis as plotters chooses its grid.

#![allow(
    clippy::float_arithmetic,
    clippy::cast_precision_loss,
    reason = "layout turns exact amounts into pixel positions; nothing computed here is reported as a figure"
)]

use std::collections::BTreeMap;

use plotters::coord::ranged1d::{BoldPoints, Ranged};
use plotters::coord::types::RangedCoordf64;
use rust_decimal::Decimal;

use super::font::{Face, Style};
use super::key;
use super::legend::{self, LegendLayout, Swatch};
use super::theme::{Fonts, MARGIN, Sizes, f, line_height, mark_radius, too_small};
use crate::error::PlotError;
use crate::spec::{ChartSpec, Panel, Scale, SeriesStyle};
use crate::text::tick_amount;

/// A line of text and where its anchor goes.
pub(crate) struct Line {
    pub(crate) text: String,
    pub(crate) at: (i32, i32),
}

/// One panel: its rows of pixels, its y range and ticks, its y-axis title.
pub(crate) struct PanelLayout<'s> {
    /// The panel whose series, bands and cut bars it draws; `None` for a chart of one plot.
    pub(crate) panel: Option<&'s str>,
    /// The top of its drawing area (the first panel's includes the lane of marker numbers).
    pub(crate) top: i32,
    /// The bottom of its drawing area (the last panel's includes the year axis).
    pub(crate) bottom: i32,
    /// The first panel, under the marker numbers.
    pub(crate) first: bool,
    /// The last panel, over the x-axis labels.
    pub(crate) last: bool,
    /// The y range.
    pub(crate) y0: f64,
    pub(crate) y1: f64,
    /// The values labelled on the y-axis.
    pub(crate) y_ticks: Vec<f64>,
    /// The y-axis title, broken into lines (none on a timeline).
    pub(crate) y_title: Vec<String>,
}

/// Where everything of a chart goes.
pub(crate) struct Layout<'s> {
    pub(crate) fonts: Fonts,
    pub(crate) sizes: Sizes,
    pub(crate) title: Vec<Line>,
    pub(crate) subtitle: Vec<Line>,
    /// The plot region: left, top, right, bottom.
    pub(crate) region: (i32, i32, i32, i32),
    /// The x range, shared by every panel.
    pub(crate) x0: f64,
    pub(crate) x1: f64,
    /// How many grid lines plotters draws along x and (in each panel) along y.
    pub(crate) x_grid: usize,
    pub(crate) y_grid: usize,
    /// The x-axis labels: the value printed and where along x it is centred.
    pub(crate) x_ticks: Vec<(f64, f64)>,
    /// On a year axis a running total (a line or a band) is drawn at the end of its year.
    pub(crate) shift: f64,
    /// A timeline: one row per bar, labelled with the bar, no y ticks.
    pub(crate) timeline: bool,
    /// The height of the lane of marker numbers above the first panel.
    pub(crate) lane: i32,
    pub(crate) x_label_area: i32,
    /// The x-axis title, if shown.
    pub(crate) x_title: Option<&'s str>,
    pub(crate) y_label_area: i32,
    pub(crate) plot_left: i32,
    /// The row of the lane each marker's number stands in (staggered where they would touch).
    pub(crate) number_rows: Vec<usize>,
    pub(crate) panels: Vec<PanelLayout<'s>>,
    /// The timeline's row labels, shortened to fit.
    pub(crate) bar_labels: Vec<String>,
    pub(crate) entries: Vec<(Swatch, String)>,
    pub(crate) legend: LegendLayout,
    pub(crate) legend_origin: (i32, i32),
    /// The radius of a group's mark, in pixels.
    pub(crate) mark_r: i32,
    pub(crate) key: Vec<Line>,
    pub(crate) caption: Vec<Line>,
}

/// Breaks `text` into lines no wider than `max` (a word longer than that is broken by characters).
pub(crate) fn wrap(text: &str, style: &Style, max: i32) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split(' ') {
        let candidate = if line.is_empty() {
            word.to_string()
        } else {
            format!("{line} {word}")
        };
        if style.width(&candidate) <= max {
            line = candidate;
            continue;
        }
        if !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        let mut piece = String::new();
        for ch in word.chars() {
            piece.push(ch);
            if style.width(&piece) > max && piece.chars().count() > 1 {
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
    lines
}

/// `text`, shortened with `…` to fit `max`.
pub(crate) fn fit(text: &str, style: &Style, max: i32) -> String {
    if style.width(text) <= max {
        return text.to_string();
    }
    let mut chars: Vec<char> = text.chars().collect();
    while !chars.is_empty() {
        chars.pop();
        let s: String = chars.iter().collect::<String>() + "…";
        if style.width(&s) <= max {
            return s;
        }
    }
    String::new()
}

/// Lays `spec` out on a `w`×`h` picture drawn with `face`.
///
/// The key names each numbered line in full; where that leaves the plot less than
/// [`PLOT_SHARE`] of the picture's height (or no room at all), the key gives the treaties' names
/// alone and the caption says so, if that gives the plot more room.
pub(crate) fn layout<'s>(
    spec: &'s ChartSpec,
    face: &Face,
    w: u32,
    h: u32,
) -> Result<Layout<'s>, PlotError> {
    let share = |l: &Layout<'_>| f64::from(l.region.3 - l.region.1) / f64::from(h);
    let full = attempt(spec, face, w, h, false);
    let nothing_shorter =
        spec.markers.iter().all(|m| m.short.is_none()) && spec.shaded_ranges.is_empty();
    if full.as_ref().is_ok_and(|l| share(l) >= PLOT_SHARE) || nothing_shorter {
        return full;
    }
    match (full, attempt(spec, face, w, h, true)) {
        (Ok(full), Ok(short)) if share(&short) <= share(&full) => Ok(full),
        (_, Ok(short)) => Ok(short),
        (full, Err(_)) => full,
    }
}

/// The share of the picture's height below which the key is shortened, if that helps.
const PLOT_SHARE: f64 = 0.45;

/// The caption's note when the key is shortened, with shaded years or without.
const SHORT_KEY: [&str; 2] = [
    "key shortened to fit: each numbered line names the treaty that acts; a larger chart says what it does",
    "key shortened to fit: each numbered line names the treaty that acts, and shaded years are listed by kind; a larger chart says what each treaty does and why the years are shaded",
];

fn attempt<'s>(
    spec: &'s ChartSpec,
    face: &Face,
    w: u32,
    h: u32,
    short: bool,
) -> Result<Layout<'s>, PlotError> {
    let (wi, hi) = (w as i32, h as i32);
    let fonts = Fonts { face: face.clone() };
    let sz = Sizes::for_picture(w, h);
    let inner = wi - 2 * MARGIN;

    // Title and subtitle.
    let mut y = MARGIN;
    let mut title = Vec::new();
    for text in wrap(&spec.title, &fonts.bold(sz.title), inner) {
        title.push(Line {
            text,
            at: (MARGIN, y),
        });
        y += line_height(sz.title);
    }
    let mut subtitle = Vec::new();
    if let Some(sub) = &spec.subtitle {
        y += 2;
        for text in wrap(sub, &fonts.muted(sz.subtitle), inner) {
            subtitle.push(Line {
                text,
                at: (MARGIN, y),
            });
            y += line_height(sz.subtitle);
        }
    }
    let top = y + 8;

    // Bottom: marker key, then caption, measured from the bottom up.
    let key = key::place(
        spec,
        &fonts.plain(sz.key),
        line_height(sz.key),
        inner,
        short,
    );
    let cap_style = fonts.muted(sz.caption);
    let mut cap_lines = Vec::new();
    for c in &spec.caption {
        cap_lines.extend(wrap(c, &cap_style, inner));
    }
    if short {
        let note = SHORT_KEY[usize::from(!spec.shaded_ranges.is_empty())];
        cap_lines.extend(wrap(note, &cap_style, inner));
    }
    let cap_h = cap_lines.len() as i32 * line_height(sz.caption);

    // The legend, in rows under the plot, over the full width.
    let legend_style = fonts.plain(sz.legend);
    let entries = legend::entries(spec);
    let legend = legend::place(&entries, &legend_style, line_height(sz.legend), inner);
    let legend_h = legend.height + if legend.height > 0 { 12 } else { 0 };
    let bottom_h = legend_h
        + key.height
        + if key.height > 0 { 12 } else { 0 }
        + cap_h
        + if cap_h > 0 { 10 } else { 0 };

    // The plot region.
    let region = (MARGIN, top, wi - MARGIN, hi - MARGIN - bottom_h);
    if region.2 - region.0 < 240 || region.3 - region.1 < 100 {
        return Err(too_small("the plot with its legend, key and caption", w, h));
    }

    // Axis ranges: one x range; a y range per panel (one panel unless the spec has several).
    let (x0, x1) = x_range(spec);
    let timeline = spec.y_axis.scale == Scale::Category;
    struct Plan<'s> {
        panel: Option<&'s str>,
        title: &'s str,
        unit: Option<&'s str>,
        y0: f64,
        y1: f64,
    }
    let plans: Vec<Plan<'_>> = if spec.panels.is_empty() {
        let (y0, y1) = y_range(spec, None);
        // The unit the series share (one axis, one unit), for a title that does not fit.
        let unit = spec.series.first().and_then(|s| s.unit.as_deref());
        vec![Plan {
            panel: None,
            title: &spec.y_axis.title,
            unit,
            y0,
            y1,
        }]
    } else {
        spec.panels
            .iter()
            .map(|p| {
                let (y0, y1) = y_range(spec, Some(p));
                Plan {
                    panel: Some(&p.id),
                    title: &p.title,
                    unit: Some(&p.unit),
                    y0,
                    y1,
                }
            })
            .collect()
    };
    let n_panels = plans.len() as i32;
    let gap = (sz.tick * 16.0 / 15.0).round() as i32;

    // Room for tick labels and axis titles.
    let tick_style = fonts.plain(sz.tick);
    let desc_style = fonts.plain(sz.axis_title);
    // A year axis needs no title: its labels are years. Any other names what it counts.
    let x_title = (spec.x_axis.scale != Scale::Year).then_some(spec.x_axis.title.as_str());
    let x_label_area =
        line_height(sz.tick) + 8 + x_title.map_or(2, |_| line_height(sz.axis_title) + 6);
    // Each panel's y title, turned, must fit the panel's height (estimated here with room for
    // three rows of marker numbers): wrapped, or the unit alone where even a word is too long.
    let lane_est = if spec.markers.is_empty() {
        6
    } else {
        3 * line_height(sz.number) + 6
    };
    let panel_est =
        (region.3 - region.1 - x_label_area - lane_est - gap * (n_panels - 1)) / n_panels - 4;
    let mut y_titles = Vec::new();
    for p in &plans {
        y_titles.push(if timeline {
            Vec::new()
        } else {
            let lines = wrap(p.title, &desc_style, panel_est);
            let fits = lines.iter().all(|l| desc_style.width(l) <= panel_est);
            match p.unit {
                Some(unit) if !fits || lines.len() > 2 => wrap(unit, &desc_style, panel_est),
                _ => lines,
            }
        });
    }
    // A timeline's rows carry their group's mark between the label and the plot.
    let mark_r = mark_radius(&sz);
    let mark_w = if spec.bars.iter().any(|b| b.mark.is_some()) {
        2 * mark_r + 6
    } else {
        0
    };
    let y_label_area = if timeline {
        let mut wmax = 0;
        for b in &spec.bars {
            wmax = wmax.max(tick_style.width(&b.label));
        }
        (wmax + mark_w).min((region.2 - region.0) * 40 / 100) + 14
    } else {
        let mut widest = 0;
        for (p, t) in plans.iter().zip(&y_titles) {
            let ticks = tick_style
                .width(&tick_amount(p.y1))
                .max(tick_style.width(&tick_amount(p.y1 * 0.95)));
            widest = widest.max(ticks + 10 + line_height(sz.axis_title) * t.len() as i32 + 10);
        }
        widest
    };
    let bar_labels = spec
        .bars
        .iter()
        .map(|b| fit(&b.label, &tick_style, y_label_area - 14 - mark_w))
        .collect();

    // Marker numbers: staggered rows where they would touch.
    let plot_left = region.0 + y_label_area;
    let plot_right = region.2 - 8;
    let to_px = |x: f64| plot_left as f64 + (x - x0) / (x1 - x0) * (plot_right - plot_left) as f64;
    let num_style = fonts.bold(sz.number);
    let mut number_rows: Vec<usize> = Vec::new();
    let mut row_ends: Vec<f64> = Vec::new();
    for (i, m) in spec.markers.iter().enumerate() {
        let px = to_px(f(m.x));
        let half = f64::from(num_style.width(&(i + 1).to_string())) / 2.0;
        let row = row_ends
            .iter()
            .position(|&end| px - half > end + 3.0)
            .unwrap_or(row_ends.len());
        if row == row_ends.len() {
            row_ends.push(f64::MIN);
        }
        row_ends[row] = px + half;
        number_rows.push(row);
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
    // A plot of its own needs room for three ticks; a panel, low by design, for two or three.
    if panel_h < if n_panels == 1 { 64 } else { 48 } {
        let what = match n_panels {
            1 => "the plot with its legend, key and caption".to_string(),
            n => format!(
                "its {n} panels (one per commodity or unit) with its legend, key and caption"
            ),
        };
        return Err(too_small(&what, w, h));
    }
    if timeline && panel_h < spec.bars.len() as i32 * line_height(sz.tick) {
        return Err(too_small("a row for each stream", w, h));
    }
    let plot_w = plot_right - plot_left;
    let x_grid = match spec.x_axis.scale {
        Scale::Year => ((plot_w / 70) as usize).clamp(2, ((x1 - x0).max(1.0)) as usize + 1),
        _ => ((plot_w / 80) as usize).max(2),
    };
    // Panels are low: they get a tick every 35 pixels or so, and at least three.
    let y_grid = if n_panels > 1 {
        ((panel_h / 35) as usize).max(3)
    } else {
        ((panel_h / 45) as usize).max(2)
    };
    let mut x_ticks = Vec::new();
    for v in RangedCoordf64::from(x0..x1).key_points(BoldPoints(x_grid)) {
        // A year's label stands under the middle of the year it names, [y, y + 1).
        let at = if spec.x_axis.scale == Scale::Year {
            v + 0.5
        } else {
            v
        };
        if at <= x1 {
            x_ticks.push((v, at));
        }
    }
    let shift = if spec.x_axis.scale == Scale::Year {
        1.0
    } else {
        0.0
    };
    let mut panels = Vec::new();
    for (pi, (plan, y_title)) in plans.into_iter().zip(y_titles).enumerate() {
        let (first, last) = (pi == 0, pi as i32 == n_panels - 1);
        let panel_top = body_top + pi as i32 * (panel_h + gap);
        let y_ticks = if timeline {
            Vec::new()
        } else {
            RangedCoordf64::from(plan.y0..plan.y1).key_points(BoldPoints(y_grid))
        };
        panels.push(PanelLayout {
            panel: plan.panel,
            top: if first { region.1 } else { panel_top },
            bottom: if last { region.3 } else { panel_top + panel_h },
            first,
            last,
            y0: plan.y0,
            y1: plan.y1,
            y_ticks,
            y_title,
        });
    }

    // Legend, key and caption, under the plot.
    let legend_origin = (MARGIN, region.3 + 12);
    let mut ky = region.3 + legend_h;
    let mut key_lines = Vec::new();
    if key.height > 0 {
        ky += 12;
        key_lines = key
            .lines
            .into_iter()
            .map(|l| Line {
                text: l.text,
                at: (MARGIN + l.at.0, ky + l.at.1),
            })
            .collect();
        ky += key.height;
    }
    let mut caption = Vec::new();
    if cap_h > 0 {
        ky += 10;
        for text in cap_lines {
            caption.push(Line {
                text,
                at: (MARGIN, ky),
            });
            ky += line_height(sz.caption);
        }
    }
    Ok(Layout {
        fonts,
        sizes: sz,
        title,
        subtitle,
        region,
        x0,
        x1,
        x_grid,
        y_grid,
        x_ticks,
        shift,
        timeline,
        lane,
        x_label_area,
        x_title,
        y_label_area,
        plot_left,
        number_rows,
        panels,
        bar_labels,
        entries,
        legend,
        legend_origin,
        mark_r,
        key: key_lines,
        caption,
    })
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

/// The y range of `panel`, or of a chart without panels for `None`.
fn y_range(spec: &ChartSpec, panel: Option<&Panel>) -> (f64, f64) {
    if spec.y_axis.scale == Scale::Category {
        return (0.0, spec.bars.len().max(1) as f64);
    }
    let id = panel.map(|p| p.id.as_str());
    let mut top: f64 = 0.0;
    let mut piles: BTreeMap<(Decimal, Option<&str>), f64> = BTreeMap::new();
    for s in spec.series.iter().filter(|s| s.panel.as_deref() == id) {
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
    for b in spec.bands.iter().filter(|b| b.panel.as_deref() == id) {
        for p in &b.points {
            top = top.max(f(p.high));
        }
    }
    let lo = spec.y_axis.from.map_or(0.0, f);
    let fixed = match panel {
        Some(p) => p.to,
        None => spec.y_axis.to,
    };
    let hi = fixed
        .map(f)
        .unwrap_or(if top > 0.0 { top * 1.06 } else { 1.0 });
    (lo, if hi > lo { hi } else { lo + 1.0 })
}
