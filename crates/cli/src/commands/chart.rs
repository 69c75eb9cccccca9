//! `tribute chart KIND … -o FILE.svg|FILE.png`: a chart of the selected streams as a picture.
//!
//! Kinds: `burden` (what was paid each year, recorded and assumed apart: a panel per commodity, or valued with `--prices`
//! and piled up), `cumulative` (running totals, or their values with a low–high band), `timeline`
//! (one bar per stream), `compare` (A's total against the running total of B's yearly flow; the
//! arguments and the comparison of `tribute compare`, from [`super::compare::figures`], whose
//! figures the chart reads through [`CompareChartData::of_priced`]).
//!
//! What must hold: the command reads nothing (the output, size and font bytes come resolved in a
//! [`ChartOutput`]) and writes nothing: it returns the picture's bytes, which `main` writes as
//! any `-o` output ([`crate::render::write_atomic`]: a regular file atomically), and warnings for standard error (text no font can draw). The charts are built by tribute-plot from the core's reports; amounts of
//! different commodities are never added, and anything a price book cannot price is named in the
//! chart's caption.

use anyhow::{Result, bail};
use tribute_core::{Measure, Query};
use tribute_plot::{CompareInput, PlotError, StackBy};

use super::compare::{Plan, figures, plan, readings_line, unpriced_line};
use crate::args::{self, ChartKind, CompareArgs};
use crate::context::{ChartOutput, Context, PictureFormat};
use tribute_core::report::CompareChartData;

/// A plot error as the binary reports it: a core error keeps its file, line and column.
fn plot_error(e: PlotError) -> anyhow::Error {
    match e.core_error() {
        Some(core) => core.clone().into(),
        None => anyhow::Error::new(e),
    }
}

fn stack_by(s: args::StackBy) -> StackBy {
    match s {
        args::StackBy::Commodity => StackBy::Commodity,
        args::StackBy::Payee => StackBy::Payee,
    }
}

/// A treaty's name, or its id if it has none.
fn name_of(ctx: &Context, id: &str) -> String {
    ctx.corpus
        .treaties
        .get(id)
        .map_or_else(|| id.to_string(), |t| t.name.to_string())
}

/// The comparison chart's input: A's total and B's yearly flow valued with the book, from the
/// same figures `tribute compare` reports.
fn compare_input(ctx: &Context, args: &CompareArgs) -> Result<CompareInput> {
    let args = &ctx.compare_args(args)?;
    let Plan {
        measure,
        books,
        solve,
    } = plan(ctx, args)?;
    if args.ratio {
        bail!("chart compare draws years of B's yearly flow; --ratio is for `tribute compare`");
    }
    if args.all_readings || args.all_books {
        bail!(
            "chart compare draws one comparison; --all-readings and --all-books are for `tribute compare` (choose readings with --reading and a book with --prices)"
        );
    }
    if solve.is_some() {
        bail!("chart compare does not solve for a rate; --solve is for `tribute compare`");
    }
    let Some(book) = books.first().copied() else {
        bail!(
            "chart compare needs --prices BOOK: amounts of different commodities share one scale only as values in a book's numeraire"
        );
    };
    let cmp = figures(ctx, args, measure, Some(book), None)?;
    let (sides, used) = (&cmp.sides, &cmp.used);
    let Some(priced) = &cmp.priced else {
        bail!("the comparison could not be valued with `{}`", book.id);
    };
    let year = match (measure, sides.b.year) {
        (Measure::Years(_), Some(y)) => y,
        _ => bail!("{} has no yearly flow to count years of", args.against),
    };
    let data = CompareChartData::of_priced(priced, None)?;
    let valued = &priced.valued;
    let reg = &ctx.corpus.registry;
    Ok(CompareInput {
        a_label: name_of(ctx, &args.a),
        b_label: format!("the {year} yearly flow of {}", name_of(ctx, &args.against)),
        numeraire: book.numeraire.clone(),
        notes: vec![
            format!(
                "A: {} (every stream, any status); B: {} (its recurring obligations in {year}); as `tribute compare {} --against {} --prices {}`",
                args.a, args.against, args.a, args.against, book.id
            ),
            format!(
                "price book `{}` ({}); the band shows each value at its rates' low and high",
                book.id, book.name
            ),
            format!(
                "unpriced, left out of the values: {}",
                unpriced_line(reg, valued)
            ),
            readings_line(used)
                .trim_end_matches('.')
                .replacen("Readings", "readings", 1),
        ],
        figures: data,
    })
}

/// A rendered chart, and what the user should know about it.
#[derive(Debug)]
pub struct Picture {
    /// The SVG or PNG bytes.
    pub bytes: Vec<u8>,
    /// Warnings for standard error (characters no font has).
    pub warnings: Vec<String>,
}

/// Builds the chart `kind` and renders it as `out` says.
pub fn run(ctx: &Context, kind: &ChartKind, out: &ChartOutput) -> Result<Picture> {
    let book = |prices: &Option<String>| prices.as_deref().map(|n| ctx.book(n)).transpose();
    let filtered = |filters| -> Result<(tribute_core::Resolved, Query)> {
        Ok((ctx.resolve()?, ctx.query(filters)?))
    };
    let c = &ctx.corpus;
    let mut spec = match kind {
        ChartKind::Burden {
            filters,
            pricing,
            stack_by: by,
            ..
        } => {
            let book = book(&pricing.prices)?;
            let (r, q) = filtered(filters)?;
            match book {
                None => tribute_plot::burden(c, &r, &q, stack_by(*by)),
                Some(b) => tribute_plot::burden_valued(c, &r, &q, stack_by(*by), b),
            }
        }
        ChartKind::Cumulative {
            filters, pricing, ..
        } => {
            let book = book(&pricing.prices)?;
            let (r, q) = filtered(filters)?;
            match book {
                None => tribute_plot::cumulative(c, &r, &q),
                Some(b) => tribute_plot::cumulative_valued(c, &r, &q, b),
            }
        }
        ChartKind::Timeline { filters, .. } => {
            let (r, q) = filtered(filters)?;
            tribute_plot::timeline(c, &r, &q)
        }
        ChartKind::Compare { compare, .. } => tribute_plot::compare(&compare_input(ctx, compare)?),
    }
    .map_err(plot_error)?;
    if let Some(title) = &out.title {
        spec.title.clone_from(title);
    }
    let mut warnings = Vec::new();
    let missing =
        tribute_plot::missing_glyphs(&spec, out.options.font.as_deref()).map_err(plot_error)?;
    if !missing.is_empty() {
        let chars: String = missing.iter().take(12).collect();
        let more = if missing.len() > 12 { "…" } else { "" };
        warnings.push(format!(
            "the chart's text has characters ({chars}{more}) that {} lacks; they show as empty boxes in a PNG: give --font FILE with a font that has them (for Chinese, a CJK font such as Noto Sans CJK)",
            if out.options.font.is_some() {
                "neither the --font given nor the built-in DejaVu Sans"
            } else {
                "the built-in DejaVu Sans"
            }
        ));
    }
    let bytes = match out.format {
        PictureFormat::Svg => tribute_plot::render_svg(&spec, &out.options).map(String::into_bytes),
        PictureFormat::Png => tribute_plot::render_png(&spec, &out.options),
    }
    .map_err(plot_error)?;
    Ok(Picture { bytes, warnings })
}
