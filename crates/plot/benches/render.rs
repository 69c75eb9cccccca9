//! Benchmarks: building the four charts of the built-in corpus (Song → Jin burden, Song
//! cumulative, Song timeline, a hand-given comparison) and rendering each to SVG and to PNG at
//! 1200×900, separately and all together; and building the burden and cumulative charts valued
//! with the `song-silver` price book.
//!
//! Run with `cargo bench -p tribute-plot --bench render`. Building must stay far below rendering:
//! the specs come from the engine's closed forms and prefix sums.

#![allow(
    clippy::arithmetic_side_effects,
    reason = "benchmark code: an overflow panics the run; no figure a user sees comes from here"
)]

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use rust_decimal::Decimal;
use tribute_core::report::CompareChartData;
use tribute_core::{Corpus, Interval, Query, Readings, Resolved, builtin};
use tribute_plot::{
    ChartSpec, CompareInput, RenderOptions, StackBy, burden, burden_valued, compare, cumulative,
    cumulative_valued, render_png, render_svg, timeline,
};

fn query(payee: Option<&str>) -> Query {
    Query {
        payer: Some("Song".into()),
        payee: payee.map(Into::into),
        ..Query::default()
    }
}

fn input() -> CompareInput {
    let iv = |low: i64, central: i64, high: i64| Interval {
        low: Decimal::from(low),
        central: Decimal::from(central),
        high: Decimal::from(high),
    };
    CompareInput {
        a_label: "indemnity demanded in 1126".into(),
        b_label: "yearly tribute of 1123".into(),
        figures: CompareChartData::new(
            iv(91_400_000, 102_000_000, 112_600_000),
            iv(410_000, 500_000, 590_000),
            Some(Decimal::from(180)),
        )
        .unwrap(),
        numeraire: "tael of silver".into(),
        notes: Vec::new(),
    }
}

fn build_all(corpus: &Corpus, resolved: &Resolved) -> Vec<(&'static str, ChartSpec)> {
    vec![
        (
            "burden",
            burden(corpus, resolved, &query(Some("Jin")), StackBy::Commodity).unwrap(),
        ),
        (
            "cumulative",
            cumulative(corpus, resolved, &query(None)).unwrap(),
        ),
        (
            "timeline",
            timeline(corpus, resolved, &query(None)).unwrap(),
        ),
        ("compare", compare(&input()).unwrap()),
    ]
}

fn charts(c: &mut Criterion) {
    let corpus = Corpus::load(&[builtin()]).unwrap();
    let resolved = Resolved::new(&corpus, &Readings::defaults()).unwrap();
    let options = RenderOptions::default();
    let mut g = c.benchmark_group("charts");
    g.sample_size(20)
        .measurement_time(Duration::from_secs(4))
        .warm_up_time(Duration::from_secs(1));
    g.bench_function("build/all four", |b| {
        b.iter(|| build_all(black_box(&corpus), black_box(&resolved)))
    });
    let book = &corpus.price_books["song-silver"];
    g.bench_function("build/valued burden and cumulative", |b| {
        b.iter(|| {
            let q = query(None);
            black_box(burden_valued(&corpus, &resolved, &q, StackBy::Payee, book).unwrap());
            black_box(cumulative_valued(&corpus, &resolved, &q, book).unwrap());
        })
    });
    for (name, spec) in build_all(&corpus, &resolved) {
        g.bench_function(format!("svg/{name}"), |b| {
            b.iter(|| render_svg(black_box(&spec), &options).unwrap())
        });
        g.bench_function(format!("png/{name}"), |b| {
            b.iter(|| render_png(black_box(&spec), &options).unwrap())
        });
    }
    g.bench_function("build + svg + png/all four", |b| {
        b.iter(|| {
            for (_, spec) in build_all(&corpus, &resolved) {
                black_box(render_svg(&spec, &options).unwrap());
                black_box(render_png(&spec, &options).unwrap());
            }
        })
    });
    g.finish();
}

criterion_group!(benches, charts);
criterion_main!(benches);
