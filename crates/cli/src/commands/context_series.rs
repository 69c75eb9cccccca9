//! `compare --per-capita` and `--share-of-revenue`, rendered: the context figures that
//! `tribute_core::report::context` computes (each side set against its payer's population or
//! yearly revenue, the nearest point in time, its year and distance named) as summary rows and
//! notes. Nothing is computed here.

use tribute_core::PriceBook;
use tribute_core::Year;
use tribute_core::report::ContextFigure;
use tribute_core::series::{Series, SeriesPoint};

use crate::context::Context;
use crate::render::{Cell, grouped};

fn when(point: &SeriesPoint, year: Year) -> String {
    let gap = point.year.abs_diff(year);
    if gap == 0 {
        format!("{}", point.year)
    } else {
        format!("{}, {gap} years from {year}", point.year)
    }
}

fn cite(series: &Series, point: &SeriesPoint) -> String {
    let refs: Vec<String> = point.sources.iter().map(ToString::to_string).collect();
    format!("{} ({})", series.id, refs.join("; "))
}

/// Summary rows (quantity, low, central, high, unit) and notes for the context figures.
pub fn render(
    ctx: &Context,
    book: &PriceBook,
    figures: &[ContextFigure],
) -> (Vec<Vec<Cell>>, Vec<String>) {
    let reg = &ctx.corpus.registry;
    let (mut rows, mut notes) = (Vec::new(), Vec::new());
    for f in figures {
        match f {
            ContextFigure::Missing(text) => notes.push(text.clone()),
            ContextFigure::PerCapita {
                side,
                series,
                point,
                per_person: per,
            } => {
                rows.push(vec![
                    Cell::text(format!(
                        "{} per person of {} (population {})",
                        side.what,
                        side.payer,
                        when(point, side.year)
                    )),
                    Cell::Num(per.low),
                    Cell::Num(per.central),
                    Cell::Num(per.high),
                    Cell::text(format!("{} per person", book.numeraire)),
                ]);
                notes.push(format!(
                    "Population of {} in {}: {} (low {}, high {}), from {}.",
                    series.party,
                    point.year,
                    grouped(point.value.central),
                    grouped(point.value.low),
                    grouped(point.value.high),
                    cite(series, point)
                ));
            }
            ContextFigure::ShareOfRevenue {
                side,
                series,
                point,
                commodity: c,
                revenue,
                percent: share,
            } => {
                rows.push(vec![
                    Cell::text(format!(
                        "{} as a share of {}'s yearly revenue ({})",
                        side.what,
                        side.payer,
                        when(point, side.year)
                    )),
                    Cell::Num(share.low),
                    Cell::Num(share.central),
                    Cell::Num(share.high),
                    Cell::text("percent"),
                ]);
                notes.push(format!(
                    "Revenue of {} in {}: {} {} of {}, worth {} {} (low {}, high {}) in book {}; from {}.",
                    series.party,
                    point.year,
                    grouped(point.value.central),
                    reg.unit_of(*c),
                    reg.commodity(*c).id,
                    grouped(revenue.central),
                    book.numeraire,
                    grouped(revenue.low),
                    grouped(revenue.high),
                    book.id,
                    cite(series, point)
                ));
            }
        }
    }
    (rows, notes)
}
