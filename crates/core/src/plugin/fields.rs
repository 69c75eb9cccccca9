//! The spanned field parsers every plugin file shares, written once: TOML with located errors,
//! ids (kebab-case), years, source quality, amounts, parties, source lists, stream references and a
//! file's own `[source.ID]` tables.
//!
//! A leaf of the plugin tree: treaties, claims, the registry, price books (`crate::valuation`),
//! context series (`crate::series`) and tables (`crate::table`) all read their fields here, and
//! this module imports none of them. What must hold: every error carries the file, line and column
//! of the offending text ([`FileCtx`]) and a help line; amounts are exact (a TOML float is refused
//! by [`crate::amount::decimal_or_integer`]).

use std::collections::BTreeMap;
use std::ops::Range;
use std::sync::Arc;

use rust_decimal::Decimal;
use toml::Spanned;

use super::raw::{OneOrMany, RawAmounts, RawSource};
use crate::amount::{
    Basket, CommodityId, Refused, Written, Year, checked_year, decimal_or_integer, float_refused,
    parse_decimal,
};
use crate::error::{Error, ErrorKind, Location, Result, SourceFile};
use crate::model::{LocalSource, SourceRef, Target};
use crate::registry::{Quality, Registry};

/// Parses TOML text into `T`, reporting syntax and schema errors with their location.
pub(crate) fn parse_toml<T: serde::de::DeserializeOwned>(
    display: &str,
    text: &crate::error::Text,
    what: &str,
) -> Result<T> {
    let located = |e: &toml::de::Error, kind: ErrorKind| {
        let span = e.span().unwrap_or(0..0);
        let message = e.message().trim().to_string();
        let help = if message.starts_with("unknown field") {
            format!("remove or correct the key; docs/treaty-format.md lists every key of a {what}")
        } else if message.starts_with("missing field") {
            format!("add the key; docs/treaty-format.md lists the required keys of a {what}")
        } else if kind == ErrorKind::Syntax {
            "fix the TOML syntax at the marked place".to_string()
        } else {
            format!("see docs/treaty-format.md for the keys and types of a {what}")
        };
        Error::new(kind, message)
            .at(Location::new(display, text, span))
            .help(help)
    };
    if text.trim().is_empty() {
        return Err(Error::new(
            ErrorKind::Schema,
            format!("the file is empty; a {what} needs at least its required keys"),
        )
        .at(Location::new(display, text, 0..0))
        .help("see docs/treaty-format.md for a complete example"));
    }
    // One parse for a good file; only a bad one is parsed again, untyped, to tell a syntax error
    // from a schema error.
    toml::from_str::<T>(text).map_err(|e| match toml::from_str::<toml::Table>(text) {
        Err(syntax) => located(&syntax, ErrorKind::Syntax),
        Ok(_) => located(&e, ErrorKind::Schema),
    })
}

/// A valid id: lower-case ASCII letters, digits and single hyphens.
pub(crate) fn is_kebab(id: &str) -> bool {
    // One pass over the bytes (a table checks two ids a row): lowercase ASCII letters, digits
    // and single hyphens between them.
    let bytes = id.as_bytes();
    let mut after_hyphen = true; // at the start, a hyphen is as wrong as after one
    for &b in bytes {
        match b {
            b'a'..=b'z' | b'0'..=b'9' => after_hyphen = false,
            b'-' if !after_hyphen => after_hyphen = true,
            _ => return false,
        }
    }
    !bytes.is_empty() && !after_hyphen
}

/// Helpers to turn spans of one file into errors and locations; the file's lines are indexed
/// once, when a line is first asked for, so each lookup is a binary search (a file may hold tens
/// of thousands of items).
#[derive(Clone)]
pub(crate) struct FileCtx {
    /// The file, shared by every location in it (its lines are indexed on first use).
    file: Arc<SourceFile>,
}

impl FileCtx {
    pub(crate) fn new(display: &str, text: &crate::error::Text) -> FileCtx {
        FileCtx {
            file: SourceFile::new(display, text),
        }
    }
    /// The file's text.
    pub(crate) fn text(&self) -> &str {
        self.file.text()
    }
    pub(crate) fn loc(&self, span: Range<usize>) -> Location {
        self.file.at(span)
    }
    pub(crate) fn err(&self, kind: ErrorKind, span: Range<usize>, msg: impl Into<String>) -> Error {
        Error::new(kind, msg).at(self.loc(span))
    }
}

/// A year key's value, checked to lie in the supported range ([`crate::YEAR_MIN`] to
/// [`crate::YEAR_MAX`]).
pub(crate) fn year(ctx: &FileCtx, v: &Spanned<i64>) -> Result<Year> {
    checked_year(*v.get_ref())
        .map_err(|(message, help)| ctx.err(ErrorKind::Value, v.span(), message).help(help))
}

pub(crate) fn quality(ctx: &FileCtx, q: &Spanned<String>) -> Result<Quality> {
    match q.get_ref().as_str() {
        "A" => Ok(Quality::A),
        "B" => Ok(Quality::B),
        "C" => Ok(Quality::C),
        "D" => Err(ctx
            .err(ErrorKind::Value, q.span(), "quality D sources are not accepted as data")
            .help("find the figure in an A, B or C source, or leave it out and say so in the notes")),
        other => Err(ctx
            .err(ErrorKind::Value, q.span(), format!("unknown quality `{other}`"))
            .help("quality is one of \"A\" (scholarly), \"B\" (encyclopedic, official), \"C\" (popular)")),
    }
}

/// Validates amounts against the registry: known commodity, known unit of its measure, exact, and
/// not negative unless `allow_negative`.
pub(crate) fn amounts(
    ctx: &FileCtx,
    reg: &Registry,
    raw: &Spanned<RawAmounts>,
    allow_negative: bool,
) -> Result<Basket> {
    amounts_placed(ctx, reg, raw, allow_negative).map(|(basket, _)| basket)
}

/// [`amounts`], with each commodity's written decimal places: the places of the number as written
/// or of its exact value in the commodity's own unit, whichever is more ("100.00 bolt" has 2,
/// "1.5 catty" of silver is 24.0 taels and has 1). Installments split at these places.
pub(crate) fn amounts_placed(
    ctx: &FileCtx,
    reg: &Registry,
    raw: &Spanned<RawAmounts>,
    allow_negative: bool,
) -> Result<(Basket, Vec<(CommodityId, u32)>)> {
    let mut places = Vec::new();
    let mut basket = Basket::new();
    let mut seen = BTreeMap::new();
    for (key, value) in raw.get_ref() {
        let Some(c) = reg.find_commodity(key.get_ref()) else {
            let known: Vec<&str> = reg.commodities().iter().map(|c| c.id.as_str()).collect();
            return Err(ctx
                .err(ErrorKind::Reference, key.span(), format!("unknown commodity `{}`", key.get_ref()))
                .help(format!("known commodities: {}; a new one is declared with [[commodity]] in a registry file", known.join(", "))));
        };
        if let Some(prev) = seen.insert(c, key.get_ref().clone()) {
            return Err(ctx.err(
                ErrorKind::Duplicate,
                key.span(),
                format!(
                    "`{}` and `{prev}` name the same commodity ({})",
                    key.get_ref(),
                    reg.commodity(c).id
                ),
            ));
        }
        let span = value.span();
        let (number, unit) = match decimal_or_integer(value.get_ref()) {
            Ok(Written::Integer(i)) => (Decimal::from(i), None),
            Ok(Written::Text(s)) => {
                let mut parts = s.split_whitespace();
                let number = parts.next().unwrap_or("");
                let unit = parts.next();
                if parts.next().is_some() {
                    return Err(ctx
                        .err(ErrorKind::Value, span, format!("`{s}` is not an amount"))
                        .help("write a number and at most one unit, e.g. \"100000 tael\""));
                }
                let n = parse_decimal(number, true).map_err(|m| {
                    ctx.err(ErrorKind::Value, span.clone(), m)
                        .help("write e.g. \"100000 tael\" or \"2.5 ding\"")
                })?;
                (n, unit)
            }
            Err(Refused::Float(f)) => {
                return Err(ctx
                    .err(ErrorKind::Value, span, float_refused(f))
                    .help(format!(
                        "write the amount as a string: {} = \"{f} {}\"",
                        key.get_ref(),
                        reg.unit_of(c)
                    )));
            }
            Err(Refused::Other) => {
                return Err(ctx
                    .err(
                        ErrorKind::Schema,
                        span,
                        "an amount is a string like \"100000 tael\" or a whole number",
                    )
                    .help("see docs/treaty-format.md#amounts"));
            }
        };
        if number.is_sign_negative() && !number.is_zero() && !allow_negative {
            return Err(ctx
                .err(
                    ErrorKind::Value,
                    span,
                    format!("amount {number} is negative; what is owed cannot be below zero"),
                )
                .help("only an `adjust` amendment may carry a negative change"));
        }
        let value = match unit {
            None => number,
            Some(u) => {
                let Some(unit) = reg.find_unit(u) else {
                    let known: Vec<&str> = reg
                        .units()
                        .iter()
                        .filter(|x| x.measure == reg.commodity(c).measure)
                        .map(|x| x.id.as_str())
                        .collect();
                    return Err(ctx
                        .err(ErrorKind::Reference, span, format!("unknown unit `{u}`"))
                        .help(format!(
                            "units of {}: {}",
                            reg.commodity(c).measure,
                            known.join(", ")
                        )));
                };
                reg.convert(c, number, unit).map_err(|(message, help)| {
                    ctx.err(ErrorKind::Value, span.clone(), message).help(help)
                })?
            }
        };
        places.push((c, number.scale().max(value.scale())));
        basket
            .add_amount(c, value)
            .map_err(|e| ctx.err(e.kind(), span.clone(), e.message().to_string()))?;
    }
    places.sort_unstable();
    Ok((basket, places))
}

/// A party named in a file (a payer, a payee, a series' party): the registry's id for a name that
/// is one of its parties' ids or aliases, else an error at the name with the nearest names.
pub(crate) fn party(ctx: &FileCtx, reg: &Registry, raw: &Spanned<String>) -> Result<String> {
    match reg.find_party(raw.get_ref()) {
        Some(p) => Ok(p.id.clone()),
        None => Err(reg.unknown_party(raw.get_ref()).at(ctx.loc(raw.span()))),
    }
}

pub(crate) fn sources(
    ctx: &FileCtx,
    reg: &Registry,
    local: &[LocalSource],
    raw: &Spanned<OneOrMany>,
) -> Result<Vec<SourceRef>> {
    let span = raw.span();
    let Some(items) = raw.get_ref().strings() else {
        return Err(ctx
            .err(
                ErrorKind::Schema,
                span,
                "a source is a string or an array of strings",
            )
            .help(
                "write source = \"ID\" or source = \"ID, locator\" or an array of such strings",
            ));
    };
    // Sized to the list: grown by push it would hold four (most items cite one source).
    let mut out = Vec::with_capacity(items.len());
    for text in &items {
        let (id, locator) = match text.split_once(',') {
            Some((id, loc)) => (
                id.trim(),
                Some(loc.trim().to_string()).filter(|l| !l.is_empty()),
            ),
            None => (text.trim(), None),
        };
        if !local.iter().any(|s| s.id == id) && reg.find_source(id).is_none() {
            return Err(ctx
                .err(ErrorKind::Reference, span.clone(), format!("unknown source `{id}`"))
                .help("declare it in the file as [source.ID] or in a registry file as [[source]]; a locator follows a comma: \"ID, p.563\""));
        }
        out.push(SourceRef {
            id: id.to_string(),
            locator,
        });
    }
    Ok(out)
}

pub(crate) fn target(ctx: &FileCtx, raw: &Spanned<String>) -> Result<Target> {
    target_at(ctx, raw.get_ref(), raw.span())
}

pub(crate) fn target_at(ctx: &FileCtx, text: &str, span: Range<usize>) -> Result<Target> {
    let (treaty, obligation) = match text.split_once('/') {
        Some((t, o)) => (t, Some(o.to_string())),
        None => (text, None),
    };
    if !is_kebab(treaty) || obligation.as_deref().is_some_and(|o| !is_kebab(o)) {
        return Err(ctx
            .err(
                ErrorKind::Value,
                span.clone(),
                format!("`{text}` is not a stream reference"),
            )
            .help("write \"TREATY-ID/OBLIGATION-ID\" or \"TREATY-ID\""));
    }
    Ok(Target {
        treaty: treaty.to_string(),
        obligation,
        at: ctx.loc(span),
    })
}

/// The sources a plugin file declares itself (`[source.ID]` tables), checked: the first problem.
pub(crate) fn local_sources(
    ctx: &FileCtx,
    raw: &BTreeMap<Spanned<String>, Spanned<RawSource>>,
) -> Result<Vec<LocalSource>> {
    let (local, errors) = local_sources_each(ctx, raw);
    match errors.into_iter().next() {
        Some(e) => Err(e),
        None => Ok(local),
    }
}

/// [`local_sources`] with every problem, one per source at most. A source with a problem is still
/// in the list (as quality C, since its own could not be read), so that the items citing it are not
/// reported as citing an unknown source as well; with problems the list serves only that purpose,
/// for a file with problems is never loaded.
pub(crate) fn local_sources_each(
    ctx: &FileCtx,
    raw: &BTreeMap<Spanned<String>, Spanned<RawSource>>,
) -> (Vec<LocalSource>, Vec<Error>) {
    let mut local = Vec::new();
    let mut errors = Vec::new();
    for (sid, s) in raw {
        let s = s.get_ref();
        let checked = if !is_kebab(sid.get_ref()) {
            Err(ctx.err(
                ErrorKind::Value,
                sid.span(),
                format!("source id `{}` is not lower-case kebab-case", sid.get_ref()),
            ))
        } else if let Some(extra) = &s.id {
            Err(ctx.err(
                ErrorKind::Schema,
                extra.span(),
                "a [source.ID] table takes its id from its name; remove `id`",
            ))
        } else {
            quality(ctx, &s.quality)
        };
        let quality = checked.unwrap_or_else(|e| {
            errors.push(e);
            Quality::C
        });
        local.push(LocalSource {
            id: sid.get_ref().clone(),
            title: s.title.get_ref().clone(),
            quality,
            note: s.note.clone(),
        });
    }
    (local, errors)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    /// The rule as written: not empty, no hyphen first or last or twice in a row, and only
    /// lowercase ASCII letters, digits and hyphens.
    fn by_the_rule(id: &str) -> bool {
        !id.is_empty()
            && !id.starts_with('-')
            && !id.ends_with('-')
            && !id.contains("--")
            && id
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    }

    #[test]
    fn kebab_ids_by_hand() {
        for good in ["song-jin-1142", "a", "1005", "a-b-c"] {
            assert!(super::is_kebab(good), "{good}");
        }
        for bad in ["", "-", "-a", "a-", "a--b", "Song", "a_b", "a b", "é"] {
            assert!(!super::is_kebab(bad), "{bad}");
        }
    }

    proptest! {
        #[test]
        fn kebab_is_the_rule(id in "[a-c0-1A_é -]{0,8}") {
            prop_assert_eq!(super::is_kebab(&id), by_the_rule(&id));
        }
    }
}
