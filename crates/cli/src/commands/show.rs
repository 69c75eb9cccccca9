//! `tribute show ID`: one treaty in full: what it comes to (its streams as resolved under the
//! selected readings, with totals), then its terms reading by reading, its amendments, suspensions,
//! recorded deliveries and sources. `--format csv` prints the resolved payments table.

use anyhow::Result;
use serde_json::json;
use tribute_core::{Action, Item, Registry, SourceRef, Treaty, Variant};

use super::{basket_json, basket_text, readings_json};
use crate::context::Context;
use crate::render::{Cell, Column, Report, Section, Table, plain};

fn sources_text(s: &[SourceRef]) -> String {
    s.iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}

fn reading_cell<T>(item: &Item<T>, v: &Variant<T>) -> String {
    match (&v.reading, item.variants.len()) {
        (Some(r), _) if std::ptr::eq(v, item.default_variant()) => format!("{r} (default)"),
        (Some(r), _) => r.clone(),
        (None, _) => "—".into(),
    }
}

/// Builds the report for treaty `id`.
pub fn run(ctx: &Context, id: &str) -> Result<Report> {
    let t = &ctx.corpus.treaties[&ctx.treaty_id(id)?];
    let reg = &ctx.corpus.registry;
    let resolved = ctx.resolve()?;
    let streams: Vec<_> = resolved
        .streams
        .iter()
        .filter(|s| s.treaty == t.id)
        .collect();

    let mut header = vec![
        format!("{} ({})", t.name, t.id),
        format!(
            "{} → {}, {} {}, status {}",
            t.payer, t.payee, t.label, t.signed, t.status
        ),
        format!("file: {}", t.path),
    ];
    if let Some(s) = &t.summary {
        header.push(s.trim().to_string());
    }

    // What it comes to.
    let mut payments = Table {
        columns: vec![
            Column::text("stream", "stream"),
            Column::num("from", "from"),
            Column::num("to", "to"),
            Column::num("every", "every"),
            Column::num("count", "payments"),
            Column::text("commodity", "commodity"),
            Column::text("unit", "unit"),
            Column::num("each", "each payment"),
            Column::num("total", "total owed"),
        ],
        rows: Vec::new(),
    };
    let mut stream_lines = Vec::new();
    let mut stream_json = Vec::new();
    for s in &streams {
        for p in &s.pieces {
            for (c, a) in p.amounts.iter() {
                payments.rows.push(vec![
                    Cell::text(s.key()),
                    Cell::Int(i64::from(p.start)),
                    Cell::Int(i64::from(p.last())),
                    Cell::Int(i64::from(p.step)),
                    Cell::Int(p.count as i64),
                    Cell::text(&reg.commodity(c).id),
                    Cell::text(reg.unit_of(c)),
                    Cell::Num(a),
                    Cell::Num(tribute_core::times(a, p.count)?),
                ]);
            }
        }
        let mut facts = vec![format!(
            "{}: {}, delivery {}",
            s.key(),
            s.schedule.describe(),
            s.delivery.as_str()
        )];
        if let Some(r) = &s.reading {
            facts.push(format!("  reading: {r}"));
        }
        for a in &s.amendments {
            let change = a
                .change
                .as_ref()
                .map(|c| format!(" {}", basket_text(reg, c)))
                .unwrap_or_default();
            facts.push(format!(
                "  {} by {}/{} from {}{change}",
                a.action, a.treaty, a.id, a.from
            ));
        }
        if let Some(h) = s.horizon {
            facts.push(format!(
                "  open-ended: runs to {h}, the end of the parties' relationship in the registry"
            ));
        }
        for x in &s.suspended {
            facts.push(format!(
                "  suspended {}–{} by {}{}",
                x.from,
                x.to,
                x.by,
                x.reason
                    .as_ref()
                    .map(|r| format!(": {r}"))
                    .unwrap_or_default()
            ));
        }
        for (y, b, by) in &s.deliveries {
            facts.push(format!(
                "  recorded delivery {y} by {by}: {}",
                basket_text(reg, b)
            ));
        }
        stream_lines.extend(facts);
        stream_json.push(json!({
            "stream": s.key(),
            "label": s.label,
            "schedule": s.schedule.describe(),
            "reading": s.reading,
            "delivery": s.delivery.as_str(),
            "pieces": s.pieces.iter().map(|p| json!({"from": p.start, "to": p.last(), "every": p.step, "count": p.count, "each": basket_json(reg, &p.amounts)})).collect::<Vec<_>>(),
            "amendments": s.amendments.iter().map(|a| json!({"by": format!("{}/{}", a.treaty, a.id), "action": a.action, "from": a.from, "reading": a.reading, "change": a.change.as_ref().map(|c| basket_json(reg, c))})).collect::<Vec<_>>(),
            "suspended": s.suspended.iter().map(|x| json!({"from": x.from, "to": x.to, "by": x.by, "reason": x.reason})).collect::<Vec<_>>(),
            "deliveries": s.deliveries.iter().map(|(y, b, by)| json!({"year": y, "by": by, "amounts": basket_json(reg, b)})).collect::<Vec<_>>(),
        }));
    }
    let totals = tribute_core::Totals::new(
        &ctx.corpus,
        &resolved,
        &tribute_core::Query {
            treaties: vec![t.id.clone()],
            statuses: tribute_core::Status::ALL.to_vec(),
            ..Default::default()
        },
        tribute_core::GroupBy::Stream,
    )?;
    let totals_table = super::total::totals_table(reg, &totals, "stream");

    let mut sections = vec![Section::Lines(None, header)];
    sections.push(Section::Table(
        Some("Payments as resolved".into()),
        payments.clone(),
    ));
    if !stream_lines.is_empty() {
        sections.push(Section::Lines(Some("Streams".into()), stream_lines));
    }
    if !totals_table.rows.is_empty() {
        sections.push(Section::Table(Some("Totals".into()), totals_table.clone()));
    }
    sections.extend(terms(t, reg));
    if let Some(n) = &t.notes {
        sections.push(Section::Lines(
            Some("Notes".into()),
            vec![n.trim().to_string()],
        ));
    }
    sections.push(Section::Table(
        Some("Sources".into()),
        sources_table(t, reg),
    ));

    let json = json!({
        "id": t.id, "name": t.name, "payer": t.payer, "payee": t.payee, "signed": t.signed,
        "status": t.status.as_str(), "label": t.label, "summary": t.summary, "notes": t.notes, "file": t.path,
        "sources": sources_table(t, reg).json_rows(),
        "readings": readings_json(&resolved),
        "streams": stream_json,
        "payments": payments.json_rows(),
        "totals": totals.rows.iter().map(|r| json!({"stream": r.group, "commodity": reg.commodity(r.commodity).id, "unit": reg.unit_of(r.commodity), "owed": plain(r.owed), "delivered": plain(r.delivered), "suspended": plain(r.suspended), "delivery_unknown": plain(r.unknown)})).collect::<Vec<_>>(),
    });
    Ok(Report { sections, json })
}

fn terms(t: &Treaty, reg: &Registry) -> Vec<Section> {
    let mut out = Vec::new();
    if !t.obligations.is_empty() {
        let mut table = Table {
            columns: vec![
                Column::text("obligation", "obligation"),
                Column::text("reading", "reading"),
                Column::text("schedule", "schedule"),
                Column::text("amounts", "amounts"),
                Column::text("delivery", "delivery"),
                Column::text("source", "source"),
            ],
            rows: Vec::new(),
        };
        for item in &t.obligations {
            for v in &item.variants {
                let per = match v.def.schedule.kind() {
                    "installments" => "in all",
                    _ => "each",
                };
                let pieces = v.def.schedule.pieces(v.def.schedule.first_year());
                let amounts = pieces
                    .first()
                    .map(|p| p.amounts.clone())
                    .unwrap_or_default();
                let amounts = if per == "in all" {
                    pieces
                        .iter()
                        .try_fold(tribute_core::Basket::new(), |acc, p| {
                            p.amounts.times(p.count).and_then(|b| acc.plus(&b))
                        })
                        .unwrap_or_default()
                } else {
                    amounts
                };
                table.rows.push(vec![
                    Cell::text(&item.id),
                    Cell::text(reading_cell(item, v)),
                    Cell::text(v.def.schedule.describe()),
                    Cell::text(format!("{} {per}", basket_text(reg, &amounts))),
                    Cell::text(v.def.delivery.as_str()),
                    Cell::text(sources_text(&v.def.sources)),
                ]);
            }
        }
        out.push(Section::Table(
            Some("Obligations (every reading)".into()),
            table,
        ));
    }
    if !t.amendments.is_empty() {
        let mut table = Table {
            columns: vec![
                Column::text("amendment", "amendment"),
                Column::text("reading", "reading"),
                Column::text("action", "action"),
                Column::text("target", "target"),
                Column::num("from", "from"),
                Column::text("change", "change per payment"),
                Column::text("source", "source"),
            ],
            rows: Vec::new(),
        };
        for item in &t.amendments {
            for v in &item.variants {
                let change = match &v.def.action {
                    Action::Adjust { amounts, to } => {
                        format!(
                            "{}{}",
                            basket_text(reg, amounts),
                            to.map(|y| format!(" to {y}")).unwrap_or_default()
                        )
                    }
                    _ => String::new(),
                };
                table.rows.push(vec![
                    Cell::text(&item.id),
                    Cell::text(reading_cell(item, v)),
                    Cell::text(v.def.action.as_str()),
                    Cell::text(v.def.target.to_string()),
                    Cell::Int(i64::from(v.def.from)),
                    Cell::text(change),
                    Cell::text(sources_text(&v.def.sources)),
                ]);
            }
        }
        out.push(Section::Table(
            Some("Amendments (every reading)".into()),
            table,
        ));
    }
    if !t.suspensions.is_empty() {
        let mut table = Table {
            columns: vec![
                Column::text("suspension", "suspension"),
                Column::text("reading", "reading"),
                Column::text("targets", "targets"),
                Column::text("years", "years"),
                Column::text("reason", "reason"),
                Column::text("source", "source"),
            ],
            rows: Vec::new(),
        };
        for item in &t.suspensions {
            for v in &item.variants {
                table.rows.push(vec![
                    Cell::text(&item.id),
                    Cell::text(reading_cell(item, v)),
                    Cell::text(
                        v.def
                            .targets
                            .iter()
                            .map(ToString::to_string)
                            .collect::<Vec<_>>()
                            .join(", "),
                    ),
                    Cell::text(format!("{}–{}", v.def.from, v.def.to)),
                    Cell::text(v.def.reason.clone().unwrap_or_default()),
                    Cell::text(sources_text(&v.def.sources)),
                ]);
            }
        }
        out.push(Section::Table(
            Some("Suspensions (every reading)".into()),
            table,
        ));
    }
    if !t.deliveries.is_empty() {
        let mut table = Table {
            columns: vec![
                Column::text("delivery", "delivery"),
                Column::text("reading", "reading"),
                Column::text("target", "target"),
                Column::num("year", "year"),
                Column::text("amounts", "amounts"),
                Column::text("source", "source"),
            ],
            rows: Vec::new(),
        };
        for item in &t.deliveries {
            for v in &item.variants {
                table.rows.push(vec![
                    Cell::text(&item.id),
                    Cell::text(reading_cell(item, v)),
                    Cell::text(v.def.target.to_string()),
                    Cell::Int(i64::from(v.def.year)),
                    Cell::text(basket_text(reg, &v.def.amounts)),
                    Cell::text(sources_text(&v.def.sources)),
                ]);
            }
        }
        out.push(Section::Table(
            Some("Recorded deliveries (every reading)".into()),
            table,
        ));
    }
    out
}

fn sources_table(t: &Treaty, reg: &Registry) -> Table {
    let mut ids: Vec<String> = t.sources.iter().map(|s| s.id.clone()).collect();
    let mut add = |refs: &[SourceRef]| ids.extend(refs.iter().map(|s| s.id.clone()));
    for i in &t.obligations {
        i.variants.iter().for_each(|v| add(&v.def.sources));
    }
    for i in &t.amendments {
        i.variants.iter().for_each(|v| add(&v.def.sources));
    }
    for i in &t.suspensions {
        i.variants.iter().for_each(|v| add(&v.def.sources));
    }
    for i in &t.deliveries {
        i.variants.iter().for_each(|v| add(&v.def.sources));
    }
    ids.sort();
    ids.dedup();
    let mut table = Table {
        columns: vec![
            Column::text("id", "id"),
            Column::text("quality", "quality"),
            Column::text("title", "title"),
        ],
        rows: Vec::new(),
    };
    for id in ids {
        let (q, title) = match t.local_sources.iter().find(|s| s.id == id) {
            Some(s) => (s.quality.letter(), s.title.clone()),
            None => match reg.find_source(&id) {
                Some(s) => (s.quality.letter(), s.title.clone()),
                None => ("?", String::new()),
            },
        };
        table
            .rows
            .push(vec![Cell::text(&id), Cell::text(q), Cell::text(title)]);
    }
    table
}
