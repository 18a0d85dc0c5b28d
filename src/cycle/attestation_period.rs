//! SOC 2 attestation periods (AICPA SSAE 18; docs/domain.md S1–S7): readiness, the Type I as-of
//! date, Type II observation windows back to back, report issue, how long each report is
//! current, and the bridge letters or coverage gaps between reports.

use chrono::NaiveDate;

use crate::cycle::schedule::{Event, EventKind};
use crate::scenario::{CurrencyAnchor, Soc2};
use crate::vocabulary::framework::Framework;
use crate::vocabulary::year_month::{add_days, add_months, sub_days, sub_months};

const SOC2: Framework = Framework::Soc2;

/// The last day a report is current: `report_current_months` after its period end (or as-of
/// date), or after its issue date, as the scenario anchors it (S5).
fn current_until(soc2: &Soc2, period_end: NaiveDate, issued: NaiveDate) -> NaiveDate {
    let anchor = match soc2.currency_anchor {
        CurrencyAnchor::PeriodEnd => period_end,
        CurrencyAnchor::IssueDate => issued,
    };
    add_months(anchor, soc2.report_current_months.get())
}

/// For each report (cycle, issue date, last current day), in issue order: the days it is
/// current, and the bridge letter and coverage gap between it and the report before (S5, S6).
fn currency_and_gaps(soc2: &Soc2, reports: &[(u32, NaiveDate, NaiveDate)]) -> Vec<Event> {
    let mut out = Vec::new();
    let max_bridge = soc2.bridge_letter_max_months.get();
    let mut covered_until: Option<(u32, NaiveDate)> = None;
    for &(cycle, issued, until) in reports {
        out.push(Event::new(
            SOC2,
            cycle,
            EventKind::ReportCurrent,
            issued,
            until,
        ));
        if let Some((previous_cycle, covered)) = covered_until {
            let gap_start = add_days(covered, 1);
            if issued > gap_start {
                let gap_end = sub_days(issued, 1);
                // S6: a management bridge letter covers up to ~3 months after the last report's
                // currency ends; in a longer gap it still covers those first months, and only
                // the rest is a coverage gap.
                let mut uncovered_from = gap_start;
                if soc2.bridge_letters {
                    let letter_end = gap_end.min(add_months(covered, max_bridge));
                    out.push(Event::new(
                        SOC2,
                        previous_cycle,
                        EventKind::BridgeLetter,
                        gap_start,
                        letter_end,
                    ));
                    uncovered_from = add_days(letter_end, 1);
                }
                if uncovered_from <= gap_end {
                    out.push(Event::new(
                        SOC2,
                        previous_cycle,
                        EventKind::CoverageGap,
                        uncovered_from,
                        gap_end,
                    ));
                }
            }
        }
        if covered_until.is_none_or(|(_, covered)| until > covered) {
            covered_until = Some((cycle, until));
        }
    }
    out
}

/// The day the CPA firm is engaged for each engagement: the Type I (booked the booking lead
/// before its as-of date) and each Type II observation window (before its first day), never
/// before the framework starts on `start`. A Type I and the first window that are booked on the
/// same day are one engagement.
fn engagements(events: &[Event], start: NaiveDate) -> Vec<Event> {
    let mut out: Vec<Event> = Vec::new();
    for e in events {
        if !matches!(e.kind, EventKind::Type1AsOf | EventKind::ObservationWindow) {
            continue;
        }
        let engage = Event::booking(EventKind::EngageCpaFirm, e, start);
        if !out
            .iter()
            .any(|o| o.cycle == engage.cycle && o.start == engage.start)
        {
            out.push(engage);
        }
    }
    out
}

/// Every SOC 2 event of a programme that starts on `start` (the first of a month) and begins by
/// `until` (the horizon's end, or later to price what the horizon pays for).
pub fn project(soc2: &Soc2, start: NaiveDate, until: NaiveDate) -> Vec<Event> {
    let horizon_end = until;
    let mut events = Vec::new();
    let lag = u64::from(soc2.report_lag_weeks.get()) * 7;
    let lead = soc2.booking_lead_months.get();
    let readiness = soc2.readiness_months.get() + soc2.risks.readiness_extra_months;
    // A CPA firm booked out (a drawn risk) delays the engagement booked next: with a Type I
    // first, the Type I and every period after it; without, the first Type II report.
    let first_delay = soc2.risks.first_report_delay_months;
    // Controls operate from here on: the Type I as-of date and the first window's first day (S3).
    let controls_operate = add_months(start, readiness);
    let operating = if soc2.type1_first {
        add_months(controls_operate, first_delay)
    } else {
        controls_operate
    };
    if readiness > 0 {
        events.push(Event::new(
            SOC2,
            1,
            EventKind::Readiness,
            start,
            sub_days(controls_operate, 1),
        ));
    }

    // (cycle, issue date, last current day) of every report, in issue order.
    let mut reports: Vec<(u32, NaiveDate, NaiveDate)> = Vec::new();
    if soc2.type1_first && operating <= horizon_end {
        let issued = add_days(operating, lag);
        let mut as_of = Event::point(SOC2, 1, EventKind::Type1AsOf, operating);
        as_of.booked = Some(sub_months(operating, lead));
        as_of.reported = Some(issued);
        events.push(as_of);
        events.push(Event::point(SOC2, 1, EventKind::Type1Report, issued));
        reports.push((1, issued, current_until(soc2, operating, issued)));
    }

    let first = soc2.first_window_months.get();
    let later = soc2.later_window_months.get();
    let mut window_start_offset = 0;
    for cycle in 1u32.. {
        let length = if cycle == 1 { first } else { later };
        // Offsets from one anchor, so month ends never drift; windows are back to back (S3).
        let window_start = add_months(operating, window_start_offset);
        let next_start = add_months(operating, window_start_offset + length);
        if window_start > horizon_end {
            break;
        }
        let window_end = sub_days(next_start, 1);
        let delay = if cycle == 1 && !soc2.type1_first {
            first_delay
        } else {
            0
        };
        let issued = add_months(add_days(window_end, lag), delay);
        let mut window = Event::new(
            SOC2,
            cycle,
            EventKind::ObservationWindow,
            window_start,
            window_end,
        );
        window.booked = Some(sub_months(window_start, lead));
        window.reported = Some(issued);
        events.push(window);
        events.push(Event::point(SOC2, cycle, EventKind::Type2Report, issued));
        if soc2.soc3 {
            events.push(Event::point(SOC2, cycle, EventKind::Soc3Report, issued));
        }
        reports.push((cycle, issued, current_until(soc2, window_end, issued)));
        window_start_offset += length;
    }

    events.extend(currency_and_gaps(soc2, &reports));
    let engagements = engagements(&events, start);
    events.extend(engagements);
    events.retain(|e| e.start <= horizon_end);
    events
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::inputs::Bounded;

    use crate::cycle::schedule::tests::spans;
    use crate::vocabulary::year_month::tests::d;

    #[test]
    fn type1_as_of_the_first_day_controls_operate_then_windows_back_to_back() {
        let events = project(&Soc2::default(), d("2027-01-01"), d("2029-12-31"));
        assert_eq!(
            spans(&events, EventKind::Readiness),
            [(d("2027-01-01"), d("2027-02-28"))]
        );
        assert_eq!(spans(&events, EventKind::Type1AsOf)[0].0, d("2027-03-01"));
        assert_eq!(spans(&events, EventKind::Type1Report)[0].0, d("2027-04-12"));
        let windows = spans(&events, EventKind::ObservationWindow);
        assert_eq!(windows[0], (d("2027-03-01"), d("2027-08-31")));
        assert_eq!(windows[1], (d("2027-09-01"), d("2028-08-31")));
        for pair in windows.windows(2) {
            assert_eq!(
                pair[1].0,
                add_days(pair[0].1, 1),
                "next.start = prev.end + 1 day"
            );
        }
    }

    #[test]
    fn a_cpa_firm_booked_out_delays_the_type1_and_every_period_after_it() {
        let base = project(&Soc2::default(), d("2027-01-01"), d("2029-12-31"));
        let mut booked_out = Soc2::default();
        booked_out.risks.first_report_delay_months = 3;
        let late = project(&booked_out, d("2027-01-01"), d("2029-12-31"));
        assert_eq!(spans(&base, EventKind::Type1Report)[0].0, d("2027-04-12"));
        assert_eq!(spans(&late, EventKind::Type1Report)[0].0, d("2027-07-13"));
        assert_eq!(spans(&late, EventKind::Type1AsOf)[0].0, d("2027-06-01"));
        // The first period starts at the delayed Type I, so the first Type II is late too.
        assert_eq!(
            spans(&late, EventKind::ObservationWindow)[0],
            (d("2027-06-01"), d("2027-11-30"))
        );
        assert_eq!(spans(&base, EventKind::Type2Report)[0].0, d("2027-10-12"));
        assert_eq!(spans(&late, EventKind::Type2Report)[0].0, d("2028-01-11"));
        // Readiness itself is not longer.
        assert_eq!(
            spans(&late, EventKind::Readiness),
            spans(&base, EventKind::Readiness)
        );
    }

    #[test]
    fn the_cpa_firm_is_engaged_the_lead_before_each_engagement_but_not_before_the_start() {
        // Readiness of one month and a lead of two: the first engagement on the first day.
        let soc2 = Soc2 {
            readiness_months: Bounded::new(1),
            ..Soc2::default()
        };
        let events = project(&soc2, d("2027-01-01"), d("2028-12-31"));
        let engaged = spans(&events, EventKind::EngageCpaFirm);
        // The Type I and window 1 together (once), then window 2 (2027-08-01) and window 3.
        assert_eq!(
            engaged,
            [
                (d("2027-01-01"), d("2027-01-01")),
                (d("2027-06-01"), d("2027-06-01")),
                (d("2028-06-01"), d("2028-06-01")),
            ]
        );
    }

    #[test]
    fn report_is_issued_after_the_lag() {
        let events = project(&Soc2::default(), d("2027-01-01"), d("2029-12-31"));
        let reports = spans(&events, EventKind::Type2Report);
        assert_eq!(reports[0].0, d("2027-10-12")); // 2027-08-31 + 6 weeks
    }

    #[test]
    fn short_gap_is_bridged_and_long_gap_is_a_coverage_gap() {
        // A 12-month first window and no Type I: each report is current for 12 months after its
        // period end and the next one lands 6 weeks after the next period end: a 6-week bridge.
        let soc2 = Soc2 {
            type1_first: false,
            first_window_months: Bounded::new(12),
            ..Soc2::default()
        };
        let events = project(&soc2, d("2027-01-01"), d("2030-12-31"));
        let bridges = spans(&events, EventKind::BridgeLetter);
        assert_eq!(bridges[0], (d("2029-03-01"), d("2029-04-10")));
        assert!(spans(&events, EventKind::CoverageGap).is_empty());

        // Report lag of 17 weeks with a 2-month bridge limit: the letter still covers the first
        // two months of the gap; only the rest is a coverage gap.
        let slow = Soc2 {
            report_lag_weeks: Bounded::new(17),
            bridge_letter_max_months: Bounded::new(2),
            ..soc2
        };
        let events = project(&slow, d("2027-01-01"), d("2030-12-31"));
        let bridges = spans(&events, EventKind::BridgeLetter);
        let gaps = spans(&events, EventKind::CoverageGap);
        assert_eq!(bridges[0], (d("2029-03-01"), d("2029-04-28")));
        assert_eq!(gaps[0], (d("2029-04-29"), d("2029-06-26")));

        // Without bridge letters the whole gap is uncovered.
        let no_letters = Soc2 {
            bridge_letters: false,
            ..slow
        };
        let events = project(&no_letters, d("2027-01-01"), d("2030-12-31"));
        assert!(spans(&events, EventKind::BridgeLetter).is_empty());
        assert_eq!(
            spans(&events, EventKind::CoverageGap)[0],
            (d("2029-03-01"), d("2029-06-26"))
        );
    }

    #[test]
    fn a_report_is_current_for_12_months_from_its_period_end_or_its_issue_date() {
        let events = project(&Soc2::default(), d("2027-01-01"), d("2029-12-31"));
        let current = spans(&events, EventKind::ReportCurrent);
        // Type I as of 2027-03-01; first Type II period ends 2027-08-31.
        assert_eq!(current[0], (d("2027-04-12"), d("2028-03-01")));
        assert_eq!(current[1], (d("2027-10-12"), d("2028-08-31")));
        let from_issue = Soc2 {
            currency_anchor: CurrencyAnchor::IssueDate,
            ..Soc2::default()
        };
        let events = project(&from_issue, d("2027-01-01"), d("2029-12-31"));
        assert_eq!(
            spans(&events, EventKind::ReportCurrent)[1],
            (d("2027-10-12"), d("2028-10-12"))
        );
    }

    #[test]
    fn soc3_report_comes_with_each_type2_report_when_asked_for() {
        let soc2 = Soc2 {
            soc3: true,
            ..Soc2::default()
        };
        let events = project(&soc2, d("2027-01-01"), d("2029-12-31"));
        assert_eq!(
            spans(&events, EventKind::Soc3Report),
            spans(&events, EventKind::Type2Report)
        );
        assert!(
            spans(
                &project(&Soc2::default(), d("2027-01-01"), d("2029-12-31")),
                EventKind::Soc3Report
            )
            .is_empty()
        );
    }

    #[test]
    fn no_bridge_letters_means_every_gap_is_uncovered() {
        let soc2 = Soc2 {
            bridge_letters: false,
            type1_first: false,
            first_window_months: Bounded::new(12),
            ..Soc2::default()
        };
        let events = project(&soc2, d("2027-01-01"), d("2030-12-31"));
        assert!(!spans(&events, EventKind::CoverageGap).is_empty());
    }
}
