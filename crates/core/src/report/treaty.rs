//! The treaty report (`tribute show`): one treaty in full — its streams as resolved under the
//! selected readings, the payments they come to and their totals per stream, and, as written, its
//! terms, sources and notes.
//!
//! What must hold: every figure (each payment, each piece's total, the totals) is computed here
//! with checked arithmetic; the front end lays the terms out but computes nothing.

use schemars::JsonSchema;
use serde::Serialize;

use super::{Amounts, Dec, ReadingsOut};
use crate::amount::{Basket, Year, times};
use crate::engine::{GroupBy, Query, Totals};
use crate::error::Result;
use crate::loader::Corpus;
use crate::model::{Status, Treaty};
use crate::resolve::{Resolved, Stream};

/// One line of the resolved payments: a piece of a stream in one commodity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct PaymentRow {
    /// `treaty/obligation`.
    pub stream: String,
    /// The first year.
    pub from: Year,
    /// The last year.
    pub to: Year,
    /// Years between payments.
    pub every: u32,
    /// How many payments.
    pub count: u64,
    /// Commodity id.
    pub commodity: String,
    /// Its unit.
    pub unit: String,
    /// Each payment.
    pub each: Dec,
    /// All of them.
    pub total: Dec,
}

/// One dated payment of a stream in one commodity, as the schedule is written (before
/// amendments, suspensions and cuts, which work on whole years).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct DatedRow {
    /// When it falls due.
    pub due: crate::date::Date,
    /// Commodity id.
    pub commodity: String,
    /// Its unit.
    pub unit: String,
    /// The payment.
    pub payment: Dec,
    /// Its principal part (payment − interest).
    pub principal: Dec,
    /// Its interest part.
    pub interest: Dec,
    /// The principal still owed after it.
    pub balance: Dec,
}

/// The dated payments of one stream.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct DatedOut {
    /// `treaty/obligation`.
    pub stream: String,
    /// Every rounding the schedule makes, in words.
    pub roundings: Vec<String>,
    /// The payments, by due date, one row per commodity.
    pub payments: Vec<DatedRow>,
}

/// A source as the treaty cites it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct SourceRow {
    /// Id.
    pub id: String,
    /// Quality grade (`A`–`D`, `?` if unknown).
    pub quality: String,
    /// Title.
    pub title: String,
}

/// The treaty report.
#[derive(Debug, Clone)]
pub struct TreatyReport<'c> {
    /// The treaty as loaded.
    pub treaty: &'c Treaty,
    /// Its streams under the selected readings.
    pub streams: Vec<Stream>,
    /// The payments they come to.
    pub payments: Vec<PaymentRow>,
    /// The dated payments of the streams whose schedules have dates.
    pub dated: Vec<DatedOut>,
    /// Totals per stream (every year, any status).
    pub totals: Totals,
    /// Every source the treaty and its items cite.
    pub sources: Vec<SourceRow>,
    /// The readings the figures rest on.
    pub readings: ReadingsOut,
    /// Its cautions (an assumption without a ground, a default on a C source alone), as
    /// `check` lists them.
    pub cautions: Vec<crate::error::Error>,
}

/// A claim a treaty file records, as `show` gives it (`check` evaluates it).
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ShowClaimOut {
    /// Its id.
    pub id: String,
    /// What the source says.
    pub statement: String,
    /// The treaty measured.
    pub compare: String,
    /// The treaty it is measured against.
    pub against: String,
    /// The value stated, in `unit`.
    pub value: Dec,
    /// `years`, `ratio`, `total` or `share`.
    pub unit: &'static str,
    /// How close a computed value must come.
    pub tolerance: String,
    /// Who makes it, with their grades.
    pub sources: Vec<super::SourceOut>,
}

/// Builds the report of treaty `id`.
pub fn treaty<'c>(corpus: &'c Corpus, resolved: &Resolved, id: &str) -> Result<TreatyReport<'c>> {
    let t = corpus.treaties.get(id).ok_or_else(|| {
        crate::error::Error::new(
            crate::error::ErrorKind::Reference,
            format!("no treaty `{id}` is loaded"),
        )
    })?;
    let reg = &corpus.registry;
    let streams: Vec<Stream> = resolved
        .streams
        .iter()
        .filter(|s| s.treaty == t.id)
        .cloned()
        .collect();
    let mut payments = Vec::new();
    for s in &streams {
        for p in &s.pieces {
            for (c, a) in p.amounts.iter() {
                payments.push(PaymentRow {
                    stream: s.key(),
                    from: p.start,
                    to: p.last(),
                    every: p.step,
                    count: p.count,
                    commodity: reg.commodity(c).id.clone(),
                    unit: reg.unit_of(c).to_string(),
                    each: Dec(a),
                    total: Dec(times(a, p.count)?),
                });
            }
        }
    }
    let mut dated = Vec::new();
    for s in &streams {
        let end = s
            .schedule
            .last_year()
            .or(s.horizon)
            .unwrap_or(crate::amount::YEAR_MAX);
        let Some(list) = s.schedule.dated(end) else {
            continue;
        };
        let mut rows = Vec::new();
        for p in &list {
            let principal = p.principal()?;
            for (c, a) in p.amounts.iter() {
                rows.push(DatedRow {
                    due: p.due,
                    commodity: reg.commodity(c).id.clone(),
                    unit: reg.unit_of(c).to_string(),
                    payment: Dec(a),
                    principal: Dec(principal.get(c)),
                    interest: Dec(p.interest.get(c)),
                    balance: Dec(p.balance.get(c)),
                });
            }
        }
        dated.push(DatedOut {
            stream: s.key(),
            roundings: s.schedule.roundings(),
            payments: rows,
        });
    }
    let totals = Totals::new(
        corpus,
        resolved,
        &Query {
            treaties: vec![t.id.to_string()],
            statuses: Status::ALL.to_vec(),
            ..Default::default()
        },
        GroupBy::Stream,
    )?;
    Ok(TreatyReport {
        treaty: t,
        streams,
        payments,
        dated,
        totals,
        sources: sources(corpus, t),
        readings: ReadingsOut::of(resolved),
        // Cautions are said under the default readings: the streams already resolved serve
        // unless other readings were selected.
        cautions: if resolved.readings.names().is_empty() {
            super::check::cautions_with(corpus, Some(resolved))
        } else {
            super::check::cautions(corpus)
        }
        .into_iter()
        .filter(|e| e.path() == Some(t.path.as_str()))
        .collect(),
    })
}

fn sources(corpus: &Corpus, t: &Treaty) -> Vec<SourceRow> {
    let mut ids: Vec<String> = t.sources.iter().map(|s| s.id.clone()).collect();
    let mut add = |refs: &[crate::model::SourceRef]| ids.extend(refs.iter().map(|s| s.id.clone()));
    for i in &t.obligations {
        i.variants.iter().for_each(|v| add(&v.def.sources));
    }
    for i in &t.amendments {
        i.variants.iter().for_each(|v| add(&v.def.sources));
    }
    for i in &t.suspensions {
        i.variants.iter().for_each(|v| add(&v.def.sources));
    }
    for i in &t.deliveries {
        i.variants.iter().for_each(|v| add(&v.def.sources));
    }
    ids.sort();
    ids.dedup();
    ids.into_iter()
        .map(|id| {
            let (q, title) = match t.local_sources.iter().find(|s| s.id == id) {
                Some(s) => (s.quality.letter(), s.title.clone()),
                None => match corpus.registry.find_source(&id) {
                    Some(s) => (s.quality.letter(), s.title.clone()),
                    None => ("?", String::new()),
                },
            };
            SourceRow {
                id,
                quality: q.to_string(),
                title,
            }
        })
        .collect()
}

/// A piece of a stream on the wire.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct PieceOut {
    /// First year.
    pub from: Year,
    /// Last year.
    pub to: Year,
    /// Years between payments.
    pub every: u32,
    /// How many.
    pub count: u64,
    /// Each payment.
    pub each: Amounts,
}

/// An amendment as applied to a stream, on the wire.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct AmendmentOut {
    /// `treaty/amendment`.
    pub by: String,
    /// adjust, supersede or end.
    pub action: crate::model::ActionKind,
    /// First year affected.
    pub from: Year,
    /// The reading used.
    pub reading: Option<String>,
    /// The change per payment.
    pub change: Option<Amounts>,
}

/// Suspended years on the wire.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct SuspendedOut {
    /// First year.
    pub from: Year,
    /// Last year.
    pub to: Year,
    /// `treaty/suspension`.
    pub by: String,
    /// Why.
    pub reason: Option<String>,
    /// `accrue` (what fell due stays owed) or `lapse`.
    pub arrears: crate::model::ArrearsRule,
}

/// A recorded delivery on the wire.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct DeliveryOut {
    /// The year.
    pub year: Year,
    /// `treaty/delivery`.
    pub by: String,
    /// What was handed over.
    pub amounts: Amounts,
}

/// A resolved stream on the wire.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct StreamOut {
    /// `treaty/obligation`.
    pub stream: String,
    /// Its label.
    pub label: String,
    /// Its schedule, described.
    pub schedule: String,
    /// The reading chosen.
    pub reading: Option<String>,
    /// What is known of delivery.
    pub delivery: &'static str,
    /// For `as-owed`: why the file assumes the payments were made (absent: no ground given).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ground: Option<String>,
    /// Who pays this stream (the treaty's payer unless the obligation names its own).
    pub payer: String,
    /// Who receives it (the treaty's payee unless the obligation names its own: a loan's lenders).
    pub payee: String,
    /// For a loan: the stream its proceeds paid.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub finances: Option<String>,
    /// For a loan: what the borrower received.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub received: Option<Amounts>,
    /// What falls due.
    pub pieces: Vec<PieceOut>,
    /// Amendments applied.
    pub amendments: Vec<AmendmentOut>,
    /// Suspended years.
    pub suspended: Vec<SuspendedOut>,
    /// Recorded deliveries.
    pub deliveries: Vec<DeliveryOut>,
}

/// The treaty as `--format json` prints it.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct TreatyOut {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Who pays.
    pub payer: String,
    /// Who receives.
    pub payee: String,
    /// Year signed.
    pub signed: Year,
    /// Status.
    pub status: &'static str,
    /// Label.
    pub label: String,
    /// Summary.
    pub summary: Option<String>,
    /// Notes.
    pub notes: Option<String>,
    /// The file.
    pub file: String,
    /// Sources cited.
    pub sources: Vec<SourceRow>,
    /// Readings.
    pub readings: ReadingsOut,
    /// The streams.
    pub streams: Vec<StreamOut>,
    /// The payments.
    pub payments: Vec<PaymentRow>,
    /// The dated payments of streams whose schedules have dates (due date, payment, principal,
    /// interest, balance after), with the roundings each schedule makes.
    pub dated: Vec<DatedOut>,
    /// Totals per stream.
    pub totals: Vec<super::totals::TotalRowOut>,
    /// The claims its file records (`tribute check` says where they hold).
    pub claims: Vec<ShowClaimOut>,
    /// Its cautions: an assumption without a ground, a default resting on a C source alone.
    pub cautions: Vec<super::check::ProblemOut>,
}

impl TreatyReport<'_> {
    /// The claims the file records, on the wire.
    pub fn claims(&self, corpus: &Corpus) -> Vec<ShowClaimOut> {
        let t = self.treaty;
        t.claims
            .iter()
            .map(|c| ShowClaimOut {
                id: c.id.clone(),
                statement: c.statement.clone(),
                compare: c.compare.to_string(),
                against: c.against.to_string(),
                value: Dec(c.value),
                unit: c.unit.as_str(),
                tolerance: c.tolerance.to_string(),
                sources: super::graded(corpus, c.sources.iter().map(|r| (t.id.as_str(), r))),
            })
            .collect()
    }

    /// The wire form.
    pub fn wire(&self, corpus: &Corpus) -> TreatyOut {
        let reg = &corpus.registry;
        let t = self.treaty;
        let amounts = |b: &Basket| Amounts::of(reg, b);
        TreatyOut {
            id: t.id.to_string(),
            name: t.name.to_string(),
            payer: t.payer.to_string(),
            payee: t.payee.to_string(),
            signed: t.signed,
            status: t.status.as_str(),
            label: t.label.to_string(),
            summary: t.summary.clone(),
            notes: t.notes.clone(),
            file: t.path.clone(),
            sources: self.sources.clone(),
            readings: self.readings.clone(),
            streams: self
                .streams
                .iter()
                .map(|s| StreamOut {
                    stream: s.key(),
                    label: s.label.to_string(),
                    schedule: s.schedule.describe(),
                    reading: s.reading.clone(),
                    delivery: s.delivery.as_str(),
                    ground: s.ground.clone(),
                    payer: s.payer.to_string(),
                    payee: s.payee.to_string(),
                    finances: s.finances.clone(),
                    received: s.received.as_ref().map(amounts),
                    pieces: s
                        .pieces
                        .iter()
                        .map(|p| PieceOut {
                            from: p.start,
                            to: p.last(),
                            every: p.step,
                            count: p.count,
                            each: amounts(&p.amounts),
                        })
                        .collect(),
                    amendments: s
                        .amendments
                        .iter()
                        .map(|a| AmendmentOut {
                            by: format!("{}/{}", a.treaty, a.id),
                            action: a.action,
                            from: a.from,
                            reading: a.reading.clone(),
                            change: a.change.as_ref().map(amounts),
                        })
                        .collect(),
                    suspended: s
                        .suspended
                        .iter()
                        .map(|x| SuspendedOut {
                            from: x.from,
                            to: x.to,
                            by: x.by.clone(),
                            reason: x.reason.clone(),
                            arrears: x.arrears,
                        })
                        .collect(),
                    deliveries: s
                        .deliveries
                        .iter()
                        .map(|d| DeliveryOut {
                            year: d.year,
                            by: d.by.clone(),
                            amounts: amounts(&d.amounts),
                        })
                        .collect(),
                })
                .collect(),
            payments: self.payments.clone(),
            dated: self.dated.clone(),
            totals: self
                .totals
                .rows
                .iter()
                .map(|r| super::totals::TotalRowOut::of(reg, r, None))
                .collect(),
            claims: self.claims(corpus),
            cautions: self
                .cautions
                .iter()
                .map(super::check::ProblemOut::of)
                .collect(),
        }
    }
}
