//! `tribute ledger`: one row per year with owed and delivered amounts and their cumulative sums,
//! per commodity, and notes on suspended years and unknown deliveries.
//!
//! Column keys (csv, json) are `<commodity>_<unit>_{owed,delivered,cum_owed,cum_delivered}`; the
//! cumulative columns count from the first year of the selected streams, even when `--from` starts
//! the ledger later.
//!
//! With `--prices BOOK` each row also carries the values of what was owed and delivered that year
//! and cumulatively (`value_{owed,delivered,cum_owed,cum_delivered}_{low,central,high}`, in the
//! book's numeraire, each year at that year's rates) and what the book could not price
//! (`unpriced_owed`, `unpriced_delivered`), which the values leave out.
//!
//! Every figure comes from `tribute_core::report`; this module only lays it out, and the JSON is
//! the serialisation of the report's wire type.

use anyhow::Result;
use tribute_core::Basket;
use tribute_core::report;

use super::{basket_text, book_line};
use crate::args::{Filters, Pricing};
use crate::context::Context;
use crate::render::{Cell, Column, Group, Report, Section, Table};

/// Builds the ledger: the core's report, rendered.
pub fn run(ctx: &Context, filters: &Filters, pricing: &Pricing) -> Result<Report> {
    let resolved = ctx.resolve()?;
    let q = ctx.query(filters)?;
    let book = pricing
        .prices
        .as_deref()
        .map(|name| ctx.book(name))
        .transpose()?;
    let rep = report::ledger(&ctx.corpus, &resolved, &q, book)?;
    let reg = &ctx.corpus.registry;
    let ledger = &rep.ledger;
    let valued = rep.values.as_ref().map(|v| &v.rows);
    let mut columns = vec![Column::num("year", "year").naming_row()];
    for &c in &ledger.commodities {
        let com = reg.commodity(c);
        let key = format!("{}_{}", com.id, com.unit);
        let group = format!("{} ({})", com.id, com.unit);
        for (part, title, within) in [
            ("owed", format!("{} owed ({})", com.id, com.unit), "owed"),
            ("delivered", format!("{} delivered", com.id), "delivered"),
            ("cum_owed", format!("{} owed, cum.", com.id), "owed, cum."),
            (
                "cum_delivered",
                format!("{} delivered, cum.", com.id),
                "delivered, cum.",
            ),
        ] {
            columns.push(
                Column::num(&format!("{key}_{part}"), &title)
                    .in_group(Group::commodity(&com.id, &group, part, within)),
            );
        }
    }
    if let Some(values) = &rep.values {
        let numeraire = &values.book.numeraire;
        for (key, title) in [
            ("owed", "owed"),
            ("delivered", "delivered"),
            ("cum_owed", "owed, cum."),
            ("cum_delivered", "delivered, cum."),
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
        columns.push(Column::text("unpriced_delivered", "unpriced delivered"));
    }
    columns.push(Column::text("notes", "notes"));
    let mut table = Table {
        columns,
        rows: Vec::new(),
    };
    for row in &ledger.rows {
        let mut cells = vec![Cell::Int(i64::from(row.year))];
        for &c in &ledger.commodities {
            cells.push(Cell::Num(row.owed.get(c)));
            cells.push(Cell::Num(row.delivered.get(c)));
            cells.push(Cell::Num(row.cum_owed.get(c)));
            cells.push(Cell::Num(row.cum_delivered.get(c)));
        }
        if let Some(v) = valued.and_then(|v| v.get(table.rows.len())) {
            for i in [&v.owed, &v.delivered, &v.cum_owed, &v.cum_delivered] {
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
        cells.push(Cell::text(
            row.notes
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("; "),
        ));
        table.rows.push(cells);
    }
    let json = serde_json::to_value(rep.wire(&ctx.corpus))?;
    let mut sections = vec![Section::Table(None, table)];
    if ledger.rows.is_empty() {
        sections.push(Section::Lines(
            None,
            vec!["No payments fall in the selection.".into()],
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
