//! `tribute compare A --against B`: A's total (every stream, any status) as years of B's yearly
//! flow, or with `--ratio` as a plain ratio of totals.
//!
//! With `--prices BOOK` both sides are valued in the book's numeraire and the result is an
//! interval (low = A low ÷ B high, high = A high ÷ B low); whatever the book cannot price is listed
//! by commodity and amount. Without a book each commodity both treaties hold is compared on its
//! own, and the report says so. `--all-readings` gives one row per combination of the readings of
//! A's and B's items, `--all-books` one per loaded book; `--solve COMMODITY=TARGET` finds the rate
//! of one commodity that makes the central value TARGET. Ratios are the only rounded figures (four
//! places, the strategy named in the output). The first table is what `--format csv` prints.
//!
//! The figures of one comparison come from [`figures`], which `tribute chart compare` uses too,
//! so the chart and the report cannot disagree.

use anyhow::{Result, bail};
use rust_decimal::Decimal;
use tribute_core::report::{
    self, CompareOptions, Comparison, MatrixBody, Priced, b_label, measure_name,
};
use tribute_core::{
    Basket, Combo, CommodityId, Measure, PriceBook, RATIO_ROUNDING, Registry, Rounded, Solution,
    Valuation, Valued, parse_decimal,
};

use super::{basket_text, book_line};
use crate::args::{CompareArgs, WorthArgs};
use crate::context::Context;
use crate::render::{Cell, Column, Report, Section, Table, grouped, plain};

/// `gold=180` as a commodity and a target.
fn parse_solve(reg: &Registry, text: &str) -> Result<(CommodityId, Decimal)> {
    let Some((name, target)) = text.split_once('=') else {
        bail!("--solve takes COMMODITY=TARGET, e.g. --solve gold=180, not `{text}`");
    };
    let Some(c) = reg.find_commodity(name.trim()) else {
        let known: Vec<&str> = reg.commodities().iter().map(|c| c.id.as_str()).collect();
        bail!(
            "--solve: unknown commodity `{}` (commodities: {})",
            name.trim(),
            known.join(", ")
        );
    };
    let target =
        parse_decimal(target.trim(), false).map_err(|m| anyhow::anyhow!("--solve: {m}"))?;
    if target <= Decimal::ZERO {
        bail!("--solve: the target must be above zero, not {target}");
    }
    Ok((c, target))
}

fn rounded_text(r: &Rounded) -> String {
    if r.exact {
        grouped(r.value)
    } else {
        format!("{} (rounded)", grouped(r.value))
    }
}

fn unpriced_or_nothing(reg: &Registry, b: &Basket) -> String {
    if b.is_empty() {
        "nothing".to_string()
    } else {
        basket_text(reg, b)
    }
}

fn how_line(measure: Measure) -> String {
    match measure {
        Measure::Years(_) => {
            "Years = A's total ÷ B's yearly flow; low = A low ÷ B high, high = A high ÷ B low."
                .to_string()
        }
        Measure::Ratio => {
            "Ratio = A's total ÷ B's total; low = A low ÷ B high, high = A high ÷ B low."
                .to_string()
        }
    }
}

fn solution_text(
    reg: &Registry,
    book: &PriceBook,
    c: CommodityId,
    target: Decimal,
    s: &Solution,
    measure: Measure,
) -> String {
    let com = &reg.commodity(c).id;
    let unit = reg.unit_of(c);
    let goal = match measure {
        Measure::Years(_) => format!("{} years", grouped(target)),
        Measure::Ratio => format!("a ratio of {}", grouped(target)),
    };
    match s {
        Solution::Rate { rate, check } => format!(
            "Solve: {com} at {} {} per {unit} makes the central value {goal}{}.",
            grouped(rate.value),
            book.numeraire,
            if rate.exact {
                " exactly".to_string()
            } else {
                format!(
                    " (rate rounded; at that rate the value is {})",
                    rounded_text(check)
                )
            }
        ),
        Solution::NoPositiveRate(why) => {
            format!("Solve: no positive rate of {com} makes the central value {goal}: {why}.")
        }
        Solution::AnyRate => {
            format!("Solve: the central value is {goal} whatever the rate of {com}.")
        }
    }
}

/// The valuation table of one side: one row per commodity and rate, unpriced amounts included.
fn valuation_rows(reg: &Registry, book: &PriceBook, side: &str, v: &Valuation, table: &mut Table) {
    for p in &v.parts {
        let rate = p.rate.map(|i| &book.rates[i]);
        let mut row = vec![
            Cell::text(side),
            Cell::text(&reg.commodity(p.commodity).id),
            Cell::Num(p.amount),
            Cell::text(reg.unit_of(p.commodity)),
        ];
        match (rate, &p.value) {
            (Some(r), Some(val)) => row.extend([
                Cell::text(r.years_text()),
                Cell::Num(r.value.low),
                Cell::Num(r.value.central),
                Cell::Num(r.value.high),
                Cell::Num(val.low),
                Cell::Num(val.central),
                Cell::Num(val.high),
            ]),
            _ => row.extend([
                Cell::text("unpriced"),
                Cell::text(""),
                Cell::text(""),
                Cell::text(""),
                Cell::text(""),
                Cell::text(""),
                Cell::text(""),
            ]),
        }
        table.rows.push(row);
    }
}

/// What a comparison is asked to compute, checked: how A is measured, the books, the rate to solve.
#[derive(Debug)]
pub struct Plan<'c> {
    /// Years of B's flow, or a ratio of totals.
    pub measure: Measure,
    /// The book (`--prices`) or every loaded book (`--all-books`); empty without a book.
    pub books: Vec<&'c PriceBook>,
    /// The commodity whose rate `--solve` asks for, and the target.
    pub solve: Option<(CommodityId, Decimal)>,
}

/// Checks the arguments of a comparison against the loaded corpus.
pub fn plan<'c>(ctx: &'c Context, args: &CompareArgs) -> Result<Plan<'c>> {
    if (args.per_capita || args.share_of_revenue)
        && (args.prices.is_none() || args.all_books || args.all_readings)
    {
        anyhow::bail!(
            "--per-capita and --share-of-revenue need --prices BOOK (people and revenue are set against values), and work on one comparison, not with --all-books or --all-readings"
        );
    }
    let reg = &ctx.corpus.registry;
    let measure = if args.ratio {
        Measure::Ratio
    } else {
        Measure::Years(args.year)
    };
    let solve = args
        .solve
        .as_deref()
        .map(|s| parse_solve(reg, s))
        .transpose()?;
    let books: Vec<&PriceBook> = if args.all_books {
        ctx.corpus.price_books.values().collect()
    } else {
        args.prices
            .as_deref()
            .map(|n| ctx.book(n))
            .transpose()?
            .into_iter()
            .collect()
    };
    if solve.is_some() && books.is_empty() {
        bail!("--solve needs a price book: give --prices BOOK or --all-books");
    }
    if args.all_books && books.is_empty() {
        bail!("--all-books: no price book is loaded");
    }
    Ok(Plan {
        measure,
        books,
        solve,
    })
}

/// Computes one comparison in tribute-core ([`report::compare`]): the figures `tribute compare`
/// prints and `tribute chart compare` draws.
pub fn figures<'c>(
    ctx: &'c Context,
    args: &CompareArgs,
    measure: Measure,
    book: Option<&'c PriceBook>,
    solve: Option<(CommodityId, Decimal)>,
) -> Result<Comparison<'c>> {
    Ok(report::compare(
        &ctx.corpus,
        &ctx.readings,
        &args.a,
        &args.against,
        measure,
        book,
        CompareOptions {
            per_capita: args.per_capita,
            share_of_revenue: args.share_of_revenue,
            solve,
        },
    )?)
}

/// `Readings: jin-demand-1126/indemnity=article (default); …`.
pub fn readings_line(choices: &Combo) -> String {
    let shown: Vec<String> = choices
        .choices
        .iter()
        .map(|c| format!("{c}{}", if c.default { " (default)" } else { "" }))
        .collect();
    if shown.is_empty() {
        "Readings: none of the items counted has several.".to_string()
    } else {
        format!("Readings: {}.", shown.join("; "))
    }
}

/// `A: …; B: nothing`: what a valued comparison leaves out.
pub fn unpriced_line(reg: &Registry, v: &Valued) -> String {
    format!(
        "A: {}; B: {}",
        unpriced_or_nothing(reg, &v.a.unpriced),
        unpriced_or_nothing(reg, &v.b.unpriced)
    )
}

/// Runs the comparison.
pub fn run(ctx: &Context, args: &CompareArgs, worth_args: &WorthArgs) -> Result<Report> {
    let Some(ask) = super::total::worth_query(worth_args)? else {
        return run_plain(ctx, args);
    };
    if args.all_readings || args.all_books {
        anyhow::bail!(
            tribute_core::Error::new(
                tribute_core::ErrorKind::Query,
                "--accumulate and --discount compare one book under one set of readings",
            )
            .help("leave out --all-readings and --all-books, or run once per book with --prices")
        );
    }
    let mut report = run_plain(ctx, args)?;
    let full = ctx.compare_args(args)?;
    let book = full.prices.as_deref().map(|b| ctx.book(b)).transpose()?;
    let resolved = ctx.resolve()?;
    let reg = &ctx.corpus.registry;
    let numeraire = book.map(|b| b.numeraire.as_str());
    let side =
        |id: &str| tribute_core::report::worth::of_treaty(&ctx.corpus, &resolved, id, book, &ask);
    let (a, b) = (side(&full.a)?, side(&full.against)?);
    let out = tribute_core::report::worth::CompareWorthOut {
        a: a.worth.wire(&ctx.corpus, &a.totals, numeraire),
        b: b.worth.wire(&ctx.corpus, &b.totals, numeraire),
    };
    if let Some(obj) = report.json.as_object_mut() {
        obj.insert("worth".to_string(), serde_json::to_value(out)?);
    }
    for (label, s) in [("A", &a), ("B", &b)] {
        let mut sections = super::total::worth_sections(reg, &s.totals, &s.worth, book);
        if let Some(Section::Table(Some(h), _)) = sections.first_mut() {
            *h = format!("{label}: {}. {h}", s.treaty);
        }
        report.sections.extend(sections);
    }
    Ok(report)
}

/// The comparison without worth across time.
fn run_plain(ctx: &Context, args: &CompareArgs) -> Result<Report> {
    let args = &ctx.compare_args(args)?;
    let reg = &ctx.corpus.registry;
    let Plan {
        measure,
        books,
        solve,
    } = plan(ctx, args)?;
    let (a, b) = (args.a.as_str(), args.against.as_str());
    if args.all_readings || args.all_books {
        return matrix(ctx, args, measure, &books, solve);
    }
    let cmp = figures(ctx, args, measure, books.first().copied(), solve)?;
    let json = serde_json::to_value(cmp.wire(&ctx.corpus))?;
    let (sides, used) = (&cmp.sides, &cmp.used);
    let Some(Priced {
        book,
        valued: v,
        result,
    }) = &cmp.priced
    else {
        return Ok(per_commodity(ctx, &cmp, measure, json, readings_line(used)));
    };
    let book = *book;
    let unit = match measure {
        Measure::Years(_) => "years".to_string(),
        Measure::Ratio => "ratio".to_string(),
    };
    let summary = Table {
        columns: vec![
            Column::text("quantity", "quantity"),
            Column::num("low", "low"),
            Column::num("central", "central"),
            Column::num("high", "high"),
            Column::text("unit", "unit"),
        ],
        rows: vec![
            vec![
                Cell::text(format!("A: {a}, total")),
                Cell::Num(v.a.value.low),
                Cell::Num(v.a.value.central),
                Cell::Num(v.a.value.high),
                Cell::text(&book.numeraire),
            ],
            vec![
                Cell::text(format!("B: {}", b_label(sides))),
                Cell::Num(v.b.value.low),
                Cell::Num(v.b.value.central),
                Cell::Num(v.b.value.high),
                Cell::text(&book.numeraire),
            ],
            vec![
                Cell::text(match measure {
                    Measure::Years(_) => "A in years of B".to_string(),
                    Measure::Ratio => "A ÷ B".to_string(),
                }),
                Cell::Num(result.low.value),
                Cell::Num(result.central.value),
                Cell::Num(result.high.value),
                Cell::text(&unit),
            ],
        ],
    };
    let mut detail = Table {
        columns: vec![
            Column::text("side", "side"),
            Column::text("commodity", "commodity"),
            Column::num("amount", "amount"),
            Column::text("unit", "unit"),
            Column::text("rate_years", "rate for"),
            Column::num("rate_low", "rate low"),
            Column::num("rate_central", "rate central"),
            Column::num("rate_high", "rate high"),
            Column::num("value_low", "value low"),
            Column::num("value_central", "value central"),
            Column::num("value_high", "value high"),
        ],
        rows: Vec::new(),
    };
    valuation_rows(reg, book, "A", &v.a, &mut detail);
    valuation_rows(reg, book, "B", &v.b, &mut detail);
    let headline = match measure {
        Measure::Years(_) => format!(
            "{a} comes to {} years of the yearly flow of {b} in {} (low {}, high {}).",
            grouped(result.central.value),
            sides.b.year.unwrap_or_default(),
            grouped(result.low.value),
            grouped(result.high.value)
        ),
        Measure::Ratio => format!(
            "The total of {a} is {} times the total of {b} (low {}, high {}).",
            grouped(result.central.value),
            grouped(result.low.value),
            grouped(result.high.value)
        ),
    };
    let rounding = if result.exact() {
        format!("{RATIO_ROUNDING}; these needed none.")
    } else {
        let which: Vec<&str> = [
            ("low", result.low.exact),
            ("central", result.central.exact),
            ("high", result.high.exact),
        ]
        .iter()
        .filter(|(_, e)| !e)
        .map(|(n, _)| *n)
        .collect();
        format!("{RATIO_ROUNDING}; rounded here: {}.", which.join(", "))
    };
    let mut lines = vec![
        format!(
            "Unpriced, left out of the values: {}.",
            unpriced_line(reg, v)
        ),
        readings_line(used),
        how_line(measure),
        format!("{}{}", rounding[..1].to_uppercase(), &rounding[1..]),
        book_line(book),
    ];
    if let Some(x) = &cmp.solved {
        lines.push(solution_text(
            reg,
            book,
            x.commodity,
            x.target,
            &x.solution,
            measure,
        ));
    }
    let mut summary = summary;
    let mut context_lines = Vec::new();
    for figures in [&cmp.per_capita, &cmp.share_of_revenue]
        .into_iter()
        .flatten()
    {
        let (rows, notes) = super::context_series::render(ctx, book, figures);
        summary.rows.extend(rows);
        context_lines.extend(notes);
    }
    for l in context_lines {
        if !lines.contains(&l) {
            lines.push(l);
        }
    }
    Ok(Report {
        sections: vec![
            Section::Lines(None, vec![headline]),
            Section::Table(None, summary),
            Section::Table(Some("Valuation".into()), detail),
            Section::Lines(None, lines),
        ],
        json,
    })
}

/// Without a book: each commodity both sides hold, on its own.
fn per_commodity(
    ctx: &Context,
    cmp: &Comparison,
    measure: Measure,
    json: serde_json::Value,
    readings: String,
) -> Report {
    let reg = &ctx.corpus.registry;
    let (sides, rows) = (&cmp.sides, &cmp.per_commodity);
    let mut table = Table {
        columns: vec![
            Column::text("commodity", "commodity"),
            Column::text("unit", "unit"),
            Column::num("a", "A"),
            Column::num("b", "B"),
            Column::num("result", measure_name(measure)),
        ],
        rows: Vec::new(),
    };
    for r in rows {
        table.rows.push(vec![
            Cell::text(&reg.commodity(r.commodity).id),
            Cell::text(reg.unit_of(r.commodity)),
            Cell::Num(r.a),
            Cell::Num(r.b),
            Cell::Num(r.ratio.value),
        ]);
    }
    let (only_a, only_b) = (&cmp.only_a, &cmp.only_b);
    let headline = format!(
        "No price book: each commodity that both {} and {} hold is compared on its own (A = {} total, B = {}); give --prices BOOK to value them together.",
        sides.a.treaty,
        sides.b.treaty,
        sides.a.treaty,
        b_label(sides)
    );
    let rounded: Vec<String> = rows
        .iter()
        .filter(|r| !r.ratio.exact)
        .map(|r| reg.commodity(r.commodity).id.clone())
        .collect();
    let mut lines = vec![
        if rows.is_empty() {
            "The two treaties have no commodity in common, so nothing can be compared without a price book.".to_string()
        } else {
            String::new()
        },
        format!(
            "Not compared, only in A: {}; only in B: {}.",
            unpriced_or_nothing(reg, only_a),
            unpriced_or_nothing(reg, only_b)
        ),
        readings,
        format!(
            "Ratios are rounded to 4 decimal places, half to even; {}.",
            if rounded.is_empty() {
                "these needed none".to_string()
            } else {
                format!("rounded here: {}", rounded.join(", "))
            }
        ),
    ];
    lines.retain(|l| !l.is_empty());
    Report {
        sections: vec![
            Section::Lines(None, vec![headline]),
            Section::Table(None, table),
            Section::Lines(None, lines),
        ],
        json,
    }
}

/// One row per combination of readings (with --all-readings) and per book (with --all-books).
fn matrix(
    ctx: &Context,
    args: &CompareArgs,
    measure: Measure,
    books: &[&PriceBook],
    solve: Option<(CommodityId, Decimal)>,
) -> Result<Report> {
    let reg = &ctx.corpus.registry;
    let (a, b) = (args.a.as_str(), args.against.as_str());
    let m = report::matrix(
        &ctx.corpus,
        &ctx.readings,
        a,
        b,
        measure,
        books,
        solve,
        args.all_readings,
    )?;
    let mut columns = vec![
        Column::text("a_readings", "A readings"),
        Column::text("b_readings", "B readings"),
    ];
    if matches!(measure, Measure::Years(_)) {
        columns.push(Column::num("year", "B year"));
    }
    if books.is_empty() {
        columns.extend([
            Column::text("commodity", "commodity"),
            Column::text("unit", "unit"),
            Column::num("a", "A"),
            Column::num("b", "B"),
            Column::num("result", measure_name(measure)),
        ]);
    } else {
        columns.insert(0, Column::text("book", "book"));
        columns.extend([
            Column::num("a_central", "A central"),
            Column::num("b_central", "B central"),
            Column::text("numeraire", "numeraire"),
            Column::num("low", "low"),
            Column::num("central", measure_name(measure)),
            Column::num("high", "high"),
            Column::text("unpriced_a", "unpriced in A"),
            Column::text("unpriced_b", "unpriced in B"),
        ]);
        if let Some((c, t)) = solve {
            columns.push(Column::text(
                "solved_rate",
                &format!("{} for {}", reg.commodity(c).id, plain(t)),
            ));
        }
    }
    let mut table = Table {
        columns,
        rows: Vec::new(),
    };
    let any_rounded = m.any_rounded;
    for r in &m.rows {
        let mut row = vec![Cell::text(&r.a_readings), Cell::text(&r.b_readings)];
        let year_cell = |row: &mut Vec<Cell>, year: Option<tribute_core::Year>| {
            if let Some(y) = year {
                row.push(Cell::Int(i64::from(y)));
            }
        };
        match &r.body {
            MatrixBody::NotComputable(why) => {
                if matches!(measure, Measure::Years(_)) {
                    row.push(Cell::text(""));
                }
                if !books.is_empty() {
                    row.insert(0, Cell::text("—"));
                }
                while row.len() < table.columns.len().saturating_sub(1) {
                    row.push(Cell::text(""));
                }
                row.push(Cell::text(format!("not computable: {why}")));
            }
            MatrixBody::Commodity { year, ratio } => {
                year_cell(&mut row, *year);
                row.extend([
                    Cell::text(&reg.commodity(ratio.commodity).id),
                    Cell::text(reg.unit_of(ratio.commodity)),
                    Cell::Num(ratio.a),
                    Cell::Num(ratio.b),
                    Cell::Num(ratio.ratio.value),
                ]);
            }
            MatrixBody::Valued {
                book,
                year,
                valued: v,
                solution,
            } => {
                row.insert(0, Cell::text(&book.id));
                year_cell(&mut row, *year);
                row.extend([
                    Cell::Num(v.a.value.central),
                    Cell::Num(v.b.value.central),
                    Cell::text(&book.numeraire),
                ]);
                match &v.result {
                    Some(r) => row.extend([
                        Cell::Num(r.low.value),
                        Cell::Num(r.central.value),
                        Cell::Num(r.high.value),
                    ]),
                    None => {
                        row.extend([Cell::text(""), Cell::text("not computable"), Cell::text("")]);
                    }
                }
                row.push(Cell::text(unpriced_or_nothing(reg, &v.a.unpriced)));
                row.push(Cell::text(unpriced_or_nothing(reg, &v.b.unpriced)));
                if let Some(s) = solution {
                    row.push(Cell::text(match s {
                        Solution::Rate { rate, .. } => rounded_text(rate),
                        Solution::NoPositiveRate(_) => "no positive rate".to_string(),
                        Solution::AnyRate => "any rate".to_string(),
                    }));
                }
            }
        }
        table.rows.push(row);
    }
    let headline = match (books.is_empty(), measure) {
        (true, _) => format!(
            "{a} against {b}, no price book: each commodity both hold, compared on its own."
        ),
        (false, Measure::Years(_)) => format!(
            "{a} in years of the yearly flow of {b}, one row per {}.",
            rows_are(args)
        ),
        (false, Measure::Ratio) => format!(
            "The total of {a} ÷ the total of {b}, one row per {}.",
            rows_are(args)
        ),
    };
    let mut lines = vec![how_line(measure)];
    lines.push(if books.is_empty() {
        format!(
            "Ratios are rounded to 4 decimal places, half to even{}.",
            if any_rounded {
                ""
            } else {
                "; these needed none"
            }
        )
    } else {
        format!(
            "{}{}{}.",
            RATIO_ROUNDING[..1].to_uppercase(),
            &RATIO_ROUNDING[1..],
            if any_rounded {
                ""
            } else {
                "; these needed none"
            }
        )
    });
    if !m.pricing_nothing.is_empty() {
        lines.push(format!(
            "Not evaluated under {}, which price nothing of either treaty.",
            m.pricing_nothing.join(", ")
        ));
    }
    if let Some((c, t)) = solve {
        lines.push(format!(
            "Solved rate: the rate of {} (in each book's numeraire per {}) that makes the central value {}.",
            reg.commodity(c).id,
            reg.unit_of(c),
            plain(t)
        ));
    }
    let json = serde_json::to_value(m.wire(&ctx.corpus, a, b, measure, books))?;
    Ok(Report {
        sections: vec![
            Section::Lines(None, vec![headline]),
            Section::Table(None, table),
            Section::Lines(None, lines),
        ],
        json,
    })
}

fn rows_are(args: &CompareArgs) -> &'static str {
    match (args.all_books, args.all_readings) {
        (true, true) => "price book and combination of readings",
        (true, false) => "price book",
        _ => "combination of readings",
    }
}
