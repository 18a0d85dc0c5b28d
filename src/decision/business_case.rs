//! The business case of a plan: the revenue its certificates and reports unlock (`[[demand]]`),
//! weighed by win probability, against what it costs, month by month; the payback month; and
//! present values at the `[finance]` discount rate.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::cycle::coverage::{DateSet, covered_days};
use crate::cycle::schedule::{EventKind, Schedule};
use crate::decision::projection::PlanOutcome;
use crate::scenario::Scenario;
use crate::scenario::demand::{Assurance, Demand, IfLate, Worth};
use crate::vocabulary::fiscal_year::FiscalYear;
use crate::vocabulary::framework::Framework;
use crate::vocabulary::money::round_to_minor;
use crate::vocabulary::year_month::{YearMonth, add_days};

/// When one demand is unlocked by a plan, and what it is expected to bring inside the horizon.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unlock {
    pub demand: String,
    /// The first day the plan holds what the demand needs, on or after its first month.
    pub unlocked: Option<NaiveDate>,
    /// Expected revenue inside the horizon (worth × win probability).
    pub expected_revenue: Decimal,
    /// Months of the horizon in which recurring revenue is paused because the assurance lapsed
    /// after the demand was unlocked.
    pub paused_months: usize,
    /// When the deal needs its assurance by a date (`needed_by`): whether the plan was in time.
    pub timing: Option<Timing>,
}

/// How a plan meets a deal's `needed_by`.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Timing {
    /// The assurance is in hand by the date.
    OnTime { needed_by: NaiveDate },
    /// It comes later, or never: the deal earns nothing.
    Lost { needed_by: NaiveDate },
    /// It comes this many months (begun) late: the deal starts then, won with this probability.
    Delayed {
        needed_by: NaiveDate,
        months_late: u32,
        win_probability: Decimal,
    },
}

impl Timing {
    /// `on_time`, `lost` or `delayed`, as the CSV and JSON write it.
    pub fn as_str(&self) -> &'static str {
        match self {
            Timing::OnTime { .. } => "on_time",
            Timing::Lost { .. } => "lost",
            Timing::Delayed { .. } => "delayed",
        }
    }
}

/// Months begun between `needed_by` and `arrived`: the smallest `m` with `needed_by` + `m`
/// months on or after `arrived` (month ends clamped).
pub fn months_late(needed_by: NaiveDate, arrived: NaiveDate) -> u32 {
    (1..=1_200u32)
        .find(|m| crate::vocabulary::year_month::add_months(needed_by, *m) >= arrived)
        .unwrap_or(1_200)
}

/// Whether a plan whose assurance arrives on `unlocked` meets the deal's `needed_by`, and with
/// what probability the deal is then won.
pub fn timing(demand: &Demand, unlocked: Option<NaiveDate>) -> Option<(Timing, Decimal)> {
    let deadline = demand.deadline?;
    let needed_by = deadline.needed_by;
    Some(match unlocked {
        Some(day) if day <= needed_by => (Timing::OnTime { needed_by }, demand.win_probability),
        Some(day) if deadline.if_late == IfLate::Delayed => {
            let months_late = months_late(needed_by, day);
            let lowered = demand.win_probability - deadline.decay * Decimal::from(months_late);
            let win_probability = lowered.max(Decimal::ZERO);
            (
                Timing::Delayed {
                    needed_by,
                    months_late,
                    win_probability,
                },
                win_probability,
            )
        }
        _ => (Timing::Lost { needed_by }, Decimal::ZERO),
    })
}

/// A plan's business case over the horizon. Every amount is rounded to the currency's minor
/// unit once per month and demand; totals are exact sums.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BusinessCase {
    /// Expected revenue unlocked, per month of the horizon.
    pub revenue: Vec<(YearMonth, Decimal)>,
    /// Cost per month of the horizon (contingency included).
    pub cost: Vec<Decimal>,
    /// Cumulative expected revenue − cumulative cost, at the end of each month.
    pub cumulative_net: Vec<Decimal>,
    pub unlocks: Vec<Unlock>,
    pub revenue_total: Decimal,
    pub cost_total: Decimal,
    /// Expected net value: revenue − cost over the horizon.
    pub net_total: Decimal,
    /// The first month from which the cumulative net position stays at or above zero to the
    /// horizon's end.
    pub payback: Option<YearMonth>,
    /// (fiscal year, revenue, cost, net).
    pub by_fiscal_year: Vec<(FiscalYear, Decimal, Decimal, Decimal)>,
    /// Net present value of the net position at the `[finance]` discount rate.
    pub npv_net: Option<Decimal>,
}

/// The days a plan's schedule lets it show `assurance` to a customer: a valid certificate; a
/// current report (a Type II report for a Type II need), or a bridge letter carrying one on.
pub fn held_days(assurance: Assurance, schedule: &Schedule) -> DateSet {
    match assurance {
        Assurance::Iso27001Certificate | Assurance::Soc2Type1Report => {
            covered_days(schedule, assurance.framework())
        }
        Assurance::Soc2Type2Report => {
            let type2_issued: Vec<NaiveDate> = schedule
                .events
                .iter()
                .filter(|e| e.framework == Framework::Soc2 && e.kind == EventKind::Type2Report)
                .map(|e| e.start)
                .collect();
            let current: Vec<(NaiveDate, NaiveDate)> = schedule
                .events
                .iter()
                .filter(|e| {
                    e.framework == Framework::Soc2
                        && e.kind == EventKind::ReportCurrent
                        && type2_issued.contains(&e.start)
                })
                .map(|e| (e.start, e.end))
                .collect();
            // A bridge letter carries a Type II report on when it starts the day after one stops
            // being current.
            let letters = schedule.events.iter().filter(|e| {
                e.framework == Framework::Soc2
                    && e.kind == EventKind::BridgeLetter
                    && current.iter().any(|(_, end)| add_days(*end, 1) == e.start)
            });
            let mut ranges = current.clone();
            ranges.extend(letters.map(|e| (e.start, e.end)));
            DateSet::from_ranges(ranges)
        }
    }
}

/// The days a plan can show one of the assurances `demand` needs.
pub fn demand_held_days(demand: &Demand, schedule: &Schedule) -> DateSet {
    let mut ranges = Vec::new();
    for a in &demand.needs {
        ranges.extend_from_slice(held_days(*a, schedule).ranges());
    }
    DateSet::from_ranges(ranges)
}

/// The first day on or after the demand's first month that the plan holds what it needs.
pub fn unlocked(demand: &Demand, held: &DateSet, programme_start: YearMonth) -> Option<NaiveDate> {
    let from = demand.from.unwrap_or(programme_start).first_day();
    held.ranges()
        .iter()
        .find(|(_, end)| *end >= from)
        .map(|(start, _)| (*start).max(from))
}

/// Expected revenue of one demand per month of the horizon, and its unlock.
fn demand_revenue(
    scenario: &Scenario,
    outcome: &PlanOutcome,
    demand: &Demand,
    months: &[YearMonth],
) -> (Vec<Decimal>, Unlock) {
    let currency = scenario.programme.currency;
    let held = demand_held_days(demand, &outcome.schedule);
    let unlocked = unlocked(demand, &held, scenario.programme.start);
    let timed = timing(demand, unlocked);
    let win_probability = timed.map_or(demand.win_probability, |(_, p)| p);
    let lost = matches!(timed, Some((Timing::Lost { .. }, _)));
    let mut revenue = vec![Decimal::ZERO; months.len()];
    let mut paused_months = 0;
    if let Some(day) = unlocked.filter(|_| !lost) {
        let first = YearMonth::of(day);
        match demand.worth {
            Worth::Monthly(mrr) => {
                let expected = round_to_minor(mrr * win_probability, currency);
                for (slot, month) in revenue.iter_mut().zip(months) {
                    if *month < first {
                        continue;
                    }
                    // A month earns when the assurance holds on its last day (or on the unlock
                    // day's month end); a lapse over a month end pauses that month.
                    let end = month.last_day();
                    if held.ranges().iter().any(|(s, e)| *s <= end && end <= *e) {
                        *slot = expected;
                    } else {
                        paused_months += 1;
                    }
                }
            }
            Worth::OneOff(value) => {
                if let Some(index) = months.iter().position(|m| *m == first) {
                    revenue[index] = round_to_minor(value * win_probability, currency);
                }
            }
        }
    }
    let expected_revenue = revenue.iter().copied().sum();
    (
        revenue,
        Unlock {
            demand: demand.name.clone(),
            unlocked,
            expected_revenue,
            paused_months,
            timing: timed.map(|(t, _)| t),
        },
    )
}

/// The business case of a projected plan, when the scenario has demand.
pub fn business_case(scenario: &Scenario, outcome: &PlanOutcome) -> Option<BusinessCase> {
    if scenario.demand.is_empty() {
        return None;
    }
    let programme = &scenario.programme;
    let months: Vec<YearMonth> = programme.months().collect();
    let mut revenue = vec![Decimal::ZERO; months.len()];
    let mut unlocks = Vec::new();
    for demand in &scenario.demand {
        let (per_month, unlock) = demand_revenue(scenario, outcome, demand, &months);
        for (slot, amount) in revenue.iter_mut().zip(per_month) {
            *slot += amount;
        }
        unlocks.push(unlock);
    }
    let cost = outcome.ledger.monthly(programme.start, months.len());
    let mut running = Decimal::ZERO;
    let cumulative_net: Vec<Decimal> = revenue
        .iter()
        .zip(&cost)
        .map(|(r, c)| {
            running += *r - *c;
            running
        })
        .collect();
    let payback = cumulative_net
        .iter()
        .rposition(|n| *n < Decimal::ZERO)
        .map_or(Some(0), |last_negative| {
            (last_negative + 1 < months.len()).then_some(last_negative + 1)
        })
        .and_then(|i| months.get(i).copied());
    let calendar = programme.fiscal_calendar();
    let by_fiscal_year = programme
        .fiscal_years()
        .into_iter()
        .map(|year| {
            let (mut r, mut c) = (Decimal::ZERO, Decimal::ZERO);
            for (i, month) in months.iter().enumerate() {
                if calendar.year_of(*month) == year {
                    r += revenue[i];
                    c += cost[i];
                }
            }
            (year, r, c, r - c)
        })
        .collect();
    let revenue_total: Decimal = revenue.iter().copied().sum();
    let cost_total: Decimal = cost.iter().copied().sum();
    let net: Vec<Decimal> = revenue.iter().zip(&cost).map(|(r, c)| *r - *c).collect();
    let npv_net = discount_rate(scenario).map(|rate| {
        crate::costing::present_value::net_present_value(&net, rate, programme.currency)
    });
    Some(BusinessCase {
        revenue: months.iter().copied().zip(revenue).collect(),
        cost,
        cumulative_net,
        unlocks,
        revenue_total,
        cost_total,
        net_total: revenue_total - cost_total,
        payback,
        by_fiscal_year,
        npv_net,
    })
}

/// The `[finance]` discount rate, when given.
pub fn discount_rate(scenario: &Scenario) -> Option<Decimal> {
    scenario
        .finance
        .as_ref()
        .and_then(|f| f.discount_rate)
        .map(|r| r.get())
}

/// Net present value of a plan's cost, when the scenario gives a discount rate.
pub fn npv_cost(scenario: &Scenario, outcome: &PlanOutcome) -> Option<Decimal> {
    let rate = discount_rate(scenario)?;
    let programme = &scenario.programme;
    let cost = outcome
        .ledger
        .monthly(programme.start, programme.horizon_months.get() as usize);
    Some(crate::costing::present_value::net_present_value(
        &cost,
        rate,
        programme.currency,
    ))
}
