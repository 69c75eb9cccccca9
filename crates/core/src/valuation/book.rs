//! Price books: plugin files (`prices/<id>.toml`) of rates that turn commodities into one
//! numeraire, read strictly like treaties.
//!
//! What always holds for a [`PriceBook`]: every rate names a registered commodity and is the value
//! of ONE unit of it in the commodity's registry unit (a tael of silver, a bolt of silk, a string of
//! cash); `0 < low ≤ central ≤ high`, exact decimals (a TOML float is an error at its place);
//! `from ≤ to`; the rates of one commodity never overlap in years, so at most one rate prices a
//! payment; every rate has a source (its own, else the book's). A commodity without a rate for a
//! year is unpriced for a payment in that year; valuation lists it, never drops it.

use std::collections::BTreeMap;
use std::ops::Range;

use rust_decimal::Decimal;
use serde::Deserialize;
use toml::Spanned;

use super::interval::Interval;
use crate::amount::{CommodityId, Refused, Year, decimal_or_integer, float_refused};
use crate::error::{Error, ErrorKind, Location, Result};
use crate::model::{LocalSource, SourceRef};
use crate::plugin::PluginFile;
use crate::plugin::fields::{FileCtx, local_sources_each, parse_toml, sources, year};
use crate::plugin::problems::{Opened, first, open};
use crate::plugin::raw::{OneOrMany, RawSource};
use crate::registry::Registry;

/// How far a rate is trusted, as its file says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Confidence {
    /// A sourced figure for the years it covers.
    High,
    /// A sourced figure, or a rule of thumb, applied with some stretch.
    Medium,
    /// A convention or an extrapolation.
    Low,
}

impl Confidence {
    /// The name used in files.
    pub fn as_str(self) -> &'static str {
        match self {
            Confidence::High => "high",
            Confidence::Medium => "medium",
            Confidence::Low => "low",
        }
    }
}

/// The value of one unit of a commodity in a book's numeraire, for a span of years.
#[derive(Debug, Clone)]
pub struct Rate {
    /// The commodity priced.
    pub commodity: CommodityId,
    /// Low, central and high value of one unit (in the commodity's registry unit).
    pub value: Interval,
    /// First year the rate applies, if bounded.
    pub from: Option<Year>,
    /// Last year the rate applies, if bounded.
    pub to: Option<Year>,
    /// Where the rate comes from (its own `source`, else the book's `sources`).
    pub sources: Vec<SourceRef>,
    /// How far it is trusted, if the file says.
    pub confidence: Option<Confidence>,
    /// Free text.
    pub note: Option<String>,
    /// Where it is written.
    pub at: Location,
}

impl Rate {
    /// The years it covers, inclusive, with open ends as the extreme years.
    pub fn years(&self) -> (Year, Year) {
        (self.from.unwrap_or(Year::MIN), self.to.unwrap_or(Year::MAX))
    }

    /// True if it applies in `year`.
    pub fn covers(&self, year: Year) -> bool {
        let (a, b) = self.years();
        a <= year && year <= b
    }

    /// `1127–1279`, `to 1126`, `from 1127`, `all years`.
    pub fn years_text(&self) -> String {
        match (self.from, self.to) {
            (Some(a), Some(b)) if a == b => a.to_string(),
            (Some(a), Some(b)) => format!("{a}–{b}"),
            (None, Some(b)) => format!("to {b}"),
            (Some(a), None) => format!("from {a}"),
            (None, None) => "all years".to_string(),
        }
    }
}

/// A price book, validated.
#[derive(Debug, Clone)]
pub struct PriceBook {
    /// Id (the file stem).
    pub id: String,
    /// Name.
    pub name: String,
    /// What values are counted in (`tael of silver`, `string of cash`, `unit`).
    pub numeraire: String,
    /// One or two sentences.
    pub summary: Option<String>,
    /// What is uncertain or left out.
    pub notes: Option<String>,
    /// The book's general sources (also the source of any rate that names none).
    pub sources: Vec<SourceRef>,
    /// Sources declared in the file itself.
    pub local_sources: Vec<LocalSource>,
    /// Rates, sorted by commodity, then by first year.
    pub rates: Vec<Rate>,
    /// The file, as shown to users.
    pub path: String,
    /// The start of the file.
    pub at: Location,
    /// How the rates were derived from series, for a book with a `[derive]` table.
    pub derived: Option<super::derive::Derived>,
}

impl PriceBook {
    /// The indices (into [`PriceBook::rates`]) of the rates of one commodity, in year order.
    pub fn rates_for(&self, c: CommodityId) -> impl Iterator<Item = (usize, &Rate)> + '_ {
        let start = self.rates.partition_point(|r| r.commodity < c);
        self.rates[start..]
            .iter()
            .enumerate()
            .take_while(move |(_, r)| r.commodity == c)
            .map(move |(i, r)| (start.saturating_add(i), r))
    }

    /// The rate pricing one unit of `c` in `year`, with its index, if any.
    pub fn rate_at(&self, c: CommodityId, year: Year) -> Option<(usize, &Rate)> {
        self.rates_for(c).find(|(_, r)| r.covers(year))
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBook {
    name: Spanned<String>,
    numeraire: Spanned<String>,
    summary: Option<String>,
    notes: Option<String>,
    sources: Spanned<OneOrMany>,
    #[serde(default)]
    source: BTreeMap<Spanned<String>, Spanned<RawSource>>,
    #[serde(default)]
    rate: Vec<Spanned<RawRate>>,
    derive: Option<Spanned<super::derive::RawDerive>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRate {
    commodity: Spanned<String>,
    central: Spanned<toml::Value>,
    low: Option<Spanned<toml::Value>>,
    high: Option<Spanned<toml::Value>>,
    from: Option<Spanned<i64>>,
    to: Option<Spanned<i64>>,
    source: Option<Spanned<OneOrMany>>,
    confidence: Option<Spanned<String>>,
    note: Option<String>,
}

fn rate_value(ctx: &FileCtx, key: &str, v: &Spanned<toml::Value>) -> Result<Decimal> {
    let span = v.span();
    let d = match decimal_or_integer(v.get_ref()) {
        Ok(n) => n.decimal(false).map_err(|m| {
            ctx.err(ErrorKind::Value, span.clone(), m)
                .help("write a rate as a decimal string, e.g. \"2.5\"")
        })?,
        Err(Refused::Float(f)) => {
            return Err(ctx
                .err(ErrorKind::Value, span, float_refused(f))
                .help(format!("write the rate as a string: {key} = \"{f}\"")));
        }
        Err(Refused::Other) => {
            return Err(ctx
                .err(
                    ErrorKind::Schema,
                    span,
                    format!("`{key}` is a decimal string like \"2.5\" or a whole number"),
                )
                .help("see docs/price-books.md"));
        }
    };
    if d <= Decimal::ZERO {
        return Err(ctx
            .err(ErrorKind::Value, span, format!("rate {d} is not above zero"))
            .help("a rate is the value of one unit; leave a commodity out of the book to leave it unpriced"));
    }
    Ok(d)
}

fn with_book_help(e: Error) -> Error {
    match e
        .help_text()
        .map(|h| h.replace("docs/treaty-format.md", "docs/price-books.md"))
    {
        Some(h) => e.help(h),
        None => e,
    }
}

/// Parses and validates one price book file against a registry: the book, or the first problem
/// in the file (the corpus reports them all).
pub fn read_price_book(file: &PluginFile, reg: &Registry) -> Result<PriceBook> {
    read_price_book_each(file, reg, &BTreeMap::new()).map_err(first)
}

/// Parses and validates one price book file against a registry: the book, or every problem in
/// the file (each rate reports its first; then the overlaps among the rates that could be read),
/// up to the limit per file of `crate::plugin::problems`.
pub(crate) fn read_price_book_each(
    file: &PluginFile,
    reg: &Registry,
    series: &BTreeMap<String, crate::series::Series>,
) -> std::result::Result<PriceBook, Vec<Error>> {
    let Opened {
        text,
        ctx,
        mut problems,
        id,
    } = open(file, "price book", "prices/song-silver.toml")?;
    let raw: RawBook = match parse_toml(&file.display, &text, "price book") {
        Ok(raw) => raw,
        Err(e) => {
            problems.push(with_book_help(e));
            return Err(problems.into_errors());
        }
    };
    let (local, errors) = local_sources_each(&ctx, &raw.source);
    problems.extend(errors);
    let book_sources = problems.ok(sources(&ctx, reg, &local, &raw.sources));
    if book_sources.as_ref().is_some_and(Vec::is_empty) {
        problems.push(
            ctx.err(
                ErrorKind::Value,
                raw.sources.span(),
                "a price book needs at least one source",
            )
            .help("name the sources of its rates: sources = [\"ID, locator\"]"),
        );
    }
    if raw.numeraire.get_ref().trim().is_empty() {
        problems.push(
            ctx.err(
                ErrorKind::Value,
                raw.numeraire.span(),
                "the numeraire is empty",
            )
            .help("write e.g. numeraire = \"tael of silver\""),
        );
    }
    let mut rates: Vec<(Rate, Range<usize>)> = Vec::new();
    for r in &raw.rate {
        let rate = (|| -> Result<(Rate, Range<usize>)> {
            let span = r.span();
            let r = r.get_ref();
            let name = r.commodity.get_ref();
            let Some(commodity) = reg.find_commodity(name) else {
                let known: Vec<&str> = reg.commodities().iter().map(|c| c.id.as_str()).collect();
                return Err(ctx
                    .err(
                        ErrorKind::Reference,
                        r.commodity.span(),
                        format!("unknown commodity `{name}`"),
                    )
                    .help(format!("commodities in the registry: {}", known.join(", "))));
            };
            let central = rate_value(&ctx, "central", &r.central)?;
            let low = r
                .low
                .as_ref()
                .map(|v| rate_value(&ctx, "low", v))
                .transpose()?
                .unwrap_or(central);
            let high = r
                .high
                .as_ref()
                .map(|v| rate_value(&ctx, "high", v))
                .transpose()?
                .unwrap_or(central);
            if low > central {
                let at = r.low.as_ref().map_or(span.clone(), Spanned::span);
                return Err(ctx
                    .err(
                        ErrorKind::Value,
                        at,
                        format!("low ({low}) is above central ({central})"),
                    )
                    .help("a rate's bounds must satisfy low ≤ central ≤ high"));
            }
            if central > high {
                let at = r.high.as_ref().map_or(span.clone(), Spanned::span);
                return Err(ctx
                    .err(
                        ErrorKind::Value,
                        at,
                        format!("high ({high}) is below central ({central})"),
                    )
                    .help("a rate's bounds must satisfy low ≤ central ≤ high"));
            }
            let from = r.from.as_ref().map(|v| year(&ctx, v)).transpose()?;
            let to = r.to.as_ref().map(|v| year(&ctx, v)).transpose()?;
            if let (Some(f), Some(t), Some(tv)) = (from, to, r.to.as_ref()) {
                if t < f {
                    return Err(ctx
                        .err(
                            ErrorKind::Value,
                            tv.span(),
                            format!("`to` ({t}) is before `from` ({f})"),
                        )
                        .help(
                            "a year range is inclusive at both ends: `to` must be `from` or later",
                        ));
                }
            }
            let confidence = match r.confidence.as_ref() {
                None => None,
                Some(c) => Some(match c.get_ref().as_str() {
                    "high" => Confidence::High,
                    "medium" => Confidence::Medium,
                    "low" => Confidence::Low,
                    other => {
                        return Err(ctx
                            .err(
                                ErrorKind::Value,
                                c.span(),
                                format!("unknown confidence `{other}`"),
                            )
                            .help("confidence is \"high\", \"medium\" or \"low\""));
                    }
                }),
            };
            let rate_sources = match &r.source {
                Some(s) => sources(&ctx, reg, &local, s)?,
                None => book_sources.clone().unwrap_or_default(),
            };
            Ok((
                Rate {
                    commodity,
                    value: Interval {
                        low: low.normalize(),
                        central: central.normalize(),
                        high: high.normalize(),
                    },
                    from,
                    to,
                    sources: rate_sources,
                    confidence,
                    note: r.note.clone(),
                    at: ctx.loc(r.commodity.span()),
                },
                r.commodity.span(),
            ))
        })();
        rates.extend(problems.ok(rate));
    }
    let mut derived = None;
    if let Some(d) = &raw.derive {
        if let Some(first_rate) = raw.rate.first() {
            problems.push(
                ctx.err(
                    ErrorKind::Schema,
                    first_rate.span(),
                    "a book with a [derive] table has no [[rate]]s: its rates come from the series",
                )
                .help("put the rates in a book of their own, or remove the [derive] table"),
            );
        }
        if let Some((made, how)) = problems.ok(super::derive::derive_rates(&ctx, d, reg, series)) {
            let span = d.span();
            rates.extend(made.into_iter().map(|r| (r, span.clone())));
            derived = Some(how);
        }
    }
    // Sort by commodity and first year (stable: file order breaks ties), then refuse overlaps.
    rates.sort_by_key(|(r, _)| (r.commodity, r.years().0));
    for pair in rates.windows(2) {
        let ((a, _), (b, bspan)) = (&pair[0], &pair[1]);
        if a.commodity == b.commodity && b.years().0 <= a.years().1 {
            problems.push(ctx
                .err(
                    ErrorKind::Duplicate,
                    bspan.clone(),
                    format!(
                        "two rates for {} cover the same years: this one ({}) and the one at line {} ({})",
                        reg.commodity(b.commodity).id,
                        b.years_text(),
                        a.at.line(),
                        a.years_text()
                    ),
                )
                .help("give each rate of a commodity its own years with `from` and `to`"));
        }
    }
    problems.finish(|| {
        Some(PriceBook {
            id,
            name: raw.name.get_ref().clone(),
            numeraire: raw.numeraire.get_ref().trim().to_string(),
            summary: raw.summary.clone(),
            notes: raw.notes.clone(),
            sources: book_sources?,
            local_sources: local,
            rates: rates.into_iter().map(|(r, _)| r).collect(),
            path: file.display.clone(),
            at: ctx.loc(0..0),
            derived,
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::Corpus;
    use crate::plugin::Layer;

    fn load(book: &str) -> std::result::Result<Corpus, Vec<Error>> {
        let mut layers = vec![crate::plugin::builtin()];
        layers.push(Layer {
            name: "test".into(),
            files: vec![PluginFile::new(
                "prices/t.toml".into(),
                "t.toml".into(),
                book.as_bytes(),
            )],
        });
        Corpus::load(&layers)
    }

    const HEAD: &str = "name = \"T\"\nnumeraire = \"unit\"\nsources = [\"chc-6\"]\n";

    #[test]
    fn rates_default_their_bounds_and_sources_and_sort_by_commodity_and_year() {
        let corpus = load(&format!(
            "{HEAD}[[rate]]\ncommodity = \"silver\"\nfrom = 1127\ncentral = \"2.5\"\nlow = 2\nsource = \"dwgpr\"\n\n[[rate]]\ncommodity = \"liang\"\ncentral = 1\n"
        ));
        // `liang` is a unit, not a commodity: an error.
        assert!(corpus.is_err());
        let corpus = load(&format!(
            "{HEAD}[[rate]]\ncommodity = \"silver\"\nfrom = 1127\ncentral = \"2.5\"\nlow = 2\nsource = \"dwgpr\"\n\n[[rate]]\ncommodity = \"silver\"\nto = 1126\ncentral = 1\n\n[[rate]]\ncommodity = \"juan\"\ncentral = \"1\"\n"
        ))
        .unwrap();
        let book = &corpus.price_books["t"];
        let reg = &corpus.registry;
        let ids: Vec<(&str, Option<Year>)> = book
            .rates
            .iter()
            .map(|r| (reg.commodity(r.commodity).id.as_str(), r.from))
            .collect();
        // Sorted by commodity id order (silk < silver), then year; `juan` is silk's alias.
        assert_eq!(
            ids,
            [("silk", None), ("silver", None), ("silver", Some(1127))]
        );
        let late = &book.rates[2];
        assert_eq!(
            late.value,
            Interval {
                low: Decimal::TWO,
                central: Decimal::new(25, 1),
                high: Decimal::new(25, 1)
            }
        );
        assert_eq!(late.sources[0].id, "dwgpr");
        assert_eq!(
            book.rates[1].sources[0].id, "chc-6",
            "a rate without a source takes the book's"
        );
        let silver = reg.find_commodity("silver").unwrap();
        assert_eq!(book.rate_at(silver, 1126).map(|r| r.0), Some(1));
        assert_eq!(book.rate_at(silver, 1127).map(|r| r.0), Some(2));
    }

    #[test]
    fn the_built_in_books_load() {
        let corpus = Corpus::load(&[crate::plugin::builtin()]).unwrap();
        let ids: Vec<&str> = corpus.price_books.keys().map(String::as_str).collect();
        assert_eq!(
            ids,
            [
                "boxer-parities",
                "franc-usd-1838",
                "franc-usd-2024",
                "song-cash",
                "song-silver",
                "units"
            ]
        );
        for b in corpus.price_books.values() {
            assert!(
                b.rates
                    .iter()
                    .all(|r| r.value.low <= r.value.central && r.value.central <= r.value.high)
            );
            assert!(b.rates.iter().all(|r| !r.sources.is_empty()));
        }
    }

    #[test]
    fn a_book_needs_sources_and_a_numeraire() {
        let e = load("name = \"T\"\nnumeraire = \"unit\"\nsources = []\n").unwrap_err();
        assert!(e[0].message().contains("at least one source"), "{:?}", e);
        let e = load("name = \"T\"\nnumeraire = \" \"\nsources = [\"chc-6\"]\n").unwrap_err();
        assert!(e[0].message().contains("numeraire is empty"), "{:?}", e);
        let e = load("name = \"T\"\nsources = [\"chc-6\"]\n").unwrap_err();
        assert!(e[0].message().contains("numeraire"), "{:?}", e);
        assert!(
            e[0].help_text()
                .unwrap_or_default()
                .contains("docs/price-books.md"),
            "{:?}",
            e
        );
    }

    #[test]
    fn every_bad_rate_is_reported_in_one_run_then_the_overlaps_among_the_rest() {
        // Lines: HEAD is 1-3; the rates' `[[rate]]` lines are 5, 9, 13 and 18 (each after a blank
        // line), so their `commodity` lines are 6, 10, 14, 19 and the float `central` is line 11.
        let e = load(&format!(
            "{HEAD}\n[[rate]]\ncommodity = \"slik\"\ncentral = 1\n\n[[rate]]\ncommodity = \"silver\"\ncentral = 2.5\n\n[[rate]]\ncommodity = \"gold\"\ncentral = 10\nfrom = 1100\n\n[[rate]]\ncommodity = \"gold\"\ncentral = 12\nfrom = 1120\nto = 1130\n"
        ))
        .unwrap_err();
        let found: Vec<(usize, &str)> = e
            .iter()
            .map(|e| (e.location().map_or(0, |l| l.line()), e.message()))
            .collect();
        assert_eq!(
            found,
            [
                (6, "unknown commodity `slik`"),
                (11, "`2.5` is a TOML float, and floats lose digits"),
                (
                    19,
                    "two rates for gold cover the same years: this one (1120–1130) and the one at line 14 (from 1100)"
                ),
            ]
        );
    }
}
