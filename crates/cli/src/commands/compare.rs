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

use anyhow::{Context as _, Result, bail};
use rust_decimal::Decimal;
use serde_json::{Value, json};
use tribute_core::{
    Basket, Combo, CommodityId, Measure, PriceBook, RATIO_ROUNDING, Ratio, Registry, Resolved,
    Rounded, Sides, Solution, Valuation, Valued, combos, parse_decimal, used_readings,
};

use super::{basket_json, basket_text, book_json, book_line, interval_json};
use crate::args::CompareArgs;
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

fn ratio_json(r: &Ratio) -> Value {
    json!({
        "low": plain(r.low.value), "central": plain(r.central.value), "high": plain(r.high.value),
        "exact": {"low": r.low.exact, "central": r.central.exact, "high": r.high.exact},
    })
}

fn what(measure: Measure) -> &'static str {
    match measure {
        Measure::Years(_) => "years",
        Measure::Ratio => "ratio",
    }
}

fn b_label(sides: &Sides) -> String {
    match sides.b.year {
        Some(y) => format!("{}, yearly flow in {y}", sides.b.treaty),
        None => format!("{}, total", sides.b.treaty),
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

fn solution_json(s: &Solution) -> Value {
    match s {
        Solution::Rate { rate, check } => {
            json!({"rate": plain(rate.value), "exact": rate.exact, "check": plain(check.value)})
        }
        Solution::NoPositiveRate(why) => json!({"rate": null, "reason": why}),
        Solution::AnyRate => json!({"rate": "any"}),
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

fn valuation_json(reg: &Registry, book: &PriceBook, v: &Valuation) -> Value {
    json!({
        "value": interval_json(&v.value),
        "parts": v.parts.iter().map(|p| {
            let rate = p.rate.map(|i| &book.rates[i]);
            json!({
                "commodity": reg.commodity(p.commodity).id,
                "unit": reg.unit_of(p.commodity),
                "amount": plain(p.amount),
                "years": rate.map(|r| r.years_text()),
                "rate": rate.map(|r| interval_json(&r.value)),
                "value": p.value.as_ref().map(interval_json),
            })
        }).collect::<Vec<_>>(),
        "unpriced": basket_json(reg, &v.unpriced),
    })
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

/// A comparison valued with one book: the book, both sides' valuations, and A ÷ B.
#[derive(Debug)]
pub struct Priced<'c> {
    /// The book.
    pub book: &'c PriceBook,
    /// Both sides valued.
    pub valued: Valued,
    /// A's total ÷ B's flow (or total), rounded as [`RATIO_ROUNDING`] says.
    pub result: Ratio,
}

/// The figures of one comparison at the selected readings, computed once for the report
/// (`tribute compare`) and the chart (`tribute chart compare`).
#[derive(Debug)]
pub struct Figures<'c> {
    /// A's total and B's flow (or total), by commodity.
    pub sides: Sides,
    /// The readings of A's and B's items.
    pub used: Combo,
    /// With a book: the values and the result.
    pub priced: Option<Priced<'c>>,
}

/// Computes one comparison: A's total and B's flow under the selected readings, valued with
/// `book` if one is given.
pub fn figures<'c>(
    ctx: &'c Context,
    args: &CompareArgs,
    measure: Measure,
    book: Option<&'c PriceBook>,
) -> Result<Figures<'c>> {
    let reg = &ctx.corpus.registry;
    let (a, b) = (args.a.as_str(), args.against.as_str());
    let resolved = ctx.resolve()?;
    let sides = Sides::new(&ctx.corpus, &resolved, a, b, measure)?;
    let used = used_readings(&ctx.corpus, &ctx.readings, &[a, b])?;
    let priced = match book {
        None => None,
        Some(book) => {
            let valued = sides.value(book)?;
            let Some(result) = valued.result else {
                bail!(
                    "the price book `{}` prices nothing of {}, so nothing can be measured against it (unpriced: {})",
                    book.id,
                    b_label(&sides),
                    basket_text(reg, &valued.b.unpriced)
                );
            };
            Some(Priced {
                book,
                valued,
                result,
            })
        }
    };
    Ok(Figures {
        sides,
        used,
        priced,
    })
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
pub fn run(ctx: &Context, args: &CompareArgs) -> Result<Report> {
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
    let Figures {
        sides,
        used,
        priced,
    } = figures(ctx, args, measure, books.first().copied())?;
    let mut json = json!({
        "a": {"treaty": a, "streams": sides.a.streams, "amounts": basket_json(reg, &sides.a.amounts)},
        "b": {"treaty": b, "streams": sides.b.streams, "year": sides.b.year, "amounts": basket_json(reg, &sides.b.amounts)},
        "measure": what(measure),
        "readings": used.choices.iter().map(|c| json!({"treaty": c.treaty, "item": c.item, "reading": c.reading, "default": c.default})).collect::<Vec<_>>(),
        "rounding": RATIO_ROUNDING,
    });
    let Some(Priced {
        book,
        valued: v,
        result,
    }) = priced
    else {
        return Ok(per_commodity(
            ctx,
            &sides,
            measure,
            json,
            readings_line(&used),
        ));
    };
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
                Cell::text(format!("B: {}", b_label(&sides))),
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
            unpriced_line(reg, &v)
        ),
        readings_line(&used),
        how_line(measure),
        format!("{}{}", rounding[..1].to_uppercase(), &rounding[1..]),
        book_line(book),
    ];
    if let Some((c, target)) = solve {
        let s = sides.solve(book, c, target)?;
        lines.push(solution_text(reg, book, c, target, &s, measure));
        json["solve"] = json!({"commodity": reg.commodity(c).id, "target": plain(target), "solution": solution_json(&s)});
    }
    let mut summary = summary;
    let mut context_lines = Vec::new();
    if args.per_capita || args.share_of_revenue {
        let treaty = |id: &str| &ctx.corpus.treaties[id];
        let side_values = [
            super::context_series::SideValue {
                side: "A",
                what: format!("A: {a}, total"),
                payer: &treaty(a).payer,
                year: treaty(a).signed,
                value: v.a.value,
            },
            super::context_series::SideValue {
                side: "B",
                what: format!("B: {}", b_label(&sides)),
                payer: &treaty(b).payer,
                year: sides.b.year.unwrap_or(treaty(b).signed),
                value: v.b.value,
            },
        ];
        if args.per_capita {
            let (rows, notes, js) = super::context_series::per_capita(ctx, book, &side_values)?;
            summary.rows.extend(rows);
            context_lines.extend(notes);
            json["per_capita"] = js;
        }
        if args.share_of_revenue {
            let (rows, notes, js) =
                super::context_series::share_of_revenue(ctx, book, &side_values)?;
            summary.rows.extend(rows);
            context_lines.extend(notes);
            json["share_of_revenue"] = js;
        }
    }
    for l in context_lines {
        if !lines.contains(&l) {
            lines.push(l);
        }
    }
    json["prices"] = book_json(book);
    json["a"]["valuation"] = valuation_json(reg, book, &v.a);
    json["b"]["valuation"] = valuation_json(reg, book, &v.b);
    json["result"] = ratio_json(&result);
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
    sides: &Sides,
    measure: Measure,
    mut json: Value,
    readings: String,
) -> Report {
    let reg = &ctx.corpus.registry;
    let rows = sides.per_commodity().unwrap_or_default();
    let mut table = Table {
        columns: vec![
            Column::text("commodity", "commodity"),
            Column::text("unit", "unit"),
            Column::num("a", "A"),
            Column::num("b", "B"),
            Column::num("result", what(measure)),
        ],
        rows: Vec::new(),
    };
    for r in &rows {
        table.rows.push(vec![
            Cell::text(&reg.commodity(r.commodity).id),
            Cell::text(reg.unit_of(r.commodity)),
            Cell::Num(r.a),
            Cell::Num(r.b),
            Cell::Num(r.ratio.value),
        ]);
    }
    let only = |x: &Basket, y: &Basket| -> Basket {
        let mut out = Basket::new();
        for (c, a) in x.iter() {
            if y.get(c).is_zero() {
                let _ = out.add_amount(c, a);
            }
        }
        out
    };
    let (only_a, only_b) = (
        only(&sides.a.amounts, &sides.b.amounts),
        only(&sides.b.amounts, &sides.a.amounts),
    );
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
            unpriced_or_nothing(reg, &only_a),
            unpriced_or_nothing(reg, &only_b)
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
    json["per_commodity"] = Value::Array(
        rows.iter()
            .map(|r| json!({"commodity": reg.commodity(r.commodity).id, "unit": reg.unit_of(r.commodity), "a": plain(r.a), "b": plain(r.b), "result": plain(r.ratio.value), "exact": r.ratio.exact}))
            .collect(),
    );
    json["only_a"] = basket_json(reg, &only_a);
    json["only_b"] = basket_json(reg, &only_b);
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
    let list = if args.all_readings {
        combos(&ctx.corpus, &[a, b])?
    } else {
        vec![used_readings(&ctx.corpus, &ctx.readings, &[a, b])?]
    };
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
            Column::num("result", what(measure)),
        ]);
    } else {
        columns.insert(0, Column::text("book", "book"));
        columns.extend([
            Column::num("a_central", "A central"),
            Column::num("b_central", "B central"),
            Column::text("numeraire", "numeraire"),
            Column::num("low", "low"),
            Column::num("central", what(measure)),
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
    let mut json_rows = Vec::new();
    let mut any_rounded = false;
    for combo in &list {
        let applied = combo.apply(&ctx.corpus);
        let resolved = Resolved::new(&applied, &ctx.readings)
            .with_context(|| format!("resolving readings {}", combo.label_for(a)))?;
        let labels = [combo.label_for(a), combo.label_for(b)];
        let sides = match Sides::new(&applied, &resolved, a, b, measure) {
            Ok(s) => s,
            Err(e) => {
                let mut row = vec![Cell::text(&labels[0]), Cell::text(&labels[1])];
                if matches!(measure, Measure::Years(_)) {
                    row.push(Cell::text(""));
                }
                if !books.is_empty() {
                    row.insert(0, Cell::text("—"));
                }
                while row.len() < table.columns.len() - 1 {
                    row.push(Cell::text(""));
                }
                row.push(Cell::text(format!("not computable: {}", e.message())));
                table.rows.push(row);
                json_rows.push(
                    json!({"a_readings": labels[0], "b_readings": labels[1], "error": e.message()}),
                );
                continue;
            }
        };
        let year_cell = |row: &mut Vec<Cell>| {
            if let Some(y) = sides.b.year {
                row.push(Cell::Int(i64::from(y)));
            }
        };
        if books.is_empty() {
            for r in sides.per_commodity()? {
                any_rounded |= !r.ratio.exact;
                let mut row = vec![Cell::text(&labels[0]), Cell::text(&labels[1])];
                year_cell(&mut row);
                row.extend([
                    Cell::text(&reg.commodity(r.commodity).id),
                    Cell::text(reg.unit_of(r.commodity)),
                    Cell::Num(r.a),
                    Cell::Num(r.b),
                    Cell::Num(r.ratio.value),
                ]);
                table.rows.push(row);
                json_rows.push(json!({"a_readings": labels[0], "b_readings": labels[1], "year": sides.b.year, "commodity": reg.commodity(r.commodity).id, "a": plain(r.a), "b": plain(r.b), "result": plain(r.ratio.value), "exact": r.ratio.exact}));
            }
            continue;
        }
        for book in books {
            let v = sides.value(book)?;
            let mut row = vec![
                Cell::text(&book.id),
                Cell::text(&labels[0]),
                Cell::text(&labels[1]),
            ];
            year_cell(&mut row);
            row.extend([
                Cell::Num(v.a.value.central),
                Cell::Num(v.b.value.central),
                Cell::text(&book.numeraire),
            ]);
            match &v.result {
                Some(r) => {
                    any_rounded |= !r.exact();
                    row.extend([
                        Cell::Num(r.low.value),
                        Cell::Num(r.central.value),
                        Cell::Num(r.high.value),
                    ]);
                }
                None => row.extend([Cell::text(""), Cell::text("not computable"), Cell::text("")]),
            }
            row.push(Cell::text(unpriced_or_nothing(reg, &v.a.unpriced)));
            row.push(Cell::text(unpriced_or_nothing(reg, &v.b.unpriced)));
            let mut jrow = json!({
                "book": book.id, "a_readings": labels[0], "b_readings": labels[1], "year": sides.b.year,
                "a": interval_json(&v.a.value), "b": interval_json(&v.b.value),
                "result": v.result.as_ref().map(ratio_json),
                "unpriced_a": basket_json(reg, &v.a.unpriced), "unpriced_b": basket_json(reg, &v.b.unpriced),
            });
            if let Some((c, t)) = solve {
                let s = sides.solve(book, c, t)?;
                row.push(Cell::text(match &s {
                    Solution::Rate { rate, .. } => rounded_text(rate),
                    Solution::NoPositiveRate(_) => "no positive rate".to_string(),
                    Solution::AnyRate => "any rate".to_string(),
                }));
                jrow["solve"] = solution_json(&s);
            }
            table.rows.push(row);
            json_rows.push(jrow);
        }
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
    if let Some((c, t)) = solve {
        lines.push(format!(
            "Solved rate: the rate of {} (in each book's numeraire per {}) that makes the central value {}.",
            reg.commodity(c).id,
            reg.unit_of(c),
            plain(t)
        ));
    }
    let json = json!({
        "a": a, "b": b, "measure": what(measure),
        "books": books.iter().map(|bk| book_json(bk)).collect::<Vec<_>>(),
        "rounding": RATIO_ROUNDING,
        "rows": json_rows,
    });
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
