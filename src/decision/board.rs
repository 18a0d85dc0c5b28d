//! The one recommendation a board reads. `compare` judges the base case: every range at its
//! likely value and no risk event. `certplan risk` judges the draws at `[requirements]
//! confidence`. When a run has draws, their recommendation is the recommendation of every output
//! of that run (page 1 of the report, the workbook's Summary, the terminal, comparison.json and
//! comparison.csv), and the base case stands beside it, labelled as such; where the two name
//! different plans, one sentence says why.
#![allow(clippy::float_arithmetic)] // probabilities; money a user reads is rounded to Decimal

use crate::decision::comparison::{Comparison, Recommendation};
use crate::decision::risk_analysis::{self, Analysis};
use crate::scenario::Scenario;
use crate::vocabulary::money::display_whole;

/// "71 %": a probability as the outputs print it.
pub fn percent(p: f64) -> String {
    format!("{:.0} %", p * 100.0)
}

/// The line `compare` adds when the scenario has ranges or risks: its answer is the base case,
/// and `certplan risk` gives the one at the stated confidence. `None` without uncertainty.
pub fn base_case_note(scenario: &Scenario) -> Option<String> {
    if scenario.uncertain.is_empty() && scenario.risks.is_empty() {
        return None;
    }
    Some(format!(
        "This is the base case (every range at its likely value, no [[risk]] event); \
         `certplan risk` gives the recommendation at {} confidence.",
        percent(risk_analysis::confidence_of(scenario))
    ))
}

/// The comparison of a run with draws: its recommendation is the one at the confidence, and
/// the base case's is kept beside it in [`Comparison::base_case`].
pub fn at_confidence(scenario: &Scenario, mut c: Comparison, a: &Analysis) -> Comparison {
    let mut base = c.recommendation.clone();
    base.reasons
        .retain(|r| Some(r) != base_case_note(scenario).as_ref());
    let mut reasons = vec![confident_line(scenario, a)];
    if let Some(why) = difference(scenario, &c, a) {
        reasons.push(why);
    }
    reasons.push(base_case_line(scenario, &c, &base));
    if let Some(chosen) = a.recommended {
        let plan = &c.plans[chosen];
        let facts = crate::decision::comparison::plan_facts(scenario, plan);
        reasons.extend(
            facts
                .into_iter()
                .map(|f| format!("{} in the base case: {f}", plan.plan)),
        );
    }
    c.recommendation = Recommendation {
        plan: a.recommended,
        headline: match a.recommended {
            Some(i) => format!(
                "Recommended at {} confidence: {}",
                percent(a.confidence),
                a.plans[i].plan
            ),
            None => format!(
                "No plan meets every requirement with {} confidence",
                percent(a.confidence)
            ),
        },
        reasons,
    };
    c.base_case = Some(base);
    c
}

/// What the draws say of the recommended plan, or of the closest when none reaches the
/// confidence.
fn confident_line(scenario: &Scenario, a: &Analysis) -> String {
    let money = |v: f64| {
        display_whole(
            risk_analysis::amount(scenario, v),
            scenario.programme.currency,
        )
    };
    match a.recommended {
        Some(i) => format!(
            "Meets every requirement in {} of the {} draws ({} asked) and costs {} or less with \
             80 % confidence (P80){}.",
            percent(a.plans[i].all_met_probability),
            a.draws,
            percent(a.confidence),
            money(risk_analysis::p80_total(&a.plans[i])),
            risk_analysis::value_clause(scenario, &a.plans[i])
        ),
        None => {
            let closest = (0..a.plans.len()).max_by(|x, y| {
                a.plans[*x]
                    .all_met_probability
                    .total_cmp(&a.plans[*y].all_met_probability)
                    .then(y.cmp(x))
            });
            match closest {
                Some(i) => format!(
                    "The closest, {}, meets every requirement in {} of the {} draws ({} asked).",
                    a.plans[i].plan,
                    percent(a.plans[i].all_met_probability),
                    a.draws,
                    percent(a.confidence)
                ),
                None => "The scenario has no plan.".to_string(),
            }
        }
    }
}

/// "Base case (likely values): iso-then-soc2, €576,175 over 48 months."
fn base_case_line(scenario: &Scenario, c: &Comparison, base: &Recommendation) -> String {
    match base.plan {
        Some(i) => format!(
            "Base case (likely values, no risk events): {}, {} over {} months.",
            c.plans[i].plan,
            display_whole(c.plans[i].total, scenario.programme.currency),
            scenario.programme.horizon_months.get()
        ),
        None => "Base case (likely values, no risk events): no plan meets every requirement."
            .to_string(),
    }
}

/// Why the base case and the draws name different plans, in one sentence; `None` when they
/// agree.
fn difference(scenario: &Scenario, c: &Comparison, a: &Analysis) -> Option<String> {
    let base = c.recommendation.plan;
    if base == a.recommended {
        return None;
    }
    let ranked = if c.plans.iter().any(|p| p.business.is_some()) {
        "worth most"
    } else {
        "cheapest"
    };
    let Some(b) = base else {
        let chosen = a.recommended?;
        return Some(format!(
            "In the base case no plan meets every requirement; {} does in {} of the draws.",
            a.plans[chosen].plan,
            percent(a.plans[chosen].all_met_probability)
        ));
    };
    let risk = &a.plans[b];
    let weakest = weakest_requirement(scenario, a, b);
    let shortfall = if risk.all_met_probability < a.confidence {
        match weakest {
            Some((what, p)) => format!(
                "meets {what} in only {} of the draws ({} asked)",
                percent(p),
                percent(a.confidence)
            ),
            None => format!(
                "meets every requirement in only {} of the draws ({} asked)",
                percent(risk.all_met_probability),
                percent(a.confidence)
            ),
        }
    } else {
        "is not the best of the plans that meet every requirement at the confidence".to_string()
    };
    Some(format!(
        "{} is {ranked} in the base case but {shortfall}.",
        risk.plan
    ))
}

/// The requirement plan `i` meets least often, in words, and how often.
fn weakest_requirement(scenario: &Scenario, a: &Analysis, i: usize) -> Option<(String, f64)> {
    let currency = scenario.programme.currency;
    a.requirements
        .iter()
        .zip(&a.plans[i].requirement_probability)
        .min_by(|x, y| x.1.total_cmp(y.1))
        .map(|(r, p)| (r.describe_as_object(currency), *p))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_is_whole() {
        assert_eq!(percent(0.714), "71 %");
        assert_eq!(percent(1.0), "100 %");
    }
}
