//! Shapes the painter draws in pixels: groups' marks, hatched areas, legend swatches.
//!
//! What must hold: hatching is drawn in the picture's own pixel phase (a line wherever
//! `y ∓ x` is a multiple of the step), so the hatching of neighbouring bars lines up into one
//! pattern; a mark is the same shape on a line, by a timeline row and in the legend; nothing here
//! knows what it draws, only where.

#![allow(
    clippy::float_arithmetic,
    reason = "pixel geometry; nothing computed here is reported as a figure"
)]

use plotters::coord::Shift;
use plotters::prelude::*;

use super::legend::Swatch;
use super::theme::{INK, failed};
use crate::error::PlotError;
use crate::spec::{Fill, Mark, Stroke, Tint};

/// A point of an area's outline: `(x, top, bottom)` in pixels; an area is given by its edges at
/// increasing `x`, straight between them.
pub(crate) type Edge = (f64, f64, f64);

/// The step between hatching lines, along x, in pixels.
const STEP: f64 = 7.0;

/// How strongly an area is hatched: the opacity of its ground and of its lines.
#[derive(Clone, Copy)]
pub(crate) struct Strength {
    ground: f64,
    line: f64,
}

/// Bars (and their swatches): a clear ground, full-colour lines.
pub(crate) const BAR: Strength = Strength {
    ground: 0.35,
    line: 1.0,
};

/// Bars of what is assumed paid (and their swatches): a paler ground, paler lines.
pub(crate) const PALE_BAR: Strength = Strength {
    ground: 0.14,
    line: 0.5,
};

/// The opacity of a solid area in a pale tint (what is assumed paid).
pub(crate) const PALE: f64 = 0.4;

/// Bands, which lie under lines: a faint ground, softer lines.
pub(crate) const BAND: Strength = Strength {
    ground: 0.10,
    line: 0.7,
};

/// A group's pattern in the legend, in ink.
const PATTERN: Strength = Strength {
    ground: 0.12,
    line: 1.0,
};

/// Fills the area between `edges` with a pale ground of `color` (at `ground` opacity) and
/// diagonal lines: rising to the right for [`Fill::Hatched`], falling for [`Fill::BackHatched`],
/// both for [`Fill::CrossHatched`] (a [`Fill::Solid`] area gets only its ground).
pub(crate) fn hatch<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    edges: &[Edge],
    color: RGBColor,
    fill: Fill,
    strength: Strength,
) -> Result<(), PlotError> {
    if edges.len() < 2 {
        return Ok(());
    }
    let px = |v: f64| v.round() as i32;
    let mut outline: Vec<(i32, i32)> = edges.iter().map(|e| (px(e.0), px(e.1))).collect();
    outline.extend(edges.iter().rev().map(|e| (px(e.0), px(e.2))));
    root.draw(&Polygon::new(outline, color.mix(strength.ground).filled()))
        .map_err(failed)?;
    // A line is y = s·x + c: s = −1 rises to the right (screen y grows downwards), s = 1 falls.
    let slopes: &[f64] = match fill {
        Fill::Solid => &[],
        Fill::Hatched => &[-1.0],
        Fill::BackHatched => &[1.0],
        Fill::CrossHatched => &[-1.0, 1.0],
    };
    for &s in slopes {
        lines(root, edges, color.mix(strength.line), s)?;
    }
    Ok(())
}

/// The hatching lines of slope `s` across the area between `edges`.
fn lines<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    edges: &[Edge],
    color: RGBAColor,
    s: f64,
) -> Result<(), PlotError> {
    let px = |v: f64| v.round() as i32;
    let cs = edges.iter().flat_map(|e| [e.1 - s * e.0, e.2 - s * e.0]);
    let (lo, hi) = cs.fold((f64::MAX, f64::MIN), |(a, b), c| (a.min(c), b.max(c)));
    let style = color.stroke_width(1);
    let mut c = (lo / STEP).ceil() * STEP;
    while c <= hi {
        // The pieces of the line inside the area, segment by segment, joined where they touch.
        let mut pieces: Vec<(f64, f64)> = Vec::new();
        for w in edges.windows(2) {
            let (a, b) = (w[0], w[1]);
            if b.0 <= a.0 {
                continue;
            }
            // The area's top and bottom at x, straight between the two edges.
            let at = |x: f64| {
                let t = (x - a.0) / (b.0 - a.0);
                (a.1 + (b.1 - a.1) * t, a.2 + (b.2 - a.2) * t)
            };
            // Inside where top ≤ y ≤ bottom: two conditions, each linear in x.
            let mut range = (a.0, b.0);
            let conditions: [&dyn Fn(f64) -> f64; 2] =
                [&|x| s * x + c - at(x).0, &|x| at(x).1 - (s * x + c)];
            for g in conditions {
                let (ga, gb) = (g(range.0), g(range.1));
                if ga < 0.0 && gb < 0.0 {
                    range = (1.0, 0.0);
                    break;
                }
                if ga < 0.0 || gb < 0.0 {
                    let x = range.0 + ga / (ga - gb) * (range.1 - range.0);
                    range = if ga < 0.0 { (x, range.1) } else { (range.0, x) };
                }
            }
            if range.1 <= range.0 {
                continue;
            }
            match pieces.last_mut() {
                Some(last) if (range.0 - last.1).abs() < 0.5 => last.1 = range.1,
                _ => pieces.push(range),
            }
        }
        for (x0, x1) in pieces {
            root.draw(&PathElement::new(
                vec![(px(x0), px(s * x0 + c)), (px(x1), px(s * x1 + c))],
                style,
            ))
            .map_err(failed)?;
        }
        c += STEP;
    }
    Ok(())
}

/// Draws mark `m` of radius `r` centred at `at`, on a white ground a pixel wider so it stands out
/// from the line under it.
pub(crate) fn mark<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    m: Mark,
    at: (i32, i32),
    r: i32,
    color: RGBColor,
) -> Result<(), PlotError> {
    let (x, y) = at;
    let draw = |e: &dyn Fn(ShapeStyle) -> Result<(), PlotError>| -> Result<(), PlotError> {
        e(color.filled())
    };
    let ground = WHITE.filled();
    match m {
        Mark::Circle | Mark::Ring => {
            root.draw(&Circle::new((x, y), r + 1, ground))
                .map_err(failed)?;
            let style = if m == Mark::Circle {
                color.filled()
            } else {
                color.stroke_width(2)
            };
            root.draw(&Circle::new((x, y), r, style)).map_err(failed)?;
        }
        Mark::Square | Mark::Box => {
            let q = r;
            root.draw(&Rectangle::new(
                [(x - q - 1, y - q - 1), (x + q + 1, y + q + 1)],
                ground,
            ))
            .map_err(failed)?;
            let style = if m == Mark::Square {
                color.filled()
            } else {
                color.stroke_width(2)
            };
            root.draw(&Rectangle::new([(x - q, y - q), (x + q, y + q)], style))
                .map_err(failed)?;
        }
        Mark::Triangle => {
            let pts = |k: i32| {
                vec![
                    (x, y - r - 1 - k),
                    (x - r - 1 - k, y + r + k),
                    (x + r + 1 + k, y + r + k),
                ]
            };
            root.draw(&Polygon::new(pts(1), ground)).map_err(failed)?;
            draw(&|st| root.draw(&Polygon::new(pts(0), st)).map_err(failed))?;
        }
        Mark::Diamond => {
            let pts = |k: i32| {
                let d = r + 1 + k;
                vec![(x, y - d), (x + d, y), (x, y + d), (x - d, y)]
            };
            root.draw(&Polygon::new(pts(1), ground)).map_err(failed)?;
            draw(&|st| root.draw(&Polygon::new(pts(0), st)).map_err(failed))?;
        }
    }
    Ok(())
}

/// Draws a legend swatch with its left edge at `sx`, centred on the row `cy`.
pub(crate) fn swatch<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    sw: &Swatch,
    sx: i32,
    cy: i32,
    mark_r: i32,
) -> Result<(), PlotError> {
    let boxed = [(sx, cy - 6), (sx + 18, cy + 6)];
    let edges = |x0: i32, x1: i32| {
        [
            (f64::from(x0), f64::from(cy - 6), f64::from(cy + 6)),
            (f64::from(x1), f64::from(cy - 6), f64::from(cy + 6)),
        ]
    };
    match sw {
        Swatch::Fill(c, a, Fill::Solid, tint) => {
            let a = if *tint == Tint::Pale { a * PALE } else { *a };
            root.draw(&Rectangle::new(boxed, c.mix(a).filled()))
                .map_err(failed)?;
        }
        Swatch::Fill(c, _, fill, tint) => {
            let strength = if *tint == Tint::Pale { PALE_BAR } else { BAR };
            hatch(root, &edges(sx, sx + 18), *c, *fill, strength)?;
        }
        Swatch::Band(c, Fill::Solid) => {
            root.draw(&Rectangle::new(boxed, c.mix(0.2).filled()))
                .map_err(failed)?;
        }
        Swatch::Band(c, fill) => hatch(root, &edges(sx, sx + 18), *c, *fill, BAND)?,
        Swatch::Outline(c) => {
            root.draw(&Rectangle::new(boxed, c.stroke_width(2)))
                .map_err(failed)?;
        }
        Swatch::Pale(c) => {
            root.draw(&Rectangle::new(boxed, c.mix(0.3).filled()))
                .map_err(failed)?;
            root.draw(&Rectangle::new(boxed, c.stroke_width(2)))
                .map_err(failed)?;
        }
        Swatch::Line(c, stroke, m) => {
            // Dashes (and dots) as the plot draws them: 7 on, 5 off; 2 on, 3 off, thicker.
            let (on, step, width) = match stroke {
                Stroke::Solid => (18, 18, 2),
                Stroke::Dashed => (7, 12, 2),
                Stroke::Dotted => (2, 5, 3),
            };
            let mut a = sx;
            while a < sx + 18 {
                root.draw(&PathElement::new(
                    vec![(a, cy), ((a + on).min(sx + 18), cy)],
                    c.stroke_width(width),
                ))
                .map_err(failed)?;
                a += step;
            }
            if let Some(m) = m {
                mark(root, *m, (sx + 9, cy), mark_r, *c)?;
            }
        }
        Swatch::Mark(m) => mark(root, *m, (sx + 9, cy), mark_r, INK)?,
        Swatch::Pattern(Fill::Solid) => {
            root.draw(&Rectangle::new(boxed, INK.filled()))
                .map_err(failed)?;
        }
        Swatch::Pattern(fill) => {
            hatch(root, &edges(sx, sx + 18), INK, *fill, PATTERN)?;
            root.draw(&Rectangle::new(boxed, INK.stroke_width(1)))
                .map_err(failed)?;
        }
        Swatch::Event => {
            let tri = Polygon::new(
                vec![(sx + 3, cy - 6), (sx + 15, cy - 6), (sx + 9, cy + 4)],
                INK.filled(),
            );
            root.draw(&tri).map_err(failed)?;
        }
        Swatch::Cut => {
            root.draw(&Rectangle::new(
                [(sx + 4, cy - 7), (sx + 14, cy + 7)],
                super::theme::MUTED.filled(),
            ))
            .map_err(failed)?;
            for dy in [-3, 1] {
                root.draw(&PathElement::new(
                    vec![(sx + 2, cy + dy + 2), (sx + 16, cy + dy - 2)],
                    WHITE.stroke_width(2),
                ))
                .map_err(failed)?;
            }
        }
    }
    Ok(())
}
