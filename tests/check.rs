//! `tribute check` means it (issue 12, item 4): exit 0 only if every report over the corpus —
//! ledger and totals, unvalued and valued with every loaded book — computes without error.

use crate::common::{TREATY, folder, run, stderr};

/// A price book whose only rate, 10^19 units a tael, overflows a decimal once multiplied by the
/// treaty's 10^10 taels a year (10^29 > 7.9 × 10^28).
const HUGE: &str = r#"name = "A huge rate"
numeraire = "unit"
sources = ["s"]

[source.s]
title = "A test source"
quality = "C"

[[rate]]
commodity = "silver"
central = "10000000000000000000"
"#;

#[test]
fn check_fails_where_a_valued_report_would() {
    let treaty = TREATY.replace("\"100 tael\"", "\"10000000000 tael\"");
    let dir = folder(&[
        ("t.toml", treaty.as_bytes()),
        ("prices/huge.toml", HUGE.as_bytes()),
    ]);
    let path = dir.path().to_str().unwrap();
    // The report itself fails…
    let total = run(&[
        "--treaties",
        path,
        "total",
        "--prices",
        "huge",
        "--treaty",
        "t",
    ]);
    assert_eq!(total.status.code(), Some(2), "{}", stderr(&total));
    // …so check must not pass: it names the book and says why.
    let out = run(&["--treaties", path, "check"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("valued with price book `huge` fails"), "{err}");
    assert!(err.contains("huge.toml"), "the book's file: {err}");
    assert!(err.contains("exceeds the range"), "{err}");
}

#[test]
fn check_passes_when_every_report_computes() {
    // The same treaty with 100 taels a year: 10^21 units a year at most, well within range.
    let dir = folder(&[
        ("t.toml", TREATY.as_bytes()),
        ("prices/huge.toml", HUGE.as_bytes()),
    ]);
    let out = run(&["--treaties", dir.path().to_str().unwrap(), "check"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}
