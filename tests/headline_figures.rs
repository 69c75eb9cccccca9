//! Issue 2, "done when": the headline figures, computed here by hand from the source figures in
//! `../shared/data/history.md` (never copied from the program's output).

use rust_decimal::Decimal;

use crate::common::{col, csv_rows, dec, ok};

fn d(n: i64) -> Decimal {
    Decimal::from(n)
}

/// Song → Liao silver and silk to 1121: 100,000 + 200,000 a year from 1005 (Bielenstein p.563),
/// raised by 100,000 each from 1042 (p.582).
#[test]
fn song_to_liao_totals_to_1121() {
    let before_1042 = d(1042 - 1005); // 37 payments, 1005..=1041
    let from_1042 = d(1121 - 1042 + 1); // 80 payments, 1042..=1121
    let silver = before_1042 * d(100_000) + from_1042 * d(200_000);
    let silk = before_1042 * d(200_000) + from_1042 * d(300_000);
    assert_eq!(
        (silver, silk),
        (d(19_700_000), d(31_400_000)),
        "the issue's own figures"
    );

    let (h, rows) = csv_rows(&ok(&[
        "total", "--payer", "Song", "--payee", "Liao", "--to", "1121", "--format", "csv",
    ]));
    let get = |c: &str| {
        rows.iter()
            .find(|r| col(&h, r, "commodity") == c)
            .map(|r| dec(col(&h, r, "owed")))
            .unwrap()
    };
    assert_eq!(get("silver"), silver);
    assert_eq!(get("silk"), silk);
    assert_eq!(rows.len(), 2, "only silver and silk were paid to the Liao");
    for r in &rows {
        assert_eq!(
            col(&h, r, "unit"),
            if col(&h, r, "commodity") == "silver" {
                "tael"
            } else {
                "bolt"
            }
        );
        assert_eq!(
            col(&h, r, "owed"),
            col(&h, r, "assumed"),
            "no Liao year was suspended, and every year is assumed paid"
        );
        assert_eq!(col(&h, r, "recorded"), "0", "no Liao payment is recorded");
    }
}

/// The ledger of Song → Jin: a row for every year 1123–1234, owed and delivered per commodity,
/// suspensions owed but not delivered, nothing owed from 1224.
#[test]
fn song_to_jin_ledger() {
    let (h, rows) = csv_rows(&ok(&[
        "ledger", "--payer", "Song", "--payee", "Jin", "--format", "csv",
    ]));
    let years: Vec<i32> = rows
        .iter()
        .map(|r| col(&h, r, "year").parse().unwrap())
        .collect();
    assert_eq!(years, (1123..=1234).collect::<Vec<_>>());
    for c in ["silver_tael", "silk_bolt"] {
        for k in [
            "owed",
            "recorded",
            "assumed",
            "arrears",
            "cum_owed",
            "cum_recorded",
            "cum_assumed",
        ] {
            assert!(
                h.contains(&format!("{c}_{k}")),
                "missing column {c}_{k} in {h:?}"
            );
        }
    }
    let row = |y: i32| &rows[(y - 1123) as usize];
    let owed = |y: i32| dec(col(&h, row(y), "silver_tael_owed"));
    let delivered = |y: i32| dec(col(&h, row(y), "silver_tael_assumed"));
    // War years (Bielenstein p.666) and the Song's stop of payments from 1214.
    let suspended: Vec<i32> = (1161..=1164)
        .chain(1205..=1207)
        .chain(1214..=1223)
        .collect();
    for &y in &suspended {
        assert!(owed(y) > Decimal::ZERO, "{y} should be owed");
        assert_eq!(delivered(y), Decimal::ZERO, "{y} should not be delivered");
        assert!(
            col(&h, row(y), "notes").contains("suspended"),
            "{y} should say it was suspended"
        );
    }
    for y in 1224..=1234 {
        for c in ["silver_tael_owed", "silk_bolt_owed", "cash_string_owed"] {
            assert_eq!(dec(col(&h, row(y), c)), Decimal::ZERO, "{c} owed in {y}");
        }
    }
    // Years: Shaoxing 250,000 (1142–1164), Longxing 200,000 (1165–1207), Jiading 300,000 (1208–1223).
    assert_eq!(owed(1142), d(250_000));
    assert_eq!(owed(1165), d(200_000));
    assert_eq!(
        owed(1208),
        d(300_000) + d(3_000_000),
        "the annual 300,000 plus the one-time army reward"
    );
    assert_eq!(owed(1209), d(300_000));
    // No treaty between the fall of Kaifeng and Shaoxing.
    for y in 1127..=1141 {
        assert_eq!(owed(y), Decimal::ZERO, "{y}");
    }
    // Cumulative owed is the running sum of owed.
    let mut running = Decimal::ZERO;
    for r in &rows {
        running += dec(col(&h, r, "silver_tael_owed"));
        assert_eq!(dec(col(&h, r, "silver_tael_cum_owed")), running);
    }
    // By hand: 1123–1125 200,000; 1126 300,000; Shaoxing 23 × 250,000; Longxing 59 × 200,000;
    // Jiading +16 × 100,000; the 1208 reward 3,000,000.
    let by_hand = d(3) * d(200_000)
        + d(300_000)
        + d(23) * d(250_000)
        + d(59) * d(200_000)
        + d(16) * d(100_000)
        + d(3_000_000);
    assert_eq!(running, by_hand);
    // Assumed: less the suspended years (4 × 250,000, 3 × 200,000, 10 × 300,000) and 1126,
    // whose delivery is unknown. Nothing of it is recorded.
    let delivered_by_hand =
        by_hand - d(4) * d(250_000) - d(3) * d(200_000) - d(10) * d(300_000) - d(300_000);
    assert_eq!(
        dec(col(&h, row(1234), "silver_tael_cum_assumed")),
        delivered_by_hand
    );
    assert_eq!(
        dec(col(&h, row(1234), "silver_tael_cum_recorded")),
        Decimal::ZERO
    );
}

/// `--reading article` switches the 1208 increase from +100,000 to +50,000 and the war
/// suspension from 1205–1207 to 1206–1207; the totals follow.
#[test]
fn a_reading_switches_the_1208_figures_and_the_totals_follow() {
    let ledger = |extra: &[&str]| {
        let mut args = vec![
            "ledger", "--payer", "Song", "--payee", "Jin", "--from", "1205", "--to", "1209",
            "--format", "csv",
        ];
        args.extend_from_slice(extra);
        csv_rows(&ok(&args))
    };
    let (h, default) = ledger(&[]);
    let (_, article) = ledger(&["--reading", "article"]);
    let silk = |rows: &[Vec<String>], y: i32, k: &str| dec(col(&h, &rows[(y - 1205) as usize], k));
    assert_eq!(
        silk(&default, 1209, "silk_bolt_owed"),
        d(200_000) + d(100_000)
    );
    assert_eq!(
        silk(&article, 1209, "silk_bolt_owed"),
        d(200_000) + d(50_000)
    );
    assert_eq!(
        silk(&default, 1205, "silk_bolt_assumed"),
        Decimal::ZERO,
        "Bielenstein: war from 1205"
    );
    assert_eq!(
        silk(&article, 1205, "silk_bolt_assumed"),
        d(200_000),
        "the article: war from 1206"
    );

    let total = |extra: &[&str]| {
        let mut args = vec![
            "total",
            "--payer",
            "Southern Song",
            "--payee",
            "Jin",
            "--format",
            "csv",
        ];
        args.extend_from_slice(extra);
        let (h, rows) = csv_rows(&ok(&args));
        let silk = rows
            .iter()
            .find(|r| col(&h, r, "commodity") == "silk")
            .unwrap();
        (dec(col(&h, silk, "owed")), dec(col(&h, silk, "assumed")))
    };
    let (owed_default, delivered_default) = total(&[]);
    let (owed_article, delivered_article) = total(&["--reading", "article"]);
    // 1208–1223 is 16 payments of the increase.
    assert_eq!(owed_default - owed_article, d(16) * d(50_000));
    // Delivered also gains 1205 (200,000 delivered under the article) and loses the increase in the
    // six delivered Jiading years 1208–1213.
    assert_eq!(
        delivered_article - delivered_default,
        d(200_000) - d(6) * d(50_000)
    );
}

/// `--payer Song` covers the Northern and the Southern Song, in one group named as asked.
#[test]
fn song_matches_both_eras() {
    let all = csv_rows(&ok(&[
        "total", "--payer", "Song", "--payee", "Jin", "--format", "csv",
    ]))
    .1;
    let groups: std::collections::BTreeSet<String> = all.iter().map(|r| r[0].clone()).collect();
    assert_eq!(groups.into_iter().collect::<Vec<_>>(), vec!["Song → Jin"]);
    let north = csv_rows(&ok(&[
        "total",
        "--payer",
        "Northern Song",
        "--payee",
        "Jin",
        "--format",
        "csv",
    ]))
    .1;
    assert!(north.iter().all(|r| r[0] == "Northern Song → Jin"));
}
