//! Issue 10, item 4: present and accumulated value (`total --accumulate/--discount --to-year`).
//!
//! Expected figures come from outside the program: a hand-checked case worked with exact powers
//! of 1.05 here, and numpy-financial's `fv`/`pv` (PyPI `numpy-financial`, installed by `.ci/run`)
//! on seeded random cases. Outside CI a missing numpy-financial is reported on standard error as
//! SKIPPED for the random cases; with CI=true it fails.

use std::process::{Command, Stdio};

use rust_decimal::Decimal;

use crate::common::{d, dec, folder, json, ok, run, stderr};

/// A treaty of `amount` francs a year from `from` for `count` years, delivered as owed (so every
/// payment is assumed) or not at all.
fn treaty(id: &str, from: i32, count: u32, amount: &str, as_owed: bool) -> String {
    let delivery = if as_owed {
        "delivery = \"as-owed\"\nground = \"A test fixture: assumed paid as owed.\"\n"
    } else {
        "delivery = \"none\"\n"
    };
    format!(
        "name = \"{id}\"\npayer = \"Haiti\"\npayee = \"France\"\nsigned = {from}\nstatus = \"in-force\"\nlabel = \"indemnity\"\nsources = [\"wikipedia-haiti-debt\"]\n\n[[obligation]]\nid = \"pay\"\nschedule = \"recurring\"\nfrom = {from}\nto = {to}\namounts = {{ franc = \"{amount} franc\" }}\nsource = \"wikipedia-haiti-debt\"\n{delivery}",
        to = from + count as i32 - 1
    )
}

/// `1.05^k`, exactly (105^k / 100^k; k ≤ 13 stays within 28 digits).
fn pow105(k: u32) -> Decimal {
    let mut p = Decimal::ONE;
    for _ in 0..k {
        p = p.checked_mul(Decimal::new(105, 2)).expect("exact");
    }
    p
}

fn cents(x: Decimal) -> Decimal {
    x.round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointNearestEven)
}

fn worth_of(args: &[&str]) -> serde_json::Value {
    let v = json(args);
    v["worth"].clone()
}

#[test]
fn haiti_1825_instalments_accumulated_at_5_percent_to_1838_by_hand() {
    // 30,000,000 francs owed in each of 1825–1829: at 1838 each is 30 M × 1.05^(1838 − y),
    // exponents 13, 12, 11, 10, 9.
    let thirty = Decimal::new(30_000_000, 0);
    let mut owed = Decimal::ZERO;
    for k in 9..=13 {
        owed += thirty * pow105(k);
    }
    // The recorded 29,300,000 (Ardouin reading) placed in 1825: 13 years.
    let recorded = Decimal::new(29_300_000, 0) * pow105(13);
    let w = worth_of(&[
        "total",
        "--treaty",
        "haiti-france-1825",
        "--accumulate",
        "0.05",
        "--to-year",
        "1838",
    ]);
    assert_eq!(w["mode"], "accumulate");
    assert_eq!(w["to_year"], 1838);
    assert!(w["compounding"].as_str().unwrap().contains("(1+r)^(Y − y)"));
    assert!(w["rounding"].as_str().unwrap().contains("half to even"));
    let at = w["at"].as_array().unwrap();
    assert_eq!(at.len(), 3, "low, central and high, even for a point rate");
    for a in at {
        let row = &a["rows"][0];
        assert_eq!(row["commodity"], "franc");
        assert_eq!(row["unit"], "franc");
        // 1.05^13 = 1.88564914232323… ; the program rounds factors to 12 places, so allow a cent.
        assert!((d(&row["owed"]["central"]) - cents(owed)).abs() <= Decimal::new(1, 2));
        assert!((d(&row["recorded"]["central"]) - cents(recorded)).abs() <= Decimal::new(1, 2));
        assert_eq!(
            d(&row["assumed"]["central"]),
            Decimal::ZERO,
            "nothing assumed"
        );
    }
    // By hand, independently: 30 M × 1.05^9 × (1.05^5 − 1) / 0.05 = 257,162,030.08….
    assert_eq!(cents(owed), dec("257162030.08"));
}

#[test]
fn discounting_to_1825_and_a_range_of_rates_shows_the_spread() {
    let thirty = Decimal::new(30_000_000, 0);
    let w = worth_of(&[
        "total",
        "--treaty",
        "haiti-france-1825",
        "--discount",
        "0.04..0.06",
        "--to-year",
        "1825",
    ]);
    assert_eq!(w["mode"], "discount");
    let rate = &w["rate"];
    assert_eq!(
        (d(&rate["low"]), d(&rate["central"]), d(&rate["high"])),
        (dec("0.04"), dec("0.05"), dec("0.06"))
    );
    // At 5 %: Σ 30 M / 1.05^k for k = 0..4, by hand: 30 M × (1 + 1/1.05 + … + 1/1.05^4).
    let mut by_hand = Decimal::ZERO;
    for k in 0..=4u32 {
        by_hand += (thirty / pow105(k)).round_dp(6);
    }
    let at = w["at"].as_array().unwrap();
    let owed = |i: usize| d(&at[i]["rows"][0]["owed"]["central"]);
    assert!(
        (owed(1) - cents(by_hand)).abs() <= Decimal::new(2, 2),
        "{} vs {}",
        owed(1),
        by_hand
    );
    // A higher discount rate, a lower present value: the spread runs the other way.
    assert!(owed(0) > owed(1) && owed(1) > owed(2));
    // The CSV envelope: lowest and highest over the three rates.
    let csv = ok(&[
        "total",
        "--treaty",
        "haiti-france-1825",
        "--discount",
        "0.04..0.06",
        "--to-year",
        "1825",
        "--format",
        "csv",
    ]);
    let (h, rows) = crate::common::csv_rows(&csv);
    let col = |k| dec(crate::common::col(&h, &rows[0], k));
    assert_eq!(col("owed_worth_low"), owed(2));
    assert_eq!(col("owed_worth_central"), owed(1));
    assert_eq!(col("owed_worth_high"), owed(0));
}

#[test]
fn worth_needs_a_year_and_a_rate_and_names_what_is_wrong() {
    let out = run(&["total", "--accumulate", "0.05"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let out = run(&["total", "--to-year", "1838"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("--accumulate or --discount"),
        "{}",
        stderr(&out)
    );
    let out = run(&["total", "--discount", "0.06..0.04", "--to-year", "1838"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("low ≤ central ≤ high"),
        "{}",
        stderr(&out)
    );
    // 1.05^1000 is far beyond 28 digits: an error naming the years, not a panic or a wrap.
    let out = run(&[
        "total",
        "--payer",
        "Song",
        "--accumulate",
        "0.05",
        "--to-year",
        "2026",
    ]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("to 2026 needs a factor beyond"),
        "{}",
        stderr(&out)
    );
    let out = run(&[
        "total",
        "--accumulate",
        "no-such-series",
        "--to-year",
        "1838",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("no rate series `no-such-series`"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_rate_series_compounds_year_by_year_and_a_gap_is_an_error() {
    let series = "name = \"Test growth\"\nparty = \"Haiti\"\nmeasure = \"growth-rate\"\nunit = \"ratio\"\nsources = [\"wikipedia-haiti-debt\"]\n\n[[point]]\nyear = 1825\nto = 1826\nvalue = \"0.10\"\nsource = \"wikipedia-haiti-debt\"\n\n[[point]]\nyear = 1827\nvalue = \"-0.5\"\nlow = \"-0.6\"\nhigh = \"-0.4\"\nsource = \"wikipedia-haiti-debt\"\n";
    let t = treaty("worth-series", 1825, 1, "1000", true);
    let dir = folder(&[
        ("context/test-growth.toml", series.as_bytes()),
        ("worth-series.toml", t.as_bytes()),
    ]);
    let p = dir.path().to_str().unwrap();
    let w = worth_of(&[
        "total",
        "--treaties",
        p,
        "--treaty",
        "worth-series",
        "--accumulate",
        "test-growth",
        "--to-year",
        "1828",
    ]);
    // 1000 paid in 1825 → 1828: × 1.10 (1825) × 1.10 (1826) × (1 + g_1827).
    let at = w["at"].as_array().unwrap();
    let assumed = |i: usize| d(&at[i]["rows"][0]["assumed"]["central"]);
    assert_eq!(assumed(0), dec("484")); // 1210 × 0.4
    assert_eq!(assumed(1), dec("605")); // 1210 × 0.5
    assert_eq!(assumed(2), dec("726")); // 1210 × 0.6
    assert_eq!(w["rate_series"]["id"], "test-growth");
    // 1829 needs g_1828, which the series lacks: an error naming the year and the coverage.
    let out = run(&[
        "total",
        "--treaties",
        p,
        "--treaty",
        "worth-series",
        "--accumulate",
        "test-growth",
        "--to-year",
        "1829",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let e = stderr(&out);
    assert!(e.contains("has no rate for 1828"), "{e}");
    assert!(e.contains("1825–1827"), "{e}");
}

/// A tiny seeded generator (xorshift), so the cases are the same on every run.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn numpy_financial() -> bool {
    let found = Command::new("python3")
        .args(["-c", "import numpy_financial"])
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !found {
        assert!(
            std::env::var("CI").is_err(),
            "numpy-financial is not installed, and CI must install it (.ci/run)"
        );
        eprintln!("SKIPPED: numpy-financial is not installed, so the fv/pv oracle did not run");
    }
    found
}

#[test]
fn accumulate_and_discount_agree_with_numpy_financial_fv_and_pv() {
    if !numpy_financial() {
        return;
    }
    let mut rng = Rng(0x5EED_2026_0010);
    struct Case {
        from: i32,
        count: u32,
        amount: String,
        rate: String,
        to: i32,
        discount: bool,
    }
    let mut cases = Vec::new();
    let mut files = Vec::new();
    for i in 0..24 {
        let from = 1800 + rng.below(60) as i32;
        let count = 1 + rng.below(12) as u32;
        let amount = format!("{}", 1 + rng.below(50_000_000));
        let rate = format!("0.{:04}", 1 + rng.below(1200)); // 0.0001 … 0.1200
        // The year: before, inside or after the payments.
        let to = from - 10 + rng.below(u64::from(count) + 30) as i32;
        let discount = i % 2 == 1;
        files.push((
            format!("worth-{i}.toml"),
            treaty(&format!("worth-{i}"), from, count, &amount, true),
        ));
        cases.push(Case {
            from,
            count,
            amount,
            rate,
            to,
            discount,
        });
    }
    let refs: Vec<(&str, &[u8])> = files
        .iter()
        .map(|(n, t)| (n.as_str(), t.as_bytes()))
        .collect();
    let dir = folder(&refs);
    let p = dir.path().to_str().unwrap();
    // numpy-financial, all cases in one Python run: per case, the sum over payment years of
    // fv(r, Y − y, 0, −A) for y ≤ Y and pv(r, y − Y, 0, −A) for y > Y.
    let mut script = String::from("import numpy_financial as npf\n");
    for c in &cases {
        script.push_str(&format!(
            "s = 0.0\nfor y in range({f}, {l}):\n    s += npf.fv({r}, {t} - y, 0, -{a}) if y <= {t} else npf.pv({r}, y - {t}, 0, -{a})\nprint(repr(float(s)))\n",
            f = c.from,
            l = c.from + c.count as i32,
            r = c.rate,
            t = c.to,
            a = c.amount
        ));
    }
    let out = Command::new("python3")
        .args(["-c", &script])
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let oracle: Vec<f64> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| l.parse().unwrap())
        .collect();
    for (i, (c, want)) in cases.iter().zip(oracle).enumerate() {
        let flag = if c.discount {
            "--discount"
        } else {
            "--accumulate"
        };
        let id = format!("worth-{i}");
        let to = c.to.to_string();
        let w = worth_of(&[
            "total",
            "--treaties",
            p,
            "--treaty",
            &id,
            flag,
            &c.rate,
            "--to-year",
            &to,
        ]);
        let got = d(&w["at"][1]["rows"][0]["assumed"]["central"]);
        let got: f64 = got.to_string().parse().unwrap();
        // numpy works in binary floats; ours rounds factors to 12 places and values to cents.
        let tol = 0.011 + want.abs() * 1e-9;
        assert!(
            (got - want).abs() <= tol,
            "case {i} ({} × {} from {}, {flag} {} to {}): tribute {got}, numpy-financial {want}",
            c.amount,
            c.count,
            c.from,
            c.rate,
            c.to
        );
    }
}

/// `x / y` to 20 places (for by-hand figures).
fn div(x: Decimal, y: Decimal) -> Decimal {
    x.checked_div(y).expect("a quotient").round_dp(20)
}

#[test]
fn a_derived_book_values_francs_in_dollars_of_1838_through_cpi_and_exchange_rate() {
    // By hand from the series (history.md §8; us-cpi and franc-dollar): francs of year y in
    // dollars of 1838 = amount / fx(y) × CPI(1838) / CPI(y), CPI(1838) = 32.
    // 1825: fx 5.43, CPI 34; 1826–1829: fx 5.21 (5.18–5.24), CPI 34, 34, 33, 32.
    let thirty = Decimal::new(30_000_000, 0);
    let cpi = [
        ("1825", 34),
        ("1826", 34),
        ("1827", 34),
        ("1828", 33),
        ("1829", 32),
    ];
    let at = |fx_later: &str| -> Decimal {
        cpi.iter()
            .map(|(y, c)| {
                let fx = if *y == "1825" {
                    dec("5.43")
                } else {
                    dec(fx_later)
                };
                div(thirty * Decimal::new(32, 0), fx * Decimal::new(*c, 0))
            })
            .sum::<Decimal>()
    };
    let central = at("5.21");
    let low = at("5.24");
    let high = at("5.18");
    let v = json(&[
        "total",
        "--treaty",
        "haiti-france-1825",
        "--prices",
        "franc-usd-1838",
    ]);
    let row = &v["rows"][0];
    let owed = &row["owed_value"];
    let close = |got: &serde_json::Value, want: Decimal| {
        // Rates are rounded to 10 places (bounds outward, by up to one unit in the last place):
        // 5 payments of 30 M move by at most 5 × 30 M × 10^-10 = 0.015.
        assert!(
            (d(got) - want).abs() <= Decimal::new(15, 3),
            "{got} vs {want}"
        );
    };
    close(&owed["central"], central);
    close(&owed["low"], low);
    close(&owed["high"], high);
    // The recorded 29,300,000 of 1825: 29.3 M × 32 / (5.43 × 34), a point (no range in 1825).
    let rec = div(Decimal::new(29_300_000 * 32, 0), dec("184.62"));
    close(&row["recorded_value"]["central"], rec);
    close(&row["recorded_value"]["low"], rec);
    // The formula and the series, with their sources, ride with the values.
    let derived = &v["prices"]["derived"];
    assert!(
        derived["formula"]
            .as_str()
            .unwrap()
            .contains("CPI(T) / (fx(y) × CPI(y))")
    );
    assert_eq!(derived["target_year"], 1838);
    assert_eq!(derived["index"]["id"], "us-cpi");
    assert_eq!(derived["index"]["coverage"], "1800–2024");
    assert_eq!(derived["exchange"]["id"], "franc-dollar");
    assert_eq!(derived["exchange"]["sources"][0], "bulmer-thomas-fx");
    assert_eq!(derived["priced_years"], "1825–1899");
    let text = ok(&[
        "total",
        "--treaty",
        "haiti-france-1825",
        "--prices",
        "franc-usd-1838",
    ]);
    assert!(
        text.contains("Derived from series: rate(y) = CPI(T) / (fx(y) × CPI(y))"),
        "{text}"
    );
    assert!(text.contains("minneapolis-fed-cpi"), "{text}");
}

#[test]
fn derived_books_price_only_the_years_both_series_cover_and_refuse_a_missing_target() {
    // A payment in 1900: the exchange-rate series stops at 1899, so it is unpriced and listed.
    let t = treaty("worth-1900", 1900, 1, "1000", true);
    let book = "name = \"B\"\nnumeraire = \"US dollar of 2030\"\nsources = [\"minneapolis-fed-cpi\"]\n\n[derive]\ncommodity = \"franc\"\nindex = \"us-cpi\"\nexchange = \"franc-dollar\"\ntarget_year = 2030\n";
    let dir = folder(&[("worth-1900.toml", t.as_bytes())]);
    let p = dir.path().to_str().unwrap();
    let v = json(&[
        "total",
        "--treaties",
        p,
        "--treaty",
        "worth-1900",
        "--prices",
        "franc-usd-2024",
    ]);
    assert_eq!(d(&v["rows"][0]["unpriced_owed"]), dec("1000"));
    assert_eq!(d(&v["rows"][0]["owed_value"]["central"]), Decimal::ZERO);
    // A target year outside the index: the book does not load, and the error names the gap.
    let bad = folder(&[("prices/b.toml", book.as_bytes())]);
    let out = run(&["check", "--treaties", bad.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let e = stderr(&out);
    assert!(e.contains("no figure for the target year 2030"), "{e}");
    assert!(e.contains("1800–2024"), "{e}");
    assert!(e.contains("b.toml:9:"), "{e}");
}

#[test]
fn worth_with_a_derived_book_adds_into_one_unit_and_rate_zero_is_the_plain_value() {
    let plain = json(&[
        "total",
        "--treaty",
        "haiti-france-1825",
        "--prices",
        "franc-usd-1838",
    ]);
    let w = worth_of(&[
        "total",
        "--treaty",
        "haiti-france-1825",
        "--prices",
        "franc-usd-1838",
        "--accumulate",
        "0",
        "--to-year",
        "1838",
    ]);
    let g = &w["at"][1]["by_group"][0];
    for bound in ["low", "central", "high"] {
        let want = d(&plain["value_by_group"][0]["owed"][bound]).round_dp(2);
        assert_eq!(d(&g["owed"][bound]), want, "{bound}");
    }
    assert_eq!(w["prices"], "franc-usd-1838");
    assert_eq!(w["at"][1]["rows"][0]["unit"], "US dollar of 1838");
}

#[test]
fn readings_still_apply_to_worth() {
    // Gentil & Chauvet: only 20,000,000 francs paid by 1838 (placed in 1825): 20 M × 1.05^13.
    let w = worth_of(&[
        "total",
        "--treaty",
        "haiti-france-1825",
        "--reading",
        "gentil-chauvet",
        "--accumulate",
        "0.05",
        "--to-year",
        "1838",
    ]);
    let want = cents(Decimal::new(20_000_000, 0) * pow105(13));
    let got = d(&w["at"][1]["rows"][0]["recorded"]["central"]);
    assert!((got - want).abs() <= Decimal::new(1, 2), "{got} vs {want}");
}

#[test]
fn compare_gives_each_sides_worth_at_the_year() {
    let v = json(&[
        "compare",
        "haiti-france-1838",
        "--against",
        "haiti-france-1825",
        "--ratio",
        "--accumulate",
        "0.05",
        "--to-year",
        "1838",
    ]);
    // B: the 1825 instalments, as in `total` (by hand above: 257,162,030.08).
    let b = &v["worth"]["b"]["at"][1]["rows"][0];
    assert_eq!(b["group"], "haiti-france-1825");
    assert_eq!(d(&b["owed"]["central"]), dec("257162030.08"));
    // A: the 1838 settlement's 60 M in 30 instalments of 2 M, 1838–1867, discounted back to 1838:
    // 2 M × Σ 1/1.05^k for k = 0..29, by hand.
    let mut by_hand = Decimal::ZERO;
    let mut p = Decimal::ONE;
    for _ in 0..30 {
        by_hand += (Decimal::new(2_000_000, 0) / p).round_dp(8);
        p = p.checked_mul(dec("1.05")).unwrap();
    }
    let a = &v["worth"]["a"]["at"][1]["rows"][0];
    assert_eq!(a["group"], "haiti-france-1838");
    let got = d(&a["owed"]["central"]);
    assert!(
        (got - cents(by_hand)).abs() <= Decimal::new(2, 2),
        "{got} vs {by_hand}"
    );
    // The comparison itself is unchanged: nominal totals.
    assert_eq!(d(&v["per_commodity"][0]["result"]), dec("0.4"));
    let out = run(&[
        "compare",
        "haiti-france-1838",
        "--against",
        "haiti-france-1825",
        "--all-books",
        "--accumulate",
        "0.05",
        "--to-year",
        "1838",
    ]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
}
