//! The outputs of `certplan track`: variance.csv, forecast.csv and milestones.csv (columns in
//! docs/outputs.md), and the summary printed first.

use rust_decimal::Decimal;

use super::OutputFile;
use super::csv_tables::table;
use crate::decision::tracking::Tracked;
use crate::vocabulary::category::Category;
use crate::vocabulary::currency::Currency;
use crate::vocabulary::money::{csv_amount, display_whole};

/// `variance.csv`: for every month up to as_of and every category with a baseline or an actual,
/// baseline, actual and variance (actual − baseline); then each fiscal year's subtotal by
/// category and in all, and the total to date.
pub fn variance(t: &Tracked, currency: Currency) -> OutputFile {
    let amount = |d: Decimal| csv_amount(d, currency);
    let calendar_rows = |rows: &mut Vec<Vec<String>>,
                         period: String,
                         kind: &str,
                         category: &str,
                         baseline: Decimal,
                         actual: Decimal| {
        rows.push(vec![
            period,
            kind.to_string(),
            category.to_string(),
            amount(baseline),
            amount(actual),
            amount(actual - baseline),
        ]);
    };
    let mut rows = Vec::new();
    let past: Vec<_> = t.months.iter().copied().filter(|m| t.is_past(*m)).collect();
    for m in &past {
        for c in Category::ALL {
            let b = t.baseline.get(&(*m, c)).copied();
            let a = t.actual.get(&(*m, c)).copied();
            if b.is_none() && a.is_none() {
                continue;
            }
            calendar_rows(
                &mut rows,
                m.to_string(),
                "month",
                c.as_str(),
                b.unwrap_or_default(),
                a.unwrap_or_default(),
            );
        }
    }
    for line in &t.fiscal {
        let months: Vec<_> = past
            .iter()
            .copied()
            .filter(|m| t.fiscal_year_of(*m) == line.year)
            .collect();
        if months.is_empty() {
            continue;
        }
        let mut total_b = Decimal::ZERO;
        let mut total_a = Decimal::ZERO;
        for c in Category::ALL {
            let b: Decimal = months.iter().filter_map(|m| t.baseline.get(&(*m, c))).sum();
            let a: Decimal = months.iter().filter_map(|m| t.actual.get(&(*m, c))).sum();
            total_b += b;
            total_a += a;
            if b.is_zero() && a.is_zero() {
                continue;
            }
            calendar_rows(
                &mut rows,
                line.year.to_string(),
                "fiscal_year",
                c.as_str(),
                b,
                a,
            );
        }
        calendar_rows(
            &mut rows,
            line.year.to_string(),
            "fiscal_year",
            "total",
            total_b,
            total_a,
        );
    }
    calendar_rows(
        &mut rows,
        "to_date".into(),
        "total",
        "total",
        t.baseline_to_date(),
        t.actual_to_date(),
    );
    table(
        "variance.csv",
        &[
            "period", "kind", "category", "baseline", "actual", "variance",
        ],
        rows,
    )
}

/// `forecast.csv`: every month of the horizon: baseline, actual (months up to as_of), forecast
/// (months after), and the running total of each; the forecast's running total counts the
/// actuals to date, so its last value is the estimate at completion.
pub fn forecast(t: &Tracked, currency: Currency) -> OutputFile {
    let amount = |d: Decimal| csv_amount(d, currency);
    let mut rows = Vec::new();
    let (mut cum_b, mut cum_a, mut cum_f) = (Decimal::ZERO, Decimal::ZERO, Decimal::ZERO);
    for m in &t.months {
        let b = t.baseline_in(*m);
        cum_b += b;
        let (actual, after) = if t.is_past(*m) {
            let a = t.actual_in(*m);
            cum_a += a;
            cum_f += a;
            (amount(a), String::new())
        } else {
            let f = t.remainder_in(*m);
            cum_f += f;
            (String::new(), amount(f))
        };
        rows.push(vec![
            m.to_string(),
            amount(b),
            actual,
            after,
            amount(cum_b),
            if t.is_past(*m) {
                amount(cum_a)
            } else {
                String::new()
            },
            amount(cum_f),
        ]);
    }
    table(
        "forecast.csv",
        &[
            "month",
            "baseline",
            "actual",
            "forecast",
            "cumulative_baseline",
            "cumulative_actual",
            "cumulative_forecast",
        ],
        rows,
    )
}

/// `milestones.csv`: each milestone planned against its date now.
pub fn milestones(t: &Tracked) -> OutputFile {
    let rows = t
        .milestones
        .iter()
        .map(|m| {
            vec![
                m.kind.as_str().to_string(),
                m.occurrence.to_string(),
                m.planned.map(|d| d.to_string()).unwrap_or_default(),
                m.now.map(|d| d.to_string()).unwrap_or_default(),
                m.days_slipped().map(|d| d.to_string()).unwrap_or_default(),
                if m.held { "actual" } else { "forecast" }.to_string(),
            ]
        })
        .collect();
    table(
        "milestones.csv",
        &[
            "milestone",
            "occurrence",
            "planned",
            "now",
            "days_slipped",
            "status",
        ],
        rows,
    )
}

/// `tracking_summary.csv`: the figures of the summary, one per row.
pub fn summary(t: &Tracked, currency: Currency) -> OutputFile {
    let amount = |d: Decimal| csv_amount(d, currency);
    let mut rows = vec![
        vec!["as_of".into(), t.as_of.to_string()],
        vec!["plan".into(), t.plan.clone()],
        vec!["baseline_to_date".into(), amount(t.baseline_to_date())],
        vec!["actual_to_date".into(), amount(t.actual_to_date())],
        vec![
            "variance_to_date".into(),
            amount(t.actual_to_date() - t.baseline_to_date()),
        ],
        vec!["baseline_at_completion".into(), amount(t.baseline_total())],
        vec![
            "estimate_at_completion".into(),
            amount(t.estimate_at_completion()),
        ],
        vec![
            "variance_at_completion".into(),
            amount(t.variance_at_completion()),
        ],
    ];
    for line in &t.fiscal {
        rows.push(vec![
            format!("{}_forecast", line.year),
            amount(line.forecast),
        ]);
        if let Some(over) = line.over_cap() {
            rows.push(vec![format!("{}_over_cap", line.year), amount(over)]);
        }
    }
    table("tracking_summary.csv", &["figure", "value"], rows)
}

/// A signed percentage with one decimal and a true minus sign (`−7.7 %`).
pub fn percent(part: Decimal, of: Decimal) -> String {
    if of.is_zero() {
        return "n/a".into();
    }
    let p = (part * Decimal::from(100) / of)
        .round_dp_with_strategy(1, rust_decimal::RoundingStrategy::MidpointAwayFromZero);
    let text = format!("{:.1}", p.abs());
    if p.is_sign_negative() && !p.is_zero() {
        format!("−{text} %")
    } else if p.is_zero() {
        format!("{text} %")
    } else {
        format!("+{text} %")
    }
}

/// The summary's first line: spent against planned to date, the forecast against the
/// baseline, the first ISO certificate and SOC 2 report now, and every fiscal year over the cap.
pub fn headline(t: &Tracked, currency: Currency) -> String {
    let money = |d: Decimal| display_whole(d, currency);
    let spent = t.actual_to_date();
    let planned = t.baseline_to_date();
    let mut parts = vec![
        format!(
            "Spent {} of {} planned to date ({})",
            money(spent),
            money(planned),
            percent(spent - planned, planned)
        ),
        format!(
            "forecast {} against a baseline of {}",
            money(t.estimate_at_completion()),
            money(t.baseline_total())
        ),
    ];
    for (kind, label) in [
        (
            crate::cycle::schedule::EventKind::CertificationDecision,
            "ISO/IEC 27001 certificate",
        ),
        (
            crate::cycle::schedule::EventKind::Type1Report,
            "SOC 2 Type I report",
        ),
        (
            crate::cycle::schedule::EventKind::Type2Report,
            "SOC 2 Type II report",
        ),
    ] {
        if let Some(m) = t
            .milestones
            .iter()
            .find(|m| m.kind == kind && m.occurrence == 1)
        {
            let when = if m.held { "" } else { "now " };
            match (m.now, m.days_slipped()) {
                (Some(now), Some(0)) => parts.push(format!("{label} {when}{now}, as planned")),
                (Some(now), Some(d)) => parts.push(format!(
                    "{label} {when}{now}, {} days {}",
                    d.abs(),
                    if d > 0 { "later" } else { "earlier" }
                )),
                (Some(now), None) => parts.push(format!("{label} {when}{now}")),
                (None, _) => parts.push(format!("{label} no longer within the horizon")),
            }
        }
    }
    for line in &t.fiscal {
        if let Some(over) = line.over_cap() {
            parts.push(format!("{} over the cap by {}", line.year, money(over)));
        }
    }
    parts.join("; ")
}

/// What `certplan track` prints: the headline, the fiscal years against the cap, and the
/// milestones planned against now.
pub fn text(t: &Tracked, currency: Currency, width: usize) -> String {
    use crate::render::terminal::{Align, table, wrap};
    let money = |d: Decimal| crate::vocabulary::money::display_amount(d, currency);
    let mut out = wrap(&headline(t, currency), width, "", "");
    out.push('\n');
    out.push_str(&format!(
        "Plan `{}` as of {}: estimate at completion {}, variance at completion {}\n\n",
        t.plan,
        t.as_of,
        money(t.estimate_at_completion()),
        money(t.variance_at_completion())
    ));
    let rows: Vec<Vec<String>> = t
        .fiscal
        .iter()
        .map(|l| {
            vec![
                l.year.to_string(),
                money(l.baseline),
                money(l.actual),
                money(l.forecast),
                money(l.forecast - l.baseline),
                l.cap.map(money).unwrap_or_else(|| "—".into()),
                l.over_cap().map(money).unwrap_or_default(),
            ]
        })
        .collect();
    out.push_str(&table(
        &[
            ("Fiscal year", Align::Left),
            ("Baseline", Align::Right),
            ("Actual", Align::Right),
            ("Forecast", Align::Right),
            ("Variance", Align::Right),
            ("Cap", Align::Right),
            ("Over cap", Align::Right),
        ],
        &rows,
        width,
    ));
    out.push('\n');
    let rows: Vec<Vec<String>> = t
        .milestones
        .iter()
        .map(|m| {
            vec![
                format!("{} {}", m.kind.label(), m.occurrence),
                m.planned
                    .map(|d| d.to_string())
                    .unwrap_or_else(|| "—".into()),
                m.now.map(|d| d.to_string()).unwrap_or_else(|| "—".into()),
                m.days_slipped().map(|d| d.to_string()).unwrap_or_default(),
                if m.held { "actual" } else { "forecast" }.to_string(),
            ]
        })
        .collect();
    out.push_str(&table(
        &[
            ("Milestone", Align::Left),
            ("Planned", Align::Left),
            ("Now", Align::Left),
            ("Days slipped", Align::Right),
            ("Status", Align::Left),
        ],
        &rows,
        width,
    ));
    out
}
