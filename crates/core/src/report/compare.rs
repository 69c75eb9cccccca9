//! The comparison report: A's total as years of B's yearly flow (or as a ratio of totals), with
//! or without a price book, with the solver, and over every combination of readings and books.
//!
//! What must hold: `tribute compare` and `tribute chart compare` read the same [`Comparison`]
//! (the chart its figures through [`CompareChartData::of_priced`]);
//! ratios are the only rounded figures, rounded as [`RATIO_ROUNDING`] says, and every rounded
//! one is marked; whatever a book cannot price is carried by commodity and amount.

pub mod chart;
mod wire;

pub use chart::{CompareChartData, Reach, ReachRange, YearsOfB};
pub use wire::{
    ChoiceOut, CommodityRatioOut, CompareOut, ExactOut, MatrixOut, MatrixRowOut, PartOut, RatioOut,
    SideOut, SolutionOut, SolveOut, SolvedRate, ValuationOut,
};

use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::Serialize;

use super::context::{ContextFigure, ContextOut, SideValue};
use super::{Amounts, BookOut, Dec, IntervalOut, basket_text};
use crate::amount::{Basket, CommodityId, Year};
use crate::error::{Error, ErrorKind, Result};
use crate::loader::Corpus;
use crate::resolve::{Readings, Resolved};
use crate::valuation::{
    Combo, CommodityRatio, Measure, PriceBook, RATIO_ROUNDING, Ratio, Sides, Solution, Valuation,
    Valued, combos, used_readings,
};

/// A comparison valued with one book: the book, both sides' valuations, and A ÷ B.
#[derive(Debug, Clone)]
pub struct Priced<'b> {
    /// The book.
    pub book: &'b PriceBook,
    /// Both sides valued.
    pub valued: Valued,
    /// A's total ÷ B's flow (or total), rounded as [`RATIO_ROUNDING`] says.
    pub result: Ratio,
}

/// The rate `--solve` asked for, and what it came to.
#[derive(Debug, Clone)]
pub struct Solved {
    /// The commodity whose rate is solved for.
    pub commodity: CommodityId,
    /// The central value wanted.
    pub target: Decimal,
    /// The answer.
    pub solution: Solution,
}

/// One comparison at the selected readings.
#[derive(Debug, Clone)]
pub struct Comparison<'b> {
    /// A's total and B's flow (or total), by commodity.
    pub sides: Sides,
    /// The readings of A's and B's items.
    pub used: Combo,
    /// With a book: the values and the result.
    pub priced: Option<Priced<'b>>,
    /// With a book and `--solve`: the rate.
    pub solved: Option<Solved>,
    /// Without a book: each commodity both sides hold, on its own.
    pub per_commodity: Vec<CommodityRatio>,
    /// Without a book: what only A holds.
    pub only_a: Basket,
    /// Without a book: what only B holds.
    pub only_b: Basket,
    /// With `--per-capita`: each side per person of its payer, where a population is loaded.
    pub per_capita: Option<Vec<ContextFigure>>,
    /// With `--share-of-revenue`: each side as a share of its payer's yearly revenue.
    pub share_of_revenue: Option<Vec<ContextFigure>>,
    /// The sources behind A's streams and B's, with their grades.
    pub sources: [Vec<super::SourceOut>; 2],
}

/// What a comparison is asked for besides its two treaties.
#[derive(Debug, Clone, Copy, Default)]
pub struct CompareOptions {
    /// Set each side against its payer's population.
    pub per_capita: bool,
    /// Set each side against its payer's yearly revenue.
    pub share_of_revenue: bool,
    /// Solve for the rate of a commodity that makes the central value a target.
    pub solve: Option<(CommodityId, Decimal)>,
}

/// `jin-demand-1126, total` or `song-jin-1123, yearly flow in 1123`: what B is.
pub fn b_label(sides: &Sides) -> String {
    match sides.b.year {
        Some(y) => format!("{}, yearly flow in {y}", sides.b.treaty),
        None => format!("{}, total", sides.b.treaty),
    }
}

/// Computes one comparison of treaty `a` against `b` under `readings`, valued with `book` if one
/// is given.
pub fn compare<'b>(
    corpus: &Corpus,
    readings: &Readings,
    a: &str,
    b: &str,
    measure: Measure,
    book: Option<&'b PriceBook>,
    options: CompareOptions,
) -> Result<Comparison<'b>> {
    let reg = &corpus.registry;
    let resolved = Resolved::new(corpus, readings)?;
    let sides = Sides::new(corpus, &resolved, a, b, measure)?;
    let used = used_readings(corpus, readings, &[a, b])?;
    let sources_of = |keys: &[String]| {
        super::sources_of(
            corpus,
            resolved.streams.iter().filter(|s| keys.contains(&s.key())),
        )
    };
    let sources = [sources_of(&sides.a.streams), sources_of(&sides.b.streams)];
    let mut out = Comparison {
        per_commodity: Vec::new(),
        only_a: Basket::new(),
        only_b: Basket::new(),
        priced: None,
        solved: None,
        per_capita: None,
        share_of_revenue: None,
        used,
        sides,
        sources,
    };
    let Some(book) = book else {
        out.per_commodity = out.sides.per_commodity().unwrap_or_default();
        out.only_a = only(&out.sides.a.amounts, &out.sides.b.amounts)?;
        out.only_b = only(&out.sides.b.amounts, &out.sides.a.amounts)?;
        return Ok(out);
    };
    let valued = out.sides.value(book)?;
    let Some(result) = valued.result else {
        return Err(Error::new(
            ErrorKind::Value,
            format!(
                "the price book `{}` prices nothing of {}, so nothing can be measured against it (unpriced: {})",
                book.id,
                b_label(&out.sides),
                basket_text(reg, &valued.b.unpriced)
            ),
        ));
    };
    if let Some((c, target)) = options.solve {
        out.solved = Some(Solved {
            commodity: c,
            target,
            solution: out.sides.solve(book, c, target)?,
        });
    }
    if options.per_capita || options.share_of_revenue {
        let treaty = |id: &str| {
            corpus
                .treaties
                .get(id)
                .ok_or_else(|| Error::new(ErrorKind::Reference, format!("no treaty `{id}`")))
        };
        let (ta, tb) = (treaty(a)?, treaty(b)?);
        let side_values = [
            SideValue {
                side: "A",
                what: format!("A: {a}, total"),
                payer: ta.payer.to_string(),
                year: ta.signed,
                value: valued.a.value,
            },
            SideValue {
                side: "B",
                what: format!("B: {}", b_label(&out.sides)),
                payer: tb.payer.to_string(),
                year: out.sides.b.year.unwrap_or(tb.signed),
                value: valued.b.value,
            },
        ];
        if options.per_capita {
            out.per_capita = Some(super::context::per_capita(corpus, book, &side_values)?);
        }
        if options.share_of_revenue {
            out.share_of_revenue = Some(super::context::share_of_revenue(
                corpus,
                book,
                &side_values,
            )?);
        }
    }
    out.priced = Some(Priced {
        book,
        valued,
        result,
    });
    Ok(out)
}

/// What `x` holds of commodities `y` does not.
fn only(x: &Basket, y: &Basket) -> Result<Basket> {
    let mut out = Basket::new();
    for (c, a) in x.iter() {
        if y.get(c).is_zero() {
            out.add_amount(c, a)?;
        }
    }
    Ok(out)
}

/// One row of a comparison over readings and books.
#[derive(Debug, Clone)]
pub struct MatrixRow<'b> {
    /// The readings of A's items, as a label.
    pub a_readings: String,
    /// The readings of B's items.
    pub b_readings: String,
    /// What the row holds.
    pub body: MatrixBody<'b>,
}

/// The figures of one matrix row.
#[derive(Debug, Clone)]
pub enum MatrixBody<'b> {
    /// This combination of readings cannot be compared; the text says why.
    NotComputable(String),
    /// No book: one commodity both sides hold.
    Commodity {
        /// B's year.
        year: Option<Year>,
        /// The commodity compared.
        ratio: CommodityRatio,
    },
    /// Valued with one book.
    Valued {
        /// The book.
        book: &'b PriceBook,
        /// B's year.
        year: Option<Year>,
        /// Both sides valued, and the result if B is priced.
        valued: Box<Valued>,
        /// The solved rate, with `--solve`.
        solution: Option<Solution>,
    },
}

/// A comparison over every combination of readings (`all_readings`) and over `books`.
#[derive(Debug, Clone)]
pub struct Matrix<'b> {
    /// The rows, readings by readings, book by book.
    pub rows: Vec<MatrixRow<'b>>,
    /// True if some ratio needed rounding.
    pub any_rounded: bool,
    /// The books left out of the rows because they price nothing of either treaty under any
    /// combination of readings (the Boxer parities for a Song comparison), in id order: named
    /// once, as `tribute check` names them, not listed row by row.
    pub pricing_nothing: Vec<String>,
}

/// Compares `a` against `b` once per combination of readings (or at the selected readings) and
/// once per book.
#[allow(clippy::too_many_arguments)]
pub fn matrix<'b>(
    corpus: &Corpus,
    readings: &Readings,
    a: &str,
    b: &str,
    measure: Measure,
    books: &[&'b PriceBook],
    solve: Option<(CommodityId, Decimal)>,
    all_readings: bool,
) -> Result<Matrix<'b>> {
    let list = if all_readings {
        combos(corpus, &[a, b])?
    } else {
        vec![used_readings(corpus, readings, &[a, b])?]
    };
    let mut out = Matrix {
        rows: Vec::new(),
        any_rounded: false,
        pricing_nothing: Vec::new(),
    };
    for combo in &list {
        let applied = combo.apply(corpus);
        let resolved = Resolved::new(&applied, readings).map_err(|e| {
            Error::new(
                e.kind(),
                format!("resolving readings {}: {}", combo.label_for(a), e.message()),
            )
        })?;
        let (a_readings, b_readings) = (combo.label_for(a), combo.label_for(b));
        let row = |body| MatrixRow {
            a_readings: a_readings.clone(),
            b_readings: b_readings.clone(),
            body,
        };
        let sides = match Sides::new(&applied, &resolved, a, b, measure) {
            Ok(s) => s,
            Err(e) => {
                out.rows
                    .push(row(MatrixBody::NotComputable(e.message().to_string())));
                continue;
            }
        };
        if books.is_empty() {
            for r in sides.per_commodity()? {
                out.any_rounded |= !r.ratio.exact;
                out.rows.push(row(MatrixBody::Commodity {
                    year: sides.b.year,
                    ratio: r,
                }));
            }
            continue;
        }
        for &book in books {
            let valued = sides.value(book)?;
            if let Some(r) = &valued.result {
                out.any_rounded |= !r.exact();
            }
            let solution = solve.map(|(c, t)| sides.solve(book, c, t)).transpose()?;
            out.rows.push(row(MatrixBody::Valued {
                book,
                year: sides.b.year,
                valued: Box::new(valued),
                solution,
            }));
        }
    }
    // A book that prices nothing of either side in every row it has is named once.
    let blank = |r: &MatrixRow<'_>, id: &str| match &r.body {
        MatrixBody::Valued { book, valued, .. } if book.id == id => Some(
            valued.result.is_none()
                && valued.a.value.high.is_zero()
                && valued.b.value.high.is_zero(),
        ),
        _ => None,
    };
    for &book in books {
        let mut mine = out
            .rows
            .iter()
            .filter_map(|r| blank(r, &book.id))
            .peekable();
        if mine.peek().is_some() && mine.all(|b| b) && !out.pricing_nothing.contains(&book.id) {
            out.pricing_nothing.push(book.id.clone());
        }
    }
    out.pricing_nothing.sort();
    let left_out = &out.pricing_nothing;
    out.rows.retain(
        |r| !matches!(&r.body, MatrixBody::Valued { book, .. } if left_out.contains(&book.id)),
    );
    Ok(out)
}

/// `"years"` or `"ratio"`.
pub fn measure_name(measure: Measure) -> &'static str {
    match measure {
        Measure::Years(_) => "years",
        Measure::Ratio => "ratio",
    }
}
