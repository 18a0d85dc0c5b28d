//! The ISO/IEC 27001 certification cycle (ISO/IEC 17021-1 cl. 9), projected over the horizon:
//! build, Stage 1 and Stage 2, the certification decision, surveillance audits, recertification
//! and, when audits slip, suspension, lapse, withdrawal and restart.

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;

use crate::cycle::schedule::{Event, EventKind};
use crate::scenario::{CertificateExpiry, Iso27001, SlippedAudit};
use crate::vocabulary::audit_time;
use crate::vocabulary::framework::Framework;
use crate::vocabulary::working_days::WorkingCalendar;
use crate::vocabulary::year_month::{add_days, add_months, sub_days, sub_months};

const ISO: Framework = Framework::Iso27001;

/// Calendar days an audit occupies: one per auditor-day, at most a working week (larger audits
/// are done by a team).
fn audit_span_days(days: Decimal) -> u64 {
    let whole = days.ceil().try_into().unwrap_or(5u64);
    whole.clamp(1, 5)
}

/// The certificate's expiry for a decision on `decision` (I5).
pub fn expiry_for(decision: NaiveDate, expiry: CertificateExpiry) -> NaiveDate {
    let anniversary = add_months(decision, 36);
    match expiry {
        CertificateExpiry::Anniversary => anniversary,
        CertificateExpiry::DayBefore => sub_days(anniversary, 1),
    }
}

fn jan_1(year: i32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or(NaiveDate::MIN)
}

fn dec_31(year: i32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or(NaiveDate::MAX)
}

/// `preferred` moved into `[earliest, latest]`; when the window is empty the latest date wins,
/// since it is the normative limit.
fn clamp_date(preferred: NaiveDate, earliest: NaiveDate, latest: NaiveDate) -> NaiveDate {
    if earliest > latest {
        latest
    } else {
        preferred.clamp(earliest, latest)
    }
}

/// How a (re)started certification begins.
#[derive(Copy, Clone, PartialEq, Eq)]
enum Entry {
    /// Stage 1 then Stage 2 (initial certification, or restart after withdrawal: I9).
    Stage1,
    /// A new Stage 2 only (recertification more than 6 months late: I8).
    Stage2,
}

struct Projection<'a> {
    iso: &'a Iso27001,
    sites: u32,
    /// The last day shown: a lapse still open then is shown up to here.
    horizon_end: NaiveDate,
    /// The last day projected: later than the horizon, so that invoices paid inside the horizon
    /// for work after it are priced.
    until: NaiveDate,
    /// External audits start on working days, and their auditor-days fall on working days.
    calendar: &'a WorkingCalendar,
    events: Vec<Event>,
}

impl Projection<'_> {
    /// The last day of an audit of `days` auditor-days starting on `start`.
    fn audit_end(&self, start: NaiveDate, days: Decimal) -> NaiveDate {
        self.calendar.end_of(start, audit_span_days(days))
    }

    fn slip_months(&self, audit: SlippedAudit, cycle: u32, number: u32) -> u32 {
        self.iso
            .slip
            .iter()
            .filter(|s| s.audit == audit && s.cycle.get() == cycle && s.number.get() == number)
            .map(|s| s.months.get())
            .sum()
    }

    /// Initial audit days for an audit on `date` (the table at the headcount then, or given).
    fn initial_days(&self, date: NaiveDate) -> Decimal {
        // A checked scenario always has them; the table's largest value is only a fallback.
        self.iso
            .audit_time
            .initial_days_at(date)
            .unwrap_or(Decimal::new(185, 1))
    }

    fn days_with_sites(&self, days: Decimal, surveillance: bool) -> Decimal {
        if !self.iso.multi_site_sampling {
            return days;
        }
        let sampled = if surveillance {
            audit_time::sampled_sites_surveillance(self.sites)
        } else {
            audit_time::sampled_sites_initial(self.sites)
        };
        days * Decimal::from(sampled)
    }

    /// An audit of `kind` in `cycle` held from `start` (`certplan track`), if one was.
    fn held(
        &self,
        kind: EventKind,
        cycle: u32,
        start: NaiveDate,
    ) -> Option<crate::scenario::tracking::HeldAudit> {
        use crate::scenario::tracking::TrackedAudit;
        let audit = match kind {
            EventKind::Stage1Audit => TrackedAudit::Stage1Audit,
            EventKind::Stage2Audit => TrackedAudit::Stage2Audit,
            EventKind::SurveillanceAudit => TrackedAudit::SurveillanceAudit,
            EventKind::RecertificationAudit => TrackedAudit::RecertificationAudit,
            _ => return None,
        };
        self.iso
            .actual
            .audits
            .iter()
            .find(|a| a.audit == audit && a.cycle == cycle && a.start == start)
            .copied()
    }

    /// The first day of an audit held (`certplan track`), if it was.
    fn held_start(
        &self,
        audit: crate::scenario::tracking::TrackedAudit,
        cycle: u32,
        number: u32,
    ) -> Option<NaiveDate> {
        self.iso.actual.held(audit, cycle, number).map(|a| a.start)
    }

    fn lag(&self) -> u64 {
        u64::from(self.iso.decision_lag_weeks.get()) * 7
    }

    /// Internal audit, management review and risk-assessment refresh ahead of an external
    /// audit (I3; ISO/IEC 27001 clauses 9.2, 9.3, 8.2: yearly in practice).
    fn upkeep_before(&mut self, cycle: u32, audit_start: NaiveDate) {
        let internal_audit = sub_months(audit_start, 1);
        self.events.push(Event::point(
            ISO,
            cycle,
            EventKind::RiskAssessment,
            sub_days(audit_start, 42),
        ));
        self.events.push(Event::new(
            ISO,
            cycle,
            EventKind::InternalAudit,
            internal_audit,
            add_days(internal_audit, 1),
        ));
        self.events.push(Event::point(
            ISO,
            cycle,
            EventKind::ManagementReview,
            add_days(internal_audit, 14),
        ));
    }

    /// I9: the certificate (event index `certificate`) suspended from `suspended_from` and
    /// withdrawn on `withdrawal`; it ends the day before.
    fn withdraw(
        &mut self,
        cycle: u32,
        certificate: usize,
        suspended_from: NaiveDate,
        withdrawal: NaiveDate,
    ) {
        self.events.push(Event::new(
            ISO,
            cycle,
            EventKind::Suspension,
            suspended_from,
            sub_days(withdrawal, 1),
        ));
        self.events
            .push(Event::point(ISO, cycle, EventKind::Withdrawal, withdrawal));
        self.events[certificate].end = sub_days(withdrawal, 1);
    }

    /// Pushes an external audit; returns its last day.
    fn audit(
        &mut self,
        cycle: u32,
        kind: EventKind,
        start: NaiveDate,
        days: Decimal,
        reported: Option<NaiveDate>,
    ) -> Event {
        let (end, days) = match self.held(kind, cycle, start) {
            Some(held) => (
                held.end.unwrap_or_else(|| self.audit_end(start, days)),
                held.auditor_days.unwrap_or(days),
            ),
            None => (self.audit_end(start, days), days),
        };
        let mut event = Event::new(ISO, cycle, kind, start, end);
        event.audit_days = Some(days);
        event.booked = Some(sub_months(start, self.iso.booking_lead_months.get()));
        event.reported = Some(reported.unwrap_or_else(|| add_days(end, self.lag())));
        self.events.push(event.clone());
        event
    }

    /// Stage 1 (optional) and Stage 2 from `start`; returns the certification decision date and
    /// the first day of Stage 2, or `None` when the horizon ends first.
    fn initial_certification(
        &mut self,
        cycle: u32,
        entry: Entry,
        start: NaiveDate,
    ) -> Option<(NaiveDate, NaiveDate)> {
        if start > self.until {
            return None;
        }
        use crate::scenario::tracking::TrackedAudit;
        let first = cycle == 1 && entry == Entry::Stage1;
        let start = match self.held_start(TrackedAudit::Stage1Audit, cycle, 1) {
            Some(held) if first => held,
            _ => self.calendar.on_or_after(start),
        };
        let initial = self.days_with_sites(self.initial_days(start), false);
        let stage1_days = audit_time::round_to_half_day(initial * self.iso.stage1_share.get())
            .max(Decimal::new(5, 1));
        let stage2_days = (initial - stage1_days).max(Decimal::new(5, 1));
        self.upkeep_before(cycle, start);
        let stage2_start = match entry {
            Entry::Stage1 => {
                let stage1 = self.audit(cycle, EventKind::Stage1Audit, start, stage1_days, None);
                let after_gap =
                    add_days(start, u64::from(self.iso.stage1_to_stage2_weeks.get()) * 7);
                self.calendar
                    .on_or_after(after_gap.max(add_days(stage1.end, 1)))
            }
            Entry::Stage2 => start,
        };
        // Held at its real dates (`certplan track`): what follows moves with it.
        let held = self
            .held_start(TrackedAudit::Stage2Audit, cycle, 1)
            .and_then(|d| self.held(EventKind::Stage2Audit, cycle, d));
        let (stage2_start, stage2_end, stage2_days) = match held {
            Some(h) => {
                let days = h.auditor_days.unwrap_or(stage2_days);
                (
                    h.start,
                    h.end.unwrap_or_else(|| self.audit_end(h.start, days)),
                    days,
                )
            }
            None => (
                stage2_start,
                self.audit_end(stage2_start, stage2_days),
                stage2_days,
            ),
        };
        let mut decision = add_days(stage2_end, self.lag());
        if let Some(taken) = self.iso.actual.first_decision.filter(|_| first) {
            decision = taken;
        }
        // A major nonconformity at the first Stage 2 (a risk drawn by `certplan risk`): the
        // decision waits for the corrective action and its follow-up audit; not closed within
        // 6 months, a new Stage 2 (I4).
        let nonconformity = self
            .iso
            .risks
            .stage2_nonconformity
            .filter(|_| cycle == 1 && entry == Entry::Stage1);
        if let Some((months, follow_up_days)) = nonconformity {
            let closed = self
                .calendar
                .on_or_after(add_months(stage2_end, months.max(1)));
            let (kind, days) = if months > 6 {
                (EventKind::Stage2Audit, stage2_days)
            } else {
                (
                    EventKind::FollowUpAudit,
                    follow_up_days.max(Decimal::new(5, 1)),
                )
            };
            let end = self.audit_end(closed, days);
            decision = add_days(end, self.lag());
            self.audit(
                cycle,
                EventKind::Stage2Audit,
                stage2_start,
                stage2_days,
                Some(decision),
            );
            self.audit(cycle, kind, closed, days, Some(decision));
            self.events.push(Event::point(
                ISO,
                cycle,
                EventKind::CertificationDecision,
                decision,
            ));
            // The latest external audit is the one that closed the nonconformity: the
            // calendar-year rule (I6) counts from it.
            return Some((decision, closed));
        }
        self.audit(
            cycle,
            EventKind::Stage2Audit,
            stage2_start,
            stage2_days,
            Some(decision),
        );
        self.events.push(Event::point(
            ISO,
            cycle,
            EventKind::CertificationDecision,
            decision,
        ));
        Some((decision, stage2_start))
    }

    fn run(mut self, start: NaiveDate) -> Vec<Event> {
        let iso = self.iso;
        let gap = iso.gap_assessment_months.get();
        let build = gap + iso.implementation_months.get() + iso.risks.implementation_extra_months;
        let implementation_start = add_months(start, gap);
        let operation_start = add_months(start, build);
        let stage1 = add_months(
            start,
            build + iso.operation_before_stage1_months.get() + iso.risks.stage1_delay_months,
        );
        if gap > 0 {
            self.events.push(Event::new(
                ISO,
                1,
                EventKind::GapAssessment,
                start,
                sub_days(implementation_start, 1),
            ));
        }
        self.events.push(Event::new(
            ISO,
            1,
            EventKind::Implementation,
            implementation_start,
            sub_days(operation_start, 1),
        ));
        self.events.push(Event::new(
            ISO,
            1,
            EventKind::IsmsOperation,
            operation_start,
            sub_days(stage1, 1),
        ));

        let mut cycle = 1;
        let mut entry = (Entry::Stage1, stage1);
        // An uncovered stretch waiting for the next decision to end it: (cycle, first day).
        let mut open_lapse: Option<(u32, NaiveDate)> = None;
        'certifications: while let Some((decision, stage2_start)) =
            self.initial_certification(cycle, entry.0, entry.1)
        {
            if let Some((lapsed_cycle, from)) = open_lapse.take() {
                self.events.push(Event::new(
                    ISO,
                    lapsed_cycle,
                    EventKind::Lapse,
                    from,
                    sub_days(decision, 1),
                ));
            }
            let mut anchor = decision;
            let mut certificate_start = decision;
            let mut expiry = expiry_for(decision, iso.certificate_expiry);
            // The first day of the latest external audit: audits are counted in the year they start.
            let mut previous_audit = stage2_start;
            loop {
                let certificate = self.events.len();
                self.events.push(Event::new(
                    ISO,
                    cycle,
                    EventKind::Certificate,
                    certificate_start,
                    expiry,
                ));
                let recert_planned = sub_months(expiry, iso.recertification_lead_months.get());
                let recert_year = recert_planned.year();

                // Surveillance audits (I6): the first no later than 12 months after the decision,
                // the second in the second year, one audit in every calendar year before the
                // recertification year.
                let s = iso.surveillance_months_after_decision.get();
                for number in 1..=2u32 {
                    let due = add_months(anchor, 12 * number);
                    let preferred = add_months(anchor, s + 12 * (number - 1));
                    let earliest = if number == 1 {
                        add_days(anchor, 1).max(jan_1(recert_year - 2))
                    } else {
                        add_months(previous_audit, 6).max(jan_1(recert_year - 1))
                    };
                    let latest = due.min(dec_31(previous_audit.year() + 1));
                    let planned = clamp_date(preferred, earliest, latest);
                    let slip = self.slip_months(SlippedAudit::SurveillanceAudit, cycle, number);
                    // On a working day, still in time when planned in time.
                    let actual = if let Some(held) = self.held_start(
                        crate::scenario::tracking::TrackedAudit::SurveillanceAudit,
                        cycle,
                        number,
                    ) {
                        held
                    } else if slip == 0 {
                        self.calendar.on_or_after_within(planned, latest)
                    } else {
                        self.calendar.on_or_after(add_months(planned, slip))
                    };
                    if actual > self.until {
                        break 'certifications;
                    }
                    let suspended_from = add_days(due, 1);
                    let withdrawal = add_months(suspended_from, 6);
                    if actual >= withdrawal {
                        // I9: unresolved more than 6 months after suspension: withdrawal, then a
                        // restart from Stage 1.
                        self.withdraw(cycle, certificate, suspended_from, withdrawal);
                        open_lapse = Some((cycle, withdrawal));
                        cycle += 1;
                        entry = (Entry::Stage1, actual);
                        continue 'certifications;
                    }
                    self.upkeep_before(cycle, actual);
                    let days = self.days_with_sites(
                        audit_time::surveillance_days(self.initial_days(actual)),
                        true,
                    );
                    let audit = self.audit(cycle, EventKind::SurveillanceAudit, actual, days, None);
                    // A major nonconformity at the first surveillance audit (a drawn risk):
                    // suspended until closed; beyond 6 months, withdrawn and restarted (I9).
                    if let Some(months) = iso
                        .risks
                        .surveillance_nonconformity
                        .filter(|m| *m > 0 && cycle == 1 && number == 1)
                    {
                        let from = add_days(audit.end, 1);
                        if months <= 6 {
                            self.events.push(Event::new(
                                ISO,
                                cycle,
                                EventKind::Suspension,
                                from,
                                add_months(audit.end, months),
                            ));
                        } else {
                            let withdrawal = add_months(from, 6);
                            self.withdraw(cycle, certificate, from, withdrawal);
                            open_lapse = Some((cycle, withdrawal));
                            cycle += 1;
                            entry = (Entry::Stage1, add_months(audit.end, months));
                            continue 'certifications;
                        }
                    }
                    if actual > due {
                        // I9: a missed surveillance suspends the certificate until it is done.
                        let lifted = audit.reported.unwrap_or(audit.end);
                        self.events.push(Event::new(
                            ISO,
                            cycle,
                            EventKind::Suspension,
                            suspended_from,
                            lifted,
                        ));
                    }
                    previous_audit = audit.start;
                }

                // Recertification (I7, I8), no later than the calendar year after the last
                // surveillance audit (I6), so that no year goes without an audit.
                let recert_planned = recert_planned.min(dec_31(previous_audit.year() + 1));
                let slip = self.slip_months(SlippedAudit::RecertificationAudit, cycle, 1);
                let held = self.held_start(
                    crate::scenario::tracking::TrackedAudit::RecertificationAudit,
                    cycle,
                    1,
                );
                let start = if let Some(held) = held {
                    held
                } else if slip == 0 {
                    self.calendar
                        .on_or_after_within(recert_planned, dec_31(previous_audit.year() + 1))
                } else {
                    self.calendar.on_or_after(add_months(recert_planned, slip))
                };
                if start > self.until {
                    break 'certifications;
                }
                let days = self.days_with_sites(
                    audit_time::recertification_days(self.initial_days(start)),
                    false,
                );
                let end = self.audit_end(start, days);
                let recert_decision = add_days(end, self.lag());
                let restore_limit = add_months(expiry, 6);
                if recert_decision > restore_limit {
                    // I8: more than 6 months after expiry the certificate cannot be restored:
                    // a new Stage 2 is needed.
                    open_lapse = Some((cycle, add_days(expiry, 1)));
                    cycle += 1;
                    entry = (Entry::Stage2, start);
                    continue 'certifications;
                }
                self.upkeep_before(cycle, start);
                self.audit(
                    cycle,
                    EventKind::RecertificationAudit,
                    start,
                    days,
                    Some(recert_decision),
                );
                self.events.push(Event::point(
                    ISO,
                    cycle,
                    EventKind::RecertificationDecision,
                    recert_decision,
                ));
                let next_expiry = add_months(expiry, 36);
                if recert_decision <= expiry {
                    // On time: the new certificate runs on from the old expiry.
                    certificate_start = add_days(expiry, 1);
                } else {
                    // Late but within 6 months: lapsed from expiry, restored at the decision
                    // with the expiry of the prior cycle carried on.
                    if recert_decision > add_days(expiry, 1) {
                        self.events.push(Event::new(
                            ISO,
                            cycle,
                            EventKind::Lapse,
                            add_days(expiry, 1),
                            sub_days(recert_decision, 1),
                        ));
                    }
                    certificate_start = recert_decision;
                }
                cycle += 1;
                anchor = recert_decision;
                expiry = next_expiry;
                previous_audit = start;
            }
        }
        if let Some((lapsed_cycle, from)) = open_lapse {
            self.events.push(Event::new(
                ISO,
                lapsed_cycle,
                EventKind::Lapse,
                from,
                self.horizon_end.max(from),
            ));
        }
        let bookings = bookings(&self.events, start);
        self.events.extend(bookings);
        let until = self.until;
        self.events.retain(|e| e.start <= until);
        self.events
    }
}

/// The day the certification body is booked for each external audit it is engaged for: the
/// audit's booking day (`booking_lead_months` before it starts), never before the framework
/// starts on `start`. Stage 1 books Stage 2 with it, and a follow-up audit is arranged at the
/// audit it follows up, so neither has a booking of its own; a Stage 2 that opens a cycle (a new
/// Stage 2 after a late recertification, I8) has one.
fn bookings(events: &[Event], start: NaiveDate) -> Vec<Event> {
    let with_stage1: Vec<u32> = events
        .iter()
        .filter(|e| e.kind == EventKind::Stage1Audit)
        .map(|e| e.cycle)
        .collect();
    events
        .iter()
        .filter(|e| match e.kind {
            EventKind::Stage1Audit
            | EventKind::SurveillanceAudit
            | EventKind::RecertificationAudit => true,
            EventKind::Stage2Audit => !with_stage1.contains(&e.cycle),
            _ => false,
        })
        .map(|e| Event::booking(EventKind::BookCertificationBody, e, start))
        .collect()
}

/// Every ISO/IEC 27001 event of a programme that starts on `start` (the first of a month) and
/// begins by `until` (the horizon's end, or later to price what the horizon pays for). Events
/// keep their true end; a lapse still open at the end is shown up to `horizon_end`.
pub fn project(
    iso: &Iso27001,
    sites: u32,
    calendar: &WorkingCalendar,
    start: NaiveDate,
    horizon_end: NaiveDate,
    until: NaiveDate,
) -> Vec<Event> {
    Projection {
        iso,
        sites,
        horizon_end,
        until: until.max(horizon_end),
        calendar,
        events: Vec::new(),
    }
    .run(start)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::Slip;
    use crate::scenario::inputs::Bounded;
    use rust_decimal::dec;

    use crate::cycle::schedule::tests::spans as dates;
    use crate::vocabulary::year_month::tests::d;

    fn iso() -> Iso27001 {
        Iso27001 {
            audit_time: audit_time::AuditTime::given(dec!(8.5)),
            ..Iso27001::default()
        }
    }

    #[test]
    fn build_phases_then_two_stage_initial_audit() {
        let events = project(
            &iso(),
            1,
            &WorkingCalendar::default(),
            d("2027-01-01"),
            d("2031-12-31"),
            d("2031-12-31"),
        );
        assert_eq!(
            dates(&events, EventKind::GapAssessment),
            [(d("2027-01-01"), d("2027-01-31"))]
        );
        assert_eq!(
            dates(&events, EventKind::Implementation),
            [(d("2027-02-01"), d("2027-05-31"))]
        );
        // Stage 1 after 2 months of operation, on Monday 2 August (1 August 2027 is a Sunday);
        // 8.5 days × 30 % = 2.5 → 2.5 days, 3 working days.
        assert_eq!(
            dates(&events, EventKind::Stage1Audit),
            [(d("2027-08-02"), d("2027-08-04"))]
        );
        // Stage 2 six weeks later, a Monday; 6 days → a working week.
        assert_eq!(
            dates(&events, EventKind::Stage2Audit),
            [(d("2027-09-13"), d("2027-09-17"))]
        );
        // Decision five weeks after Stage 2.
        assert_eq!(
            dates(&events, EventKind::CertificationDecision)[0].0,
            d("2027-10-22")
        );
    }

    #[test]
    fn internal_audit_and_management_review_precede_stage_2() {
        let events = project(
            &iso(),
            1,
            &WorkingCalendar::default(),
            d("2027-01-01"),
            d("2028-12-31"),
            d("2028-12-31"),
        );
        let stage2 = dates(&events, EventKind::Stage2Audit)[0].0;
        let ia = dates(&events, EventKind::InternalAudit)[0].1;
        let mr = dates(&events, EventKind::ManagementReview)[0].1;
        assert!(ia < stage2 && mr < stage2);
    }

    #[test]
    fn certificate_runs_three_years_and_expiry_setting_is_honoured() {
        let events = project(
            &iso(),
            1,
            &WorkingCalendar::default(),
            d("2027-01-01"),
            d("2031-12-31"),
            d("2031-12-31"),
        );
        let cert = dates(&events, EventKind::Certificate)[0];
        assert_eq!(cert, (d("2027-10-22"), d("2030-10-22")));
        let day_before = Iso27001 {
            certificate_expiry: CertificateExpiry::DayBefore,
            ..iso()
        };
        let events = project(
            &day_before,
            1,
            &WorkingCalendar::default(),
            d("2027-01-01"),
            d("2031-12-31"),
            d("2031-12-31"),
        );
        assert_eq!(dates(&events, EventKind::Certificate)[0].1, d("2030-10-21"));
    }

    #[test]
    fn first_surveillance_is_within_12_months_of_decision() {
        let events = project(
            &iso(),
            1,
            &WorkingCalendar::default(),
            d("2027-01-01"),
            d("2031-12-31"),
            d("2031-12-31"),
        );
        let decision = dates(&events, EventKind::CertificationDecision)[0].0;
        let s1 = dates(&events, EventKind::SurveillanceAudit)[0].0;
        assert!(s1 <= add_months(decision, 12));
        assert_eq!(s1, d("2028-09-22"));
    }

    #[test]
    fn on_time_recertification_continues_from_the_old_expiry() {
        let events = project(
            &iso(),
            1,
            &WorkingCalendar::default(),
            d("2027-01-01"),
            d("2034-12-31"),
            d("2034-12-31"),
        );
        let certs = dates(&events, EventKind::Certificate);
        assert_eq!(certs[1], (d("2030-10-23"), d("2033-10-22")));
        let recert = dates(&events, EventKind::RecertificationDecision)[0].0;
        assert!(recert < certs[0].1, "decided before expiry");
        assert!(dates(&events, EventKind::Lapse).is_empty());
    }

    #[test]
    fn late_recertification_lapses_and_is_restored_within_6_months() {
        let late = Iso27001 {
            slip: vec![Slip {
                audit: SlippedAudit::RecertificationAudit,
                cycle: Bounded::new(1),
                number: Bounded::new(1),
                months: Bounded::new(4),
            }],
            ..iso()
        };
        let events = project(
            &late,
            1,
            &WorkingCalendar::default(),
            d("2027-01-01"),
            d("2034-12-31"),
            d("2034-12-31"),
        );
        let lapse = dates(&events, EventKind::Lapse);
        assert_eq!(lapse.len(), 1);
        assert_eq!(lapse[0].0, d("2030-10-23"));
        let certs = dates(&events, EventKind::Certificate);
        // Restored at the decision, expiry carried on from the prior cycle.
        assert_eq!(certs[1].0, add_days(lapse[0].1, 1));
        assert_eq!(certs[1].1, d("2033-10-22"));
    }

    #[test]
    fn missed_surveillance_suspends_and_then_withdraws() {
        let missed = Iso27001 {
            slip: vec![Slip {
                audit: SlippedAudit::SurveillanceAudit,
                cycle: Bounded::new(1),
                number: Bounded::new(1),
                months: Bounded::new(8),
            }],
            ..iso()
        };
        let events = project(
            &missed,
            1,
            &WorkingCalendar::default(),
            d("2027-01-01"),
            d("2033-12-31"),
            d("2033-12-31"),
        );
        let suspension = dates(&events, EventKind::Suspension);
        assert_eq!(suspension[0].0, d("2028-10-23"));
        let withdrawal = dates(&events, EventKind::Withdrawal)[0].0;
        assert_eq!(withdrawal, d("2029-04-23"));
        // Restart from Stage 1 in a new cycle.
        let stage1s: Vec<_> = events
            .iter()
            .filter(|e| e.kind == EventKind::Stage1Audit)
            .collect();
        assert_eq!(stage1s.len(), 2);
        assert_eq!(stage1s[1].cycle, 2);
        let lapse = dates(&events, EventKind::Lapse);
        assert_eq!(lapse[0].0, withdrawal);
    }

    #[test]
    fn recertification_moves_into_the_year_after_the_last_surveillance() {
        // Stage 2 at the end of 2029 and a 13-week decision lag: planned three months before
        // expiry, recertification would start in January 2033 and leave 2032 without an audit.
        let late_in_year = Iso27001 {
            gap_assessment_months: Bounded::new(2),
            implementation_months: Bounded::new(1),
            operation_before_stage1_months: Bounded::new(4),
            stage1_to_stage2_weeks: Bounded::new(4),
            decision_lag_weeks: Bounded::new(13),
            surveillance_months_after_decision: Bounded::new(1),
            audit_time: audit_time::AuditTime::given(dec!(5)),
            ..iso()
        };
        let events = project(
            &late_in_year,
            1,
            &WorkingCalendar::default(),
            d("2029-05-01"),
            d("2037-12-31"),
            d("2037-12-31"),
        );
        let years: Vec<i32> = events
            .iter()
            .filter(|e| e.kind.is_external_audit())
            .map(|e| e.start.year())
            .collect();
        for year in 2029..=2036 {
            assert!(years.contains(&year), "no audit in {year}: {years:?}");
        }
    }

    #[test]
    fn every_calendar_year_but_the_recertification_year_has_an_audit() {
        // An early first surveillance would leave a year empty; the schedule moves it.
        let early = Iso27001 {
            surveillance_months_after_decision: Bounded::new(1),
            ..iso()
        };
        let events = project(
            &early,
            1,
            &WorkingCalendar::default(),
            d("2027-06-01"),
            d("2036-12-31"),
            d("2036-12-31"),
        );
        let years: Vec<i32> = events
            .iter()
            .filter(|e| e.kind.is_external_audit())
            .map(|e| e.start.year())
            .collect();
        for year in 2028..=2035 {
            assert!(years.contains(&year), "no audit in {year}: {years:?}");
        }
    }
}
