//! Fiscal years: how months are grouped into budgets.

use std::fmt;

use serde::Deserialize;

use crate::vocabulary::year_month::YearMonth;

/// How a fiscal year that does not start in January is named.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum FiscalYearNaming {
    /// Named by the calendar year it ends in (FY2028 = Apr 2027 – Mar 2028): US practice.
    #[default]
    EndYear,
    /// Named by the calendar year it starts in (FY2027 = Apr 2027 – Mar 2028).
    StartYear,
}

impl FiscalYearNaming {
    /// The identifier used in scenario files.
    pub fn as_str(self) -> &'static str {
        match self {
            FiscalYearNaming::EndYear => "end_year",
            FiscalYearNaming::StartYear => "start_year",
        }
    }
}

/// The company's fiscal calendar: the month its fiscal year starts and how years are named.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct FiscalCalendar {
    pub start_month: u32,
    pub naming: FiscalYearNaming,
}

/// One fiscal year, named as in every output (`FY2027`).
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FiscalYear(pub i32);

impl fmt::Display for FiscalYear {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "FY{}", self.0)
    }
}

impl FiscalCalendar {
    /// The fiscal year a month belongs to.
    pub fn year_of(&self, month: YearMonth) -> FiscalYear {
        if self.start_month == 1 {
            return FiscalYear(month.year());
        }
        let starts_this_year = month.month() >= self.start_month;
        FiscalYear(match (self.naming, starts_this_year) {
            (FiscalYearNaming::EndYear, true) => month.year() + 1,
            (FiscalYearNaming::EndYear, false) => month.year(),
            (FiscalYearNaming::StartYear, true) => month.year(),
            (FiscalYearNaming::StartYear, false) => month.year() - 1,
        })
    }
}

const MONTH_NAMES: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// A fiscal year as the horizon sees it: the months it has inside the horizon, which may be
/// fewer than twelve at either end.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct FiscalYearInHorizon {
    pub year: FiscalYear,
    /// First and last month of the year inside the horizon.
    pub first: YearMonth,
    pub last: YearMonth,
}

impl FiscalYearInHorizon {
    /// Months of the year inside the horizon, 1 to 12.
    pub fn months_in_horizon(&self) -> u32 {
        u32::try_from(self.first.months_until(self.last) + 1).unwrap_or(12)
    }

    /// Whether the horizon cuts the year.
    pub fn is_partial(&self) -> bool {
        self.months_in_horizon() < 12
    }

    /// The months inside the horizon, `Jan–Jun 2027` (`Jan 2027` for one month).
    pub fn months_label(&self) -> String {
        let name = |m: YearMonth| MONTH_NAMES[(m.month() - 1) as usize];
        if self.first == self.last {
            format!("{} {}", name(self.first), self.first.year())
        } else if self.first.year() == self.last.year() {
            format!(
                "{}–{} {}",
                name(self.first),
                name(self.last),
                self.last.year()
            )
        } else {
            format!(
                "{} {}–{} {}",
                name(self.first),
                self.first.year(),
                name(self.last),
                self.last.year()
            )
        }
    }

    /// `FY2027`, or `FY2027 (Jan–Jun 2027)` when the horizon cuts it.
    pub fn label(&self) -> String {
        if self.is_partial() {
            format!("{} ({})", self.year, self.months_label())
        } else {
            self.year.to_string()
        }
    }
}

impl FiscalCalendar {
    /// The fiscal years that months `first..=last` touch, each with its months inside them.
    pub fn years_in(&self, first: YearMonth, last: YearMonth) -> Vec<FiscalYearInHorizon> {
        let mut out: Vec<FiscalYearInHorizon> = Vec::new();
        let mut month = first;
        while month <= last {
            let year = self.year_of(month);
            match out.last_mut() {
                Some(span) if span.year == year => span.last = month,
                _ => out.push(FiscalYearInHorizon {
                    year,
                    first: month,
                    last: month,
                }),
            }
            month = month.plus(1);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ym(y: i32, m: u32) -> YearMonth {
        YearMonth::new(y, m).unwrap()
    }

    #[test]
    fn calendar_fiscal_year_is_the_calendar_year() {
        let cal = FiscalCalendar {
            start_month: 1,
            naming: FiscalYearNaming::EndYear,
        };
        assert_eq!(cal.year_of(ym(2027, 1)).to_string(), "FY2027");
        assert_eq!(cal.year_of(ym(2027, 12)).to_string(), "FY2027");
    }

    #[test]
    fn april_fiscal_year_is_named_by_its_end_or_start() {
        let end = FiscalCalendar {
            start_month: 4,
            naming: FiscalYearNaming::EndYear,
        };
        assert_eq!(end.year_of(ym(2027, 3)), FiscalYear(2027));
        assert_eq!(end.year_of(ym(2027, 4)), FiscalYear(2028));
        let start = FiscalCalendar {
            start_month: 4,
            naming: FiscalYearNaming::StartYear,
        };
        assert_eq!(start.year_of(ym(2027, 3)), FiscalYear(2026));
        assert_eq!(start.year_of(ym(2027, 4)), FiscalYear(2027));
    }

    #[test]
    fn a_horizon_from_january_cuts_a_july_fiscal_year_in_two() {
        let july = FiscalCalendar {
            start_month: 7,
            naming: FiscalYearNaming::EndYear,
        };
        let years = july.years_in(ym(2027, 1), ym(2028, 12));
        let labels: Vec<String> = years.iter().map(|y| y.label()).collect();
        assert_eq!(
            labels,
            ["FY2027 (Jan–Jun 2027)", "FY2028", "FY2029 (Jul–Dec 2028)"]
        );
        assert_eq!(years[0].months_in_horizon(), 6);
        assert!(!years[1].is_partial());
        let one = july.years_in(ym(2027, 1), ym(2027, 1));
        assert_eq!(one[0].label(), "FY2027 (Jan 2027)");
        let across = FiscalCalendar {
            start_month: 4,
            naming: FiscalYearNaming::EndYear,
        }
        .years_in(ym(2027, 1), ym(2027, 2));
        assert_eq!(across[0].label(), "FY2027 (Jan–Feb 2027)");
    }
}
