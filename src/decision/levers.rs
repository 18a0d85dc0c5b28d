//! What it would take: when no plan meets every requirement at `[requirements] confidence`,
//! the smallest change of each lever a board holds that lifts the closest plan's odds of a
//! missed requirement to the confidence: start the programme N months earlier, move a deadline N
//! weeks later, raise the yearly cap to X, or bring a risk's probability down to p (what a
//! Stage 2 pre-assessment or an early booking buys). Each candidate is measured by re-running
//! the same draws (same seed, same number of draws) with that one change, so a lever shown
//! reaches the confidence when the scenario is changed and run again.
#![allow(clippy::float_arithmetic)] // probabilities

use chrono::{Days, NaiveDate};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

use crate::decision::monte_carlo;
use crate::decision::requirement::Requirement;
use crate::decision::risk_analysis::Analysis;
use crate::scenario::Scenario;
use crate::vocabulary::money::{Amount, display_whole};
use crate::vocabulary::year_month::{Date, YearMonth};

/// Furthest a start is moved earlier, in months.
pub const MAX_MONTHS_EARLIER: u32 = 24;
/// Furthest a deadline is moved later, in weeks.
pub const MAX_WEEKS_LATER: u32 = 104;
/// A cap is raised in steps of this many whole currency units.
const CAP_STEP: i64 = 1_000;
/// Highest cap tried, as a multiple of the cap given.
const CAP_MAX_FACTOR: i64 = 4;

/// One lever that alone lifts one requirement of the closest plan to the confidence.
#[derive(Clone, Debug, PartialEq)]
pub struct Lever {
    /// The requirement it lifts, in words.
    pub requirement: String,
    /// That requirement's key in `[requirements]`.
    pub key: &'static str,
    /// `start`, `deadline`, `cap` or `risk`.
    pub kind: &'static str,
    /// The change, in words a board reads: "start in 2026-11, 2 months earlier".
    pub change: String,
    /// The scenario key to change and its new value, as TOML: `programme.start = "2026-11"`.
    pub edit: String,
    /// The probability the requirement is met with the change.
    pub probability: f64,
    /// The probability every requirement is met with the change.
    pub all_met: f64,
}

/// Fills in [`Analysis::levers`] when no plan reaches the confidence: for the closest plan,
/// re-running its draws (the run's number and seed) with each change.
pub fn for_analysis(s: &Scenario, a: &mut Analysis) {
    if a.recommended.is_some() {
        return;
    }
    let closest = (0..a.plans.len()).max_by(|x, y| {
        a.plans[*x]
            .all_met_probability
            .total_cmp(&a.plans[*y].all_met_probability)
            .then(y.cmp(x))
    });
    let Some(plan) = closest else {
        return;
    };
    let now = Odds {
        each: a.plans[plan].requirement_probability.clone(),
        all: a.plans[plan].all_met_probability,
    };
    let (draws, seed) = (a.draws, a.seed);
    let odds = |changed: &Scenario| monte_carlo::odds_of_plan(changed, plan, draws, seed);
    a.levers = Some((plan, what_it_would_take(s, plan, &now, a.confidence, &odds)));
}

/// The odds a plan of a scenario meets each requirement, and all of them, over the draws.
#[derive(Clone, Debug, PartialEq)]
pub struct Odds {
    pub each: Vec<f64>,
    pub all: f64,
}

/// The levers for plan `plan` of `s`, whose odds are `now`; `odds` re-runs the same draws of a
/// changed scenario for that plan.
pub fn what_it_would_take(
    s: &Scenario,
    plan: usize,
    now: &Odds,
    confidence: f64,
    odds: &dyn Fn(&Scenario) -> Odds,
) -> Vec<Lever> {
    let requirements = Requirement::all_of(s);
    let currency = s.programme.currency;
    let mut levers = Vec::new();
    for (r, requirement) in requirements.iter().enumerate() {
        if now.each.get(r).is_none_or(|p| *p >= confidence) {
            continue;
        }
        let words = requirement.describe_as_object(currency);
        let reaches = |changed: &Scenario| {
            let o = odds(changed);
            (o.each.get(r).is_some_and(|p| *p >= confidence), o)
        };
        let mut found = |kind, change: String, edit: String, o: Odds| {
            levers.push(Lever {
                requirement: words.clone(),
                key: requirement.key(),
                kind,
                change,
                edit,
                probability: o.each.get(r).copied().unwrap_or(0.0),
                all_met: o.all,
            });
        };
        if let Some((n, o)) = smallest(1, MAX_MONTHS_EARLIER, |n| {
            reaches(&with_start(s, s.programme.start.plus(-i64::from(n))))
        }) {
            let month = s.programme.start.plus(-i64::from(n));
            found(
                "start",
                format!("start the programme in {month}, {} earlier", months(n)),
                format!("programme.start = \"{month}\""),
                o,
            );
        }
        match *requirement {
            Requirement::YearlyBudgetCap(cap) => {
                let whole = cap.trunc().to_i64().unwrap_or(i64::MAX / CAP_MAX_FACTOR);
                let first = whole / CAP_STEP + 1;
                let last = (whole * CAP_MAX_FACTOR / CAP_STEP).max(first);
                if let Some((k, o)) = smallest(first as u32, last as u32, |k| {
                    reaches(&with_cap(s, Decimal::from(i64::from(k) * CAP_STEP)))
                }) {
                    let new_cap = Decimal::from(i64::from(k) * CAP_STEP);
                    found(
                        "cap",
                        format!("a yearly cap of {}", display_whole(new_cap, currency)),
                        format!("requirements.yearly_budget_cap = {new_cap}"),
                        o,
                    );
                }
            }
            date_requirement => {
                if let Some((n, o)) = smallest(1, MAX_WEEKS_LATER, |n| {
                    reaches(&with_deadline(
                        s,
                        date_requirement,
                        weeks_later(&date_requirement, n),
                    ))
                }) {
                    let date = weeks_later(&date_requirement, n);
                    found(
                        "deadline",
                        format!("the deadline {date}, {} later", weeks(n)),
                        format!("requirements.{} = \"{date}\"", date_requirement.key()),
                        o,
                    );
                }
            }
        }
        for (j, risk) in s.risks.iter().enumerate() {
            if !risk.applies_to(&s.plans[plan].name) || risk.probability <= 0.0 {
                continue;
            }
            let percent_now = (risk.probability * 100.0).round() as u32;
            // The largest probability (in whole per cent) at which the requirement is met.
            let lower = |pct: u32| reaches(&with_risk_probability(s, j, f64::from(pct) / 100.0));
            let Some((cut, o)) = smallest(1, percent_now.max(1), |cut| {
                lower(percent_now.saturating_sub(cut))
            }) else {
                continue;
            };
            let to = percent_now.saturating_sub(cut);
            found(
                "risk",
                format!(
                    "{} down to {to} % (from {percent_now} %)",
                    risk.name.to_lowercase().replace("iso/iec", "ISO/IEC")
                ),
                format!("risk[{}].probability = {}", j + 1, f64::from(to) / 100.0),
                o,
            );
        }
    }
    levers
}

/// The smallest `n` in `first..=last` for which `test` holds, by bisection (the levers are
/// monotone: a later deadline, an earlier start, a higher cap or a rarer risk never lowers the
/// odds of the same draws), checked at the end; `None` when not even `last` does.
fn smallest<T>(first: u32, last: u32, test: impl Fn(u32) -> (bool, T)) -> Option<(u32, T)> {
    if first > last {
        return None;
    }
    let (ok, mut at) = test(last);
    if !ok {
        return None;
    }
    let (mut low, mut high) = (first, last);
    while low < high {
        let mid = low + (high - low) / 2;
        let (ok, o) = test(mid);
        if ok {
            high = mid;
            at = o;
        } else {
            low = mid + 1;
        }
    }
    // `at` holds the odds of the last passing probe, which is `high`.
    Some((high, at))
}

fn months(n: u32) -> String {
    if n == 1 {
        "1 month".into()
    } else {
        format!("{n} months")
    }
}

fn weeks(n: u32) -> String {
    if n == 1 {
        "1 week".into()
    } else {
        format!("{n} weeks")
    }
}

fn weeks_later(r: &Requirement, n: u32) -> NaiveDate {
    let date = match r {
        Requirement::IsoCertificateBy(d)
        | Requirement::Soc2Type1ReportBy(d)
        | Requirement::Soc2Type2ReportBy(d) => *d,
        Requirement::YearlyBudgetCap(_) => NaiveDate::MIN,
    };
    date.checked_add_days(Days::new(7 * u64::from(n)))
        .unwrap_or(date)
}

/// `s` with every view of it (each plan's own scenario too) changed by `change`.
fn changed(s: &Scenario, change: &dyn Fn(&mut Scenario)) -> Scenario {
    let mut out = s.clone();
    change(&mut out);
    for plan in &mut out.plans {
        if let Some(inputs) = plan.inputs.as_mut() {
            change(std::sync::Arc::make_mut(&mut inputs.0));
        }
    }
    out
}

/// The scenario started in `month`, everything else as it is.
pub fn with_start(s: &Scenario, month: YearMonth) -> Scenario {
    changed(s, &|x| x.programme.start = month)
}

fn with_cap(s: &Scenario, cap: Decimal) -> Scenario {
    changed(s, &|x| x.requirements.yearly_budget_cap = Some(Amount(cap)))
}

fn with_deadline(s: &Scenario, r: Requirement, date: NaiveDate) -> Scenario {
    changed(s, &|x| {
        let slot = match r {
            Requirement::IsoCertificateBy(_) => &mut x.requirements.iso_certificate_by,
            Requirement::Soc2Type1ReportBy(_) => &mut x.requirements.soc2_type1_report_by,
            Requirement::Soc2Type2ReportBy(_) => &mut x.requirements.soc2_type2_report_by,
            Requirement::YearlyBudgetCap(_) => return,
        };
        *slot = Some(Date(date));
    })
}

fn with_risk_probability(s: &Scenario, j: usize, p: f64) -> Scenario {
    let mut out = s.clone();
    if let Some(risk) = out.risks.get_mut(j) {
        risk.probability = p;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn smallest_finds_the_first_passing_value() {
        assert_eq!(smallest(1, 100, |n| (n >= 37, n)), Some((37, 37)));
        assert_eq!(smallest(1, 100, |n| (n >= 1, n)), Some((1, 1)));
        assert_eq!(smallest(1, 100, |n| (n >= 100, n)), Some((100, 100)));
        assert_eq!(smallest(1, 100, |_| (false, 0)), None);
    }
}
