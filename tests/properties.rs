//! Invariants over many generated scenarios with 10-year horizons: ISO/IEC 17021-1 timing,
//! SOC 2 window contiguity and coverage, and exact sums.

use std::collections::BTreeMap;
use std::path::Path;

use certplan::cycle::coverage::MonthCoverage;
use certplan::cycle::schedule::{Event, EventKind};
use certplan::decision::projection::{self, PlanOutcome};
use certplan::scenario::{self, Scenario};
use certplan::vocabulary::framework::Framework;
use certplan::vocabulary::year_month::{add_days, add_months};
use chrono::{Datelike, NaiveDate};
use proptest::prelude::*;
use rust_decimal::Decimal;

#[derive(Debug, Clone)]
struct Knobs {
    start_month: u32,
    fiscal_start: u32,
    headcount: u32,
    gap: u32,
    implementation: u32,
    operation: u32,
    stage_gap_weeks: u32,
    decision_lag_weeks: u32,
    surveillance: u32,
    recert_lead: u32,
    day_before: bool,
    readiness: u32,
    type1: bool,
    first_window: u32,
    later_window: u32,
    report_lag: u32,
    issue_anchor: bool,
    bridge_max: u32,
    bridge_letters: bool,
    cents: u32,
    monthly_platform: bool,
    iso_offset: u32,
    soc2_offset: u32,
    shared: u32,
    discount: u32,
    growth_pct: i32,
    soc3: bool,
}

fn knobs() -> impl Strategy<Value = Knobs> {
    (
        (
            1u32..=12,
            1u32..=12,
            1u32..=10_700,
            0u32..=3,
            1u32..=8,
            1u32..=4,
            1u32..=12,
            0u32..=13,
            1u32..=12,
            3u32..=6,
            any::<bool>(),
        ),
        (
            0u32..=4,
            any::<bool>(),
            1u32..=12,
            1u32..=12,
            1u32..=17,
            any::<bool>(),
            1u32..=6,
            any::<bool>(),
        ),
        (
            0u32..=99,
            any::<bool>(),
            0u32..=24,
            0u32..=24,
            0u32..=100,
            0u32..=50,
            -30i32..=40,
            any::<bool>(),
        ),
    )
        .prop_map(|(a, b, c)| Knobs {
            start_month: a.0,
            fiscal_start: a.1,
            headcount: a.2,
            gap: a.3,
            implementation: a.4,
            operation: a.5,
            stage_gap_weeks: a.6,
            decision_lag_weeks: a.7,
            surveillance: a.8,
            recert_lead: a.9,
            day_before: a.10,
            readiness: b.0,
            type1: b.1,
            first_window: b.2,
            later_window: b.3,
            report_lag: b.4,
            issue_anchor: b.5,
            bridge_max: b.6,
            bridge_letters: b.7,
            cents: c.0,
            monthly_platform: c.1,
            iso_offset: c.2,
            soc2_offset: c.3,
            shared: c.4,
            discount: c.5,
            growth_pct: c.6,
            soc3: c.7,
        })
}

/// Whether the headcount outgrows the ISO/IEC 27006 table within ten years.
fn outgrows_the_table(k: &Knobs) -> bool {
    let base = 100 + i128::from(k.growth_pct);
    let mut persons = i128::from(k.headcount) * 100i128.pow(10);
    for _ in 0..10 {
        persons = persons * base / 100;
    }
    persons > 10_700 * 100i128.pow(10)
}

fn scenario_text(k: &Knobs) -> String {
    let audit_days = if outgrows_the_table(k) {
        "audit_days = 21\n"
    } else {
        ""
    };
    format!(
        r#"
[programme]
name = "Generated"
start = "2027-{start:02}"
horizon_months = 120
currency = "USD"
fiscal_year_start_month = {fiscal}
headcount = {headcount}
headcount_growth_per_year = "{growth}"

[iso27001]
{audit_days}gap_assessment_months = {gap}
implementation_months = {implementation}
operation_before_stage1_months = {operation}
stage1_to_stage2_weeks = {stage_gap}
decision_lag_weeks = {lag}
surveillance_months_after_decision = {surveillance}
recertification_lead_months = {lead}
certificate_expiry = "{expiry}"
day_rate = "1733.{cents:02}"
readiness_consulting = "20000.{cents:02}"
internal_audit = {{ amount = "1999.99", paid = "on_report" }}

[iso27001.staff_fte]
build = 0.37
operate = 0.33
run = 0.17

[soc2]
categories = ["security", "privacy"]
readiness_months = {readiness}
type1_first = {type1}
first_window_months = {first_window}
later_window_months = {later_window}
report_lag_weeks = {report_lag}
currency_anchor = "{anchor}"
bridge_letters = {bridges}
bridge_letter_max_months = {bridge_max}
type2_fee = "31111.{cents:02}"
soc3 = {soc3}
audit_fees_paid = "spread"
readiness_consulting = "10000.01"

[shared]
platform = {{ amount = "999.99", per = "{per}", extra_framework = "333.33" }}

[staff]
loaded_monthly_cost = "11111.11"

[[plan]]
name = "iso"
frameworks = [{{ name = "iso27001", start_offset_months = {iso_offset} }}]

[[plan]]
name = "soc2"
frameworks = [{{ name = "soc2", start_offset_months = {soc2_offset} }}]

[[plan]]
name = "both"
frameworks = [{{ name = "soc2", start_offset_months = {soc2_offset} }}, {{ name = "iso27001", start_offset_months = {iso_offset} }}]
shared_control_fraction = "{shared}"
combined_audit_discount = "{discount}"
"#,
        start = k.start_month,
        fiscal = k.fiscal_start,
        headcount = k.headcount,
        gap = k.gap,
        implementation = k.implementation,
        operation = k.operation,
        stage_gap = k.stage_gap_weeks,
        lag = k.decision_lag_weeks,
        surveillance = k.surveillance,
        lead = k.recert_lead,
        expiry = if k.day_before {
            "day_before"
        } else {
            "anniversary"
        },
        cents = k.cents,
        readiness = k.readiness,
        type1 = k.type1,
        first_window = k.first_window,
        later_window = k.later_window,
        report_lag = k.report_lag,
        anchor = if k.issue_anchor {
            "issue_date"
        } else {
            "period_end"
        },
        bridges = k.bridge_letters,
        bridge_max = k.bridge_max,
        per = if k.monthly_platform { "month" } else { "year" },
        iso_offset = k.iso_offset,
        soc2_offset = k.soc2_offset,
        shared = rust_decimal::Decimal::new(i64::from(k.shared), 2),
        discount = rust_decimal::Decimal::new(i64::from(k.discount), 2),
        growth = rust_decimal::Decimal::new(i64::from(k.growth_pct), 2),
        soc3 = k.soc3,
    )
}

fn load(k: &Knobs) -> Scenario {
    scenario::from_text(Path::new("generated.toml"), &scenario_text(k)).unwrap()
}

fn events(o: &PlanOutcome, framework: Framework, kind: EventKind) -> Vec<&Event> {
    o.schedule
        .events
        .iter()
        .filter(|e| e.framework == framework && e.kind == kind)
        .collect()
}

fn check_iso(o: &PlanOutcome, horizon_end: NaiveDate) -> Result<(), TestCaseError> {
    let iso = Framework::Iso27001;
    // I1, I3: Stage 1 before Stage 2; internal audit and management review done before Stage 2.
    for stage2 in events(o, iso, EventKind::Stage2Audit) {
        let stage1 = events(o, iso, EventKind::Stage1Audit)
            .into_iter()
            .find(|e| e.cycle == stage2.cycle);
        prop_assert!(stage1.is_some_and(|s| s.end < stage2.start));
        let ia = events(o, iso, EventKind::InternalAudit)
            .into_iter()
            .filter(|e| e.end < stage2.start)
            .count();
        let mr = events(o, iso, EventKind::ManagementReview)
            .into_iter()
            .filter(|e| e.end < stage2.start)
            .count();
        prop_assert!(ia >= 1 && mr >= 1);
    }
    // Decisions anchor surveillance: I6 first surveillance ≤ 12 months after, second ≤ 24.
    let mut anchors: Vec<&Event> = events(o, iso, EventKind::CertificationDecision);
    anchors.extend(events(o, iso, EventKind::RecertificationDecision));
    anchors.sort_by_key(|e| e.start);
    let surveillance = events(o, iso, EventKind::SurveillanceAudit);
    for (i, anchor) in anchors.iter().enumerate() {
        let next_anchor = anchors.get(i + 1).map(|e| e.start);
        let after: Vec<&&Event> = surveillance
            .iter()
            .filter(|s| s.start > anchor.start && next_anchor.is_none_or(|n| s.start < n))
            .collect();
        if add_months(anchor.start, 12) <= horizon_end {
            prop_assert!(
                !after.is_empty(),
                "no surveillance after decision {}",
                anchor.start
            );
        }
        if let Some(s1) = after.first() {
            prop_assert!(
                s1.start <= add_months(anchor.start, 12),
                "I6: {} after {}",
                s1.start,
                anchor.start
            );
        }
        if let Some(s2) = after.get(1) {
            prop_assert!(s2.start <= add_months(anchor.start, 24), "I6: second year");
        }
        prop_assert!(after.len() <= 2);
    }
    // I5, I7: certificates run 3 years; on-time recertification continues from the old expiry.
    let certificates = events(o, iso, EventKind::Certificate);
    let decisions = events(o, iso, EventKind::CertificationDecision);
    if let (Some(first), Some(decision)) = (certificates.first(), decisions.first()) {
        prop_assert_eq!(first.start, decision.start);
        let anniversary = add_months(decision.start, 36);
        // I9: a withdrawn certificate ends the day before its withdrawal.
        let withdrawn = events(o, iso, EventKind::Withdrawal)
            .iter()
            .any(|w| w.start == add_days(first.end, 1));
        prop_assert!(
            first.end == anniversary || first.end == anniversary.pred_opt().unwrap() || withdrawn
        );
    }
    // I7, I8: decided by expiry, the next certificate runs on from the old expiry; decided later
    // (within 6 months), the certificate lapses from expiry and is restored at the decision.
    let lapses = events(o, iso, EventKind::Lapse);
    let withdrawals = events(o, iso, EventKind::Withdrawal);
    for pair in certificates.windows(2) {
        let (old, new) = (pair[0], pair[1]);
        if withdrawals.iter().any(|w| w.start == add_days(old.end, 1)) {
            // I9: withdrawn; the next certificate comes from a restart at Stage 1.
            prop_assert!(new.start > old.end);
            continue;
        }
        let recert = events(o, iso, EventKind::RecertificationDecision)
            .into_iter()
            .find(|r| r.cycle == old.cycle)
            .expect("a recertification decision between two certificates");
        prop_assert_eq!(new.end, add_months(old.end, 36));
        if recert.start <= old.end {
            prop_assert_eq!(new.start, add_days(old.end, 1));
            prop_assert!(!lapses.iter().any(|l| l.cycle == old.cycle));
        } else {
            prop_assert!(recert.start <= add_months(old.end, 6));
            prop_assert_eq!(new.start, recert.start);
            if recert.start > add_days(old.end, 1) {
                let lapse = lapses.iter().find(|l| l.cycle == old.cycle);
                prop_assert!(lapse.is_some_and(
                    |l| l.start == add_days(old.end, 1) && add_days(l.end, 1) == recert.start
                ));
            }
        }
    }
    // I6: an audit in every calendar year from the first certificate, except recertification years.
    if let Some(decision) = decisions.first() {
        let audit_years: Vec<i32> = o
            .schedule
            .events
            .iter()
            .filter(|e| e.framework == iso && e.kind.is_external_audit())
            .map(|e| e.start.year())
            .collect();
        let recert_years: Vec<i32> = events(o, iso, EventKind::RecertificationDecision)
            .iter()
            .map(|e| e.start.year())
            .collect();
        // Years without a certificate, after a withdrawal (I9), have nothing to audit.
        let uncertified = |year: i32| {
            events(o, iso, EventKind::Withdrawal).iter().any(|w| {
                let restart = decisions.iter().find(|d| d.start > w.start);
                w.start.year() <= year && restart.is_none_or(|d| year <= d.start.year())
            })
        };
        // Only years whose audits the horizon fully shows.
        for year in decision.start.year()..horizon_end.year() - 1 {
            prop_assert!(
                audit_years.contains(&year) || recert_years.contains(&year) || uncertified(year),
                "no audit in {year}: {audit_years:?}"
            );
        }
    }
    Ok(())
}

fn check_soc2(o: &PlanOutcome, k: &Knobs, horizon_end: NaiveDate) -> Result<(), TestCaseError> {
    check_soc2_with(o, k, horizon_end, true)
}

/// The SOC 2 rules; `exact_lag` is false where a drawn risk (a booked-out CPA firm) delays the
/// first report.
fn check_soc2_with(
    o: &PlanOutcome,
    k: &Knobs,
    horizon_end: NaiveDate,
    exact_lag: bool,
) -> Result<(), TestCaseError> {
    let soc2 = Framework::Soc2;
    let windows = events(o, soc2, EventKind::ObservationWindow);
    for pair in windows.windows(2) {
        prop_assert_eq!(pair[1].start, add_days(pair[0].end, 1), "S3: back to back");
    }
    let reports = events(o, soc2, EventKind::Type2Report);
    for (window, report) in windows.iter().zip(&reports) {
        if exact_lag {
            prop_assert_eq!(
                report.start,
                add_days(window.end, u64::from(k.report_lag) * 7),
                "S4: issued after the lag"
            );
        } else {
            prop_assert!(report.start >= add_days(window.end, u64::from(k.report_lag) * 7));
        }
    }
    if let Some(last) = windows.last() {
        prop_assert!(
            last.start <= horizon_end && add_days(last.end, 1) > horizon_end,
            "windows run to the horizon"
        );
    }
    // From the first report on, every day is current, bridged, or a coverage gap; never two.
    let first_report = o.first_soc2_report();
    if let Some(first) = first_report {
        let mut day = first;
        let spans: Vec<&Event> = o
            .schedule
            .events
            .iter()
            .filter(|e| {
                e.framework == soc2
                    && matches!(
                        e.kind,
                        EventKind::ReportCurrent | EventKind::BridgeLetter | EventKind::CoverageGap
                    )
            })
            .collect();
        while day <= horizon_end {
            let current = spans
                .iter()
                .any(|e| e.kind == EventKind::ReportCurrent && e.start <= day && day <= e.end);
            let bridged = spans
                .iter()
                .filter(|e| e.kind == EventKind::BridgeLetter && e.start <= day && day <= e.end)
                .count();
            let gap = spans
                .iter()
                .filter(|e| e.kind == EventKind::CoverageGap && e.start <= day && day <= e.end)
                .count();
            prop_assert!(
                usize::from(current) + bridged + gap >= 1,
                "day {day} unaccounted"
            );
            prop_assert!(
                !(current && (bridged + gap) > 0),
                "day {day} both current and in a gap"
            );
            day = add_days(day, 7);
        }
    }
    for bridge in events(o, soc2, EventKind::BridgeLetter) {
        prop_assert!(k.bridge_letters);
        prop_assert!(
            bridge.end <= add_months(add_days(bridge.start, 0), k.bridge_max),
            "S6: at most the limit"
        );
    }
    Ok(())
}

fn check_sums(o: &PlanOutcome, s: &Scenario) -> Result<(), TestCaseError> {
    let total = o.total_cost();
    let by_month: Decimal = o.monthly_totals().iter().map(|(_, total)| *total).sum();
    prop_assert_eq!(total, by_month);
    prop_assert_eq!(o.cumulative_totals().last().map(|(_, c)| *c), Some(total));
    let calendar = s.programme.fiscal_calendar();
    let fy: Decimal = o.ledger.fiscal_year_totals(calendar).values().sum();
    prop_assert_eq!(total, fy);
    let mut parts: BTreeMap<_, Decimal> = BTreeMap::new();
    for ((year, _), amount) in o.ledger.by_fiscal_year(calendar) {
        *parts.entry(year).or_default() += amount;
    }
    prop_assert_eq!(parts, o.ledger.fiscal_year_totals(calendar));
    for (account, amount) in o.ledger.entries() {
        prop_assert!(*amount > Decimal::ZERO);
        prop_assert_eq!(amount.round_dp(2), *amount, "rounded to the cent");
        prop_assert!(
            account.month >= s.programme.start && account.month <= s.programme.last_month()
        );
    }
    prop_assert_eq!(o.coverage.len(), 120);
    let counted = o.months_with(MonthCoverage::Covered)
        + o.months_with(MonthCoverage::Building)
        + o.months_with(MonthCoverage::Uncovered);
    prop_assert_eq!(counted, 120);
    Ok(())
}

proptest! {
    // 256 cases by default; PROPTEST_CASES=5000 explores further.
    #![proptest_config(ProptestConfig::default())]

    #[test]
    fn generated_scenarios_keep_every_rule_and_every_sum(k in knobs()) {
        let s = load(&k);
        let horizon_end = s.programme.last_month().last_day();
        for o in projection::project(&s) {
            check_iso(&o, horizon_end)?;
            check_soc2(&o, &k, horizon_end)?;
            check_sums(&o, &s)?;
        }
    }

    #[test]
    fn both_costs_less_than_the_two_alone_when_controls_are_shared(k in knobs()) {
        let k = Knobs { iso_offset: 0, soc2_offset: 0, ..k };
        let s = load(&k);
        let plans = projection::project(&s);
        let total = |name: &str| plans.iter().find(|p| p.plan.name == name).unwrap().total_cost();
        prop_assert!(total("both") <= total("iso") + total("soc2"));
    }
}

proptest! {
    #[test]
    fn slipped_audits_suspend_lapse_or_withdraw_as_the_rules_say(
        k in knobs(),
        recertification in any::<bool>(),
        cycle in 1u32..=2,
        number in 1u32..=2,
        months in 1u32..=20,
    ) {
        let audit = if recertification { "recertification_audit" } else { "surveillance_audit" };
        // A recertification audit has no number (one per cycle).
        let number = if recertification { String::new() } else { format!("number = {number}\n") };
        let slip = format!("\n[[iso27001.slip]]\naudit = \"{audit}\"\ncycle = {cycle}\n{number}months = {months}\n");
        let text = scenario_text(&k).replacen("\n[iso27001.staff_fte]", &format!("{slip}\n[iso27001.staff_fte]"), 1);
        let s = scenario::from_text(Path::new("generated.toml"), &text).unwrap();
        let horizon_end = s.programme.last_month().last_day();
        for o in projection::project(&s) {
            let iso = Framework::Iso27001;
            let certificates = events(&o, iso, EventKind::Certificate);
            for pair in certificates.windows(2) {
                prop_assert!(pair[0].end < pair[1].start, "certificates never overlap");
            }
            // A suspension ends when its surveillance audit reports, or the next day the
            // certificate is withdrawn (I9).
            for suspension in events(&o, iso, EventKind::Suspension) {
                let lifted = events(&o, iso, EventKind::SurveillanceAudit).iter().any(|a| a.end <= suspension.end && a.start >= suspension.start);
                let withdrawn = events(&o, iso, EventKind::Withdrawal).iter().any(|w| w.start == add_days(suspension.end, 1));
                prop_assert!(lifted || withdrawn, "suspension {}..{}", suspension.start, suspension.end);
            }
            // After a withdrawal the certification restarts from Stage 1, and the days between
            // are a lapse.
            for withdrawal in events(&o, iso, EventKind::Withdrawal) {
                let lapse = events(&o, iso, EventKind::Lapse).into_iter().find(|l| l.start == withdrawal.start);
                prop_assert!(lapse.is_some(), "lapse from the withdrawal");
                let restart = events(&o, iso, EventKind::Stage1Audit).into_iter().find(|e| e.cycle == withdrawal.cycle + 1);
                if let Some(stage1) = restart {
                    prop_assert!(stage1.start >= withdrawal.start);
                }
            }
            // No covered day is lapsed or suspended.
            let covered = certplan::cycle::coverage::covered_days(&o.schedule, iso);
            for e in events(&o, iso, EventKind::Lapse).into_iter().chain(events(&o, iso, EventKind::Suspension)) {
                for (start, end) in covered.ranges() {
                    prop_assert!(e.end < *start || e.start > *end, "{:?} {}..{} is not covered", e.kind, e.start, e.end);
                }
            }
            check_soc2(&o, &k, horizon_end)?;
            check_sums(&o, &s)?;
        }
    }
}

/// Values a careless or hostile edit might put anywhere in a scenario.
fn odd_value() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("0".to_string()),
        Just("-1".to_string()),
        Just("99999999999999999999".to_string()),
        Just("1e308".to_string()),
        Just("nan".to_string()),
        Just("\"\"".to_string()),
        Just("\"2027-02-30\"".to_string()),
        Just("[]".to_string()),
        Just("{}".to_string()),
        Just("true".to_string()),
        Just("\"9999999999.99\"".to_string()),
        (0u32..2000).prop_map(|n| n.to_string()),
        (0u32..100).prop_map(|n| format!("0.{n:02}")),
    ]
}

proptest! {
    /// No input makes certplan panic: any value at any key, or bytes cut anywhere, gives a
    /// scenario that projects, or an error.
    #[test]
    fn no_scenario_text_makes_certplan_panic(line in 0usize..200, value in odd_value(), cut in 0usize..6000) {
        let starter = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/every-key.toml")).unwrap();
        let mut lines: Vec<String> = starter.lines().map(String::from).collect();
        let index = line % lines.len();
        if let Some((key, _)) = lines[index].split_once(" = ") {
            lines[index] = format!("{key} = {value}");
        }
        let edited = lines.join("\n");
        let truncated: String = edited.chars().take(cut).collect();
        for text in [edited, truncated] {
            if let Ok(s) = scenario::from_text(Path::new("edited.toml"), &text) {
                let plans = projection::project(&s);
                let comparison = certplan::decision::comparison::compare(&s, &plans);
                prop_assert_eq!(comparison.plans.len(), plans.len());
            }
        }
    }
}

proptest! {
    // Every risk event happens, with sizes drawn here: the cycle rules still hold in the draw.
    #[test]
    fn every_draw_keeps_every_cycle_rule_and_every_sum(
        k in knobs(),
        months in proptest::collection::vec(0u32..=12, 8),
        index in 0usize..1000,
    ) {
        let events = [
            "stage2_major_nonconformity",
            "surveillance_major_nonconformity",
            "certification_body_booked_out",
            "cpa_firm_booked_out",
            "soc2_readiness_overrun",
            "soc2_report_exceptions",
            "key_person_loss",
            "fee_rise_at_renewal",
        ];
        let mut text = scenario_text(&k);
        for (event, m) in events.iter().zip(&months) {
            text.push_str(&format!(
                "\n[[risk]]\nevent = \"{event}\"\nprobability = 1\nmonths = {{ low = 0, likely = {m}, high = {} }}\ncost = 5000\nrise = 0.1\n",
                m + 3
            ));
        }
        let s = scenario::from_text(Path::new("generated.toml"), &text).unwrap();
        let horizon_end = s.programme.last_month().last_day();
        for o in certplan::decision::monte_carlo::outcomes_of_draw(&s, index, 7) {
            check_iso(&o, horizon_end)?;
            check_soc2_with(&o, &k, horizon_end, false)?;
            check_sums(&o, &s)?;
        }
    }
}
