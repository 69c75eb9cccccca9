//! The journal report: the account of record of each stream as double-entry transactions, per
//! stream and year, for the plain-text-accounting tools (`tribute export`). The payer's books:
//!
//! | entry | debit | credit | evidence |
//! |---|---|---|---|
//! | what falls due | `Expense` | `Owed` (a liability) | the year's status |
//! | what a record says was handed over | `Owed` (and `BeyondDue` for what exceeds the due and the arrears) | `PaidRecorded` | recorded |
//! | what was handed over beyond an earlier year's due, covering this year's (paid ahead) | `Owed` | `BeyondDue` | recorded |
//! | what is assumed handed over | `Owed` | `PaidAssumed` | assumed |
//! | what fell due whose delivery is unknown | `Owed` | `DeliveryUnknown` | unknown |
//! | what fell due in a suspension that lapsed | `Owed` | `Lapsed` | suspended |
//! | arrears written off or reduced | `Owed` | `Forgiven` | arrears |
//! | arrears rescheduled | `Owed` | `Rescheduled` | arrears |
//! | arrears outstanding before the first year exported | `Opening` | `Owed` | arrears |
//!
//! What must hold: every figure comes from [`crate::account`] (what falls due, what is recorded,
//! the arrears run with its settlements, lapses and pay-offs), never from a sum of its own; so the
//! balance of a stream's `Owed` account at the end of each year is its arrears at that year
//! (checked as the entries are built: a difference is an internal error, never a silent figure),
//! the `Expense` postings sum to what was owed, `PaidRecorded` to what was recorded, `PaidAssumed`
//! to what is assumed and `DeliveryUnknown` to what is of unknown delivery, as `tribute total`
//! reports them. Each transaction balances commodity by commodity.
//!
//! Dates: an entry is dated on a day only where the file gives one ([`Dating`]). Where the
//! stream's schedule gives its payments days ([`crate::schedule::Schedule::dated`]: the `dated`,
//! `annuity` and `amortisation` kinds) and the year's payments add up to what falls due that
//! year (no amendment changed it), the year's due is one entry per day due, on that day, and the
//! entries that say what became of the year's dues as a whole (assumed, unknown, lapsed, covered
//! ahead) are dated on the year's last day due, so none comes before what it clears. Everything
//! else (whole-year schedules, a year an amendment changed, delivery records, which carry a year
//! only, settlements and opening arrears, which act at the start of a year) is dated 1 January
//! of its year, by convention. Entries are ordered by date, then stream, then kind.

use std::collections::{BTreeMap, BTreeSet};

use super::ReadingsOut;
use crate::account;
use crate::amount::{Basket, CommodityId, YEAR_MAX, Year};
use crate::date::Date;
use crate::engine::Query;
use crate::error::{Error, ErrorKind, Result};
use crate::loader::Corpus;
use crate::model::{ActionKind, DeliveryMode};
use crate::resolve::{Resolved, Stream, overflow};

/// An account of the payer's books, for one payer and payee.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Account {
    /// What fell due (`Expenses:Tribute`).
    Expense,
    /// What fell due and is not yet cleared: the arrears (`Liabilities:Owed`).
    Owed,
    /// What a delivery record says was handed over (`Assets:Paid:Recorded`).
    PaidRecorded,
    /// What the file assumes was handed over, no record saying so (`Assets:Paid:Assumed`).
    PaidAssumed,
    /// What fell due whose delivery is not known either way (`Equity:DeliveryUnknown`).
    DeliveryUnknown,
    /// What fell due in suspended years that lapsed (`Income:Lapsed`).
    Lapsed,
    /// Arrears written off, or cut by a reduction (`Income:Forgiven`).
    Forgiven,
    /// Arrears replaced by a new schedule (`Equity:Rescheduled`).
    Rescheduled,
    /// What a record says was handed over beyond the year's due and the arrears
    /// (`Equity:RecordedBeyondDue`).
    BeyondDue,
    /// Arrears outstanding before the first year exported (`Equity:Opening`).
    Opening,
}

/// What a transaction records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum EntryKind {
    /// The arrears outstanding at the end of the year before the first one exported.
    Opening,
    /// A settlement of the arrears outstanding at the start of the year.
    Settled(ActionKind),
    /// What falls due.
    Due,
    /// What a delivery record says was handed over.
    Recorded,
    /// What was recorded beyond an earlier year's due and its arrears, covering this year's due.
    PaidAhead,
    /// What is assumed handed over (the stream is delivered as owed).
    Assumed,
    /// What fell due whose delivery is unknown, less what records cover.
    Unknown,
    /// What fell due in a suspended year and lapsed.
    Lapsed,
}

/// What a transaction rests on: the status of the payment-year (see `docs/evidence.md`), or
/// `Arrears` for the transactions that move arrears (settlements, opening balances).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Evidence {
    /// A delivery record, with its source.
    Recorded,
    /// The file's assumption that the payment was made as owed (not a record).
    Assumed,
    /// Nothing is known either way.
    Unknown,
    /// The year was suspended (a war): nothing delivered beyond what is recorded.
    Suspended,
    /// Known not to have been delivered, beyond what is recorded.
    Withheld,
    /// Arrears: fell due, known not delivered.
    Arrears,
}

impl Evidence {
    /// The tag value: `recorded`, `assumed`, `unknown`, `suspended`, `withheld`, `arrears`.
    pub fn as_str(self) -> &'static str {
        match self {
            Evidence::Recorded => "recorded",
            Evidence::Assumed => "assumed",
            Evidence::Unknown => "unknown",
            Evidence::Suspended => "suspended",
            Evidence::Withheld => "withheld",
            Evidence::Arrears => "arrears",
        }
    }
}

/// Where an entry's date comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Dating {
    /// Nothing gives a day: 1 January of the year, by convention (a whole-year schedule, a year an
    /// amendment changed, a delivery record, a settlement, opening arrears).
    Convention,
    /// The day the schedule gives for the payment (what falls due that day).
    Due,
    /// The last day the schedule gives for the year's payments: the entry says what became of the
    /// year's dues as a whole (assumed, unknown, lapsed, covered ahead).
    LastDue,
}

impl Dating {
    /// The tag value: `due`, `last-due`; `None` for the convention (1 January).
    pub fn tag(self) -> Option<&'static str> {
        match self {
            Dating::Convention => None,
            Dating::Due => Some("due"),
            Dating::LastDue => Some("last-due"),
        }
    }
}

/// One posting: an account and its amounts, debits positive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Posting {
    /// The account (of the entry's payer and payee).
    pub account: Account,
    /// The amounts, a debit positive and a credit negative.
    pub amounts: Basket,
}

/// One transaction: a stream, a year and its date, what it records, its postings (balanced
/// commodity by commodity) and what it rests on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The payment-year.
    pub year: Year,
    /// The day it is dated, in `year`: see `dating`.
    pub date: Date,
    /// Where `date` comes from: the schedule's day, or 1 January by convention.
    pub dating: Dating,
    /// The stream (`treaty/obligation`).
    pub stream: String,
    /// The stream's treaty.
    pub treaty: String,
    /// Who pays.
    pub payer: String,
    /// Who receives.
    pub payee: String,
    /// What it records.
    pub kind: EntryKind,
    /// What it rests on.
    pub evidence: Evidence,
    /// The item that records it, when not the obligation itself (`treaty/item`: a delivery
    /// record, a suspension, a settlement).
    pub by: Option<String>,
    /// For a reschedule, the stream that carries the new schedule.
    pub into: Option<String>,
    /// For an assumed payment, the file's ground for assuming it.
    pub ground: Option<String>,
    /// The readings the entry rests on (of the items bearing on it that have several), sorted.
    pub readings: Vec<String>,
    /// The ids of the sources the entry rests on, sorted.
    pub sources: Vec<String>,
    /// The postings, balanced commodity by commodity.
    pub postings: Vec<Posting>,
}

/// The journal of the streams a query selects.
#[derive(Debug, Clone)]
pub struct JournalReport {
    /// First year exported, if bounded (arrears before it open as `Opening` entries).
    pub from: Option<Year>,
    /// Last year exported, if bounded.
    pub to: Option<Year>,
    /// The transactions, by date, stream and kind.
    pub entries: Vec<Entry>,
    /// The commodities that appear, sorted.
    pub commodities: Vec<CommodityId>,
    /// The readings the figures rest on.
    pub readings: ReadingsOut,
}

impl JournalReport {
    /// The balance of `account` of `payer → payee` over all entries (debits positive).
    pub fn balance(&self, account: Account, payer: &str, payee: &str) -> Result<Basket> {
        let mut sum = Basket::new();
        for e in self
            .entries
            .iter()
            .filter(|e| e.payer == payer && e.payee == payee)
        {
            for p in e.postings.iter().filter(|p| p.account == account) {
                sum = sum.plus(&p.amounts)?;
            }
        }
        Ok(sum)
    }
}

/// `-b`.
fn negated(b: &Basket) -> Result<Basket> {
    Basket::new().minus(b)
}

/// The journal of the streams `query` selects, from `query.from` (arrears outstanding before it
/// open the journal) to `query.to`.
pub fn journal(corpus: &Corpus, resolved: &Resolved, query: &Query) -> Result<JournalReport> {
    query.validate(corpus)?;
    let streams: Vec<&Stream> = resolved
        .streams
        .iter()
        .filter(|s| query.selects(corpus, s))
        .collect();
    let mut entries = Vec::new();
    for s in &streams {
        let path = &corpus.treaties[s.treaty.as_str()].path;
        stream_entries(corpus, resolved, s, query, &mut entries)
            .map_err(|e| overflow(s, path, e))?;
    }
    // Stable: several records of a stream's year keep their file order.
    entries.sort_by(|a, b| (a.date, &a.stream, a.kind).cmp(&(b.date, &b.stream, b.kind)));
    let commodities: BTreeSet<CommodityId> = entries
        .iter()
        .flat_map(|e| e.postings.iter().flat_map(|p| p.amounts.commodities()))
        .collect();
    Ok(JournalReport {
        from: query.from,
        to: query.to,
        entries,
        commodities: commodities.into_iter().collect(),
        readings: ReadingsOut::of_streams(resolved, streams.iter().copied()),
    })
}

/// The status of a payment-year, as `crate::account` defines it.
fn status(stream: &Stream, year: Year, recorded: &Basket) -> Evidence {
    if stream.is_suspended(year) {
        Evidence::Suspended
    } else {
        match stream.delivery {
            DeliveryMode::AsOwed => Evidence::Assumed,
            _ if !recorded.is_empty() => Evidence::Recorded,
            DeliveryMode::Unknown => Evidence::Unknown,
            DeliveryMode::None => Evidence::Withheld,
        }
    }
}

/// The ids of the sources of item `key` (`treaty/item`: an amendment, suspension or delivery
/// record) under the reading used, sorted.
fn item_sources(corpus: &Corpus, resolved: &Resolved, key: &str) -> Vec<String> {
    let Some((treaty, id)) = key.split_once('/') else {
        return Vec::new();
    };
    let Some(t) = corpus.treaties.get(treaty) else {
        return Vec::new();
    };
    let reading = resolved
        .used
        .iter()
        .find(|(item, _)| item == key)
        .map(|(_, r)| r.as_str());
    fn pick<'a, T>(
        items: &'a [crate::model::Item<T>],
        id: &str,
        reading: Option<&str>,
    ) -> Option<&'a T> {
        let item = items.iter().find(|i| i.id == id)?;
        let v = item
            .variants
            .iter()
            .find(|v| v.reading.as_deref() == reading && reading.is_some())
            .unwrap_or(item.default_variant());
        Some(&v.def)
    }
    let refs = pick(&t.amendments, id, reading)
        .map(|d| &d.sources)
        .or_else(|| pick(&t.suspensions, id, reading).map(|d| &d.sources))
        .or_else(|| pick(&t.deliveries, id, reading).map(|d| &d.sources));
    let mut out: Vec<String> = refs.into_iter().flatten().map(|r| r.id.clone()).collect();
    out.sort();
    out.dedup();
    out
}

/// The reading names used by the items `keys`, sorted and deduplicated.
fn readings_of<'a>(resolved: &Resolved, keys: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let keys: BTreeSet<&str> = keys.into_iter().collect();
    let names: BTreeSet<String> = resolved
        .used
        .iter()
        .filter(|(item, _)| keys.contains(item.as_str()))
        .map(|(_, r)| r.clone())
        .collect();
    names.into_iter().collect()
}

/// The days the schedule of `s` gives its payments, by year: each day's amounts summed, in order
/// of day. Empty for a schedule of whole years.
fn schedule_days(s: &Stream) -> Result<BTreeMap<Year, Vec<(Date, Basket)>>> {
    let end = s.schedule.last_year().or(s.horizon).unwrap_or(YEAR_MAX);
    let mut days: BTreeMap<Year, BTreeMap<Date, Basket>> = BTreeMap::new();
    for p in s.schedule.dated(end).unwrap_or_default() {
        if p.amounts.is_empty() {
            continue;
        }
        let day = days
            .entry(p.due.year())
            .or_default()
            .entry(p.due)
            .or_default();
        *day = day.plus(&p.amounts)?;
    }
    Ok(days
        .into_iter()
        .map(|(y, d)| (y, d.into_iter().collect()))
        .collect())
}

/// The days due of `year` and what falls due on each, if the schedule gives days and they add up
/// to `owed`, what falls due in the year (an amendment that changed the year's due leaves it
/// undated).
fn days_due<'a>(
    days: &'a BTreeMap<Year, Vec<(Date, Basket)>>,
    year: Year,
    owed: &Basket,
) -> Result<Option<&'a [(Date, Basket)]>> {
    let Some(list) = days.get(&year).filter(|l| !l.is_empty()) else {
        return Ok(None);
    };
    let mut sum = Basket::new();
    for (_, amounts) in list {
        sum = sum.plus(amounts)?;
    }
    Ok((sum == *owed).then_some(list.as_slice()))
}

/// 1 January of `year`, the date of an entry nothing gives a day for.
fn new_year(key: &str, year: Year) -> Result<Date> {
    Date::in_year(year, 1, 1).ok_or_else(|| {
        Error::new(
            ErrorKind::Value,
            format!("internal: {key} has a payment-year {year} outside the supported years"),
        )
    })
}

/// `e` dated on `date`, as `dating` says.
fn on(mut e: Entry, date: Option<Date>, dating: Dating) -> Entry {
    if let Some(date) = date {
        e.date = date;
        e.dating = dating;
    }
    e
}

/// Appends the entries of stream `s` in the query's years.
fn stream_entries(
    corpus: &Corpus,
    resolved: &Resolved,
    s: &Stream,
    query: &Query,
    out: &mut Vec<Entry>,
) -> Result<()> {
    let Some((first, last)) = account::run_years(s) else {
        return Ok(());
    };
    let lo = query.from.map_or(first, |f| f.max(first));
    let hi = query.to.map_or(last, |t| t.min(last));
    let run = account::arrears(s)?;
    let key = s.key();
    let days = schedule_days(s)?;
    // What the obligation's own figures of a year rest on: the obligation and the amendments
    // in effect by then (an end from 1122 does not bear on 1005).
    let mut amends: Vec<(Year, String)> = s
        .amendments
        .iter()
        .map(|a| (a.from, format!("{}/{}", a.treaty, a.id)))
        .collect();
    amends.sort();
    let own_keys: Vec<String> = std::iter::once(key.clone())
        .chain(amends.iter().map(|(_, k)| k.clone()))
        .collect();
    let stages: Vec<(Vec<String>, Vec<String>)> = (0..=amends.len())
        .map(|k| {
            let keys = &own_keys[..=k];
            let mut sources: Vec<String> = s.sources.iter().map(|r| r.id.clone()).collect();
            for a in &keys[1..] {
                sources.extend(item_sources(corpus, resolved, a));
            }
            sources.sort();
            sources.dedup();
            (
                readings_of(resolved, keys.iter().map(String::as_str)),
                sources,
            )
        })
        .collect();
    let entry = |year: Year, kind: EntryKind, evidence: Evidence, postings: Vec<Posting>| {
        let (readings, sources) = &stages[amends.iter().filter(|(f, _)| *f <= year).count()];
        Ok(Entry {
            year,
            date: new_year(&key, year)?,
            dating: Dating::Convention,
            stream: key.clone(),
            treaty: s.treaty.to_string(),
            payer: s.payer.to_string(),
            payee: s.payee.to_string(),
            kind,
            evidence,
            by: None,
            into: None,
            ground: None,
            readings: readings.clone(),
            sources: sources.clone(),
            postings,
        })
    };
    let by_item = |mut e: Entry, by: &str| {
        e.readings = readings_of(resolved, [by]);
        e.sources = item_sources(corpus, resolved, by);
        e.by = Some(by.to_string());
        e
    };
    let two = |debit: Account, credit: Account, amounts: &Basket| -> Result<Vec<Posting>> {
        Ok(vec![
            Posting {
                account: debit,
                amounts: amounts.clone(),
            },
            Posting {
                account: credit,
                amounts: negated(amounts)?,
            },
        ])
    };
    if lo > hi {
        return Ok(());
    }
    // The liability of this stream as the entries build it, checked against the arrears run.
    let mut owed_balance = Basket::new();
    if lo > first {
        let opening = run.at(lo.saturating_sub(1));
        if !opening.is_empty() {
            let mut e = entry(
                lo,
                EntryKind::Opening,
                Evidence::Arrears,
                two(Account::Opening, Account::Owed, &opening)?,
            )?;
            e.readings = readings_of(
                resolved,
                own_keys
                    .iter()
                    .map(String::as_str)
                    .chain(s.suspended.iter().map(|x| x.by.as_str()))
                    .chain(s.deliveries.iter().map(|d| d.by.as_str()))
                    .chain(s.settlements.iter().map(|x| x.by.as_str())),
            );
            out.push(e);
            owed_balance = opening;
        }
    }
    for year in lo..=hi {
        for st in run.settled.iter().filter(|st| st.year == year) {
            if st.amounts.is_empty() {
                continue;
            }
            let credit = match st.kind {
                ActionKind::Reschedule => Account::Rescheduled,
                _ => Account::Forgiven,
            };
            let mut e = by_item(
                entry(
                    year,
                    EntryKind::Settled(st.kind),
                    Evidence::Arrears,
                    two(Account::Owed, credit, &st.amounts)?,
                )?,
                &st.by,
            );
            e.into = st.into.clone();
            out.push(e);
            owed_balance = owed_balance.minus(&st.amounts)?;
        }
        let owed = account::owed_in(s, year)?;
        let recorded = account::recorded_in(s, year)?;
        let evidence = status(s, year, &recorded);
        // The schedule's days, where it gives them: one due per day; what became of the year's
        // dues as a whole is dated on the last of them.
        let due_days = days_due(&days, year, &owed)?;
        let last_due = due_days.and_then(|d| d.last()).map(|(day, _)| *day);
        if !owed.is_empty() {
            match due_days {
                Some(list) => {
                    for (day, amounts) in list {
                        let e = entry(
                            year,
                            EntryKind::Due,
                            evidence,
                            two(Account::Expense, Account::Owed, amounts)?,
                        )?;
                        out.push(on(e, Some(*day), Dating::Due));
                    }
                }
                None => out.push(entry(
                    year,
                    EntryKind::Due,
                    evidence,
                    two(Account::Expense, Account::Owed, &owed)?,
                )?),
            }
            owed_balance = owed_balance.plus(&owed)?;
        }
        // The entries of the year's dues as a whole, on the year's last day due if it has days.
        let of_dues = |e: Entry| on(e, last_due, Dating::LastDue);
        // What was paid ahead in earlier years covers this year's due first.
        let ahead = run.ahead_in(year);
        if !ahead.is_empty() {
            out.push(of_dues(entry(
                year,
                EntryKind::PaidAhead,
                Evidence::Recorded,
                two(Account::Owed, Account::BeyondDue, &ahead)?,
            )?));
            owed_balance = owed_balance.minus(&ahead)?;
        }
        let owed = owed.minus(&ahead)?;
        if !recorded.is_empty() {
            // What records cover of the year's due, then what pays arrears off, clear the
            // liability; anything beyond is booked apart. Several records of a year take their
            // share in file order.
            let covered = account::min_each(&recorded, &owed)?;
            let mut to_owed = covered.plus(&run.paid_off_in(year))?;
            for d in s.deliveries.iter().filter(|d| d.year == year) {
                let clears = account::min_each(&d.amounts, &to_owed)?;
                to_owed = to_owed.minus(&clears)?;
                let beyond = d.amounts.minus(&clears)?;
                let mut postings = Vec::new();
                if !clears.is_empty() {
                    postings.push(Posting {
                        account: Account::Owed,
                        amounts: clears.clone(),
                    });
                }
                if !beyond.is_empty() {
                    postings.push(Posting {
                        account: Account::BeyondDue,
                        amounts: beyond,
                    });
                }
                postings.push(Posting {
                    account: Account::PaidRecorded,
                    amounts: negated(&d.amounts)?,
                });
                out.push(by_item(
                    entry(year, EntryKind::Recorded, Evidence::Recorded, postings)?,
                    &d.by,
                ));
                owed_balance = owed_balance.minus(&clears)?;
            }
        }
        let suspended = s.is_suspended(year);
        let short = account::shortfall(&owed, &recorded)?;
        if suspended {
            if account::lapses(s, year) && !short.is_empty() {
                let by = s
                    .suspended
                    .iter()
                    .find(|x| x.from <= year && year <= x.to && account::lapses(s, year))
                    .map(|x| x.by.clone());
                let mut e = of_dues(entry(
                    year,
                    EntryKind::Lapsed,
                    Evidence::Suspended,
                    two(Account::Owed, Account::Lapsed, &short)?,
                )?);
                if let Some(by) = by {
                    e = by_item(e, &by);
                }
                out.push(e);
                owed_balance = owed_balance.minus(&short)?;
            }
        } else {
            match s.delivery {
                DeliveryMode::AsOwed if !owed.is_empty() => {
                    let mut e = of_dues(entry(
                        year,
                        EntryKind::Assumed,
                        Evidence::Assumed,
                        two(Account::Owed, Account::PaidAssumed, &owed)?,
                    )?);
                    e.ground = s.ground.clone();
                    out.push(e);
                    owed_balance = owed_balance.minus(&owed)?;
                }
                DeliveryMode::Unknown if !short.is_empty() => {
                    out.push(of_dues(entry(
                        year,
                        EntryKind::Unknown,
                        Evidence::Unknown,
                        two(Account::Owed, Account::DeliveryUnknown, &short)?,
                    )?));
                    owed_balance = owed_balance.minus(&short)?;
                }
                _ => {}
            }
        }
        let arrears = run.at(year);
        if owed_balance != arrears {
            return Err(Error::new(
                ErrorKind::Value,
                format!(
                    "internal: the journal's liability of {key} at the end of {year} differs from its arrears"
                ),
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use rust_decimal::Decimal;

    use super::*;
    use crate::engine::{GroupBy, Totals};
    use crate::resolve::Readings;

    fn corpus() -> (Corpus, Resolved) {
        let corpus = Corpus::load(&[crate::plugin::builtin()]).expect("the built-in corpus");
        let resolved = Resolved::new(&corpus, &Readings::defaults()).expect("resolves");
        (corpus, resolved)
    }

    fn query(from: Option<Year>, to: Option<Year>) -> Query {
        Query {
            from,
            to,
            ..Query::default()
        }
    }

    /// Every transaction balances, and per pair the accounts hold what the engine's closed-form
    /// totals say: owed, recorded, assumed, unknown, and the arrears as the liability.
    #[test]
    fn the_accounts_hold_the_totals_of_each_pair() {
        let (corpus, resolved) = corpus();
        for (from, to) in [
            (None, None),
            (None, Some(1837)),
            (None, Some(1223)),
            (Some(1830), Some(1837)),
        ] {
            let q = query(from, to);
            let j = journal(&corpus, &resolved, &q).unwrap();
            assert!(!j.entries.is_empty());
            // Dated within their year, in order; 1 January wherever nothing gives a day.
            assert!(j.entries.windows(2).all(|w| w[0].date <= w[1].date));
            for e in &j.entries {
                assert_eq!(e.date.year(), e.year, "{e:?}");
                if e.dating == Dating::Convention {
                    assert_eq!((e.date.month(), e.date.day()), (1, 1), "{e:?}");
                }
            }
            for e in &j.entries {
                let mut sum = Basket::new();
                for p in &e.postings {
                    sum = sum.plus(&p.amounts).unwrap();
                }
                assert!(sum.is_empty(), "{e:?} does not balance");
            }
            let totals = Totals::new(&corpus, &resolved, &q, GroupBy::Pair).unwrap();
            for r in &totals.rows {
                let (payer, payee) = r.group.split_once(" → ").unwrap();
                let get = |a: Account| j.balance(a, payer, payee).unwrap().get(r.commodity);
                let at = format!("{:?} {} {:?}", (from, to), r.group, r.commodity);
                // With --from, the arrears before it open the liability: only flows in the range.
                assert_eq!(get(Account::Expense), r.owed, "{at}");
                assert_eq!(get(Account::PaidRecorded), -r.recorded, "{at}");
                assert_eq!(get(Account::PaidAssumed), -r.assumed, "{at}");
                assert_eq!(get(Account::DeliveryUnknown), -r.unknown, "{at}");
                assert_eq!(get(Account::Owed), -r.arrears, "{at}");
            }
        }
    }

    /// By hand from the sources (tests/evidence.rs): Haiti's record of 1825 clears 29,300,000
    /// of the first 30,000,000; the 1224 peace forgives ten years of 300,000 taels of silver.
    #[test]
    fn the_haiti_record_and_the_1224_write_off() {
        let (corpus, resolved) = corpus();
        let j = journal(&corpus, &resolved, &query(None, None)).unwrap();
        let franc = corpus.registry.find_commodity("franc").unwrap();
        let silver = corpus.registry.find_commodity("silver").unwrap();
        let record = j
            .entries
            .iter()
            .find(|e| e.year == 1825 && e.kind == EntryKind::Recorded)
            .expect("the 1825 record");
        assert_eq!(record.evidence, Evidence::Recorded);
        assert_eq!(record.postings[0].account, Account::Owed);
        assert_eq!(
            record.postings[0].amounts.get(franc),
            Decimal::from(29_300_000)
        );
        let write_off = j
            .entries
            .iter()
            .find(|e| e.year == 1224 && e.kind == EntryKind::Settled(ActionKind::WriteOff))
            .expect("the 1224 write-off");
        assert_eq!(write_off.by.as_deref(), Some("song-jin-1224/write-off"));
        assert_eq!(write_off.postings[1].account, Account::Forgiven);
        assert_eq!(
            write_off.postings[1].amounts.get(silver),
            -Decimal::from(10 * 300_000)
        );
        // Shimonoseki's first instalment: its day is the file's (1895-11-08), and so is its
        // 50,000,000 Kuping taels; the Liaotung retrocession of 1895 has no day (1 January).
        let kuping = corpus.registry.find_commodity("kuping-silver").unwrap();
        let first = j
            .entries
            .iter()
            .find(|e| {
                e.stream == "japan-china-1895-shimonoseki/indemnity" && e.kind == EntryKind::Due
            })
            .expect("the first instalment");
        assert_eq!(
            (first.date.to_string(), first.dating),
            ("1895-11-08".to_string(), Dating::Due)
        );
        assert_eq!(
            first.postings[0].amounts.get(kuping),
            Decimal::from(50_000_000)
        );
        let liaotung = j
            .entries
            .iter()
            .find(|e| e.stream == "japan-china-1895-shimonoseki/liaotung")
            .expect("the retrocession");
        assert_eq!(
            (liaotung.date.to_string(), liaotung.dating),
            ("1895-01-01".to_string(), Dating::Convention)
        );
        // Assumed payments are never booked as recorded.
        assert!(j.entries.iter().all(|e| {
            e.kind != EntryKind::Assumed
                || e.postings
                    .iter()
                    .all(|p| p.account != Account::PaidRecorded)
        }));
    }
}
