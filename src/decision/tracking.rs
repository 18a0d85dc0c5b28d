//! Running the programme: a frozen baseline of the approved plan, and the plan re-projected from
//! `as_of` with what has happened fixed — actual spend to date, the remainder priced by the same
//! rules, variance against the baseline and the estimate at completion (docs/domain.md, T1–T6).

use std::collections::BTreeMap;
use std::path::Path;
use std::str::FromStr;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::cycle::schedule::EventKind;
use crate::decision::projection::{self, PlanOutcome};
use crate::scenario::tracking::{
    BASELINE_SCHEMA_VERSION, HeldAudit, TrackedAudit, TrackedEvent, TrackedReport, Tracking,
};
use crate::scenario::{Plan, Scenario, Slip, SlippedAudit};
use crate::vocabulary::category::Category;
use crate::vocabulary::error::{Diagnostic, Error};
use crate::vocabulary::fiscal_year::FiscalYear;
use crate::vocabulary::year_month::YearMonth;

/// The baseline file (`certplan baseline`), as written and read: docs/outputs.md.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Baseline {
    pub schema_version: u32,
    /// The programme's name.
    pub programme: String,
    /// SHA-256 of the scenario file's bytes it was frozen from.
    pub scenario_sha256: String,
    /// The day it was frozen.
    pub frozen_on: String,
    pub plan: String,
    pub currency: String,
    /// The first month of the horizon (`YYYY-MM`) and its length.
    pub first_month: String,
    pub months: u32,
    pub yearly_budget_cap: Option<String>,
    pub events: Vec<BaselineEvent>,
    /// Every non-zero (month, category) of the ledger inside the horizon.
    pub ledger: Vec<BaselineCost>,
    pub fiscal_years: Vec<BaselineFiscalYear>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BaselineEvent {
    pub framework: String,
    pub cycle: u32,
    pub event: String,
    pub start: String,
    pub end: String,
    pub audit_days: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BaselineCost {
    pub month: String,
    pub category: String,
    pub amount: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BaselineFiscalYear {
    pub fiscal_year: String,
    pub amount: String,
}

/// The months of the horizon.
fn horizon(scenario: &Scenario) -> Vec<YearMonth> {
    scenario.programme.months().collect()
}

/// Freezes `outcome` (a plan of `scenario`) on `frozen_on`.
pub fn freeze(scenario: &Scenario, outcome: &PlanOutcome, frozen_on: NaiveDate) -> Baseline {
    let currency = scenario.programme.currency;
    let months = horizon(scenario);
    let first = months.first().copied().unwrap_or(scenario.programme.start);
    let last = scenario.programme.last_month();
    let in_horizon = |m: YearMonth| m >= first && m <= last;
    let amount = |d: Decimal| crate::vocabulary::money::csv_amount(d, currency);
    let ledger = outcome
        .ledger
        .by_month_and_category()
        .into_iter()
        .filter(|((m, _), d)| in_horizon(*m) && !d.is_zero())
        .map(|((m, c), d)| BaselineCost {
            month: m.to_string(),
            category: c.as_str().to_string(),
            amount: amount(d),
        })
        .collect();
    let calendar = scenario.programme.fiscal_calendar();
    let mut fiscal: BTreeMap<FiscalYear, Decimal> = scenario
        .programme
        .fiscal_years()
        .into_iter()
        .map(|y| (y, Decimal::ZERO))
        .collect();
    for ((m, _), d) in outcome.ledger.by_month_and_category() {
        if in_horizon(m) {
            *fiscal.entry(calendar.year_of(m)).or_default() += d;
        }
    }
    Baseline {
        schema_version: BASELINE_SCHEMA_VERSION,
        programme: scenario.programme.name.clone(),
        scenario_sha256: scenario.sha256.clone(),
        frozen_on: frozen_on.to_string(),
        plan: outcome.plan.name.clone(),
        currency: currency.code().to_string(),
        first_month: first.to_string(),
        months: u32::try_from(months.len()).unwrap_or(0),
        yearly_budget_cap: scenario.requirements.yearly_budget_cap.map(|a| amount(a.0)),
        events: outcome
            .schedule
            .events
            .iter()
            .map(|e| BaselineEvent {
                framework: e.framework.as_str().to_string(),
                cycle: e.cycle,
                event: e.kind.as_str().to_string(),
                start: e.start.to_string(),
                end: e.end.to_string(),
                audit_days: e.audit_days.map(|d| d.normalize().to_string()),
            })
            .collect(),
        ledger,
        fiscal_years: fiscal
            .into_iter()
            .map(|(y, d)| BaselineFiscalYear {
                fiscal_year: y.to_string(),
                amount: amount(d),
            })
            .collect(),
    }
}

/// The baseline file's text: pretty JSON, one trailing newline.
pub fn to_json(baseline: &Baseline) -> String {
    let mut text = serde_json::to_string_pretty(baseline).unwrap_or_default();
    text.push('\n');
    text
}

/// A baseline read back, its amounts and dates checked.
#[derive(Clone, Debug)]
pub struct FrozenPlan {
    pub file: Baseline,
    pub ledger: BTreeMap<(YearMonth, Category), Decimal>,
    /// Baseline events: (kind, start).
    pub events: Vec<(EventKind, NaiveDate)>,
}

/// Reads the baseline file at `path` (text `text`).
pub fn read_baseline(path: &Path, text: &str) -> Result<FrozenPlan, Error> {
    let fail = |span: Option<std::ops::Range<usize>>, message: String| {
        Error::from(Diagnostic::at(path, text, span, None, message))
    };
    let offset = |line: usize, column: usize| {
        let start: usize = text
            .split_inclusive('\n')
            .take(line.saturating_sub(1))
            .map(str::len)
            .sum();
        start + column.saturating_sub(1)
    };
    let file: Baseline = serde_json::from_str(text).map_err(|e| {
        let at = offset(e.line(), e.column()).min(text.len());
        fail(
            Some(at..at + 1),
            format!("not a certplan baseline (certplan baseline writes one): {e}"),
        )
    })?;
    if file.schema_version != BASELINE_SCHEMA_VERSION {
        return Err(fail(
            None,
            format!(
                "schema_version {} is not one this certplan reads (expected {BASELINE_SCHEMA_VERSION})",
                file.schema_version
            ),
        ));
    }
    let mut ledger = BTreeMap::new();
    for cost in &file.ledger {
        let month = YearMonth::from_str(&cost.month)
            .map_err(|e| fail(None, format!("ledger month `{}`: {e}", cost.month)))?;
        let category = Category::ALL
            .into_iter()
            .find(|c| c.as_str() == cost.category)
            .ok_or_else(|| fail(None, format!("unknown category `{}`", cost.category)))?;
        let amount = Decimal::from_str_exact(&cost.amount)
            .map_err(|_| fail(None, format!("`{}` is not an amount", cost.amount)))?;
        *ledger.entry((month, category)).or_default() += amount;
    }
    let mut events = Vec::new();
    for e in &file.events {
        let kind = EventKind::ALL
            .into_iter()
            .find(|k| k.as_str() == e.event)
            .ok_or_else(|| fail(None, format!("unknown event `{}`", e.event)))?;
        let start = NaiveDate::parse_from_str(&e.start, "%Y-%m-%d")
            .map_err(|_| fail(None, format!("`{}` is not a date", e.start)))?;
        events.push((kind, start));
    }
    Ok(FrozenPlan {
        file,
        ledger,
        events,
    })
}

/// `scenario` with what has happened applied to its ISO/IEC 27001 cycle (audits held and the
/// decision at their real dates, nonconformities and slips), in every plan's view of it.
pub fn with_events(scenario: &Scenario, events: &[TrackedEvent]) -> Scenario {
    fn apply(scenario: &mut Scenario, events: &[TrackedEvent]) {
        let Some(iso) = scenario.iso27001.as_mut() else {
            return;
        };
        for event in events {
            match *event {
                TrackedEvent::AuditHeld {
                    audit,
                    cycle,
                    number,
                    start,
                    end,
                    auditor_days,
                } => iso.actual.audits.push(HeldAudit {
                    audit,
                    cycle,
                    number: if audit == TrackedAudit::SurveillanceAudit {
                        number
                    } else {
                        1
                    },
                    start,
                    end,
                    auditor_days,
                }),
                TrackedEvent::CertificateDecision { cycle: 1, date } => {
                    iso.actual.first_decision = Some(date);
                }
                TrackedEvent::CertificateDecision { .. } | TrackedEvent::ReportIssued { .. } => {}
                TrackedEvent::MajorNonconformity {
                    audit,
                    months,
                    follow_up_days,
                    ..
                } => {
                    if audit == TrackedAudit::Stage2Audit {
                        iso.risks.stage2_nonconformity = Some((months, follow_up_days));
                    } else {
                        iso.risks.surveillance_nonconformity = Some(months);
                    }
                }
                TrackedEvent::Slip {
                    audit,
                    cycle,
                    number,
                    months,
                    ..
                } => iso.slip.push(Slip {
                    audit: if audit == TrackedAudit::RecertificationAudit {
                        SlippedAudit::RecertificationAudit
                    } else {
                        SlippedAudit::SurveillanceAudit
                    },
                    cycle: crate::scenario::inputs::Bounded::new(cycle),
                    number: crate::scenario::inputs::Bounded::new(number),
                    months: crate::scenario::inputs::Bounded::new(months),
                }),
            }
        }
    }
    let mut out = scenario.clone();
    apply(&mut out, events);
    for plan in &mut out.plans {
        if let Some(inputs) = &plan.inputs {
            let mut own = (*inputs.0).clone();
            apply(&mut own, events);
            plan.inputs = Some(crate::scenario::PlanInputs(std::sync::Arc::new(own)));
        }
    }
    out
}

/// A milestone, planned against where it is now.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Milestone {
    pub kind: EventKind,
    /// Which one of its kind (1 = the first).
    pub occurrence: usize,
    pub planned: Option<NaiveDate>,
    pub now: Option<NaiveDate>,
    /// Whether `now` has taken place (on or before as_of).
    pub held: bool,
}

impl Milestone {
    /// Days later than planned (negative: earlier).
    pub fn days_slipped(&self) -> Option<i64> {
        Some((self.now? - self.planned?).num_days())
    }
}

const MILESTONES: [EventKind; 8] = [
    EventKind::Stage1Audit,
    EventKind::Stage2Audit,
    EventKind::CertificationDecision,
    EventKind::SurveillanceAudit,
    EventKind::RecertificationAudit,
    EventKind::RecertificationDecision,
    EventKind::Type1Report,
    EventKind::Type2Report,
];

/// One fiscal year: baseline, forecast and the cap.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FiscalLine {
    pub year: FiscalYear,
    pub baseline: Decimal,
    pub actual: Decimal,
    pub forecast: Decimal,
    pub cap: Option<Decimal>,
}

impl FiscalLine {
    /// How far the forecast is over the cap, if it is.
    pub fn over_cap(&self) -> Option<Decimal> {
        let cap = self.cap?;
        (self.forecast > cap).then(|| self.forecast - cap)
    }
}

/// The plan re-projected from `as_of`.
#[derive(Clone, Debug)]
pub struct Tracked {
    pub plan: String,
    pub as_of: NaiveDate,
    pub months: Vec<YearMonth>,
    pub baseline: BTreeMap<(YearMonth, Category), Decimal>,
    /// Actual costs of the months up to as_of's month.
    pub actual: BTreeMap<(YearMonth, Category), Decimal>,
    /// Re-projected costs of the months after as_of's month.
    pub remainder: BTreeMap<(YearMonth, Category), Decimal>,
    pub milestones: Vec<Milestone>,
    pub fiscal: Vec<FiscalLine>,
    /// The re-projected plan (its schedule and ledger).
    pub outcome: PlanOutcome,
    /// The baseline was frozen from other scenario bytes than these.
    pub other_bytes: bool,
    pub calendar: crate::vocabulary::fiscal_year::FiscalCalendar,
}

impl Tracked {
    pub fn fiscal_year_of(&self, month: YearMonth) -> FiscalYear {
        self.calendar.year_of(month)
    }

    /// Whether `month` is in the past (actuals) rather than ahead (forecast).
    pub fn is_past(&self, month: YearMonth) -> bool {
        month <= YearMonth::of(self.as_of)
    }

    fn monthly(map: &BTreeMap<(YearMonth, Category), Decimal>, month: YearMonth) -> Decimal {
        map.range((month, Category::ALL[0])..=(month, Category::ALL[Category::ALL.len() - 1]))
            .map(|(_, d)| *d)
            .sum()
    }

    pub fn baseline_in(&self, month: YearMonth) -> Decimal {
        Self::monthly(&self.baseline, month)
    }

    pub fn actual_in(&self, month: YearMonth) -> Decimal {
        Self::monthly(&self.actual, month)
    }

    pub fn remainder_in(&self, month: YearMonth) -> Decimal {
        Self::monthly(&self.remainder, month)
    }

    /// Actual for a past month, the re-projection for one ahead.
    pub fn forecast_in(&self, month: YearMonth) -> Decimal {
        if self.is_past(month) {
            self.actual_in(month)
        } else {
            self.remainder_in(month)
        }
    }

    /// The baseline of the months up to as_of.
    pub fn baseline_to_date(&self) -> Decimal {
        self.months
            .iter()
            .filter(|m| self.is_past(**m))
            .map(|m| self.baseline_in(*m))
            .sum()
    }

    pub fn actual_to_date(&self) -> Decimal {
        self.actual.values().copied().sum()
    }

    pub fn baseline_total(&self) -> Decimal {
        self.baseline.values().copied().sum()
    }

    /// The estimate at completion: actual to date plus the re-projected remainder.
    pub fn estimate_at_completion(&self) -> Decimal {
        self.actual_to_date() + self.remainder.values().copied().sum::<Decimal>()
    }

    /// Estimate at completion less the baseline.
    pub fn variance_at_completion(&self) -> Decimal {
        self.estimate_at_completion() - self.baseline_total()
    }
}

/// Re-projects `plan` of `scenario` from the tracking's as_of, against `frozen`.
pub fn track(
    scenario: &Scenario,
    tracking: &Tracking,
    frozen: &FrozenPlan,
) -> Result<Tracked, String> {
    let plan: &Plan = scenario
        .plans
        .iter()
        .find(|p| p.name == frozen.file.plan)
        .ok_or_else(|| {
            format!(
                "the baseline is of plan `{}`, which the scenario no longer has",
                frozen.file.plan
            )
        })?;
    if frozen.file.currency != scenario.programme.currency.code() {
        return Err(format!(
            "the baseline is in {}, the scenario in {}",
            frozen.file.currency,
            scenario.programme.currency.code()
        ));
    }
    let months = horizon(scenario);
    let first = months.first().copied().unwrap_or(scenario.programme.start);
    let last = scenario.programme.last_month();
    let as_of_month = YearMonth::of(tracking.as_of);
    let in_horizon = |m: YearMonth| m >= first && m <= last;
    let baseline: BTreeMap<(YearMonth, Category), Decimal> = frozen
        .ledger
        .iter()
        .filter(|((m, _), _)| in_horizon(*m))
        .map(|(k, d)| (*k, *d))
        .collect();
    let mut actual: BTreeMap<(YearMonth, Category), Decimal> = BTreeMap::new();
    for cost in &tracking.actuals {
        let month = YearMonth::of(cost.date);
        if !in_horizon(month) {
            return Err(format!(
                "the actual on line {} is dated {}, outside the horizon ({first} to {last})",
                cost.line, cost.date
            ));
        }
        *actual.entry((month, cost.category)).or_default() += cost.amount;
    }
    let adjusted = with_events(scenario, &tracking.events);
    let adjusted_plan = adjusted
        .plans
        .iter()
        .find(|p| p.name == plan.name)
        .unwrap_or(plan);
    let outcome = projection::project_plan(&adjusted, adjusted_plan);
    let remainder: BTreeMap<(YearMonth, Category), Decimal> = outcome
        .ledger
        .by_month_and_category()
        .into_iter()
        .filter(|((m, _), d)| in_horizon(*m) && *m > as_of_month && !d.is_zero())
        .collect();

    // Milestones: the n-th of each kind, planned against now.
    let mut milestones = Vec::new();
    for kind in MILESTONES {
        let mut planned: Vec<NaiveDate> = frozen
            .events
            .iter()
            .filter(|(k, _)| *k == kind)
            .map(|(_, d)| *d)
            .collect();
        planned.sort();
        let mut now: Vec<NaiveDate> = outcome
            .schedule
            .events
            .iter()
            .filter(|e| e.kind == kind)
            .map(|e| e.start)
            .collect();
        now.sort();
        // A report issued fixes the first report of its type at its real date.
        for event in &tracking.events {
            if let TrackedEvent::ReportIssued { report, date } = event {
                let of = match report {
                    TrackedReport::Type1 => EventKind::Type1Report,
                    TrackedReport::Type2 => EventKind::Type2Report,
                };
                if of == kind {
                    match now.first_mut() {
                        Some(first) => *first = *date,
                        None => now.push(*date),
                    }
                }
            }
        }
        for i in 0..planned.len().max(now.len()) {
            let now_date = now.get(i).copied();
            milestones.push(Milestone {
                kind,
                occurrence: i + 1,
                planned: planned.get(i).copied(),
                now: now_date,
                held: now_date.is_some_and(|d| d <= tracking.as_of),
            });
        }
    }

    let calendar = scenario.programme.fiscal_calendar();
    let cap = scenario.requirements.yearly_budget_cap.map(|a| a.0);
    let mut fiscal: BTreeMap<FiscalYear, FiscalLine> = BTreeMap::new();
    for m in &months {
        let year = calendar.year_of(*m);
        let line = fiscal.entry(year).or_insert(FiscalLine {
            year,
            baseline: Decimal::ZERO,
            actual: Decimal::ZERO,
            forecast: Decimal::ZERO,
            cap,
        });
        let sum = |map: &BTreeMap<(YearMonth, Category), Decimal>| -> Decimal {
            map.iter()
                .filter(|((mm, _), _)| mm == m)
                .map(|(_, d)| *d)
                .sum()
        };
        line.baseline += sum(&baseline);
        line.actual += sum(&actual);
        line.forecast += if *m <= as_of_month {
            sum(&actual)
        } else {
            sum(&remainder)
        };
    }
    Ok(Tracked {
        plan: plan.name.clone(),
        as_of: tracking.as_of,
        months,
        baseline,
        actual,
        remainder,
        milestones,
        fiscal: fiscal.into_values().collect(),
        outcome,
        other_bytes: frozen.file.scenario_sha256 != scenario.sha256,
        calendar,
    })
}
