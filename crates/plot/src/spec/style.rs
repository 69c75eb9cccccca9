//! How things are told apart: fills and marks (the second channel after colour), and the
//! legend entries that say what each colour, fill, line and mark stands for.
//!
//! What must hold: a [`Fill`] or [`Mark`] says nothing by itself; whatever a chart uses one for,
//! its legend says, in a [`LegendEntry`].

use serde::Serialize;

/// How an area (a bar, a band, a legend swatch) is filled. A style parameter of its own, so that
/// two series of one commodity and colour (what was recorded and what is assumed, say) can be told
/// apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Fill {
    /// Solid colour (a band: translucent).
    #[default]
    Solid,
    /// Diagonal lines rising to the right on a pale ground of the colour.
    Hatched,
    /// Diagonal lines falling to the right on a pale ground of the colour.
    BackHatched,
    /// Diagonal lines both ways on a pale ground of the colour.
    CrossHatched,
}

impl Fill {
    /// The fills in the order the groups of a bar chart take them.
    pub const ALL: [Fill; 4] = [
        Fill::Solid,
        Fill::Hatched,
        Fill::BackHatched,
        Fill::CrossHatched,
    ];
}

/// How strong an area's colour is: a style parameter of its own, so that what is recorded and
/// what is only assumed paid can be told apart in one commodity's colour, whatever the pattern.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Tint {
    /// The full colour (what a record says was paid).
    #[default]
    Full,
    /// A pale tint of the colour (what is assumed paid, with no record).
    Pale,
}

/// How a line is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Stroke {
    /// A solid line.
    #[default]
    Solid,
    /// A dashed line.
    Dashed,
    /// A dotted line.
    Dotted,
}

/// A shape that tells groups apart where colour means a commodity: drawn along a line, by a
/// timeline row's label, and in the legend.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Mark {
    /// A filled circle.
    Circle,
    /// A filled square.
    Square,
    /// A filled triangle, point up.
    Triangle,
    /// A filled diamond.
    Diamond,
    /// An empty circle.
    Ring,
    /// An empty square.
    Box,
}

impl Mark {
    /// The marks in the order groups take them.
    pub const ALL: [Mark; 6] = [
        Mark::Circle,
        Mark::Square,
        Mark::Triangle,
        Mark::Diamond,
        Mark::Ring,
        Mark::Box,
    ];
}

/// What a legend entry's swatch shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "swatch")]
pub enum LegendSwatch {
    /// A box of a colour, fill and tint, as a bar is drawn.
    Fill {
        /// `#rrggbb`.
        color: String,
        /// How it is filled.
        fill: Fill,
        /// How strong the colour is.
        tint: Tint,
    },
    /// A line, solid, dashed or dotted, with a mark or none.
    Line {
        /// `#rrggbb`.
        color: String,
        /// How it is drawn.
        stroke: Stroke,
        /// The mark drawn on it.
        mark: Option<Mark>,
    },
    /// A band's fill.
    Band {
        /// `#rrggbb`.
        color: String,
        /// How it is filled.
        fill: Fill,
    },
    /// A group's mark, in ink.
    Mark {
        /// The mark.
        mark: Mark,
    },
    /// A group's pattern, in ink.
    Pattern {
        /// The pattern.
        fill: Fill,
    },
}

/// One entry of the legend.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LegendEntry {
    /// The swatch.
    pub swatch: LegendSwatch,
    /// What it stands for (`silver (tael)`, `Song → Jin`, `dashed: owed`).
    pub text: String,
}
