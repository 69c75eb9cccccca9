//! `tribute ledger`: one row per year with what fell due, what records say was handed over
//! (recorded), what the files assume was handed over (assumed), the arrears outstanding, and the
//! running sums, per commodity; notes on suspended, unknown and withheld years and settlements.
//!
//! Column keys (csv, json) are
//! `<commodity>_<unit>_{owed,recorded,assumed,arrears,settled,cum_owed,cum_recorded,cum_assumed,principal,interest}`
//! (principal and interest in tables for people only where some row has interest); the
//! cumulative columns count from the first year of the selected streams, even when `--from` starts
//! the ledger later. Arrears are a balance at the end of the year, not a flow.
//!
//! With `--prices BOOK` each row also carries the values of what was owed, recorded and assumed
//! that year and cumulatively (`value_{owed,recorded,assumed,cum_owed,cum_recorded,cum_assumed}_
//! {low,central,high}`, in the book's numeraire, each year at that year's rates) and what the book
//! could not price (`unpriced_owed`, `unpriced_recorded_or_assumed`), which the values leave out.
//!
//! Every figure comes from `tribute_core::report`; this module only lays it out, and the JSON is
//! the serialisation of the report's wire type.

use std::fmt::Write as _;

use anyhow::Result;
use rayon::prelude::*;
use tribute_core::Basket;
use tribute_core::report;

use super::{basket_text, book_line};
use crate::args::{Filters, Pricing};
use crate::context::Context;
use crate::render::{Cell, Column, Group, Report, Section, Table};

/// Builds the ledger: the core's report, rendered. The JSON form is built only when `json` is
/// wanted (`--format json`): at a million postings it costs as much as the sums.
pub fn run(ctx: &Context, filters: &Filters, pricing: &Pricing, json: bool) -> Result<Report> {
    let resolved = ctx.resolve()?;
    tribute_core::timing::mark("resolved (amendments, suspensions, readings)");
    let q = ctx.query(filters)?;
    let book = pricing
        .prices
        .as_deref()
        .map(|name| ctx.book(name))
        .transpose()?;
    let rep = report::ledger(&ctx.corpus, &resolved, &q, book)?;
    tribute_core::timing::mark("ledger report");
    // The streams are summed and live as long as the process, as the corpus does: leaked, not
    // freed one by one at the end (about 5 ms per million postings). Their memory is not reused
    // for the table, which raises the peak by about 1 MB (docs/performance.md).
    std::mem::forget(resolved);
    let reg = &ctx.corpus.registry;
    let ledger = &rep.ledger;
    let valued = rep.values.as_ref().map(|v| &v.rows);
    let mut columns = vec![Column::num("year", "year").naming_row()];
    // Principal and interest are shown to people only where some row has interest.
    let debts = ledger.rows.iter().any(|r| !r.interest.is_empty());
    for &c in &ledger.commodities {
        let com = reg.commodity(c);
        let key = format!("{}_{}", com.id, com.unit);
        let group = format!("{} ({})", com.id, com.unit);
        for (part, within) in [
            ("owed", "owed"),
            ("recorded", "recorded"),
            ("assumed", "assumed"),
            ("arrears", "arrears"),
            ("settled", "arrears settled"),
            ("cum_owed", "owed, cum."),
            ("cum_recorded", "recorded, cum."),
            ("cum_assumed", "assumed, cum."),
            ("principal", "principal"),
            ("interest", "interest"),
        ] {
            let title = if part == "owed" {
                format!("{} owed ({})", com.id, com.unit)
            } else {
                format!("{} {within}", com.id)
            };
            columns.push(
                Column::num(&format!("{key}_{part}"), &title)
                    .in_group(Group::commodity(&com.id, &group, part, within))
                    .csv_only(!debts && matches!(part, "principal" | "interest")),
            );
        }
    }
    if let Some(values) = &rep.values {
        let numeraire = &values.book.numeraire;
        for (key, title) in [
            ("owed", "owed"),
            ("recorded", "recorded"),
            ("assumed", "assumed"),
            ("cum_owed", "owed, cum."),
            ("cum_recorded", "recorded, cum."),
            ("cum_assumed", "assumed, cum."),
        ] {
            let group = Group::other(
                &format!("value_{key}"),
                &format!("value {title} ({numeraire})"),
                "",
                "",
            );
            for bound in ["low", "central", "high"] {
                columns.push(
                    Column::num(
                        &format!("value_{key}_{bound}"),
                        &format!("value {title} {bound}"),
                    )
                    .in_group(Group {
                        key: bound.into(),
                        title_in_group: bound.into(),
                        ..group.clone()
                    }),
                );
            }
        }
        columns.push(Column::text("unpriced_owed", "unpriced owed"));
        columns.push(Column::text(
            "unpriced_recorded_or_assumed",
            "unpriced recorded or assumed",
        ));
    }
    columns.push(Column::text("notes", "notes"));
    let mut table = Table {
        columns,
        rows: Vec::new(),
    };
    let width = table.columns.len();
    // One row of cells per ledger row, on all cores (for a long ledger).
    let row_cells = |(i, row): (usize, &tribute_core::LedgerRow)| -> Vec<Cell> {
        let mut cells = Vec::with_capacity(width);
        cells.push(Cell::Int(i64::from(row.year)));
        for &c in &ledger.commodities {
            for b in [
                &row.owed,
                &row.recorded,
                &row.assumed,
                &row.arrears,
                &row.settled,
                &row.cum_owed,
                &row.cum_recorded,
                &row.cum_assumed,
                &row.principal,
                &row.interest,
            ] {
                cells.push(Cell::Num(b.get(c)));
            }
        }
        if let Some(v) = valued.and_then(|v| v.get(i)) {
            for i in [
                &v.owed,
                &v.recorded,
                &v.assumed,
                &v.cum_owed,
                &v.cum_recorded,
                &v.cum_assumed,
            ] {
                cells.extend([Cell::Num(i.low), Cell::Num(i.central), Cell::Num(i.high)]);
            }
            let text = |b: &Basket| {
                if b.is_empty() {
                    String::new()
                } else {
                    basket_text(reg, b)
                }
            };
            cells.push(Cell::text(text(&v.unpriced_owed)));
            cells.push(Cell::text(text(&v.unpriced_delivered)));
        }
        // The notes joined by "; ", written into one string.
        let mut notes = String::new();
        for (i, note) in row.notes.iter().enumerate() {
            if i > 0 {
                notes.push_str("; ");
            }
            let _ = write!(notes, "{note}");
        }
        cells.push(Cell::Text(notes));
        cells
    };
    table.rows = if ledger.rows.len() < 256 {
        ledger.rows.iter().enumerate().map(row_cells).collect()
    } else {
        ledger.rows.par_iter().enumerate().map(row_cells).collect()
    };
    let json = if json {
        serde_json::to_value(rep.wire(&ctx.corpus))?
    } else {
        serde_json::Value::Null
    };
    let mut sections = vec![Section::Table(None, table)];
    if ledger.rows.is_empty() {
        sections.push(Section::Lines(
            None,
            vec!["No payments fall in the selection.".into()],
        ));
    }
    if !ledger.rows.is_empty() {
        sections.push(Section::Lines(
            None,
            [
                super::EVIDENCE_LINE.to_string(),
                super::sources_line(&rep.sources),
            ]
            .into_iter()
            .chain(super::open_ended_line(&rep.open_ended))
            .collect(),
        ));
    }
    if let Some(values) = &rep.values {
        let unpriced = &values.unpriced_owed;
        let mut lines = vec![book_line(values.book)];
        lines.push(format!(
            "Each year is valued at that year's rates. Unpriced owed {}–{}, left out of the values: {}.",
            ledger.from,
            ledger.to,
            if unpriced.is_empty() { "nothing".to_string() } else { basket_text(reg, unpriced) }
        ));
        sections.push(Section::Lines(None, lines));
    }
    Ok(Report { sections, json })
}
