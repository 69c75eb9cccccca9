//! Issue 3 (valuation), done-when items. Every expected number is worked out here by hand from the
//! source figures (history.md §3: the 1126 demand and the 1123 yearly terms), never copied from the
//! program's output.

use serde_json::Value;

use crate::common::{d, dec, folder, json, ok, root, run, stderr};

/// The 1126 demand as the article lists it (history.md §3), in the registry's units.
const SILVER_A: &str = "50000000";
const GOLD_A: &str = "5000000";
const SILK_A: &str = "1000000";
const SATIN_A: &str = "1000000";
/// The 1123 yearly terms (Franke, CHC 6 p.225): 200,000 taels of silver and 300,000 bolts of silk.
const SILVER_B: &str = "200000";
const SILK_B: &str = "300000";

fn fixture() -> String {
    root().join("tests/fixtures/issue-3").display().to_string()
}

fn commodities(v: &Value) -> Vec<String> {
    v.as_object().expect("an object").keys().cloned().collect()
}

#[test]
fn the_demand_is_114_years_of_the_1123_tribute_in_units_with_the_animals_unpriced() {
    // 50 M silver + 5 M gold + 1 M silk + 1 M satin = 57 M units; 200,000 + 300,000 = 500,000 a
    // year; 57,000,000 ÷ 500,000 = 114 exactly.
    let a = dec(SILVER_A) + dec(GOLD_A) + dec(SILK_A) + dec(SATIN_A);
    let b = dec(SILVER_B) + dec(SILK_B);
    assert_eq!(a, dec("57000000"));
    assert_eq!(b, dec("500000"));
    let years = a / b;
    assert_eq!(years, dec("114"));

    let out = json(&[
        "compare",
        "jin-demand-1126",
        "--against",
        "song-jin-1123",
        "--prices",
        "units",
    ]);
    assert_eq!(d(&out["a"]["valuation"]["value"]["central"]), a);
    assert_eq!(d(&out["b"]["valuation"]["value"]["central"]), b);
    for bound in ["low", "central", "high"] {
        assert_eq!(d(&out["result"][bound]), years, "{bound}");
        assert_eq!(out["result"]["exact"][bound], Value::Bool(true));
    }
    assert_eq!(out["b"]["year"], 1123);
    // Horses, mules, cattle and camels are listed as unpriced, with their amounts; and B's
    // 1,000,000 strings of cash (the default `annual` reading of the Yan money).
    let unpriced_a = &out["a"]["valuation"]["unpriced"];
    assert_eq!(
        commodities(unpriced_a),
        ["camel", "cattle", "horse", "mule"]
    );
    assert_eq!(d(&unpriced_a["horse"]), dec("10000"));
    assert_eq!(d(&unpriced_a["mule"]), dec("10000"));
    assert_eq!(d(&unpriced_a["cattle"]), dec("10000"));
    assert_eq!(d(&unpriced_a["camel"]), dec("1000"));
    assert_eq!(commodities(&out["b"]["valuation"]["unpriced"]), ["cash"]);
    assert_eq!(
        d(&out["b"]["valuation"]["unpriced"]["cash"]),
        dec("1000000")
    );

    let text = ok(&[
        "compare",
        "jin-demand-1126",
        "--against",
        "song-jin-1123",
        "--prices",
        "units",
    ]);
    assert!(
        text.starts_with(
            "jin-demand-1126 comes to 114 years of the yearly flow of song-jin-1123 in 1123"
        ),
        "{text}"
    );
    assert!(
        text.contains("Unpriced, left out of the values: A: 1,000 head camel + 10,000 head cattle + 10,000 head horse + 10,000 head mule; B: 1,000,000 string cash."),
        "{text}"
    );
}

#[test]
fn with_gold_at_ten_the_demand_is_204_years_and_gold_at_7_6_gives_180() {
    // (50 M silver + 5 M gold × 10 + 1 M silk + 1 M satin) ÷ 500,000 = 102,000,000 ÷ 500,000 = 204.
    let a = dec(SILVER_A) + dec(GOLD_A) * dec("10") + dec(SILK_A) + dec(SATIN_A);
    let b = dec(SILVER_B) + dec(SILK_B);
    assert_eq!(a / b, dec("204"));
    // 180 years × 500,000 = 90,000,000 = 52,000,000 + 5,000,000 × r, so r = 38,000,000 ÷ 5,000,000 = 7.6.
    let known = dec(SILVER_A) + dec(SILK_A) + dec(SATIN_A);
    let rate = (dec("180") * b - known) / dec(GOLD_A);
    assert_eq!(rate, dec("7.6"));

    let fx = fixture();
    let args = [
        "compare",
        "jin-demand-1126",
        "--against",
        "song-jin-1123",
        "--treaties",
        &fx,
        "--prices",
        "issue-example",
    ];
    let out = json(&args);
    assert_eq!(d(&out["result"]["central"]), a / b);
    let mut solve = args.to_vec();
    solve.extend(["--solve", "gold=180"]);
    let out = json(&solve);
    assert_eq!(d(&out["solve"]["solution"]["rate"]), rate);
    assert_eq!(out["solve"]["solution"]["exact"], Value::Bool(true));
    assert_eq!(d(&out["solve"]["solution"]["check"]), dec("180"));
    let text = ok(&solve);
    assert!(
        text.contains(
            "Solve: gold at 7.6 unit per tael makes the central value 180 years exactly."
        ),
        "{text}"
    );
}

#[test]
fn no_positive_rate_is_said_plainly() {
    // Without gold the demand is already 52,000,000 ÷ 500,000 = 104 years, and gold only adds:
    // no positive rate brings it down to 50.
    let fx = fixture();
    let text = ok(&[
        "compare",
        "jin-demand-1126",
        "--against",
        "song-jin-1123",
        "--treaties",
        &fx,
        "--prices",
        "issue-example",
        "--solve",
        "gold=50",
    ]);
    assert!(text.contains("Solve: no positive rate of gold makes the central value 50 years: at a rate near zero the comparison is 104"), "{text}");
}

/// A book with a low and a high on every commodity of both sides.
const RANGES: &str = r#"
name = "Ranges on everything"
numeraire = "unit"
sources = ["fixture"]

[source.fixture]
title = "Test fixture"
quality = "C"

[[rate]]
commodity = "silver"
low = "0.9"
central = "1"
high = "1.1"

[[rate]]
commodity = "gold"
low = "8"
central = "10"
high = "12"

[[rate]]
commodity = "silk"
low = "0.5"
central = "1"
high = "2"

[[rate]]
commodity = "satin"
low = "1"
central = "2"
high = "3"
"#;

#[test]
fn the_interval_is_the_hand_computed_bounds() {
    let dir = folder(&[("prices/ranges.toml", RANGES.as_bytes())]);
    let path = dir.path().display().to_string();
    let out = json(&[
        "compare",
        "jin-demand-1126",
        "--against",
        "song-jin-1123",
        "--treaties",
        &path,
        "--prices",
        "ranges",
    ]);
    // A low  = 50 M × 0.9 + 5 M × 8  + 1 M × 0.5 + 1 M × 1 = 45 M + 40 M + 0.5 M + 1 M = 86,500,000
    // A     = 50 M × 1   + 5 M × 10 + 1 M × 1   + 1 M × 2 = 103,000,000
    // A high = 50 M × 1.1 + 5 M × 12 + 1 M × 2   + 1 M × 3 = 55 M + 60 M + 2 M + 3 M = 120,000,000
    // B low  = 200,000 × 0.9 + 300,000 × 0.5 = 180,000 + 150,000 = 330,000
    // B      = 200,000 + 300,000 = 500,000
    // B high = 200,000 × 1.1 + 300,000 × 2 = 220,000 + 600,000 = 820,000
    let a = &out["a"]["valuation"]["value"];
    let b = &out["b"]["valuation"]["value"];
    assert_eq!(
        (d(&a["low"]), d(&a["central"]), d(&a["high"])),
        (dec("86500000"), dec("103000000"), dec("120000000"))
    );
    assert_eq!(
        (d(&b["low"]), d(&b["central"]), d(&b["high"])),
        (dec("330000"), dec("500000"), dec("820000"))
    );
    // low  = A low ÷ B high = 86,500,000 ÷ 820,000 = 105.48780…, rounded down to 105.4878
    // central = 103,000,000 ÷ 500,000 = 206 exactly
    // high = A high ÷ B low = 120,000,000 ÷ 330,000 = 363.63…, rounded up to 363.6364
    let r = &out["result"];
    assert_eq!(d(&r["low"]), dec("105.4878"));
    assert_eq!(d(&r["central"]), dec("206"));
    assert_eq!(d(&r["high"]), dec("363.6364"));
    assert_eq!(r["exact"]["low"], Value::Bool(false));
    assert_eq!(r["exact"]["central"], Value::Bool(true));
    assert_eq!(r["exact"]["high"], Value::Bool(false));
    // The rounded bounds contain the exact ones.
    assert!(d(&r["low"]) <= dec("86500000") / dec("820000"));
    assert!(d(&r["high"]) >= dec("120000000") / dec("330000"));
    let text = ok(&[
        "compare",
        "jin-demand-1126",
        "--against",
        "song-jin-1123",
        "--treaties",
        &path,
        "--prices",
        "ranges",
    ]);
    assert!(
        text.contains("rounded here: low, high."),
        "the output names what was rounded:\n{text}"
    );
}

/// A book under which the article's claim comes out at exactly 180 years: gold at 7.6.
const GOLD_7_6: &str = r#"
name = "Gold at 7.6"
numeraire = "unit"
sources = ["fixture"]

[source.fixture]
title = "Test fixture: the rate the solver finds for 180 years"
quality = "C"

[[rate]]
commodity = "gold"
central = "7.6"

[[rate]]
commodity = "silver"
central = "1"

[[rate]]
commodity = "silk"
central = "1"

[[rate]]
commodity = "satin"
central = "1"
"#;

#[test]
fn check_prints_where_the_180_year_claim_holds() {
    let dir = folder(&[("prices/gold-at-7-6.toml", GOLD_7_6.as_bytes())]);
    let path = dir.path().display().to_string();
    let out = run(&["check", "--treaties", &path, "--format", "json"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "a claim that does not hold everywhere is not a failure: {}",
        stderr(&out)
    );
    let report: Value = serde_json::from_slice(&out.stdout).expect("json");
    let claim = report["claims"]
        .as_array()
        .expect("claims")
        .iter()
        .find(|c| c["id"] == "about-180-years")
        .expect("the 180-year claim");
    // 180 ± 5 % = 171 to 189.
    assert_eq!(
        (d(&claim["band"][0]), d(&claim["band"][1])),
        (dec("171"), dec("189"))
    );
    // Under gold 7.6 the article's list is (50 M + 38 M + 1 M + 1 M) ÷ 500,000 = 180 years whatever
    // the Yan-money reading (the book prices no cash). The xuehua list has no silk:
    // (50 M + 38 M + 1 M) ÷ 500,000 = 178, also within 171–189. Under `units` it is 114 or 112.
    let holds: Vec<&str> = claim["holds"]
        .as_array()
        .expect("holds")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert_eq!(
        holds,
        [
            "gold-at-7-6 [indemnity=article; yan-tax-money=annual]",
            "gold-at-7-6 [indemnity=article; yan-tax-money=article]",
            "gold-at-7-6 [indemnity=xuehua; yan-tax-money=annual]",
            "gold-at-7-6 [indemnity=xuehua; yan-tax-money=article]",
        ]
    );
    let case = claim["cases"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["book"] == "gold-at-7-6" && c["a_readings"] == "indemnity=article")
        .unwrap();
    assert_eq!(d(&case["central"]), dec("180"));
    let units: Vec<&Value> = claim["cases"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["book"] == "units")
        .collect();
    assert_eq!(
        units.len(),
        4,
        "2 readings of the demand × 2 of the Yan money"
    );
    assert!(units.iter().all(|c| c["result"] == "does not hold"));

    let text = String::from_utf8(run(&["check", "--treaties", &path]).stdout).unwrap();
    assert!(
        text.contains("Claim jin-demand-1126/about-180-years:"),
        "{text}"
    );
    assert!(
        text.contains(
            "  Holds under 4 of 16: gold-at-7-6 [indemnity=article; yan-tax-money=annual];"
        ),
        "{text}"
    );
}

#[test]
fn without_a_book_only_shared_commodities_are_compared_and_it_says_so() {
    // Silver 50,000,000 ÷ 200,000 = 250 years; silk 1,000,000 ÷ 300,000 = 3.3333… years.
    let out = json(&["compare", "jin-demand-1126", "--against", "song-jin-1123"]);
    let rows = out["per_commodity"].as_array().expect("rows");
    assert_eq!(rows.len(), 2);
    assert_eq!(
        (rows[0]["commodity"].as_str(), d(&rows[0]["result"])),
        (Some("silk"), dec("3.3333"))
    );
    assert_eq!(rows[0]["exact"], Value::Bool(false));
    assert_eq!(
        (rows[1]["commodity"].as_str(), d(&rows[1]["result"])),
        (Some("silver"), dec(SILVER_A) / dec(SILVER_B))
    );
    let text = ok(&["compare", "jin-demand-1126", "--against", "song-jin-1123"]);
    assert!(text.starts_with("No price book: each commodity that both jin-demand-1126 and song-jin-1123 hold is compared on its own"), "{text}");
    assert!(
        text.contains(
            "Not compared, only in A: 1,000 head camel + 10,000 head cattle + 5,000,000 tael gold"
        ),
        "{text}"
    );
}

#[test]
fn a_ratio_of_totals_and_a_chosen_year() {
    // --ratio: the 1123 treaty's total under the defaults is 3 years (1123–1125, superseded from
    // 1126) of 200,000 silver + 300,000 silk, plus 3 × 1,000,000 strings of cash (unpriced in
    // units): 1,500,000 units. 57,000,000 ÷ 1,500,000 = 38.
    let out = json(&[
        "compare",
        "jin-demand-1126",
        "--against",
        "song-jin-1123",
        "--prices",
        "units",
        "--ratio",
    ]);
    assert_eq!(
        d(&out["b"]["valuation"]["value"]["central"]),
        dec("1500000")
    );
    assert_eq!(d(&out["result"]["central"]), dec("38"));
    assert_eq!(
        d(&out["b"]["valuation"]["unpriced"]["cash"]),
        dec("3000000")
    );
    // --year: the Longxing payment of 1208 is 300,000 + 300,000 after the Jiading increase, so
    // 57,000,000 ÷ 600,000 = 95.
    let out = json(&[
        "compare",
        "jin-demand-1126",
        "--against",
        "song-jin-1165-longxing",
        "--prices",
        "units",
        "--year",
        "1208",
    ]);
    assert_eq!(out["b"]["year"], 1208);
    assert_eq!(d(&out["result"]["central"]), dec("95"));
    // A year in which the stream owes nothing is an error.
    let bad = run(&[
        "compare",
        "jin-demand-1126",
        "--against",
        "song-jin-1123",
        "--prices",
        "units",
        "--year",
        "1130",
    ]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(
        stderr(&bad).contains("the recurring obligations of `song-jin-1123` owe nothing in 1130"),
        "{}",
        stderr(&bad)
    );
}

#[test]
fn every_reading_and_every_book() {
    let out = json(&[
        "compare",
        "jin-demand-1126",
        "--against",
        "song-jin-1123",
        "--all-readings",
        "--all-books",
    ]);
    let rows = out["rows"].as_array().expect("rows");
    // 6 built-in books × 2 readings of the demand × 2 of the Yan money, less the three books
    // that price nothing of either treaty (the two derived franc books and the Boxer parities),
    // which are named once instead: 3 × 2 × 2.
    assert_eq!(rows.len(), 12);
    assert_eq!(
        out["books_pricing_nothing"],
        serde_json::json!(["boxer-parities", "franc-usd-1838", "franc-usd-2024"])
    );
    // units, xuehua list, Yan money once: (5 M + 50 M + 1 M satin) ÷ 500,000 = 112.
    let row = rows
        .iter()
        .find(|r| {
            r["book"] == "units"
                && r["a_readings"] == "indemnity=xuehua"
                && r["b_readings"] == "yan-tax-money=article"
        })
        .expect("the row");
    assert_eq!(d(&row["result"]["central"]), dec("112"));
}

#[test]
fn all_books_names_once_the_books_that_price_nothing_of_either_treaty() {
    // The Boxer parities (francs, Haikwan taels and the gold currencies of 1901) and the two
    // franc–dollar books price none of the silver, gold, silk, cash or animals of the 1126
    // demand and the 1123 tribute: no row for them, one line naming them, and
    // `books_pricing_nothing` in JSON.
    let args = [
        "compare",
        "jin-demand-1126",
        "--against",
        "song-jin-1123",
        "--all-books",
    ];
    let v = json(&args);
    let blank = ["boxer-parities", "franc-usd-1838", "franc-usd-2024"];
    assert_eq!(v["books_pricing_nothing"], serde_json::json!(blank));
    let books: Vec<&str> = v["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["book"].as_str().unwrap())
        .collect();
    assert_eq!(books, ["song-cash", "song-silver", "units"]);
    let text = ok(&args);
    assert!(
        text.contains(
            "Not evaluated under boxer-parities, franc-usd-1838, franc-usd-2024, which price nothing of either treaty."
        ),
        "{text}"
    );
    assert!(!text.contains("boxer-parities ┆"), "{text}");
    // A book that prices one side keeps its row: the Boxer parities price the Boxer indemnity's
    // taels (A) though nothing of the Chanyuan payment (B).
    let v = json(&[
        "compare",
        "boxer-1901",
        "--against",
        "song-liao-1005-chanyuan",
        "--ratio",
        "--all-books",
    ]);
    assert_eq!(
        v["books_pricing_nothing"],
        serde_json::json!(["franc-usd-1838", "franc-usd-2024"])
    );
    let books: Vec<&str> = v["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["book"].as_str().unwrap())
        .collect();
    assert_eq!(
        books,
        ["boxer-parities", "song-cash", "song-silver", "units"]
    );
}
