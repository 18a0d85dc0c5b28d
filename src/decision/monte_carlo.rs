//! Monte Carlo over the programme: each draw takes a value for every range and plays every risk
//! event through the certification cycle, then projects and prices every plan with the same
//! draw (so that plans are compared on the same luck). Draw `i` uses its own random stream
//! (ChaCha8, stream `i` of the seed), so a seed gives the same numbers whatever the number of
//! threads; draws run in parallel and are gathered in order.
#![allow(clippy::float_arithmetic)] // probabilities and statistics; money a user reads stays Decimal

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;
use rust_decimal::Decimal;
use rust_decimal::prelude::{FromPrimitive, ToPrimitive};

use crate::decision::projection;
use crate::scenario::risk::{IsoRisks, Risk, RiskEvent, Soc2Risks};
use crate::scenario::uncertainty::{self, Unit};
use crate::scenario::{Plan, Scenario};
use crate::vocabulary::fiscal_year::FiscalYear;
use crate::vocabulary::framework::Framework;

/// Draws when `--draws` is not given.
pub const DEFAULT_DRAWS: usize = 10_000;
/// The seed when `--seed` is not given: reruns give the same bytes.
pub const DEFAULT_SEED: u64 = 27_001;
/// Most draws one run makes.
pub const MAX_DRAWS: usize = 1_000_000;

/// One plan in one draw.
#[derive(Clone, Debug)]
pub struct PlanDraw {
    pub total: Decimal,
    /// Per fiscal year of the horizon, in order.
    pub by_year: Vec<Decimal>,
    pub first_12_months: Decimal,
    pub first_iso_certificate: Option<NaiveDate>,
    pub first_type1_report: Option<NaiveDate>,
    pub first_type2_report: Option<NaiveDate>,
    pub covered_months: u32,
    /// Cumulative cost at the end of each month (statistics only).
    pub cumulative: Vec<f64>,
    /// Per requirement of the scenario, in order.
    pub meets: Vec<bool>,
    /// The first Type II report has exceptions.
    pub exceptions: bool,
    /// With `[[demand]]`: what the plan earns in this draw, deals won or lost by its drawn dates.
    pub value: Option<DrawValue>,
}

/// A plan's business case in one draw.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct DrawValue {
    /// Expected revenue unlocked minus cost over the horizon.
    pub net: Decimal,
    /// Its present value, with `[finance] discount_rate`.
    pub npv: Option<Decimal>,
    /// The month from which the cumulative net position stays at or above zero.
    pub payback: Option<crate::vocabulary::year_month::YearMonth>,
}

/// One draw: the values drawn and what every plan came to.
#[derive(Clone, Debug)]
pub struct Draw {
    /// Per uncertain input of the scenario (risk sizes excluded), in order.
    pub inputs: Vec<f64>,
    /// Per risk of the scenario: whether it happened.
    pub risks: Vec<bool>,
    pub plans: Vec<PlanDraw>,
}

/// The scenario's requirements as the draws check them.
#[derive(Clone, Debug)]
struct Checks {
    iso_by: Option<NaiveDate>,
    type1_by: Option<NaiveDate>,
    type2_by: Option<NaiveDate>,
    cap: Option<Decimal>,
}

fn checks(s: &Scenario) -> Checks {
    let r = &s.requirements;
    Checks {
        iso_by: r.iso_certificate_by.map(|d| d.0),
        type1_by: r.soc2_type1_report_by.map(|d| d.0),
        type2_by: r.soc2_type2_report_by.map(|d| d.0),
        cap: r.yearly_budget_cap.map(|c| c.0),
    }
}

/// The sizes of one risk in one draw.
#[derive(Clone, Copy)]
struct Sizes {
    months: u32,
    cost: Decimal,
    rise: Decimal,
    follow_up_days: Decimal,
}

fn decimal(v: f64) -> Decimal {
    Decimal::from_f64(v).unwrap_or_default()
}

/// The scenario a draw starts from: the base case without what only reading needs.
fn template(s: &Scenario) -> Scenario {
    Scenario {
        plans: Vec::new(),
        warnings: Vec::new(),
        given: Default::default(),
        given_lines: Default::default(),
        uncertain: Vec::new(),
        risks: Vec::new(),
        ..s.clone()
    }
}

/// Applies the risks that happened and apply to `plan` to the engine's risk state.
fn apply_risks(s: &mut Scenario, plan: &Plan, happened: &[(&Risk, Sizes)]) {
    let mut iso = IsoRisks::default();
    let mut soc2 = Soc2Risks::default();
    for (risk, size) in happened.iter().filter(|(r, _)| r.applies_to(&plan.name)) {
        let currency = s.programme.currency;
        let cost = crate::vocabulary::money::round_to_minor(size.cost, currency);
        match risk.event {
            RiskEvent::Stage2MajorNonconformity => {
                iso.stage2_nonconformity = Some((size.months, size.follow_up_days));
            }
            RiskEvent::SurveillanceMajorNonconformity => {
                iso.surveillance_nonconformity = Some(size.months);
            }
            RiskEvent::CertificationBodyBookedOut => iso.stage1_delay_months += size.months,
            RiskEvent::CpaFirmBookedOut => soc2.first_report_delay_months += size.months,
            RiskEvent::Soc2ReadinessOverrun => soc2.readiness_extra_months += size.months,
            RiskEvent::Soc2ReportExceptions => {
                soc2.exceptions = Some(soc2.exceptions.unwrap_or_default() + cost);
            }
            RiskEvent::KeyPersonLoss => {
                if plan.includes(Framework::Iso27001) {
                    iso.implementation_extra_months += size.months;
                    iso.hiring_cost += cost;
                } else {
                    soc2.readiness_extra_months += size.months;
                    soc2.hiring_cost += cost;
                }
            }
            RiskEvent::FeeRiseAtRenewal => {
                iso.renewal_fee_rise += size.rise;
                soc2.renewal_fee_rise += size.rise;
            }
        }
    }
    if let Some(i) = s.iso27001.as_mut() {
        i.risks = iso;
    }
    if let Some(c) = s.soc2.as_mut() {
        c.risks = soc2;
    }
}

/// Projects one plan of a draw and measures it.
/// `whole` is the scenario as read, whose `[[demand]]` every plan's business case reads.
fn measure(
    whole: &Scenario,
    s: &Scenario,
    plan: &Plan,
    checks: &Checks,
    years: &[FiscalYear],
) -> PlanDraw {
    let o = projection::project_plan_unordered(s, plan);
    let monthly = o.monthly_totals();
    let calendar = s.programme.fiscal_calendar();
    let mut by_year = vec![Decimal::ZERO; years.len()];
    let mut year = 0;
    for (month, amount) in &monthly {
        let fy = calendar.year_of(*month);
        while year + 1 < years.len() && years[year] != fy {
            year += 1;
        }
        if let Some(slot) = by_year.get_mut(year) {
            *slot += *amount;
        }
    }
    let first_12_months = monthly.iter().take(12).map(|(_, a)| *a).sum();
    let mut running = 0.0;
    let cumulative = monthly
        .iter()
        .map(|(_, a)| {
            running += a.to_f64().unwrap_or(0.0);
            running
        })
        .collect();
    let first_iso_certificate = o.first_iso_certificate();
    let first_type1_report = o.first_soc2_type1_report();
    let first_type2_report = o.first_soc2_type2_report();
    let by = |date: Option<NaiveDate>, deadline: Option<NaiveDate>| {
        deadline.map(|d| date.is_some_and(|date| date <= d))
    };
    let meets: Vec<bool> = [
        by(first_iso_certificate, checks.iso_by),
        by(first_type1_report, checks.type1_by),
        by(first_type2_report, checks.type2_by),
        checks.cap.map(|cap| by_year.iter().all(|y| *y <= cap)),
    ]
    .into_iter()
    .flatten()
    .collect();
    PlanDraw {
        total: monthly.iter().map(|(_, a)| *a).sum(),
        by_year,
        first_12_months,
        first_iso_certificate,
        first_type1_report,
        first_type2_report,
        covered_months: o.months_with(crate::cycle::coverage::MonthCoverage::Covered) as u32,
        cumulative,
        meets,
        exceptions: s
            .soc2
            .as_ref()
            .is_some_and(|c| c.risks.exceptions.is_some())
            && plan.includes(Framework::Soc2),
        value: crate::decision::business_case::business_case(whole, &o).map(|b| DrawValue {
            net: b.net_total,
            npv: b.npv_net,
            payback: b.payback,
        }),
    }
}

/// What one draw drew: the scenario with its inputs set, the values drawn for the inputs, which
/// risks happened, and their sizes.
struct Drawn<'a> {
    scenario: Scenario,
    inputs: Vec<f64>,
    risks: Vec<bool>,
    happened: Vec<(&'a Risk, Sizes)>,
    /// Every risk's sizes in this draw, whether it happened or not.
    sizes: Vec<Sizes>,
}

/// Every plan of draw `index` of `seed`, projected in full (for tests and checks of the cycle
/// rules in every draw).
pub fn outcomes_of_draw(s: &Scenario, index: usize, seed: u64) -> Vec<projection::PlanOutcome> {
    let templates = Templates::of(s);
    let mut drawn = draw(s, &templates.whole, index, seed);
    s.plans
        .iter()
        .enumerate()
        .map(|(i, plan)| {
            let mut own = templates.for_plan(s, i, &drawn.inputs);
            let scenario = own.as_mut().unwrap_or(&mut drawn.scenario);
            apply_risks(scenario, plan, &drawn.happened);
            let mut outcome = projection::project_plan_unordered(scenario, plan);
            outcome.ledger = outcome.ledger.finished();
            outcome
        })
        .collect()
}

/// The scenarios draws start from: the whole one, and each plan's that overrides inputs.
struct Templates {
    whole: Scenario,
    plans: Vec<Option<Scenario>>,
}

impl Templates {
    fn of(s: &Scenario) -> Self {
        Templates {
            whole: template(s),
            plans: s
                .plans
                .iter()
                .map(|p| p.inputs.as_ref().map(|i| template(&i.0)))
                .collect(),
        }
    }

    /// Plan `i`'s scenario in a draw that drew `values` (one per [`drawn_inputs`]), when the
    /// plan overrides inputs: the draw's values for every key the plan does not set, and the
    /// draw's values of the ranges the plan (or its base) sets itself.
    fn for_plan(&self, s: &Scenario, i: usize, values: &[f64]) -> Option<Scenario> {
        let mut scenario = self.plans.get(i)?.clone()?;
        let plan = &s.plans[i];
        for (u, value) in drawn_inputs(s).into_iter().zip(values) {
            match plan_key(&u.key) {
                Some((n, key)) => {
                    let set_by_this_chain = plan.overrides.iter().any(|o| {
                        o.key == key && s.plans.get(n).is_some_and(|p| p.name == o.set_by)
                    });
                    if set_by_this_chain {
                        uncertainty::set(&mut scenario, key, *value);
                    }
                }
                None if !plan.overrides_key(&u.key) => {
                    uncertainty::set(&mut scenario, &u.key, *value);
                }
                None => {}
            }
        }
        Some(scenario)
    }
}

/// `plan[3].iso27001.day_rate` → (2, `iso27001.day_rate`): a range a plan sets for itself.
pub fn plan_key(key: &str) -> Option<(usize, &str)> {
    let rest = key.strip_prefix("plan[")?;
    let (n, key) = rest.split_once("].")?;
    Some((n.parse::<usize>().ok()?.checked_sub(1)?, key))
}

/// One draw: stream `index` of `seed`.
fn simulate(
    s: &Scenario,
    templates: &Templates,
    index: usize,
    seed: u64,
    checks: &Checks,
    years: &[FiscalYear],
) -> Draw {
    let mut drawn = draw(s, &templates.whole, index, seed);
    let plans = s
        .plans
        .iter()
        .enumerate()
        .map(|(i, plan)| {
            let mut own = templates.for_plan(s, i, &drawn.inputs);
            let scenario = own.as_mut().unwrap_or(&mut drawn.scenario);
            apply_risks(scenario, plan, &drawn.happened);
            measure(s, scenario, plan, checks, years)
        })
        .collect();
    Draw {
        inputs: drawn.inputs,
        risks: drawn.risks,
        plans,
    }
}

/// Draws every range and every risk of stream `index` of `seed`, in a fixed order.
fn draw<'a>(s: &'a Scenario, template: &Scenario, index: usize, seed: u64) -> Drawn<'a> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(index as u64);
    let mut draw_scenario = template.clone();
    let mut inputs = Vec::new();
    let mut risk_sizes: BTreeMap<String, f64> = BTreeMap::new();
    for u in &s.uncertain {
        let value = u.estimate.draw(&mut rng);
        if u.key.starts_with("risk[") {
            risk_sizes.insert(u.key.clone(), value);
        } else {
            uncertainty::set(&mut draw_scenario, &u.key, value);
            inputs.push(value);
        }
    }
    let mut happened = Vec::new();
    let mut risks = Vec::new();
    let mut sizes = Vec::new();
    for (j, risk) in s.risks.iter().enumerate() {
        let occurs = rng.random::<f64>() < risk.probability;
        risks.push(occurs);
        let size = |name: &str| risk_sizes.get(&format!("risk[{}].{name}", j + 1)).copied();
        let months = size("months").map_or(risk.months, |m| {
            (m + 0.5).floor().clamp(0.0, 36.0).to_u32().unwrap_or(0)
        });
        let sized = Sizes {
            months,
            cost: size("cost").map_or(risk.cost, |c| decimal(c.max(0.0))),
            rise: size("rise").map_or(risk.rise, |r| decimal(r.max(0.0))),
            follow_up_days: size("follow_up_days").map_or(risk.follow_up_days, |d| {
                decimal(((d * 2.0).round() / 2.0).max(0.5))
            }),
        };
        if occurs {
            happened.push((risk, sized));
        }
        sizes.push(sized);
    }
    Drawn {
        scenario: draw_scenario,
        inputs,
        risks,
        happened,
        sizes,
    }
}

/// One driver forced in a re-run of a draw: a risk forced to happen or not, or an input (by
/// its place in [`drawn_inputs`]) held at a value.
#[derive(Copy, Clone, Debug)]
pub enum Forced {
    Risk(usize, bool),
    Input(usize, f64),
}

/// Plan `plan_index` of draw `index` of `seed` re-run with one driver forced, every other value
/// as the draw drew it: the same luck, so a driver that cannot touch the plan changes nothing.
pub fn forced_draw(
    s: &Scenario,
    index: usize,
    seed: u64,
    plan_index: usize,
    forced: Forced,
) -> PlanDraw {
    let templates = Templates::of(s);
    let checks = checks(s);
    let years = s.programme.fiscal_years();
    let mut drawn = draw(s, &templates.whole, index, seed);
    match forced {
        Forced::Risk(j, on) => {
            let mut happened = Vec::new();
            for (k, risk) in s.risks.iter().enumerate() {
                let occurs = if k == j { on } else { drawn.risks[k] };
                if occurs {
                    happened.push((risk, drawn.sizes[k]));
                }
            }
            drawn.happened = happened;
        }
        Forced::Input(k, value) => {
            if let Some(u) = drawn_inputs(s).get(k) {
                uncertainty::set(&mut drawn.scenario, &u.key, value);
            }
            if let Some(slot) = drawn.inputs.get_mut(k) {
                *slot = value;
            }
        }
    }
    let plan = &s.plans[plan_index];
    let mut own = templates.for_plan(s, plan_index, &drawn.inputs);
    let scenario = own.as_mut().unwrap_or(&mut drawn.scenario);
    apply_risks(scenario, plan, &drawn.happened);
    measure(s, scenario, plan, &checks, &years)
}

/// Every draw of a run, in draw order. `progress` is told of each finished draw.
pub fn run(s: &Scenario, draws: usize, seed: u64, progress: &(dyn Fn() + Sync)) -> Vec<Draw> {
    let templates = Templates::of(s);
    let checks = checks(s);
    let years = s.programme.fiscal_years();
    (0..draws)
        .into_par_iter()
        .map(|i| {
            let draw = simulate(s, &templates, i, seed, &checks, &years);
            progress();
            draw
        })
        .collect()
}

/// The odds that plan `plan` meets each requirement, and all of them, over `draws` draws of
/// `seed`: the same draws as [`run`] makes, for that plan alone (what `decision::levers` re-runs).
pub fn odds_of_plan(
    s: &Scenario,
    plan: usize,
    draws: usize,
    seed: u64,
) -> crate::decision::levers::Odds {
    let templates = Templates::of(s);
    let checks = checks(s);
    let years = s.programme.fiscal_years();
    let Some(p) = s.plans.get(plan) else {
        return crate::decision::levers::Odds {
            each: Vec::new(),
            all: 0.0,
        };
    };
    let meets: Vec<Vec<bool>> = (0..draws)
        .into_par_iter()
        .map(|i| {
            let mut drawn = draw(s, &templates.whole, i, seed);
            let mut own = templates.for_plan(s, plan, &drawn.inputs);
            let scenario = own.as_mut().unwrap_or(&mut drawn.scenario);
            apply_risks(scenario, p, &drawn.happened);
            measure(s, scenario, p, &checks, &years).meets
        })
        .collect();
    let n = draws.max(1) as f64;
    let count = |f: &dyn Fn(&Vec<bool>) -> bool| meets.iter().filter(|m| f(m)).count() as f64 / n;
    let requirements = meets.first().map_or(0, Vec::len);
    crate::decision::levers::Odds {
        each: (0..requirements).map(|r| count(&|m| m[r])).collect(),
        all: count(&|m| m.iter().all(|x| *x)),
    }
}

/// The uncertain inputs a run draws (risk sizes excluded), in draw order.
pub fn drawn_inputs(s: &Scenario) -> Vec<&uncertainty::Uncertain> {
    s.uncertain
        .iter()
        .filter(|u| !u.key.starts_with("risk["))
        .collect()
}

/// The unit of an input, for people.
pub fn unit_label(unit: Unit) -> &'static str {
    unit.as_str()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cycle::schedule::EventKind;

    const BASE: &str = "[programme]\nname = \"x\"\nstart = \"2027-01\"\nhorizon_months = 48\ncurrency = \"EUR\"\nheadcount = 40\n[iso27001]\n[soc2]\n";

    fn load(text: &str) -> Scenario {
        crate::scenario::from_text(std::path::Path::new("t.toml"), text).unwrap()
    }

    #[test]
    fn without_ranges_or_risks_every_draw_is_the_base_case() {
        let s = load(BASE);
        let base: Vec<Decimal> = crate::decision::projection::project(&s)
            .iter()
            .map(|o| o.total_cost())
            .collect();
        for draw in run(&s, 20, 1, &|| {}) {
            let totals: Vec<Decimal> = draw.plans.iter().map(|p| p.total).collect();
            assert_eq!(totals, base);
        }
    }

    #[test]
    fn a_seed_gives_the_same_draws_whatever_the_threads() {
        let s = load(&BASE.replace(
            "[iso27001]\n",
            "[iso27001]\nimplementation_months = { low = 2, likely = 4, high = 9 }\n",
        ));
        let one = rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .build()
            .unwrap()
            .install(|| run(&s, 200, 42, &|| {}));
        let two = rayon::ThreadPoolBuilder::new()
            .num_threads(2)
            .build()
            .unwrap()
            .install(|| run(&s, 200, 42, &|| {}));
        for (a, b) in one.iter().zip(&two) {
            assert_eq!(a.inputs, b.inputs);
            let ta: Vec<Decimal> = a.plans.iter().map(|p| p.total).collect();
            let tb: Vec<Decimal> = b.plans.iter().map(|p| p.total).collect();
            assert_eq!(ta, tb);
        }
        let other = run(&s, 200, 43, &|| {});
        assert_ne!(
            one.iter().map(|d| d.inputs[0]).collect::<Vec<_>>(),
            other.iter().map(|d| d.inputs[0]).collect::<Vec<_>>()
        );
    }

    #[test]
    fn a_stage2_nonconformity_open_over_six_months_means_a_new_stage2() {
        let text = format!(
            "{BASE}[[risk]]\nevent = \"stage2_major_nonconformity\"\nprobability = 1\nmonths = 8\n[[plan]]\nname = \"iso\"\nframeworks = [{{ name = \"iso27001\" }}]\n"
        );
        let s = load(&text);
        let mut draw_scenario = template(&s);
        let risk = &s.risks[0];
        apply_risks(
            &mut draw_scenario,
            &s.plans[0],
            &[(
                risk,
                Sizes {
                    months: 8,
                    cost: Decimal::ZERO,
                    rise: Decimal::ZERO,
                    follow_up_days: Decimal::ONE,
                },
            )],
        );
        let o = crate::decision::projection::project_plan(&draw_scenario, &s.plans[0]);
        let stage2: Vec<_> = o
            .schedule
            .events
            .iter()
            .filter(|e| e.kind == EventKind::Stage2Audit)
            .collect();
        assert_eq!(stage2.len(), 2, "a new Stage 2");
        let base = crate::decision::projection::project_plan(&s, &s.plans[0]);
        let delay =
            (o.first_iso_certificate().unwrap() - base.first_iso_certificate().unwrap()).num_days();
        assert!(
            (230..=260).contains(&delay),
            "about 8 months later: {delay} days"
        );
        assert!(
            o.total_cost() > base.total_cost(),
            "the second Stage 2 costs"
        );

        // Within 6 months: a follow-up audit, the decision later.
        apply_risks(
            &mut draw_scenario,
            &s.plans[0],
            &[(
                risk,
                Sizes {
                    months: 2,
                    cost: Decimal::ZERO,
                    rise: Decimal::ZERO,
                    follow_up_days: Decimal::ONE,
                },
            )],
        );
        let o = crate::decision::projection::project_plan(&draw_scenario, &s.plans[0]);
        assert!(
            o.schedule
                .events
                .iter()
                .any(|e| e.kind == EventKind::FollowUpAudit)
        );
    }
}
