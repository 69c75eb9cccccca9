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
fn a_hatched_or_pale_series_is_drawn_apart_from_a_full_solid_one() {
    // The style parameters a second series of one commodity and colour takes (what is assumed
    // paid beside what is recorded): the same spec with silver in full colour, hatched, or pale
    // (as the built-in corpus draws it, every Song → Jin payment being assumed) draws otherwise,
    // and its legend swatch too.
    let (_, spec) = charts().remove(0);
    assert!(
        spec.series
            .iter()
            .any(|s| s.commodity.as_deref() == Some("silver") && s.tint == tribute_plot::Tint::Pale)
    );
    let restyle = |fill: tribute_plot::Fill, tint: tribute_plot::Tint| {
        let mut out = spec.clone();
        for s in out
            .series
            .iter_mut()
            .filter(|s| s.commodity.as_deref() == Some("silver"))
        {
            (s.fill, s.tint) = (fill, tint);
        }
        for e in &mut out.legend {
            if let tribute_plot::LegendSwatch::Fill {
                fill: f, tint: t, ..
            } = &mut e.swatch
            {
                (*f, *t) = (fill, tint);
            }
        }
        render_png(&out, &RenderOptions::default()).unwrap()
    };
    let full = restyle(tribute_plot::Fill::Solid, tribute_plot::Tint::Full);
    let hatched = restyle(tribute_plot::Fill::Hatched, tribute_plot::Tint::Full);
    let pale = render_png(&spec, &RenderOptions::default()).unwrap();
    assert_ne!(full, hatched);
    assert_ne!(full, pale);
    // Fewer pixels of silver's full colour: the hatching leaves a pale ground between lines, and
    // a pale bar has none.
    let silver = [0x4e, 0x79, 0xa7];
    let count = |png: &[u8]| decode(png).pixels().filter(|p| p.0 == silver).count();
    assert!(count(&full) > 1000, "{}", count(&full));
    assert!(
        count(&hatched) * 2 < count(&full),
        "{} against {}",
        count(&hatched),
        count(&full)
    );
    assert!(
        count(&pale) * 10 < count(&full),
        "{} against {}",
        count(&pale),
        count(&full)
    );
}
