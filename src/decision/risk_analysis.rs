//! What the draws say: percentiles of cost, dates and coverage with their Monte Carlo standard
//! errors, the probability that each requirement is met, a recommendation at a stated
//! confidence, the fan of cumulative cost, and what drives each plan's P50: how many days and how
//! much money each uncertain input and each risk moves it (not a correlation coefficient).
//!
//! Percentiles are nearest-rank. The standard error of a percentile comes from the order
//! statistics: the ranks n·p ± 1.96·√(n·p·(1−p)) bound a 95 % interval for it, and its width
//! divided by 2 × 1.96 is the standard error. A date not reached within the horizon counts as
//! later than any date (a percentile that lands there reads "after the horizon").
#![allow(clippy::float_arithmetic)] // statistics; money a user reads is rounded to Decimal

use chrono::NaiveDate;
use rust_decimal::Decimal;
use rust_decimal::prelude::{FromPrimitive, ToPrimitive};

use crate::decision::monte_carlo::{Draw, PlanDraw};
use crate::decision::requirement::Requirement;
use crate::scenario::Scenario;
use crate::vocabulary::framework::Framework;
use crate::vocabulary::money::round_to_minor;
use crate::vocabulary::year_month::{YearMonth, add_days};

/// The percentiles a summary row gives.
pub const PERCENTILES: [f64; 4] = [0.10, 0.50, 0.80, 0.90];

/// What a metric measures.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum MetricKind {
    Money,
    /// Days after the programme's start; shown as a date.
    Date,
    Months,
    /// Months after the programme's first month; shown as a month (`YYYY-MM`).
    Month,
}

impl MetricKind {
    /// The unit as risk_summary.csv and risk.json write it.
    pub fn unit(self) -> &'static str {
        match self {
            MetricKind::Money => "money",
            MetricKind::Date => "date",
            MetricKind::Months => "months",
            MetricKind::Month => "month",
        }
    }
}

/// One metric of one plan over the draws.
#[derive(Clone, Debug)]
pub struct Summary {
    pub metric: String,
    pub kind: MetricKind,
    pub mean: f64,
    /// p10, p50, p80, p90.
    pub percentiles: [f64; 4],
    pub se_p50: f64,
    pub se_p80: f64,
}

/// What a plan earns over the draws, with `[[demand]]`.
#[derive(Clone, Debug)]
pub struct ValueOdds {
    /// Share of draws in which its net value (its present value when discounted) is above zero.
    pub positive: f64,
    /// `[finance] payback_by` and the share of draws that pay back by the end of that month.
    pub payback_by: Option<(YearMonth, f64)>,
    /// The mean net value (present value when discounted): what plans are ranked by.
    pub expected: f64,
}

/// How much a driver moves a plan's P50 total cost and key date.
#[derive(Clone, Debug)]
pub struct Driver {
    pub name: String,
    /// `input` or `risk`.
    pub kind: &'static str,
    /// P50 total cost when the input is high (or the risk happens) minus when low (or not).
    pub money: Decimal,
    /// The same for the key date, in days.
    pub days: f64,
}

impl Driver {
    /// A driver that lowers the cost within the horizon only delays work: its cost falls
    /// beyond the horizon (no risk and no higher input saves money).
    pub fn cost_beyond_horizon(&self) -> bool {
        self.money.is_sign_negative() && !self.money.is_zero()
    }
}

/// One plan's risk picture.
#[derive(Clone, Debug)]
pub struct PlanRisk {
    pub plan: String,
    pub summaries: Vec<Summary>,
    /// Per requirement: the probability it is met.
    pub requirement_probability: Vec<f64>,
    /// The probability every requirement is met in the same draw.
    pub all_met_probability: f64,
    /// Cumulative cost per month: p10, p50, p90, and the base case.
    pub fan: Vec<[f64; 4]>,
    pub drivers: Vec<Driver>,
    /// What the key date is: the first certificate or the first Type II report.
    pub key_date: &'static str,
    /// The probability the first Type II report has exceptions.
    pub exceptions_probability: f64,
    /// With `[[demand]]`: the odds of its business case.
    pub value: Option<ValueOdds>,
}

/// The whole analysis.
#[derive(Clone, Debug)]
pub struct Analysis {
    pub draws: usize,
    pub seed: u64,
    pub confidence: f64,
    pub requirements: Vec<Requirement>,
    pub plans: Vec<PlanRisk>,
    /// Index of the recommended plan at the confidence, if any.
    pub recommended: Option<usize>,
    pub recommendation: String,
    /// When no plan reaches the confidence: the plan closest to it (most often meeting every
    /// requirement) and what it would take to lift each requirement it misses
    /// (`decision::levers`).
    pub levers: Option<(usize, Vec<crate::decision::levers::Lever>)>,
}

fn nearest_rank(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let n = sorted.len() as f64;
    let rank = (p * n).ceil().clamp(1.0, n) as usize;
    sorted[rank - 1]
}

/// The standard error of the `p` percentile from the order statistics around it.
fn standard_error(sorted: &[f64], p: f64) -> f64 {
    let n = sorted.len() as f64;
    if n < 2.0 {
        return 0.0;
    }
    let spread = 1.96 * (n * p * (1.0 - p)).sqrt();
    let lower = ((n * p - spread).floor().max(1.0) as usize).min(sorted.len()) - 1;
    let upper = ((n * p + spread).ceil().min(n) as usize).max(1) - 1;
    let width = sorted[upper] - sorted[lower];
    if width.is_finite() {
        width / (2.0 * 1.96)
    } else {
        f64::INFINITY
    }
}

fn summarise(metric: String, kind: MetricKind, mut values: Vec<f64>) -> Summary {
    let finite: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
    let mean = if finite.len() == values.len() && !values.is_empty() {
        values.iter().sum::<f64>() / values.len() as f64
    } else {
        f64::INFINITY
    };
    values.sort_by(f64::total_cmp);
    Summary {
        metric,
        kind,
        mean,
        percentiles: PERCENTILES.map(|p| nearest_rank(&values, p)),
        se_p50: standard_error(&values, 0.5),
        se_p80: standard_error(&values, 0.8),
    }
}

fn money(d: Decimal) -> f64 {
    d.to_f64().unwrap_or(0.0)
}

fn days_after(start: NaiveDate, date: Option<NaiveDate>) -> f64 {
    date.map_or(f64::INFINITY, |d| (d - start).num_days() as f64)
}

/// The date `days` after the programme's start, or `None` when not reached in the horizon.
pub fn date_of(s: &Scenario, days: f64) -> Option<NaiveDate> {
    if !days.is_finite() {
        return None;
    }
    Some(add_days(
        s.programme.start.first_day(),
        days.round().max(0.0) as u64,
    ))
}

/// The month `months` after the programme's first, or `None` when not reached in the horizon.
pub fn month_of(s: &Scenario, months: f64) -> Option<YearMonth> {
    if !months.is_finite() {
        return None;
    }
    Some(s.programme.start.plus(months.round().max(0.0) as i64))
}

/// A money statistic as a user reads it: rounded once to the currency's minor unit.
pub fn amount(s: &Scenario, value: f64) -> Decimal {
    round_to_minor(
        Decimal::from_f64(value).unwrap_or_default(),
        s.programme.currency,
    )
}

fn key_date(s: &Scenario, plan_index: usize, d: &PlanDraw) -> f64 {
    let start = s.programme.start.first_day();
    if s.plans[plan_index].includes(Framework::Iso27001) {
        days_after(start, d.first_iso_certificate)
    } else {
        days_after(start, d.first_type2_report)
    }
}

fn p50(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    nearest_rank(&values, 0.5)
}

/// How many draws the drivers re-run (the first ones of the run).
pub const DRIVER_DRAWS: usize = 500;

/// Whether a risk can happen in `plan` at all: on a framework it pursues.
fn risk_can_touch(risk: &crate::scenario::risk::Risk, plan: &crate::scenario::Plan) -> bool {
    use crate::scenario::risk::RiskEvent as E;
    risk.applies_to(&plan.name)
        && match risk.event {
            E::Stage2MajorNonconformity
            | E::SurveillanceMajorNonconformity
            | E::CertificationBodyBookedOut => plan.includes(Framework::Iso27001),
            E::CpaFirmBookedOut | E::Soc2ReadinessOverrun | E::Soc2ReportExceptions => {
                plan.includes(Framework::Soc2)
            }
            E::KeyPersonLoss | E::FeeRiseAtRenewal => true,
        }
}

/// P50 of the plan's total and key date over the first draws re-run with one driver forced.
fn forced_p50(
    s: &Scenario,
    draws: usize,
    seed: u64,
    plan_index: usize,
    forced: crate::decision::monte_carlo::Forced,
) -> (f64, f64) {
    use rayon::prelude::*;
    let runs: Vec<PlanDraw> = (0..draws.min(DRIVER_DRAWS))
        .into_par_iter()
        .map(|i| crate::decision::monte_carlo::forced_draw(s, i, seed, plan_index, forced))
        .collect();
    let totals = runs.iter().map(|p| money(p.total)).collect();
    let dates = runs.iter().map(|p| key_date(s, plan_index, p)).collect();
    (p50(totals), p50(dates))
}

/// Each driver's effect on a plan: the same draws re-run with the risk forced on and forced
/// off, or with the input held at its P75 and at its P25 (over the run's draws); the P50 of the
/// one minus the P50 of the other. A driver that cannot touch the plan moves it by exactly 0.
fn drivers(s: &Scenario, draws: &[Draw], seed: u64, plan_index: usize) -> Vec<Driver> {
    use crate::decision::monte_carlo::Forced;
    let plan = &s.plans[plan_index];
    let difference = |a: f64, b: f64| if (a - b).is_finite() { a - b } else { 0.0 };
    let effect = |high: Forced, low: Forced| {
        let (total_high, date_high) = forced_p50(s, draws.len(), seed, plan_index, high);
        let (total_low, date_low) = forced_p50(s, draws.len(), seed, plan_index, low);
        (
            difference(total_high, total_low),
            difference(date_high, date_low),
        )
    };
    let mut out = Vec::new();
    for (k, input) in crate::decision::monte_carlo::drawn_inputs(s)
        .iter()
        .enumerate()
    {
        // A range a plan sets for itself moves only the plans that use it; a key a plan fixes
        // for itself does not move that plan.
        let key = match crate::decision::monte_carlo::plan_key(&input.key) {
            Some((n, inner)) => {
                let own = plan
                    .overrides
                    .iter()
                    .any(|o| o.key == inner && s.plans.get(n).is_some_and(|p| p.name == o.set_by));
                if !own {
                    continue;
                }
                inner
            }
            None if plan.overrides_key(&input.key) => continue,
            None => input.key.as_str(),
        };
        let framework_used = match key.split('.').next() {
            Some("iso27001") => plan.includes(Framework::Iso27001),
            Some("soc2") => plan.includes(Framework::Soc2),
            _ => true,
        };
        if !framework_used {
            continue;
        }
        let mut values: Vec<f64> = draws.iter().map(|d| d.inputs[k]).collect();
        values.sort_by(f64::total_cmp);
        let (high, low) = (nearest_rank(&values, 0.75), nearest_rank(&values, 0.25));
        let (money_moved, days) = effect(Forced::Input(k, high), Forced::Input(k, low));
        out.push(Driver {
            name: crate::scenario::uncertainty::label_of(key).to_string(),
            kind: "input",
            money: amount(s, money_moved),
            days,
        });
    }
    for (j, risk) in s.risks.iter().enumerate() {
        if !risk_can_touch(risk, plan) {
            continue;
        }
        let (money_moved, days) = effect(Forced::Risk(j, true), Forced::Risk(j, false));
        out.push(Driver {
            name: risk.name.clone(),
            kind: "risk",
            money: amount(s, money_moved),
            days,
        });
    }
    out.sort_by(|a, b| {
        b.money
            .abs()
            .cmp(&a.money.abs())
            .then(b.days.abs().total_cmp(&a.days.abs()))
            .then(a.name.cmp(&b.name))
    });
    out
}

/// One figure of a plan in every draw, in draw order.
type PerDraw<'a> = dyn Fn(&dyn Fn(&PlanDraw) -> f64) -> Vec<f64> + 'a;

/// With `[[demand]]`: the percentiles of net value (and of its present value when discounted)
/// and of the payback month, and the odds of a positive net value and of payback by `[finance]
/// payback_by`.
fn value_summaries(s: &Scenario, summaries: &mut Vec<Summary>, of: &PerDraw) -> Option<ValueOdds> {
    if s.demand.is_empty() {
        return None;
    }
    let start = s.programme.start;
    let net = of(&|p| p.value.map_or(0.0, |v| money(v.net)));
    let npv = crate::decision::business_case::discount_rate(s)
        .map(|_| of(&|p| p.value.and_then(|v| v.npv).map_or(0.0, money)));
    let payback = of(&|p| {
        p.value
            .and_then(|v| v.payback)
            .map_or(f64::INFINITY, |m| start.months_until(m) as f64)
    });
    let ranked = npv.as_ref().unwrap_or(&net);
    let n = ranked.len().max(1) as f64;
    let positive = ranked.iter().filter(|v| **v > 0.0).count() as f64 / n;
    let expected = ranked.iter().sum::<f64>() / n;
    let payback_by = s.finance.as_ref().and_then(|f| f.payback_by).map(|by| {
        let limit = start.months_until(by) as f64;
        (
            by,
            payback.iter().filter(|m| **m <= limit).count() as f64 / n,
        )
    });
    summaries.push(summarise("net_value".into(), MetricKind::Money, net));
    if let Some(npv) = npv {
        summaries.push(summarise("npv_net_value".into(), MetricKind::Money, npv));
    }
    summaries.push(summarise(
        "payback_month".into(),
        MetricKind::Month,
        payback,
    ));
    Some(ValueOdds {
        positive,
        payback_by,
        expected,
    })
}

/// Analyses the draws of `s`.
pub fn analyse(s: &Scenario, draws: &[Draw], seed: u64) -> Analysis {
    let start = s.programme.start.first_day();
    let years = s.programme.fiscal_years_in_horizon();
    let requirements = Requirement::all_of(s);
    let base = crate::decision::projection::project(s);
    let n = draws.len().max(1) as f64;
    let mut plans = Vec::new();
    for (i, plan) in s.plans.iter().enumerate() {
        let of = |f: &dyn Fn(&PlanDraw) -> f64| -> Vec<f64> {
            draws.iter().map(|d| f(&d.plans[i])).collect()
        };
        let mut summaries = vec![summarise(
            "total_cost".into(),
            MetricKind::Money,
            of(&|p| money(p.total)),
        )];
        for (k, y) in years.iter().enumerate() {
            summaries.push(summarise(
                format!("cost_{}", y.year),
                MetricKind::Money,
                of(&|p| money(p.by_year[k])),
            ));
        }
        summaries.push(summarise(
            "first_12_months".into(),
            MetricKind::Money,
            of(&|p| money(p.first_12_months)),
        ));
        if plan.includes(Framework::Iso27001) {
            summaries.push(summarise(
                "first_iso_certificate".into(),
                MetricKind::Date,
                of(&|p| days_after(start, p.first_iso_certificate)),
            ));
        }
        if plan.includes(Framework::Soc2) {
            if s.soc2.as_ref().is_some_and(|c| c.type1_first) {
                summaries.push(summarise(
                    "first_soc2_type1_report".into(),
                    MetricKind::Date,
                    of(&|p| days_after(start, p.first_type1_report)),
                ));
            }
            summaries.push(summarise(
                "first_soc2_type2_report".into(),
                MetricKind::Date,
                of(&|p| days_after(start, p.first_type2_report)),
            ));
        }
        summaries.push(summarise(
            "covered_months".into(),
            MetricKind::Months,
            of(&|p| f64::from(p.covered_months)),
        ));
        let value = value_summaries(s, &mut summaries, &of);
        let requirement_probability: Vec<f64> = (0..requirements.len())
            .map(|r| draws.iter().filter(|d| d.plans[i].meets[r]).count() as f64 / n)
            .collect();
        let all_met_probability = draws
            .iter()
            .filter(|d| d.plans[i].meets.iter().all(|m| *m))
            .count() as f64
            / n;
        let months = s.programme.horizon_months.get() as usize;
        let base_curve: Vec<f64> = base[i]
            .cumulative_totals()
            .iter()
            .map(|(_, t)| money(*t))
            .collect();
        let fan = (0..months)
            .map(|m| {
                let mut values: Vec<f64> = draws.iter().map(|d| d.plans[i].cumulative[m]).collect();
                values.sort_by(f64::total_cmp);
                [
                    nearest_rank(&values, 0.1),
                    nearest_rank(&values, 0.5),
                    nearest_rank(&values, 0.9),
                    base_curve.get(m).copied().unwrap_or(0.0),
                ]
            })
            .collect();
        plans.push(PlanRisk {
            plan: plan.name.clone(),
            summaries,
            requirement_probability,
            all_met_probability,
            fan,
            drivers: drivers(s, draws, seed, i),
            key_date: if plan.includes(Framework::Iso27001) {
                "first ISO/IEC 27001 certificate"
            } else {
                "first SOC 2 Type II report"
            },
            exceptions_probability: draws.iter().filter(|d| d.plans[i].exceptions).count() as f64
                / n,
            value,
        });
    }
    let confidence = confidence_of(s);
    let (recommended, recommendation) = recommend(s, &plans, confidence);
    Analysis {
        draws: draws.len(),
        seed,
        confidence,
        requirements,
        plans,
        recommended,
        recommendation,
        levers: None,
    }
}

/// `[requirements] confidence`, 0.8 when not given: the probability a plan must meet every
/// requirement with before the draws recommend it.
pub fn confidence_of(s: &Scenario) -> f64 {
    s.requirements
        .confidence
        .map_or(0.8, |c| c.get().to_f64().unwrap_or(0.8))
}

/// The P80 total cost of a plan.
pub fn p80_total(p: &PlanRisk) -> f64 {
    p.summaries
        .iter()
        .find(|m| m.metric == "total_cost")
        .map_or(f64::INFINITY, |m| m.percentiles[2])
}

/// ", and is worth €120,000 in expected net value (P10 €80,000, P90 €150,000)", with demand.
pub fn value_clause(s: &Scenario, p: &PlanRisk) -> String {
    let Some(v) = &p.value else {
        return String::new();
    };
    let money =
        |v: f64| crate::vocabulary::money::display_whole(amount(s, v), s.programme.currency);
    let metric = if crate::decision::business_case::discount_rate(s).is_some() {
        "npv_net_value"
    } else {
        "net_value"
    };
    let what = if metric == "npv_net_value" {
        "expected net present value"
    } else {
        "expected net value"
    };
    let spread = p
        .summaries
        .iter()
        .find(|m| m.metric == metric)
        .map(|m| {
            format!(
                " (P10 {}, P90 {})",
                money(m.percentiles[0]),
                money(m.percentiles[3])
            )
        })
        .unwrap_or_default();
    format!(", and is worth {} in {what}{spread}", money(v.expected))
}

/// Among the plans that meet every requirement with at least the confidence, the one worth
/// most in expected net value when the scenario has demand, else the cheapest at P80; or why
/// none does.
fn recommend(s: &Scenario, plans: &[PlanRisk], confidence: f64) -> (Option<usize>, String) {
    let pct = |p: f64| format!("{:.0} %", p * 100.0);
    let eligible: Vec<usize> = (0..plans.len())
        .filter(|i| plans[*i].all_met_probability >= confidence)
        .collect();
    // Ranked as `compare` ranks: by expected net value with demand, else by cost (at P80).
    let best = eligible.iter().copied().min_by(|a, b| {
        let key = |i: usize| {
            plans[i]
                .value
                .as_ref()
                .map_or(p80_total(&plans[i]), |v| -v.expected)
        };
        key(*a).total_cmp(&key(*b)).then(a.cmp(b))
    });
    let money =
        |v: f64| crate::vocabulary::money::display_whole(amount(s, v), s.programme.currency);
    match best {
        Some(i) => (
            Some(i),
            format!(
                "Recommended at {} confidence: {}, which meets every requirement in {} of the draws and costs {} or less with 80 % confidence (P80){}.",
                pct(confidence),
                plans[i].plan,
                pct(plans[i].all_met_probability),
                money(p80_total(&plans[i])),
                value_clause(s, &plans[i])
            ),
        ),
        None => {
            let closest = (0..plans.len()).max_by(|a, b| {
                plans[*a]
                    .all_met_probability
                    .total_cmp(&plans[*b].all_met_probability)
                    .then(b.cmp(a))
            });
            let why = closest.map_or(String::new(), |i| {
                format!(
                    " The closest, {}, meets them in {} of the draws.",
                    plans[i].plan,
                    pct(plans[i].all_met_probability)
                )
            });
            (
                None,
                format!(
                    "No plan meets every requirement with {} confidence.{why} What it would take is listed below.",
                    pct(confidence)
                ),
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_rank_percentiles_and_their_standard_errors() {
        let values: Vec<f64> = (1..=100).map(f64::from).collect();
        assert_eq!(nearest_rank(&values, 0.1), 10.0);
        assert_eq!(nearest_rank(&values, 0.5), 50.0);
        assert_eq!(nearest_rank(&values, 0.9), 90.0);
        let se = standard_error(&values, 0.5);
        assert!((4.0..7.0).contains(&se), "{se}");
        let same = vec![5.0; 50];
        assert_eq!(standard_error(&same, 0.8), 0.0);
    }
}
