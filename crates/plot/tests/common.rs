//! Shared fixtures: the built-in corpus resolved at its default readings, queries, and a
//! comparison with hand-given numbers.

use rust_decimal::Decimal;
use tribute_core::report::CompareChartData;
use tribute_core::{Corpus, Interval, Query, Readings, Resolved, builtin};
use tribute_plot::CompareInput;

/// The built-in corpus and its streams at the default readings.
pub fn corpus() -> (Corpus, Resolved) {
    let corpus = Corpus::load(&[builtin()]).expect("the built-in corpus loads");
    let resolved =
        Resolved::new(&corpus, &Readings::defaults()).expect("the built-in corpus resolves");
    (corpus, resolved)
}

/// Streams from `payer` to `payee` (either may be `None` for all).
pub fn query(payer: Option<&str>, payee: Option<&str>) -> Query {
    Query {
        payer: payer.map(Into::into),
        payee: payee.map(Into::into),
        ..Query::default()
    }
}

/// An exact decimal from text.
pub fn d(s: &str) -> Decimal {
    Decimal::from_str_exact(s).expect("a decimal")
}

/// An interval from text: low, central, high.
pub fn interval(low: &str, central: &str, high: &str) -> Interval {
    Interval {
        low: d(low),
        central: d(central),
        high: d(high),
    }
}

/// A comparison with hand-given numbers, valued in taels of silver with gold at 10 (8–12) taels
/// and silk and satin at 1 (0.7–1.3) tael a bolt: the 1126 indemnity (50,000,000 silver,
/// 5,000,000 gold, 1,000,000 silk, 1,000,000 satin) is 102,000,000 (91,400,000–112,600,000);
/// the 1123 yearly tribute (200,000 silver, 300,000 silk) is 500,000 (410,000–590,000) a year.
pub fn compare_input() -> CompareInput {
    let figures = CompareChartData::new(
        interval("91400000", "102000000", "112600000"),
        interval("410000", "500000", "590000"),
        Some(d("180")),
    )
    .expect("consistent figures");
    CompareInput {
        a_label: "indemnity demanded in 1126".into(),
        b_label: "yearly tribute of 1123".into(),
        figures,
        numeraire: "tael of silver".into(),
        notes: vec![
            "treaties: jin-demand-1126, song-jin-1123".into(),
            "prices (hand-given for this test): gold 10 (8–12) taels of silver a tael; silk and satin 1 (0.7–1.3) tael a bolt".into(),
            "unpriced, left out: horses 10,000 head, mules 10,000 head, cattle 10,000 head, camels 1,000 head".into(),
        ],
    }
}

/// The four charts the snapshots cover, each with its snapshot name `<kind>@<input>`.
pub fn charts() -> Vec<(&'static str, tribute_plot::ChartSpec)> {
    use tribute_plot::{StackBy, burden, compare, cumulative, timeline};
    let (c, r) = corpus();
    vec![
        (
            "burden@song-jin",
            burden(
                &c,
                &r,
                &query(Some("Song"), Some("Jin")),
                StackBy::Commodity,
            )
            .expect("burden"),
        ),
        (
            "cumulative@song",
            cumulative(&c, &r, &query(Some("Song"), None)).expect("cumulative"),
        ),
        (
            "timeline@song",
            timeline(&c, &r, &query(Some("Song"), None)).expect("timeline"),
        ),
        (
            "compare@indemnity-1126-vs-tribute-1123",
            compare(&compare_input()).expect("compare"),
        ),
    ]
}

/// The charts drawn at the smallest size, 640×480, each with its snapshot name: one of each
/// kind, Song → Jin where the Song-wide chart has more panels than that size holds.
pub fn small_charts() -> Vec<(&'static str, tribute_plot::ChartSpec)> {
    use tribute_plot::{StackBy, burden, compare, cumulative, timeline};
    let (c, r) = corpus();
    let jin = query(Some("Song"), Some("Jin"));
    vec![
        (
            "burden@song-jin-640x480",
            burden(&c, &r, &jin, StackBy::Commodity).expect("burden"),
        ),
        (
            "cumulative@song-jin-640x480",
            cumulative(&c, &r, &jin).expect("cumulative"),
        ),
        (
            "timeline@song-640x480",
            timeline(&c, &r, &query(Some("Song"), None)).expect("timeline"),
        ),
        (
            "compare@indemnity-1126-vs-tribute-1123-640x480",
            compare(&compare_input()).expect("compare"),
        ),
    ]
}
