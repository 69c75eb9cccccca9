//! Tables that fit (issue 11, item 1): with COLUMNS set, no line of a table report is wider than
//! it, and the fitted layout shows every cell of the natural one, no more and no fewer; without
//! COLUMNS (and not on a terminal) the output is the natural one, whatever the format. Snapshots
//! at 80 and 120 columns of ledger, total and list, named `width-<N>@<command>.snap`, taken after
//! those invariants hold.

use std::collections::BTreeMap;
use std::path::Path;

use crate::common::{bin, ok, stderr};

fn snap(name: &str, text: &str) {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/snapshots"));
    settings.set_prepend_module_to_snapshot(false);
    settings.bind(|| insta::assert_snapshot!(name, text));
}

/// `tribute ARGS` with COLUMNS=`columns`: standard output, and standard error.
fn at(columns: &str, args: &[&str]) -> (String, String) {
    let out = bin()
        .env("COLUMNS", columns)
        .args(args)
        .output()
        .expect("runs");
    assert!(out.status.success(), "{args:?}: {}", stderr(&out));
    let err = stderr(&out);
    (String::from_utf8(out.stdout).expect("utf-8"), err)
}

/// The cells of every body row of every boxed table in `text`, keyed by the row's first `naming`
/// cells (joined by ` | `); empty cells left out. Title rows (above `╞`) are skipped.
fn cells(text: &str, naming: usize) -> BTreeMap<String, Vec<String>> {
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut in_titles = false;
    for line in text.lines() {
        if line.starts_with('┌') {
            in_titles = true;
        } else if line.starts_with('╞') {
            in_titles = false;
        } else if line.starts_with('│') && !in_titles {
            let cells: Vec<&str> = line.trim_matches('│').split('┆').map(str::trim).collect();
            let key = cells[..naming].join(" | ");
            let entry = out.entry(key).or_default();
            entry.extend(
                cells[naming..]
                    .iter()
                    .filter(|c| !c.is_empty())
                    .map(|c| c.to_string()),
            );
            entry.sort();
        }
    }
    // The list form (a block too wide even alone): a row's naming value on a line of its own
    // (one naming column), then one indented `title  value` line per cell.
    if naming == 1 {
        let mut key: Option<String> = None;
        for line in text.lines() {
            if line.starts_with(['┌', '│', '╞', '└', '├']) {
                key = None;
            } else if !line.starts_with(' ')
                && line.chars().all(|c| c.is_ascii_digit())
                && !line.is_empty()
            {
                key = Some(line.to_string());
            } else if let (Some(k), Some(rest)) = (&key, line.strip_prefix("  ")) {
                if let Some(i) = rest.find("  ") {
                    let entry = out.entry(k.clone()).or_default();
                    entry.push(rest[i..].trim().to_string());
                    entry.sort();
                }
            } else if line.is_empty() {
                key = None;
            } else if let Some((year, note)) = line
                .split_once("  ")
                .filter(|(y, _)| !y.is_empty() && y.chars().all(|c| c.is_ascii_digit()))
            {
                // The notes block: `YEAR  note`, wrapped lines indented under the note.
                out.entry(year.to_string())
                    .or_default()
                    .push(note.trim().to_string());
                // Its wrapped lines are joined back in the pass below.
                key = None;
            }
        }
        // Join each note's wrapped lines back to the note they continue.
        let mut joined = String::new();
        let mut notes: Vec<(String, String)> = Vec::new();
        for line in text.lines() {
            if let Some((year, note)) = line
                .split_once("  ")
                .filter(|(y, _)| !y.is_empty() && y.chars().all(|c| c.is_ascii_digit()))
            {
                notes.push((year.to_string(), note.trim().to_string()));
            } else if line.starts_with("      ") && !notes.is_empty() {
                if let Some(last) = notes.last_mut() {
                    joined.clear();
                    joined.push_str(&last.1);
                    joined.push(' ');
                    joined.push_str(line.trim());
                    last.1 = joined.clone();
                }
            }
        }
        for (year, note) in notes {
            if let Some(entry) = out.get_mut(&year) {
                if let Some(i) = entry.iter().position(|c| note.starts_with(c.as_str())) {
                    entry[i] = note;
                }
                entry.sort();
            }
        }
    }
    out
}

/// The widest line, in characters.
fn widest(text: &str) -> usize {
    text.lines().map(|l| l.chars().count()).max().unwrap_or(0)
}

/// Fits `args` at 80 and 120 columns: no line too wide, every cell of the natural table kept
/// (`naming` cells name a row), then the snapshots.
fn fits(name: &str, args: &[&str], naming: usize) {
    let natural = ok(args);
    assert!(
        widest(&natural) > 120,
        "{args:?}: the natural table should be too wide for this test to mean anything"
    );
    for width in [80, 120] {
        let (text, err) = at(&width.to_string(), args);
        assert!(err.is_empty(), "{err}");
        assert!(
            widest(&text) <= width,
            "{args:?} at {width}: a line of {} characters",
            widest(&text)
        );
        assert_eq!(
            cells(&text, naming),
            cells(&natural, naming),
            "{args:?} at {width}: the fitted table should show every cell, once per row"
        );
        snap(&format!("width-{width}@{name}"), &text);
    }
}

/// The README's first command, Song → Jin 1123–1234: blocks per commodity at 80, two commodities
/// a block at 120, each repeating the year.
#[test]
fn the_song_jin_ledger_fits_80_and_120_columns() {
    fits(
        "ledger.song-jin",
        &["ledger", "--payer", "Song", "--payee", "Jin"],
        1,
    );
    // At 80, each commodity is a block titled with it, every year 1123–1234 a row of it: a table
    // row (`│ 1123 …`) or, when even one commodity is too wide for a table, a list entry (a line
    // `1123` with its cells under it); the notes block gives a year with notes one more line.
    let (text, _) = at("80", &["ledger", "--payer", "Song", "--payee", "Jin"]);
    for title in ["cash (string)", "silk (bolt)", "silver (tael)"] {
        assert!(text.lines().any(|l| l == title), "no block {title}");
    }
    let years: Vec<&str> = text
        .lines()
        .map(|l| l.strip_prefix("│ ").unwrap_or(l))
        .filter_map(|l| l.split(' ').next())
        .filter(|y| y.len() == 4 && y.chars().all(|c| c.is_ascii_digit()))
        .collect();
    for year in 1123..=1234 {
        let y = year.to_string();
        // One row in each commodity block, and one more in the notes block for a year with notes.
        let rows = years.iter().filter(|&&v| v == y).count();
        assert!((3..=4).contains(&rows), "{year}: {rows} rows");
    }
}

#[test]
fn totals_fit_80_and_120_columns() {
    fits(
        "total.song-jin.by-treaty",
        &[
            "total", "--payer", "Song", "--payee", "Jin", "--by", "treaty",
        ],
        3,
    );
}

/// The list's columns are all text; a column too wide beside the id becomes a list of
/// `id  value` lines, wrapped. Every word of every cell is shown.
#[test]
fn the_list_fits_80_and_120_columns() {
    let natural = ok(&["list"]);
    let words = |text: &str| -> Vec<String> {
        let mut w: Vec<String> = text
            .split(|c: char| c.is_whitespace() || "│┆┌┐└┘├┤┬┴┼─═╞╡╪".contains(c))
            .filter(|w| !w.is_empty() && *w != "readings")
            .map(str::to_string)
            .collect();
        w.sort();
        w.dedup();
        w
    };
    for width in [80, 120] {
        let (text, _) = at(&width.to_string(), &["list"]);
        assert!(widest(&text) <= width, "list at {width}");
        assert_eq!(words(&text), words(&natural), "list at {width}");
        snap(&format!("width-{width}@list"), &text);
    }
}

/// Without COLUMNS and not on a terminal, and in csv, json and Markdown whatever COLUMNS says,
/// the output does not change: pipelines and scripts see the natural width.
#[test]
fn only_tables_for_people_are_fitted() {
    let args = ["ledger", "--payer", "Song", "--payee", "Jin"];
    assert_eq!(at("", &args).0, ok(&args), "an empty COLUMNS is no width");
    for format in ["csv", "json", "markdown"] {
        let with: Vec<&str> = args.iter().copied().chain(["--format", format]).collect();
        assert_eq!(at("80", &with).0, ok(&with), "{format}");
    }
    // A COLUMNS that is not a width is ignored, with a warning.
    let (text, err) = at("wide", &args);
    assert_eq!(text, ok(&args));
    assert!(
        err.contains("warning: COLUMNS is `wide`, not a number of columns above zero; ignored"),
        "{err}"
    );
}

/// COLUMNS is a request for a width, so it holds for `-o FILE` too; prose is wrapped at spaces.
#[test]
fn columns_apply_to_an_output_file_and_to_prose() {
    let dir = tempfile::tempdir().expect("a folder");
    let file = dir.path().join("ledger.txt");
    let args = [
        "ledger",
        "--payer",
        "Song",
        "--payee",
        "Jin",
        "--from",
        "1141",
        "--to",
        "1143",
        "--prices",
        "song-silver",
        "-o",
        file.to_str().expect("utf-8"),
    ];
    at("60", &args);
    let text = std::fs::read_to_string(&file).expect("written");
    assert!(widest(&text) <= 60, "{text}");
    // The book's line, 150 characters unwrapped, is there word for word.
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        flat.contains(
            "Price book `song-silver` (Song prices in taels of silver); numeraire: tael of silver."
        ),
        "{text}"
    );
}

/// `--commodity` and `--columns` choose what a table (and csv) shows; json refuses them.
#[test]
fn commodities_and_columns_are_chosen() {
    let csv = ok(&[
        "ledger",
        "--payee",
        "Liao",
        "--from",
        "1040",
        "--to",
        "1041",
        "--commodity",
        "silver",
        "--format",
        "csv",
    ]);
    // 100,000 taels a year from 1005: the cumulative columns count from the first year.
    let row = |year: i32| {
        let cum = (year - 1005 + 1) * 100_000;
        // owed, recorded (none), assumed, arrears, settled, the three cumulative columns, then
        // principal (all of what was owed) and interest (none).
        format!("{year},100000,0,100000,0,0,{cum},0,{cum},100000,0,\n")
    };
    assert_eq!(
        csv,
        format!(
            "year,silver_tael_owed,silver_tael_recorded,silver_tael_assumed,silver_tael_arrears,silver_tael_settled,silver_tael_cum_owed,silver_tael_cum_recorded,silver_tael_cum_assumed,silver_tael_principal,silver_tael_interest,notes\n{}{}",
            row(1040),
            row(1041)
        )
    );
    let csv = ok(&[
        "total",
        "--payee",
        "Liao",
        "--to",
        "1121",
        "--commodity",
        "silk",
        "--columns",
        "owed,assumed",
        "--format",
        "csv",
    ]);
    // 117 years of 200,000 bolts and, from 1042, 80 years of 100,000 more.
    let owed = 117 * 200_000 + 80 * 100_000;
    assert_eq!(
        csv,
        format!(
            "group,commodity,unit,owed,assumed\nNorthern Song → Liao,silk,bolt,{owed},{owed}\n"
        )
    );
    let list = ok(&["list", "--columns", "payer,payee", "--format", "csv"]);
    assert!(
        list.starts_with("id,payer,payee\n") && list.contains("\nhaiti-france-1825,Haiti,France\n"),
        "{list}"
    );
    for (args, says) in [
        (
            &["ledger", "--commodity", "slk"][..],
            "--commodity: unknown commodity `slk`",
        ),
        (
            &["ledger", "--payee", "Liao", "--commodity", "tea"][..],
            "--commodity tea: the report has no tea; it has silk, silver",
        ),
        (
            &["total", "--columns", "owd"][..],
            "--columns: no column `owd` in this report; did you mean `owed`?",
        ),
        (
            &["total", "--columns", "owed", "--format", "json"][..],
            "--format json is always the whole report",
        ),
        (
            &["total", "--commodity", "silk", "--prices", "units"][..],
            "--commodity cannot go with --prices",
        ),
    ] {
        let out = crate::common::run(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(stderr(&out).contains(says), "{args:?}: {}", stderr(&out));
    }
}

/// On a terminal (a pseudo-terminal made by util-linux `script`, 70 columns) and without
/// COLUMNS, the terminal's width is used; `-o FILE` there is not the terminal, and keeps the
/// natural width. Skipped with a note where `script` is missing.
#[test]
fn a_terminal_s_width_is_used_when_columns_is_unset() {
    let has_script = std::process::Command::new("script")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !has_script {
        eprintln!("note: `script` is not installed; the terminal's width is not tried");
        return;
    }
    let dir = tempfile::tempdir().expect("a folder");
    let file = dir.path().join("ledger.txt");
    let tribute = env!("CARGO_BIN_EXE_tribute");
    let line = format!(
        "stty cols 70 rows 40; '{tribute}' ledger --payer Song --payee Jin; '{tribute}' ledger --payer Song --payee Jin -o '{}'",
        file.display()
    );
    let out = std::process::Command::new("script")
        .args(["-qec", &line, "/dev/null"])
        .env_remove("COLUMNS")
        .env_remove("TRIBUTE_PATH")
        .output()
        .expect("script runs");
    assert!(out.status.success(), "{}", stderr(&out));
    let text = String::from_utf8_lossy(&out.stdout).replace('\r', "");
    assert!(widest(&text) <= 70, "{text}");
    assert!(text.lines().any(|l| l == "silver (tael)"), "{text}");
    let written = std::fs::read_to_string(&file).expect("written");
    assert_eq!(
        written,
        ok(&["ledger", "--payer", "Song", "--payee", "Jin"])
    );
}
