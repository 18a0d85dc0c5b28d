//! `report.html`: a board paper in one self-contained file (inline CSS and SVG, no script,
//! nothing from the network). Printed on A4 landscape, its first page is the decision: the
//! recommendation and why, every plan's headline figures and the cumulative-cost chart. Then the
//! plans compared, one page per plan, and an appendix with the detail.

use std::fmt::Write;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::{OutputFile, Projected};
use crate::costing::assumptions::assumptions;
use crate::cycle::schedule::{Event, EventKind};
use crate::decision::business_case::Timing;
use crate::decision::comparison::{Comparison, PlanComparison, shortfall};
use crate::decision::projection::PlanOutcome;
use crate::decision::requirement::{Outcome, Verdict, partial_year_note};
use crate::vocabulary::category::{Category, Nature};
use crate::vocabulary::currency::Currency;
use crate::vocabulary::money::display_amount;
use crate::vocabulary::year_month::date_or;

const STYLE: &str = r#"
:root { --ink: #222; --muted: #555; --rule: #ddd; --good: #1b7a3d; --bad: #a50f15; --band: #f4f4f4; }
* { box-sizing: border-box; }
body { font-family: "DejaVu Sans", "Helvetica Neue", Arial, sans-serif; color: var(--ink); margin: 0 auto; max-width: 1200px; padding: 16px; line-height: 1.35; font-size: 14px; }
header { border-bottom: 3px solid var(--ink); margin-bottom: 10px; }
h1 { font-size: 24px; margin: 0 0 2px; }
h2 { font-size: 19px; margin: 22px 0 6px; border-bottom: 1px solid var(--rule); padding-bottom: 3px; }
h3 { font-size: 15px; margin: 14px 0 4px; }
p { margin: 4px 0 8px; }
.meta { color: var(--muted); margin: 0 0 8px; }
.headline { font-size: 18px; font-weight: bold; margin: 6px 0 2px; }
.reasons { margin: 2px 0 8px; padding-left: 20px; }
.scroll { overflow-x: auto; max-width: 100%; }
table { border-collapse: collapse; width: 100%; margin: 4px 0 10px; font-size: 13px; }
th, td { border-bottom: 1px solid var(--rule); padding: 3px 7px; text-align: left; vertical-align: top; }
th { background: var(--band); }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.date, td:first-child { white-space: nowrap; }
table.dates td { white-space: nowrap; }
tr.total td { font-weight: bold; border-top: 2px solid var(--ink); }
tr.subtotal td { font-weight: bold; }
tr.recommended td { background: #eef7f0; }
.met { color: var(--good); }
.missed { color: var(--bad); font-weight: bold; }
.chart { margin: 6px 0 10px; }
.chart svg { width: 100%; height: auto; display: block; }
.figures { display: flex; flex-wrap: wrap; gap: 6px 28px; margin: 4px 0 8px; }
.figures div { white-space: nowrap; }
.figures b { font-variant-numeric: tabular-nums; }
.pair { display: flex; flex-wrap: wrap; gap: 0 24px; }
.pair > div { flex: 1 1 420px; min-width: 0; }
.note { color: var(--muted); font-size: 12px; }
ul.warnings li { margin-bottom: 3px; }
details { margin: 4px 0 8px; }
summary { cursor: pointer; font-weight: bold; }
footer { color: var(--muted); font-size: 12px; margin-top: 20px; border-top: 1px solid var(--rule); padding-top: 6px; }
@page { size: A4 landscape; margin: 10mm 12mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 10pt; }
  table { font-size: 8.5pt; }
  h1 { font-size: 17pt; }
  h2 { font-size: 13pt; margin-top: 0; }
  h3 { font-size: 10.5pt; }
  .headline { font-size: 12pt; }
  .note, footer { font-size: 8pt; }
  .scroll { overflow: visible; }
  section.page { break-before: page; }
  h2, h3 { break-after: avoid; }
  .keep, tr, .chart, .figures { break-inside: avoid; }
  thead { display: table-header-group; }
  #assumptions table { font-size: 7.5pt; }
  #assumptions td { padding: 1px 5px; }
  .reasons { font-size: 9pt; }
  .figures { font-size: 9pt; gap: 2px 20px; }
  table.dates { font-size: 8pt; }
  table.dates td { padding: 2px 6px; }
  section.plan p { margin: 2px 0 4px; }
  details:not([open]) { display: none; }
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

/// A table that scrolls inside its own box on a narrow screen, never the page.
/// Chart `stem` of `charts` (file stem, SVG), inline, labelled for screen readers; nothing when
/// the run drew no such chart.
fn chart_of(charts: &[(String, String)], stem: &str, label: &str) -> String {
    charts
        .iter()
        .find(|(n, _)| n == stem)
        .map(|(_, svg)| {
            format!(
                "<div class=\"chart\" role=\"img\" aria-label=\"{}\">{}</div>\n",
                escape(label),
                inline_svg(svg)
            )
        })
        .unwrap_or_default()
}

fn table(head: &str, body: &str) -> String {
    format!(
        "<div class=\"scroll\"><table>\n<thead>{head}</thead>\n<tbody>\n{body}</tbody>\n</table></div>\n"
    )
}

/// A heading and what it heads, never printed apart.
fn kept(heading: &str, content: &str) -> String {
    format!("<div class=\"keep\">{heading}\n{content}</div>\n")
}

/// "2027-06-30" or "—".
fn day(date: Option<NaiveDate>) -> String {
    date_or(date, "—")
}

struct Page<'a> {
    p: Projected<'a>,
    c: &'a Comparison,
    charts: &'a [(String, String)],
    currency: Currency,
}

impl Page<'_> {
    fn money(&self, amount: Decimal) -> String {
        display_amount(amount, self.currency)
    }

    fn chart(&self, stem: &str, label: &str) -> String {
        chart_of(self.charts, stem, label)
    }

    fn verdict_cell(&self, v: &Verdict) -> String {
        let latest = v
            .latest_start
            .map(|m| format!("<br><span class=\"note\">latest start {m}</span>"))
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
                "<span class=\"missed\">{year} over by {}</span>",
                self.money(*amount)
            ),
        };
        format!("{cell}{latest}")
    }

    fn requirements_met(&self, x: &PlanComparison) -> String {
        if x.verdicts.is_empty() {
            return "—".into();
        }
        let met = x.verdicts.iter().filter(|v| v.outcome.is_met()).count();
        let total = x.verdicts.len();
        if met == total {
            format!("<span class=\"met\">all {total}</span>")
        } else {
            format!("<span class=\"missed\">{met} of {total}</span>")
        }
    }

    /// Page 1: the recommendation and why, every plan's headline figures, the cost curves.
    #[allow(clippy::float_arithmetic)] // probabilities shown as percentages
    fn decision(&self, h: &mut String, draws: Option<&crate::decision::risk_analysis::Analysis>) {
        let c = self.c;
        h.push_str("<section id=\"decision\"><h2>Decision</h2>\n");
        let _ = writeln!(
            h,
            "<p class=\"headline\">{}</p>",
            escape(&c.recommendation.headline)
        );
        h.push_str("<ul class=\"reasons\">\n");
        for reason in &c.recommendation.reasons {
            let _ = writeln!(h, "<li>{}</li>", escape(reason));
        }
        h.push_str("</ul>\n");
        // With demand, the figure plans are ranked by sits beside their cost.
        let value = c.plans.iter().any(|x| x.business.is_some()).then(|| {
            if c.plans
                .iter()
                .any(|x| x.business.as_ref().is_some_and(|b| b.npv_net.is_some()))
            {
                "Net, present value"
            } else {
                "Net value"
            }
        });
        let value_head = value
            .map(|v| format!("<th class=\"num\">{v}</th>"))
            .unwrap_or_default();
        let head = format!(
            "<tr><th>Plan</th><th class=\"num\">Total</th>{value_head}<th class=\"num\">First 12 months</th><th class=\"num\">Run cost / year</th><th>First ISO/IEC 27001 certificate</th><th>First SOC 2 Type II report</th>{}</tr>",
            match draws {
                Some(a) => format!(
                    "<th>Requirements met (base case)</th><th class=\"num\">Meets all in the {} draws</th>",
                    a.draws
                ),
                None => "<th>Requirements met</th>".to_string(),
            }
        );
        let mut body = String::new();
        for (i, x) in c.plans.iter().enumerate() {
            let class = if c.recommendation.plan == Some(i) {
                " class=\"recommended\""
            } else {
                ""
            };
            let value_cell = match (&x.business, value) {
                (Some(b), Some(_)) => format!(
                    "<td class=\"num\">{}</td>",
                    self.money(b.npv_net.unwrap_or(b.net_total))
                ),
                (None, Some(_)) => "<td class=\"num\">—</td>".to_string(),
                _ => String::new(),
            };
            let _ = writeln!(
                body,
                "<tr{class}><td>{}</td><td class=\"num\">{}</td>{value_cell}<td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"date\">{}</td><td class=\"date\">{}</td><td>{}</td>{}</tr>",
                escape(&x.plan),
                self.money(x.total),
                self.money(x.first_year),
                x.run_rate.map_or_else(|| "—".into(), |r| self.money(r)),
                day(x.first_iso_certificate),
                day(x.first_soc2_type2_report),
                self.requirements_met(x),
                draws
                    .and_then(|a| a.plans.get(i))
                    .map(|r| format!(
                        "<td class=\"num\">{:.0} %</td>",
                        r.all_met_probability * 100.0
                    ))
                    .unwrap_or_default(),
            );
        }
        h.push_str(&table(&head, &body));
        h.push_str(&self.chart(
            "cost_curves",
            "Cumulative cost by plan, with the requirement deadlines",
        ));
        h.push_str("</section>\n");
    }

    /// The plans side by side: requirements, savings, and the budget by fiscal year.
    fn comparison(&self, h: &mut String) {
        let c = self.c;
        let s = self.p.scenario;
        h.push_str("<section id=\"comparison\" class=\"page\"><h2>Plans compared</h2>\n");
        if !c.requirements.is_empty() {
            let mut head = String::from("<tr><th>Plan</th>");
            for r in &c.requirements {
                let _ = write!(head, "<th>{}</th>", escape(&r.describe(self.currency)));
            }
            head.push_str("</tr>");
            let mut body = String::new();
            for x in &c.plans {
                let _ = write!(body, "<tr><td>{}</td>", escape(&x.plan));
                for v in &x.verdicts {
                    let _ = write!(body, "<td>{}</td>", self.verdict_cell(v));
                }
                body.push_str("</tr>\n");
            }
            let mut content = table(&head, &body);
            if s.requirements.yearly_budget_cap.is_some()
                && let Some(note) = partial_year_note(s)
            {
                let _ = writeln!(
                    content,
                    "<p class=\"note\">Yearly cap: {}.</p>",
                    escape(&note)
                );
            }
            h.push_str(&kept("<h3>Requirements</h3>", &content));
        }
        h.push_str(&kept(
            "<h3>Budget by fiscal year</h3>",
            &self.chart(
                "budget_by_fiscal_year",
                "Budget by fiscal year and plan, with the yearly cap",
            ),
        ));
        h.push_str("</section>\n");
    }

    /// When a plan unlocks a demand, and what it brings: a date and its expected revenue, or
    /// why it brings nothing (lost by its `needed_by`, never unlocked).
    fn unlock_cell(&self, u: &crate::decision::business_case::Unlock) -> String {
        match (u.unlocked, u.timing) {
            (day, Some(Timing::Lost { needed_by })) => format!(
                "<span class=\"missed\">lost</span><br><span class=\"note\">{}, needed by {needed_by}</span>",
                day.map_or_else(
                    || "no assurance in the horizon".to_string(),
                    |d| format!("assurance {d}")
                )
            ),
            (
                Some(day),
                Some(Timing::Delayed {
                    months_late,
                    win_probability,
                    ..
                }),
            ) => format!(
                "{day}<br><span class=\"note\">{}, {months_late} months late, won at {}%</span>",
                self.money(u.expected_revenue),
                (win_probability * Decimal::ONE_HUNDRED).normalize()
            ),
            (Some(day), _) => format!(
                "{day}<br><span class=\"note\">{}{}</span>",
                self.money(u.expected_revenue),
                if u.paused_months > 0 {
                    format!(", paused {} months", u.paused_months)
                } else {
                    String::new()
                }
            ),
            (None, _) => "not unlocked".into(),
        }
    }

    /// The business case (with `[[demand]]`): revenue unlocked against cost, net value and
    /// payback, when each demand is unlocked; present values (with a discount rate).
    fn business(&self, h: &mut String) {
        let c = self.c;
        let s = self.p.scenario;
        let has_business = c.plans.iter().any(|x| x.business.is_some());
        let discounted = c.plans.iter().any(|x| x.npv_cost.is_some());
        if !has_business && !discounted {
            return;
        }
        h.push_str("<section id=\"business\" class=\"page\"><h2>Business case</h2>\n");
        let rate = crate::decision::business_case::discount_rate(s)
            .map(|r| {
                format!(
                    " Present values are discounted at {}% a year to {}.",
                    (r * Decimal::ONE_HUNDRED).normalize(),
                    crate::render::charts::month_label(s.programme.start)
                )
            })
            .unwrap_or_default();
        if has_business {
            let _ = writeln!(
                h,
                "<p class=\"meta\">Revenue is what each demand is worth once the plan holds what it needs, times its win probability, in the months the assurance holds (paused while it lapses), inside the horizon. Plans are ranked by {} when demand exists.{rate}</p>",
                if discounted {
                    "expected net present value"
                } else {
                    "expected net value"
                }
            );
        } else {
            let _ = writeln!(h, "<p class=\"meta\">{}</p>", rate.trim());
        }
        let mut head = String::from("<tr><th>Plan</th><th class=\"num\">Cost</th>");
        if discounted {
            head.push_str("<th class=\"num\">Cost, present value</th>");
        }
        if has_business {
            head.push_str(
                "<th class=\"num\">Expected revenue</th><th class=\"num\">Net value</th>",
            );
            if discounted {
                head.push_str("<th class=\"num\">Net, present value</th>");
            }
            head.push_str("<th>Payback</th>");
        }
        head.push_str("</tr>");
        let mut body = String::new();
        for x in &c.plans {
            let _ = write!(
                body,
                "<tr><td>{}</td><td class=\"num\">{}</td>",
                escape(&x.plan),
                self.money(x.total)
            );
            if discounted {
                let _ = write!(
                    body,
                    "<td class=\"num\">{}</td>",
                    x.npv_cost.map_or_else(|| "—".into(), |v| self.money(v))
                );
            }
            if let Some(b) = &x.business {
                let _ = write!(
                    body,
                    "<td class=\"num\">{}</td><td class=\"num\">{}</td>",
                    self.money(b.revenue_total),
                    self.money(b.net_total)
                );
                if discounted {
                    let _ = write!(
                        body,
                        "<td class=\"num\">{}</td>",
                        b.npv_net.map_or_else(|| "—".into(), |v| self.money(v))
                    );
                }
                let _ = write!(
                    body,
                    "<td>{}</td>",
                    b.payback.map_or_else(
                        || "not within the horizon".into(),
                        crate::render::charts::month_label
                    )
                );
            }
            body.push_str("</tr>\n");
        }
        h.push_str(&kept("<h3>Value of each plan</h3>", &table(&head, &body)));
        if has_business {
            h.push_str(&kept(
                "<h3>Net position</h3>",
                &self.chart(
                    "net_value",
                    "Cumulative expected net position by plan, with payback points",
                ),
            ));
            let mut head = String::from(
                "<tr><th>Demand</th><th>Needs</th><th class=\"num\">Worth</th><th class=\"num\">Win</th>",
            );
            for x in &c.plans {
                let _ = write!(head, "<th>{}</th>", escape(&x.plan));
            }
            head.push_str("</tr>");
            let mut body = String::new();
            for (i, d) in s.demand.iter().enumerate() {
                let worth = match d.worth {
                    crate::scenario::demand::Worth::Monthly(m) => {
                        format!("{} a month", self.money(m))
                    }
                    crate::scenario::demand::Worth::OneOff(v) => format!("{} once", self.money(v)),
                };
                let _ = write!(
                    body,
                    "<tr><td>{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}%</td>",
                    escape(&d.name),
                    escape(&d.needs_label()),
                    worth,
                    (d.win_probability * Decimal::ONE_HUNDRED).normalize()
                );
                for x in &c.plans {
                    let cell = x
                        .business
                        .as_ref()
                        .and_then(|b| b.unlocks.get(i))
                        .map_or_else(String::new, |u| self.unlock_cell(u));
                    let _ = write!(body, "<td>{cell}</td>");
                }
                body.push_str("</tr>\n");
            }
            h.push_str(&kept("<h3>Demand unlocked</h3>", &table(&head, &body)));
        }
        h.push_str("</section>\n");
    }

    /// The budget in figures: each plan by fiscal year with its build/run split, what pursuing
    /// both saves, and the cost by category.
    fn budget(&self, h: &mut String) {
        let c = self.c;
        let s = self.p.scenario;
        h.push_str("<section id=\"budget\" class=\"page\"><h2>Budget</h2>\n");
        let calendar = s.programme.fiscal_calendar();
        let years = s.programme.fiscal_years_in_horizon();
        let mut head = String::from("<tr><th>Plan</th>");
        for y in &years {
            let _ = write!(head, "<th class=\"num\">{}</th>", escape(&y.label()));
        }
        head.push_str("<th class=\"num\">Total</th></tr>");
        let mut body = String::new();
        for (o, x) in self.p.plans.iter().zip(&c.plans) {
            let _ = write!(body, "<tr class=\"subtotal\"><td>{}</td>", escape(&x.plan));
            for (_, amount) in &x.by_fiscal_year {
                let _ = write!(body, "<td class=\"num\">{}</td>", self.money(*amount));
            }
            let _ = writeln!(body, "<td class=\"num\">{}</td></tr>", self.money(x.total));
            let natures = o.ledger.by_fiscal_year_and_nature(calendar);
            for nature in [Nature::Build, Nature::Run] {
                let label = match nature {
                    Nature::Build => "build (one-off)",
                    Nature::Run => "run (recurring)",
                };
                let _ = write!(body, "<tr><td>&nbsp;&nbsp;{label}</td>");
                let mut total = Decimal::ZERO;
                for y in &years {
                    let amount = natures.get(&(y.year, nature)).copied().unwrap_or_default();
                    total += amount;
                    let _ = write!(body, "<td class=\"num\">{}</td>", self.money(amount));
                }
                let _ = writeln!(body, "<td class=\"num\">{}</td></tr>", self.money(total));
            }
        }
        let mut content = table(&head, &body);
        if years.iter().any(|y| y.is_partial()) {
            content.push_str("<p class=\"note\">A fiscal year the horizon cuts is labelled with its months inside the horizon; its amounts cover those months only.</p>\n");
        }
        h.push_str(&kept("<h3>By fiscal year, build and run</h3>", &content));

        if c.plans.iter().any(|x| x.saving.is_some()) {
            let head = "<tr><th>Plan</th><th class=\"num\">Each framework alone</th><th class=\"num\">Saving</th><th class=\"num\">Shared controls</th><th class=\"num\">Shared recurring work</th><th class=\"num\">Combined-audit discount</th></tr>";
            let mut body = String::new();
            for x in &c.plans {
                if let Some(sv) = &x.saving {
                    let _ = writeln!(
                        body,
                        "<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
                        escape(&x.plan),
                        self.money(sv.separate_total),
                        self.money(sv.saving),
                        self.money(sv.shared_controls),
                        self.money(sv.shared_recurring),
                        self.money(sv.combined_audit_discount)
                    );
                }
            }
            h.push_str(&kept(
                "<h3>What pursuing both saves against each framework alone, on the same dates</h3>",
                &table(head, &body),
            ));
        }

        h.push_str("</section>\n");
    }

    /// Every plan's cost by category over the horizon.
    fn categories(&self, h: &mut String) {
        let c = self.c;
        let mut head = String::from("<tr><th>Category</th>");
        for o in self.p.plans {
            let _ = write!(head, "<th class=\"num\">{}</th>", escape(&o.plan.name));
        }
        head.push_str("</tr>");
        let by_category: Vec<std::collections::BTreeMap<Category, Decimal>> = self
            .p
            .plans
            .iter()
            .map(|o| {
                let mut m = std::collections::BTreeMap::new();
                for (account, amount) in o.ledger.entries() {
                    *m.entry(account.category).or_insert(Decimal::ZERO) += *amount;
                }
                m
            })
            .collect();
        let mut body = String::new();
        for category in Category::ALL {
            if !by_category.iter().any(|m| m.contains_key(&category)) {
                continue;
            }
            let _ = write!(body, "<tr><td>{}</td>", category.label());
            for m in &by_category {
                let amount = m.get(&category).copied().unwrap_or_default();
                let _ = write!(body, "<td class=\"num\">{}</td>", self.money(amount));
            }
            body.push_str("</tr>\n");
        }
        body.push_str("<tr class=\"total\"><td>Total</td>");
        for x in &c.plans {
            let _ = write!(body, "<td class=\"num\">{}</td>", self.money(x.total));
        }
        body.push_str("</tr>\n");
        h.push_str(&kept(
            "<h3>Cost by category over the horizon</h3>",
            &table(&head, &body),
        ));
    }

    /// One page per plan: its figures, its timeline and every key date.
    fn plans(&self, h: &mut String) {
        h.push_str("<div id=\"plans\">\n");
        for (o, x) in self.p.plans.iter().zip(&self.c.plans) {
            let name = escape(&o.plan.name);
            let _ = writeln!(
                h,
                "<section id=\"plan-{name}\" class=\"page plan\"><h2>Plan: {name}</h2>"
            );
            if !o.plan.description.is_empty() {
                let _ = writeln!(h, "<p>{}</p>", escape(&o.plan.description));
            }
            if !o.plan.overrides.is_empty() {
                let set: Vec<String> = o
                    .plan
                    .overrides
                    .iter()
                    .map(|v| format!("<code>{}</code> = {}", escape(&v.key), escape(&v.value)))
                    .collect();
                let base = o
                    .plan
                    .base
                    .as_ref()
                    .map(|b| format!("Starts from plan {}; ", escape(b)))
                    .unwrap_or_default();
                let _ = writeln!(
                    h,
                    "<p class=\"note\">{base}sets for itself: {} (every other input as the scenario gives it).</p>",
                    set.join(", ")
                );
            }
            let _ = writeln!(
                h,
                "<div class=\"figures\"><div>Total <b>{}</b></div><div>First 12 months <b>{}</b></div><div>Run cost / year <b>{}</b></div><div>Covered months <b>{}</b></div><div>Uncovered months <b>{}</b></div><div>Requirements met <b>{}</b></div></div>",
                self.money(x.total),
                self.money(x.first_year),
                x.run_rate.map_or_else(|| "—".into(), |r| self.money(r)),
                x.covered_months,
                x.uncovered_months,
                self.requirements_met(x),
            );
            h.push_str(&self.chart(
                &format!("timeline_{}", o.plan.name),
                &format!("Timeline of {}", o.plan.name),
            ));
            key_dates(h, o);
            h.push_str("</section>\n");
        }
        h.push_str("</div>\n");
    }

    /// The detail: warnings, assumptions and (on screen) the monthly costs and full schedule.
    fn appendix(&self, h: &mut String) {
        h.push_str("<section id=\"appendix\" class=\"page\"><h2>Appendix</h2>\n");
        self.categories(h);
        self.warnings(h);
        self.assumptions(h);
        self.detail_tables(h);
        h.push_str("</section>\n");
    }

    fn warnings(&self, h: &mut String) {
        let s = self.p.scenario;
        let mut warnings: Vec<String> = s
            .warnings
            .iter()
            .map(|w| format!("Scenario: {w}"))
            .collect();
        warnings.extend(assurance_warnings(self.p));
        for x in &self.c.plans {
            for v in &x.verdicts {
                if let Some(miss) = shortfall(v, self.currency)
                    && !matches!(v.outcome, Outcome::NotPursued)
                {
                    warnings.push(format!("{}: {miss}.", x.plan));
                }
            }
        }
        let mut list = String::from("<ul class=\"warnings\">\n");
        if warnings.is_empty() {
            list.push_str("<li>None: no lapses, suspensions or coverage gaps, and every requirement is met.</li>\n");
        }
        for w in &warnings {
            let _ = writeln!(list, "<li>{}</li>", escape(w));
        }
        list.push_str("</ul>\n");
        h.push_str(&format!(
            "<div id=\"warnings\">{}</div>\n",
            kept("<h3>Warnings</h3>", &list)
        ));
    }

    fn assumptions(&self, h: &mut String) {
        let mut body = String::new();
        for a in assumptions(self.p.scenario) {
            let _ = writeln!(
                body,
                "<tr><td><code>{}</code></td><td>{}</td><td>{}</td></tr>",
                escape(&a.key),
                escape(&a.value),
                escape(&a.source)
            );
        }
        let _ = write!(
            h,
            "<div id=\"assumptions\"><h3>Assumptions</h3>\n<p class=\"note\">Every input used, its value, and where it comes from.</p>\n{}</div>\n",
            table(
                "<tr><th>Input</th><th>Value</th><th>Source</th></tr>",
                &body
            )
        );
    }

    /// Long tables: open on screen, left out of print (the CSV files and the workbook hold them).
    fn detail_tables(&self, h: &mut String) {
        h.push_str("<div id=\"detail\"><h3>Monthly costs and full schedule</h3>\n<p class=\"note\">Open each below on screen. Printed, they are left out: monthly_costs.csv, schedule.csv and budget.xlsx (Monthly, Schedule) hold them.</p>\n");
        let mut head = String::from("<tr><th>Month</th>");
        for o in self.p.plans {
            let _ = write!(head, "<th class=\"num\">{}</th>", escape(&o.plan.name));
        }
        head.push_str("</tr>");
        let monthly: Vec<Vec<(crate::vocabulary::year_month::YearMonth, Decimal)>> = self
            .p
            .plans
            .iter()
            .map(PlanOutcome::monthly_totals)
            .collect();
        let mut body = String::new();
        for (m, month) in self.p.scenario.programme.months().enumerate() {
            let _ = write!(body, "<tr><td>{month}</td>");
            for plan in &monthly {
                let amount = plan.get(m).map(|(_, a)| *a).unwrap_or_default();
                let _ = write!(body, "<td class=\"num\">{}</td>", self.money(amount));
            }
            body.push_str("</tr>\n");
        }
        let _ = write!(
            h,
            "<details><summary>Monthly cost of every plan</summary>\n{}</details>\n",
            table(&head, &body)
        );
        for o in self.p.plans {
            let mut body = String::new();
            for e in &o.schedule.events {
                let _ = writeln!(
                    body,
                    "<tr><td>{}</td><td>{}</td><td>{}</td><td class=\"date\">{}</td><td class=\"date\">{}</td></tr>",
                    e.framework.label(),
                    e.cycle,
                    e.kind.label(),
                    e.start,
                    e.end
                );
            }
            let _ = write!(
                h,
                "<details><summary>Schedule of {} ({} events)</summary>\n{}</details>\n",
                escape(&o.plan.name),
                o.schedule.events.len(),
                table(
                    "<tr><th>Framework</th><th>Cycle</th><th>Event</th><th>Start</th><th>End</th></tr>",
                    &body
                )
            );
        }
        h.push_str("</div>\n");
    }
}

/// What a key date says, or `None` for events the key dates leave to the schedule. A decision
/// carries its certificate's expiry, a report its period, so that each milestone is one row.
fn key_date_row(e: &Event, events: &[Event]) -> Option<(NaiveDate, String, String)> {
    let ymd = |d: NaiveDate| d.format("%Y-%m-%d").to_string();
    let days = || {
        e.audit_days
            .map(|d| format!("{} auditor-days", d.normalize()))
            .unwrap_or_default()
    };
    let certificate_from = |decision: NaiveDate| {
        events
            .iter()
            .filter(|c| c.kind == EventKind::Certificate && c.cycle == e.cycle)
            .find(|c| c.start >= decision || c.end >= decision)
            .map(|c| format!("certificate valid to {}", ymd(c.end)))
            .unwrap_or_default()
    };
    let window = |kind: EventKind| {
        events
            .iter()
            .find(|w| w.kind == kind && w.cycle == e.cycle && w.reported == Some(e.start))
    };
    let row = |what: &str, detail: String| Some((e.start, what.to_string(), detail));
    match e.kind {
        EventKind::Stage1Audit => row("Stage 1 audit", days()),
        EventKind::Stage2Audit => row("Stage 2 audit", days()),
        EventKind::SurveillanceAudit => row("Surveillance audit", days()),
        EventKind::RecertificationAudit => row("Recertification audit", days()),
        EventKind::CertificationDecision => {
            row("Certification decision", certificate_from(e.start))
        }
        EventKind::RecertificationDecision => {
            // The renewed certificate belongs to the next cycle.
            let renewed = events
                .iter()
                .find(|c| c.kind == EventKind::Certificate && c.cycle == e.cycle + 1)
                .map(|c| format!("renewed to {}", ymd(c.end)))
                .unwrap_or_default();
            row("Recertification decision", renewed)
        }
        EventKind::Suspension => row("Certificate suspended", format!("until {}", ymd(e.end))),
        EventKind::Withdrawal => row("Certificate withdrawn", String::new()),
        EventKind::Lapse => row("Certificate lapsed", format!("until {}", ymd(e.end))),
        EventKind::Type1Report => {
            let as_of = window(EventKind::Type1AsOf)
                .map(|w| format!("as of {}", ymd(w.start)))
                .unwrap_or_default();
            row("SOC 2 Type I report", as_of)
        }
        EventKind::Type2Report => {
            let period = window(EventKind::ObservationWindow)
                .map(|w| format!("period {} – {}", ymd(w.start), ymd(w.end)))
                .unwrap_or_default();
            row(&format!("SOC 2 Type II report {}", e.cycle), period)
        }
        EventKind::Soc3Report => row(&format!("SOC 3 report {}", e.cycle), String::new()),
        EventKind::BridgeLetter => row("Bridge letter", format!("covers to {}", ymd(e.end))),
        EventKind::CoverageGap => row(
            "Coverage gap",
            format!("no current report to {}", ymd(e.end)),
        ),
        EventKind::BookCertificationBody | EventKind::EngageCpaFirm => {
            let (kind, day) = e.books?;
            let what = match kind {
                EventKind::Stage1Audit => "Stage 1 and Stage 2 audits from",
                EventKind::Stage2Audit => "Stage 2 audit on",
                EventKind::SurveillanceAudit => "surveillance audit on",
                EventKind::RecertificationAudit => "recertification audit on",
                EventKind::Type1AsOf => "Type I report as of",
                _ => "observation window from",
            };
            // A Type I and the first window that start together are one engagement.
            let with_window = kind == EventKind::Type1AsOf
                && events.iter().any(|w| {
                    w.kind == EventKind::ObservationWindow && w.cycle == e.cycle && w.start == day
                });
            let also = if with_window {
                " and the observation window from then"
            } else {
                ""
            };
            row(e.kind.label(), format!("for the {what} {}{also}", ymd(day)))
        }
        _ => None,
    }
}

/// Every key date of a plan: external audits, decisions, certificates and their expiry, every
/// report, bridge letters, lapses and gaps, in date order; a long list in two columns.
fn key_dates(h: &mut String, o: &PlanOutcome) {
    let mut rows: Vec<(NaiveDate, &str, String, String)> = o
        .schedule
        .events
        .iter()
        .filter_map(|e| {
            key_date_row(e, &o.schedule.events)
                .map(|(d, what, detail)| (d, e.framework.short_label(), what, detail))
        })
        .collect();
    rows.sort_by_key(|r| r.0);
    let render = |rows: &[(NaiveDate, &str, String, String)]| {
        let mut body = String::new();
        for (date, framework, what, detail) in rows {
            let _ = writeln!(
                body,
                "<tr><td class=\"date\">{date}</td><td>{framework}</td><td>{}</td><td>{}</td></tr>",
                escape(what),
                escape(detail)
            );
        }
        table(
            "<tr><th>Date</th><th></th><th>What</th><th>Detail</th></tr>",
            &body,
        )
        .replacen("<table>", "<table class=\"dates\">", 1)
    };
    let heading = "<h3>Key dates</h3>";
    if rows.is_empty() {
        h.push_str(&kept(
            heading,
            "<p>No audit, decision or report falls inside the horizon.</p>",
        ));
    } else if rows.len() <= 8 {
        h.push_str(&kept(heading, &render(&rows)));
    } else {
        let half = rows.len().div_ceil(2);
        let columns = format!(
            "<div class=\"pair\"><div>{}</div><div>{}</div></div>",
            render(&rows[..half]),
            render(&rows[half..])
        );
        h.push_str(&kept(heading, &columns));
    }
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
                EventKind::CoverageGap => "SOC 2 coverage gap (beyond what a bridge letter covers)",
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

/// The time the report was made, only when SOURCE_DATE_EPOCH gives it (reproducible builds'
/// convention), so that reruns stay byte-identical otherwise.
fn generated_at() -> Option<String> {
    let seconds: i64 = std::env::var("SOURCE_DATE_EPOCH")
        .ok()?
        .trim()
        .parse()
        .ok()?;
    let time = chrono::DateTime::from_timestamp(seconds, 0)?;
    Some(time.format("%Y-%m-%d %H:%M UTC").to_string())
}

/// What the risk section shows: the analysis and its charts (SVG, sized for the report).
/// What it would take to lift each requirement the closest plan misses to the confidence
/// (`decision::levers`), one change at a time.
#[allow(clippy::float_arithmetic)] // probabilities shown as percentages
fn levers_table(plan: &str, levers: &[crate::decision::levers::Lever], confidence: f64) -> String {
    let pct = |p: f64| format!("{:.0} %", p * 100.0);
    let heading = format!(
        "<h3>What it would take: {} to {}</h3>",
        escape(plan),
        pct(confidence)
    );
    if levers.is_empty() {
        return kept(
            &heading,
            "<p>No single lever reaches the confidence: a start up to 24 months earlier, \
             deadlines up to 104 weeks later, a cap up to four times the given one, or any risk \
             down to 0 %.</p>",
        );
    }
    let head = "<tr><th>Requirement</th><th>Change (one at a time)</th><th>Scenario edit</th>\
                <th class=\"num\">Then met</th><th class=\"num\">All met</th></tr>";
    let mut body = String::new();
    for l in levers {
        let _ = writeln!(
            body,
            "<tr><td>{}</td><td>{}</td><td><code>{}</code></td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
            escape(&l.requirement),
            escape(&l.change),
            escape(&l.edit),
            pct(l.probability),
            pct(l.all_met)
        );
    }
    kept(&heading, &table(head, &body))
}

#[derive(Copy, Clone)]
pub struct RiskSection<'a> {
    pub analysis: &'a crate::decision::risk_analysis::Analysis,
    pub charts: &'a [(String, String)],
}

impl Page<'_> {
    /// With `[[demand]]`: each plan's net value over the draws, the odds it is positive and of
    /// payback by `[finance] payback_by`, and its payback month.
    #[allow(clippy::float_arithmetic)] // probabilities shown as percentages
    fn value_table(&self, a: &crate::decision::risk_analysis::Analysis) -> String {
        use crate::decision::risk_analysis::{amount, month_of};
        let s = self.p.scenario;
        let discounted = crate::decision::business_case::discount_rate(s).is_some();
        let metric = if discounted {
            "npv_net_value"
        } else {
            "net_value"
        };
        let by = a
            .plans
            .iter()
            .find_map(|p| p.value.as_ref().and_then(|v| v.payback_by))
            .map(|(m, _)| m);
        let mut head = String::from(
            "<tr><th>Plan</th><th class=\"num\">Expected</th><th class=\"num\">P10</th><th class=\"num\">P50</th><th class=\"num\">P80</th><th class=\"num\">P90</th><th class=\"num\">Above zero</th><th>Payback P50</th><th>Payback P80</th>",
        );
        if let Some(m) = by {
            let _ = write!(head, "<th class=\"num\">Paid back by {m}</th>");
        }
        head.push_str("</tr>");
        let mut body = String::new();
        for p in &a.plans {
            let Some(v) = &p.value else { continue };
            let value = p.summaries.iter().find(|m| m.metric == metric);
            let payback = p.summaries.iter().find(|m| m.metric == "payback_month");
            let money = |k: usize| {
                value.map_or_else(String::new, |m| self.money(amount(s, m.percentiles[k])))
            };
            let month = |k: usize| {
                payback
                    .and_then(|m| month_of(s, m.percentiles[k]))
                    .map_or_else(|| "none".into(), |m| m.to_string())
            };
            let _ = write!(
                body,
                "<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{:.0} %</td><td>{}</td><td>{}</td>",
                escape(&p.plan),
                self.money(amount(s, v.expected)),
                money(0),
                money(1),
                money(2),
                money(3),
                v.positive * 100.0,
                month(1),
                month(2),
            );
            if let Some((_, paid)) = v.payback_by {
                let _ = write!(body, "<td class=\"num\">{:.0} %</td>", paid * 100.0);
            }
            body.push_str("</tr>\n");
        }
        let title = if discounted {
            "Net present value over the draws"
        } else {
            "Net value over the draws"
        };
        kept(
            &format!("<h3>{title}: deals won or lost by each draw's dates</h3>"),
            &table(&head, &body),
        )
    }

    /// The risk section (`certplan risk`): odds of meeting each requirement, P50/P80 cost and
    /// dates, the recommendation at the stated confidence, S-curves, fans and tornados.
    #[allow(clippy::float_arithmetic)] // probabilities shown as percentages
    fn risk(&self, h: &mut String, r: RiskSection) {
        use crate::decision::risk_analysis::MetricKind;
        let s = self.p.scenario;
        let a = r.analysis;
        let pct = |p: f64| format!("{:.0} %", p * 100.0);
        let chart = |stem: &str, label: &str| chart_of(r.charts, stem, label);
        let stat = |m: &crate::decision::risk_analysis::Summary, k: usize| match m.kind {
            MetricKind::Money => {
                self.money(crate::decision::risk_analysis::amount(s, m.percentiles[k]))
            }
            MetricKind::Date => crate::decision::risk_analysis::date_of(s, m.percentiles[k])
                .map_or_else(|| "after the horizon".into(), |d| d.to_string()),
            MetricKind::Months => format!("{:.0}", m.percentiles[k]),
            MetricKind::Month => crate::decision::risk_analysis::month_of(s, m.percentiles[k])
                .map_or_else(|| "after the horizon".into(), |d| d.to_string()),
        };
        let _ = writeln!(
            h,
            "<section id=\"risk\" class=\"page\"><h2>Risk: ranges and what can go wrong</h2>\n<p class=\"meta\">{} draws (seed {}): every range drawn and every risk played through the certification cycle, the same draw for every plan. P50 is the figure met in half the draws, P80 in four out of five.</p>",
            a.draws, a.seed
        );
        let _ = writeln!(h, "<p class=\"headline\">{}</p>", escape(&a.recommendation));
        let mut head = String::from(
            "<tr><th>Plan</th><th class=\"num\">Total P50</th><th class=\"num\">Total P80</th><th>Key date P50</th><th>Key date P80</th>",
        );
        for req in &a.requirements {
            let _ = write!(
                head,
                "<th class=\"num\">{}</th>",
                escape(&req.describe(self.currency))
            );
        }
        let _ = write!(head, "<th class=\"num\">All met</th></tr>");
        let mut body = String::new();
        for (i, p) in a.plans.iter().enumerate() {
            let total = p.summaries.iter().find(|m| m.metric == "total_cost");
            let key = p.summaries.iter().find(|m| {
                m.metric
                    == if p.key_date.contains("ISO") {
                        "first_iso_certificate"
                    } else {
                        "first_soc2_type2_report"
                    }
            });
            let class = if a.recommended == Some(i) {
                " class=\"recommended\""
            } else {
                ""
            };
            let _ = write!(
                body,
                "<tr{class}><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"date\">{}</td><td class=\"date\">{}</td>",
                escape(&p.plan),
                total.map_or_else(String::new, |m| stat(m, 1)),
                total.map_or_else(String::new, |m| stat(m, 2)),
                key.map_or_else(|| "—".into(), |m| stat(m, 1)),
                key.map_or_else(|| "—".into(), |m| stat(m, 2)),
            );
            for prob in &p.requirement_probability {
                let _ = write!(body, "<td class=\"num\">{}</td>", pct(*prob));
            }
            let _ = writeln!(
                body,
                "<td class=\"num\">{}</td></tr>",
                pct(p.all_met_probability)
            );
        }
        h.push_str(&kept(
            "<h3>Cost, dates and odds by plan</h3>",
            &table(&head, &body),
        ));
        if a.plans.iter().any(|p| p.value.is_some()) {
            h.push_str(&self.value_table(a));
        }
        if let Some((plan, levers)) = &a.levers {
            h.push_str(&levers_table(&a.plans[*plan].plan, levers, a.confidence));
        }
        for curve in crate::render::charts::risk::curves(s) {
            h.push_str(&chart(curve.stem(), "An S-curve of cumulative probability"));
        }
        for p in &a.plans {
            let _ = writeln!(
                h,
                "<div class=\"keep\"><h3>{}: the range of its cost, and what drives it</h3>",
                escape(&p.plan)
            );
            h.push_str(&chart(
                &format!("fan_{}", p.plan),
                "Cumulative cost P10 to P90",
            ));
            h.push_str("</div>\n");
            h.push_str(&chart(&format!("tornado_{}", p.plan), "What moves the P50"));
        }
        h.push_str("</section>\n");
    }
}

pub fn report_html(
    p: Projected,
    c: &Comparison,
    charts: &[(String, String)],
    risk: Option<RiskSection>,
) -> OutputFile {
    let s = p.scenario;
    let page = Page {
        p,
        c,
        charts,
        currency: s.programme.currency,
    };
    let mut h = String::new();
    let name = escape(&s.programme.name);
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{name}: compliance programme plan</title>\n<style>{STYLE}</style>\n</head>\n<body>\n"
    );
    let fiscal = match s.programme.fiscal_year_start_month.get() {
        1 => String::new(),
        m => format!(
            ", fiscal years from {}",
            crate::render::charts::month_name(m)
        ),
    };
    let _ = writeln!(
        h,
        "<header><h1>{name}</h1><p class=\"meta\">Compliance programme plan: {} plans over {} months, {} to {}, in {}{fiscal}. Headcount {}.</p></header>",
        c.plans.len(),
        s.programme.horizon_months.get(),
        crate::render::charts::month_label(s.programme.start),
        crate::render::charts::month_label(s.programme.last_month()),
        page.currency,
        s.programme.headcount.get_ref().get()
    );
    page.decision(&mut h, risk.map(|r| r.analysis));
    page.comparison(&mut h);
    page.budget(&mut h);
    page.business(&mut h);
    page.plans(&mut h);
    if let Some(r) = risk {
        page.risk(&mut h, r);
    }
    page.appendix(&mut h);
    let generated = generated_at()
        .map(|t| format!(" Generated {t}."))
        .unwrap_or_default();
    let _ = write!(
        h,
        "<footer>Made by certplan {} from a scenario file with SHA-256 {} (<code>sha256sum</code> shows it in full: {}).{generated} Amounts are exact to the cent, in {}; every total is the sum of its parts. Same scenario, same report.</footer>\n</body>\n</html>\n",
        env!("CARGO_PKG_VERSION"),
        &s.sha256[..12.min(s.sha256.len())],
        s.sha256,
        page.currency
    );
    OutputFile {
        name: "report.html".into(),
        bytes: h.into_bytes(),
    }
}
