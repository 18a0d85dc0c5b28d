//! The comparison as the terminal shows it: aligned tables that fit the terminal's width (see
//! `terminal`), colour only when asked for (a terminal without `NO_COLOR`).

use crate::decision::business_case::Timing;
use crate::decision::comparison::Comparison;
use crate::decision::requirement::Outcome;
use crate::render::terminal::{Align, Layout, table, truncate, wrap};
use crate::scenario::Scenario;
use crate::vocabulary::currency::Currency;
use crate::vocabulary::money::display_amount;
use crate::vocabulary::year_month::date_or;

struct Paint {
    color: bool,
}

impl Paint {
    fn wrap(&self, code: &str, text: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }
    fn heading(&self, text: &str) -> String {
        self.wrap("1", text)
    }
    fn good(&self, text: &str) -> String {
        self.wrap("32", text)
    }
    fn bad(&self, text: &str) -> String {
        self.wrap("31", text)
    }
}

/// Plan names in table cells.
const NAME: usize = 24;

/// The first lines of `plan` and `compare`: what was projected, wrapped to `width`.
pub fn heading(scenario: &Scenario, plans: usize, width: usize) -> String {
    let p = &scenario.programme;
    let noun = if plans == 1 { "plan" } else { "plans" };
    let text = format!(
        "{}: {plans} {noun} over {} months from {} ({})",
        truncate(&p.name, 50),
        p.horizon_months.get(),
        p.start,
        p.currency
    );
    wrap(&text, width, "", "  ").trim_end().to_string()
}

/// The whole comparison as text: costs, dates, fiscal years, savings, requirements, and the
/// recommendation, each fitted to the width.
pub fn comparison_text(scenario: &Scenario, c: &Comparison, layout: Layout) -> String {
    let paint = Paint {
        color: layout.color,
    };
    let mut out = paint.heading(&heading(scenario, c.plans.len(), layout.width));
    out.push_str("\n\n");
    for part in [
        cost_table,
        dates_table,
        fiscal_year_tables,
        savings_table,
        business_tables,
        requirements_text,
        recommendation_text,
    ] {
        out.push_str(&part(scenario, c, layout));
    }
    out
}

/// Each plan's total, first 12 months, run cost and saving.
fn cost_table(scenario: &Scenario, c: &Comparison, layout: Layout) -> String {
    let width = layout.width;
    let currency: Currency = scenario.programme.currency;
    let money = |d| display_amount(d, currency);
    let mut out = String::new();
    let rows: Vec<Vec<String>> = c
        .plans
        .iter()
        .map(|x| {
            vec![
                truncate(&x.plan, NAME),
                money(x.total),
                money(x.first_year),
                x.run_rate.map_or_else(|| "—".into(), money),
                x.saving
                    .as_ref()
                    .map_or_else(|| "—".into(), |s| money(s.saving)),
            ]
        })
        .collect();
    out.push_str(&table(
        &[
            ("Cost", Align::Left),
            ("Total", Align::Right),
            ("First 12 months", Align::Right),
            ("Run cost / year", Align::Right),
            ("Saving vs alone", Align::Right),
        ],
        &rows,
        width,
    ));
    out.push('\n');
    out
}

/// Each plan's first certificate and reports, and its coverage.
fn dates_table(_scenario: &Scenario, c: &Comparison, layout: Layout) -> String {
    let width = layout.width;
    let mut out = String::new();
    let rows: Vec<Vec<String>> = c
        .plans
        .iter()
        .map(|x| {
            vec![
                truncate(&x.plan, NAME),
                date_or(x.first_iso_certificate, "—"),
                date_or(x.first_soc2_type1_report, "—"),
                date_or(x.first_soc2_type2_report, "—"),
                x.covered_months.to_string(),
                x.uncovered_months.to_string(),
            ]
        })
        .collect();
    out.push_str(&table(
        &[
            ("Dates and coverage", Align::Left),
            ("ISO certificate", Align::Left),
            ("SOC 2 Type I", Align::Left),
            ("SOC 2 Type II", Align::Left),
            ("Covered", Align::Right),
            ("Uncovered", Align::Right),
        ],
        &rows,
        width,
    ));
    out.push('\n');
    out
}

/// Fiscal years down, plans across, in as many tables as it takes to fit the width.
fn fiscal_year_tables(scenario: &Scenario, c: &Comparison, layout: Layout) -> String {
    let width = layout.width;
    let currency: Currency = scenario.programme.currency;
    let money = |d| display_amount(d, currency);
    let mut out = String::new();
    // Fiscal years down, plans across, in as many tables as it takes to fit the width.
    let cell = |s: &str| s.chars().count();
    let years = scenario.programme.fiscal_years_in_horizon();
    let year_labels: Vec<String> = years.iter().map(|y| y.label()).collect();
    let year_width = year_labels
        .iter()
        .map(|y| cell(y))
        .max()
        .unwrap_or(6)
        .max("Fiscal year".len());
    let mut start = 0;
    while start < c.plans.len() {
        let mut end = start;
        let mut used = year_width;
        while end < c.plans.len() {
            let name = truncate(&c.plans[end].plan, 16);
            let widest = c.plans[end]
                .by_fiscal_year
                .iter()
                .map(|(_, a)| cell(&money(*a)))
                .chain([cell(&name)])
                .max()
                .unwrap_or(0);
            if end > start && used + 2 + widest > width {
                break;
            }
            used += 2 + widest;
            end += 1;
        }
        let names: Vec<String> = c.plans[start..end]
            .iter()
            .map(|x| truncate(&x.plan, 16))
            .collect();
        let mut header: Vec<(&str, Align)> = vec![("Fiscal year", Align::Left)];
        header.extend(names.iter().map(|n| (n.as_str(), Align::Right)));
        let rows: Vec<Vec<String>> = year_labels
            .iter()
            .enumerate()
            .map(|(y, label)| {
                let mut row = vec![label.clone()];
                row.extend(
                    c.plans[start..end]
                        .iter()
                        .map(|x| money(x.by_fiscal_year[y].1)),
                );
                row
            })
            .collect();
        out.push_str(&table(&header, &rows, width));
        out.push('\n');
        start = end;
    }
    out
}

/// What pursuing both saves, by part.
fn savings_table(scenario: &Scenario, c: &Comparison, layout: Layout) -> String {
    let width = layout.width;
    let currency: Currency = scenario.programme.currency;
    let money = |d| display_amount(d, currency);
    let mut out = String::new();
    let savers: Vec<Vec<String>> = c
        .plans
        .iter()
        .filter_map(|x| {
            x.saving.as_ref().map(|s| {
                vec![
                    truncate(&x.plan, NAME),
                    money(s.saving),
                    money(s.shared_controls),
                    money(s.shared_recurring),
                    money(s.combined_audit_discount),
                ]
            })
        })
        .collect();
    if !savers.is_empty() {
        out.push_str(&table(
            &[
                ("Saving vs each alone", Align::Left),
                ("Saving", Align::Right),
                ("Shared controls", Align::Right),
                ("Shared recurring", Align::Right),
                ("Audit discount", Align::Right),
            ],
            &savers,
            width,
        ));
        out.push('\n');
    }
    out
}

/// Revenue unlocked against cost, and when each demand is unlocked (with `[[demand]]`); present
/// values of cost (with a discount rate).
fn business_tables(scenario: &Scenario, c: &Comparison, layout: Layout) -> String {
    let width = layout.width;
    let currency: Currency = scenario.programme.currency;
    let money = |d| display_amount(d, currency);
    let mut out = String::new();
    let discounted = c.plans.iter().any(|x| x.npv_cost.is_some());
    if c.plans.iter().all(|x| x.business.is_none()) {
        if discounted {
            let rows: Vec<Vec<String>> = c
                .plans
                .iter()
                .map(|x| {
                    vec![
                        truncate(&x.plan, NAME),
                        money(x.total),
                        x.npv_cost.map_or_else(|| "—".into(), money),
                    ]
                })
                .collect();
            out.push_str(&table(
                &[
                    ("Present value", Align::Left),
                    ("Cost", Align::Right),
                    ("Cost, present value", Align::Right),
                ],
                &rows,
                width,
            ));
            out.push('\n');
        }
        return out;
    }
    let rows: Vec<Vec<String>> = c
        .plans
        .iter()
        .filter_map(|x| {
            let b = x.business.as_ref()?;
            // What decides first: a narrow terminal drops the last columns (the cost is in the
            // first table too).
            let mut row = vec![truncate(&x.plan, NAME), money(b.net_total)];
            if discounted {
                row.push(b.npv_net.map_or_else(|| "—".into(), money));
            }
            row.push(b.payback.map_or_else(|| "none".into(), |m| m.to_string()));
            row.push(money(b.revenue_total));
            row.push(money(b.cost_total));
            Some(row)
        })
        .collect();
    let mut header = vec![("Business case", Align::Left), ("Net value", Align::Right)];
    if discounted {
        header.push(("Net, present value", Align::Right));
    }
    header.push(("Payback", Align::Left));
    header.push(("Revenue", Align::Right));
    header.push(("Cost", Align::Right));
    out.push_str(&table(&header, &rows, width));
    out.push('\n');
    // When each demand is unlocked, plan by plan.
    let demands: Vec<&str> = scenario.demand.iter().map(|d| d.name.as_str()).collect();
    let rows: Vec<Vec<String>> = c
        .plans
        .iter()
        .filter_map(|x| {
            let b = x.business.as_ref()?;
            let mut row = vec![truncate(&x.plan, NAME)];
            row.extend(b.unlocks.iter().map(|u| match u.timing {
                Some(Timing::Lost { .. }) => "lost".to_string(),
                Some(Timing::Delayed { .. }) => format!("{} late", date_or(u.unlocked, "—")),
                _ => date_or(u.unlocked, "—"),
            }));
            Some(row)
        })
        .collect();
    let names: Vec<String> = demands.iter().map(|d| truncate(d, 20)).collect();
    let mut header = vec![("Unlocked", Align::Left)];
    header.extend(names.iter().map(|n| (n.as_str(), Align::Left)));
    out.push_str(&table(&header, &rows, width));
    let deadlines: Vec<String> = scenario
        .demand
        .iter()
        .filter_map(|d| {
            d.deadline.map(|t| {
                format!(
                    "{} needed by {} ({} if late)",
                    d.name,
                    t.needed_by,
                    t.if_late.as_str()
                )
            })
        })
        .collect();
    if !deadlines.is_empty() {
        out.push_str(&wrap(
            &format!(
                "Deadlines: {}. A lost deal earns nothing; a delayed one starts when the \
                 assurance arrives.",
                deadlines.join("; ")
            ),
            width,
            "",
            "",
        ));
    }
    out.push('\n');
    out
}

/// Each requirement's verdict for every plan.
fn requirements_text(scenario: &Scenario, c: &Comparison, layout: Layout) -> String {
    let paint = Paint {
        color: layout.color,
    };
    let width = layout.width;
    let currency: Currency = scenario.programme.currency;
    let money = |d| display_amount(d, currency);
    let mut out = String::new();
    if !c.requirements.is_empty() {
        out.push_str(&paint.heading("Requirements"));
        out.push('\n');
        for (r, requirement) in c.requirements.iter().enumerate() {
            out.push_str(&wrap(&requirement.describe(currency), width, "  ", "    "));
            for x in &c.plans {
                let v = &x.verdicts[r];
                let plain = verdict_text(&v.outcome, &money);
                let verdict = match &v.outcome {
                    Outcome::Met { .. } => paint.good(&plain),
                    Outcome::NotPursued => plain.clone(),
                    _ => paint.bad(&plain),
                };
                let latest = v
                    .latest_start
                    .map(|m| format!("(latest start {m})"))
                    .unwrap_or_default();
                let name = truncate(&x.plan, NAME.min(width / 3));
                let line_width = 4 + NAME.min(width / 3) + 2 + plain.chars().count();
                out.push_str(&format!(
                    "    {name:<name_width$}  {verdict}",
                    name_width = NAME.min(width / 3)
                ));
                if !latest.is_empty() {
                    if line_width + 1 + latest.len() <= width {
                        out.push(' ');
                    } else {
                        out.push_str(&format!("\n{}", " ".repeat(6 + NAME.min(width / 3))));
                    }
                    out.push_str(&latest);
                }
                out.push('\n');
            }
        }
        if scenario.requirements.yearly_budget_cap.is_some()
            && let Some(note) = crate::decision::requirement::partial_year_note(scenario)
        {
            out.push_str(&wrap(&format!("Yearly cap: {note}."), width, "  ", "  "));
        }
        out.push('\n');
    }
    out
}

/// The recommendation and its reasons.
fn recommendation_text(_scenario: &Scenario, c: &Comparison, layout: Layout) -> String {
    let paint = Paint {
        color: layout.color,
    };
    let width = layout.width;
    let mut out = String::new();
    out.push_str(&paint.heading(&c.recommendation.headline));
    out.push('\n');
    for reason in &c.recommendation.reasons {
        out.push_str(&wrap(reason, width, "  - ", "    "));
    }
    out
}

/// A verdict as words, without colour.
fn verdict_text(outcome: &Outcome, money: &dyn Fn(rust_decimal::Decimal) -> String) -> String {
    match outcome {
        Outcome::Met {
            days_to_spare: Some(d),
        } => format!("met, {d} days to spare"),
        Outcome::Met {
            days_to_spare: None,
        } => "met".into(),
        Outcome::NotPursued => "not pursued".into(),
        Outcome::MissedByDays { days, .. } => format!("missed by {days} days"),
        Outcome::NotReached => "not reached in the horizon".into(),
        Outcome::OverBy { year, amount } => format!("over by {} in {year}", money(*amount)),
    }
}

/// With `[[demand]]`: each plan's net value over the draws (its present value when
/// discounted), the odds it is positive, and the payback month.
#[allow(clippy::float_arithmetic)] // probabilities
fn value_text(
    scenario: &Scenario,
    a: &crate::decision::risk_analysis::Analysis,
    layout: Layout,
) -> String {
    use crate::decision::risk_analysis::{amount, month_of};
    if a.plans.iter().all(|p| p.value.is_none()) {
        return String::new();
    }
    let paint = Paint {
        color: layout.color,
    };
    let currency = scenario.programme.currency;
    let discounted = crate::decision::business_case::discount_rate(scenario).is_some();
    let metric = if discounted {
        "npv_net_value"
    } else {
        "net_value"
    };
    let payback_by = a
        .plans
        .iter()
        .find_map(|p| p.value.as_ref().and_then(|v| v.payback_by))
        .map(|(m, _)| m);
    let mut out = paint.heading(if discounted {
        "Net present value over the draws"
    } else {
        "Net value over the draws"
    });
    out.push('\n');
    if let Some(m) = payback_by {
        out.push_str(&wrap(
            &format!("Above 0: share of draws worth more than it costs; by {m}: share paid back by then ([finance] payback_by)."),
            layout.width,
            "",
            "",
        ));
    }
    let rows: Vec<Vec<String>> = a
        .plans
        .iter()
        .map(|p| {
            let m = p.summaries.iter().find(|m| m.metric == metric);
            let payback = p.summaries.iter().find(|m| m.metric == "payback_month");
            let money = |k: usize| {
                m.map_or_else(
                    || "—".into(),
                    |m| display_amount(amount(scenario, m.percentiles[k]), currency),
                )
            };
            let v = p.value.as_ref();
            let mut row = vec![
                truncate(&p.plan, NAME),
                money(0),
                money(1),
                money(3),
                v.map_or_else(|| "—".into(), |v| format!("{:.0}%", v.positive * 100.0)),
                payback.map_or_else(
                    || "—".into(),
                    |m| {
                        month_of(scenario, m.percentiles[1])
                            .map_or_else(|| "none".into(), |d| d.to_string())
                    },
                ),
            ];
            if payback_by.is_some() {
                row.push(
                    v.and_then(|v| v.payback_by)
                        .map_or_else(|| "—".into(), |(_, p)| format!("{:.0}%", p * 100.0)),
                );
            }
            row
        })
        .collect();
    let by = payback_by.map(|m| format!("By {m}"));
    let mut columns = vec![
        ("Plan", Align::Left),
        ("P10", Align::Right),
        ("P50", Align::Right),
        ("P90", Align::Right),
        ("Above 0", Align::Right),
        ("Payback P50", Align::Left),
    ];
    if let Some(by) = &by {
        columns.push((by.as_str(), Align::Right));
    }
    out.push_str(&table(&columns, &rows, layout.width));
    out.push('\n');
    out
}

/// What it would take to lift each requirement the closest plan misses to the confidence.
#[allow(clippy::float_arithmetic)] // probabilities
fn levers_text(
    plan: &str,
    levers: &[crate::decision::levers::Lever],
    confidence: f64,
    layout: Layout,
) -> String {
    let paint = Paint {
        color: layout.color,
    };
    let mut out = paint.heading(&format!(
        "What it would take: {plan} to {:.0}%",
        confidence * 100.0
    ));
    out.push('\n');
    if levers.is_empty() {
        out.push_str(&wrap(
            "No single lever reaches the confidence (start up to 24 months earlier, deadlines \
             up to 104 weeks later, a cap up to four times the given one, any risk down to 0%).",
            layout.width,
            "  ",
            "    ",
        ));
        out.push('\n');
        return out;
    }
    let rows: Vec<Vec<String>> = levers
        .iter()
        .map(|l| {
            vec![
                l.requirement.clone(),
                l.change.replace(" %", "%"),
                format!("{:.0}%", l.probability * 100.0),
                format!("{:.0}%", l.all_met * 100.0),
            ]
        })
        .collect();
    out.push_str(&table(
        &[
            ("Requirement", Align::Left),
            ("Change (one at a time)", Align::Left),
            ("Then met", Align::Right),
            ("All met", Align::Right),
        ],
        &rows,
        layout.width,
    ));
    out.push('\n');
    out
}

/// What `certplan risk` prints: each plan's P50 and P80 cost and key date, the odds that it
/// meets every requirement, and the recommendation at the stated confidence.
#[allow(clippy::float_arithmetic)] // probabilities
pub fn risk_text(
    scenario: &Scenario,
    recommendation: &crate::decision::comparison::Recommendation,
    a: &crate::decision::risk_analysis::Analysis,
    layout: Layout,
) -> String {
    use crate::decision::risk_analysis::{MetricKind, amount, date_of};
    let paint = Paint {
        color: layout.color,
    };
    let currency = scenario.programme.currency;
    let mut out = paint.heading(&heading(scenario, a.plans.len(), layout.width));
    out.push_str(&format!("\n{} draws, seed {}\n\n", a.draws, a.seed));
    // The recommendation at the confidence first, the base case beside it (decision::board).
    out.push_str(&paint.heading(&recommendation.headline));
    out.push('\n');
    for reason in &recommendation.reasons {
        out.push_str(&wrap(
            &reason.replace(" %", "%"),
            layout.width,
            "  - ",
            "    ",
        ));
    }
    out.push('\n');
    if let Some((plan, levers)) = &a.levers {
        out.push_str(&levers_text(
            &a.plans[*plan].plan,
            levers,
            a.confidence,
            layout,
        ));
    }
    let stat = |m: Option<&crate::decision::risk_analysis::Summary>, k: usize| {
        m.map_or_else(
            || "—".to_string(),
            |m| match m.kind {
                MetricKind::Money => display_amount(amount(scenario, m.percentiles[k]), currency),
                MetricKind::Date => date_of(scenario, m.percentiles[k])
                    .map_or_else(|| "after horizon".into(), |d| d.to_string()),
                MetricKind::Months => format!("{:.0}", m.percentiles[k]),
                MetricKind::Month => {
                    crate::decision::risk_analysis::month_of(scenario, m.percentiles[k])
                        .map_or_else(|| "after horizon".into(), |d| d.to_string())
                }
            },
        )
    };
    let rows: Vec<Vec<String>> = a
        .plans
        .iter()
        .map(|p| {
            let total = p.summaries.iter().find(|m| m.metric == "total_cost");
            let key_metric = if p.key_date.contains("ISO") {
                "first_iso_certificate"
            } else {
                "first_soc2_type2_report"
            };
            let key = p.summaries.iter().find(|m| m.metric == key_metric);
            vec![
                truncate(&p.plan, NAME),
                stat(total, 1),
                stat(total, 2),
                stat(key, 1),
                stat(key, 2),
                format!("{:.0}%", p.all_met_probability * 100.0),
            ]
        })
        .collect();
    out.push_str(&table(
        &[
            ("Plan", Align::Left),
            ("Total P50", Align::Right),
            ("Total P80", Align::Right),
            ("Key date P50", Align::Left),
            ("Key date P80", Align::Left),
            ("Meets all", Align::Right),
        ],
        &rows,
        layout.width,
    ));
    out.push('\n');
    out.push_str(&value_text(scenario, a, layout));
    out.push_str(&wrap(
        "Key date: the first ISO/IEC 27001 certificate, or the first SOC 2 Type II report for a plan without ISO.",
        layout.width,
        "",
        "",
    ));
    out.push('\n');
    out.push_str(&paint.heading("What moves the P50 most"));
    out.push('\n');
    if a.plans.iter().all(|p| p.drivers.is_empty()) {
        out.push_str(&wrap(
            "Nothing: the scenario gives no ranges and no [[risk]] events, so every draw is the \
             base case (docs/scenario.md shows how to give them).",
            layout.width,
            "  ",
            "    ",
        ));
    }
    for p in &a.plans {
        if let Some(d) = p.drivers.first() {
            let sign = if d.money.is_sign_negative() {
                "−"
            } else {
                "+"
            };
            out.push_str(&wrap(
                &format!(
                    "{}: {} ({sign}{} and {:+.0} days)",
                    p.plan,
                    d.name,
                    crate::vocabulary::money::display_whole(d.money.abs(), currency),
                    d.days
                ),
                layout.width,
                "  ",
                "    ",
            ));
        }
    }
    out
}
