//! Layout: where every part of a chart goes, decided before anything is drawn.
//!
//! The picture is laid out top to bottom: title and subtitle; a lane of marker numbers; the plot,
//! with the legend to its right; the key to the numbered markers; the caption. [`layout`] measures
//! every text with the font it is drawn in and wraps it to the room it has, chooses the axis ranges
//! and ticks, and places the panels, the legend's entries, the key's columns and the caption's
//! lines; [`super::paint`] then draws them where they were put. What must hold: a layout is
//! computed from the spec, the face and the size alone (no backend), so it is the same for SVG and
//! PNG; nothing is placed over anything else; a picture too small to hold the chart is an error
//! here, before anything is drawn; no figure is computed here except the tick values, chosen on
//! the axis as plotters chooses its grid.

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
use super::legend::{self, LegendLayout, SWATCH_W, Swatch};
use super::theme::{Fonts, MARGIN, Sizes, f, line_height, too_small};
use crate::error::PlotError;
use crate::spec::{ChartSpec, Scale, SeriesStyle};
use crate::text::{amount_text, tick_amount};

/// A line of text and where its anchor goes.
pub(crate) struct Line {
    pub(crate) text: String,
    pub(crate) at: (i32, i32),
}

/// One panel: its rows of pixels, its y range and ticks, its y-axis title.
pub(crate) struct PanelLayout<'s> {
    /// The stack whose bars it draws; `None` for a chart of one plot, which draws everything.
    pub(crate) stack: Option<&'s str>,
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
    pub(crate) key: Vec<Line>,
    pub(crate) caption: Vec<Line>,
}

/// Breaks `text` into lines no wider than `max` (a word longer than that is broken by characters).
pub(crate) fn wrap(text: &str, style: &Style, max: i32) -> Result<Vec<String>, PlotError> {
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
    Ok(lines)
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

/// The text of a marker's position for the key.
fn x_text(scale: Scale, x: Decimal) -> String {
    match scale {
        Scale::Year => x.normalize().to_string(),
        _ => amount_text(x),
    }
}

/// Lays `spec` out on a `w`×`h` picture drawn with `face`.
pub(crate) fn layout<'s>(
    spec: &'s ChartSpec,
    face: &Face,
    w: u32,
    h: u32,
) -> Result<Layout<'s>, PlotError> {
    let (wi, hi) = (w as i32, h as i32);
    let fonts = Fonts { face: face.clone() };
    let sz = Sizes::for_picture(w, h);
    let inner = wi - 2 * MARGIN;

    // Title and subtitle.
    let mut y = MARGIN;
    let mut title = Vec::new();
    for text in wrap(&spec.title, &fonts.bold(sz.title), inner)? {
        title.push(Line {
            text,
            at: (MARGIN, y),
        });
        y += line_height(sz.title);
    }
    let mut subtitle = Vec::new();
    if let Some(sub) = &spec.subtitle {
        y += 2;
        for text in wrap(sub, &fonts.muted(sz.subtitle), inner)? {
            subtitle.push(Line {
                text,
                at: (MARGIN, y),
            });
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
    let widest: Vec<i32> = key_entries.iter().map(|e| key_style.width(e)).collect();
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
        key_lines.push(wrap(e, &key_style, col_w - indent)?);
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
        cap_lines.extend(wrap(c, &cap_style, inner)?);
    }
    let cap_h = cap_lines.len() as i32 * line_height(sz.caption);
    let bottom_h = key_h + if key_h > 0 { 12 } else { 0 } + cap_h + if cap_h > 0 { 10 } else { 0 };

    // The legend: to the right of the plot if it fits there, else in rows under the plot.
    let legend_style = fonts.plain(sz.legend);
    let entries = legend::entries(spec);
    let mut legend_text_w = 0;
    for (_, t) in &entries {
        legend_text_w = legend_text_w.max(legend_style.width(t));
    }
    let legend_lh = line_height(sz.legend);
    let legend_w = (legend_text_w + SWATCH_W + 8).min(wi * 30 / 100);
    let beside = legend::place(&entries, &legend_style, legend_lh, legend_w, 1)?;
    let fits_beside = top + beside.height <= hi - MARGIN - bottom_h;
    let (legend, legend_x, bottom_h) = if fits_beside {
        (beside, wi - MARGIN - legend_w, bottom_h)
    } else {
        let col_w = (legend_text_w + SWATCH_W + 8).min(inner);
        let cols = ((inner + 24) / (col_w + 24)).max(1) as usize;
        let under = legend::place(&entries, &legend_style, legend_lh, col_w, cols)?;
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
    let plot_h = (region.3 - region.1 - x_label_area - 40 - gap * (n_panels - 1)) / n_panels;
    let mut y_titles = Vec::new();
    for p in &plans {
        y_titles.push(if timeline {
            Vec::new()
        } else {
            wrap(p.title, &desc_style, plot_h.max(100))?
        });
    }
    let y_label_area = if timeline {
        let mut wmax = 0;
        for b in &spec.bars {
            wmax = wmax.max(tick_style.width(&b.label));
        }
        wmax.min((region.2 - region.0) * 40 / 100) + 14
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
        .map(|b| fit(&b.label, &tick_style, y_label_area - 14))
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
    if panel_h < 60 {
        return Err(too_small("a panel for each commodity", w, h));
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
            stack: plan.stack,
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
    let legend_origin = if fits_beside {
        (legend_x, top)
    } else {
        (MARGIN, hi - MARGIN - bottom_h + 12)
    };
    let legend_under = if fits_beside { 0 } else { legend.height + 12 };
    let mut ky = hi - MARGIN - bottom_h + legend_under;
    let mut key = Vec::new();
    if key_h > 0 {
        ky += 12;
        for (c, column) in columns.iter().enumerate() {
            let x = MARGIN + c as i32 * (col_w + col_gap);
            let mut y = ky;
            for lines in column {
                for (j, line) in lines.iter().enumerate() {
                    let at = (if j == 0 { x } else { x + indent }, y);
                    key.push(Line {
                        text: line.clone(),
                        at,
                    });
                    y += line_height(sz.key);
                }
            }
        }
        ky += key_h;
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
        y_label_area,
        plot_left,
        number_rows,
        panels,
        bar_labels,
        entries,
        legend,
        legend_origin,
        key,
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
