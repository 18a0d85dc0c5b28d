//! Coverage: on which days a plan can show a customer a valid certificate and a current report,
//! and the month-by-month verdict that the summaries count.

use chrono::NaiveDate;

use crate::cycle::schedule::{EventKind, Schedule};
use crate::vocabulary::framework::Framework;
use crate::vocabulary::year_month::{YearMonth, add_days, sub_days};

/// Sorted, disjoint, inclusive date ranges.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DateSet(Vec<(NaiveDate, NaiveDate)>);

impl DateSet {
    pub fn from_ranges(mut ranges: Vec<(NaiveDate, NaiveDate)>) -> Self {
        ranges.retain(|(s, e)| s <= e);
        ranges.sort();
        let mut merged: Vec<(NaiveDate, NaiveDate)> = Vec::with_capacity(ranges.len());
        for (s, e) in ranges {
            match merged.last_mut() {
                Some(last) if s <= add_days(last.1, 1) => last.1 = last.1.max(e),
                _ => merged.push((s, e)),
            }
        }
        DateSet(merged)
    }

    /// This set without the days of `other`.
    pub fn minus(&self, other: &DateSet) -> DateSet {
        let mut out = Vec::new();
        for &(s, e) in &self.0 {
            let mut cursor = s;
            for &(os, oe) in &other.0 {
                if oe < cursor || os > e {
                    continue;
                }
                if os > cursor {
                    out.push((cursor, sub_days(os, 1)));
                }
                cursor = add_days(oe, 1);
                if cursor > e {
                    break;
                }
            }
            if cursor <= e {
                out.push((cursor, e));
            }
        }
        DateSet::from_ranges(out)
    }

    pub fn contains_range(&self, start: NaiveDate, end: NaiveDate) -> bool {
        self.0.iter().any(|&(s, e)| s <= start && end <= e)
    }

    pub fn first_day(&self) -> Option<NaiveDate> {
        self.0.first().map(|r| r.0)
    }

    pub fn ranges(&self) -> &[(NaiveDate, NaiveDate)] {
        &self.0
    }
}

/// The days a framework's assurance holds: a valid, unsuspended certificate (ISO/IEC 27001), or a
/// current report or bridge letter (SOC 2).
pub fn covered_days(schedule: &Schedule, framework: Framework) -> DateSet {
    let ranges = |kinds: &[EventKind]| {
        schedule
            .events
            .iter()
            .filter(|e| e.framework == framework && kinds.contains(&e.kind))
            .map(|e| (e.start, e.end))
            .collect::<Vec<_>>()
    };
    match framework {
        Framework::Iso27001 => DateSet::from_ranges(ranges(&[EventKind::Certificate])).minus(
            &DateSet::from_ranges(ranges(&[EventKind::Suspension, EventKind::Lapse])),
        ),
        Framework::Soc2 => {
            DateSet::from_ranges(ranges(&[EventKind::ReportCurrent, EventKind::BridgeLetter]))
        }
    }
}

/// A month of a plan, seen by a customer asking for assurance.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum MonthCoverage {
    /// Every framework of the plan holds on every day of the month.
    Covered,
    /// Some framework has not yet held its first certificate or report for the whole month.
    Building,
    /// Some framework held assurance before and has lost it (lapse, suspension, coverage gap).
    Uncovered,
}

/// The coverage of each month of the horizon, for the frameworks of a plan.
pub fn monthly(
    schedule: &Schedule,
    frameworks: &[Framework],
    months: impl Iterator<Item = YearMonth>,
) -> Vec<(YearMonth, MonthCoverage)> {
    let sets: Vec<DateSet> = frameworks
        .iter()
        .map(|f| covered_days(schedule, *f))
        .collect();
    // Consecutive months follow on from the previous month's last day: cheaper than building
    // two dates from year and month, which a Monte Carlo run does millions of times.
    let mut next_first: Option<(YearMonth, NaiveDate)> = None;
    months
        .map(|month| {
            let first = match next_first {
                Some((expected, day)) if expected == month => day,
                _ => month.first_day(),
            };
            let last = month.last_day_from(first);
            next_first = Some((month.plus(1), add_days(last, 1)));
            let mut status = MonthCoverage::Covered;
            for set in &sets {
                let this = if set.contains_range(first, last) {
                    MonthCoverage::Covered
                } else if set.first_day().is_none_or(|d| d > first) {
                    MonthCoverage::Building
                } else {
                    MonthCoverage::Uncovered
                };
                status = match (status, this) {
                    (MonthCoverage::Uncovered, _) | (_, MonthCoverage::Uncovered) => {
                        MonthCoverage::Uncovered
                    }
                    (MonthCoverage::Building, _) | (_, MonthCoverage::Building) => {
                        MonthCoverage::Building
                    }
                    _ => MonthCoverage::Covered,
                };
            }
            (month, status)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::vocabulary::year_month::tests::d;

    #[test]
    fn ranges_merge_and_subtract() {
        let set = DateSet::from_ranges(vec![
            (d("2027-01-01"), d("2027-01-31")),
            (d("2027-02-01"), d("2027-03-31")),
        ]);
        assert_eq!(set.ranges(), [(d("2027-01-01"), d("2027-03-31"))]);
        let cut = set.minus(&DateSet::from_ranges(vec![(
            d("2027-02-10"),
            d("2027-02-20"),
        )]));
        assert_eq!(
            cut.ranges(),
            [
                (d("2027-01-01"), d("2027-02-09")),
                (d("2027-02-21"), d("2027-03-31"))
            ]
        );
        assert!(cut.contains_range(d("2027-01-01"), d("2027-01-31")));
        assert!(!cut.contains_range(d("2027-02-01"), d("2027-02-28")));
    }
}
