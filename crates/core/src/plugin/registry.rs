//! Reading registry files (`registry/**.toml`): units, commodities, parties and sources.
//!
//! Every layer's registry files are read into [`RegistryParts`], a later layer overriding an earlier
//! one by id; [`check_registry`] then checks what only the merged registry can tell (a commodity's
//! unit exists and measures what it measures, `part_of` names a known party and makes no cycle).
//! The merged parts become a [`crate::Registry`] in `crate::corpus`. What must hold: the same id
//! twice in one layer is an error naming both files; one error per file at most, and every file is
//! read (the errors of all files are returned together).

use std::collections::{BTreeMap, BTreeSet, HashMap};

use rust_decimal::Decimal;
use toml::Spanned;

use super::discovery::{FileKind, Layer};
use super::fields::{FileCtx, is_kebab, parse_toml, quality, year};
use super::problems::Problems;
use super::raw::RawRegistry;
use crate::amount::decimal_or_integer;
use crate::error::{Error, ErrorKind, Location, Result};
use crate::registry::{Commodity, Party, SourceInfo, Unit};

/// The registry as read so far, layer by layer (by id; a later layer's entry replaces an earlier one).
#[derive(Default)]
pub(crate) struct RegistryParts {
    pub(crate) units: BTreeMap<String, Unit>,
    pub(crate) commodities: BTreeMap<String, Commodity>,
    pub(crate) parties: BTreeMap<String, Party>,
    pub(crate) sources: BTreeMap<String, SourceInfo>,
    /// Where each party's `part_of` is written (by party id), to locate an unknown one.
    pub(crate) part_of_at: BTreeMap<String, Location>,
}

pub(crate) fn read_registry_layer(layer: &Layer, parts: &mut RegistryParts) -> Vec<Error> {
    let mut errors = Vec::new();
    // Which file of this layer defined each id, per kind, to name both files on a duplicate.
    let mut seen: HashMap<(&'static str, String), String> = HashMap::new();
    // The files are parsed on all cores (the TOML parse is most of the work), then read in
    // order, so that duplicates and problems come out as one pass would find them.
    let files: Vec<&super::PluginFile> = layer
        .files
        .iter()
        .filter(|f| f.kind() == FileKind::Registry)
        .collect();
    let parse = |file: &&super::PluginFile| -> Result<(FileCtx, RawRegistry)> {
        let text = file.text()?;
        let ctx = FileCtx::new(&file.display, &text);
        let raw: RawRegistry = parse_toml(&file.display, &text, "registry file")?;
        Ok((ctx, raw))
    };
    let parsed: Vec<Result<(FileCtx, RawRegistry)>> = if files.len() < 2 {
        files.iter().map(parse).collect()
    } else {
        use rayon::prelude::*;
        files.par_iter().with_max_len(1).map(parse).collect()
    };
    for (file, parsed) in files.into_iter().zip(parsed) {
        // Each entry (a unit, a commodity, a party, a source) reports its first problem; a file that
        // cannot be read or parsed reports that alone.
        let mut problems = Problems::new(&file.display);
        let result = (|| -> Result<()> {
            let (ctx, raw) = parsed?;
            let mut claim = |kind: &'static str, id: &Spanned<String>| -> Result<String> {
                let name = id.get_ref().clone();
                if name.trim().is_empty() {
                    return Err(ctx.err(ErrorKind::Value, id.span(), format!("empty {kind} id")));
                }
                if let Some(prev) = seen.insert((kind, name.to_lowercase()), file.display.clone()) {
                    return Err(ctx
                        .err(ErrorKind::Duplicate, id.span(), format!("{kind} `{name}` is defined twice in one folder: here and in {prev}"))
                        .help("keep one definition; to override a built-in one, put yours in your own --treaties folder"));
                }
                Ok(name)
            };
            for u in &raw.unit {
                let entry = (|| -> Result<()> {
                    let u = u.get_ref();
                    let id = claim("unit", &u.id)?;
                    let size = match decimal_or_integer(u.size.get_ref()) {
                        Ok(n) => n
                            .decimal(false)
                            .map_err(|m| ctx.err(ErrorKind::Value, u.size.span(), m))?,
                        Err(_) => {
                            return Err(ctx
                                .err(
                                    ErrorKind::Value,
                                    u.size.span(),
                                    "a unit's size is a decimal string or an integer",
                                )
                                .help("write e.g. size = \"16\" (TOML floats lose digits)"));
                        }
                    };
                    if size <= Decimal::ZERO {
                        return Err(ctx
                            .err(
                                ErrorKind::Value,
                                u.size.span(),
                                "a unit's size must be above zero",
                            )
                            .help("size is how many of the measure's reference unit one of this unit makes, e.g. size = \"16\" for a catty of 16 taels"));
                    }
                    parts.units.insert(
                        id.clone(),
                        Unit {
                            id,
                            measure: u.measures.get_ref().clone(),
                            size,
                            aliases: u.aliases.iter().map(|a| a.get_ref().clone()).collect(),
                            note: u.note.clone(),
                            origin: file.display.clone(),
                        },
                    );
                    Ok(())
                })();
                problems.ok(entry);
            }
            for c in &raw.commodity {
                let entry = (|| -> Result<()> {
                    let c = c.get_ref();
                    let id = claim("commodity", &c.id)?;
                    if !is_kebab(&id) {
                        return Err(ctx
                            .err(
                                ErrorKind::Value,
                                c.id.span(),
                                format!("commodity id `{id}` is not lower-case kebab-case"),
                            )
                            .help(
                                "use lower-case letters, digits and hyphens, e.g. \"green-vitriol\"",
                            ));
                    }
                    parts.commodities.insert(
                        id.clone(),
                        Commodity {
                            name: c.name.clone().unwrap_or_else(|| id.clone()),
                            id,
                            measure: c.measures.get_ref().clone(),
                            unit: c.unit.get_ref().clone(),
                            group: c.group.clone().unwrap_or_else(|| "other".into()),
                            aliases: c.aliases.iter().map(|a| a.get_ref().clone()).collect(),
                            note: c.note.clone(),
                            origin: file.display.clone(),
                        },
                    );
                    Ok(())
                })();
                problems.ok(entry);
            }
            for p in &raw.party {
                let entry = (|| -> Result<()> {
                    let p = p.get_ref();
                    let id = claim("party", &p.id)?;
                    let from = p.from.as_ref().map(|v| year(&ctx, v)).transpose()?;
                    let to = p.to.as_ref().map(|v| year(&ctx, v)).transpose()?;
                    if let (Some(f), Some(t), Some(tspan)) = (from, to, p.to.as_ref()) {
                        if t < f {
                            return Err(ctx.err(
                                ErrorKind::Value,
                                tspan.span(),
                                format!("`to` ({t}) is before `from` ({f})"),
                            ));
                        }
                    }
                    match &p.part_of {
                        Some(parent) => {
                            parts.part_of_at.insert(id.clone(), ctx.loc(parent.span()));
                        }
                        None => {
                            parts.part_of_at.remove(&id);
                        }
                    }
                    parts.parties.insert(
                        id.clone(),
                        Party {
                            name: p.name.clone().unwrap_or_else(|| id.clone()),
                            id,
                            from,
                            to,
                            part_of: p.part_of.as_ref().map(|s| s.get_ref().clone()),
                            aliases: p.aliases.iter().map(|a| a.get_ref().clone()).collect(),
                            note: p.note.clone(),
                            origin: file.display.clone(),
                        },
                    );
                    Ok(())
                })();
                problems.ok(entry);
            }
            for s in &raw.source {
                let entry = (|| -> Result<()> {
                    let span = s.span();
                    let s = s.get_ref();
                    let Some(idv) = &s.id else {
                        return Err(ctx.err(
                            ErrorKind::Schema,
                            span,
                            "a registry source needs an `id`",
                        ));
                    };
                    let id = claim("source", idv)?;
                    parts.sources.insert(
                        id.clone(),
                        SourceInfo {
                            id,
                            title: s.title.get_ref().clone(),
                            quality: quality(&ctx, &s.quality)?,
                            note: s.note.clone(),
                            origin: file.display.clone(),
                        },
                    );
                    Ok(())
                })();
                problems.ok(entry);
            }
            Ok(())
        })();
        if let Err(e) = result {
            problems.push(e);
        }
        errors.extend(problems.into_errors());
    }
    errors
}

pub(crate) fn check_registry(parts: &RegistryParts) -> Vec<Error> {
    let mut errors = Vec::new();
    let units_by_measure: BTreeSet<(&str, &str)> = parts
        .units
        .values()
        .map(|u| (u.measure.as_str(), u.id.as_str()))
        .collect();
    for c in parts.commodities.values() {
        let unit = parts
            .units
            .values()
            .find(|u| u.id == c.unit || u.aliases.iter().any(|a| a.eq_ignore_ascii_case(&c.unit)));
        match unit {
            None => errors.push(
                Error::new(
                    ErrorKind::Reference,
                    format!("commodity `{}` is kept in unknown unit `{}`", c.id, c.unit),
                )
                .in_file(&c.origin)
                .help("declare the unit in a registry file with [[unit]]"),
            ),
            Some(u) if u.measure != c.measure => errors.push(
                Error::new(
                    ErrorKind::Value,
                    format!(
                        "commodity `{}` measures {} but its unit `{}` measures {}",
                        c.id, c.measure, u.id, u.measure
                    ),
                )
                .in_file(&c.origin)
                .help(format!(
                    "keep `{}` in a unit of {}, or make it measure {}",
                    c.id, c.measure, u.measure
                )),
            ),
            Some(_) => {}
        }
        if !units_by_measure.iter().any(|(m, _)| *m == c.measure) {
            errors.push(
                Error::new(
                    ErrorKind::Reference,
                    format!("no unit measures {}", c.measure),
                )
                .in_file(&c.origin)
                .help(format!(
                    "declare a [[unit]] with measures = \"{}\" and size = \"1\"",
                    c.measure
                )),
            );
        }
    }
    // A chain of part_of that comes back to where it started would make a party part of itself;
    // reported once per cycle, at the part_of of its first party by id.
    let parent_of = |id: &str| -> Option<&Party> {
        let p = parts.parties.values().find(|q| q.id == id)?;
        let parent = p.part_of.as_deref()?.trim().to_lowercase();
        parts.parties.values().find(|q| {
            q.id.to_lowercase() == parent || q.aliases.iter().any(|a| a.to_lowercase() == parent)
        })
    };
    for p in parts.parties.values() {
        let mut chain = vec![p.id.as_str()];
        let mut at = p.id.as_str();
        while let Some(next) = parent_of(at) {
            if next.id == p.id {
                if chain.iter().all(|c| *c >= p.id.as_str()) {
                    chain.push(p.id.as_str());
                    let error = Error::new(
                        ErrorKind::Reference,
                        format!("parties form a cycle of part_of: {}", chain.join(" → ")),
                    )
                    .help("a party cannot be part of itself: remove part_of from one of them");
                    errors.push(match parts.part_of_at.get(&p.id) {
                        Some(at) => error.at(at.clone()),
                        None => error.in_file(&p.origin),
                    });
                }
                break;
            }
            if chain.contains(&next.id.as_str()) {
                break;
            }
            chain.push(next.id.as_str());
            at = next.id.as_str();
        }
    }
    let party_names = parts
        .parties
        .values()
        .flat_map(|q| std::iter::once(q.id.as_str()).chain(q.aliases.iter().map(String::as_str)));
    for p in parts.parties.values() {
        if let Some(parent) = &p.part_of {
            let wanted = parent.trim().to_lowercase();
            if !party_names
                .clone()
                .any(|n| n.trim().to_lowercase() == wanted)
            {
                let error = Error::new(
                    ErrorKind::Reference,
                    format!("party `{}` is part of unknown party `{parent}`", p.id),
                )
                .help(crate::suggest::with_advice(
                    parent,
                    "parties",
                    party_names.clone(),
                    "declare the larger party too, or remove part_of",
                ));
                errors.push(match parts.part_of_at.get(&p.id) {
                    Some(at) => error.at(at.clone()),
                    None => error.in_file(&p.origin),
                });
            }
        }
    }
    errors
}

#[cfg(test)]
mod tests {
    use crate::corpus::Corpus;
    use crate::plugin::{Layer, PluginFile, builtin_registry};

    #[test]
    fn every_bad_entry_of_a_registry_file_is_reported_in_one_run() {
        let text = "[[unit]]\nid = \"nothing\"\nmeasures = \"weight\"\nsize = \"0\"\n\n[[commodity]]\nid = \"Green Vitriol\"\nmeasures = \"weight\"\nunit = \"tael\"\n\n[[party]]\nid = \"Nowhere\"\nfrom = 1200\nto = 1100\n";
        let layer = Layer {
            name: "test".into(),
            files: vec![PluginFile::new(
                "registry/mine.toml".into(),
                "mine.toml".into(),
                text.as_bytes(),
            )],
        };
        let errors = Corpus::load(&[builtin_registry(), layer]).unwrap_err();
        let found: Vec<(usize, &str)> = errors
            .iter()
            .map(|e| (e.location().map_or(0, |l| l.line()), e.message()))
            .collect();
        assert_eq!(
            found,
            [
                (4, "a unit's size must be above zero"),
                (
                    7,
                    "commodity id `Green Vitriol` is not lower-case kebab-case"
                ),
                (14, "`to` (1100) is before `from` (1200)"),
            ]
        );
    }
}
