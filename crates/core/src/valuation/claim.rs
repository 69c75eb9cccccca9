//! Checking claims: each recorded `[[claim]]` evaluated under every price book and every
//! combination of the readings that change what its two treaties owe.
//!
//! A claim holds where the central value lies in its band (value ± tolerance, inclusive), is
//! within range where only the low–high interval meets the band, and does not hold otherwise.
//! All three are decided exactly, before any rounding. A claim that does not hold is information,
//! not an error; a claim whose treaties or books cannot be compared at all says why.

use rust_decimal::Decimal;

use super::compare::{Combo, Measure, Sides, combos, quotient_within, range_meets};
use super::interval::{Ratio, Rounded};
use crate::amount::Basket;
use crate::error::Result;
use crate::loader::Corpus;
use crate::model::{Claim, ClaimUnit};
use crate::resolve::{Readings, Resolved};

/// How a claim fares under one book and one combination of readings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// The central value lies in the claim's band.
    Holds,
    /// The central value lies outside the band, but the low–high interval meets it.
    InRange,
    /// Even the interval misses the band.
    DoesNotHold,
    /// No value could be computed; the text says why.
    NotComputable(String),
}

impl Verdict {
    /// A short word for tables: `holds`, `in range`, `does not hold`, `not computable`.
    pub fn as_str(&self) -> &'static str {
        match self {
            Verdict::Holds => "holds",
            Verdict::InRange => "in range",
            Verdict::DoesNotHold => "does not hold",
            Verdict::NotComputable(_) => "not computable",
        }
    }
}

/// One evaluation of a claim.
#[derive(Debug, Clone)]
pub struct ClaimCase {
    /// The book's id.
    pub book: String,
    /// The readings used.
    pub combo: Combo,
    /// The year of the yearly flow, for a claim in years.
    pub year: Option<crate::amount::Year>,
    /// The computed value (rounded outward), if any.
    pub value: Option<Ratio>,
    /// The verdict.
    pub verdict: Verdict,
    /// What the book could not price on the claim's side (`compare`).
    pub unpriced_compare: Basket,
    /// What the book could not price on the other side (`against`).
    pub unpriced_against: Basket,
    /// For a `total` claim: the computed total less the claimed value.
    pub distance: Option<Decimal>,
}

/// A claim and its evaluations.
#[derive(Debug, Clone)]
pub struct ClaimCheck {
    /// The treaty whose file records the claim.
    pub treaty: String,
    /// The claim.
    pub claim: Claim,
    /// The values that agree with it: value ± tolerance, inclusive.
    pub band: (Decimal, Decimal),
    /// One case per book and combination of readings, books in id order.
    pub cases: Vec<ClaimCase>,
    /// For a `total` claim: the commodity's id.
    pub commodity: Option<String>,
    /// The books left out because they price nothing of either treaty under any reading (the
    /// Boxer parities for a Song claim): no case is listed for them.
    pub pricing_nothing: Vec<String>,
}

impl ClaimCheck {
    /// The cases with a given verdict kind.
    pub fn count(&self, verdict: &str) -> usize {
        self.cases
            .iter()
            .filter(|c| c.verdict.as_str() == verdict)
            .count()
    }
}

/// Evaluates one claim under every loaded book and every combination of readings of the items that
/// change what its two treaties owe; other items follow `base`.
pub fn check_claim(
    corpus: &Corpus,
    treaty: &str,
    claim: &Claim,
    base: &Readings,
) -> Result<ClaimCheck> {
    let band = claim.band()?;
    match (claim.unit, claim.commodity) {
        (ClaimUnit::Total, Some(c)) => return check_total(corpus, treaty, claim, c, band, base),
        (ClaimUnit::Share, Some(c)) => return check_share(corpus, treaty, claim, c, band, base),
        _ => {}
    }
    let (a, b) = (claim.compare.treaty.as_str(), claim.against.treaty.as_str());
    let measure = match claim.unit {
        ClaimUnit::Years => Measure::Years(claim.year),
        ClaimUnit::Ratio | ClaimUnit::Total | ClaimUnit::Share => Measure::Ratio,
    };
    let mut cases = Vec::new();
    // Per case: true if its book priced nothing of either side.
    let mut blank = Vec::new();
    for combo in combos(corpus, &[a, b])? {
        let applied = combo.apply(corpus);
        let sides =
            Resolved::new(&applied, base).and_then(|r| Sides::new(&applied, &r, a, b, measure));
        for book in corpus.price_books.values() {
            let mut case = ClaimCase {
                book: book.id.clone(),
                combo: combo.clone(),
                year: None,
                value: None,
                verdict: Verdict::NotComputable(String::new()),
                unpriced_compare: Basket::new(),
                unpriced_against: Basket::new(),
                distance: None,
            };
            let mut priced_nothing = false;
            match &sides {
                Err(e) => case.verdict = Verdict::NotComputable(e.message().to_string()),
                Ok(sides) => {
                    case.year = sides.b.year;
                    let v = sides.value(book)?;
                    priced_nothing =
                        v.result.is_none() && v.a.value.high.is_zero() && v.b.value.high.is_zero();
                    case.unpriced_compare = v.a.unpriced.clone();
                    case.unpriced_against = v.b.unpriced.clone();
                    match v.result {
                        None => {
                            case.verdict =
                                Verdict::NotComputable(format!("the book prices nothing of `{b}`"));
                        }
                        Some(r) => {
                            case.value = Some(r);
                            let (num, den) = (&v.a.value, &v.b.value);
                            case.verdict =
                                if quotient_within(num.central, den.central, band.0, band.1)? {
                                    Verdict::Holds
                                } else if range_meets(num, den, band.0, band.1)? {
                                    Verdict::InRange
                                } else {
                                    Verdict::DoesNotHold
                                };
                        }
                    }
                }
            }
            cases.push(case);
            blank.push(priced_nothing);
        }
    }
    // A book that prices nothing of either side under every reading is named once, not listed
    // case by case.
    let mut pricing_nothing: Vec<String> = Vec::new();
    for book in corpus.price_books.keys() {
        let mine: Vec<bool> = cases
            .iter()
            .zip(&blank)
            .filter(|(c, _)| &c.book == book)
            .map(|(_, b)| *b)
            .collect();
        if !mine.is_empty() && mine.iter().all(|b| *b) {
            pricing_nothing.push(book.clone());
        }
    }
    cases.retain(|c| !pricing_nothing.contains(&c.book));
    cases.sort_by(|x, y| x.book.cmp(&y.book));
    Ok(ClaimCheck {
        treaty: treaty.to_string(),
        claim: claim.clone(),
        band,
        cases,
        commodity: None,
        pricing_nothing,
    })
}

/// The book column of a `total` claim's cases: no book values it, the total is in the
/// commodity's own unit.
pub const OWN_UNIT: &str = "(own unit)";

/// A `total` claim: the treaty's own total owed of one commodity (every stream, every status,
/// every year, principal and interest), under every combination of the readings of its items;
/// exact, with no book.
fn check_total(
    corpus: &Corpus,
    treaty: &str,
    claim: &Claim,
    commodity: crate::amount::CommodityId,
    band: (Decimal, Decimal),
    base: &Readings,
) -> Result<ClaimCheck> {
    let by = crate::engine::GroupBy::All;
    check_own(corpus, claim, base, by, |t| {
        let sum = t
            .rows
            .iter()
            .filter(|r| r.commodity == commodity)
            .try_fold(Decimal::ZERO, |acc, r| crate::amount::add(acc, r.owed))?;
        let exact = Rounded {
            value: sum,
            exact: true,
        };
        Ok(Ok((exact, band.0 <= sum && sum <= band.1)))
    })
    .map(|cases| own_check(corpus, treaty, claim, commodity, band, cases))
}

/// What an evaluator of a claim about a treaty's own figures makes of one case's totals: the
/// value as shown and whether the claim holds, or why it cannot be computed.
type OwnVerdict = std::result::Result<(Rounded, bool), String>;

/// The cases of a claim about treaty `claim.compare`'s own figures: under each of
/// [`own_readings`], its totals grouped `by`, judged by `eval`; the distance is the value as shown
/// less the claimed one.
fn check_own(
    corpus: &Corpus,
    claim: &Claim,
    base: &Readings,
    by: crate::engine::GroupBy,
    eval: impl Fn(&crate::engine::Totals) -> Result<OwnVerdict>,
) -> Result<Vec<ClaimCase>> {
    let a = claim.compare.treaty.as_str();
    let mut cases = Vec::new();
    for (readings, combo) in own_readings(corpus, a, base)? {
        let mut case = ClaimCase {
            book: OWN_UNIT.to_string(),
            combo,
            year: None,
            value: None,
            verdict: Verdict::NotComputable(String::new()),
            unpriced_compare: Basket::new(),
            unpriced_against: Basket::new(),
            distance: None,
        };
        match own_totals(corpus, a, &readings, by) {
            Err(e) => case.verdict = Verdict::NotComputable(e.message().to_string()),
            Ok(t) => match eval(&t)? {
                Err(why) => case.verdict = Verdict::NotComputable(why),
                Ok((shown, holds)) => {
                    case.value = Some(Ratio {
                        low: shown,
                        central: shown,
                        high: shown,
                    });
                    case.distance = Some(crate::amount::sub(shown.value, claim.value)?.normalize());
                    case.verdict = if holds {
                        Verdict::Holds
                    } else {
                        Verdict::DoesNotHold
                    };
                }
            },
        }
        cases.push(case);
    }
    Ok(cases)
}

/// The check of a claim about a treaty's own figures of `commodity`, from its cases.
fn own_check(
    corpus: &Corpus,
    treaty: &str,
    claim: &Claim,
    commodity: crate::amount::CommodityId,
    band: (Decimal, Decimal),
    cases: Vec<ClaimCase>,
) -> ClaimCheck {
    ClaimCheck {
        treaty: treaty.to_string(),
        claim: claim.clone(),
        band,
        cases,
        commodity: Some(corpus.registry.commodity(commodity).id.clone()),
        pricing_nothing: Vec::new(),
    }
}

/// The readings a claim about treaty `a`'s own figures is evaluated under: the defaults, then
/// each reading name the treaty's own items offer besides their defaults (a treaty of many items
/// with readings has too many combinations to try them all; a reading name applies to every item
/// that offers it, as `--reading` does), each with the combination that names it.
fn own_readings(corpus: &Corpus, a: &str, base: &Readings) -> Result<Vec<(Readings, Combo)>> {
    let mut names: Vec<String> = Vec::new();
    if let Some(t) = corpus.treaties.get(a) {
        let mut add = |variants: Vec<Option<&String>>| {
            for r in variants.into_iter().skip(1).flatten() {
                if !names.contains(r) {
                    names.push(r.clone());
                }
            }
        };
        for i in &t.obligations {
            add(i.variants.iter().map(|v| v.reading.as_ref()).collect());
        }
        for i in &t.amendments {
            add(i.variants.iter().map(|v| v.reading.as_ref()).collect());
        }
        for i in &t.suspensions {
            add(i.variants.iter().map(|v| v.reading.as_ref()).collect());
        }
        for i in &t.deliveries {
            add(i.variants.iter().map(|v| v.reading.as_ref()).collect());
        }
    }
    names.sort();
    let mut out = vec![(base.clone(), Combo::default())];
    for n in names {
        out.push((
            Readings::select(std::slice::from_ref(&n), corpus)?,
            Combo {
                choices: vec![super::compare::Choice {
                    treaty: a.to_string(),
                    kind: super::compare::ChoiceKind::Obligation,
                    item: "reading".to_string(),
                    affects: a.to_string(),
                    reading: n,
                    default: false,
                }],
            },
        ));
    }
    Ok(out)
}

/// The totals of treaty `a` by stream, every status, under `readings`.
fn own_totals(
    corpus: &Corpus,
    a: &str,
    readings: &Readings,
    by: crate::engine::GroupBy,
) -> Result<crate::engine::Totals> {
    let query = crate::engine::Query {
        treaties: vec![a.to_string()],
        statuses: vec![
            crate::model::Status::InForce,
            crate::model::Status::Demand,
            crate::model::Status::NeverInForce,
        ],
        ..crate::engine::Query::default()
    };
    Resolved::new(corpus, readings).and_then(|r| crate::engine::Totals::new(corpus, &r, &query, by))
}

/// The places a computed share is shown to (its verdict is decided exactly).
pub const SHARE_PLACES: u32 = 10;

/// A `share` claim: one stream's part of its treaty's principal (or of all it owes) in one
/// commodity, under the defaults and each reading the treaty offers; decided exactly (the share
/// itself is shown rounded half to even to [`SHARE_PLACES`] places), with no book.
fn check_share(
    corpus: &Corpus,
    treaty: &str,
    claim: &Claim,
    commodity: crate::amount::CommodityId,
    band: (Decimal, Decimal),
    base: &Readings,
) -> Result<ClaimCheck> {
    let a = claim.compare.treaty.as_str();
    let stream = claim.compare.to_string();
    let part = |r: &crate::engine::TotalRow| match claim.part {
        crate::model::SharePart::Owed => Ok(r.owed),
        crate::model::SharePart::Principal => crate::amount::sub(r.owed, r.interest),
    };
    let by = crate::engine::GroupBy::Stream;
    check_own(corpus, claim, base, by, |t| {
        let (mut num, mut den) = (Decimal::ZERO, Decimal::ZERO);
        for r in t.rows.iter().filter(|r| r.commodity == commodity) {
            let v = part(r)?;
            den = crate::amount::add(den, v)?;
            if r.group == stream {
                num = crate::amount::add(num, v)?;
            }
        }
        if den.is_zero() {
            return Ok(Err(format!(
                "{a} owes no {} {}",
                corpus.registry.commodity(commodity).id,
                claim.part.as_str()
            )));
        }
        let shown = crate::div_round(num, den, SHARE_PLACES, crate::Rounding::HalfEven)?;
        Ok(Ok((shown, quotient_within(num, den, band.0, band.1)?)))
    })
    .map(|cases| own_check(corpus, treaty, claim, commodity, band, cases))
}

/// Evaluates every claim of every treaty, in treaty and file order.
pub fn check_claims(corpus: &Corpus, base: &Readings) -> Result<Vec<ClaimCheck>> {
    let mut out = Vec::new();
    for t in corpus.treaties.values() {
        for c in &t.claims {
            out.push(check_claim(corpus, &t.id, c, base)?);
        }
    }
    Ok(out)
}
