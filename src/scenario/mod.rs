//! The scenario file: what a security lead writes, read and checked into a `Scenario`.
//!
//! Every value type checks itself while it is read (see `inputs`), so the TOML reader reports
//! it at its line and column; the few rules that join several keys are checked here with the
//! positions kept by `toml::Spanned`.

use std::path::Path;

use rust_decimal::Decimal;
use serde::Deserialize;
use toml::Spanned;

use crate::scenario::inputs::{Bounded, CostItem, Fraction, Payment};
use crate::vocabulary::audit_time::{self, TABLE_MAX_PERSONS};
use crate::vocabulary::error::{Diagnostic, Error, Warning};
use crate::vocabulary::fiscal_year::{FiscalCalendar, FiscalYearNaming};
use crate::vocabulary::framework::Framework;
use crate::vocabulary::money::Amount;
use crate::vocabulary::year_month::{Date, YearMonth};

pub mod demand;
pub mod finance;
pub mod inputs;
mod overrides;
pub mod risk;
pub mod schema;
pub mod tracking;
pub mod uncertainty;

/// Longest projection certplan makes: ten years.
pub const MAX_HORIZON_MONTHS: u32 = 120;
/// Most plans one scenario may compare.
pub const MAX_PLANS: usize = 32;
/// Largest scenario file read.
pub const MAX_FILE_BYTES: usize = 1024 * 1024;

/// The company and the window of the projection.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Programme {
    /// Name shown on every output.
    #[serde(deserialize_with = "crate::scenario::inputs::name_text::<_, 120>")]
    pub name: String,
    /// First month of the projection; plans start at offsets from it.
    pub start: YearMonth,
    /// Months projected, 1 to 120.
    pub horizon_months: Bounded<1, MAX_HORIZON_MONTHS>,
    /// ISO 4217 currency of every amount.
    pub currency: crate::vocabulary::currency::Currency,
    #[serde(default = "january")]
    pub fiscal_year_start_month: Bounded<1, 12>,
    #[serde(default)]
    pub fiscal_year_naming: FiscalYearNaming,
    /// How fiscal years are written: `FY2028`, `FY2027/28` or `2027-28`.
    #[serde(default = "fy_label")]
    pub fiscal_year_label: Spanned<crate::vocabulary::fiscal_year::FiscalYearLabel>,
    /// Persons doing work under the organisation's control (contractors included, part-timers
    /// as FTE): the ISO/IEC 27006 audit-time input.
    pub headcount: Spanned<Bounded<1, 1_000_000>>,
    #[serde(default = "one_site")]
    pub sites: Bounded<1, 10_000>,
    /// Yearly headcount growth (a fraction; negative shrinks): each full year after the start,
    /// the ISO/IEC 27006 audit time is recomputed with the headcount then (IAF MD 5 cl. 6.1).
    #[serde(default = "no_growth")]
    pub headcount_growth_per_year: Spanned<Fraction<-50, 200>>,
}

fn fy_label() -> Spanned<crate::vocabulary::fiscal_year::FiscalYearLabel> {
    Spanned::new(0..0, Default::default())
}

fn no_growth() -> Spanned<Fraction<-50, 200>> {
    Spanned::new(0..0, Fraction::percent(0))
}

fn january() -> Bounded<1, 12> {
    Bounded::new(1)
}
fn one_site() -> Bounded<1, 10_000> {
    Bounded::new(1)
}

impl Programme {
    pub fn fiscal_calendar(&self) -> FiscalCalendar {
        FiscalCalendar {
            start_month: self.fiscal_year_start_month.get(),
            naming: self.fiscal_year_naming,
            label: *self.fiscal_year_label.get_ref(),
        }
    }

    /// The last month of the projection.
    pub fn last_month(&self) -> YearMonth {
        self.start.plus(i64::from(self.horizon_months.get()) - 1)
    }

    /// Every month of the projection, in order.
    pub fn months(&self) -> impl Iterator<Item = YearMonth> {
        self.start.range(self.horizon_months.get())
    }

    /// Every fiscal year the projection touches, in order (the first and last may be partial).
    pub fn fiscal_years(&self) -> Vec<crate::vocabulary::fiscal_year::FiscalYear> {
        self.fiscal_years_in_horizon()
            .into_iter()
            .map(|y| y.year)
            .collect()
    }

    /// Every fiscal year the projection touches with the months it has inside the horizon.
    pub fn fiscal_years_in_horizon(
        &self,
    ) -> Vec<crate::vocabulary::fiscal_year::FiscalYearInHorizon> {
        self.fiscal_calendar()
            .years_in(self.start, self.last_month())
    }

    /// The fiscal year `year` as the horizon sees it.
    pub fn fiscal_year_in_horizon(
        &self,
        year: crate::vocabulary::fiscal_year::FiscalYear,
    ) -> Option<crate::vocabulary::fiscal_year::FiscalYearInHorizon> {
        self.fiscal_years_in_horizon()
            .into_iter()
            .find(|y| y.year == year)
    }
}

/// Whether the certificate's expiry date is the third anniversary of the decision or the day
/// before it (ISO/IEC 17021-1 leaves it to the certification body; docs/domain.md I5).
#[derive(Copy, Clone, Debug, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum CertificateExpiry {
    #[default]
    Anniversary,
    DayBefore,
}

impl CertificateExpiry {
    /// The identifier used in scenario files.
    pub fn as_str(self) -> &'static str {
        match self {
            CertificateExpiry::Anniversary => "anniversary",
            CertificateExpiry::DayBefore => "day_before",
        }
    }
}

/// Auditor-days stated in the scenario: positive, in half days.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct AuditDays(pub Decimal);

impl<'de> Deserialize<'de> for AuditDays {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = Fraction::<50, 50_000>::deserialize(deserializer)?.get();
        if (value * Decimal::TWO).fract() != Decimal::ZERO {
            return Err(serde::de::Error::custom(format!(
                "{value} auditor-days is not a whole or half day"
            )));
        }
        Ok(AuditDays(value))
    }
}

/// Internal staff effort of one framework, in FTE, by phase.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct StaffEffort {
    /// During gap assessment and implementation (ISO) or readiness (SOC 2).
    pub build: Fraction<0, 2000>,
    /// From the end of the build until the first certificate or report.
    pub operate: Fraction<0, 2000>,
    /// Every month after the first certificate or report: evidence and upkeep.
    pub run: Fraction<0, 2000>,
}

impl StaffEffort {
    fn of(build: i32, operate: i32, run: i32) -> Self {
        StaffEffort {
            build: Fraction::percent(build),
            operate: Fraction::percent(operate),
            run: Fraction::percent(run),
        }
    }
}

impl Default for StaffEffort {
    fn default() -> Self {
        StaffEffort::of(50, 30, 20)
    }
}

/// An audit that happens later than planned: a what-if that shows suspension, lapse and
/// withdrawal (docs/domain.md I8, I9).
#[derive(Copy, Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Slip {
    pub audit: SlippedAudit,
    /// Certification cycle the audit belongs to (1 = the first certificate).
    pub cycle: Bounded<1, 50>,
    /// For surveillance audits: 1 or 2.
    #[serde(default = "first")]
    pub number: Bounded<1, 2>,
    /// Months later than planned.
    pub months: Bounded<1, 36>,
}

fn first() -> Bounded<1, 2> {
    Bounded::new(1)
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SlippedAudit {
    SurveillanceAudit,
    RecertificationAudit,
}

/// ISO/IEC 27001 inputs. Defaults come from docs/domain.md §1, §2, §4 and §5.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Iso27001 {
    pub gap_assessment_months: Bounded<0, 24>,
    pub implementation_months: Bounded<1, 36>,
    /// ISMS operation between the end of implementation and Stage 1 (I3: ~3 months before
    /// Stage 2 with one internal audit and management review done).
    pub operation_before_stage1_months: Bounded<1, 24>,
    pub stage1_to_stage2_weeks: Bounded<1, 104>,
    /// End of Stage 2 to the certification decision (I4: 4–6 weeks, CB deadline ~90 days).
    pub decision_lag_weeks: Bounded<0, 13>,
    /// Surveillance audit 1 this many months after the (re)certification decision (I6: ≤ 12);
    /// surveillance 2 twelve months later.
    pub surveillance_months_after_decision: Bounded<1, 12>,
    /// Recertification audit starts this many months before expiry (I7: 3–6).
    pub recertification_lead_months: Bounded<0, 12>,
    pub certificate_expiry: CertificateExpiry,
    /// Initial audit days (Stage 1 + Stage 2); from the ISO/IEC 27006 table when absent,
    /// required above 10,700 persons.
    pub audit_days: Option<Spanned<AuditDays>>,
    /// Persons of the headcount doing identical, simple, repetitive work (a call centre),
    /// counted as ⌈√n⌉ in the audit-time table (ISO/IEC 27006-1:2024 C.3.4). An option the
    /// certification body decides on, never a default.
    pub repetitive_work_persons: Option<Spanned<Bounded<1, 1_000_000>>>,
    /// Raises or lowers the table value; reductions capped at 30 %.
    pub complexity_adjustment: Fraction<-30, 100>,
    /// Share of the initial audit days spent in Stage 1 (Stage 2 takes 60–80 %).
    pub stage1_share: Fraction<5, 95>,
    /// Audit days × sampled sites (√sites initial/recertification, 0.6·√sites surveillance).
    pub multi_site_sampling: bool,
    pub day_rate: Amount,
    pub travel_per_audit: Amount,
    /// Paid once per initial certification, on booking Stage 1.
    pub application_fee: Amount,
    /// Paid for each certificate issued, at the decision.
    pub certificate_fee: Amount,
    pub audit_fees_paid: Payment,
    /// Certification bodies are booked 3–4 months ahead.
    pub booking_lead_months: Bounded<0, 12>,
    /// Gap assessment and implementation consulting; spread over those phases by default.
    pub readiness_consulting: CostItem,
    /// Tools and engineering bought in; spread over implementation by default.
    pub remediation: CostItem,
    /// Each internal audit (clause 9.2), outsourced about £500–3,000.
    pub internal_audit: CostItem,
    /// Each management review (clause 9.3).
    pub management_review: CostItem,
    /// Each yearly risk-assessment refresh (clauses 6.1.2, 8.2).
    pub risk_assessment: CostItem,
    pub staff_fte: StaffEffort,
    /// What-if slips of individual audits.
    pub slip: Vec<Slip>,
    /// Initial audit days at any date: given, or from the table and the headcount then.
    #[serde(skip)]
    pub audit_time: audit_time::AuditTime,
    /// What goes wrong in a Monte Carlo draw (nothing in the base case).
    #[serde(skip)]
    pub risks: crate::scenario::risk::IsoRisks,
    /// What has taken place (`certplan track`): audits and the decision at their real dates.
    #[serde(skip)]
    pub actual: crate::scenario::tracking::IsoActuals,
}

impl Default for Iso27001 {
    fn default() -> Self {
        Iso27001 {
            gap_assessment_months: Bounded::new(1),
            implementation_months: Bounded::new(4),
            operation_before_stage1_months: Bounded::new(2),
            stage1_to_stage2_weeks: Bounded::new(6),
            decision_lag_weeks: Bounded::new(5),
            surveillance_months_after_decision: Bounded::new(11),
            recertification_lead_months: Bounded::new(3),
            certificate_expiry: CertificateExpiry::Anniversary,
            audit_days: None,
            repetitive_work_persons: None,
            complexity_adjustment: Fraction::percent(0),
            stage1_share: Fraction::percent(30),
            multi_site_sampling: false,
            day_rate: Amount::from_int(1800),
            travel_per_audit: Amount::from_int(1000),
            application_fee: Amount::from_int(1000),
            certificate_fee: Amount::from_int(500),
            audit_fees_paid: Payment::AtFieldwork,
            booking_lead_months: Bounded::new(3),
            readiness_consulting: CostItem::new(20_000),
            remediation: CostItem::new(15_000),
            internal_audit: CostItem::new(2_000),
            management_review: CostItem::new(500),
            risk_assessment: CostItem::new(1_500),
            staff_fte: StaffEffort::default(),
            slip: Vec::new(),
            audit_time: audit_time::AuditTime::default(),
            risks: crate::scenario::risk::IsoRisks::default(),
            actual: crate::scenario::tracking::IsoActuals::default(),
        }
    }
}

/// SOC 2 Trust Services Categories (TSC 2017); Security is always in scope (S1).
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TrustCategory {
    Security,
    Availability,
    ProcessingIntegrity,
    Confidentiality,
    Privacy,
}

impl TrustCategory {
    /// The identifier used in scenario files.
    pub fn as_str(self) -> &'static str {
        match self {
            TrustCategory::Security => "security",
            TrustCategory::Availability => "availability",
            TrustCategory::ProcessingIntegrity => "processing_integrity",
            TrustCategory::Confidentiality => "confidentiality",
            TrustCategory::Privacy => "privacy",
        }
    }
}

/// What a SOC 2 report's 12 months of currency count from (S5).
#[derive(Copy, Clone, Debug, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum CurrencyAnchor {
    #[default]
    PeriodEnd,
    IssueDate,
}

impl CurrencyAnchor {
    /// The identifier used in scenario files.
    pub fn as_str(self) -> &'static str {
        match self {
            CurrencyAnchor::PeriodEnd => "period_end",
            CurrencyAnchor::IssueDate => "issue_date",
        }
    }
}

/// SOC 2 inputs. Defaults come from docs/domain.md §3, §4 and §5.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Soc2 {
    pub categories: Spanned<Vec<TrustCategory>>,
    /// Readiness assessment and remediation before controls operate (S7: 1–4 months).
    pub readiness_months: Bounded<0, 12>,
    /// A Type I report as of the first day controls operate, before the first Type II.
    pub type1_first: bool,
    /// First Type II observation window (S3: 3–6 months).
    pub first_window_months: Bounded<1, 12>,
    /// Later windows, back to back (S3: 12 months).
    pub later_window_months: Bounded<1, 12>,
    /// Report issued this long after the as-of date or period end (S4: 2–8 weeks, up to 4 months).
    pub report_lag_weeks: Bounded<1, 17>,
    /// How long a report is treated as current (S5: 12 months).
    pub report_current_months: Bounded<1, 24>,
    pub currency_anchor: CurrencyAnchor,
    /// Management bridge letters cover short gaps between reports (S6).
    pub bridge_letters: bool,
    /// Longest gap a bridge letter covers (S6: about 3 months).
    pub bridge_letter_max_months: Bounded<1, 6>,
    pub type1_fee: Amount,
    pub type2_fee: Amount,
    /// A SOC 3 report, the public summary, from each Type II engagement (S7).
    pub soc3: bool,
    /// Added to each Type II engagement that also issues a SOC 3 report.
    pub soc3_fee: Amount,
    /// Added to each audit fee for each category beyond Security.
    pub category_uplift: Fraction<0, 100>,
    pub audit_fees_paid: Payment,
    pub booking_lead_months: Bounded<0, 12>,
    pub readiness_consulting: CostItem,
    pub remediation: CostItem,
    pub staff_fte: StaffEffort,
    /// What goes wrong in a Monte Carlo draw (nothing in the base case).
    #[serde(skip)]
    pub risks: crate::scenario::risk::Soc2Risks,
}

impl Default for Soc2 {
    fn default() -> Self {
        Soc2 {
            categories: Spanned::new(0..0, vec![TrustCategory::Security]),
            readiness_months: Bounded::new(2),
            type1_first: true,
            first_window_months: Bounded::new(6),
            later_window_months: Bounded::new(12),
            report_lag_weeks: Bounded::new(6),
            report_current_months: Bounded::new(12),
            currency_anchor: CurrencyAnchor::PeriodEnd,
            bridge_letters: true,
            bridge_letter_max_months: Bounded::new(3),
            type1_fee: Amount::from_int(15_000),
            type2_fee: Amount::from_int(30_000),
            soc3: false,
            soc3_fee: Amount::from_int(2_500),
            category_uplift: Fraction::percent(15),
            audit_fees_paid: Payment::OnReport,
            booking_lead_months: Bounded::new(2),
            readiness_consulting: CostItem::new(12_000),
            remediation: CostItem::new(10_000),
            staff_fte: StaffEffort::of(40, 25, 15),
            risks: crate::scenario::risk::Soc2Risks::default(),
        }
    }
}

impl Soc2 {
    /// Optional categories in scope (all but Security).
    pub fn optional_categories(&self) -> usize {
        self.categories
            .get_ref()
            .iter()
            .filter(|c| **c != TrustCategory::Security)
            .count()
    }
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum BillingPeriod {
    Month,
    #[default]
    Year,
}

/// Compliance automation platform subscription (quote-based, by frameworks).
#[derive(Copy, Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Platform {
    pub amount: Amount,
    pub per: BillingPeriod,
    /// Added per billing period for each framework beyond the first.
    pub extra_framework: Amount,
}

impl Default for Platform {
    fn default() -> Self {
        Platform {
            amount: Amount::from_int(10_000),
            per: BillingPeriod::Year,
            extra_framework: Amount::from_int(5_000),
        }
    }
}

/// Recurring work both frameworks use, counted once per plan (docs/domain.md §6).
#[derive(Copy, Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Shared {
    pub platform: Platform,
    /// Yearly, first before the first audit or observation window ($5k–20k web app).
    pub penetration_test: CostItem,
    /// Yearly security-awareness training.
    pub training: CostItem,
}

impl Default for Shared {
    fn default() -> Self {
        Shared {
            platform: Platform::default(),
            penetration_test: CostItem::new(15_000),
            training: CostItem::new(2_000),
        }
    }
}

/// Internal people cost.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Staff {
    /// Loaded monthly cost of one FTE (salary, taxes, benefits, overhead).
    pub loaded_monthly_cost: Amount,
}

impl Default for Staff {
    fn default() -> Self {
        Staff {
            loaded_monthly_cost: Amount::from_int(12_000),
        }
    }
}

/// What management requires of a plan; `compare` gives each plan a verdict.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Deserialize, Default)]
#[serde(deny_unknown_fields, default)]
pub struct Requirements {
    pub iso_certificate_by: Option<Date>,
    pub soc2_type1_report_by: Option<Date>,
    pub soc2_type2_report_by: Option<Date>,
    /// No fiscal year may cost more than this.
    pub yearly_budget_cap: Option<Amount>,
    /// The probability `certplan risk` asks of a plan before it recommends it (default 0.8).
    pub confidence: Option<Fraction<1, 99>>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct PlanFrameworkSpec {
    name: Framework,
    #[serde(default)]
    start_offset_months: Bounded<0, 119>,
}

impl Default for Bounded<0, 119> {
    fn default() -> Self {
        Bounded::new(0)
    }
}

#[expect(
    dead_code,
    reason = "overrides are read here only to check each at its line; the plan's scenario is merged from the raw table"
)]
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct PlanSpec {
    name: Spanned<String>,
    /// Another plan this one starts from: its frameworks, fractions and overrides, changed by
    /// what this plan sets.
    #[serde(default)]
    base: Option<Spanned<String>>,
    #[serde(
        default,
        deserialize_with = "crate::scenario::inputs::plain_text::<_, 300>"
    )]
    description: String,
    #[serde(default)]
    frameworks: Option<Spanned<Vec<Spanned<PlanFrameworkSpec>>>>,
    #[serde(default)]
    shared_control_fraction: Option<Fraction<0, 100>>,
    #[serde(default)]
    shared_control_time_saving: Option<Fraction<0, 90>>,
    #[serde(default)]
    combined_audit_discount: Option<Fraction<0, 50>>,
    // Overrides: read here so that each is checked at its line, as the key itself is.
    #[serde(default)]
    programme: Option<overrides::ProgrammeOverride>,
    #[serde(default)]
    iso27001: Option<Iso27001>,
    #[serde(default)]
    soc2: Option<Soc2>,
    #[serde(default)]
    shared: Option<Shared>,
    #[serde(default)]
    staff: Option<Staff>,
    #[serde(default)]
    finance: Option<overrides::FinanceOverride>,
}

fn default_shared_control() -> Fraction<0, 100> {
    Fraction::percent(70)
}
fn no_discount() -> Fraction<0, 50> {
    Fraction::percent(0)
}
/// docs/domain.md §6: ISO/IEC 27001 takes 6–12 months alone, 3–6 once SOC 2 controls exist.
fn default_time_saving() -> Fraction<0, 90> {
    Fraction::percent(50)
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct ScenarioFile {
    programme: Programme,
    iso27001: Option<Iso27001>,
    soc2: Option<Soc2>,
    #[serde(default)]
    shared: Shared,
    #[serde(default)]
    staff: Staff,
    #[serde(default)]
    requirements: Requirements,
    plan: Option<Spanned<Vec<PlanSpec>>>,
    #[serde(default)]
    risk: Vec<crate::scenario::risk::RiskSpec>,
    #[serde(default)]
    calendar: crate::vocabulary::working_days::WorkingCalendar,
    #[serde(default)]
    demand: Vec<crate::scenario::demand::DemandSpec>,
    finance: Option<crate::scenario::finance::Finance>,
    /// Read by `certplan track` (scenario::tracking); checked here for its keys.
    #[expect(
        dead_code,
        reason = "read again, with its files, by scenario::tracking::read"
    )]
    tracking: Option<crate::scenario::tracking::TrackingSpec>,
}

/// One framework of a plan and when it starts.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct PlanFramework {
    pub framework: Framework,
    /// Months after the programme start.
    pub start_offset_months: u32,
}

/// A way to pursue the frameworks, to be compared with the others.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Plan {
    /// Safe as a file name: letters, digits, `-`, `_`.
    pub name: String,
    pub description: String,
    /// In the order they start (ties: as listed); the first carries the full build effort.
    pub frameworks: Vec<PlanFramework>,
    /// Share of the later frameworks' readiness, implementation and evidence effort that the
    /// first one already covers (docs/domain.md §6: 60–80 %, default 0.7).
    pub shared_control_fraction: Decimal,
    /// Off every audit fee of a plan with more than one framework (not standard: default 0).
    pub combined_audit_discount: Decimal,
    /// How much shorter a later framework's build is (ISO/IEC 27001 gap assessment and
    /// implementation, SOC 2 readiness) when it starts once the first framework's controls are
    /// in place (docs/domain.md §6: default 0.5).
    pub shared_control_time_saving: Decimal,
    /// The plan this one starts from (`base = "…"`).
    pub base: Option<String>,
    /// Inputs this plan sets for itself, its base's included, in key order.
    pub overrides: Vec<Override>,
    /// The scenario as this plan sees it, when it overrides anything.
    pub inputs: Option<PlanInputs>,
}

/// One input a plan sets for itself.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Override {
    /// The key as it is outside the plan (`iso27001.day_rate`).
    pub key: String,
    /// The value as written (TOML).
    pub value: String,
    /// The plan whose entry sets it (this plan, or a base).
    pub set_by: String,
    /// Its line in the scenario file.
    pub line: Option<usize>,
}

/// The scenario with a plan's overrides applied: every stage that projects or prices the plan
/// reads its inputs here. Two plans' inputs compare equal when their overrides do (the
/// [`Plan::overrides`] they come from are compared with them).
#[derive(Clone, Debug)]
pub struct PlanInputs(pub std::sync::Arc<Scenario>);

impl PartialEq for PlanInputs {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}
impl Eq for PlanInputs {}

impl Plan {
    /// Whether the plan sets `key` (`iso27001.day_rate`) for itself.
    pub fn overrides_key(&self, key: &str) -> bool {
        self.overrides
            .iter()
            .any(|o| o.key == key || key.starts_with(&format!("{}.", o.key)))
    }

    pub fn includes(&self, framework: Framework) -> bool {
        self.frameworks.iter().any(|f| f.framework == framework)
    }

    /// The framework that carries the full build effort, and the ones that reuse its controls.
    pub fn is_primary(&self, framework: Framework) -> bool {
        self.frameworks
            .first()
            .is_some_and(|f| f.framework == framework)
    }
}

/// A checked scenario: every value in range, every plan runnable.
#[derive(Debug, Clone)]
pub struct Scenario {
    pub programme: Programme,
    pub iso27001: Option<Iso27001>,
    pub soc2: Option<Soc2>,
    pub shared: Shared,
    pub staff: Staff,
    pub requirements: Requirements,
    pub plans: Vec<Plan>,
    /// Legal but unusual values.
    pub warnings: Vec<Warning>,
    /// Dotted keys the file sets (`iso27001.day_rate`); every other input took its default.
    pub given: std::collections::BTreeSet<String>,
    /// SHA-256 of the scenario file, in hex, as `sha256sum` prints it: names the run's input.
    pub sha256: String,
    /// Inputs given as ranges (`{ low, likely, high }`): the base case reads the likely value.
    pub uncertain: Vec<crate::scenario::uncertainty::Uncertain>,
    /// Risk events `certplan risk` draws.
    pub risks: Vec<crate::scenario::risk::Risk>,
    /// The line each key the file sets first appears on (`iso27001.staff_fte.build` → 44;
    /// entries of arrays of tables without their index).
    pub given_lines: std::collections::BTreeMap<String, usize>,
    /// The days external audits are not held on, besides weekends.
    pub calendar: crate::vocabulary::working_days::WorkingCalendar,
    /// The business each plan may unlock.
    pub demand: Vec<crate::scenario::demand::Demand>,
    /// Contingency, escalation and discounting; `None` leaves every figure as priced.
    pub finance: Option<crate::scenario::finance::Finance>,
}

impl Scenario {
    /// The scenario as `plan` sees it: with its overrides, if it has any.
    pub fn for_plan<'a>(&'a self, plan: &'a Plan) -> &'a Scenario {
        plan.inputs.as_ref().map_or(self, |i| &i.0)
    }
}

/// Where a scenario is read from: a file, or standard input (`-` on the command line).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Source {
    File(std::path::PathBuf),
    Stdin,
}

impl Source {
    /// `-` is standard input; anything else a file.
    pub fn from_arg(arg: &Path) -> Self {
        if arg == Path::new("-") {
            Source::Stdin
        } else {
            Source::File(arg.to_path_buf())
        }
    }

    /// The name messages give it: the path, or `<stdin>`.
    pub fn name(&self) -> &Path {
        match self {
            Source::File(path) => path,
            Source::Stdin => Path::new("<stdin>"),
        }
    }

    /// The file, when it is one (its folder is never an output folder).
    pub fn file(&self) -> Option<&Path> {
        match self {
            Source::File(path) => Some(path),
            Source::Stdin => None,
        }
    }
}

/// Reads and checks the scenario at `path`.
pub fn load(path: &Path) -> Result<Scenario, Error> {
    let bytes = read_bounded(path)?;
    parse(path, &bytes)
}

/// Reads and checks a scenario from a file or standard input.
pub fn load_source(source: &Source) -> Result<Scenario, Error> {
    match source {
        Source::File(path) => load(path),
        Source::Stdin => {
            use std::io::Read;
            let mut bytes = Vec::new();
            std::io::stdin()
                .lock()
                .take(MAX_FILE_BYTES as u64 + 1)
                .read_to_end(&mut bytes)
                .map_err(|source| Error::Read {
                    path: source_name(),
                    source,
                })?;
            parse(&source_name(), &bytes)
        }
    }
}

fn source_name() -> std::path::PathBuf {
    std::path::PathBuf::from("<stdin>")
}

/// The bytes of the regular file at `path`, read through a bounded reader: a device, a pipe or
/// a folder is refused before it is read, and no more than one byte past the size limit is read.
fn read_bounded(path: &Path) -> Result<Vec<u8>, Error> {
    use std::io::Read;
    let read_error = |source| Error::Read {
        path: path.to_path_buf(),
        source,
    };
    let not_a_file = || {
        read_error(std::io::Error::other(
            "not a regular file: give the path of a scenario file (TOML)",
        ))
    };
    // Checked before opening: opening a FIFO would wait for a writer.
    if !std::fs::metadata(path).map_err(read_error)?.is_file() {
        return Err(not_a_file());
    }
    let file = std::fs::File::open(path).map_err(read_error)?;
    if !file.metadata().map_err(read_error)?.is_file() {
        return Err(not_a_file());
    }
    let mut bytes = Vec::new();
    file.take(MAX_FILE_BYTES as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(read_error)?;
    Ok(bytes)
}

/// Checks a scenario given as bytes; `path` names it in messages.
pub fn parse(path: &Path, bytes: &[u8]) -> Result<Scenario, Error> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(Error::from(Diagnostic::at(
            path,
            "",
            None,
            None,
            "the file is larger than 1 MiB, the most a scenario may be",
        )));
    }
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let valid = &bytes[..e.valid_up_to()];
        let text = String::from_utf8_lossy(valid);
        let (line, column) = crate::vocabulary::error::line_column(&text, text.len());
        Error::NotUtf8 {
            path: path.to_path_buf(),
            line,
            column,
        }
    })?;
    from_text(path, text)
}

pub use crate::vocabulary::error::MAX_ERRORS;

/// Checks a scenario given as text; `path` names it in messages. Reports every error it can
/// find, up to [`MAX_ERRORS`]: after an error on a one-line `key = value`, the line is set aside
/// and the file read again, until it reads, an error repeats, or one only follows from the line
/// set aside (a required key now missing).
pub fn from_text(path: &Path, text: &str) -> Result<Scenario, Error> {
    let found =
        crate::scenario::uncertainty::find(text, |line| key_at(text, line_offset(text, line)))
            .map_err(|(line, key, message)| {
                let start = line_offset(text, line);
                let end = start + text[start..].find('\n').unwrap_or(text.len() - start);
                Error::from(Diagnostic::at(
                    path,
                    text,
                    Some(start..end),
                    Some(key),
                    message,
                ))
            })?;
    if found.is_empty() {
        return read_all(path, text);
    }
    // The likely values are the base case; the low and high ends must be valid values too.
    let base = crate::scenario::uncertainty::rewritten(text, &found, |f| f.likely_line.as_str());
    let mut scenario = read_all(path, &base)?;
    for (end, pick) in [
        (
            "low",
            (|f: &crate::scenario::uncertainty::Found| f.low_line.as_str())
                as fn(&crate::scenario::uncertainty::Found) -> &str,
        ),
        ("high", |f: &crate::scenario::uncertainty::Found| {
            f.high_line.as_str()
        }),
    ] {
        let variant = crate::scenario::uncertainty::rewritten(text, &found, pick);
        if let Err(Error::Input(d)) = check(path, &variant) {
            let mut d = *d;
            d.message = format!("{} (the {end} end of a range)", d.message);
            return Err(Error::from(d));
        }
    }
    scenario.sha256 = sha256_hex(text);
    scenario.uncertain = found
        .into_iter()
        .filter_map(|f| {
            Some(crate::scenario::uncertainty::Uncertain {
                unit: crate::scenario::uncertainty::unit_of(&f.key)?,
                key: f.key,
                estimate: f.estimate,
                line: f.line,
            })
        })
        .collect();
    // Read from the likely values, plans that differ only in a range looked the same.
    let looked_same = same_plans(&scenario.plans, &scenario.risks, &[]);
    if !looked_same.is_empty() {
        let same = same_plans(&scenario.plans, &scenario.risks, &scenario.uncertain);
        let at = scenario
            .warnings
            .iter()
            .position(|w| looked_same.contains(w))
            .unwrap_or(scenario.warnings.len());
        scenario.warnings.retain(|w| !looked_same.contains(w));
        scenario.warnings.splice(at..at, same);
    }
    Ok(scenario)
}

/// Plans that give the same figures, each named with the first earlier plan it repeats: the
/// same frameworks, starts, fractions and overrides, the same range (low, likely, high, dist) on
/// each override, and the same `[[risk]]` entries apply to both. `uncertain` holds the ranges
/// of the file (a plan's own are `plan[N].<key>`); a plan's base case reads only the likely
/// value, so two plans that differ only in a range differ in every risk figure.
fn same_plans(
    plans: &[Plan],
    risks: &[crate::scenario::risk::Risk],
    uncertain: &[crate::scenario::uncertainty::Uncertain],
) -> Vec<Warning> {
    let ranges = |plan: &Plan| -> Vec<Option<crate::scenario::uncertainty::ThreePoint>> {
        plan.overrides
            .iter()
            .map(|o| {
                let by = plans.iter().position(|p| p.name == o.set_by)?;
                let key = format!("plan[{}].{}", by + 1, o.key);
                uncertain.iter().find(|u| u.key == key).map(|u| u.estimate)
            })
            .collect()
    };
    let applying =
        |plan: &Plan| -> Vec<bool> { risks.iter().map(|r| r.applies_to(&plan.name)).collect() };
    let mut found = Vec::new();
    for (i, plan) in plans.iter().enumerate() {
        if let Some(other) = plans[..i].iter().find(|p| {
            p.frameworks == plan.frameworks
                && p.shared_control_fraction == plan.shared_control_fraction
                && p.combined_audit_discount == plan.combined_audit_discount
                && p.shared_control_time_saving == plan.shared_control_time_saving
                && p.overrides
                    .iter()
                    .map(|o| (&o.key, &o.value))
                    .eq(plan.overrides.iter().map(|o| (&o.key, &o.value)))
                && ranges(p) == ranges(plan)
                && applying(p) == applying(plan)
        }) {
            found.push(Warning {
                key: format!("plan[{}]", i + 1),
                message: format!(
                    "plan `{}` is the same as plan `{}` (same frameworks, starts, fractions, \
                     overrides, ranges and risks): both give the same figures",
                    plan.name, other.name
                ),
            });
        }
    }
    found
}

/// SHA-256 of `text`, in hex, as `sha256sum` prints it.
fn sha256_hex(text: &str) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Reads every error of `text` it can find (see [`from_text`]).
fn read_all(path: &Path, text: &str) -> Result<Scenario, Error> {
    let first = match check(path, text) {
        Ok(scenario) => return Ok(scenario),
        Err(e) => e,
    };
    let Error::Input(diagnostic) = &first else {
        return Err(first);
    };
    let mut found = vec![(**diagnostic).clone()];
    let mut lines: Vec<String> = text.split_inclusive('\n').map(String::from).collect();
    let mut set_aside: Vec<String> = Vec::new();
    while found.len() < MAX_ERRORS {
        let Some(line) = found.last().and_then(|d| d.line) else {
            break;
        };
        let Some(source_line) = lines.get(line - 1) else {
            break;
        };
        let Some((key, false, _)) = line_key(source_line) else {
            break;
        };
        // A value that runs on to the next lines cannot be set aside alone.
        let opens = source_line.matches(['[', '{']).count();
        let closes = source_line.matches([']', '}']).count();
        if opens != closes {
            break;
        }
        let name = key_parts(&key).last().cloned().unwrap_or_default();
        // The programme's required keys stand in with a plain value, so the rest can be read.
        let stand_in = match name.as_str() {
            "name"
                if key_at(text, line_offset(text, line)).as_deref() == Some("programme.name") =>
            {
                Some("\"x\"")
            }
            "start" => Some("\"2027-01\""),
            "horizon_months" => Some("12"),
            "currency" => Some("\"USD\""),
            "headcount" => Some("10"),
            _ => None,
        };
        lines[line - 1] = match stand_in {
            Some(value) => format!("{name} = {value}\n"),
            None => {
                set_aside.push(name);
                if source_line.ends_with('\n') {
                    "\n".into()
                } else {
                    String::new()
                }
            }
        };
        let mut again = lines.concat();
        let mut result = check(path, &again);
        if let Err(Error::Input(d)) = &result
            && set_aside
                .iter()
                .any(|k| d.message.starts_with(&format!("missing field `{k}`")))
        {
            // A required key set aside: set aside its whole table instead (never [programme]).
            let header = (0..line)
                .rev()
                .find(|i| line_key(&lines[*i]).is_some_and(|(_, header, _)| header));
            let Some(header) = header else { break };
            if line_key(&lines[header]).is_some_and(|(k, _, _)| k.trim() == "programme") {
                break;
            }
            let end = (line..lines.len())
                .find(|i| line_key(&lines[*i]).is_some_and(|(_, header, _)| header))
                .unwrap_or(lines.len());
            for l in &mut lines[header..end] {
                *l = if l.ends_with('\n') {
                    "\n".into()
                } else {
                    String::new()
                };
            }
            again = lines.concat();
            result = check(path, &again);
        }
        match result {
            Err(Error::Input(d)) => {
                // An error only because a line was set aside: a required key now missing.
                let follows = set_aside.iter().any(|k| {
                    d.message.starts_with(&format!("missing field `{k}`"))
                        || d.key.as_deref().is_some_and(|key| {
                            key.ends_with(&format!(".{k}"))
                                && d.line
                                    .and_then(|l| lines.get(l - 1))
                                    .is_none_or(|l| !l.contains(k.as_str()))
                        })
                });
                if follows
                    || found
                        .iter()
                        .any(|f| f.line == d.line && f.message == d.message)
                {
                    break;
                }
                found.push(*d);
            }
            _ => break,
        }
    }
    found.sort_by_key(|d| d.line);
    if found.len() == 1 {
        Err(first)
    } else {
        Err(Error::Inputs(found))
    }
}

/// Byte offset of the start of 1-based `line`.
fn line_offset(text: &str, line: usize) -> usize {
    text.split_inclusive('\n')
        .take(line - 1)
        .map(str::len)
        .sum()
}

/// A message from the TOML reader in words a scenario's author can act on.
fn clarify(message: &str, text: &str, span: Option<&std::ops::Range<usize>>) -> String {
    let value = span.and_then(|s| text.get(s.clone())).unwrap_or("").trim();
    let unquoted_date = value.len() >= 7
        && value.as_bytes()[..4].iter().all(u8::is_ascii_digit)
        && value.as_bytes()[4] == b'-';
    if message.starts_with("invalid type") && unquoted_date && message.contains("expected a string")
    {
        let month = value.get(..7).unwrap_or(value);
        return format!(
            "`{value}` is a TOML date, but a month is expected here: write it in quotes, as \"{month}\""
        );
    }
    if message.contains("expected struct PlanFrameworkSpec") {
        let name = value.trim_matches(['[', ']', '"', ' ']);
        let name = name.split(['"', ',']).next().unwrap_or(name);
        return format!(
            "a framework is written as a table, not a string: [{{ name = \"{name}\" }}] \
             (with an optional start_offset_months)"
        );
    }
    if let Some(rest) = message.strip_prefix("unknown field `")
        && let Some((unknown, expected)) = rest.split_once("`, expected ")
    {
        if let Some(why) = overrides::identity_message(unknown, expected) {
            return why;
        }
        let candidates: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
        let best = candidates
            .iter()
            .map(|c| (strsim::jaro_winkler(unknown, c), *c))
            .filter(|(score, _)| *score >= 0.8)
            .max_by(|a, b| a.0.total_cmp(&b.0));
        return match best {
            Some((_, suggestion)) => {
                format!("unknown key `{unknown}`: did you mean `{suggestion}`?")
            }
            None => format!(
                "unknown key `{unknown}`: this table has no such key (docs/scenario.md lists \
                 every key)"
            ),
        };
    }
    if let Some(at) = message.find(", expected struct ") {
        return format!("{}, expected a table", &message[..at]);
    }
    message.to_string()
}

/// Checks a scenario given as text, stopping at the first error.
fn check(path: &Path, text: &str) -> Result<Scenario, Error> {
    if let Some((offset, parts)) = too_deep_key(text) {
        return Err(Error::from(Diagnostic::at(
            path,
            text,
            Some(offset..offset + 1),
            None,
            format!(
                "this key has {parts} dotted parts: a scenario key has at most {MAX_KEY_PARTS} \
                 (e.g. iso27001.staff_fte.build)"
            ),
        )));
    }
    let file: ScenarioFile = toml::from_str(text).map_err(|e| {
        let span = e.span().or_else(|| nearest_span(text, e.message()));
        let key = span.as_ref().and_then(|s| key_at(text, s.start));
        let message = clarify(e.message().trim_end(), text, span.as_ref());
        Error::from(Diagnostic::at(path, text, span, key, message))
    })?;
    let fail = |span: std::ops::Range<usize>, key: &str, message: String| {
        Error::input_at(path, text, span, key, message)
    };

    let ScenarioFile {
        programme,
        mut iso27001,
        soc2,
        shared,
        staff,
        requirements,
        plan: plan_specs,
        risk: risk_specs,
        calendar,
        demand: demand_specs,
        finance,
        tracking: _,
    } = file;
    let mut warnings = Vec::new();

    check_fiscal_year_label(&programme, &fail)?;

    if iso27001.is_none() && soc2.is_none() {
        return Err(Error::from(Diagnostic::at(
            path,
            text,
            None,
            None,
            "the scenario has neither an [iso27001] nor a [soc2] section: nothing to plan",
        )));
    }

    if let Some(iso) = iso27001.as_mut() {
        let headcount = programme.headcount.get_ref().get();
        let growth = programme.headcount_growth_per_year.get_ref().get();
        iso.audit_time = match &iso.audit_days {
            Some(days) => audit_time::AuditTime::given(days.get_ref().0),
            None => {
                let start = programme.start.first_day();
                let repetitive = match &iso.repetitive_work_persons {
                    Some(n) if n.get_ref().get() > headcount => {
                        return Err(fail(
                            n.span(),
                            "iso27001.repetitive_work_persons",
                            format!(
                                "{} persons doing repetitive work, but the headcount is {headcount}: \
                                 they are part of it",
                                n.get_ref().get()
                            ),
                        ));
                    }
                    Some(n) => n.get_ref().get(),
                    None => 0,
                };
                let time = audit_time::AuditTime::from_headcount(
                    headcount,
                    growth,
                    iso.complexity_adjustment.get(),
                    start,
                )
                .with_repetitive_work(repetitive);
                let end = programme.last_month().last_day();
                // The headcount is largest at one end of the horizon.
                for (date, when) in [(start, "at the start"), (end, "by the end of the horizon")] {
                    if time.initial_days_at(date).is_none() {
                        let persons = time.headcount_at(date);
                        let (span, key) = if date == start {
                            (programme.headcount.span(), "programme.headcount")
                        } else {
                            (
                                programme.headcount_growth_per_year.span(),
                                "programme.headcount_growth_per_year",
                            )
                        };
                        return Err(fail(
                            span,
                            key,
                            format!(
                                "headcount {persons} {when} is above the ISO/IEC 27006-1 audit-time table (1 to \
                                 {TABLE_MAX_PERSONS} persons), which only says to follow its progression: \
                                 give the audit days your certification body quotes as [iso27001] audit_days"
                            ),
                        ));
                    }
                }
                time
            }
        };
        if programme.start < YearMonth::new(2025, 11).unwrap_or(programme.start) {
            warnings.push(Warning {
                key: "programme.start".into(),
                message: "certificates decided before 2025-10-31 could still be to ISO/IEC 27001:2013; certplan \
                          plans every certificate to ISO/IEC 27001:2022, the only version certified after that \
                          date (I10, IAF MD 26)"
                    .into(),
            });
        }
        iso_warnings(iso, &mut warnings);
    }

    if let Some(soc2) = &soc2 {
        let categories = soc2.categories.get_ref();
        let mut seen = Vec::new();
        for c in categories {
            if seen.contains(c) {
                return Err(fail(
                    soc2.categories.span(),
                    "soc2.categories",
                    format!("category {c:?} is listed twice"),
                ));
            }
            seen.push(*c);
        }
        if !categories.contains(&TrustCategory::Security) {
            return Err(fail(
                soc2.categories.span(),
                "soc2.categories",
                "Security is always in scope of a SOC 2 (TSC common criteria): add \"security\""
                    .into(),
            ));
        }
        soc2_warnings(soc2, &mut warnings);
    }

    let mut given = std::collections::BTreeSet::new();
    if let Ok(table) = text.parse::<toml::Table>() {
        collect_keys("", &table, &mut given);
    }
    let at = |key: &str| span_of(text, key).unwrap_or(0..0);
    let key_error = |key: &str, message: String| fail(at(key), key, message);
    check_requirements(
        &requirements,
        &programme,
        iso27001.as_ref(),
        soc2.as_ref(),
        &key_error,
        &mut warnings,
    )?;
    if let Some(iso) = &iso27001 {
        check_slips(iso, &programme, &key_error, &mut warnings)?;
    }
    ignored_settings(
        &given,
        iso27001.as_ref(),
        soc2.as_ref(),
        &programme,
        &mut warnings,
    );

    if let Some(from) = finance.as_ref().and_then(|f| f.escalation.from)
        && from < programme.start
    {
        warnings.push(Warning {
            key: "finance.escalation.from".into(),
            message: format!(
                "escalation starts in {from}, before the programme ({}): the first months are \
                 already priced {} yearly rises above the scenario's figures",
                programme.start,
                (from.months_until(programme.start) / 12) + 1
            ),
        });
    }
    let plan_specs = match plan_specs {
        Some(specs) if specs.get_ref().is_empty() => {
            return Err(fail(
                specs.span(),
                "plan",
                "`plan = []` lists no plans: remove it to compare the default plans, or add \
                 [[plan]] tables"
                    .into(),
            ));
        }
        Some(specs) => specs.into_inner(),
        None => Vec::new(),
    };
    let raw = text.parse::<toml::Table>().unwrap_or_default();
    let plans = if plan_specs.is_empty() {
        default_plans(iso27001.is_some(), soc2.is_some())
    } else {
        if plan_specs.len() > MAX_PLANS {
            return Err(Error::from(Diagnostic::at(
                path,
                text,
                Some(plan_specs[MAX_PLANS].name.span()),
                Some("plan".into()),
                format!(
                    "{} plans: a scenario may compare at most {MAX_PLANS}",
                    plan_specs.len()
                ),
            )));
        }
        let sections = Sections {
            iso27001: iso27001.as_ref(),
            soc2: soc2.as_ref(),
        };
        read_plans(path, text, &raw, &plan_specs, &sections, &mut warnings)?
    };
    for (i, plan) in plans.iter().enumerate() {
        let key = format!("plan[{}]", i + 1);
        for f in &plan.frameworks {
            if f.start_offset_months >= programme.horizon_months.get() {
                warnings.push(Warning {
                    key: format!("{key}.frameworks"),
                    message: format!(
                        "{} starts {} months after the programme start, after the {}-month horizon: it adds nothing",
                        f.framework, f.start_offset_months, programme.horizon_months.get()
                    ),
                });
            }
        }
        if let Some(inputs) = &plan.inputs {
            warnings.extend(overrides::plan_warnings(
                &key,
                &plan.name,
                &inputs.0.warnings,
                &warnings,
            ));
        }
    }

    let mut risks: Vec<crate::scenario::risk::Risk> = risk_specs
        .into_iter()
        .map(crate::scenario::risk::RiskSpec::checked)
        .collect();
    if !risks.is_empty() {
        let lines = indexed_key_lines(text);
        for (i, risk) in risks.iter_mut().enumerate() {
            let entry = format!("risk[{}].", i + 1);
            risk.line = lines
                .range(entry.clone()..)
                .take_while(|(k, _)| k.starts_with(&entry))
                .map(|(_, l)| *l)
                .min()
                .unwrap_or(0);
        }
    }
    plan_warnings(&plans, &risks, &requirements, &mut warnings);
    check_risks(
        &risks,
        &plans,
        iso27001.is_some(),
        soc2.is_some(),
        &key_error,
        &mut warnings,
    )?;

    if demand_specs.len() > crate::scenario::demand::MAX_DEMANDS {
        return Err(fail(
            demand_specs[crate::scenario::demand::MAX_DEMANDS]
                .name
                .span(),
            "demand",
            format!(
                "{} demand entries: a scenario may list at most {}",
                demand_specs.len(),
                crate::scenario::demand::MAX_DEMANDS
            ),
        ));
    }
    let mut demand = Vec::new();
    for (i, spec) in demand_specs.into_iter().enumerate() {
        let line = crate::vocabulary::error::line_column(text, spec.name.span().start).0;
        let mut d = spec.checked().map_err(|(span, key, message)| {
            fail(span, &format!("demand[{}].{key}", i + 1), message)
        })?;
        d.line = line;
        let pursued = d.needs.iter().any(|a| match a.framework() {
            Framework::Iso27001 => iso27001.is_some(),
            Framework::Soc2 => soc2.is_some(),
        });
        if !pursued {
            warnings.push(Warning {
                key: format!("demand[{}].needs", i + 1),
                message: format!(
                    "demand `{}` needs a {}, but the scenario has no such framework: no plan unlocks it",
                    d.name,
                    d.needs_label()
                ),
            });
        }
        if d.from.is_some_and(|f| f > programme.last_month()) {
            warnings.push(Warning {
                key: format!("demand[{}].from", i + 1),
                message: format!(
                    "demand `{}` starts after the horizon: it adds nothing",
                    d.name
                ),
            });
        }
        demand.push(d);
    }

    Ok(Scenario {
        uncertain: Vec::new(),
        risks,
        given_lines: key_lines(text),
        sha256: sha256_hex(text),
        given,
        programme,
        iso27001,
        soc2,
        shared,
        staff,
        requirements,
        plans,
        warnings,
        calendar,
        demand,
        finance,
    })
}

/// The file's sections, as the plans see them.
struct Sections<'a> {
    iso27001: Option<&'a Iso27001>,
    soc2: Option<&'a Soc2>,
}

/// Byte range of 1-based `line` of `text`, without its line break.
fn line_span(text: &str, line: usize) -> std::ops::Range<usize> {
    let start = line_offset(text, line);
    let rest = &text[start.min(text.len())..];
    let end = start + rest.find('\n').unwrap_or(rest.len());
    let indent = rest.len() - rest.trim_start().len();
    (start + indent).min(end)..end
}

/// The `[[plan]]` entries, each resolved against its base and given its own scenario when it
/// overrides anything.
fn read_plans(
    path: &Path,
    text: &str,
    raw: &toml::Table,
    specs: &[PlanSpec],
    sections: &Sections,
    warnings: &mut Vec<Warning>,
) -> Result<Vec<Plan>, Error> {
    let fail = |span: std::ops::Range<usize>, key: &str, message: String| {
        Error::input_at(path, text, span, key, message)
    };
    for (i, spec) in specs.iter().enumerate() {
        let name = spec.name.get_ref();
        check_plan_name(name)
            .map_err(|m| fail(spec.name.span(), &format!("plan[{}].name", i + 1), m))?;
        if specs[..i]
            .iter()
            .any(|p| p.name.get_ref().eq_ignore_ascii_case(name))
        {
            return Err(fail(
                spec.name.span(),
                &format!("plan[{}].name", i + 1),
                format!("plan name `{name}` is used twice: each plan needs its own name"),
            ));
        }
    }
    let mut base_of: Vec<Option<usize>> = vec![None; specs.len()];
    for (i, spec) in specs.iter().enumerate() {
        let Some(base) = &spec.base else { continue };
        let key = format!("plan[{}].base", i + 1);
        match specs
            .iter()
            .position(|p| p.name.get_ref() == base.get_ref())
        {
            Some(j) if j == i => {
                return Err(fail(
                    base.span(),
                    &key,
                    format!("plan `{}` cannot start from itself", base.get_ref()),
                ));
            }
            Some(j) => base_of[i] = Some(j),
            None => {
                let suggestion = specs
                    .iter()
                    .map(|p| p.name.get_ref())
                    .map(|n| (strsim::jaro_winkler(base.get_ref(), n), n))
                    .filter(|(score, _)| *score >= 0.8)
                    .max_by(|a, b| a.0.total_cmp(&b.0))
                    .map(|(_, n)| format!(": did you mean `{n}`?"))
                    .unwrap_or_else(|| {
                        let names: Vec<&str> =
                            specs.iter().map(|p| p.name.get_ref().as_str()).collect();
                        format!(": the plans are {}", names.join(", "))
                    });
                return Err(fail(
                    base.span(),
                    &key,
                    format!(
                        "no plan is named `{}`{suggestion}",
                        crate::vocabulary::text::for_terminal(base.get_ref(), 64)
                    ),
                ));
            }
        }
    }
    let mut chains = Vec::new();
    for i in 0..specs.len() {
        let mut chain = vec![i];
        while let Some(j) = chain.last().and_then(|at| base_of[*at]) {
            if chain.contains(&j) {
                let names: Vec<&str> = chain
                    .iter()
                    .chain([&j])
                    .map(|k| specs[*k].name.get_ref().as_str())
                    .collect();
                let span = specs[i]
                    .base
                    .as_ref()
                    .map_or(specs[i].name.span(), Spanned::span);
                return Err(fail(
                    span,
                    &format!("plan[{}].base", i + 1),
                    format!(
                        "plans {} start from each other: one of them must stand on its own",
                        names.join(" → ")
                    ),
                ));
            }
            chain.push(j);
        }
        chain.reverse();
        chains.push(chain);
    }
    let entries: Vec<toml::Table> = raw
        .get("plan")
        .and_then(toml::Value::as_array)
        .map(|a| a.iter().filter_map(|v| v.as_table().cloned()).collect())
        .unwrap_or_default();
    let lines = indexed_key_lines(text);
    let mut plans: Vec<Plan> = Vec::new();
    for (i, chain) in chains.iter().enumerate() {
        let spec = &specs[i];
        let key = format!("plan[{}]", i + 1);
        let name = spec.name.get_ref().clone();
        // The nearest plan of the chain (this one first) that sets a value.
        let nearest = |pick: &dyn Fn(&PlanSpec) -> bool| {
            chain.iter().rev().copied().find(|j| pick(&specs[*j]))
        };
        let Some(listed) = nearest(&|p| p.frameworks.is_some()) else {
            return Err(fail(
                spec.name.span(),
                &format!("{key}.frameworks"),
                format!(
                    "plan `{name}` names no frameworks: add frameworks = [{{ name = \"iso27001\" }}] \
                     or start from another plan with base = \"…\""
                ),
            ));
        };
        let frameworks = plan_frameworks(&specs[listed], listed, sections, &fail)?;
        let description = nearest(&|p| !p.description.is_empty())
            .map(|j| specs[j].description.clone())
            .unwrap_or_default();
        let fraction = nearest(&|p| p.shared_control_fraction.is_some())
            .and_then(|j| specs[j].shared_control_fraction)
            .unwrap_or_else(default_shared_control);
        let saving = nearest(&|p| p.shared_control_time_saving.is_some())
            .and_then(|j| specs[j].shared_control_time_saving)
            .unwrap_or_else(default_time_saving);
        let discount = nearest(&|p| p.combined_audit_discount.is_some())
            .and_then(|j| specs[j].combined_audit_discount)
            .unwrap_or_else(no_discount);

        let mut merged = toml::Table::new();
        let mut set_by: std::collections::BTreeMap<String, usize> = Default::default();
        for &j in chain {
            let own = entries
                .get(j)
                .map(overrides::own_overrides)
                .unwrap_or_default();
            let mut set = Vec::new();
            overrides::leaves("", &own, &mut set);
            for (k, _) in set {
                set_by.insert(k, j);
            }
            overrides::merge(&mut merged, &own);
        }
        let mut leaves = Vec::new();
        overrides::leaves("", &merged, &mut leaves);
        let plan_overrides: Vec<Override> = leaves
            .into_iter()
            .map(|(k, value)| {
                let by = set_by.get(&k).copied().unwrap_or(i);
                let indexed = format!("plan[{}].{k}", by + 1);
                let line = lines.get(&indexed).copied().or_else(|| {
                    lines
                        .iter()
                        .filter(|(key, _)| key.starts_with(&format!("{indexed}.")))
                        .map(|(_, l)| *l)
                        .min()
                });
                Override {
                    key: k,
                    value,
                    set_by: specs[by].name.get_ref().clone(),
                    line,
                }
            })
            .collect();
        let located = |key: &str| {
            plan_overrides
                .iter()
                .find(|o| key == o.key || key.starts_with(&format!("{}.", o.key)))
                .or(plan_overrides.first())
                .and_then(|o| o.line)
                .map_or(spec.name.span(), |l| line_span(text, l))
        };
        for (section, present) in [
            ("iso27001", sections.iso27001.is_some()),
            ("soc2", sections.soc2.is_some()),
        ] {
            if merged.contains_key(section) && !present {
                return Err(fail(
                    located(section),
                    &format!("{key}.{section}"),
                    format!(
                        "plan `{name}` overrides [{section}] inputs, but the scenario has no \
                         [{section}] section to override"
                    ),
                ));
            }
        }
        for (section, framework) in [("iso27001", Framework::Iso27001), ("soc2", Framework::Soc2)] {
            if merged.contains_key(section) && !frameworks.iter().any(|f| f.framework == framework)
            {
                warnings.push(Warning {
                    key: format!("{key}.{section}"),
                    message: format!(
                        "plan `{name}` overrides [{section}] inputs but does not pursue \
                         {}: they have no effect",
                        framework.label()
                    ),
                });
            }
        }
        let inputs = if merged.is_empty() {
            None
        } else {
            match overrides::plan_scenario(path, raw, &merged) {
                Ok(scenario) => Some(overrides::inputs(scenario)),
                Err(Error::Input(d)) => {
                    let at = d.key.clone().unwrap_or_default();
                    return Err(fail(
                        located(&at),
                        &format!("{key}.{at}"),
                        format!("plan `{name}`, with its overrides: {}", d.message),
                    ));
                }
                Err(Error::Inputs(list)) => {
                    let d = list.into_iter().next();
                    let at = d.as_ref().and_then(|d| d.key.clone()).unwrap_or_default();
                    let message = d.map(|d| d.message).unwrap_or_default();
                    return Err(fail(
                        located(&at),
                        &format!("{key}.{at}"),
                        format!("plan `{name}`, with its overrides: {message}"),
                    ));
                }
                Err(e) => return Err(e),
            }
        };
        plans.push(Plan {
            name,
            description,
            frameworks,
            shared_control_fraction: fraction.get(),
            combined_audit_discount: discount.get(),
            shared_control_time_saving: saving.get(),
            base: spec.base.as_ref().map(|b| b.get_ref().clone()),
            overrides: plan_overrides,
            inputs,
        });
    }
    Ok(plans)
}

/// A label that names the two calendar years a fiscal year spans needs a year that spans two.
fn check_fiscal_year_label(
    programme: &Programme,
    fail: &dyn Fn(std::ops::Range<usize>, &str, String) -> Error,
) -> Result<(), Error> {
    let label = &programme.fiscal_year_label;
    if label.get_ref().spans() && programme.fiscal_year_start_month.get() == 1 {
        return Err(fail(
            label.span(),
            "programme.fiscal_year_label",
            format!(
                "\"{}\" names the two calendar years a fiscal year spans, but the fiscal year \
                 starts in January and lies in one: use \"fy\" (FY2028), or set \
                 fiscal_year_start_month",
                label.get_ref().as_str()
            ),
        ));
    }
    Ok(())
}

/// The frameworks of plan entry `index`, checked against the file's sections, in the order they
/// start (ties: as listed).
fn plan_frameworks(
    spec: &PlanSpec,
    index: usize,
    sections: &Sections,
    fail: &dyn Fn(std::ops::Range<usize>, &str, String) -> Error,
) -> Result<Vec<PlanFramework>, Error> {
    let key = format!("plan[{}]", index + 1);
    let name = spec.name.get_ref();
    let Some(listed) = &spec.frameworks else {
        return Ok(Vec::new());
    };
    if listed.get_ref().is_empty() {
        return Err(fail(
            listed.span(),
            &format!("{key}.frameworks"),
            "a plan needs at least one framework: { name = \"iso27001\" } or { name = \"soc2\" }"
                .into(),
        ));
    }
    let mut frameworks: Vec<PlanFramework> = Vec::new();
    for entry in listed.get_ref() {
        let framework = entry.get_ref().name;
        let available = match framework {
            Framework::Iso27001 => sections.iso27001.is_some(),
            Framework::Soc2 => sections.soc2.is_some(),
        };
        if !available {
            return Err(fail(
                entry.span(),
                &format!("{key}.frameworks"),
                format!(
                    "plan `{name}` names {framework}, but the scenario has no [{framework}] section"
                ),
            ));
        }
        if frameworks.iter().any(|f| f.framework == framework) {
            return Err(fail(
                entry.span(),
                &format!("{key}.frameworks"),
                format!("plan `{name}` names {framework} twice"),
            ));
        }
        frameworks.push(PlanFramework {
            framework,
            start_offset_months: entry.get_ref().start_offset_months.get(),
        });
    }
    frameworks.sort_by_key(|f| f.start_offset_months);
    Ok(frameworks)
}

/// Most parts a dotted key or table header may have; the deepest real key has four.
const MAX_KEY_PARTS: usize = 16;

/// Splits a TOML key or header into its dotted parts, outside quotes.
fn key_parts(key: &str) -> Vec<String> {
    let mut parts = vec![String::new()];
    let mut quote: Option<char> = None;
    for c in key.chars() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, '.') => parts.push(String::new()),
            (None, c) if c.is_whitespace() => {}
            (_, c) => parts.last_mut().into_iter().for_each(|p| p.push(c)),
        }
    }
    parts
}

/// The key part of a line (`a.b = 1` → `a.b`, `[a.b]` → `a.b`), with whether it is a header and
/// whether an array-of-tables header (`[[plan]]`).
fn line_key(line: &str) -> Option<(String, bool, bool)> {
    let trimmed = line.trim_start();
    if let Some(rest) = trimmed.strip_prefix("[[") {
        return Some((rest.split("]]").next()?.to_string(), true, true));
    }
    if let Some(rest) = trimmed.strip_prefix('[') {
        return Some((rest.split(']').next()?.to_string(), true, false));
    }
    if trimmed.starts_with('#') || trimmed.is_empty() {
        return None;
    }
    let mut quote: Option<char> = None;
    for (i, c) in trimmed.char_indices() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, '=') => {
                let key = &trimmed[..i];
                // `{ name = "x" }` inside an array is not a key of its own line.
                return (!key.contains(['{', '[', ',', '}', ']']))
                    .then(|| (key.to_string(), false, false));
            }
            _ => {}
        }
    }
    None
}

/// The first key or header with more than [`MAX_KEY_PARTS`] parts, as (byte offset, parts): the
/// TOML reader stops at such depth without saying where.
fn too_deep_key(text: &str) -> Option<(usize, usize)> {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        if let Some((key, _, _)) = line_key(line) {
            let parts = key_parts(&key).len();
            if parts > MAX_KEY_PARTS {
                let indent = line.len() - line.trim_start().len();
                return Some((offset + indent, parts));
            }
        }
        offset += line.len();
    }
    None
}

/// For a reader error without a position: the first line that sets the key the message names
/// in backticks (`missing field `x`` names none that is set, and gives the end of the file).
fn nearest_span(text: &str, message: &str) -> Option<std::ops::Range<usize>> {
    let named = message.split('`').nth(1)?;
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        if let Some((key, _, _)) = line_key(line)
            && key_parts(&key).iter().any(|p| p == named)
        {
            let indent = line.len() - line.trim_start().len();
            return Some(offset + indent..offset + line.trim_end().len());
        }
        offset += line.len();
    }
    None
}

/// Walks a file line by line and names the table each line is in, with the index of every
/// array-of-tables entry (`plan[2].iso27001`, `plan[2].iso27001.slip[1]`).
#[derive(Default)]
struct KeyWalker {
    table: Vec<String>,
    counts: std::collections::BTreeMap<String, usize>,
    /// Array-of-tables headers seen, most recent last: (as written, with indexes).
    arrays: Vec<(String, String)>,
}

impl KeyWalker {
    /// The dotted key of `line`, after taking in its header if it is one.
    fn key_of(&mut self, line: &str) -> Option<String> {
        let key = line_key(line);
        if let Some((key, true, array)) = &key {
            let joined = key_parts(key).join(".");
            let inside = self
                .arrays
                .iter()
                .rev()
                .find(|(plain, _)| joined.starts_with(&format!("{plain}.")))
                .map(|(plain, indexed)| format!("{indexed}{}", &joined[plain.len()..]));
            let indexed = inside.unwrap_or_else(|| joined.clone());
            self.table = if *array {
                let n = self.counts.entry(indexed.clone()).or_insert(0);
                *n += 1;
                let full = format!("{indexed}[{n}]");
                self.arrays.retain(|(plain, _)| *plain != joined);
                self.arrays.push((joined, full.clone()));
                vec![full]
            } else {
                vec![indexed]
            };
        }
        let mut path = self.table.clone();
        if let Some((key, false, _)) = key {
            path.push(key_parts(&key).join("."));
        }
        (!path.is_empty()).then(|| path.join("."))
    }
}

/// The dotted key (`programme.name`, `plan[2].description`) whose line holds byte `offset`.
fn key_at(text: &str, offset: usize) -> Option<String> {
    let mut walker = KeyWalker::default();
    let mut start = 0;
    for line in text.split_inclusive('\n') {
        let end = start + line.len();
        let key = walker.key_of(line);
        if offset < end || end == text.len() {
            return key;
        }
        start = end;
    }
    None
}

/// The line of every key a file sets, with array indexes (`plan[2].iso27001.day_rate` → 31).
fn indexed_key_lines(text: &str) -> std::collections::BTreeMap<String, usize> {
    let mut walker = KeyWalker::default();
    let mut out = std::collections::BTreeMap::new();
    for (i, line) in text.split_inclusive('\n').enumerate() {
        let key = walker.key_of(line);
        if let (Some(key), Some((_, false, _))) = (key, line_key(line)) {
            out.entry(key).or_insert(i + 1);
        }
    }
    out
}

/// The line each dotted key is first set on, with array indexes dropped (`iso27001.slip.cycle`);
/// one pass over the file.
fn key_lines(text: &str) -> std::collections::BTreeMap<String, usize> {
    let mut out = std::collections::BTreeMap::new();
    let mut table = String::new();
    for (i, line) in text.split_inclusive('\n').enumerate() {
        match line_key(line) {
            Some((key, true, _)) => table = key_parts(&key).join("."),
            Some((key, false, _)) => {
                let key = key_parts(&key).join(".");
                let dotted = if table.is_empty() {
                    key
                } else {
                    format!("{table}.{key}")
                };
                out.entry(dotted).or_insert(i + 1);
            }
            None => {}
        }
    }
    out
}

/// Where `dotted` (`requirements.iso_certificate_by`, `iso27001.slip[2].number`) is set.
fn span_of(text: &str, dotted: &str) -> Option<std::ops::Range<usize>> {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        if line_key(line).is_some_and(|(_, header, _)| !header)
            && key_at(text, offset).is_some_and(|k| k == dotted)
        {
            let indent = line.len() - line.trim_start().len();
            return Some(offset + indent..offset + line.trim_end().len());
        }
        offset += line.len();
    }
    // A table header (`[[iso27001.slip]]`) for the entry itself.
    let (table, index) = match dotted.rsplit_once('[') {
        Some((table, rest)) => (table, rest.split(']').next()?.parse::<usize>().ok()?),
        None => return None,
    };
    let mut offset = 0;
    let mut seen = 0;
    for line in text.split_inclusive('\n') {
        if let Some((key, true, true)) = line_key(line)
            && key_parts(&key).join(".") == table
        {
            seen += 1;
            if seen == index {
                return Some(offset..offset + line.trim_end().len());
            }
        }
        offset += line.len();
    }
    None
}

type KeyError<'a> = dyn Fn(&str, String) -> Error + 'a;

/// Most risk events one scenario may hold.
pub const MAX_RISKS: usize = 50;

/// Risks name plans that exist and frameworks the scenario has; a risk no plan can meet warns.
fn check_risks(
    risks: &[crate::scenario::risk::Risk],
    plans: &[Plan],
    iso: bool,
    soc2: bool,
    key_error: &KeyError,
    warnings: &mut Vec<Warning>,
) -> Result<(), Error> {
    use crate::scenario::risk::RiskEvent::*;
    if risks.len() > MAX_RISKS {
        return Err(key_error(
            &format!("risk[{}]", MAX_RISKS + 1),
            format!(
                "{} risks: a scenario may hold at most {MAX_RISKS}",
                risks.len()
            ),
        ));
    }
    for (i, r) in risks.iter().enumerate() {
        let key = format!("risk[{}]", i + 1);
        for name in r.plans.iter().flatten() {
            if !plans.iter().any(|p| &p.name == name) {
                let known: Vec<&str> = plans.iter().map(|p| p.name.as_str()).collect();
                return Err(key_error(
                    &format!("{key}.plans"),
                    format!(
                        "no plan is named `{name}`: the plans are {}",
                        known.join(", ")
                    ),
                ));
            }
        }
        let needs_iso = matches!(
            r.event,
            Stage2MajorNonconformity | SurveillanceMajorNonconformity | CertificationBodyBookedOut
        );
        let needs_soc2 = matches!(
            r.event,
            CpaFirmBookedOut | Soc2ReadinessOverrun | Soc2ReportExceptions
        );
        if (needs_iso && !iso) || (needs_soc2 && !soc2) {
            warnings.push(Warning {
                key: format!("{key}.event"),
                message: format!(
                    "{} needs a framework the scenario does not have: it never happens",
                    r.event.as_str()
                ),
            });
        }
    }
    Ok(())
}

/// Requirements that no plan could ever meet are errors; ones the horizon cannot judge, warnings.
fn check_requirements(
    requirements: &Requirements,
    programme: &Programme,
    iso: Option<&Iso27001>,
    soc2: Option<&Soc2>,
    key_error: &KeyError,
    warnings: &mut Vec<Warning>,
) -> Result<(), Error> {
    let start = programme.start.first_day();
    let end = programme.last_month().last_day();
    let dates = [
        (
            "iso_certificate_by",
            requirements.iso_certificate_by,
            iso.is_some(),
            "[iso27001]",
        ),
        (
            "soc2_type1_report_by",
            requirements.soc2_type1_report_by,
            soc2.is_some(),
            "[soc2]",
        ),
        (
            "soc2_type2_report_by",
            requirements.soc2_type2_report_by,
            soc2.is_some(),
            "[soc2]",
        ),
    ];
    for (name, date, section_present, section) in dates {
        let Some(Date(date)) = date else { continue };
        let key = format!("requirements.{name}");
        if !section_present {
            return Err(key_error(
                &key,
                format!(
                    "{name} is required, but the scenario has no {section} section: add the \
                     section, or remove the requirement"
                ),
            ));
        }
        if date < start {
            return Err(key_error(
                &key,
                format!(
                    "{date} is before the programme starts ({}): no plan can meet it",
                    programme.start
                ),
            ));
        }
        if date > end {
            warnings.push(Warning {
                key,
                message: format!(
                    "{date} is after the horizon ends ({end}): a plan that has not met it by then \
                     is judged as not meeting it"
                ),
            });
        }
    }
    if requirements.soc2_type1_report_by.is_some() && soc2.is_some_and(|s| !s.type1_first) {
        return Err(key_error(
            "requirements.soc2_type1_report_by",
            "a Type I report is required, but [soc2] type1_first = false: no plan issues one; \
             set type1_first = true, or require a Type II report instead"
                .into(),
        ));
    }
    Ok(())
}

/// Each audit slips at most once, surveillance audits are numbered 1 or 2, recertification has
/// none, and a slip in a cycle the horizon cannot reach changes nothing.
fn check_slips(
    iso: &Iso27001,
    programme: &Programme,
    key_error: &KeyError,
    warnings: &mut Vec<Warning>,
) -> Result<(), Error> {
    let horizon = programme.horizon_months.get();
    // A certification cycle lasts at least a year (the first surveillance audit is due 12
    // months after the decision), so no more cycles than this can begin within the horizon.
    let reachable = 1 + horizon / 12;
    for (i, slip) in iso.slip.iter().enumerate() {
        let key = format!("iso27001.slip[{}]", i + 1);
        if slip.audit == SlippedAudit::RecertificationAudit && slip.number.get() != 1 {
            return Err(key_error(
                &format!("{key}.number"),
                "a cycle has one recertification audit: `number` is only for surveillance \
                 audits (1 or 2); remove it"
                    .into(),
            ));
        }
        if let Some(j) = iso.slip[..i]
            .iter()
            .position(|s| s.audit == slip.audit && s.cycle == slip.cycle && s.number == slip.number)
        {
            return Err(key_error(
                &key,
                format!(
                    "this audit already slips in iso27001.slip[{}]: give one slip per audit, \
                     with the months added up",
                    j + 1
                ),
            ));
        }
        if slip.cycle.get() > reachable {
            warnings.push(Warning {
                key: format!("{key}.cycle"),
                message: format!(
                    "certification cycle {} cannot begin within the {horizon}-month horizon \
                     (a cycle lasts at least a year): this slip changes nothing",
                    slip.cycle.get()
                ),
            });
        }
    }
    Ok(())
}

/// Settings the file gives that another setting makes ineffective.
fn ignored_settings(
    given: &std::collections::BTreeSet<String>,
    iso: Option<&Iso27001>,
    soc2: Option<&Soc2>,
    programme: &Programme,
    warnings: &mut Vec<Warning>,
) {
    let mut warn = |key: &str, because: &str| {
        if given.contains(key) {
            warnings.push(Warning {
                key: key.into(),
                message: format!("has no effect because {because}"),
            });
        }
    };
    if let Some(soc2) = soc2 {
        if !soc2.type1_first {
            warn(
                "soc2.type1_fee",
                "type1_first = false: no Type I report is issued",
            );
        }
        if !soc2.soc3 {
            warn("soc2.soc3_fee", "soc3 = false: no SOC 3 report is issued");
        }
        if !soc2.bridge_letters {
            warn(
                "soc2.bridge_letter_max_months",
                "bridge_letters = false: gaps between reports are uncovered",
            );
        }
    }
    if let Some(iso) = iso {
        if iso.audit_days.is_some() {
            warn(
                "iso27001.complexity_adjustment",
                "audit_days is given: the adjustment applies to the ISO/IEC 27006 table only",
            );
        }
        if iso.multi_site_sampling && programme.sites.get() == 1 {
            warnings.push(Warning {
                key: "iso27001.multi_site_sampling".into(),
                message: "has no effect with one site (programme.sites = 1)".into(),
            });
        }
    }
}

/// Plans that cannot differ in what a setting changes, and requirements no plan pursues.
fn plan_warnings(
    plans: &[Plan],
    risks: &[crate::scenario::risk::Risk],
    requirements: &Requirements,
    warnings: &mut Vec<Warning>,
) {
    let mut same = same_plans(plans, risks, &[]).into_iter().peekable();
    for (i, plan) in plans.iter().enumerate() {
        let key = format!("plan[{}]", i + 1);
        if plan.frameworks.len() == 1 && plan.combined_audit_discount > Decimal::ZERO {
            warnings.push(Warning {
                key: format!("{key}.combined_audit_discount"),
                message: format!(
                    "plan `{}` pursues one framework: a combined-audit discount has no effect",
                    plan.name
                ),
            });
        }
        if let Some(w) = same.next_if(|w| w.key == key) {
            warnings.push(w);
        }
    }
    let pursued = |f: Framework| plans.iter().any(|p| p.includes(f));
    let wanted = [
        (
            "iso_certificate_by",
            requirements.iso_certificate_by.is_some(),
            Framework::Iso27001,
        ),
        (
            "soc2_type1_report_by",
            requirements.soc2_type1_report_by.is_some(),
            Framework::Soc2,
        ),
        (
            "soc2_type2_report_by",
            requirements.soc2_type2_report_by.is_some(),
            Framework::Soc2,
        ),
    ];
    for (name, required, framework) in wanted {
        if required && !pursued(framework) {
            warnings.push(Warning {
                key: format!("requirements.{name}"),
                message: format!("no plan pursues {framework}: no plan can meet it"),
            });
        }
    }
}

/// Every dotted key path set in `table` (tables are walked into; arrays are not).
fn collect_keys(prefix: &str, table: &toml::Table, out: &mut std::collections::BTreeSet<String>) {
    for (key, value) in table {
        let path = if prefix.is_empty() {
            key.clone()
        } else {
            format!("{prefix}.{key}")
        };
        if let toml::Value::Table(inner) = value {
            collect_keys(&path, inner, out);
        }
        out.insert(path);
    }
}

/// The plans compared when the scenario names none: each framework alone, both in parallel,
/// and SOC 2 first with ISO/IEC 27001 six months later.
fn default_plans(iso: bool, soc2: bool) -> Vec<Plan> {
    let plan = |name: &str, description: &str, frameworks: &[(Framework, u32)]| Plan {
        name: name.into(),
        description: description.into(),
        frameworks: frameworks
            .iter()
            .map(|&(framework, start_offset_months)| PlanFramework {
                framework,
                start_offset_months,
            })
            .collect(),
        shared_control_fraction: default_shared_control().get(),
        combined_audit_discount: Decimal::ZERO,
        shared_control_time_saving: default_time_saving().get(),
        base: None,
        overrides: Vec::new(),
        inputs: None,
    };
    let mut plans = Vec::new();
    if iso {
        plans.push(plan(
            "iso-only",
            "ISO/IEC 27001 only",
            &[(Framework::Iso27001, 0)],
        ));
    }
    if soc2 {
        plans.push(plan("soc2-only", "SOC 2 only", &[(Framework::Soc2, 0)]));
    }
    if iso && soc2 {
        plans.push(plan(
            "both-parallel",
            "ISO/IEC 27001 and SOC 2 in parallel",
            &[(Framework::Soc2, 0), (Framework::Iso27001, 0)],
        ));
        plans.push(plan(
            "soc2-then-iso",
            "SOC 2 first, ISO/IEC 27001 six months later",
            &[(Framework::Soc2, 0), (Framework::Iso27001, 6)],
        ));
    }
    plans
}

/// Plan names become parts of file names (`monthly_costs_<plan>.png`).
fn check_plan_name(name: &str) -> Result<(), String> {
    let ok_chars = name
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    let starts_ok = name
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphanumeric());
    let reserved = ["con", "prn", "aux", "nul", "com1", "lpt1"]
        .iter()
        .any(|r| name.eq_ignore_ascii_case(r));
    if name.is_empty() || name.len() > 64 || !ok_chars || !starts_ok || reserved {
        return Err(format!(
            "plan name `{name}` is not safe as a file name: use 1 to 64 letters, digits, `-` or `_`, \
             starting with a letter or digit (e.g. \"soc2-then-iso\")"
        ));
    }
    Ok(())
}

fn iso_warnings(iso: &Iso27001, warnings: &mut Vec<Warning>) {
    let mut warn = |key: &str, message: String| {
        warnings.push(Warning {
            key: format!("iso27001.{key}"),
            message,
        })
    };
    let gap = iso.stage1_to_stage2_weeks.get();
    if gap > 26 {
        warn(
            "stage1_to_stage2_weeks",
            format!(
                "a Stage 1 → Stage 2 gap of {gap} weeks is over 6 months: the certification body may \
                 have to repeat Stage 1 (I2; 4–8 weeks is typical)"
            ),
        );
    }
    let weeks_operating = iso.operation_before_stage1_months.get() * 13 / 3 + gap;
    if weeks_operating < 13 {
        warn(
            "operation_before_stage1_months",
            format!(
                "the ISMS operates only about {weeks_operating} weeks before Stage 2: certification \
                 bodies expect about 3 months (I3)"
            ),
        );
    }
    let lead = iso.recertification_lead_months.get();
    if !(3..=6).contains(&lead) {
        warn(
            "recertification_lead_months",
            format!(
                "recertification starting {lead} months before expiry: certification bodies start it \
                 3–6 months before, so that the decision comes before expiry (I7)"
            ),
        );
    }
    // The shortest month has 28 days; a recertification audit takes up to a working week.
    let lag_days = iso.decision_lag_weeks.get() * 7;
    if lead * 28 < lag_days + 5 {
        warn(
            "recertification_lead_months",
            format!(
                "recertification starting {lead} months before expiry leaves less time than the audit \
                 and the {}-week decision lag: the certificate lapses at expiry until the decision (I8)",
                iso.decision_lag_weeks.get()
            ),
        );
    }
    let share = iso.stage1_share.get();
    if share < Decimal::new(20, 2) || share > Decimal::new(40, 2) {
        warn(
            "stage1_share",
            format!("Stage 1 taking {share} of the audit days is unusual: Stage 2 takes 60–80 %"),
        );
    }
}

fn soc2_warnings(soc2: &Soc2, warnings: &mut Vec<Warning>) {
    let mut warn = |key: &str, message: String| {
        warnings.push(Warning {
            key: format!("soc2.{key}"),
            message,
        })
    };
    for (key, months) in [
        ("first_window_months", soc2.first_window_months.get()),
        ("later_window_months", soc2.later_window_months.get()),
    ] {
        if months < 3 {
            warn(
                key,
                format!(
                    "a Type II observation window of {months} months is under 3 months: many customers \
                     will not accept it (S3)"
                ),
            );
        }
    }
    let readiness = soc2.readiness_months.get();
    if readiness > 4 {
        warn(
            "readiness_months",
            format!("a readiness phase of {readiness} months is longer than the usual 1–4 (S7)"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINIMAL: &str = r#"
[programme]
name = "Test"
start = "2027-01"
horizon_months = 60
currency = "USD"
headcount = 40

[iso27001]
[soc2]
"#;

    fn parse_text(text: &str) -> Result<Scenario, Error> {
        from_text(Path::new("t.toml"), text)
    }

    fn message(text: &str) -> String {
        parse_text(text).unwrap_err().to_string()
    }

    #[test]
    fn minimal_scenario_gets_the_four_default_plans() {
        let s = parse_text(MINIMAL).unwrap();
        let names: Vec<_> = s.plans.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(
            names,
            ["iso-only", "soc2-only", "both-parallel", "soc2-then-iso"]
        );
        let start = chrono::NaiveDate::from_ymd_opt(2027, 1, 1).unwrap();
        assert_eq!(
            s.iso27001.unwrap().audit_time.initial_days_at(start),
            Some(Decimal::new(85, 1))
        );
    }

    #[test]
    fn horizon_of_zero_is_rejected_at_its_line() {
        let m = message(&MINIMAL.replace("horizon_months = 60", "horizon_months = 0"));
        assert!(m.starts_with("t.toml:5:18:"), "{m}");
        assert!(m.contains("from 1 to 120"), "{m}");
    }

    #[test]
    fn headcount_above_the_table_needs_audit_days() {
        let m = message(&MINIMAL.replace("headcount = 40", "headcount = 12000"));
        assert!(m.contains("audit_days"), "{m}");
        assert!(m.starts_with("t.toml:7:13:"), "{m}");
        let ok = MINIMAL
            .replace("headcount = 40", "headcount = 12000")
            .replace("[iso27001]", "[iso27001]\naudit_days = 22");
        let any_day = chrono::NaiveDate::from_ymd_opt(2030, 1, 1).unwrap();
        let time = parse_text(&ok).unwrap().iso27001.unwrap().audit_time;
        assert_eq!(time.initial_days_at(any_day), Some(Decimal::from(22)));
    }

    #[test]
    fn headcount_that_grows_past_the_table_needs_audit_days() {
        let m = message(&MINIMAL.replace(
            "headcount = 40",
            "headcount = 9000\nheadcount_growth_per_year = 0.2",
        ));
        assert!(m.contains("programme.headcount_growth_per_year"), "{m}");
        assert!(m.contains("by the end of the horizon"), "{m}");
    }

    #[test]
    fn complexity_reductions_are_capped_at_thirty_percent() {
        let m = message(&MINIMAL.replace("[iso27001]", "[iso27001]\ncomplexity_adjustment = -0.4"));
        assert!(m.contains("from -0.3 to 1"), "{m}");
    }

    #[test]
    fn money_as_float_is_rejected() {
        let m = message(&MINIMAL.replace("[iso27001]", "[iso27001]\nday_rate = 1800.5"));
        assert!(m.contains("float"), "{m}");
    }

    #[test]
    fn unknown_framework_in_a_plan_is_rejected() {
        let text =
            format!("{MINIMAL}\n[[plan]]\nname = \"x\"\nframeworks = [{{ name = \"pci\" }}]\n");
        let m = message(&text);
        assert!(m.contains("unknown framework `pci`"), "{m}");
    }

    #[test]
    fn unsafe_plan_name_is_rejected() {
        let text = format!(
            "{MINIMAL}\n[[plan]]\nname = \"../evil\"\nframeworks = [{{ name = \"soc2\" }}]\n"
        );
        let m = message(&text);
        assert!(m.contains("not safe as a file name"), "{m}");
        assert!(m.contains("plan[1].name"), "{m}");
    }

    #[test]
    fn later_frameworks_are_ordered_by_start() {
        let text = format!(
            "{MINIMAL}\n[[plan]]\nname = \"x\"\nframeworks = [{{ name = \"iso27001\", start_offset_months = 6 }}, {{ name = \"soc2\" }}]\n"
        );
        let s = parse_text(&text).unwrap();
        assert!(s.plans[0].is_primary(Framework::Soc2));
    }

    #[test]
    fn long_stage_gap_warns() {
        let s =
            parse_text(&MINIMAL.replace("[iso27001]", "[iso27001]\nstage1_to_stage2_weeks = 30"))
                .unwrap();
        assert!(
            s.warnings
                .iter()
                .any(|w| w.key == "iso27001.stage1_to_stage2_weeks")
        );
    }

    #[test]
    fn a_start_before_november_2025_warns_that_certificates_are_to_the_2022_version() {
        let s = parse_text(&MINIMAL.replace("start = \"2027-01\"", "start = \"2025-06\"")).unwrap();
        assert!(
            s.warnings
                .iter()
                .any(|w| w.key == "programme.start" && w.message.contains("27001:2022"))
        );
        assert!(
            !parse_text(MINIMAL)
                .unwrap()
                .warnings
                .iter()
                .any(|w| w.key == "programme.start")
        );
    }

    #[test]
    fn short_window_warns() {
        let s = parse_text(&MINIMAL.replace("[soc2]", "[soc2]\nfirst_window_months = 2")).unwrap();
        assert!(
            s.warnings
                .iter()
                .any(|w| w.key == "soc2.first_window_months")
        );
    }

    #[test]
    fn security_must_be_in_scope() {
        let m = message(&MINIMAL.replace("[soc2]", "[soc2]\ncategories = [\"availability\"]"));
        assert!(m.contains("Security is always in scope"), "{m}");
    }
}
