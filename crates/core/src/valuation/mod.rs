//! Valuation: price books, exact low/central/high values, comparisons, the rate solver and
//! claims.
//!
//! A price book (`prices/<id>.toml`, see `docs/price-books.md`) gives, per commodity and span of
//! years, the value of one unit in the book's numeraire as a low, central and high rate. What must
//! always hold here:
//! - values are exact [`rust_decimal::Decimal`] intervals; sums and differences are checked, and a
//!   product that would lose a digit is an error;
//! - the only rounding is of ratios (years of a flow, ratios of totals, solved rates): to
//!   [`RATIO_PLACES`] places, outward for bounds, and every report says so ([`RATIO_ROUNDING`]);
//! - whatever a book cannot price is kept, by commodity and amount, in [`Valuation::unpriced`];
//!   nothing is dropped;
//! - valuing a stream is closed form: payments are split by the years each rate covers, never
//!   walked year by year.

mod book;
mod claim;
mod compare;
mod derive;
mod interval;
mod value;

pub(crate) use book::read_price_book_each;
pub use book::{Confidence, PriceBook, Rate, read_price_book};
pub use claim::{ClaimCase, ClaimCheck, Verdict, check_claim, check_claims};
pub use compare::{
    Choice, ChoiceKind, Combo, CommodityRatio, Measure, Side, Sides, Solution, Valued, combos,
    quotient_within, range_meets, used_readings,
};
pub use derive::{DEFAULT_PLACES, Derived, FORMULA, SeriesUsed};
pub use interval::{
    Interval, RATIO_PLACES, RATIO_ROUNDING, Ratio, Rounded, Rounding, div_round, mul, ratio,
};
pub use value::{Part, Split, StreamSplit, Valuation, split_streams};
