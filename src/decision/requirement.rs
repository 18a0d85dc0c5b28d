//! Management's requirements and each plan's verdict against them: met, or missed by how much,
//! and for date requirements the latest start month that would still meet them.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::cycle::schedule::EventKind;
use crate::cycle::{attestation_period, certification_cycle};
use crate::decision::projection::PlanOutcome;
use crate::scenario::Scenario;
use crate::vocabulary::fiscal_year::FiscalYear;
use crate::vocabulary::framework::Framework;
use crate::vocabulary::year_month::YearMonth;

/// How far back the latest viable start month is searched.
const START_SEARCH_MONTHS: i64 = 72;

/// A requirement from the scenario's `[requirements]`.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Requirement {
    IsoCertificateBy(NaiveDate),
    Soc2Type1ReportBy(NaiveDate),
    Soc2Type2ReportBy(NaiveDate),
    YearlyBudgetCap(Decimal),
}

impl Requirement {
    /// The requirements a scenario states, in a fixed order.
    pub fn all_of(scenario: &Scenario) -> Vec<Requirement> {
        let r = &scenario.requirements;
        let mut out = Vec::new();
        if let Some(d) = r.iso_certificate_by {
            out.push(Requirement::IsoCertificateBy(d.0));
        }
        if let Some(d) = r.soc2_type1_report_by {
            out.push(Requirement::Soc2Type1ReportBy(d.0));
        }
        if let Some(d) = r.soc2_type2_report_by {
            out.push(Requirement::Soc2Type2ReportBy(d.0));
        }
        if let Some(cap) = r.yearly_budget_cap {
            out.push(Requirement::YearlyBudgetCap(cap.0));
        }
        out
    }

    /// The key in `[requirements]`.
    pub fn key(&self) -> &'static str {
        match self {
            Requirement::IsoCertificateBy(_) => "iso_certificate_by",
            Requirement::Soc2Type1ReportBy(_) => "soc2_type1_report_by",
            Requirement::Soc2Type2ReportBy(_) => "soc2_type2_report_by",
            Requirement::YearlyBudgetCap(_) => "yearly_budget_cap",
        }
    }

    /// As the object of a sentence: "the SOC 2 Type II deadline (2028-03-31)".
    pub fn describe_as_object(&self, currency: crate::vocabulary::currency::Currency) -> String {
        match self {
            Requirement::IsoCertificateBy(d) => {
                format!("the ISO/IEC 27001 certificate deadline ({d})")
            }
            Requirement::Soc2Type1ReportBy(d) => format!("the SOC 2 Type I deadline ({d})"),
            Requirement::Soc2Type2ReportBy(d) => format!("the SOC 2 Type II deadline ({d})"),
            Requirement::YearlyBudgetCap(cap) => format!(
                "the yearly cap of {}",
                crate::vocabulary::money::display_whole(*cap, currency)
            ),
        }
    }

    /// For people: "ISO certificate by 2028-06-30".
    pub fn describe(&self, currency: crate::vocabulary::currency::Currency) -> String {
        match self {
            Requirement::IsoCertificateBy(d) => format!("ISO/IEC 27001 certificate by {d}"),
            Requirement::Soc2Type1ReportBy(d) => format!("SOC 2 Type I report by {d}"),
            Requirement::Soc2Type2ReportBy(d) => format!("SOC 2 Type II report in hand by {d}"),
            Requirement::YearlyBudgetCap(cap) => {
                format!(
                    "no fiscal year over {}",
                    crate::vocabulary::money::display_whole(*cap, currency)
                )
            }
        }
    }
}

/// How the yearly cap judges fiscal years the horizon cuts, or `None` when it cuts none: such a
/// year is judged on its months inside the horizon only, against the full cap.
pub fn partial_year_note(scenario: &Scenario) -> Option<String> {
    let partial: Vec<String> = scenario
        .programme
        .fiscal_years_in_horizon()
        .iter()
        .filter(|y| y.is_partial())
        .map(|y| y.label())
        .collect();
    if partial.is_empty() {
        return None;
    }
    let (list, verb) = match partial.as_slice() {
        [one] => (one.clone(), "is"),
        [first @ .., last] => (format!("{} and {last}", first.join(", ")), "are"),
        [] => return None,
    };
    Some(format!(
        "{list} {verb} cut by the horizon: judged against the full cap on the months inside the \
         horizon only, so spend in the rest of the year is not counted"
    ))
}

/// What a plan achieves against one requirement.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Met; for a date, with this many days to spare.
    Met { days_to_spare: Option<i64> },
    /// The milestone comes this many days after the deadline.
    MissedByDays { date: NaiveDate, days: i64 },
    /// The milestone does not happen within the horizon.
    NotReached,
    /// The plan does not pursue that framework (or that report type).
    NotPursued,
    /// A fiscal year costs more than the cap; the worst year and by how much.
    OverBy { year: FiscalYear, amount: Decimal },
}

impl Outcome {
    pub fn is_met(&self) -> bool {
        matches!(self, Outcome::Met { .. })
    }
}

/// One requirement's verdict for one plan.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Verdict {
    pub requirement: Requirement,
    pub outcome: Outcome,
    /// For date requirements: the latest month the framework could start and still meet it.
    pub latest_start: Option<YearMonth>,
}

/// The first `kind` of `framework` if it started on `start`, looking no further than `until`.
fn first_milestone(
    scenario: &Scenario,
    framework: Framework,
    kind: EventKind,
    start: NaiveDate,
    until: NaiveDate,
) -> Option<NaiveDate> {
    let events = match framework {
        Framework::Iso27001 => certification_cycle::project(
            scenario.iso27001.as_ref()?,
            scenario.programme.sites.get(),
            &scenario.calendar,
            start,
            until,
            until,
        ),
        Framework::Soc2 => attestation_period::project(scenario.soc2.as_ref()?, start, until),
    };
    events
        .iter()
        .filter(|e| e.kind == kind)
        .map(|e| e.start)
        .min()
}

/// The latest month `framework` can start and reach `kind` by `deadline`.
fn latest_start(
    scenario: &Scenario,
    framework: Framework,
    kind: EventKind,
    deadline: NaiveDate,
) -> Option<YearMonth> {
    let last = YearMonth::of(deadline);
    (0..=START_SEARCH_MONTHS)
        .map(|back| last.plus(-back))
        .find(|month| {
            first_milestone(scenario, framework, kind, month.first_day(), deadline)
                .is_some_and(|d| d <= deadline)
        })
}

/// The plan's verdict on every requirement of the scenario.
pub fn verdicts(scenario: &Scenario, outcome: &PlanOutcome) -> Vec<Verdict> {
    Requirement::all_of(scenario)
        .into_iter()
        .map(|requirement| {
            let milestone = |framework, kind, deadline| {
                date_verdict(scenario, outcome, requirement, framework, kind, deadline)
            };
            match requirement {
                Requirement::IsoCertificateBy(d) => {
                    milestone(Framework::Iso27001, EventKind::CertificationDecision, d)
                }
                Requirement::Soc2Type1ReportBy(d) => {
                    milestone(Framework::Soc2, EventKind::Type1Report, d)
                }
                Requirement::Soc2Type2ReportBy(d) => {
                    milestone(Framework::Soc2, EventKind::Type2Report, d)
                }
                Requirement::YearlyBudgetCap(cap) => {
                    budget_verdict(scenario, outcome, requirement, cap)
                }
            }
        })
        .collect()
}

fn date_verdict(
    scenario: &Scenario,
    outcome: &PlanOutcome,
    requirement: Requirement,
    framework: Framework,
    kind: EventKind,
    deadline: NaiveDate,
) -> Verdict {
    let scenario = scenario.for_plan(&outcome.plan);
    let no_type1 =
        kind == EventKind::Type1Report && scenario.soc2.as_ref().is_some_and(|s| !s.type1_first);
    if !outcome.plan.includes(framework) || no_type1 {
        return Verdict {
            requirement,
            outcome: Outcome::NotPursued,
            latest_start: None,
        };
    }
    let result = match outcome.schedule.first(kind) {
        Some(date) if date <= deadline => Outcome::Met {
            days_to_spare: Some((deadline - date).num_days()),
        },
        Some(date) => Outcome::MissedByDays {
            date,
            days: (date - deadline).num_days(),
        },
        None => Outcome::NotReached,
    };
    Verdict {
        requirement,
        outcome: result,
        latest_start: latest_start(scenario, framework, kind, deadline),
    }
}

fn budget_verdict(
    scenario: &Scenario,
    outcome: &PlanOutcome,
    requirement: Requirement,
    cap: Decimal,
) -> Verdict {
    let worst = outcome
        .ledger
        .fiscal_year_totals(scenario.programme.fiscal_calendar())
        .into_iter()
        .map(|(year, total)| (total - cap, year))
        .max();
    let result = match worst {
        Some((excess, year)) if excess > Decimal::ZERO => Outcome::OverBy {
            year,
            amount: excess,
        },
        _ => Outcome::Met {
            days_to_spare: None,
        },
    };
    Verdict {
        requirement,
        outcome: result,
        latest_start: None,
    }
}
