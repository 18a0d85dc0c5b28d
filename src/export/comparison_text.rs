//! The comparison as the terminal shows it: aligned tables within 100 columns, colour only when
//! asked for (a terminal without `NO_COLOR`).

use crate::comparison::Comparison;
use crate::currency::Currency;
use crate::money::display_amount;
use crate::requirement::Outcome;
use crate::scenario::Scenario;
use crate::terminal::{Align, table, truncate};
use crate::year_month::date_or;

/// The widest the text gets, in columns.
pub const WIDTH: usize = 100;

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

fn wrap_words(text: &str, width: usize, indent: &str) -> String {
    let mut out = String::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty()
            && line.chars().count() + 1 + word.chars().count() > width - indent.chars().count()
        {
            out.push_str(indent);
            out.push_str(&line);
            out.push('\n');
            line.clear();
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        out.push_str(indent);
        out.push_str(&line);
        out.push('\n');
    }
    out
}

/// The first line of `plan` and `compare`: what was projected.
pub fn heading(scenario: &Scenario, plans: usize) -> String {
    let p = &scenario.programme;
    format!(
        "{}: {plans} plans over {} months from {} ({})",
        truncate(&p.name, 50),
        p.horizon_months.get(),
        p.start,
        p.currency
    )
}

/// The whole comparison as text.
pub fn comparison_text(scenario: &Scenario, c: &Comparison, color: bool) -> String {
    let paint = Paint { color };
    let currency: Currency = scenario.programme.currency;
    let money = |d| display_amount(d, currency);
    let mut out = String::new();
    out.push_str(&paint.heading(&heading(scenario, c.plans.len())));
    out.push_str("\n\n");

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
    ));
    out.push('\n');

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
    ));
    out.push('\n');

    // Fiscal years down, plans across, in as many tables as it takes to stay within WIDTH.
    let cell = |s: &str| s.chars().count();
    let year_width = c
        .fiscal_years
        .iter()
        .map(|y| y.to_string().len())
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
            if end > start && used + 2 + widest > WIDTH {
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
        let rows: Vec<Vec<String>> = c
            .fiscal_years
            .iter()
            .enumerate()
            .map(|(y, year)| {
                let mut row = vec![year.to_string()];
                row.extend(
                    c.plans[start..end]
                        .iter()
                        .map(|x| money(x.by_fiscal_year[y].1)),
                );
                row
            })
            .collect();
        out.push_str(&table(&header, &rows));
        out.push('\n');
        start = end;
    }

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
        ));
        out.push('\n');
    }

    if !c.requirements.is_empty() {
        out.push_str(&paint.heading("Requirements"));
        out.push('\n');
        for (r, requirement) in c.requirements.iter().enumerate() {
            out.push_str(&format!("  {}\n", requirement.describe(currency)));
            for x in &c.plans {
                let v = &x.verdicts[r];
                let verdict = match &v.outcome {
                    Outcome::Met {
                        days_to_spare: Some(d),
                    } => paint.good(&format!("met, {d} days to spare")),
                    Outcome::Met {
                        days_to_spare: None,
                    } => paint.good("met"),
                    Outcome::NotPursued => "not pursued".to_string(),
                    other => {
                        let text = match other {
                            Outcome::MissedByDays { days, .. } => format!("missed by {days} days"),
                            Outcome::NotReached => "not reached in the horizon".to_string(),
                            Outcome::OverBy { year, amount } => {
                                format!("over by {} in {year}", money(*amount))
                            }
                            _ => String::new(),
                        };
                        paint.bad(&text)
                    }
                };
                let latest = v
                    .latest_start
                    .map(|m| format!(" (latest start {m})"))
                    .unwrap_or_default();
                out.push_str(&format!(
                    "    {:<width$}  {verdict}{latest}\n",
                    truncate(&x.plan, NAME),
                    width = NAME
                ));
            }
        }
        out.push('\n');
    }

    out.push_str(&paint.heading(&c.recommendation.headline));
    out.push('\n');
    for reason in &c.recommendation.reasons {
        let text = wrap_words(reason, WIDTH, "    ");
        out.push_str("  -");
        out.push_str(&text[3..]);
    }
    out
}
