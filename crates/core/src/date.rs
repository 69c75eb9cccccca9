//! Dates within the year: a checked calendar date (proleptic Gregorian) for schedules that fall
//! due on days rather than in years.
//!
//! What must hold: a [`Date`] is always a real date (1902-02-30 is refused, 1900-02-29 too, 2000-02-29
//! is accepted) in the supported years ([`YEAR_MIN`] to [`YEAR_MAX`]); it prints and serialises as
//! `1902-07-01` (a year below 1000 with four digits, a year before 1 with a minus sign); a treaty
//! file writes it as a TOML local date (`due = 1902-07-01`) or as a string (`"1902-07-01"`), and a
//! TOML datetime with a time or an offset is refused with a fix. Day arithmetic is on whole days
//! (no time of day, no time zone).

use std::fmt;

use schemars::JsonSchema;
use serde::{Serialize, Serializer};

use crate::amount::{YEAR_MAX, YEAR_MIN, Year};

/// A calendar date: year, month, day, checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    year: Year,
    month: u8,
    day: u8,
}

/// True if `year` is a leap year of the proleptic Gregorian calendar.
pub fn is_leap(year: Year) -> bool {
    let y = i64::from(year);
    y.rem_euclid(4) == 0 && (y.rem_euclid(100) != 0 || y.rem_euclid(400) == 0)
}

/// The number of days of `month` (1 to 12) in `year` (0 for a month that does not exist).
pub fn days_in_month(year: Year, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(year) => 29,
        2 => 28,
        _ => 0,
    }
}

impl Date {
    /// The date, if it is a real one in the supported years; else why not.
    pub fn new(year: i64, month: i64, day: i64) -> Result<Date, String> {
        let y = Year::try_from(year)
            .ok()
            .filter(|y| (YEAR_MIN..=YEAR_MAX).contains(y))
            .ok_or_else(|| {
                format!("the year {year} is outside the supported years ({YEAR_MIN} to {YEAR_MAX})")
            })?;
        let m = u8::try_from(month)
            .ok()
            .filter(|m| (1..=12).contains(m))
            .ok_or_else(|| format!("there is no month {month}: months are 01 to 12"))?;
        let last = days_in_month(y, m);
        let d = u8::try_from(day)
            .ok()
            .filter(|d| (1..=last).contains(d))
            .ok_or_else(|| {
                format!(
                    "{} has {last} days in {}, so there is no day {day}",
                    month_name(m),
                    y
                )
            })?;
        Ok(Date {
            year: y,
            month: m,
            day: d,
        })
    }

    /// The year.
    pub fn year(self) -> Year {
        self.year
    }

    /// The month, 1 to 12.
    pub fn month(self) -> u8 {
        self.month
    }

    /// The day of the month, from 1.
    pub fn day(self) -> u8 {
        self.day
    }

    /// Parses `YYYY-MM-DD` (a year of at least four digits, with a leading `-` before year 1).
    pub fn parse(text: &str) -> Result<Date, String> {
        let bad = || format!("`{text}` is not a date: write it as YYYY-MM-DD, e.g. 1902-07-01");
        let (negative, rest) = match text.strip_prefix('-') {
            Some(r) => (true, r),
            None => (false, text),
        };
        let mut parts = rest.split('-');
        let (Some(y), Some(m), Some(d), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(bad());
        };
        let digits = |s: &str, min: usize, max: usize| -> Result<i64, String> {
            if s.len() < min || s.len() > max || !s.bytes().all(|b| b.is_ascii_digit()) {
                return Err(bad());
            }
            s.parse::<i64>().map_err(|_| bad())
        };
        let year = digits(y, 4, 5)?;
        let year = if negative {
            year.checked_neg().ok_or_else(bad)?
        } else {
            year
        };
        Date::new(year, digits(m, 2, 2)?, digits(d, 2, 2)?)
    }

    /// Reads a date from a TOML value: a local date (`1902-07-01`) or a string (`"1902-07-01"`).
    /// The error says what is wrong and how to write it.
    pub fn from_toml(value: &toml::Value) -> Result<Date, (String, String)> {
        let help = "write a date as 1902-07-01 (a TOML local date) or \"1902-07-01\"".to_string();
        match value {
            toml::Value::String(s) => Date::parse(s).map_err(|m| (m, help)),
            toml::Value::Datetime(dt) => {
                if dt.time.is_some() || dt.offset.is_some() {
                    return Err((
                        format!("`{dt}` has a time of day or an offset; a due date is a day"),
                        format!(
                            "write the day alone, e.g. {}",
                            match dt.date {
                                Some(d) => format!("{:04}-{:02}-{:02}", d.year, d.month, d.day),
                                None => "1902-07-01".to_string(),
                            }
                        ),
                    ));
                }
                match dt.date {
                    Some(d) => Date::new(i64::from(d.year), i64::from(d.month), i64::from(d.day))
                        .map_err(|m| (m, help)),
                    None => Err((format!("`{dt}` is a time, not a date"), help)),
                }
            }
            other => Err((
                format!(
                    "a date is a TOML local date or a string, not a {}",
                    other.type_str()
                ),
                help,
            )),
        }
    }

    /// Reads a day of the year `MM-DD` (as in `date = "03-03"`); February 29 is refused, since it
    /// does not fall every year.
    pub fn parse_month_day(text: &str) -> Result<(u8, u8), String> {
        let bad =
            || format!("`{text}` is not a day of the year: write it as MM-DD, e.g. \"03-03\"");
        let (m, d) = text.split_once('-').ok_or_else(bad)?;
        if m.len() != 2 || d.len() != 2 {
            return Err(bad());
        }
        let m: u8 = m.parse().map_err(|_| bad())?;
        let d: u8 = d.parse().map_err(|_| bad())?;
        // 2001 is not a leap year, so 02-29 is refused.
        Date::new(2001, i64::from(m), i64::from(d)).map_err(|_| {
            if (m, d) == (2, 29) {
                "02-29 does not fall every year; name a day that does".to_string()
            } else {
                bad()
            }
        })?;
        Ok((m, d))
    }

    /// The date `months` months later, the day held at the month's last day where the month is
    /// shorter (1902-01-31 plus one month is 1902-02-28). `None` beyond the supported years.
    pub fn plus_months(self, months: u32) -> Option<Date> {
        let index = i64::from(self.year)
            .checked_mul(12)?
            .checked_add(i64::from(self.month))?
            .checked_sub(1)?
            .checked_add(i64::from(months))?;
        let year = index.div_euclid(12);
        let month = index.rem_euclid(12).checked_add(1)?;
        let y = Year::try_from(year).ok()?;
        let m = u8::try_from(month).ok()?;
        let day = self.day.min(days_in_month(y, m));
        Date::new(year, month, i64::from(day)).ok()
    }

    /// The date in another year, same month and day (February 29 becomes the 28th in a common
    /// year). `None` beyond the supported years.
    pub fn in_year(year: Year, month: u8, day: u8) -> Option<Date> {
        let day = day.min(days_in_month(year, month));
        Date::new(i64::from(year), i64::from(month), i64::from(day)).ok()
    }

    /// Days since 0000-03-01 (negative before), for day counts between dates.
    pub fn day_number(self) -> i64 {
        // Howard Hinnant's days_from_civil, with checked arithmetic; a checked date is far inside
        // the range of an i64, so the fallback of 0 is never taken.
        let f = || -> Option<i64> {
            let (m, d) = (i64::from(self.month), i64::from(self.day));
            let y = i64::from(self.year).checked_sub(i64::from(m <= 2))?;
            let era = y.div_euclid(400);
            let yoe = y.rem_euclid(400);
            let mp = if m > 2 {
                m.checked_sub(3)?
            } else {
                m.checked_add(9)?
            };
            let doy = mp
                .checked_mul(153)?
                .checked_add(2)?
                .checked_div(5)?
                .checked_add(d)?
                .checked_sub(1)?;
            let doe = yoe
                .checked_mul(365)?
                .checked_add(yoe.checked_div(4)?)?
                .checked_sub(yoe.checked_div(100)?)?
                .checked_add(doy)?;
            era.checked_mul(146_097)?.checked_add(doe)
        };
        f().unwrap_or(0)
    }

    /// Whole days from `self` to `later` (negative if `later` is earlier).
    pub fn days_until(self, later: Date) -> i64 {
        later
            .day_number()
            .checked_sub(self.day_number())
            .unwrap_or(0)
    }
}

fn month_name(m: u8) -> &'static str {
    [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ]
    .get(usize::from(m.saturating_sub(1)))
    .copied()
    .unwrap_or("that month")
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.year < 0 {
            write!(
                f,
                "-{:04}-{:02}-{:02}",
                self.year.unsigned_abs(),
                self.month,
                self.day
            )
        } else {
            write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
        }
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for Date {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Date, D::Error> {
        let s = String::deserialize(d)?;
        Date::parse(&s).map_err(serde::de::Error::custom)
    }
}

impl JsonSchema for Date {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Date".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "pattern": "^-?[0-9]{4}-[0-9]{2}-[0-9]{2}$",
            "description": "A calendar date (proleptic Gregorian) as YYYY-MM-DD."
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn real_dates_only() {
        assert!(Date::parse("1902-02-30").is_err());
        assert!(Date::parse("1900-02-29").is_err());
        assert!(Date::parse("2000-02-29").is_ok());
        assert!(Date::parse("1902-13-01").is_err());
        assert!(Date::parse("1902-7-1").is_err());
        assert!(Date::parse("10000-01-01").is_err());
        let msg = Date::parse("1902-02-30").unwrap_err();
        assert!(msg.contains("28 days"), "{msg}");
        assert_eq!(
            Date::parse("-0044-03-15").unwrap().to_string(),
            "-0044-03-15"
        );
        assert_eq!(Date::parse("0800-12-25").unwrap().to_string(), "0800-12-25");
    }

    #[test]
    fn order_display_and_months() {
        let a = Date::parse("1902-01-31").unwrap();
        let b = Date::parse("1902-07-01").unwrap();
        assert!(a < b);
        assert_eq!(b.to_string(), "1902-07-01");
        assert_eq!(a.plus_months(1).unwrap().to_string(), "1902-02-28");
        assert_eq!(a.plus_months(13).unwrap().to_string(), "1903-02-28");
        assert_eq!(b.plus_months(6).unwrap().to_string(), "1903-01-01");
        assert_eq!(
            Date::parse("9999-12-01").unwrap().plus_months(1),
            None,
            "beyond the supported years"
        );
    }

    #[test]
    fn day_counts() {
        let d = |s: &str| Date::parse(s).unwrap();
        // By hand: 1871 is a common year; March 2 to July 1 is 29 + 30 + 31 + 30 + 1 = 121 days.
        assert_eq!(d("1871-03-02").days_until(d("1871-07-01")), 121);
        assert_eq!(d("1900-01-01").days_until(d("1901-01-01")), 365);
        assert_eq!(d("2000-01-01").days_until(d("2001-01-01")), 366);
        // 1970-01-01 is 719,468 days after 0000-03-01 (Hinnant's epoch offset).
        assert_eq!(d("1970-01-01").day_number(), 719_468);
    }

    #[test]
    fn toml_values() {
        let v: toml::Table = toml::from_str(
            "a = 1902-07-01\nb = 1902-07-01T10:00:00\nc = \"1902-02-30\"\nd = 12:00:00",
        )
        .unwrap();
        assert_eq!(Date::from_toml(&v["a"]).unwrap().to_string(), "1902-07-01");
        let (m, help) = Date::from_toml(&v["b"]).unwrap_err();
        assert!(m.contains("time of day"), "{m}");
        assert!(help.contains("1902-07-01"), "{help}");
        assert!(
            Date::from_toml(&v["c"])
                .unwrap_err()
                .0
                .contains("no day 30")
        );
        assert!(Date::from_toml(&v["d"]).is_err());
        assert_eq!(Date::parse_month_day("03-03"), Ok((3, 3)));
        assert!(Date::parse_month_day("02-29").is_err());
        assert!(Date::parse_month_day("3-3").is_err());
    }
}
