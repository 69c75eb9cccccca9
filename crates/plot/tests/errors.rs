//! Errors: each failure is a `PlotError` of the right kind with a lower-case message.

use tribute_core::Query;
use tribute_plot::{
    PlotError, PlotErrorKind, RenderOptions, StackBy, burden, render_png, render_svg, timeline,
};

use crate::common::{charts, corpus, query};

fn lower_case(e: &PlotError) {
    let first = e.to_string().chars().next().unwrap();
    assert!(!first.is_uppercase(), "`{e}` starts in lower case");
}

#[test]
fn nothing_selected_is_an_empty_error() {
    let (c, r) = corpus();
    let e = burden(
        &c,
        &r,
        &query(Some("Jin"), Some("Song")),
        StackBy::Commodity,
    )
    .unwrap_err();
    assert_eq!(e.kind(), PlotErrorKind::Empty);
    assert_eq!(
        e.to_string(),
        "nothing to chart: no in-force stream of Jin → Song"
    );
    lower_case(&e);
    let q = Query {
        from: Some(1300),
        to: Some(1310),
        ..query(Some("Song"), None)
    };
    assert_eq!(
        timeline(&c, &r, &q).unwrap_err().kind(),
        PlotErrorKind::Empty
    );
}

#[test]
fn a_bad_query_is_a_core_error() {
    let (c, r) = corpus();
    let q = Query {
        treaties: vec!["no-such-treaty".into()],
        ..Query::default()
    };
    let e = burden(&c, &r, &q, StackBy::Commodity).unwrap_err();
    assert_eq!(e.kind(), PlotErrorKind::Core);
    assert!(e.core_error().is_some());
    assert!(e.to_string().contains("no-such-treaty"), "{e}");
}

#[test]
fn sizes_out_of_range_are_refused() {
    let (_, spec) = charts().remove(0);
    for (w, h) in [(100, 100), (0, 900), (1200, 100_000)] {
        let o = RenderOptions {
            width: w,
            height: h,
            font: None,
        };
        assert_eq!(
            render_png(&spec, &o).unwrap_err().kind(),
            PlotErrorKind::Size
        );
        let e = render_svg(&spec, &o).unwrap_err();
        assert_eq!(e.kind(), PlotErrorKind::Size);
        lower_case(&e);
    }
}

#[test]
fn a_file_that_is_not_a_font_is_refused() {
    let (_, spec) = charts().remove(0);
    let o = RenderOptions {
        font: Some(b"not a font".to_vec()),
        ..RenderOptions::default()
    };
    let e = render_png(&spec, &o).unwrap_err();
    assert_eq!(e.kind(), PlotErrorKind::Font);
    assert_eq!(
        e.to_string(),
        "the font given is not a TrueType or OpenType font that can be read"
    );
}

#[test]
fn bars_of_two_commodities_are_never_piled_up() {
    let (_, mut spec) = charts().remove(0);
    // Put silk's bars on silver's pile: the renderer refuses, whichever format.
    for s in &mut spec.series {
        s.stack = Some("silver".into());
        s.panel = Some("silver".into());
    }
    spec.panels.retain(|p| p.id == "silver");
    let e = render_svg(&spec, &RenderOptions::default()).unwrap_err();
    assert_eq!(e.kind(), PlotErrorKind::Input);
    assert!(
        e.to_string()
            .contains("are different quantities, which are never added"),
        "{e}"
    );
    lower_case(&e);
    assert_eq!(
        render_png(&spec, &RenderOptions::default())
            .unwrap_err()
            .kind(),
        PlotErrorKind::Input
    );
    // Values in one numeraire may be piled up, but not on amounts.
    let (_, mut spec) = charts().remove(0);
    spec.series[0].measure = tribute_plot::Measure::AssumedValue;
    spec.series[1].stack = spec.series[0].stack.clone();
    assert_eq!(spec.check().unwrap_err().kind(), PlotErrorKind::Input);
}

#[test]
fn two_units_never_share_an_axis() {
    let (c, r) = corpus();
    let mut spec = tribute_plot::cumulative(&c, &r, &query(Some("Song"), Some("Jin"))).unwrap();
    // Bolts and taels in one panel: refused before anything is drawn.
    for s in &mut spec.series {
        s.panel = Some("tael".into());
    }
    let e = render_svg(&spec, &RenderOptions::default()).unwrap_err();
    assert_eq!(e.kind(), PlotErrorKind::Input);
    assert!(e.to_string().contains("cannot share an axis"), "{e}");
    lower_case(&e);
    // Nor on a chart without panels.
    spec.panels.clear();
    for s in &mut spec.series {
        s.panel = None;
    }
    assert!(
        spec.check()
            .unwrap_err()
            .to_string()
            .contains("cannot share an axis")
    );
    // A series in no panel of the chart is refused too.
    let mut spec = tribute_plot::cumulative(&c, &r, &query(Some("Song"), Some("Jin"))).unwrap();
    spec.series[0].panel = Some("head".into());
    assert!(
        spec.check()
            .unwrap_err()
            .to_string()
            .contains("belongs to no panel")
    );
}
