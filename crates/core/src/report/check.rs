//! The check report: every plugin file, every reading, every price book and every recorded claim.
//!
//! Loading already checks each file strictly. The check then resolves the corpus under the default
//! readings and under each reading name on its own, and under each it computes what the reports
//! compute — the ledger and the totals of every stream (any status) over the corpus's whole range,
//! valued with every loaded book — so that a clean check means every such report works (issue 12:
//! `check` exit 0 must not hide an overflow or a loss of digits that `ledger` or `total` would hit).
//! It lists the price books and evaluates every claim under every book and every combination of
//! the readings that change what the claim's treaties owe. What must hold: a problem is reported
//! once (the same error under several readings is one problem); a claim that does not hold is
//! information, not a problem.

use schemars::JsonSchema;
use serde::Serialize;

use super::{Dec, ledger, totals};
use crate::engine::{GroupBy, Query};
use crate::error::Error;
use crate::loader::Corpus;
use crate::model::Status;
use crate::resolve::{Readings, Resolved};
use crate::valuation::{ClaimCheck, Verdict, check_claims};

/// One line of the check: a file (or the registry, or the corpus) under some readings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct CheckItem {
    /// The file, `registry`, or `(corpus)`.
    pub item: String,
    /// The readings it was checked under (`defaults`, or names), or `—`.
    pub readings: String,
    /// `ok`, `ok: …` or `error: …`.
    pub result: String,
}

/// A loaded price book, in brief.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct BookSummary {
    /// Id.
    pub book: String,
    /// The file.
    pub file: String,
    /// What values are counted in.
    pub numeraire: String,
    /// How many rates.
    pub rates: usize,
    /// The commodities priced, comma-separated.
    pub priced: String,
}

/// The check report.
#[derive(Debug, Clone)]
pub struct CheckReport {
    /// Every problem found.
    pub problems: Vec<Error>,
    /// One line per file (and the registry).
    pub items: Vec<CheckItem>,
    /// The price books.
    pub books: Vec<BookSummary>,
    /// Every claim, evaluated.
    pub claims: Vec<ClaimCheck>,
    /// The sources of each claim (same order), with their grades.
    pub claim_sources: Vec<Vec<super::SourceOut>>,
    /// What a historian preparing a paper would want to know, though nothing is wrong: a payment
    /// assumed without a ground, a default reading resting on a C source alone. `check --strict`
    /// fails on them.
    pub cautions: Vec<Error>,
}

/// The cautions of a loaded corpus, in treaty order: every as-owed obligation (its default
/// reading) without a `ground`, every item whose default reading cites only C sources, and every
/// reduction that changes nothing under the default readings. Resolves the corpus at its default
/// readings; a caller that has done so already passes it to [`cautions_with`].
pub fn cautions(corpus: &Corpus) -> Vec<Error> {
    let defaults = Resolved::new(corpus, &Readings::defaults()).ok();
    cautions_with(corpus, defaults.as_ref())
}

/// [`cautions`], with the corpus already resolved at its default readings (`None` if it does not
/// resolve: the reductions are then not looked at, as the resolution error is reported anyway).
pub fn cautions_with(corpus: &Corpus, defaults: Option<&Resolved>) -> Vec<Error> {
    use crate::error::ErrorKind;
    debug_assert!(defaults.is_none_or(|r| r.readings.names().is_empty()));
    let mut out = Vec::new();
    for t in corpus.treaties.values() {
        let only_c = |sources: &[crate::model::SourceRef]| {
            !sources.is_empty()
                && sources.iter().all(|r| {
                    super::grade(corpus, &t.id, &r.id) == Some(crate::registry::Quality::C)
                })
        };
        let c_alone = |kind: &str,
                       id: &str,
                       v_at: &crate::error::Location,
                       sources: &[crate::model::SourceRef]| {
            only_c(sources).then(|| {
                let ids: Vec<&str> = sources.iter().map(|r| r.id.as_str()).collect();
                Error::new(
                    ErrorKind::Value,
                    format!(
                        "the default reading of {kind} {}/{id} rests on a C source alone ({})",
                        t.id,
                        ids.join(", ")
                    ),
                )
                .at(v_at.clone())
                .help("C sources (popular pages) corroborate; cite an A or B source for the default, or make this a reading that is not the default")
            })
        };
        for o in &t.obligations {
            let v = o.default_variant();
            if v.def.delivery == crate::model::DeliveryMode::AsOwed && v.def.ground.is_none() {
                out.push(
                    Error::new(
                        ErrorKind::Value,
                        format!(
                            "obligation {}/{} is assumed paid as owed, and the file gives no ground",
                            t.id, o.id
                        ),
                    )
                    .at(v.at.clone())
                    .help("add `ground = \"…\"` saying why the payments are assumed made (what the sources say), or set delivery = \"unknown\""),
                );
            }
            out.extend(c_alone("obligation", &o.id, &v.at, &v.def.sources));
        }
        for i in &t.amendments {
            let v = i.default_variant();
            out.extend(c_alone("amendment", &i.id, &v.at, &v.def.sources));
        }
        for i in &t.suspensions {
            let v = i.default_variant();
            out.extend(c_alone("suspension", &i.id, &v.at, &v.def.sources));
        }
        for i in &t.deliveries {
            let v = i.default_variant();
            out.extend(c_alone("delivery", &i.id, &v.at, &v.def.sources));
        }
    }
    if let Some(resolved) = defaults {
        out.extend(idle_reductions(corpus, resolved));
    }
    out
}

/// A `reduce` whose balance is at or above the arrears it meets changes nothing for that
/// commodity (a reduction never raises a balance): said as a caution at the amendment, under the
/// default readings, since a file that writes one has probably mistaken the figure or the year.
fn idle_reductions(corpus: &Corpus, resolved: &Resolved) -> Vec<Error> {
    use crate::error::ErrorKind;
    let reg = &corpus.registry;
    let mut out = Vec::new();
    for s in &resolved.streams {
        for st in &s.settlements {
            let (crate::model::ActionKind::Reduce, Some(new)) = (st.kind, &st.balance) else {
                continue;
            };
            let Ok(run) = crate::account::arrears(s) else {
                continue;
            };
            let before = run.at(st.year.saturating_sub(1));
            let at = st.by.split_once('/').and_then(|(t, id)| {
                let t = corpus.treaties.get(t)?;
                let a = t.amendments.iter().find(|a| a.id == id)?;
                Some(a.default_variant().at.clone())
            });
            for (c, b) in new.iter() {
                let had = before.get(c);
                if b < had {
                    continue;
                }
                let unit = reg.unit_of(c);
                let e = Error::new(
                    ErrorKind::Value,
                    format!(
                        "{} reduces the arrears of {} to {} {unit} of {} from {}, but they were {} {unit} then: it changes nothing",
                        st.by,
                        s.key(),
                        super::grouped(b),
                        reg.commodity(c).id,
                        st.year,
                        super::grouped(had)
                    ),
                )
                .help("a reduction only lowers a balance; check the amendment's `balance` and `from` against the arrears `tribute ledger` shows");
                out.push(match &at {
                    Some(l) => e.at(l.clone()),
                    None => e,
                });
            }
        }
    }
    out
}

/// Computes what the reports compute under one selection of readings, so that an arithmetic
/// failure any of them would hit is found here: over the whole corpus (`treaties` empty), or over
/// the treaties a reading can change (the defaults have covered the rest).
fn reports_compute(
    corpus: &Corpus,
    resolved: &Resolved,
    treaties: Vec<String>,
) -> Result<(), Error> {
    let query = Query {
        statuses: Status::ALL.to_vec(),
        treaties,
        ..Query::default()
    };
    let books: Vec<Option<&crate::valuation::PriceBook>> = std::iter::once(None)
        .chain(corpus.price_books.values().map(Some))
        .collect();
    for book in books {
        let what = book.map_or_else(
            || "without a price book".to_string(),
            |b| format!("valued with price book `{}`", b.id),
        );
        let context = |e: Error| {
            let with_help = e.help_text().is_none();
            let mut e = e.context(format!("a report {what} fails"));
            if let (None, Some(b)) = (e.path(), book) {
                e = e.in_file(b.path.clone());
            }
            if with_help {
                e.help("tribute ledger and tribute total would fail the same way; change the amounts or rates so that every sum fits in an exact decimal (28 significant digits)")
            } else {
                e
            }
        };
        // Totals first: a valuation error there names the obligation it was valuing.
        totals(corpus, resolved, &query, GroupBy::Stream, book).map_err(context)?;
        ledger(corpus, resolved, &query, book).map_err(context)?;
    }
    Ok(())
}

/// The treaties whose streams the readings `names` can change: those offering one of them, and
/// the treaties their amendments, suspensions and deliveries target. Empty (every treaty) for
/// the defaults.
fn touched(corpus: &Corpus, names: &[String]) -> Vec<String> {
    let mut out = std::collections::BTreeSet::new();
    if names.is_empty() {
        return Vec::new();
    }
    for t in corpus.treaties.values() {
        if !t.reading_names().iter().any(|n| names.contains(n)) {
            continue;
        }
        out.insert(t.id.to_string());
        for a in &t.amendments {
            out.extend(a.variants.iter().map(|v| v.def.target.treaty.clone()));
        }
        for sp in &t.suspensions {
            for v in &sp.variants {
                out.extend(v.def.targets.iter().map(|x| x.treaty.clone()));
            }
        }
        for d in &t.deliveries {
            out.extend(d.variants.iter().map(|v| v.def.target.treaty.clone()));
        }
    }
    out.into_iter().collect()
}

/// Checks a corpus that loaded, or reports the errors of one that did not.
pub fn check(loaded: Result<&Corpus, &[Error]>) -> CheckReport {
    let mut out = CheckReport {
        problems: Vec::new(),
        items: Vec::new(),
        books: Vec::new(),
        claims: Vec::new(),
        claim_sources: Vec::new(),
        cautions: Vec::new(),
    };
    let problem = |out: &mut CheckReport, e: Error, readings: String, fallback: &str| {
        if out.problems.iter().any(|p| p.to_string() == e.to_string()) {
            return;
        }
        out.items.push(CheckItem {
            item: e.path().unwrap_or(fallback).to_string(),
            readings,
            result: format!("error: {e}"),
        });
        out.problems.push(e);
    };
    let corpus = match loaded {
        Err(errors) => {
            for e in errors {
                out.items.push(CheckItem {
                    item: e.path().unwrap_or("(corpus)").to_string(),
                    readings: "—".to_string(),
                    result: format!("error: {e}"),
                });
                out.problems.push(e.clone());
            }
            return out;
        }
        Ok(c) => c,
    };
    let mut selections: Vec<Vec<String>> = vec![Vec::new()];
    selections.extend(corpus.reading_names().into_iter().map(|n| vec![n]));
    let mut by_treaty: std::collections::BTreeMap<String, Vec<String>> = Default::default();
    let mut defaults: Option<Resolved> = None;
    for names in &selections {
        let label = if names.is_empty() {
            "defaults".to_string()
        } else {
            names.join(", ")
        };
        let resolved = Readings::select(names, corpus).and_then(|r| Resolved::new(corpus, &r));
        let result = match &resolved {
            Ok(r) => reports_compute(corpus, r, touched(corpus, names)),
            Err(e) => Err(e.clone()),
        };
        if names.is_empty() {
            // The cautions below are said under these.
            defaults = resolved.ok();
        }
        match result {
            Ok(()) => {
                for t in corpus.treaties.values() {
                    if names.is_empty() || t.reading_names().iter().any(|n| names.contains(n)) {
                        by_treaty
                            .entry(t.id.to_string())
                            .or_default()
                            .push(label.clone());
                    }
                }
            }
            Err(e) => problem(&mut out, e, label, "(corpus)"),
        }
    }
    for (id, readings) in by_treaty {
        let t = &corpus.treaties[id.as_str()];
        // A table defines many treaties: name the row where each begins.
        let item = if t.path.ends_with(".csv") {
            format!("{}:{} ({id})", t.path, t.at.line())
        } else {
            t.path.clone()
        };
        out.items.push(CheckItem {
            item,
            readings: readings.join("; "),
            result: "ok".to_string(),
        });
    }
    let reg = &corpus.registry;
    out.items.push(CheckItem {
        item: "registry".to_string(),
        readings: "—".to_string(),
        result: format!(
            "ok: {} units, {} commodities, {} parties, {} sources",
            reg.units().len(),
            reg.commodities().len(),
            reg.parties().len(),
            reg.sources().len()
        ),
    });
    for b in corpus.price_books.values() {
        let mut priced: Vec<&str> = b
            .rates
            .iter()
            .map(|r| reg.commodity(r.commodity).id.as_str())
            .collect();
        priced.dedup();
        out.books.push(BookSummary {
            book: b.id.clone(),
            file: b.path.clone(),
            numeraire: b.numeraire.clone(),
            rates: b.rates.len(),
            priced: priced.join(", "),
        });
    }
    match check_claims(corpus, &Readings::defaults()) {
        Ok(checks) => out.claims = checks,
        Err(e) => problem(&mut out, e, "—".to_string(), "(claims)"),
    }
    if let Ok(corpus) = loaded {
        out.cautions = cautions_with(corpus, defaults.as_ref());
        out.claim_sources = out
            .claims
            .iter()
            .map(|c| {
                super::graded(
                    corpus,
                    c.claim.sources.iter().map(|r| (c.treaty.as_str(), r)),
                )
            })
            .collect();
    }
    out
}

/// A problem on the wire.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ProblemOut {
    /// The file, if the problem is in one.
    pub file: Option<String>,
    /// 1-based line.
    pub line: Option<usize>,
    /// 1-based column.
    pub column: Option<usize>,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub help: Option<String>,
}

/// One evaluation of a claim on the wire.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ClaimCaseOut {
    /// The book.
    pub book: String,
    /// A's readings.
    pub a_readings: String,
    /// B's readings.
    pub b_readings: String,
    /// The year of B's yearly flow.
    pub year: Option<i32>,
    /// Low bound.
    pub low: Option<Dec>,
    /// Central value.
    pub central: Option<Dec>,
    /// High bound.
    pub high: Option<Dec>,
    /// `holds`, `in range`, `does not hold`, `not computable`.
    pub result: &'static str,
    /// Why not computable.
    pub reason: Option<String>,
    /// For a `total` claim: the computed total less the claimed value; for a `share` claim, the
    /// computed share (rounded as shown) less the claimed one (negative: the claim is higher than
    /// the computation).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub distance: Option<Dec>,
}

/// A claim on the wire.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ClaimOut {
    /// Who makes the claim, with their grades.
    pub sources: Vec<super::SourceOut>,
    /// The treaty whose file records it.
    pub treaty: String,
    /// Its id.
    pub id: String,
    /// What the source says.
    pub statement: String,
    /// The treaty measured.
    pub compare: String,
    /// What it is measured against.
    pub against: String,
    /// The figure claimed.
    pub value: Dec,
    /// Its tolerance.
    pub tolerance: String,
    /// `years`, `ratio`, `total` or `share`.
    pub unit: String,
    /// For a `total` or `share` claim: the commodity whose total is claimed (in its own unit).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub commodity: Option<String>,
    /// For a `share` claim: what is divided, `principal` or `owed`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub of: Option<&'static str>,
    /// The values that agree with it.
    pub band: [Dec; 2],
    /// Every evaluation.
    pub cases: Vec<ClaimCaseOut>,
    /// Where it holds (`book [A readings; B readings]`).
    pub holds: Vec<String>,
    /// Where only the interval meets the band.
    pub in_range: Vec<String>,
    /// Books left out because they price nothing of either treaty (no case for them).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub books_pricing_nothing: Vec<String>,
}

/// The check as `--format json` prints it.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct CheckOut {
    /// True if nothing is wrong.
    pub ok: bool,
    /// Every problem.
    pub problems: Vec<ProblemOut>,
    /// One line per file.
    pub items: Vec<CheckItem>,
    /// The price books.
    pub price_books: Vec<BookSummary>,
    /// Every claim.
    pub claims: Vec<ClaimOut>,
    /// Cautions: assumptions without a ground, defaults resting on a C source alone (problems
    /// under `--strict`).
    pub cautions: Vec<ProblemOut>,
}

/// `book [A readings; B readings]` for the cases of a claim with `verdict`.
pub fn claim_cases_where(c: &ClaimCheck, verdict: &Verdict) -> Vec<String> {
    let (a, b) = (
        c.claim.compare.treaty.as_str(),
        c.claim.against.treaty.as_str(),
    );
    c.cases
        .iter()
        .filter(|case| &case.verdict == verdict)
        .map(|case| {
            format!(
                "{} [{}; {}]",
                case.book,
                case.combo.label_for(a),
                case.combo.label_for(b)
            )
        })
        .collect()
}

impl ProblemOut {
    /// The wire form of an error.
    pub fn of(e: &Error) -> ProblemOut {
        ProblemOut {
            file: e.path().map(str::to_string),
            line: e.location().map(|l| l.line()),
            column: e.location().map(|l| l.column()),
            message: e.message().to_string(),
            help: e.help_text().map(str::to_string),
        }
    }
}

impl CheckReport {
    /// The wire form.
    pub fn wire(&self) -> CheckOut {
        CheckOut {
            ok: self.problems.is_empty(),
            problems: self.problems.iter().map(ProblemOut::of).collect(),
            items: self.items.clone(),
            price_books: self.books.clone(),
            cautions: self.cautions.iter().map(ProblemOut::of).collect(),
            claims: self
                .claims
                .iter()
                .enumerate()
                .map(|(i, c)| {
                    let claim = &c.claim;
                    let (a, b) = (claim.compare.treaty.as_str(), claim.against.treaty.as_str());
                    let total = matches!(
                        claim.unit,
                        crate::model::ClaimUnit::Total | crate::model::ClaimUnit::Share
                    );
                    ClaimOut {
                        sources: self.claim_sources.get(i).cloned().unwrap_or_default(),
                        treaty: c.treaty.clone(),
                        id: claim.id.clone(),
                        statement: claim.statement.clone(),
                        compare: claim.compare.to_string(),
                        against: b.to_string(),
                        value: Dec(claim.value),
                        tolerance: claim.tolerance.to_string(),
                        unit: claim.unit.as_str().to_string(),
                        commodity: c.commodity.clone(),
                        of: (claim.unit == crate::model::ClaimUnit::Share)
                            .then(|| claim.part.as_str()),
                        band: [Dec(c.band.0), Dec(c.band.1)],
                        cases: c
                            .cases
                            .iter()
                            .map(|case| ClaimCaseOut {
                                book: case.book.clone(),
                                a_readings: case.combo.label_for(a),
                                b_readings: if total {
                                    String::new()
                                } else {
                                    case.combo.label_for(b)
                                },
                                year: case.year,
                                low: case.value.map(|r| Dec(r.low.value)),
                                central: case.value.map(|r| Dec(r.central.value)),
                                high: case.value.map(|r| Dec(r.high.value)),
                                result: case.verdict.as_str(),
                                reason: match &case.verdict {
                                    Verdict::NotComputable(w) => Some(w.clone()),
                                    _ => None,
                                },
                                distance: case.distance.map(Dec),
                            })
                            .collect(),
                        holds: claim_cases_where(c, &Verdict::Holds),
                        in_range: claim_cases_where(c, &Verdict::InRange),
                        books_pricing_nothing: c.pricing_nothing.clone(),
                    }
                })
                .collect(),
        }
    }
}
