//! `tribute total`: totals per group and commodity over a year range: owed, split into principal
//! and interest (in tables for people only where some row has interest); recorded (a delivery
//! record says it was handed over) and assumed (the file assumes it was paid as owed) apart;
//! owed where delivery is unknown, in suspended years, and withheld; arrears outstanding at the end
//! of the range, and what settlements forgave in it.
//!
//! With `--prices BOOK` each row also carries the value of what was owed, recorded and assumed
//! (`{owed,recorded,assumed}_value_{low,central,high}`, in the book's numeraire, each payment at
//! the rate of its year) and the amounts the book could not price (`unpriced_owed`,
//! `unpriced_recorded_or_assumed`), which the values leave out; a second table sums the values per
//! group.
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
    table
        .columns
        .push(Column::num("share_recorded", "share recorded"));
    table
        .columns
        .push(Column::num("share_assumed", "share assumed"));
    for (row, [recorded, assumed]) in table.rows.iter_mut().zip(&rep.shares) {
        let cell = |v: &Option<rust_decimal::Decimal>| v.map_or(Cell::text(""), Cell::Num);
        row.extend([cell(recorded), cell(assumed)]);
    }
    if let Some(values) = &rep.values {
        let numeraire = &values.book.numeraire;
        for key in ["owed", "recorded", "assumed"] {
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
        table.columns.push(Column::num(
            "unpriced_recorded_or_assumed",
            "recorded or assumed, unpriced",
        ));
        for (row, w) in table.rows.iter_mut().zip(&values.rows) {
            for i in [&w.owed, &w.recorded, &w.assumed] {
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
                Column::num("recorded_value_low", "recorded low"),
                Column::num("recorded_value_central", "recorded central"),
                Column::num("recorded_value_high", "recorded high"),
                Column::num("assumed_value_low", "assumed low"),
                Column::num("assumed_value_central", "assumed central"),
                Column::num("assumed_value_high", "assumed high"),
                Column::text("unpriced_owed", "owed, unpriced"),
            ],
            rows: Vec::new(),
        };
        for tribute_core::report::GroupWorth {
            group: g,
            owed: o,
            recorded: r,
            assumed: a,
            unpriced_owed: u,
            ..
        } in &values.by_group
        {
            by_group.rows.push(vec![
                Cell::text(g),
                Cell::Num(o.low),
                Cell::Num(o.central),
                Cell::Num(o.high),
                Cell::Num(r.low),
                Cell::Num(r.central),
                Cell::Num(r.high),
                Cell::Num(a.low),
                Cell::Num(a.central),
                Cell::Num(a.high),
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
    let mut lines = vec![
        range,
        super::EVIDENCE_LINE.to_string(),
        super::sources_line(&rep.sources),
        format!(
            "{}.",
            tribute_core::report::totals::SHARE_ROUNDING[..1].to_uppercase()
                + &tribute_core::report::totals::SHARE_ROUNDING[1..]
        ),
    ];
    lines.extend(super::open_ended_line(&rep.open_ended));
    for r in &rep.roundings {
        lines.push(format!("Rounding ({}): {}.", r.stream, r.rule));
    }
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
    // Principal and interest are shown to people only where some row has interest.
    let debts = totals.rows.iter().any(|r| !r.interest.is_zero());
    let mut table = Table {
        columns: vec![
            Column::text("group", first).naming_row(),
            Column::text("commodity", "commodity")
                .naming_row()
                .naming_commodity(),
            Column::text("unit", "unit").naming_row(),
            Column::num("owed", "owed"),
            Column::num("recorded", "recorded"),
            Column::num("assumed", "assumed"),
            Column::num("delivery_unknown", "delivery unknown"),
            Column::num("suspended", "suspended"),
            Column::num("withheld", "withheld"),
            Column::num("lapsed", "lapsed"),
            Column::num("arrears", "arrears at end"),
            Column::num("settled", "arrears settled"),
            Column::num("principal", "principal").csv_only(!debts),
            Column::num("interest", "interest").csv_only(!debts),
        ],
        rows: Vec::new(),
    };
    for r in &totals.rows {
        table.rows.push(vec![
            Cell::text(&r.group),
            Cell::text(&reg.commodity(r.commodity).id),
            Cell::text(reg.unit_of(r.commodity)),
            Cell::Num(r.owed),
            Cell::Num(r.recorded),
            Cell::Num(r.assumed),
            Cell::Num(r.unknown),
            Cell::Num(r.suspended),
            Cell::Num(r.withheld),
            Cell::Num(r.lapsed),
            Cell::Num(r.arrears),
            Cell::Num(r.settled),
            Cell::Num(r.principal()),
            Cell::Num(r.interest),
        ]);
    }
    table
}
