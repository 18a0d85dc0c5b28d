//! The binary on the shipped scenarios: what a user runs and reads.

use std::collections::BTreeMap;
use std::fs;

use predicates::prelude::*;
use rust_decimal::Decimal;

use crate::common::{certplan, read_csv, read_records, run_into, shipped_scenarios};

const CSV_FILES: [(&str, &[&str]); 5] = [
    (
        "schedule.csv",
        &["plan", "framework", "cycle", "event", "start", "end"],
    ),
    (
        "monthly_costs.csv",
        &[
            "plan",
            "month",
            "fiscal_year",
            "framework",
            "category",
            "amount",
        ],
    ),
    ("cost_curve.csv", &["plan", "month", "total", "cumulative"]),
    (
        "budget_by_fiscal_year.csv",
        &["plan", "fiscal_year", "category", "amount"],
    ),
    (
        "summary.csv",
        &[
            "plan",
            "total_cost",
            "first_iso_certificate",
            "first_soc2_report",
            "covered_months",
            "uncovered_months",
        ],
    ),
];

fn dec(s: &str) -> Decimal {
    s.parse().unwrap_or_else(|_| panic!("not an amount: {s}"))
}

#[test]
fn plan_writes_every_csv_with_the_contract_columns_for_every_shipped_scenario() {
    for scenario in shipped_scenarios() {
        let (out, stdout) = run_into("plan", &scenario);
        for (file, columns) in CSV_FILES {
            let (header, rows) = read_csv(&out.path().join(file));
            assert_eq!(
                &header[..columns.len()],
                columns,
                "{file} of {}",
                scenario.display()
            );
            assert!(
                !rows.is_empty(),
                "{file} of {} is empty",
                scenario.display()
            );
        }
        for row in read_records(&out.path().join("summary.csv")) {
            assert!(
                stdout.contains(&row["plan"]),
                "summary printed for {}",
                row["plan"]
            );
        }
        assert!(stdout.contains("Total cost"));
    }
}

#[test]
fn amounts_have_exactly_two_decimals_and_totals_add_up_to_the_cent() {
    for scenario in shipped_scenarios() {
        let (out, _) = run_into("plan", &scenario);
        let costs = read_records(&out.path().join("monthly_costs.csv"));
        let mut by_plan: BTreeMap<String, Decimal> = BTreeMap::new();
        for row in &costs {
            let amount = &row["amount"];
            assert!(
                amount.split_once('.').is_some_and(|(_, f)| f.len() == 2),
                "{amount}"
            );
            *by_plan.entry(row["plan"].clone()).or_default() += dec(amount);
        }
        let summary = read_records(&out.path().join("summary.csv"));
        for row in &summary {
            assert_eq!(
                dec(&row["total_cost"]),
                by_plan[&row["plan"]],
                "{} {}",
                scenario.display(),
                row["plan"]
            );
        }
        let mut curve_last: BTreeMap<String, Decimal> = BTreeMap::new();
        let mut curve_sum: BTreeMap<String, Decimal> = BTreeMap::new();
        for row in read_records(&out.path().join("cost_curve.csv")) {
            *curve_sum.entry(row["plan"].clone()).or_default() += dec(&row["total"]);
            assert_eq!(dec(&row["cumulative"]), curve_sum[&row["plan"]]);
            curve_last.insert(row["plan"].clone(), dec(&row["cumulative"]));
        }
        assert_eq!(curve_last, by_plan);
        let mut fy_totals: BTreeMap<String, Decimal> = BTreeMap::new();
        let mut fy_parts: BTreeMap<(String, String), Decimal> = BTreeMap::new();
        for row in read_records(&out.path().join("budget_by_fiscal_year.csv")) {
            let key = (row["plan"].clone(), row["fiscal_year"].clone());
            if row["category"] == "total" {
                assert_eq!(
                    fy_parts.get(&key).copied().unwrap_or_default(),
                    dec(&row["amount"]),
                    "{key:?}"
                );
                *fy_totals.entry(row["plan"].clone()).or_default() += dec(&row["amount"]);
            } else {
                *fy_parts.entry(key).or_default() += dec(&row["amount"]);
            }
        }
        assert_eq!(fy_totals, by_plan);
    }
}

#[test]
fn same_input_gives_byte_identical_output() {
    let scenario = &shipped_scenarios()[0];
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    certplan()
        .arg("plan")
        .arg(scenario)
        .arg("--out")
        .arg(a.path())
        .assert()
        .success();
    certplan()
        .arg("plan")
        .arg(scenario)
        .arg("--out")
        .arg(b.path())
        .assert()
        .success();
    let mut names: Vec<_> = fs::read_dir(a.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    names.sort();
    assert!(!names.is_empty());
    for name in names {
        assert_eq!(
            fs::read(a.path().join(&name)).unwrap(),
            fs::read(b.path().join(&name)).unwrap(),
            "{name:?}"
        );
    }
}

#[test]
fn default_output_folder_is_named_after_the_scenario() {
    let dir = tempfile::tempdir().unwrap();
    fs::copy(&shipped_scenarios()[0], dir.path().join("acme.toml")).unwrap();
    certplan()
        .current_dir(dir.path())
        .args(["plan", "acme.toml"])
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "files to output/acme (open report.html)",
        ));
    assert!(dir.path().join("output/acme/summary.csv").is_file());
    let leftovers: Vec<_> = fs::read_dir(dir.path().join("output"))
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(leftovers, ["acme"], "no staging folder is left behind");
}

#[test]
fn validate_accepts_every_shipped_scenario_and_writes_nothing() {
    for scenario in shipped_scenarios() {
        let dir = tempfile::tempdir().unwrap();
        certplan()
            .current_dir(dir.path())
            .arg("validate")
            .arg(&scenario)
            .assert()
            .success()
            .stdout(predicate::str::contains("is valid"));
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 0);
    }
}

#[test]
fn validate_prints_warnings_for_unusual_values_but_succeeds() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.toml");
    let text =
        fs::read_to_string(crate::common::repo().join("tests/fixtures/every-key.toml")).unwrap();
    let text = text.replacen("first_window_months = 6 ", "first_window_months = 2 ", 1);
    fs::write(&path, text).unwrap();
    certplan()
        .arg("validate")
        .arg(&path)
        .assert()
        .success()
        .stderr(
            predicate::str::contains("warning:").and(predicate::str::contains("under 3 months")),
        );
}

#[test]
fn init_writes_a_starter_that_runs_and_never_overwrites() {
    let dir = tempfile::tempdir().unwrap();
    certplan()
        .current_dir(dir.path())
        .args(["init", "mine.toml"])
        .assert()
        .success();
    certplan()
        .current_dir(dir.path())
        .args(["plan", "mine.toml"])
        .assert()
        .success();
    assert!(dir.path().join("output/mine/schedule.csv").is_file());
    certplan()
        .current_dir(dir.path())
        .args(["init", "mine.toml"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("already exists"));
}

#[test]
fn help_shows_examples_and_version_is_printed() {
    for args in [
        vec!["--help"],
        vec!["plan", "--help"],
        vec!["validate", "--help"],
        vec!["init", "--help"],
    ] {
        certplan()
            .args(&args)
            .assert()
            .success()
            .stdout(predicate::str::contains("Example"));
    }
    certplan()
        .arg("--version")
        .assert()
        .success()
        .stdout(predicate::str::contains(env!("CARGO_PKG_VERSION")));
}

#[test]
fn soc2_reports_show_first_type1_then_type2_dates_in_the_summary() {
    let (out, _) = run_into(
        "plan",
        &crate::common::repo().join("scenarios/saas-startup.toml"),
    );
    let summary = read_records(&out.path().join("summary.csv"));
    let soc2_only = summary.iter().find(|r| r["plan"] == "soc2-only").unwrap();
    // Readiness Jan–Feb 2027, Type I as of 2027-03-01, issued six weeks later.
    assert_eq!(soc2_only["first_soc2_report"], "2027-04-12");
    assert_eq!(soc2_only["first_iso_certificate"], "");
}

#[test]
fn a_headcount_up_to_10700_reads_the_table_and_says_how_well_it_is_sourced() {
    let text = "[programme]\nname = \"Big\"\nstart = \"2027-01\"\nhorizon_months = 24\ncurrency = \"EUR\"\nheadcount = 5000\n[iso27001]\n";
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.toml");
    fs::write(&path, text).unwrap();
    let out = dir.path().join("out");
    certplan()
        .arg("plan")
        .arg(&path)
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    let schedule = crate::common::read_records(&out.join("schedule.csv"));
    let stage = |event: &str| {
        schedule
            .iter()
            .find(|r| r["event"] == event)
            .map(|r| r["audit_days"].clone())
            .unwrap()
    };
    // 4,351–5,450 persons: 25 days, 30 % in Stage 1 (7.5) and the rest in Stage 2 (17.5).
    assert_eq!(stage("stage1_audit"), "7.5");
    assert_eq!(stage("stage2_audit"), "17.5");
    let html = fs::read_to_string(out.join("report.html")).unwrap();
    assert!(
        html.contains("two public sources only"),
        "the weak band is named"
    );
}
