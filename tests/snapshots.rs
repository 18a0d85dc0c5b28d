//! Snapshots of the CSV a user reads, for one scenario: any change to a date or an amount shows.

use std::fs;

use crate::common::{repo, run_into};

#[test]
fn saas_startup_csv_outputs() {
    let (out, _) = run_into("plan", &repo().join("scenarios/saas-startup.toml"));
    for name in [
        "summary.csv",
        "budget_by_fiscal_year.csv",
        "schedule.csv",
        "cost_curve.csv",
    ] {
        let text = fs::read_to_string(out.path().join(name)).unwrap();
        insta::assert_snapshot!(name, text);
    }
}

/// What `compare` prints at a given terminal width, with the temporary output path replaced.
fn compare_text(scenario: &str, columns: usize) -> String {
    let out = tempfile::tempdir().unwrap();
    let output = crate::common::certplan()
        .env("COLUMNS", columns.to_string())
        .arg("compare")
        .arg(repo().join("scenarios").join(scenario))
        .arg("--out")
        .arg(out.path())
        .output()
        .unwrap();
    assert!(output.status.success());
    String::from_utf8(output.stdout)
        .unwrap()
        .replace(&out.path().display().to_string(), "OUT")
}

#[test]
fn compare_text_at_60_and_100_columns() {
    insta::assert_snapshot!("compare_eu_midsize_60", compare_text("eu-midsize.toml", 60));
    insta::assert_snapshot!(
        "compare_eu_midsize_100",
        compare_text("eu-midsize.toml", 100)
    );
    // The business case: ranked by net present value, demand unlocked per plan.
    insta::assert_snapshot!(
        "compare_business_case_100",
        compare_text("business-case.toml", 100)
    );
}

#[test]
fn every_line_fits_the_width_and_every_total_is_whole() {
    for scenario in crate::common::shipped_scenarios() {
        let name = scenario.file_name().unwrap().to_string_lossy().into_owned();
        let csv_out = tempfile::tempdir().unwrap();
        crate::common::certplan()
            .arg("compare")
            .arg(&scenario)
            .arg("--out")
            .arg(csv_out.path())
            .assert()
            .success();
        let totals: Vec<String> = crate::common::read_records(&csv_out.path().join("summary.csv"))
            .iter()
            .map(|r| r["total_cost"].clone())
            .collect();
        for columns in [60, 80, 100, 160] {
            for command in ["compare", "plan"] {
                let out = tempfile::tempdir().unwrap();
                let output = crate::common::certplan()
                    .env("COLUMNS", columns.to_string())
                    .arg(command)
                    .arg(&scenario)
                    .arg("--out")
                    .arg(out.path())
                    .output()
                    .unwrap();
                let text = String::from_utf8(output.stdout).unwrap();
                let shown = text.replace(&out.path().display().to_string(), "OUT");
                for line in shown.lines() {
                    assert!(
                        line.chars().count() <= columns,
                        "{name} {command} at {columns}: {line:?} is {} wide",
                        line.chars().count()
                    );
                }
                // Every plan's total, to the cent, stands whole on a line.
                for total in &totals {
                    let (whole, cents) = total.split_once('.').unwrap();
                    let grouped: String = {
                        let digits: Vec<char> = whole.chars().collect();
                        let mut s = String::new();
                        for (i, d) in digits.iter().enumerate() {
                            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                                s.push(',');
                            }
                            s.push(*d);
                        }
                        s
                    };
                    let amount = format!("{grouped}.{cents}");
                    assert!(
                        shown.lines().any(|l| l.contains(&amount)),
                        "{name} {command} at {columns}: total {amount} whole\n{shown}"
                    );
                }
            }
        }
    }
}
