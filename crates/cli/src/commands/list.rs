//! `tribute list`: the treaties in the corpus, with payer, payee, year, status, years of payment
//! (under the selected readings) and the readings each offers.

use anyhow::Result;
use tribute_core::report;

use crate::context::Context;
use crate::render::{Cell, Column, Report, Section, Table};

/// Builds the list: the core's report, laid out.
pub fn run(ctx: &Context) -> Result<Report> {
    let resolved = ctx.resolve()?;
    let rep = report::list(&ctx.corpus, &resolved);
    let mut table = Table {
        columns: vec![
            Column::text("id", "id").naming_row(),
            Column::text("name", "name"),
            Column::text("payer", "payer"),
            Column::text("payee", "payee"),
            Column::num("signed", "signed"),
            Column::text("status", "status"),
            Column::text("label", "label"),
            Column::text("years", "payments"),
            Column::text("readings", "readings"),
        ],
        rows: Vec::new(),
    };
    for t in &rep.treaties {
        table.rows.push(vec![
            Cell::text(&t.id),
            Cell::text(&t.name),
            Cell::text(&t.payer),
            Cell::text(&t.payee),
            Cell::Int(i64::from(t.signed)),
            Cell::text(t.status),
            Cell::text(&t.label),
            Cell::text(&t.years),
            Cell::text(&t.readings),
        ]);
    }
    let json = serde_json::to_value(&rep)?;
    Ok(Report {
        sections: vec![Section::Table(None, table)],
        json,
    })
}
