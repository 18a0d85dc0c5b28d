//! Calendar months and the date arithmetic the plans are built on.

use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, Days, Months, NaiveDate};
use serde::de::{self, Deserialize, Deserializer};

/// Earliest and latest years a scenario may name; keeps every date computation far from
/// chrono's limits so that no input can overflow.
pub const FIRST_YEAR: i32 = 1990;
pub const LAST_YEAR: i32 = 2200;

/// A calendar month such as 2027-01: the grain of every cost curve and budget.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct YearMonth {
    year: i32,
    month: u32,
}

impl YearMonth {
    /// The month `year-month`, or `None` when the month is not 1–12 or the year is outside
    /// the supported range.
    pub fn new(year: i32, month: u32) -> Option<Self> {
        ((1..=12).contains(&month) && (FIRST_YEAR..=LAST_YEAR).contains(&year))
            .then_some(Self { year, month })
    }

    /// The month a date falls in.
    pub fn of(date: NaiveDate) -> Self {
        Self {
            year: date.year(),
            month: date.month(),
        }
    }

    pub fn year(self) -> i32 {
        self.year
    }

    pub fn month(self) -> u32 {
        self.month
    }

    /// Months since year 0, a monotone index for arithmetic.
    fn index(self) -> i64 {
        i64::from(self.year) * 12 + i64::from(self.month) - 1
    }

    fn from_index(index: i64) -> Self {
        let year = index.div_euclid(12);
        let month = index.rem_euclid(12) + 1;
        Self {
            year: i32::try_from(year).unwrap_or(i32::MAX),
            month: u32::try_from(month).unwrap_or(1),
        }
    }

    /// This month moved by `months` (negative moves back).
    pub fn plus(self, months: i64) -> Self {
        Self::from_index(self.index() + months)
    }

    /// Whole months from `self` to `later` (negative when `later` is earlier).
    pub fn months_until(self, later: Self) -> i64 {
        later.index() - self.index()
    }

    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, self.month, 1).unwrap_or(NaiveDate::MIN)
    }

    /// Days in this month (28 to 31).
    pub fn days(self) -> u32 {
        match self.month {
            2 if self.year % 4 == 0 && (self.year % 100 != 0 || self.year % 400 == 0) => 29,
            2 => 28,
            4 | 6 | 9 | 11 => 30,
            _ => 31,
        }
    }

    /// The last day of this month, given its first day (no calendar lookup).
    pub fn last_day_from(self, first_day: NaiveDate) -> NaiveDate {
        add_days(first_day, u64::from(self.days() - 1))
    }

    pub fn last_day(self) -> NaiveDate {
        self.plus(1)
            .first_day()
            .pred_opt()
            .unwrap_or(NaiveDate::MIN)
    }

    /// `count` consecutive months starting with this one.
    pub fn range(self, count: u32) -> impl Iterator<Item = YearMonth> {
        (0..i64::from(count)).map(move |i| self.plus(i))
    }
}

impl fmt::Display for YearMonth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

impl FromStr for YearMonth {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || format!("`{s}` is not a month: expected \"YYYY-MM\", e.g. \"2027-01\"");
        let (y, m) = s.split_once('-').ok_or_else(bad)?;
        if y.len() != 4 || m.len() != 2 {
            return Err(bad());
        }
        let year: i32 = y.parse().map_err(|_| bad())?;
        let month: u32 = m.parse().map_err(|_| bad())?;
        if !(1..=12).contains(&month) {
            return Err(format!(
                "`{s}` is not a month: month {month} does not exist"
            ));
        }
        YearMonth::new(year, month)
            .ok_or_else(|| format!("`{s}`: year must be between {FIRST_YEAR} and {LAST_YEAR}"))
    }
}

impl<'de> Deserialize<'de> for YearMonth {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(de::Error::custom)
    }
}

/// A date as every output writes it (`2027-06-30`), or `none` when there is no date.
pub fn date_or(date: Option<NaiveDate>, none: &str) -> String {
    date.map_or_else(|| none.to_string(), |d| d.format("%Y-%m-%d").to_string())
}

/// `date` plus `months` calendar months, clamped to the month's end (Jan 31 + 1 = Feb 28/29).
/// Always add to the anchor date rather than chaining, so that month ends do not drift.
pub fn add_months(date: NaiveDate, months: u32) -> NaiveDate {
    date.checked_add_months(Months::new(months))
        .unwrap_or(NaiveDate::MAX)
}

/// `date` minus `months` calendar months, clamped to the month's end.
pub fn sub_months(date: NaiveDate, months: u32) -> NaiveDate {
    date.checked_sub_months(Months::new(months))
        .unwrap_or(NaiveDate::MIN)
}

pub fn add_days(date: NaiveDate, days: u64) -> NaiveDate {
    date.checked_add_days(Days::new(days))
        .unwrap_or(NaiveDate::MAX)
}

pub fn sub_days(date: NaiveDate, days: u64) -> NaiveDate {
    date.checked_sub_days(Days::new(days))
        .unwrap_or(NaiveDate::MIN)
}

/// A calendar date from the scenario file: a TOML date (`2027-06-30`) or a string
/// (`"2027-06-30"`); a date that does not exist (`2027-02-30`) is rejected.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date(pub NaiveDate);

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> de::Visitor<'de> for Visitor {
            type Value = Date;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a date as \"YYYY-MM-DD\"")
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<Date, E> {
                parse_date(s).map_err(E::custom)
            }
            fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<Date, A::Error> {
                // A bare TOML date arrives as a datetime map.
                let value =
                    toml::value::Datetime::deserialize(de::value::MapAccessDeserializer::new(map))?;
                parse_date(&value.to_string()).map_err(de::Error::custom)
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

fn parse_date(s: &str) -> Result<Date, String> {
    let shaped = s.len() == 10
        && s.char_indices().all(|(i, c)| {
            if i == 4 || i == 7 {
                c == '-'
            } else {
                c.is_ascii_digit()
            }
        });
    if !shaped {
        return Err(format!(
            "`{s}` is not written as a date: write YYYY-MM-DD (year, month, day), e.g. \"2027-06-30\""
        ));
    }
    let date = NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map_err(|_| format!("`{s}` is written as YYYY-MM-DD, but no such day exists"))?;
    if !(FIRST_YEAR..=LAST_YEAR).contains(&date.year()) {
        return Err(format!(
            "`{s}`: year must be between {FIRST_YEAR} and {LAST_YEAR}"
        ));
    }
    Ok(Date(date))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    #[test]
    fn days_in_month_agree_with_the_calendar_for_every_month_certplan_accepts() {
        for year in FIRST_YEAR..=LAST_YEAR {
            for month in 1..=12 {
                let m = YearMonth::new(year, month).unwrap();
                assert_eq!(m.last_day_from(m.first_day()), m.last_day(), "{m}");
            }
        }
    }

    /// A date from `YYYY-MM-DD`, for the tests of every module.
    pub(crate) fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn month_arithmetic_clamps_month_ends() {
        assert_eq!(add_months(d("2027-01-31"), 1), d("2027-02-28"));
        assert_eq!(add_months(d("2028-01-31"), 1), d("2028-02-29"));
        // Adding to the anchor does not drift: Jan 31 + 2 months is Mar 31.
        assert_eq!(add_months(d("2027-01-31"), 2), d("2027-03-31"));
    }

    #[test]
    fn year_month_parses_and_rejects_months_that_do_not_exist() {
        assert_eq!(
            "2027-03".parse::<YearMonth>().unwrap().to_string(),
            "2027-03"
        );
        assert!(
            "2027-13"
                .parse::<YearMonth>()
                .unwrap_err()
                .contains("does not exist")
        );
        assert!("2027-3".parse::<YearMonth>().is_err());
        assert!("27-03".parse::<YearMonth>().is_err());
    }

    #[test]
    fn year_month_steps_across_years() {
        let m = YearMonth::new(2027, 11).unwrap();
        assert_eq!(m.plus(3).to_string(), "2028-02");
        assert_eq!(m.plus(-11).to_string(), "2026-12");
        assert_eq!(m.months_until(m.plus(25)), 25);
        assert_eq!(m.last_day(), d("2027-11-30"));
    }

    #[test]
    fn dates_that_do_not_exist_are_rejected() {
        assert!(parse_date("2027-02-30").is_err());
        assert_eq!(parse_date("2028-02-29").unwrap().0, d("2028-02-29"));
    }
}
