//! Action dates: the day the certification body is booked and the CPA firm engaged, in
//! schedule.csv, the report's key dates and the timeline; the application fee is paid then.

use std::collections::BTreeMap;

use chrono::{Months, NaiveDate};

use crate::common::{read_records, repo, run_into};

fn date(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

type Row = BTreeMap<String, String>;

fn of<'r>(rows: &'r [Row], plan: &str, event: &str) -> Vec<&'r Row> {
    rows.iter()
        .filter(|r| r["plan"] == plan && r["event"] == event)
        .collect()
}

#[test]
fn each_audit_is_booked_the_booking_lead_before_it_and_the_application_fee_is_paid_then() {
    let scenario = repo().join("scenarios/eu-saas-both.toml");
    let text = std::fs::read_to_string(&scenario).unwrap();
    // The inputs this test relies on, as the shipped scenario gives them (SOC 2: the default).
    assert!(text.contains("booking_lead_months = 4"));
    assert!(text.contains("application_fee = 1200"));
    let (iso_lead, soc2_lead) = (Months::new(4), Months::new(2));
    let (out, _) = run_into("plan", &scenario);
    let schedule = read_records(&out.path().join("schedule.csv"));
    let costs = read_records(&out.path().join("monthly_costs.csv"));
    let horizon_end = date("2033-03-31");
    let mut checked = 0;
    for plan in ["iso-only", "soc2-only", "both-parallel", "iso-then-soc2"] {
        let bookings = of(&schedule, plan, "book_certification_body");
        let engagements = of(&schedule, plan, "engage_cpa_firm");
        for b in bookings.iter().chain(&engagements) {
            assert_eq!(b["start"], b["end"], "a booking is a day: {b:?}");
        }
        // Every audit by the certification body has its booking, the lead before it; Stage 2
        // is booked with Stage 1.
        for kind in [
            "stage1_audit",
            "surveillance_audit",
            "recertification_audit",
        ] {
            for audit in of(&schedule, plan, kind) {
                let booked = date(&audit["start"]) - iso_lead;
                assert!(
                    bookings
                        .iter()
                        .any(|b| b["cycle"] == audit["cycle"] && date(&b["start"]) == booked),
                    "{plan}: {kind} on {} booked on {booked}: {bookings:?}",
                    audit["start"]
                );
                checked += 1;
            }
        }
        // … and nothing else: a booking whose audit is after the horizon is still shown.
        let audits = of(&schedule, plan, "stage1_audit").len()
            + of(&schedule, plan, "surveillance_audit").len()
            + of(&schedule, plan, "recertification_audit").len();
        let late = bookings
            .iter()
            .filter(|b| date(&b["start"]) + iso_lead > horizon_end)
            .count();
        assert_eq!(bookings.len(), audits + late, "{plan}");

        // The application fee is paid on booking Stage 1: in the booking month, and no ISO fee
        // or travel is paid before it.
        if let Some(stage1) = of(&schedule, plan, "stage1_audit").first() {
            let booked = date(&stage1["start"]) - iso_lead;
            let month = booked.format("%Y-%m").to_string();
            let fees: Vec<&Row> = costs
                .iter()
                .filter(|r| {
                    r["plan"] == plan
                        && r["framework"] == "iso27001"
                        && r["category"] == "fees_and_travel"
                })
                .collect();
            assert_eq!(fees[0]["month"], month, "{plan}: {fees:?}");
            assert_eq!(fees[0]["amount"], "1200.00", "{plan}: {fees:?}");
        }

        // The CPA firm is engaged the lead before the Type I as-of date and before each
        // observation window (a Type I and the first window starting together: once).
        for kind in ["type1_as_of", "observation_window"] {
            for e in of(&schedule, plan, kind) {
                let start = date(&e["start"]);
                let framework_start = schedule
                    .iter()
                    .filter(|r| r["plan"] == plan && r["framework"] == "soc2")
                    .map(|r| date(&r["start"]))
                    .min()
                    .unwrap();
                let engaged = (start - soc2_lead).max(framework_start);
                assert!(
                    engagements
                        .iter()
                        .any(|b| b["cycle"] == e["cycle"] && date(&b["start"]) == engaged),
                    "{plan}: {kind} on {start} engaged on {engaged}: {engagements:?}"
                );
                checked += 1;
            }
        }
    }
    assert!(checked > 20, "{checked} audits and engagements checked");

    // The report's key dates name the action and the audit it is for.
    let report = std::fs::read_to_string(out.path().join("report.html")).unwrap();
    let stage1 = of(&schedule, "iso-only", "stage1_audit")[0]["start"].clone();
    let booked = (date(&stage1) - iso_lead).to_string();
    assert!(
        report.contains(&format!(
            "<td class=\"date\">{booked}</td><td>ISO</td><td>Book the certification body</td><td>for the Stage 1 and Stage 2 audits from {stage1}</td>"
        )),
        "key date of the booking"
    );
    assert!(report.contains("<td>Engage the CPA firm</td>"));
}
