//! Rendering: a [`ChartSpec`] drawn as SVG text or PNG bytes with plotters.
//!
//! In two steps: [`layout`] decides where everything goes (plot area, panels, axis ranges and
//! ticks, the legend's entries, the key's columns, wrapped captions), measured with the font and
//! independent of the backend; [`paint`] draws that layout. [`legend`] says what the legend
//! shows, [`theme`] holds the colours and text sizes both use.
//!
//! What must hold: the output depends only on the spec and the options (the font is embedded or
//! given as bytes; no system font is read), so it is byte-stable across runs and machines and can
//! be snapshot-tested; a picture too small to hold the chart's text is an error, never a garbled
//! picture; nothing here changes a figure, it only places it.

mod font;
mod key;
mod layout;
mod legend;
mod paint;
mod shapes;
mod theme;

use plotters::prelude::*;

use crate::error::{PlotError, PlotErrorKind};
use crate::spec::ChartSpec;

/// The smallest width and height accepted, in pixels.
pub const MIN_SIZE: (u32, u32) = (640, 480);
/// The largest width and height accepted, in pixels.
pub const MAX_SIZE: (u32, u32) = (8192, 8192);

/// How to render a chart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderOptions {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// A TrueType or OpenType font to draw all text with (for Chinese labels, say); the embedded
    /// DejaVu Sans if `None`.
    pub font: Option<Vec<u8>>,
}

impl Default for RenderOptions {
    fn default() -> RenderOptions {
        RenderOptions {
            width: 1200,
            height: 900,
            font: None,
        }
    }
}

fn check_size(o: &RenderOptions) -> Result<(), PlotError> {
    let ok = |v: u32, lo: u32, hi: u32| (lo..=hi).contains(&v);
    if ok(o.width, MIN_SIZE.0, MAX_SIZE.0) && ok(o.height, MIN_SIZE.1, MAX_SIZE.1) {
        return Ok(());
    }
    Err(PlotError::new(
        PlotErrorKind::Size,
        format!(
            "a chart of {}×{} pixels cannot be drawn; width must be {}–{} and height {}–{}",
            o.width, o.height, MIN_SIZE.0, MAX_SIZE.0, MIN_SIZE.1, MAX_SIZE.1
        ),
    ))
}

/// Checks that `bytes` are a TrueType or OpenType font the charts can be drawn with, and returns
/// its family name (so a front end can refuse a bad `--font` before computing anything).
pub fn check_font(bytes: &[u8]) -> Result<String, PlotError> {
    font::Face::new(Some(bytes)).map(|f| {
        f.family()
            .split(", ")
            .next()
            .unwrap_or_default()
            .to_string()
    })
}

/// The characters of the chart's text that neither the font given nor DejaVu Sans has (Chinese
/// characters, say, without a `font`), sorted, each once. A PNG draws them as empty boxes and an
/// SVG leaves them to the viewer's fonts, so a front end should warn and ask for a font.
pub fn missing_glyphs(spec: &ChartSpec, font: Option<&[u8]>) -> Result<Vec<char>, PlotError> {
    let face = font::Face::new(font)?;
    let mut texts: Vec<&str> = vec![&spec.title, &spec.x_axis.title, &spec.y_axis.title];
    texts.extend(spec.subtitle.as_deref());
    texts.extend(spec.caption.iter().map(String::as_str));
    texts.extend(spec.series.iter().map(|s| s.name.as_str()));
    texts.extend(spec.bands.iter().map(|b| b.name.as_str()));
    texts.extend(spec.markers.iter().map(|m| m.label.as_str()));
    texts.extend(spec.shaded_ranges.iter().map(|r| r.label.as_str()));
    texts.extend(spec.panels.iter().map(|p| p.title.as_str()));
    texts.extend(spec.legend.iter().map(|e| e.text.as_str()));
    texts.extend(spec.cut_bars.iter().map(|c| c.label.as_str()));
    for b in &spec.bars {
        texts.push(&b.label);
        texts.push(&b.group);
        texts.extend(b.marks.iter().map(|m| m.label.as_str()));
    }
    let missing: std::collections::BTreeSet<char> = texts
        .iter()
        .flat_map(|t| t.chars())
        .filter(|&c| !face.covers(c))
        .collect();
    Ok(missing.into_iter().collect())
}

/// Lays `spec` out for `root`'s size, then paints it there.
fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, plotters::coord::Shift>,
    spec: &ChartSpec,
    face: &font::Face,
) -> Result<(), PlotError> {
    let (w, h) = root.dim_in_pixel();
    let lay = layout::layout(spec, face, w, h)?;
    paint::paint(root, spec, &lay)
}

/// The chart as an SVG document.
pub fn render_svg(spec: &ChartSpec, options: &RenderOptions) -> Result<String, PlotError> {
    check_size(options)?;
    spec.check()?;
    let face = font::Face::new(options.font.as_deref())?;
    let mut out = String::new();
    {
        let root =
            SVGBackend::with_string(&mut out, (options.width, options.height)).into_drawing_area();
        draw(&root, spec, &face)?;
        root.present().map_err(theme::failed)?;
    }
    Ok(out)
}

/// The chart as a PNG image (8-bit RGB).
pub fn render_png(spec: &ChartSpec, options: &RenderOptions) -> Result<Vec<u8>, PlotError> {
    check_size(options)?;
    spec.check()?;
    let face = font::Face::new(options.font.as_deref())?;
    let (w, h) = (options.width, options.height);
    let mut pixels = vec![0u8; w as usize * h as usize * 3];
    {
        let root = BitMapBackend::with_buffer(&mut pixels, (w, h)).into_drawing_area();
        draw(&root, spec, &face)?;
        root.present().map_err(theme::failed)?;
    }
    let mut png = Vec::new();
    image::ImageEncoder::write_image(
        image::codecs::png::PngEncoder::new_with_quality(
            &mut png,
            image::codecs::png::CompressionType::Default,
            image::codecs::png::FilterType::Adaptive,
        ),
        &pixels,
        w,
        h,
        image::ColorType::Rgb8,
    )
    .map_err(|e| {
        PlotError::new(
            PlotErrorKind::Encode,
            format!("cannot encode the chart as png: {e}"),
        )
    })?;
    Ok(png)
}
