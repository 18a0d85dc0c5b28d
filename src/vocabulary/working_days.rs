//! The auditors' working calendar: external audits start on a working day (Monday to Friday,
//! not 1 January, not a listed holiday) and their auditor-days fall on working days.

use chrono::{Datelike, NaiveDate, Weekday};
use serde::Deserialize;

use crate::vocabulary::year_month::{Date, add_days, sub_days};

/// Most holidays a scenario may list.
pub const MAX_HOLIDAYS: usize = 1000;

/// `[calendar]`: the days no external audit is held on, besides Saturdays and Sundays.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct WorkingCalendar {
    /// Public holidays of the country the audits take place in (e.g. "2027-12-25").
    #[serde(deserialize_with = "holidays")]
    pub holidays: Vec<NaiveDate>,
}

fn holidays<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<NaiveDate>, D::Error> {
    let dates: Vec<Date> = Vec::deserialize(d)?;
    if dates.len() > MAX_HOLIDAYS {
        return Err(serde::de::Error::custom(format!(
            "{} holidays: a scenario may list at most {MAX_HOLIDAYS}",
            dates.len()
        )));
    }
    let mut days: Vec<NaiveDate> = dates.into_iter().map(|d| d.0).collect();
    days.sort_unstable();
    days.dedup();
    Ok(days)
}

impl WorkingCalendar {
    /// Monday to Friday, not New Year's Day (a public holiday nearly everywhere) and not a
    /// listed holiday.
    pub fn is_working_day(&self, date: NaiveDate) -> bool {
        let weekend = matches!(date.weekday(), Weekday::Sat | Weekday::Sun);
        let new_years_day = date.month() == 1 && date.day() == 1;
        !weekend && !new_years_day && self.holidays.binary_search(&date).is_err()
    }

    /// `date` when it is a working day, else the next one.
    pub fn on_or_after(&self, date: NaiveDate) -> NaiveDate {
        let mut day = date;
        // A week of holidays around a weekend is the longest run a real calendar has; the
        // bound keeps a pathological list from looping for long.
        for _ in 0..=MAX_HOLIDAYS + 7 {
            if self.is_working_day(day) {
                return day;
            }
            day = add_days(day, 1);
        }
        date
    }

    /// The working day nearest `date` that does not pass `latest`: the next one when it is in
    /// time, else the one before (an audit due by a date is moved earlier, never late).
    pub fn on_or_after_within(&self, date: NaiveDate, latest: NaiveDate) -> NaiveDate {
        let next = self.on_or_after(date);
        if next <= latest || date > latest {
            return next;
        }
        let mut day = sub_days(date, 1);
        for _ in 0..=MAX_HOLIDAYS + 7 {
            if self.is_working_day(day) {
                return day;
            }
            day = sub_days(day, 1);
        }
        date
    }

    /// The last day of `days` working days from `start` (itself a working day).
    pub fn end_of(&self, start: NaiveDate, days: u64) -> NaiveDate {
        let mut day = start;
        let mut left = days.saturating_sub(1);
        while left > 0 {
            day = self.on_or_after(add_days(day, 1));
            left -= 1;
        }
        day
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vocabulary::year_month::tests::d;

    fn with(holidays: &[&str]) -> WorkingCalendar {
        WorkingCalendar {
            holidays: holidays.iter().map(|h| d(h)).collect(),
        }
    }

    #[test]
    fn an_audit_due_on_a_saturday_starts_on_monday() {
        // 2027-01-02 is a Saturday.
        assert_eq!(with(&[]).on_or_after(d("2027-01-02")), d("2027-01-04"));
    }

    #[test]
    fn new_years_day_is_never_a_working_day() {
        // 1 January 2029 is a Monday.
        assert_eq!(with(&[]).on_or_after(d("2029-01-01")), d("2029-01-02"));
    }

    #[test]
    fn new_year_and_listed_holidays_are_skipped() {
        let calendar = with(&["2027-01-01", "2027-01-04"]);
        // Friday 1 January is a holiday, then the weekend, then a holiday on Monday.
        assert_eq!(calendar.on_or_after(d("2027-01-01")), d("2027-01-05"));
    }

    #[test]
    fn an_audit_due_by_a_date_moves_earlier_rather_than_late() {
        // Due by Sunday 2027-01-31: held on Friday 29th, not Monday 1 February.
        let calendar = with(&[]);
        assert_eq!(
            calendar.on_or_after_within(d("2027-01-31"), d("2027-01-31")),
            d("2027-01-29")
        );
        assert_eq!(
            calendar.on_or_after_within(d("2027-01-30"), d("2027-02-10")),
            d("2027-02-01")
        );
    }

    #[test]
    fn auditor_days_fall_on_working_days() {
        // Three days from Thursday 2027-01-07: Thursday, Friday, Monday.
        assert_eq!(with(&[]).end_of(d("2027-01-07"), 3), d("2027-01-11"));
        assert_eq!(with(&[]).end_of(d("2027-01-07"), 1), d("2027-01-07"));
    }
}
