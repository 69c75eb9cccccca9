//! Fonts and text: the embedded DejaVu Sans, a font the user passes as bytes, and the text style
//! every label is drawn with.
//!
//! plotters' own `ab_glyph` text drops each glyph's left side bearing, which puts gaps inside words
//! ("Ji n", "1 224"); so the chart draws its text through [`Style`], which places glyphs by their
//! outlines' true bounds, kerns, and measures text with the same metrics it draws with. What must
//! hold: no system font and no fontconfig is ever read (plotters' `ttf` feature stays off), so
//! output is the same on every machine; text is measured and drawn at one em size in both
//! backends (an SVG's `font-size` is plotters' size ÷ 1.24, and so is ours); a character the
//! user's font lacks is drawn from DejaVu Sans, never as an empty box.

use std::sync::{Arc, OnceLock};

use ab_glyph::{Font, FontArc, GlyphId, PxScale, ScaleFont, point};
use plotters::style::{FontStyle, register_font};
use plotters_backend::text_anchor::Pos;
use plotters_backend::{BackendColor, BackendCoord, BackendTextStyle, FontFamily, FontTransform};

use crate::error::{PlotError, PlotErrorKind};

/// The family an SVG names when the embedded font is used: a viewer takes DejaVu Sans where it
/// has it and its own sans-serif otherwise.
const BUILTIN_FAMILY: &str = "DejaVu Sans, sans-serif";

/// The family plotters draws its own (empty) tick labels with; DejaVu Sans is registered under it.
pub(crate) const PLOTTERS_FAMILY: &str = "sans-serif";

fn font_error(what: &str) -> PlotError {
    PlotError::new(
        PlotErrorKind::Font,
        format!("{what} is not a TrueType or OpenType font that can be read"),
    )
}

/// DejaVu Sans regular and bold, parsed once; also registered with plotters under
/// [`PLOTTERS_FAMILY`] so that anything plotters draws itself finds a font.
fn builtin() -> Result<&'static (FontArc, FontArc), PlotError> {
    static FONTS: OnceLock<Option<(FontArc, FontArc)>> = OnceLock::new();
    FONTS
        .get_or_init(|| {
            let regular = FontArc::try_from_slice(dejavu::sans::regular()).ok()?;
            let bold = FontArc::try_from_slice(dejavu::sans::bold()).ok()?;
            register_font(PLOTTERS_FAMILY, FontStyle::Normal, dejavu::sans::regular()).ok()?;
            register_font(PLOTTERS_FAMILY, FontStyle::Bold, dejavu::sans::bold()).ok()?;
            Some((regular, bold))
        })
        .as_ref()
        .ok_or_else(|| font_error("the embedded DejaVu Sans"))
}

/// The family name in a font's name table, made safe for a CSS `font-family` list.
fn family_name(bytes: &[u8]) -> Option<String> {
    let face = ttf_parser::Face::parse(bytes, 0).ok()?;
    let names = face.names();
    let pick = |id: u16| {
        names
            .into_iter()
            .filter(|n| n.name_id == id && n.is_unicode())
            .find_map(|n| n.to_string())
    };
    let name = pick(ttf_parser::name_id::TYPOGRAPHIC_FAMILY)
        .or_else(|| pick(ttf_parser::name_id::FAMILY))?;
    let clean: String = name
        .chars()
        .filter(|c| !c.is_control() && !matches!(c, ',' | '"' | '\'' | ';' | '<' | '>' | '&'))
        .collect();
    let clean = clean.trim().to_string();
    (!clean.is_empty()).then_some(clean)
}

/// The fonts one chart is drawn with, in the order glyphs are looked up.
#[derive(Clone)]
pub(crate) struct Face {
    family: String,
    regular: Arc<[FontArc]>,
    bold: Arc<[FontArc]>,
}

impl Face {
    /// The user's font, falling back to DejaVu Sans for characters it lacks; or DejaVu Sans alone.
    pub(crate) fn new(user: Option<&[u8]>) -> Result<Face, PlotError> {
        let (regular, bold) = builtin()?;
        let Some(bytes) = user else {
            return Ok(Face {
                family: BUILTIN_FAMILY.to_string(),
                regular: Arc::from(vec![regular.clone()]),
                bold: Arc::from(vec![bold.clone()]),
            });
        };
        let name = family_name(bytes).ok_or_else(|| font_error("the font given"))?;
        let font =
            FontArc::try_from_vec(bytes.to_vec()).map_err(|_| font_error("the font given"))?;
        Ok(Face {
            family: format!("{name}, {BUILTIN_FAMILY}"),
            regular: Arc::from(vec![font.clone(), regular.clone()]),
            bold: Arc::from(vec![font, bold.clone()]),
        })
    }

    /// True if some font of the face has a glyph for `c` (whitespace and control characters
    /// need none).
    pub(crate) fn covers(&self, c: char) -> bool {
        c.is_whitespace() || c.is_control() || self.regular.iter().any(|f| f.glyph_id(c).0 != 0)
    }

    /// The CSS family list an SVG names: the user's font first, then DejaVu Sans.
    pub(crate) fn family(&self) -> &str {
        &self.family
    }

    /// A style of this face at `size` (plotters' units: the em is `size / 1.24` pixels).
    pub(crate) fn style(&self, size: f64, rgb: (u8, u8, u8), bold: bool) -> Style {
        Style {
            face: self.clone(),
            size,
            color: BackendColor { alpha: 1.0, rgb },
            bold,
            anchor: Pos::default(),
            transform: FontTransform::None,
        }
    }
}

/// A text style drawing with a [`Face`].
#[derive(Clone)]
pub(crate) struct Style {
    face: Face,
    size: f64,
    color: BackendColor,
    bold: bool,
    anchor: Pos,
    transform: FontTransform,
}

/// A failure inside text drawing (never expected: every glyph has a fallback).
#[derive(Debug)]
pub(crate) struct TextError;

impl std::fmt::Display for TextError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a text could not be laid out")
    }
}

impl std::error::Error for TextError {}

#[allow(
    clippy::float_arithmetic,
    clippy::cast_precision_loss,
    reason = "glyph placement is pixel geometry; no figure is computed here"
)]
impl Style {
    /// The same style with another anchor.
    pub(crate) fn pos(&self, anchor: Pos) -> Style {
        Style {
            anchor,
            ..self.clone()
        }
    }

    /// The same style turned (for a y-axis title).
    pub(crate) fn turned(&self, transform: FontTransform) -> Style {
        Style {
            transform,
            ..self.clone()
        }
    }

    fn fonts(&self) -> &[FontArc] {
        if self.bold {
            &self.face.bold
        } else {
            &self.face.regular
        }
    }

    /// The em size in pixels.
    fn em(&self) -> f32 {
        (self.size / 1.24) as f32
    }

    fn scale(&self, font: &FontArc) -> PxScale {
        let upem = font.units_per_em().unwrap_or(1000.0);
        PxScale::from(self.em() * font.height_unscaled() / upem)
    }

    /// The first font with a glyph for `c` (the first font if none has one).
    fn glyph(&self, c: char) -> (usize, GlyphId) {
        let fonts = self.fonts();
        fonts
            .iter()
            .enumerate()
            .map(|(i, f)| (i, f.glyph_id(c)))
            .find(|(_, g)| g.0 != 0)
            .unwrap_or((0, fonts[0].glyph_id(c)))
    }

    /// Ascent of the primary font, in pixels: where the baseline lies below the top of a line.
    fn ascent(&self) -> f32 {
        let f = &self.fonts()[0];
        f.as_scaled(self.scale(f)).ascent()
    }

    /// Glyphs with their pen positions, and the total advance.
    fn layout(&self, text: &str) -> (Vec<(usize, GlyphId, f32)>, f32) {
        let mut caret = 0.0f32;
        let mut prev: Option<(usize, GlyphId)> = None;
        let mut out = Vec::with_capacity(text.len());
        for c in text.chars() {
            let (i, g) = self.glyph(c);
            let font = &self.fonts()[i];
            let scaled = font.as_scaled(self.scale(font));
            if let Some((pi, pg)) = prev {
                if pi == i {
                    caret += scaled.kern(pg, g);
                }
            }
            out.push((i, g, caret));
            caret += scaled.h_advance(g);
            prev = Some((i, g));
        }
        (out, caret)
    }

    /// The width of `text` in pixels.
    pub(crate) fn width(&self, text: &str) -> i32 {
        self.layout(text).1.ceil() as i32
    }

    /// The height of a line of text in pixels (ascent + descent of the primary font).
    pub(crate) fn height(&self) -> i32 {
        let f = &self.fonts()[0];
        f.as_scaled(self.scale(f)).height().ceil() as i32
    }
}

#[allow(
    clippy::float_arithmetic,
    reason = "glyph placement is pixel geometry; no figure is computed here"
)]
impl BackendTextStyle for Style {
    type FontError = TextError;

    fn color(&self) -> BackendColor {
        self.color
    }

    fn size(&self) -> f64 {
        self.size
    }

    fn transform(&self) -> FontTransform {
        self.transform.clone()
    }

    fn style(&self) -> FontStyle {
        if self.bold {
            FontStyle::Bold
        } else {
            FontStyle::Normal
        }
    }

    fn anchor(&self) -> Pos {
        self.anchor
    }

    fn family(&self) -> FontFamily<'_> {
        FontFamily::Name(&self.face.family)
    }

    fn layout_box(&self, text: &str) -> Result<((i32, i32), (i32, i32)), TextError> {
        Ok(((0, 0), (self.width(text), self.height())))
    }

    fn draw<E, F: FnMut(i32, i32, BackendColor) -> Result<(), E>>(
        &self,
        text: &str,
        pos: BackendCoord,
        mut draw: F,
    ) -> Result<Result<(), E>, TextError> {
        let baseline = self.ascent();
        let (glyphs, _) = self.layout(text);
        for (i, g, x) in glyphs {
            let font = &self.fonts()[i];
            let glyph = g.with_scale_and_position(self.scale(font), point(x, baseline));
            let Some(outline) = font.outline_glyph(glyph) else {
                continue;
            };
            let bounds = outline.px_bounds();
            let mut pixels = Vec::new();
            outline.draw(|px, py, coverage| pixels.push((px, py, coverage)));
            for (px, py, coverage) in pixels {
                if coverage <= 0.0 {
                    continue;
                }
                let color = BackendColor {
                    alpha: self.color.alpha * f64::from(coverage.min(1.0)),
                    rgb: self.color.rgb,
                };
                let at = (
                    pos.0 + bounds.min.x as i32 + px as i32,
                    pos.1 + bounds.min.y as i32 + py as i32,
                );
                if let Err(e) = draw(at.0, at.1, color) {
                    return Ok(Err(e));
                }
            }
        }
        Ok(Ok(()))
    }
}
