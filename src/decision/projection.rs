//! Projects every plan of a scenario: schedule, ledger and coverage, ready to render.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

use crate::costing::ledger::Ledger;
use crate::costing::pricing;
use crate::cycle::coverage::{self, MonthCoverage};
use crate::cycle::schedule::{EventKind, Schedule};
use crate::cycle::{attestation_period, certification_cycle};
use crate::scenario::inputs::Bounded;
use crate::scenario::{Iso27001, Plan, Scenario, Soc2};
use crate::vocabulary::framework::Framework;
use crate::vocabulary::year_month::{YearMonth, add_months};

/// One plan, projected and priced.
#[derive(Clone, Debug)]
pub struct PlanOutcome {
    pub plan: Plan,
    pub schedule: Schedule,
    pub ledger: Ledger,
    /// Every month of the horizon with its coverage.
    pub coverage: Vec<(YearMonth, MonthCoverage)>,
}

impl PlanOutcome {
    pub fn total_cost(&self) -> Decimal {
        self.ledger.total()
    }

    /// The day the plan first holds an ISO/IEC 27001 certificate (the first certification
    /// decision), within the horizon.
    pub fn first_iso_certificate(&self) -> Option<NaiveDate> {
        self.schedule.first(EventKind::CertificationDecision)
    }

    /// The issue date of the plan's first SOC 2 report, Type I or Type II.
    pub fn first_soc2_report(&self) -> Option<NaiveDate> {
        [
            self.first_soc2_type1_report(),
            self.first_soc2_type2_report(),
        ]
        .into_iter()
        .flatten()
        .min()
    }

    pub fn first_soc2_type1_report(&self) -> Option<NaiveDate> {
        self.schedule.first(EventKind::Type1Report)
    }

    pub fn first_soc2_type2_report(&self) -> Option<NaiveDate> {
        self.schedule.first(EventKind::Type2Report)
    }

    /// What the plan pays in each month of the horizon (zero when nothing), in order.
    pub fn monthly_totals(&self) -> Vec<(YearMonth, Decimal)> {
        let Some(&(first, _)) = self.coverage.first() else {
            return Vec::new();
        };
        let amounts = self.ledger.monthly(first, self.coverage.len());
        self.coverage.iter().map(|(m, _)| *m).zip(amounts).collect()
    }

    /// The running total at the end of each month of the horizon.
    pub fn cumulative_totals(&self) -> Vec<(YearMonth, Decimal)> {
        let mut running = Decimal::ZERO;
        self.monthly_totals()
            .into_iter()
            .map(|(m, total)| {
                running += total;
                (m, running)
            })
            .collect()
    }

    pub fn months_with(&self, status: MonthCoverage) -> usize {
        self.coverage.iter().filter(|(_, s)| *s == status).count()
    }
}

/// How far past the horizon a plan is projected before it is priced. Anything paid inside the
/// horizon is for work that begins at most this long after it: an audit booked up to 12 months
/// ahead, or an ISMS implementation after a gap assessment of up to 24 months, whose consulting
/// is spread from the framework's start.
pub const PRICING_LOOKAHEAD_MONTHS: u32 = 36;

/// Projects and prices one plan: the schedule is projected past the horizon, priced, and only
/// then cut at the horizon, so that every amount paid inside the horizon appears, whatever the
/// event it pays for.
pub fn project_plan(scenario: &Scenario, plan: &Plan) -> PlanOutcome {
    let mut outcome = project_plan_unordered(scenario.for_plan(plan), plan);
    outcome.ledger = outcome.ledger.finished();
    outcome
}

/// [`project_plan`] with the ledger left in posting order: every total is the same, and a Monte
/// Carlo draw, which reads only totals, saves putting it in order. `scenario` is the one the plan
/// sees ([`Scenario::for_plan`]), its overrides applied.
pub fn project_plan_unordered(scenario: &Scenario, plan: &Plan) -> PlanOutcome {
    let horizon_end = scenario.programme.last_month().last_day();
    let until = add_months(horizon_end, PRICING_LOOKAHEAD_MONTHS);
    let mut events = Vec::new();
    let starts = pricing::framework_starts(scenario, plan);
    let in_place = controls_in_place(scenario, &starts);
    for (i, &(framework, start)) in starts.iter().enumerate() {
        if start > horizon_end {
            continue;
        }
        // A later framework that starts once the first one's controls are in place builds on
        // them: its build is shorter (docs/domain.md §6).
        let saving = if i > 0 && in_place.is_some_and(|d| start >= d) {
            plan.shared_control_time_saving
        } else {
            Decimal::ZERO
        };
        match framework {
            Framework::Iso27001 => {
                if let Some(iso) = &scenario.iso27001 {
                    let shortened;
                    let iso = if saving.is_zero() {
                        iso
                    } else {
                        shortened = shortened_iso(iso, saving);
                        &shortened
                    };
                    events.extend(certification_cycle::project(
                        iso,
                        scenario.programme.sites.get(),
                        &scenario.calendar,
                        start,
                        horizon_end,
                        until,
                    ));
                }
            }
            Framework::Soc2 => {
                if let Some(soc2) = &scenario.soc2 {
                    let shortened;
                    let soc2 = if saving.is_zero() {
                        soc2
                    } else {
                        shortened = shortened_soc2(soc2, saving);
                        &shortened
                    };
                    events.extend(attestation_period::project(soc2, start, until));
                }
            }
        }
    }
    let mut schedule = Schedule::new(events);
    let ledger = pricing::price(scenario, plan, &schedule);
    schedule.events.retain(|e| e.start <= horizon_end);
    let frameworks: Vec<Framework> = plan.frameworks.iter().map(|f| f.framework).collect();
    let coverage = coverage::monthly(&schedule, &frameworks, scenario.programme.months());
    PlanOutcome {
        plan: plan.clone(),
        schedule,
        ledger,
        coverage,
    }
}

/// The day the first framework of a plan has its controls in place: the end of ISO/IEC 27001
/// implementation, or of SOC 2 readiness.
fn controls_in_place(scenario: &Scenario, starts: &[(Framework, NaiveDate)]) -> Option<NaiveDate> {
    let &(framework, start) = starts.first()?;
    let months = match framework {
        Framework::Iso27001 => {
            let iso = scenario.iso27001.as_ref()?;
            iso.gap_assessment_months.get()
                + iso.implementation_months.get()
                + iso.risks.implementation_extra_months
        }
        Framework::Soc2 => {
            let soc2 = scenario.soc2.as_ref()?;
            soc2.readiness_months.get() + soc2.risks.readiness_extra_months
        }
    };
    Some(add_months(start, months))
}

/// `months` shortened by `saving` (a fraction), to whole months, half up; at least `min`.
fn shortened_months(months: u32, saving: Decimal, min: u32) -> u32 {
    let kept = Decimal::from(months) * (Decimal::ONE - saving);
    kept.round_dp_with_strategy(0, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
        .to_u32()
        .unwrap_or(months)
        .max(min)
}

/// ISO/IEC 27001 inputs with the gap assessment and implementation shortened by `saving`.
fn shortened_iso(iso: &Iso27001, saving: Decimal) -> Iso27001 {
    let mut iso = iso.clone();
    iso.gap_assessment_months =
        Bounded::new(shortened_months(iso.gap_assessment_months.get(), saving, 0));
    iso.implementation_months =
        Bounded::new(shortened_months(iso.implementation_months.get(), saving, 1));
    iso
}

/// SOC 2 inputs with readiness shortened by `saving`.
fn shortened_soc2(soc2: &Soc2, saving: Decimal) -> Soc2 {
    let mut soc2 = soc2.clone();
    soc2.readiness_months = Bounded::new(shortened_months(soc2.readiness_months.get(), saving, 0));
    soc2
}

/// Projects and prices every plan of the scenario, in the scenario's order.
pub fn project(scenario: &Scenario) -> Vec<PlanOutcome> {
    scenario
        .plans
        .iter()
        .map(|plan| project_plan(scenario, plan))
        .collect()
}
