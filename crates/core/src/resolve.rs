//! Resolution: from a corpus and a choice of readings to payment streams.
//!
//! A stream is one obligation of one treaty after everything later treaties did to it: ends and
//! supersessions cut it, adjustments add to each payment, suspensions mark years owed but not
//! delivered, and recorded deliveries say what is known to have been handed over. Only amendments
//! and suspensions recorded in treaties that are in force take effect; recorded deliveries are
//! facts and count wherever they are written. An open-ended stream that nothing ends runs to the
//! end of its payer's or payee's existence as the party registry gives it.

use compact_str::CompactString;
use std::sync::{Arc, Mutex, PoisonError};

use rayon::prelude::*;

use crate::amount::{Basket, Year};
use crate::error::{Error, ErrorKind, Result};
use crate::loader::Corpus;
use crate::model::*;
use crate::schedule::{Piece, Schedule};

mod changes;
use changes::{Gathered, ItemRun};

/// The readings a user selected by name.
#[derive(Debug, Clone, Default)]
pub struct Readings {
    names: Vec<String>,
}

impl Readings {
    /// Every item at its file's default reading.
    pub fn defaults() -> Readings {
        Readings::default()
    }

    /// Selects readings by name; each name must be offered by some item of the corpus.
    pub fn select(names: &[String], corpus: &Corpus) -> Result<Readings> {
        if names.is_empty() {
            // Nothing to look up: the corpus's names (a walk of every item) are not gathered.
            return Ok(Readings::defaults());
        }
        let known = corpus.reading_names();
        for n in names {
            if !known.contains(n) {
                return Err(Error::new(
                    ErrorKind::Reading,
                    format!("no treaty offers a reading named `{n}`"),
                )
                .help(crate::suggest::with_advice(
                    n,
                    "readings",
                    known.iter().map(String::as_str),
                    "`tribute show ID` lists a treaty's readings, `tribute list` every treaty's",
                )));
            }
        }
        let mut names = names.to_vec();
        names.sort();
        names.dedup();
        Ok(Readings { names })
    }

    /// The names selected.
    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// The variant of `item` these readings select: the one named, else the default.
    pub fn pick<'a, T>(&self, item: &'a Item<T>, treaty: &Treaty) -> Result<&'a Variant<T>> {
        let mut chosen = item
            .variants
            .iter()
            .filter(|v| v.reading.as_ref().is_some_and(|r| self.names.contains(r)));
        match (chosen.next(), chosen.next()) {
            (Some(a), Some(b)) => Err(Error::new(
                ErrorKind::Reading,
                format!(
                    "readings `{}` and `{}` both apply to `{}/{}`; choose one",
                    a.reading.as_deref().unwrap_or_default(),
                    b.reading.as_deref().unwrap_or_default(),
                    treaty.id,
                    item.id
                ),
            )
            .at(a.at.clone())),
            (Some(a), None) => Ok(a),
            _ => Ok(item.default_variant()),
        }
    }
}

/// An amendment as applied to a stream.
#[derive(Debug, Clone)]
pub struct AppliedAmendment {
    /// The amending treaty.
    pub treaty: String,
    /// The amendment's id.
    pub id: String,
    /// The reading used, if the amendment has several.
    pub reading: Option<String>,
    /// adjust, supersede or end.
    pub action: ActionKind,
    /// First year affected.
    pub from: Year,
    /// The change per payment, for adjustments.
    pub change: Option<Basket>,
}

/// A delivery recorded against a stream: what was handed over in a year, and which record says so.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordedDelivery {
    /// The year.
    pub year: Year,
    /// What was handed over.
    pub amounts: Basket,
    /// `treaty/delivery-id` that records it.
    pub by: String,
}

/// A settlement of a stream's arrears: written off, rescheduled or reduced in a year.
#[derive(Debug, Clone)]
pub struct Settlement {
    /// The year it takes effect: the arrears outstanding at the start of this year are settled.
    pub year: Year,
    /// write-off, reschedule or reduce.
    pub kind: ActionKind,
    /// `treaty/amendment-id` that records it.
    pub by: String,
    /// For a reschedule: the stream (`treaty/obligation`) that carries the new schedule.
    pub into: Option<String>,
    /// For a reduce: the balance left (commodities not named keep theirs).
    pub balance: Option<Basket>,
}

/// Years a stream was suspended, and by which record.
#[derive(Debug, Clone)]
pub struct SuspendedYears {
    /// First year.
    pub from: Year,
    /// Last year.
    pub to: Year,
    /// `treaty/suspension-id` that records it.
    pub by: String,
    /// Why, if given.
    pub reason: Option<String>,
    /// Whether what fell due in those years stays owed.
    pub arrears: ArrearsRule,
}

/// One obligation after amendments, suspensions and deliveries.
#[derive(Debug, Clone)]
pub struct Stream {
    /// The treaty that created it.
    pub treaty: CompactString,
    /// The obligation's id.
    pub obligation: CompactString,
    /// Who pays.
    pub payer: CompactString,
    /// Who receives.
    pub payee: CompactString,
    /// The treaty's status.
    pub status: Status,
    /// The obligation's label, else the treaty's.
    pub label: CompactString,
    /// The schedule as written (the reading chosen).
    pub schedule: Arc<dyn Schedule>,
    /// The reading chosen, if the obligation has several.
    pub reading: Option<String>,
    /// What falls due: the schedule's pieces plus adjustments, cut where the stream ends.
    pub pieces: Vec<Piece>,
    /// First year no longer owed because an amendment ended or superseded the stream.
    pub cut: Option<Year>,
    /// For an open-ended stream that nothing ended: the last year, from the parties' existence.
    pub horizon: Option<Year>,
    /// Amendments applied, in order of year.
    pub amendments: Vec<AppliedAmendment>,
    /// Suspended year ranges as recorded (may overlap).
    pub suspended: Vec<SuspendedYears>,
    /// The union of suspended ranges, sorted and disjoint.
    pub suspended_union: Vec<(Year, Year)>,
    /// What is known of delivery.
    pub delivery: DeliveryMode,
    /// For `as-owed`: the file's ground for assuming the payments were made, if it gives one.
    pub ground: Option<String>,
    /// For a loan: the stream (`treaty/obligation`) whose payments its proceeds made.
    pub finances: Option<String>,
    /// For a loan: what the borrower received.
    pub received: Option<Basket>,
    /// Settlements of its arrears, by year.
    pub settlements: Vec<Settlement>,
    /// Recorded deliveries, by year.
    pub deliveries: Vec<RecordedDelivery>,
    /// The obligation's sources.
    pub sources: Vec<SourceRef>,
    /// Where the obligation (the reading chosen) is written.
    pub at: crate::error::Location,
}

impl Stream {
    /// `treaty/obligation`.
    pub fn key(&self) -> String {
        format!("{}/{}", self.treaty, self.obligation)
    }

    /// True if `year` lies in a suspended range.
    pub fn is_suspended(&self, year: Year) -> bool {
        self.suspended_union
            .iter()
            .any(|&(a, b)| a <= year && year <= b)
    }

    /// The first and last year anything falls due or is delivered, if any.
    pub fn span(&self) -> Option<(Year, Year)> {
        let pieces = self
            .pieces
            .iter()
            .filter(|p| p.count > 0)
            .map(|p| (p.start, p.last()));
        let deliveries = self.deliveries.iter().map(|d| (d.year, d.year));
        pieces
            .chain(deliveries)
            .reduce(|a, b| (a.0.min(b.0), a.1.max(b.1)))
    }
}

/// All streams of a corpus under one choice of readings.
#[derive(Debug, Clone)]
pub struct Resolved {
    /// Streams, sorted by treaty and obligation.
    pub streams: Vec<Stream>,
    /// The readings selected.
    pub readings: Readings,
    /// For every item with several readings: (`treaty/item`, reading used).
    pub used: Vec<(String, String)>,
}

/// What later treaties do to one stream, gathered before the stream is built: the first year
/// an end or supersession cuts it, the amendments applied, the adjustments waiting for its
/// pieces, settlements of its arrears, suspensions and recorded deliveries.
#[derive(Default)]
struct Changes {
    cut: Option<Year>,
    amendments: Vec<AppliedAmendment>,
    adjustments: Vec<Adjustment>,
    settlements: Vec<Settlement>,
    suspended: Vec<SuspendedYears>,
    deliveries: Vec<RecordedDelivery>,
}

/// Stream `i`'s changes, made empty the first time a change comes.
fn slot(changes: &mut [Option<Box<Changes>>], i: usize) -> Option<&mut Changes> {
    changes
        .get_mut(i)
        .map(|c| &mut **c.get_or_insert_with(Box::default))
}

/// An obligation of a treaty with the variant the readings pick.
type Chosen<'c> = (&'c Treaty, &'c Item<Obligation>, &'c Variant<Obligation>);

/// An adjustment waiting for its stream's pieces: from, to, the change per payment, and the
/// `treaty/amendment` that makes it.
type Adjustment = (Year, Option<Year>, Basket, String);

impl Resolved {
    /// Resolves every stream of `corpus` under `readings`.
    pub fn new(corpus: &Corpus, readings: &Readings) -> Result<Resolved> {
        // Every obligation in the order of the streams (treaty id, then obligation id) with the
        // variant its reading picks; the first reading error in that order wins.
        let mut used = Vec::new();
        let mut note_used = |t: &Treaty, id: &str, v: Option<&String>| {
            if let Some(r) = v {
                used.push((format!("{}/{id}", t.id), r.clone()));
            }
        };
        // Each treaty's obligations in id order with their default variants, whether it changes
        // other streams, and whether any obligation has readings to pick from, on all cores: ten
        // thousand boxed treaties strewn over the heap are memory-bound to look at, one after
        // another.
        let treaties: Vec<(&str, &Treaty)> = corpus
            .treaties
            .iter()
            .map(|(key, t)| (key.as_str(), &**t))
            .collect();
        // A run of treaties walked: their obligations (in the treaties' order, each treaty's by id,
        // with their default variants), and for each treaty how many it has, whether it changes
        // other streams, and whether any obligation has readings to pick from. Walked in runs
        // (one list per run, not one per treaty: ten thousand lists made on one core and freed
        // on another were as slow as the walk).
        type Walked<'c> = (Vec<Chosen<'c>>, Vec<(usize, bool, bool)>);
        fn walk<'c>(run: &[(&str, &'c Treaty)]) -> Walked<'c> {
            let mut chosen: Vec<Chosen<'c>> =
                Vec::with_capacity(run.iter().map(|(_, t)| t.obligations.len()).sum());
            let mut each = Vec::with_capacity(run.len());
            for &(_, t) in run {
                let first = chosen.len();
                chosen.extend(
                    t.obligations
                        .iter()
                        .map(|item| (t, item, item.default_variant())),
                );
                let mine = chosen.get_mut(first..).unwrap_or_default();
                mine.sort_by(|a, b| a.1.id.cmp(&b.1.id));
                let changing = !(t.amendments.is_empty()
                    && t.suspensions.is_empty()
                    && t.deliveries.is_empty());
                let readings = mine.iter().any(|(_, item, _)| item.variants.len() > 1);
                each.push((mine.len(), changing, readings));
            }
            (chosen, each)
        }
        const RUN: usize = 1024;
        let walked: Vec<Walked<'_>> = if treaties.len() < RUN.saturating_mul(2) {
            vec![walk(&treaties)]
        } else {
            treaties.par_chunks(RUN).map(walk).collect()
        };
        let mut chosen: Vec<Chosen<'_>> =
            Vec::with_capacity(walked.iter().map(|w| w.0.len()).sum());
        // The streams of each treaty, in the treaty map's order (so sorted by id, and found by a
        // binary search): its id, its first stream and how many.
        let mut of_treaty: Vec<(&str, usize, usize)> = Vec::with_capacity(treaties.len());
        // The treaties that amend, suspend or record deliveries, in order: the only ones walked
        // again below.
        let mut changing: Vec<&Treaty> = Vec::new();
        let mut counts = Vec::with_capacity(treaties.len());
        for (mine, each) in walked {
            chosen.extend(mine);
            counts.extend(each);
        }
        let mut first = 0usize;
        for (&(key, t), (n, changes, readings_to_pick)) in treaties.iter().zip(counts) {
            of_treaty.push((key, first, n));
            let start = first;
            first = first.saturating_add(n);
            if changes {
                changing.push(t);
            }
            if !readings_to_pick {
                continue;
            }
            for entry in chosen.get_mut(start..first).unwrap_or_default() {
                let (t, item, _) = *entry;
                // An item of one variant has it whatever the readings (not read here).
                if item.variants.len() < 2 {
                    continue;
                }
                let v = readings.pick(item, t)?;
                note_used(t, &item.id, v.reading.as_ref());
                entry.2 = v;
            }
        }
        // The streams a target names (all of a treaty's, or one), as `targets` finds them in the
        // corpus, and the stream of (treaty, obligation).
        let streams_of_treaty = |id: &str| -> Option<(usize, usize)> {
            let k = of_treaty.binary_search_by(|(t, _, _)| (*t).cmp(id)).ok()?;
            of_treaty.get(k).map(|&(_, first, n)| (first, n))
        };
        let streams_of = |target: &Target| -> Vec<usize> {
            let Some((first, n)) = streams_of_treaty(target.treaty.as_str()) else {
                return Vec::new();
            };
            (first..first.saturating_add(n))
                .filter(|&i| {
                    target
                        .obligation
                        .as_ref()
                        .is_none_or(|o| chosen.get(i).is_some_and(|c| c.1.id == o))
                })
                .collect()
        };
        let find = |&(treaty, obligation): &(&str, &str)| -> Option<usize> {
            let (first, n) = streams_of_treaty(treaty)?;
            (first..first.saturating_add(n))
                .find(|&i| chosen.get(i).is_some_and(|c| c.1.id == obligation))
        };
        // What later treaties do to each stream, gathered first, so each stream is then built and
        // finished in one go. Most streams get nothing: a slot is a pointer, boxed changes made
        // only for a stream that has some (a dense list of empty ones was 1.5 MB at 11,764).
        let mut changes: Vec<Option<Box<Changes>>> =
            std::iter::repeat_with(|| None).take(chosen.len()).collect();
        // Each changing treaty's items in runs (a machine-made file has thousands), each run's
        // changes gathered on all cores, then applied in order: the first error in the items'
        // order wins, and each stream gets its changes in that order, as in one walk.
        const ITEMS: usize = 256;
        let ctx = changes::Context {
            readings,
            chosen: &chosen,
            streams_of: &streams_of,
            find: &find,
        };
        let mut runs: Vec<ItemRun<'_>> = Vec::new();
        for &t in &changing {
            runs.extend(
                t.amendments
                    .chunks(ITEMS)
                    .map(|r| ItemRun::Amendments(t, r)),
            );
            runs.extend(
                t.suspensions
                    .chunks(ITEMS)
                    .map(|r| ItemRun::Suspensions(t, r)),
            );
            runs.extend(
                t.deliveries
                    .chunks(ITEMS)
                    .map(|r| ItemRun::Deliveries(t, r)),
            );
        }
        // On all cores only when some treaty has a full run: a corpus written by hand (the
        // built-in one) has a few changes per treaty, gathered here faster than a core wakes.
        let full = runs.iter().any(|r| r.len() == ITEMS);
        let gathered: Vec<Result<Gathered>> = if !full {
            runs.iter().map(|r| changes::gather(r, &ctx)).collect()
        } else {
            runs.par_iter().map(|r| changes::gather(r, &ctx)).collect()
        };
        for run in gathered {
            let (changed, used_here) = run?;
            used.extend(used_here);
            changes::apply(&mut changes, changed);
        }
        // Each stream is built from its obligation and its changes and finished on its own, so
        // on all cores (for more than a handful), straight into its place; the first error in
        // stream order wins.
        let first_error: Mutex<Option<(usize, Error)>> = Mutex::new(None);
        let build = |(i, (&(t, item, v), changes)): (
            usize,
            (&Chosen<'_>, Option<Box<Changes>>),
        )|
         -> Stream {
            let o = &v.def;
            let Changes {
                cut,
                amendments,
                adjustments,
                settlements,
                suspended,
                deliveries,
            } = changes.map(|c| *c).unwrap_or_default();
            let mut stream = Stream {
                treaty: CompactString::new(&t.id),
                obligation: CompactString::new(&item.id),
                payer: CompactString::new(o.payer.as_deref().unwrap_or(&t.payer)),
                payee: CompactString::new(o.payee.as_deref().unwrap_or(&t.payee)),
                status: t.status,
                label: CompactString::new(o.label.as_deref().unwrap_or(&t.label)),
                schedule: Arc::clone(&o.schedule),
                reading: v.reading.clone(),
                pieces: Vec::new(),
                cut,
                horizon: None,
                amendments,
                suspended,
                suspended_union: Vec::new(),
                delivery: o.delivery,
                ground: o.ground.clone(),
                finances: o.finances.as_ref().map(|f| f.to_string()),
                received: o.received.clone(),
                settlements,
                deliveries,
                sources: o.sources.clone(),
                at: v.at.clone(),
            };
            if let Err(e) = finish(corpus, &mut stream, &adjustments) {
                let mut first = first_error.lock().unwrap_or_else(PoisonError::into_inner);
                if first.as_ref().is_none_or(|(j, _)| i < *j) {
                    *first = Some((i, e));
                }
            }
            stream
        };
        let streams: Vec<Stream> = if chosen.len() < 64 {
            chosen.iter().zip(changes).enumerate().map(build).collect()
        } else {
            chosen
                .par_iter()
                .zip(changes.into_par_iter())
                .enumerate()
                .map(build)
                .collect()
        };
        if let Some((_, e)) = first_error
            .into_inner()
            .unwrap_or_else(PoisonError::into_inner)
        {
            return Err(e);
        }
        used.sort();
        Ok(Resolved {
            streams,
            readings: readings.clone(),
            used,
        })
    }
}

/// Builds a stream's pieces: schedule, adjustments, cut; checks nothing owed goes below zero.
fn finish(corpus: &Corpus, stream: &mut Stream, adjustments: &[Adjustment]) -> Result<()> {
    let reg = &corpus.registry;
    let end = match (stream.schedule.last_year(), stream.cut) {
        (Some(last), _) => last,
        // A cut at the first year of all leaves nothing owed (the cut below removes everything).
        (None, Some(cut)) => cut.checked_sub(1).unwrap_or(Year::MIN),
        (None, None) => {
            let ends: Vec<Year> = [&stream.payer, &stream.payee]
                .iter()
                .filter_map(|p| reg.find_party(p).and_then(|p| p.to))
                .collect();
            match ends.into_iter().min() {
                Some(e) => {
                    stream.horizon = Some(e);
                    e
                }
                None => {
                    return Err(Error::new(
                        ErrorKind::Value,
                        format!("obligation `{}` is open-ended and nothing ends it", stream.key()),
                    )
                    .at(stream.at.clone())
                    .help(format!(
                        "give it `to = YEAR`, end it with an amendment in a later treaty, or register when {} or {} ceased to exist ([[party]] with `to` in a registry file)",
                        stream.payer, stream.payee
                    )));
                }
            }
        }
    };
    let mut pieces = stream.schedule.pieces(end);
    // The schedule's own pieces, kept apart only when adjustments are clipped to them (most
    // streams have none: no copy for them).
    let base = if adjustments.is_empty() {
        Vec::new()
    } else {
        pieces.clone()
    };
    for (from, to, change, _by) in adjustments {
        for p in &base {
            let hi = to.unwrap_or(Year::MAX);
            if let Some(mut clipped) = p.clip(*from, hi) {
                clipped.amounts = change.clone();
                // An adjustment changes what falls due, not how much of it is interest: the
                // change counts as principal.
                clipped.interest = Basket::new();
                pieces.push(clipped);
            }
        }
    }
    if let Some(cut) = stream.cut {
        pieces = match cut.checked_sub(1) {
            Some(last) => pieces
                .iter()
                .filter_map(|p| p.clip(Year::MIN, last))
                .collect(),
            None => Vec::new(),
        };
    }
    pieces.retain(|p| p.count > 0 && !p.amounts.is_empty());
    // Owed can only change where a piece starts or stops; check the sum there. One piece with
    // nothing below zero cannot fail the check (its sum in any year is itself or nothing), so
    // only a stream of several pieces, or of one below zero, is probed.
    if pieces.len() > 1 || pieces.iter().any(|p| p.amounts.has_negative()) {
        check_owed(corpus, stream, &pieces, adjustments)?;
    }
    pieces.sort_by_key(|p| (p.start, p.step));
    stream.pieces = pieces;
    stream.amendments.sort_by_key(|a| a.from);
    stream.suspended.sort_by_key(|s| (s.from, s.to));
    let mut union: Vec<(Year, Year)> = Vec::new();
    for s in &stream.suspended {
        match union.last_mut() {
            Some(last) if s.from <= last.1.saturating_add(1) => last.1 = last.1.max(s.to),
            _ => union.push((s.from, s.to)),
        }
    }
    stream.suspended_union = union;
    stream.deliveries.sort_by_key(|d| d.year);
    stream.settlements.sort_by_key(|s| s.year);
    Ok(())
}

/// Checks that what `pieces` owe sums, and is nowhere below zero, in every year where a piece
/// starts or the year after one stops (where the sum can change).
fn check_owed(
    corpus: &Corpus,
    stream: &Stream,
    pieces: &[Piece],
    adjustments: &[Adjustment],
) -> Result<()> {
    let reg = &corpus.registry;
    // (The year after a piece, computed wide: there is none past the last year of all.)
    let mut probes: Vec<Year> = pieces
        .iter()
        .flat_map(|p| {
            let after = i64::from(p.last())
                .checked_add(i64::from(p.step))
                .and_then(|y| Year::try_from(y).ok());
            std::iter::once(p.start).chain(after)
        })
        .collect();
    probes.sort();
    probes.dedup();
    for y in probes {
        let mut sum = Basket::new();
        for p in pieces.iter().filter(|p| p.falls_in(y)) {
            sum = sum.plus(&p.amounts).map_err(|e| overflow(stream, "", e))?;
        }
        if sum.has_negative() {
            let Some((c, amount)) = sum.iter().find(|e| e.1.is_sign_negative()) else {
                continue;
            };
            let by: Vec<String> = adjustments.iter().map(|a| a.3.clone()).collect();
            return Err(Error::new(
                ErrorKind::Value,
                format!(
                    "adjustments ({}) make `{}` owe {} {} of {} in {y}",
                    by.join(", "),
                    stream.key(),
                    amount,
                    reg.unit_of(c),
                    reg.commodity(c).id
                ),
            )
            .at(stream.at.clone())
            .help("an adjustment can lower a payment at most to zero; check the amounts and years of the adjusting treaty"));
        }
    }
    Ok(())
}

/// An overflow error naming the stream's treaty.
pub(crate) fn overflow(stream: &Stream, _path: &str, e: Error) -> Error {
    Error::new(
        e.kind(),
        format!(
            "treaty `{}`, obligation `{}`: {}",
            stream.treaty,
            stream.obligation,
            e.message()
        ),
    )
    .at(stream.at.clone())
    .help("an amount this large cannot be summed exactly; check the amounts and years in the file")
}
