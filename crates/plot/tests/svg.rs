//! SVG text of each chart. What a reader must find is checked first (titles, legend entries with
//! units, years printed plainly, the marker key, the embedded font's family); then the whole text
//! is snapshotted (`tests/snapshots/svg/<kind>@<input>.snap`), since output is byte-stable.

use tribute_plot::{RenderOptions, render_svg};

use crate::common::charts;

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
        for s in &spec.series {
            assert!(texts.contains(&s.name), "{name}: legend entry {}", s.name);
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
