//! Loans tied to an indemnity (issue 10, item 3): an obligation may name its own payer and payee
//! (a loan's lenders), say which stream its proceeds paid (`finances`) and what the borrower
//! received (`received`); `total` then shows the indemnity, the loan's service, their sum (the
//! double debt) and the sum less the proceeds, apart and sourced. The figures are made up for the
//! test and worked out here by hand.

use rust_decimal::Decimal;

use crate::common::{col, csv_rows, d, dec, folder, json, ok, run, stderr};

const LENDERS: &str = "[[party]]\nid = \"Test lenders\"\nname = \"The test lenders\"\n";

/// 150 M francs in five instalments of 30 M, 1825–1829; a loan of 30 M face, 24 M received, served
/// by 1.8 M francs a year 1826–1850 (made-up service: 6 % interest on the face value, no
/// amortisation).
fn haiti() -> String {
    r#"name = "Test ordinance"
payer = "Haiti"
payee = "France"
signed = 1825
status = "in-force"
label = "indemnity"

[source.ordinance]
title = "The ordinance (test)"
quality = "A"

[source.bankers]
title = "The loan's prospectus (test)"
quality = "B"

[[obligation]]
id = "indemnity"
schedule = "installments"
from = 1825
count = 5
total = { franc = "150000000 franc" }
source = "ordinance"

[[obligation]]
id = "loan"
label = "loan"
payee = "Test lenders"
schedule = "recurring"
from = 1826
to = 1850
amounts = { franc = "1800000 franc" }
finances = "test-1825/indemnity"
received = { franc = "24000000 franc" }
source = "bankers"
"#
    .to_string()
}

fn corpus() -> tempfile::TempDir {
    corpus_of(&haiti())
}

/// A folder of the lenders' registry and `text` as the treaty file.
fn corpus_of(text: &str) -> tempfile::TempDir {
    folder(&[
        ("registry/lenders.toml", LENDERS.as_bytes()),
        ("test-1825.toml", text.as_bytes()),
    ])
}

#[test]
fn total_shows_the_indemnity_the_loan_and_the_double_debt_apart() {
    let dir = corpus();
    let d_ = dir.path().to_str().unwrap();
    let out = json(&[
        "--no-builtin",
        "--treaties",
        d_,
        "total",
        "--treaty",
        "test-1825",
    ]);
    let dd = &out["double_debts"];
    assert_eq!(dd.as_array().map(Vec::len), Some(1), "{out}");
    let row = &dd[0];
    let indemnity = Decimal::from(5 * 30_000_000i64);
    let service = Decimal::from(25 * 1_800_000i64); // 1826..=1850 is 25 years
    let received = Decimal::from(24_000_000);
    assert_eq!(d(&row["indemnity"]), indemnity);
    assert_eq!(d(&row["loan_service"]), service);
    assert_eq!(d(&row["double_debt"]), indemnity + service);
    assert_eq!(d(&row["received"]), received);
    assert_eq!(d(&row["less_proceeds"]), indemnity + service - received);
    assert_eq!(row["lenders"], "Test lenders");
    assert_eq!(row["creditor"], "France");
    assert_eq!(row["indemnity_sources"][0]["id"], "ordinance");
    assert_eq!(row["loan_sources"][0]["id"], "bankers");
    // The loan's own payee makes it its own group: it is never added to what France was owed.
    let (h, rows) = csv_rows(&ok(&[
        "--no-builtin",
        "--treaties",
        d_,
        "total",
        "--treaty",
        "test-1825",
        "--format",
        "csv",
    ]));
    let owed = |g: &str| {
        rows.iter()
            .find(|r| col(&h, r, "group") == g)
            .map(|r| dec(col(&h, r, "owed")))
    };
    assert_eq!(owed("Haiti → France"), Some(indemnity));
    assert_eq!(owed("Haiti → Test lenders"), Some(service));
    // The text names both, with their sources.
    let text = ok(&[
        "--no-builtin",
        "--treaties",
        d_,
        "total",
        "--treaty",
        "test-1825",
    ]);
    assert!(text.contains("Loans and the double debt"), "{text}");
    assert!(
        text.contains("lent by Test lenders to Haiti, paying test-1825/indemnity (owed to France)"),
        "{text}"
    );
    assert!(
        text.contains("indemnity ordinance (A); loan bankers (B)"),
        "{text}"
    );
}

#[test]
fn show_names_the_lenders_and_what_the_loan_paid() {
    let dir = corpus();
    let d_ = dir.path().to_str().unwrap();
    let text = ok(&["--no-builtin", "--treaties", d_, "show", "test-1825"]);
    assert!(text.contains("  owed by Haiti to Test lenders"), "{text}");
    assert!(
        text.contains("a loan whose proceeds paid test-1825/indemnity; received 24,000,000 franc"),
        "{text}"
    );
    let out = json(&["--no-builtin", "--treaties", d_, "show", "test-1825"]);
    let loan = out["streams"]
        .as_array()
        .and_then(|s| s.iter().find(|s| s["stream"] == "test-1825/loan"))
        .expect("the loan's stream");
    assert_eq!(loan["payee"], "Test lenders");
    assert_eq!(loan["finances"], "test-1825/indemnity");
    assert_eq!(d(&loan["received"]["franc"]), Decimal::from(24_000_000));
}

#[test]
fn a_range_counts_the_service_of_its_years_and_the_proceeds_only_with_the_first() {
    let dir = corpus();
    let d_ = dir.path().to_str().unwrap();
    let out = json(&[
        "--no-builtin",
        "--treaties",
        d_,
        "total",
        "--treaty",
        "test-1825",
        "--from",
        "1830",
    ]);
    let row = &out["double_debts"][0];
    assert_eq!(d(&row["indemnity"]), Decimal::ZERO);
    assert_eq!(d(&row["loan_service"]), Decimal::from(21 * 1_800_000i64)); // 1830..=1850
    assert_eq!(d(&row["received"]), Decimal::ZERO);
    // Without a loan there is no such block at all.
    let out = json(&["total", "--payee", "Liao"]);
    assert!(out.get("double_debts").is_none(), "{out}");
}

#[test]
fn bad_loan_keys_fail_at_their_place() {
    for (from, to, says) in [
        (
            "finances = \"test-1825/indemnity\"",
            "finances = \"test-1825\"",
            "`finances` names a treaty (`test-1825`), not one obligation",
        ),
        (
            "finances = \"test-1825/indemnity\"",
            "finances = \"test-1825/indemnty\"",
            "has no obligation `indemnty`",
        ),
        (
            "finances = \"test-1825/indemnity\"\n",
            "",
            "`received` is what a loan's borrower received, but this obligation names no `finances`",
        ),
        (
            "payee = \"Test lenders\"",
            "payee = \"Test lendrs\"",
            "Test lenders",
        ),
    ] {
        let dir = corpus_of(&haiti().replace(from, to));
        let out = run(&[
            "--no-builtin",
            "--treaties",
            dir.path().to_str().unwrap(),
            "total",
        ]);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{to}: {err}");
        assert!(err.contains(says), "{to}: {err}");
        assert!(err.contains("test-1825.toml:"), "{to}: {err}");
    }
}

/// A loan served as an annuity splits its service into principal and interest: 30 M face at 6 %
/// repaid in one payment a year later is 30 M of principal and 1.8 M of interest.
#[test]
fn an_annuity_loan_splits_its_service_into_principal_and_interest() {
    let text = haiti().replace(
        "schedule = \"recurring\"\nfrom = 1826\nto = 1850\namounts = { franc = \"1800000 franc\" }",
        "schedule = \"annuity\"\nprincipal = { franc = \"30000000 franc\" }\nrate = \"0.06\"\nper-year = 1\nperiods = 1\nfirst = 1826-01-01\nrounding = \"each-payment\"\nplaces = 2",
    );
    assert!(text.contains("annuity"));
    let dir = corpus_of(&text);
    let d_ = dir.path().to_str().unwrap();
    let out = json(&[
        "--no-builtin",
        "--treaties",
        d_,
        "total",
        "--treaty",
        "test-1825",
    ]);
    let row = &out["double_debts"][0];
    let interest = Decimal::from(30_000_000) * Decimal::new(6, 2);
    assert_eq!(interest, Decimal::from(1_800_000));
    assert_eq!(d(&row["loan_interest"]), interest);
    assert_eq!(d(&row["loan_principal"]), Decimal::from(30_000_000));
    assert_eq!(
        d(&row["loan_service"]),
        Decimal::from(30_000_000) + interest
    );
}

/// The built-in Haiti case: the 1825 indemnity, 150 M in five instalments of 30 M, and the 1825
/// loan (Ardouin t.10 pp.36–37): 30 M face at 80 (24 M received), 25 yearly drawings of 1.2 M
/// and 6 % a year on what is outstanding, i.e. 0.06 × 1.2 M × (25 + 24 + … + 1) of interest.
#[test]
fn haiti_shows_the_indemnity_the_1825_loan_and_the_double_debt() {
    let out = json(&["total", "--treaty", "haiti-france-1825"]);
    let dd = out["double_debts"].as_array().expect("double debts");
    assert_eq!(dd.len(), 1, "{out}");
    let row = &dd[0];
    let n = |v: i64| Decimal::from(v);
    let indemnity = n(5) * n(30_000_000);
    let interest = Decimal::new(6, 2) * n(1_200_000) * n((1..=25).sum::<i64>());
    assert_eq!(interest, n(23_400_000));
    let service = n(30_000_000) + interest;
    assert_eq!(row["loan"], "haiti-loan-1825/service");
    assert_eq!(row["lenders"], "Ternaux Gandolphe");
    assert_eq!(d(&row["indemnity"]), indemnity);
    assert_eq!(d(&row["loan_service"]), service);
    assert_eq!(d(&row["loan_interest"]), interest);
    assert_eq!(d(&row["double_debt"]), indemnity + service);
    assert_eq!(d(&row["received"]), n(24_000_000));
    assert_eq!(
        d(&row["less_proceeds"]),
        indemnity + service - n(24_000_000)
    );
    assert!(
        row["loan_sources"]
            .as_array()
            .is_some_and(|s| s.iter().any(|s| s["id"] == "ardouin-t10")),
        "{row}"
    );
}
