//! Cost categories: defined once, used by the pricing, every CSV, the charts and the docs.

use std::fmt;

/// What money is spent on. Kept apart in every output, as the domain asks (docs/domain.md §5).
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Category {
    /// Certification body audit days and CPA firm attestation fees.
    AuditFees,
    /// Auditor travel, application and certificate fees.
    FeesAndTravel,
    /// Gap assessment, readiness assessment and implementation consulting.
    ReadinessConsulting,
    /// Remediation and implementation: tools and engineering work bought in.
    Remediation,
    /// Compliance automation platform subscription.
    Platform,
    /// Internal staff time: FTE × loaded monthly cost.
    InternalStaff,
    /// Yearly penetration test (SOC 2 CC7 evidence; ISO Annex A 8.8).
    PenetrationTest,
    /// ISO/IEC 27001 clause 9.2 internal audit.
    InternalAudit,
    /// ISO/IEC 27001 clause 9.3 management review.
    ManagementReview,
    /// ISO/IEC 27001 clauses 6.1.2/8.2 risk-assessment refresh.
    RiskAssessment,
    /// Security awareness training.
    Training,
    /// A reserve for what the plan does not foresee (`[finance] contingency`), kept apart from
    /// every other category.
    Contingency,
}

impl Category {
    pub const ALL: [Category; 12] = [
        Category::AuditFees,
        Category::FeesAndTravel,
        Category::ReadinessConsulting,
        Category::Remediation,
        Category::Platform,
        Category::InternalStaff,
        Category::PenetrationTest,
        Category::InternalAudit,
        Category::ManagementReview,
        Category::RiskAssessment,
        Category::Training,
        Category::Contingency,
    ];

    /// The identifier used in CSV and JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Category::AuditFees => "audit_fees",
            Category::FeesAndTravel => "fees_and_travel",
            Category::ReadinessConsulting => "readiness_consulting",
            Category::Remediation => "remediation",
            Category::Platform => "platform",
            Category::InternalStaff => "internal_staff",
            Category::PenetrationTest => "penetration_test",
            Category::InternalAudit => "internal_audit",
            Category::ManagementReview => "management_review",
            Category::RiskAssessment => "risk_assessment",
            Category::Training => "training",
            Category::Contingency => "contingency",
        }
    }

    /// The name shown to people in charts and reports.
    pub fn label(self) -> &'static str {
        match self {
            Category::AuditFees => "Audit fees",
            Category::FeesAndTravel => "Fees & travel",
            Category::ReadinessConsulting => "Readiness & consulting",
            Category::Remediation => "Remediation",
            Category::Platform => "Platform",
            Category::InternalStaff => "Internal staff",
            Category::PenetrationTest => "Penetration test",
            Category::InternalAudit => "Internal audit",
            Category::ManagementReview => "Management review",
            Category::RiskAssessment => "Risk assessment",
            Category::Training => "Training",
            Category::Contingency => "Contingency",
        }
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Whether a cost builds the programme (one-off) or runs it (recurring).
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Nature {
    Build,
    Run,
}

impl Nature {
    pub fn as_str(self) -> &'static str {
        match self {
            Nature::Build => "build",
            Nature::Run => "run",
        }
    }
}
