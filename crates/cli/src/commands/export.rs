//! `tribute export --format hledger|ledger|beancount`: the payments as a journal for the
//! accounting tools people already trust, which also serve as independent oracles in our tests.
//!
//! One transaction per stream and payment year, dated 1 January, with one posting per commodity to
//! `Expenses:Tribute:<Payer>:<Payee>` balanced by `Equity:Tribute:<Payer>`. What must hold, for
//! each tool's limits:
//! - commodity symbols are upper-case with `_` for `-` (`GREEN_VITRIOL`), valid in all three tools;
//! - every amount of a commodity is printed with that commodity's largest number of decimals, so no
//!   tool rounds its display below the data's precision;
//! - years are four digits (`0999`: hledger reads `999-01-01` as a month); years before 1 cannot be
//!   written and are an error;
//! - ledger 3.3 rejects years before 1400, so for ledger every year is shifted by the smallest
//!   multiple of 400 that brings the first year to 1400 or later (400 years keep the Gregorian
//!   calendar's weekdays and leap years), and the header says so;
//! - beancount gets `open` directives and a name per account component that it accepts;
//! - with `--prices BOOK`, a price directive per rate, dated 1 January of the first year the rate
//!   covers, values each commodity in `VALUE` (the book's numeraire) at its central rate. The tools
//!   carry a price on until the next one, so years a book leaves unpriced are priced by them at
//!   the last rate, while tribute reports them as unpriced: compare only where the book is gapless.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use anyhow::{Result, bail};
use rust_decimal::Decimal;
use tribute_core::{Basket, Corpus, DeliveryMode, PriceBook, Resolved, Stream, Year};

use crate::args::Filters;
use crate::context::Context;

/// The journal dialects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Journal {
    /// hledger 1.25+.
    Hledger,
    /// ledger 3.3.
    Ledger,
    /// beancount 3.
    Beancount,
}

/// One transaction: year, stream key, payer, payee, amounts.
struct Txn<'a> {
    year: Year,
    stream: &'a Stream,
    amounts: Basket,
}

/// The amounts of `stream` per year: owed, or (with `delivered`) known to be delivered.
pub fn yearly(stream: &Stream, delivered: bool) -> Result<BTreeMap<Year, Basket>> {
    let mut out: BTreeMap<Year, Basket> = BTreeMap::new();
    let counts = !delivered || stream.delivery == DeliveryMode::AsOwed;
    if counts {
        for p in &stream.pieces {
            for k in 0..p.count {
                let y = (i64::from(p.start) + k as i64 * i64::from(p.step)) as Year;
                if delivered && stream.is_suspended(y) {
                    continue;
                }
                let slot = out.entry(y).or_default();
                *slot = slot.plus(&p.amounts)?;
            }
        }
    }
    if delivered {
        for d in &stream.deliveries {
            let slot = out.entry(d.year).or_default();
            *slot = slot.plus(&d.amounts)?;
        }
    }
    out.retain(|_, b| !b.is_empty());
    Ok(out)
}

/// `Southern Song` → `SouthernSong`: letters and digits only, first letter upper-case.
pub fn account_part(name: &str) -> String {
    let mut out = String::new();
    for word in name.split(|c: char| !c.is_ascii_alphanumeric()) {
        let mut chars = word.chars();
        if let Some(first) = chars.next() {
            out.push(first.to_ascii_uppercase());
            out.extend(chars);
        }
    }
    if out.is_empty() || !out.starts_with(|c: char| c.is_ascii_uppercase()) {
        out.insert(0, 'X');
    }
    out
}

/// `green-vitriol` → `GREEN_VITRIOL`.
pub fn symbol(id: &str) -> String {
    id.to_ascii_uppercase().replace('-', "_")
}

fn amount(d: Decimal, scale: u32) -> String {
    let mut v = d.normalize();
    v.rescale(scale);
    v.to_string()
}

/// Builds the journal text.
pub fn journal(
    ctx: &Context,
    resolved: &Resolved,
    filters: &Filters,
    dialect: Journal,
    delivered: bool,
    book: Option<&PriceBook>,
) -> Result<String> {
    let corpus: &Corpus = &ctx.corpus;
    let reg = &corpus.registry;
    let q = ctx.query(filters)?;
    q.validate(corpus)?;
    let mut txns = Vec::new();
    for s in resolved.streams.iter().filter(|s| q.selects(corpus, s)) {
        for (year, amounts) in yearly(s, delivered)? {
            if q.from.is_some_and(|f| year < f) || q.to.is_some_and(|t| year > t) {
                continue;
            }
            txns.push(Txn {
                year,
                stream: s,
                amounts,
            });
        }
    }
    txns.sort_by_key(|t| (t.year, t.stream.key()));
    let mut scale: BTreeMap<String, u32> = BTreeMap::new();
    for t in &txns {
        for (c, a) in t.amounts.iter() {
            let e = scale.entry(reg.commodity(c).id.clone()).or_default();
            *e = (*e).max(a.normalize().scale());
        }
    }
    for id in scale.keys() {
        let sym = symbol(id);
        if sym.len() > 24 || !sym.starts_with(|c: char| c.is_ascii_uppercase()) {
            bail!(
                "commodity `{id}` cannot be written as a journal symbol (at most 24 letters, digits, `-`, `_`, starting with a letter)"
            );
        }
    }
    let first = txns.first().map(|t| t.year);
    if let Some(y) = first.filter(|y| *y < 1) {
        bail!(
            "a payment falls in year {y}; the journal tools cannot write years before 1 CE (narrow with --from)"
        );
    }
    let shift: Year = match (dialect, first) {
        (Journal::Ledger, Some(y)) if y < 1400 => (1400 - y + 399) / 400 * 400,
        _ => 0,
    };
    if let Some(last) = txns.last().map(|t| t.year + shift).filter(|y| *y > 9999) {
        bail!(
            "a payment falls in year {last} (after any shift); the journal tools stop at 9999 (narrow with --to)"
        );
    }
    let comment = ";";
    let mut out = String::new();
    writeln!(
        out,
        "{comment} tribute export: {} payments, one transaction per stream and year, dated 1 January",
        if delivered { "delivered" } else { "owed" }
    )?;
    if !resolved.readings.names().is_empty() {
        writeln!(
            out,
            "{comment} readings: {}",
            resolved.readings.names().join(", ")
        )?;
    }
    if shift != 0 {
        writeln!(
            out,
            "{comment} years shifted by +{shift} (ledger 3.3 rejects years before 1400); subtract {shift} to read them"
        )?;
    }
    for id in scale.keys() {
        let c = reg.find_commodity(id).map(|c| reg.commodity(c));
        writeln!(
            out,
            "{comment} {} = {id}, in {}",
            symbol(id),
            c.map_or("", |c| c.unit.as_str())
        )?;
    }
    out.push('\n');
    let date = |y: Year| format!("{:04}-01-01", y + shift);
    match dialect {
        Journal::Hledger => {
            for (id, s) in &scale {
                // hledger asks for a decimal point even with no decimals (`1000.`).
                let example = if *s == 0 {
                    "1000.".to_string()
                } else {
                    amount(Decimal::from(1000), *s)
                };
                writeln!(out, "commodity {example} {}", symbol(id))?;
            }
            out.push('\n');
        }
        Journal::Ledger => {
            for id in scale.keys() {
                writeln!(out, "commodity {}", symbol(id))?;
            }
            out.push('\n');
        }
        Journal::Beancount => {
            let mut accounts = BTreeSet::new();
            for t in &txns {
                accounts.insert(expense(t.stream));
                accounts.insert(equity(t.stream));
            }
            let opened = first.map_or_else(|| "1000-01-01".to_string(), date);
            for id in scale.keys() {
                writeln!(out, "{opened} commodity {}", symbol(id))?;
            }
            for a in accounts {
                writeln!(out, "{opened} open {a}")?;
            }
            out.push('\n');
        }
    }
    if let Some(book) = book {
        writeln!(
            out,
            "{comment} prices: book `{}`, {} per VALUE; central rates",
            book.id, book.numeraire
        )?;
        let (lo, hi) = (
            txns.first().map_or(Year::MIN, |t| t.year),
            txns.last().map_or(Year::MAX, |t| t.year),
        );
        let mut directives = Vec::new();
        for rate in &book.rates {
            let id = &reg.commodity(rate.commodity).id;
            let (from, to) = rate.years();
            if !scale.contains_key(id) || to < lo || from > hi {
                continue;
            }
            directives.push((from.max(lo), symbol(id), rate.value.central));
        }
        directives.sort();
        for (year, sym, value) in directives {
            let v = value.normalize();
            match dialect {
                Journal::Beancount => writeln!(out, "{} price {sym} {v} VALUE", date(year))?,
                _ => writeln!(out, "P {} {sym} {v} VALUE", date(year))?,
            }
        }
        out.push('\n');
    }
    for t in &txns {
        let title = format!("{} → {}", t.stream.payer, t.stream.payee);
        match dialect {
            Journal::Beancount => writeln!(
                out,
                "{} * \"{}\" \"{}\"",
                date(t.year),
                title.replace('"', "'"),
                t.stream.key()
            )?,
            _ => writeln!(out, "{} {} | {}", date(t.year), title, t.stream.key())?,
        }
        for (c, a) in t.amounts.iter() {
            let id = &reg.commodity(c).id;
            let s = scale[id];
            writeln!(
                out,
                "    {}  {} {}",
                expense(t.stream),
                amount(a, s),
                symbol(id)
            )?;
            writeln!(
                out,
                "    {}  {} {}",
                equity(t.stream),
                amount(-a, s),
                symbol(id)
            )?;
        }
        out.push('\n');
    }
    Ok(out)
}

/// `Expenses:Tribute:<Payer>:<Payee>`.
pub fn expense(s: &Stream) -> String {
    format!(
        "Expenses:Tribute:{}:{}",
        account_part(&s.payer),
        account_part(&s.payee)
    )
}

fn equity(s: &Stream) -> String {
    format!("Equity:Tribute:{}", account_part(&s.payer))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_fit_every_tool() {
        assert_eq!(account_part("Southern Song"), "SouthernSong");
        assert_eq!(account_part("Western Xia"), "WesternXia");
        assert_eq!(account_part("1st state"), "X1stState");
        assert_eq!(symbol("oxen-horses"), "OXEN_HORSES");
        assert_eq!(amount(Decimal::from(5), 2), "5.00");
    }
}
