//! Colours and the second channel: what tells the things on a chart apart.
//!
//! Colour means a commodity, on every chart kind: a Song commodity keeps its own colour of
//! [`PALETTE`], any other takes one by its position in the registry (its [`CommodityId`], the
//! registry's order of ids), so silver has one colour on the burden, cumulative and timeline
//! charts alike. Values in a numeraire belong to no
//! commodity and take the neutral [`VALUE`]. Groups (payees, treaties) are told apart by a
//! second channel, never by a colour of their own: a [`Mark`] on lines and timeline rows, a
//! [`Fill`] pattern on piled bars. What must hold: the colour of a commodity depends on the registry
//! and the id alone, never on the chart, its query or the order series are built in.

use tribute_core::CommodityId;

use crate::spec::{Fill, LegendEntry, LegendSwatch, Mark, Stroke, Tint};

/// The commodity palette. No greys (grey means suspended years) and neighbours of clearly
/// different hue. The first fourteen are the colours of the Song commodities ([`KEPT`]): silver
/// blue, silk red, tea green, gold a gold, which they keep however many commodities a registry
/// adds; every other commodity takes a colour by its registry position.
pub(crate) const PALETTE: [&str; 20] = [
    "#a0cbe8", "#f28e2b", "#8cd17d", "#b6992d", "#499894", "#d4a017", "#9d7660", "#d37295",
    "#86bcb6", "#2f4b7c", "#b07aa1", "#e15759", "#4e79a7", "#59a14f", "#ff9d9a", "#fabfd2",
    "#bcbd22", "#17becf", "#8c564b", "#665191",
];

/// The colour of values in a numeraire (a price book's taels, units…), which are no commodity.
pub(crate) const VALUE: &str = "#3d3d3d";

/// The commodities whose colours are fixed, by id, at the palette position of their index here:
/// the built-in registry as it was before the modern currencies joined it (issue 10), so that the
/// Song charts keep their colours when commodities are added.
const KEPT: [&str; 14] = [
    "camel",
    "cash",
    "cattle",
    "cloth",
    "franc",
    "gold",
    "horse",
    "mule",
    "oxen-horses",
    "pongee",
    "satin",
    "silk",
    "silver",
    "tea",
];

/// The colour commodity `c` has on every chart of its corpus: a [`KEPT`] commodity's own, any
/// other by its registry position after those.
pub(crate) fn commodity(reg: &tribute_core::Registry, c: CommodityId) -> String {
    let id = reg.commodity(c).id.as_str();
    let n = KEPT
        .iter()
        .position(|k| *k == id)
        .unwrap_or_else(|| KEPT.len().saturating_add(usize::from(c.0)));
    PALETTE[n % PALETTE.len()].to_string()
}

/// The mark of the `k`-th group of a chart (groups in order of their first payment).
pub(crate) fn mark(k: usize) -> Mark {
    Mark::ALL[k % Mark::ALL.len()]
}

/// The pattern of the `k`-th group of a bar chart (groups in order of their first payment).
pub(crate) fn pattern(k: usize) -> Fill {
    Fill::ALL[k % Fill::ALL.len()]
}

/// Legend entries for the groups of a bar chart: each group's pattern and name.
pub(crate) fn pattern_entries<'a>(groups: impl IntoIterator<Item = &'a str>) -> Vec<LegendEntry> {
    groups
        .into_iter()
        .enumerate()
        .map(|(k, g)| LegendEntry {
            swatch: LegendSwatch::Pattern { fill: pattern(k) },
            text: g.to_string(),
        })
        .collect()
}

/// Legend entries for the groups of a chart: each group's mark and name.
pub(crate) fn group_entries<'a>(groups: impl IntoIterator<Item = &'a str>) -> Vec<LegendEntry> {
    groups
        .into_iter()
        .enumerate()
        .map(|(k, g)| LegendEntry {
            swatch: LegendSwatch::Mark { mark: mark(k) },
            text: g.to_string(),
        })
        .collect()
}

/// The ink of legend entries that explain a style rather than a commodity.
pub(crate) const STYLE_INK: &str = "#555555";

/// The legend entries for the line styles `strokes` (in this order), in ink: `solid: recorded`,
/// `dotted: recorded + assumed`, `dashed: owed`.
pub(crate) fn line_style_entries(strokes: &[Stroke]) -> Vec<LegendEntry> {
    strokes
        .iter()
        .map(|&stroke| LegendEntry {
            swatch: LegendSwatch::Line {
                color: STYLE_INK.into(),
                stroke,
                mark: None,
            },
            text: match stroke {
                Stroke::Solid => "solid: recorded",
                Stroke::Dotted => "dotted: recorded + assumed",
                Stroke::Dashed => "dashed: owed",
            }
            .into(),
        })
        .collect()
}

/// The legend text of a tint: what full and pale colour mean on every chart.
pub(crate) fn tint_text(tint: Tint) -> &'static str {
    match tint {
        Tint::Full => "full colour: recorded",
        Tint::Pale => "pale colour: assumed paid: no record",
    }
}

/// A legend entry for a tint, shown in `color` (a colour the chart draws in that tint: grey
/// would read as the grey of suspended years).
pub(crate) fn tint_entry(color: &str, tint: Tint) -> LegendEntry {
    LegendEntry {
        swatch: LegendSwatch::Fill {
            color: color.into(),
            fill: Fill::Solid,
            tint,
        },
        text: tint_text(tint).into(),
    }
}

/// A legend entry for a bar colour, fill and tint.
pub(crate) fn fill_entry(color: &str, fill: Fill, tint: Tint, text: String) -> LegendEntry {
    LegendEntry {
        swatch: LegendSwatch::Fill {
            color: color.to_string(),
            fill,
            tint,
        },
        text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_take_marks_and_patterns_in_turn() {
        assert_eq!(mark(0), Mark::Circle);
        assert_eq!(mark(2), Mark::Triangle);
        assert_eq!(mark(Mark::ALL.len()), Mark::Circle);
        assert_eq!(pattern(0), Fill::Solid);
        assert_eq!(pattern(1), Fill::Hatched);
        assert_eq!(pattern(Fill::ALL.len() + 2), Fill::BackHatched);
    }

    #[test]
    fn the_palette_has_no_greys_and_no_repeats() {
        let set: std::collections::BTreeSet<&str> = PALETTE.iter().copied().collect();
        assert_eq!(set.len(), PALETTE.len());
        for hex in PALETTE {
            let c = |i: usize| i32::from(u8::from_str_radix(&hex[i..i + 2], 16).unwrap());
            let (r, g, b) = (c(1), c(3), c(5));
            let spread = r.max(g).max(b) - r.min(g).min(b);
            assert!(spread > 40, "{hex} is too grey");
        }
    }
}
