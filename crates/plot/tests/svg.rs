//! SVG text of each chart. What a reader must find is checked first (titles, legend entries with
//! units, years printed plainly, the marker key, the font's family named); then the whole text
//! is snapshotted (`tests/snapshots/svg/<kind>@<input>.snap`), since output is byte-stable. The
//! same at 640×480, the smallest size: nothing cut short, the key shortened where it must be.

use tribute_plot::{MIN_SIZE, PlotErrorKind, RenderOptions, render_svg};

use crate::common::{charts, corpus, query, small_charts};

/// The text of every `<text>` element, in order.
fn texts(svg: &str) -> Vec<String> {
    svg.split("<text")
        .skip(1)
        .filter_map(|t| t.split_once('>'))
        .map(|(_, rest)| {
            rest.split("</text>")
                .next()
                .unwrap_or("")
                .trim()
                .to_string()
        })
        .collect()
}

#[test]
fn svg_of_each_chart() {
    for (name, spec) in charts() {
        let svg = render_svg(&spec, &RenderOptions::default()).unwrap();
        assert!(
            svg.starts_with("<svg width=\"1200\" height=\"900\""),
            "{name}"
        );
        let texts = texts(&svg);
        assert!(texts.contains(&spec.title), "{name}: title");
        for e in &spec.legend {
            assert!(texts.contains(&e.text), "{name}: legend entry {}", e.text);
        }
        for c in &spec.cut_bars {
            assert!(texts.contains(&c.label), "{name}: cut bar {}", c.label);
        }
        for (i, m) in spec.markers.iter().enumerate() {
            assert!(
                texts.contains(&(i + 1).to_string()),
                "{name}: marker number {}",
                i + 1
            );
            assert!(
                texts.iter().any(|t| t.starts_with(&format!("{}. ", i + 1))),
                "{name}: key entry {}",
                i + 1
            );
            let _ = m;
        }
        for t in &texts {
            // Years and counts never print as 1,142 or 1142.0.
            let digits = t.replace(',', "");
            if digits.len() == 4
                && digits.chars().all(|c| c.is_ascii_digit())
                && digits.starts_with('1')
            {
                assert_eq!(t, &digits, "{name}: year `{t}` printed plainly");
            }
            assert!(!t.ends_with(".0"), "{name}: `{t}`");
        }
        assert!(
            svg.contains("font-family=\"DejaVu Sans, sans-serif\""),
            "{name}"
        );
        assert!(
            !svg.contains("font-family=\"sans-serif\""),
            "{name}: no text left to plotters' default font"
        );
        assert!(
            !texts.iter().any(|t| t.contains('…')),
            "{name}: nothing cut short"
        );
        let again = render_svg(&spec, &RenderOptions::default()).unwrap();
        assert_eq!(svg, again, "{name}: byte-stable");
        insta::with_settings!({ snapshot_path => "snapshots/svg", prepend_module_to_snapshot => false, omit_expression => true }, {
            insta::assert_snapshot!(name, svg);
        });
    }
}

#[test]
fn year_ticks_are_plain_integers() {
    let (_, burden) = charts().remove(0);
    let svg = render_svg(&burden, &RenderOptions::default()).unwrap();
    let texts = texts(&svg);
    for year in ["1140", "1160", "1180", "1200", "1220"] {
        assert!(texts.iter().any(|t| t == year), "tick {year}");
    }
    assert!(
        texts
            .iter()
            .any(|t| t.starts_with("5. 1208 – Jiading peace")),
        "key names the 1208 change"
    );
}

#[test]
fn small_pictures_are_whole_or_refused() {
    let small = RenderOptions {
        width: MIN_SIZE.0,
        height: MIN_SIZE.1,
        font: None,
    };
    for (name, spec) in small_charts() {
        let svg = render_svg(&spec, &small).unwrap();
        assert!(
            svg.starts_with("<svg width=\"640\" height=\"480\""),
            "{name}"
        );
        let texts = texts(&svg);
        assert!(
            texts.contains(&spec.title) || spec.title.len() > 60,
            "{name}: title"
        );
        assert!(
            !texts.iter().any(|t| t.contains('…')),
            "{name}: nothing cut short: {:?}",
            texts.iter().filter(|t| t.contains('…')).collect::<Vec<_>>()
        );
        for c in &spec.caption {
            let first = c.split(' ').next().unwrap_or_default();
            assert!(
                texts.iter().any(|t| t.starts_with(first)),
                "{name}: caption `{c}` drawn"
            );
        }
        // Each numbered line is in the key: in full, or by its treaty's name with the caption
        // saying the key is shortened.
        let shortened = texts.iter().any(|t| t.starts_with("key shortened to fit"));
        for (i, m) in spec.markers.iter().enumerate() {
            let entry = texts
                .iter()
                .find(|t| t.starts_with(&format!("{}. ", i + 1)))
                .unwrap_or_else(|| panic!("{name}: key entry {}", i + 1));
            let want = match (&m.short, shortened) {
                (Some(short), true) => short,
                _ => &m.label,
            };
            let start: String = want.chars().take(12).collect();
            assert!(entry.contains(&start), "{name}: `{entry}` for `{want}`");
        }
        insta::with_settings!({ snapshot_path => "snapshots/svg", prepend_module_to_snapshot => false, omit_expression => true }, {
            insta::assert_snapshot!(name, svg);
        });
    }
    // Song's cumulative chart needs four panels (strings, bolts, taels, catties): at 640×480 it
    // is refused with a message that says why, never drawn garbled.
    let (c, r) = corpus();
    let spec = tribute_plot::cumulative(&c, &r, &query(Some("Song"), None)).unwrap();
    let e = render_svg(&spec, &small).unwrap_err();
    assert_eq!(e.kind(), PlotErrorKind::Size);
    assert!(e.to_string().contains("make it larger"), "{e}");
}
