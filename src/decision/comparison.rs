//! Plans side by side: what each costs and when, what pursuing both saves against pursuing each
//! alone, how each fares against management's requirements, and which to recommend.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::cycle::coverage::MonthCoverage;
use crate::cycle::schedule::EventKind;
use crate::decision::projection::{self, PlanOutcome};
use crate::decision::requirement::{self, Outcome, Requirement, Verdict};
use crate::scenario::{Plan, Scenario};
use crate::vocabulary::fiscal_year::FiscalYear;
use crate::vocabulary::money::{display_whole, round_to_minor};
use crate::vocabulary::year_month::YearMonth;

/// What pursuing the frameworks together saves against pursuing each alone on the same dates;
/// the three parts add up to the saving exactly.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Saving {
    /// The frameworks pursued alone, on the same dates, added up.
    pub separate_total: Decimal,
    pub saving: Decimal,
    /// Readiness, implementation and staff effort already covered by the first framework.
    pub shared_controls: Decimal,
    /// Platform, penetration test and training counted once.
    pub shared_recurring: Decimal,
    /// The combined-audit discount.
    pub combined_audit_discount: Decimal,
}

/// One plan's line in the comparison.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlanComparison {
    pub plan: String,
    pub description: String,
    pub total: Decimal,
    pub by_fiscal_year: Vec<(FiscalYear, Decimal)>,
    /// The first twelve months of the horizon.
    pub first_year: Decimal,
    /// Yearly cost once every framework of the plan runs: the average month after the first
    /// ISO certificate and the first SOC 2 Type II report, times twelve.
    pub run_rate: Option<Decimal>,
    pub first_iso_certificate: Option<NaiveDate>,
    pub first_soc2_type1_report: Option<NaiveDate>,
    pub first_soc2_type2_report: Option<NaiveDate>,
    pub covered_months: usize,
    pub uncovered_months: usize,
    pub building_months: usize,
    /// For plans with more than one framework.
    pub saving: Option<Saving>,
    pub verdicts: Vec<Verdict>,
    /// Net present value of the cost, when `[finance]` gives a discount rate.
    pub npv_cost: Option<Decimal>,
    /// Revenue unlocked against cost, when the scenario has `[[demand]]`.
    pub business: Option<crate::decision::business_case::BusinessCase>,
}

impl PlanComparison {
    pub fn meets_all(&self) -> bool {
        self.verdicts.iter().all(|v| v.outcome.is_met())
    }

    /// What plans are ranked by: expected net value (present value when discounted) when the
    /// scenario has demand, else cost (lower is better, so negated).
    pub fn value(&self) -> Decimal {
        match &self.business {
            Some(b) => b.npv_net.unwrap_or(b.net_total),
            None => -self.total,
        }
    }
}

/// The recommendation: the cheapest plan that meets every requirement, or why none does.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Recommendation {
    /// Index into the comparison's plans.
    pub plan: Option<usize>,
    pub headline: String,
    pub reasons: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Comparison {
    pub requirements: Vec<Requirement>,
    pub fiscal_years: Vec<FiscalYear>,
    pub plans: Vec<PlanComparison>,
    /// The recommendation of the run: the base case's for `compare`, the one at the
    /// confidence for a run with draws (see `decision::board`).
    pub recommendation: Recommendation,
    /// In a run with draws, the base case's recommendation, shown beside it.
    pub base_case: Option<Recommendation>,
}

fn saving(scenario: &Scenario, outcome: &PlanOutcome) -> Option<Saving> {
    let plan = &outcome.plan;
    if plan.frameworks.len() < 2 {
        return None;
    }
    let total_of = |p: &Plan| projection::project_plan(scenario, p).total_cost();
    let separate_total: Decimal = plan
        .frameworks
        .iter()
        .map(|f| {
            total_of(&Plan {
                frameworks: vec![*f],
                ..plan.clone()
            })
        })
        .sum();
    let no_discount = total_of(&Plan {
        combined_audit_discount: Decimal::ZERO,
        ..plan.clone()
    });
    let nothing_shared = total_of(&Plan {
        combined_audit_discount: Decimal::ZERO,
        shared_control_fraction: Decimal::ZERO,
        shared_control_time_saving: Decimal::ZERO,
        ..plan.clone()
    });
    let total = outcome.total_cost();
    Some(Saving {
        separate_total,
        saving: separate_total - total,
        shared_controls: nothing_shared - no_discount,
        shared_recurring: separate_total - nothing_shared,
        combined_audit_discount: no_discount - total,
    })
}

fn run_rate(scenario: &Scenario, outcome: &PlanOutcome) -> Option<Decimal> {
    let mut milestones = Vec::new();
    for f in &outcome.plan.frameworks {
        let kind = match f.framework {
            crate::vocabulary::framework::Framework::Iso27001 => EventKind::CertificationDecision,
            crate::vocabulary::framework::Framework::Soc2 => EventKind::Type2Report,
        };
        milestones.push(outcome.schedule.first(kind)?);
    }
    let from = YearMonth::of(milestones.into_iter().max()?).plus(1);
    let run: Vec<Decimal> = outcome
        .monthly_totals()
        .into_iter()
        .filter(|(m, _)| *m >= from)
        .map(|(_, total)| total)
        .collect();
    if run.is_empty() {
        return None;
    }
    let sum: Decimal = run.iter().sum();
    Some(round_to_minor(
        sum * Decimal::from(12) / Decimal::from(run.len() as u64),
        scenario.programme.currency,
    ))
}

fn compare_plan(scenario: &Scenario, outcome: &PlanOutcome) -> PlanComparison {
    let calendar = scenario.programme.fiscal_calendar();
    let totals = outcome.ledger.fiscal_year_totals(calendar);
    let years = scenario.programme.fiscal_years();
    PlanComparison {
        plan: outcome.plan.name.clone(),
        description: outcome.plan.description.clone(),
        total: outcome.total_cost(),
        by_fiscal_year: years
            .iter()
            .map(|y| (*y, totals.get(y).copied().unwrap_or_default()))
            .collect(),
        first_year: outcome
            .monthly_totals()
            .into_iter()
            .take(12)
            .map(|(_, total)| total)
            .sum(),
        run_rate: run_rate(scenario, outcome),
        first_iso_certificate: outcome.first_iso_certificate(),
        first_soc2_type1_report: outcome.first_soc2_type1_report(),
        first_soc2_type2_report: outcome.first_soc2_type2_report(),
        covered_months: outcome.months_with(MonthCoverage::Covered),
        uncovered_months: outcome.months_with(MonthCoverage::Uncovered),
        building_months: outcome.months_with(MonthCoverage::Building),
        saving: saving(scenario, outcome),
        verdicts: requirement::verdicts(scenario, outcome),
        npv_cost: crate::decision::business_case::npv_cost(scenario, outcome),
        business: crate::decision::business_case::business_case(scenario, outcome),
    }
}

/// Why a verdict is not met, in a few words.
pub fn shortfall(
    verdict: &Verdict,
    currency: crate::vocabulary::currency::Currency,
) -> Option<String> {
    let what = verdict.requirement.describe(currency);
    let latest = verdict
        .latest_start
        .map(|m| format!("; it would have to start by {m}"))
        .unwrap_or_default();
    match &verdict.outcome {
        Outcome::Met { .. } => None,
        Outcome::MissedByDays { date, days } => {
            Some(format!("{what}: missed by {days} days ({date}){latest}"))
        }
        Outcome::NotReached => Some(format!("{what}: not reached within the horizon{latest}")),
        Outcome::NotPursued => Some(format!("{what}: not pursued by this plan")),
        Outcome::OverBy { year, amount } => Some(format!(
            "{what}: {year} is over by {}",
            display_whole(*amount, currency)
        )),
    }
}

fn recommend(
    scenario: &Scenario,
    requirements: &[Requirement],
    plans: &[PlanComparison],
) -> Recommendation {
    let currency = scenario.programme.currency;
    let eligible: Vec<usize> = (0..plans.len()).filter(|i| plans[*i].meets_all()).collect();
    // Best first: the highest value, ties to the plan listed first.
    let best_of = |candidates: &mut dyn Iterator<Item = usize>| {
        candidates.max_by(|a, b| plans[*a].value().cmp(&plans[*b].value()).then(b.cmp(a)))
    };
    let by_value = plans.iter().any(|p| p.business.is_some());
    let discounted = plans
        .iter()
        .any(|p| p.business.as_ref().is_some_and(|b| b.npv_net.is_some()));
    let measure = if discounted {
        "expected net present value"
    } else {
        "expected net value"
    };
    let cheapest = best_of(&mut eligible.iter().copied());
    let Some(best) = cheapest else {
        let mut reasons: Vec<String> = Vec::new();
        for p in plans {
            let misses: Vec<String> = p
                .verdicts
                .iter()
                .filter_map(|v| shortfall(v, currency))
                .collect();
            reasons.push(format!("{}: {}", p.plan, misses.join("; ")));
        }
        return Recommendation {
            plan: None,
            headline: format!("No plan meets all {} requirements.", requirements.len()),
            reasons,
        };
    };
    let chosen = &plans[best];
    let mut reasons = Vec::new();
    if by_value {
        reasons.push(format!(
            "Plans are ranked by {measure} (revenue unlocked × win probability − cost over the \
             horizon), since the scenario lists demand."
        ));
    }
    if requirements.is_empty() && !by_value {
        reasons.push("No requirements are set in [requirements]: this is simply the cheapest plan over the horizon.".to_string());
    } else if requirements.is_empty() {
        reasons.push("No requirements are set in [requirements]: this is simply the plan worth most over the horizon.".to_string());
    } else {
        let met: Vec<String> = requirements.iter().map(|r| r.describe(currency)).collect();
        reasons.push(format!("Meets every requirement: {}.", met.join("; ")));
        if eligible.len() > 1 {
            let runner_up = best_of(&mut eligible.iter().copied().filter(|i| *i != best));
            if let Some(next) = runner_up {
                if by_value {
                    reasons.push(format!(
                        "Worth most of the {} plans that meet them: {} more {measure} than {}.",
                        eligible.len(),
                        display_whole(chosen.value() - plans[next].value(), currency),
                        plans[next].plan
                    ));
                } else {
                    reasons.push(format!(
                        "Cheapest of the {} plans that meet them: {} less than {} over the horizon.",
                        eligible.len(),
                        display_whole(plans[next].total - chosen.total, currency),
                        plans[next].plan
                    ));
                }
            }
        } else {
            reasons.push("It is the only plan that meets them all.".to_string());
        }
        let missing: Vec<&str> = plans
            .iter()
            .filter(|p| !p.meets_all())
            .map(|p| p.plan.as_str())
            .collect();
        if !missing.is_empty() {
            reasons.push(format!(
                "Plans that miss a requirement: {}.",
                missing.join(", ")
            ));
        }
    }
    reasons.extend(plan_facts(scenario, chosen));
    Recommendation {
        plan: Some(best),
        headline: format!("Recommended: {}", chosen.plan),
        reasons,
    }
}

/// What a recommended plan costs, earns and reaches, and what pursuing its frameworks together
/// saves: the figures of its recommendation, one sentence each.
pub fn plan_facts(scenario: &Scenario, chosen: &PlanComparison) -> Vec<String> {
    let currency = scenario.programme.currency;
    let mut facts = Vec::new();
    facts.push(format!(
        "Costs {} over {} months, {} in the first twelve months{}.",
        display_whole(chosen.total, currency),
        scenario.programme.horizon_months.get(),
        display_whole(chosen.first_year, currency),
        chosen
            .run_rate
            .map(|r| format!(", then about {} a year", display_whole(r, currency)))
            .unwrap_or_default()
    ));
    if let Some(b) = &chosen.business {
        facts.push(format!(
            "Expected revenue unlocked {}, net value {}{}; {}.",
            display_whole(b.revenue_total, currency),
            display_whole(b.net_total, currency),
            b.npv_net
                .map(|n| format!(" ({} at present value)", display_whole(n, currency)))
                .unwrap_or_default(),
            b.payback
                .map(|m| format!("it pays back in {m}"))
                .unwrap_or_else(|| "it does not pay back within the horizon".into())
        ));
    }
    let mut dates = Vec::new();
    if let Some(d) = chosen.first_iso_certificate {
        dates.push(format!("ISO/IEC 27001 certificate on {d}"));
    }
    if let Some(d) = chosen.first_soc2_type1_report {
        dates.push(format!("SOC 2 Type I report on {d}"));
    }
    if let Some(d) = chosen.first_soc2_type2_report {
        dates.push(format!("SOC 2 Type II report on {d}"));
    }
    if !dates.is_empty() {
        facts.push(format!("First {}.", dates.join(", ")));
    }
    if let Some(s) = &chosen.saving {
        facts.push(format!(
            "Pursuing both saves {} against each alone ({} shared controls, {} shared recurring work, {} combined-audit discount).",
            display_whole(s.saving, currency),
            display_whole(s.shared_controls, currency),
            display_whole(s.shared_recurring, currency),
            display_whole(s.combined_audit_discount, currency)
        ));
    }
    if chosen.uncovered_months > 0 {
        facts.push(format!(
            "Watch out: {} months without valid assurance after it was first reached.",
            chosen.uncovered_months
        ));
    }
    facts
}

/// Compares the projected plans of a scenario.
pub fn compare(scenario: &Scenario, outcomes: &[PlanOutcome]) -> Comparison {
    let plans: Vec<PlanComparison> = outcomes.iter().map(|o| compare_plan(scenario, o)).collect();
    let requirements = Requirement::all_of(scenario);
    let mut recommendation = recommend(scenario, &requirements, &plans);
    recommendation
        .reasons
        .extend(crate::decision::board::base_case_note(scenario));
    Comparison {
        requirements,
        fiscal_years: scenario.programme.fiscal_years(),
        plans,
        recommendation,
        base_case: None,
    }
}
