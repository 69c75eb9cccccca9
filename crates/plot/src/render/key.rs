//! The key under the legend: one entry per numbered marker line (its year and what it marks) and
//! per shaded range of years (its kind and why), in up to three columns.
//!
//! What must hold: entries are numbered as the lines are, in order; each entry's continuation
//! lines are indented so it stands out; a shortened key ([`place`] with `short`) names each
//! numbered line's treaty alone and gathers shaded years by kind, and says nothing untrue: the
//! layout adds a caption line saying the key was shortened.

use rust_decimal::Decimal;

use super::font::Style;
use super::layout::wrap;
use crate::spec::{ChartSpec, Scale, ShadeKind, ShadedRange};
use crate::text::amount_text;

/// A line of the key and where its top-left corner goes, from the key's own top-left corner.
pub(crate) struct KeyLine {
    pub(crate) text: String,
    pub(crate) at: (i32, i32),
}

/// The key's lines, placed, and its height.
pub(crate) struct Key {
    pub(crate) lines: Vec<KeyLine>,
    pub(crate) height: i32,
}

/// The gap between two columns of the key.
const COL_GAP: i32 = 28;

/// How far an entry's continuation lines are indented.
const INDENT: i32 = 18;

/// The text of a marker's position for the key.
fn x_text(scale: Scale, x: Decimal) -> String {
    match scale {
        Scale::Year => x.normalize().to_string(),
        _ => amount_text(x),
    }
}

/// `1161–1164`, or `1126` for a single year.
fn years(r: &ShadedRange) -> String {
    if r.from == r.to {
        r.from.to_string()
    } else {
        format!("{}–{}", r.from, r.to)
    }
}

/// The key's entries, in order: the numbered lines, then the shaded years.
fn entries(spec: &ChartSpec, short: bool) -> Vec<String> {
    let mut out: Vec<String> = spec
        .markers
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let label = match (&m.short, short) {
                (Some(s), true) => s,
                _ => &m.label,
            };
            match spec.x_axis.scale {
                Scale::Year => format!("{}. {} – {label}", i + 1, x_text(spec.x_axis.scale, m.x)),
                _ => format!("{}. {label}", i + 1),
            }
        })
        .collect();
    if short {
        // Shortened: the years of each kind of shading in one entry, without the reasons.
        let mut kinds: Vec<(ShadeKind, Vec<String>)> = Vec::new();
        for r in &spec.shaded_ranges {
            let y = years(r);
            match kinds.iter_mut().find(|(k, _)| *k == r.kind) {
                Some((_, ys)) if ys.contains(&y) => {}
                Some((_, ys)) => ys.push(y),
                None => kinds.push((r.kind, vec![y])),
            }
        }
        out.extend(
            kinds
                .into_iter()
                .map(|(k, ys)| format!("{}: {}", k.as_str(), ys.join(", "))),
        );
    } else {
        out.extend(
            spec.shaded_ranges
                .iter()
                .map(|r| format!("{} {}: {}", years(r), r.kind.as_str(), r.label)),
        );
    }
    out
}

/// Places the key of `spec` in `width` pixels with `style`, lines `lh` apart.
pub(crate) fn place(spec: &ChartSpec, style: &Style, lh: i32, width: i32, short: bool) -> Key {
    let entries = entries(spec, short);
    let widest: Vec<i32> = entries.iter().map(|e| style.width(e)).collect();
    // As many columns (up to three) as leave three entries in four on a line of their own.
    let fits = |cols: i32| {
        let col_w = (width - COL_GAP * (cols - 1)) / cols;
        widest.iter().filter(|&&w| w <= col_w).count() * 4 >= widest.len() * 3
    };
    let mut cols = (1..=3).rev().find(|&c| fits(c)).unwrap_or(1);
    if cols == 1 && entries.len() > 4 && width >= 600 {
        // Long entries wrap in two columns rather than take a line each of the full width.
        cols = 2;
    }
    let col_w = (width - COL_GAP * (cols - 1)) / cols;
    let wrapped: Vec<Vec<String>> = entries
        .iter()
        .map(|e| wrap(e, style, col_w - INDENT))
        .collect();
    // Entries flow down the columns in order, each column taking about an equal share of lines.
    let total: usize = wrapped.iter().map(Vec::len).sum();
    let share = total.div_ceil(cols as usize);
    let (mut lines, mut height) = (Vec::new(), 0);
    let (mut col, mut filled) = (0, 0);
    for entry in wrapped {
        if filled >= share && col + 1 < cols {
            col += 1;
            filled = 0;
        }
        for (j, text) in entry.into_iter().enumerate() {
            let x = col * (col_w + COL_GAP) + if j == 0 { 0 } else { INDENT };
            let y = filled as i32 * lh;
            lines.push(KeyLine { text, at: (x, y) });
            filled += 1;
            height = height.max(y + lh);
        }
    }
    Key { lines, height }
}
