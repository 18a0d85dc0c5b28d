//! A portfolio: several scenarios of one run rolled up (a group with subsidiaries, a
//! consultancy with clients). Each scenario contributes its recommended plan (the cheapest that
//! meets its requirements), or its cheapest plan when none meets them, and the roll-up adds
//! them by fiscal year. Scenarios roll up only when their currencies and fiscal calendars match.

use std::collections::BTreeMap;
use std::path::Path;

use rust_decimal::Decimal;

use crate::decision::comparison::Comparison;
use crate::decision::projection::PlanOutcome;
use crate::render::export::OutputFile;
use crate::render::terminal::{Align, table, truncate};
use crate::scenario::Scenario;
use crate::vocabulary::fiscal_year::FiscalYear;
use crate::vocabulary::money::{csv_amount, display_amount};

/// One scenario of the portfolio, projected and compared.
pub struct Member<'a> {
    pub source: &'a Path,
    pub scenario: &'a Scenario,
    pub plans: &'a [PlanOutcome],
    pub comparison: &'a Comparison,
}

/// One scenario's line in the roll-up.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Line {
    pub scenario: String,
    pub plan: String,
    /// Whether the plan is the scenario's recommendation (else its cheapest, none meeting
    /// every requirement).
    pub recommended: bool,
    pub by_year: BTreeMap<FiscalYear, Decimal>,
    pub total: Decimal,
}

/// The portfolio's budget: each scenario's chosen plan by fiscal year, and their sums.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rollup {
    pub name: String,
    pub currency: crate::vocabulary::currency::Currency,
    pub years: Vec<FiscalYear>,
    pub lines: Vec<Line>,
    pub by_year: BTreeMap<FiscalYear, Decimal>,
    pub total: Decimal,
}

/// Why these scenarios cannot be added up, if they cannot.
pub fn check_compatible(members: &[(&Path, &Scenario)]) -> Result<(), String> {
    let Some((first_path, first)) = members.first() else {
        return Ok(());
    };
    for (path, s) in &members[1..] {
        if s.programme.currency != first.programme.currency {
            return Err(format!(
                "{} is in {} but {} is in {}: a portfolio adds amounts of one currency",
                crate::vocabulary::error::shown(first_path),
                first.programme.currency,
                crate::vocabulary::error::shown(path),
                s.programme.currency
            ));
        }
        if s.programme.fiscal_calendar() != first.programme.fiscal_calendar() {
            return Err(format!(
                "{} and {} have different fiscal years (fiscal_year_start_month, \
                 fiscal_year_naming): a portfolio adds budgets of the same years",
                crate::vocabulary::error::shown(first_path),
                crate::vocabulary::error::shown(path)
            ));
        }
    }
    Ok(())
}

/// Adds up each member's chosen plan by fiscal year; `None` for no members.
pub fn roll_up(name: &str, members: &[Member]) -> Option<Rollup> {
    let currency = members.first()?.scenario.programme.currency;
    let mut lines = Vec::new();
    let mut by_year: BTreeMap<FiscalYear, Decimal> = BTreeMap::new();
    for m in members {
        let cheapest = (0..m.comparison.plans.len())
            .min_by(|a, b| {
                m.comparison.plans[*a]
                    .total
                    .cmp(&m.comparison.plans[*b].total)
                    .then(a.cmp(b))
            })
            .unwrap_or(0);
        let chosen = m.comparison.recommendation.plan.unwrap_or(cheapest);
        let Some(outcome) = m.plans.get(chosen) else {
            continue;
        };
        let years = outcome
            .ledger
            .fiscal_year_totals(m.scenario.programme.fiscal_calendar());
        for (year, amount) in &years {
            *by_year.entry(*year).or_default() += *amount;
        }
        lines.push(Line {
            scenario: m.scenario.programme.name.clone(),
            plan: outcome.plan.name.clone(),
            recommended: m.comparison.recommendation.plan.is_some(),
            total: outcome.total_cost(),
            by_year: years,
        });
    }
    let total = lines.iter().map(|l| l.total).sum();
    Some(Rollup {
        name: name.to_string(),
        currency,
        years: by_year.keys().copied().collect(),
        lines,
        by_year,
        total,
    })
}

/// `portfolio.csv`: a row per scenario (its chosen plan) and a `total` row; a column per fiscal
/// year, then the total.
pub fn files(r: &Rollup) -> Vec<OutputFile> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let mut header = vec![
        "scenario".to_string(),
        "plan".to_string(),
        "chosen".to_string(),
    ];
    header.extend(r.years.iter().map(|y| format!("cost_{y}")));
    header.push("total_cost".into());
    let _ = writer.write_record(&header);
    for l in &r.lines {
        let mut row = vec![
            l.scenario.clone(),
            l.plan.clone(),
            if l.recommended {
                "recommended".into()
            } else {
                "cheapest (none meets every requirement)".into()
            },
        ];
        row.extend(
            r.years
                .iter()
                .map(|y| csv_amount(l.by_year.get(y).copied().unwrap_or_default(), r.currency)),
        );
        row.push(csv_amount(l.total, r.currency));
        let _ = writer.write_record(&row);
    }
    let mut row = vec!["total".to_string(), String::new(), String::new()];
    row.extend(
        r.years
            .iter()
            .map(|y| csv_amount(r.by_year.get(y).copied().unwrap_or_default(), r.currency)),
    );
    row.push(csv_amount(r.total, r.currency));
    let _ = writer.write_record(&row);
    vec![OutputFile {
        name: "portfolio.csv".into(),
        bytes: writer.into_inner().unwrap_or_default(),
    }]
}

/// The roll-up as the terminal shows it: fiscal years down, then the total per scenario.
pub fn text(r: &Rollup, width: usize) -> String {
    let money = |d: Decimal| display_amount(d, r.currency);
    let mut out = format!(
        "Portfolio {}: {} scenarios in {}\n\n",
        r.name,
        r.lines.len(),
        r.currency
    );
    let rows: Vec<Vec<String>> = r
        .lines
        .iter()
        .map(|l| {
            vec![
                truncate(&l.scenario, 28),
                truncate(&l.plan, 20),
                money(l.total),
            ]
        })
        .chain([vec!["Total".into(), String::new(), money(r.total)]])
        .collect();
    out.push_str(&table(
        &[
            ("Scenario", Align::Left),
            ("Plan", Align::Left),
            ("Total", Align::Right),
        ],
        &rows,
        width,
    ));
    out.push('\n');
    let rows: Vec<Vec<String>> = r
        .years
        .iter()
        .map(|y| {
            vec![
                y.to_string(),
                money(r.by_year.get(y).copied().unwrap_or_default()),
            ]
        })
        .collect();
    out.push_str(&table(
        &[("Fiscal year", Align::Left), ("Portfolio", Align::Right)],
        &rows,
        width,
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(text: &str) -> Scenario {
        crate::scenario::from_text(Path::new("t.toml"), text).unwrap()
    }

    const A: &str = "[programme]\nname = \"A\"\nstart = \"2027-01\"\nhorizon_months = 24\ncurrency = \"EUR\"\nheadcount = 40\n[soc2]\n";

    #[test]
    fn the_roll_up_adds_each_scenarios_chosen_plan_by_fiscal_year() {
        let a = load(A);
        let b = load(&A.replace("\"A\"", "\"B\"").replace("2027-01", "2027-07"));
        let members: Vec<(Vec<PlanOutcome>, Comparison)> = [&a, &b]
            .iter()
            .map(|s| {
                let plans = crate::decision::projection::project(s);
                let c = crate::decision::comparison::compare(s, &plans);
                (plans, c)
            })
            .collect();
        let m: Vec<Member> = [&a, &b]
            .iter()
            .zip(&members)
            .map(|(s, (plans, c))| Member {
                source: Path::new("x"),
                scenario: s,
                plans,
                comparison: c,
            })
            .collect();
        let r = roll_up("group", &m).unwrap();
        assert_eq!(r.lines.len(), 2);
        assert_eq!(r.total, r.lines[0].total + r.lines[1].total);
        let by_year: Decimal = r.by_year.values().copied().sum();
        assert_eq!(by_year, r.total);
        assert_eq!(r.years.len(), 3, "2027, 2028 and 2029");
    }

    #[test]
    fn different_currencies_or_fiscal_years_do_not_roll_up() {
        let a = load(A);
        let usd = load(&A.replace("EUR", "USD"));
        let april = load(&A.replace("headcount", "fiscal_year_start_month = 4\nheadcount"));
        let err = check_compatible(&[(Path::new("a"), &a), (Path::new("b"), &usd)]).unwrap_err();
        assert!(err.contains("EUR") && err.contains("USD"), "{err}");
        let err = check_compatible(&[(Path::new("a"), &a), (Path::new("c"), &april)]).unwrap_err();
        assert!(err.contains("fiscal years"), "{err}");
        assert!(check_compatible(&[(Path::new("a"), &a), (Path::new("a2"), &a)]).is_ok());
    }
}
