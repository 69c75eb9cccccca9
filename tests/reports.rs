//! The report layer (issue 8, item 1): what `--format json` prints is the serialisation of the
//! typed report in tribute-core, and the figures in it are the ones a hand computation gives.

use tribute_core::{Corpus, Query, Readings, Resolved, Status, builtin, report};

use crate::common::{d, dec, json};

fn builtin_corpus() -> Corpus {
    Corpus::load(&[builtin()]).expect("the built-in corpus loads")
}

#[test]
fn ledger_json_is_the_serialised_core_report() {
    let corpus = builtin_corpus();
    let resolved = Resolved::new(&corpus, &Readings::default()).expect("resolves");
    let query = Query {
        payer: Some("Song".into()),
        payee: Some("Jin".into()),
        statuses: vec![Status::InForce],
        ..Query::default()
    };
    let book = corpus.price_books.get("units");
    let rep = report::ledger(&corpus, &resolved, &query, book).expect("a ledger");
    let expected = serde_json::to_value(rep.wire(&corpus)).expect("serialises");
    let printed = json(&[
        "ledger", "--payer", "Song", "--payee", "Jin", "--prices", "units",
    ]);
    assert_eq!(printed, expected);
    // And the figures are right, not only the same: the Shaoxing years 1142–1164 owe 250,000
    // taels of silver and 250,000 bolts of silk a year, each worth 1 unit under `units`, so the
    // value owed in 1150 is 500,000 units at every bound.
    let row = printed["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["year"] == 1150)
        .expect("a row for 1150");
    assert_eq!(d(&row["owed"]["silver"]), dec("250000"));
    assert_eq!(d(&row["owed"]["silk"]), dec("250000"));
    for bound in ["low", "central", "high"] {
        assert_eq!(d(&row["value"]["owed"][bound]), dec("500000"), "{bound}");
    }
}

#[test]
fn totals_json_is_the_serialised_core_report() {
    let corpus = builtin_corpus();
    let resolved = Resolved::new(&corpus, &Readings::default()).expect("resolves");
    let query = Query {
        payee: Some("Liao".into()),
        to: Some(1121),
        statuses: vec![Status::InForce],
        ..Query::default()
    };
    let book = corpus.price_books.get("units");
    let rep = report::totals(&corpus, &resolved, &query, tribute_core::GroupBy::All, book)
        .expect("totals");
    let expected = serde_json::to_value(rep.wire(&corpus)).expect("serialises");
    let printed = json(&[
        "total", "--payee", "Liao", "--to", "1121", "--by", "all", "--prices", "units",
    ]);
    assert_eq!(printed, expected);
    // By hand (history.md §1): 100,000 taels and 200,000 bolts a year 1005–1041 (37 years), then
    // 200,000 and 300,000 a year 1042–1121 (80 years): 19,700,000 taels of silver and
    // 31,400,000 bolts of silk; under `units` each counts 1, so 51,100,000 units owed.
    let rows = printed["rows"].as_array().unwrap();
    let owed = |c: &str| d(&rows.iter().find(|r| r["commodity"] == c).expect("a row")["owed"]);
    assert_eq!(
        owed("silver"),
        dec("100000") * dec("37") + dec("200000") * dec("80")
    );
    assert_eq!(
        owed("silk"),
        dec("200000") * dec("37") + dec("300000") * dec("80")
    );
    let group = &printed["value_by_group"][0];
    assert_eq!(d(&group["owed"]["central"]), dec("51100000"));
}

#[test]
fn compare_json_is_the_serialised_core_report() {
    let corpus = builtin_corpus();
    let book = corpus.price_books.get("units");
    let cmp = report::compare(
        &corpus,
        &Readings::default(),
        "jin-demand-1126",
        "song-jin-1123",
        tribute_core::Measure::Years(None),
        book,
        report::CompareOptions::default(),
    )
    .expect("a comparison");
    let expected = serde_json::to_value(cmp.wire(&corpus)).expect("serialises");
    let printed = json(&[
        "compare",
        "jin-demand-1126",
        "--against",
        "song-jin-1123",
        "--prices",
        "units",
    ]);
    assert_eq!(printed, expected);
    // The issue-3 worked example under `units`, by hand: the 1126 demand (article reading) is
    // 50,000,000 taels of silver + 5,000,000 of gold + 1,000,000 bolts of silk + 1,000,000 of
    // satin, all counted 1 unit: 57,000,000 units; the 1123 flow is 200,000 taels + 300,000
    // bolts = 500,000 units a year; 57,000,000 ÷ 500,000 = 114 years, exactly.
    assert_eq!(
        d(&printed["a"]["valuation"]["value"]["central"]),
        dec("57000000")
    );
    assert_eq!(
        d(&printed["b"]["valuation"]["value"]["central"]),
        dec("500000")
    );
    assert_eq!(d(&printed["result"]["central"]), dec("114"));
    assert_eq!(printed["result"]["exact"]["central"], true);
}

#[test]
fn show_list_and_check_json_are_the_serialised_core_reports() {
    let corpus = builtin_corpus();
    let resolved = Resolved::new(&corpus, &Readings::default()).expect("resolves");
    let rep = report::treaty(&corpus, &resolved, "song-jin-1142-shaoxing").expect("a treaty");
    assert_eq!(
        json(&["show", "song-jin-1142-shaoxing"]),
        serde_json::to_value(rep.wire(&corpus)).unwrap()
    );
    // By hand: 250,000 taels a year 1142–1164 is 23 payments, 5,750,000 taels in all.
    let silver = rep
        .payments
        .iter()
        .find(|p| p.commodity == "silver" && p.from == 1142)
        .expect("the Shaoxing silver");
    assert_eq!((silver.to, silver.count), (1164, 23));
    assert_eq!(silver.total.0, dec("250000") * dec("23"));
    assert_eq!(
        json(&["list"]),
        serde_json::to_value(report::list(&corpus, &resolved)).unwrap()
    );
    let check = report::check(Ok(&corpus));
    assert!(check.problems.is_empty(), "{:?}", check.problems);
    assert_eq!(
        json(&["check"]),
        serde_json::to_value(check.wire()).unwrap()
    );
}

/// Every report's JSON Schema, generated from the wire types, is checked in under docs/schema/ so
/// that a change of the contract shows in review; `TRIBUTE_BLESS_DOCS=1` rewrites them.
#[test]
fn json_schemas_are_checked_in() {
    let dir = crate::common::root().join("docs/schema");
    let bless = std::env::var_os("TRIBUTE_BLESS_DOCS").is_some();
    for (name, schema) in report::schemas() {
        let path = dir.join(format!("{name}.json"));
        let text = format!("{}\n", serde_json::to_string_pretty(&schema).unwrap());
        if bless {
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(&path, &text).unwrap();
            continue;
        }
        let shipped = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("{}: {e}; run with TRIBUTE_BLESS_DOCS=1", path.display()));
        assert_eq!(
            shipped, text,
            "{name}: the schema changed; bless with TRIBUTE_BLESS_DOCS=1"
        );
        // And `tribute schema NAME` prints the same.
        let printed: serde_json::Value =
            serde_json::from_str(&crate::common::ok(&["schema", name])).unwrap();
        assert_eq!(printed, schema, "{name}");
    }
}

/// What every command prints with `--format json` is valid against its schema: the schema is the
/// contract, not a description of it.
#[test]
fn report_json_is_valid_against_its_schema() {
    let fixtures = crate::common::root().join("tests/fixtures/issue-3");
    let fixtures = fixtures.to_str().unwrap();
    let cases: &[(&str, &[&str])] = &[
        ("ledger", &["ledger", "--payer", "Song", "--payee", "Jin"]),
        (
            "ledger",
            &[
                "ledger",
                "--prices",
                "song-silver",
                "--from",
                "1130",
                "--to",
                "1150",
            ],
        ),
        ("total", &["total", "--by", "treaty"]),
        ("total", &["total", "--prices", "units", "--status", "all"]),
        (
            "compare",
            &["compare", "jin-demand-1126", "--against", "song-jin-1123"],
        ),
        (
            "compare",
            &[
                "compare",
                "jin-demand-1126",
                "--against",
                "song-jin-1123",
                "--prices",
                "song-cash",
                "--per-capita",
                "--share-of-revenue",
            ],
        ),
        (
            "compare",
            &[
                "compare",
                "jin-demand-1126",
                "--against",
                "song-jin-1123",
                "--prices",
                "units",
                "--solve",
                "silk=50",
            ],
        ),
        (
            "compare-matrix",
            &[
                "compare",
                "jin-demand-1126",
                "--against",
                "song-jin-1123",
                "--all-readings",
            ],
        ),
        (
            "compare-matrix",
            &[
                "--treaties",
                fixtures,
                "compare",
                "jin-demand-1126",
                "--against",
                "song-jin-1123",
                "--all-books",
                "--all-readings",
                "--solve",
                "gold=180",
            ],
        ),
        ("check", &["check"]),
        ("show", &["show", "song-jin-1208-jiading"]),
        ("show", &["show", "haiti-france-1838"]),
        ("list", &["list"]),
    ];
    let schemas = report::schemas();
    for (name, args) in cases {
        let schema = &schemas.iter().find(|(n, _)| n == name).unwrap().1;
        let validator = jsonschema::validator_for(schema).expect("a valid schema");
        let printed = json(args);
        let errors: Vec<String> = validator
            .iter_errors(&printed)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "tribute {args:?}: {errors:#?}");
    }
    // The schema can fail: an amount as a JSON number, or a missing field, is refused.
    let ledger = &schemas.iter().find(|(n, _)| *n == "ledger").unwrap().1;
    let validator = jsonschema::validator_for(ledger).unwrap();
    let mut bad = json(&["ledger", "--payee", "Liao", "--to", "1006"]);
    bad["rows"][0]["owed"]["silver"] = serde_json::json!(100000.0);
    assert!(
        !validator.is_valid(&bad),
        "a float amount must not validate"
    );
    let mut bad = json(&["ledger", "--payee", "Liao", "--to", "1006"]);
    bad.as_object_mut().unwrap().remove("rows");
    assert!(
        !validator.is_valid(&bad),
        "a ledger without rows must not validate"
    );
}
