//! The CSV contract: schedule.csv, monthly_costs.csv, cost_curve.csv,
//! budget_by_fiscal_year.csv and summary.csv (column names are fixed; see docs/outputs.md).

use super::{OutputFile, Projected};
use crate::cycle::coverage::MonthCoverage;
use crate::vocabulary::money::csv_amount;
use crate::vocabulary::year_month::date_or;

/// A CSV file of `header` and `rows`, lines ending in `\n`, as every contract CSV is written.
pub(super) fn table(name: &str, header: &[&str], rows: Vec<Vec<String>>) -> OutputFile {
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    // Writing to memory cannot fail.
    let _ = writer.write_record(header);
    for row in rows {
        let _ = writer.write_record(&row);
    }
    OutputFile {
        name: name.to_string(),
        bytes: writer.into_inner().unwrap_or_default(),
    }
}

/// `schedule.csv`: every dated event of every plan.
pub fn schedule(p: Projected) -> OutputFile {
    let mut rows = Vec::new();
    for outcome in p.plans {
        for e in &outcome.schedule.events {
            rows.push(vec![
                outcome.plan.name.clone(),
                e.framework.as_str().to_string(),
                e.cycle.to_string(),
                e.kind.as_str().to_string(),
                e.start.to_string(),
                e.end.to_string(),
                e.audit_days
                    .map(|d| d.normalize().to_string())
                    .unwrap_or_default(),
            ]);
        }
    }
    table(
        "schedule.csv",
        &[
            "plan",
            "framework",
            "cycle",
            "event",
            "start",
            "end",
            "audit_days",
        ],
        rows,
    )
}

/// `monthly_costs.csv`: the ledger in long format, one row per non-zero account.
pub fn monthly_costs(p: Projected) -> OutputFile {
    let currency = p.scenario.programme.currency;
    let calendar = p.scenario.programme.fiscal_calendar();
    let mut rows = Vec::new();
    for outcome in p.plans {
        for (account, amount) in outcome.ledger.entries() {
            rows.push(vec![
                outcome.plan.name.clone(),
                account.month.to_string(),
                calendar.year_of(account.month).to_string(),
                account.owner.as_str().to_string(),
                account.category.as_str().to_string(),
                csv_amount(*amount, currency),
                account.nature.as_str().to_string(),
            ]);
        }
    }
    table(
        "monthly_costs.csv",
        &[
            "plan",
            "month",
            "fiscal_year",
            "framework",
            "category",
            "amount",
            "nature",
        ],
        rows,
    )
}

/// `cost_curve.csv`: every month of the horizon, its total and the running total.
pub fn cost_curve(p: Projected) -> OutputFile {
    let currency = p.scenario.programme.currency;
    let mut rows = Vec::new();
    for outcome in p.plans {
        for ((month, total), (_, cumulative)) in outcome
            .monthly_totals()
            .into_iter()
            .zip(outcome.cumulative_totals())
        {
            rows.push(vec![
                outcome.plan.name.clone(),
                month.to_string(),
                csv_amount(total, currency),
                csv_amount(cumulative, currency),
            ]);
        }
    }
    table(
        "cost_curve.csv",
        &["plan", "month", "total", "cumulative"],
        rows,
    )
}

/// `budget_by_fiscal_year.csv`: per plan and fiscal year, each category with spend, then `total`;
/// `months_in_horizon` says how much of a year the horizon holds.
pub fn budget_by_fiscal_year(p: Projected) -> OutputFile {
    let currency = p.scenario.programme.currency;
    let calendar = p.scenario.programme.fiscal_calendar();
    let years = p.scenario.programme.fiscal_years_in_horizon();
    let mut rows = Vec::new();
    for outcome in p.plans {
        let by_category = outcome.ledger.by_fiscal_year(calendar);
        let totals = outcome.ledger.fiscal_year_totals(calendar);
        for span in &years {
            let year = span.year;
            let months = span.months_in_horizon().to_string();
            for ((y, category), amount) in &by_category {
                if *y == year {
                    rows.push(vec![
                        outcome.plan.name.clone(),
                        year.to_string(),
                        category.as_str().to_string(),
                        csv_amount(*amount, currency),
                        months.clone(),
                    ]);
                }
            }
            rows.push(vec![
                outcome.plan.name.clone(),
                year.to_string(),
                "total".to_string(),
                csv_amount(totals.get(&year).copied().unwrap_or_default(), currency),
                months,
            ]);
        }
    }
    table(
        "budget_by_fiscal_year.csv",
        &[
            "plan",
            "fiscal_year",
            "category",
            "amount",
            "months_in_horizon",
        ],
        rows,
    )
}

/// `summary.csv`: one row per plan.
pub fn summary(p: Projected) -> OutputFile {
    let currency = p.scenario.programme.currency;
    let rows = p
        .plans
        .iter()
        .map(|o| {
            vec![
                o.plan.name.clone(),
                csv_amount(o.total_cost(), currency),
                date_or(o.first_iso_certificate(), ""),
                date_or(o.first_soc2_report(), ""),
                o.months_with(MonthCoverage::Covered).to_string(),
                o.months_with(MonthCoverage::Uncovered).to_string(),
                o.months_with(MonthCoverage::Building).to_string(),
                date_or(o.first_soc2_type2_report(), ""),
            ]
        })
        .collect();
    table(
        "summary.csv",
        &[
            "plan",
            "total_cost",
            "first_iso_certificate",
            "first_soc2_report",
            "covered_months",
            "uncovered_months",
            "building_months",
            "first_soc2_type2_report",
        ],
        rows,
    )
}

/// All five CSV files.
pub fn all(p: Projected) -> Vec<OutputFile> {
    vec![
        schedule(p),
        monthly_costs(p),
        cost_curve(p),
        budget_by_fiscal_year(p),
        summary(p),
    ]
}
