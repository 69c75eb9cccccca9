//! Issue 5, and issue 9 item 5: hledger and beancount as independent oracles. The bundled
//! corpus and 50 synthetic corpora are exported as one journal each (the payer's books: dues as
//! liabilities, cleared by recorded, assumed and unknown deliveries, lapses and settlements);
//! each tool's yearly balances per payer → payee account and commodity must equal `tribute
//! ledger`'s, year by year: `Expenses:Tribute` its cumulative owed, `Assets:Paid:Recorded` and
//! `Assets:Paid:Assumed` (credits) its cumulative recorded and assumed, and `Liabilities:Owed`
//! (a credit) its arrears. Synthetic corpora are read alone (`--no-builtin`).
//!
//! The journal is built by `core::report::journal` from `core::account` year by year; the
//! ledger by the engine's difference grids and closed forms: a broken suspension, amendment or
//! arrears run on either side shows as a difference here.
//!
//! Process starts are kept few: one `tribute ledger` per pair gives every column, hledger runs
//! once per journal, and beancount once per test for all its journals (Python's start is most of
//! a bean-query run).
//!
//! The tools are installed by `.ci/run`. Outside CI a missing tool is reported on standard error
//! as SKIPPED (the test then checks nothing for that tool); with CI=true a missing tool fails.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use rust_decimal::Decimal;

use crate::common::{col, csv_rows, dec, ok, succeeds};

/// (account, commodity symbol) → year → cumulative amount.
type Balances = BTreeMap<(String, String), BTreeMap<i32, Decimal>>;

pub(crate) fn tool(name: &str) -> bool {
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

/// Parses `hledger balance --yearly --historical -O csv --layout=bare`: one row per account and
/// commodity, one column per year: the same figures as `--layout=tidy`, in two thirds of the time.
fn hledger(journal: &Path) -> Balances {
    let (h, rows) = csv_rows(&succeeds(Command::new("hledger").args([
        "-f",
        journal.to_str().unwrap(),
        "balance",
        "--yearly",
        "--historical",
        "-O",
        "csv",
        "--layout=bare",
        "Expenses",
        "Assets",
        "Liabilities",
    ])));
    assert_eq!(h[..2], ["account", "commodity"], "hledger's bare layout");
    let years: Vec<i32> = h[2..].iter().map(|y| y.parse().unwrap()).collect();
    rows.iter()
        .filter(|r| r[0] != "total")
        .map(|r| {
            let series = years.iter().zip(&r[2..]).map(|(y, v)| (*y, dec(v)));
            ((r[0].clone(), r[1].clone()), series.collect())
        })
        .collect()
}

const BEAN_QUERY: &str = "SELECT year, account, currency, sum(number) AS total WHERE account ~ '^(Expenses|Assets|Liabilities):' GROUP BY year, account, currency ORDER BY year";

/// What `bean-query -f csv FILE QUERY` does, for every file in one Python process, writing
/// `FILE.csv` (the same bytes): starting Python, importing beancount and parsing the query take
/// most of a bean-query run, so the query is parsed once. A file that beancount reports errors for
/// fails the run (bean-query itself only prints them). Python's cycle collector is off: the
/// process is short and leaves nothing for it to collect.
const BEAN_BATCH: &str = r#"
import gc, sys
gc.disable()
import beanquery
from beanquery.query_render import render_csv
query = beanquery.parser.parse(sys.argv[1])
for journal in sys.argv[2:]:
    conn = beanquery.connect("beancount:" + journal)
    if conn.errors:
        sys.exit(f"{journal}: beancount reported {len(conn.errors)} errors")
    cursor = conn.execute(query)
    with open(journal + ".csv", "w", newline="") as out:
        render_csv(cursor.description, cursor.fetchall(), conn.options.get("dcontext"), out)
"#;

/// How beancount runs here: in one Python process for all files when `python3` can import
/// beanquery (as `.ci/run` installs it), else one `bean-query` per file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Bean {
    Batch,
    PerFile,
}

fn beancount_peer() -> Option<Bean> {
    // Finding the module is enough (importing it would take a third of a second).
    let find =
        "import importlib.util, sys; sys.exit(importlib.util.find_spec('beanquery') is None)";
    let batch = Command::new("python3")
        .args(["-c", find])
        .output()
        .is_ok_and(|o| o.status.success());
    if batch {
        Some(Bean::Batch)
    } else {
        tool("bean-query").then_some(Bean::PerFile)
    }
}

/// Starts beancount on `journals` when it runs as a batch (see `beancount_results`).
fn beancount_start(how: Option<Bean>, journals: &[PathBuf]) -> Option<std::process::Child> {
    if journals.is_empty() || how != Some(Bean::Batch) {
        return None;
    }
    let child = Command::new("python3")
        .env("BEANCOUNT_DISABLE_LOAD_CACHE", "1")
        .arg("-c")
        .arg(BEAN_BATCH)
        .arg(BEAN_QUERY)
        .args(journals)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("python3 runs");
    Some(child)
}

/// beancount's balances of each of `journals`, from the batch started by `beancount_start` or,
/// without one, from one `bean-query` per file.
fn beancount_results(batch: Option<std::process::Child>, journals: &[PathBuf]) -> Vec<Balances> {
    let csv: Vec<String> = match batch {
        Some(child) => {
            let out = child.wait_with_output().expect("python3 runs");
            assert!(
                out.status.success(),
                "beanquery: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            journals
                .iter()
                .map(|j| {
                    let mut name = j.clone().into_os_string();
                    name.push(".csv");
                    std::fs::read_to_string(name).expect("beanquery's output")
                })
                .collect()
        }
        None => journals
            .iter()
            .map(|j| {
                let out = Command::new("bean-query")
                    .env("BEANCOUNT_DISABLE_LOAD_CACHE", "1")
                    .args(["-f", "csv", j.to_str().unwrap(), BEAN_QUERY])
                    .output()
                    .expect("bean-query runs");
                assert!(
                    out.status.success(),
                    "bean-query: {}",
                    String::from_utf8_lossy(&out.stderr)
                );
                String::from_utf8(out.stdout).unwrap()
            })
            .collect(),
    };
    csv.iter().map(|text| beancount(text)).collect()
}

/// beancount gives yearly sums; the cumulative balance is their running sum.
fn beancount(csv: &str) -> Balances {
    let (h, rows) = csv_rows(csv);
    let mut running: BTreeMap<(String, String), Decimal> = BTreeMap::new();
    let mut out = Balances::new();
    for r in &rows {
        let key = (
            col(&h, r, "account").trim().to_string(),
            col(&h, r, "currency").trim().to_string(),
        );
        let sum = running.entry(key.clone()).or_default();
        *sum += dec(col(&h, r, "total").trim());
        out.entry(key)
            .or_default()
            .insert(col(&h, r, "year").trim().parse().unwrap(), *sum);
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

/// tribute's balances in the same shape, from one `ledger --format json` per pair: the
/// cumulative owed, recorded and assumed columns and the arrears (a balance already), each with
/// the sign the payer's books give it.
fn tribute(base: &[&str]) -> Balances {
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
        let pair = format!("{}:{}", part(payer), part(payee));
        let accounts = [
            ("cum_owed", "Expenses:Tribute", Decimal::ONE),
            ("cum_recorded", "Assets:Paid:Recorded", -Decimal::ONE),
            ("cum_assumed", "Assets:Paid:Assumed", -Decimal::ONE),
            ("arrears", "Liabilities:Owed", -Decimal::ONE),
        ];
        let commodities: Vec<&str> = v["commodities"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["id"].as_str().unwrap())
            .collect();
        for row in v["rows"].as_array().unwrap() {
            let year = row["year"].as_i64().unwrap() as i32;
            for (column, account, sign) in accounts {
                // A row leaves out what is zero: an arrears balance paid or settled is a zero
                // here, not the year before carried on.
                for c in &commodities {
                    let a = row[column]
                        .get(c)
                        .map_or(Decimal::ZERO, |a| dec(a.as_str().unwrap()));
                    let slot = out
                        .entry((
                            format!("{account}:{pair}"),
                            c.to_uppercase().replace('-', "_"),
                        ))
                        .or_default()
                        .entry(year)
                        .or_default();
                    *slot += sign * a;
                }
            }
        }
    }
    out
}

/// Every balance a tool reports must equal tribute's, and each account's last balance per
/// commodity must be there (so a tool that dropped postings cannot pass by printing less).
fn agree(name: &str, tool: &Balances, ours: &Balances) {
    assert!(
        tool.values().any(|s| !s.is_empty()),
        "{name} reported nothing"
    );
    let none = BTreeMap::new();
    for ((account, c), series) in tool {
        let mine = ours.get(&(account.clone(), c.clone())).unwrap_or(&none);
        for (year, value) in series {
            // A tool carries balances on to the journal's last year; our ledger of a pair stops
            // at the end of the pair's relationship. Past it, or in a year it skips, the cumulative
            // value is the last one before: the latest of ours at or before this year (zero before
            // any).
            let m = mine.range(..=year).next_back().map(|(_, v)| *v);
            assert_eq!(
                *value,
                m.unwrap_or_default(),
                "{name} and tribute differ at {:?}",
                (account, year, c)
            );
        }
    }
    for ((account, c), series) in ours {
        let Some((_, v)) = series.last_key_value().filter(|(_, v)| !v.is_zero()) else {
            continue;
        };
        let reported = tool
            .get(&(account.clone(), c.clone()))
            .and_then(|s| s.last_key_value())
            .map(|(_, v)| v);
        assert_eq!(
            reported,
            Some(v),
            "{name}: the final {c} balance of {account}"
        );
    }
}

/// Which peers run here.
struct Peers {
    hledger: bool,
    beancount: Option<Bean>,
}

fn peers() -> Peers {
    Peers {
        hledger: tool("hledger"),
        beancount: beancount_peer(),
    }
}

/// Checks each corpus (named, with tribute's arguments for it) against the peers: tribute's
/// ledgers once per corpus, an export per peer, hledger once per journal, and beancount once for
/// all journals.
fn check_corpora(corpora: &[(String, Vec<String>)], dir: &Path, peers: &Peers) {
    let formats: Vec<&str> = [
        ("hledger", peers.hledger),
        ("beancount", peers.beancount.is_some()),
    ]
    .into_iter()
    .filter_map(|(f, present)| present.then_some(f))
    .collect();
    // (description, format, journal, tribute's balances)
    let mut cases: Vec<(String, &str, PathBuf, Balances)> = Vec::new();
    for (i, (name, base)) in corpora.iter().enumerate() {
        let base: Vec<&str> = base.iter().map(String::as_str).collect();
        let ours = tribute(&base);
        for &fmt in &formats {
            let file = dir.join(format!("export-{i}.{fmt}"));
            let mut args = base.clone();
            args.extend(["export", "--format", fmt, "-o", file.to_str().unwrap()]);
            ok(&args);
            cases.push((format!("{fmt} ({name})"), fmt, file, ours.clone()));
        }
    }
    let journals: Vec<PathBuf> = cases
        .iter()
        .filter(|c| c.1 == "beancount")
        .map(|c| c.2.clone())
        .collect();
    // beancount runs while hledger does.
    let batch = beancount_start(peers.beancount, &journals);
    let mut theirs: Vec<Option<Balances>> = cases
        .iter()
        .map(|c| (c.1 == "hledger").then(|| hledger(&c.2)))
        .collect();
    let mut bean = beancount_results(batch, &journals).into_iter();
    for t in theirs.iter_mut().filter(|t| t.is_none()) {
        *t = bean.next();
    }
    for ((name, _, _, ours), theirs) in cases.iter().zip(&theirs) {
        agree(name, theirs.as_ref().expect("a peer's balances"), ours);
    }
}

#[test]
fn hledger_and_beancount_agree_with_tribute_on_the_bundled_corpus() {
    let peers = peers();
    let dir = tempfile::tempdir().unwrap();
    check_corpora(&[("bundled".to_string(), Vec::new())], dir.path(), &peers);
}

/// Seeds `seeds` of the synthetic corpora (12 treaties each), checked like the bundled corpus,
/// each alone (`--no-builtin`).
fn synthetic(seeds: std::ops::RangeInclusive<u64>) {
    let peers = peers();
    if !peers.hledger && peers.beancount.is_none() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let mut corpora = Vec::new();
    for seed in seeds {
        let corpus = dir.path().join(format!("corpus-{seed}"));
        let c = corpus.to_str().unwrap().to_string();
        ok(&[
            "synth",
            "--count",
            "12",
            "--seed",
            &seed.to_string(),
            "--out",
            &c,
            "--no-journals",
        ]);
        corpora.push((
            format!("seed {seed}"),
            vec!["--no-builtin".to_string(), "--treaties".to_string(), c],
        ));
    }
    check_corpora(&corpora, dir.path(), &peers);
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
        let (h, rows) = csv_rows(&succeeds(Command::new("hledger").args([
            "-f",
            journal.to_str().unwrap(),
            "balance",
            "--value=then,VALUE",
            "-c",
            "VALUE 1.000000000000",
            "-O",
            "csv",
            "Expenses",
        ])));
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

/// An account, a commodity symbol and its balance, as worked out by hand.
type Expected = (&'static str, &'static str, Decimal);

/// `hledger bal Liabilities` of an export: (account, commodity symbol) → balance, the input
/// given on standard input as `tribute export --format hledger | hledger -f - bal Liabilities`.
fn hledger_liabilities(journal: &str) -> BTreeMap<(String, String), Decimal> {
    use std::io::Write as _;
    let mut child = Command::new("hledger")
        .args([
            "-f",
            "-",
            "balance",
            "-O",
            "csv",
            "--layout=bare",
            "Liabilities",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("hledger runs");
    child
        .stdin
        .take()
        .expect("a pipe")
        .write_all(journal.as_bytes())
        .expect("hledger reads the journal");
    let out = child.wait_with_output().expect("hledger runs");
    assert!(
        out.status.success(),
        "hledger: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let (h, rows) = csv_rows(&String::from_utf8(out.stdout).unwrap());
    rows.iter()
        .filter(|r| col(&h, r, "account") != "total")
        .map(|r| {
            (
                (
                    col(&h, r, "account").to_string(),
                    col(&h, r, "commodity").to_string(),
                ),
                dec(col(&h, r, "balance")),
            )
        })
        .collect()
}

/// Issue 9 (done when): `tribute export --format hledger | hledger -f - bal Liabilities` shows,
/// per pair, `tribute total`'s arrears column (a liability: a credit, so negated), on the
/// built-in corpus at its end and at two dates with arrears outstanding. The figures at those
/// dates by hand (as tests/evidence.rs works them out from the sources): to 1837, Haiti owes
/// four unpaid instalments of 30,000,000 francs and 700,000 of the first (29,300,000 paid,
/// Ardouin); to 1223, the Song owe ten years of the stop (1214–1223) at 300,000 taels of silver
/// and 300,000 bolts of silk. At the end of the corpus nothing is outstanding. From 1830 to 1837
/// the arrears before 1830 open the journal, and the balance is the same.
#[test]
fn hledger_bal_liabilities_is_the_arrears_of_tribute_total() {
    if !tool("hledger") {
        return;
    }
    let haiti_1837 = vec![(
        "Liabilities:Owed:Haiti:France",
        "FRANC",
        Decimal::from(4 * 30_000_000 + (30_000_000 - 29_300_000)),
    )];
    let by_hand: [(&[&str], Vec<Expected>); 4] = [
        (&[], vec![]),
        (&["--to", "1837"], haiti_1837.clone()),
        // From 1830 the arrears before it open the journal (Equity:Opening).
        (&["--from", "1830", "--to", "1837"], haiti_1837),
        (
            &["--to", "1223"],
            vec![
                (
                    "Liabilities:Owed:SouthernSong:Jin",
                    "SILK",
                    Decimal::from(10 * 300_000),
                ),
                (
                    "Liabilities:Owed:SouthernSong:Jin",
                    "SILVER",
                    Decimal::from(10 * 300_000),
                ),
            ],
        ),
    ];
    for (range, expected) in by_hand {
        let mut export = vec!["export", "--format", "hledger"];
        export.extend(range);
        let theirs: BTreeMap<(String, String), Decimal> = hledger_liabilities(&ok(&export))
            .into_iter()
            .filter(|(_, v)| !v.is_zero())
            .collect();
        let mut total = vec!["total", "--format", "csv"];
        total.extend(range);
        let (h, rows) = csv_rows(&ok(&total));
        let ours: BTreeMap<(String, String), Decimal> = rows
            .iter()
            .filter(|r| !dec(col(&h, r, "arrears")).is_zero())
            .map(|r| {
                let (payer, payee) = col(&h, r, "group").split_once(" → ").unwrap();
                (
                    (
                        format!("Liabilities:Owed:{}:{}", part(payer), part(payee)),
                        col(&h, r, "commodity").to_uppercase().replace('-', "_"),
                    ),
                    -dec(col(&h, r, "arrears")),
                )
            })
            .collect();
        assert_eq!(theirs, ours, "{range:?}: hledger and tribute total");
        let by_hand: BTreeMap<(String, String), Decimal> = expected
            .into_iter()
            .map(|(a, c, v)| ((a.to_string(), c.to_string()), -v))
            .collect();
        assert_eq!(
            theirs, by_hand,
            "{range:?}: hledger and the figures by hand"
        );
    }
}
