//! Issue 10: principal and interest in the reports. Tables for people show the two columns only
//! where some row has interest (the Song tables stay as they were); csv and json always carry
//! them; a column asked for by name is shown; the ledger splits each year's payment. Figures by
//! hand from the terms of docs/debts/boxer-annuity-example.toml.

use crate::common::{col, csv_rows, dec, ok, root};

fn debts() -> String {
    root().join("docs/debts").display().to_string()
}

#[test]
fn tables_show_principal_and_interest_only_for_debts() {
    let song = ok(&["total", "--payee", "Liao"]);
    assert!(
        !song.contains("principal") && !song.contains("interest"),
        "{song}"
    );
    let (header, rows) = csv_rows(&ok(&["total", "--payee", "Liao", "--format", "csv"]));
    for r in &rows {
        // No interest: all of what was owed is principal.
        assert_eq!(col(&header, r, "principal"), col(&header, r, "owed"));
        assert_eq!(col(&header, r, "interest"), "0");
    }
    let asked = ok(&["total", "--payee", "Liao", "--columns", "interest"]);
    assert!(asked.contains("interest"), "{asked}");

    let boxer = ok(&[
        "--treaties",
        &debts(),
        "total",
        "--treaty",
        "boxer-annuity-example",
    ]);
    assert!(
        boxer.contains("principal") && boxer.contains("interest"),
        "{boxer}"
    );
    // 39 × 22,977,372.33 less the principal of 450,000,000.
    assert!(boxer.contains("446,117,520.87"), "{boxer}");
    assert!(
        boxer.contains("Rounding (boxer-annuity-example/indemnity): each payment"),
        "{boxer}"
    );
}

#[test]
fn the_ledger_splits_each_years_payment() {
    let text = ok(&[
        "--treaties",
        &debts(),
        "ledger",
        "--treaty",
        "boxer-annuity-example",
        "--to",
        "1903",
        "--format",
        "csv",
    ]);
    let (header, rows) = csv_rows(&text);
    // 1902: 4% of 450,000,000 is 18,000,000 interest; the rest of 22,977,372.33 is principal.
    assert_eq!(
        dec(col(
            &header,
            &rows[0],
            "haikwan-silver_haikwan-tael_interest"
        )),
        dec("18000000")
    );
    assert_eq!(
        dec(col(
            &header,
            &rows[0],
            "haikwan-silver_haikwan-tael_principal"
        )),
        dec("4977372.33")
    );
    // 1903: 4% of the balance 445,022,627.67 is 17,800,905.1068, rounded half to even to the cent.
    assert_eq!(
        dec(col(
            &header,
            &rows[1],
            "haikwan-silver_haikwan-tael_interest"
        )),
        dec("17800905.11")
    );
    let people = ok(&[
        "--treaties",
        &debts(),
        "ledger",
        "--treaty",
        "boxer-annuity-example",
        "--to",
        "1903",
    ]);
    assert!(people.contains("silver principal"), "{people}");
}
