//! Per-stream sums over a year range, in closed form: what fell due, split by the status of
//! each year (recorded, assumed, unknown, suspended, withheld), the part that is interest, and
//! the stream's arrears and settlements from [`crate::account`]. The totals add these up per
//! group; a report that needs one stream's figure alone (a loan and what it financed) calls
//! [`stream_owed`].

use crate::account;
use crate::amount::{Basket, Year};
use crate::error::Result;
use crate::loader::Corpus;
use crate::model::{ArrearsRule, DeliveryMode};
use crate::resolve::{Stream, overflow};

/// Per-stream amounts over a year range: what fell due, split by the status of each year.
pub(crate) struct StreamSums {
    pub(crate) owed: Basket,
    pub(crate) interest: Basket,
    pub(crate) recorded: Basket,
    pub(crate) assumed: Basket,
    pub(crate) unknown: Basket,
    pub(crate) suspended: Basket,
    pub(crate) withheld: Basket,
    pub(crate) lapsed: Basket,
    pub(crate) arrears: Basket,
    pub(crate) settled: Basket,
}

/// A stream's sums over `lo..=hi`; `run` is its arrears run ([`arrears_run`]), computed once by a
/// caller that sums the same stream over several ranges.
pub(crate) fn stream_sums(
    stream: &Stream,
    path: &str,
    lo: Year,
    hi: Year,
    run: Option<&account::Arrears>,
) -> Result<StreamSums> {
    let ov = |e| overflow(stream, path, e);
    let mut owed = Basket::new();
    let mut interest = Basket::new();
    let mut suspended = Basket::new();
    for p in &stream.pieces {
        let n = p.count_in(lo, hi);
        owed = owed.plus(&p.amounts.times(n).map_err(ov)?).map_err(ov)?;
        if !p.interest.is_empty() {
            interest = interest
                .plus(&p.interest.times(n).map_err(ov)?)
                .map_err(ov)?;
        }
        for &(a, b) in &stream.suspended_union {
            let n = p.count_in(a.max(lo), b.min(hi));
            suspended = suspended
                .plus(&p.amounts.times(n).map_err(ov)?)
                .map_err(ov)?;
        }
    }
    let mut recorded = Basket::new();
    for crate::resolve::RecordedDelivery {
        year: y, amounts, ..
    } in &stream.deliveries
    {
        if lo <= *y && *y <= hi {
            recorded = recorded.plus(amounts).map_err(ov)?;
        }
    }
    let outside = owed.minus(&suspended).map_err(ov)?;
    let (mut assumed, mut unknown, mut withheld) = (Basket::new(), Basket::new(), Basket::new());
    match stream.delivery {
        DeliveryMode::AsOwed => assumed = outside,
        DeliveryMode::Unknown | DeliveryMode::None => {
            let covered = match run {
                Some(run) => run.covered_in(lo, hi).map_err(ov)?,
                None => Basket::new(),
            };
            let left = outside.minus(&covered).map_err(ov)?;
            if stream.delivery == DeliveryMode::Unknown {
                unknown = left;
            } else {
                withheld = left;
            }
        }
    }
    let (mut lapsed, mut arrears, mut settled) = (Basket::new(), Basket::new(), Basket::new());
    if let Some(run) = run {
        lapsed = run.lapsed_in(lo, hi).map_err(ov)?;
        settled = run.settled_in(lo, hi).map_err(ov)?;
        arrears = run.at(hi);
    } else if stream
        .suspended
        .iter()
        .any(|s| s.arrears == ArrearsRule::Lapse)
    {
        lapsed = suspended.clone();
    }
    Ok(StreamSums {
        owed,
        interest,
        recorded,
        assumed,
        unknown,
        suspended,
        withheld,
        lapsed,
        arrears,
        settled,
    })
}

/// What `stream` owes over `lo..=hi` (suspended years included): the closed-form sum the totals
/// use, for a report that needs one stream's figure on its own (a loan and what it financed).
/// Returns what is owed and the part of it that is interest.
pub fn stream_owed(
    corpus: &Corpus,
    stream: &Stream,
    lo: Year,
    hi: Year,
) -> Result<(Basket, Basket)> {
    let path = corpus
        .treaties
        .get(stream.treaty.as_str())
        .map_or("", |t| t.path.as_str());
    let sums = stream_sums(stream, path, lo, hi, None)?;
    Ok((sums.owed, sums.interest))
}

/// True if no sum [`stream_sums`] makes of a stream without an arrears run can overflow or lose
/// digits, for any years: the magnitudes of every payment (times its count, interest too) and
/// of every delivery, each taken at the largest scale among them, add up to less than 2^94. Any
/// figure the sums compute is a signed sum of those terms, each counted at most twice (what is
/// unknown is what fell due less what records cover), so it stays below 2^96 at that scale, the
/// most an exact decimal holds: every addition is exact. Integer arithmetic only, all checked;
/// false whenever it cannot tell, and the caller sums in full.
pub(crate) fn sums_fit(stream: &Stream) -> bool {
    let terms = || {
        let pieces = stream.pieces.iter().flat_map(|p| {
            p.amounts
                .iter()
                .chain(p.interest.iter())
                .map(move |(_, a)| (a, p.count))
        });
        let deliveries = stream
            .deliveries
            .iter()
            .flat_map(|d| d.amounts.iter().map(|(_, a)| (a, 1)));
        pieces.chain(deliveries)
    };
    let scale = terms().map(|(a, _)| a.scale()).max().unwrap_or(0);
    let mut total: u128 = 0;
    for (a, n) in terms() {
        let term = scale
            .checked_sub(a.scale())
            .and_then(|up| 10u128.checked_pow(up))
            .and_then(|shift| a.mantissa().unsigned_abs().checked_mul(shift))
            .and_then(|m| m.checked_mul(u128::from(n)));
        match term.and_then(|t| total.checked_add(t)) {
            Some(t) => total = t,
            None => return false,
        }
    }
    total < 1 << 94
}

/// A stream's arrears run, if it can have arrears or settlements (none otherwise).
pub(crate) fn arrears_run(stream: &Stream, path: &str) -> Result<Option<account::Arrears>> {
    if account::needs_run(stream) {
        account::arrears(stream)
            .map(Some)
            .map_err(|e| overflow(stream, path, e))
    } else {
        Ok(None)
    }
}

impl StreamSums {
    pub(crate) fn parts(&self) -> [&Basket; 10] {
        [
            &self.owed,
            &self.recorded,
            &self.assumed,
            &self.unknown,
            &self.suspended,
            &self.withheld,
            &self.lapsed,
            &self.arrears,
            &self.settled,
            &self.interest,
        ]
    }
}
