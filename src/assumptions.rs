//! Every input a projection used, its value, and where it came from: the scenario file, or a
//! default and the source of that default (domain.md). Reports print this table.

use crate::inputs::{CostItem, Payment};
use crate::money::{Amount, display_amount};
use crate::scenario::{BillingPeriod, Scenario};

/// One input.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Assumption {
    pub key: String,
    pub value: String,
    /// "scenario file", or "default: …" with the default's source.
    pub source: String,
}

/// Sources of the defaults (domain.md sections and rules).
fn default_source(key: &str) -> &'static str {
    match key {
        "programme.fiscal_year_start_month" => "calendar year",
        "programme.fiscal_year_naming" => "named by the year it ends in (US practice)",
        "programme.sites" => "one site",
        "programme.headcount_growth_per_year" => "a constant headcount",
        "iso27001.slip" => "no slipped audits",
        "iso27001.standard" => "I10: the only version certified after 2025-10-31 (IAF MD 26)",
        "iso27001.gap_assessment_months" => "domain §4: gap analysis ~1 month",
        "iso27001.implementation_months" => "domain §4: ISMS build 3–6 months",
        "iso27001.operation_before_stage1_months" => "I3: ~3 months of operation before Stage 2",
        "iso27001.stage1_to_stage2_weeks" => "I2: 4–8 weeks typical",
        "iso27001.decision_lag_weeks" => "I4: 4–6 weeks",
        "iso27001.surveillance_months_after_decision" => "I6: no later than 12 months",
        "iso27001.recertification_lead_months" => "I7: CBs start 3–6 months before expiry",
        "iso27001.certificate_expiry" => "I5: three years after the decision",
        "iso27001.audit_days" => "ISO/IEC 27006 table by headcount (domain §2)",
        "iso27001.complexity_adjustment" => "domain §2: none",
        "iso27001.stage1_share" => "domain §2: Stage 2 takes 60–80 %",
        "iso27001.multi_site_sampling" => "domain §2: weak source, off",
        "iso27001.day_rate" => "domain §2: $1,500–2,500 per auditor-day (V)",
        "iso27001.booking_lead_months" => "domain §4: book 3–4 months ahead",
        "iso27001.readiness_consulting" | "iso27001.remediation" => {
            "domain §5: ISO all-in $50k–200k (V)"
        }
        "iso27001.internal_audit" => "domain §1: £500–3,000 a time (V)",
        "soc2.categories" => "S1: security only",
        "soc2.readiness_months" => "S7: 1–4 months",
        "soc2.first_window_months" => "S3: 3–6 months",
        "soc2.later_window_months" => "S3: 12 months",
        "soc2.report_lag_weeks" => "S4: 2–8 weeks, default 6",
        "soc2.report_current_months" | "soc2.currency_anchor" => {
            "S5: 12 months after the period end"
        }
        "soc2.bridge_letters" | "soc2.bridge_letter_max_months" => "S6: up to about 3 months",
        "soc2.type1_fee" => "domain §5: Type I $5k–25k to $40k",
        "soc2.type2_fee" => "domain §5: $20k–150k, median ≈ $30k",
        "soc2.soc3" => "S7: optional public summary, off",
        "soc2.readiness_consulting" | "soc2.remediation" => {
            "domain §5: SOC 2 first year $20k–60k (V)"
        }
        "shared.platform" => "domain §5: quote-based, yearly",
        "shared.penetration_test" => "domain §5: web app $5k–20k (V)",
        _ => "certplan's assumption",
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
pub fn assumptions(s: &Scenario) -> Vec<Assumption> {
    let money = |a: &Amount| display_amount(a.0, s.programme.currency);
    let p = &s.programme;
    let mut rows: Vec<(String, String)> = vec![
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
                match i.audit_time.initial_days_at(p.start.first_day()) {
                    Some(days) => format!("{} initial auditor-days at the start", days.normalize()),
                    None => "from the table".to_string(),
                },
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
    for plan in &s.plans {
        let frameworks: Vec<String> = plan
            .frameworks
            .iter()
            .map(|f| format!("{} from month {}", f.framework, f.start_offset_months + 1))
            .collect();
        rows.push((
            format!("plan {}", plan.name),
            format!(
                "{}; shared controls {}, combined-audit discount {}",
                frameworks.join(", "),
                plan.shared_control_fraction.normalize(),
                plan.combined_audit_discount.normalize()
            ),
        ));
    }
    rows.into_iter()
        .map(|(key, value)| {
            let given = s.given.contains(&key) || (key.starts_with("plan ") && s.given.contains("plan"));
            let source = if given {
                "scenario file".to_string()
            } else if key.starts_with("plan ") {
                "default plans: each framework alone, both in parallel, SOC 2 then ISO six months later".to_string()
            } else {
                format!("default: {}", default_source(&key))
            };
            Assumption { key, value, source }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn assumptions_of(text: &str) -> Vec<Assumption> {
        assumptions(&crate::scenario::from_text(Path::new("t.toml"), text).unwrap())
    }

    #[test]
    fn keys_the_file_sets_say_so_and_the_rest_name_their_default_source() {
        let starter = include_str!("../scenarios/starter.toml");
        let defaults: Vec<String> = assumptions_of(starter)
            .into_iter()
            .filter(|a| a.source != "scenario file")
            .map(|a| a.key)
            .collect();
        assert_eq!(
            defaults,
            ["iso27001.standard", "iso27001.audit_days", "iso27001.slip"]
        );

        let minimal = "[programme]\nname = \"M\"\nstart = \"2027-01\"\nhorizon_months = 12\ncurrency = \"CHF\"\nheadcount = 20\n[soc2]\n";
        let rows = assumptions_of(minimal);
        let report_lag = rows
            .iter()
            .find(|a| a.key == "soc2.report_lag_weeks")
            .unwrap();
        assert_eq!(report_lag.value, "6");
        assert_eq!(report_lag.source, "default: S4: 2–8 weeks, default 6");
        let platform = rows.iter().find(|a| a.key == "shared.platform").unwrap();
        assert_eq!(
            platform.value,
            "CHF 10,000.00 per year, +CHF 5,000.00 per extra framework"
        );
        assert!(
            rows.iter()
                .any(|a| a.key == "plan soc2-only" && a.source.starts_with("default plans"))
        );
    }
}
