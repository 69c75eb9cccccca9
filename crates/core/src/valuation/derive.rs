//! Derived price books: a `[derive]` table instead of `[[rate]]`s builds one rate per year from
//! a price index series and an exchange-rate series (MeasuringWorth's "real price" measure).
//!
//! For a commodity counted in a currency (francs), a numeraire currency (US dollars) and a target
//! year `T`, the rate of year `y` is
//!
//! ```text
//! rate(y) = CPI(T) / (fx(y) × CPI(y))     (numeraire of year T per unit of the commodity)
//! ```
//!
//! where `fx(y)` is units of the commodity per unit of the numeraire's currency in year `y` and
//! `CPI` is the numeraire country's price index. The bounds are outward: `low` takes the index's
//! low value in `T` and high values in `y` (and the exchange rate's high value), `high` the
//! reverse; the quotient is rounded to the book's `places` (default [`DEFAULT_PLACES`]): low
//! down, high up, central half to even, so the rounded interval contains the exact one.
//!
//! A year is priced only where both series have a figure for it (a point or a span the file
//! states); any other year is unpriced and listed, as for any book: nothing is interpolated.
//! The target year must be in the index, or the book is refused with the index's coverage.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::Deserialize;
use toml::Spanned;

use super::book::Rate;
use super::interval::{Interval, Rounding, div_round, mul};
use crate::amount::{CommodityId, Year};
use crate::error::{ErrorKind, Result};
use crate::model::SourceRef;
use crate::plugin::fields::FileCtx;
use crate::registry::Registry;
use crate::series::{Series, SeriesUnit};

/// Decimal places a derived rate is rounded to unless the book says.
pub const DEFAULT_PLACES: u32 = 10;

/// The formula, in words.
pub const FORMULA: &str =
    "rate(y) = CPI(T) / (fx(y) × CPI(y)): amount_fr / fx(y) × CPI(T) / CPI(y)";

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawDerive {
    commodity: Spanned<String>,
    index: Spanned<String>,
    exchange: Spanned<String>,
    target_year: Spanned<i64>,
    places: Option<Spanned<i64>>,
}

/// One series a derived book rests on.
#[derive(Debug, Clone)]
pub struct SeriesUsed {
    /// Its id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Its file.
    pub path: String,
    /// Its general sources.
    pub sources: Vec<SourceRef>,
    /// The years it covers, as runs.
    pub coverage: String,
}

impl SeriesUsed {
    fn of(s: &Series) -> SeriesUsed {
        SeriesUsed {
            id: s.id.clone(),
            name: s.name.clone(),
            path: s.path.clone(),
            sources: s.sources.clone(),
            coverage: s.coverage(),
        }
    }
}

/// How a derived book was built.
#[derive(Debug, Clone)]
pub struct Derived {
    /// The commodity priced.
    pub commodity: CommodityId,
    /// Its registry id.
    pub commodity_id: String,
    /// The price index.
    pub index: SeriesUsed,
    /// The exchange rate (units of the commodity per unit of the numeraire's currency).
    pub exchange: SeriesUsed,
    /// The year whose money the values are in.
    pub target_year: Year,
    /// Places each rate is rounded to.
    pub places: u32,
    /// The years priced, as runs.
    pub priced_years: String,
}

impl Derived {
    /// The formula with the target year and the series named, for reports.
    pub fn formula_text(&self) -> String {
        format!(
            "{FORMULA}, T = {}; CPI = `{}` ({}), fx = `{}` ({}); rates rounded to {} places (low down, high up, central half to even); priced years: {}",
            self.target_year,
            self.index.id,
            self.index.name,
            self.exchange.id,
            self.exchange.name,
            self.places,
            self.priced_years
        )
    }
}

/// The rates of a `[derive]` table, one per year both series cover (consecutive equal rates
/// merged into one span), and the description of how they were made.
pub(crate) fn derive_rates(
    ctx: &FileCtx,
    raw: &Spanned<RawDerive>,
    reg: &Registry,
    series: &BTreeMap<String, Series>,
) -> Result<(Vec<Rate>, Derived)> {
    let r = raw.get_ref();
    let commodity = reg.find_commodity(r.commodity.get_ref()).ok_or_else(|| {
        ctx.err(
            ErrorKind::Reference,
            r.commodity.span(),
            format!("unknown commodity `{}`", r.commodity.get_ref()),
        )
        .help("name a commodity of the registry, e.g. commodity = \"franc\"")
    })?;
    let find = |key: &Spanned<String>, unit: SeriesUnit, what: &str| -> Result<&Series> {
        let s = series.get(key.get_ref()).ok_or_else(|| {
            ctx.err(
                ErrorKind::Reference,
                key.span(),
                format!("no series `{}` is loaded", key.get_ref()),
            )
            .help(crate::suggest::with_advice(
                key.get_ref(),
                "series",
                series.keys().map(String::as_str),
                "a series is a file context/ID.toml (see docs/worth.md)",
            ))
        })?;
        if s.unit != unit {
            return Err(ctx
                .err(
                    ErrorKind::Value,
                    key.span(),
                    format!("series `{}` ({}) is not {what}", s.id, s.path),
                )
                .help(match unit {
                    SeriesUnit::Index => "a price index has unit = \"index\"",
                    _ => "an exchange rate has unit = \"ratio\" (units of the commodity per unit of the numeraire's currency)",
                }));
        }
        Ok(s)
    };
    let index = find(&r.index, SeriesUnit::Index, "a price index")?;
    let exchange = find(&r.exchange, SeriesUnit::Ratio, "an exchange rate")?;
    let target = crate::plugin::fields::year(ctx, &r.target_year)?;
    let places = match &r.places {
        None => DEFAULT_PLACES,
        Some(p) => match u32::try_from(*p.get_ref()) {
            Ok(n) if n <= 20 => n,
            _ => {
                return Err(ctx
                    .err(
                        ErrorKind::Value,
                        p.span(),
                        "`places` is a whole number from 0 to 20",
                    )
                    .help("e.g. places = 10"));
            }
        },
    };
    let Some(at_target) = index.at(target) else {
        return Err(ctx
            .err(
                ErrorKind::Value,
                r.target_year.span(),
                format!(
                    "series `{}` has no figure for the target year {target}",
                    index.id
                ),
            )
            .help(format!(
                "the series covers {}; choose a target year in it, or add its figure to {}",
                index.coverage(),
                index.path
            )));
    };
    let mut rates: Vec<Rate> = Vec::new();
    let mut years: Vec<(Year, Year)> = Vec::new();
    for e in &exchange.points {
        let mut y = e.year;
        loop {
            if let Some(c) = index.at(y) {
                let value = rate_of(&at_target.value, &e.value, &c.value, places)?;
                let mut sources = at_target.sources.clone();
                sources.extend(c.sources.iter().cloned());
                sources.extend(e.sources.iter().cloned());
                sources.dedup_by(|a, b| a.id == b.id && a.locator == b.locator);
                match rates.last_mut() {
                    Some(last)
                        if last.value == value
                            && last.sources.len() == sources.len()
                            && last.to.and_then(|t| t.checked_add(1)) == Some(y) =>
                    {
                        last.to = Some(y);
                    }
                    _ => rates.push(Rate {
                        commodity,
                        value,
                        from: Some(y),
                        to: Some(y),
                        sources,
                        confidence: None,
                        note: Some(format!(
                            "CPI {target}: {}; CPI {y}: {}; fx {y}: {}",
                            interval_text(&at_target.value),
                            interval_text(&c.value),
                            interval_text(&e.value)
                        )),
                        at: ctx.loc(r.exchange.span()),
                    }),
                }
                match years.last_mut() {
                    Some((_, b)) if b.checked_add(1) == Some(y) => *b = y,
                    _ => years.push((y, y)),
                }
            }
            if y >= e.last() {
                break;
            }
            y = match y.checked_add(1) {
                Some(n) => n,
                None => break,
            };
        }
    }
    if rates.is_empty() {
        return Err(ctx
            .err(
                ErrorKind::Value,
                r.exchange.span(),
                format!(
                    "series `{}` ({}) and `{}` ({}) have no year in common",
                    index.id,
                    index.coverage(),
                    exchange.id,
                    exchange.coverage()
                ),
            )
            .help("a rate needs both the index and the exchange rate for its year"));
    }
    let priced_years = crate::series::runs_text(&years);
    Ok((
        rates,
        Derived {
            commodity,
            commodity_id: reg.commodity(commodity).id.clone(),
            index: SeriesUsed::of(index),
            exchange: SeriesUsed::of(exchange),
            target_year: target,
            places,
            priced_years,
        },
    ))
}

fn interval_text(v: &Interval) -> String {
    if v.is_point() {
        v.central.normalize().to_string()
    } else {
        format!(
            "{} ({}–{})",
            v.central.normalize(),
            v.low.normalize(),
            v.high.normalize()
        )
    }
}

/// `cpi_t / (fx × cpi_y)`, outward: low from the smallest numerator and largest denominator.
fn rate_of(cpi_t: &Interval, fx: &Interval, cpi_y: &Interval, places: u32) -> Result<Interval> {
    let den = |a: Decimal, b: Decimal| mul(a, b);
    let low = div_round(cpi_t.low, den(fx.high, cpi_y.high)?, places, Rounding::Down)?;
    let central = div_round(
        cpi_t.central,
        den(fx.central, cpi_y.central)?,
        places,
        Rounding::HalfEven,
    )?;
    let high = div_round(cpi_t.high, den(fx.low, cpi_y.low)?, places, Rounding::Up)?;
    Ok(Interval {
        low: low.value,
        central: central.value,
        high: high.value,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        Decimal::from_str_exact(s).unwrap()
    }

    #[test]
    fn a_rate_is_the_index_ratio_over_the_exchange_rate_rounded_outward() {
        // 1825 francs in 1838 dollars: 32 / (5.43 × 34) = 32 / 184.62 = 0.17332900011…
        let r = rate_of(
            &Interval::exact(d("32")),
            &Interval::exact(d("5.43")),
            &Interval::exact(d("34")),
            10,
        )
        .unwrap();
        assert_eq!(r.central, d("0.1733290001"));
        assert_eq!(r.low, d("0.1733290001"));
        assert_eq!(r.high, d("0.1733290002"));
        // A range in the exchange rate: 5.18–5.24 a dollar, CPI 25 both years.
        let r = rate_of(
            &Interval::exact(d("25")),
            &Interval {
                low: d("5.18"),
                central: d("5.21"),
                high: d("5.24"),
            },
            &Interval::exact(d("25")),
            4,
        )
        .unwrap();
        assert_eq!(r.low, d("0.1908")); // 1/5.24 = 0.19083…, down
        assert_eq!(r.central, d("0.1919")); // 1/5.21 = 0.19193…
        assert_eq!(r.high, d("0.1931")); // 1/5.18 = 0.19305…, up
        // Ranges in the index: low takes CPI(T) low over CPI(y) high, high the reverse.
        let r = rate_of(
            &Interval {
                low: d("30"),
                central: d("32"),
                high: d("34"),
            },
            &Interval::exact(d("5")),
            &Interval {
                low: d("20"),
                central: d("32"),
                high: d("40"),
            },
            4,
        )
        .unwrap();
        assert_eq!(r.low, d("0.15")); // 30 / (5 × 40)
        assert_eq!(r.central, d("0.2")); // 32 / (5 × 32)
        assert_eq!(r.high, d("0.34")); // 34 / (5 × 20)
    }

    fn load(book: &str) -> std::result::Result<crate::corpus::Corpus, Vec<crate::error::Error>> {
        let layers = vec![
            crate::plugin::builtin(),
            crate::plugin::Layer {
                name: "test".into(),
                files: vec![crate::plugin::PluginFile::new(
                    "prices/t.toml".into(),
                    "t.toml".into(),
                    book.as_bytes(),
                )],
            },
        ];
        crate::corpus::Corpus::load(&layers)
    }

    const HEAD: &str =
        "name = \"T\"\nnumeraire = \"US dollar of 1850\"\nsources = [\"minneapolis-fed-cpi\"]\n";

    #[test]
    fn a_derived_book_loads_from_the_built_in_series_and_its_mistakes_are_named() {
        let ok = load(&format!(
            "{HEAD}[derive]\ncommodity = \"franc\"\nindex = \"us-cpi\"\nexchange = \"franc-dollar\"\ntarget_year = 1850\nplaces = 6\n"
        ))
        .unwrap();
        let b = &ok.price_books["t"];
        let how = b.derived.as_ref().unwrap();
        assert_eq!((how.target_year, how.places), (1850, 6));
        assert_eq!(how.priced_years, "1825–1899");
        let franc = ok.registry.find_commodity("franc").unwrap();
        // 1850: 25 / (5.21 × 25) = 1/5.21 = 0.1919385…; 1825: 25 / (5.43 × 34) = 25 / 184.62 = 0.1354133…
        let (_, r) = b.rate_at(franc, 1850).unwrap();
        assert_eq!(r.value.central, d("0.191939"));
        assert_eq!(
            b.rate_at(franc, 1825).unwrap().1.value.central,
            d("0.135413")
        );
        assert!(
            b.rate_at(franc, 1900).is_none(),
            "no exchange rate for 1900"
        );
        assert!(b.rate_at(franc, 1824).is_none());
        // Mistakes: an unknown series (with the nearest ids), a series of the wrong kind, rates
        // beside [derive].
        let e = load(&format!(
            "{HEAD}[derive]\ncommodity = \"franc\"\nindex = \"us-cpj\"\nexchange = \"franc-dollar\"\ntarget_year = 1850\n"
        ))
        .unwrap_err();
        assert!(e[0].message().contains("no series `us-cpj`"), "{e:?}");
        assert!(
            e[0].help_text().unwrap_or_default().contains("us-cpi"),
            "{e:?}"
        );
        let e = load(&format!(
            "{HEAD}[derive]\ncommodity = \"franc\"\nindex = \"franc-dollar\"\nexchange = \"franc-dollar\"\ntarget_year = 1850\n"
        ))
        .unwrap_err();
        assert!(e[0].message().contains("is not a price index"), "{e:?}");
        let e = load(&format!(
            "{HEAD}[[rate]]\ncommodity = \"franc\"\ncentral = 1\n\n[derive]\ncommodity = \"franc\"\nindex = \"us-cpi\"\nexchange = \"franc-dollar\"\ntarget_year = 1850\n"
        ))
        .unwrap_err();
        assert!(e[0].message().contains("has no [[rate]]s"), "{e:?}");
    }
}
