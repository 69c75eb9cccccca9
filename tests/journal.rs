//! `tribute export`: journal entries on the days the schedule gives. A `dated` schedule's payments
//! are booked on their days, in order, and what became of a year's dues on its last day due; whole
//! years (a `recurring` stream), delivery records (which carry a year only) and a year an
//! amendment changed are dated 1 January by convention. The figures are worked by hand below;
//! hledger checks the order (`check ordereddates`) and beancount the file (`bean-check`) where
//! installed (`.ci/run` installs them; with CI=true a missing one fails).

use std::process::Command;

use crate::common::{TREATY, folder, ok, succeeds};
use crate::oracles::tool;

/// The shared test treaty (Haiti to France, 100 taels of silver a year 1900–1909, delivered as
/// owed) and a dated stream of four payments, one record of 1902 and, from another treaty, an
/// adjustment of 1903.
const DATED: &str = r#"
[[obligation]]
id = "dated"
schedule = "dated"
payments = [
  { due = 1901-03-15, amounts = { silver = "40 tael" } },
  { due = 1901-09-30, amounts = { silver = "60 tael" } },
  { due = 1902-06-01, amounts = { silver = "25 tael" } },
  { due = 1903-06-01, amounts = { silver = "20 tael" } },
]
delivery = "unknown"
source = "s"

[[delivery]]
id = "part"
target = "test/dated"
year = 1902
amounts = { silver = "10 tael" }
source = "s"
"#;

const AMEND: &str = r#"name = "Amending treaty"
payer = "Haiti"
payee = "France"
signed = 1903
status = "in-force"
label = "indemnity"

[source.s]
title = "A test source"
quality = "A"

[[amendment]]
id = "more"
action = "adjust"
target = "test/dated"
from = 1903
amounts = { silver = "5 tael" }
source = "s"
"#;

/// The transactions of an hledger journal: (date, what it records, its `day` tag, the amount
/// its first posting carries).
fn transactions(journal: &str) -> Vec<(String, String, Option<String>, String)> {
    journal
        .split("\n\n")
        .filter(|block| block.starts_with(|c: char| c.is_ascii_digit()) && block.contains(" | "))
        .map(|block| {
            let mut lines = block.lines();
            let head = lines.next().unwrap();
            let (date, rest) = head.split_once(' ').unwrap();
            let what = rest.split_once(" | ").unwrap().1.to_string();
            let mut day = None;
            let mut first = None;
            for line in lines {
                let line = line.trim();
                if let Some(d) = line.strip_prefix("; day: ") {
                    day = Some(d.to_string());
                } else if !line.starts_with(';') && first.is_none() {
                    first = Some(line.split("  ").nth(1).unwrap().to_string());
                }
            }
            (date.to_string(), what, day, first.unwrap())
        })
        .collect()
}

#[test]
fn a_dated_stream_exports_its_days_in_order_and_whole_years_keep_1_january() {
    let dir = folder(&[
        ("test.toml", format!("{TREATY}{DATED}").as_bytes()),
        ("amend.toml", AMEND.as_bytes()),
    ]);
    let d = dir.path().to_str().unwrap();
    let base = ["--treaties", d, "export", "--treaty", "test"];
    let range = ["--from", "1901", "--to", "1903"];
    let hledger = ok(&[&base[..], &range, &["--format", "hledger"]].concat());
    let t = |date: &str, what: &str, day: Option<&str>, amount: &str| {
        (
            date.to_string(),
            what.to_string(),
            day.map(str::to_string),
            format!("{amount} SILVER"),
        )
    };
    let (annual, dated) = ("test/annual", "test/dated");
    let due = |s: &str| format!("falls due: {s}");
    let assumed = |s: &str| format!("assumed paid as owed, not recorded: {s}");
    let unknown = |s: &str| format!("delivery unknown: {s}");
    let recorded = |s: &str| format!("handed over, as a record says: {s}");
    #[rustfmt::skip]
    let expected = vec![
        // 1901: the recurring stream's 100 taels on 1 January, by convention, and assumed paid.
        t("1901-01-01", &due(annual), None, "100"),
        t("1901-01-01", &assumed(annual), None, "100"),
        // The dated stream's two payments on their days, in order; delivery unknown for the
        // year's 40 + 60 = 100, on its last day due.
        t("1901-03-15", &due(dated), Some("due"), "40"),
        t("1901-09-30", &due(dated), Some("due"), "60"),
        t("1901-09-30", &unknown(dated), Some("last-due"), "100"),
        // 1902: the record carries a year only (1 January), sorted after test/annual of that day;
        // 25 due on 1 June, of which 25 − 10 = 15 of unknown delivery.
        t("1902-01-01", &due(annual), None, "100"),
        t("1902-01-01", &assumed(annual), None, "100"),
        t("1902-01-01", &recorded(dated), None, "10"),
        t("1902-06-01", &due(dated), Some("due"), "25"),
        t("1902-06-01", &unknown(dated), Some("last-due"), "15"),
        // 1903: the amendment adds 5 to the 20 due on 1 June: 25 is not the schedule's figure,
        // so the year keeps 1 January.
        t("1903-01-01", &due(annual), None, "100"),
        t("1903-01-01", &assumed(annual), None, "100"),
        t("1903-01-01", &due(dated), None, "25"),
        t("1903-01-01", &unknown(dated), None, "25"),
    ];
    assert_eq!(transactions(&hledger), expected, "{hledger}");
    // The header says entries have days, and the tag that tells which.
    assert!(
        hledger.contains(
            "dated on the day the schedule gives (tag day), else 1 January by convention"
        )
    );

    // ledger and beancount carry the same dates, in the same order.
    let dates: Vec<&str> = expected.iter().map(|e| e.0.as_str()).collect();
    let ledger = ok(&[&base[..], &range, &["--format", "ledger"]].concat());
    let beancount = ok(&[&base[..], &range, &["--format", "beancount"]].concat());
    let heads = |text: &str, mark: &str| -> Vec<String> {
        text.lines()
            .filter(|l| l.contains(mark))
            .map(|l| l.split(' ').next().unwrap().to_string())
            .collect()
    };
    assert_eq!(heads(&ledger, " Haiti → France | "), dates);
    assert_eq!(heads(&beancount, " * \"Haiti → France\" "), dates);

    // In 1900 only the recurring stream falls due: the journal is written as before any entry
    // had a day, 1 January and the old header, no `day` tag.
    let undated = ok(&[
        &base[..],
        &["--from", "1900", "--to", "1900", "--format", "hledger"],
    ]
    .concat());
    assert_eq!(
        transactions(&undated),
        vec![
            t("1900-01-01", &due(annual), None, "100"),
            t("1900-01-01", &assumed(annual), None, "100"),
        ]
    );
    assert!(undated.contains("one transaction per stream, year and kind, dated 1 January\n"));
    assert!(!undated.contains("day"), "{undated}");

    let file = dir.path().join("dated.hledger");
    std::fs::write(&file, &hledger).unwrap();
    if tool("hledger") {
        succeeds(Command::new("hledger").args([
            "-f",
            file.to_str().unwrap(),
            "check",
            "ordereddates",
        ]));
    }
    let bean = dir.path().join("dated.beancount");
    std::fs::write(&bean, &beancount).unwrap();
    if tool("bean-check") {
        succeeds(Command::new("bean-check").arg(bean.to_str().unwrap()));
    }
}
