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

/// How a fiscal year is written in every output, as finance teams write it.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum FiscalYearLabel {
    /// `FY2028`: its name (see [`FiscalYearNaming`]).
    #[default]
    Fy,
    /// `FY2027/28`: the two calendar years it spans (UK practice).
    FySpan,
    /// `2027-28`: the two calendar years it spans, without the prefix.
    Span,
}

impl FiscalYearLabel {
    /// The identifier used in scenario files.
    pub fn as_str(self) -> &'static str {
        match self {
            FiscalYearLabel::Fy => "fy",
            FiscalYearLabel::FySpan => "fy_span",
            FiscalYearLabel::Span => "span",
        }
    }

    /// Whether the label names the two calendar years a fiscal year spans, which a year that
    /// starts in January does not.
    pub fn spans(self) -> bool {
        self != FiscalYearLabel::Fy
    }
}

/// The company's fiscal calendar: the month its fiscal year starts and how years are named.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct FiscalCalendar {
    pub start_month: u32,
    pub naming: FiscalYearNaming,
    pub label: FiscalYearLabel,
}

/// One fiscal year: its number (the calendar year it is named after), how it is written, and
/// the calendar year it starts in.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FiscalYear(pub i32, pub FiscalYearLabel, pub i32);

impl FiscalYear {
    /// A year named `FY{number}`, the calendar year (for tests and January fiscal years).
    pub fn calendar(number: i32) -> FiscalYear {
        FiscalYear(number, FiscalYearLabel::Fy, number)
    }
}

impl fmt::Display for FiscalYear {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (starts, ends) = (self.2, (self.2 + 1).rem_euclid(100));
        match self.1 {
            FiscalYearLabel::Fy => write!(f, "FY{}", self.0),
            FiscalYearLabel::FySpan => write!(f, "FY{starts}/{ends:02}"),
            FiscalYearLabel::Span => write!(f, "{starts}-{ends:02}"),
        }
    }
}

impl FiscalCalendar {
    /// The fiscal year a month belongs to.
    pub fn year_of(&self, month: YearMonth) -> FiscalYear {
        if self.start_month == 1 {
            return FiscalYear(month.year(), self.label, month.year());
        }
        let starts_this_year = month.month() >= self.start_month;
        let starts = if starts_this_year {
            month.year()
        } else {
            month.year() - 1
        };
        let number = match self.naming {
            FiscalYearNaming::EndYear => starts + 1,
            FiscalYearNaming::StartYear => starts,
        };
        FiscalYear(number, self.label, starts)
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
            label: FiscalYearLabel::Fy,
        };
        assert_eq!(cal.year_of(ym(2027, 1)).to_string(), "FY2027");
        assert_eq!(cal.year_of(ym(2027, 12)).to_string(), "FY2027");
    }

    #[test]
    fn april_fiscal_year_is_named_by_its_end_or_start() {
        let end = FiscalCalendar {
            start_month: 4,
            naming: FiscalYearNaming::EndYear,
            label: FiscalYearLabel::Fy,
        };
        assert_eq!(end.year_of(ym(2027, 3)).0, 2027);
        assert_eq!(end.year_of(ym(2027, 4)).0, 2028);
        let start = FiscalCalendar {
            start_month: 4,
            naming: FiscalYearNaming::StartYear,
            label: FiscalYearLabel::Fy,
        };
        assert_eq!(start.year_of(ym(2027, 3)).0, 2026);
        assert_eq!(start.year_of(ym(2027, 4)).0, 2027);
    }

    #[test]
    fn a_horizon_from_january_cuts_a_july_fiscal_year_in_two() {
        let july = FiscalCalendar {
            start_month: 7,
            naming: FiscalYearNaming::EndYear,
            label: FiscalYearLabel::Fy,
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
            label: FiscalYearLabel::Fy,
        }
        .years_in(ym(2027, 1), ym(2027, 2));
        assert_eq!(across[0].label(), "FY2027 (Jan–Feb 2027)");
    }

    #[test]
    fn a_fiscal_year_is_written_in_the_style_finance_asked_for() {
        let april = |naming, label| FiscalCalendar {
            start_month: 4,
            naming,
            label,
        };
        let may_2027 = ym(2027, 5);
        let written = |naming, label| april(naming, label).year_of(may_2027).to_string();
        assert_eq!(
            written(FiscalYearNaming::EndYear, FiscalYearLabel::Fy),
            "FY2028"
        );
        assert_eq!(
            written(FiscalYearNaming::StartYear, FiscalYearLabel::Fy),
            "FY2027"
        );
        // A span names the calendar years whatever the naming.
        for naming in [FiscalYearNaming::EndYear, FiscalYearNaming::StartYear] {
            assert_eq!(written(naming, FiscalYearLabel::FySpan), "FY2027/28");
            assert_eq!(written(naming, FiscalYearLabel::Span), "2027-28");
        }
        let march_2100 =
            april(FiscalYearNaming::EndYear, FiscalYearLabel::Span).year_of(ym(2100, 3));
        assert_eq!(march_2100.to_string(), "2099-00");
    }
}
