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

use anyhow::Result;
use serde_json::json;
use tribute_core::{Basket, Interval, Ledger, PriceBook, Resolved, Split, Year, split_streams};

use super::{basket_json, basket_text, book_json, book_line, interval_json, readings_json};
use crate::args::{Filters, Pricing};
use crate::context::{Context, query};
use crate::render::{Cell, Column, Report, Section, Table};

/// One ledger row valued with a book.
struct ValuedRow {
    owed: Interval,
    delivered: Interval,
    cum_owed: Interval,
    cum_delivered: Interval,
    unpriced_owed: Basket,
    unpriced_delivered: Basket,
}

/// Values every row at its year's rates; the cumulative values start from the value of everything
/// before the first row (closed form), as the cumulative amounts do.
fn value_rows(
    ctx: &Context,
    resolved: &Resolved,
    q: &tribute_core::Query,
    ledger: &Ledger,
    book: &PriceBook,
) -> Result<Vec<ValuedRow>> {
    let streams: Vec<_> = resolved
        .streams
        .iter()
        .filter(|s| q.selects(&ctx.corpus, s))
        .collect();
    let (mut cum_owed, mut cum_delivered) = (Interval::ZERO, Interval::ZERO);
    if ledger.from > Year::MIN && !ledger.rows.is_empty() {
        let before = split_streams(
            &ctx.corpus,
            &streams,
            Some(book),
            Year::MIN,
            ledger.from - 1,
        )?;
        cum_owed = before.owed.value(Some(book))?.value;
        cum_delivered = before.delivered.value(Some(book))?.value;
    }
    let mut out = Vec::with_capacity(ledger.rows.len());
    for row in &ledger.rows {
        let owed = Split::of_basket(Some(book), &row.owed, row.year)?.value(Some(book))?;
        let delivered =
            Split::of_basket(Some(book), &row.delivered, row.year)?.value(Some(book))?;
        cum_owed = cum_owed.plus(&owed.value)?.normalize();
        cum_delivered = cum_delivered.plus(&delivered.value)?.normalize();
        out.push(ValuedRow {
            owed: owed.value,
            delivered: delivered.value,
            cum_owed,
            cum_delivered,
            unpriced_owed: owed.unpriced,
            unpriced_delivered: delivered.unpriced,
        });
    }
    Ok(out)
}

/// Builds the ledger.
pub fn run(ctx: &Context, filters: &Filters, pricing: &Pricing) -> Result<Report> {
    let resolved = ctx.resolve()?;
    let q = query(filters);
    let ledger = Ledger::new(&ctx.corpus, &resolved, &q)?;
    let reg = &ctx.corpus.registry;
    let book = pricing
        .prices
        .as_deref()
        .map(|name| ctx.book(name))
        .transpose()?;
    let valued = book
        .map(|b| value_rows(ctx, &resolved, &q, &ledger, b))
        .transpose()?;
    let mut columns = vec![Column::num("year", "year")];
    for &c in &ledger.commodities {
        let com = reg.commodity(c);
        let key = format!("{}_{}", com.id, com.unit);
        columns.push(Column::num(
            &format!("{key}_owed"),
            &format!("{} owed ({})", com.id, com.unit),
        ));
        columns.push(Column::num(
            &format!("{key}_delivered"),
            &format!("{} delivered", com.id),
        ));
        columns.push(Column::num(
            &format!("{key}_cum_owed"),
            &format!("{} owed, cum.", com.id),
        ));
        columns.push(Column::num(
            &format!("{key}_cum_delivered"),
            &format!("{} delivered, cum.", com.id),
        ));
    }
    if book.is_some() {
        for (key, title) in [
            ("owed", "owed"),
            ("delivered", "delivered"),
            ("cum_owed", "owed, cum."),
            ("cum_delivered", "delivered, cum."),
        ] {
            for bound in ["low", "central", "high"] {
                columns.push(Column::num(
                    &format!("value_{key}_{bound}"),
                    &format!("value {title} {bound}"),
                ));
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
        if let Some(v) = valued.as_ref().and_then(|v| v.get(table.rows.len())) {
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
    let json = json!({
        "from": ledger.from,
        "to": ledger.to,
        "readings": readings_json(&resolved),
        "streams": ledger.streams,
        "commodities": ledger.commodities.iter().map(|&c| json!({"id": reg.commodity(c).id, "unit": reg.unit_of(c)})).collect::<Vec<_>>(),
        "cumulative_since": ledger.rows.first().map(|_| "the first year of the selected streams"),
        "rows": ledger.rows.iter().map(|r| json!({
            "year": r.year,
            "owed": basket_json(reg, &r.owed),
            "delivered": basket_json(reg, &r.delivered),
            "cum_owed": basket_json(reg, &r.cum_owed),
            "cum_delivered": basket_json(reg, &r.cum_delivered),
            "notes": r.notes.iter().map(ToString::to_string).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
    });
    let mut json = json;
    let mut sections = vec![Section::Table(None, table)];
    if ledger.rows.is_empty() {
        sections.push(Section::Lines(
            None,
            vec!["No payments fall in the selection.".into()],
        ));
    }
    if let (Some(book), Some(valued)) = (book, &valued) {
        let mut unpriced = Basket::new();
        for v in valued {
            unpriced = unpriced.plus(&v.unpriced_owed)?;
        }
        let mut lines = vec![book_line(book)];
        lines.push(format!(
            "Each year is valued at that year's rates. Unpriced owed {}–{}, left out of the values: {}.",
            ledger.from,
            ledger.to,
            if unpriced.is_empty() { "nothing".to_string() } else { basket_text(reg, &unpriced) }
        ));
        sections.push(Section::Lines(None, lines));
        json["prices"] = book_json(book);
        json["unpriced_owed"] = basket_json(reg, &unpriced);
        if let Some(rows) = json["rows"].as_array_mut() {
            for (r, v) in rows.iter_mut().zip(valued) {
                r["value"] = json!({
                    "owed": interval_json(&v.owed),
                    "delivered": interval_json(&v.delivered),
                    "cum_owed": interval_json(&v.cum_owed),
                    "cum_delivered": interval_json(&v.cum_delivered),
                    "unpriced_owed": basket_json(reg, &v.unpriced_owed),
                    "unpriced_delivered": basket_json(reg, &v.unpriced_delivered),
                });
            }
        }
    }
    Ok(Report { sections, json })
}
