//! PNG pictures: each decodes to the size asked for (1200×900, 800×600, and 640×480 for the
//! charts that size holds), is not blank, is the same on every run, and a user font changes the
//! picture; a hatched fill, the style parameter a second series of one colour takes, draws
//! differently from a solid one. Set `TRIBUTE_PLOT_DIR` to also write them there for a look.

use std::collections::BTreeSet;

use tribute_plot::{RenderOptions, render_png};

use crate::common::{charts, small_charts};

fn decode(png: &[u8]) -> image::RgbImage {
    image::load_from_memory_with_format(png, image::ImageFormat::Png)
        .expect("a valid png")
        .to_rgb8()
}

#[test]
fn png_of_each_chart_has_the_size_asked_and_is_not_blank() {
    let out = std::env::var_os("TRIBUTE_PLOT_DIR").map(std::path::PathBuf::from);
    let small = small_charts()
        .into_iter()
        .map(|(n, s)| (n, s, vec![(640, 480)]));
    let all = charts()
        .into_iter()
        .map(|(n, s)| (n, s, vec![(1200, 900), (800, 600)]))
        .chain(small);
    for (name, spec, sizes) in all {
        for (w, h) in sizes {
            let options = RenderOptions {
                width: w,
                height: h,
                font: None,
            };
            let png = render_png(&spec, &options).unwrap();
            let img = decode(&png);
            assert_eq!(img.dimensions(), (w, h), "{name}");
            let colours: BTreeSet<[u8; 3]> = img.pixels().map(|p| p.0).collect();
            assert!(
                colours.len() > 50,
                "{name} at {w}×{h}: {} colours",
                colours.len()
            );
            let inked = img.pixels().filter(|p| p.0 != [255, 255, 255]).count();
            assert!(
                inked * 20 > (w * h) as usize,
                "{name} at {w}×{h}: only {inked} pixels drawn"
            );
            assert_eq!(
                png,
                render_png(&spec, &options).unwrap(),
                "{name}: byte-stable"
            );
            if let Some(dir) = &out {
                std::fs::create_dir_all(dir).unwrap();
                std::fs::write(
                    dir.join(format!("{}-{w}x{h}.png", name.replace('@', "-"))),
                    &png,
                )
                .unwrap();
            }
        }
    }
}

#[test]
fn a_user_font_is_used_for_the_text() {
    let (_, spec) = charts().remove(0);
    let plain = render_png(&spec, &RenderOptions::default()).unwrap();
    let mono = RenderOptions {
        font: Some(dejavu::sans_mono::regular().to_vec()),
        ..RenderOptions::default()
    };
    let png = render_png(&spec, &mono).unwrap();
    assert_ne!(plain, png);
    assert_eq!(decode(&png).dimensions(), (1200, 900));
    let svg = tribute_plot::render_svg(&spec, &mono).unwrap();
    assert!(svg.contains("font-family=\"DejaVu Sans Mono, DejaVu Sans, sans-serif\""));
}

#[test]
fn a_hatched_series_is_drawn_apart_from_a_solid_one() {
    // The style parameter a second series of one commodity and colour takes (an assumed
    // delivery beside a recorded one, say): the same spec with silver hatched draws otherwise,
    // and its legend swatch too.
    let (_, spec) = charts().remove(0);
    let solid = render_png(&spec, &RenderOptions::default()).unwrap();
    let mut hatched = spec.clone();
    for s in hatched
        .series
        .iter_mut()
        .filter(|s| s.commodity.as_deref() == Some("silver"))
    {
        s.fill = tribute_plot::Fill::Hatched;
    }
    for e in &mut hatched.legend {
        if let tribute_plot::LegendSwatch::Fill { fill, .. } = &mut e.swatch {
            *fill = tribute_plot::Fill::Hatched;
        }
    }
    let png = render_png(&hatched, &RenderOptions::default()).unwrap();
    assert_ne!(solid, png);
    // Fewer pixels of silver's full colour, as the hatching leaves a pale ground between lines.
    let silver = [0x4e, 0x79, 0xa7];
    let count = |png: &[u8]| decode(png).pixels().filter(|p| p.0 == silver).count();
    assert!(
        count(&png) * 2 < count(&solid),
        "{} against {}",
        count(&png),
        count(&solid)
    );
}
