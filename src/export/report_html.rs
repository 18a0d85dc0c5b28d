//! `report.html`: one self-contained file for management (inline CSS and SVG, no script, nothing
//! from the network) that prints on A4 landscape.

use std::fmt::Write;

use super::{OutputFile, Projected};
use crate::assumptions::assumptions;
use crate::category::Category;
use crate::comparison::{Comparison, shortfall};
use crate::money::display_amount;
use crate::requirement::Outcome;
use crate::schedule::EventKind;
use crate::year_month::date_or;

const STYLE: &str = r#"
:root { --ink: #222; --muted: #555; --rule: #ddd; --good: #1b7a3d; --bad: #b03a00; --band: #f6f6f6; }
* { box-sizing: border-box; }
body { font-family: "DejaVu Sans", "Helvetica Neue", Arial, sans-serif; color: var(--ink); margin: 0 auto; max-width: 1200px; padding: 24px; line-height: 1.4; font-size: 14px; }
header { border-bottom: 3px solid var(--ink); margin-bottom: 16px; }
h1 { font-size: 26px; margin: 0 0 4px; }
h2 { font-size: 20px; margin: 28px 0 8px; border-bottom: 1px solid var(--rule); padding-bottom: 4px; }
h3 { font-size: 16px; margin: 18px 0 6px; }
.meta { color: var(--muted); margin: 0 0 12px; }
.headline { font-size: 18px; font-weight: bold; margin: 8px 0; }
table { border-collapse: collapse; width: 100%; margin: 8px 0 16px; font-size: 13px; }
th, td { border-bottom: 1px solid var(--rule); padding: 4px 8px; text-align: left; vertical-align: top; }
th { background: var(--band); }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td:first-child, td.date { white-space: nowrap; }
tr.total td { font-weight: bold; border-top: 2px solid var(--ink); }
tr.recommended td { background: #eef7f0; }
.met { color: var(--good); }
.missed { color: var(--bad); font-weight: bold; }
.chart { margin: 8px 0 20px; break-inside: avoid; page-break-inside: avoid; }
.chart svg { width: 100%; height: auto; display: block; border: 1px solid var(--rule); }
ul.warnings li { margin-bottom: 4px; }
footer { color: var(--muted); font-size: 12px; margin-top: 32px; border-top: 1px solid var(--rule); padding-top: 8px; }
@page { size: A4 landscape; margin: 12mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 11px; }
  table { font-size: 10px; }
  h2, h3 { break-after: avoid; page-break-after: avoid; }
  section.major { break-before: page; page-break-before: always; }
  tr, .chart { break-inside: avoid; page-break-inside: avoid; }
}
"#;

/// Escapes text for HTML content and attributes.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// An SVG document as an inline element: the XML prolog, if any, dropped.
fn inline_svg(svg: &str) -> &str {
    svg.find("<svg").map_or(svg, |i| &svg[i..])
}

/// Lapses, suspensions, withdrawals and coverage gaps of every plan, in date order.
fn assurance_warnings(p: Projected) -> Vec<String> {
    let mut out = Vec::new();
    for o in p.plans {
        for e in &o.schedule.events {
            let what = match e.kind {
                EventKind::Lapse => "ISO/IEC 27001 certificate lapsed",
                EventKind::Suspension => "ISO/IEC 27001 certificate suspended",
                EventKind::Withdrawal => "ISO/IEC 27001 certificate withdrawn",
                EventKind::CoverageGap => "SOC 2 coverage gap (longer than a bridge letter covers)",
                _ => continue,
            };
            let when = if e.start == e.end {
                format!("on {}", e.start)
            } else {
                format!("from {} to {}", e.start, e.end)
            };
            out.push(format!("{}: {what} {when}.", o.plan.name));
        }
    }
    out
}

pub fn report_html(p: Projected, c: &Comparison, charts: &[(String, String)]) -> OutputFile {
    let s = p.scenario;
    let currency = s.programme.currency;
    let money = |d| display_amount(d, currency);
    let chart = |stem: &str| {
        charts
            .iter()
            .find(|(n, _)| n == stem)
            .map(|(_, svg)| inline_svg(svg).to_string())
    };
    let mut h = String::new();
    let name = escape(&s.programme.name);
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{name}: compliance programme plan</title>\n<style>{STYLE}</style>\n</head>\n<body>\n"
    );
    let _ = writeln!(
        h,
        "<header><h1>{name}</h1><p class=\"meta\">Compliance programme plan: {} plans over {} months from {} to {}, in {}. Headcount {}.</p></header>",
        c.plans.len(),
        s.programme.horizon_months.get(),
        s.programme.start,
        s.programme.last_month(),
        currency,
        s.programme.headcount.get_ref().get()
    );

    // Executive summary.
    h.push_str("<section id=\"summary\"><h2>Executive summary</h2>\n");
    let _ = write!(
        h,
        "<p class=\"headline\">{}</p>\n<ul>\n",
        escape(&c.recommendation.headline)
    );
    for reason in &c.recommendation.reasons {
        let _ = writeln!(h, "<li>{}</li>", escape(reason));
    }
    h.push_str("</ul>\n</section>\n");

    // Comparison.
    h.push_str("<section id=\"comparison\"><h2>Plans compared</h2>\n<table>\n<thead><tr><th>Plan</th><th class=\"num\">Total</th><th class=\"num\">First 12 months</th><th class=\"num\">Run cost / year</th><th>ISO certificate</th><th>SOC 2 Type I</th><th>SOC 2 Type II</th><th class=\"num\">Covered months</th><th class=\"num\">Uncovered months</th><th>Meets requirements</th></tr></thead>\n<tbody>\n");
    for (i, x) in c.plans.iter().enumerate() {
        let class = if c.recommendation.plan == Some(i) {
            " class=\"recommended\""
        } else {
            ""
        };
        let _ = writeln!(
            h,
            "<tr{class}><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"date\">{}</td><td class=\"date\">{}</td><td class=\"date\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td>{}</td></tr>",
            escape(&x.plan),
            money(x.total),
            money(x.first_year),
            x.run_rate.map_or_else(|| "—".into(), money),
            date_or(x.first_iso_certificate, "—"),
            date_or(x.first_soc2_type1_report, "—"),
            date_or(x.first_soc2_type2_report, "—"),
            x.covered_months,
            x.uncovered_months,
            if x.meets_all() {
                "<span class=\"met\">yes</span>"
            } else {
                "<span class=\"missed\">no</span>"
            }
        );
    }
    h.push_str("</tbody>\n</table>\n");
    if c.plans.iter().any(|x| x.saving.is_some()) {
        h.push_str("<h3>What pursuing both saves against each framework alone, on the same dates</h3>\n<table>\n<thead><tr><th>Plan</th><th class=\"num\">Each alone</th><th class=\"num\">Saving</th><th class=\"num\">Shared controls</th><th class=\"num\">Shared recurring work</th><th class=\"num\">Combined-audit discount</th></tr></thead>\n<tbody>\n");
        for x in &c.plans {
            if let Some(sv) = &x.saving {
                let _ = writeln!(
                    h,
                    "<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
                    escape(&x.plan),
                    money(sv.separate_total),
                    money(sv.saving),
                    money(sv.shared_controls),
                    money(sv.shared_recurring),
                    money(sv.combined_audit_discount)
                );
            }
        }
        h.push_str("</tbody>\n</table>\n");
    }
    if !c.requirements.is_empty() {
        h.push_str("<h3>Requirements</h3>\n<table>\n<thead><tr><th>Plan</th>");
        for r in &c.requirements {
            let _ = write!(h, "<th>{}</th>", escape(&r.describe(currency)));
        }
        h.push_str("</tr></thead>\n<tbody>\n");
        for x in &c.plans {
            let _ = write!(h, "<tr><td>{}</td>", escape(&x.plan));
            for v in &x.verdicts {
                let latest = v
                    .latest_start
                    .map(|m| format!("<br>latest start {m}"))
                    .unwrap_or_default();
                let cell = match &v.outcome {
                    Outcome::Met {
                        days_to_spare: Some(d),
                    } => format!("<span class=\"met\">met, {d} days to spare</span>"),
                    Outcome::Met {
                        days_to_spare: None,
                    } => "<span class=\"met\">met</span>".into(),
                    Outcome::NotPursued => "not pursued".into(),
                    Outcome::MissedByDays { days, .. } => {
                        format!("<span class=\"missed\">missed by {days} days</span>")
                    }
                    Outcome::NotReached => {
                        "<span class=\"missed\">not reached in the horizon</span>".into()
                    }
                    Outcome::OverBy { year, amount } => format!(
                        "<span class=\"missed\">over by {} in {year}</span>",
                        money(*amount)
                    ),
                };
                let _ = write!(h, "<td>{cell}{latest}</td>");
            }
            h.push_str("</tr>\n");
        }
        h.push_str("</tbody>\n</table>\n");
    }
    h.push_str("</section>\n");

    // Fiscal-year budget per plan.
    h.push_str("<section id=\"budget\" class=\"major\"><h2>Budget by fiscal year</h2>\n");
    let calendar = s.programme.fiscal_calendar();
    for (o, x) in p.plans.iter().zip(&c.plans) {
        let cells = o.ledger.by_fiscal_year(calendar);
        let _ = write!(
            h,
            "<h3>{}</h3>\n<table>\n<thead><tr><th>Category</th>",
            escape(&x.plan)
        );
        for (year, _) in &x.by_fiscal_year {
            let _ = write!(h, "<th class=\"num\">{year}</th>");
        }
        h.push_str("<th class=\"num\">Total</th></tr></thead>\n<tbody>\n");
        for category in Category::ALL {
            let row_total: rust_decimal::Decimal = cells
                .iter()
                .filter(|((_, c), _)| *c == category)
                .map(|(_, a)| *a)
                .sum();
            if !cells.keys().any(|(_, c)| *c == category) {
                continue;
            }
            let _ = write!(h, "<tr><td>{}</td>", category.label());
            for (year, _) in &x.by_fiscal_year {
                let _ = write!(
                    h,
                    "<td class=\"num\">{}</td>",
                    money(cells.get(&(*year, category)).copied().unwrap_or_default())
                );
            }
            let _ = writeln!(h, "<td class=\"num\">{}</td></tr>", money(row_total));
        }
        h.push_str("<tr class=\"total\"><td>Total</td>");
        for (_, amount) in &x.by_fiscal_year {
            let _ = write!(h, "<td class=\"num\">{}</td>", money(*amount));
        }
        let _ = writeln!(
            h,
            "<td class=\"num\">{}</td></tr>\n</tbody>\n</table>",
            money(x.total)
        );
    }
    h.push_str("</section>\n");

    // Charts.
    h.push_str("<section id=\"charts\" class=\"major\"><h2>Charts</h2>\n");
    for (stem, title) in [
        ("cost_curves", "Cumulative cost by plan"),
        ("budget_by_fiscal_year", "Budget by fiscal year"),
    ] {
        if let Some(svg) = chart(stem) {
            let _ = writeln!(h, "<div class=\"chart\" aria-label=\"{title}\">{svg}</div>");
        }
    }
    for o in p.plans {
        if let Some(svg) = chart(&format!("monthly_costs_{}", o.plan.name)) {
            let _ = writeln!(
                h,
                "<div class=\"chart\" aria-label=\"Monthly cost: {}\">{svg}</div>",
                escape(&o.plan.name)
            );
        }
    }
    h.push_str("</section>\n");

    // Timelines.
    h.push_str("<section id=\"timelines\" class=\"major\"><h2>Timelines</h2>\n");
    for o in p.plans {
        let _ = writeln!(h, "<h3>{}</h3>", escape(&o.plan.name));
        if let Some(svg) = chart(&format!("timeline_{}", o.plan.name)) {
            let _ = writeln!(h, "<div class=\"chart\">{svg}</div>");
        }
        h.push_str("<table>\n<thead><tr><th>Framework</th><th>Cycle</th><th>Event</th><th>Start</th><th>End</th></tr></thead>\n<tbody>\n");
        for e in o.schedule.events.iter().filter(|e| {
            matches!(
                e.kind,
                EventKind::Stage1Audit
                    | EventKind::Stage2Audit
                    | EventKind::CertificationDecision
                    | EventKind::SurveillanceAudit
                    | EventKind::RecertificationDecision
                    | EventKind::Lapse
                    | EventKind::Suspension
                    | EventKind::Withdrawal
                    | EventKind::Type1Report
                    | EventKind::Type2Report
                    | EventKind::BridgeLetter
                    | EventKind::CoverageGap
            )
        }) {
            let _ = writeln!(
                h,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                e.framework.label(),
                e.cycle,
                e.kind.label(),
                e.start,
                e.end
            );
        }
        h.push_str("</tbody>\n</table>\n");
    }
    h.push_str("</section>\n");

    // Warnings.
    h.push_str(
        "<section id=\"warnings\" class=\"major\"><h2>Warnings</h2>\n<ul class=\"warnings\">\n",
    );
    let mut warnings: Vec<String> = s
        .warnings
        .iter()
        .map(|w| format!("Scenario: {w}"))
        .collect();
    warnings.extend(assurance_warnings(p));
    for x in &c.plans {
        for v in &x.verdicts {
            if let Some(miss) = shortfall(v, currency)
                && !matches!(v.outcome, Outcome::NotPursued)
            {
                warnings.push(format!("{}: {miss}.", x.plan));
            }
        }
    }
    if warnings.is_empty() {
        h.push_str("<li>None: no lapses, suspensions or coverage gaps, and every requirement is met.</li>\n");
    }
    for w in &warnings {
        let _ = writeln!(h, "<li>{}</li>", escape(w));
    }
    h.push_str("</ul>\n</section>\n");

    // Assumptions.
    h.push_str("<section id=\"assumptions\" class=\"major\"><h2>Assumptions</h2>\n<p class=\"meta\">Every input used, its value, and where it comes from. Defaults follow the ranges in certplan's domain rules (ISO/IEC 17021-1, ISO/IEC 27006, SOC 2 practice, cost surveys).</p>\n<table>\n<thead><tr><th>Input</th><th>Value</th><th>Source</th></tr></thead>\n<tbody>\n");
    for a in assumptions(s) {
        let _ = writeln!(
            h,
            "<tr><td><code>{}</code></td><td>{}</td><td>{}</td></tr>",
            escape(&a.key),
            escape(&a.value),
            escape(&a.source)
        );
    }
    h.push_str("</tbody>\n</table>\n</section>\n");
    let _ = write!(
        h,
        "<footer>Made by certplan {}. Amounts are exact to the cent, in {currency}; every total is the sum of its parts. Same scenario, same report.</footer>\n</body>\n</html>\n",
        env!("CARGO_PKG_VERSION")
    );
    OutputFile {
        name: "report.html".into(),
        bytes: h.into_bytes(),
    }
}
