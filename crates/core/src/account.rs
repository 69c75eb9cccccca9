//! The account of record of one stream: what was recorded, what is assumed, what is unknown, and
//! the arrears — what fell due, is known not to have been delivered, and is still owed.
//!
//! Each payment-year of a stream has one status:
//! - *assumed*: the stream is `as-owed` and the year is not suspended: the file assumes the payment
//!   was made (the obligation's `ground` says why) — never shown as recorded;
//! - *recorded*: a delivery record says what was handed over (streams `unknown` or `none` only);
//! - *unknown*: delivery `unknown`, not suspended: what was not recorded is not known either way;
//! - *suspended*: a suspension covers the year: nothing delivered beyond what is recorded; the
//!   shortfall accrues as arrears unless the suspension says `arrears = "lapse"`;
//! - *withheld*: delivery `none`, not suspended: the shortfall accrues as arrears.
//!
//! The arrears balance of a year is the last year's, less what the settlements taking effect this
//! year forgive (`write-off`, `reschedule`: all of it; `reduce`: down to the new balance), plus
//! this year's accruing shortfall, less what was delivered beyond this year's due (which pays
//! arrears off), never below zero, commodity by commodity. It is a stock: it runs on after the
//! stream's last payment until something settles it.

use rust_decimal::Decimal;

use crate::amount::{Basket, CommodityId, Year, sub};
use crate::error::Result;
use crate::model::{ActionKind, ArrearsRule, DeliveryMode};
use crate::resolve::Stream;

/// What falls due from `stream` in `year`.
pub(crate) fn owed_in(stream: &Stream, year: Year) -> Result<Basket> {
    let mut sum = Basket::new();
    for p in stream.pieces.iter().filter(|p| p.falls_in(year)) {
        sum = sum.plus(&p.amounts)?;
    }
    Ok(sum)
}

/// What the records say was handed over in `year`.
pub(crate) fn recorded_in(stream: &Stream, year: Year) -> Result<Basket> {
    let mut sum = Basket::new();
    for d in stream.deliveries.iter().filter(|d| d.year == year) {
        sum = sum.plus(&d.amounts)?;
    }
    Ok(sum)
}

/// True if what falls due in `year`, suspended, lapses rather than accrues (a suspension covering
/// the year says so).
pub(crate) fn lapses(stream: &Stream, year: Year) -> bool {
    stream
        .suspended
        .iter()
        .any(|s| s.from <= year && year <= s.to && s.arrears == ArrearsRule::Lapse)
}

/// True if the stream can fall into arrears: something accrues (delivery `none`, or a suspension
/// that does not lapse).
pub(crate) fn can_accrue(stream: &Stream) -> bool {
    stream.delivery == DeliveryMode::None
        || stream
            .suspended
            .iter()
            .any(|s| s.arrears == ArrearsRule::Accrue)
}

/// `min(a, b)` commodity by commodity, over the commodities of `a`.
pub(crate) fn min_each(a: &Basket, b: &Basket) -> Result<Basket> {
    let mut out = Basket::new();
    for (c, x) in a.iter() {
        out.add_amount(c, x.min(b.get(c)))?;
    }
    Ok(out)
}

/// `max(a - b, 0)` commodity by commodity, over the commodities of `a`.
pub(crate) fn shortfall(a: &Basket, b: &Basket) -> Result<Basket> {
    let mut out = Basket::new();
    for (c, x) in a.iter() {
        let d = sub(x, b.get(c))?;
        if d > Decimal::ZERO {
            out.add_amount(c, d)?;
        }
    }
    Ok(out)
}

/// One settlement as it took effect: what it forgave or moved, in the year it took effect.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settled {
    /// The year.
    pub year: Year,
    /// write-off, reschedule or reduce.
    pub kind: ActionKind,
    /// `treaty/amendment` that records it.
    pub by: String,
    /// For a reschedule, the stream that carries the new schedule.
    pub into: Option<String>,
    /// The arrears it settled (may be empty: nothing was outstanding).
    pub amounts: Basket,
}

/// A stream's arrears, year by year.
#[derive(Debug, Clone, Default)]
pub(crate) struct Arrears {
    /// First year of the run.
    pub first: Year,
    /// The balance at the end of each year from `first`; after the last, it stays as it was.
    pub balance: Vec<Basket>,
    /// The shortfall of suspended years that lapsed, per year (same indexing).
    pub lapsed: Vec<Basket>,
    /// What was recorded beyond the year's due and paid arrears off, per year (same indexing).
    pub paid_off: Vec<Basket>,
    /// What was paid ahead (recorded in an earlier year beyond that year's due and its arrears)
    /// and covers this year's due, per year (same indexing).
    pub ahead: Vec<Basket>,
    /// What records cover of each year's due outside suspensions, per year (same indexing): what
    /// was paid ahead, then the year's own records up to the rest of its due.
    pub covered: Vec<Basket>,
    /// Settlements as they took effect.
    pub settled: Vec<Settled>,
}

impl Arrears {
    /// The balance at the end of `year` (zero before the run).
    pub fn at(&self, year: Year) -> Basket {
        if year < self.first || self.balance.is_empty() {
            return Basket::new();
        }
        let i = year.abs_diff(self.first) as usize;
        self.balance
            .get(i)
            .or(self.balance.last())
            .cloned()
            .unwrap_or_default()
    }

    /// What recorded deliveries beyond the year's due paid off of the arrears in `year`.
    pub fn paid_off_in(&self, year: Year) -> Basket {
        if year < self.first {
            return Basket::new();
        }
        let i = year.abs_diff(self.first) as usize;
        self.paid_off.get(i).cloned().unwrap_or_default()
    }

    /// What was paid ahead and covers the due of `year`.
    pub fn ahead_in(&self, year: Year) -> Basket {
        if year < self.first {
            return Basket::new();
        }
        let i = year.abs_diff(self.first) as usize;
        self.ahead.get(i).cloned().unwrap_or_default()
    }

    /// The part of what fell due in `lo..=hi`, outside suspended years, that records cover.
    /// What is unknown (or withheld) is what fell due there less this.
    pub fn covered_in(&self, lo: Year, hi: Year) -> Result<Basket> {
        let mut sum = Basket::new();
        for (i, b) in self.covered.iter().enumerate() {
            let y = i64::from(self.first).saturating_add(i as i64);
            if i64::from(lo) <= y && y <= i64::from(hi) {
                sum = sum.plus(b)?;
            }
        }
        Ok(sum)
    }

    /// What lapsed in `lo..=hi`.
    pub fn lapsed_in(&self, lo: Year, hi: Year) -> Result<Basket> {
        let mut sum = Basket::new();
        for (i, b) in self.lapsed.iter().enumerate() {
            let y = i64::from(self.first).saturating_add(i as i64);
            if i64::from(lo) <= y && y <= i64::from(hi) {
                sum = sum.plus(b)?;
            }
        }
        Ok(sum)
    }

    /// What settlements forgave or moved in `lo..=hi`.
    pub fn settled_in(&self, lo: Year, hi: Year) -> Result<Basket> {
        let mut sum = Basket::new();
        for s in self.settled.iter().filter(|s| lo <= s.year && s.year <= hi) {
            sum = sum.plus(&s.amounts)?;
        }
        Ok(sum)
    }
}

/// The first and last year of a stream's events: payments, records and settlements.
pub(crate) fn run_years(stream: &Stream) -> Option<(Year, Year)> {
    let span = stream.span();
    let settle_years = stream.settlements.iter().map(|s| s.year);
    let first = span
        .map(|s| s.0)
        .into_iter()
        .chain(settle_years.clone())
        .min();
    let last = span.map(|s| s.1).into_iter().chain(settle_years).max();
    first.zip(last)
}

/// True if a stream needs its account run ([`arrears`]): it can fall into arrears, has records
/// to set against its dues, or has settlements to list.
pub(crate) fn needs_run(stream: &Stream) -> bool {
    can_accrue(stream) || !stream.deliveries.is_empty() || !stream.settlements.is_empty()
}

/// Runs a stream's account from its first year to its last event (payment, record or
/// settlement): the arrears, and what records cover. A stream that cannot accrue has no arrears,
/// but its settlements are still listed (each settling nothing). Year by year:
/// - what was paid ahead covers the year's due first (a due that lapses takes none of it);
/// - the year's records cover the rest of its due; the shortfall lapses or accrues as arrears
///   (a suspended year, or delivery `none`);
/// - what the records hold beyond the due pays arrears off, and what is left is paid ahead: it
///   covers the next dues, earliest first (an instalment paid before its date counts against
///   it, never as a second payment).
pub(crate) fn arrears(stream: &Stream) -> Result<Arrears> {
    let Some((first, last)) = run_years(stream) else {
        return Ok(Arrears::default());
    };
    let mut out = Arrears {
        first,
        ..Arrears::default()
    };
    if !can_accrue(stream) && stream.deliveries.is_empty() {
        out.settled = stream
            .settlements
            .iter()
            .map(|s| Settled {
                year: s.year,
                kind: s.kind,
                by: s.by.clone(),
                into: s.into.clone(),
                amounts: Basket::new(),
            })
            .collect();
        return Ok(out);
    }
    let accrues = can_accrue(stream);
    // One entry a year in each list, reserved at once.
    let years = usize::try_from(i64::from(last).saturating_sub(i64::from(first)))
        .map_or(0, |n| n.saturating_add(1));
    out.balance.reserve(years);
    out.lapsed.reserve(years);
    out.paid_off.reserve(years);
    out.ahead.reserve(years);
    out.covered.reserve(years);
    let mut balance = Basket::new();
    let mut credit = Basket::new();
    for year in first..=last {
        for s in stream.settlements.iter().filter(|s| s.year == year) {
            let mut amounts = Basket::new();
            match (&s.kind, &s.balance) {
                (ActionKind::Reduce, Some(new)) => {
                    let mut kept = Basket::new();
                    for (c, b) in balance.iter() {
                        let target = if new.commodities().any(|x| x == c) {
                            new.get(c).min(b)
                        } else {
                            b
                        };
                        amounts.add_amount(c, sub(b, target)?)?;
                        kept.add_amount(c, target)?;
                    }
                    balance = kept;
                }
                _ => {
                    amounts = std::mem::take(&mut balance);
                }
            }
            out.settled.push(Settled {
                year,
                kind: s.kind,
                by: s.by.clone(),
                into: s.into.clone(),
                amounts,
            });
        }
        let due = owed_in(stream, year)?;
        let recorded = recorded_in(stream, year)?;
        let suspended = stream.is_suspended(year);
        let lapsing = suspended && lapses(stream, year);
        // Paid ahead covers this year's due first, unless that due lapses.
        let ahead = if lapsing || credit.is_empty() {
            Basket::new()
        } else {
            min_each(&due, &credit)?
        };
        let owed = if ahead.is_empty() {
            due
        } else {
            credit = credit.minus(&ahead)?;
            due.minus(&ahead)?
        };
        // What the year's records cover of the rest of its due.
        let own = if recorded.is_empty() {
            Basket::new()
        } else {
            min_each(&recorded, &owed)?
        };
        // With nothing recorded (most years), the shortfall is what fell due (its amounts above
        // zero) and nothing is delivered beyond it: computed so without copies.
        let (short, surplus) = if recorded.is_empty() && !owed.has_negative() {
            (owed, Basket::new())
        } else {
            // Delivered beyond this year's due pays arrears off.
            (shortfall(&owed, &recorded)?, shortfall(&recorded, &owed)?)
        };
        let mut lapsed = Basket::new();
        if lapsing {
            lapsed = short;
        } else if accrues && (suspended || stream.delivery == DeliveryMode::None) {
            balance = balance.plus(&short)?;
        }
        let mut paid_off = Basket::new();
        // Nothing delivered beyond the due pays nothing off: a balance above zero stays as it
        // is (the general step below would rebuild it entry by entry, unchanged).
        if !surplus.is_empty() || balance.has_negative() {
            let mut next = Basket::new();
            let commodities: Vec<CommodityId> = balance.commodities().collect();
            for c in commodities {
                let left = sub(balance.get(c), surplus.get(c))?.max(Decimal::ZERO);
                paid_off.add_amount(c, sub(balance.get(c), left)?)?;
                next.add_amount(c, left)?;
            }
            balance = next;
        }
        // What is left beyond the due and the arrears is paid ahead.
        if !surplus.is_empty() {
            credit = credit.plus(&surplus.minus(&paid_off)?)?;
        }
        let covered = if suspended || (ahead.is_empty() && own.is_empty()) {
            Basket::new()
        } else {
            ahead.plus(&own)?
        };
        out.balance.push(balance.clone());
        out.lapsed.push(lapsed);
        out.paid_off.push(paid_off);
        out.ahead.push(ahead);
        out.covered.push(covered);
    }
    Ok(out)
}
