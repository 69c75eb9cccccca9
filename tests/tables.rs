//! Issue 8, item 6: streams and deliveries as CSV tables (`streams/*.csv`, `deliveries/*.csv`).
//!
//! A table loads into the same treaties as TOML: its totals are the figures computed here by hand
//! from the rows, a bad cell is reported at file:line:column with its column's name, and a TOML
//! treaty and its CSV twin (and `synth` in both forms) give identical reports.

use crate::common::{TREATY, col, csv_rows, dec, folder, ok, root, run, stderr};

/// Parties `A` and `B` and source `s`, which tables need from the registry.
const REGISTRY: &str = r#"[[party]]
id = "A"

[[party]]
id = "B"

[[source]]
id = "s"
title = "A test source"
quality = "A"
"#;

const STREAMS: &str = "\
treaty,name,payer,payee,signed,status,label,stream,schedule,year,from,to,every,count,commodity,amount,unit,delivery,source
t1,Test one,A,B,1900,in-force,indemnity,annual,recurring,,1900,1909,,,silver,100,,,s
t1,,,,,,,annual,,,,,,,silk,250,bolt,,
t1,,,,,,,once,one-time,1905,,,,,silver,2,catty,,\"s, p.1\"
t2,Test two,B,A,1910,in-force,payment,parts,installments,,1910,,2,4,cash,1000,string,unknown,s
";

const DELIVERIES: &str = "\
treaty,stream,year,commodity,amount,unit,source,note
t2,parts,1910,cash,250,,s,first part
t2,,1912,cash,100500,wen,s,\"in wen, 100.5 strings\"
";

/// The one row of `total --treaty ID --format csv` for `commodity`.
fn total(dir: &str, treaty: &str, commodity: &str) -> (Vec<String>, Vec<String>) {
    let (h, rows) = csv_rows(&ok(&[
        "--treaties",
        dir,
        "total",
        "--treaty",
        treaty,
        "--format",
        "csv",
    ]));
    let row = rows
        .into_iter()
        .find(|r| col(&h, r, "commodity") == commodity)
        .unwrap_or_else(|| panic!("no {commodity} row for {treaty}"));
    (h, row)
}

#[test]
fn a_streams_table_and_a_deliveries_table_give_hand_computed_totals() {
    let dir = folder(&[
        ("registry/test.toml", REGISTRY.as_bytes()),
        ("streams/t.csv", STREAMS.as_bytes()),
        ("deliveries/d.csv", DELIVERIES.as_bytes()),
    ]);
    let d = dir.path().to_str().expect("utf-8");
    // t1: 100 taels a year for the ten years 1900–1909, plus 2 catties once; a catty is 16 taels
    // (the built-in registry/units.toml).
    let (h, row) = total(d, "t1", "silver");
    let silver = dec("100") * dec("10") + dec("2") * dec("16");
    assert_eq!(dec(col(&h, &row, "owed")), silver);
    assert_eq!(dec(col(&h, &row, "assumed")), silver);
    assert_eq!(dec(col(&h, &row, "recorded")), dec("0"));
    assert_eq!(col(&h, &row, "group"), "A → B");
    let (h, row) = total(d, "t1", "silk");
    assert_eq!(dec(col(&h, &row, "owed")), dec("250") * dec("10"));
    // t2: 1,000 strings in four installments, delivery unknown; delivered is only what the
    // deliveries table records: 250 strings, and 100,500 wen at 1,000 wen to the string.
    let (h, row) = total(d, "t2", "cash");
    assert_eq!(dec(col(&h, &row, "owed")), dec("1000"));
    let delivered = dec("250") + dec("100500") / dec("1000");
    assert_eq!(dec(col(&h, &row, "recorded")), delivered);
    // Unknown is what fell due less what the records cover: 250 in 1910, 100.5 in 1912.
    assert_eq!(
        dec(col(&h, &row, "delivery_unknown")),
        dec("1000") - delivered
    );
    assert_eq!(col(&h, &row, "group"), "B → A");
    // Year by year: each installment is a quarter of the total, every other year from 1910.
    let (h, rows) = csv_rows(&ok(&[
        "--treaties",
        d,
        "ledger",
        "--treaty",
        "t2",
        "--format",
        "csv",
    ]));
    let year = |y: &str| {
        rows.iter()
            .find(|r| col(&h, r, "year") == y)
            .unwrap_or_else(|| panic!("no row for {y}"))
    };
    let quarter = dec("1000") / dec("4");
    for y in ["1910", "1912", "1914", "1916"] {
        assert_eq!(dec(col(&h, year(y), "cash_string_owed")), quarter, "{y}");
    }
    assert_eq!(dec(col(&h, year("1911"), "cash_string_owed")), dec("0"));
    assert_eq!(
        dec(col(&h, year("1912"), "cash_string_recorded")),
        dec("100500") / dec("1000")
    );
    // `check` accepts the tables and names the row where each treaty begins.
    let out = run(&["--treaties", d, "check"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("t.csv:2 (t1)"), "{text}");
    assert!(text.contains("t.csv:5 (t2)"), "{text}");
}

/// A table's treaties are not looked at by the references check unless a deliveries table gives
/// them deliveries (a table has no columns for amendments, suspensions, claims or loans); one
/// that does is checked: a delivery recorded against a stream whose delivery is as-owed is refused.
#[test]
fn a_deliveries_row_against_an_as_owed_table_stream_is_refused() {
    let against_as_owed = format!("{DELIVERIES}t1,annual,1901,silver,100,,s,\n");
    let dir = folder(&[
        ("registry/test.toml", REGISTRY.as_bytes()),
        ("streams/t.csv", STREAMS.as_bytes()),
        ("deliveries/d.csv", against_as_owed.as_bytes()),
    ]);
    let d = dir.path().to_str().expect("utf-8");
    let out = run(&["--treaties", d, "total"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("a delivery is recorded against `t1/annual`, whose delivery is as-owed"),
        "{err}"
    );
    assert!(err.contains("d.csv:4"), "{err}");
}

/// 1-based column of a cell on line `line` (1-based) of `text`, found by its text: `cell` is the
/// text at the cell's start, or text around it with `|` where the cell starts (`unknown,|t`).
fn column_of(text: &str, line: usize, cell: &str) -> usize {
    let l = text.lines().nth(line - 1).expect("the line");
    let (before, after) = cell.split_once('|').unwrap_or(("", cell));
    let found = l
        .find(&format!("{before}{after}"))
        .unwrap_or_else(|| panic!("{cell} on line {line}"));
    found + before.len() + 1
}

/// What a case breaks, the file it breaks, the text replaced and its replacement, then where the
/// error must be (line, and the cell as [`column_of`] finds it), the column it names and a hint.
type Case = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    usize,
    &'static str,
    &'static str,
    &'static str,
);

#[test]
fn a_bad_cell_is_reported_at_file_line_column_with_its_column_name() {
    let cases: &[Case] = &[
        (
            "a float-like amount",
            "streams/t.csv",
            "silk,250,",
            "silk,2.5e2,",
            3,
            "2.5e2",
            "amount",
            "write digits",
        ),
        (
            "a comma in an amount",
            "streams/t.csv",
            "silk,250,",
            "silk,\"2,50\",",
            3,
            "\"2,50\"",
            "amount",
            "never `,`",
        ),
        (
            "an unknown commodity",
            "streams/t.csv",
            "silk,250,",
            "silkk,250,",
            3,
            "silkk",
            "commodity",
            "did you mean `silk`?",
        ),
        (
            "an unknown unit",
            "streams/t.csv",
            "250,bolt",
            "250,bolts-of-silk",
            3,
            "bolts-of-silk",
            "unit",
            "units of cloth",
        ),
        (
            "an inexact conversion",
            "streams/t.csv",
            "silk,250,bolt",
            "tea,0.00000000000000000000000001,tael",
            3,
            "tael",
            "unit",
            "never rounds",
        ),
        (
            "an unknown party",
            "streams/t.csv",
            "Test two,B,A",
            "Test two,B,C",
            5,
            "C,1910",
            "payee",
            "[[party]]",
        ),
        (
            "an unknown source",
            "streams/t.csv",
            "unknown,s",
            "unknown,t",
            5,
            "unknown,|t",
            "source",
            "[[source]]",
        ),
        (
            "an unknown status",
            "streams/t.csv",
            "1910,in-force",
            "1910,in-farce",
            5,
            "in-farce",
            "status",
            "in-force, demand",
        ),
        (
            "a year that is not a number",
            "streams/t.csv",
            "1900,1909",
            "1900,19o9",
            2,
            "19o9",
            "to",
            "digits alone",
        ),
        (
            "rows of a stream that disagree",
            "streams/t.csv",
            "annual,,,,,,,silk",
            "annual,,,1901,,,,silk",
            3,
            "1901",
            "from",
            "line 2 gives `1900`",
        ),
        (
            "a column the schedule does not take",
            "streams/t.csv",
            "once,one-time,1905,,",
            "once,one-time,1905,1905,",
            4,
            "1905,,,,silver",
            "from",
            "takes no `from`",
        ),
        (
            "an unknown schedule",
            "streams/t.csv",
            "installments",
            "instalments",
            5,
            "instalments",
            "schedule",
            "did you mean `installments`?",
        ),
        (
            "an id that is not kebab-case",
            "streams/t.csv",
            "t1,,",
            "T1,,",
            3,
            "T1",
            "treaty",
            "kebab-case",
        ),
        (
            "an unknown treaty",
            "deliveries/d.csv",
            "t2,parts",
            "t3,parts",
            2,
            "t3",
            "treaty",
            "did you mean `t1`?",
        ),
        (
            "an unknown stream",
            "deliveries/d.csv",
            "t2,parts",
            "t2,part",
            2,
            "part",
            "stream",
            "did you mean `parts`?",
        ),
        (
            "a bad delivery year",
            "deliveries/d.csv",
            "parts,1910",
            "parts,191O",
            2,
            "191O",
            "year",
            "digits alone",
        ),
        (
            "a negative delivery",
            "deliveries/d.csv",
            "cash,250",
            "cash,-250",
            2,
            "-250",
            "amount",
            "negative",
        ),
    ];
    for &(what, file, from, to, line, cell, column, hint) in cases {
        let streams = if file == "streams/t.csv" {
            STREAMS.replacen(from, to, 1)
        } else {
            STREAMS.to_string()
        };
        let deliveries = if file == "deliveries/d.csv" {
            DELIVERIES.replacen(from, to, 1)
        } else {
            DELIVERIES.to_string()
        };
        let broken = if file == "streams/t.csv" {
            &streams
        } else {
            &deliveries
        };
        assert_ne!(
            broken,
            if file == "streams/t.csv" {
                STREAMS
            } else {
                DELIVERIES
            },
            "{what}: the case changes nothing"
        );
        let dir = folder(&[
            ("registry/test.toml", REGISTRY.as_bytes()),
            ("streams/t.csv", streams.as_bytes()),
            ("deliveries/d.csv", deliveries.as_bytes()),
        ]);
        let d = dir.path().to_str().expect("utf-8");
        let out = run(&["--treaties", d, "total"]);
        assert_eq!(out.status.code(), Some(2), "{what}: should fail");
        let err = stderr(&out);
        let at = format!(
            "{file}:{line}:{}: column `{column}`",
            column_of(broken, line, cell)
        );
        assert!(err.contains(&at), "{what}: expected `{at}` in\n{err}");
        assert!(
            err.contains(hint),
            "{what}: expected the hint `{hint}` in\n{err}"
        );
    }
}

#[test]
fn an_unknown_or_missing_column_names_the_nearest_valid_one() {
    // (header text replaced, replacement, the cell as `column_of` finds it, message, hint)
    let cases: &[(&str, &str, &str, &str, &str)] = &[
        (
            "payee,",
            "payea,",
            "payea",
            "unknown column `payea`",
            "did you mean `payee`?",
        ),
        (
            ",source\n",
            ",sources\n",
            "sources",
            "unknown column `sources`",
            "did you mean `source`?",
        ),
        (
            ",delivery,source\n",
            ",delivery,\n",
            "delivery,|",
            "a column has no name",
            "the columns of a streams table are",
        ),
        (
            ",unit,delivery,",
            ",unit,unit,",
            "unit,|unit",
            "column `unit` appears twice",
            "keep one",
        ),
    ];
    for &(from, to, cell, message, hint) in cases {
        let streams = STREAMS.replacen(from, to, 1);
        assert_ne!(streams, STREAMS);
        let dir = folder(&[
            ("registry/test.toml", REGISTRY.as_bytes()),
            ("streams/t.csv", streams.as_bytes()),
        ]);
        let out = run(&["--treaties", dir.path().to_str().expect("utf-8"), "total"]);
        assert_eq!(out.status.code(), Some(2));
        let err = stderr(&out);
        let at = column_of(&streams, 1, cell);
        assert!(
            err.contains(&format!("streams/t.csv:1:{at}: {message}")),
            "{message}: {err}"
        );
        assert!(err.contains(hint), "{hint}: {err}");
    }
    // A required column left out is named, with the ones a streams table needs.
    let streams: String = STREAMS
        .lines()
        .map(|l| format!("{}\n", l.rsplit_once(',').expect("a last column").0))
        .collect();
    let dir = folder(&[
        ("registry/test.toml", REGISTRY.as_bytes()),
        ("streams/t.csv", streams.as_bytes()),
    ]);
    let out = run(&["--treaties", dir.path().to_str().expect("utf-8"), "total"]);
    let err = stderr(&out);
    assert!(
        err.contains("streams/t.csv:1:1: the header has no column `source`"),
        "{err}"
    );
    assert!(err.contains("add the column `source`"), "{err}");
    // A row with a cell too many.
    let streams = STREAMS.replacen("silk,250,bolt,,", "silk,250,bolt,,,", 1);
    let dir = folder(&[
        ("registry/test.toml", REGISTRY.as_bytes()),
        ("streams/t.csv", streams.as_bytes()),
    ]);
    let out = run(&["--treaties", dir.path().to_str().expect("utf-8"), "total"]);
    let err = stderr(&out);
    assert!(
        err.contains("this row has 20 cells but the header (line 1) has 19"),
        "{err}"
    );
    assert!(err.contains("streams/t.csv:3:"), "{err}");
}

/// A treaty with three kinds of schedule, several commodities, units to convert, a split
/// installment total and a recorded delivery: once as TOML, once as its two tables.
const TWIN_TOML: &str = r#"
[[obligation]]
id = "parts"
schedule = "installments"
from = 1901
count = 3
every = 2
total = { silk = "100.00 bolt", cash = "10.00 string" }
source = "s"

[[obligation]]
id = "gift"
schedule = "one-time"
year = 1900
amounts = { gold = "1.5 catty", horse = 3 }
delivery = "unknown"
source = "s, p.2"

# The id a deliveries table gives its row 2 (`<file stem>-<row>`): the journal export names it
# (`by:`), so the twins name it alike.
[[delivery]]
id = "twin-2"
target = "test/gift"
year = 1901
amounts = { gold = "10 tael" }
source = "s"
"#;

const TWIN_STREAMS: &str = "\
# The twin of test.toml (the shared TREATY, Haiti to France), row for row.
treaty,name,payer,payee,signed,status,label,stream,schedule,year,from,to,every,count,commodity,amount,unit,delivery,source
test,Test treaty,Haiti,France,1900,in-force,indemnity,annual,recurring,,1900,1909,,,silver,100,tael,,s
test,,,,,,,parts,installments,,1901,,2,3,silk,100.00,bolt,,s
test,,,,,,,parts,,,,,,,cash,10.00,string,,
test,,,,,,,gift,one-time,1900,,,,,gold,1.5,catty,unknown,\"s, p.2\"
test,,,,,,,gift,,,,,,,horse,3,,,
";

const TWIN_DELIVERIES: &str = "\
treaty,stream,year,commodity,amount,unit,source
test,gift,1901,gold,10,tael,s
";

#[test]
fn a_toml_treaty_and_its_csv_twin_give_identical_ledgers() {
    let toml = format!("{TREATY}{TWIN_TOML}");
    let a = folder(&[
        ("registry/test.toml", REGISTRY.as_bytes()),
        ("test.toml", toml.as_bytes()),
    ]);
    let b = folder(&[
        ("registry/test.toml", REGISTRY.as_bytes()),
        ("streams/twin.csv", TWIN_STREAMS.as_bytes()),
        ("deliveries/twin.csv", TWIN_DELIVERIES.as_bytes()),
    ]);
    let (a, b) = (
        a.path().to_str().expect("utf-8"),
        b.path().to_str().expect("utf-8"),
    );
    let reports: &[&[&str]] = &[
        &["ledger", "--treaty", "test", "--format", "csv"],
        &[
            "total", "--treaty", "test", "--by", "stream", "--format", "csv",
        ],
        &["show", "test", "--format", "csv"],
        &["export", "--treaty", "test", "--format", "hledger"],
        &["export", "--treaty", "test", "--format", "beancount"],
    ];
    for args in reports {
        let of = |dir: &str| {
            let mut all = vec!["--treaties", dir];
            all.extend_from_slice(args);
            ok(&all)
        };
        let (from_toml, from_csv) = (of(a), of(b));
        assert!(from_toml.lines().count() > 2, "{args:?}: {from_toml}");
        assert_eq!(from_toml, from_csv, "{args:?}");
    }
}

#[test]
fn synth_as_csv_gives_the_ledger_and_streams_of_synth_as_toml() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let (toml, csv) = (dir.path().join("toml"), dir.path().join("csv"));
    let (toml, csv) = (toml.to_str().expect("utf-8"), csv.to_str().expect("utf-8"));
    for (out, form) in [(toml, "toml"), (csv, "csv")] {
        ok(&[
            "synth",
            "--count",
            "60",
            "--seed",
            "7",
            "--out",
            out,
            "--no-journals",
            "--as",
            form,
        ]);
    }
    assert!(
        std::path::Path::new(csv)
            .join("streams/synth.csv")
            .is_file()
    );
    assert!(!std::path::Path::new(csv).join("synth-000001.toml").exists());
    for args in [
        &["ledger", "--format", "csv"][..],
        &["total", "--by", "stream", "--format", "csv"][..],
    ] {
        let of = |dir: &str| {
            let mut all = vec!["--no-builtin", "--treaties", dir];
            all.extend_from_slice(args);
            ok(&all)
        };
        assert_eq!(of(toml), of(csv), "{args:?}");
    }
    let json = |dir: &str| {
        std::fs::read_to_string(std::path::Path::new(dir).join("streams.json"))
            .expect("streams.json")
    };
    assert_eq!(json(toml), json(csv));
}

#[test]
fn a_table_and_a_toml_file_override_each_other_by_layer_but_not_within_one() {
    let table = STREAMS.replace("t1,", "test,").replace("t2,", "other,");
    let toml = folder(&[("test.toml", TREATY.as_bytes())]);
    let tables = folder(&[
        ("registry/test.toml", REGISTRY.as_bytes()),
        ("streams/t.csv", table.as_bytes()),
    ]);
    let (toml, tables) = (
        toml.path().to_str().expect("utf-8"),
        tables.path().to_str().expect("utf-8"),
    );
    let owed = |args: &[&str]| {
        let mut all = args.to_vec();
        all.extend(["total", "--treaty", "test", "--format", "csv"]);
        let (h, rows) = csv_rows(&ok(&all));
        let row = rows
            .iter()
            .find(|r| col(&h, r, "commodity") == "silver")
            .expect("silver");
        dec(col(&h, row, "owed"))
    };
    // TREATY owes 100 taels for ten years; the table's `test` adds two catties (32 taels).
    assert_eq!(
        owed(&["--treaties", tables, "--treaties", toml]),
        dec("1000")
    );
    assert_eq!(
        owed(&["--treaties", toml, "--treaties", tables]),
        dec("1032")
    );
    // Both in one folder: an error naming both files.
    let both = folder(&[
        ("registry/test.toml", REGISTRY.as_bytes()),
        ("streams/t.csv", table.as_bytes()),
        ("test.toml", TREATY.as_bytes()),
    ]);
    let out = run(&["--treaties", both.path().to_str().expect("utf-8"), "total"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains("treaty `test` is defined twice in one folder"),
        "{err}"
    );
    assert!(
        err.contains("test.toml") && err.contains("streams/t.csv:2:1"),
        "{err}"
    );
}

/// The streams table of docs/treaty-format.md restates the built-in Qingli peace row for row:
/// loaded over the built-in corpus, it must give the built-in file's ledger, year by year.
#[test]
fn the_docs_table_twin_of_the_qingli_peace_gives_the_built_in_ledger() {
    let tables = root().join("docs/tables");
    let tables = tables.to_str().expect("utf-8");
    let args = [
        "ledger",
        "--treaty",
        "song-xia-1044-qingli",
        "--format",
        "csv",
    ];
    let built_in = ok(&args);
    let mut with = vec!["--treaties", tables];
    with.extend_from_slice(&args);
    assert!(built_in.lines().count() > 80, "{built_in}");
    assert_eq!(ok(&with), built_in);
    let show = ok(&["--treaties", tables, "show", "song-xia-1044-qingli"]);
    assert!(show.contains("docs/tables/streams/examples.csv"), "{show}");
}

/// A party is found by id or alias in any case, and the treaty keeps the registry's id.
#[test]
fn a_party_written_in_another_case_is_kept_as_the_registry_id() {
    let streams = STREAMS.replace("Test two,B,A", "Test two,b,a");
    let dir = folder(&[
        ("registry/test.toml", REGISTRY.as_bytes()),
        ("streams/t.csv", streams.as_bytes()),
    ]);
    let (h, row) = total(dir.path().to_str().expect("utf-8"), "t2", "cash");
    assert_eq!(col(&h, &row, "group"), "B → A");
}

/// A spreadsheet saved on Windows: a byte-order mark and CRLF line ends. Cells are located as
/// with LF line ends.
#[test]
fn a_table_with_crlf_line_ends_and_a_byte_order_mark_is_located_alike() {
    let lf = STREAMS.replacen("silk,250,", "silk,2x50,", 1);
    let crlf = format!("\u{feff}{}", lf.replace('\n', "\r\n"));
    let dir = folder(&[
        ("registry/test.toml", REGISTRY.as_bytes()),
        ("streams/t.csv", crlf.as_bytes()),
    ]);
    let out = run(&["--treaties", dir.path().to_str().expect("utf-8"), "total"]);
    let err = stderr(&out);
    let at = format!(
        "streams/t.csv:3:{}: column `amount`",
        column_of(&lf, 3, "2x50")
    );
    assert!(err.contains(&at), "expected `{at}` in\n{err}");
    // And the good table loads with the same totals as with LF line ends.
    let good = format!("\u{feff}{}", STREAMS.replace('\n', "\r\n"));
    let dir = folder(&[
        ("registry/test.toml", REGISTRY.as_bytes()),
        ("streams/t.csv", good.as_bytes()),
    ]);
    let (h, row) = total(dir.path().to_str().expect("utf-8"), "t1", "silk");
    assert_eq!(dec(col(&h, &row, "owed")), dec("250") * dec("10"));
}
