//! Tests of the interest-bearing kinds loaded from treaty files, through the loader and the
//! engine: the figures are computed by hand in each test from the file's terms.

use rust_decimal::Decimal;

use crate::corpus::Corpus;
use crate::engine::{GroupBy, Query, Totals};
use crate::model::Status;
use crate::plugin::{Layer, PluginFile};
use crate::resolve::{Readings, Resolved};

fn corpus(obligation: &str) -> Result<Corpus, Vec<crate::Error>> {
    let text = format!(
        "name = \"A debt test\"\npayer = \"France\"\npayee = \"Germany\"\nsigned = 1871\n\
         status = \"in-force\"\nlabel = \"indemnity\"\n\n[source.s]\ntitle = \"test\"\n\
         quality = \"C\"\n\n[[obligation]]\nid = \"d\"\nsource = \"s\"\n{obligation}"
    );
    let mut layers = vec![crate::plugin::builtin_registry()];
    layers.push(Layer {
        name: "test".into(),
        files: vec![PluginFile::new(
            "debt.toml".into(),
            "debt.toml".into(),
            text.into_bytes(),
        )],
    });
    Corpus::load(&layers)
}

/// Owed and interest over all years, in the one commodity.
fn owed_interest(obligation: &str) -> (Decimal, Decimal) {
    let c = corpus(obligation).unwrap_or_else(|e| panic!("{}", e[0]));
    let r = Resolved::new(&c, &Readings::defaults()).expect("resolves");
    let q = Query {
        statuses: Status::ALL.to_vec(),
        ..Query::default()
    };
    let t = Totals::new(&c, &r, &q, GroupBy::All).expect("totals");
    assert_eq!(t.rows.len(), 1);
    (t.rows[0].owed, t.rows[0].interest)
}

fn error(obligation: &str) -> String {
    let e = corpus(obligation).expect_err("refused");
    let help = e[0].help_text().unwrap_or_default().to_string();
    format!("{} | {help}", e[0])
}

fn d(s: &str) -> Decimal {
    Decimal::from_str_exact(s).unwrap()
}

const BOXER: &str = "schedule = \"annuity\"\nprincipal = { silver = \"450000000 tael\" }\nrate = \"0.04\"\nper-year = 1\nperiods = 39\nfirst = 1902-01-01\nrounding = \"each-payment\"\nplaces = 2\n";

#[test]
fn the_boxer_annuity_from_a_file() {
    // 39 × 22,977,372.33 = 896,117,520.87; interest = that − 450,000,000.
    let (owed, interest) = owed_interest(BOXER);
    assert_eq!(owed, d("896117520.87"));
    assert_eq!(interest, d("446117520.87"));
    // Half-yearly, not rounded: 78 × 11,441,591.7592… = 892,444,157.22 to the cent.
    let half = BOXER
        .replace("per-year = 1", "per-year = 2")
        .replace("periods = 39", "periods = 78")
        .replace(
            "rounding = \"each-payment\"\nplaces = 2\n",
            "rounding = \"none\"\n",
        );
    let (owed, interest) = owed_interest(&half);
    assert_eq!(super::debt::round(owed, 2), d("892444157.22"));
    assert_eq!(
        crate::amount::sub(owed, interest).unwrap(),
        d("450000000"),
        "principal is the principal exactly"
    );
}

#[test]
fn places_with_no_rounding_is_named_unused() {
    // A reading may switch a rounded base to "none" and cannot remove `places`.
    let c = corpus(&BOXER.replace("\"each-payment\"", "\"none\"")).expect("loads");
    let s = &c.treaties.values().next().unwrap().obligations[0].variants[0]
        .def
        .schedule;
    let r = s.roundings().join("; ");
    assert!(r.contains("places = 2 is not used"), "{r}");
    assert!(r.contains("28 significant digits"), "{r}");
}

#[test]
fn annuity_keys_are_strict() {
    let bad_day = error(&BOXER.replace("1902-01-01", "1902-02-30"));
    // TOML itself or the kind refuses the day, at its line in the file.
    assert!(bad_day.contains("debt.toml:"), "{bad_day}");
    let text_day = error(&BOXER.replace("1902-01-01", "\"1902-02-30\""));
    assert!(text_day.contains("no day 30"), "{text_day}");
    assert!(text_day.contains("debt.toml:20:"), "{text_day}");
    let time = error(&BOXER.replace("1902-01-01", "1902-01-01T10:00:00"));
    assert!(time.contains("time of day"), "{time}");
    let float = error(&BOXER.replace("\"0.04\"", "0.04"));
    assert!(float.contains("floats lose digits"), "{float}");
    let per = error(&BOXER.replace("per-year = 1", "per-year = 3"));
    assert!(per.contains("1, 2, 4 or 12"), "{per}");
    let rounding = error(&BOXER.replace("each-payment", "banker"));
    assert!(rounding.contains("unknown rounding"), "{rounding}");
    let no_places = error(&BOXER.replace("places = 2\n", ""));
    assert!(no_places.contains("needs `places`"), "{no_places}");
    let unit = error(&BOXER.replace("tael", "bushel"));
    assert!(unit.contains("unknown unit"), "{unit}");
}

const TABLE: &str = "schedule = \"amortisation\"\nrows = [\n  { due = 1902-07-01, principal = { franc = \"0 franc\" }, interest = { franc = \"9000000 franc\" } },\n  { due = 1903-01-01, principal = { franc = \"1000000 franc\" }, interest = { franc = \"9000000 franc\" } },\n]\nprincipal-total = { franc = \"1000000 franc\" }\n";

#[test]
fn an_amortisation_table_as_written() {
    // 0 + 9,000,000 and 1,000,000 + 9,000,000.
    assert_eq!(owed_interest(TABLE), (d("19000000"), d("18000000")));
    let sum = error(&TABLE.replace(
        "principal-total = { franc = \"1000000",
        "principal-total = { franc = \"2000000",
    ));
    assert!(sum.contains("adds up to 1000000"), "{sum}");
    assert!(sum.contains("says 2000000"), "{sum}");
    assert!(sum.contains("debt.toml:20:"), "{sum}");
    let order = error(&TABLE.replace("1903-01-01", "1901-01-01"));
    assert!(order.contains("before the row above"), "{order}");
    let day = error(&TABLE.replace("1903-01-01", "\"1903-02-29\""));
    assert!(
        day.contains("row 2 of `rows`") && day.contains("no day 29"),
        "{day}"
    );
    let key = error(&TABLE.replace("due = 1902-07-01", "date = 1902-07-01"));
    assert!(key.contains("unknown key `date`"), "{key}");
}

const FRANKFURT: &str = "schedule = \"dated\"\npayments = [\n  { due = 1871-07-01, amounts = { franc = \"500000000 franc\" } },\n  { due = 1872-05-01, amounts = { franc = \"1500000000 franc\" } },\n  { due = 1874-03-02, amounts = { franc = \"3000000000 franc\" } },\n]\ninterest = { rate = \"0.05\", from = 1871-03-02, on = { franc = \"3000000000 franc\" }, compounding = \"simple\", paid = \"yearly\", date = \"03-02\" }\n";

#[test]
fn interest_on_a_portion_while_unpaid() {
    // 5% on 3 milliards from 2 March 1871 to 2 March 1874: three whole years of 150,000,000.
    let (owed, interest) = owed_interest(FRANKFURT);
    assert_eq!(interest, d("450000000"));
    assert_eq!(owed, d("5450000000"));
}

const UNPAID: &str = "schedule = \"dated\"\npayments = [\n  { due = 1900-07-01, amounts = { franc = \"100 franc\" } },\n  { due = 1901-01-01, amounts = { franc = \"100 franc\" } },\n]\ninterest = { rate = \"0.05\", from = 1900-01-01, on = \"unpaid\", compounding = \"simple\", paid = \"with-payments\" }\n";

#[test]
fn interest_on_the_unpaid_balance_by_actual_days() {
    // 1 January to 1 July 1900 is 181 days on 200: 200 × 0.05 × 181 / 365 = 4.9589… → 4.96;
    // 1 July 1900 to 1 January 1901 is 184 days on 100: 100 × 0.05 × 184 / 365 = 2.5205… → 2.52.
    let (owed, interest) = owed_interest(UNPAID);
    assert_eq!(interest, d("7.48"));
    assert_eq!(owed, d("207.48"));
    // Paid yearly on 1 October: 1 Jan – 1 Jul on 200 (181 days) and 1 Jul – 1 Oct on 100 (92
    // days) fall due on 1 October 1900: 4.9589… + 1.2602… = 6.2191… → 6.22; 1 Oct – 1 Jan on 100
    // (92 days): 1.2602… → 1.26 with the last instalment.
    let yearly = UNPAID.replace(
        "paid = \"with-payments\"",
        "paid = \"yearly\", date = \"10-01\"",
    );
    assert_eq!(owed_interest(&yearly).1, d("7.48"));
    let c = corpus(&yearly).unwrap();
    let s = &c.treaties.values().next().unwrap().obligations[0].variants[0]
        .def
        .schedule;
    let pays = s.dated(1901).unwrap();
    let interest: Vec<Decimal> = pays
        .iter()
        .map(|p| p.interest.iter().map(|x| x.1).sum())
        .collect();
    assert_eq!(interest, vec![Decimal::ZERO, d("6.22"), d("1.26")]);
}

#[test]
fn a_waiver_follows_the_schedules_own_last_date() {
    let by = |date: &str| format!("{UNPAID}waived-if-paid-by = {date}\n");
    // All paid by 1 January 1901: waived.
    assert_eq!(owed_interest(&by("1901-01-01")), (d("200"), Decimal::ZERO));
    // The last instalment falls after the date: owed.
    assert_eq!(owed_interest(&by("1900-12-31")).1, d("7.48"));
    let c = corpus(&by("1901-06-01")).unwrap();
    let s = &c.treaties.values().next().unwrap().obligations[0].variants[0]
        .def
        .schedule;
    assert!(
        s.describe().contains("interest of 7.48 waived"),
        "{}",
        s.describe()
    );
    let none = error(
        "schedule = \"dated\"\npayments = [{ due = 1900-07-01, amounts = { franc = \"100 franc\" } }]\nwaived-if-paid-by = 1901-01-01\n",
    );
    assert!(none.contains("charges none"), "{none}");
}

#[test]
fn dated_keys_are_strict() {
    let float = error(&UNPAID.replace("\"0.05\"", "0.05"));
    assert!(float.contains("floats lose digits"), "{float}");
    let comp = error(&UNPAID.replace("\"simple\"", "\"per-period\""));
    assert!(comp.contains("not supported"), "{comp}");
    // At the clause's own key: line 20, at `compounding`'s value.
    assert!(comp.contains("debt.toml:20:77:"), "{comp}");
    let late = error(&UNPAID.replace("1901-01-01", "1900-01-01"));
    // The second payment, on line 18.
    assert!(
        late.contains("before the one above") && late.contains("debt.toml:18:"),
        "{late}"
    );
    let on = error(&UNPAID.replace("\"unpaid\"", "\"owed\""));
    assert!(on.contains("`on` is \"unpaid\" or an amount"), "{on}");
    let leap = error(&UNPAID.replace(
        "paid = \"with-payments\"",
        "paid = \"yearly\", date = \"02-29\"",
    ));
    assert!(leap.contains("does not fall every year"), "{leap}");
}
