//! `certplan compare`: table, CSV and JSON on every shipped scenario; requirements; the same
//! numbers in the table, the CSV, the JSON, the HTML report and the workbook.

use std::collections::BTreeMap;
use std::fs;

use calamine::{Data, DataType, Reader, Xlsx, open_workbook};
use rust_decimal::Decimal;

use crate::common::{certplan, read_records, repo, run_into, shipped_scenarios};

fn dec(s: &str) -> Decimal {
    s.parse().unwrap_or_else(|_| panic!("not an amount: {s}"))
}

fn stdout_of(args: &[&str], scenario: &std::path::Path, out: &std::path::Path) -> String {
    let assert = certplan()
        .arg("compare")
        .arg(scenario)
        .args(args)
        .arg("--out")
        .arg(out)
        .assert()
        .success();
    String::from_utf8(assert.get_output().stdout.clone()).unwrap()
}

#[test]
fn compare_prints_table_csv_and_json_for_every_shipped_scenario() {
    for scenario in shipped_scenarios() {
        let out = tempfile::tempdir().unwrap();
        let table = stdout_of(&[], &scenario, out.path());
        for line in table.lines() {
            assert!(line.chars().count() <= 100, "fits 100 columns: {line:?}");
        }
        assert!(!table.contains('\x1b'), "no colour when not on a terminal");
        assert!(
            table.contains("Recommended: ") || table.contains("No plan meets"),
            "{table}"
        );
        for name in [
            "comparison.csv",
            "report.html",
            "budget.xlsx",
            "summary.csv",
            "cost_curves.png",
        ] {
            assert!(out.path().join(name).is_file(), "{name} written by compare");
        }

        let csv_out = stdout_of(&["--format", "csv"], &scenario, out.path());
        assert_eq!(
            csv_out.as_bytes(),
            fs::read(out.path().join("comparison.csv")).unwrap(),
            "--format csv prints comparison.csv"
        );

        let json_out = stdout_of(&["--format", "json"], &scenario, out.path());
        let json: serde_json::Value = serde_json::from_str(&json_out).unwrap();
        let rows = read_records(&out.path().join("comparison.csv"));
        assert_eq!(json["plans"].as_array().unwrap().len(), rows.len());
    }
}

#[test]
fn the_same_numbers_in_table_csv_json_html_and_workbook() {
    let scenario = repo().join("scenarios/eu-saas-both.toml");
    let out = tempfile::tempdir().unwrap();
    let table = stdout_of(&[], &scenario, out.path());
    let json: serde_json::Value =
        serde_json::from_str(&stdout_of(&["--format", "json"], &scenario, out.path())).unwrap();
    let html = fs::read_to_string(out.path().join("report.html")).unwrap();
    let summary = read_records(&out.path().join("summary.csv"));
    let comparison = read_records(&out.path().join("comparison.csv"));

    let mut workbook: Xlsx<_> = open_workbook(out.path().join("budget.xlsx")).unwrap();
    let sheet = workbook.worksheet_range("Summary").unwrap();
    let mut book_totals: BTreeMap<String, f64> = BTreeMap::new();
    // Plans across, the total on the first row under them.
    let rows: Vec<_> = sheet.rows().collect();
    assert_eq!(rows[1][0], Data::String("Total".into()));
    for (plan, total) in rows[0].iter().zip(rows[1]).skip(1) {
        if let (Data::String(plan), Data::Float(total)) = (plan, total) {
            book_totals.insert(plan.clone(), *total);
        }
    }

    for (i, row) in comparison.iter().enumerate() {
        let plan = &row["plan"];
        let total = dec(&row["total_cost"]);
        let shown = format!("€{}", group(&row["total_cost"]));
        assert_eq!(
            summary[i]["total_cost"], row["total_cost"],
            "summary.csv and comparison.csv agree"
        );
        assert_eq!(
            json["plans"][i]["total_cost"].as_str().unwrap(),
            row["total_cost"],
            "JSON"
        );
        assert!(table.contains(&shown), "table shows {shown} for {plan}");
        assert!(html.contains(&shown), "report shows {shown} for {plan}");
        assert_eq!(
            Decimal::try_from(book_totals[plan]).unwrap().round_dp(2),
            total,
            "workbook total for {plan}"
        );
        for (key, value) in row {
            if let Some(year) = key.strip_prefix("cost_") {
                let year_total: Decimal =
                    read_records(&out.path().join("budget_by_fiscal_year.csv"))
                        .iter()
                        .filter(|r| {
                            &r["plan"] == plan
                                && r["fiscal_year"] == year
                                && r["category"] == "total"
                        })
                        .map(|r| dec(&r["amount"]))
                        .sum();
                assert_eq!(dec(value), year_total, "{plan} {year}");
            }
        }
    }

    // The Monthly sheet: each plan's column totals to the plan's total, and its months add up
    // to it.
    let range = workbook.worksheet_range("Monthly").unwrap();
    let rows: Vec<_> = range.rows().collect();
    let last = rows
        .iter()
        .position(|r| r[0] == Data::String("Total".into()))
        .unwrap();
    for row in &comparison {
        let plan = &row["plan"];
        let col = rows[0]
            .iter()
            .position(|h| *h == Data::String(plan.clone()))
            .unwrap();
        let months: f64 = rows[1..last]
            .iter()
            .map(|r| r[col].as_f64().unwrap_or(0.0))
            .sum();
        let total = dec(&row["total_cost"]);
        assert_eq!(
            Decimal::try_from(rows[last][col].as_f64().unwrap())
                .unwrap()
                .round_dp(2),
            total
        );
        assert_eq!(Decimal::try_from(months).unwrap().round_dp(2), total);
    }
}

fn group(amount: &str) -> String {
    let (int, frac) = amount.split_once('.').unwrap();
    let mut out = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    format!("{out}.{frac}")
}

#[test]
fn requirements_get_verdicts_and_the_cheapest_plan_meeting_all_is_named() {
    let out = tempfile::tempdir().unwrap();
    let json: serde_json::Value = serde_json::from_str(&stdout_of(
        &["--format", "json"],
        &repo().join("scenarios/eu-saas-both.toml"),
        out.path(),
    ))
    .unwrap();
    let plans = json["plans"].as_array().unwrap();
    let meeting: Vec<&serde_json::Value> = plans
        .iter()
        .filter(|p| p["meets_requirements"] == true)
        .collect();
    let cheapest = meeting
        .iter()
        .min_by_key(|p| dec(p["total_cost"].as_str().unwrap()))
        .unwrap();
    assert_eq!(json["recommendation"]["plan"], cheapest["plan"]);
    let iso_only = plans.iter().find(|p| p["plan"] == "iso-only").unwrap();
    let soc2 = iso_only["requirements"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["requirement"] == "soc2_type2_report_by")
        .unwrap();
    assert_eq!(soc2["verdict"], "not_pursued");
    let iso = iso_only["requirements"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["requirement"] == "iso_certificate_by")
        .unwrap();
    assert_eq!(iso["verdict"], "met");
    assert_eq!(iso["latest_start_month"], "2027-06");
}

#[test]
fn when_no_plan_meets_the_requirements_compare_says_so_and_why() {
    let dir = tempfile::tempdir().unwrap();
    let text = fs::read_to_string(repo().join("scenarios/saas-startup.toml"))
        .unwrap()
        .replace(
            "soc2_type2_report_by = \"2027-10-31\"",
            "soc2_type2_report_by = \"2027-03-31\"",
        )
        .replace("yearly_budget_cap = 150000", "yearly_budget_cap = 50000");
    let path = dir.path().join("tight.toml");
    fs::write(&path, text).unwrap();
    let out = dir.path().join("out");
    let table = stdout_of(&[], &path, &out);
    assert!(
        table.contains("No plan meets all 2 requirements."),
        "{table}"
    );
    assert!(table.contains("missed by"), "{table}");
    assert!(table.contains("over by"), "{table}");
    // The latest start that would still meet the Type II date is before the programme starts.
    assert!(table.contains("latest start 2026-"), "{table}");
    let json: serde_json::Value =
        serde_json::from_str(&stdout_of(&["--format", "json"], &path, &out)).unwrap();
    assert_eq!(json["recommendation"]["plan"], serde_json::Value::Null);
    let rows = read_records(&out.join("comparison.csv"));
    assert!(
        rows.iter()
            .all(|r| r["meets_requirements"] == "false" && r["recommended"] == "false")
    );
    let html = fs::read_to_string(out.join("report.html")).unwrap();
    assert!(html.contains("No plan meets all 2 requirements."));
}

#[test]
fn saving_parts_add_up_to_the_saving() {
    let (out, _) = run_into("compare", &repo().join("scenarios/eu-saas-both.toml"));
    let rows = read_records(&out.path().join("comparison.csv"));
    let both = rows.iter().find(|r| r["plan"] == "both-parallel").unwrap();
    let parts = dec(&both["saving_shared_controls"])
        + dec(&both["saving_shared_recurring"])
        + dec(&both["saving_combined_audit_discount"]);
    assert_eq!(parts, dec(&both["saving"]));
    let alone = dec(&rows.iter().find(|r| r["plan"] == "iso-only").unwrap()["total_cost"])
        + dec(&rows.iter().find(|r| r["plan"] == "soc2-only").unwrap()["total_cost"]);
    // Both-parallel starts both frameworks on day one, like the two single plans.
    assert_eq!(dec(&both["separate_total"]), alone);
    assert_eq!(dec(&both["saving"]), alone - dec(&both["total_cost"]));
    assert!(
        dec(&both["saving_combined_audit_discount"]) > Decimal::ZERO,
        "the scenario's 5 % discount shows"
    );
}

#[test]
fn report_workbook_and_comparison_are_byte_identical_from_run_to_run() {
    let scenario = repo().join("scenarios/saas-startup.toml");
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    certplan()
        .arg("compare")
        .arg(&scenario)
        .arg("--out")
        .arg(a.path())
        .assert()
        .success();
    certplan()
        .arg("compare")
        .arg(&scenario)
        .arg("--out")
        .arg(b.path())
        .assert()
        .success();
    for name in ["budget.xlsx", "report.html", "comparison.csv"] {
        assert_eq!(
            fs::read(a.path().join(name)).unwrap(),
            fs::read(b.path().join(name)).unwrap(),
            "{name}"
        );
    }
}

#[test]
fn colour_only_when_asked_for() {
    let path = repo().join("scenarios/saas-startup.toml");
    let scenario = certplan::scenario::load(&path).unwrap();
    let plans = certplan::decision::projection::project(&scenario);
    let comparison = certplan::decision::comparison::compare(&scenario, &plans);
    let plain = certplan::render::export::comparison_text::comparison_text(
        &scenario,
        &comparison,
        certplan::render::terminal::Layout::default(),
    );
    let coloured = certplan::render::export::comparison_text::comparison_text(
        &scenario,
        &comparison,
        certplan::render::terminal::Layout {
            color: true,
            width: 100,
        },
    );
    assert!(!plain.contains('\x1b'));
    assert!(coloured.contains("\x1b[1m") && coloured.contains("\x1b[0m"));
}
