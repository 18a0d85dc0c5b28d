//! Every input a projection used, its value, and where it came from: set in the scenario (with
//! its line), certplan's default (with the default's source: a standard's clause, a public
//! figure and where it comes from, or certplan's own assumption), or derived from other inputs.
//! The report and the workbook print this table, so a reader can tell the figures a company was
//! quoted from certplan's own.

use crate::scenario::inputs::{CostItem, Payment};
use crate::scenario::{BillingPeriod, Scenario};
use crate::vocabulary::money::{Amount, display_amount};

/// Where an input's value came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Origin {
    /// Set in the scenario file, on this line.
    Scenario { line: usize },
    /// certplan's default.
    Default,
    /// Computed from other inputs (audit days from the ISO/IEC 27006-1 table and the headcount).
    Derived,
}

/// One input.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Assumption {
    pub key: String,
    pub value: String,
    pub origin: Origin,
    /// For people: "scenario, line 12", "default: … (standard ISO/IEC 17021-1)", "derived: …".
    pub source: String,
}

/// What kind of source backs a default.
#[derive(Copy, Clone)]
enum Backing {
    /// A normative document: a standard's clause or an accreditation document.
    Standard(&'static str),
    /// A figure published by practitioners, with where it comes from.
    Public(&'static str),
    /// Common practice of certification bodies or CPA firms.
    Practice(&'static str),
    /// certplan's own assumption, with no public source.
    Assumption(&'static str),
}

/// The source of each default, in words a CISO can follow (docs/domain.md has the detail).
fn default_backing(key: &str) -> Backing {
    use Backing::*;
    match key {
        "programme.fiscal_year_start_month" => Assumption("the calendar year"),
        "programme.fiscal_year_naming" => {
            Assumption("a year is named after the year it ends in (US practice)")
        }
        "programme.sites" => Assumption("one site"),
        "programme.headcount_growth_per_year" => Assumption("a constant headcount"),
        "iso27001.slip" => Assumption("every audit on time"),
        "iso27001.standard" => {
            Standard("IAF MD 26: only ISO/IEC 27001:2022 is certified after 2025-10-31")
        }
        "iso27001.gap_assessment_months" => {
            Public("consultants quote about 1 month for a gap analysis")
        }
        "iso27001.implementation_months" => {
            Public("consultants quote 3 to 6 months to build an ISMS")
        }
        "iso27001.operation_before_stage1_months" => Practice(
            "certification bodies expect the ISMS to operate about 3 months before Stage 2, with an internal audit and a management review done (ISO/IEC 17021-1 9.3)",
        ),
        "iso27001.stage1_to_stage2_weeks" => {
            Practice("4 to 8 weeks between Stage 1 and Stage 2 is usual; no rule sets a maximum")
        }
        "iso27001.decision_lag_weeks" => Practice(
            "closing findings and deciding take 4 to 6 weeks; certification bodies allow about 90 days",
        ),
        "iso27001.surveillance_months_after_decision" => Standard(
            "ISO/IEC 17021-1 9.6.2: first surveillance audit within 12 months of the decision",
        ),
        "iso27001.recertification_lead_months" => Practice(
            "certification bodies start recertification 3 to 6 months before expiry, so that the decision comes first (ISO/IEC 17021-1 9.6.3)",
        ),
        "iso27001.certificate_expiry" => {
            Standard("ISO/IEC 17021-1: a three-year certification cycle")
        }
        "iso27001.complexity_adjustment" => {
            Standard("ISO/IEC 27006-1: the table's time, no adjustment")
        }
        "iso27001.stage1_share" => {
            Public("Stage 2 takes about 60 to 80 % of the initial audit days")
        }
        "iso27001.multi_site_sampling" => Assumption("off: site sampling rests on a weak source"),
        "iso27001.repetitive_work_persons" => Standard(
            "ISO/IEC 27006-1:2024 C.3.4 allows counting identical repetitive work as its square root; the certification body decides, so none by default",
        ),
        "iso27001.day_rate" => {
            Public("$1,500 to $2,500 per auditor-day, certification bodies' published rates (USD)")
        }
        "iso27001.booking_lead_months" => {
            Practice("certification bodies are booked 3 to 4 months ahead")
        }
        "iso27001.readiness_consulting" | "iso27001.remediation" => {
            Assumption("public figures put ISO/IEC 27001 all-in at $50,000 to $200,000 (USD)")
        }
        "iso27001.internal_audit" => Public(
            "an outsourced internal audit costs about £500 to £3,000 (GBP), consultants' rates",
        ),
        "iso27001.management_review" | "iso27001.risk_assessment" => {
            Assumption("yearly (ISO/IEC 27001 clauses 9.3, 6.1.2 and 8.2)")
        }
        "soc2.categories" => Standard("AICPA Trust Services Criteria: security is always in scope"),
        "soc2.readiness_months" => Practice("readiness takes 1 to 4 months"),
        "soc2.type1_first" => Assumption("a Type I report before the first Type II"),
        "soc2.first_window_months" => {
            Practice("a first Type II period of 3 to 6 months is usual; the AICPA sets no minimum")
        }
        "soc2.later_window_months" => Practice("later Type II periods of 12 months, back to back"),
        "soc2.report_lag_weeks" => {
            Practice("CPA firms issue reports 2 to 8 weeks after the period ends")
        }
        "soc2.report_current_months" | "soc2.currency_anchor" => {
            Practice("customers treat a report as current for 12 months after its period ends")
        }
        "soc2.bridge_letters" | "soc2.bridge_letter_max_months" => {
            Practice("a management bridge letter covers a gap of up to about 3 months")
        }
        "soc2.type1_fee" => {
            Public("a Type I costs $5,000 to $25,000 at boutique firms, up to $40,000 (USD)")
        }
        "soc2.type2_fee" => Public(
            "SOC 2 audits cost $20,000 to $150,000, median about $30,000 (USD), auditors' and vendors' surveys",
        ),
        "soc2.soc3" => Assumption("no SOC 3 report"),
        "soc2.readiness_consulting" | "soc2.remediation" => Assumption(
            "public figures put a small company's first SOC 2 year at $20,000 to $60,000 all-in (USD)",
        ),
        "shared.platform" => Assumption("platforms quote by headcount and number of frameworks"),
        "shared.penetration_test" => {
            Public("a web application penetration test costs $5,000 to $20,000 (USD)")
        }
        _ => Assumption("no public source"),
    }
}

fn default_source(key: &str) -> String {
    match default_backing(key) {
        Backing::Standard(text) => format!("default, standard: {text}"),
        Backing::Public(text) => format!("default, public figure: {text}"),
        Backing::Practice(text) => format!("default, common practice: {text}"),
        Backing::Assumption(text) => format!("default, certplan's assumption: {text}"),
    }
}

fn item(c: &CostItem, default: Payment, s: &Scenario) -> String {
    format!(
        "{} ({})",
        display_amount(c.amount.0, s.programme.currency),
        c.paid_or(default).as_str()
    )
}

/// Every input of the scenario with its value and source, in file order.
/// (dotted key, value as shown) of every input, before its source is found.
type Rows = Vec<(String, String)>;

/// Every input of the scenario with its value and source, in file order.
pub fn assumptions(s: &Scenario) -> Vec<Assumption> {
    let mut rows = programme_rows(s);
    rows.extend(iso27001_rows(s));
    rows.extend(soc2_rows(s));
    rows.extend(shared_rows(s));
    rows.extend(finance_rows(s));
    rows.extend(plan_rows(s));
    rows.into_iter()
        .map(|(key, value)| sourced(s, key, value))
        .chain(demand_rows(s))
        .chain(plan_overrides(s))
        .chain(risk_input_rows(s))
        .collect()
}

/// What `compare` judges and `certplan risk` draws: each requirement (the yearly cap among
/// them), the confidence the recommendation asks, every range with its three points and shape,
/// and every `[[risk]]` with its probability and effect; each with its line.
fn risk_input_rows(s: &Scenario) -> Vec<Assumption> {
    let currency = s.programme.currency;
    let at = |key: &str| s.given_lines.get(key).copied();
    let row = |key: String, value: String, line: Option<usize>, note: &str| {
        let (origin, source) = match line {
            Some(line) => (
                Origin::Scenario { line },
                format!("scenario, line {line}{note}"),
            ),
            None => (Origin::Default, format!("default{note}")),
        };
        Assumption {
            key,
            value,
            origin,
            source,
        }
    };
    let r = &s.requirements;
    let mut rows = Vec::new();
    let dates = [
        ("iso_certificate_by", r.iso_certificate_by),
        ("soc2_type1_report_by", r.soc2_type1_report_by),
        ("soc2_type2_report_by", r.soc2_type2_report_by),
    ];
    for (name, date) in dates {
        if let Some(date) = date {
            let key = format!("requirements.{name}");
            let line = at(&key);
            rows.push(row(key, date.0.to_string(), line, ""));
        }
    }
    if let Some(cap) = r.yearly_budget_cap {
        let key = "requirements.yearly_budget_cap".to_string();
        let line = at(&key);
        rows.push(row(
            key,
            format!("{} a fiscal year at most", display_amount(cap.0, currency)),
            line,
            "",
        ));
    }
    if r.confidence.is_some() || !s.uncertain.is_empty() || !s.risks.is_empty() {
        let key = "requirements.confidence".to_string();
        let line = at(&key);
        let value = r
            .confidence
            .map_or_else(|| "0.8".to_string(), |c| c.get().normalize().to_string());
        let note = if line.is_some() {
            ": the share of draws in which a plan must meet every requirement"
        } else {
            ": certplan's assumption, a plan must meet every requirement in 80 % of the draws"
        };
        rows.push(row(key, value, line, note));
    }
    for u in &s.uncertain {
        let e = &u.estimate;
        let unit = match u.unit {
            crate::scenario::uncertainty::Unit::Money => currency.code().to_string(),
            other => other.as_str().to_string(),
        };
        rows.push(row(
            format!("{} (range)", u.key),
            format!(
                "low {}, likely {}, high {} {unit}, {}",
                e.low,
                e.likely,
                e.high,
                e.shape.as_str()
            ),
            Some(u.line),
            ": certplan risk draws from it; plan and compare use the likely value",
        ));
    }
    for (i, risk) in s.risks.iter().enumerate() {
        let mut effect = Vec::new();
        if risk.months > 0 {
            effect.push(format!("{} months", risk.months));
        }
        if !risk.cost.is_zero() {
            effect.push(display_amount(risk.cost, currency));
        }
        if !risk.rise.is_zero() {
            effect.push(format!("fees up {}", risk.rise.normalize()));
        }
        if risk.event == crate::scenario::risk::RiskEvent::Stage2MajorNonconformity {
            effect.push(format!(
                "{} follow-up auditor-days",
                risk.follow_up_days.normalize()
            ));
        }
        let entry = format!("risk[{}].", i + 1);
        let ranged = if s.uncertain.iter().any(|u| u.key.starts_with(&entry)) {
            " (likely values; drawn from the ranges listed)"
        } else {
            ""
        };
        let plans = risk.plans.as_ref().map_or_else(
            || "every plan".to_string(),
            |p| format!("plans {}", p.join(", ")),
        );
        rows.push(row(
            format!("risk {}: {}", i + 1, risk.name),
            format!(
                "{}: probability {}; effect {}{ranged}; {plans}",
                risk.event.as_str(),
                risk.probability,
                if effect.is_empty() {
                    "as the event plays it".to_string()
                } else {
                    effect.join(", ")
                }
            ),
            (risk.line > 0).then_some(risk.line),
            "",
        ));
    }
    rows
}

fn programme_rows(s: &Scenario) -> Rows {
    let p = &s.programme;
    let mut rows = vec![
        ("programme.name".into(), p.name.clone()),
        ("programme.start".into(), p.start.to_string()),
        (
            "programme.horizon_months".into(),
            p.horizon_months.get().to_string(),
        ),
        ("programme.currency".into(), p.currency.to_string()),
        (
            "programme.fiscal_year_start_month".into(),
            p.fiscal_year_start_month.get().to_string(),
        ),
        (
            "programme.fiscal_year_naming".into(),
            p.fiscal_year_naming.as_str().to_string(),
        ),
        (
            "programme.headcount".into(),
            p.headcount.get_ref().get().to_string(),
        ),
        ("programme.sites".into(), p.sites.get().to_string()),
        (
            "programme.headcount_growth_per_year".into(),
            p.headcount_growth_per_year.get_ref().get().to_string(),
        ),
    ];
    // Listed when set: every output already writes its years the way it says.
    if s.given.contains("programme.fiscal_year_label") {
        rows.insert(
            6,
            (
                "programme.fiscal_year_label".into(),
                p.fiscal_year_label.get_ref().as_str().to_string(),
            ),
        );
    }
    rows
}

/// ISO/IEC 27001 inputs, when the scenario has the section.
fn iso27001_rows(s: &Scenario) -> Rows {
    let money = |a: &Amount| display_amount(a.0, s.programme.currency);
    let mut rows: Rows = Vec::new();
    if s.iso27001.is_some() {
        rows.push(("iso27001.standard".into(), "ISO/IEC 27001:2022".into()));
    }
    if let Some(i) = &s.iso27001 {
        rows.extend([
            (
                "iso27001.gap_assessment_months".into(),
                i.gap_assessment_months.get().to_string(),
            ),
            (
                "iso27001.implementation_months".into(),
                i.implementation_months.get().to_string(),
            ),
            (
                "iso27001.operation_before_stage1_months".into(),
                i.operation_before_stage1_months.get().to_string(),
            ),
            (
                "iso27001.stage1_to_stage2_weeks".into(),
                i.stage1_to_stage2_weeks.get().to_string(),
            ),
            (
                "iso27001.decision_lag_weeks".into(),
                i.decision_lag_weeks.get().to_string(),
            ),
            (
                "iso27001.surveillance_months_after_decision".into(),
                i.surveillance_months_after_decision.get().to_string(),
            ),
            (
                "iso27001.recertification_lead_months".into(),
                i.recertification_lead_months.get().to_string(),
            ),
            (
                "iso27001.certificate_expiry".into(),
                i.certificate_expiry.as_str().to_string(),
            ),
            (
                "iso27001.audit_days".into(),
                match i.audit_time.initial_days_at(s.programme.start.first_day()) {
                    Some(days) => format!("{} initial auditor-days at the start", days.normalize()),
                    None => "from the table".to_string(),
                },
            ),
            (
                "iso27001.repetitive_work_persons".into(),
                i.repetitive_work_persons.as_ref().map_or_else(
                    || "none".into(),
                    |n| format!("{} (counted as their square root)", n.get_ref().get()),
                ),
            ),
            (
                "iso27001.complexity_adjustment".into(),
                i.complexity_adjustment.get().to_string(),
            ),
            (
                "iso27001.stage1_share".into(),
                i.stage1_share.get().to_string(),
            ),
            (
                "iso27001.multi_site_sampling".into(),
                i.multi_site_sampling.to_string(),
            ),
            ("iso27001.day_rate".into(), money(&i.day_rate)),
            (
                "iso27001.travel_per_audit".into(),
                money(&i.travel_per_audit),
            ),
            ("iso27001.application_fee".into(), money(&i.application_fee)),
            ("iso27001.certificate_fee".into(), money(&i.certificate_fee)),
            (
                "iso27001.audit_fees_paid".into(),
                i.audit_fees_paid.as_str().into(),
            ),
            (
                "iso27001.booking_lead_months".into(),
                i.booking_lead_months.get().to_string(),
            ),
            (
                "iso27001.readiness_consulting".into(),
                item(&i.readiness_consulting, Payment::Spread, s),
            ),
            (
                "iso27001.remediation".into(),
                item(&i.remediation, Payment::Spread, s),
            ),
            (
                "iso27001.internal_audit".into(),
                item(&i.internal_audit, Payment::AtFieldwork, s),
            ),
            (
                "iso27001.management_review".into(),
                item(&i.management_review, Payment::AtFieldwork, s),
            ),
            (
                "iso27001.risk_assessment".into(),
                item(&i.risk_assessment, Payment::AtFieldwork, s),
            ),
            (
                "iso27001.staff_fte".into(),
                format!(
                    "build {}, operate {}, run {}",
                    i.staff_fte.build.get(),
                    i.staff_fte.operate.get(),
                    i.staff_fte.run.get()
                ),
            ),
            (
                "iso27001.slip".into(),
                if i.slip.is_empty() {
                    "none".into()
                } else {
                    format!("{} slipped audits", i.slip.len())
                },
            ),
        ]);
    }
    rows
}

/// SOC 2 inputs, when the scenario has the section.
fn soc2_rows(s: &Scenario) -> Rows {
    let money = |a: &Amount| display_amount(a.0, s.programme.currency);
    let mut rows: Rows = Vec::new();
    if let Some(c) = &s.soc2 {
        let categories: Vec<&str> = c.categories.get_ref().iter().map(|t| t.as_str()).collect();
        rows.extend([
            ("soc2.categories".into(), categories.join(", ")),
            (
                "soc2.readiness_months".into(),
                c.readiness_months.get().to_string(),
            ),
            ("soc2.type1_first".into(), c.type1_first.to_string()),
            (
                "soc2.first_window_months".into(),
                c.first_window_months.get().to_string(),
            ),
            (
                "soc2.later_window_months".into(),
                c.later_window_months.get().to_string(),
            ),
            (
                "soc2.report_lag_weeks".into(),
                c.report_lag_weeks.get().to_string(),
            ),
            (
                "soc2.report_current_months".into(),
                c.report_current_months.get().to_string(),
            ),
            (
                "soc2.currency_anchor".into(),
                c.currency_anchor.as_str().to_string(),
            ),
            ("soc2.bridge_letters".into(), c.bridge_letters.to_string()),
            (
                "soc2.bridge_letter_max_months".into(),
                c.bridge_letter_max_months.get().to_string(),
            ),
            ("soc2.type1_fee".into(), money(&c.type1_fee)),
            ("soc2.type2_fee".into(), money(&c.type2_fee)),
            ("soc2.soc3".into(), c.soc3.to_string()),
            ("soc2.soc3_fee".into(), money(&c.soc3_fee)),
            (
                "soc2.category_uplift".into(),
                c.category_uplift.get().to_string(),
            ),
            (
                "soc2.audit_fees_paid".into(),
                c.audit_fees_paid.as_str().into(),
            ),
            (
                "soc2.booking_lead_months".into(),
                c.booking_lead_months.get().to_string(),
            ),
            (
                "soc2.readiness_consulting".into(),
                item(&c.readiness_consulting, Payment::Spread, s),
            ),
            (
                "soc2.remediation".into(),
                item(&c.remediation, Payment::Spread, s),
            ),
            (
                "soc2.staff_fte".into(),
                format!(
                    "build {}, operate {}, run {}",
                    c.staff_fte.build.get(),
                    c.staff_fte.operate.get(),
                    c.staff_fte.run.get()
                ),
            ),
        ]);
    }
    rows
}

/// Shared recurring work and staff cost.
fn shared_rows(s: &Scenario) -> Rows {
    let money = |a: &Amount| display_amount(a.0, s.programme.currency);
    let mut rows: Rows = Vec::new();
    let platform = &s.shared.platform;
    rows.extend([
        (
            "shared.platform".into(),
            format!(
                "{} per {}, +{} per extra framework",
                money(&platform.amount),
                match platform.per {
                    BillingPeriod::Month => "month",
                    BillingPeriod::Year => "year",
                },
                money(&platform.extra_framework)
            ),
        ),
        (
            "shared.penetration_test".into(),
            item(&s.shared.penetration_test, Payment::AtFieldwork, s),
        ),
        (
            "shared.training".into(),
            item(&s.shared.training, Payment::AtFieldwork, s),
        ),
        (
            "staff.loaded_monthly_cost".into(),
            money(&s.staff.loaded_monthly_cost),
        ),
    ]);
    rows
}

/// Each plan: its frameworks and fractions.
fn plan_rows(s: &Scenario) -> Rows {
    let mut rows: Rows = Vec::new();
    for plan in &s.plans {
        let frameworks: Vec<String> = plan
            .frameworks
            .iter()
            .map(|f| format!("{} from month {}", f.framework, f.start_offset_months + 1))
            .collect();
        rows.push((
            format!("plan {}", plan.name),
            format!(
                "{}; shared controls {}, combined-audit discount {}{}{}",
                frameworks.join(", "),
                plan.shared_control_fraction.normalize(),
                plan.combined_audit_discount.normalize(),
                if plan.frameworks.len() > 1 {
                    format!(
                        ", later build shortened by {}",
                        plan.shared_control_time_saving.normalize()
                    )
                } else {
                    String::new()
                },
                plan.base
                    .as_ref()
                    .map(|b| format!("; starts from plan {b}"))
                    .unwrap_or_default()
            ),
        ));
    }
    rows
}

/// `[finance]` and `[calendar]`, when the scenario has them.
fn finance_rows(s: &Scenario) -> Rows {
    let mut rows: Rows = Vec::new();
    if let Some(f) = &s.finance {
        if let Some(rate) = f.discount_rate {
            rows.push((
                "finance.discount_rate".into(),
                rate.get().normalize().to_string(),
            ));
        }
        let c = f.contingency;
        if !c.is_zero() {
            rows.push((
                "finance.contingency".into(),
                format!(
                    "build {}, run {}",
                    c.build.get().normalize(),
                    c.run.get().normalize()
                ),
            ));
        }
        let e = &f.escalation;
        if !e.is_zero() {
            rows.push((
                "finance.escalation".into(),
                format!(
                    "audit fees {}, subscriptions {}, staff {} a year from {}",
                    e.audit_fees.get().normalize(),
                    e.subscriptions.get().normalize(),
                    e.staff.get().normalize(),
                    e.from.unwrap_or(s.programme.start.plus(12))
                ),
            ));
        }
    }
    if !s.calendar.holidays.is_empty() {
        let days: Vec<String> = s
            .calendar
            .holidays
            .iter()
            .map(ToString::to_string)
            .collect();
        rows.push(("calendar.holidays".into(), days.join(", ")));
    }
    rows
}

/// Each `[[demand]]` entry: what it needs, what it is worth, and the odds.
fn demand_rows(s: &Scenario) -> Vec<Assumption> {
    let currency = s.programme.currency;
    s.demand
        .iter()
        .map(|d| {
            let worth = match d.worth {
                crate::scenario::demand::Worth::Monthly(m) => {
                    format!("{} a month", display_amount(m, currency))
                }
                crate::scenario::demand::Worth::OneOff(v) => {
                    format!("{} once", display_amount(v, currency))
                }
            };
            let from = d.from.map(|m| format!(", from {m}")).unwrap_or_default();
            let needed = d
                .deadline
                .map(|t| {
                    let decay = if t.decay.is_zero() {
                        String::new()
                    } else {
                        format!(", win probability −{} a month late", t.decay.normalize())
                    };
                    format!(
                        "; needed by {} ({} if late{decay})",
                        t.needed_by,
                        t.if_late.as_str()
                    )
                })
                .unwrap_or_default();
            Assumption {
                key: format!("demand {}", d.name),
                value: format!(
                    "needs: {}; {worth}, won with probability {}{from}{needed}",
                    d.needs_label(),
                    d.win_probability.normalize()
                ),
                origin: Origin::Scenario { line: d.line },
                source: format!("scenario, line {}", d.line),
            }
        })
        .collect()
}

/// An input with where its value comes from: the scenario's line, a default and its source, or
/// derived from other inputs.
fn sourced(s: &Scenario, key: String, value: String) -> Assumption {
    let line = if key.starts_with("plan ") {
        s.given_lines.get("plan.name").copied()
    } else {
        s.given_lines
            .range(key.clone()..)
            .take_while(|(k, _)| **k == key || k.starts_with(&format!("{key}.")))
            .map(|(_, line)| *line)
            .min()
    };
    let (origin, source) = match line {
        Some(line) if key.starts_with("plan ") => (
            Origin::Scenario { line },
            "scenario, [[plan]] tables".to_string(),
        ),
        Some(line) => (Origin::Scenario { line }, format!("scenario, line {line}")),
        None if key.starts_with("plan ") => (
            Origin::Default,
            "default plans: each framework alone, both in parallel, SOC 2 then ISO/IEC 27001 six months later".to_string(),
        ),
        None if key == "iso27001.audit_days" || key == "iso27001.standard" => {
            let source = if key == "iso27001.standard" {
                default_source(&key).replacen("default, standard", "derived from the start date", 1)
            } else {
                derived_audit_days(s)
            };
            (Origin::Derived, source)
        }
        None => (Origin::Default, default_source(&key)),
    };
    Assumption {
        key,
        value,
        origin,
        source,
    }
}

/// The inputs each plan sets for itself, each with the value every other plan uses.
fn plan_overrides(s: &Scenario) -> Vec<Assumption> {
    let mut rows = Vec::new();
    for plan in &s.plans {
        for o in &plan.overrides {
            let set_by = if o.set_by == plan.name {
                String::new()
            } else {
                format!(", from plan {}", o.set_by)
            };
            let (origin, at) = match o.line {
                Some(line) => (Origin::Scenario { line }, format!("scenario, line {line}")),
                None => (Origin::Default, "scenario".to_string()),
            };
            rows.push(Assumption {
                key: format!("plan {}: {}", plan.name, o.key),
                value: o.value.clone(),
                origin,
                source: format!("{at}: overrides {} for this plan{set_by}", o.key),
            });
        }
    }
    rows
}

/// How the initial audit days were derived, and how well that band of the table is sourced.
fn derived_audit_days(s: &Scenario) -> String {
    let headcount = s.programme.headcount.get_ref().get();
    let weakly_sourced = if headcount > crate::vocabulary::audit_time::WELL_SOURCED_MAX_PERSONS {
        "; bands above 2,675 persons rest on two public sources only"
    } else {
        ""
    };
    let growth = if s
        .programme
        .headcount_growth_per_year
        .get_ref()
        .get()
        .is_zero()
    {
        ""
    } else {
        ", recomputed at each audit with the headcount then (IAF MD 5)"
    };
    format!(
        "derived: ISO/IEC 27006-1:2024 Table C.1 (formerly ISO/IEC 27006:2015 Table B.1) at a headcount of {headcount}{growth}{weakly_sourced}"
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn assumptions_of(text: &str) -> Vec<Assumption> {
        assumptions(&crate::scenario::from_text(Path::new("t.toml"), text).unwrap())
    }

    #[test]
    fn keys_the_file_sets_give_their_line_and_the_rest_name_their_default_source() {
        let text = "[programme]\nname = \"M\"\nstart = \"2027-01\"\nhorizon_months = 12\ncurrency = \"CHF\"\nheadcount = 20\n[iso27001]\nday_rate = 2100\n[iso27001.staff_fte]\nbuild = 0.4\n[soc2]\n";
        let rows = assumptions_of(text);
        let find = |key: &str| rows.iter().find(|a| a.key == key).unwrap().clone();
        assert_eq!(
            find("programme.headcount").origin,
            Origin::Scenario { line: 6 }
        );
        assert_eq!(find("iso27001.day_rate").source, "scenario, line 8");
        assert_eq!(
            find("iso27001.staff_fte").origin,
            Origin::Scenario { line: 10 }
        );
        let report_lag = find("soc2.report_lag_weeks");
        assert_eq!(report_lag.value, "6");
        assert_eq!(report_lag.origin, Origin::Default);
        assert!(
            report_lag
                .source
                .starts_with("default, common practice: CPA firms issue reports 2 to 8 weeks")
        );
        assert!(
            find("soc2.type2_fee").source.contains("(USD)"),
            "public money figures say their currency"
        );
        assert!(
            find("staff.loaded_monthly_cost")
                .source
                .starts_with("default, certplan's assumption")
        );
        let days = find("iso27001.audit_days");
        assert_eq!(days.origin, Origin::Derived);
        assert!(
            days.source.contains("at a headcount of 20"),
            "{}",
            days.source
        );
        let platform = find("shared.platform");
        assert_eq!(
            platform.value,
            "CHF 10,000.00 per year, +CHF 5,000.00 per extra framework"
        );
        assert!(
            rows.iter()
                .any(|a| a.key == "plan soc2-only" && a.source.starts_with("default plans"))
        );
        // No source cites certplan's internal rule numbers.
        for a in &rows {
            assert!(
                !a.source.contains('§') && !a.source.contains("domain"),
                "{}",
                a.source
            );
        }
    }

    #[test]
    fn the_starter_leaves_defaults_as_defaults() {
        let rows = assumptions_of(include_str!("../../scenarios/starter.toml"));
        let given: Vec<&str> = rows
            .iter()
            .filter(|a| matches!(a.origin, Origin::Scenario { .. }))
            .map(|a| a.key.as_str())
            .collect();
        assert_eq!(
            given,
            [
                "programme.name",
                "programme.start",
                "programme.horizon_months",
                "programme.currency",
                "programme.headcount"
            ]
        );
    }
}
