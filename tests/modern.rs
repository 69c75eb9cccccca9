//! The modern indemnities of the corpus (issue 10, items 6–7): Nanking 1842, Shimonoseki 1895,
//! Frankfurt 1871, the Haiti loan of 1825, and the Qing taels and Boxer parities they are
//! counted in. Every expected figure is worked out here by hand from the figures the treaty
//! texts give (cited in each test), never copied from the program's output.

use rust_decimal::Decimal;

use crate::common::{col, csv_rows, dec, folder, ok, run, stderr};

fn n(v: i64) -> Decimal {
    Decimal::from(v)
}

/// One `total --format csv` row's column, for the treaty and commodity given.
fn total(treaty: &str, extra: &[&str], commodity: &str, key: &str) -> Decimal {
    // One row per commodity for the treaty as a whole (its streams may have payees of their own).
    let mut args = vec![
        "total", "--treaty", treaty, "--by", "treaty", "--format", "csv",
    ];
    args.extend_from_slice(extra);
    let (h, rows) = csv_rows(&ok(&args));
    let row = rows
        .iter()
        .find(|r| col(&h, r, "commodity") == commodity)
        .unwrap_or_else(|| panic!("no {commodity} row for {treaty}"));
    dec(col(&h, row, key))
}

/// Owed per year from `ledger --format csv`, for one commodity kept in one unit.
fn owed_by_year(treaty: &str, extra: &[&str], column: &str) -> Vec<(i32, Decimal)> {
    let mut args = vec!["ledger", "--treaty", treaty, "--format", "csv"];
    args.extend_from_slice(extra);
    let (h, rows) = csv_rows(&ok(&args));
    rows.iter()
        .map(|r| {
            (
                col(&h, r, "year").parse().expect("a year"),
                dec(col(&h, r, column)),
            )
        })
        .filter(|(_, v)| !v.is_zero())
        .collect()
}

/// Nanking, Art. VII: 6 M immediately, 3 + 3 M in 1843, 2.5 + 2.5 M in 1844, 2 + 2 M in 1845,
/// in silver dollars, kept as dollars (never taels).
#[test]
fn nanking_is_21_million_dollars_in_seven_instalments() {
    let m = n(1_000_000);
    let half = Decimal::new(25, 1) * m;
    let by_hand = n(6) * m + n(3) * m + n(3) * m + half + half + n(2) * m + n(2) * m;
    assert_eq!(by_hand, n(21_000_000));
    let t = "britain-china-1842-nanking";
    assert_eq!(total(t, &[], "silver-dollar", "owed"), by_hand);
    assert_eq!(total(t, &[], "silver-dollar", "delivery_unknown"), by_hand);
    assert_eq!(
        owed_by_year(t, &[], "silver-dollar_silver-dollar_owed"),
        vec![
            (1842, n(6) * m),
            (1843, n(3) * m + n(3) * m),
            (1844, half + half),
            (1845, n(2) * m + n(2) * m),
        ]
    );
    let (h, rows) = csv_rows(&ok(&["total", "--treaty", t, "--format", "csv"]));
    assert_eq!(col(&h, &rows[0], "unit"), "silver-dollar");
}

/// Shimonoseki, Art. 4: 50 M + 50 M + six equal yearly parts of the other 100 M Kuping taels,
/// and the Liaotung Convention's 30 M. Six equal parts are not whole taels: the file writes them
/// in whole taels, five cut to 16,666,666 and the sixth taking the rest. Interest at 5 % runs on
/// what is unpaid from 8 November 1895 (the first instalment's date); the schedule ends in 1902,
/// after 8 May 1898, so it is not waived. Paid with each instalment: 150 M for the 182 days to
/// 8 May 1896, then a whole year on each balance left.
#[test]
fn shimonoseki_is_200_million_kuping_taels_with_interest_and_liaotung_30_more() {
    let m = n(1_000_000);
    let six_parts = n(100) * m;
    let cut = (six_parts / n(6)).trunc();
    assert_eq!(cut, n(16_666_666));
    let last = six_parts - n(5) * cut;
    assert_eq!(n(50) * m + n(50) * m + n(5) * cut + last, n(200) * m);
    let rate = Decimal::new(5, 2);
    // 8 Nov 1895 → 8 May 1896: 22 + 31 + 31 + 29 + 31 + 30 + 8 = 182 days.
    let days = n(22 + 31 + 31 + 29 + 31 + 30 + 8);
    let mut by_year = vec![(n(150) * m * rate * days / n(365)).round_dp(2)];
    let mut balance = six_parts;
    for k in 0..6 {
        by_year.push((balance * rate).round_dp(2));
        balance -= if k < 5 { cut } else { last };
    }
    assert_eq!(balance, Decimal::ZERO);
    let interest: Decimal = by_year.iter().sum();
    let t = "japan-china-1895-shimonoseki";
    assert_eq!(total(t, &[], "kuping-silver", "interest"), interest);
    assert_eq!(
        total(t, &[], "kuping-silver", "principal"),
        n(200) * m + n(30) * m
    );
    let years = owed_by_year(t, &[], "kuping-silver_kuping-tael_owed");
    assert_eq!(years[0], (1895, n(50) * m + n(30) * m), "first + Liaotung");
    assert_eq!(years[1], (1896, n(50) * m + by_year[0]));
    for (k, y) in (1897..=1901).enumerate() {
        assert_eq!(years[2 + k], (y, cut + by_year[1 + k]));
    }
    assert_eq!(years[7], (1902, last + by_year[6]));
    assert_eq!(years.len(), 8);
}

/// Frankfurt, Art. 7: 500 M + 1 milliard in 1871, 0.5 milliard on 1 May 1872, 3 milliards on
/// 2 March 1874, and 5 % a year on the 3 milliards from 2 March 1871, paid each 3 March:
/// 3,000,000,000 × 0.05 = 150,000,000 a year. From 2 March 1871 to 2 March 1874 is three whole
/// years; the schedule pays the first day on 3 March 1871 and the last 364 days with the
/// instalment. The conventions of 1871–1872 move 650 M to 1872 and the 3 milliards to 0.5
/// (1872), 0.5 (1873), 1 (1874), 1 (1875).
#[test]
fn frankfurt_art_7_and_the_conventions_date_the_same_five_milliards() {
    let m = n(1_000_000);
    let a_year = n(3_000) * m * Decimal::new(5, 2);
    assert_eq!(a_year, n(150) * m);
    let first_day = (a_year / n(365)).round_dp(2);
    let last_days = (a_year * n(364) / n(365)).round_dp(2);
    assert_eq!(first_day + last_days, a_year);
    let t = "france-germany-1871";
    let col_owed = "franc_franc_owed";
    assert_eq!(
        owed_by_year(t, &[], col_owed),
        vec![
            (1871, n(500) * m + n(1_000) * m + first_day),
            (1872, n(500) * m + a_year),
            (1873, a_year),
            (1874, n(3_000) * m + last_days),
        ]
    );
    assert_eq!(total(t, &[], "franc", "principal"), n(5_000) * m);
    assert_eq!(total(t, &[], "franc", "interest"), n(3) * a_year);
    let (h, rows) = csv_rows(&ok(&["total", "--treaty", t, "--format", "csv"]));
    assert_eq!(
        dec(col(&h, &rows[0], "principal")) + dec(col(&h, &rows[0], "interest")),
        dec(col(&h, &rows[0], "owed"))
    );
    let principal_by_year = owed_by_year(t, &["--reading", "conventions"], "franc_franc_principal");
    assert_eq!(
        principal_by_year,
        vec![
            (1871, n(500) * m + n(1_000) * m - n(650) * m),
            (1872, n(650) * m + n(500) * m + n(500) * m),
            (1873, n(500) * m),
            (1874, n(1_000) * m),
            (1875, n(1_000) * m),
        ]
    );
}

/// What was paid: the last 500 M in August and September 1873, 250 M a month (Revue des Deux
/// Mondes), and the railways credit of 325 M (Léon Say) or 375 M (other accounts); the 1873
/// payments came ahead of the three milliards' date and count against it.
#[test]
fn frankfurt_records_the_1873_payments_and_the_railway_credit_readings() {
    let m = n(1_000_000);
    let t = "france-germany-1871";
    for (reading, credit) in [(None, n(325) * m), (Some("other-375m"), n(375) * m)] {
        let extra: Vec<&str> = reading.map(|r| vec!["--reading", r]).unwrap_or_default();
        assert_eq!(
            total(t, &extra, "franc", "recorded"),
            n(250) * m + n(250) * m + credit
        );
        assert_eq!(total(t, &extra, "franc", "assumed"), Decimal::ZERO);
        // Every record is within what fell due, so what is unknown is the rest: 5,000 M of
        // principal and Art. 7's 450 M of interest, less the records.
        let owed = n(5_000) * m + n(450) * m;
        assert_eq!(total(t, &extra, "franc", "owed"), owed);
        assert_eq!(
            total(t, &extra, "franc", "delivery_unknown"),
            owed - (n(500) * m + credit)
        );
    }
    // The 1873 records were paid ahead: of their 500 M, 150 M pays 1873's interest and 350 M
    // counts against the three milliards due on 2 March 1874 with the interest from 3 March
    // 1873 (364 days at 5 %, to the centime), so 1874 alone leaves that less 350 M unknown.
    let interest_1874 = (n(3_000) * m * Decimal::new(5, 2) * n(364) / n(365)).round_dp(2);
    assert_eq!(
        total(t, &["--from", "1874"], "franc", "delivery_unknown"),
        n(3_000) * m + interest_1874 - n(350) * m
    );
}

/// The 1825 loan (Ardouin t.10, pp.36–37): 30,000 bonds of 1,000 francs, one series of 1,200
/// drawn each year from 1 January 1827 to 1 January 1851 (25 × 1,200,000 = 30,000,000), and 6 %
/// a year on what was outstanding, paid half-yearly: 1,800,000 in the first year, 72,000 less each
/// year after. Its payee is the lenders, not France.
#[test]
fn the_haiti_loan_is_owed_to_its_lenders_with_its_interest() {
    let series = n(1_200) * n(1_000);
    assert_eq!(n(25) * series, n(30_000) * n(1_000));
    let rate = Decimal::new(6, 2);
    let interest: Decimal = (0..25)
        .map(|k| (n(30_000_000) - series * n(k)) * rate)
        .sum();
    assert_eq!(interest, n(23_400_000));
    let t = "haiti-loan-1825";
    assert_eq!(total(t, &[], "franc", "principal"), n(25) * series);
    assert_eq!(total(t, &[], "franc", "interest"), interest);
    assert_eq!(total(t, &[], "franc", "owed"), n(25) * series + interest);
    let years = owed_by_year(t, &[], "franc_franc_principal");
    assert_eq!(years.first(), Some(&(1827, series)));
    assert_eq!(years.last(), Some(&(1851, series)));
    assert_eq!(years.len(), 25);
    let (h, rows) = csv_rows(&ok(&[
        "total",
        "--payee",
        "Paris lenders",
        "--format",
        "csv",
    ]));
    assert_eq!(rows.len(), 1);
    assert_eq!(col(&h, &rows[0], "group"), "Haiti → Ternaux Gandolphe");
    // France's total from Haiti is the indemnity alone: 150 M owed under the 1825 ordinance, and
    // the 60 M of 1838 (Ardouin's reading), the loan not among them.
    let (h, rows) = csv_rows(&ok(&[
        "total", "--payer", "Haiti", "--payee", "France", "--format", "csv",
    ]));
    assert_eq!(
        dec(col(&h, &rows[0], "owed")),
        n(150_000_000) + n(60_000_000)
    );
}

const BOXER_IN_SONG_TAELS: &str = r#"
name = "450 M Haikwan taels written against Song silver"
payer = "Qing"
payee = "Boxer powers"
signed = 1901
status = "in-force"
label = "indemnity"

[[obligation]]
id = "indemnity"
schedule = "one-time"
year = 1902
amounts = { silver = "450000000 haikwan-tael" }
source = "bevans-1"
"#;

/// A Haikwan tael is a unit of mass (37.7993 g), not a Song tael: written against `silver`,
/// which is kept in Song taels of no fixed mass, it is refused at its place, so 450,000,000
/// Haikwan taels can never be reported as 450,000,000 Song taels.
#[test]
fn haikwan_taels_are_never_song_taels() {
    let dir = folder(&[("boxer-in-song-taels.toml", BOXER_IN_SONG_TAELS.as_bytes())]);
    let d = dir.path().to_str().unwrap();
    let out = run(&["--treaties", d, "total", "--treaty", "boxer-in-song-taels"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains("boxer-in-song-taels.toml:13:22")
            && err.contains("silver is measured by weight but `haikwan-tael` is a unit of mass"),
        "{err}"
    );
    // Written as what it is, it stays in Haikwan taels.
    let right = BOXER_IN_SONG_TAELS.replace("{ silver =", "{ haikwan-silver =");
    let dir = folder(&[("boxer-in-song-taels.toml", right.as_bytes())]);
    let d = dir.path().to_str().unwrap();
    let (h, rows) = csv_rows(&ok(&[
        "--treaties",
        d,
        "total",
        "--treaty",
        "boxer-in-song-taels",
        "--format",
        "csv",
    ]));
    assert_eq!(rows.len(), 1);
    assert_eq!(col(&h, &rows[0], "commodity"), "haikwan-silver");
    assert_eq!(col(&h, &rows[0], "unit"), "haikwan-tael");
    assert_eq!(dec(col(&h, &rows[0], "owed")), n(450_000_000));
    // A Kuping tael is not a Haikwan tael either: 37.301 / 37.7993 is not an exact decimal.
    let kuping = BOXER_IN_SONG_TAELS.replace(
        "{ silver = \"450000000 haikwan-tael\" }",
        "{ haikwan-silver = \"1 kuping-tael\" }",
    );
    let dir = folder(&[("boxer-in-song-taels.toml", kuping.as_bytes())]);
    let d = dir.path().to_str().unwrap();
    let out = run(&["--treaties", d, "total", "--treaty", "boxer-in-song-taels"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    // And grams convert exactly: 37.7993 g is one Haikwan tael.
    let grams = BOXER_IN_SONG_TAELS.replace(
        "{ silver = \"450000000 haikwan-tael\" }",
        "{ haikwan-silver = \"75.5986 gram\" }",
    );
    let dir = folder(&[("boxer-in-song-taels.toml", grams.as_bytes())]);
    let d = dir.path().to_str().unwrap();
    let (h, rows) = csv_rows(&ok(&[
        "--treaties",
        d,
        "total",
        "--treaty",
        "boxer-in-song-taels",
        "--format",
        "csv",
    ]));
    assert_eq!(dec(col(&h, &rows[0], "owed")), n(2));
}

/// The Boxer parities (Art. VI): 1 Haikwan tael = 3.75 francs = 3s 0d, so a pound is
/// 3.75 / 0.15 = 25 francs; Shimonoseki's Kuping taels have no rate in the book.
#[test]
fn the_boxer_parities_value_haikwan_taels_and_pounds_in_francs() {
    let right = BOXER_IN_SONG_TAELS.replace("{ silver =", "{ haikwan-silver =");
    let pounds = r#"
name = "three shillings"
payer = "Qing"
payee = "Britain"
signed = 1901
status = "in-force"
label = "indemnity"

[[obligation]]
id = "parity"
schedule = "one-time"
year = 1902
amounts = { sterling = "3 shilling" }
source = "bevans-1"
"#;
    let dir = folder(&[
        ("boxer-in-song-taels.toml", right.as_bytes()),
        ("three-shillings.toml", pounds.as_bytes()),
    ]);
    let d = dir.path().to_str().unwrap();
    let value = |treaty: &str| {
        let (h, rows) = csv_rows(&ok(&[
            "--treaties",
            d,
            "total",
            "--treaty",
            treaty,
            "--prices",
            "boxer-parities",
            "--format",
            "csv",
        ]));
        (
            col(&h, &rows[0], "unit").to_string(),
            dec(col(&h, &rows[0], "owed")),
            dec(col(&h, &rows[0], "owed_value_central")),
        )
    };
    let hk = Decimal::new(375, 2);
    assert_eq!(
        value("boxer-in-song-taels"),
        (
            "haikwan-tael".to_string(),
            n(450_000_000),
            n(450_000_000) * hk
        )
    );
    // 3 shillings is 3/20 of a pound, kept in pounds, and worth 3.75 francs, the same as the tael.
    assert_eq!(
        value("three-shillings"),
        ("pound-sterling".to_string(), Decimal::new(15, 2), hk)
    );
    let (h, rows) = csv_rows(&ok(&[
        "total",
        "--treaty",
        "japan-china-1895-shimonoseki",
        "--prices",
        "boxer-parities",
        "--format",
        "csv",
    ]));
    assert_eq!(
        dec(col(&h, &rows[0], "unpriced_owed")),
        dec(col(&h, &rows[0], "owed"))
    );
    assert_eq!(dec(col(&h, &rows[0], "owed_value_central")), Decimal::ZERO);
}

/// The level annuity's payment A = P·i / (1 − (1+i)^−n) = P·i·v / (v − 1) with v = (1+i)^n,
/// worked out here with exact decimals and rounded half to even to the cent (0.01 tael).
fn level_payment(p: Decimal, i: Decimal, n: u32) -> Decimal {
    let one_plus = Decimal::ONE + i;
    let v = (0..n).fold(Decimal::ONE, |acc, _| acc * one_plus);
    (p * i * v / (v - Decimal::ONE)).round_dp(2)
}

/// The Powers' principals (Foster p.430; Britain from the Customs table in Chamberlain's paper).
const PRINCIPALS: [(&str, i64); 13] = [
    ("russia", 130_371_120),
    ("germany", 90_070_515),
    ("france", 70_878_240),
    ("great-britain", 50_620_545),
    ("japan", 34_793_100),
    ("united-states", 32_939_055),
    ("italy", 26_617_005),
    ("belgium", 8_484_345),
    ("austria-hungary", 4_003_920),
    ("netherlands", 782_100),
    ("international", 212_490),
    ("spain", 135_315),
    ("portugal", 92_250),
];

/// Boxer, Art. VI: 450,000,000 Haikwan taels at 4 %. Annex 13 was not found, so each power's
/// principal is a level yearly annuity over 39 payments (an approximation), rounded to the cent
/// each payment: the total is the sum of 39 × A for each power, and the principal is 450 M
/// exactly. The sources' 982,238,150 of principal and interest is that far above it.
#[test]
fn boxer_is_thirteen_level_annuities_and_982_million_is_86_million_above_them() {
    let (i, n) = (Decimal::new(4, 2), 39);
    let principal: i64 = PRINCIPALS.iter().map(|(_, p)| p).sum();
    assert_eq!(
        principal, 450_000_000,
        "the Customs principals add up to 450 M"
    );
    let by_hand: Decimal = PRINCIPALS
        .iter()
        .map(|(_, p)| Decimal::from(n) * level_payment(n_(*p), i, n))
        .sum();
    let t = "boxer-1901";
    assert_eq!(total(t, &[], "haikwan-silver", "owed"), by_hand);
    assert_eq!(total(t, &[], "haikwan-silver", "principal"), n_(principal));
    assert_eq!(
        total(t, &[], "haikwan-silver", "interest"),
        by_hand - n_(principal)
    );
    // One annuity on 450 M would be 22,977,372.33 a year, 896,117,520.87 in all; thirteen rounded
    // ones add a few fen to that, and both are some 86.1 M short of the sources' total.
    let whole = level_payment(n_(450_000_000), i, n);
    assert_eq!(whole, dec("22977372.33"));
    assert_eq!(Decimal::from(n) * whole, dec("896117520.87"));
    assert!(by_hand - Decimal::from(n) * whole < Decimal::ONE);
    let claimed = n_(982_238_150);
    assert_eq!(claimed - by_hand, dec("86120628.74"));
    assert_eq!(
        claimed - n_(principal),
        n_(532_238_150),
        "the interest the sources imply"
    );
    // Half-yearly at 2 % over 78 payments.
    let half: Decimal = PRINCIPALS
        .iter()
        .map(|(_, p)| Decimal::from(78) * level_payment(n_(*p), Decimal::new(2, 2), 78))
        .sum();
    assert_eq!(
        total(t, &["--reading", "half-yearly"], "haikwan-silver", "owed"),
        half
    );
    // `check` evaluates the 982,238,150 claim (unit "total") and says how far each reading's
    // total falls from it: the same figures as above.
    let report = crate::common::json(&["check"]);
    let claim = report["claims"]
        .as_array()
        .and_then(|c| c.iter().find(|c| c["id"] == "total-982m"))
        .expect("the Boxer total claim");
    assert_eq!(claim["unit"], "total");
    assert_eq!(claim["commodity"], "haikwan-silver");
    let case = |readings: &str| {
        claim["cases"]
            .as_array()
            .and_then(|c| c.iter().find(|c| c["a_readings"] == readings))
            .unwrap_or_else(|| panic!("a case for {readings}: {claim}"))
    };
    let defaults = case("—");
    assert_eq!(crate::common::d(&defaults["central"]), by_hand);
    assert_eq!(crate::common::d(&defaults["distance"]), by_hand - claimed);
    assert_eq!(defaults["result"], "does not hold");
    let halfy = case("reading=half-yearly");
    assert_eq!(crate::common::d(&halfy["distance"]), half - claimed);
}

fn n_(v: i64) -> Decimal {
    Decimal::from(v)
}

/// Each power's share is owed to that power: `--payee Russia` gives Russia's principal of the
/// Customs table (130,371,120 taels) and no other power's, and the thirteen payees' principals add
/// up to the 450 M of Art. VI.
#[test]
fn boxer_shares_are_owed_to_each_power() {
    let (h, rows) = csv_rows(&ok(&[
        "total",
        "--treaty",
        "boxer-1901",
        "--payee",
        "Russia",
        "--format",
        "csv",
    ]));
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(col(&h, &rows[0], "group"), "Qing → Russia");
    assert_eq!(dec(col(&h, &rows[0], "principal")), n_(130_371_120));
    let (h, rows) = csv_rows(&ok(&["total", "--treaty", "boxer-1901", "--format", "csv"]));
    assert_eq!(rows.len(), PRINCIPALS.len(), "{rows:?}");
    let sum: Decimal = rows.iter().map(|r| dec(col(&h, r, "principal"))).sum();
    assert_eq!(sum, n_(450_000_000));
}

/// The per-power conflicts are readings: Foster's Britain (50,712,795) makes the principals add
/// to 450,092,250; Italy at 7.32 % of 450 M is 32,940,000; Russia's share is 28.97136 % exactly.
#[test]
fn boxer_per_power_readings_and_shares() {
    let t = "boxer-1901";
    let foster = 450_000_000 - 50_620_545 + 50_712_795;
    assert_eq!(foster, 450_092_250);
    assert_eq!(
        total(t, &["--reading", "foster"], "haikwan-silver", "principal"),
        n_(foster)
    );
    let italy = n_(450_000_000) * Decimal::new(732, 4);
    assert_eq!(italy, n_(32_940_000));
    assert_eq!(
        total(
            t,
            &["--reading", "liquisearch"],
            "haikwan-silver",
            "principal"
        ),
        n_(450_000_000 - 26_617_005) + italy
    );
    let (h, rows) = csv_rows(&ok(&[
        "total", "--treaty", t, "--by", "stream", "--format", "csv",
    ]));
    let principal = |s: &str| {
        let r = rows
            .iter()
            .find(|r| col(&h, r, "group") == format!("{t}/{s}"))
            .unwrap_or_else(|| panic!("no row {s}"));
        dec(col(&h, r, "principal"))
    };
    for (id, p) in PRINCIPALS {
        assert_eq!(principal(id), n_(p), "{id}");
    }
    assert_eq!(
        principal("russia") / n_(450_000_000) * Decimal::ONE_HUNDRED,
        dec("28.97136")
    );
    // The treaty's own unit: Haikwan taels, valued at Art. VI's 3.75 francs only with the book.
    assert_eq!(
        rows.iter()
            .filter(|r| col(&h, r, "unit") == "haikwan-tael")
            .count(),
        13
    );
    let francs = total(
        t,
        &["--prices", "boxer-parities"],
        "haikwan-silver",
        "owed_value_central",
    );
    assert_eq!(
        francs,
        total(t, &[], "haikwan-silver", "owed") * Decimal::new(375, 2)
    );
}

/// A `total` claim names a commodity and no `against`; each mistake is refused at its place.
#[test]
fn a_total_claim_is_checked_at_load() {
    use crate::common::{TREATY, folder};
    let claim = |body: &str| {
        format!(
            "{TREATY}\n[[claim]]\nid = \"sum\"\nstatement = \"S\"\ncompare = \"t\"\nunit = \"total\"\nvalue = \"1000\"\ntolerance = \"0\"\nsource = \"s\"\n{body}"
        )
    };
    for (body, says) in [
        ("", "a `total` claim needs `commodity`"),
        ("commodity = \"silvr\"\n", "unknown commodity `silvr`"),
        (
            "commodity = \"silver\"\nagainst = \"t\"\n",
            "a `total` claim is about one treaty's own figures, so it takes no `against`",
        ),
    ] {
        refused(&claim(body), says);
    }
    // Written right, it holds: 100 taels a year 1900–1909 is 1,000 taels.
    let text = claim("commodity = \"silver\"\n");
    let dir = folder(&[("t.toml", text.as_bytes())]);
    let report = crate::common::json(&[
        "--no-builtin",
        "--treaties",
        dir.path().to_str().unwrap(),
        "check",
    ]);
    let case = &report["claims"][0]["cases"][0];
    assert_eq!(case["result"], "holds", "{report}");
    assert_eq!(crate::common::d(&case["distance"]), Decimal::ZERO);
}

/// `check` of a folder holding `text` as t.toml exits 2 with `says` at a place in t.toml.
fn refused(text: &str, says: &str) {
    use crate::common::{folder, run, stderr};
    let dir = folder(&[("t.toml", text.as_bytes())]);
    let out = run(&[
        "--no-builtin",
        "--treaties",
        dir.path().to_str().unwrap(),
        "check",
    ]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{text}: {err}");
    assert!(err.contains(says), "{text}: {err}");
    assert!(err.contains("t.toml:"), "{text}: {err}");
}

/// The Customs table's exact shares are `share` claims: Russia's 130,371,120 of 450,000,000 is
/// 28.97136 % and Italy's 26,617,005 is 5.91489 %; both hold under the defaults. Under Foster's
/// Britain (50,712,795) the principals add to 450,092,250 and Russia's share is 130,371,120 ÷
/// 450,092,250, below the claim; the mirrors' Italy (32,940,000 of 456,322,995) does not hold.
#[test]
fn the_boxer_shares_are_claims_checked_at_load() {
    let report = crate::common::json(&["check"]);
    let claim = |id: &str| {
        report["claims"]
            .as_array()
            .expect("claims")
            .iter()
            .find(|c| c["treaty"] == "boxer-1901" && c["id"] == id)
            .unwrap_or_else(|| panic!("no claim {id}"))
            .clone()
    };
    let case = |c: &serde_json::Value, readings: &str| {
        c["cases"]
            .as_array()
            .expect("cases")
            .iter()
            .find(|k| k["a_readings"] == readings)
            .unwrap_or_else(|| panic!("no case {readings} in {c}"))
            .clone()
    };
    let russia = claim("russia-share");
    assert_eq!(russia["unit"], "share");
    assert_eq!(russia["of"], "principal");
    assert_eq!(
        crate::common::d(&russia["value"]),
        n_(130_371_120) / n_(450_000_000)
    );
    assert_eq!(case(&russia, "—")["result"], "holds");
    let foster = case(&russia, "reading=foster");
    assert_eq!(foster["result"], "does not hold");
    assert_eq!(
        crate::common::d(&foster["central"]),
        (n_(130_371_120) / n_(450_092_250)).round_dp(10)
    );
    let italy = claim("italy-share");
    assert_eq!(case(&italy, "—")["result"], "holds");
    let mirrors = case(&italy, "reading=liquisearch");
    assert_eq!(mirrors["result"], "does not hold");
    let total = n_(450_000_000) - n_(26_617_005) + n_(32_940_000);
    assert_eq!(
        crate::common::d(&mirrors["central"]),
        (n_(32_940_000) / total).round_dp(10)
    );
}

/// A `share` claim names one stream, a commodity and no `against` (its value may be a
/// percentage: the Boxer claims above are); `of` belongs to it alone.
#[test]
fn a_share_claim_is_checked_at_load() {
    use crate::common::{TREATY, folder};
    let claim = |compare: &str, body: &str| {
        format!(
            "{TREATY}\n[[claim]]\nid = \"part\"\nstatement = \"S\"\ncompare = \"{compare}\"\nvalue = \"1\"\ntolerance = \"0\"\nsource = \"s\"\n{body}"
        )
    };
    for (compare, body, says) in [
        (
            "t",
            "unit = \"share\"\ncommodity = \"silver\"\n",
            "a `share` claim is about one stream's share of its treaty",
        ),
        (
            "t/annual",
            "unit = \"share\"\n",
            "a `share` claim needs `commodity`",
        ),
        (
            "t/annual",
            "unit = \"share\"\ncommodity = \"silver\"\nof = \"interest\"\n",
            "unknown share basis `interest`",
        ),
        (
            "t/yearly",
            "unit = \"share\"\ncommodity = \"silver\"\n",
            "has no obligation `yearly`",
        ),
        (
            "t",
            "unit = \"total\"\ncommodity = \"silver\"\nof = \"owed\"\n",
            "`of` belongs to a `share` claim",
        ),
    ] {
        refused(&claim(compare, body), says);
    }
    // The treaty's one stream is all of its principal: 100 %.
    let text = claim("t/annual", "unit = \"share\"\ncommodity = \"silver\"\n");
    let dir = folder(&[("t.toml", text.as_bytes())]);
    let report = crate::common::json(&[
        "--no-builtin",
        "--treaties",
        dir.path().to_str().unwrap(),
        "check",
    ]);
    let case = &report["claims"][0]["cases"][0];
    assert_eq!(case["result"], "holds", "{report}");
    assert_eq!(crate::common::d(&case["central"]), Decimal::ONE);
}
