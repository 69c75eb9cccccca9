//! The figures of the comparison chart (`tribute chart compare`): A's value, B's value a year,
//! the years B's running total needs to reach A, those years to the places the chart prints them
//! to, and B's value over a number of years asked about.
//!
//! What must hold: the years at [`RATIO_PLACES`] are the comparison report's own ratio (a chart
//! built from a [`Priced`] comparison reads its [`Ratio`], it does not divide again); the years
//! printed are the same quotients rounded the same way (earliest down, central half to even,
//! latest up) to no more places than the low–high spread supports: two significant figures of
//! the spread (a spread of ten years or more gives whole years), three significant figures
//! without a spread, never more than [`RATIO_PLACES`] and never fewer than whole years. The plot
//! crate reads these and computes only geometry (the axis's extent, the lines' end points).

use rust_decimal::Decimal;

use super::Priced;
use crate::amount::sub;
use crate::error::{Error, ErrorKind, Result};
use crate::valuation::{Interval, RATIO_PLACES, Ratio, Rounded, Rounding, div_round, mul, ratio};

/// How many years B needs to reach A, at some number of places.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reach {
    /// A central ÷ B central, rounded half to even.
    pub central: Rounded,
    /// The earliest and latest meeting, when A or B has a low–high spread.
    pub range: Option<ReachRange>,
}

/// The earliest and the latest meeting of B's running total with A.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReachRange {
    /// A low ÷ B high, rounded down.
    pub earliest: Rounded,
    /// A high ÷ B low, rounded up; `None` when B's low value is zero, so that B at its low never
    /// reaches A.
    pub latest: Option<Rounded>,
}

impl Reach {
    /// True if every figure is exact (no rounding changed it).
    pub fn exact(&self) -> bool {
        self.central.exact
            && self
                .range
                .as_ref()
                .is_none_or(|r| r.earliest.exact && r.latest.as_ref().is_none_or(|l| l.exact))
    }
}

/// B's value over a number of years asked about (a figure a source gives, say).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct YearsOfB {
    /// The years asked about.
    pub years: Decimal,
    /// B's central value a year × `years`.
    pub value: Decimal,
}

/// Every figure the comparison chart shows, in one numeraire.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompareChartData {
    /// A's value (a point if the valuation has no low–high spread).
    pub a: Interval,
    /// B's value a year (a point if it has no spread).
    pub b: Interval,
    /// The years B needs to reach A at [`RATIO_PLACES`], as `tribute compare` gives them.
    pub years: Reach,
    /// The decimal places the chart prints the years to.
    pub places: u32,
    /// The years at [`places`](Self::places), as the chart prints them.
    pub shown: Reach,
    /// B's value over the years asked about, if any.
    pub asked: Option<YearsOfB>,
}

fn refused(message: String) -> Error {
    Error::new(ErrorKind::Value, message)
}

fn check(label: &str, v: &Interval) -> Result<()> {
    if v.central.is_sign_negative() {
        return Err(refused(format!("{label} is negative ({})", v.central)));
    }
    if v.low.is_sign_negative() || v.low > v.central || v.central > v.high {
        return Err(refused(format!(
            "{label}: the interval {}–{} must be at least zero and contain the central value {}",
            v.low, v.high, v.central
        )));
    }
    Ok(())
}

/// The power of ten of `d` (above zero): `e` with `10^e ≤ d < 10^(e + 1)`, exactly, within
/// `-28..=28`.
fn magnitude(d: Decimal) -> i32 {
    let ten = Decimal::TEN;
    let (mut e, mut p) = (0i32, Decimal::ONE);
    while e < 28 {
        match p.checked_mul(ten) {
            Some(q) if d >= q => {
                p = q;
                e = e.saturating_add(1);
            }
            _ => break,
        }
    }
    while d < p && e > -28 {
        match p.checked_div(ten) {
            Some(q) => {
                p = q;
                e = e.saturating_sub(1);
            }
            None => break,
        }
    }
    e
}

/// The decimal places years are printed to: two significant figures of the spread of their
/// interval (a spread of 49.5 years gives whole years), or three significant figures of the
/// value without one; never more than [`RATIO_PLACES`] and never fewer than whole years.
fn places_for(value: Decimal, spread: Option<Decimal>) -> u32 {
    let digits = match spread {
        Some(w) if w > Decimal::ZERO => 1i32.saturating_sub(magnitude(w)),
        Some(_) => RATIO_PLACES as i32,
        None if value > Decimal::ZERO => 2i32.saturating_sub(magnitude(value)),
        None => 0,
    };
    digits.clamp(0, RATIO_PLACES as i32).unsigned_abs()
}

/// The years B needs to reach A at `places`, rounded as [`Reach`] says.
fn reach(a: &Interval, b: &Interval, places: u32, spread: bool) -> Result<Reach> {
    let central = div_round(a.central, b.central, places, Rounding::HalfEven)?;
    let range = if spread {
        Some(ReachRange {
            earliest: div_round(a.low, b.high, places, Rounding::Down)?,
            latest: if b.low.is_zero() {
                None
            } else {
                Some(div_round(a.high, b.low, places, Rounding::Up)?)
            },
        })
    } else {
        None
    };
    Ok(Reach { central, range })
}

impl CompareChartData {
    /// The chart's figures for A's value `a` against B's value a year `b`, marking `years` of B
    /// if given. An error if a value is negative, an interval does not contain its central value,
    /// B's central value is not above zero or `years` is not above zero.
    pub fn new(a: Interval, b: Interval, years: Option<Decimal>) -> Result<CompareChartData> {
        check("the value of A", &a)?;
        check("the annual value of B", &b)?;
        let result = if b.low > Decimal::ZERO {
            Some(ratio(&a, &b)?)
        } else {
            None
        };
        Self::with_ratio(a, b, result.as_ref(), years)
    }

    /// The chart's figures for a comparison valued with a book (B a yearly flow), reading the
    /// report's own ratio, and marking `years` of B if given.
    pub fn of_priced(priced: &Priced<'_>, years: Option<Decimal>) -> Result<CompareChartData> {
        let (a, b) = (priced.valued.a.value, priced.valued.b.value);
        check("the value of A", &a)?;
        check("the annual value of B", &b)?;
        Self::with_ratio(a, b, Some(&priced.result), years)
    }

    /// The figures, from `result` (A ÷ B as the report rounds it) where B's low value is above
    /// zero.
    fn with_ratio(
        a: Interval,
        b: Interval,
        result: Option<&Ratio>,
        years: Option<Decimal>,
    ) -> Result<CompareChartData> {
        if b.central <= Decimal::ZERO {
            return Err(refused(
                "the annual value of B must be above zero to compare years of it".into(),
            ));
        }
        if let Some(y) = years.filter(|y| *y <= Decimal::ZERO) {
            return Err(refused(format!(
                "the number of years must be above zero, not {y}"
            )));
        }
        let spread = !a.is_point() || !b.is_point();
        let at_ratio_places = match result {
            Some(r) => Reach {
                central: r.central,
                range: spread.then_some(ReachRange {
                    earliest: r.low,
                    latest: Some(r.high),
                }),
            },
            None => reach(&a, &b, RATIO_PLACES, spread)?,
        };
        let width = match &at_ratio_places.range {
            None => None,
            Some(ReachRange {
                earliest,
                latest: Some(latest),
            }) => Some(sub(latest.value, earliest.value)?),
            Some(ReachRange { latest: None, .. }) => Some(Decimal::ZERO),
        };
        let places = places_for(at_ratio_places.central.value, width);
        let shown = reach(&a, &b, places, spread)?;
        let asked = years
            .map(|y| {
                Ok::<_, Error>(YearsOfB {
                    years: y,
                    value: mul(b.central, y)?,
                })
            })
            .transpose()?;
        Ok(CompareChartData {
            a,
            b,
            years: at_ratio_places,
            places,
            shown,
            asked,
        })
    }
}

#[cfg(test)]
#[allow(clippy::arithmetic_side_effects, reason = "test code")]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        Decimal::from_str_exact(s).unwrap()
    }

    fn iv(low: &str, central: &str, high: &str) -> Interval {
        Interval {
            low: d(low),
            central: d(central),
            high: d(high),
        }
    }

    #[test]
    fn magnitudes_and_places() {
        assert_eq!(magnitude(d("1")), 0);
        assert_eq!(magnitude(d("9.99")), 0);
        assert_eq!(magnitude(d("10")), 1);
        assert_eq!(magnitude(d("49.5")), 1);
        assert_eq!(magnitude(d("0.05")), -2);
        // 49.5 years apart: whole years; 5 apart: tenths; 0.05 apart: three places.
        assert_eq!(places_for(d("67"), Some(d("49.5"))), 0);
        assert_eq!(places_for(d("67"), Some(d("5"))), 1);
        assert_eq!(places_for(d("67"), Some(d("0.05"))), 3);
        assert_eq!(places_for(d("67"), Some(d("0"))), RATIO_PLACES);
        // No spread: three figures of 67.33… is one place; of 204, none.
        assert_eq!(places_for(d("67.3333"), None), 1);
        assert_eq!(places_for(d("204"), None), 0);
    }

    #[test]
    fn hand_worked_intervals() {
        // A 102,000,000 (91,400,000–112,600,000) against 500,000 (410,000–590,000) a year:
        // 204 years exactly; 91.4 M ÷ 590,000 = 154.9152… (down: 154.9152); 112.6 M ÷ 410,000
        // = 274.6341… (up: 274.6342). 119.719 years apart: whole years, 154 down, 275 up.
        let f = CompareChartData::new(
            iv("91400000", "102000000", "112600000"),
            iv("410000", "500000", "590000"),
            Some(d("180")),
        )
        .unwrap();
        assert_eq!(f.years.central.value, d("204"));
        let r = f.years.range.unwrap();
        assert_eq!(r.earliest.value, d("154.9152"));
        assert_eq!(r.latest.unwrap().value, d("274.6342"));
        assert_eq!(f.places, 0);
        assert_eq!(
            f.shown.central,
            Rounded {
                value: d("204"),
                exact: true
            }
        );
        let s = f.shown.range.unwrap();
        assert_eq!(
            (s.earliest.value, s.latest.unwrap().value),
            (d("154"), d("275"))
        );
        assert!(!f.shown.exact());
        // 180 years × 500,000 = 90,000,000.
        assert_eq!(
            f.asked,
            Some(YearsOfB {
                years: d("180"),
                value: d("90000000")
            })
        );
    }

    #[test]
    fn hand_worked_points() {
        // 101,000,000 ÷ 1,500,000 = 67.3333…: no spread, so three figures, ≈67.3.
        let f = CompareChartData::new(
            Interval::exact(d("101000000")),
            Interval::exact(d("1500000")),
            None,
        )
        .unwrap();
        assert_eq!(f.years.central.value, d("67.3333"));
        assert!(f.years.range.is_none() && f.shown.range.is_none());
        assert_eq!(f.places, 1);
        assert_eq!(f.shown.central.value, d("67.3"));
        assert!(!f.shown.exact());
    }

    #[test]
    fn b_worth_nothing_at_its_low_never_reaches() {
        // B 0–2 (central 1): earliest 10 ÷ 2 = 5, latest never; the spread counts as none, so
        // four places.
        let f = CompareChartData::new(Interval::exact(d("10")), iv("0", "1", "2"), None).unwrap();
        let r = f.shown.range.unwrap();
        assert_eq!(r.earliest.value, d("5"));
        assert_eq!(r.latest, None);
        assert_eq!(f.places, RATIO_PLACES);
    }

    #[test]
    fn inconsistent_figures_are_refused() {
        let p = Interval::exact;
        let cases = [
            (p(d("1")), p(d("0")), None, "above zero"),
            (
                p(d("1")),
                p(d("1")),
                Some(d("-1")),
                "years must be above zero",
            ),
            (
                iv("102000001", "102000000", "112600000"),
                p(d("1")),
                None,
                "contain the central value",
            ),
            (p(d("-5")), p(d("1")), None, "negative"),
        ];
        for (a, b, years, says) in cases {
            let e = CompareChartData::new(a, b, years).unwrap_err();
            assert_eq!(e.kind(), ErrorKind::Value);
            assert!(e.message().contains(says), "`{e}` should say `{says}`");
        }
    }

    #[test]
    fn the_chart_reads_the_ratio_tribute_compare_reports() {
        use crate::report::{CompareOptions, compare};
        use crate::valuation::Measure;
        let corpus = crate::Corpus::load(&[crate::builtin()]).unwrap();
        let book = &corpus.price_books["song-silver"];
        let cmp = compare(
            &corpus,
            &crate::Readings::defaults(),
            "jin-demand-1126",
            "song-jin-1123",
            Measure::Years(None),
            Some(book),
            CompareOptions::default(),
        )
        .unwrap();
        let priced = cmp.priced.as_ref().unwrap();
        let f = CompareChartData::of_priced(priced, None).unwrap();
        // From the files: A (the article's reading) is 50,000,000 taels of silver at 1, 5,000,000
        // of gold at 10 (6–13) and 1,000,000 bolts of silk at 1 (0.8–1.25), the satin and the
        // animals unpriced: 101,000,000 (80,800,000–116,250,000). B, the 1123 yearly flow, is
        // 200,000 silver, 300,000 bolts of silk and 1,000,000 strings of cash at 1 (0.8–1.25):
        // 1,500,000 (1,240,000–1,825,000).
        assert_eq!(f.a, iv("80800000", "101000000", "116250000"));
        assert_eq!(f.b, iv("1240000", "1500000", "1825000"));
        // 101 M ÷ 1.5 M = 67.3333…; 80.8 M ÷ 1.825 M = 44.2739… (down); 116.25 M ÷ 1.24 M =
        // 93.75 exactly: the report's own ratio, not a second division.
        let r = f.years.range.unwrap();
        let got = (
            f.years.central.value,
            r.earliest.value,
            r.latest.unwrap().value,
        );
        assert_eq!(got, (d("67.3333"), d("44.2739"), d("93.75")));
        assert_eq!(
            (f.years.central, r.earliest, r.latest.unwrap()),
            (priced.result.central, priced.result.low, priced.result.high)
        );
        // 49.48 years apart: the chart prints whole years, ≈67 and ≈44–94.
        assert_eq!(f.places, 0);
        let s = f.shown.range.unwrap();
        let shown = (
            f.shown.central.value,
            s.earliest.value,
            s.latest.unwrap().value,
        );
        assert_eq!(shown, (d("67"), d("44"), d("94")));
        assert!(!f.shown.central.exact && !s.earliest.exact && !s.latest.unwrap().exact);
    }
}
