//! `comparison.csv`: one row per plan, the numbers `compare` prints (see docs/outputs.md).

use super::OutputFile;
use crate::decision::comparison::{Comparison, shortfall};
use crate::decision::requirement::Outcome;
use crate::vocabulary::currency::Currency;
use crate::vocabulary::money::csv_amount;
use crate::vocabulary::year_month::date_or;

/// A verdict as one CSV cell: `met`, `missed`, `not_reached`, `not_pursued` or `over`.
pub fn outcome_code(outcome: &Outcome) -> &'static str {
    match outcome {
        Outcome::Met { .. } => "met",
        Outcome::MissedByDays { .. } => "missed",
        Outcome::NotReached => "not_reached",
        Outcome::NotPursued => "not_pursued",
        Outcome::OverBy { .. } => "over",
    }
}

pub fn comparison_csv(c: &Comparison, currency: Currency) -> OutputFile {
    let mut header: Vec<String> = [
        "plan",
        "total_cost",
        "first_year_cost",
        "run_cost_per_year",
        "first_iso_certificate",
        "first_soc2_type1_report",
        "first_soc2_type2_report",
        "covered_months",
        "uncovered_months",
        "building_months",
        "separate_total",
        "saving",
        "saving_shared_controls",
        "saving_shared_recurring",
        "saving_combined_audit_discount",
        "meets_requirements",
        "recommended",
    ]
    .map(String::from)
    .to_vec();
    for year in &c.fiscal_years {
        header.push(format!("cost_{year}"));
    }
    for r in &c.requirements {
        header.push(format!("requirement_{}", r.key()));
        header.push(format!("requirement_{}_detail", r.key()));
    }
    // Present values and the business case: columns only when the scenario asks for them, so
    // that a scenario without [finance] or [[demand]] gives the same file as before.
    let discounted = c.plans.iter().any(|p| p.npv_cost.is_some());
    let business = c.plans.iter().any(|p| p.business.is_some());
    if discounted {
        header.push("npv_cost".into());
    }
    if business {
        header
            .extend(["expected_revenue", "expected_net_value", "payback_month"].map(String::from));
        if discounted {
            header.push("npv_net_value".into());
        }
        for year in &c.fiscal_years {
            header.push(format!("net_{year}"));
        }
        if let Some(b) = c.plans.iter().find_map(|p| p.business.as_ref()) {
            for i in 1..=b.unlocks.len() {
                header.push(format!("demand_{i}_unlocked"));
                header.push(format!("demand_{i}_expected_revenue"));
            }
            // Deals with a `needed_by`: whether each plan is in time, after every other column.
            for (i, u) in b.unlocks.iter().enumerate() {
                if u.timing.is_some() {
                    header.push(format!("demand_{}_timing", i + 1));
                }
            }
        }
    }
    let money = |d: rust_decimal::Decimal| csv_amount(d, currency);
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    let _ = writer.write_record(&header);
    for (i, p) in c.plans.iter().enumerate() {
        let mut row = vec![
            p.plan.clone(),
            money(p.total),
            money(p.first_year),
            p.run_rate.map(money).unwrap_or_default(),
            date_or(p.first_iso_certificate, ""),
            date_or(p.first_soc2_type1_report, ""),
            date_or(p.first_soc2_type2_report, ""),
            p.covered_months.to_string(),
            p.uncovered_months.to_string(),
            p.building_months.to_string(),
        ];
        match &p.saving {
            Some(s) => row.extend([
                money(s.separate_total),
                money(s.saving),
                money(s.shared_controls),
                money(s.shared_recurring),
                money(s.combined_audit_discount),
            ]),
            None => row.extend(std::iter::repeat_n(String::new(), 5)),
        }
        row.push(p.meets_all().to_string());
        row.push((c.recommendation.plan == Some(i)).to_string());
        for (_, amount) in &p.by_fiscal_year {
            row.push(money(*amount));
        }
        for v in &p.verdicts {
            row.push(outcome_code(&v.outcome).to_string());
            row.push(shortfall(v, currency).unwrap_or_else(|| "met".to_string()));
        }
        if discounted {
            row.push(p.npv_cost.map(money).unwrap_or_default());
        }
        if let Some(b) = &p.business {
            row.push(money(b.revenue_total));
            row.push(money(b.net_total));
            row.push(b.payback.map(|m| m.to_string()).unwrap_or_default());
            if discounted {
                row.push(b.npv_net.map(money).unwrap_or_default());
            }
            for (_, _, _, net) in &b.by_fiscal_year {
                row.push(money(*net));
            }
            for u in &b.unlocks {
                row.push(date_or(u.unlocked, ""));
                row.push(money(u.expected_revenue));
            }
            for u in &b.unlocks {
                if let Some(t) = u.timing {
                    row.push(t.as_str().to_string());
                }
            }
        }
        let _ = writer.write_record(&row);
    }
    OutputFile {
        name: "comparison.csv".into(),
        bytes: writer.into_inner().unwrap_or_default(),
    }
}
