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
use crate::args::{By, Filters, Pricing, WorthArgs};
use crate::context::Context;
use crate::render::{Cell, Column, Group, Report, Section, Table};

/// Builds the totals: the core's report, rendered. The JSON form is built only when `json` is
/// wanted (`--format json`).
pub fn run(
    ctx: &Context,
    filters: &Filters,
    by: By,
    pricing: &Pricing,
    worth_args: &WorthArgs,
    json: bool,
) -> Result<Report> {
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
    let ask = worth_query(worth_args)?;
    let worth = ask
        .as_ref()
        .map(|ask| report::worth::worth(&ctx.corpus, &resolved, &q, group, totals, book, ask))
        .transpose()?;
    if let Some(w) = &worth {
        worth_columns(&mut table, w);
    }
    let json = if json {
        let mut wire = rep.wire(&ctx.corpus);
        if let Some(w) = &worth {
            wire.worth = Some(w.wire(&ctx.corpus, totals, book.map(|b| b.numeraire.as_str())));
        }
        serde_json::to_value(wire)?
    } else {
        serde_json::Value::Null
    };
    let mut sections = vec![Section::Table(None, table)];
    if !rep.double_debts.is_empty() {
        sections.extend(double_debt_sections(&rep.double_debts));
    }
    if let Some(w) = &worth {
        sections.extend(worth_sections(reg, totals, w, book));
    }
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

/// The loans tied to an indemnity: a table of the indemnity, the loan's service, their sum and
/// the proceeds, then what the figures mean and their sources.
fn double_debt_sections(rows: &[report::loans::DoubleDebtOut]) -> Vec<Section> {
    let mut table = Table {
        columns: vec![
            Column::text("loan", "loan").naming_row(),
            Column::text("finances", "financed").naming_row(),
            Column::text("commodity", "commodity")
                .naming_row()
                .naming_commodity(),
            Column::text("unit", "unit").naming_row(),
            Column::num("indemnity", "indemnity owed"),
            Column::num("loan_service", "loan service owed"),
            Column::num("loan_interest", "of which interest"),
            Column::num("double_debt", "double debt"),
            Column::num("received", "proceeds received"),
            Column::num("less_proceeds", "less proceeds"),
        ],
        rows: Vec::new(),
    };
    let mut lines = vec![format!(
        "{}.",
        report::loans::DOUBLE_DEBT_NOTE[..1].to_uppercase() + &report::loans::DOUBLE_DEBT_NOTE[1..]
    )];
    for r in rows {
        table.rows.push(vec![
            Cell::text(&r.loan),
            Cell::text(&r.finances),
            Cell::text(&r.commodity),
            Cell::text(&r.unit),
            Cell::Num(r.indemnity.0),
            Cell::Num(r.loan_service.0),
            Cell::Num(r.loan_interest.0),
            Cell::Num(r.double_debt.0),
            Cell::Num(r.received.0),
            Cell::Num(r.less_proceeds.0),
        ]);
        let graded = |s: &[report::SourceOut]| -> String {
            let list: Vec<String> = s
                .iter()
                .map(|s| format!("{} ({})", s.id, s.quality))
                .collect();
            if list.is_empty() {
                "none".to_string()
            } else {
                list.join(", ")
            }
        };
        lines.push(format!(
            "{}: lent by {} to {}, paying {} (owed to {}). Sources (grade): indemnity {}; loan {}.",
            r.loan,
            r.lenders,
            r.borrower,
            r.finances,
            r.creditor,
            graded(&r.indemnity_sources),
            graded(&r.loan_sources)
        ));
    }
    vec![
        Section::Table(Some("Loans and the double debt".to_string()), table),
        Section::Lines(None, lines),
    ]
}

/// The worth query the flags ask for, if any.
pub fn worth_query(a: &WorthArgs) -> Result<Option<report::worth::WorthQuery>> {
    use report::worth::{Mode, RateSpec, WorthQuery};
    let (mode, text) = match (&a.accumulate, &a.discount) {
        (Some(t), _) => (Mode::Accumulate, t),
        (None, Some(t)) => (Mode::Discount, t),
        (None, None) => {
            if a.to_year.is_some() {
                anyhow::bail!(
                    tribute_core::Error::new(
                        tribute_core::ErrorKind::Query,
                        "--to-year needs --accumulate or --discount"
                    )
                    .help("e.g. --accumulate 0.05 --to-year 1838")
                );
            }
            return Ok(None);
        }
    };
    let Some(to_year) = a.to_year else {
        anyhow::bail!(
            tribute_core::Error::new(
                tribute_core::ErrorKind::Query,
                format!("--{} needs --to-year", mode.name())
            )
            .help("name the year the values are taken at, e.g. --to-year 1838")
        );
    };
    Ok(Some(WorthQuery {
        mode,
        rate: RateSpec::parse(text, mode == Mode::Accumulate)?,
        to_year,
    }))
}

/// Picks one value (owed, recorded, assumed) of a row's worth.
type Pick = fn(&tribute_core::report::Worth) -> &tribute_core::Interval;

/// The envelope of the worth of row `i` for one key over the three rates: the lowest low, the
/// central value at the central rate, the highest high.
fn envelope(w: &report::worth::WorthReport, i: usize, key: Pick) -> [rust_decimal::Decimal; 3] {
    let vals: Vec<&tribute_core::Interval> =
        w.at.iter().filter_map(|a| a.rows.get(i)).map(key).collect();
    let low = vals.iter().map(|v| v.low).min().unwrap_or_default();
    let high = vals.iter().map(|v| v.high).max().unwrap_or_default();
    let central = vals.get(1).map(|v| v.central).unwrap_or_default();
    [low, central, high]
}

/// Adds `{owed,recorded,assumed}_worth_{low,central,high}` to the main table: the lowest and
/// highest over the three rates (and the book's bounds), and the central value.
fn worth_columns(table: &mut Table, w: &report::worth::WorthReport) {
    let keys: [(&str, Pick); 3] = [
        ("owed", |w| &w.owed),
        ("recorded", |w| &w.recorded),
        ("assumed", |w| &w.assumed),
    ];
    let year = w.to_year;
    for (key, _) in keys {
        for bound in ["low", "central", "high"] {
            table.columns.push(
                Column::num(
                    &format!("{key}_worth_{bound}"),
                    &format!("{key} worth in {year}, {bound}"),
                )
                .in_group(Group::other(
                    &format!("{key}_worth"),
                    &format!("{key}, worth in {year}"),
                    bound,
                    bound,
                )),
            );
        }
    }
    for (i, row) in table.rows.iter_mut().enumerate() {
        for (_, f) in keys {
            row.extend(envelope(w, i, f).map(Cell::Num));
        }
    }
}

/// The worth at each rate, as tables, and the lines naming the convention.
pub fn worth_sections(
    reg: &tribute_core::Registry,
    totals: &Totals,
    w: &report::worth::WorthReport,
    book: Option<&tribute_core::PriceBook>,
) -> Vec<Section> {
    use report::worth::{COMPOUNDING, Mode, ROUNDING, RateSpec};
    let rate_text = |a: &report::worth::AtRate| match a.rate {
        Some(r) => format!("{} ({})", a.bound, r),
        None => a.bound.to_string(),
    };
    let verb = match w.mode {
        Mode::Accumulate => "accumulated",
        Mode::Discount => "discounted",
    };
    let rate_words = match &w.rate {
        RateSpec::Fixed(r) if r.is_point() => format!("{} a year", r.central),
        RateSpec::Fixed(r) => format!("{} to {} a year (central {})", r.low, r.high, r.central),
        RateSpec::Series(id) => format!("the yearly rates of series `{id}`"),
    };
    let mut sections = Vec::new();
    let heading = format!("Worth in {}, {verb} at {rate_words}", w.to_year);
    match book {
        None => {
            let mut t = Table {
                columns: vec![
                    Column::text("group", "group").naming_row(),
                    Column::text("commodity", "commodity")
                        .naming_row()
                        .naming_commodity(),
                    Column::text("unit", "unit").naming_row(),
                    Column::text("rate", "rate").naming_row(),
                    Column::num("owed", "owed"),
                    Column::num("recorded", "recorded"),
                    Column::num("assumed", "assumed"),
                ],
                rows: Vec::new(),
            };
            for (i, r) in totals.rows.iter().enumerate() {
                for a in &w.at {
                    if let Some(v) = a.rows.get(i) {
                        t.rows.push(vec![
                            Cell::text(&r.group),
                            Cell::text(&reg.commodity(r.commodity).id),
                            Cell::text(reg.unit_of(r.commodity)),
                            Cell::text(rate_text(a)),
                            Cell::Num(v.owed.central),
                            Cell::Num(v.recorded.central),
                            Cell::Num(v.assumed.central),
                        ]);
                    }
                }
            }
            sections.push(Section::Table(Some(heading), t));
        }
        Some(b) => {
            let mut t = Table {
                columns: vec![
                    Column::text("group", "group").naming_row(),
                    Column::text("rate", "rate").naming_row(),
                    Column::num("owed_low", "owed low"),
                    Column::num("owed_central", "owed central"),
                    Column::num("owed_high", "owed high"),
                    Column::num("recorded_low", "recorded low"),
                    Column::num("recorded_central", "recorded central"),
                    Column::num("recorded_high", "recorded high"),
                    Column::num("assumed_low", "assumed low"),
                    Column::num("assumed_central", "assumed central"),
                    Column::num("assumed_high", "assumed high"),
                ],
                rows: Vec::new(),
            };
            let groups =
                w.at.first()
                    .and_then(|a| a.by_group.as_ref())
                    .map_or(0, Vec::len);
            for gi in 0..groups {
                for a in &w.at {
                    if let Some(g) = a.by_group.as_ref().and_then(|g| g.get(gi)) {
                        let mut row = vec![Cell::text(&g.group), Cell::text(rate_text(a))];
                        for v in [&g.owed, &g.recorded, &g.assumed] {
                            row.extend([Cell::Num(v.low), Cell::Num(v.central), Cell::Num(v.high)]);
                        }
                        t.rows.push(row);
                    }
                }
            }
            sections.push(Section::Table(
                Some(format!("{heading}, per group ({})", b.numeraire)),
                t,
            ));
        }
    }
    let mut lines = vec![
        format!("Worth in {}: {COMPOUNDING}.", w.to_year),
        format!("{}.", ROUNDING[..1].to_uppercase() + &ROUNDING[1..]),
        "Recorded, assumed and owed are valued apart; an assumed payment is not a record."
            .to_string(),
    ];
    if let Some((id, name, sources)) = &w.series {
        lines.push(format!(
            "Rate series `{id}` ({name}); sources: {}.",
            sources
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("; ")
        ));
    }
    if book.is_none() {
        lines.push(
            "Each row stays in its own commodity's unit: commodities are not added without --prices."
                .to_string(),
        );
    }
    sections.push(Section::Lines(None, lines));
    sections
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
