//! Exact amounts at load (issue 12, item 1): a unit conversion or an installment split is accepted
//! only if it is exact in rational arithmetic, and an uneven split keeps the places its total was
//! written with. Expected figures are worked out by hand in each test.

use crate::common::{TREATY, dec, folder, json, run, stderr};

/// A registry with a `third` unit of weight: 0.333…3 taels (28 threes), and a commodity `grain`
/// kept in it.
const THIRDS: &str = r#"
[[unit]]
id = "third"
measures = "weight"
size = "0.3333333333333333333333333333"

[[commodity]]
id = "grain"
name = "grain"
measures = "weight"
unit = "third"
group = "other"
"#;

#[test]
fn a_conversion_that_would_round_is_refused_with_its_place() {
    // 1 tael of grain kept in thirds is 1 / 0.333…3 = 10^28 / 333…3 thirds: no decimal holds it
    // (Decimal division gives 3.0000000000000000000000000003, which is what used to be loaded).
    let treaty = TREATY.replace(
        r#"amounts = { silver = "100 tael" }"#,
        r#"amounts = { grain = "1 tael" }"#,
    );
    let dir = folder(&[
        ("registry/thirds.toml", THIRDS.as_bytes()),
        ("t.toml", treaty.as_bytes()),
    ]);
    let out = run(&["--treaties", dir.path().to_str().unwrap(), "total"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("t.toml:17:21"), "the amount's place: {err}");
    assert!(
        err.contains("1 tael is not an exact number of third"),
        "{err}"
    );
    assert!(err.contains("repeats"), "{err}");
    assert!(err.contains("never rounds"), "{err}");
    assert!(!err.contains("3.0000000000000000000000000003"), "{err}");
}

#[test]
fn an_exact_conversion_still_loads() {
    // 3 thirds of grain written in thirds stays 3; 2 catties of silver are 32 taels a year.
    let treaty = TREATY.replace(
        r#"amounts = { silver = "100 tael" }"#,
        r#"amounts = { grain = "3 third", silver = "2 catty" }"#,
    );
    let dir = folder(&[
        ("registry/thirds.toml", THIRDS.as_bytes()),
        ("t.toml", treaty.as_bytes()),
    ]);
    let v = json(&[
        "--treaties",
        dir.path().to_str().unwrap(),
        "ledger",
        "--treaty",
        "t",
    ]);
    let last = &v["rows"][9];
    // 10 years (1900–1909) × 32 taels = 320; 10 × 3 thirds = 30.
    assert_eq!(last["year"], 1909, "{v}");
    assert_eq!(
        dec(last["cum_owed"]["silver"].as_str().unwrap()),
        dec("320")
    );
    assert_eq!(dec(last["cum_owed"]["grain"].as_str().unwrap()), dec("30"));
}

fn installments(total: &str) -> String {
    TREATY.replace(
        "schedule = \"recurring\"\nfrom = 1900\nto = 1909\namounts = { silver = \"100 tael\" }",
        &format!(
            "schedule = \"installments\"\nfrom = 1900\ncount = 3\ntotal = {{ silk = \"{total}\" }}"
        ),
    )
}

#[test]
fn an_uneven_split_keeps_the_totals_written_places() {
    // 100.00 bolts in 3: 33.33 in 1900 and 1901, and 100.00 − 2 × 33.33 = 33.34 in 1902.
    let dir = folder(&[("t.toml", installments("100.00 bolt").as_bytes())]);
    let v = json(&[
        "--treaties",
        dir.path().to_str().unwrap(),
        "ledger",
        "--treaty",
        "t",
    ]);
    let rows = v["rows"].as_array().expect("rows").clone();
    let owed: Vec<(i64, String)> = rows
        .iter()
        .map(|r| {
            (
                r["year"].as_i64().unwrap(),
                r["owed"]["silk"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        owed.iter().map(|(y, o)| (*y, dec(o))).collect::<Vec<_>>(),
        vec![
            (1900, dec("33.33")),
            (1901, dec("33.33")),
            (1902, dec("33.34"))
        ],
        "{v}"
    );
    let shown = crate::common::ok(&["--treaties", dir.path().to_str().unwrap(), "show", "t"]);
    assert!(shown.contains("2 decimal place"), "{shown}");
}

#[test]
fn a_split_that_leaves_zero_payments_is_refused() {
    // 1 bolt in 3 at no decimal places would be 0, 0 and 1.
    let dir = folder(&[("t.toml", installments("1 bolt").as_bytes())]);
    let out = run(&["--treaties", dir.path().to_str().unwrap(), "total"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("t.toml:17:9"), "the total's place: {err}");
    assert!(err.contains("2 payments of 0"), "{err}");
    assert!(err.contains("more decimal places"), "{err}");
}
