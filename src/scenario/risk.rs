//! Risk events (`[[risk]]`): what goes wrong in known ways, with a probability and a size, played
//! through the certification cycle's own rules when `certplan risk` draws it.
//!
//! | event | effect |
//! |---|---|
//! | `stage2_major_nonconformity` | the decision waits `months` for the corrective action and a follow-up audit of `follow_up_days` (its fee at the day rate); not closed within 6 months, a new Stage 2 (I4) |
//! | `surveillance_major_nonconformity` | the first surveillance audit suspends the certificate for `months` (I9); beyond 6 months, withdrawal and a restart from Stage 1 |
//! | `certification_body_booked_out` | Stage 1 `months` later |
//! | `cpa_firm_booked_out` | the engagement booked next `months` later: with a Type I first, the Type I and every period after it (so the first Type II too); without, the first Type II report |
//! | `soc2_readiness_overrun` | readiness `months` longer |
//! | `soc2_report_exceptions` | the first Type II report has exceptions (flagged); an optional re-test `cost` |
//! | `key_person_loss` | the build (ISO implementation, else SOC 2 readiness) `months` longer, and a hiring `cost` |
//! | `fee_rise_at_renewal` | audit fees from the recertification and later Type II reports up by `rise` (0.1 = 10 %) |

use rust_decimal::Decimal;
use serde::Deserialize;

use crate::scenario::inputs::{Bounded, Fraction};
use crate::vocabulary::money::Amount;

/// What goes wrong.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RiskEvent {
    Stage2MajorNonconformity,
    SurveillanceMajorNonconformity,
    CertificationBodyBookedOut,
    CpaFirmBookedOut,
    Soc2ReadinessOverrun,
    Soc2ReportExceptions,
    KeyPersonLoss,
    FeeRiseAtRenewal,
}

impl RiskEvent {
    pub fn as_str(self) -> &'static str {
        match self {
            RiskEvent::Stage2MajorNonconformity => "stage2_major_nonconformity",
            RiskEvent::SurveillanceMajorNonconformity => "surveillance_major_nonconformity",
            RiskEvent::CertificationBodyBookedOut => "certification_body_booked_out",
            RiskEvent::CpaFirmBookedOut => "cpa_firm_booked_out",
            RiskEvent::Soc2ReadinessOverrun => "soc2_readiness_overrun",
            RiskEvent::Soc2ReportExceptions => "soc2_report_exceptions",
            RiskEvent::KeyPersonLoss => "key_person_loss",
            RiskEvent::FeeRiseAtRenewal => "fee_rise_at_renewal",
        }
    }

    /// For people.
    pub fn label(self) -> &'static str {
        match self {
            RiskEvent::Stage2MajorNonconformity => "Major nonconformity at Stage 2",
            RiskEvent::SurveillanceMajorNonconformity => "Major nonconformity at surveillance",
            RiskEvent::CertificationBodyBookedOut => "Certification body booked out",
            RiskEvent::CpaFirmBookedOut => "CPA firm booked out",
            RiskEvent::Soc2ReadinessOverrun => "SOC 2 readiness overrun",
            RiskEvent::Soc2ReportExceptions => "SOC 2 report with exceptions",
            RiskEvent::KeyPersonLoss => "Loss of a key person",
            RiskEvent::FeeRiseAtRenewal => "Fee rise at renewal",
        }
    }

    /// The sizes the event uses, and their defaults when the entry gives none.
    pub fn default_months(self) -> u32 {
        match self {
            RiskEvent::Stage2MajorNonconformity => 2,
            RiskEvent::SurveillanceMajorNonconformity => 3,
            RiskEvent::CertificationBodyBookedOut | RiskEvent::CpaFirmBookedOut => 2,
            RiskEvent::Soc2ReadinessOverrun | RiskEvent::KeyPersonLoss => 2,
            RiskEvent::Soc2ReportExceptions | RiskEvent::FeeRiseAtRenewal => 0,
        }
    }
}

/// One `[[risk]]` entry as written.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RiskSpec {
    /// Shown in the tornado and the report; the event's label by default.
    #[serde(
        default,
        deserialize_with = "crate::scenario::inputs::plain_text::<_, 80>"
    )]
    pub name: String,
    pub event: RiskEvent,
    /// Chance it happens in a plan that can meet it, 0 to 1.
    pub probability: Fraction<0, 100>,
    /// The plans it can happen in; all plans when absent.
    pub plans: Option<Vec<String>>,
    /// Delay or overrun, months (a range: `{ low, likely, high }`).
    pub months: Option<Bounded<0, 36>>,
    /// Hiring, re-test or other one-off cost.
    pub cost: Option<Amount>,
    /// Fee rise, a fraction (0.1 = 10 %).
    pub rise: Option<Fraction<0, 200>>,
    /// Auditor-days of the follow-up audit after a Stage 2 nonconformity.
    pub follow_up_days: Option<Fraction<0, 2000>>,
}

/// A checked risk: its event, probability, the plans it applies to, and its base sizes (the
/// likely values; `risk` draws them from their ranges).
#[derive(Clone, Debug, PartialEq)]
pub struct Risk {
    pub name: String,
    pub event: RiskEvent,
    pub probability: f64,
    /// `None`: every plan.
    pub plans: Option<Vec<String>>,
    pub months: u32,
    pub cost: Decimal,
    pub rise: Decimal,
    pub follow_up_days: Decimal,
    /// The line of the entry's first key in the scenario file (0 until it is located).
    pub line: usize,
}

impl Risk {
    pub fn applies_to(&self, plan: &str) -> bool {
        self.plans
            .as_ref()
            .is_none_or(|p| p.iter().any(|name| name == plan))
    }
}

impl RiskSpec {
    pub fn checked(self) -> Risk {
        use rust_decimal::prelude::ToPrimitive;
        Risk {
            name: if self.name.trim().is_empty() {
                self.event.label().to_string()
            } else {
                self.name
            },
            probability: self.probability.get().to_f64().unwrap_or(0.0),
            plans: self.plans,
            months: self.months.map_or(self.event.default_months(), |m| m.get()),
            cost: self.cost.map_or(Decimal::ZERO, |c| c.0),
            rise: self.rise.map_or(Decimal::ZERO, |r| r.get()),
            follow_up_days: self.follow_up_days.map_or(Decimal::ONE, |d| d.get()),
            event: self.event,
            line: 0,
        }
    }
}

/// What has gone wrong in one draw, as the ISO/IEC 27001 cycle plays it.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct IsoRisks {
    /// Months to close a major nonconformity found at Stage 2, and the follow-up audit's days.
    pub stage2_nonconformity: Option<(u32, Decimal)>,
    /// Months the first surveillance audit's major nonconformity keeps the certificate suspended.
    pub surveillance_nonconformity: Option<u32>,
    /// Months the certification body is booked out: Stage 1 that much later.
    pub stage1_delay_months: u32,
    /// Months the implementation runs longer (a key person lost).
    pub implementation_extra_months: u32,
    /// One-off cost in the build (hiring).
    pub hiring_cost: Decimal,
    /// Audit fees from the recertification on rise by this fraction.
    pub renewal_fee_rise: Decimal,
}

/// What has gone wrong in one draw, as the SOC 2 periods play it.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Soc2Risks {
    pub readiness_extra_months: u32,
    /// The first report (Type I, or the first Type II) this many months later.
    pub first_report_delay_months: u32,
    /// The first Type II report has exceptions; its re-test costs this much.
    pub exceptions: Option<Decimal>,
    pub hiring_cost: Decimal,
    /// Type II fees from the second period on rise by this fraction.
    pub renewal_fee_rise: Decimal,
}
