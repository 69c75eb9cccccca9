//! A treaty's items and their readings: one item (`[[obligation]]`, `[[amendment]]`,
//! `[[suspension]]`, `[[delivery]]`) is its base table plus `[KIND.readings.NAME]` patches, each
//! read into one [`Variant`].
//!
//! What must hold: an item has a kebab-case id; an item with readings names its own (the default);
//! a reading changes figures only, never the id, the reading or the target(s), and readings do not
//! nest. Each variant is built by the item kind's own reader (`super::items`) from the base table
//! with the patch applied, so a reading is checked exactly as strictly as the base.

use std::ops::Range;

use toml::Spanned;

use crate::error::{ErrorKind, Result};
use crate::model::{Item, Variant};
use crate::plugin::fields::{FileCtx, is_kebab};
use crate::plugin::raw::RawItem;

/// The kinds of item a treaty holds, with the keys each takes.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum ItemKind {
    Obligation,
    Amendment,
    Suspension,
    Delivery,
}

impl ItemKind {
    pub(super) fn name(self) -> &'static str {
        match self {
            ItemKind::Obligation => "obligation",
            ItemKind::Amendment => "amendment",
            ItemKind::Suspension => "suspension",
            ItemKind::Delivery => "delivery",
        }
    }
    pub(super) fn keys(self) -> &'static [&'static str] {
        match self {
            ItemKind::Obligation => &[
                "id", "reading", "label", "schedule", "delivery", "ground", "payer", "payee",
                "finances", "received", "source", "note",
            ],
            ItemKind::Amendment => &[
                "id", "reading", "action", "target", "from", "to", "amounts", "source", "note",
            ],
            ItemKind::Suspension => &[
                "id", "reading", "targets", "from", "to", "reason", "arrears", "source", "note",
            ],
            ItemKind::Delivery => &[
                "id", "reading", "target", "year", "amounts", "source", "note",
            ],
        }
    }
}

/// Reads one item (all its readings) with `make` building one variant from a patched raw item.
pub(super) fn item<T>(
    ctx: &FileCtx,
    kind: ItemKind,
    raw: &Spanned<RawItem>,
    mut make: impl FnMut(&RawItem, Range<usize>) -> Result<T>,
) -> Result<Item<T>> {
    let span = raw.span();
    let base = raw.get_ref();
    let Some(id) = &base.id else {
        return Err(ctx
            .err(
                ErrorKind::Schema,
                span,
                format!("this {} has no `id`", kind.name()),
            )
            .help(format!(
                "add id = \"…\" (lower-case kebab-case, unique among the file's {}s)",
                kind.name()
            )));
    };
    if !is_kebab(id.get_ref()) {
        return Err(ctx
            .err(
                ErrorKind::Value,
                id.span(),
                format!("id `{}` is not lower-case kebab-case", id.get_ref()),
            )
            .help("use lower-case letters, digits and hyphens"));
    }
    let readings = base.readings.clone().unwrap_or_default();
    // Sized to the item: a vector grown by push starts at four variants, and most items have one
    // (at a million postings the spare room was 10 MB of the peak).
    let mut variants = Vec::with_capacity(readings.len().saturating_add(1));
    if !readings.is_empty() && base.reading.is_none() {
        return Err(ctx
            .err(
                ErrorKind::Schema,
                id.span(),
                format!(
                    "{} `{}` has readings but does not name its own",
                    kind.name(),
                    id.get_ref()
                ),
            )
            .help("add reading = \"NAME\" to the base table: it is the default reading"));
    }
    let base_name = base.reading.as_ref().map(|r| r.get_ref().clone());
    variants.push(Variant {
        reading: base_name.clone(),
        def: make(base, span.clone())?,
        at: ctx.loc(span.clone()),
    });
    for (name, patch) in &readings {
        if !is_kebab(name.get_ref()) {
            return Err(ctx
                .err(
                    ErrorKind::Value,
                    name.span(),
                    format!(
                        "reading name `{}` is not lower-case kebab-case",
                        name.get_ref()
                    ),
                )
                .help("use lower-case letters, digits and hyphens"));
        }
        if Some(name.get_ref()) == base_name.as_ref() {
            return Err(ctx.err(
                ErrorKind::Duplicate,
                name.span(),
                format!(
                    "reading `{}` is both the base and an alternative",
                    name.get_ref()
                ),
            ));
        }
        let p = patch.get_ref();
        for (key, kspan) in p.present_keys() {
            if matches!(key, "id" | "reading" | "target" | "targets") {
                return Err(ctx
                    .err(ErrorKind::Schema, kspan, format!("a reading cannot change `{key}`"))
                    .help("readings give other figures for the same item; a different target is a different item"));
            }
        }
        if let Some(nested) = &p.readings {
            if let Some((n, _)) = nested.iter().next() {
                return Err(ctx.err(ErrorKind::Schema, n.span(), "readings cannot be nested"));
            }
        }
        let merged = base.patched(p);
        variants.push(Variant {
            reading: Some(name.get_ref().clone()),
            def: make(&merged, patch.span())?,
            at: ctx.loc(patch.span()),
        });
    }
    Ok(Item {
        id: compact_str::CompactString::new(id.get_ref()),
        variants,
    })
}
