//! tribute-core: the model and exact engine of `tribute`.
//!
//! Treaties are data (TOML files, see `docs/treaty-format.md`); this crate loads them strictly,
//! resolves amendments, suspensions and readings into streams, and computes year-by-year and total
//! owed and delivered amounts exactly, in closed form. What must always hold:
//! - amounts are [`rust_decimal::Decimal`]; no float ever carries an amount;
//! - amounts of different commodities are never added together (a [`Basket`] keeps them apart);
//! - every user error is an [`Error`] naming file, line and column where the cause is in a file;
//! - arithmetic is checked: overflow is an error naming the treaty, never a panic or a wrap.

#![deny(missing_docs)]

pub mod account;
mod amount;
mod corpus;
pub mod date;
pub mod digest;
mod engine;
mod error;
mod loader;
mod model;
mod plugin;
mod registry;
pub mod report;
mod resolve;
pub mod schedule;
pub mod series;
pub mod suggest;
pub mod synth;
mod table;
pub mod timing;
mod valuation;

pub use amount::{
    Basket, CommodityId, Inexact, YEAR_MAX, YEAR_MIN, YEAR_SPAN, Year, add, mul_div_exact,
    parse_decimal, sub, times,
};
pub use corpus::{Corpus, Treaties};
pub use date::Date;
pub use engine::{GroupBy, Ledger, LedgerRow, Query, RowNote, TotalRow, Totals};
pub use error::{Error, ErrorKind, LineIndex, Location, Result, SourceFile, Text, line_col};
pub use model::{
    Action, ActionKind, Amendment, ArrearsRule, Claim, ClaimUnit, Delivery, DeliveryMode, Item,
    LocalSource, Obligation, SharePart, SourceRef, Status, Suspension, Target, Tolerance, Treaty,
    Variant,
};
pub use plugin::{
    BUILTIN, DEFAULT_MAX_FILE_SIZE, FileKind, Layer, LoadOptions, PluginFile, builtin,
    builtin_registry, read_treaty,
};
pub use registry::{Commodity, Party, Quality, Registry, SourceInfo, Unit};
pub use resolve::{
    AppliedAmendment, Readings, RecordedDelivery, Resolved, Settlement, Stream, SuspendedYears,
};
pub use schedule::{Payment, Piece, Schedule};
pub use valuation::{
    Choice, ChoiceKind, ClaimCase, ClaimCheck, Combo, CommodityRatio, Confidence, DEFAULT_PLACES,
    Derived, FORMULA, Interval, Measure, Part, PriceBook, RATIO_PLACES, RATIO_ROUNDING, Rate,
    Ratio, Rounded, Rounding, SeriesUsed, Side, Sides, Solution, Split, StreamSplit, Valuation,
    Valued, Verdict, check_claim, check_claims, combos, div_round, mul, quotient_within,
    range_meets, ratio, read_price_book, split_streams, used_readings,
};
