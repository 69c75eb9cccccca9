//! `schedule = "dated"`: instalments on dates, with interest on the unpaid balance if the treaty
//! charges it (the Frankfurt, Shimonoseki and Nanking clauses).
//!
//! ```toml
//! schedule = "dated"
//! payments = [
//!   { due = 1871-07-01, amounts = { franc = "500000000 franc" } },
//!   { due = 1874-03-02, amounts = { franc = "3000000000 franc" } },
//! ]
//! interest = { rate = "0.05", from = 1871-03-02, on = "unpaid", compounding = "simple", paid = "yearly", date = "03-03" }
//! waived-if-paid-by = 1898-05-08
//! ```
//!
//! Interest, when given, is simple interest at `rate` a year from `from` on what is unpaid:
//! - `on = "unpaid"`: on the sum of the listed payments not yet due (the balance as scheduled);
//!   `on = { franc = "3000000000 franc" }`: on that portion only, while it is unpaid (the base is
//!   the lesser of the portion and the balance: the portion is the last of the balance paid);
//! - `paid = "yearly"`: interest falls due every year on `date` (`MM-DD`, by default the day and
//!   month of `from`) and with the last instalment for the broken period before it;
//!   `paid = "with-payments"`: with each instalment, for the time since the one before (or since
//!   `from`);
//! - the day count: a whole year (from a day to the same day a year on) at the full rate; what is
//!   left of a period at actual days / 365; each interest payment rounded half to even to `places`
//!   (inside the `interest` table, default 2). Both are named in `show` and `total`.
//! - `compounding = "simple"` is the only rule: interest is never charged on interest.
//!
//! `waived-if-paid-by = DATE`: the interest is waived if every instalment falls due by that date.
//! The kind decides it against its own last due date, so a file gives the schedule that was kept
//! and the one first agreed as readings, and the waiver follows from each (Shimonoseki: paid in
//! full by 8 May 1898, within three years, so the interest was waived). `show` says which it is
//! and how much interest the waiver forgives.
//!
//! A prepayment is a reading whose `payments` are the dates actually paid (or a delivery record
//! ahead of the schedule); nothing else is needed.

use std::ops::Range;

use rust_decimal::Decimal;

use super::debt::{self, HALF_EVEN, PRECISION};
use super::{FieldError, Payment, Piece, Schedule, ScheduleInput, ScheduleKind, Step, Terms};
use crate::amount::{Basket, Year};
use crate::date::Date;

/// The registration of the kind.
pub static KIND: ScheduleKind = ScheduleKind {
    name: "dated",
    keys: &["payments", "interest", "waived-if-paid-by"],
    build,
};

const PAYMENT_KEYS: &[&str] = &["due", "amounts"];
const INTEREST_KEYS: &[&str] = &[
    "rate",
    "from",
    "on",
    "compounding",
    "paid",
    "date",
    "places",
];

/// What bears interest.
#[derive(Debug, Clone, PartialEq, Eq)]
enum On {
    /// Everything not yet due.
    Unpaid,
    /// At most this portion of what is not yet due.
    Portion(Basket),
}

/// When interest is paid.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Paid {
    /// Every year on a day (month, day), and with the last instalment.
    Yearly(u8, u8),
    /// With each instalment.
    WithPayments,
}

/// The interest clause.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Interest {
    rate: Decimal,
    from: Date,
    on: On,
    paid: Paid,
    places: u32,
}

/// Instalments on dates, with interest if charged.
#[derive(Debug, Clone)]
pub struct Dated {
    instalments: Vec<(Date, Basket)>,
    interest: Option<Interest>,
    waiver: Option<Date>,
    /// The interest the waiver forgives (empty when nothing is waived).
    waived: Basket,
    payments: debt::PaymentList,
}

fn table<'v>(
    v: &'v toml::Value,
    what: &str,
    keys: &[&str],
    span: &Range<usize>,
) -> Result<&'v toml::Table, FieldError> {
    let toml::Value::Table(t) = v else {
        return Err(FieldError::new(
            format!("{what} is a {}, not a table", v.type_str()),
            span.clone(),
        )
        .help(format!("its keys are: {}", keys.join(", "))));
    };
    if let Some(bad) = t.keys().find(|k| !keys.contains(&k.as_str())) {
        return Err(
            FieldError::new(format!("{what}: unknown key `{bad}`"), span.clone())
                .help(format!("its keys are: {}", keys.join(", "))),
        );
    }
    Ok(t)
}

fn date_in(
    t: &toml::Table,
    key: &str,
    what: &str,
    span: &Range<usize>,
) -> Result<Option<Date>, FieldError> {
    t.get(key)
        .map(|v| {
            Date::from_toml(v).map_err(|(m, h)| {
                FieldError::new(format!("{what}: `{key}`: {m}"), span.clone()).help(h)
            })
        })
        .transpose()
}

fn string_in<'v>(
    t: &'v toml::Table,
    key: &str,
    what: &str,
    span: &Range<usize>,
) -> Result<Option<&'v str>, FieldError> {
    match t.get(key) {
        None => Ok(None),
        Some(toml::Value::String(s)) => Ok(Some(s.as_str())),
        Some(other) => Err(FieldError::new(
            format!("{what}: `{key}` is a string, not a {}", other.type_str()),
            span.clone(),
        )
        .help(format!("write it in quotes: {key} = \"…\""))),
    }
}

fn build(input: &ScheduleInput) -> Result<Box<dyn Schedule>, FieldError> {
    let (list, span) = input.require_extra(
        "payments",
        "dated",
        "[{ due = 1871-07-01, amounts = { franc = \"500000000 franc\" } }]",
    )?;
    let toml::Value::Array(list) = list else {
        return Err(FieldError::new(
            format!(
                "`payments` is an array of tables, not a {}",
                list.type_str()
            ),
            span.clone(),
        )
        .help("write payments = [{ due = 1871-07-01, amounts = {…} }, …]"));
    };
    if list.is_empty() {
        return Err(FieldError::new("`payments` is empty", span.clone())
            .help("give one entry per instalment, in date order"));
    }
    let mut instalments: Vec<(Date, Basket)> = Vec::with_capacity(list.len());
    for (k, row) in list.iter().enumerate() {
        let what = format!("payment {} of `payments`", k.saturating_add(1));
        let at = input.span_in("payments", &[Step::Index(k)]);
        let at_key = |key: &str| input.span_in("payments", &[Step::Index(k), Step::Key(key)]);
        let t = table(row, &what, PAYMENT_KEYS, &at)?;
        let due = date_in(t, "due", &what, &at_key("due"))?.ok_or_else(|| {
            FieldError::new(format!("{what} has no `due` date"), at.clone())
                .help("add due = 1871-07-01")
        })?;
        let amounts = t.get("amounts").ok_or_else(|| {
            FieldError::new(format!("{what} has no `amounts`"), at.clone())
                .help("add amounts = { franc = \"500000000 franc\" }")
        })?;
        let (amounts, _) =
            input.amounts_in(amounts, at_key("amounts"), &format!("`amounts` of {what}"))?;
        if let Some((prev, _)) = instalments.last() {
            if due < *prev {
                return Err(FieldError::new(
                    format!("{what} falls due on {due}, before the one above it ({prev})"),
                    at_key("due"),
                )
                .help("list the payments in date order"));
            }
        }
        instalments.push((due, amounts));
    }
    let interest = match input.extra("interest") {
        None => None,
        Some((v, ispan)) => Some(interest_clause(input, v, ispan).map_err(|mut e| {
            // Place the error at the key of the clause it names, where the message names one.
            if let Some(key) = named_key(&e.message) {
                e.span = input.span_in("interest", &[Step::Key(key)]);
            }
            e
        })?),
    };
    let waiver = input.date("waived-if-paid-by")?;
    if let (Some((_, wspan)), None) = (&waiver, &interest) {
        return Err(FieldError::new(
            "`waived-if-paid-by` waives interest, but this schedule charges none",
            wspan.clone(),
        )
        .help("add an `interest = {…}` clause, or remove `waived-if-paid-by`"));
    }
    let ov = |e: crate::error::Error| FieldError::new(e.message().to_string(), span.clone());
    let last = instalments.last().map(|p| p.0);
    let charges = match &interest {
        Some(i) => accrue(&instalments, i, span)?,
        None => Vec::new(),
    };
    let waived_now = match (&waiver, last) {
        (Some((by, _)), Some(last)) => last <= *by,
        _ => false,
    };
    let mut waived = Basket::new();
    if waived_now {
        for (_, b) in &charges {
            waived = waived.plus(b).map_err(ov)?;
        }
    }
    let charges = if waived_now { Vec::new() } else { charges };
    let payments = merge(&instalments, &charges).map_err(ov)?;
    Ok(Box::new(Dated {
        instalments,
        interest,
        waiver: waiver.map(|w| w.0),
        waived,
        payments: debt::PaymentList::new(payments).map_err(ov)?,
    }))
}

/// The key of the `interest` clause an error message names first (`` `interest`: `rate = 0.05` … ``).
fn named_key(message: &str) -> Option<&'static str> {
    let rest = message.strip_prefix("`interest`")?;
    let mut parts = rest.split('`');
    parts.next()?;
    let quoted = parts.next()?;
    let word = quoted.split([' ', '=']).next()?;
    INTEREST_KEYS.iter().copied().find(|k| *k == word)
}

fn interest_clause(
    input: &ScheduleInput,
    v: &toml::Value,
    span: &Range<usize>,
) -> Result<Interest, FieldError> {
    let what = "`interest`";
    let t = table(v, what, INTEREST_KEYS, span)?;
    let rate = match t.get("rate") {
        Some(toml::Value::String(s)) => crate::amount::parse_decimal(s, false)
            .map_err(|m| FieldError::new(format!("{what}: `rate`: {m}"), span.clone()))?,
        Some(toml::Value::Float(f)) => {
            return Err(FieldError::new(
                format!("{what}: `rate = {f}` is a TOML float, and floats lose digits"),
                span.clone(),
            )
            .help(format!("write it as a string: rate = \"{f}\"")));
        }
        Some(other) => {
            return Err(FieldError::new(
                format!(
                    "{what}: `rate` is a decimal string, not a {}",
                    other.type_str()
                ),
                span.clone(),
            )
            .help("write e.g. rate = \"0.05\" (5% a year)"));
        }
        None => {
            return Err(
                FieldError::new(format!("{what} needs `rate`"), span.clone())
                    .help("add rate = \"0.05\" (5% a year)"),
            );
        }
    };
    let (rate, _) = debt::rate((rate, span.clone()), "rate")?;
    let from = date_in(t, "from", what, span)?.ok_or_else(|| {
        FieldError::new(
            format!("{what} needs `from`, the day interest starts"),
            span.clone(),
        )
        .help("add from = 1871-03-02")
    })?;
    let on = match t.get("on") {
        None => {
            return Err(FieldError::new(format!("{what} needs `on`"), span.clone())
                .help("on = \"unpaid\" (the balance as scheduled) or an amount, on = { franc = \"3000000000 franc\" }"));
        }
        Some(toml::Value::String(s)) if s == "unpaid" => On::Unpaid,
        Some(v @ toml::Value::Table(_)) => {
            On::Portion(input.amounts_in(v, span.clone(), "`on` of `interest`")?.0)
        }
        Some(other) => {
            return Err(FieldError::new(
                format!("{what}: `on` is \"unpaid\" or an amount, not {other}"),
                span.clone(),
            )
            .help("on = \"unpaid\" or on = { franc = \"3000000000 franc\" }"));
        }
    };
    match string_in(t, "compounding", what, span)? {
        None | Some("simple") => {}
        Some(other) => {
            return Err(FieldError::new(
                format!("{what}: `compounding = \"{other}\"` is not supported"),
                span.clone(),
            )
            .help("compounding = \"simple\" is the only rule so far: interest is never charged on interest"));
        }
    }
    let paid = match string_in(t, "paid", what, span)? {
        None | Some("yearly") => {
            let (m, d) = match string_in(t, "date", what, span)? {
                Some(s) => Date::parse_month_day(s).map_err(|m| {
                    FieldError::new(format!("{what}: `date`: {m}"), span.clone())
                        .help("date = \"03-03\" is every 3 March")
                })?,
                None => (from.month(), from.day()),
            };
            Paid::Yearly(m, d)
        }
        Some("with-payments") => {
            if t.contains_key("date") {
                return Err(FieldError::new(
                    format!("{what}: `date` is for paid = \"yearly\""),
                    span.clone(),
                )
                .help("remove `date`: with-payments interest falls due with each instalment"));
            }
            Paid::WithPayments
        }
        Some(other) => {
            return Err(FieldError::new(
                format!("{what}: unknown `paid = \"{other}\"`"),
                span.clone(),
            )
            .help("paid = \"yearly\" (on `date`) or \"with-payments\""));
        }
    };
    let places = match t.get("places") {
        None => 2,
        Some(toml::Value::Integer(i)) => debt::places((*i, span.clone()))?,
        Some(other) => {
            return Err(FieldError::new(
                format!(
                    "{what}: `places` is a whole number, not a {}",
                    other.type_str()
                ),
                span.clone(),
            )
            .help("places = 2 rounds to the cent"));
        }
    };
    Ok(Interest {
        rate,
        from,
        on,
        paid,
        places,
    })
}

/// The base that bears interest after the instalments due on or before `at` are paid.
fn base(
    instalments: &[(Date, Basket)],
    on: &On,
    at: Date,
    span: &Range<usize>,
) -> Result<Basket, FieldError> {
    let mut unpaid = Basket::new();
    for (due, b) in instalments {
        if *due > at {
            unpaid = unpaid
                .plus(b)
                .map_err(|e| FieldError::new(e.message().to_string(), span.clone()))?;
        }
    }
    Ok(match on {
        On::Unpaid => unpaid,
        On::Portion(p) => {
            let mut out = Basket::new();
            for (c, a) in p.iter() {
                let u = unpaid.get(c);
                out.add_amount(c, a.min(u))
                    .map_err(|e| FieldError::new(e.message().to_string(), span.clone()))?;
            }
            out
        }
    })
}

/// Simple interest on `base` at `rate` from `a` to `b`: whole years at the full rate, the rest
/// at actual days / 365 (not rounded here).
fn simple(
    base: &Basket,
    rate: Decimal,
    a: Date,
    b: Date,
    span: &Range<usize>,
) -> Result<Basket, FieldError> {
    let mut years: u32 = 0;
    let mut start = a;
    while let Some(next) = a.plus_months(years.saturating_add(1).saturating_mul(12)) {
        if next > b {
            break;
        }
        years = years.saturating_add(1);
        start = next;
    }
    let days = start.days_until(b);
    let fraction = debt::add(
        Decimal::from(years),
        debt::div(Decimal::from(days), Decimal::from(365), span)?,
        span,
    )?;
    let factor = debt::mul(rate, fraction, span)?;
    let mut out = Basket::new();
    for (c, x) in base.iter() {
        out.add_amount(c, debt::mul(x, factor, span)?)
            .map_err(|e| FieldError::new(e.message().to_string(), span.clone()))?;
    }
    Ok(out)
}

/// The interest charges: (due date, amount), each rounded to places.
fn accrue(
    instalments: &[(Date, Basket)],
    i: &Interest,
    span: &Range<usize>,
) -> Result<Vec<(Date, Basket)>, FieldError> {
    let Some(end) = instalments.last().map(|p| p.0) else {
        return Ok(Vec::new());
    };
    if i.from >= end {
        return Ok(Vec::new());
    }
    // The days interest falls due, after `from`, up to and including the last instalment.
    let mut due_days: Vec<Date> = match i.paid {
        Paid::WithPayments => instalments
            .iter()
            .map(|p| p.0)
            .filter(|d| *d > i.from)
            .collect(),
        Paid::Yearly(m, d) => {
            let mut out = Vec::new();
            let mut y = i.from.year();
            while let Some(day) = Date::in_year(y, m, d) {
                if day >= end {
                    break;
                }
                if day > i.from {
                    out.push(day);
                }
                let Some(next) = y.checked_add(1) else { break };
                y = next;
            }
            out.push(end);
            out
        }
    };
    due_days.dedup();
    // Days on which the base changes: instalment dates inside the interest time.
    let changes: Vec<Date> = instalments
        .iter()
        .map(|p| p.0)
        .filter(|d| *d > i.from && *d < end)
        .collect();
    let mut charges = Vec::new();
    let mut period_start = i.from;
    for &period_end in &due_days {
        // Split the period where the base changes; each piece at its own base.
        let mut cuts: Vec<Date> = changes
            .iter()
            .copied()
            .filter(|d| *d > period_start && *d < period_end)
            .collect();
        cuts.push(period_end);
        // Segments of one base each; neighbours with the same base are one segment, so a whole
        // year at one base is charged at the full rate, whatever falls due inside it.
        let mut segments: Vec<(Date, Date, Basket)> = Vec::new();
        let mut a = period_start;
        for b in cuts {
            let on = base(instalments, &i.on, a, span)?;
            match segments.last_mut() {
                Some(last) if last.2 == on => last.1 = b,
                _ => segments.push((a, b, on)),
            }
            a = b;
        }
        // The parts are summed at 28 significant digits (not exactly: they are not yet rounded),
        // then the period's interest is rounded to places.
        let mut total: std::collections::BTreeMap<crate::amount::CommodityId, Decimal> =
            std::collections::BTreeMap::new();
        for (a, b, on) in &segments {
            let part = simple(on, i.rate, *a, *b, span)?;
            for (c, x) in part.iter() {
                let e = total.entry(c).or_insert(Decimal::ZERO);
                *e = debt::add(*e, x, span)?;
            }
        }
        let mut rounded = Basket::new();
        for (&c, &x) in &total {
            rounded
                .add_amount(c, debt::round(x, i.places))
                .map_err(|e| FieldError::new(e.message().to_string(), span.clone()))?;
        }
        if !rounded.is_empty() {
            charges.push((period_end, rounded));
        }
        period_start = period_end;
    }
    Ok(charges)
}

/// The payments: instalments and interest charges, one payment per date.
fn merge(
    instalments: &[(Date, Basket)],
    charges: &[(Date, Basket)],
) -> crate::error::Result<Vec<Payment>> {
    let mut days: Vec<Date> = instalments
        .iter()
        .map(|p| p.0)
        .chain(charges.iter().map(|c| c.0))
        .collect();
    days.sort();
    days.dedup();
    let mut balance = Basket::new();
    for (_, b) in instalments {
        balance = balance.plus(b)?;
    }
    let mut out = Vec::with_capacity(days.len());
    for day in days {
        let mut principal = Basket::new();
        for (_, b) in instalments.iter().filter(|p| p.0 == day) {
            principal = principal.plus(b)?;
        }
        let mut interest = Basket::new();
        for (_, b) in charges.iter().filter(|c| c.0 == day) {
            interest = interest.plus(b)?;
        }
        balance = balance.minus(&principal)?;
        out.push(Payment {
            due: day,
            amounts: principal.plus(&interest)?,
            interest,
            balance: balance.clone(),
        });
    }
    Ok(out)
}

impl Schedule for Dated {
    fn kind(&self) -> &'static str {
        KIND.name
    }
    fn first_year(&self) -> Year {
        self.payments.first_year()
    }
    fn last_year(&self) -> Option<Year> {
        self.payments.last_year()
    }
    fn pieces(&self, _end: Year) -> Vec<Piece> {
        self.payments.pieces()
    }
    fn dated(&self, _end: Year) -> Option<Vec<Payment>> {
        self.payments.dated()
    }
    fn describe(&self) -> String {
        let (first, last) = (
            self.instalments.first().map(|p| p.0),
            self.instalments.last().map(|p| p.0),
        );
        let mut s = match (first, last) {
            (Some(a), Some(b)) => format!(
                "{} instalments on dates from {a} to {b}",
                self.instalments.len()
            ),
            _ => "instalments on dates".to_string(),
        };
        if let Some(i) = &self.interest {
            let on = match &i.on {
                On::Unpaid => "the unpaid balance".to_string(),
                On::Portion(p) => format!(
                    "a portion of {} while unpaid",
                    p.iter()
                        .map(|(_, a)| a.normalize().to_string())
                        .collect::<Vec<_>>()
                        .join(" + ")
                ),
            };
            let paid = match i.paid {
                Paid::Yearly(m, d) => {
                    format!("paid yearly on {m:02}-{d:02} and with the last instalment")
                }
                Paid::WithPayments => "paid with each instalment".to_string(),
            };
            s.push_str(&format!(
                ", simple interest at {} a year from {} on {on}, {paid}",
                i.rate.normalize(),
                i.from
            ));
        }
        if let (Some(by), Some(last)) = (self.waiver, last) {
            if self.waived.is_empty() && last <= by {
                s.push_str(&format!(
                    ", interest waived (all paid by {by}; none had accrued)"
                ));
            } else if last <= by {
                s.push_str(&format!(
                    ", interest of {} waived: the last instalment ({last}) falls by {by}",
                    self.waived
                        .iter()
                        .map(|(_, a)| a.normalize().to_string())
                        .collect::<Vec<_>>()
                        .join(" + ")
                ));
            } else {
                s.push_str(&format!(
                    ", interest owed: the last instalment ({last}) falls after {by}, the date that would have waived it"
                ));
            }
        }
        s
    }
    fn terms(&self) -> crate::error::Result<Terms> {
        let mut all = Basket::new();
        for (_, b) in &self.instalments {
            all = all.plus(b)?;
        }
        Ok(Terms {
            amounts: all,
            per: super::Per::InAll,
        })
    }
    fn roundings(&self) -> Vec<String> {
        match &self.interest {
            None => Vec::new(),
            Some(i) => {
                let places = match i.places {
                    1 => "1 decimal place".to_string(),
                    n => format!("{n} decimal places"),
                };
                vec![format!(
                    "simple interest: a whole year at the full rate, the rest of a period at actual days / 365, computed to {PRECISION}; each interest payment rounded {HALF_EVEN} to {places}"
                )]
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::amount::CommodityId;
    use proptest::prelude::*;

    fn sum(bs: impl Iterator<Item = Basket>) -> Basket {
        bs.fold(Basket::new(), |a, b| a.plus(&b).unwrap())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]
        // For random instalments with interest on the unpaid balance (or on a portion), paid
        // yearly or with the payments: principal parts add up to the instalments exactly,
        // principal + interest is every payment exactly, and the yearly pieces carry the same
        // sums as the dated payments.
        #[test]
        fn principal_and_interest_add_up(
            parts in proptest::collection::vec((0u32..3000, 1u64..10_000_000_000), 1..12),
            rate_bp in 0u32..1500,
            start in 0u32..400,
            with_payments in any::<bool>(),
            portion in proptest::option::of(1u64..10_000_000_000),
            places in 0u32..4,
        ) {
            let c = CommodityId(0);
            let base = Date::parse("1871-01-01").unwrap();
            let day = |n: u32| base.plus_months(n / 30).unwrap();
            let mut instalments: Vec<(Date, Basket)> = parts
                .iter()
                .map(|&(n, cents)| (day(n), Basket::of(c, Decimal::new(cents as i64, 2))))
                .collect();
            instalments.sort_by_key(|p| p.0);
            let i = Interest {
                rate: Decimal::new(i64::from(rate_bp), 4),
                from: day(start),
                on: match portion {
                    Some(p) => On::Portion(Basket::of(c, Decimal::new(p as i64, 2))),
                    None => On::Unpaid,
                },
                paid: if with_payments { Paid::WithPayments } else { Paid::Yearly(3, 3) },
                places,
            };
            let charges = accrue(&instalments, &i, &(0..1)).unwrap();
            let payments = merge(&instalments, &charges).unwrap();
            let principal = sum(payments.iter().map(|p| p.principal().unwrap()));
            prop_assert_eq!(&principal, &sum(instalments.iter().map(|p| p.1.clone())));
            let interest = sum(payments.iter().map(|p| p.interest.clone()));
            prop_assert_eq!(&interest, &sum(charges.iter().map(|c| c.1.clone())));
            let amounts = sum(payments.iter().map(|p| p.amounts.clone()));
            prop_assert_eq!(&amounts, &principal.plus(&interest).unwrap());
            prop_assert!(payments.last().unwrap().balance.is_empty());
            let pieces = super::super::pieces_of(&payments).unwrap();
            prop_assert_eq!(&sum(pieces.iter().map(|p| p.amounts.clone())), &amounts);
            prop_assert_eq!(&sum(pieces.iter().map(|p| p.interest.clone())), &interest);
        }
    }
}
