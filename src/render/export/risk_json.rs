//! The risk analysis as JSON (`certplan risk --format json`, and `risk.json` in the output
//! folder): the run (scenario SHA-256, draws, seed), the requirements and the confidence, the
//! recommendation, and per plan the percentiles, the probability of each requirement and what
//! drives its P50. Amounts are exact decimal strings, dates `YYYY-MM-DD` (`null` when not reached
//! within the horizon). Documented field by field in docs/outputs.md; `schema_version` changes
//! when a field changes meaning or goes away (new fields may be added without a change).
#![allow(clippy::float_arithmetic)] // probabilities and statistics, rounded for reading

use serde::{Deserialize, Serialize};

use super::OutputFile;
use crate::decision::risk_analysis::{Analysis, MetricKind, amount, date_of, month_of};
use crate::scenario::Scenario;
use crate::vocabulary::money::csv_amount;

/// Version of the JSON's shape.
pub const SCHEMA_VERSION: u32 = 1;

/// The file `certplan risk` writes beside its other outputs.
pub const FILE_NAME: &str = "risk.json";

#[derive(Serialize)]
struct RiskJson<'a> {
    schema_version: u32,
    scenario: &'a str,
    currency: &'a str,
    #[serde(flatten)]
    run: RiskRun,
    confidence: f64,
    requirements: Vec<RequirementJson>,
    recommendation: RecommendationJson<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    what_it_would_take: Option<LeversJson<'a>>,
    plans: Vec<PlanJson<'a>>,
}

/// What identifies a risk run: the scenario's bytes, the draws and the seed. The same run of
/// the same certplan gives the same numbers, byte for byte.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RiskRun {
    /// SHA-256 of the scenario file, as `sha256sum` prints it.
    pub scenario_sha256: String,
    pub draws: usize,
    pub seed: u64,
    /// Whether `risk_draws.csv` was written (`--draws-csv`).
    pub draws_csv: bool,
}

#[derive(Serialize)]
struct RequirementJson {
    key: &'static str,
    description: String,
}

#[derive(Serialize)]
struct RecommendationJson<'a> {
    /// The recommended plan at the confidence; `null` when none meets every requirement often
    /// enough.
    plan: Option<&'a str>,
    text: &'a str,
    /// The base case's recommendation (every range at its likely value, no risk event), shown
    /// beside it: `null` when the base case meets no plan's requirements.
    base_case_plan: Option<&'a str>,
}

/// What it would take, when no plan reaches the confidence (`decision::levers`).
#[derive(Serialize)]
struct LeversJson<'a> {
    plan: &'a str,
    levers: Vec<LeverJson<'a>>,
}

#[derive(Serialize)]
struct LeverJson<'a> {
    requirement: &'static str,
    /// `start`, `deadline`, `cap` or `risk`.
    lever: &'static str,
    change: &'a str,
    /// The scenario key and its new value, as TOML.
    edit: &'a str,
    probability_met: f64,
    probability_all_met: f64,
}

/// With `[[demand]]`: the odds of a plan's business case.
#[derive(Serialize)]
struct ValueJson {
    /// Mean net value (its present value when discounted) over the draws.
    expected_net_value: String,
    positive_net_value_probability: f64,
    payback_by: Option<String>,
    payback_by_probability: Option<f64>,
}

#[derive(Serialize)]
struct PlanJson<'a> {
    plan: &'a str,
    recommended: bool,
    metrics: Vec<MetricJson>,
    requirements: Vec<ProbabilityJson>,
    all_requirements_met_probability: f64,
    soc2_report_exceptions_probability: f64,
    /// What the drivers' days move: `first_iso_certificate` or `first_soc2_type2_report`.
    key_date: &'a str,
    drivers: Vec<DriverJson<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    value: Option<ValueJson>,
}

/// A statistic in its metric's unit: an amount or a date as a string, months as a number.
#[derive(Serialize)]
#[serde(untagged)]
enum Stat {
    Text(String),
    Number(f64),
}

#[derive(Serialize)]
struct MetricJson {
    metric: String,
    /// `money`, `date` or `months`.
    unit: &'static str,
    mean: Option<Stat>,
    p10: Option<Stat>,
    p50: Option<Stat>,
    p80: Option<Stat>,
    p90: Option<Stat>,
    /// Monte Carlo standard error of the P50 and the P80: money, days or months.
    se_p50: Option<Stat>,
    se_p80: Option<Stat>,
}

#[derive(Serialize)]
struct ProbabilityJson {
    requirement: &'static str,
    probability_met: f64,
}

#[derive(Serialize)]
struct DriverJson<'a> {
    driver: &'a str,
    /// `input` or `risk`.
    kind: &'a str,
    moves_p50_total_cost: String,
    moves_p50_key_date_days: f64,
}

fn rounded(v: f64, places: i32) -> f64 {
    let scale = 10f64.powi(places);
    (v * scale).round() / scale
}

fn stat(s: &Scenario, kind: MetricKind, v: f64) -> Option<Stat> {
    match kind {
        MetricKind::Money if v.is_finite() => {
            Some(Stat::Text(csv_amount(amount(s, v), s.programme.currency)))
        }
        // The mean of a date is not given (as in risk_summary.csv).
        MetricKind::Date => None,
        MetricKind::Months if v.is_finite() => Some(Stat::Number(rounded(v, 1))),
        // Nor that of a month (the payback month).
        _ => None,
    }
}

fn percentile(s: &Scenario, kind: MetricKind, v: f64) -> Option<Stat> {
    match kind {
        MetricKind::Date => date_of(s, v).map(|d| Stat::Text(d.to_string())),
        MetricKind::Month => month_of(s, v).map(|m| Stat::Text(m.to_string())),
        _ => stat(s, kind, v),
    }
}

fn error(s: &Scenario, kind: MetricKind, v: f64) -> Option<Stat> {
    if !v.is_finite() {
        return None;
    }
    Some(match kind {
        MetricKind::Money => Stat::Text(csv_amount(amount(s, v), s.programme.currency)),
        MetricKind::Date => Stat::Number(rounded(v, 1)),
        MetricKind::Months | MetricKind::Month => Stat::Number(rounded(v, 2)),
    })
}

/// The analysis of `run` as pretty JSON, ending in a newline.
pub fn risk_json(s: &Scenario, a: &Analysis, run: RiskRun) -> String {
    let currency = s.programme.currency;
    let plans = a
        .plans
        .iter()
        .enumerate()
        .map(|(i, p)| PlanJson {
            plan: &p.plan,
            recommended: a.recommended == Some(i),
            metrics: p
                .summaries
                .iter()
                .map(|m| MetricJson {
                    metric: m.metric.clone(),
                    unit: m.kind.unit(),
                    mean: stat(s, m.kind, m.mean),
                    p10: percentile(s, m.kind, m.percentiles[0]),
                    p50: percentile(s, m.kind, m.percentiles[1]),
                    p80: percentile(s, m.kind, m.percentiles[2]),
                    p90: percentile(s, m.kind, m.percentiles[3]),
                    se_p50: error(s, m.kind, m.se_p50),
                    se_p80: error(s, m.kind, m.se_p80),
                })
                .collect(),
            requirements: a
                .requirements
                .iter()
                .zip(&p.requirement_probability)
                .map(|(r, probability)| ProbabilityJson {
                    requirement: r.key(),
                    probability_met: rounded(*probability, 4),
                })
                .collect(),
            all_requirements_met_probability: rounded(p.all_met_probability, 4),
            soc2_report_exceptions_probability: rounded(p.exceptions_probability, 4),
            key_date: p.key_date,
            drivers: p
                .drivers
                .iter()
                .map(|d| DriverJson {
                    driver: &d.name,
                    kind: d.kind,
                    moves_p50_total_cost: csv_amount(d.money, currency),
                    moves_p50_key_date_days: d.days.round(),
                })
                .collect(),
            value: p.value.as_ref().map(|v| ValueJson {
                expected_net_value: csv_amount(amount(s, v.expected), currency),
                positive_net_value_probability: rounded(v.positive, 4),
                payback_by: v.payback_by.map(|(m, _)| m.to_string()),
                payback_by_probability: v.payback_by.map(|(_, p)| rounded(p, 4)),
            }),
        })
        .collect();
    let what_it_would_take = a.levers.as_ref().map(|(plan, levers)| LeversJson {
        plan: &a.plans[*plan].plan,
        levers: levers
            .iter()
            .map(|l| LeverJson {
                requirement: l.key,
                lever: l.kind,
                change: &l.change,
                edit: &l.edit,
                probability_met: rounded(l.probability, 4),
                probability_all_met: rounded(l.all_met, 4),
            })
            .collect(),
    });
    let doc = RiskJson {
        schema_version: SCHEMA_VERSION,
        scenario: &s.programme.name,
        currency: currency.code(),
        run,
        confidence: a.confidence,
        requirements: a
            .requirements
            .iter()
            .map(|r| RequirementJson {
                key: r.key(),
                description: r.describe(currency),
            })
            .collect(),
        recommendation: RecommendationJson {
            plan: a
                .recommended
                .and_then(|i| a.plans.get(i))
                .map(|p| p.plan.as_str()),
            text: &a.recommendation,
            base_case_plan: base_case_plan(s),
        },
        what_it_would_take,
        plans,
    };
    let mut text = serde_json::to_string_pretty(&doc).unwrap_or_default();
    text.push('\n');
    text
}

/// The plan the base case recommends.
fn base_case_plan(s: &Scenario) -> Option<&str> {
    let plans = crate::decision::projection::project(s);
    let c = crate::decision::comparison::compare(s, &plans);
    c.recommendation
        .plan
        .and_then(|i| s.plans.get(i))
        .map(|p| p.name.as_str())
}

/// `risk.json` of `run`.
pub fn risk_json_file(s: &Scenario, a: &Analysis, run: RiskRun) -> OutputFile {
    OutputFile {
        name: FILE_NAME.into(),
        bytes: risk_json(s, a, run).into_bytes(),
    }
}

/// The run a `risk.json` was made by; `None` when the text is not one.
pub fn run_of(text: &[u8]) -> Option<RiskRun> {
    #[derive(Deserialize)]
    struct Head {
        schema_version: u32,
        #[serde(flatten)]
        run: RiskRun,
    }
    let head: Head = serde_json::from_slice(text).ok()?;
    (head.schema_version == SCHEMA_VERSION).then_some(head.run)
}
