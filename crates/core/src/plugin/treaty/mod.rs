//! Reading one treaty file (`<id>.toml`): its header, its items with their readings, its claims.
//!
//! [`read_treaty`] checks the file against the registry alone; what needs other treaties (targets
//! exist, no amendment cycle) is `super::references`, once every file is read. What must hold: the
//! treaty id is the file stem, in kebab-case; item ids are unique per kind within the file, and so
//! are claim ids; the first problem in the file is returned, with its file, line and column.

mod items;
mod readings;

use std::collections::{BTreeMap, BTreeSet};

use toml::Spanned;

use self::items::TreatyCtx;
use self::readings::{ItemKind, item};
use super::claim::claim;
use super::discovery::PluginFile;
use super::fields::{FileCtx, is_kebab, local_sources, parse_toml, party, sources, year};
use super::raw::{RawItem, RawTreaty};
use crate::error::{Error, ErrorKind, Result};
use crate::model::{Item, Status, Treaty};
use crate::registry::Registry;

/// Parses and validates one treaty file against a registry.
pub fn read_treaty(file: &PluginFile, reg: &Registry) -> Result<Treaty> {
    let text = file.text()?;
    let ctx = FileCtx::new(&file.display, &text);
    let id = file.stem().to_string();
    if !is_kebab(&id) {
        return Err(Error::new(
            ErrorKind::Value,
            format!("treaty id `{id}` (the file name) is not lower-case kebab-case"),
        )
        .in_file(&file.display)
        .help("rename the file, e.g. song-jin-1142-shaoxing.toml"));
    }
    let raw: RawTreaty = parse_toml(&file.display, &text, "treaty file")?;
    let local = local_sources(&ctx, &raw.source)?;
    let tc = TreatyCtx {
        ctx: ctx.clone(),
        reg,
        local,
    };
    let status = Status::parse(raw.status.get_ref()).ok_or_else(|| {
        ctx.err(
            ErrorKind::Value,
            raw.status.span(),
            format!("unknown status `{}`", raw.status.get_ref()),
        )
        .help("status is \"in-force\", \"demand\" or \"never-in-force\"")
    })?;
    let treaty_sources = match &raw.sources {
        Some(s) => sources(&ctx, reg, &tc.local, s)?,
        None => Vec::new(),
    };
    let mut treaty = Treaty {
        id,
        name: raw.name.get_ref().clone(),
        payer: party(&ctx, reg, &raw.payer)?,
        payee: party(&ctx, reg, &raw.payee)?,
        signed: year(&ctx, &raw.signed)?,
        status,
        label: raw.label.get_ref().clone(),
        summary: raw.summary.clone(),
        notes: raw.notes.clone(),
        sources: treaty_sources,
        local_sources: tc.local.clone(),
        obligations: Vec::new(),
        amendments: Vec::new(),
        suspensions: Vec::new(),
        deliveries: Vec::new(),
        claims: Vec::new(),
        path: file.display.clone(),
        at: ctx.loc(0..0),
    };
    for o in &raw.obligation {
        treaty
            .obligations
            .push(item(&ctx, ItemKind::Obligation, o, |r, s| {
                tc.obligation(r, s)
            })?);
    }
    for a in &raw.amendment {
        treaty
            .amendments
            .push(item(&ctx, ItemKind::Amendment, a, |r, s| {
                tc.amendment(r, s)
            })?);
    }
    for s in &raw.suspension {
        treaty
            .suspensions
            .push(item(&ctx, ItemKind::Suspension, s, |r, sp| {
                tc.suspension(r, sp)
            })?);
    }
    for d in &raw.delivery {
        treaty
            .deliveries
            .push(item(&ctx, ItemKind::Delivery, d, |r, s| tc.delivery(r, s))?);
    }
    // Ids are unique per kind within the file.
    fn unique<T>(
        ctx: &FileCtx,
        items: &[Item<T>],
        raws: &[Spanned<RawItem>],
        kind: &str,
    ) -> Result<()> {
        let mut seen = BTreeMap::new();
        for (i, r) in items.iter().zip(raws) {
            let span = r.get_ref().id.as_ref().map_or(r.span(), |s| s.span());
            if let Some(first) = seen.insert(i.id.clone(), span.clone()) {
                let line = ctx.loc(first).line;
                return Err(ctx
                    .err(
                        ErrorKind::Duplicate,
                        span,
                        format!(
                            "{kind} id `{}` is used twice in this file (first on line {line})",
                            i.id
                        ),
                    )
                    .help(format!(
                        "give each {kind} its own id: amendments and deliveries name it as TREATY/ID; for another reading of the same {kind}, use [{kind}.readings.NAME]"
                    )));
            }
        }
        Ok(())
    }
    unique(&ctx, &treaty.obligations, &raw.obligation, "obligation")?;
    unique(&ctx, &treaty.amendments, &raw.amendment, "amendment")?;
    unique(&ctx, &treaty.suspensions, &raw.suspension, "suspension")?;
    unique(&ctx, &treaty.deliveries, &raw.delivery, "delivery")?;
    let mut claim_ids = BTreeSet::new();
    for c in &raw.claim {
        let c = claim(&ctx, reg, &tc.local, c.get_ref())?;
        if !claim_ids.insert(c.id.clone()) {
            return Err(ctx
                .err(
                    ErrorKind::Duplicate,
                    c.at.span.clone(),
                    format!("claim id `{}` is used twice in this file", c.id),
                )
                .help("give each claim its own id"));
        }
        treaty.claims.push(c);
    }
    Ok(treaty)
}
