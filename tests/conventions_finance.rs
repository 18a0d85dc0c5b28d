//! Conventions a finance team expects: fiscal years written as it writes them, and audits kept
//! off a country's bank holidays.

use std::fs;

use calamine::{Data, Reader, Xlsx, open_workbook};

use crate::common::{certplan, read_records, repo};

/// eu-midsize (fiscal years from July) with `fiscal_year_label` set.
fn with_label(label: &str) -> String {
    fs::read_to_string(repo().join("scenarios/eu-midsize.toml"))
        .unwrap()
        .replacen(
            "fiscal_year_start_month = 7",
            &format!("fiscal_year_label = \"{label}\"\nfiscal_year_start_month = 7"),
            1,
        )
}

#[test]
fn every_fiscal_year_label_style_round_trips_through_the_csv_and_the_workbook() {
    // The horizon is Jan 2027 to Dec 2030; fiscal years start in July and are named by the
    // year they end in.
    let expected = [
        ("fy", ["FY2027", "FY2028", "FY2029", "FY2030", "FY2031"]),
        (
            "fy_span",
            [
                "FY2026/27",
                "FY2027/28",
                "FY2028/29",
                "FY2029/30",
                "FY2030/31",
            ],
        ),
        (
            "span",
            ["2026-27", "2027-28", "2028-29", "2029-30", "2030-31"],
        ),
    ];
    for (label, years) in expected {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.toml");
        fs::write(&path, with_label(label)).unwrap();
        certplan()
            .args(["plan", "--charts", "none", "--out"])
            .arg(dir.path().join("out"))
            .arg(&path)
            .assert()
            .success();
        let rows = read_records(&dir.path().join("out/budget_by_fiscal_year.csv"));
        let first_plan = rows[0]["plan"].clone();
        let mut in_csv: Vec<String> = rows
            .into_iter()
            .filter(|r| r["plan"] == first_plan)
            .map(|r| r["fiscal_year"].clone())
            .collect();
        in_csv.dedup();
        assert_eq!(in_csv, years, "{label}: budget_by_fiscal_year.csv");
        let columns: Vec<String> = read_records(&dir.path().join("out/comparison.csv"))[0]
            .keys()
            .filter_map(|k| k.strip_prefix("cost_").map(String::from))
            .collect();
        let mut sorted = years.map(String::from).to_vec();
        sorted.sort();
        assert_eq!(columns, sorted, "{label}: comparison.csv columns");
        let mut book: Xlsx<_> = open_workbook(dir.path().join("out/budget.xlsx")).unwrap();
        let sheet = book.worksheet_range("Budget by fiscal year").unwrap();
        let cells: Vec<String> = sheet
            .rows()
            .flat_map(|r| r.iter())
            .filter_map(|c| match c {
                Data::String(s) => Some(s.clone()),
                _ => None,
            })
            .collect();
        for year in years {
            assert!(
                cells.iter().any(|c| c.starts_with(year)),
                "{label}: {year} on the budget sheet: {cells:?}"
            );
        }
    }
}

#[test]
fn a_span_label_is_refused_for_a_fiscal_year_that_starts_in_january() {
    let text = fs::read_to_string(repo().join("scenarios/saas-startup.toml"))
        .unwrap()
        .replacen(
            "[programme]\n",
            "[programme]\nfiscal_year_label = \"fy_span\"\n",
            1,
        );
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("jan.toml");
    fs::write(&path, &text).unwrap();
    let out = certplan().arg("validate").arg(&path).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    let line = text
        .lines()
        .position(|l| l.starts_with("fiscal_year_label"))
        .unwrap()
        + 1;
    assert!(stderr.contains(&format!("jan.toml:{line}:")), "{stderr}");
    assert!(stderr.contains("starts in January"), "{stderr}");
}
