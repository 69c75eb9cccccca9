//! Issue 5: hledger and beancount as independent oracles. The bundled corpus and 50 synthetic
//! corpora are exported as journals; each tool's yearly cumulative balances per payer → payee
//! account and commodity must equal `tribute ledger`'s cumulative columns, year by year, for both
//! owed and delivered payments.
//!
//! The tools are installed by `.ci/run`. Outside CI a missing tool is reported on standard error
//! as SKIPPED (the test then checks nothing for that tool); with CI=true a missing tool fails.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use rust_decimal::Decimal;

use crate::common::{col, csv_rows, dec, ok};

/// (account, year, commodity symbol) → cumulative amount.
type Balances = BTreeMap<(String, i32, String), Decimal>;

fn tool(name: &str) -> bool {
    let found = Command::new(name)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        assert!(
            std::env::var("CI").is_err(),
            "{name} is not installed, and CI must install it (.ci/run)"
        );
        eprintln!("SKIPPED: {name} is not installed, so its oracle check did not run");
    }
    found
}

fn hledger(journal: &Path) -> Balances {
    let out = Command::new("hledger")
        .args([
            "-f",
            journal.to_str().unwrap(),
            "balance",
            "--yearly",
            "--historical",
            "-O",
            "csv",
            "--layout=tidy",
            "Expenses",
        ])
        .output()
        .expect("hledger runs");
    assert!(
        out.status.success(),
        "hledger: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let (h, rows) = csv_rows(&String::from_utf8(out.stdout).unwrap());
    rows.iter()
        .map(|r| {
            (
                (
                    col(&h, r, "account").to_string(),
                    col(&h, r, "period").parse().unwrap(),
                    col(&h, r, "commodity").to_string(),
                ),
                dec(col(&h, r, "value")),
            )
        })
        .collect()
}

/// beancount gives yearly sums; the cumulative balance is their running sum.
fn beancount(journal: &Path) -> Balances {
    let query = "SELECT year, account, currency, sum(number) AS total WHERE account ~ '^Expenses' GROUP BY year, account, currency ORDER BY year";
    let out = Command::new("bean-query")
        .env("BEANCOUNT_DISABLE_LOAD_CACHE", "1")
        .args(["-f", "csv", journal.to_str().unwrap(), query])
        .output()
        .expect("bean-query runs");
    assert!(
        out.status.success(),
        "bean-query: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let (h, rows) = csv_rows(&String::from_utf8(out.stdout).unwrap());
    let mut running: BTreeMap<(String, String), Decimal> = BTreeMap::new();
    let mut out = Balances::new();
    for r in &rows {
        let key = (
            col(&h, r, "account").trim().to_string(),
            col(&h, r, "currency").trim().to_string(),
        );
        let sum = running.entry(key.clone()).or_default();
        *sum += dec(col(&h, r, "total").trim());
        out.insert(
            (key.0, col(&h, r, "year").trim().parse().unwrap(), key.1),
            *sum,
        );
    }
    out
}

/// `Southern Song` → `SouthernSong`, as the export names accounts.
fn part(name: &str) -> String {
    name.split(|c: char| !c.is_ascii_alphanumeric())
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                .unwrap_or_default()
        })
        .collect()
}

/// tribute's cumulative balances in the same shape, from `ledger --format json` per pair.
fn tribute(base: &[&str], delivered: bool) -> Balances {
    let mut totals = base.to_vec();
    totals.extend(["total", "--format", "csv"]);
    let (h, rows) = csv_rows(&ok(&totals));
    let mut pairs: Vec<String> = rows
        .iter()
        .map(|r| col(&h, r, "group").to_string())
        .collect();
    pairs.dedup();
    let mut out = Balances::new();
    for pair in pairs {
        let (payer, payee) = pair.split_once(" → ").unwrap();
        let mut args = base.to_vec();
        args.extend([
            "ledger", "--payer", payer, "--payee", payee, "--format", "json",
        ]);
        let v: serde_json::Value = serde_json::from_str(&ok(&args)).unwrap();
        let account = format!("Expenses:Tribute:{}:{}", part(payer), part(payee));
        for row in v["rows"].as_array().unwrap() {
            let year = row["year"].as_i64().unwrap() as i32;
            let cum = if delivered {
                &row["cum_delivered"]
            } else {
                &row["cum_owed"]
            };
            for (c, a) in cum.as_object().unwrap() {
                out.insert(
                    (account.clone(), year, c.to_uppercase().replace('-', "_")),
                    dec(a.as_str().unwrap()),
                );
            }
        }
    }
    out
}

/// Every balance a tool reports must equal tribute's, and each account's last balance per
/// commodity must be there (so a tool that dropped postings cannot pass by printing less).
fn agree(name: &str, tool: &Balances, ours: &Balances) {
    assert!(!tool.is_empty(), "{name} reported nothing");
    for (key, value) in tool {
        // A tool carries balances on to the journal's last year; our ledger of a pair stops at
        // the end of the pair's relationship. Past it, or in a year it skips, the cumulative value
        // is the last one before: the latest of ours at or before this year (zero before any).
        let (account, year, c) = key;
        let mine = ours
            .range((account.clone(), i32::MIN, c.clone())..=(account.clone(), *year, c.clone()))
            .rfind(|((a, _, cc), _)| a == account && cc == c)
            .map(|(_, v)| *v)
            .unwrap_or_default();
        assert_eq!(*value, mine, "{name} and tribute differ at {key:?}");
    }
    let mut last: BTreeMap<(&String, &String), (i32, Decimal)> = BTreeMap::new();
    for ((account, year, c), v) in ours {
        let e = last.entry((account, c)).or_insert((*year, *v));
        if *year >= e.0 {
            *e = (*year, *v);
        }
    }
    for ((account, c), (_, v)) in last {
        if v.is_zero() {
            continue;
        }
        let reported = tool
            .iter()
            .filter(|((a, _, cc), _)| a == account && cc == c)
            .max_by_key(|((_, y, _), _)| *y)
            .map(|(_, v)| *v);
        assert_eq!(
            reported,
            Some(v),
            "{name}: the final {c} balance of {account}"
        );
    }
}

fn check_corpus(base: &[&str], dir: &Path, hledger_ok: bool, beancount_ok: bool) {
    for delivered in [false, true] {
        let ours = tribute(base, delivered);
        for (fmt, present, read) in [
            ("hledger", hledger_ok, hledger as fn(&Path) -> Balances),
            ("beancount", beancount_ok, beancount),
        ] {
            if !present {
                continue;
            }
            let file = dir.join(format!("export-{delivered}.{fmt}"));
            let mut args = base.to_vec();
            let file_s = file.to_str().unwrap().to_string();
            args.extend(["export", "--format", fmt, "-o", &file_s]);
            if delivered {
                args.push("--delivered");
            }
            ok(&args);
            agree(
                &format!("{fmt} ({})", if delivered { "delivered" } else { "owed" }),
                &read(&file),
                &ours,
            );
        }
    }
}

#[test]
fn hledger_and_beancount_agree_with_tribute_on_the_bundled_corpus() {
    let (h, b) = (tool("hledger"), tool("bean-query"));
    let dir = tempfile::tempdir().unwrap();
    check_corpus(&[], dir.path(), h, b);
}

/// Seeds `seeds` of the synthetic corpora (12 treaties each), checked like the bundled corpus.
fn synthetic(seeds: std::ops::RangeInclusive<u64>) {
    let (h, b) = (tool("hledger"), tool("bean-query"));
    if !h && !b {
        return;
    }
    for seed in seeds {
        let dir = tempfile::tempdir().unwrap();
        let corpus = dir.path().join("corpus");
        ok(&[
            "synth",
            "--count",
            "12",
            "--seed",
            &seed.to_string(),
            "--out",
            corpus.to_str().unwrap(),
            "--no-journals",
        ]);
        let c = corpus.to_str().unwrap().to_string();
        check_corpus(&["--treaties", &c], dir.path(), h, b);
    }
}

// 50 synthetic corpora in five tests, so the test runner can spread them over the cores.
#[test]
fn synthetic_corpora_1_to_10_agree() {
    synthetic(1..=10);
}
#[test]
fn synthetic_corpora_11_to_20_agree() {
    synthetic(11..=20);
}
#[test]
fn synthetic_corpora_21_to_30_agree() {
    synthetic(21..=30);
}
#[test]
fn synthetic_corpora_31_to_40_agree() {
    synthetic(31..=40);
}
#[test]
fn synthetic_corpora_41_to_50_agree() {
    synthetic(41..=50);
}

/// Valued at payment date: with the synthetic book's price directives, hledger's `--value=then`
/// total of each payer → payee account equals the sum of tribute's central values for that pair.
#[test]
fn hledger_values_at_payment_date_as_tribute_does() {
    if !tool("hledger") {
        return;
    }
    for seed in [3u64, 4, 5] {
        let dir = tempfile::tempdir().unwrap();
        let corpus = dir.path().join("corpus");
        ok(&[
            "synth",
            "--count",
            "15",
            "--seed",
            &seed.to_string(),
            "--out",
            corpus.to_str().unwrap(),
            "--no-journals",
        ]);
        let c = corpus.to_str().unwrap();
        let journal = dir.path().join("valued.hledger");
        ok(&[
            "--no-builtin",
            "--treaties",
            c,
            "export",
            "--format",
            "hledger",
            "--prices",
            "synth",
            "-o",
            journal.to_str().unwrap(),
        ]);
        let out = Command::new("hledger")
            .args([
                "-f",
                journal.to_str().unwrap(),
                "balance",
                "--value=then,VALUE",
                "-c",
                "VALUE 1.000000000000",
                "-O",
                "csv",
                "Expenses",
            ])
            .output()
            .expect("hledger runs");
        assert!(
            out.status.success(),
            "hledger: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let (h, rows) = csv_rows(&String::from_utf8(out.stdout).unwrap());
        let theirs: BTreeMap<String, Decimal> = rows
            .iter()
            .filter(|r| col(&h, r, "account") != "total")
            .map(|r| {
                (
                    col(&h, r, "account").to_string(),
                    dec(col(&h, r, "balance").trim_start_matches("VALUE").trim()),
                )
            })
            .collect();
        let (h, rows) = csv_rows(&ok(&[
            "--no-builtin",
            "--treaties",
            c,
            "total",
            "--by",
            "pair",
            "--prices",
            "synth",
            "--format",
            "csv",
        ]));
        let mut ours: BTreeMap<String, Decimal> = BTreeMap::new();
        for r in &rows {
            let (payer, payee) = col(&h, r, "group").split_once(" → ").unwrap();
            *ours
                .entry(format!("Expenses:Tribute:{}:{}", part(payer), part(payee)))
                .or_default() += dec(col(&h, r, "owed_value_central"));
        }
        assert!(!ours.is_empty());
        assert_eq!(theirs, ours, "seed {seed}");
    }
}
