//! Issue 3, context series: `compare --per-capita` and `--share-of-revenue` set values against
//! the population and revenue series of `treaties/context/`, and say plainly where data are
//! missing. Expected figures from history.md §4: Song population about 100,000,000 (von Glahn,
//! c. 1100); Song cash revenue about 60,000,000 strings a year (McNeill p.29, 1068–78).

use crate::common::{TREATY, dec, folder, json, ok, run, stderr};

#[test]
fn per_capita_divides_by_the_nearest_population_figure() {
    // Under `units`, the 1123 flow is 200,000 taels + 300,000 bolts = 500,000 units (cash unpriced).
    let v = json(&[
        "compare",
        "jin-demand-1126",
        "--against",
        "song-jin-1123",
        "--prices",
        "units",
        "--per-capita",
    ]);
    let b = v["per_capita"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["side"] == "B")
        .unwrap();
    assert_eq!(b["year"], 1100);
    assert_eq!(
        dec(b["per_person"]["central"].as_str().unwrap()),
        dec("500000") / dec("100000000")
    );
    // The demand: 50,000,000 + 5,000,000 + 1,000,000 + 1,000,000 units.
    let a = v["per_capita"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["side"] == "A")
        .unwrap();
    assert_eq!(
        dec(a["per_person"]["central"].as_str().unwrap()),
        dec("57000000") / dec("100000000")
    );
}

#[test]
fn share_of_revenue_values_the_revenue_with_the_same_book() {
    // song-cash, Northern Song: 1 tael of silver, 1 bolt of silk and 1 string of cash are each worth
    // 1 string (central), so the 1123 flow is 200,000 + 300,000 + 1,000,000 = 1,500,000 strings,
    // and the revenue of 60,000,000 strings is worth itself.
    let v = json(&[
        "compare",
        "jin-demand-1126",
        "--against",
        "song-jin-1123",
        "--prices",
        "song-cash",
        "--share-of-revenue",
    ]);
    let b = v["share_of_revenue"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["side"] == "B")
        .unwrap();
    assert_eq!(b["year"], 1073);
    assert_eq!(
        dec(b["percent"]["central"].as_str().unwrap()),
        dec("1500000") * dec("100") / dec("60000000")
    );
}

#[test]
fn missing_data_is_said_plainly() {
    // `units` prices no cash, so Song revenue (in strings) cannot be valued with it.
    let text = ok(&[
        "compare",
        "jin-demand-1126",
        "--against",
        "song-jin-1123",
        "--prices",
        "units",
        "--share-of-revenue",
    ]);
    assert!(text.contains("cannot price cash"), "{text}");
    // A payer with no population series (the shared fixture pays from `Haiti`).
    let dir = folder(&[("x.toml", TREATY.as_bytes())]);
    let text = ok(&[
        "--treaties",
        dir.path().to_str().unwrap(),
        "compare",
        "x",
        "--against",
        "x",
        "--prices",
        "units",
        "--per-capita",
    ]);
    assert!(
        text.contains("No population figure for Haiti is loaded"),
        "{text}"
    );
}

#[test]
fn the_context_flags_need_a_price_book() {
    let out = run(&[
        "compare",
        "jin-demand-1126",
        "--against",
        "song-jin-1123",
        "--per-capita",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("need --prices"), "{}", stderr(&out));
}

#[test]
fn a_bad_series_file_is_located() {
    let series = "name = \"x\"\nparty = \"Song\"\nmeasure = \"population\"\nunit = \"persons\"\nsources = [\"s\"]\n[source.s]\ntitle = \"t\"\nquality = \"B\"\n[[point]]\nyear = 1100\nvalue = 5.5\nsource = \"s\"\n";
    let dir = folder(&[("context/x.toml", series.as_bytes())]);
    let out = run(&["--treaties", dir.path().to_str().unwrap(), "list"]);
    assert_eq!(out.status.code(), Some(2));
    // `value = 5.5` is line 11, column 9.
    assert!(
        stderr(&out).contains(&format!(
            "{}:11:9",
            dir.path().join("context/x.toml").display()
        )),
        "{}",
        stderr(&out)
    );
}
