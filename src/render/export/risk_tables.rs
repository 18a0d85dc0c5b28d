//! The risk analysis as CSV: `risk_summary.csv`, `risk_requirements.csv`, `risk_drivers.csv`,
//! and with `--draws-csv`, `risk_draws.csv` (one row per draw and plan). Column names are a
//! contract (docs/outputs.md).
#![allow(clippy::float_arithmetic)] // probabilities and statistics

use super::OutputFile;
use crate::decision::monte_carlo::Draw;
use crate::decision::risk_analysis::{Analysis, MetricKind, Summary, amount, date_of, month_of};
use crate::scenario::Scenario;
use crate::vocabulary::money::csv_amount;

fn table(name: &str, header: &[&str], rows: Vec<Vec<String>>) -> OutputFile {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let _ = writer.write_record(header);
    for row in rows {
        let _ = writer.write_record(&row);
    }
    OutputFile {
        name: name.into(),
        bytes: writer.into_inner().unwrap_or_default(),
    }
}

/// A statistic as a user reads it: money to the cent, a date, or months to one decimal.
fn value(s: &Scenario, kind: MetricKind, v: f64) -> String {
    match kind {
        MetricKind::Money if v.is_finite() => csv_amount(amount(s, v), s.programme.currency),
        MetricKind::Date => date_of(s, v).map_or_else(|| "after_horizon".into(), |d| d.to_string()),
        MetricKind::Months if v.is_finite() => format!("{v:.1}"),
        MetricKind::Month => {
            month_of(s, v).map_or_else(|| "after_horizon".into(), |m| m.to_string())
        }
        _ => String::new(),
    }
}

/// A standard error in the metric's unit: money, days or months.
fn error(s: &Scenario, kind: MetricKind, v: f64) -> String {
    if !v.is_finite() {
        return String::new();
    }
    match kind {
        MetricKind::Money => csv_amount(amount(s, v), s.programme.currency),
        MetricKind::Date => format!("{v:.1}"),
        MetricKind::Months | MetricKind::Month => format!("{v:.2}"),
    }
}

fn summary_row(s: &Scenario, plan: &str, m: &Summary) -> Vec<String> {
    let mut row = vec![plan.to_string(), m.metric.clone(), m.kind.unit().into()];
    // A mean over draws of which some never reach the date is no date: empty (docs/outputs.md).
    row.push(if m.mean.is_finite() {
        value(s, m.kind, m.mean)
    } else {
        String::new()
    });
    row.extend(m.percentiles.iter().map(|p| value(s, m.kind, *p)));
    row.push(error(s, m.kind, m.se_p50));
    row.push(error(s, m.kind, m.se_p80));
    row
}

/// Every risk table of a run.
pub fn all(s: &Scenario, a: &Analysis, draws: &[Draw], with_draws: bool) -> Vec<OutputFile> {
    let mut files = Vec::new();
    let rows = a
        .plans
        .iter()
        .flat_map(|p| p.summaries.iter().map(|m| summary_row(s, &p.plan, m)))
        .collect();
    files.push(table(
        "risk_summary.csv",
        &[
            "plan", "metric", "unit", "mean", "p10", "p50", "p80", "p90", "se_p50", "se_p80",
        ],
        rows,
    ));

    let mut rows = Vec::new();
    for p in &a.plans {
        for (r, probability) in a.requirements.iter().zip(&p.requirement_probability) {
            rows.push(vec![
                p.plan.clone(),
                r.key().to_string(),
                format!("{probability:.4}"),
            ]);
        }
        rows.push(vec![
            p.plan.clone(),
            "all".into(),
            format!("{:.4}", p.all_met_probability),
        ]);
        if let Some(v) = &p.value {
            rows.push(vec![
                p.plan.clone(),
                "positive_net_value".into(),
                format!("{:.4}", v.positive),
            ]);
            if let Some((_, paid)) = v.payback_by {
                rows.push(vec![
                    p.plan.clone(),
                    "payback_by".into(),
                    format!("{paid:.4}"),
                ]);
            }
        }
    }
    files.push(table(
        "risk_requirements.csv",
        &["plan", "requirement", "probability_met"],
        rows,
    ));

    let rows = a
        .plans
        .iter()
        .flat_map(|p| {
            p.drivers.iter().map(move |d| {
                vec![
                    p.plan.clone(),
                    d.name.clone(),
                    d.kind.to_string(),
                    csv_amount(d.money, s.programme.currency),
                    format!("{:.0}", d.days),
                    p.key_date.to_string(),
                    if d.cost_beyond_horizon() { "yes" } else { "" }.to_string(),
                ]
            })
        })
        .collect();
    files.push(table(
        "risk_drivers.csv",
        &[
            "plan",
            "driver",
            "kind",
            "moves_p50_total_cost",
            "moves_p50_key_date_days",
            "key_date",
            "cost_beyond_horizon",
        ],
        rows,
    ));

    if with_draws {
        let inputs = crate::decision::monte_carlo::drawn_inputs(s);
        let mut header: Vec<String> = [
            "draw",
            "plan",
            "total_cost",
            "first_12_months",
            "first_iso_certificate",
            "first_soc2_type1_report",
            "first_soc2_type2_report",
            "covered_months",
            "meets_requirements",
        ]
        .iter()
        .map(|h| h.to_string())
        .collect();
        header.extend(inputs.iter().map(|u| u.key.clone()));
        header.extend((1..=s.risks.len()).map(|j| format!("risk_{j}")));
        let date = |d: Option<chrono::NaiveDate>| d.map_or(String::new(), |d| d.to_string());
        let mut rows = Vec::new();
        for (i, draw) in draws.iter().enumerate() {
            for (p, plan) in draw.plans.iter().zip(&s.plans) {
                let mut row = vec![
                    i.to_string(),
                    plan.name.clone(),
                    csv_amount(p.total, s.programme.currency),
                    csv_amount(p.first_12_months, s.programme.currency),
                    date(p.first_iso_certificate),
                    date(p.first_type1_report),
                    date(p.first_type2_report),
                    p.covered_months.to_string(),
                    p.meets.iter().all(|m| *m).to_string(),
                ];
                row.extend(draw.inputs.iter().map(|v| format!("{v:.4}")));
                row.extend(draw.risks.iter().map(|r| u8::from(*r).to_string()));
                rows.push(row);
            }
        }
        let header: Vec<&str> = header.iter().map(String::as_str).collect();
        files.push(table("risk_draws.csv", &header, rows));
    }
    if let Some((plan, levers)) = &a.levers {
        let rows = levers
            .iter()
            .map(|l| {
                vec![
                    a.plans[*plan].plan.clone(),
                    l.key.to_string(),
                    l.kind.to_string(),
                    l.change.clone(),
                    l.edit.clone(),
                    format!("{:.4}", l.probability),
                    format!("{:.4}", l.all_met),
                ]
            })
            .collect();
        files.push(table(
            "risk_levers.csv",
            &[
                "plan",
                "requirement",
                "lever",
                "change",
                "edit",
                "probability_met",
                "probability_all_met",
            ],
            rows,
        ));
    }
    files
}
