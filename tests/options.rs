//! Each command offers only what it accepts (issue 11, items 4 and 5): reports take the report
//! formats and -o, export the journal formats, a chart a picture file; -o FILE.csv, .json, .md
//! picks the format from the extension unless --format says otherwise; the corpus options work
//! before or after the command's name.

use crate::common::{bin, csv_rows, ok, run, stderr};

fn help(args: &[&str]) -> String {
    ok(&[args, &["--help"]].concat())
}

#[test]
fn reports_offer_report_formats_and_export_journal_formats() {
    for cmd in ["list", "ledger", "total", "check", "compare", "show"] {
        let text = help(&[cmd]);
        for journal in ["hledger", "beancount"] {
            assert!(!text.contains(journal), "`{cmd} --help` offers {journal}");
        }
        assert!(
            text.contains("markdown"),
            "`{cmd} --help` offers no markdown"
        );
    }
    let export = help(&["export"]);
    for format in ["hledger", "ledger", "beancount"] {
        assert!(export.contains(format), "export --help lacks {format}");
    }
    assert!(!export.contains("markdown"));
    // A journal format is refused by a report, by clap, with the formats it takes.
    let out = run(&["ledger", "--format", "hledger"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("[possible values: table, csv, json, markdown]"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_chart_offers_a_picture_file_and_no_format() {
    for kind in ["burden", "cumulative", "timeline", "compare"] {
        let text = help(&["chart", kind]);
        assert!(!text.contains("--format <"), "chart {kind} offers --format");
        assert!(
            !text.contains("`-` is standard output"),
            "chart {kind} offers -o -"
        );
        assert!(text.contains("FILE.svg or FILE.png"), "chart {kind}");
    }
    for cmd in ["schema", "synth", "completions", "man"] {
        let text = help(&[cmd]);
        assert!(!text.contains("--treaties <"), "{cmd} offers --treaties");
        assert!(!text.contains("--format <"), "{cmd} offers --format");
    }
}

#[test]
fn the_corpus_options_go_before_or_after_the_command() {
    let dir = crate::common::folder(&[("test-treaty.toml", crate::common::TREATY.as_bytes())]);
    let d = dir.path().to_str().expect("utf-8");
    let before = ok(&[
        "--treaties",
        d,
        "total",
        "--treaty",
        "test-treaty",
        "--format",
        "csv",
    ]);
    let after = ok(&[
        "total",
        "--treaties",
        d,
        "--treaty",
        "test-treaty",
        "--format",
        "csv",
    ]);
    assert_eq!(before, after);
    let (h, rows) = csv_rows(&before);
    // Ten years (1900–1909) of 100 taels.
    assert_eq!(
        crate::common::col(&h, &rows[0], "owed"),
        (10 * 100).to_string()
    );
    let out = run(&["--treaties", d, "schema", "list"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("`tribute schema` reads none"),
        "{}",
        stderr(&out)
    );
}

/// `-o t.csv` used to write a box table (issue 11).
#[test]
fn the_output_file_extension_picks_the_format() {
    let dir = tempfile::tempdir().expect("a folder");
    let path = |name: &str| dir.path().join(name).to_str().expect("utf-8").to_string();
    let args = ["total", "--payee", "Liao", "--to", "1121"];
    for (name, format) in [
        ("t.csv", "csv"),
        ("t.json", "json"),
        ("t.md", "markdown"),
        ("T.MARKDOWN", "markdown"),
        ("t.txt", "table"),
    ] {
        ok(&[&args[..], &["-o", &path(name)]].concat());
        let written = std::fs::read_to_string(path(name)).expect("written");
        assert_eq!(
            written,
            ok(&[&args[..], &["--format", format]].concat()),
            "{name}"
        );
    }
    // --format wins over the extension.
    ok(&[&args[..], &["-o", &path("table.csv"), "--format", "table"]].concat());
    let written = std::fs::read_to_string(path("table.csv")).expect("written");
    assert!(written.starts_with('┌'), "{written}");
    // A journal's extension gives export its format; without either, export says what it needs.
    let journal = ["export", "--payee", "Liao", "--to", "1006"];
    for (name, format) in [
        ("j.hledger", "hledger"),
        ("j.journal", "hledger"),
        ("j.ledger", "ledger"),
        ("j.beancount", "beancount"),
    ] {
        ok(&[&journal[..], &["-o", &path(name)]].concat());
        assert_eq!(
            std::fs::read_to_string(path(name)).expect("written"),
            ok(&[&journal[..], &["--format", format]].concat()),
            "{name}"
        );
    }
    let out = bin().args(journal).output().expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("give --format hledger, ledger or beancount"),
        "{}",
        stderr(&out)
    );
}
