//! Reports: every figure a front end shows, computed here once, as typed values that serialise
//! (serde) to the documented JSON contract.
//!
//! A report has two faces. Its typed part (baskets, intervals, engine rows) is what the plot crate
//! and the CLI's tables read; its wire part ([`Amounts`], [`Dec`], [`ReadingsOut`], …) is what
//! `--format json` prints, derived with `serde::Serialize` and never written by hand. What must
//! hold: a front end never recomputes a figure that a report carries; amounts on the wire are
//! decimal strings without exponent or trailing zeros (no float ever carries one); commodity keys
//! are registry ids in registry order (alphabetical), so the JSON is deterministic.

use rustc_hash::FxHashSet;
use std::collections::BTreeMap;

use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Serialize, Serializer};

use crate::amount::{Basket, Year};
use crate::loader::Corpus;
use crate::registry::Registry;
use crate::resolve::{Resolved, Stream};
use crate::valuation::{Interval, PriceBook};

pub mod check;
pub mod compare;
pub mod context;
pub mod journal;
pub mod ledger;
pub mod list;
pub mod loans;
pub mod snapshot;
pub mod totals;
pub mod treaty;
pub mod worth;

pub use check::{BookSummary, CheckItem, CheckOut, CheckReport, check};
pub use compare::{
    CompareChartData, CompareOptions, CompareOut, Comparison, Matrix, MatrixBody, MatrixOut,
    MatrixRow, Priced, Solved, b_label, compare, matrix, measure_name,
};
pub use context::{ContextFigure, ContextOut, SideValue};
pub use journal::{Account, Dating, Entry, EntryKind, Evidence, JournalReport, Posting, journal};
pub use ledger::{
    CommodityValues, LedgerOut, LedgerReport, LedgerRowOut, LedgerValues, RowValue, RowValueOut,
    delivered_by_commodity, ledger,
};
pub use list::{ListOut, ListRow, list};
pub use snapshot::{Change, Difference, Figure, Info, Snapshot, Snapshots, Stored};
pub use totals::{
    GroupWorth, GroupWorthOut, TotalRowOut, TotalsOut, TotalsReport, TotalsValues, Worth, totals,
};
pub use treaty::{PaymentRow, SourceRow, TreatyOut, TreatyReport, treaty};

/// An exact decimal on the wire: a string without exponent or trailing zeros (`"19700000"`,
/// `"0.77"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Dec(pub Decimal);

impl Serialize for Dec {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.collect_str(&self.0.normalize())
    }
}

impl JsonSchema for Dec {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Decimal".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "pattern": "^-?[0-9]+(\\.[0-9]*[1-9])?$",
            "description": "An exact decimal as a string: no exponent, no thousands separators, no trailing zeros. Never a JSON number, so no digit is lost to a float."
        })
    }
}

/// A basket on the wire: `{"silk": "200000", "silver": "100000"}`, keyed by commodity id.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(transparent)]
pub struct Amounts(pub BTreeMap<String, Dec>);

impl Amounts {
    /// The basket with the registry's commodity ids.
    pub fn of(reg: &Registry, basket: &Basket) -> Amounts {
        Amounts(
            basket
                .iter()
                .map(|(c, a)| (reg.commodity(c).id.clone(), Dec(a)))
                .collect(),
        )
    }
}

/// An interval on the wire: `{"low": "…", "central": "…", "high": "…"}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
pub struct IntervalOut {
    /// Every rate at its low value.
    pub low: Dec,
    /// Every rate at its central value.
    pub central: Dec,
    /// Every rate at its high value.
    pub high: Dec,
}

impl From<&Interval> for IntervalOut {
    fn from(i: &Interval) -> IntervalOut {
        IntervalOut {
            low: Dec(i.low),
            central: Dec(i.central),
            high: Dec(i.high),
        }
    }
}

/// One item's reading, as a report used it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct ReadingUsed {
    /// `treaty/item`.
    pub item: String,
    /// The reading's name.
    pub reading: String,
}

/// The readings a report rests on: the names asked for and what each item with several used.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct ReadingsOut {
    /// Names given with `--reading`.
    pub selected: Vec<String>,
    /// Every item with several readings and the one used.
    pub used: Vec<ReadingUsed>,
}

impl ReadingsOut {
    /// The readings that bear on `streams`: of their own obligations and of the amendments,
    /// suspensions, deliveries and settlements applied to them. A footer that names a reading
    /// of a treaty the filter left out would claim a figure rests on it.
    pub fn of_streams<'a>(
        resolved: &Resolved,
        streams: impl IntoIterator<Item = &'a Stream>,
    ) -> ReadingsOut {
        let streams: Vec<&Stream> = streams.into_iter().collect();
        ReadingsOut::of_keys(resolved, &item_keys(&streams))
    }

    /// The readings of a resolved corpus used by the items `keys` ([`item_keys`]).
    fn of_keys(resolved: &Resolved, keys: &ItemKeys<'_>) -> ReadingsOut {
        let mut out = ReadingsOut::of(resolved);
        out.used.retain(|u| keys.contains(&u.item));
        out
    }

    /// The readings of a resolved corpus.
    pub fn of(resolved: &Resolved) -> ReadingsOut {
        ReadingsOut {
            selected: resolved.readings.names().to_vec(),
            used: resolved
                .used
                .iter()
                .map(|(item, reading)| ReadingUsed {
                    item: item.clone(),
                    reading: reading.clone(),
                })
                .collect(),
        }
    }
}

/// An open-ended stream: nothing in its file or in a later treaty ends it, so it runs to the end
/// of its parties' relationship as the registry gives it. Its totals are upper bounds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct OpenEndOut {
    /// `treaty/obligation`.
    pub stream: String,
    /// The last year it is counted in (the earlier of its payer's and payee's end).
    pub runs_to: crate::amount::Year,
}

/// What the figures of the streams `query` selects rest on: the readings that bear on them,
/// their sources, with grades, and the streams that run to the registry's horizon for want of a
/// sourced end.
/// A rounding one stream's schedule makes, named (every rounding is named in the output).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct RoundingOut {
    /// `treaty/obligation`.
    pub stream: String,
    /// The rule, the places and the mode, in words.
    pub rule: String,
}

/// The roundings the schedules of the streams `query` selects make.
pub(crate) fn roundings(
    corpus: &Corpus,
    resolved: &Resolved,
    query: &crate::engine::Query,
) -> Vec<RoundingOut> {
    resolved
        .streams
        .iter()
        .filter(|s| query.selects(corpus, s))
        .flat_map(|s| {
            s.schedule.roundings().into_iter().map(|rule| RoundingOut {
                stream: s.key(),
                rule,
            })
        })
        .collect()
}

pub(crate) fn basis(
    corpus: &Corpus,
    resolved: &Resolved,
    query: &crate::engine::Query,
) -> (ReadingsOut, Vec<SourceOut>, Vec<OpenEndOut>) {
    let streams: Vec<&Stream> = resolved
        .streams
        .iter()
        .filter(|s| query.selects(corpus, s))
        .collect();
    let open = streams
        .iter()
        .filter_map(|s| {
            s.horizon.map(|runs_to| OpenEndOut {
                stream: s.key(),
                runs_to,
            })
        })
        .collect();
    // The items behind the streams, found once for the readings and the sources.
    let keys = item_keys(&streams);
    (
        ReadingsOut::of_keys(resolved, &keys),
        sources_of_keys(corpus, &streams, &keys),
        open,
    )
}

/// The `treaty/item` keys of everything that made `streams` what they are: `treaty/obligation`
/// of each stream, `treaty/amendment` of each amendment applied, and the `by` keys of
/// suspensions, deliveries and settlements. None is formatted: the streams are searched where
/// they are (sorted by treaty and obligation, as [`Resolved::streams`] and every selection of it
/// are), the amendments kept as pairs, the `by` keys as written.
struct ItemKeys<'a> {
    streams: &'a [&'a Stream],
    pairs: FxHashSet<(&'a str, &'a str)>,
    texts: FxHashSet<&'a str>,
}

impl ItemKeys<'_> {
    /// True if `(treaty, item)` names a stream or an amendment applied.
    fn has_pair(&self, treaty: &str, item: &str) -> bool {
        self.pairs.contains(&(treaty, item))
            || self
                .streams
                .binary_search_by(|s| {
                    (s.treaty.as_str(), s.obligation.as_str()).cmp(&(treaty, item))
                })
                .is_ok()
    }

    /// True if `key` is one of the keys: written as such, or `a/b` for a pair (a, b), whichever
    /// `/` of `key` joins them (an id holds none, but nothing here relies on it).
    fn contains(&self, key: &str) -> bool {
        self.texts.contains(key)
            || key.match_indices('/').any(|(i, _)| {
                let (a, b) = key.split_at(i);
                self.has_pair(a, b.get(1..).unwrap_or_default())
            })
    }
}

fn item_keys<'a>(streams: &'a [&'a Stream]) -> ItemKeys<'a> {
    let mut keys = ItemKeys {
        streams,
        pairs: FxHashSet::default(),
        texts: FxHashSet::default(),
    };
    for s in streams {
        keys.pairs.extend(
            s.amendments
                .iter()
                .map(|a| (a.treaty.as_str(), a.id.as_str())),
        );
        keys.texts.extend(s.suspended.iter().map(|x| x.by.as_str()));
        keys.texts
            .extend(s.deliveries.iter().map(|d| d.by.as_str()));
        keys.texts
            .extend(s.settlements.iter().map(|x| x.by.as_str()));
    }
    keys
}

/// A source a report rests on, with its grade.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, JsonSchema)]
pub struct SourceOut {
    /// The source's id.
    pub id: String,
    /// Its quality grade: A (scholarly or primary), B (encyclopedia, old or official report),
    /// C (popular page: corroboration only).
    pub quality: String,
    /// The full citation.
    pub title: String,
    /// Where in it, as the files cite it (page, section), sorted and deduplicated.
    pub cited_at: Vec<String>,
}

/// Every source behind `streams`: their obligations' sources and those of the amendments,
/// suspensions, deliveries and settlements applied to them (every reading of those items, so a
/// source is never left out), with grades, sorted by id.
pub fn sources_of<'a>(
    corpus: &Corpus,
    streams: impl IntoIterator<Item = &'a Stream>,
) -> Vec<SourceOut> {
    let streams: Vec<&Stream> = streams.into_iter().collect();
    let keys = item_keys(&streams);
    sources_of_keys(corpus, &streams, &keys)
}

/// [`sources_of`], given the items behind `streams` ([`item_keys`]).
fn sources_of_keys(corpus: &Corpus, streams: &[&Stream], keys: &ItemKeys<'_>) -> Vec<SourceOut> {
    let mut refs: Vec<(&str, &crate::model::SourceRef)> = Vec::new();
    for s in streams {
        refs.extend(s.sources.iter().map(|r| (s.treaty.as_str(), r)));
    }
    // `treaty/item` is one of the keys: the `by` keys compared as written (into one buffer),
    // the pairs part by part (ids hold no `/`, so that is the same); a stream is searched for
    // only when the treaty has an obligation of that id (seldom: item ids differ by kind).
    let mut key = String::new();
    for t in corpus.treaties.values() {
        let mut hit = |id: &str| {
            key.clear();
            key.push_str(&t.id);
            key.push('/');
            key.push_str(id);
            keys.texts.contains(key.as_str())
                || keys.pairs.contains(&(t.id.as_str(), id))
                || (t.obligations.iter().any(|o| o.id == id) && keys.has_pair(&t.id, id))
        };
        for i in t.amendments.iter().filter(|i| hit(&i.id)) {
            for v in &i.variants {
                refs.extend(v.def.sources.iter().map(|r| (t.id.as_str(), r)));
            }
        }
        for i in t.suspensions.iter().filter(|i| hit(&i.id)) {
            for v in &i.variants {
                refs.extend(v.def.sources.iter().map(|r| (t.id.as_str(), r)));
            }
        }
        for i in t.deliveries.iter().filter(|i| hit(&i.id)) {
            for v in &i.variants {
                refs.extend(v.def.sources.iter().map(|r| (t.id.as_str(), r)));
            }
        }
    }
    graded(corpus, refs)
}

/// Source citations (each with the treaty whose file cites it) as sources with their grades and
/// titles, one per source, sorted by id, with the places cited.
pub(crate) fn graded<'a>(
    corpus: &Corpus,
    refs: impl IntoIterator<Item = (&'a str, &'a crate::model::SourceRef)>,
) -> Vec<SourceOut> {
    // The first citation of a source gives its grade and title; the rest only add places.
    let mut out: BTreeMap<&str, SourceOut> = BTreeMap::new();
    for (treaty, r) in refs {
        let e = out.entry(&r.id).or_insert_with(|| {
            let (quality, title) = match source_info(corpus, treaty, &r.id) {
                Some((q, title)) => (q.letter().to_string(), title.to_string()),
                None => ("?".to_string(), String::new()),
            };
            SourceOut {
                id: r.id.clone(),
                quality,
                title,
                cited_at: Vec::new(),
            }
        });
        if let Some(l) = &r.locator {
            if !e.cited_at.contains(l) {
                e.cited_at.push(l.clone());
            }
        }
    }
    out.into_values()
        .map(|mut s| {
            s.cited_at.sort();
            s
        })
        .collect()
}

/// A source's grade and citation, as the registry or the treaty's own `[source.ID]` gives them.
fn source_info<'a>(
    corpus: &'a Corpus,
    treaty: &str,
    id: &str,
) -> Option<(crate::registry::Quality, &'a str)> {
    match corpus.registry.find_source(id) {
        Some(info) => Some((info.quality, info.title.as_str())),
        None => corpus
            .treaties
            .get(treaty)
            .and_then(|t| t.local_sources.iter().find(|l| l.id == id))
            .map(|l| (l.quality, l.title.as_str())),
    }
}

/// A source's quality grade, as [`source_info`] finds it.
pub(crate) fn grade(corpus: &Corpus, treaty: &str, id: &str) -> Option<crate::registry::Quality> {
    source_info(corpus, treaty, id).map(|(q, _)| q)
}

/// The price book a valued report uses.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct BookOut {
    /// Id (the file stem).
    pub id: String,
    /// Name.
    pub name: String,
    /// What values are counted in.
    pub numeraire: String,
    /// The file.
    pub path: String,
    /// For a book derived from series: the formula, the series and their sources.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub derived: Option<DerivedOut>,
}

/// How a derived book's rates were made, on the wire.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct DerivedOut {
    /// The formula, in words: `rate(y) = CPI(T) / (fx(y) × CPI(y))`.
    pub formula: String,
    /// The commodity priced.
    pub commodity: String,
    /// The year whose money the values are in.
    pub target_year: Year,
    /// Decimal places of each rate (low rounded down, high up, central half to even).
    pub places: u32,
    /// The years priced (where both series have a figure); other years are unpriced.
    pub priced_years: String,
    /// The price index.
    pub index: SeriesUsedOut,
    /// The exchange rate.
    pub exchange: SeriesUsedOut,
}

/// A series a derived book uses.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct SeriesUsedOut {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
    /// The file.
    pub path: String,
    /// Its sources.
    pub sources: Vec<String>,
    /// The years it covers.
    pub coverage: String,
}

impl From<&crate::valuation::SeriesUsed> for SeriesUsedOut {
    fn from(s: &crate::valuation::SeriesUsed) -> SeriesUsedOut {
        SeriesUsedOut {
            id: s.id.clone(),
            name: s.name.clone(),
            path: s.path.clone(),
            sources: s.sources.iter().map(ToString::to_string).collect(),
            coverage: s.coverage.clone(),
        }
    }
}

impl From<&PriceBook> for BookOut {
    fn from(b: &PriceBook) -> BookOut {
        BookOut {
            id: b.id.clone(),
            name: b.name.clone(),
            numeraire: b.numeraire.clone(),
            path: b.path.clone(),
            derived: b.derived.as_ref().map(|d| DerivedOut {
                formula: d.formula_text(),
                commodity: d.commodity_id.clone(),
                target_year: d.target_year,
                places: d.places,
                priced_years: d.priced_years.clone(),
                index: (&d.index).into(),
                exchange: (&d.exchange).into(),
            }),
        }
    }
}

/// A commodity as a report names it: its id and the unit its amounts are in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct CommodityOut {
    /// Registry id.
    pub id: String,
    /// The unit amounts are given in.
    pub unit: String,
}

impl CommodityOut {
    /// The commodity `c` of the registry.
    pub fn of(reg: &Registry, c: crate::amount::CommodityId) -> CommodityOut {
        CommodityOut {
            id: reg.commodity(c).id.clone(),
            unit: reg.unit_of(c).to_string(),
        }
    }
}

/// Appends `d` as plain text to `out`: no exponent, trailing zeros or separators (`19700000`,
/// `0.77`, `-0.5`), the same text as `d.normalize().to_string()`, written from its digits
/// without the formatting machinery (a ledger's CSV writes some 70,000 of them; the property test
/// below checks the two agree on any decimal).
pub fn write_plain(d: Decimal, out: &mut Vec<u8>) {
    // Not `normalize`d first (that divides the 96-bit mantissa by ten once per trailing zero):
    // the trailing zeros of the fraction are dropped from the text instead.
    let n = d.mantissa().unsigned_abs();
    if n == 0 {
        out.push(b'0');
        return;
    }
    // The digits, written from the end of the buffer back (a u128 has at most 39), so that they
    // read in order from `start`. Most mantissas fit a u64, whose division by ten is a
    // multiplication; a u128's is a library call.
    let mut digits = [b'0'; 40];
    let mut start = digits.len();
    let mut push = |digit: u8| {
        start = start.saturating_sub(1);
        if let Some(slot) = digits.get_mut(start) {
            *slot = b'0' | digit;
        }
    };
    match u64::try_from(n) {
        Ok(mut n) => loop {
            push((n % 10) as u8);
            n /= 10;
            if n == 0 {
                break;
            }
        },
        Err(_) => {
            let mut n = n;
            loop {
                push((n % 10) as u8);
                n /= 10;
                if n == 0 {
                    break;
                }
            }
        }
    }
    let digits = digits.get(start..).unwrap_or_default();
    // The fraction's trailing zeros (a mantissa that is not zero has a digit that is not).
    let zeros = digits.iter().rev().take_while(|&&b| b == b'0').count();
    let zeros = zeros.min(d.scale() as usize);
    let digits = digits
        .get(..digits.len().saturating_sub(zeros))
        .unwrap_or_default();
    let scale = (d.scale() as usize).saturating_sub(zeros);
    if d.is_sign_negative() {
        out.push(b'-');
    }
    match digits.len().checked_sub(scale) {
        // 0.0…: the whole part is zero, then zeros up to the digits.
        None | Some(0) if scale > 0 => {
            out.extend_from_slice(b"0.");
            out.extend(std::iter::repeat_n(
                b'0',
                scale.saturating_sub(digits.len()),
            ));
            out.extend_from_slice(digits);
        }
        Some(whole) if scale > 0 => {
            let (w, f) = digits.split_at(whole);
            out.extend_from_slice(w);
            out.push(b'.');
            out.extend_from_slice(f);
        }
        _ => out.extend_from_slice(digits),
    }
}

/// [`write_plain`] as a `String`: `19700000`, `0.77`.
pub fn plain(d: Decimal) -> String {
    let mut out = Vec::new();
    write_plain(d, &mut out);
    // ASCII digits, sign and point: each byte is its character.
    out.into_iter().map(char::from).collect()
}

/// A decimal with thousands separators in its whole part: `19,700,000`, `1,234.5`.
pub fn grouped(d: Decimal) -> String {
    let s = d.normalize().to_string();
    let (sign, body) = s.strip_prefix('-').map_or(("", s.as_str()), |b| ("-", b));
    let (whole, frac) = body
        .split_once('.')
        .map_or((body, None), |(w, f)| (w, Some(f)));
    let mut out = String::new();
    for (i, ch) in whole.chars().enumerate() {
        if i > 0 && whole.len().saturating_sub(i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    match frac {
        Some(f) => format!("{sign}{out}.{f}"),
        None => format!("{sign}{out}"),
    }
}

/// An error met while valuing stream `s` with `book`, placed at the obligation whose amounts were
/// being valued and naming the book's file, with advice.
pub(crate) fn valuing(
    e: crate::error::Error,
    s: &crate::resolve::Stream,
    book: &PriceBook,
) -> crate::error::Error {
    let help = e.help_text().is_none();
    let mut e = e.context(format!(
        "valuing {} with price book `{}` ({})",
        s.key(),
        book.id,
        book.path
    ));
    if e.location().is_none() {
        e = e.at(s.at.clone());
    }
    if help {
        e = e.help(
            "the amounts times the book's rates exceed what an exact decimal holds (28 significant digits); check the rate's magnitude, or value in a larger numeraire",
        );
    }
    e
}

/// The JSON Schema of every report's `--format json` output, by command name (`ledger`, `total`,
/// `compare`, `compare-matrix`, `check`, `show`, `list`), generated from the wire types.
pub fn schemas() -> Vec<(&'static str, serde_json::Value)> {
    fn one<T: JsonSchema>() -> serde_json::Value {
        let generator = schemars::generate::SchemaSettings::draft2020_12()
            .for_serialize()
            .into_generator();
        serde_json::to_value(generator.into_root_schema_for::<T>()).unwrap_or_default()
    }
    vec![
        ("check", one::<CheckOut>()),
        ("compare", one::<CompareOut>()),
        ("compare-matrix", one::<MatrixOut>()),
        ("ledger", one::<LedgerOut>()),
        ("list", one::<ListOut>()),
        ("show", one::<TreatyOut>()),
        ("total", one::<TotalsOut>()),
    ]
}

/// `100,000 tael silver + 200,000 bolt silk`, or `nothing`.
pub fn basket_text(reg: &Registry, b: &Basket) -> String {
    if b.is_empty() {
        return "nothing".into();
    }
    b.iter()
        .map(|(c, a)| format!("{} {} {}", grouped(a), reg.unit_of(c), reg.commodity(c).id))
        .collect::<Vec<_>>()
        .join(" + ")
}

#[cfg(test)]
#[allow(
    clippy::arithmetic_side_effects,
    reason = "test code: a u32 times 10^11 fits an i128"
)]
mod tests {
    use proptest::prelude::*;
    use rust_decimal::Decimal;

    use super::plain;

    #[test]
    fn plain_text_by_hand() {
        let d = |s: &str| Decimal::from_str_exact(s).expect("a decimal");
        assert_eq!(plain(d("19700000")), "19700000");
        assert_eq!(plain(d("31400000.000")), "31400000");
        assert_eq!(plain(d("0.770")), "0.77");
        assert_eq!(plain(d("-0.005")), "-0.005");
        assert_eq!(plain(d("-0.0")), "0");
        assert_eq!(plain(d("-0.000")), "0");
        assert_eq!(plain(d("1234.500")), "1234.5");
        assert_eq!(plain(d("100.00")), "100");
        assert_eq!(plain(d("0.0100")), "0.01");
        assert_eq!(plain(d("0")), "0");
        assert_eq!(plain(Decimal::MAX), "79228162514264337593543950335");
        assert_eq!(plain(Decimal::MIN), "-79228162514264337593543950335");
        assert_eq!(
            plain(Decimal::from_i128_with_scale(1, 28)),
            "0.0000000000000000000000000001"
        );
    }

    proptest! {
        #[test]
        fn plain_text_is_the_normalized_display(
            lo in any::<u32>(), mid in any::<u32>(), hi in any::<u32>(),
            negative in any::<bool>(), scale in 0u32..=28, small in any::<bool>(),
        ) {
            // Small mantissas (a u64's worth, most amounts) and any up to 96 bits.
            let hi = if small { 0 } else { hi };
            let d = Decimal::from_parts(lo, mid, hi, negative, scale);
            prop_assert_eq!(plain(d), d.normalize().to_string());
        }

        #[test]
        fn plain_text_drops_the_trailing_zeros_normalize_drops(
            m in any::<u32>(), zeros in 0u32..12, negative in any::<bool>(), scale in 0u32..=28,
        ) {
            // Amounts as files write them: 1234.500, 0.0100, 5000 (trailing zeros, any scale).
            let m = i128::from(m) * 10i128.pow(zeros) * if negative { -1 } else { 1 };
            let d = Decimal::from_i128_with_scale(m, scale);
            prop_assert_eq!(plain(d), d.normalize().to_string());
        }
    }
}
