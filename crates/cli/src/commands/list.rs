//! `tribute list`: the treaties in the corpus, with payer, payee, year, status, years of payment
//! (under the selected readings) and the readings each offers.

use anyhow::Result;
use serde_json::json;

use crate::context::Context;
use crate::render::{Cell, Column, Report, Section, Table};

/// Builds the list.
pub fn run(ctx: &Context) -> Result<Report> {
    let resolved = ctx.resolve()?;
    let mut table = Table {
        columns: vec![
            Column::text("id", "id"),
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
    // One pass gathers each treaty's spans (a filter per treaty would be quadratic).
    let mut by_treaty: std::collections::BTreeMap<&str, Vec<(i32, i32)>> = Default::default();
    for s in &resolved.streams {
        by_treaty
            .entry(s.treaty.as_str())
            .or_default()
            .extend(s.span());
    }
    for t in ctx.corpus.treaties.values() {
        let spans = by_treaty
            .get(t.id.as_str())
            .map(Vec::as_slice)
            .unwrap_or_default();
        let years = match (
            spans.iter().map(|s| s.0).min(),
            spans.iter().map(|s| s.1).max(),
        ) {
            (Some(a), Some(b)) if a == b => a.to_string(),
            (Some(a), Some(b)) => format!("{a}–{b}"),
            _ => "—".into(),
        };
        table.rows.push(vec![
            Cell::text(&t.id),
            Cell::text(&t.name),
            Cell::text(&t.payer),
            Cell::text(&t.payee),
            Cell::Int(i64::from(t.signed)),
            Cell::text(t.status.as_str()),
            Cell::text(&t.label),
            Cell::text(years),
            Cell::text(t.reading_names().join(", ")),
        ]);
    }
    let json = json!({ "layers": ctx.corpus.layers, "treaties": table.json_rows() });
    Ok(Report {
        sections: vec![Section::Table(None, table)],
        json,
    })
}
