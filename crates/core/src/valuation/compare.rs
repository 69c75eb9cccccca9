//! Comparisons: one treaty's total as years of another's yearly flow, or as a ratio of totals;
//! the rate of one commodity that makes a comparison come out at a target; and the combinations of
//! readings a comparison can be made under.
//!
//! What always holds: A's total is every stream of A, any status (A is usually a demand), owed
//! over all years. B's yearly flow is what B's recurring obligations owe in one year (B's first
//! payment year unless another is asked for), after amendments. Values are exact until the final
//! ratio, which [`ratio`] rounds outward; the solver's rate is exact or says it is rounded.

use std::collections::BTreeSet;
use std::fmt;

use rust_decimal::Decimal;

use super::book::PriceBook;
use super::interval::{Interval, RATIO_PLACES, Ratio, Rounded, Rounding, div_round, mul, ratio};
use super::value::{Split, Valuation};
use crate::amount::{Basket, CommodityId, Year, add, sub};
use crate::error::{Error, ErrorKind, Result};
use crate::loader::Corpus;
use crate::model::Status;
use crate::resolve::{Readings, Resolved};
use crate::schedule::Piece;

/// What A's total is measured in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Measure {
    /// Years of B's yearly flow, in the year given or else B's first payment year.
    Years(Option<Year>),
    /// A's total ÷ B's total.
    Ratio,
}

/// One side of a comparison, before valuation.
#[derive(Debug, Clone)]
pub struct Side {
    /// The treaty.
    pub treaty: String,
    /// The streams counted (`treaty/obligation`).
    pub streams: Vec<String>,
    /// What is counted, as payments (a yearly flow is one payment in its year).
    pub pieces: Vec<Piece>,
    /// The same amounts summed by commodity.
    pub amounts: Basket,
    /// The year of a yearly flow; `None` for a total.
    pub year: Option<Year>,
}

impl Side {
    fn split(&self, book: Option<&PriceBook>) -> Result<Split> {
        let mut s = Split::new();
        for p in &self.pieces {
            s.plus(&Split::of_piece(book, p, Year::MIN, Year::MAX)?)?;
        }
        Ok(s)
    }

    /// The side valued with `book`.
    pub fn value(&self, book: &PriceBook) -> Result<Valuation> {
        self.split(Some(book))?.value(Some(book))
    }
}

/// Both sides of a comparison under one choice of readings.
#[derive(Debug, Clone)]
pub struct Sides {
    /// What is measured.
    pub a: Side,
    /// What it is measured against.
    pub b: Side,
    /// How.
    pub measure: Measure,
}

/// A comparison valued with one book.
#[derive(Debug, Clone)]
pub struct Valued {
    /// The book's id.
    pub book: String,
    /// A valued.
    pub a: Valuation,
    /// B valued.
    pub b: Valuation,
    /// A ÷ B, or `None` if nothing of B is priced.
    pub result: Option<Ratio>,
}

/// One commodity compared on its own (no price book).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommodityRatio {
    /// The commodity.
    pub commodity: CommodityId,
    /// A's amount.
    pub a: Decimal,
    /// B's amount.
    pub b: Decimal,
    /// `a ÷ b`, rounded half to even to [`RATIO_PLACES`].
    pub ratio: Rounded,
}

/// The rate of one commodity that makes a comparison's central value equal a target.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Solution {
    /// This rate does it (exact, or rounded half to even to [`RATIO_PLACES`]); `check` is the
    /// comparison recomputed with the rate as shown.
    Rate {
        /// The rate, in the book's numeraire per unit of the commodity.
        rate: Rounded,
        /// The comparison at that rate.
        check: Rounded,
    },
    /// No rate above zero does it; the text says why.
    NoPositiveRate(String),
    /// Every rate does it: the commodity's rate does not move the comparison, which already equals
    /// the target.
    AnyRate,
}

fn owed_in(pieces: &[Piece], year: Year) -> Result<Basket> {
    let mut b = Basket::new();
    for p in pieces.iter().filter(|p| p.falls_in(year)) {
        b = b.plus(&p.amounts)?;
    }
    Ok(b)
}

fn total(pieces: &[Piece]) -> Result<Basket> {
    let mut b = Basket::new();
    for p in pieces {
        b = b.plus(&p.amounts.times(p.count)?)?;
    }
    Ok(b)
}

impl Sides {
    /// A's total and B's flow (or total) from streams resolved under some readings.
    pub fn new(
        corpus: &Corpus,
        resolved: &Resolved,
        a: &str,
        b: &str,
        measure: Measure,
    ) -> Result<Sides> {
        for id in [a, b] {
            if !corpus.treaties.contains_key(id) {
                return Err(
                    Error::new(ErrorKind::Query, format!("no treaty `{id}` is loaded"))
                        .help("`tribute list` shows the ids of the loaded treaties"),
                );
            }
        }
        let named =
            |e: Error, id: &str| Error::new(e.kind(), format!("treaty `{id}`: {}", e.message()));
        fn streams_of<'r>(
            resolved: &'r Resolved,
            id: &'r str,
        ) -> impl Iterator<Item = &'r crate::resolve::Stream> + 'r {
            resolved.streams.iter().filter(move |s| s.treaty == id)
        }
        let streams_of = |id| streams_of(resolved, id);
        let a_pieces: Vec<Piece> = streams_of(a)
            .flat_map(|s| s.pieces.iter().cloned())
            .collect();
        let a_side = Side {
            treaty: a.to_string(),
            streams: streams_of(a).map(|s| s.key()).collect(),
            amounts: total(&a_pieces).map_err(|e| named(e, a))?,
            pieces: a_pieces,
            year: None,
        };
        if a_side.amounts.is_empty() {
            return Err(Error::new(
                ErrorKind::Query,
                format!("`{a}` owes nothing under the readings used"),
            )
            .help("`tribute show ID` shows what a treaty owes"));
        }
        let b_side = match measure {
            Measure::Ratio => {
                let pieces: Vec<Piece> = streams_of(b)
                    .flat_map(|s| s.pieces.iter().cloned())
                    .collect();
                Side {
                    treaty: b.to_string(),
                    streams: streams_of(b).map(|s| s.key()).collect(),
                    amounts: total(&pieces).map_err(|e| named(e, b))?,
                    pieces,
                    year: None,
                }
            }
            Measure::Years(year) => {
                let recurring: Vec<_> = streams_of(b)
                    .filter(|s| s.schedule.is_yearly_flow())
                    .collect();
                let pieces: Vec<Piece> = recurring
                    .iter()
                    .flat_map(|s| s.pieces.iter().cloned())
                    .collect();
                let Some(first) = pieces.iter().filter(|p| p.count > 0).map(|p| p.start).min()
                else {
                    return Err(Error::new(
                        ErrorKind::Query,
                        format!("`{b}` has no recurring obligation under the readings used, so it has no yearly flow"),
                    )
                    .help("compare totals with --ratio, or choose a treaty with a yearly payment"));
                };
                let year = year.unwrap_or(first);
                let flow = owed_in(&pieces, year).map_err(|e| named(e, b))?;
                if flow.is_empty() {
                    let last = pieces.iter().map(Piece::last).max().unwrap_or(first);
                    return Err(Error::new(
                        ErrorKind::Query,
                        format!("the recurring obligations of `{b}` owe nothing in {year}"),
                    )
                    .help(format!(
                        "they fall due between {first} and {last}; pick a year with --year"
                    )));
                }
                Side {
                    treaty: b.to_string(),
                    streams: recurring.iter().map(|s| s.key()).collect(),
                    pieces: vec![Piece::once(year, flow.clone())],
                    amounts: flow,
                    year: Some(year),
                }
            }
        };
        if b_side.amounts.is_empty() {
            return Err(Error::new(
                ErrorKind::Query,
                format!("`{b}` owes nothing under the readings used"),
            )
            .help("`tribute show ID` shows what a treaty owes"));
        }
        Ok(Sides {
            a: a_side,
            b: b_side,
            measure,
        })
    }

    /// Both sides valued with `book`, and A ÷ B.
    pub fn value(&self, book: &PriceBook) -> Result<Valued> {
        let a = self.a.value(book)?;
        let b = self.b.value(book)?;
        let result = if b.value.low > Decimal::ZERO {
            Some(ratio(&a.value, &b.value)?)
        } else {
            None
        };
        Ok(Valued {
            book: book.id.clone(),
            a,
            b,
            result,
        })
    }

    /// Without a book: each commodity both sides hold, compared on its own, in commodity order.
    pub fn per_commodity(&self) -> Result<Vec<CommodityRatio>> {
        let mut out = Vec::new();
        for (c, a) in self.a.amounts.iter() {
            let b = self.b.amounts.get(c);
            if b > Decimal::ZERO {
                out.push(CommodityRatio {
                    commodity: c,
                    a,
                    b,
                    ratio: div_round(a, b, RATIO_PLACES, Rounding::HalfEven)?,
                });
            }
        }
        Ok(out)
    }

    /// The rate of `c` (in `book`'s numeraire per unit of `c`, applied in every year) that makes the
    /// central value of the comparison equal `target`: years = (A_known + a_c·r) ÷ (B_known + b_c·r),
    /// which is linear in r, so r = (A_known − T·B_known) ÷ (T·b_c − a_c), exactly.
    pub fn solve(&self, book: &PriceBook, c: CommodityId, target: Decimal) -> Result<Solution> {
        let a = self.a.value(book)?;
        let b = self.b.value(book)?;
        let known = |v: &Valuation| -> Result<Decimal> {
            sub(v.value.central, v.of_commodity(c)?.0.central)
        };
        let (ak, bk) = (known(&a)?, known(&b)?);
        let (ac, bc) = (self.a.amounts.get(c), self.b.amounts.get(c));
        let num = sub(ak, mul(target, bk)?)?;
        let den = sub(mul(target, bc)?, ac)?;
        if den.is_zero() {
            if num.is_zero() {
                return Ok(Solution::AnyRate);
            }
            let why = if ac.is_zero() && bc.is_zero() {
                "it is in neither treaty, so its rate cannot move the comparison".to_string()
            } else {
                format!(
                    "it is in the same proportion on both sides, so its rate cannot bring the comparison to {}",
                    target.normalize()
                )
            };
            return Ok(Solution::NoPositiveRate(why));
        }
        let (num, den) = if den.is_sign_negative() {
            (-num, -den)
        } else {
            (num, den)
        };
        if num <= Decimal::ZERO {
            let at_zero = if bk.is_zero() {
                None
            } else {
                Some(div_round(ak, bk, RATIO_PLACES, Rounding::HalfEven)?.value)
            };
            let at_infinity = if bc.is_zero() {
                None
            } else {
                Some(div_round(ac, bc, RATIO_PLACES, Rounding::HalfEven)?.value)
            };
            let from = at_zero.map_or("an unbounded value".to_string(), |v| {
                v.normalize().to_string()
            });
            let toward = at_infinity.map_or("grows without limit".to_string(), |v| {
                format!("tends to {}", v.normalize())
            });
            return Ok(Solution::NoPositiveRate(format!(
                "at a rate near zero the comparison is {from}, and as the rate rises it {toward}, so it never reaches {} \
                 (the rate that solves the equation is {})",
                target.normalize(),
                if num.is_zero() {
                    "zero".to_string()
                } else {
                    "below zero".to_string()
                }
            )));
        }
        let rate = div_round(num, den, RATIO_PLACES, Rounding::HalfEven)?;
        let r = rate.value;
        let check_num = add(ak, mul(ac, r)?)?;
        let check_den = add(bk, mul(bc, r)?)?;
        let check = div_round(check_num, check_den, RATIO_PLACES, Rounding::HalfEven)?;
        Ok(Solution::Rate { rate, check })
    }
}

/// Which kind of item a reading choice is about. Amendments sort before obligations (the order
/// of their names).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ChoiceKind {
    /// An amendment (its readings change what it does to its target).
    Amendment,
    /// An obligation (its readings change what it owes).
    Obligation,
}

/// One choice of reading for one item that changes what a comparison counts.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Choice {
    /// The treaty whose file holds the item.
    pub treaty: String,
    /// An obligation or an amendment.
    pub kind: ChoiceKind,
    /// The item's id.
    pub item: String,
    /// The treaty whose streams it changes (the item's own for an obligation, the target's for an
    /// amendment).
    pub affects: String,
    /// The reading chosen.
    pub reading: String,
    /// True if it is the file's default.
    pub default: bool,
}

impl fmt::Display for Choice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}={}", self.treaty, self.item, self.reading)
    }
}

/// A reading for each item with several readings that changes what a comparison counts.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Combo {
    /// One choice per item, in (treaty, kind, item) order.
    pub choices: Vec<Choice>,
}

impl Combo {
    /// The corpus with each chosen item reduced to its chosen reading, so that it resolves to that
    /// reading whatever names are selected.
    pub fn apply(&self, corpus: &Corpus) -> Corpus {
        let mut out = corpus.clone();
        for ch in &self.choices {
            let Some(t) = out.treaties.get_mut(ch.treaty.as_str()) else {
                continue;
            };
            let keep = |reading: &Option<String>| reading.as_deref() == Some(ch.reading.as_str());
            if ch.kind == ChoiceKind::Obligation {
                if let Some(item) = t.obligations.iter_mut().find(|i| i.id == ch.item) {
                    item.variants.retain(|v| keep(&v.reading));
                }
            } else if let Some(item) = t.amendments.iter_mut().find(|i| i.id == ch.item) {
                item.variants.retain(|v| keep(&v.reading));
            }
        }
        out
    }

    /// The choices affecting `treaty`'s streams: `item=reading`, prefixed with the file's treaty
    /// when the item sits in another file; `—` if none.
    pub fn label_for(&self, treaty: &str) -> String {
        let parts: Vec<String> = self
            .choices
            .iter()
            .filter(|c| c.affects == treaty)
            .map(|c| {
                if c.treaty == treaty {
                    format!("{}={}", c.item, c.reading)
                } else {
                    c.to_string()
                }
            })
            .collect();
        if parts.is_empty() {
            "—".to_string()
        } else {
            parts.join(", ")
        }
    }
}

/// The items with several readings that change what `treaties` owe: their own obligations, and
/// amendments in treaties in force that target them. Each with its reading names, default first.
fn reading_items(corpus: &Corpus, treaties: &[&str]) -> Vec<(Choice, Vec<String>)> {
    let wanted: BTreeSet<&str> = treaties.iter().copied().collect();
    let mut items = Vec::new();
    for t in corpus.treaties.values() {
        if wanted.contains(t.id.as_str()) {
            for o in t.obligations.iter().filter(|o| o.variants.len() > 1) {
                let names: Vec<String> = o.reading_names().map(str::to_string).collect();
                let choice = Choice {
                    treaty: t.id.to_string(),
                    kind: ChoiceKind::Obligation,
                    item: o.id.to_string(),
                    affects: t.id.to_string(),
                    reading: names[0].clone(),
                    default: true,
                };
                items.push((choice, names));
            }
        }
        if t.status != Status::InForce {
            continue;
        }
        for a in t.amendments.iter().filter(|a| a.variants.len() > 1) {
            let target = &a.default_variant().def.target.treaty;
            if wanted.contains(target.as_str()) {
                let names: Vec<String> = a.reading_names().map(str::to_string).collect();
                let choice = Choice {
                    treaty: t.id.to_string(),
                    kind: ChoiceKind::Amendment,
                    item: a.id.to_string(),
                    affects: target.clone(),
                    reading: names[0].clone(),
                    default: true,
                };
                items.push((choice, names));
            }
        }
    }
    items.sort_by(|x, y| {
        (&x.0.treaty, x.0.kind, &x.0.item).cmp(&(&y.0.treaty, y.0.kind, &y.0.item))
    });
    items
}

/// Every combination of readings of the items that change what `treaties` owe, the all-default
/// combination first. An error if there are more than 10,000.
pub fn combos(corpus: &Corpus, treaties: &[&str]) -> Result<Vec<Combo>> {
    let items = reading_items(corpus, treaties);
    let count = items.iter().try_fold(1usize, |n, (_, names)| {
        n.checked_mul(names.len()).filter(|n| *n <= 10_000)
    });
    if count.is_none() {
        return Err(Error::new(
            ErrorKind::Query,
            "more than 10,000 combinations of readings",
        )
        .help("select readings with --reading instead of --all-readings"));
    }
    let mut out = vec![Combo::default()];
    for (choice, names) in &items {
        let mut next = Vec::with_capacity(out.len().saturating_mul(names.len()));
        for combo in &out {
            for (i, name) in names.iter().enumerate() {
                let mut c = combo.clone();
                c.choices.push(Choice {
                    reading: name.clone(),
                    default: i == 0,
                    ..choice.clone()
                });
                next.push(c);
            }
        }
        out = next;
    }
    Ok(out)
}

/// The readings `readings` picks for the items that change what `treaties` owe.
pub fn used_readings(corpus: &Corpus, readings: &Readings, treaties: &[&str]) -> Result<Combo> {
    let mut combo = Combo::default();
    for (choice, names) in reading_items(corpus, treaties) {
        let t = &corpus.treaties[choice.treaty.as_str()];
        let reading = if choice.kind == ChoiceKind::Obligation {
            let item = t.obligations.iter().find(|i| i.id == choice.item);
            item.map(|i| readings.pick(i, t).map(|v| v.reading.clone()))
                .transpose()?
                .flatten()
        } else {
            let item = t.amendments.iter().find(|i| i.id == choice.item);
            item.map(|i| readings.pick(i, t).map(|v| v.reading.clone()))
                .transpose()?
                .flatten()
        };
        let reading = reading.unwrap_or_else(|| names[0].clone());
        combo.choices.push(Choice {
            default: reading == names[0],
            reading,
            ..choice
        });
    }
    Ok(combo)
}

/// `true` if `num ÷ den` (den > 0) lies in `lo..=hi`, decided exactly.
pub fn quotient_within(num: Decimal, den: Decimal, lo: Decimal, hi: Decimal) -> Result<bool> {
    Ok(num >= mul(lo, den)? && num <= mul(hi, den)?)
}

/// `true` if the range `num.low ÷ den.high ..= num.high ÷ den.low` (den.low > 0) meets
/// `lo..=hi`, decided exactly.
pub fn range_meets(num: &Interval, den: &Interval, lo: Decimal, hi: Decimal) -> Result<bool> {
    Ok(num.low <= mul(hi, den.high)? && num.high >= mul(lo, den.low)?)
}
