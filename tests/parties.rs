//! Issue 8, items 4 and 5: names are resolved, never silently matched to nothing.
//!
//! A party a file names (payer, payee, a series' party, a registry party's `part_of`) must be a
//! party of the registry, or loading fails at its file:line:col with the nearest names; a
//! `--payer`, `--payee`, `--treaty`, `--reading` or `--prices` value that matches nothing is an
//! error (status 2) naming it and the nearest names; a treaty id given to a command may be cut to
//! a unique prefix; and `--no-builtin` keeps the built-in registry.

use crate::common::{TREATY, folder, json, ok, run, stderr};

/// Runs `tribute ARGS`, requires status `code` and nothing on standard output; returns stderr.
fn fails_with(code: i32, args: &[&str]) -> String {
    let out = run(args);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(code), "tribute {args:?}:\n{err}");
    if code == 2 {
        assert!(out.stdout.is_empty(), "tribute {args:?} printed a report");
    }
    err
}

/// The 1-based line and column of the first `needle` in `text`, as `line:col`.
fn place(text: &str, needle: &str) -> String {
    let at = text.find(needle).expect("the needle is in the fixture");
    let (line, col) = tribute_core::line_col(text, at);
    format!("{line}:{col}")
}

#[test]
fn a_misspelt_payer_fails_the_load_at_its_place_and_suggests_the_party() {
    let text = TREATY
        .replace("payer = \"Haiti\"", "payer = \"Sung\"")
        .replace("1900", "1100")
        .replace("1909", "1109");
    let dir = folder(&[("t.toml", text.as_bytes())]);
    let d = dir.path().to_str().unwrap();
    let at = format!(
        "{}:{}: unknown party `Sung`",
        dir.path().join("t.toml").display(),
        place(&text, "\"Sung\"")
    );
    // `check` lists every load problem and exits 2, as every command does on bad input (issue 8);
    // unlike the other commands it still prints its report (the problems counted).
    let out = run(&["--treaties", d, "check"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains(&at), "expected {at} in:\n{err}");
    assert!(err.contains("did you mean `Song`?"), "{err}");
    let err = fails_with(2, &["--treaties", d, "total", "--payer", "Song"]);
    assert!(err.contains(&at), "{err}");
    assert!(err.contains("did you mean `Song`?"), "{err}");
}

#[test]
fn a_payee_written_as_an_alias_counts_as_its_party() {
    let registry = "[[party]]\nid = \"Khitan Liao\"\naliases = [\"Qidan\"]\npart_of = \"liao\"\n";
    let text = TREATY
        .replace("payer = \"Haiti\"", "payer = \"northern song\"")
        .replace("payee = \"France\"", "payee = \"QIDAN\"")
        .replace("1900", "1100")
        .replace("1909", "1109");
    let dir = folder(&[
        ("t.toml", text.as_bytes()),
        ("registry/p.toml", registry.as_bytes()),
    ]);
    let d = dir.path().to_str().unwrap();
    // The treaty keeps the registry's ids, so the pair groups as the registry names it.
    let list = json(&["--treaties", d, "list"]);
    let row = list["treaties"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "t")
        .unwrap_or_else(|| panic!("t is listed: {list}"));
    assert_eq!(row["payer"], "Northern Song");
    assert_eq!(row["payee"], "Khitan Liao");
    // `--payee Liao` covers it through part_of, and the alias works as a filter too.
    // `--payee Liao` is one group with the Liao's 200,000 taels a year 1100–1109 (the 1042
    // level) and the file's 100 a year; `qidan`, the alias of Khitan Liao, only the file's.
    for (payee, by_hand) in [("Liao", 10 * 200_000 + 10 * 100), ("qidan", 10 * 100)] {
        let total = json(&[
            "--treaties",
            d,
            "total",
            "--payee",
            payee,
            "--from",
            "1100",
            "--to",
            "1109",
        ]);
        let t = total.to_string();
        assert!(
            t.contains(&format!("\"{by_hand}\"")),
            "--payee {payee}: {t}"
        );
    }
}

#[test]
fn a_misspelt_part_of_or_series_party_fails_at_its_place() {
    let registry = "[[party]]\nid = \"Khitan Liao\"\npart_of = \"Lioa\"\n";
    let dir = folder(&[("registry/p.toml", registry.as_bytes())]);
    let d = dir.path().to_str().unwrap();
    let err = fails_with(2, &["--treaties", d, "list"]);
    let at = format!(
        "{}:{}: party `Khitan Liao` is part of unknown party `Lioa`",
        dir.path().join("registry/p.toml").display(),
        place(registry, "\"Lioa\"")
    );
    assert!(err.contains(&at), "expected {at} in:\n{err}");
    assert!(err.contains("did you mean `Liao`?"), "{err}");

    let series =
        std::fs::read_to_string(crate::common::root().join("treaties/context/jin-population.toml"))
            .unwrap()
            .replace("party = \"Jin\"", "party = \"Jinn\"");
    let dir = folder(&[("context/jin-population.toml", series.as_bytes())]);
    let err = fails_with(2, &["--treaties", dir.path().to_str().unwrap(), "list"]);
    let at = format!(
        "{}:{}: unknown party `Jinn`",
        dir.path().join("context/jin-population.toml").display(),
        place(&series, "\"Jinn\"")
    );
    assert!(err.contains(&at), "expected {at} in:\n{err}");
    assert!(err.contains("did you mean `Jin`?"), "{err}");
}

#[test]
fn an_unknown_payer_or_payee_is_an_error_not_an_empty_report() {
    let err = fails_with(2, &["ledger", "--payee", "Lioa"]);
    assert!(err.contains("--payee: unknown party `Lioa`"), "{err}");
    assert!(err.contains("did you mean `Liao`?"), "{err}");
    let err = fails_with(2, &["total", "--payer", "Sung", "--payee", "Jin"]);
    assert!(err.contains("--payer: unknown party `Sung`"), "{err}");
    assert!(err.contains("did you mean `Song`?"), "{err}");
    // Charts and exports take the same filters, resolved the same way.
    let err = fails_with(2, &["export", "--format", "hledger", "--payee", "Lioa"]);
    assert!(err.contains("did you mean `Liao`?"), "{err}");
    // Names compare without regard to case: `liao` is the Liao.
    assert_eq!(
        json(&["total", "--payee", "liao", "--to", "1121"]),
        json(&["total", "--payee", "Liao", "--to", "1121"])
    );
}

#[test]
fn no_builtin_keeps_the_registry_for_a_folder_that_declares_none() {
    // The fixture names silver, taels, Haiti and France, all from the built-in registry.
    let dir = folder(&[("t.toml", TREATY.as_bytes())]);
    let d = dir.path().to_str().unwrap();
    let totals = json(&["--no-builtin", "--treaties", d, "total"]);
    let rows = totals["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 1, "{totals}");
    assert_eq!(rows[0]["group"], "Haiti → France");
    assert_eq!(rows[0]["owed"], "1000");
    // Only the folder's treaty is loaded.
    let list = json(&["--no-builtin", "--treaties", d, "list"]);
    assert_eq!(list["treaties"].as_array().unwrap().len(), 1, "{list}");
    assert!(ok(&["--no-builtin", "--treaties", d, "check"]).contains("No problems found"));
}

#[test]
fn a_unique_prefix_names_a_treaty() {
    assert_eq!(
        ok(&["show", "song-jin-1142"]),
        ok(&["show", "song-jin-1142-shaoxing"])
    );
    assert_eq!(
        ok(&["compare", "jin-demand", "--against", "song-jin-1123"]),
        ok(&["compare", "jin-demand-1126", "--against", "song-jin-1123"])
    );
    assert_eq!(
        json(&["total", "--treaty", "song-liao-1005"]),
        json(&["total", "--treaty", "song-liao-1005-chanyuan"])
    );
}

#[test]
fn an_ambiguous_prefix_lists_what_it_could_mean() {
    let err = fails_with(2, &["show", "song-jin-11"]);
    assert!(
        err.contains("`song-jin-11` is the start of 5 treaty ids"),
        "{err}"
    );
    assert!(
        err.contains("song-jin-1123, song-jin-1126, song-jin-1138, song-jin-1142-shaoxing, song-jin-1165-longxing"),
        "{err}"
    );
    let err = fails_with(2, &["total", "--treaty", "haiti"]);
    assert!(
        err.contains("--treaty: `haiti` is the start of 3 treaty ids"),
        "{err}"
    );
    let err = fails_with(2, &["compare", "jin-demand", "--against", "song"]);
    assert!(err.contains("--against: `song` is the start of"), "{err}");
}

#[test]
fn an_unknown_treaty_suggests_the_nearest_or_lists_at_most_ten() {
    let err = fails_with(2, &["show", "song-jin-1124"]);
    assert!(err.contains("no treaty `song-jin-1124` is loaded"), "{err}");
    assert!(err.contains("did you mean `song-jin-1123`"), "{err}");
    let err = fails_with(
        2,
        &["compare", "jin-demand", "--against", "sogn-xia-1044-qingli"],
    );
    assert!(
        err.contains("did you mean `song-xia-1044-qingli`?"),
        "{err}"
    );
    // Nothing close: the known ids, ten at most.
    let err = fails_with(2, &["show", "byzantium"]);
    let help = err
        .lines()
        .find(|l| l.contains("help:"))
        .expect("a help line");
    // The corpus's treaty files, in id order: the first ten, then how many more.
    let mut ids: Vec<String> = std::fs::read_dir(crate::common::root().join("treaties"))
        .expect("treaties/")
        .filter_map(|e| {
            let p = e.expect("entry").path();
            (p.extension().is_some_and(|x| x == "toml"))
                .then(|| p.file_stem().unwrap().to_string_lossy().into_owned())
        })
        .collect();
    ids.sort();
    assert!(
        help.contains(&format!("known treaties: {},", ids[0])),
        "{help}"
    );
    assert!(
        help.contains(&format!(" and {} more", ids.len() - 10)),
        "{help}"
    );
    assert_eq!(help.matches(", ").count(), 9, "{help}");
}

#[test]
fn a_misspelt_reading_or_book_suggests_the_name() {
    let err = fails_with(2, &["ledger", "--payer", "Song", "--reading", "artcle"]);
    assert!(
        err.contains("no treaty offers a reading named `artcle`"),
        "{err}"
    );
    assert!(
        err.contains("did you mean `article` or `article-1215`?"),
        "{err}"
    );
    let err = fails_with(2, &["total", "--payer", "Song", "--prices", "song-silvr"]);
    assert!(
        err.contains("no price book `song-silvr` is loaded"),
        "{err}"
    );
    assert!(err.contains("did you mean `song-silver`?"), "{err}");
}
