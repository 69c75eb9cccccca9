//! tribute-plot: charts of what states paid each other under treaties.
//!
//! Two stages, kept apart so the first can be snapshot-tested as text:
//! 1. builders ([`burden`], [`cumulative`], [`timeline`], [`compare`], and [`burden_valued`] and
//!    [`cumulative_valued`] with a price book) turn the core's reports into a [`ChartSpec`], plain
//!    data with exact [`rust_decimal::Decimal`] values;
//! 2. [`render_svg`] and [`render_png`] draw a spec with plotters and an embedded font.
//!
//! What must always hold:
//! - amounts of different commodities are never added into one number: each is its own series,
//!   and its legend entry names its unit; an axis holds one unit (a panel per unit otherwise);
//! - colour means a commodity on every chart kind; payees and treaties are told apart by a mark
//!   or a shade, which the legend names;
//! - nor are they added by the height of a bar: bars pile up only within one commodity and unit,
//!   or as values in one numeraire ([`ChartSpec::check`], enforced before drawing); unvalued, the
//!   burden chart gives each commodity a panel of its own;
//! - no assumption is ever shown as a record: what a delivery record says was paid and what is
//!   only assumed paid are separate series (bars: full colour and a pale tint of it; lines: solid
//!   and dotted; timeline years: full and pale stripes), each from the core's own `recorded` and
//!   `assumed` figures, and the legend says which is which ([`Measure`], [`Tint`]);
//! - rendering is the only place a decimal becomes a float, and it computes no figure it reports;
//! - every amount a chart shows or labels comes from a core report; the decimal arithmetic left
//!   here is layout: axis ends (a multiple of the tallest bar), dropping points that lie on a
//!   straight line, and compare's line of B's flow (its yearly value, from core, times the years
//!   of the axis);
//! - no system font or fontconfig is used: output is byte-stable on every machine;
//! - every failure is a [`PlotError`] with a lower-case message.

#![deny(missing_docs)]
// The one crate-wide opt-out of the workspace's `arithmetic_side_effects` (Cargo.toml): the
// arithmetic here is layout (pixels, f64 positions, axis ends), and every figure a chart shows
// comes from a core report, where the lint holds.
#![allow(
    clippy::arithmetic_side_effects,
    reason = "layout arithmetic; the figures come checked from core::report"
)]

mod build;
mod error;
mod render;
mod spec;
mod text;

pub use build::burden::{StackBy, burden, burden_valued};
pub use build::compare::{CompareInput, compare};
pub use build::cumulative::{cumulative, cumulative_valued};
pub use build::timeline::timeline;
pub use error::{PlotError, PlotErrorKind};
pub use render::{
    MAX_SIZE, MIN_SIZE, RenderOptions, check_font, missing_glyphs, render_png, render_svg,
};
pub use spec::{
    Axis, Band, BandPoint, Bar, BarMark, ChartKind, ChartSpec, CutBar, Fill, LegendEntry,
    LegendSwatch, Mark, Marker, MarkerKind, Measure, Panel, Point, Scale, Segment, SegmentKind,
    Series, SeriesStyle, ShadeKind, ShadedRange, Stripe, Stroke, Tint,
};
pub use text::amount_text;
