//! budget.xlsx recomputed by a real spreadsheet: LibreOffice Calc, headless (Debian's
//! libreoffice-calc; `bash tests/run.sh` installs it). Every formula's cached value is removed
//! first, so each total shown is LibreOffice's own sum, and it must equal certplan's figure to the
//! cent.

use std::collections::BTreeMap;
use std::fs;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::Command;

use calamine::{Data, Reader, Xlsx, open_workbook};
use rust_decimal::Decimal;

use crate::common::{read_csv, read_records, repo, run_into};

fn soffice() -> PathBuf {
    if let Some(path) = std::env::var_os("CERTPLAN_SOFFICE") {
        return PathBuf::from(path);
    }
    for name in ["soffice", "libreoffice"] {
        for dir in std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()) {
            if dir.join(name).is_file() {
                return dir.join(name);
            }
        }
    }
    panic!("LibreOffice not found: run `bash tests/run.sh` (it installs libreoffice-calc)");
}

/// A copy of `xlsx` whose formula cells keep their formulas but lose their cached values.
fn without_cached_values(xlsx: &Path, to: &Path) -> usize {
    let mut archive = zip::ZipArchive::new(fs::File::open(xlsx).unwrap()).unwrap();
    let mut writer = zip::ZipWriter::new(fs::File::create(to).unwrap());
    let mut stripped = 0;
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).unwrap();
        let name = entry.name().to_string();
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).unwrap();
        if name.starts_with("xl/worksheets/sheet") {
            let text = String::from_utf8(bytes).unwrap();
            let mut out = String::new();
            let mut rest = text.as_str();
            while let Some(at) = rest.find("</f><v>") {
                out.push_str(&rest[..at + 4]);
                let after = &rest[at + 4..];
                let end = after.find("</v>").unwrap() + 4;
                rest = &after[end..];
                stripped += 1;
            }
            out.push_str(rest);
            bytes = out.into_bytes();
        }
        writer
            .start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        writer.write_all(&bytes).unwrap();
    }
    writer.finish().unwrap();
    stripped
}

/// Every sheet of `xlsx` as LibreOffice computes it, as CSV rows, by sheet name.
fn recomputed(xlsx: &Path, dir: &Path) -> BTreeMap<String, Vec<Vec<String>>> {
    let profile = dir.join("profile");
    let output = Command::new("timeout")
        .arg("300")
        .arg(soffice())
        .arg(format!(
            "-env:UserInstallation=file://{}",
            profile.display()
        ))
        .args(["--headless", "--norestore", "--convert-to"])
        // Comma, quote, UTF-8, from line 1, raw values (not as shown), every sheet (-1).
        .arg("csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1")
        .arg("--outdir")
        .arg(dir)
        .arg(xlsx)
        .output()
        .expect("LibreOffice runs");
    assert!(
        output.status.success(),
        "LibreOffice failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stem = xlsx.file_stem().unwrap().to_string_lossy().into_owned();
    let mut sheets = BTreeMap::new();
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if let Some(sheet) = name
            .strip_prefix(&format!("{stem}-"))
            .and_then(|n| n.strip_suffix(".csv"))
        {
            let mut reader = csv::ReaderBuilder::new()
                .has_headers(false)
                .flexible(true)
                .from_path(&path)
                .unwrap();
            let rows = reader
                .records()
                .map(|r| r.unwrap().iter().map(String::from).collect())
                .collect();
            sheets.insert(sheet.to_string(), rows);
        }
    }
    sheets
}

fn cents(text: &str) -> Decimal {
    text.trim()
        .parse::<Decimal>()
        .unwrap_or_else(|_| panic!("{text:?} is not a number"))
        .round_dp(2)
}

#[test]
fn libreoffice_recomputes_every_total_to_certplans_figure() {
    let (out, _) = run_into("compare", &repo().join("scenarios/eu-midsize.toml"));
    let work = tempfile::tempdir().unwrap();
    let stripped = work.path().join("budget.xlsx");
    let formulas = without_cached_values(&out.path().join("budget.xlsx"), &stripped);
    assert!(formulas > 50, "{formulas} formulas");
    let sheets = recomputed(&stripped, work.path());
    for name in [
        "Summary",
        "Budget by fiscal year",
        "Quarterly",
        "Monthly",
        "Schedule",
        "Assumptions",
        "Comparison",
    ] {
        assert!(
            sheets.contains_key(name),
            "sheet {name}: {:?}",
            sheets.keys()
        );
    }

    let summary = read_records(&out.path().join("summary.csv"));
    let total_of: BTreeMap<String, Decimal> = summary
        .iter()
        .map(|r| (r["plan"].clone(), cents(&r["total_cost"])))
        .collect();
    let comparison = read_records(&out.path().join("comparison.csv"));

    // Summary, plans across: Total (from the budget sheet) and First 12 months (from the
    // monthly sheet).
    let rows = &sheets["Summary"];
    assert_eq!(rows[1][0], "Total");
    assert_eq!(rows[2][0], "First 12 months");
    for (i, plan) in rows[0][1..=total_of.len()].iter().enumerate() {
        assert_eq!(
            cents(&rows[1][1 + i]),
            total_of[plan],
            "Summary total of {plan}"
        );
        let first_year = comparison.iter().find(|r| &r["plan"] == plan).unwrap();
        assert_eq!(
            cents(&rows[2][1 + i]),
            cents(&first_year["first_year_cost"]),
            "{plan}"
        );
    }

    // Budget by fiscal year: each plan's total row, every year and the whole.
    let (_, budget_rows) = read_csv(&out.path().join("budget_by_fiscal_year.csv"));
    let budget = &sheets["Budget by fiscal year"];
    let years: Vec<&String> = budget[0][2..budget[0].len() - 1].iter().collect();
    let mut checked = 0;
    for row in budget
        .iter()
        .filter(|r| r.get(1).is_some_and(|l| l == "Total"))
    {
        let plan = &row[0];
        for (k, label) in years.iter().enumerate() {
            let year = label.split(' ').next().unwrap();
            let expected = budget_rows
                .iter()
                .find(|r| &r[0] == plan && r[1] == year && r[2] == "total")
                .map(|r| cents(&r[3]))
                .unwrap();
            assert_eq!(cents(&row[2 + k]), expected, "{plan} {year}");
        }
        assert_eq!(cents(row.last().unwrap()), total_of[plan], "{plan} total");
        checked += 1;
    }
    assert_eq!(checked, total_of.len());

    // Monthly and Quarterly: the total row of each plan's column.
    for sheet in ["Monthly", "Quarterly"] {
        let rows = &sheets[sheet];
        let total = rows.iter().find(|r| r[0] == "Total").unwrap();
        for (j, plan) in rows[0][2..].iter().enumerate() {
            assert_eq!(cents(&total[2 + j]), total_of[plan], "{sheet} {plan}");
        }
    }

    // Comparison: fiscal years (from the budget) add up to the total.
    for row in &sheets["Comparison"][1..=total_of.len()] {
        let total_col = 1 + years.len();
        assert_eq!(
            cents(&row[total_col]),
            total_of[&row[0]],
            "Comparison {}",
            row[0]
        );
    }
}

#[test]
fn the_workbook_prints_landscape_one_page_wide_and_names_itself() {
    let (out, _) = run_into("compare", &repo().join("scenarios/eu-midsize.toml"));
    let mut archive =
        zip::ZipArchive::new(fs::File::open(out.path().join("budget.xlsx")).unwrap()).unwrap();
    let mut read = |name: &str| {
        let mut text = String::new();
        archive
            .by_name(name)
            .unwrap()
            .read_to_string(&mut text)
            .unwrap();
        text
    };
    let core = read("docProps/core.xml");
    assert!(core.contains("<dc:title>Lindqvist Data AB: compliance programme budget</dc:title>"));
    assert!(
        core.contains("2027-01-01T00:00:00Z"),
        "created the plan's first day: {core}"
    );
    let book = read("xl/workbook.xml");
    assert!(
        book.contains("_xlnm.Print_Titles"),
        "header row and first column repeat"
    );
    for i in 1..=7 {
        let sheet = read(&format!("xl/worksheets/sheet{i}.xml"));
        assert!(sheet.contains("orientation=\"landscape\""), "sheet {i}");
        assert!(
            sheet.contains("fitToWidth=\"1\"") || sheet.contains("fitToPage=\"1\""),
            "sheet {i}"
        );
        assert!(sheet.contains("fitToHeight=\"0\""), "sheet {i}");
        assert!(sheet.contains("Lindqvist Data AB"), "sheet {i} footer");
    }

    // With SOURCE_DATE_EPOCH the creation date is that time.
    let again = tempfile::tempdir().unwrap();
    crate::common::certplan()
        .env("SOURCE_DATE_EPOCH", "1798761600")
        .arg("plan")
        .arg(repo().join("scenarios/eu-midsize.toml"))
        .arg("--out")
        .arg(again.path())
        .assert()
        .success();
    let mut archive =
        zip::ZipArchive::new(fs::File::open(again.path().join("budget.xlsx")).unwrap()).unwrap();
    let mut core = String::new();
    archive
        .by_name("docProps/core.xml")
        .unwrap()
        .read_to_string(&mut core)
        .unwrap();
    assert!(core.contains("2027-01-01T00:00:00Z"), "{core}");

    // calamine sees the cached totals, as any reader that does not recompute would.
    let mut workbook: Xlsx<_> = open_workbook(out.path().join("budget.xlsx")).unwrap();
    let range = workbook.worksheet_range("Monthly").unwrap();
    let total_row = range
        .rows()
        .find(|r| r[0] == Data::String("Total".into()))
        .unwrap()
        .to_vec();
    assert!(matches!(total_row[2], Data::Float(f) if f > 0.0));
}

#[test]
fn libreoffice_recomputes_the_business_case_to_certplans_figures() {
    let (out, _) = run_into("compare", &repo().join("scenarios/business-case.toml"));
    let work = tempfile::tempdir().unwrap();
    let stripped = work.path().join("budget.xlsx");
    without_cached_values(&out.path().join("budget.xlsx"), &stripped);
    let sheets = recomputed(&stripped, work.path());
    let rows = &sheets["Business case"];
    let total = rows.iter().find(|r| r[0] == "Total").unwrap();
    let comparison = read_records(&out.path().join("comparison.csv"));
    assert_eq!(rows[0].len(), 1 + 3 * comparison.len(), "{:?}", rows[0]);
    for (j, plan) in comparison.iter().enumerate() {
        let col = 1 + 3 * j;
        assert_eq!(rows[0][col], format!("{} revenue", plan["plan"]));
        assert_eq!(
            cents(&total[col]),
            cents(&plan["expected_revenue"]),
            "{}",
            plan["plan"]
        );
        assert_eq!(
            cents(&total[col + 1]),
            cents(&plan["total_cost"]),
            "{}",
            plan["plan"]
        );
        assert_eq!(
            cents(&total[col + 2]),
            cents(&plan["expected_net_value"]),
            "{}",
            plan["plan"]
        );
    }
}

#[test]
fn the_report_and_the_workbook_list_the_risk_inputs_with_their_lines() {
    let scenario = repo().join("scenarios/risky-rollout.toml");
    let text = fs::read_to_string(&scenario).unwrap();
    let line_of = |needle: &str| 1 + text.lines().position(|l| l.contains(needle)).unwrap();
    let (out, _) = run_into("compare", &scenario);
    let mut workbook: Xlsx<_> = open_workbook(out.path().join("budget.xlsx")).unwrap();
    let range = workbook.worksheet_range("Assumptions").unwrap();
    let rows: Vec<String> = range
        .rows()
        .map(|r| {
            r.iter()
                .map(|c| c.to_string())
                .collect::<Vec<_>>()
                .join(" | ")
        })
        .collect();
    let report = fs::read_to_string(out.path().join("report.html")).unwrap();
    let expected = [
        (
            "iso27001.implementation_months (range)",
            "low 3, likely 5, high 9 months, pert",
            line_of("implementation_months = {"),
        ),
        (
            "iso27001.stage1_to_stage2_weeks (range)",
            "triangular",
            line_of("stage1_to_stage2_weeks"),
        ),
        (
            "soc2.remediation (range)",
            "uniform",
            line_of("high = 25000, dist = \"uniform\""),
        ),
        (
            "risk 5: SOC 2 readiness overrun",
            "probability 0.25",
            line_of("event = \"soc2_readiness_overrun\""),
        ),
        (
            "risk 2: Certification body booked out",
            "probability 0.2; effect 2 months",
            line_of("event = \"certification_body_booked_out\""),
        ),
        (
            "requirements.iso_certificate_by",
            "2028-06-30",
            line_of("iso_certificate_by"),
        ),
        (
            "requirements.yearly_budget_cap",
            "160,000",
            line_of("yearly_budget_cap"),
        ),
        (
            "requirements.confidence",
            "0.7",
            line_of("confidence = 0.7"),
        ),
    ];
    for (key, value, line) in expected {
        let source = format!("scenario, line {line}");
        let row = rows
            .iter()
            .find(|r| r.starts_with(&format!("{key} |")))
            .unwrap_or_else(|| panic!("{key} missing from the Assumptions sheet: {rows:#?}"));
        assert!(row.contains(value) && row.contains(&source), "{key}: {row}");
        let at = report
            .find(&format!("<td><code>{key}</code></td>"))
            .unwrap_or_else(|| panic!("{key} missing from report.html"));
        let report_row = &report[at..at + report[at..].find("</tr>").unwrap()];
        assert!(
            report_row.contains(value) && report_row.contains(&source),
            "{key}: {report_row}"
        );
    }
}
