//! The comparison report's wire form: what `tribute compare --format json` prints (and the CSV
//! and tables read), the serialisation of a [`super::Comparison`] or a [`super::Matrix`]. What
//! must hold: every figure here is one the report computed; this module only names and shapes it
//! (docs/schema/compare.json is generated from these types).

#[allow(clippy::wildcard_imports)]
use super::*;

/// A ratio on the wire: its bounds and which of them are exact.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct RatioOut {
    /// Low bound, rounded down.
    pub low: Dec,
    /// Central value, rounded half to even.
    pub central: Dec,
    /// High bound, rounded up.
    pub high: Dec,
    /// Which bounds needed no rounding.
    pub exact: ExactOut,
}

/// Which bounds of a ratio are exact.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ExactOut {
    /// The low bound.
    pub low: bool,
    /// The central value.
    pub central: bool,
    /// The high bound.
    pub high: bool,
}

impl From<&Ratio> for RatioOut {
    fn from(r: &Ratio) -> RatioOut {
        RatioOut {
            low: Dec(r.low.value),
            central: Dec(r.central.value),
            high: Dec(r.high.value),
            exact: ExactOut {
                low: r.low.exact,
                central: r.central.exact,
                high: r.high.exact,
            },
        }
    }
}

/// A solved rate on the wire: the rate, `"any"`, or none (with the reason).
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct SolutionOut {
    /// The rate, `"any"`, or `null`.
    pub rate: Option<SolvedRate>,
    /// Whether the rate is exact.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exact: Option<bool>,
    /// The comparison at the rate as shown.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub check: Option<Dec>,
    /// Why no positive rate does it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// A solved rate's value.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(untagged)]
pub enum SolvedRate {
    /// This rate.
    Value(Dec),
    /// Any rate (the text `"any"`).
    Any(&'static str),
}

impl From<&Solution> for SolutionOut {
    fn from(s: &Solution) -> SolutionOut {
        match s {
            Solution::Rate { rate, check } => SolutionOut {
                rate: Some(SolvedRate::Value(Dec(rate.value))),
                exact: Some(rate.exact),
                check: Some(Dec(check.value)),
                reason: None,
            },
            Solution::NoPositiveRate(why) => SolutionOut {
                rate: None,
                exact: None,
                check: None,
                reason: Some(why.clone()),
            },
            Solution::AnyRate => SolutionOut {
                rate: Some(SolvedRate::Any("any")),
                exact: None,
                check: None,
                reason: None,
            },
        }
    }
}

/// One priced part of a valuation on the wire.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct PartOut {
    /// Commodity id.
    pub commodity: String,
    /// Its unit.
    pub unit: String,
    /// How much.
    pub amount: Dec,
    /// The years the rate is for, or `null` if unpriced.
    pub years: Option<String>,
    /// The rate, or `null`.
    pub rate: Option<IntervalOut>,
    /// `amount × rate`, or `null`.
    pub value: Option<IntervalOut>,
}

/// A side's valuation on the wire.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ValuationOut {
    /// The value of everything priced.
    pub value: IntervalOut,
    /// Every amount, priced or not.
    pub parts: Vec<PartOut>,
    /// What the book does not price.
    pub unpriced: Amounts,
}

impl ValuationOut {
    fn of(corpus: &Corpus, book: &PriceBook, v: &Valuation) -> ValuationOut {
        let reg = &corpus.registry;
        ValuationOut {
            value: (&v.value).into(),
            parts: v
                .parts
                .iter()
                .map(|p| {
                    let rate = p.rate.and_then(|i| book.rates.get(i));
                    PartOut {
                        commodity: reg.commodity(p.commodity).id.clone(),
                        unit: reg.unit_of(p.commodity).to_string(),
                        amount: Dec(p.amount),
                        years: rate.map(|r| r.years_text()),
                        rate: rate.map(|r| (&r.value).into()),
                        value: p.value.as_ref().map(Into::into),
                    }
                })
                .collect(),
            unpriced: Amounts::of(reg, &v.unpriced),
        }
    }
}

/// One side of a comparison on the wire.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct SideOut {
    /// The treaty.
    pub treaty: String,
    /// The streams counted.
    pub streams: Vec<String>,
    /// B's year (absent for A).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub year: Option<Option<Year>>,
    /// The amounts counted.
    pub amounts: Amounts,
    /// Valued, with a book.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub valuation: Option<ValuationOut>,
    /// The sources behind its streams, with their grades.
    pub sources: Vec<crate::report::SourceOut>,
}

/// A reading choice on the wire.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ChoiceOut {
    /// The treaty whose file holds the item.
    pub treaty: String,
    /// The item.
    pub item: String,
    /// The reading used.
    pub reading: String,
    /// True if it is the file's default.
    pub default: bool,
}

/// The solve request and its answer on the wire.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct SolveOut {
    /// The commodity.
    pub commodity: String,
    /// The target.
    pub target: Dec,
    /// The answer.
    pub solution: SolutionOut,
}

/// One commodity compared on its own on the wire.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct CommodityRatioOut {
    /// Commodity id.
    pub commodity: String,
    /// Its unit.
    pub unit: String,
    /// A's amount.
    pub a: Dec,
    /// B's amount.
    pub b: Dec,
    /// A ÷ B, rounded.
    pub result: Dec,
    /// True if no rounding was needed.
    pub exact: bool,
}

/// One comparison as `--format json` prints it.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct CompareOut {
    /// A.
    pub a: SideOut,
    /// B.
    pub b: SideOut,
    /// `years` or `ratio`.
    pub measure: &'static str,
    /// The readings used.
    pub readings: Vec<ChoiceOut>,
    /// How ratios are rounded.
    pub rounding: &'static str,
    /// The book.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub prices: Option<BookOut>,
    /// A ÷ B.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub result: Option<RatioOut>,
    /// The solved rate.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub solve: Option<SolveOut>,
    /// Per person.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub per_capita: Option<Vec<ContextOut>>,
    /// As a share of revenue.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub share_of_revenue: Option<Vec<ContextOut>>,
    /// Without a book: each commodity on its own.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub per_commodity: Option<Vec<CommodityRatioOut>>,
    /// Without a book: only in A.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub only_a: Option<Amounts>,
    /// Without a book: only in B.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub only_b: Option<Amounts>,
    /// Each side's payments worth at a year (`--accumulate`/`--discount` with `--to-year`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub worth: Option<crate::report::worth::CompareWorthOut>,
}

fn ratio_of_commodity(corpus: &Corpus, r: &CommodityRatio) -> CommodityRatioOut {
    let reg = &corpus.registry;
    CommodityRatioOut {
        commodity: reg.commodity(r.commodity).id.clone(),
        unit: reg.unit_of(r.commodity).to_string(),
        a: Dec(r.a),
        b: Dec(r.b),
        result: Dec(r.ratio.value),
        exact: r.ratio.exact,
    }
}

impl Comparison<'_> {
    /// The wire form.
    pub fn wire(&self, corpus: &Corpus) -> CompareOut {
        let reg = &corpus.registry;
        let s = &self.sides;
        let priced = self.priced.as_ref();
        let valuation = |v: fn(&Valued) -> &Valuation| {
            priced.map(|p| ValuationOut::of(corpus, p.book, v(&p.valued)))
        };
        let no_book = priced.is_none();
        CompareOut {
            a: SideOut {
                treaty: s.a.treaty.clone(),
                streams: s.a.streams.clone(),
                year: None,
                amounts: Amounts::of(reg, &s.a.amounts),
                valuation: valuation(|v| &v.a),
                sources: self.sources[0].clone(),
            },
            b: SideOut {
                treaty: s.b.treaty.clone(),
                streams: s.b.streams.clone(),
                year: Some(s.b.year),
                amounts: Amounts::of(reg, &s.b.amounts),
                valuation: valuation(|v| &v.b),
                sources: self.sources[1].clone(),
            },
            measure: measure_name(s.measure),
            readings: self
                .used
                .choices
                .iter()
                .map(|c| ChoiceOut {
                    treaty: c.treaty.clone(),
                    item: c.item.clone(),
                    reading: c.reading.clone(),
                    default: c.default,
                })
                .collect(),
            rounding: RATIO_ROUNDING,
            prices: priced.map(|p| BookOut::from(p.book)),
            result: priced.map(|p| (&p.result).into()),
            solve: self.solved.as_ref().map(|x| SolveOut {
                commodity: reg.commodity(x.commodity).id.clone(),
                target: Dec(x.target),
                solution: (&x.solution).into(),
            }),
            per_capita: self
                .per_capita
                .as_ref()
                .map(|f| f.iter().filter_map(|f| f.wire(corpus)).collect()),
            share_of_revenue: self
                .share_of_revenue
                .as_ref()
                .map(|f| f.iter().filter_map(|f| f.wire(corpus)).collect()),
            per_commodity: no_book.then(|| {
                self.per_commodity
                    .iter()
                    .map(|r| ratio_of_commodity(corpus, r))
                    .collect()
            }),
            only_a: no_book.then(|| Amounts::of(reg, &self.only_a)),
            only_b: no_book.then(|| Amounts::of(reg, &self.only_b)),
            worth: None,
        }
    }
}

/// One matrix row on the wire.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(untagged)]
#[allow(
    clippy::large_enum_variant,
    reason = "built once per row and serialised at once; boxing would only add noise"
)]
pub enum MatrixRowOut {
    /// Not computable.
    Error {
        /// A's readings.
        a_readings: String,
        /// B's readings.
        b_readings: String,
        /// Why.
        error: String,
    },
    /// One commodity, no book.
    Commodity {
        /// A's readings.
        a_readings: String,
        /// B's readings.
        b_readings: String,
        /// B's year.
        year: Option<Year>,
        /// Commodity id.
        commodity: String,
        /// A's amount.
        a: Dec,
        /// B's amount.
        b: Dec,
        /// A ÷ B, rounded.
        result: Dec,
        /// True if no rounding was needed.
        exact: bool,
    },
    /// Valued with a book.
    Valued {
        /// The book's id.
        book: String,
        /// A's readings.
        a_readings: String,
        /// B's readings.
        b_readings: String,
        /// B's year.
        year: Option<Year>,
        /// A's value.
        a: IntervalOut,
        /// B's value.
        b: IntervalOut,
        /// A ÷ B, or `null` if B is not priced.
        result: Option<RatioOut>,
        /// Unpriced in A.
        unpriced_a: Amounts,
        /// Unpriced in B.
        unpriced_b: Amounts,
        /// The solved rate.
        #[serde(skip_serializing_if = "Option::is_none")]
        solve: Option<SolutionOut>,
    },
}

/// A comparison over readings and books as `--format json` prints it.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct MatrixOut {
    /// A's treaty.
    pub a: String,
    /// B's treaty.
    pub b: String,
    /// `years` or `ratio`.
    pub measure: &'static str,
    /// The books.
    pub books: Vec<BookOut>,
    /// How ratios are rounded.
    pub rounding: &'static str,
    /// The rows.
    pub rows: Vec<MatrixRowOut>,
    /// Books left out of the rows because they price nothing of either treaty (no row for them).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub books_pricing_nothing: Vec<String>,
}

impl Matrix<'_> {
    /// The wire form.
    pub fn wire(
        &self,
        corpus: &Corpus,
        a: &str,
        b: &str,
        measure: Measure,
        books: &[&PriceBook],
    ) -> MatrixOut {
        let reg = &corpus.registry;
        MatrixOut {
            a: a.to_string(),
            b: b.to_string(),
            measure: measure_name(measure),
            books: books.iter().map(|&bk| BookOut::from(bk)).collect(),
            rounding: RATIO_ROUNDING,
            rows: self
                .rows
                .iter()
                .map(|r| {
                    let (a_readings, b_readings) = (r.a_readings.clone(), r.b_readings.clone());
                    match &r.body {
                        MatrixBody::NotComputable(why) => MatrixRowOut::Error {
                            a_readings,
                            b_readings,
                            error: why.clone(),
                        },
                        MatrixBody::Commodity { year, ratio } => MatrixRowOut::Commodity {
                            a_readings,
                            b_readings,
                            year: *year,
                            commodity: reg.commodity(ratio.commodity).id.clone(),
                            a: Dec(ratio.a),
                            b: Dec(ratio.b),
                            result: Dec(ratio.ratio.value),
                            exact: ratio.ratio.exact,
                        },
                        MatrixBody::Valued {
                            book,
                            year,
                            valued,
                            solution,
                        } => MatrixRowOut::Valued {
                            book: book.id.clone(),
                            a_readings,
                            b_readings,
                            year: *year,
                            a: (&valued.a.value).into(),
                            b: (&valued.b.value).into(),
                            result: valued.result.as_ref().map(Into::into),
                            unpriced_a: Amounts::of(reg, &valued.a.unpriced),
                            unpriced_b: Amounts::of(reg, &valued.b.unpriced),
                            solve: solution.as_ref().map(Into::into),
                        },
                    }
                })
                .collect(),
            books_pricing_nothing: self.pricing_nothing.clone(),
        }
    }
}
