//! Issue 3: snapshots of every new report (`compare`, valued `ledger` and `total`, the claims and
//! price books of `check`), named `<kind>@<input>.snap`. Before each snapshot the report's
//! arithmetic is checked against the price book file itself, read here with `toml`: every value is
//! amount × rate, every total the sum of its parts, every cumulative value the running sum.

use std::collections::BTreeMap;
use std::path::Path;

use rust_decimal::Decimal;
use serde_json::Value;

use crate::common::{d, dec, json, ok, root};

fn snap(name: &str, text: &str) {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/snapshots"));
    settings.set_prepend_module_to_snapshot(false);
    settings.bind(|| insta::assert_snapshot!(name, text));
}

/// A built-in price book's rates, read from its file: commodity → [(from, to, low, central, high)].
type Rates = BTreeMap<String, Vec<(i32, i32, Decimal, Decimal, Decimal)>>;

fn rates(book: &str) -> Rates {
    let text = std::fs::read_to_string(root().join(format!("treaties/prices/{book}.toml")))
        .expect("the book");
    let file: toml::Table = text.parse().expect("toml");
    let mut out = Rates::new();
    for r in file["rate"].as_array().expect("rates") {
        let get = |k: &str| r.get(k).and_then(|v| v.as_str()).map(dec);
        let central = get("central").expect("central");
        let year = |k: &str| r.get(k).and_then(|v| v.as_integer()).map(|y| y as i32);
        out.entry(r["commodity"].as_str().unwrap().to_string())
            .or_default()
            .push((
                year("from").unwrap_or(i32::MIN),
                year("to").unwrap_or(i32::MAX),
                get("low").unwrap_or(central),
                central,
                get("high").unwrap_or(central),
            ));
    }
    out
}

fn rate_at(rates: &Rates, commodity: &str, year: i32) -> Option<(Decimal, Decimal, Decimal)> {
    rates
        .get(commodity)?
        .iter()
        .find(|r| r.0 <= year && year <= r.1)
        .map(|r| (r.2, r.3, r.4))
}

/// Checks a valuation object of `compare --format json`: each priced part is amount × its rate,
/// the value is the sum of the parts, and the unpriced amounts are exactly the parts without a rate.
fn check_valuation(v: &Value, rates: &Rates, year: i32) {
    let mut sum = [Decimal::ZERO; 3];
    let mut unpriced = BTreeMap::new();
    for p in v["parts"].as_array().expect("parts") {
        let amount = d(&p["amount"]);
        let commodity = p["commodity"].as_str().unwrap();
        match rate_at(rates, commodity, year) {
            Some((l, c, h)) => {
                let value = &p["value"];
                assert_eq!(
                    (d(&value["low"]), d(&value["central"]), d(&value["high"])),
                    (amount * l, amount * c, amount * h),
                    "{commodity}"
                );
                sum[0] += amount * l;
                sum[1] += amount * c;
                sum[2] += amount * h;
            }
            None => {
                assert!(p["value"].is_null(), "{commodity} has no rate in {year}");
                unpriced.insert(commodity.to_string(), amount);
            }
        }
    }
    let total = &v["value"];
    assert_eq!(
        [d(&total["low"]), d(&total["central"]), d(&total["high"])],
        sum
    );
    let listed: BTreeMap<String, Decimal> = v["unpriced"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, a)| (k.clone(), d(a)))
        .collect();
    assert_eq!(listed, unpriced);
}

fn compare_case(name: &str, args: &[&str], book: &str) {
    let out = json(args);
    let rates = rates(book);
    // The demand falls in 1126; the flow in B's year.
    check_valuation(&out["a"]["valuation"], &rates, 1126);
    let year = out["b"]["year"].as_i64().map_or(1123, |y| y as i32);
    check_valuation(&out["b"]["valuation"], &rates, year);
    let (a, b) = (
        &out["a"]["valuation"]["value"],
        &out["b"]["valuation"]["value"],
    );
    let r = &out["result"];
    // The rounded interval contains the exact one.
    assert!(d(&r["low"]) <= d(&a["low"]) / d(&b["high"]));
    assert!(d(&r["high"]) >= d(&a["high"]) / d(&b["low"]));
    if r["exact"]["central"] == Value::Bool(true) {
        assert_eq!(d(&r["central"]) * d(&b["central"]), d(&a["central"]));
    }
    snap(name, &ok(args));
}

#[test]
fn compare_in_units() {
    compare_case(
        "compare@jin-demand-1126.against.song-jin-1123.units",
        &[
            "compare",
            "jin-demand-1126",
            "--against",
            "song-jin-1123",
            "--prices",
            "units",
        ],
        "units",
    );
}

#[test]
fn compare_in_silver_with_the_solver() {
    compare_case(
        "compare@jin-demand-1126.against.song-jin-1123.song-silver.solve-gold-180",
        &[
            "compare",
            "jin-demand-1126",
            "--against",
            "song-jin-1123",
            "--prices",
            "song-silver",
            "--solve",
            "gold=180",
        ],
        "song-silver",
    );
}

#[test]
fn compare_in_cash_in_the_southern_song() {
    // The Shaoxing tribute's first year, 1142, is priced at the Southern Song rates.
    compare_case(
        "compare@jin-demand-1126.against.song-jin-1142-shaoxing.song-cash",
        &[
            "compare",
            "jin-demand-1126",
            "--against",
            "song-jin-1142-shaoxing",
            "--prices",
            "song-cash",
        ],
        "song-cash",
    );
}

#[test]
fn compare_as_a_ratio_of_totals_in_csv() {
    let args = [
        "compare",
        "jin-demand-1126",
        "--against",
        "song-jin-1123",
        "--prices",
        "units",
        "--ratio",
        "--format",
        "csv",
    ];
    let text = ok(&args);
    assert!(
        text.starts_with("quantity,low,central,high,unit\n"),
        "{text}"
    );
    snap(
        "compare-csv@jin-demand-1126.against.song-jin-1123.units.ratio",
        &text,
    );
}

#[test]
fn compare_without_a_book() {
    let args = ["compare", "jin-demand-1126", "--against", "song-jin-1123"];
    let out = json(&args);
    for r in out["per_commodity"].as_array().unwrap() {
        assert_eq!(
            out["a"]["amounts"][r["commodity"].as_str().unwrap()],
            r["a"]
        );
    }
    snap("compare@jin-demand-1126.against.song-jin-1123", &ok(&args));
}

#[test]
fn compare_over_every_reading_and_book() {
    let args = [
        "compare",
        "jin-demand-1126",
        "--against",
        "song-jin-1123",
        "--all-readings",
        "--all-books",
        "--solve",
        "gold=180",
    ];
    let out = json(&args);
    let rows = out["rows"].as_array().unwrap();
    // Every row's central value is its A ÷ B (exact where it says so).
    for r in rows {
        if r["result"]["exact"]["central"] == Value::Bool(true) {
            assert_eq!(
                d(&r["result"]["central"]) * d(&r["b"]["central"]),
                d(&r["a"]["central"])
            );
        }
    }
    snap(
        "compare@jin-demand-1126.against.song-jin-1123.all-readings.all-books.solve-gold-180",
        &ok(&args),
    );
    let args = [
        "compare",
        "jin-demand-1126",
        "--against",
        "song-jin-1123",
        "--all-readings",
    ];
    snap(
        "compare@jin-demand-1126.against.song-jin-1123.all-readings",
        &ok(&args),
    );
}

#[test]
fn ledger_valued_in_silver() {
    let args = [
        "ledger",
        "--payer",
        "Song",
        "--payee",
        "Jin",
        "--from",
        "1123",
        "--to",
        "1143",
        "--prices",
        "song-silver",
    ];
    let out = json(&args);
    let rates = rates("song-silver");
    let mut cum = Decimal::ZERO;
    for row in out["rows"].as_array().unwrap() {
        let year = row["year"].as_i64().unwrap() as i32;
        let mut expected = Decimal::ZERO;
        let mut unpriced = BTreeMap::new();
        for (c, a) in row["owed"].as_object().unwrap() {
            match rate_at(&rates, c, year) {
                Some((_, central, _)) => expected += d(a) * central,
                None => {
                    unpriced.insert(c.clone(), d(a));
                }
            }
        }
        assert_eq!(d(&row["value"]["owed"]["central"]), expected, "{year}");
        cum += expected;
        assert_eq!(
            d(&row["value"]["cum_owed"]["central"]),
            cum,
            "{year}: cumulative from the first row (nothing is owed before 1123)"
        );
        let listed: BTreeMap<String, Decimal> = row["value"]["unpriced_owed"]
            .as_object()
            .unwrap()
            .iter()
            .map(|(k, a)| (k.clone(), d(a)))
            .collect();
        assert_eq!(listed, unpriced, "{year}");
    }
    snap("ledger@song-jin.1123-1143.song-silver", &ok(&args));
}

#[test]
fn ledger_cumulative_values_count_years_before_the_first_row() {
    // From 1124 the cumulative value opens with 1123's owed, valued at 1123's rates.
    let all = json(&[
        "ledger",
        "--payer",
        "Song",
        "--payee",
        "Jin",
        "--from",
        "1123",
        "--to",
        "1130",
        "--prices",
        "song-cash",
    ]);
    let later = json(&[
        "ledger",
        "--payer",
        "Song",
        "--payee",
        "Jin",
        "--from",
        "1124",
        "--to",
        "1130",
        "--prices",
        "song-cash",
    ]);
    let rows = |v: &Value| v["rows"].as_array().unwrap().clone();
    for (a, b) in rows(&all)[1..].iter().zip(rows(&later)) {
        assert_eq!(a["value"]["cum_owed"], b["value"]["cum_owed"]);
        assert_eq!(a["value"]["cum_recorded"], b["value"]["cum_recorded"]);
        assert_eq!(a["value"]["cum_assumed"], b["value"]["cum_assumed"]);
    }
}

#[test]
fn total_valued_in_cash() {
    let args = ["total", "--payer", "Song", "--prices", "song-cash"];
    let out = json(&args);
    // Each group's value is the sum of its rows.
    let mut sums: BTreeMap<String, [Decimal; 3]> = BTreeMap::new();
    for r in out["rows"].as_array().unwrap() {
        let e = sums
            .entry(r["group"].as_str().unwrap().to_string())
            .or_default();
        e[0] += d(&r["owed_value"]["low"]);
        e[1] += d(&r["owed_value"]["central"]);
        e[2] += d(&r["owed_value"]["high"]);
        // Priced and unpriced parts of a row never exceed what was owed, and a commodity the book
        // never prices is wholly unpriced.
        assert!(d(&r["unpriced_owed"]) <= d(&r["owed"]));
        if r["commodity"] == "tea" || r["commodity"] == "pongee" {
            assert_eq!(d(&r["unpriced_owed"]), d(&r["owed"]));
        }
    }
    for g in out["value_by_group"].as_array().unwrap() {
        let s = sums[g["group"].as_str().unwrap()];
        assert_eq!(
            [
                d(&g["owed"]["low"]),
                d(&g["owed"]["central"]),
                d(&g["owed"]["high"])
            ],
            s
        );
    }
    // Song → Liao, 1005–1121: 19.7 M taels of silver and 31.4 M bolts of silk (history.md §1), all
    // in the Northern Song at 1 string each, central: 51,100,000 strings.
    let liao = out["value_by_group"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["group"] == "Song → Liao")
        .unwrap();
    assert_eq!(
        d(&liao["owed"]["central"]),
        dec("19700000") + dec("31400000")
    );
    snap("total@song.song-cash", &ok(&args));
}

/// The part of `check`'s output from the price books to the end of the claims: the corpus table
/// above it changes whenever a treaty is added, and is snapshot by issue 2's tests.
fn check_tail(text: &str) -> String {
    let start = text.find("Price books").expect("a price books section");
    text[start..].to_string()
}

#[test]
fn check_lists_books_and_claims() {
    let out = json(&["check"]);
    assert_eq!(out["ok"], Value::Bool(true));
    let claim = out["claims"]
        .as_array()
        .and_then(|c| c.iter().find(|c| c["id"] == "about-180-years"))
        .expect("the 180-year claim");
    // 3 built-in books that price Song goods (units, song-cash, song-silver) × 2 readings of the
    // demand × 2 of the Yan money; the three that price none of them are named, not evaluated.
    assert_eq!(claim["cases"].as_array().unwrap().len(), 12);
    assert_eq!(
        claim["books_pricing_nothing"],
        serde_json::json!(["boxer-parities", "franc-usd-1838", "franc-usd-2024"])
    );
    snap("check@claims-and-price-books", &check_tail(&ok(&["check"])));
}
