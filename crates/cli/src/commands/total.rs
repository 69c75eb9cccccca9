//! `tribute total`: totals per group and commodity over a year range: owed, delivered (known),
//! owed in suspended years, and owed where delivery is unknown.
//!
//! With `--prices BOOK` each row also carries the value of what was owed and delivered
//! (`{owed,delivered}_value_{low,central,high}`, in the book's numeraire, each payment at the rate
//! of its year) and the amounts the book could not price (`unpriced_owed`, `unpriced_delivered`),
//! which the values leave out; a second table sums the values per group.

use anyhow::Result;
use serde_json::json;
use std::collections::BTreeMap;

use tribute_core::{
    Basket, CommodityId, GroupBy, Interval, PriceBook, Query, Resolved, Totals, Year, split_streams,
};

use super::{basket_json, basket_text, book_json, book_line, interval_json, readings_json};
use crate::args::{By, Filters, Pricing};
use crate::context::{Context, query};
use crate::render::{Cell, Column, Report, Section, Table, plain};

/// Values of one group and commodity: owed, delivered, and the unpriced amounts of each.
#[derive(Default)]
struct Worth {
    owed: Interval,
    delivered: Interval,
    unpriced_owed: rust_decimal::Decimal,
    unpriced_delivered: rust_decimal::Decimal,
}

/// The group a stream falls in, as [`Totals`] groups it.
fn group_key(s: &tribute_core::Stream, group: GroupBy) -> String {
    match group {
        GroupBy::Pair => format!("{} → {}", s.payer, s.payee),
        GroupBy::Treaty => s.treaty.clone(),
        GroupBy::Stream => s.key(),
        _ => "all".to_string(),
    }
}

/// Values per group and commodity, stream by stream in closed form.
fn worth(
    ctx: &Context,
    resolved: &Resolved,
    q: &Query,
    group: GroupBy,
    book: &PriceBook,
) -> Result<BTreeMap<(String, CommodityId), Worth>> {
    let (lo, hi) = (q.from.unwrap_or(Year::MIN), q.to.unwrap_or(Year::MAX));
    let mut out: BTreeMap<(String, CommodityId), Worth> = BTreeMap::new();
    for s in resolved
        .streams
        .iter()
        .filter(|s| q.selects(&ctx.corpus, s))
    {
        let split = split_streams(&ctx.corpus, &[s], Some(book), lo, hi)?;
        let owed = split.owed.value(Some(book))?;
        let delivered = split.delivered.value(Some(book))?;
        let commodities: std::collections::BTreeSet<CommodityId> = owed
            .parts
            .iter()
            .chain(&delivered.parts)
            .map(|p| p.commodity)
            .collect();
        for c in commodities {
            let w = out.entry((group_key(s, group), c)).or_default();
            let (ov, ou) = owed.of_commodity(c)?;
            let (dv, du) = delivered.of_commodity(c)?;
            w.owed = w.owed.plus(&ov)?.normalize();
            w.delivered = w.delivered.plus(&dv)?.normalize();
            w.unpriced_owed = tribute_core::add(w.unpriced_owed, ou)?.normalize();
            w.unpriced_delivered = tribute_core::add(w.unpriced_delivered, du)?.normalize();
        }
    }
    Ok(out)
}

/// Builds the totals.
pub fn run(ctx: &Context, filters: &Filters, by: By, pricing: &Pricing) -> Result<Report> {
    let resolved = ctx.resolve()?;
    let group = match by {
        By::Pair => GroupBy::Pair,
        By::Treaty => GroupBy::Treaty,
        By::Stream => GroupBy::Stream,
        By::All => GroupBy::All,
    };
    let q = query(filters);
    let totals = Totals::new(&ctx.corpus, &resolved, &q, group)?;
    let reg = &ctx.corpus.registry;
    let book = pricing
        .prices
        .as_deref()
        .map(|name| ctx.book(name))
        .transpose()?;
    let worth = book
        .map(|b| worth(ctx, &resolved, &q, group, b))
        .transpose()?;
    let mut table = totals_table(reg, &totals, "group");
    if let Some(worth) = &worth {
        for key in ["owed", "delivered"] {
            for bound in ["low", "central", "high"] {
                table.columns.push(Column::num(
                    &format!("{key}_value_{bound}"),
                    &format!("value {key}, {bound}"),
                ));
            }
        }
        table
            .columns
            .push(Column::num("unpriced_owed", "owed, unpriced"));
        table
            .columns
            .push(Column::num("unpriced_delivered", "delivered, unpriced"));
        for (row, r) in table.rows.iter_mut().zip(&totals.rows) {
            let w = worth.get(&(r.group.clone(), r.commodity));
            let zero = Worth::default();
            let w = w.unwrap_or(&zero);
            for i in [&w.owed, &w.delivered] {
                row.extend([Cell::Num(i.low), Cell::Num(i.central), Cell::Num(i.high)]);
            }
            row.extend([Cell::Num(w.unpriced_owed), Cell::Num(w.unpriced_delivered)]);
        }
    }
    let json = json!({
        "from": totals.from,
        "to": totals.to,
        "group_by": format!("{by:?}").to_lowercase(),
        "readings": readings_json(&resolved),
        "streams": totals.streams,
        "rows": totals.rows.iter().map(|r| json!({
            "group": r.group,
            "commodity": reg.commodity(r.commodity).id,
            "unit": reg.unit_of(r.commodity),
            "owed": plain(r.owed),
            "delivered": plain(r.delivered),
            "suspended": plain(r.suspended),
            "delivery_unknown": plain(r.unknown),
        })).collect::<Vec<_>>(),
    });
    let mut json = json;
    if let (Some(rows), Some(worth)) = (json["rows"].as_array_mut(), &worth) {
        for (row, r) in rows.iter_mut().zip(&totals.rows) {
            let zero = Worth::default();
            let w = worth.get(&(r.group.clone(), r.commodity)).unwrap_or(&zero);
            row["owed_value"] = interval_json(&w.owed);
            row["delivered_value"] = interval_json(&w.delivered);
            row["unpriced_owed"] = json!(plain(w.unpriced_owed));
            row["unpriced_delivered"] = json!(plain(w.unpriced_delivered));
        }
    }
    let mut sections = vec![Section::Table(None, table)];
    if let (Some(book), Some(worth)) = (book, &worth) {
        let mut groups: BTreeMap<&str, (Interval, Interval, Basket)> = BTreeMap::new();
        for ((g, c), w) in worth {
            let e = groups.entry(g.as_str()).or_default();
            e.0 = e.0.plus(&w.owed)?.normalize();
            e.1 = e.1.plus(&w.delivered)?.normalize();
            e.2.add_amount(*c, w.unpriced_owed)?;
        }
        let mut by_group = Table {
            columns: vec![
                Column::text("group", "group"),
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
        for (g, (o, d, u)) in &groups {
            by_group.rows.push(vec![
                Cell::text(*g),
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
        json["prices"] = book_json(book);
        json["value_by_group"] = serde_json::Value::Array(
            groups
                .iter()
                .map(|(g, (o, d, u))| json!({"group": g, "owed": interval_json(o), "delivered": interval_json(d), "unpriced_owed": basket_json(reg, u)}))
                .collect(),
        );
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
            Column::text("group", first),
            Column::text("commodity", "commodity"),
            Column::text("unit", "unit"),
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
