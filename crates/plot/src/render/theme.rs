//! The look every chart shares, used by both layout and paint: colours, text sizes, margins, and
//! the small conversions from the spec's exact values and `#rrggbb` colours to what plotters takes.
//!
//! What must hold: nothing here depends on the backend, so a layout measured with these sizes is
//! the layout painted; [`f`] is the one place an exact amount becomes a float (a pixel position).

#![allow(
    clippy::float_arithmetic,
    clippy::cast_precision_loss,
    reason = "rendering is the one place where exact amounts become pixel positions; nothing computed here is reported as a figure"
)]

use plotters::style::RGBColor;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

use super::font::{Face, Style};
use crate::error::{PlotError, PlotErrorKind};
use crate::spec::ShadeKind;

pub(crate) const INK: RGBColor = RGBColor(34, 34, 34);
pub(crate) const MUTED: RGBColor = RGBColor(85, 85, 85);
pub(crate) const GRID: RGBColor = RGBColor(225, 225, 225);
pub(crate) const MARKER: RGBColor = RGBColor(70, 70, 70);
pub(crate) const SUSPENDED: RGBColor = RGBColor(160, 160, 160);
pub(crate) const UNKNOWN: RGBColor = RGBColor(240, 170, 40);
pub(crate) const NOT_DELIVERED: RGBColor = RGBColor(200, 70, 70);

/// The margin around the picture, in pixels.
pub(crate) const MARGIN: i32 = 16;

/// Text sizes in plotters' font units (the em is size ÷ 1.24 pixels), for a 1200×900 picture;
/// other sizes scale them (see [`Sizes::for_picture`]).
pub(crate) struct Sizes {
    pub(crate) title: f64,
    pub(crate) subtitle: f64,
    pub(crate) axis_title: f64,
    pub(crate) tick: f64,
    pub(crate) legend: f64,
    pub(crate) key: f64,
    pub(crate) caption: f64,
    pub(crate) number: f64,
}

impl Sizes {
    /// Sizes for a `w`×`h` picture: by the square root of its area against 1200×900, kept within
    /// 0.75–1.6 so text stays readable on small pictures and in proportion on large ones.
    pub(crate) fn for_picture(w: u32, h: u32) -> Sizes {
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

/// Text styles of one face.
pub(crate) struct Fonts {
    pub(crate) face: Face,
}

impl Fonts {
    pub(crate) fn plain(&self, size: f64) -> Style {
        self.face.style(size, (INK.0, INK.1, INK.2), false)
    }

    pub(crate) fn muted(&self, size: f64) -> Style {
        self.face.style(size, (MUTED.0, MUTED.1, MUTED.2), false)
    }

    pub(crate) fn bold(&self, size: f64) -> Style {
        self.face.style(size, (INK.0, INK.1, INK.2), true)
    }
}

/// A drawing failure as a plot error.
pub(crate) fn failed<E: std::fmt::Display>(e: E) -> PlotError {
    PlotError::new(PlotErrorKind::Render, format!("cannot draw the chart: {e}"))
}

/// The error for a picture too small to hold `what`.
pub(crate) fn too_small(what: &str, w: u32, h: u32) -> PlotError {
    PlotError::new(
        PlotErrorKind::Size,
        format!(
            "a {w}×{h} picture leaves no room for {what}; make it larger (1200×900 suits most charts)"
        ),
    )
}

/// An exact value as a float, for a pixel position only.
pub(crate) fn f(d: Decimal) -> f64 {
    d.to_f64().unwrap_or(0.0)
}

/// A `#rrggbb` colour (grey for anything unreadable).
pub(crate) fn rgb(hex: &str) -> RGBColor {
    let h = hex.trim_start_matches('#');
    let c = |i: usize| {
        h.get(i..i + 2)
            .and_then(|s| u8::from_str_radix(s, 16).ok())
            .unwrap_or(128)
    };
    RGBColor(c(0), c(2), c(4))
}

/// The height of a line of text of `size`, with its leading (1.4 em).
pub(crate) fn line_height(size: f64) -> i32 {
    (size * 1.13).ceil() as i32
}

/// The colour and opacity years shaded for `kind` are drawn with.
pub(crate) fn shade_color(kind: ShadeKind) -> (RGBColor, f64) {
    match kind {
        ShadeKind::Suspended => (SUSPENDED, 0.30),
        ShadeKind::DeliveryUnknown => (UNKNOWN, 0.25),
        ShadeKind::NotDelivered => (NOT_DELIVERED, 0.15),
    }
}

/// The radius of a group's mark (on a line, by a timeline row, in the legend), in pixels.
pub(crate) fn mark_radius(sz: &Sizes) -> i32 {
    ((sz.tick / 3.0).round() as i32).max(4)
}
