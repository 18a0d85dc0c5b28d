//! Dated events of a plan: the certification cycle and the attestation periods.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::vocabulary::framework::Framework;

/// What happens on a plan's timeline. The identifiers are the `event` column of schedule.csv.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum EventKind {
    // ISO/IEC 27001
    GapAssessment,
    Implementation,
    IsmsOperation,
    RiskAssessment,
    InternalAudit,
    ManagementReview,
    /// The day the certification body must be booked for an external audit: the booking lead
    /// before its first day (Stage 1 books Stage 2 with it).
    BookCertificationBody,
    Stage1Audit,
    Stage2Audit,
    /// A follow-up audit that verifies the corrective action of a major nonconformity (I4).
    FollowUpAudit,
    CertificationDecision,
    Certificate,
    SurveillanceAudit,
    Suspension,
    Withdrawal,
    RecertificationAudit,
    RecertificationDecision,
    Lapse,
    // SOC 2
    Readiness,
    /// The day the CPA firm must be engaged for a Type I or a Type II engagement: the booking
    /// lead before the as-of date or the observation window's first day.
    EngageCpaFirm,
    Type1AsOf,
    Type1Report,
    ObservationWindow,
    Type2Report,
    /// The public SOC 3 summary, issued with a Type II report (S7).
    Soc3Report,
    /// A SOC 2 report is current (S5) from its issue date.
    ReportCurrent,
    BridgeLetter,
    CoverageGap,
}

impl EventKind {
    pub const ALL: [EventKind; 28] = [
        EventKind::GapAssessment,
        EventKind::Implementation,
        EventKind::IsmsOperation,
        EventKind::RiskAssessment,
        EventKind::InternalAudit,
        EventKind::ManagementReview,
        EventKind::BookCertificationBody,
        EventKind::Stage1Audit,
        EventKind::Stage2Audit,
        EventKind::FollowUpAudit,
        EventKind::CertificationDecision,
        EventKind::Certificate,
        EventKind::SurveillanceAudit,
        EventKind::Suspension,
        EventKind::Withdrawal,
        EventKind::RecertificationAudit,
        EventKind::RecertificationDecision,
        EventKind::Lapse,
        EventKind::Readiness,
        EventKind::EngageCpaFirm,
        EventKind::Type1AsOf,
        EventKind::Type1Report,
        EventKind::ObservationWindow,
        EventKind::Type2Report,
        EventKind::Soc3Report,
        EventKind::ReportCurrent,
        EventKind::BridgeLetter,
        EventKind::CoverageGap,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::GapAssessment => "gap_assessment",
            EventKind::Implementation => "implementation",
            EventKind::IsmsOperation => "isms_operation",
            EventKind::RiskAssessment => "risk_assessment",
            EventKind::InternalAudit => "internal_audit",
            EventKind::ManagementReview => "management_review",
            EventKind::BookCertificationBody => "book_certification_body",
            EventKind::Stage1Audit => "stage1_audit",
            EventKind::Stage2Audit => "stage2_audit",
            EventKind::FollowUpAudit => "follow_up_audit",
            EventKind::CertificationDecision => "certification_decision",
            EventKind::Certificate => "certificate",
            EventKind::SurveillanceAudit => "surveillance_audit",
            EventKind::Suspension => "suspension",
            EventKind::Withdrawal => "withdrawal",
            EventKind::RecertificationAudit => "recertification_audit",
            EventKind::RecertificationDecision => "recertification_decision",
            EventKind::Lapse => "lapse",
            EventKind::Readiness => "readiness",
            EventKind::EngageCpaFirm => "engage_cpa_firm",
            EventKind::Type1AsOf => "type1_as_of",
            EventKind::Type1Report => "type1_report",
            EventKind::ObservationWindow => "observation_window",
            EventKind::Type2Report => "type2_report",
            EventKind::Soc3Report => "soc3_report",
            EventKind::ReportCurrent => "report_current",
            EventKind::BridgeLetter => "bridge_letter",
            EventKind::CoverageGap => "coverage_gap",
        }
    }

    /// The name shown to people.
    pub fn label(self) -> &'static str {
        match self {
            EventKind::GapAssessment => "Gap assessment",
            EventKind::Implementation => "ISMS implementation",
            EventKind::IsmsOperation => "ISMS operation",
            EventKind::RiskAssessment => "Risk assessment",
            EventKind::InternalAudit => "Internal audit",
            EventKind::ManagementReview => "Management review",
            EventKind::BookCertificationBody => "Book the certification body",
            EventKind::Stage1Audit => "Stage 1 audit",
            EventKind::Stage2Audit => "Stage 2 audit",
            EventKind::FollowUpAudit => "Follow-up audit",
            EventKind::CertificationDecision => "Certification decision",
            EventKind::Certificate => "Certificate valid",
            EventKind::SurveillanceAudit => "Surveillance audit",
            EventKind::Suspension => "Suspension",
            EventKind::Withdrawal => "Withdrawal",
            EventKind::RecertificationAudit => "Recertification audit",
            EventKind::RecertificationDecision => "Recertification decision",
            EventKind::Lapse => "Lapse",
            EventKind::Readiness => "Readiness",
            EventKind::EngageCpaFirm => "Engage the CPA firm",
            EventKind::Type1AsOf => "Type I as-of date",
            EventKind::Type1Report => "Type I report",
            EventKind::ObservationWindow => "Observation window",
            EventKind::Type2Report => "Type II report",
            EventKind::Soc3Report => "SOC 3 report",
            EventKind::ReportCurrent => "Report current",
            EventKind::BridgeLetter => "Bridge letter",
            EventKind::CoverageGap => "Coverage gap",
        }
    }

    /// External audits by the certification body or the CPA firm.
    pub fn is_external_audit(self) -> bool {
        matches!(
            self,
            EventKind::Stage1Audit
                | EventKind::Stage2Audit
                | EventKind::FollowUpAudit
                | EventKind::SurveillanceAudit
                | EventKind::RecertificationAudit
        )
    }
}

/// One dated event. A point event has `start == end`; both dates are inclusive.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Event {
    pub framework: Framework,
    /// Certification cycle (ISO) or attestation period (SOC 2), from 1.
    pub cycle: u32,
    pub kind: EventKind,
    pub start: NaiveDate,
    pub end: NaiveDate,
    /// Auditor-days of an ISO audit.
    pub audit_days: Option<Decimal>,
    /// For audits and reports: when they are booked (the booking lead before fieldwork).
    pub booked: Option<NaiveDate>,
    /// For audits: when their report or decision lands.
    pub reported: Option<NaiveDate>,
    /// For a booking (`book_certification_body`, `engage_cpa_firm`): the audit or engagement it
    /// books, and that audit's first day (the Type I as-of date, the window's first day).
    pub books: Option<(EventKind, NaiveDate)>,
}

impl Event {
    pub fn new(
        framework: Framework,
        cycle: u32,
        kind: EventKind,
        start: NaiveDate,
        end: NaiveDate,
    ) -> Self {
        Event {
            framework,
            cycle,
            kind,
            start,
            end,
            audit_days: None,
            booked: None,
            reported: None,
            books: None,
        }
    }

    pub fn point(framework: Framework, cycle: u32, kind: EventKind, date: NaiveDate) -> Self {
        Event::new(framework, cycle, kind, date, date)
    }

    /// A booking (`kind`) of the audit or engagement `books`, on the day it is booked, but never
    /// before the framework starts on `framework_start` (payments on booking move there too).
    pub fn booking(kind: EventKind, books: &Event, framework_start: NaiveDate) -> Self {
        let day = books.booked.unwrap_or(books.start).max(framework_start);
        let mut event = Event::point(books.framework, books.cycle, kind, day);
        event.books = Some((books.kind, books.start));
        event
    }
}

/// All events of one plan, in date order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Schedule {
    pub events: Vec<Event>,
}

impl Schedule {
    /// Events sorted by start, then framework, cycle and kind, so outputs are stable.
    pub fn new(mut events: Vec<Event>) -> Self {
        events.sort_by(|a, b| {
            (a.start, a.framework, a.cycle, a.kind, a.end).cmp(&(
                b.start,
                b.framework,
                b.cycle,
                b.kind,
                b.end,
            ))
        });
        Schedule { events }
    }

    /// The earliest date an event of this kind starts (the first certificate decision, report, …).
    pub fn first(&self, kind: EventKind) -> Option<NaiveDate> {
        self.events
            .iter()
            .filter(|e| e.kind == kind)
            .map(|e| e.start)
            .min()
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// (start, end) of every event of `kind`, for the tests of the projections.
    pub(crate) fn spans(events: &[Event], kind: EventKind) -> Vec<(NaiveDate, NaiveDate)> {
        events
            .iter()
            .filter(|e| e.kind == kind)
            .map(|e| (e.start, e.end))
            .collect()
    }
}
