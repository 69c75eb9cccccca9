//! Worth across time: what the payments of a totals report are worth at a year `Y`, accumulated
//! (`--accumulate RATE|SERIES --to-year Y`) or discounted (`--discount RATE --to-year Y`).
//!
//! The convention, printed with every figure ([`COMPOUNDING`], [`ROUNDING`]): whole-year
//! compounding from each payment's year, `value = amount × (1+r)^(Y − y)` for a payment of year
//! `y` (so a payment after `Y` is divided by `(1+r)^(y − Y)`); with a rate series, the factor is
//! the product of `(1 + g_t)` over the years `t` from `y` to `Y − 1` (or its inverse over `Y` to
//! `y − 1`). Each factor is built by repeated exact multiplication, rounded half to even to
//! [`FACTOR_PLACES`] after each step (an inverse factor is a division, rounded the same way);
//! amount × factor and the sums are exact; each reported value is then rounded half to even to
//! [`VALUE_PLACES`].
//!
//! How it is computed: the factors are laid out as a price book with one rate per commodity and
//! year (its value the factor, or a `--prices` book's rate times the factor), and the totals'
//! own valuation does the rest. So recorded, assumed and owed stay apart exactly as in a valued
//! total, commodities are never added unless a price book put them in one numeraire, and what a
//! book cannot price stays listed. A rate with a range (`0.03..0.05`, or `0.03..0.04..0.05`)
//! gives three complete valuations, one per rate: the spread is always shown.

use rust_decimal::{Decimal, RoundingStrategy};
use schemars::JsonSchema;
use serde::Serialize;
use std::sync::Arc;

use super::totals::{GroupWorth, TotalsValues, Worth, value_with};
use super::{Dec, IntervalOut};
use crate::amount::{CommodityId, Year, add};
use crate::engine::{GroupBy, Query, Totals};
use crate::error::{Error, ErrorKind, Location, Result};
use crate::loader::Corpus;
use crate::model::SourceRef;
use crate::resolve::Resolved;
use crate::valuation::{Interval, PriceBook, Rate, Rounding, div_round, mul};

/// Decimal places each compounding factor is rounded to (half to even, after each step).
pub const FACTOR_PLACES: u32 = 12;
/// Decimal places each reported value is rounded to (half to even).
pub const VALUE_PLACES: u32 = 2;
/// The most decimal places a rate may have (so a step of the factor stays exact before rounding).
pub const RATE_PLACES: u32 = 8;

/// The compounding convention, in words.
pub const COMPOUNDING: &str = "whole-year compounding from each payment's year: value at Y = amount × (1+r)^(Y − y), so a payment after Y is divided by (1+r)^(y − Y); with a rate series, (1+r)^(Y − y) is the product of (1 + g_t) for t = y … Y − 1";
/// The rounding, in words.
pub const ROUNDING: &str = "each factor is built by repeated exact multiplication, rounded half to even to 12 decimal places after each step (an inverse factor is a division rounded the same way); with --prices, each book rate × factor is rounded to 12 places (low down, high up, central half to even); amount × factor and sums are exact; each value shown is rounded half to even to 2 decimal places, rows and group sums separately";

/// Accumulated (what the money would have become) or discounted (what it was worth earlier).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// `--accumulate`.
    Accumulate,
    /// `--discount`.
    Discount,
}

impl Mode {
    /// `accumulate` or `discount`.
    pub fn name(self) -> &'static str {
        match self {
            Mode::Accumulate => "accumulate",
            Mode::Discount => "discount",
        }
    }
}

/// The rate: fixed (with a range) or a series of yearly rates from plugin data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RateSpec {
    /// A fixed yearly rate; `low ≤ central ≤ high`.
    Fixed(Interval),
    /// A context series (`context/<id>.toml`, `unit = "ratio"`) of yearly rates, by id.
    Series(String),
}

impl RateSpec {
    /// Parses `0.05`, `0.03..0.05` (central: the midpoint) or `0.03..0.04..0.05`; anything that is
    /// not a number is taken as a series id when `series` is allowed.
    pub fn parse(text: &str, series: bool) -> Result<RateSpec> {
        let t = text.trim();
        let parts: Vec<&str> = t.split("..").map(str::trim).collect();
        let looks_numeric = parts.iter().all(|p| {
            !p.is_empty()
                && p.chars()
                    .all(|c| c.is_ascii_digit() || c == '.' || c == '-' || c == '+' || c == '_')
        });
        if !looks_numeric {
            if series && parts.len() == 1 && crate::plugin::fields::is_kebab(t) {
                return Ok(RateSpec::Series(t.to_string()));
            }
            return Err(bad_rate(text, "is not a rate"));
        }
        let num = |p: &str| -> Result<Decimal> {
            let d = Decimal::from_str_exact(&p.replace('_', ""))
                .map_err(|_| bad_rate(text, "is not a decimal number"))?;
            if d.scale() > RATE_PLACES {
                return Err(bad_rate(
                    text,
                    &format!("has more than {RATE_PLACES} decimal places"),
                ));
            }
            if d <= Decimal::NEGATIVE_ONE {
                return Err(bad_rate(text, "is not above −1 (−100 % a year)"));
            }
            Ok(d.normalize())
        };
        let (low, central, high) = match parts.as_slice() {
            [c] => {
                let c = num(c)?;
                (c, c, c)
            }
            [l, h] => {
                let (l, h) = (num(l)?, num(h)?);
                let mid = add(l, h)?
                    .checked_div(Decimal::TWO)
                    .ok_or_else(|| bad_rate(text, "has no exact midpoint"))?;
                (l, mid.normalize(), h)
            }
            [l, c, h] => (num(l)?, num(c)?, num(h)?),
            _ => return Err(bad_rate(text, "has more than three parts")),
        };
        if !(low <= central && central <= high) {
            return Err(bad_rate(text, "needs low ≤ central ≤ high"));
        }
        Ok(RateSpec::Fixed(Interval { low, central, high }))
    }
}

fn bad_rate(text: &str, why: &str) -> Error {
    Error::new(ErrorKind::Query, format!("rate `{text}` {why}")).help(
        "write a yearly rate as a decimal (0.05 for 5 %), a range LOW..HIGH (central: the midpoint) or LOW..CENTRAL..HIGH, or (for --accumulate) the id of a rate series in context/",
    )
}

/// What is asked: a mode, a rate and a year.
#[derive(Debug, Clone)]
pub struct WorthQuery {
    /// Accumulate or discount.
    pub mode: Mode,
    /// The rate.
    pub rate: RateSpec,
    /// The year the values are taken at.
    pub to_year: Year,
}

/// The values at one rate (the low, central or high rate).
#[derive(Debug, Clone)]
pub struct AtRate {
    /// `low`, `central` or `high`.
    pub bound: &'static str,
    /// The fixed rate, if the rate is fixed.
    pub rate: Option<Decimal>,
    /// One value per totals row (per group and commodity), rounded to [`VALUE_PLACES`]. With a
    /// price book each is an interval in its numeraire; without, a point in the row's unit.
    pub rows: Vec<Worth>,
    /// Per group, summed over commodities: only with a price book (commodities are never added
    /// otherwise).
    pub by_group: Option<Vec<GroupWorth>>,
}

/// The worth report: three valuations, at the low, central and high rate.
#[derive(Debug, Clone)]
pub struct WorthReport {
    /// Accumulate or discount.
    pub mode: Mode,
    /// The year.
    pub to_year: Year,
    /// The rate as asked.
    pub rate: RateSpec,
    /// The rate series, with its name and sources, if one was used.
    pub series: Option<(String, String, Vec<SourceRef>)>,
    /// At the low, central and high rate (in that order).
    pub at: Vec<AtRate>,
    /// The price book the values are in, if any.
    pub prices: Option<String>,
}

/// The factor `(1+r)^(Y − y)` for every year in `lo..=hi`, at one bound of the rate, indexed by
/// `y − lo`. `growth(t)` is the rate of year `t`.
fn factors(
    lo: Year,
    hi: Year,
    to: Year,
    growth: &dyn Fn(Year) -> Result<Decimal>,
) -> Result<Vec<Decimal>> {
    let round =
        |d: Decimal| d.round_dp_with_strategy(FACTOR_PLACES, RoundingStrategy::MidpointNearestEven);
    let step = |f: Decimal, t: Year| -> Result<Decimal> {
        let g = add(Decimal::ONE, growth(t)?)?;
        Ok(round(mul(f, g).map_err(|_| {
            Error::new(
                ErrorKind::Overflow,
                format!(
                    "compounding the payments of {lo}–{hi} to {to} needs a factor beyond the 28 significant digits an exact decimal holds (at year {t})"
                ),
            )
            .help("choose a nearer --to-year, a smaller rate, or narrow the years with --from/--to")
        })?)
        .normalize())
    };
    let too_far = || {
        Error::new(
            ErrorKind::Overflow,
            "the years of the payments and --to-year are too far apart to compound",
        )
    };
    let index = |y: Year| -> Result<usize> {
        i64::from(y)
            .checked_sub(i64::from(lo))
            .and_then(|i| usize::try_from(i).ok())
            .ok_or_else(too_far)
    };
    let n = index(hi)?.checked_add(1).ok_or_else(too_far)?;
    let mut out = vec![Decimal::ONE; n];
    // Years before `to`: walk down from `to − 1`, multiplying.
    let mut f = Decimal::ONE;
    let mut y = to;
    while y > lo {
        y = y.checked_sub(1).ok_or_else(too_far)?;
        f = step(f, y)?;
        if y <= hi {
            out[index(y)?] = f;
        }
    }
    // Years after `to`: the product up to y − 1, inverted.
    let mut g = Decimal::ONE;
    let mut y = to;
    while y < hi {
        g = step(g, y)?;
        y = y.checked_add(1).ok_or_else(too_far)?;
        if y >= lo {
            let inv = div_round(Decimal::ONE, g, FACTOR_PLACES, Rounding::HalfEven)?.value;
            out[index(y)?] = inv;
        }
    }
    Ok(out)
}

/// The years the selected streams pay in, within the query's range: the first and the last.
fn payment_span(corpus: &Corpus, resolved: &Resolved, query: &Query) -> Option<(Year, Year)> {
    let (qlo, qhi) = (
        query.from.unwrap_or(Year::MIN),
        query.to.unwrap_or(Year::MAX),
    );
    let mut span: Option<(Year, Year)> = None;
    let mut see = |a: Year, b: Year| {
        let (a, b) = (a.max(qlo), b.min(qhi));
        if a <= b {
            span = Some(match span {
                None => (a, b),
                Some((x, y)) => (x.min(a), y.max(b)),
            });
        }
    };
    for s in resolved.streams.iter().filter(|s| query.selects(corpus, s)) {
        for p in &s.pieces {
            if p.count == 0 {
                continue;
            }
            let last = i64::from(p.start)
                .checked_add(
                    i64::from(p.step).saturating_mul(
                        p.count
                            .checked_sub(1)
                            .and_then(|c| i64::try_from(c).ok())
                            .unwrap_or(i64::MAX),
                    ),
                )
                .and_then(|l| Year::try_from(l).ok())
                .unwrap_or(Year::MAX);
            see(p.start, last);
        }
        for d in &s.deliveries {
            see(d.year, d.year);
        }
    }
    span
}

fn synthetic_location() -> Location {
    let text: crate::error::Text = Arc::new(String::new());
    Location::new("<worth>", &text, 0..0)
}

/// Builds the worth of the totals `totals` (already computed for `query` and `group`), valued in
/// `book`'s numeraire if one is given.
#[allow(clippy::too_many_arguments)]
pub fn worth(
    corpus: &Corpus,
    resolved: &Resolved,
    query: &Query,
    group: GroupBy,
    totals: &Totals,
    book: Option<&PriceBook>,
    ask: &WorthQuery,
) -> Result<WorthReport> {
    let to = ask.to_year;
    let mut series_info = None;
    let series = match &ask.rate {
        RateSpec::Fixed(_) => None,
        RateSpec::Series(id) => {
            let s = corpus.series.get(id).ok_or_else(|| {
                Error::new(ErrorKind::Query, format!("no rate series `{id}` is loaded")).help(
                    crate::suggest::with_advice(
                        id,
                        "series",
                        corpus.series.keys().map(String::as_str),
                        "a rate series is a file context/ID.toml with measure = \"growth-rate\" and unit = \"ratio\" (see docs/worth.md)",
                    ),
                )
            })?;
            if s.unit != crate::series::SeriesUnit::Ratio || s.measure != "growth-rate" {
                return Err(Error::new(
                    ErrorKind::Query,
                    format!("series `{id}` ({}) is not a series of rates", s.path),
                )
                .help("a rate series has measure = \"growth-rate\" and unit = \"ratio\": 0.02 for 2 % a year"));
            }
            series_info = Some((s.id.clone(), s.name.clone(), s.sources.clone()));
            Some(s)
        }
    };
    let commodities: Vec<CommodityId> = {
        let mut c: Vec<CommodityId> = totals.rows.iter().map(|r| r.commodity).collect();
        c.sort();
        c.dedup();
        c
    };
    let span = payment_span(corpus, resolved, query);
    let mut at = Vec::new();
    for (i, bound) in ["low", "central", "high"].into_iter().enumerate() {
        let pick = |v: &Interval| [v.low, v.central, v.high][i];
        let fixed = match &ask.rate {
            RateSpec::Fixed(r) => Some(pick(r)),
            RateSpec::Series(_) => None,
        };
        let growth = |t: Year| -> Result<Decimal> {
            if let Some(r) = fixed {
                return Ok(r);
            }
            let s = series.expect("a series when the rate is not fixed");
            s.points
                .iter()
                .find(|p| p.covers(t))
                .map(|p| pick(&p.value))
                .ok_or_else(|| {
                    Error::new(
                        ErrorKind::Query,
                        format!(
                            "rate series `{}` ({}) has no rate for {t}, which compounding from the payments to {to} needs",
                            s.id, s.path
                        ),
                    )
                    .help(format!(
                        "the series covers {}; add a point for {t}, or narrow the years with --from/--to or choose another --to-year",
                        s.coverage()
                    ))
                })
        };
        let mut rates = Vec::new();
        if let Some((lo, hi)) = span {
            let f = factors(lo, hi, to, &growth)?;
            let factor = |y: Year| {
                i64::from(y)
                    .checked_sub(i64::from(lo))
                    .and_then(|i| usize::try_from(i).ok())
                    .and_then(|i| f.get(i).copied())
                    .ok_or_else(|| {
                        Error::new(ErrorKind::Value, format!("internal: no factor for {y}"))
                    })
            };
            match book {
                Some(b) => {
                    for r in &b.rates {
                        let (rf, rt) = r.years();
                        for y in rf.max(lo)..=rt.min(hi) {
                            rates.push(Rate {
                                value: book_rate_times(&r.value, factor(y)?)?,
                                from: Some(y),
                                to: Some(y),
                                ..r.clone()
                            });
                        }
                    }
                }
                None => {
                    for &c in &commodities {
                        for y in lo..=hi {
                            rates.push(Rate {
                                commodity: c,
                                value: Interval::exact(factor(y)?),
                                from: Some(y),
                                to: Some(y),
                                sources: Vec::new(),
                                confidence: None,
                                note: None,
                                at: synthetic_location(),
                            });
                        }
                    }
                }
            }
        }
        let synthetic = PriceBook {
            id: "worth".to_string(),
            name: "compounding factors".to_string(),
            numeraire: book.map_or_else(|| "the row's unit".to_string(), |b| b.numeraire.clone()),
            summary: None,
            notes: None,
            sources: Vec::new(),
            local_sources: Vec::new(),
            rates,
            path: "<worth>".to_string(),
            at: synthetic_location(),
            derived: None,
        };
        let TotalsValues { rows, by_group, .. } =
            value_with(corpus, resolved, query, group, totals, &synthetic)?;
        let round = |v: &Interval| Interval {
            low: round_value(v.low),
            central: round_value(v.central),
            high: round_value(v.high),
        };
        let rows = rows
            .into_iter()
            .map(|w| Worth {
                owed: round(&w.owed),
                delivered: round(&w.delivered),
                recorded: round(&w.recorded),
                assumed: round(&w.assumed),
                ..w
            })
            .collect();
        let by_group = book.map(|_| {
            by_group
                .into_iter()
                .map(|g| GroupWorth {
                    owed: round(&g.owed),
                    delivered: round(&g.delivered),
                    recorded: round(&g.recorded),
                    assumed: round(&g.assumed),
                    ..g
                })
                .collect()
        });
        at.push(AtRate {
            bound,
            rate: fixed,
            rows,
            by_group,
        });
    }
    Ok(WorthReport {
        mode: ask.mode,
        to_year: to,
        rate: ask.rate.clone(),
        series: series_info,
        at,
        prices: book.map(|b| b.id.clone()),
    })
}

/// A book's rate times a factor, rounded outward to [`FACTOR_PLACES`] (low down, high up,
/// central half to even), so that amount × rate stays exact.
fn book_rate_times(rate: &Interval, factor: Decimal) -> Result<Interval> {
    let p = |v: Decimal, s: RoundingStrategy| -> Result<Decimal> {
        Ok(mul(v, factor)?
            .round_dp_with_strategy(FACTOR_PLACES, s)
            .normalize())
    };
    Ok(Interval {
        low: p(rate.low, RoundingStrategy::ToNegativeInfinity)?,
        central: p(rate.central, RoundingStrategy::MidpointNearestEven)?,
        high: p(rate.high, RoundingStrategy::ToPositiveInfinity)?,
    })
}

/// One treaty's payments (every stream, any status, all years), with their worth: a side of
/// `compare --accumulate/--discount`.
#[derive(Debug, Clone)]
pub struct SideWorth {
    /// The treaty id.
    pub treaty: String,
    /// Its totals, one row per commodity.
    pub totals: Totals,
    /// Their worth.
    pub worth: WorthReport,
}

/// The worth of every payment of `treaty` (all statuses, all years), grouped by treaty.
pub fn of_treaty(
    corpus: &Corpus,
    resolved: &Resolved,
    treaty: &str,
    book: Option<&PriceBook>,
    ask: &WorthQuery,
) -> Result<SideWorth> {
    let query = Query {
        treaties: vec![treaty.to_string()],
        statuses: crate::model::Status::ALL.to_vec(),
        ..Query::default()
    };
    let totals = Totals::new(corpus, resolved, &query, GroupBy::Treaty)?;
    let worth = worth(
        corpus,
        resolved,
        &query,
        GroupBy::Treaty,
        &totals,
        book,
        ask,
    )?;
    Ok(SideWorth {
        treaty: treaty.to_string(),
        totals,
        worth,
    })
}

/// Both sides of a comparison, worth at a year (`worth` in `compare --format json`).
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct CompareWorthOut {
    /// A's payments, worth at the year.
    pub a: WorthOut,
    /// B's payments, worth at the year.
    pub b: WorthOut,
}

fn round_value(d: Decimal) -> Decimal {
    d.round_dp_with_strategy(VALUE_PLACES, RoundingStrategy::MidpointNearestEven)
        .normalize()
}

/// The worth report on the wire (`worth` in `total --format json`).
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct WorthOut {
    /// `accumulate` or `discount`.
    pub mode: &'static str,
    /// The year the values are taken at.
    pub to_year: Year,
    /// The fixed rate (low, central, high), if fixed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rate: Option<IntervalOut>,
    /// The rate series, if one was used.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rate_series: Option<RateSeriesOut>,
    /// The compounding convention.
    pub compounding: &'static str,
    /// The rounding.
    pub rounding: &'static str,
    /// The price book the values are in; absent: each row is in its own commodity's unit.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub prices: Option<String>,
    /// The values at the low, central and high rate.
    pub at: Vec<AtRateOut>,
}

/// A rate series named on the wire.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct RateSeriesOut {
    /// Its id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Its sources.
    pub sources: Vec<String>,
}

/// The values at one rate.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct AtRateOut {
    /// `low`, `central` or `high`.
    pub bound: &'static str,
    /// The rate, if fixed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rate: Option<Dec>,
    /// Per totals row (same order as `rows`).
    pub rows: Vec<WorthRowOut>,
    /// Per group, with a price book.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub by_group: Option<Vec<WorthGroupOut>>,
}

/// One row's worth at one rate.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct WorthRowOut {
    /// The group key.
    pub group: String,
    /// Commodity id.
    pub commodity: String,
    /// The unit of the values: the commodity's, or the book's numeraire.
    pub unit: String,
    /// What was owed, worth at the year (an interval with a price book, else low = central = high).
    pub owed: IntervalOut,
    /// What records say was delivered.
    pub recorded: IntervalOut,
    /// What the file assumes was delivered (not a record).
    pub assumed: IntervalOut,
    /// Owed but unpriced (with a price book), in the commodity's unit, not compounded.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unpriced_owed: Option<Dec>,
}

/// One group's worth at one rate (with a price book).
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct WorthGroupOut {
    /// The group key.
    pub group: String,
    /// Owed.
    pub owed: IntervalOut,
    /// Recorded.
    pub recorded: IntervalOut,
    /// Assumed.
    pub assumed: IntervalOut,
}

impl WorthReport {
    /// The wire form.
    pub fn wire(&self, corpus: &Corpus, totals: &Totals, numeraire: Option<&str>) -> WorthOut {
        let reg = &corpus.registry;
        WorthOut {
            mode: self.mode.name(),
            to_year: self.to_year,
            rate: match &self.rate {
                RateSpec::Fixed(r) => Some(r.into()),
                RateSpec::Series(_) => None,
            },
            rate_series: self
                .series
                .as_ref()
                .map(|(id, name, sources)| RateSeriesOut {
                    id: id.clone(),
                    name: name.clone(),
                    sources: sources.iter().map(ToString::to_string).collect(),
                }),
            compounding: COMPOUNDING,
            rounding: ROUNDING,
            prices: self.prices.clone(),
            at: self
                .at
                .iter()
                .map(|a| AtRateOut {
                    bound: a.bound,
                    rate: a.rate.map(Dec),
                    rows: totals
                        .rows
                        .iter()
                        .zip(&a.rows)
                        .map(|(r, w)| WorthRowOut {
                            group: r.group.clone(),
                            commodity: reg.commodity(r.commodity).id.clone(),
                            unit: numeraire.map_or_else(
                                || reg.unit_of(r.commodity).to_string(),
                                str::to_string,
                            ),
                            owed: (&w.owed).into(),
                            recorded: (&w.recorded).into(),
                            assumed: (&w.assumed).into(),
                            unpriced_owed: numeraire.map(|_| Dec(w.unpriced_owed)),
                        })
                        .collect(),
                    by_group: a.by_group.as_ref().map(|g| {
                        g.iter()
                            .map(|g| WorthGroupOut {
                                group: g.group.clone(),
                                owed: (&g.owed).into(),
                                recorded: (&g.recorded).into(),
                                assumed: (&g.assumed).into(),
                            })
                            .collect()
                    }),
                })
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        Decimal::from_str_exact(s).unwrap()
    }

    #[test]
    fn rates_parse_as_points_and_ranges() {
        assert_eq!(
            RateSpec::parse("0.05", true).unwrap(),
            RateSpec::Fixed(Interval::exact(d("0.05")))
        );
        assert_eq!(
            RateSpec::parse("0.03..0.05", false).unwrap(),
            RateSpec::Fixed(Interval {
                low: d("0.03"),
                central: d("0.04"),
                high: d("0.05")
            })
        );
        assert_eq!(
            RateSpec::parse("0.03..0.035..0.05", false).unwrap(),
            RateSpec::Fixed(Interval {
                low: d("0.03"),
                central: d("0.035"),
                high: d("0.05")
            })
        );
        assert_eq!(
            RateSpec::parse("haiti-growth", true).unwrap(),
            RateSpec::Series("haiti-growth".into())
        );
        assert!(RateSpec::parse("haiti-growth", false).is_err());
        assert!(RateSpec::parse("0.05..0.03", false).is_err());
        assert!(RateSpec::parse("-1", false).is_err());
        assert!(RateSpec::parse("0.123456789", false).is_err());
        assert!(RateSpec::parse("0.01..0.02..0.03..0.04", false).is_err());
    }

    #[test]
    fn factors_compound_by_whole_years_both_ways() {
        let five = |_: Year| Ok(d("0.05"));
        let f = factors(1825, 1840, 1838, &five).unwrap();
        // 1.05^13 = 1.885649142323… (by hand: 1.05^2 = 1.1025, ^4 = 1.21550625, ^8 =
        // 1.477455443789…, × ^4 × 1.05).
        assert_eq!(f[0].round_dp(9), d("1.885649142"));
        assert_eq!(f[13], Decimal::ONE); // 1838 itself
        assert_eq!(f[12], d("1.05"));
        assert_eq!(f[14], d("0.952380952381")); // 1/1.05, half even at 12 places
        assert_eq!(f[15], d("0.907029478458")); // 1/1.1025
    }
}
