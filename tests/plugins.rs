//! Issue 2, plugins as data: the corpus is embedded, folders named with `--treaties` or
//! `TRIBUTE_PATH` add or override treaties and registry entries by id, and no rebuild is needed.

use std::collections::BTreeSet;

use crate::common::{bin, col, csv_rows, dec, folder, ok, root};

fn ids(list_csv: &str) -> BTreeSet<String> {
    csv_rows(list_csv)
        .1
        .into_iter()
        .map(|r| r[0].clone())
        .collect()
}

const EXTRA: &str = r#"name = "Example"
payer = "Alpha"
payee = "Beta"
signed = 1700
status = "in-force"
label = "tribute"
[source.s]
title = "example"
quality = "B"
[[obligation]]
id = "annual"
schedule = "recurring"
from = 1700
to = 1704
amounts = { green-vitriol = "3 basket", tea = "1 catty" }
source = "s"
"#;

const REGISTRY: &str = r#"[[party]]
id = "Alpha"
[[party]]
id = "Beta"
[[unit]]
id = "basket"
measures = "basket"
size = "1"
[[commodity]]
id = "green-vitriol"
name = "green vitriol"
measures = "basket"
unit = "basket"
group = "mineral"
"#;

#[test]
fn the_built_in_corpus_is_every_file_in_treaties_and_works_from_any_folder() {
    let on_disk: BTreeSet<String> = std::fs::read_dir(root().join("treaties"))
        .unwrap()
        .filter_map(|e| {
            let p = e.unwrap().path();
            (p.extension().is_some_and(|x| x == "toml"))
                .then(|| p.file_stem().unwrap().to_string_lossy().into_owned())
        })
        .collect();
    let elsewhere = tempfile::tempdir().unwrap();
    let out = bin()
        .args(["list", "--format", "csv"])
        .current_dir(elsewhere.path())
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(ids(&String::from_utf8(out.stdout).unwrap()), on_disk);
}

#[test]
fn a_new_commodity_and_treaty_need_no_rebuild() {
    let dir = folder(&[
        ("example.toml", EXTRA.as_bytes()),
        ("registry/extra.toml", REGISTRY.as_bytes()),
    ]);
    let d = dir.path().to_str().unwrap();
    let (h, rows) = csv_rows(&ok(&[
        "--treaties",
        d,
        "total",
        "--treaty",
        "example",
        "--format",
        "csv",
    ]));
    let owed = |c: &str| {
        dec(col(
            &h,
            rows.iter().find(|r| col(&h, r, "commodity") == c).unwrap(),
            "owed",
        ))
    };
    // Five payments, 1700–1704.
    assert_eq!(owed("green-vitriol"), dec("15"));
    assert_eq!(owed("tea"), dec("5"));
    assert!(ok(&["--treaties", d, "check"]).contains("No problems found"));
}

#[test]
fn tribute_path_adds_folders_below_treaties_folders() {
    let low = folder(&[
        ("example.toml", EXTRA.as_bytes()),
        ("registry/extra.toml", REGISTRY.as_bytes()),
    ]);
    let high = folder(&[(
        "example.toml",
        EXTRA.replace("\"3 basket\"", "\"4 basket\"").as_bytes(),
    )]);
    let total = |args: &[&str], path: Option<&str>| {
        let mut cmd = bin();
        if let Some(p) = path {
            cmd.env("TRIBUTE_PATH", p);
        }
        let out = cmd
            .args(args)
            .args(["total", "--treaty", "example", "--format", "csv"])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let (h, rows) = csv_rows(&String::from_utf8(out.stdout).unwrap());
        dec(col(
            &h,
            rows.iter()
                .find(|r| col(&h, r, "commodity") == "green-vitriol")
                .unwrap(),
            "owed",
        ))
    };
    let low_s = low.path().to_str().unwrap();
    assert_eq!(total(&[], Some(low_s)), dec("15"), "TRIBUTE_PATH alone");
    // The registry from TRIBUTE_PATH, the treaty overridden by --treaties: 5 × 4.
    assert_eq!(
        total(&["--treaties", high.path().to_str().unwrap()], Some(low_s)),
        dec("20")
    );
}

#[test]
fn a_folder_overrides_a_built_in_treaty_by_id() {
    let original =
        std::fs::read_to_string(root().join("treaties/song-liao-1005-chanyuan.toml")).unwrap();
    assert!(
        original.contains("100_000 tael"),
        "the fixture edits the 100,000-tael figure"
    );
    let dir = folder(&[(
        "song-liao-1005-chanyuan.toml",
        original.replace("100_000 tael", "1 tael").as_bytes(),
    )]);
    let (h, rows) = csv_rows(&ok(&[
        "--treaties",
        dir.path().to_str().unwrap(),
        "total",
        "--payee",
        "Liao",
        "--to",
        "1121",
        "--format",
        "csv",
    ]));
    let silver = rows
        .iter()
        .find(|r| col(&h, r, "commodity") == "silver")
        .unwrap();
    // 37 payments of 1 tael, then 80 of 1 + 100,000 (the 1042 increase still applies).
    assert_eq!(
        dec(col(&h, silver, "owed")),
        dec("37") + dec("80") * dec("100001")
    );
}

/// Issue 8, item 5: `--no-builtin` leaves out the built-in treaties, price books and context
/// series, but keeps the built-in registry as the base layer a folder adds to and overrides.
#[test]
fn no_builtin_leaves_out_the_built_in_treaties_but_keeps_the_registry() {
    let dir = folder(&[
        ("example.toml", EXTRA.as_bytes()),
        ("registry/extra.toml", REGISTRY.as_bytes()),
    ]);
    let d = dir.path().to_str().unwrap();
    // Only the folder's treaty is listed, yet its `tea` (a built-in commodity) and the folder's
    // own `green-vitriol` are both known.
    let listed = ok(&["--no-builtin", "--treaties", d, "list", "--format", "csv"]);
    assert_eq!(ids(&listed), BTreeSet::from(["example".to_string()]));
    let (h, rows) = csv_rows(&ok(&[
        "--no-builtin",
        "--treaties",
        d,
        "total",
        "--format",
        "csv",
    ]));
    let commodities: BTreeSet<&str> = rows.iter().map(|r| col(&h, r, "commodity")).collect();
    assert_eq!(commodities, BTreeSet::from(["green-vitriol", "tea"]));
    // No built-in price book or treaty is loaded.
    let out = bin()
        .args([
            "--no-builtin",
            "--treaties",
            d,
            "total",
            "--prices",
            "units",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no price book `units` is loaded"));
    let out = bin()
        .args(["--no-builtin", "show", "song-jin-1123"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    // A folder still overrides a built-in registry entry by id: here `tea` is kept in baskets.
    let tea = r#"[[commodity]]
id = "tea"
measures = "basket"
unit = "basket"
"#;
    let dir = folder(&[
        (
            "example.toml",
            EXTRA.replace("\"1 catty\"", "\"2 basket\"").as_bytes(),
        ),
        ("registry/extra.toml", REGISTRY.as_bytes()),
        ("registry/tea.toml", tea.as_bytes()),
    ]);
    let (h, rows) = csv_rows(&ok(&[
        "--no-builtin",
        "--treaties",
        dir.path().to_str().unwrap(),
        "total",
        "--format",
        "csv",
    ]));
    let tea = rows
        .iter()
        .find(|r| col(&h, r, "commodity") == "tea")
        .unwrap();
    assert_eq!(col(&h, tea, "unit"), "basket");
    assert_eq!(dec(col(&h, tea, "owed")), dec("10"));
}
