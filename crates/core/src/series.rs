//! Context series: population and state revenue by year, as plugin data (`context/<id>.toml`).
//!
//! A series belongs to one party (`Song` serves `Northern Song` and `Southern Song` through the
//! registry's `part_of`) and one measure (`population` in persons, or `revenue` in a commodity of
//! the registry, e.g. strings of cash). Each point is a year with a low/central/high value and a
//! source. Nothing is interpolated: a report uses the point nearest in time and says which year
//! it used and how far that is from the year asked for; where no series exists it says so.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::Deserialize;
use toml::Spanned;

use crate::amount::{CommodityId, Year, parse_decimal};
use crate::error::{ErrorKind, Result};
use crate::model::{LocalSource, SourceRef};
use crate::plugin::PluginFile;
use crate::plugin::fields::{FileCtx, is_kebab, local_sources, parse_toml, sources};
use crate::plugin::raw::{OneOrMany, RawSource};
use crate::registry::Registry;
use crate::valuation::Interval;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSeries {
    name: Spanned<String>,
    party: Spanned<String>,
    measure: Spanned<String>,
    unit: Spanned<String>,
    sources: Spanned<OneOrMany>,
    notes: Option<String>,
    #[serde(default)]
    source: BTreeMap<Spanned<String>, Spanned<RawSource>>,
    point: Vec<Spanned<RawPoint>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPoint {
    year: Spanned<i64>,
    to: Option<Spanned<i64>>,
    value: Spanned<String>,
    low: Option<Spanned<String>>,
    high: Option<Spanned<String>>,
    source: Spanned<OneOrMany>,
    note: Option<String>,
}

/// What a series counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SeriesUnit {
    /// People (population).
    Persons,
    /// An amount of a commodity per year (revenue), valued with a price book when compared.
    Commodity(CommodityId),
    /// A pure number on a base (a price index: `unit = "index"`).
    Index,
    /// A ratio: a yearly rate (0.02 for 2 %) or an exchange rate (francs per dollar);
    /// `unit = "ratio"`.
    Ratio,
}

/// One dated figure.
#[derive(Debug, Clone)]
pub struct SeriesPoint {
    /// The year (the first year, for a span).
    pub year: Year,
    /// The last year of a span (`to`): the figure is held for every year of it, as the file
    /// says; `None` for a single year.
    pub to: Option<Year>,
    /// The figure, with its range where sources disagree.
    pub value: Interval,
    /// Where it comes from.
    pub sources: Vec<SourceRef>,
    /// Free text.
    pub note: Option<String>,
}

/// A context series.
#[derive(Debug, Clone)]
pub struct Series {
    /// Id (the file stem).
    pub id: String,
    /// Name.
    pub name: String,
    /// The party it describes: a party of the registry, by its id.
    pub party: String,
    /// `population`, `revenue`, or another word.
    pub measure: String,
    /// What it counts.
    pub unit: SeriesUnit,
    /// The series' general sources.
    pub sources: Vec<SourceRef>,
    /// Sources declared in the file.
    pub local_sources: Vec<LocalSource>,
    /// Notes.
    pub notes: Option<String>,
    /// Points by year.
    pub points: Vec<SeriesPoint>,
    /// The file.
    pub path: String,
}

impl SeriesPoint {
    /// The last year it covers.
    pub fn last(&self) -> Year {
        self.to.unwrap_or(self.year)
    }

    /// True if the point covers `year` (its year, or a year of its span).
    pub fn covers(&self, year: Year) -> bool {
        self.year <= year && year <= self.last()
    }

    /// `1825` or `1826–1900`.
    pub fn years_text(&self) -> String {
        match self.to {
            Some(t) if t != self.year => format!("{}–{t}", self.year),
            _ => self.year.to_string(),
        }
    }
}

impl Series {
    /// The point nearest to `year` (the earlier on a tie); a span is at distance 0 from its years.
    pub fn nearest(&self, year: Year) -> Option<&SeriesPoint> {
        self.points.iter().min_by_key(|p| {
            let dist = if p.covers(year) {
                0
            } else {
                p.year.abs_diff(year).min(p.last().abs_diff(year))
            };
            (dist, p.year)
        })
    }

    /// The point covering `year`, if any (never a neighbour: nothing is interpolated).
    pub fn at(&self, year: Year) -> Option<&SeriesPoint> {
        self.points.iter().find(|p| p.covers(year))
    }

    /// The years the points cover, as runs: `1800–2024` or `1825, 1826–1900`.
    pub fn coverage(&self) -> String {
        let mut runs: Vec<(Year, Year)> = Vec::new();
        for p in &self.points {
            match runs.last_mut() {
                Some((_, b)) if b.checked_add(1) == Some(p.year) => *b = p.last(),
                _ => runs.push((p.year, p.last())),
            }
        }
        runs_text(&runs)
    }
}

/// Parses and checks one series file.
pub fn read_series(file: &PluginFile, reg: &Registry) -> Result<Series> {
    let text = file.text()?;
    let ctx = FileCtx::new(&file.display, &text);
    let id = file.stem().to_string();
    if !is_kebab(&id) {
        return Err(crate::error::Error::new(
            ErrorKind::Value,
            format!("series id `{id}` (the file name) is not lower-case kebab-case"),
        )
        .in_file(&file.display)
        .help("rename the file, e.g. context/song-population.toml"));
    }
    let raw: RawSeries = parse_toml(&file.display, &text, "context series")?;
    let local = local_sources(&ctx, &raw.source)?;
    let unit = match raw.unit.get_ref().as_str() {
        "person" | "persons" => SeriesUnit::Persons,
        "index" => SeriesUnit::Index,
        "ratio" => SeriesUnit::Ratio,
        other => SeriesUnit::Commodity(reg.find_commodity(other).ok_or_else(|| {
            ctx.err(ErrorKind::Reference, raw.unit.span(), format!("unknown unit `{other}`"))
                .help("a series counts \"person\", \"index\" (a price index), \"ratio\" (a yearly rate or an exchange rate), or a commodity of the registry (e.g. \"cash\" for revenue in strings)")
        })?),
    };
    let growth = unit == SeriesUnit::Ratio && raw.measure.get_ref() == "growth-rate";
    let number = |v: &Spanned<String>| -> Result<Decimal> {
        parse_decimal(v.get_ref(), growth).map_err(|m| {
            ctx.err(ErrorKind::Value, v.span(), m)
                .help("write the figure as a decimal string")
        })
    };
    let mut points = Vec::new();
    for p in &raw.point {
        let span = p.span();
        let p = p.get_ref();
        let year = crate::plugin::fields::year(&ctx, &p.year)?;
        let to =
            p.to.as_ref()
                .map(|t| crate::plugin::fields::year(&ctx, t))
                .transpose()?;
        if let (Some(t), Some(raw)) = (to, &p.to)
            && t < year
        {
            return Err(ctx
                .err(
                    ErrorKind::Value,
                    raw.span(),
                    format!("the span {year}–{t} ends before it starts"),
                )
                .help("write `to` as the last year the figure is held for, not before `year`"));
        }
        let central = number(&p.value)?;
        let low = p.low.as_ref().map(&number).transpose()?.unwrap_or(central);
        let high = p.high.as_ref().map(&number).transpose()?.unwrap_or(central);
        // A rate may be zero or negative (a year of decline), never −100 % or below; every other
        // figure is above zero.
        let floor_ok = if growth {
            low > Decimal::NEGATIVE_ONE
        } else {
            low > Decimal::ZERO
        };
        if !(low <= central && central <= high && floor_ok) {
            return Err(ctx
                .err(
                    ErrorKind::Value,
                    span,
                    format!("the figure for {year} needs 0 < low ≤ value ≤ high"),
                )
                .help("check the order of low, value and high"));
        }
        let last = to.unwrap_or(year);
        if let Some(q) = points
            .iter()
            .find(|q: &&SeriesPoint| q.year <= last && year <= q.last())
        {
            return Err(ctx
                .err(
                    ErrorKind::Duplicate,
                    p.year.span(),
                    format!(
                        "two figures for {} (this one and {})",
                        year.max(q.year),
                        q.years_text()
                    ),
                )
                .help("give one point per year, with low and high for a range"));
        }
        points.push(SeriesPoint {
            year,
            to,
            value: Interval { low, central, high },
            sources: sources(&ctx, reg, &local, &p.source)?,
            note: p.note.clone(),
        });
    }
    if points.is_empty() {
        return Err(ctx.err(
            ErrorKind::Schema,
            raw.name.span(),
            "a series needs at least one [[point]]",
        ));
    }
    points.sort_by_key(|p| p.year);
    Ok(Series {
        id,
        name: raw.name.get_ref().clone(),
        party: crate::plugin::fields::party(&ctx, reg, &raw.party)?,
        measure: raw.measure.get_ref().clone(),
        unit,
        sources: sources(&ctx, reg, &local, &raw.sources)?,
        local_sources: local,
        notes: raw.notes,
        points,
        path: file.display.clone(),
    })
}

/// The series of `measure` for `party`: one written for the party itself, else one for a party it
/// is part of (`Song` for `Southern Song`).
pub fn find<'a>(corpus: &'a crate::Corpus, party: &str, measure: &str) -> Option<&'a Series> {
    let reg = &corpus.registry;
    let candidates = corpus
        .series
        .values()
        .filter(|s| s.measure == measure && reg.party_matches(party, &s.party));
    candidates.min_by_key(|s| (!reg.party_matches(&s.party, party), s.id.clone()))
}

/// Runs of years as people read them: `1800–2024` or `1825, 1826–1900`.
pub fn runs_text(runs: &[(Year, Year)]) -> String {
    runs.iter()
        .map(|&(a, b)| {
            if a == b {
                a.to_string()
            } else {
                format!("{a}–{b}")
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}
