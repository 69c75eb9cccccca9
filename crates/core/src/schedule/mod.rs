//! Schedule kinds: when an obligation falls due and how much each payment is.
//!
//! Every kind reduces to [`Piece`]s: arithmetic progressions of years with one basket per payment.
//! That is what lets the engine total any stream in closed form. A kind is a module with a
//! [`ScheduleKind`] (its name, the keys it takes and a constructor) and one line in [`KINDS`];
//! nothing else in the engine changes when a kind is added.

use std::collections::BTreeMap;
use std::fmt;
use std::ops::Range;

use rust_decimal::Decimal;

use crate::amount::{Basket, CommodityId, YEAR_MAX, YEAR_MIN, YEAR_SPAN, Year, checked_year};
use crate::date::Date;
use crate::error::Result;

pub mod amortisation;
pub mod annuity;
pub mod dated;
pub mod debt;
#[cfg(test)]
mod debt_tests;
#[cfg(test)]
mod example_rising;
pub mod installments;
pub mod one_time;
pub mod recurring;

/// Every registered schedule kind, by the name a treaty file uses in `schedule = "…"`.
pub static KINDS: &[&ScheduleKind] = &[
    &one_time::KIND,
    &recurring::KIND,
    &installments::KIND,
    &annuity::KIND,
    &amortisation::KIND,
    &dated::KIND,
    // A kind that exists only in tests: the proof that a kind is one module plus this one line.
    #[cfg(test)]
    &example_rising::KIND,
];

/// Looks a schedule kind up by name.
pub fn kind(name: &str) -> Option<&'static ScheduleKind> {
    KINDS.iter().copied().find(|k| k.name == name)
}

/// A registered schedule kind.
#[derive(Debug)]
pub struct ScheduleKind {
    /// The name used in treaty files.
    pub name: &'static str,
    /// The keys it takes besides `schedule` (all others are rejected).
    pub keys: &'static [&'static str],
    /// Builds a schedule from the keys present.
    pub build: fn(&ScheduleInput) -> Result<Box<dyn Schedule>, FieldError>,
}

/// Reads an amounts table written inside a kind's own key (`principal = { silver = "450000000
/// tael" }`, or the `amounts` of one row of a table) with the registry's commodities and units,
/// exactly as the loader reads `amounts`: the basket in the commodities' own units and the decimal
/// places each was written with. The span is where an error is reported.
pub type ReadAmounts<'a> = &'a (
        dyn Fn(&toml::Value, Range<usize>) -> Result<(Basket, Vec<(CommodityId, u32)>), FieldError>
            + Sync
    );

/// The schedule keys of one obligation (one reading of it), parsed but not interpreted.
#[derive(Default, Clone)]
pub struct ScheduleInput<'a> {
    /// `year = …` with its span.
    pub year: Option<(i64, Range<usize>)>,
    /// `from = …`.
    pub from: Option<(i64, Range<usize>)>,
    /// `to = …`.
    pub to: Option<(i64, Range<usize>)>,
    /// `every = …`.
    pub every: Option<(i64, Range<usize>)>,
    /// `count = …`.
    pub count: Option<(i64, Range<usize>)>,
    /// `amounts = {…}`, converted to the commodities' own units.
    pub amounts: Option<(Basket, Range<usize>)>,
    /// `total = {…}`.
    pub total: Option<(Basket, Range<usize>)>,
    /// The decimal places each commodity of `total` was written with (sorted by commodity).
    pub total_places: Vec<(CommodityId, u32)>,
    /// The kind's own keys beyond the shared ones above (a rate, a principal…), as written, with
    /// their spans. Only keys the kind declares in [`ScheduleKind::keys`] arrive here; any other
    /// key is rejected, with its place, before the kind is built.
    pub extra: BTreeMap<String, (toml::Value, Range<usize>)>,
    /// The span of the whole table, for errors about a missing key.
    pub table: Range<usize>,
    /// Reads amounts written inside the kind's own keys (absent where no registry is at hand,
    /// as in a kind's own unit tests, or in a CSV table, whose kinds take no keys of their own).
    pub read_amounts: Option<ReadAmounts<'a>>,
    /// The text of the file, so that an error inside a kind's own key (a row of a table) can be
    /// placed at the row itself ([`ScheduleInput::span_in`]); absent outside a TOML file.
    pub text: Option<&'a str>,
}

/// One step into a kind's own key, for [`ScheduleInput::span_in`].
#[derive(Debug, Clone, Copy)]
pub enum Step<'s> {
    /// The item of an array.
    Index(usize),
    /// The key of a table.
    Key(&'s str),
}

impl fmt::Debug for ScheduleInput<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ScheduleInput")
            .field("year", &self.year)
            .field("from", &self.from)
            .field("to", &self.to)
            .field("every", &self.every)
            .field("count", &self.count)
            .field("amounts", &self.amounts)
            .field("total", &self.total)
            .field("extra", &self.extra)
            .field("table", &self.table)
            .finish_non_exhaustive()
    }
}

/// An error in one key of a schedule: message, span, and advice.
#[derive(Debug, Clone)]
pub struct FieldError {
    /// What is wrong.
    pub message: String,
    /// Where.
    pub span: Range<usize>,
    /// How to fix it.
    pub help: Option<String>,
}

impl FieldError {
    /// A new field error.
    pub fn new(message: impl Into<String>, span: Range<usize>) -> FieldError {
        FieldError {
            message: message.into(),
            span,
            help: None,
        }
    }

    /// With advice.
    pub fn help(mut self, help: impl Into<String>) -> FieldError {
        self.help = Some(help.into());
        self
    }
}

impl ScheduleInput<'_> {
    /// The span of a value inside the kind's own key `key` (`rows`, then item 2, then `due`):
    /// the key's value is parsed again from the file's text with its spans. Where the text is not
    /// at hand or the path is not there, the span of the deepest value found (at worst the key's
    /// value).
    pub fn span_in(&self, key: &str, path: &[Step<'_>]) -> Range<usize> {
        let Some((_, span)) = self.extra(key) else {
            return self.table.clone();
        };
        let Some(text) = self.text.and_then(|t| t.get(span.clone())) else {
            return span.clone();
        };
        let Ok(root) = toml::de::DeValue::parse(text) else {
            return span.clone();
        };
        let mut at = &root;
        for step in path {
            let next = match (step, at.get_ref()) {
                (Step::Index(i), toml::de::DeValue::Array(a)) => a.get(*i),
                (Step::Key(k), toml::de::DeValue::Table(t)) => t
                    .iter()
                    .find(|(name, _)| name.get_ref().as_ref() == *k)
                    .map(|(_, v)| v),
                _ => None,
            };
            match next {
                Some(n) => at = n,
                None => break,
            }
        }
        let inner = at.span();
        match (
            span.start.checked_add(inner.start),
            span.start.checked_add(inner.end),
        ) {
            (Some(a), Some(b)) if b <= span.end => a..b,
            _ => span.clone(),
        }
    }

    /// Reads an amounts table found inside one of the kind's own keys (`what` names it in
    /// errors, e.g. "`principal`" or "row 3 of `rows`").
    pub fn amounts_in(
        &self,
        value: &toml::Value,
        span: Range<usize>,
        what: &str,
    ) -> Result<(Basket, Vec<(CommodityId, u32)>), FieldError> {
        if !matches!(value, toml::Value::Table(_)) {
            return Err(FieldError::new(
                format!("{what} is a table of amounts, not a {}", value.type_str()),
                span,
            )
            .help("write e.g. { silver = \"450000000 tael\" }"));
        }
        match self.read_amounts {
            Some(read) => read(value, span).map_err(|mut e| {
                e.message = format!("{what}: {}", e.message);
                e
            }),
            None => Err(FieldError::new(
                format!(
                    "{what}: amounts inside a kind's own keys can only be read from a treaty file"
                ),
                span,
            )
            .help("write this obligation in a TOML treaty file")),
        }
    }

    /// The kind's own key `key`, required: its value and span, or an error naming it.
    pub fn require_extra(
        &self,
        key: &str,
        kind: &str,
        example: &str,
    ) -> Result<&(toml::Value, Range<usize>), FieldError> {
        self.extra(key).ok_or_else(|| {
            FieldError::new(
                format!("a {kind} schedule needs `{key}`"),
                self.table.clone(),
            )
            .help(format!("add `{key} = {example}`"))
        })
    }

    /// A date key of the kind's own (`first = 1902-01-01`), checked.
    pub fn date(&self, key: &str) -> Result<Option<(Date, Range<usize>)>, FieldError> {
        let Some((value, span)) = self.extra(key) else {
            return Ok(None);
        };
        let d = Date::from_toml(value)
            .map_err(|(m, h)| FieldError::new(format!("`{key}`: {m}"), span.clone()).help(h))?;
        Ok(Some((d, span.clone())))
    }

    /// A whole-number key of the kind's own (`per-year = 2`).
    pub fn integer(&self, key: &str) -> Result<Option<(i64, Range<usize>)>, FieldError> {
        let Some((value, span)) = self.extra(key) else {
            return Ok(None);
        };
        match value {
            toml::Value::Integer(i) => Ok(Some((*i, span.clone()))),
            other => Err(FieldError::new(
                format!("`{key}` is a whole number, not a {}", other.type_str()),
                span.clone(),
            )
            .help(format!("write e.g. {key} = 2"))),
        }
    }

    /// A string key of the kind's own (`rounding = "each-payment"`).
    pub fn string(&self, key: &str) -> Result<Option<(&str, Range<usize>)>, FieldError> {
        let Some((value, span)) = self.extra(key) else {
            return Ok(None);
        };
        match value {
            toml::Value::String(s) => Ok(Some((s.as_str(), span.clone()))),
            other => Err(FieldError::new(
                format!("`{key}` is a string, not a {}", other.type_str()),
                span.clone(),
            )
            .help(format!("write it in quotes: {key} = \"…\""))),
        }
    }

    /// The value of a required key, or an error naming the key.
    pub fn require(
        &self,
        key: &'static str,
        value: &Option<(i64, Range<usize>)>,
        kind: &str,
    ) -> Result<(i64, Range<usize>), FieldError> {
        value.clone().ok_or_else(|| {
            FieldError::new(
                format!("a {kind} schedule needs `{key}`"),
                self.table.clone(),
            )
            .help(format!("add `{key} = …` to this obligation"))
        })
    }

    /// A year value checked to lie in the supported range ([`crate::YEAR_MIN`] to
    /// [`crate::YEAR_MAX`]).
    pub fn year_value(value: (i64, Range<usize>)) -> Result<Year, FieldError> {
        checked_year(value.0)
            .map_err(|(message, help)| FieldError::new(message, value.1).help(help))
    }

    /// A positive count (`every`, `count`), at most [`YEAR_SPAN`] (the number of years
    /// supported), so that no schedule's arithmetic can leave the range of [`Year`].
    pub fn positive(value: (i64, Range<usize>), key: &str) -> Result<u32, FieldError> {
        match u32::try_from(value.0) {
            Ok(n) if n > 0 && n <= YEAR_SPAN => Ok(n),
            _ => Err(FieldError::new(
                format!(
                    "`{key}` must be a whole number from 1 to {YEAR_SPAN}, not {}",
                    value.0
                ),
                value.1,
            )
            .help(match key {
                "every" => format!("every = 1 is a payment each year, every = 2 every other year (leave it out for 1); the supported years ({YEAR_MIN} to {YEAR_MAX}) hold {YEAR_SPAN}"),
                "count" => format!("count is how many payments there are, from 1 to {YEAR_SPAN} (the supported years, {YEAR_MIN} to {YEAR_MAX})"),
                _ => format!("write a whole number from 1 to {YEAR_SPAN}"),
            })),
        }
    }

    /// A key of the kind's own, as written (see [`ScheduleInput::extra`]).
    pub fn extra(&self, key: &str) -> Option<&(toml::Value, Range<usize>)> {
        self.extra.get(key)
    }

    /// A decimal key of the kind's own: a string of digits or a whole number, never a TOML float
    /// (which would lose digits).
    pub fn decimal(&self, key: &str) -> Result<Option<(Decimal, Range<usize>)>, FieldError> {
        let Some((value, span)) = self.extra(key) else {
            return Ok(None);
        };
        let d = match crate::amount::decimal_or_integer(value) {
            Ok(n) => n
                .decimal(true)
                .map_err(|m| FieldError::new(m, span.clone()))?,
            Err(crate::amount::Refused::Float(f)) => {
                return Err(FieldError::new(
                    format!("`{key} = {f}` is a TOML float, and floats lose digits"),
                    span.clone(),
                )
                .help(format!("write it as a string: {key} = \"{f}\"")));
            }
            Err(crate::amount::Refused::Other) => {
                return Err(FieldError::new(
                    format!("`{key}` is a decimal: a string of digits or a whole number"),
                    span.clone(),
                )
                .help(format!("write e.g. {key} = \"0.05\"")));
            }
        };
        Ok(Some((d, span.clone())))
    }

    /// The amounts per payment, required and non-empty.
    pub fn basket(
        &self,
        key: &'static str,
        value: &Option<(Basket, Range<usize>)>,
        kind: &str,
    ) -> Result<Basket, FieldError> {
        let (b, span) = value.clone().ok_or_else(|| {
            FieldError::new(
                format!("a {kind} schedule needs `{key}`"),
                self.table.clone(),
            )
            .help(format!(
                "add `{key} = {{ silver = \"100000 tael\" }}` or similar"
            ))
        })?;
        if b.is_empty() {
            return Err(
                FieldError::new(format!("`{key}` is empty or all zero"), span)
                    .help("name at least one commodity with a positive amount"),
            );
        }
        Ok(b)
    }
}

/// A payment schedule: when payments fall due and what each is.
pub trait Schedule: fmt::Debug + Send + Sync {
    /// The kind's name (`one-time`, `recurring`, `installments`).
    fn kind(&self) -> &'static str;
    /// The first year a payment falls due.
    fn first_year(&self) -> Year;
    /// The last year a payment falls due, or `None` if the schedule is open-ended.
    fn last_year(&self) -> Option<Year>;
    /// The payments as pieces. `end` bounds an open-ended schedule (the last year it may run to);
    /// closed schedules ignore it.
    fn pieces(&self, end: Year) -> Vec<Piece>;
    /// A short description for people (`every year from 1005`).
    fn describe(&self) -> String;
    /// True if the schedule is a yearly flow (the same payment year after year) that a comparison
    /// can count years of. Only such schedules count as B's "yearly flow" in `compare`.
    fn is_yearly_flow(&self) -> bool {
        false
    }
    /// The payments with their due dates, where the kind has dates (an annuity, an amortisation
    /// table, instalments on dates); `None` for a kind of whole years. [`Schedule::pieces`] sums
    /// the payments of each year into that year's piece, so the two always agree. `end` bounds an
    /// open-ended schedule, as for `pieces`.
    fn dated(&self, _end: Year) -> Option<Vec<Payment>> {
        None
    }
    /// Every rounding the schedule makes, in words (the rule, the places and the mode), for
    /// `show` and `total`: "every rounding is named in the output". Empty where nothing is
    /// rounded.
    fn roundings(&self) -> Vec<String> {
        Vec::new()
    }
    /// What the schedule comes to as written, for `show`: by default the first payment, "each".
    fn terms(&self) -> Result<Terms> {
        Ok(Terms {
            amounts: self
                .pieces(self.first_year())
                .first()
                .map(|p| p.amounts.clone())
                .unwrap_or_default(),
            per: Per::Each,
        })
    }
}

/// One dated payment of a schedule that has dates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Payment {
    /// When it falls due.
    pub due: Date,
    /// What is paid.
    pub amounts: Basket,
    /// The part of `amounts` that is interest (principal is the rest).
    pub interest: Basket,
    /// The principal still owed after this payment, as scheduled.
    pub balance: Basket,
}

impl Payment {
    /// The principal part: `amounts − interest`.
    pub fn principal(&self) -> Result<Basket> {
        self.amounts.minus(&self.interest)
    }
}

/// The pieces of dated payments: one piece per year, the payments of a year summed into it
/// (reports keep their yearly grain).
pub fn pieces_of(payments: &[Payment]) -> Result<Vec<Piece>> {
    let mut by_year: BTreeMap<Year, (Basket, Basket)> = BTreeMap::new();
    for p in payments {
        let e = by_year.entry(p.due.year()).or_default();
        e.0 = e.0.plus(&p.amounts)?;
        e.1 = e.1.plus(&p.interest)?;
    }
    Ok(by_year
        .into_iter()
        .map(|(y, (amounts, interest))| Piece::once_with_interest(y, amounts, interest))
        .collect())
}

/// What a schedule comes to as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Terms {
    /// The amounts.
    pub amounts: Basket,
    /// Whether they are each payment's or the whole sum.
    pub per: Per,
}

/// Whether [`Terms`] are per payment or in all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Per {
    /// Each payment.
    Each,
    /// All payments together.
    InAll,
}

impl Per {
    /// `each` or `in all`.
    pub fn as_str(self) -> &'static str {
        match self {
            Per::Each => "each",
            Per::InAll => "in all",
        }
    }
}

/// Payments of one basket in years `start, start + step, …` (`count` of them).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Piece {
    /// First payment year.
    pub start: Year,
    /// Years between payments (1 = every year).
    pub step: u32,
    /// Number of payments.
    pub count: u64,
    /// What each payment is.
    pub amounts: Basket,
    /// The part of each payment that is interest (within `amounts`, never more); empty for a
    /// schedule that charges none. Principal is `amounts − interest`.
    pub interest: Basket,
}

impl Piece {
    /// A piece of one payment.
    pub fn once(year: Year, amounts: Basket) -> Piece {
        Piece {
            start: year,
            step: 1,
            count: 1,
            amounts,
            interest: Basket::new(),
        }
    }

    /// A piece of one payment of which `interest` is interest.
    pub fn once_with_interest(year: Year, amounts: Basket, interest: Basket) -> Piece {
        Piece {
            interest,
            ..Piece::once(year, amounts)
        }
    }

    /// The pieces from `from` to `to` inclusive, every `step` years (none if `to < from`, or if
    /// `step` is 0).
    pub fn span(from: Year, to: Year, step: u32, amounts: Basket) -> Option<Piece> {
        if to < from || step == 0 {
            return None;
        }
        // `to >= from` and `step >= 1`: none of these fails for years widened to i64.
        let count = i64::from(to)
            .checked_sub(i64::from(from))?
            .checked_div(i64::from(step))?
            .checked_add(1)?;
        Some(Piece {
            start: from,
            step,
            count: count as u64,
            amounts,
            interest: Basket::new(),
        })
    }

    /// The step as a wide integer (a step of 0 counts as 1, so that nothing divides by zero).
    fn stride(&self) -> i64 {
        i64::from(self.step.max(1))
    }

    /// The index of the last payment, as a wide integer.
    fn last_index(&self) -> i64 {
        i64::try_from(self.count)
            .unwrap_or(i64::MAX)
            .saturating_sub(1)
    }

    /// The last payment year (one step before the first, for an empty piece). Computed wide: a
    /// piece of years in the supported range cannot end outside [`Year`]; one built by hand that
    /// would is held at the limit rather than wrapped.
    pub fn last(&self) -> Year {
        // An i64 times an i64, plus an i32, fits an i128: the saturation never happens.
        let last = i128::from(self.last_index())
            .saturating_mul(i128::from(self.stride()))
            .saturating_add(i128::from(self.start));
        Year::try_from(last).unwrap_or(if last < 0 { Year::MIN } else { Year::MAX })
    }

    /// True if a payment falls in `year`.
    pub fn falls_in(&self, year: Year) -> bool {
        let since = i64::from(year).checked_sub(i64::from(self.start));
        self.count > 0
            && year <= self.last()
            && since.is_some_and(|s| s >= 0 && s.checked_rem(self.stride()) == Some(0))
    }

    /// The part of this piece whose years lie in `lo..=hi`, if any (closed form).
    pub fn clip(&self, lo: Year, hi: Year) -> Option<Piece> {
        self.clip_years(lo, hi).map(|years| Piece {
            amounts: self.amounts.clone(),
            interest: self.interest.clone(),
            ..years
        })
    }

    /// The years of [`Piece::clip`] alone: a piece of the same years with empty amounts, which
    /// copies nothing (for a caller that only counts payments or has the amounts at hand).
    pub fn clip_years(&self, lo: Year, hi: Year) -> Option<Piece> {
        if self.count == 0 || hi < self.start || lo > self.last() || hi < lo {
            return None;
        }
        let step = self.stride();
        // Years widened to i64 and a step of at most u32::MAX: none of these steps fails.
        let first_k = if lo <= self.start {
            0
        } else {
            i64::from(lo)
                .checked_sub(i64::from(self.start))?
                .checked_add(step)?
                .checked_sub(1)?
                .checked_div(step)?
        };
        let last_k = i64::from(hi.min(self.last()))
            .checked_sub(i64::from(self.start))?
            .checked_div(step)?
            .min(self.last_index());
        if last_k < first_k {
            return None;
        }
        Some(Piece {
            start: Year::try_from(i64::from(self.start).checked_add(first_k.checked_mul(step)?)?)
                .ok()?,
            step: self.step,
            count: last_k.checked_sub(first_k)?.checked_add(1)? as u64,
            amounts: Basket::new(),
            interest: Basket::new(),
        })
    }

    /// How many payments fall in `lo..=hi` (closed form).
    pub fn count_in(&self, lo: Year, hi: Year) -> u64 {
        self.clip_years(lo, hi).map_or(0, |p| p.count)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clip_counts_match_a_year_by_year_count() {
        let p = Piece {
            start: 1005,
            step: 3,
            count: 10,
            amounts: Basket::new(),
            interest: Basket::new(),
        };
        assert_eq!(p.last(), 1032);
        for lo in 1000..1040 {
            for hi in lo - 1..1040 {
                let naive = (lo..=hi).filter(|&y| p.falls_in(y)).count() as u64;
                assert_eq!(p.count_in(lo, hi), naive, "{lo}..={hi}");
            }
        }
    }

    #[test]
    fn pieces_at_the_limits_of_the_year_type_neither_panic_nor_wrap() {
        let at = |start: Year, step: u32, count: u64| Piece {
            start,
            step,
            count,
            amounts: Basket::new(),
            interest: Basket::new(),
        };
        // From the first year of all, every 3 years: 0 is 2,147,483,648 years on, not a multiple.
        let low = at(Year::MIN, 3, 1_000_000_000);
        assert!(low.falls_in(Year::MIN) && low.falls_in(Year::MIN + 3));
        assert!(!low.falls_in(0) && low.falls_in(-2) && !low.falls_in(Year::MIN + 1));
        assert_eq!(
            i64::from(low.last()),
            i64::from(Year::MIN) + 3 * 999_999_999
        );
        assert_eq!(low.count_in(Year::MIN, Year::MAX), 1_000_000_000);
        // To the last year of all.
        let high = at(Year::MAX - 4, 2, 3);
        assert_eq!(high.last(), Year::MAX);
        assert!(high.falls_in(Year::MAX) && !high.falls_in(Year::MAX - 1));
        assert_eq!(
            high.clip(Year::MAX, Year::MAX).map(|p| p.start),
            Some(Year::MAX)
        );
        assert_eq!(high.count_in(Year::MIN, Year::MAX), 3);
        // Steps and counts beyond the range of a year.
        let wide = at(0, u32::MAX, u64::MAX);
        assert_eq!(wide.last(), Year::MAX);
        assert!(wide.falls_in(0) && !wide.falls_in(1) && !wide.falls_in(-1));
        assert_eq!(wide.count_in(Year::MIN, Year::MAX), 1);
        // A step of 0 (never built by a schedule) counts as 1 rather than dividing by zero.
        assert_eq!(at(5, 0, 2).count_in(0, 10), 2);
        assert_eq!(Piece::span(0, 10, 0, Basket::new()), None);
        assert_eq!(
            Piece::span(Year::MIN, Year::MAX, 1, Basket::new()).map(|p| p.count),
            Some(1 << 32)
        );
    }

    #[test]
    fn years_and_counts_are_checked_against_the_supported_range() {
        for (y, ok) in [
            (-9999, true),
            (9999, true),
            (10_000, false),
            (-10_000, false),
            (i64::MAX, false),
        ] {
            assert_eq!(ScheduleInput::year_value((y, 0..1)).is_ok(), ok, "{y}");
        }
        for (n, ok) in [
            (1, true),
            (19_999, true),
            (20_000, false),
            (0, false),
            (-1, false),
        ] {
            assert_eq!(
                ScheduleInput::positive((n, 0..1), "count").is_ok(),
                ok,
                "{n}"
            );
        }
        let e = ScheduleInput::year_value((10_000, 3..8)).unwrap_err();
        assert_eq!((e.span, e.help.is_some()), (3..8, true));
    }
}
