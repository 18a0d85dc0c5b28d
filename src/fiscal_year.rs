//! Fiscal years: how months are grouped into budgets.

use std::fmt;

use serde::Deserialize;

use crate::year_month::YearMonth;

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
}
