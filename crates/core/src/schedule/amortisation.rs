//! `schedule = "amortisation"`: a repayment table given row by row, as a source prints it (the
//! Boxer Protocol's Annex 13, when a user has it):
//!
//! ```toml
//! schedule = "amortisation"
//! rows = [
//!   { due = 1902-07-01, principal = { silver = "0 tael" }, interest = { silver = "9000000 tael" } },
//!   { due = 1903-01-01, principal = { silver = "1000000 tael" }, interest = { silver = "9000000 tael" } },
//! ]
//! principal-total = { silver = "1000000 tael" }   # optional: the rows' principal must sum to it
//! ```
//!
//! Each row is one payment: its principal plus its interest, due on its date. Nothing is computed
//! but sums, so nothing is rounded. What must hold: every row has a real date and the dates do not
//! go backwards; a row names a principal or an interest (or both); with `principal-total`, the
//! rows' principal adds up to it exactly, else an error naming both sums.

use std::ops::Range;

use super::debt::PaymentList;
use super::{FieldError, Payment, Piece, Schedule, ScheduleInput, ScheduleKind, Step, Terms};
use crate::amount::{Basket, Year};
use crate::date::Date;

/// The registration of the kind.
pub static KIND: ScheduleKind = ScheduleKind {
    name: "amortisation",
    keys: &["rows", "principal-total"],
    build,
};

/// The keys of one row.
const ROW_KEYS: &[&str] = &["due", "principal", "interest"];

fn build(input: &ScheduleInput) -> Result<Box<dyn Schedule>, FieldError> {
    let (rows, span) = input.require_extra(
        "rows",
        "amortisation",
        "[{ due = 1902-07-01, principal = { silver = \"1000000 tael\" }, interest = { silver = \"9000000 tael\" } }]",
    )?;
    let toml::Value::Array(rows) = rows else {
        return Err(FieldError::new(
            format!("`rows` is an array of tables, not a {}", rows.type_str()),
            span.clone(),
        )
        .help("write rows = [{ due = 1902-07-01, principal = {…}, interest = {…} }, …]"));
    };
    if rows.is_empty() {
        return Err(FieldError::new("`rows` is empty", span.clone())
            .help("give one row per payment, in date order"));
    }
    let mut payments: Vec<Payment> = Vec::with_capacity(rows.len());
    let mut total_principal = Basket::new();
    let mut principals = Vec::with_capacity(rows.len());
    let ov = |e: crate::error::Error, span: &Range<usize>| {
        FieldError::new(e.message().to_string(), span.clone())
    };
    for (k, row) in rows.iter().enumerate() {
        let n = k.saturating_add(1);
        let what = format!("row {n} of `rows`");
        let at = input.span_in("rows", &[Step::Index(k)]);
        let at_key = |key: &str| input.span_in("rows", &[Step::Index(k), Step::Key(key)]);
        let toml::Value::Table(t) = row else {
            return Err(FieldError::new(
                format!("{what} is a {}, not a table", row.type_str()),
                at.clone(),
            )
            .help("write each row as { due = 1902-07-01, principal = {…}, interest = {…} }"));
        };
        if let Some(bad) = t.keys().find(|key| !ROW_KEYS.contains(&key.as_str())) {
            return Err(
                FieldError::new(format!("{what}: unknown key `{bad}`"), at.clone())
                    .help(format!("a row's keys are: {}", ROW_KEYS.join(", "))),
            );
        }
        let due = t.get("due").ok_or_else(|| {
            FieldError::new(format!("{what} has no `due` date"), at.clone())
                .help("add due = 1902-07-01")
        })?;
        let due = Date::from_toml(due).map_err(|(m, h)| {
            FieldError::new(format!("{what}: `due`: {m}"), at_key("due")).help(h)
        })?;
        if let Some(prev) = payments.last().map(|p| p.due) {
            if due < prev {
                return Err(FieldError::new(
                    format!("{what} falls due on {due}, before the row above it ({prev})"),
                    at_key("due"),
                )
                .help("list the rows in date order"));
            }
        }
        let part = |key: &str| -> Result<Basket, FieldError> {
            match t.get(key) {
                None => Ok(Basket::new()),
                Some(v) => input
                    .amounts_in(v, at_key(key), &format!("`{key}` of {what}"))
                    .map(|a| a.0),
            }
        };
        let principal = part("principal")?;
        let interest = part("interest")?;
        if !t.contains_key("principal") && !t.contains_key("interest") {
            return Err(FieldError::new(
                format!("{what} names neither a principal nor an interest"),
                at.clone(),
            )
            .help("add principal = {…}, interest = {…} or both"));
        }
        total_principal = total_principal.plus(&principal).map_err(|e| ov(e, span))?;
        let amounts = principal.plus(&interest).map_err(|e| ov(e, span))?;
        principals.push(principal);
        payments.push(Payment {
            due,
            amounts,
            interest,
            balance: Basket::new(),
        });
    }
    if let Some((v, tspan)) = input.extra("principal-total") {
        let (stated, _) = input.amounts_in(v, tspan.clone(), "`principal-total`")?;
        if stated != total_principal {
            return Err(FieldError::new(
                format!(
                    "the rows' principal adds up to {}, but `principal-total` says {}",
                    describe_basket(&total_principal),
                    describe_basket(&stated)
                ),
                tspan.clone(),
            )
            .help("check the rows against the source, or correct `principal-total`"));
        }
    }
    let mut balance = total_principal.clone();
    for (p, principal) in payments.iter_mut().zip(&principals) {
        balance = balance.minus(principal).map_err(|e| ov(e, span))?;
        p.balance = balance.clone();
    }
    Ok(Box::new(Amortisation {
        principal: total_principal,
        payments: PaymentList::new(payments).map_err(|e| ov(e, span))?,
    }))
}

/// A basket's amounts by commodity index, for an error without a registry at hand.
fn describe_basket(b: &Basket) -> String {
    let parts: Vec<String> = b.iter().map(|(_, a)| a.normalize().to_string()).collect();
    if parts.is_empty() {
        "nothing".to_string()
    } else {
        parts.join(" + ")
    }
}

/// A repayment table as written.
#[derive(Debug, Clone)]
pub struct Amortisation {
    /// The principal the rows repay.
    pub principal: Basket,
    payments: PaymentList,
}

impl Schedule for Amortisation {
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
        let payments = self.payments.payments();
        match (payments.first(), payments.last()) {
            (Some(a), Some(b)) => format!(
                "amortisation table of {} payments from {} to {}, as written",
                payments.len(),
                a.due,
                b.due
            ),
            _ => "amortisation table".to_string(),
        }
    }
    /// Everything the table pays, principal and interest, in all.
    fn terms(&self) -> crate::error::Result<Terms> {
        let mut all = Basket::new();
        for p in self.payments.payments() {
            all = all.plus(&p.amounts)?;
        }
        Ok(Terms {
            amounts: all,
            per: super::Per::InAll,
        })
    }
}
