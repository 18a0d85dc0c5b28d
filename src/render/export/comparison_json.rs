//! The comparison as JSON: amounts as exact decimal strings, dates as `YYYY-MM-DD`. Documented
//! field by field in docs/outputs.md; `schema_version` changes when a field changes meaning or
//! goes away (new fields may be added without a change).

use chrono::NaiveDate;
use serde_json::{Value, json};

use crate::decision::comparison::{Comparison, shortfall};
use crate::decision::requirement::Outcome;
use crate::vocabulary::currency::Currency;
use crate::vocabulary::money::csv_amount;

use super::comparison_csv::outcome_code;

fn date(d: Option<NaiveDate>) -> Value {
    d.map_or(Value::Null, |d| Value::String(d.to_string()))
}

/// Version of the JSON's shape.
pub const SCHEMA_VERSION: u32 = 1;

pub fn comparison_json(c: &Comparison, scenario_name: &str, currency: Currency) -> String {
    let money = |d: rust_decimal::Decimal| Value::String(csv_amount(d, currency));
    let plans: Vec<Value> = c
        .plans
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let mut plan = json!({
                "plan": p.plan,
                "description": p.description,
                "total_cost": money(p.total),
                "first_year_cost": money(p.first_year),
                "run_cost_per_year": p.run_rate.map_or(Value::Null, money),
                "cost_by_fiscal_year": p.by_fiscal_year.iter().map(|(y, a)| json!({"fiscal_year": y.to_string(), "amount": money(*a)})).collect::<Vec<_>>(),
                "first_iso_certificate": date(p.first_iso_certificate),
                "first_soc2_type1_report": date(p.first_soc2_type1_report),
                "first_soc2_type2_report": date(p.first_soc2_type2_report),
                "covered_months": p.covered_months,
                "uncovered_months": p.uncovered_months,
                "building_months": p.building_months,
                "saving": p.saving.as_ref().map_or(Value::Null, |s| json!({
                    "separate_total": money(s.separate_total),
                    "saving": money(s.saving),
                    "shared_controls": money(s.shared_controls),
                    "shared_recurring": money(s.shared_recurring),
                    "combined_audit_discount": money(s.combined_audit_discount),
                })),
                "requirements": p.verdicts.iter().map(|v| json!({
                    "requirement": v.requirement.key(),
                    "verdict": outcome_code(&v.outcome),
                    "days_to_spare": match v.outcome { Outcome::Met { days_to_spare } => json!(days_to_spare), _ => Value::Null },
                    "missed_by_days": match v.outcome { Outcome::MissedByDays { days, .. } => json!(days), _ => Value::Null },
                    "over_by": match &v.outcome { Outcome::OverBy { amount, year } => json!({"fiscal_year": year.to_string(), "amount": money(*amount)}), _ => Value::Null },
                    "latest_start_month": v.latest_start.map_or(Value::Null, |m| Value::String(m.to_string())),
                    "detail": shortfall(v, currency).unwrap_or_else(|| "met".into()),
                })).collect::<Vec<_>>(),
                "meets_requirements": p.meets_all(),
                "recommended": c.recommendation.plan == Some(i),
            });
            // Only when the scenario asks for them: without [finance] and [[demand]] the file
            // is the same as before.
            if let Value::Object(map) = &mut plan {
                if let Some(npv) = p.npv_cost {
                    map.insert("npv_cost".into(), money(npv));
                }
                if let Some(b) = &p.business {
                    map.insert("business_case".into(), json!({
                        "expected_revenue": money(b.revenue_total),
                        "cost": money(b.cost_total),
                        "expected_net_value": money(b.net_total),
                        "npv_net_value": b.npv_net.map_or(Value::Null, money),
                        "payback_month": b.payback.map_or(Value::Null, |m| Value::String(m.to_string())),
                        "by_fiscal_year": b.by_fiscal_year.iter().map(|(y, r, c, n)| json!({
                            "fiscal_year": y.to_string(),
                            "revenue": money(*r),
                            "cost": money(*c),
                            "net": money(*n),
                        })).collect::<Vec<_>>(),
                        "demand": b.unlocks.iter().map(|u| {
                            let mut d = json!({
                                "name": u.demand,
                                "unlocked": date(u.unlocked),
                                "expected_revenue": money(u.expected_revenue),
                                "paused_months": u.paused_months,
                            });
                            if let (Some(t), Some(object)) = (u.timing, d.as_object_mut()) {
                                object.insert("timing".into(), json!(t.as_str()));
                            }
                            d
                        }).collect::<Vec<_>>(),
                    }));
                }
            }
            plan
        })
        .collect();
    let mut value = json!({
        "schema_version": SCHEMA_VERSION,
        "scenario": scenario_name,
        "currency": currency.code(),
        "fiscal_years": c.fiscal_years.iter().map(|y| y.to_string()).collect::<Vec<_>>(),
        "requirements": c.requirements.iter().map(|r| json!({"key": r.key(), "description": r.describe(currency)})).collect::<Vec<_>>(),
        "plans": plans,
        "recommendation": {
            "plan": c.recommendation.plan.map_or(Value::Null, |i| Value::String(c.plans[i].plan.clone())),
            "headline": c.recommendation.headline,
            "reasons": c.recommendation.reasons,
        },
    });
    // A run with draws leads with the recommendation at the confidence; the base case's beside.
    if let (Some(base), Some(object)) = (&c.base_case, value.as_object_mut()) {
        object.insert(
            "base_case_recommendation".into(),
            json!({
                "plan": base.plan.map_or(Value::Null, |i| Value::String(c.plans[i].plan.clone())),
                "headline": base.headline,
                "reasons": base.reasons,
            }),
        );
    }
    if let (Value::Object(map), true) = (&mut value, c.plans.iter().any(|p| p.business.is_some())) {
        let discounted = c
            .plans
            .iter()
            .any(|p| p.business.as_ref().is_some_and(|b| b.npv_net.is_some()));
        map.insert(
            "ranked_by".into(),
            json!(if discounted {
                "npv_net_value"
            } else {
                "expected_net_value"
            }),
        );
    }
    let mut text = serde_json::to_string_pretty(&value).unwrap_or_default();
    text.push('\n');
    text
}
