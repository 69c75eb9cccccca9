//! `tribute show ID`: one treaty in full: what it comes to (its streams as resolved under the
//! selected readings, with totals), then its terms reading by reading, its amendments, suspensions,
//! recorded deliveries and sources. `--format csv` prints the resolved payments table.
//!
//! The figures come from `tribute_core::report::treaty`; this module lays them out.

use anyhow::Result;
use tribute_core::report::{self, TreatyReport};
use tribute_core::{Action, Item, Registry, SourceRef, Treaty, Variant};

use super::basket_text;
use crate::context::Context;
use crate::render::{Cell, Column, Report, Section, Table};

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
    let t = &ctx.corpus.treaties[ctx.treaty_id(id)?.as_str()];
    let reg = &ctx.corpus.registry;
    let resolved = ctx.resolve()?;
    let rep = report::treaty(&ctx.corpus, &resolved, &t.id)?;
    let streams = &rep.streams;

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
    for p in &rep.payments {
        payments.rows.push(vec![
            Cell::text(&p.stream),
            Cell::Int(i64::from(p.from)),
            Cell::Int(i64::from(p.to)),
            Cell::Int(i64::from(p.every)),
            Cell::Int(i64::try_from(p.count).unwrap_or(i64::MAX)),
            Cell::text(&p.commodity),
            Cell::text(&p.unit),
            Cell::Num(p.each.0),
            Cell::Num(p.total.0),
        ]);
    }
    let mut stream_lines = Vec::new();
    for s in streams {
        let mut facts = vec![format!(
            "{}: {}, delivery {}",
            s.key(),
            s.schedule.describe(),
            s.delivery.as_str()
        )];
        if let Some(r) = &s.reading {
            facts.push(format!("  reading: {r}"));
        }
        if s.payer != t.payer || s.payee != t.payee {
            facts.push(format!("  owed by {} to {}", s.payer, s.payee));
        }
        if let Some(f) = &s.finances {
            let got = s
                .received
                .as_ref()
                .map(|r| format!("; received {}", basket_text(reg, r)))
                .unwrap_or_default();
            facts.push(format!("  a loan whose proceeds paid {f}{got}"));
        }
        if s.delivery == tribute_core::DeliveryMode::AsOwed {
            facts.push(match &s.ground {
                Some(g) => format!("  assumed paid as owed: {g}"),
                None => "  assumed paid as owed: the file gives no ground".to_string(),
            });
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
                "  suspended {}–{} by {} (arrears {}){}",
                x.from,
                x.to,
                x.by,
                x.arrears.as_str(),
                x.reason
                    .as_ref()
                    .map(|r| format!(": {r}"))
                    .unwrap_or_default()
            ));
        }
        for d in &s.deliveries {
            facts.push(format!(
                "  recorded delivery {} by {}: {}",
                d.year,
                d.by,
                basket_text(reg, &d.amounts)
            ));
        }
        stream_lines.extend(facts);
    }
    let totals_table = super::total::totals_table(reg, &rep.totals, "stream");

    let mut sections = vec![Section::Lines(None, header)];
    sections.push(Section::Table(
        Some("Payments as resolved".into()),
        payments,
    ));
    if !stream_lines.is_empty() {
        sections.push(Section::Lines(Some("Streams".into()), stream_lines));
    }
    if !totals_table.rows.is_empty() {
        sections.push(Section::Table(Some("Totals".into()), totals_table.clone()));
    }
    for d in &rep.dated {
        sections.extend(dated_sections(d));
    }
    sections.extend(terms(t, reg)?);
    if let Some(n) = &t.notes {
        sections.push(Section::Lines(
            Some("Notes".into()),
            vec![n.trim().to_string()],
        ));
    }
    let claims = rep.claims(&ctx.corpus);
    if !claims.is_empty() {
        let mut lines = Vec::new();
        for c in &claims {
            let by: Vec<String> = c
                .sources
                .iter()
                .map(|s| format!("{} ({})", s.id, s.quality))
                .collect();
            let what = match c.unit {
                "total" => format!("{}'s own total", c.compare),
                "share" => format!("{}'s share of {}", c.compare, c.against),
                _ => format!("{} against {}", c.compare, c.against),
            };
            lines.push(format!(
                "{}: {} — {what}: {} {} {}; source: {}.",
                c.id,
                c.statement.trim(),
                c.value.0,
                c.unit,
                c.tolerance,
                by.join(", ")
            ));
        }
        lines.push("`tribute check` says under which readings and price books each holds.".into());
        sections.push(Section::Lines(Some("Claims".into()), lines));
    }
    if !rep.cautions.is_empty() {
        let lines = rep
            .cautions
            .iter()
            .map(|e| match e.location() {
                Some(l) => format!("line {}: {}", l.line(), e.message()),
                None => e.message().to_string(),
            })
            .collect();
        sections.push(Section::Lines(
            Some("Cautions (`tribute check --strict` fails on them)".into()),
            lines,
        ));
    }
    sections.push(Section::Table(Some("Sources".into()), sources_table(&rep)));

    let json = serde_json::to_value(rep.wire(&ctx.corpus))?;
    Ok(Report { sections, json })
}

fn terms(t: &Treaty, reg: &Registry) -> Result<Vec<Section>> {
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
                let terms = v.def.schedule.terms()?;
                let (amounts, per) = (terms.amounts, terms.per.as_str());
                table.rows.push(vec![
                    Cell::text(&*item.id),
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
                    Cell::text(&*item.id),
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
                    Cell::text(&*item.id),
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
                    Cell::text(&*item.id),
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
    Ok(out)
}

/// How many dated payments a table for people shows in full; a longer list shows its first and
/// last [`DATED_ENDS`] rows and says how many it leaves out (`--format json` has them all).
const DATED_FULL: usize = 12;
const DATED_ENDS: usize = 5;

/// The dated payments of one stream: a table (shortened when long) and its roundings.
fn dated_sections(d: &report::treaty::DatedOut) -> Vec<Section> {
    let mut table = Table {
        columns: vec![
            Column::text("due", "due"),
            Column::text("commodity", "commodity"),
            Column::text("unit", "unit"),
            Column::num("payment", "payment"),
            Column::num("principal", "principal"),
            Column::num("interest", "interest"),
            Column::num("balance", "balance after"),
        ],
        rows: Vec::new(),
    };
    let n = d.payments.len();
    let shown: Vec<&report::treaty::DatedRow> = if n > DATED_FULL {
        d.payments[..DATED_ENDS]
            .iter()
            .chain(&d.payments[n.saturating_sub(DATED_ENDS)..])
            .collect()
    } else {
        d.payments.iter().collect()
    };
    for p in shown {
        table.rows.push(vec![
            Cell::text(p.due.to_string()),
            Cell::text(&p.commodity),
            Cell::text(&p.unit),
            Cell::Num(p.payment.0),
            Cell::Num(p.principal.0),
            Cell::Num(p.interest.0),
            Cell::Num(p.balance.0),
        ]);
    }
    let mut lines = Vec::new();
    if n > DATED_FULL {
        lines.push(format!(
            "{} of {n} rows left out between the first and last {DATED_ENDS}; `--format json` lists them all.",
            n.saturating_sub(DATED_ENDS.saturating_mul(2))
        ));
    }
    lines.push(
        "As the schedule is written: amendments, suspensions and cuts work on whole years, in the tables above."
            .to_string(),
    );
    for r in &d.roundings {
        lines.push(format!("Rounding: {r}."));
    }
    vec![
        Section::Table(Some(format!("Dated payments of {}", d.stream)), table),
        Section::Lines(None, lines),
    ]
}

fn sources_table(rep: &TreatyReport) -> Table {
    let mut table = Table {
        columns: vec![
            Column::text("id", "id"),
            Column::text("quality", "quality"),
            Column::text("title", "title"),
        ],
        rows: Vec::new(),
    };
    for s in &rep.sources {
        table.rows.push(vec![
            Cell::text(&s.id),
            Cell::text(&s.quality),
            Cell::text(&s.title),
        ]);
    }
    table
}
