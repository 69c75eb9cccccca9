//! `tribute export --format hledger|ledger|beancount`: the account of record as one journal for
//! the accounting tools people already trust, which also serve as independent oracles in our
//! tests. The transactions and their figures are core's [`tribute_core::report::journal`]; this
//! module only writes them in each tool's syntax.
//!
//! The payer's books, one transaction per stream, year and kind (a due per day where the schedule
//! gives days), dated as core's entry says ([`tribute_core::report::Dating`]: the schedule's day,
//! tagged `day`, else 1 January by convention, written as before any entry had a day): what falls due
//! is `Expenses:Tribute:<Payer>:<Payee>` against `Liabilities:Owed:<Payer>:<Payee>`; what a record
//! says was handed over clears the liability against `Assets:Paid:Recorded:<Payer>:<Payee>`, what
//! the file assumes against `Assets:Paid:Assumed:…`, what is of unknown delivery against
//! `Equity:DeliveryUnknown:…`, a lapsed suspension against `Income:Lapsed:…`, settlements against
//! `Income:Forgiven:…` or `Equity:Rescheduled:…`; so `Liabilities` holds the arrears. Every
//! transaction is tagged (`treaty`, `stream`, `evidence`, and `day`, `reading`, `source`, `by`,
//! `settlement`, `into` where they apply; beancount: metadata). What must hold, for each tool's
//! limits:
//! - commodity symbols are upper-case with `_` for `-` (`GREEN_VITRIOL`), valid in all three tools,
//!   declared with digit grouping (`commodity` directives; beancount: `render_commas`);
//! - every amount of a commodity is printed with that commodity's largest number of decimals, so no
//!   tool rounds its display below the data's precision;
//! - years are four digits (`0999`: hledger reads `999-01-01` as a month); years before 1 cannot be
//!   written and are an error;
//! - ledger 3.3 rejects years before 1400, so for ledger every year is shifted by the smallest
//!   multiple of 400 that brings the first year to 1400 or later (400 years keep the Gregorian
//!   calendar's weekdays and leap years), and the header says so;
//! - beancount gets `open` directives for every account and a name per account component that it
//!   accepts;
//! - tag values never hold a comma (hledger ends a value there): sources are ids, space-separated;
//! - with `--prices BOOK`, a price directive per rate, dated 1 January of the first year the rate
//!   covers, values each commodity in `VALUE` (the book's numeraire) at its central rate. The tools
//!   carry a price on until the next one, so years a book leaves unpriced are priced by them at
//!   the last rate, while tribute reports them as unpriced: compare only where the book is gapless.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use anyhow::{Result, bail};
use rust_decimal::Decimal;
use tribute_core::report::{Account, Dating, Entry, EntryKind, journal as journal_report};
use tribute_core::{ActionKind, Corpus, Date, PriceBook, Resolved, Year};

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

/// The account's name for `payer → payee`.
pub fn account_name(account: Account, payer: &str, payee: &str) -> String {
    let pair = format!("{}:{}", account_part(payer), account_part(payee));
    let root = match account {
        Account::Expense => "Expenses:Tribute",
        Account::Owed => "Liabilities:Owed",
        Account::PaidRecorded => "Assets:Paid:Recorded",
        Account::PaidAssumed => "Assets:Paid:Assumed",
        Account::DeliveryUnknown => "Equity:DeliveryUnknown",
        Account::Lapsed => "Income:Lapsed",
        Account::Forgiven => "Income:Forgiven",
        Account::Rescheduled => "Equity:Rescheduled",
        Account::BeyondDue => "Equity:RecordedBeyondDue",
        Account::Opening => "Equity:Opening",
    };
    format!("{root}:{pair}")
}

/// What a transaction says it records, after the pair.
fn narration(e: &Entry, from: Option<Year>) -> String {
    let s = &e.stream;
    match e.kind {
        EntryKind::Opening => format!(
            "arrears outstanding before {}: {s}",
            from.map_or_else(String::new, |y| y.to_string())
        ),
        EntryKind::Settled(ActionKind::WriteOff) => format!("arrears written off: {s}"),
        EntryKind::Settled(ActionKind::Reschedule) => match &e.into {
            Some(into) => format!("arrears rescheduled: {s} into {into}"),
            None => format!("arrears rescheduled: {s}"),
        },
        EntryKind::Settled(ActionKind::Reduce) => format!("arrears reduced: {s}"),
        EntryKind::Settled(_) => format!("arrears settled: {s}"),
        EntryKind::Due => format!("falls due: {s}"),
        EntryKind::Recorded => format!("handed over, as a record says: {s}"),
        EntryKind::PaidAhead => format!("covered by what a record says was handed over ahead: {s}"),
        EntryKind::Assumed => format!("assumed paid as owed, not recorded: {s}"),
        EntryKind::Unknown => format!("delivery unknown: {s}"),
        EntryKind::Lapsed => format!("lapsed in a suspension: {s}"),
    }
}

/// The tags of a transaction, in order: (name, value).
fn tags(e: &Entry) -> Vec<(&'static str, String)> {
    let mut out = vec![
        ("treaty", e.treaty.clone()),
        ("stream", e.stream.clone()),
        ("evidence", e.evidence.as_str().to_string()),
    ];
    if let Some(day) = e.dating.tag() {
        out.push(("day", day.to_string()));
    }
    if !e.readings.is_empty() {
        out.push(("reading", e.readings.join(" ")));
    }
    if !e.sources.is_empty() {
        out.push(("source", e.sources.join(" ")));
    }
    if let EntryKind::Settled(kind) = e.kind {
        out.push(("settlement", kind.as_str().to_string()));
    }
    if let Some(by) = &e.by {
        out.push(("by", by.clone()));
    }
    if let Some(into) = &e.into {
        out.push(("into", into.clone()));
    }
    out
}

/// A beancount string: no `"` or `\\` inside.
fn quoted(text: &str) -> String {
    format!("\"{}\"", text.replace(['"', '\\'], "'"))
}

/// Builds the journal text.
pub fn journal(
    ctx: &Context,
    resolved: &Resolved,
    filters: &Filters,
    dialect: Journal,
    book: Option<&PriceBook>,
) -> Result<String> {
    let corpus: &Corpus = &ctx.corpus;
    let reg = &corpus.registry;
    let q = ctx.query(filters)?;
    let report = journal_report(corpus, resolved, &q)?;
    let entries = &report.entries;
    let mut scale: BTreeMap<String, u32> = BTreeMap::new();
    for e in entries {
        for p in &e.postings {
            for (c, a) in p.amounts.iter() {
                let e = scale.entry(reg.commodity(c).id.clone()).or_default();
                *e = (*e).max(a.normalize().scale());
            }
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
    let first = entries.first().map(|t| t.year);
    if let Some(y) = first.filter(|y| *y < 1) {
        bail!(
            "a payment falls in year {y}; the journal tools cannot write years before 1 CE (narrow with --from)"
        );
    }
    #[expect(
        clippy::arithmetic_side_effects,
        reason = "1 <= y < 1400 (checked above), so every step stays within 0..=1800"
    )]
    let shift: Year = match (dialect, first) {
        (Journal::Ledger, Some(y)) if y < 1400 => (1400 - y + 399) / 400 * 400,
        _ => 0,
    };
    if let Some(last) = entries
        .last()
        .map(|t| t.year.saturating_add(shift))
        .filter(|y| *y > 9999)
    {
        bail!(
            "a payment falls in year {last} (after any shift); the journal tools stop at 9999 (narrow with --to)"
        );
    }
    let comment = ";";
    let mut out = String::new();
    // A journal without a day from any schedule keeps the header it had before entries had days.
    let days = entries.iter().any(|e| e.dating != Dating::Convention);
    let dated = if days {
        "tribute export: the account of record, as the payer's books; one transaction per stream, year and kind (a due for each day due), dated on the day the schedule gives (tag day), else 1 January by convention"
    } else {
        "tribute export: the account of record, as the payer's books; one transaction per stream, year and kind, dated 1 January"
    };
    let tag_list = format!(
        "tags: treaty, stream, evidence (recorded, assumed, unknown, suspended, withheld, arrears), {}reading, source, settlement, by, into",
        if days {
            "day (due, or last-due: the year's last day due), "
        } else {
            ""
        }
    );
    for line in [
        dated,
        "Expenses:Tribute falls due, against Liabilities:Owed, whose balance is the arrears (fell due, known not delivered, not settled)",
        "cleared by Assets:Paid:Recorded (a delivery record says so), Assets:Paid:Assumed (the file assumes it was paid as owed: not a record),",
        "Equity:DeliveryUnknown (not known either way), Income:Lapsed (a suspension's dues lapsed), Income:Forgiven and Equity:Rescheduled (settlements)",
        &tag_list,
    ] {
        writeln!(out, "{comment} {line}")?;
    }
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
    // Every year is at most the last, which is at most 9999 after the shift (checked above); a
    // shift of a multiple of 400 years keeps every day (29 February included) a real date.
    let date = |y: Year| format!("{:04}-01-01", y.saturating_add(shift));
    let day = |d: Date| {
        format!(
            "{:04}-{:02}-{:02}",
            d.year().saturating_add(shift),
            d.month(),
            d.day()
        )
    };
    // `1,000` with the commodity's decimals: the digit grouping the tools display.
    let example = |s: u32| {
        let mut text = amount(Decimal::from(1000), s);
        text.insert(1, ',');
        if s == 0 {
            // hledger asks for a decimal mark to tell `1,000` from a decimal comma.
            text.push('.');
        }
        text
    };
    match dialect {
        Journal::Hledger => {
            for (id, s) in &scale {
                writeln!(out, "commodity {} {}", example(*s), symbol(id))?;
            }
            out.push('\n');
        }
        Journal::Ledger => {
            for (id, s) in &scale {
                let sample = example(*s);
                let sample = sample.trim_end_matches('.');
                writeln!(out, "commodity {}", symbol(id))?;
                writeln!(out, "    format {sample} {}", symbol(id))?;
            }
            out.push('\n');
        }
        Journal::Beancount => {
            writeln!(out, "option \"render_commas\" \"TRUE\"")?;
            let mut accounts = BTreeSet::new();
            for e in entries {
                for p in &e.postings {
                    accounts.insert(account_name(p.account, &e.payer, &e.payee));
                }
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
            entries.first().map_or(Year::MIN, |t| t.year),
            entries.last().map_or(Year::MAX, |t| t.year),
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
    for e in entries {
        let title = format!("{} → {}", e.payer, e.payee);
        let what = narration(e, report.from);
        match dialect {
            Journal::Beancount => {
                writeln!(
                    out,
                    "{} * {} {}",
                    day(e.date),
                    quoted(&title),
                    quoted(&what)
                )?;
                for (name, value) in tags(e) {
                    writeln!(out, "  {name}: {}", quoted(&value))?;
                }
                if let Some(ground) = &e.ground {
                    writeln!(out, "  ground: {}", quoted(ground))?;
                }
            }
            _ => {
                writeln!(out, "{} {title} | {what}", day(e.date))?;
                for (name, value) in tags(e) {
                    writeln!(out, "    ; {name}: {value}")?;
                }
            }
        }
        let indent = if dialect == Journal::Beancount {
            "  "
        } else {
            "    "
        };
        for p in &e.postings {
            let name = account_name(p.account, &e.payer, &e.payee);
            for (c, a) in p.amounts.iter() {
                let id = &reg.commodity(c).id;
                writeln!(
                    out,
                    "{indent}{name}  {} {}",
                    amount(a, scale[id]),
                    symbol(id)
                )?;
            }
        }
        out.push('\n');
    }
    Ok(out)
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
