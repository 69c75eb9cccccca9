//! `tribute total`: totals per group and commodity over a year range: owed, delivered (known),
//! owed in suspended years, and owed where delivery is unknown.
//!
//! With `--prices BOOK` each row also carries the value of what was owed and delivered
//! (`{owed,delivered}_value_{low,central,high}`, in the book's numeraire, each payment at the rate
//! of its year) and the amounts the book could not price (`unpriced_owed`, `unpriced_delivered`),
//! which the values leave out; a second table sums the values per group.
//!
//! Every figure comes from `tribute_core::report`; this module only lays it out, and the JSON is
//! the serialisation of the report's wire type.

use anyhow::Result;

use tribute_core::{GroupBy, Totals, report};

use super::{basket_text, book_line};
use crate::args::{By, Filters, Pricing};
use crate::context::Context;
use crate::render::{Cell, Column, Group, Report, Section, Table};

/// Builds the totals: the core's report, rendered.
pub fn run(ctx: &Context, filters: &Filters, by: By, pricing: &Pricing) -> Result<Report> {
    let resolved = ctx.resolve()?;
    let group = match by {
        By::Pair => GroupBy::Pair,
        By::Treaty => GroupBy::Treaty,
        By::Stream => GroupBy::Stream,
        By::All => GroupBy::All,
    };
    let q = ctx.query(filters)?;
    let book = pricing
        .prices
        .as_deref()
        .map(|name| ctx.book(name))
        .transpose()?;
    let rep = report::totals(&ctx.corpus, &resolved, &q, group, book)?;
    let totals = &rep.totals;
    let reg = &ctx.corpus.registry;
    let mut table = totals_table(reg, totals, "group");
    if let Some(values) = &rep.values {
        let numeraire = &values.book.numeraire;
        for key in ["owed", "delivered"] {
            for bound in ["low", "central", "high"] {
                table.columns.push(
                    Column::num(
                        &format!("{key}_value_{bound}"),
                        &format!("value {key}, {bound}"),
                    )
                    .in_group(Group::other(
                        &format!("{key}_value"),
                        &format!("value {key} ({numeraire})"),
                        bound,
                        bound,
                    )),
                );
            }
        }
        table
            .columns
            .push(Column::num("unpriced_owed", "owed, unpriced"));
        table
            .columns
            .push(Column::num("unpriced_delivered", "delivered, unpriced"));
        for (row, w) in table.rows.iter_mut().zip(&values.rows) {
            for i in [&w.owed, &w.delivered] {
                row.extend([Cell::Num(i.low), Cell::Num(i.central), Cell::Num(i.high)]);
            }
            row.extend([Cell::Num(w.unpriced_owed), Cell::Num(w.unpriced_delivered)]);
        }
    }
    let json = serde_json::to_value(rep.wire(&ctx.corpus))?;
    let mut sections = vec![Section::Table(None, table)];
    if let Some(values) = &rep.values {
        let book = values.book;
        let mut by_group = Table {
            columns: vec![
                Column::text("group", "group").naming_row(),
                Column::num("owed_value_low", "owed low"),
                Column::num("owed_value_central", "owed central"),
                Column::num("owed_value_high", "owed high"),
                Column::num("delivered_value_low", "delivered low"),
                Column::num("delivered_value_central", "delivered central"),
                Column::num("delivered_value_high", "delivered high"),
                Column::text("unpriced_owed", "owed, unpriced"),
            ],
            rows: Vec::new(),
        };
        for tribute_core::report::GroupWorth {
            group: g,
            owed: o,
            delivered: d,
            unpriced_owed: u,
        } in &values.by_group
        {
            by_group.rows.push(vec![
                Cell::text(g),
                Cell::Num(o.low),
                Cell::Num(o.central),
                Cell::Num(o.high),
                Cell::Num(d.low),
                Cell::Num(d.central),
                Cell::Num(d.high),
                Cell::text(if u.is_empty() {
                    "nothing".to_string()
                } else {
                    basket_text(reg, u)
                }),
            ]);
        }
        sections.push(Section::Table(
            Some(format!("Value per group ({})", book.numeraire)),
            by_group,
        ));
        sections.push(Section::Lines(None, vec![
            book_line(book),
            "Each payment is valued at the rate of its year; unpriced amounts are left out of the values and shown in their own columns.".to_string(),
        ]));
    }
    let range = match (totals.from, totals.to) {
        (Some(a), Some(b)) => format!("Years {a}–{b}."),
        (Some(a), None) => format!("Years from {a}."),
        (None, Some(b)) => format!("Years to {b}."),
        (None, None) => "All years.".to_string(),
    };
    let mut lines = vec![format!(
        "{range} Delivered counts only what is known to have been handed over."
    )];
    if !resolved.readings.names().is_empty() {
        lines.push(format!(
            "Readings: {}.",
            resolved.readings.names().join(", ")
        ));
    }
    sections.push(Section::Lines(None, lines));
    Ok(Report { sections, json })
}

/// The unvalued totals as a table whose first column is titled `first` (group, stream…); also
/// used by `show`.
pub fn totals_table(reg: &tribute_core::Registry, totals: &Totals, first: &str) -> Table {
    let mut table = Table {
        columns: vec![
            Column::text("group", first).naming_row(),
            Column::text("commodity", "commodity")
                .naming_row()
                .naming_commodity(),
            Column::text("unit", "unit").naming_row(),
            Column::num("owed", "owed"),
            Column::num("delivered", "delivered"),
            Column::num("suspended", "owed in suspended years"),
            Column::num("delivery_unknown", "owed, delivery unknown"),
        ],
        rows: Vec::new(),
    };
    for r in &totals.rows {
        table.rows.push(vec![
            Cell::text(&r.group),
            Cell::text(&reg.commodity(r.commodity).id),
            Cell::text(reg.unit_of(r.commodity)),
            Cell::Num(r.owed),
            Cell::Num(r.delivered),
            Cell::Num(r.suspended),
            Cell::Num(r.unknown),
        ]);
    }
    table
}
