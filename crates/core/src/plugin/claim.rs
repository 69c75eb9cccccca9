//! Reading a treaty's `[[claim]]` tables: a statement a source makes about the numbers ("worth about
//! 180 years of the annual tribute"), with its value, tolerance, unit and source.
//!
//! What must hold: a claim compares whole treaties, but for a `share` claim, which names one stream
//! (`TREATY/OBLIGATION`; all checked to exist later, by `super::references`); its value and
//! tolerance are exact (a decimal string or a whole number, a tolerance perhaps with `%`, a share's
//! value too; never a float); a `year` goes only with unit `years`, `of` only with unit `share`.

use rust_decimal::Decimal;
use toml::Spanned;

use super::fields::{FileCtx, is_kebab, sources, target, year};
use super::raw::RawClaim;
use crate::amount::{Refused, Written, decimal_or_integer, float_refused, parse_decimal};
use crate::error::{ErrorKind, Result};
use crate::model::{Claim, ClaimUnit, LocalSource, SharePart, Target, Tolerance};
use crate::registry::Registry;

/// Reads one `[[claim]]`: treaty references (checked against the corpus later), an exact value and
/// tolerance (no floats), the unit and the source.
pub(super) fn claim(
    ctx: &FileCtx,
    reg: &Registry,
    local: &[LocalSource],
    raw: &RawClaim,
) -> Result<Claim> {
    if !is_kebab(raw.id.get_ref()) {
        return Err(ctx
            .err(
                ErrorKind::Value,
                raw.id.span(),
                format!(
                    "claim id `{}` is not lower-case kebab-case",
                    raw.id.get_ref()
                ),
            )
            .help("use lower-case letters, digits and hyphens"));
    }
    let treaty_ref = |v: &Spanned<String>| -> Result<Target> {
        let t = target(ctx, v)?;
        if t.obligation.is_some() {
            return Err(ctx
                .err(
                    ErrorKind::Value,
                    v.span(),
                    "a claim compares whole treaties",
                )
                .help("write the treaty id alone, e.g. compare = \"jin-demand-1126\""));
        }
        Ok(t)
    };
    let number =
        |v: &Spanned<toml::Value>, key: &str, percent_ok: bool| -> Result<(Decimal, bool)> {
            let span = v.span();
            match decimal_or_integer(v.get_ref()) {
                Ok(Written::Integer(i)) if i >= 0 => Ok((Decimal::from(i), false)),
                Ok(Written::Text(s)) => {
                    let (body, percent) = match s.trim().strip_suffix('%') {
                        Some(b) if percent_ok => (b.trim_end(), true),
                        _ => (s, false),
                    };
                    let d = parse_decimal(body, false)
                        .map_err(|m| ctx.err(ErrorKind::Value, span.clone(), m))?;
                    Ok((d, percent))
                }
                Err(Refused::Float(f)) => Err(ctx
                    .err(ErrorKind::Value, span, float_refused(f))
                    .help(format!("write it as a string: {key} = \"{f}\""))),
                Ok(Written::Integer(_)) | Err(Refused::Other) => Err(ctx
                    .err(
                        ErrorKind::Schema,
                        span,
                        format!("`{key}` is a decimal string or a whole number"),
                    )
                    .help(if percent_ok {
                        "write e.g. tolerance = \"10\" (absolute) or \"5%\""
                    } else {
                        "write e.g. value = \"180\""
                    })),
            }
        };
    let unit = match raw.unit.get_ref().as_str() {
        "years" => ClaimUnit::Years,
        "ratio" => ClaimUnit::Ratio,
        "total" => ClaimUnit::Total,
        "share" => ClaimUnit::Share,
        other => {
            return Err(ctx
                .err(ErrorKind::Value, raw.unit.span(), format!("unknown claim unit `{other}`"))
                .help("unit is \"years\" (years of the other treaty's yearly flow), \"ratio\" (ratio of totals), \"total\" (the treaty's own total of one commodity) or \"share\" (one stream's share of its treaty's principal)"));
        }
    };
    let share = unit == ClaimUnit::Share;
    // A share may be written as a fraction (0.2897136) or a percentage ("28.97136%").
    let (value, value_percent) = number(&raw.value, "value", share)?;
    let value = if value_percent {
        value.checked_div(Decimal::ONE_HUNDRED).ok_or_else(|| {
            ctx.err(
                ErrorKind::Value,
                raw.value.span(),
                "this percentage cannot be divided by 100 exactly",
            )
        })?
    } else {
        value
    };
    let (width, percent) = number(&raw.tolerance, "tolerance", true)?;
    let compare = if share {
        let t = target(ctx, &raw.compare)?;
        if t.obligation.is_none() {
            return Err(ctx
                .err(
                    ErrorKind::Value,
                    raw.compare.span(),
                    "a `share` claim is about one stream's share of its treaty",
                )
                .help(
                    "write the stream as TREATY/OBLIGATION, e.g. compare = \"boxer-1901/russia\"",
                ));
        }
        t
    } else {
        treaty_ref(&raw.compare)?
    };
    let part = match (&raw.of, share) {
        (None, _) => SharePart::Principal,
        (Some(of), true) => match of.get_ref().as_str() {
            "principal" => SharePart::Principal,
            "owed" => SharePart::Owed,
            other => {
                return Err(ctx
                    .err(ErrorKind::Value, of.span(), format!("unknown share basis `{other}`"))
                    .help("of is \"principal\" (the default: what is owed less interest) or \"owed\" (principal and interest)"));
            }
        },
        (Some(of), false) => {
            return Err(ctx
                .err(
                    ErrorKind::Schema,
                    of.span(),
                    "`of` belongs to a `share` claim",
                )
                .help("remove it, or use unit = \"share\""));
        }
    };
    let (against, commodity) = match (unit, &raw.against, &raw.commodity) {
        (ClaimUnit::Total | ClaimUnit::Share, None, Some(c)) => {
            let Some(id) = reg.find_commodity(c.get_ref()) else {
                return Err(ctx
                    .err(
                        ErrorKind::Reference,
                        c.span(),
                        format!("unknown commodity `{}`", c.get_ref()),
                    )
                    .help("name a commodity of the registry: the total is in its own unit"));
            };
            let whole = Target {
                obligation: None,
                ..compare.clone()
            };
            (whole, Some(id))
        }
        (ClaimUnit::Total | ClaimUnit::Share, Some(a), _) => {
            return Err(ctx
                .err(
                    ErrorKind::Schema,
                    a.span(),
                    format!(
                        "a `{}` claim is about one treaty's own figures, so it takes no `against`",
                        unit.as_str()
                    ),
                )
                .help("remove `against`, or use unit = \"ratio\" to compare two treaties"));
        }
        (ClaimUnit::Total | ClaimUnit::Share, None, None) => {
            return Err(ctx
                .err(
                    ErrorKind::Schema,
                    raw.id.span(),
                    format!(
                        "a `{}` claim needs `commodity`: its figures are of one commodity",
                        unit.as_str()
                    ),
                )
                .help("add commodity = \"…\" (e.g. commodity = \"haikwan-silver\")"));
        }
        (_, _, Some(c)) => {
            return Err(ctx
                .err(
                    ErrorKind::Schema,
                    c.span(),
                    "`commodity` belongs to a `total` or `share` claim",
                )
                .help("remove it, or use unit = \"total\""));
        }
        (_, Some(a), None) => (treaty_ref(a)?, None),
        (_, None, None) => {
            return Err(ctx
                .err(
                    ErrorKind::Schema,
                    raw.id.span(),
                    format!(
                        "a `{}` claim needs `against`: the treaty it is measured against",
                        unit.as_str()
                    ),
                )
                .help("add against = \"TREATY-ID\""));
        }
    };
    let claim_year = match &raw.year {
        Some(y) if unit != ClaimUnit::Years => {
            return Err(ctx
                .err(
                    ErrorKind::Schema,
                    y.span(),
                    "`year` picks the year of a yearly flow; a ratio claim compares totals",
                )
                .help("remove `year`, or use unit = \"years\""));
        }
        Some(y) => Some(year(ctx, y)?),
        None => None,
    };
    Ok(Claim {
        id: raw.id.get_ref().clone(),
        statement: raw.statement.get_ref().clone(),
        compare,
        against,
        commodity,
        part,
        value,
        tolerance: if percent {
            Tolerance::Percent(width)
        } else {
            Tolerance::Absolute(width)
        },
        unit,
        year: claim_year,
        sources: sources(ctx, reg, local, &raw.source)?,
        note: raw.note.clone(),
        at: ctx.loc(raw.id.span()),
    })
}
