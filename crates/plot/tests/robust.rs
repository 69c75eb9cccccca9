//! Other queries: every payer, every status, narrow and single-year ranges. Each chart either
//! builds and renders at the smallest size allowed, or fails with an `Empty` error; none panics.

use tribute_core::{Query, Status};
use tribute_plot::{
    MIN_SIZE, PlotErrorKind, RenderOptions, StackBy, burden, cumulative, render_png, render_svg,
    timeline,
};

use crate::common::corpus;

#[test]
fn charts_of_many_queries_build_and_render() {
    let (c, r) = corpus();
    let payers: std::collections::BTreeSet<String> =
        c.treaties.values().map(|t| t.payer.to_string()).collect();
    let small = RenderOptions {
        width: MIN_SIZE.0,
        height: MIN_SIZE.1,
        font: None,
    };
    let mut drawn = 0;
    let mut n = 0;
    for payer in payers {
        for (from, to) in [
            (None, None),
            (Some(1142), Some(1142)),
            (Some(1120), Some(1130)),
            (Some(1800), Some(1900)),
        ] {
            let q = Query {
                payer: Some(payer.clone()),
                from,
                to,
                statuses: Status::ALL.to_vec(),
                ..Query::default()
            };
            let specs = [
                burden(&c, &r, &q, StackBy::Commodity),
                burden(&c, &r, &q, StackBy::Payee),
                cumulative(&c, &r, &q),
                timeline(&c, &r, &q),
            ];
            for spec in specs {
                match spec {
                    Ok(spec) => {
                        for options in [&small, &RenderOptions::default()] {
                            match render_svg(&spec, options) {
                                Ok(_) => drawn += 1,
                                Err(e) => assert_eq!(
                                    e.kind(),
                                    PlotErrorKind::Size,
                                    "{payer} {from:?}–{to:?}: {e}"
                                ),
                            }
                        }
                        match render_png(&spec, &small) {
                            Ok(png) => {
                                if let Some(dir) = std::env::var_os("TRIBUTE_PLOT_DIR")
                                    .map(std::path::PathBuf::from)
                                {
                                    let name = format!(
                                        "small-{}-{payer}-{from:?}-{to:?}-{n}.png",
                                        spec.kind.as_str()
                                    );
                                    std::fs::create_dir_all(&dir).unwrap();
                                    std::fs::write(dir.join(name.replace(' ', "_")), png).unwrap();
                                    n += 1;
                                }
                            }
                            Err(e) => assert_eq!(
                                e.kind(),
                                PlotErrorKind::Size,
                                "{payer} {from:?}–{to:?}: {e}"
                            ),
                        }
                    }
                    Err(e) => assert_eq!(
                        e.kind(),
                        PlotErrorKind::Empty,
                        "{payer} {from:?}–{to:?}: {e}"
                    ),
                }
            }
        }
    }
    assert!(drawn > 20, "{drawn} charts drawn");
    eprintln!("{drawn} svg charts drawn");
}
